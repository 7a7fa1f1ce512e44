"""Reads for the scholarship pages, the budget page, the dashboard and reports: all aggregated
in the database, a fixed number of queries whatever the number of students."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from scholarships import search, tally
from scholarships.models import (
    Award,
    Enrollment,
    Payment,
    PaymentTotal,
    PaymentYear,
    Student,
    YearlyBudget,
    first_expiry,
)

ZERO = Decimal(0)


def with_current_enrollment(queryset: QuerySet) -> QuerySet:
    """Annotate each student with the level, institution and status of their latest enrollment: one
    join through the column the enrollments keep (`Student.current_enrollment`), not a subquery a row."""
    return queryset.annotate(
        current_level=F("current_enrollment__level"),
        current_institution=F("current_enrollment__institution__short_name"),
        current_status=F("current_enrollment__status"),
    )


GROUPS = {
    "province": ("lao_province__iso_code", "lao_province__name_vi"),
    "level": ("level", "level"),
    "institution": ("institution_id", "institution__short_name"),
}


def _payment_groups(year: int) -> list[dict]:
    """What the year awarded and paid by province, level and institution at once, from the totals kept
    by month (`PaymentTotal`): one grouped query over a few hundred rows, whatever the payments."""
    columns = {
        f"{name}_{part}": F(path)
        for name, paths in GROUPS.items()
        for part, path in zip(("key", "label"), paths, strict=True)
    }
    return list(
        PaymentTotal.objects.filter(month__year=year)
        .order_by()
        .values(**columns)
        .annotate(
            awarded=Coalesce(Sum("amount", filter=Q(kind=PaymentTotal.Kind.AWARDED)), ZERO),
            paid=Coalesce(Sum("amount", filter=Q(kind=PaymentTotal.Kind.PAID)), ZERO),
        )
    )


def _rollup(groups: list[dict], name: str) -> list[dict]:
    rows = {}
    for group in groups:
        key = group[f"{name}_key"]
        row = rows.setdefault(key, {"key": key, "label": group[f"{name}_label"], "awarded": ZERO, "paid": ZERO})
        row["awarded"] += group["awarded"]
        row["paid"] += group["paid"]
    return sorted(rows.values(), key=lambda row: str(row["label"]))


def budget_totals(*, year: int) -> dict:
    """Planned, awarded and paid for a calendar year, in total and by month (what the dashboard shows):
    one grouped sum over the year's kept totals (`PaymentTotal`)."""
    planned = YearlyBudget.objects.filter(year=year).values_list("planned_amount", flat=True).first() or ZERO
    by_month = {
        (kind, month): total
        for kind, month, total in PaymentTotal.objects.filter(month__year=year)
        .order_by()
        .annotate(m=ExtractMonth("month"))
        .values_list("kind", "m")
        .annotate(total=Sum("amount"))
    }
    awarded_by_month = {month: total for (kind, month), total in by_month.items() if kind == PaymentTotal.Kind.AWARDED}
    paid_by_month = {month: total for (kind, month), total in by_month.items() if kind == PaymentTotal.Kind.PAID}
    months = [
        {"month": month, "awarded": awarded_by_month.get(month, ZERO), "paid": paid_by_month.get(month, ZERO)}
        for month in range(1, 13)
    ]
    awarded = sum((row["awarded"] for row in months), ZERO)
    paid = sum((row["paid"] for row in months), ZERO)
    return {
        "year": year,
        "planned": planned,
        "awarded": awarded,
        "paid": paid,
        "remaining": planned - paid,
        "paid_share": round(100 * paid / planned) if planned else None,
        "months": months,
    }


def budget_execution(*, year: int) -> dict:
    """`budget_totals`, and what the year awarded and paid by province, level and institution."""
    groups = _payment_groups(year)
    level_labels = dict(Enrollment.Level.choices)
    by_level = _rollup(groups, "level")
    for row in by_level:
        row["label"] = str(level_labels.get(row["key"], row["key"]))
    by_level.sort(key=lambda row: row["label"])
    return {
        **budget_totals(year=year),
        "by_province": _rollup(groups, "province"),
        "by_level": by_level,
        "by_institution": _rollup(groups, "institution"),
    }


def student_counts(*, year: int) -> dict:
    """The article's figures: trained to date (everyone enrolled by the year's end), graduated by then,
    studying now and supported in the year; from the columns kept on the students (`scholarships.signals`)
    and the students supported each year (`PaymentYear`)."""
    return {
        **tally.figures(year, graduated_by_year_end=True),  # the kept tally of each year's students
        "studying": tally.studying_now(),  # the kept count of each province's students
        "supported": supported_in(year),
    }


def students_matching(queryset: QuerySet, text: str) -> QuerySet:
    """The students of `queryset` the search `text` finds, in the list's order (`scholarships.search`)."""
    return search.matching(queryset, text)


def students_matching_in_all(text: str) -> int:
    """How many students in all the search `text` finds, from the kept search rows."""
    return search.count_matching(text)


def students_in_all() -> int:
    """Every student recorded, from the kept counts of each province's students."""
    return tally.students_in_all()


def supported_in(year: int) -> int:
    """How many students had a payment scheduled in the year (kept by `scholarships.totals`)."""
    return PaymentYear.objects.filter(year=year).values_list("supported_students", flat=True).first() or 0


def _enrolled_students(**conditions: Q) -> dict[str, int]:
    """How many students have at least one enrollment meeting each condition: one pass over the
    enrollments for all of them (a student counts once however many of their enrollments meet it)."""
    return Enrollment.objects.aggregate(
        **{name: Count("student_id", distinct=True, filter=condition) for name, condition in conditions.items()}
    )


