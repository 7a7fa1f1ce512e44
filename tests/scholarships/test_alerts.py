"""expiring_documents and overdue_payments: what the alerts page and the list's badges count."""

import datetime

import pytest
from django.urls import reverse

from scholarships.models import Enrollment
from scholarships.selectors import expiring_documents, overdue_payments
from tests.scholarships.factories import AwardFactory, EnrollmentFactory, PaymentFactory, StudentFactory
from tests.scholarships.support import TODAY

days = datetime.timedelta


def studying(**student_values):
    return EnrollmentFactory(student=StudentFactory(**student_values)).student


def names(queryset) -> set[str]:
    return {student.full_name for student in queryset}


def test_documents_expiring_within_sixty_days_are_listed_and_not_beyond(clock, db):
    studying(full_name="On the last day", passport_expiry=TODAY + days(60))
    studying(full_name="A day too late", passport_expiry=TODAY + days(61))
    studying(full_name="Card runs out", residence_expiry=TODAY + days(16))
    studying(full_name="Card a day too late", residence_expiry=TODAY + days(61))
    studying(full_name="Already expired", passport_expiry=TODAY - days(30))
    studying(full_name="No dates", passport_expiry=None, residence_expiry=None)

    assert names(expiring_documents()) == {"On the last day", "Card runs out", "Already expired"}


def test_the_window_follows_the_setting(clock, db, settings):
    settings.SCHOLARSHIP_EXPIRY_ALERT_DAYS = 30
    studying(full_name="In a month", passport_expiry=TODAY + days(30))
    studying(full_name="In two months", passport_expiry=TODAY + days(45))

    assert names(expiring_documents()) == {"In a month"}


def test_only_students_still_studying_are_alerted(clock, db):
    graduate = StudentFactory(full_name="Graduated", passport_expiry=TODAY + days(10))
    EnrollmentFactory(student=graduate, status=Enrollment.Status.GRADUATED, ended_on=datetime.date(2025, 6, 30))
    StudentFactory(full_name="Never enrolled", passport_expiry=TODAY + days(10))
    studying(full_name="Studying", passport_expiry=TODAY + days(10))

    assert names(expiring_documents()) == {"Studying"}


def test_a_student_with_two_enrollments_is_listed_once(clock, db):
    student = studying(passport_expiry=TODAY + days(10), residence_expiry=TODAY + days(20))
    EnrollmentFactory(student=student, level=Enrollment.Level.LANGUAGE, start_date=datetime.date(2024, 9, 5))

    assert list(expiring_documents()) == [student]


def test_soonest_expiry_first(clock, db):
    later = studying(passport_expiry=TODAY + days(50))
    sooner = studying(passport_expiry=TODAY + days(5))

    assert list(expiring_documents()) == [sooner, later]


def test_the_document_that_runs_out_first_sets_the_order_whichever_it_is(clock, db):
    passport_later = studying(passport_expiry=TODAY + days(40), residence_expiry=None)
    card_sooner = studying(passport_expiry=TODAY + days(300), residence_expiry=TODAY + days(10))
    passport_soonest = studying(passport_expiry=TODAY + days(3), residence_expiry=TODAY + days(45))

    assert list(expiring_documents()) == [passport_soonest, card_sooner, passport_later]


def test_an_explicit_day_replaces_the_clock(db):
    studying(full_name="Expires mid-April", passport_expiry=datetime.date(2026, 4, 15))

    assert names(expiring_documents(today=datetime.date(2026, 2, 14))) == {"Expires mid-April"}
    assert names(expiring_documents(today=datetime.date(2026, 2, 13))) == set()


@pytest.fixture
def months_of_2025_2026(db):
    award = AwardFactory()

    def payment(month, paid_on=None):
        return PaymentFactory(award=award, month=month, paid_on=paid_on, method="bank" if paid_on else "")

    return {
        "december_unpaid": payment(datetime.date(2025, 12, 1)),
        "january_paid": payment(datetime.date(2026, 1, 1), paid_on=datetime.date(2026, 1, 9)),
        "february_unpaid": payment(datetime.date(2026, 2, 1)),
        "march_unpaid": payment(datetime.date(2026, 3, 1)),
        "april_unpaid": payment(datetime.date(2026, 4, 1)),
    }


def test_unpaid_payments_of_months_before_this_one_are_overdue(clock, months_of_2025_2026):
    assert set(overdue_payments()) == {months_of_2025_2026["december_unpaid"], months_of_2025_2026["february_unpaid"]}


def test_this_month_s_payment_is_not_overdue_until_the_month_is_over(clock, months_of_2025_2026):
    clock.move_to(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    assert months_of_2025_2026["march_unpaid"] not in overdue_payments()

    clock.move_to(datetime.datetime(2026, 4, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    assert months_of_2025_2026["march_unpaid"] in overdue_payments()
    assert months_of_2025_2026["april_unpaid"] not in overdue_payments()


def test_the_alerts_page_lists_both_kinds(cast, login, clock, months_of_2025_2026):
    studying(full_name="Card runs out", residence_expiry=TODAY + days(16))

    response = login(cast.province).get(reverse("scholarships:alerts"))

    assert response.status_code == 200
    assert names(response.context["expiring"]) == {"Card runs out"}
    assert [p.month for p in response.context["overdue"]] == [datetime.date(2025, 12, 1), datetime.date(2026, 2, 1)]
    assert (response.context["overdue"].paginator.count, response.context["days"]) == (2, 60)


def test_each_list_of_the_alerts_page_shows_ten_rows_at_a_time(cast, login, clock, db):
    for number in range(12):
        studying(full_name=f"Sinh viên {number:02d}", passport_expiry=TODAY + days(10 + number))
    client = login(cast.staff)

    first = client.get(reverse("scholarships:alerts"))
    second = client.get(reverse("scholarships:alerts"), {"expiring_page": 2})

    assert first.context["expiring"].paginator.per_page == 10
    assert [len(first.context["expiring"]), len(second.context["expiring"])] == [10, 2]
    assert names(first.context["expiring"]) | names(second.context["expiring"]) == {
        f"Sinh viên {number:02d}" for number in range(12)
    }
