"""A job whose worker dies, or that runs past its time limit, is never left "running": the sweep runs
it again a bounded number of times, a soft time limit fails it with a clear message, and a job stuck
as running can be tried again from its page."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone
from lxml import html

from friendship_portal.core import jobs
from friendship_portal.core.imports import import_start
from friendship_portal.core.jobs import job_run, jobs_sweep
from friendship_portal.core.models import Job
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Student
from tests.scholarships.support import people, upload, xlsx

State = Job.State


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queued_import(cast, django_capture_on_commit_callbacks):
    """An import saved and left queued (its task was never delivered)."""
    with django_capture_on_commit_callbacks(execute=False):
        return import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(2))), actor=cast.staff)


def left_running(job, *, minutes_ago: int, attempts: int = 1):
    """The job as a worker killed mid-way leaves it."""
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=started, attempts=attempts)
    job.refresh_from_db()
    return job


def test_a_job_whose_worker_died_runs_again_within_ten_minutes(cast, queued_import, settings):
    job = left_running(queued_import, minutes_ago=6)
    assert settings.JOBS_STALE_AFTER_SECONDS <= 5 * 60  # with the sweep every 5 minutes: found within 10

    assert jobs_sweep() == [job.pk]

    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == (State.DONE, 2, 2)
    assert Student.objects.count() == 2  # built once


def test_a_job_still_within_its_limit_is_left_to_its_worker(queued_import):
    job = left_running(queued_import, minutes_ago=2)

    assert jobs_sweep() == []
    job.refresh_from_db()
    assert job.state == State.RUNNING


def test_a_job_that_lost_its_worker_every_time_fails_instead_of_looping(queued_import, settings):
    job = left_running(queued_import, minutes_ago=30, attempts=settings.JOBS_MAX_ATTEMPTS)

    assert jobs_sweep() == []

    job.refresh_from_db()
    assert job.state == State.FAILED
    assert str(settings.JOBS_MAX_ATTEMPTS) in job.error
    assert not Student.objects.exists()


def test_a_job_past_its_soft_time_limit_fails_with_a_message(queued_import, monkeypatch):
    def too_long(job, progress):
        raise SoftTimeLimitExceeded()

    monkeypatch.setitem(jobs.FAMILIES, Job.Family.IMPORT, too_long)

    job = job_run(job_id=queued_import.pk)

    assert job.state == State.FAILED
    assert "4" in job.error  # "longer than 4 minutes", in the portal's language


def test_a_stuck_job_can_be_tried_again_from_its_page(cast, login, queued_import, django_capture_on_commit_callbacks):
    job = left_running(queued_import, minutes_ago=30)
    assert job.is_stuck
    client = login(cast.staff)
    page = html.fromstring(client.get(reverse("import_job", args=[job.pk])).content)
    assert page.xpath('//div[@data-testid="job-stuck"]//button[@data-testid="import-retry-stuck"]')

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.created_count) == (State.DONE, 2)


def test_the_celery_settings_that_keep_work_from_being_lost(settings):
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    # The hard limit ends every task before the broker would hand it to another worker.
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert settings.JOBS_STALE_AFTER_SECONDS >= settings.CELERY_TASK_TIME_LIMIT
