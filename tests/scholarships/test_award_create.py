"""award_create: the award and its payment schedule, one row per month plus the one-off items."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from scholarships.models import Award, Payment
from scholarships.services import award_create
from tests.scholarships.factories import EnrollmentFactory, StudentFactory

D = Decimal


def unsaved_award(enrollment, **values) -> Award:
    defaults = {
        "student": enrollment.student,
        "enrollment": enrollment,
        "academic_year": 2025,
        "first_month": datetime.date(2025, 9, 17),
        "months": 10,
    }
    return Award(**{**defaults, **values})


def schedule(award) -> list[tuple]:
    return [(p.kind, p.month, p.amount) for p in award.payments.order_by("month", "kind")]


@pytest.fixture
def enrollment(db):
    return EnrollmentFactory(student__is_official=False)


def test_one_allowance_a_month_from_the_first_of_the_first_month(cast, enrollment):
    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, monthly_amount=D(2_500_000)))

    assert award.first_month == datetime.date(2025, 9, 1)
    allowances = award.payments.filter(kind=Payment.Kind.ALLOWANCE).order_by("month")
    assert [p.month for p in allowances] == [
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 5, 1),
        datetime.date(2026, 6, 1),
    ]
    assert {p.amount for p in allowances} == {D(2_500_000)}
    assert not award.payments.filter(paid_on__isnull=False).exists()


def test_equipment_and_insurance_are_one_offs_in_the_first_month(cast, enrollment):
    award = award_create(
        actor=cast.staff,
        award=unsaved_award(
            enrollment,
            months=2,
            equipment_support=D(1_000_000),
            health_insurance=D(884_520),
            first_month=datetime.date(2025, 11, 30),
        ),
    )

    assert schedule(award) == [
        (Payment.Kind.ALLOWANCE, datetime.date(2025, 11, 1), D(2_500_000)),
        (Payment.Kind.EQUIPMENT, datetime.date(2025, 11, 1), D(1_000_000)),
        (Payment.Kind.INSURANCE, datetime.date(2025, 11, 1), D(884_520)),
        (Payment.Kind.ALLOWANCE, datetime.date(2025, 12, 1), D(2_500_000)),
    ]
    assert sum(p.amount for p in award.payments.all()) == award.total == D(6_884_520)


def test_no_one_off_rows_when_there_is_no_equipment_or_insurance(cast, enrollment):
    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, months=3))

    assert set(award.payments.values_list("kind", flat=True)) == {Payment.Kind.ALLOWANCE}
    assert award.payments.count() == 3


def test_schedule_runs_across_the_new_year(cast, enrollment):
    award = award_create(
        actor=cast.staff, award=unsaved_award(enrollment, months=3, first_month=datetime.date(2025, 11, 1))
    )

    assert [p.month for p in award.payments.order_by("month")] == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
    ]


def test_monthly_amount_defaults_to_the_provincial_allowance(cast, enrollment):
    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, months=1))

    award.refresh_from_db()
    assert award.monthly_amount == D(2_500_000)
    assert schedule(award) == [(Payment.Kind.ALLOWANCE, datetime.date(2025, 9, 1), D(2_500_000))]


def test_officials_get_the_higher_allowance(cast):
    enrollment = EnrollmentFactory(student=StudentFactory(is_official=True), level="short_course")

    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, months=2))

    assert award.monthly_amount == D(3_000_000)
    assert {p.amount for p in award.payments.all()} == {D(3_000_000)}


def test_default_allowance_follows_the_setting(cast, enrollment, settings):
    settings.SCHOLARSHIP_MONTHLY_ALLOWANCE = {"student": 2_800_000, "official": 3_300_000}

    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, months=1))

    assert award.monthly_amount == D(2_800_000)


def test_an_amount_given_is_kept(cast, enrollment):
    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, months=2, monthly_amount=D(3_630_000)))

    assert {p.amount for p in award.payments.all()} == {D(3_630_000)}


def test_enrollment_of_another_student_is_refused_and_nothing_is_scheduled(cast, enrollment):
    someone_else = StudentFactory()

    with pytest.raises(ValidationError) as caught:
        award_create(actor=cast.staff, award=unsaved_award(enrollment, student=someone_else))

    assert "enrollment" in caught.value.message_dict
    assert not Award.objects.exists()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", ["province", "laos_leader", "admin", "outsider"])
def test_only_union_staff_grant_awards(cast, enrollment, role):
    with pytest.raises(PermissionDenied):
        award_create(actor=getattr(cast, role), award=unsaved_award(enrollment))

    assert not Award.objects.exists()
    assert not Payment.objects.exists()


def test_schedule_is_in_the_history_under_the_author(cast, enrollment):
    award = award_create(actor=cast.staff, award=unsaved_award(enrollment, months=2, equipment_support=D(1_000_000)))

    histories = Payment.history.filter(award_id=award.pk)
    assert histories.count() == 3
    assert {h.history_user for h in histories} == {cast.staff}
