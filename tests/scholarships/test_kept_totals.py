"""The payments' totals by month, province, level and institution (`PaymentTotal`) follow every write:
after each step below they are exactly what `totals.rebuild()` sums from the payments, and the budget
figures read from them are the figures summed from the payments themselves."""

import datetime
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Q, Sum
from django.test.utils import CaptureQueriesContext

from scholarships import totals
from scholarships.models import Award, Enrollment, Payment, PaymentTotal, PaymentYear
from scholarships.selectors import budget_execution, budget_totals, student_counts
from scholarships.services import award_create, payments_record
from tests.race import at_once
from tests.scholarships.factories import (
    EnrollmentFactory,
    PaymentFactory,
    StudentFactory,
    institution,
    province,
)

D = datetime.date


def kept() -> set[tuple]:
    return set(
        PaymentTotal.objects.values_list("month", "kind", "lao_province_id", "level", "institution_id", "amount")
    ) | {("year", *row) for row in PaymentYear.objects.values_list("year", "supported_students")}


def assert_kept_as_rebuilt() -> None:
    before = kept()
    totals.rebuild()
    assert before == kept()


def summed(year: int) -> tuple[Decimal, Decimal]:
    """Awarded and paid in the year, from the payments themselves."""
    return (
        Payment.objects.filter(month__year=year).aggregate(total=Sum("amount"))["total"] or Decimal(0),
        Payment.objects.filter(paid_on__year=year).aggregate(total=Sum("amount"))["total"] or Decimal(0),
    )


def a_new_award(cast, *, first_month=None, months=10, **student) -> Award:
    first_month = first_month or D(2025, 9, 1)
    enrollment = EnrollmentFactory(student=StudentFactory(**student))
    award = Award(student=enrollment.student, enrollment=enrollment, academic_year=first_month.year)
    award.first_month, award.months, award.monthly_amount = first_month, months, Decimal(2_500_000)
    return award_create(actor=cast.staff, award=award)


@pytest.mark.django_db
def test_every_write_of_a_payment_keeps_the_totals(cast):
    award = a_new_award(cast)  # the schedule is written in bulk
    assert_kept_as_rebuilt()
    assert kept(), "the new schedule is in the totals"
    september, december = award.payments.get(month=D(2025, 9, 1)), award.payments.get(month=D(2025, 12, 1))

    payments_record(actor=cast.staff, payment_ids=[september.pk], paid_on=D(2025, 9, 10), method="bank")
    assert_kept_as_rebuilt()

    december.refresh_from_db()
    december.paid_on, december.method = D(2026, 1, 5), "cash"  # December's, paid late: a paid total in January
    december.save()
    assert_kept_as_rebuilt()
    assert PaymentTotal.objects.filter(kind=PaymentTotal.Kind.PAID, month=D(2026, 1, 1)).exists()

    december.paid_on = D(2025, 12, 20)  # corrected: January's paid total is gone, December has it
    december.save()
    assert_kept_as_rebuilt()
    assert not PaymentTotal.objects.filter(kind=PaymentTotal.Kind.PAID, month=D(2026, 1, 1)).exists()

    december.month, december.amount = D(2025, 11, 1), Decimal(1_000_000)
    december.kind = Payment.Kind.EQUIPMENT
    december.save()  # moved to another month, another amount
    assert_kept_as_rebuilt()

    september.refresh_from_db()
    september.delete()
    assert_kept_as_rebuilt()

    PaymentFactory(award=award, month="2026-08-01", amount=Decimal(700_000), paid_on="2026-08-03")  # text dates
    assert_kept_as_rebuilt()
    assert summed(2025) == (budget_totals(year=2025)["awarded"], budget_totals(year=2025)["paid"])
    assert summed(2026) == (budget_totals(year=2026)["awarded"], budget_totals(year=2026)["paid"])


