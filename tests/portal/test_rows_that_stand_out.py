"""Lists: a row that calls for action stands out with its reason (`RecordPages.needs_attention`): a
student still studying whose residence card or passport has run out, an aid project late with a
progress report it owes. The page's query count does not grow with the rows (one EXISTS in the
list's query for the aid)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aid_projects.models import AidProject
from scholarships.models import Enrollment
from tests.aid_projects.factories import AidProjectFactory, ProgressReportFactory
from tests.scholarships.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.django_db


def flagged(html: str) -> list[tuple[str, str]]:
    """(reason, row text) of each row marked for attention."""
    return [
        (reason, " ".join(re.sub(r"<[^>]+>", " ", row).split()))
        for reason, row in re.findall(r'<tr class="table-danger" data-attention="([^"]+)"[^>]*>(.*?)</tr>', html, re.S)
    ]


def studying(name: str, **documents):
    student = StudentFactory(full_name=name, **documents)
    EnrollmentFactory(student=student, status=Enrollment.Status.STUDYING)
    return student


def test_a_student_whose_documents_ran_out_stands_out(login, cast):
    today = timezone.localdate()
    later, earlier = today + datetime.timedelta(days=200), today - datetime.timedelta(days=3)
    studying("Keo Manivong", residence_expiry=earlier, passport_expiry=later)
    studying("Bounmy Sisouk", residence_expiry=later, passport_expiry=earlier)
    studying("Phonsavan Inthavong", residence_expiry=later, passport_expiry=later)
    graduated = StudentFactory(full_name="Vilayphone Keo", residence_expiry=earlier, passport_expiry=earlier)
    EnrollmentFactory(student=graduated, status=Enrollment.Status.GRADUATED)

    page = login(cast.staff).get(reverse("scholarships:student_list")).content.decode()

    reasons = dict(flagged(page))
    assert set(reasons) == {"Thẻ tạm trú đã hết hạn", "Hộ chiếu đã hết hạn"}
    assert "Keo Manivong" in reasons["Thẻ tạm trú đã hết hạn"]
    assert "Bounmy Sisouk" in reasons["Hộ chiếu đã hết hạn"]


def test_an_aid_project_late_with_a_report_stands_out(login, cast):
    today = timezone.localdate()
    late = ProgressReportFactory(due_on=today - datetime.timedelta(days=9), submitted_on=None)
    late.project.title = "Dự án nước sạch xã Mai Hoa"
    late.project.save(update_fields=["title"])
    received = ProgressReportFactory(due_on=today - datetime.timedelta(days=9), submitted_on=today)
    ProgressReportFactory(due_on=today + datetime.timedelta(days=9), submitted_on=None)
    settled = ProgressReportFactory(due_on=today - datetime.timedelta(days=9), submitted_on=None)
    AidProject.objects.filter(pk=settled.project_id).update(status=AidProject.Status.SETTLED)
    AidProjectFactory()

    client = login(cast.staff)
    url = reverse("aid_projects:project_list")
    page = client.get(url).content.decode()

    assert [(reason, "Dự án nước sạch xã Mai Hoa" in row) for reason, row in flagged(page)] == [
        ("Quá hạn báo cáo tiến độ", True)
    ]
    assert not [row for _reason, row in flagged(page) if received.project.title in row]
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ProgressReportFactory.create_batch(3, due_on=today - datetime.timedelta(days=1), submitted_on=None)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(flagged(page)) == 4
    assert len(more) == len(few)
