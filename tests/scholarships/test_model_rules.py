"""The rules every student, enrollment, award and payment obeys, whichever way it is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scholarships.models import Award, Enrollment, Payment
from tests.scholarships.factories import AwardFactory, EnrollmentFactory, PaymentFactory, StudentFactory

S = Enrollment.Status


def enrollment_errors(**values) -> dict:
    enrollment = EnrollmentFactory.build(student=StudentFactory(), **values)
    with pytest.raises(ValidationError) as caught:
        enrollment.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
def test_expected_end_must_come_after_the_start():
    errors = enrollment_errors(start_date=datetime.date(2025, 9, 5), expected_end=datetime.date(2025, 9, 5))

    assert list(errors) == ["expected_end"]


@pytest.mark.django_db
def test_database_refuses_an_enrollment_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentFactory(start_date=datetime.date(2025, 9, 5), expected_end=datetime.date(2025, 6, 30))


@pytest.mark.django_db
def test_a_student_still_studying_has_no_end_date():
    errors = enrollment_errors(status=S.STUDYING, ended_on=datetime.date(2026, 1, 15))

    assert list(errors) == ["ended_on"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.GRADUATED, S.WITHDRAWN, S.TRANSFERRED])
def test_ended_studies_need_the_date_they_ended(status):
    errors = enrollment_errors(status=status, ended_on=None)

    assert list(errors) == ["ended_on"]


@pytest.mark.django_db
def test_studies_cannot_end_before_they_start():
    errors = enrollment_errors(status=S.WITHDRAWN, ended_on=datetime.date(2025, 8, 1))

    assert list(errors) == ["ended_on"]


@pytest.mark.django_db
def test_a_graduation_with_its_date_is_valid():
    enrollment = EnrollmentFactory.build(
        student=StudentFactory(), status=S.GRADUATED, ended_on=datetime.date(2029, 6, 20)
    )

    enrollment.full_clean()


@pytest.mark.django_db
def test_an_award_cannot_use_the_enrollment_of_another_student():
    award = AwardFactory.build(enrollment=EnrollmentFactory(), student=StudentFactory())

    with pytest.raises(ValidationError) as caught:
        award.full_clean()

    assert list(caught.value.message_dict) == ["enrollment"]


@pytest.mark.django_db
def test_one_award_per_enrollment_and_academic_year():
    award = AwardFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            student=award.student,
            enrollment=award.enrollment,
            academic_year=award.academic_year,
            first_month=datetime.date(2025, 9, 1),
            months=10,
            monthly_amount=2_500_000,
        )


@pytest.mark.django_db
def test_a_payment_is_for_the_first_day_of_its_month():
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(month=datetime.date(2025, 9, 15))


@pytest.mark.django_db
def test_one_payment_of_each_kind_a_month():
    payment = PaymentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(award=payment.award, kind=Payment.Kind.ALLOWANCE, month=payment.month)


@pytest.mark.django_db
def test_a_passport_belongs_to_one_student_but_many_may_have_none():
    StudentFactory(passport_number="P1234567")
    StudentFactory(passport_number="")
    StudentFactory(passport_number="")

    with pytest.raises(IntegrityError), transaction.atomic():
        StudentFactory(passport_number="P1234567")


@pytest.mark.django_db
def test_a_date_of_birth_is_in_the_past(clock):
    student = StudentFactory.build(lao_province=StudentFactory().lao_province, date_of_birth=datetime.date(2026, 3, 16))

    with pytest.raises(ValidationError) as caught:
        student.full_clean()

    assert list(caught.value.message_dict) == ["date_of_birth"]
