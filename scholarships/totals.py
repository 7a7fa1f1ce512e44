"""The payments summed by month, province, level and institution (`PaymentTotal`), and the students
supported each year (`PaymentYear`), kept with every write.

Every save or deletion of a payment works out again the totals of the months it was and is in (the
month it is for, the month it was paid in); a save of a student, an enrollment or an award that moves
their payments to another province, level or institution works out the months of those payments. A
bulk write (an award's schedule, the import, the demo, the synthetic load) sends no signal and says
which months it touched, or rebuilds everything. The work of many saves in one service is done once
at its end (`kept_once`). Working out a month deletes its totals and sums its payments again, under a
lock on PostgreSQL, so two transactions never interleave their sums; `manage.py
rebuild_payment_totals` rebuilds every month from the payments.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from friendship_portal.core.kept import Kept, advisory_lock, in_years
from scholarships.models import Payment, PaymentTotal, PaymentYear

# One lock for every rebuild of totals (pg_advisory_xact_lock's key: "PAYTOTAL" in ASCII).
LOCK_KEY = 0x5041595F544F54
GROUPS = {
    "group_province": F("award__student__lao_province_id"),
    "group_level": F("award__enrollment__level"),
    "group_institution": F("award__enrollment__institution_id"),
}


def first_days(dates: Iterable[datetime.date | None]) -> set[datetime.date]:
    """The first days of the months of these dates."""
    return {date.replace(day=1) for date in dates if date is not None}


def months_of(payments) -> set[datetime.date]:
    """The months a queryset of payments is in, those they are for and those they were paid in: one query."""
    pairs = payments.order_by().values_list("month", "paid_on").distinct()
    return first_days(date for pair in pairs for date in pair)


def touched(months: Iterable[datetime.date | None], *, years: Iterable[int] = ()) -> None:
    """These months' payments changed: work their totals out now, or at the end of `kept_once`. `years`
    are those whose schedule changed (a payment made, deleted or moved): their students supported are
    counted again (recording a payment paid changes no schedule, and counts nothing again)."""
    _kept.touched(months=first_days(months), years=years)


def kept_once():
    """Within this block, the months and years touched are gathered and worked out once at its end (a
    service recording a hundred payments sums each month once, not a hundred times)."""
    return _kept.kept_once()


def _sums(payments, month) -> list[dict]:
    return list(payments.order_by().values(group_month=month, **GROUPS).annotate(total=Sum("amount")))


def _write(kind: str, rows: list[dict]) -> None:
    PaymentTotal.objects.bulk_create(
        [
            PaymentTotal(
                month=row["group_month"],
                kind=kind,
                lao_province_id=row["group_province"],
                level=row["group_level"],
                institution_id=row["group_institution"],
                amount=row["total"],
            )
            for row in rows
            if row["total"]
        ],
        batch_size=1000,
    )


def refresh(months: Iterable[datetime.date] = (), years: Iterable[int] = ()) -> None:
    """Work out again the totals of these months (first days) from their payments, and the students
    supported in these years."""
    months, years = sorted(first_days(months)), set(years)
    if months or years:
        with transaction.atomic():
            advisory_lock(LOCK_KEY)
            if months:
                _refresh(months)
            if years:
                _count_the_supported(years)


def _refresh(months: list[datetime.date]) -> None:
    PaymentTotal.objects.filter(month__in=months).delete()
    _write(PaymentTotal.Kind.AWARDED, _sums(Payment.objects.filter(month__in=months), F("month")))
    end = months[-1].replace(day=28) + datetime.timedelta(days=4)
    paid = (
        Payment.objects.filter(paid_on__gte=months[0], paid_on__lt=end.replace(day=1))
        .annotate(paid_month=TruncMonth("paid_on"))
        .filter(paid_month__in=months)
    )
    _write(PaymentTotal.Kind.PAID, _sums(paid, F("paid_month")))


def _count_the_supported(years: set[int] | None) -> None:
    """How many students had a payment scheduled in each of these years (every year for None)."""
    payments = Payment.objects.all()
    if years is not None:  # each year a range of the month's index
        payments = payments.filter(in_years("month", years))
    counted = dict(
        payments.order_by()
        .annotate(year=ExtractYear("month"))
        .values_list("year")
        .annotate(students=Count("award__student_id", distinct=True))
    )
    stale = PaymentYear.objects.all() if years is None else PaymentYear.objects.filter(year__in=years)
    stale.exclude(year__in=counted).delete()
    for year, students in counted.items():
        PaymentYear.objects.update_or_create(year=year, defaults={"supported_students": students})


_kept = Kept("payment_totals_pending", refresh)


@transaction.atomic
def rebuild() -> int:
    """Every month's totals from the payments (after a bulk write of many months); how many rows."""
    advisory_lock(LOCK_KEY)
    PaymentTotal.objects.all().delete()
    _write(PaymentTotal.Kind.AWARDED, _sums(Payment.objects.all(), F("month")))
    paid = Payment.objects.filter(paid_on__isnull=False).annotate(paid_month=TruncMonth("paid_on"))
    _write(PaymentTotal.Kind.PAID, _sums(paid, F("paid_month")))
    _count_the_supported(None)
    return PaymentTotal.objects.count()
