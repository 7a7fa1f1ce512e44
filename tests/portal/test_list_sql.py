"""The lists find a record through its related rows (a delegation's members, a project's donors, a
student's enrollments and payments) with a semi-join: each record once, and no DISTINCT, which would
sort the whole table before the page is cut; and the student list reads each student's current
enrollment through one join, not a subquery a row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.aid_projects import factories as aid
from tests.delegations import factories as trips
from tests.scholarships import factories as scholarships

pytestmark = pytest.mark.django_db


def listed(client, url: str, params: dict) -> tuple[list, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["page"].object_list), [query["sql"] for query in captured]


def test_a_delegation_found_by_two_of_its_members_is_listed_once(login, cast):
    trip = trips.DelegationFactory(association=cast.laos, members=0)
    trips.DelegationMemberFactory(delegation=trip, full_name="Nguyễn Văn Hùng")
    trips.DelegationMemberFactory(delegation=trip, full_name="Nguyễn Thị Hương")
    records, sql = listed(login(cast.staff), reverse("delegations:outbound_list"), {"q": "Nguyễn"})
    assert records == [trip]
    assert not any("DISTINCT" in query for query in sql)


def test_a_project_found_by_two_of_its_donors_is_listed_once(login, cast):
    project = aid.AidProjectFactory(
        donors=[aid.DonorFactory(name="Good Neighbors International"), aid.DonorFactory(name="Good Shepherd")]
    )
    records, sql = listed(login(cast.staff), reverse("aid_projects:project_list"), {"q": "Good"})
    assert records == [project]
    assert not any("DISTINCT" in query for query in sql)


def test_a_student_paid_in_many_months_is_listed_once_with_the_current_enrollment(login, cast):
    enrollment = scholarships.EnrollmentFactory(level="language", start_date=datetime.date(2024, 9, 5))
    later = scholarships.EnrollmentFactory(
        student=enrollment.student, level="university", start_date=datetime.date(2025, 9, 5)
    )
    award = scholarships.AwardFactory(enrollment=later)
    for month in (2, 3, 4):
        scholarships.PaymentFactory(award=award, month=datetime.date(2026, month, 1))
    client = login(cast.staff)
    records, sql = listed(
        client, reverse("scholarships:student_list"), {"supported_in": 2026, "level": "language", "q": "a"}
    )
    assert records == [enrollment.student]
    assert records[0].current_level == "university"  # the latest enrollment, read with the row
    assert not any("DISTINCT" in query for query in sql)
    list_query = next(query for query in sql if "current_enrollment" in query and "LIMIT" in query)
    assert list_query.count("SELECT") == 1 + list_query.count("IN (SELECT")  # no subquery a row