@pytest.mark.django_db
def test_moving_a_student_an_enrollment_or_an_award_moves_their_totals(cast):
    award = a_new_award(cast, lao_province=province("LA-BL"))
    other = a_new_award(cast, lao_province=province("LA-KH"))
    payments_record(
        actor=cast.staff, payment_ids=award.payments.values_list("pk", flat=True), paid_on=D(2026, 2, 1), method="bank"
    )

    student = award.student
    student.lao_province = province("LA-SV")
    student.save()
    assert_kept_as_rebuilt()
    assert {row["key"] for row in budget_execution(year=2025)["by_province"]} == {"LA-SV", "LA-KH"}

    enrollment = Enrollment.objects.get(pk=award.enrollment_id)
    enrollment.level, enrollment.institution = Enrollment.Level.COLLEGE, institution("CĐ Y tế Hà Tĩnh")
    enrollment.save()
    assert_kept_as_rebuilt()
    by_level = {row["key"]: row["awarded"] for row in budget_execution(year=2025)["by_level"]}
    assert by_level[Enrollment.Level.COLLEGE] == award.payments.filter(month__year=2025).aggregate(t=Sum("amount"))["t"]

    award.refresh_from_db()
    award.enrollment = EnrollmentFactory(student=other.student, level=Enrollment.Level.VOCATIONAL)
    award.student = other.student
    award.save()
    assert_kept_as_rebuilt()

    award.delete()  # its payments go with it
    assert_kept_as_rebuilt()
    Award.objects.filter(pk=other.pk).delete()
    assert_kept_as_rebuilt()
    assert not PaymentTotal.objects.exists()


@pytest.mark.django_db
def test_the_budget_reads_the_same_figures_as_the_payments_give(cast):
    for place, first in (("LA-BL", D(2025, 9, 1)), ("LA-KH", D(2026, 2, 1)), ("LA-BL", D(2024, 9, 1))):
        award = a_new_award(cast, first_month=first, lao_province=province(place))
        paid = award.payments.filter(month__lt=D(2026, 3, 1))
        payments_record(
            actor=cast.staff, payment_ids=paid.values_list("pk", flat=True), paid_on=D(2026, 3, 2), method="bank"
        )
    for year in (2024, 2025, 2026):
        execution = budget_execution(year=year)
        assert (execution["awarded"], execution["paid"]) == summed(year)
        students = Payment.objects.filter(month__year=year).values("award__student").distinct().count()
        assert student_counts(year=year)["supported"] == students
        for name, path in (
            ("by_province", "award__student__lao_province__iso_code"),
            ("by_level", "award__enrollment__level"),
        ):
            expected = {
                row[path]: row["total"]
                for row in Payment.objects.filter(month__year=year).values(path).annotate(total=Sum("amount"))
            }
            assert {row["key"]: row["awarded"] for row in execution[name] if row["awarded"]} == expected


