"""The student list and the budget page run as many queries for 30 students as for 3."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scholarships.models import Enrollment, Payment
from tests.scholarships.factories import (
    AwardFactory,
    EnrollmentFactory,
    PaymentFactory,
    StudentFactory,
    YearlyBudgetFactory,
    institution,
    province,
)
from tests.scholarships.support import TODAY

PROVINCES = ["LA-BL", "LA-KH", "LA-SV", "LA-VT"]
INSTITUTIONS = ["ĐH Hà Tĩnh", "CĐ Y tế Hà Tĩnh", "CĐ Việt – Đức"]


def add_students(count: int, start: int = 0):
    """Students from several provinces, each with a finished language year, a current course, an
    award and three payments (one paid, one overdue, one due this month)."""
    for number in range(start, start + count):
        student = StudentFactory(
            lao_province=province(PROVINCES[number % len(PROVINCES)]),
            passport_expiry=TODAY + datetime.timedelta(days=number * 5),
        )
        EnrollmentFactory(
            student=student,
            level=Enrollment.Level.LANGUAGE,
            start_date=datetime.date(2024, 9, 5),
            expected_end=datetime.date(2025, 6, 30),
            status=Enrollment.Status.GRADUATED,
            ended_on=datetime.date(2025, 6, 30),
        )
        course = EnrollmentFactory(
            student=student,
            institution=institution(INSTITUTIONS[number % len(INSTITUTIONS)]),
            level=[Enrollment.Level.UNIVERSITY, Enrollment.Level.COLLEGE, Enrollment.Level.VOCATIONAL][number % 3],
        )
        award = AwardFactory(enrollment=course, student=student)
        PaymentFactory(award=award, month=datetime.date(2026, 1, 1), paid_on=datetime.date(2026, 1, 9), method="bank")
        PaymentFactory(award=award, month=datetime.date(2026, 2, 1))
        PaymentFactory(award=award, month=datetime.date(2026, 3, 1), kind=Payment.Kind.EQUIPMENT)


def queries_for(client, url) -> int:
    client.get(url)  # warm up: the session and the user's groups
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# Today's counts, with a little room: session, user and groups (3) and the menu's permissions and
# notifications (3) on every page; the budget page asks 11 aggregates of its own; the payments page
# reads its page's ids, then their rows.
BOUNDS = {
    "scholarships:student_list": 14,
    "scholarships:budget": 19,
    "scholarships:alerts": 11,
    "scholarships:payments": 10,
}


@pytest.mark.parametrize("url_name", list(BOUNDS))
@pytest.mark.parametrize("role", ["staff", "province"])
def test_queries_do_not_grow_with_the_students(cast, login, clock, url_name, role):
    client = login(getattr(cast, role))
    url = reverse(url_name)
    YearlyBudgetFactory(year=2026)
    add_students(3)
    few = queries_for(client, url)

    add_students(27, start=3)
    many = queries_for(client, url)

    assert many == few
    assert few <= BOUNDS[url_name]


def test_student_list_filtered_and_searched_stays_flat(cast, login, clock):
    client = login(cast.staff)
    url = reverse("scholarships:student_list") + "?status=studying&supported_in=2026&year=2026&q=P"
    add_students(3)
    few = queries_for(client, url)

    add_students(27, start=3)
    many = queries_for(client, url)

    assert many == few


def test_student_detail_stays_flat_with_more_payments(cast, login, clock):
    client = login(cast.staff)
    add_students(1)
    enrollment = Enrollment.objects.get(status=Enrollment.Status.STUDYING)
    url = reverse("scholarships:student_detail", args=[enrollment.student_id])
    few = queries_for(client, url)

    award = AwardFactory(enrollment=enrollment, student=enrollment.student, academic_year=2026)
    for month in range(1, 13):
        PaymentFactory(award=award, month=datetime.date(2027, month, 1))
    many = queries_for(client, url)

    assert many == few
