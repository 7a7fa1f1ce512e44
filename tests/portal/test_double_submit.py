"""A form that makes something is taken into account once per form sent: a double click or a resend
of the same form makes nothing twice, and says so."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from aid_projects.models import AidProject, Disbursement
from friendship_portal.core.models import FormSubmission, Job
from scholarships.imports import STUDENT_IMPORT
from tests.aid_projects.factories import project_in
from tests.scholarships.support import people, upload, xlsx


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def token_of(response) -> str:
    found = re.search(r'name="submission" value="([0-9a-f]{32})"', response.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def running(cast):
    return project_in(AidProject.Status.IMPLEMENTING)


def test_a_disbursement_sent_twice_is_recorded_once(cast, login, running):
    client = login(cast.staff)
    url = reverse("aid_projects:disbursement_create", args=[running.pk])
    form = {
        "submission": token_of(client.get(url)),
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "amount": "20.000",
        "currency": running.currency,
        "exchange_rate": "25.400",
        "form": Disbursement.Form.CASH,
        "note": "Đợt 1",
    }

    first = client.post(url, form)
    second = client.post(url, form, follow=True)

    assert first.status_code == 302
    assert Disbursement.objects.filter(project=running).count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert any("once" in message or "một lần" in message for message in said(second))


def test_a_form_sent_back_with_errors_keeps_its_token_usable(cast, login, running):
    client = login(cast.staff)
    url = reverse("aid_projects:disbursement_create", args=[running.pk])
    token = token_of(client.get(url))
    form = {"submission": token, "date": "", "amount": "20.000", "currency": "VND", "exchange_rate": "1"}
    form["form"] = Disbursement.Form.CASH

    assert client.post(url, form).status_code == 200  # the date is missing: the form comes back
    assert not FormSubmission.objects.filter(token=token).exists()
    form["date"] = timezone.localdate().strftime("%d/%m/%Y")
    assert client.post(url, form).status_code == 302
    assert Disbursement.objects.filter(project=running).count() == 1


def test_a_report_requested_twice_is_prepared_once(cast, login):
    client = login(cast.staff)
    url = reverse("reports")
    form = {
        "submission": token_of(client.get(url)),
        "kind": "portal.budget_summary",
        "year": timezone.localdate().year,
    }

    client.post(url, form)
    client.post(url, form)

    assert Job.objects.filter(family=Job.Family.REPORT).count() == 1


def test_an_import_sent_twice_is_started_once(cast, login):
    client = login(cast.staff)
    url = reverse("scholarships:import")
    token = token_of(client.get(url))
    content = xlsx(people(2))

    for _attempt in range(2):
        client.post(url, {"submission": token, "file": upload(content)})

    assert Job.objects.filter(family=Job.Family.IMPORT, kind=STUDENT_IMPORT.kind).count() == 1