def _paid_students(condition: Q) -> int:
    """How many students have at least one scheduled payment meeting `condition`."""
    return Payment.objects.filter(condition).aggregate(students=Count("award__student_id", distinct=True))["students"]


def expiring_documents(*, today: datetime.date | None = None) -> QuerySet:
    """Students still studying whose passport or residence card expires within the alert window (or has)."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=settings.SCHOLARSHIP_EXPIRY_ALERT_DAYS)
    return (
        Student.objects.filter(is_studying=True)
        # The document that runs out first, soonest first: the count and the page both read the partial
        # index of that day (a passport or a card expiring is that day being within the window).
        .alias(first_expiry=first_expiry())
        .filter(first_expiry__lte=limit)
        .select_related("lao_province")
        .order_by("first_expiry", "pk")
    )


def overdue_payments(*, today: datetime.date | None = None) -> QuerySet:
    """Scheduled payments for months already past that are still unpaid."""
    today = today or timezone.localdate()
    return Payment.objects.filter(paid_on__isnull=True, month__lt=today.replace(day=1))


# A month's payments by date paid (the unpaid last, on every database), then the student's name (the
# name each payment keeps): the order of one index.
MONTH_ORDER = (F("paid_on").asc(nulls_last=True), "student_name", "kind", "pk")


def payments_of_month(month: datetime.date) -> QuerySet:
    return payments_of_month_related(Payment.objects.filter(month=month.replace(day=1))).order_by(*MONTH_ORDER)


def payment_ids_of_month(month: datetime.date) -> QuerySet:
    """The month's payments in the page's order, as ids alone, read from the index of that order (the
    page's rows are read afterwards, for its ids only, by `payment_rows`)."""
    return Payment.objects.filter(month=month.replace(day=1)).order_by(*MONTH_ORDER).values_list("pk", flat=True)


def payment_rows(ids: list[int]) -> list[Payment]:
    """The payments of one page, in the order of `ids`, with the student, province and institution
    their rows show: one query."""
    found = payments_of_month_related(Payment.objects.filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def payments_of_month_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("award__student__lao_province", "award__enrollment__institution")


def awards_with_totals(student: Student) -> QuerySet:
    return (
        Award.objects.filter(student=student)
        .select_related("enrollment__institution")
        .annotate(
            scheduled=Coalesce(Sum("payments__amount"), ZERO),
            paid=Coalesce(Sum("payments__amount", filter=Q(payments__paid_on__isnull=False)), ZERO),
            payment_count=Count("payments"),
        )
        .order_by("-academic_year")
    )


def scholarships_in_period(*, start: datetime.date, end: datetime.date) -> dict:
    """What the union's review reports of the Lao students between `start` and `end`."""
    payments = Payment.objects.aggregate(
        paid=Coalesce(Sum("amount", filter=Q(paid_on__range=(start, end))), ZERO),
    )
    return {
        "paid": payments["paid"],
        "supported": _paid_students(Q(month__range=(start, end))),
        **_enrolled_students(
            new_students=Q(start_date__range=(start, end)),
            graduated=Q(status=Enrollment.Status.GRADUATED, ended_on__range=(start, end)),
            trained_total=Q(start_date__lte=end),
        ),
    }


def _labelled_levels(pairs) -> list[dict]:
    """[(level, students studying at it)] as the pages' rows, with each level's name."""
    labels = dict(Enrollment.Level.choices)
    return [{"level": level, "label": labels[level], "total": total} for level, total in pairs]


def dashboard_figures(*, year: int) -> dict:
    """The students' part of the dashboard, in a fixed number of queries. The counts of students read
    the kept counts of each province's students and of each year's (`scholarships.tally`)."""
    by_province = tally.studying_by_province()
    by_level = _labelled_levels(tally.studying_by_level())
    return {
        "studying": sum(row["total"] for row in by_province),
        **tally.figures(year),  # trained by the year's end, graduated in all: the kept tally's few rows
        "by_province": by_province,
        "by_level": by_level,
        "supported": supported_in(year),
        "budget": budget_totals(year=year),
    }


def for_lao_province(*, lao_province_id: int) -> dict:
    """Students from one Lao province: studying now, trained in all, graduated, and by level, from the
    kept counts of the province's students (`scholarships.tally`); the paid total sums the payments'
    kept totals (`PaymentTotal`) of the province."""
    figures = tally.province_figures(lao_province_id)
    return {
        **figures,
        "by_level": _labelled_levels(figures["by_level"]),
        "paid_total": PaymentTotal.objects.filter(
            kind=PaymentTotal.Kind.PAID, lao_province_id=lao_province_id
        ).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"],
    }


def student_ledger(*, student, awards: list, today) -> dict:
    """A student's payments, newest first, with what is still due and what is overdue."""
    payments = list(
        Payment.objects.filter(award__student=student).select_related("award", "paid_by").order_by("-month", "kind")
    )
    this_month = today.replace(day=1)
    return {
        "payments": payments,
        "due_total": sum((award.scheduled - award.paid for award in awards), ZERO),
        "overdue_total": sum((p.amount for p in payments if p.paid_on is None and p.month < this_month), ZERO),
    }


def month_payment_totals(month: datetime.date) -> dict:
    """How many payments a month schedules, what they come to and how much of it was paid: one query."""
    return Payment.objects.filter(month=month.replace(day=1)).aggregate(
        payment_count=Count("pk"),
        scheduled_total=Coalesce(Sum("amount"), ZERO),
        paid_total=Coalesce(Sum("amount", filter=Q(paid_on__isnull=False)), ZERO),
    )