@pytest.mark.django_db
def test_recording_many_payments_sums_each_month_once(cast):
    def queries_to_record(count: int, paid_on: D) -> int:
        award = a_new_award(cast, months=count)
        ids = list(award.payments.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as captured:
            payments_record(actor=cast.staff, payment_ids=ids, paid_on=paid_on, method="bank")
        return sum('"scholarships_paymenttotal"' in query["sql"] for query in captured)

    assert queries_to_record(2, D(2026, 1, 10)) == queries_to_record(10, D(2026, 1, 11))
    assert_kept_as_rebuilt()


@pytest.mark.django_db
def test_recording_a_payment_counts_no_year_again_and_a_new_schedule_does(cast):
    """Paying a payment moves no schedule: the students supported each year are not counted again."""

    def year_queries(write) -> int:
        with CaptureQueriesContext(connection) as captured:
            write()
        return sum('"scholarships_paymentyear"' in query["sql"] for query in captured)

    award = a_new_award(cast)
    ids = list(award.payments.values_list("pk", flat=True))
    assert (
        year_queries(lambda: payments_record(actor=cast.staff, payment_ids=ids, paid_on=D(2026, 1, 5), method="bank"))
        == 0
    )
    assert year_queries(lambda: a_new_award(cast, first_month=D(2026, 9, 1))) > 0
    assert_kept_as_rebuilt()


@pytest.mark.django_db
def test_the_migration_and_the_command_sum_the_payments_already_there(cast):
    a_new_award(cast)
    a_new_award(cast, first_month=D(2026, 2, 1))
    payments_record(
        actor=cast.staff,
        payment_ids=Payment.objects.values_list("pk", flat=True)[:5],
        paid_on=D(2026, 3, 1),
        method="cash",
    )
    expected = kept()
    assert expected

    PaymentTotal.objects.all().delete()
    PaymentYear.objects.all().delete()
    importlib.import_module("scholarships.migrations.0007_payment_totals").sum_the_payments_already_there(apps, None)
    migration = importlib.import_module("scholarships.migrations.0008_kept_supported_and_graduated")
    migration.work_out_what_is_already_there(apps, None)
    assert kept() == expected

    PaymentTotal.objects.update(amount=1)  # written by other means
    out = io.StringIO()
    call_command("rebuild_payment_totals", stdout=out)
    assert kept() == expected
    assert f"{PaymentTotal.objects.count()} payment totals rebuilt" in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL's concurrent transactions to race two recordings; this run uses {connection.vendor}",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_recording_the_same_month_at_once_leave_its_totals_right(cast):
    """Each recording works the month out again under the totals' lock: the second waits for the first to
    commit and sums both, so neither clerk's payments are missing from the month's totals."""
    awards = [a_new_award(cast, first_month=D(2026, 1, 1), months=3) for _ in range(2)]

    def record(award):
        ids = list(award.payments.values_list("pk", flat=True))
        return lambda: payments_record(actor=cast.staff, payment_ids=ids, paid_on=D(2026, 3, 5), method="bank")

    errors = at_once([record(award) for award in awards])

    assert errors == []
    assert Payment.objects.filter(paid_on__isnull=True).count() == 0
    march = PaymentTotal.objects.filter(kind=PaymentTotal.Kind.PAID, month=D(2026, 3, 1))
    assert march.aggregate(total=Sum("amount"))["total"] == Payment.objects.aggregate(total=Sum("amount"))["total"]
    assert_kept_as_rebuilt()
    assert not PaymentTotal.objects.filter(~Q(amount__gt=0)).exists()


@pytest.mark.django_db
def test_an_import_that_moves_a_student_moves_their_totals_and_one_that_does_not_leaves_them(cast, run_import):
    from tests.scholarships.support import row, xlsx

    run_import(cast.staff, xlsx([row()]))  # Souksavanh, Bôlykhămxay, university at ĐH Hà Tĩnh
    enrollment = Enrollment.objects.get()
    award = Award(student=enrollment.student, enrollment=enrollment, academic_year=2025)
    award.first_month, award.months, award.monthly_amount = D(2025, 9, 1), 10, Decimal(2_500_000)
    award_create(actor=cast.staff, award=award)
    assert_kept_as_rebuilt()

    with CaptureQueriesContext(connection) as captured:
        run_import(cast.staff, xlsx([row(phone="0912 000 111")]))  # nothing the totals group by
    assert not [query for query in captured if "scholarships_paymenttotal" in query["sql"]]

    run_import(cast.staff, xlsx([row(lao_province="Khăm Muộn")]))
    assert_kept_as_rebuilt()
    assert set(PaymentTotal.objects.values_list("lao_province__iso_code", flat=True)) == {"LA-KH"}


@pytest.mark.django_db
def test_deleting_awards_in_the_admin_works_their_months_out_once(cast, rf):
    from django.contrib import admin

    awards = [a_new_award(cast, months=5), a_new_award(cast, months=5)]
    request = rf.post("/")
    request.user = cast.staff
    award_admin = admin.site._registry[Award]

    def refreshes(delete) -> int:
        with CaptureQueriesContext(connection) as captured:
            delete()
        return sum(query["sql"].startswith('DELETE FROM "scholarships_paymenttotal"') for query in captured)

    assert refreshes(lambda: award_admin.delete_model(request, awards[0])) == 1  # not one a payment
    assert_kept_as_rebuilt()
    assert refreshes(lambda: award_admin.delete_queryset(request, Award.objects.filter(pk=awards[1].pk))) == 1
    assert_kept_as_rebuilt()
    assert not PaymentTotal.objects.exists()
