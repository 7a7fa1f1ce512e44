"""Factories for Lao students, their enrollments, awards and payments.

A student comes from Bôlykhămxay, was born in 2004 and holds a passport valid until 2029; an
enrollment is a university course at Hà Tĩnh University (loaded by the migration) from September
2025, still studying; an award is the 2025–2026 year at the provincial allowance, without its
payment schedule: tests that need the schedule call `services.award_create`, tests of the figures
write each payment with `PaymentFactory` so every amount is in sight.
"""

import datetime
from decimal import Decimal

import factory

from associations.models import LaoProvince
from scholarships.models import Award, Enrollment, Institution, Payment, Student, YearlyBudget

LAO_NAMES = [
    "Souksavanh Keobounphanh",
    "Vilayvanh Phommachanh",
    "Khamla Sisavath",
    "Chanthaly Inthavong",
    "Bounmy Douangdy",
    "Manivanh Sayavong",
    "Thongsavanh Vongsa",
    "Souphaphone Chanthavong",
    "Phonesavanh Xaysana",
    "Noy Manivong",
]


def province(iso_code: str) -> LaoProvince:
    """One of the 18 Lao provinces loaded by the migration: "LA-BL" is Bôlykhămxay."""
    return LaoProvince.objects.get(iso_code=iso_code)


def institution(short_name: str) -> Institution:
    """One of the three host institutions loaded by the migration ("ĐH Hà Tĩnh", "CĐ Y tế Hà Tĩnh")."""
    return Institution.objects.get(short_name=short_name)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Trường Trung cấp nghề số {n} Hà Tĩnh")
    short_name = factory.Sequence(lambda n: f"TC nghề {n}")
    address = "Phường Thành Sen, tỉnh Hà Tĩnh"


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    full_name = factory.Sequence(lambda n: f"{LAO_NAMES[n % len(LAO_NAMES)]} {n}")
    gender = Student.Gender.FEMALE
    date_of_birth = datetime.date(2004, 3, 12)
    lao_province = factory.LazyFunction(lambda: province("LA-BL"))
    passport_number = factory.Sequence(lambda n: f"P{n:07d}")
    passport_expiry = datetime.date(2029, 6, 30)
    residence_expiry = datetime.date(2029, 8, 31)
    sending_body = "Sở Giáo dục và Thể thao tỉnh Bôlykhămxay"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    institution = factory.LazyFunction(lambda: institution("ĐH Hà Tĩnh"))
    level = Enrollment.Level.UNIVERSITY
    major = "Điều dưỡng"
    start_date = datetime.date(2025, 9, 5)
    expected_end = datetime.date(2029, 6, 30)
    status = Enrollment.Status.STUDYING


class AwardFactory(factory.django.DjangoModelFactory):
    """An award without its payments (see the module's note)."""

    class Meta:
        model = Award

    enrollment = factory.SubFactory(EnrollmentFactory)
    student = factory.SelfAttribute("enrollment.student")
    academic_year = 2025
    first_month = datetime.date(2025, 9, 1)
    months = 10
    monthly_amount = Decimal(2_500_000)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    award = factory.SubFactory(AwardFactory)
    kind = Payment.Kind.ALLOWANCE
    month = datetime.date(2025, 9, 1)
    amount = Decimal(2_500_000)


class YearlyBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyBudget
        django_get_or_create = ("year",)

    year = 2025
    planned_amount = Decimal(6_500_000_000)
    decision = "Quyết định số 3368/QĐ-UBND"
