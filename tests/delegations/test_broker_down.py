"""A workflow step taken while the broker is down answers normally: the step, its notices and its mails
are saved, and the work the broker should have carried waits to be picked up."""

import pytest
from django.urls import reverse

from delegations.models import Delegation
from friendship_portal.celery import app
from friendship_portal.core.jobs import jobs_sweep
from friendship_portal.core.models import Job, OutboxMail
from friendship_portal.core.notifications import outbox_send
from tests.delegations.support import TODAY

pytestmark = pytest.mark.usefixtures("clock")

S = Delegation.Status


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Tasks go through a broker (not in-process), and the broker refuses every connection."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to redis: Connection refused.")

    monkeypatch.setattr("celery.app.task.Task.apply_async", refused)
    return refused


def test_approving_while_the_broker_is_down_saves_the_step_and_tells_later(
    cast, login, delegation_factory, broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    delegation = delegation_factory(association=cast.laos, status=S.ENDORSED)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.province).post(
            reverse("delegations:approve", args=[delegation.pk]),
            {"decision_number": "125/QĐ-UBND", "decision_date": TODAY.strftime("%d/%m/%Y")},
        )

    assert response.status_code == 302  # the approval is not reported as failed
    delegation.refresh_from_db()
    assert delegation.status == S.APPROVED
    assert mailoutbox == []
    assert OutboxMail.objects.filter(to=cast.staff.email, sent_at__isnull=True).exists()
    # When the broker is back, the outbox task sends what waited.
    assert outbox_send() >= 1
    assert cast.staff.email in [message.to[0] for message in mailoutbox]


def test_coming_home_while_the_broker_is_down_queues_the_draft_report_for_the_sweep(
    cast, delegation_factory, broker_down, django_capture_on_commit_callbacks, settings
):
    from delegations.services import delegations_follow_dates

    delegation = delegation_factory(
        association=cast.laos, status=S.ABROAD, start_date=TODAY.replace(day=1), end_date=TODAY.replace(day=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        delegations_follow_dates(today=TODAY)

    delegation.refresh_from_db()
    assert delegation.status == S.RETURNED
    job = Job.objects.get(family=Job.Family.REPORT)
    assert job.state == Job.State.QUEUED  # waiting for the broker, not lost
    settings.JOBS_REQUEUE_AFTER_SECONDS = -1
    assert jobs_sweep() == [job.pk]  # the sweep hands it over again (the broker is still down: it stays queued)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
