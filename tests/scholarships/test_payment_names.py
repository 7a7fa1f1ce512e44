"""Each payment keeps its student's name (`Payment.student_name`), by which a month's payments are listed
from one index: after every way of writing payments, students and awards, every payment's name is its
award's student's, and the month's page lists the payments by date paid, then by that name."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from scholarships.models import Award, Payment, Student
from scholarships.selectors import payment_ids_of_month
from scholarships.services import award_create
from tests.scholarships.factories import EnrollmentFactory, PaymentFactory, StudentFactory
from tests.scholarships.support import people, xlsx

D = datetime.date


def misnamed() -> list[tuple]:
    """The payments whose kept name is not their student's."""
    wrong = Payment.objects.exclude(student_name=F("award__student__full_name"))
    return list(wrong.values_list("pk", "student_name", "award__student__full_name"))


def grant(actor, student: Student, enrollment=None) -> Award:
    enrollment = enrollment or EnrollmentFactory(student=student)
    award = Award(student=student, enrollment=enrollment, academic_year=2025, first_month=D(2025, 9, 1), months=3)
    return award_create(actor=actor, award=award)


@pytest.mark.django_db
def test_every_write_keeps_the_name_of_the_student_on_the_payments(cast):
    student = StudentFactory(full_name="Bounmy Phommachanh")
    award = grant(cast.staff, student)
    assert set(award.payments.values_list("student_name", flat=True)) == {"Bounmy Phommachanh"}

    PaymentFactory(award=award, kind=Payment.Kind.EQUIPMENT, month=D(2025, 9, 1), amount=Decimal(1_000_000))
    assert misnamed() == []

    student = Student.objects.get(pk=student.pk)  # renamed through a form or the admin
    student.full_name = "Bounmy Phommachanh (sửa)"
    student.save()
    assert misnamed() == []
    assert award.payments.filter(student_name="Bounmy Phommachanh (sửa)").count() == 4

    other = StudentFactory(full_name="Keo Sisouk")  # the award given to another student
    award = Award.objects.get(pk=award.pk)
    award.student, award.enrollment = other, EnrollmentFactory(student=other)
    award.save()
    assert misnamed() == []
    assert set(award.payments.values_list("student_name", flat=True)) == {"Keo Sisouk"}

    payment = award.payments.first()  # a payment saved with only some of its fields keeps its name
    Payment.objects.filter(pk=payment.pk).update(student_name="stale")
    payment.paid_on = D(2025, 9, 10)
    payment.save(update_fields=["paid_on"])
    assert Payment.objects.get(pk=payment.pk).student_name == "stale"
    payment.save()
    assert misnamed() == []


@pytest.mark.django_db
def test_a_name_corrected_by_an_import_reaches_the_payments(cast, run_import):
    run_import(cast.staff, xlsx(people(2)))
    student = Student.objects.get(passport_number="P0000002")
    grant(cast.staff, student, student.enrollments.get())
    corrected = people(2)
    corrected[1].update(full_name="Khamla Sisavath Hai")

    run_import(cast.staff, xlsx(corrected))

    assert Student.objects.get(pk=student.pk).full_name == "Khamla Sisavath Hai"
    assert misnamed() == []
    assert Payment.objects.filter(student_name="Khamla Sisavath Hai").count() == 3


@pytest.mark.django_db
def test_the_month_lists_its_payments_by_date_paid_then_name(cast, login):
    month = D(2025, 9, 1)
    for name, paid_on in [("Vong", D(2025, 9, 5)), ("Anousone", D(2025, 9, 5)), ("Bee", D(2025, 9, 2)), ("Chan", None)]:
        grant(cast.staff, StudentFactory(full_name=name))
        Payment.objects.filter(student_name=name, month=month).update(paid_on=paid_on)

    names = [Payment.objects.get(pk=pk).student_name for pk in payment_ids_of_month(month)]
    assert names == ["Bee", "Anousone", "Vong", "Chan"]  # unpaid last

    response = login(cast.staff).get(reverse("scholarships:payments"), {"month": "2025-09"})
    assert [payment.award.student.full_name for payment in response.context["rows"]] == names


def test_the_index_of_the_months_order_carries_the_amount_for_the_months_totals():
    """The month's page reads its ids in this order, and its count and totals (selectors.month_payment_totals)
    from the same index, the amount carried beside it (PostgreSQL's INCLUDE)."""
    [index] = [index for index in Payment._meta.indexes if index.name == "payment_month_order"]
    assert index.fields[:3] == ["month", "paid_on", "student_name"]
    assert list(index.include) == ["amount"]
