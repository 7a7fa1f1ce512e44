"""Fixtures for the report tests: the stopped clock's day, requesting a report the way a page does
(queued once its row commits), and a spy on what is handed to the broker. The clock itself and
report files on tmp_path: tests/conftest.py."""

import datetime
import uuid

import pytest
from django.db import connection

from friendship_portal.core.reports import report_request
from friendship_portal.core.tasks import job_run_task

# The clock of the tests that need one: a Monday in June 2026, halfway through the year.
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def clock_day():
    return TODAY


@pytest.fixture
def request_report(django_capture_on_commit_callbacks):
    """Request a report as `actor` and commit, so it is queued (and, tasks being eager, built).

    Returns the job as it stands afterwards.
    """

    def request(kind: str, params: dict, actor):
        with django_capture_on_commit_callbacks(execute=True):
            job = report_request(kind=kind, params=params, actor=actor)
        job.refresh_from_db()
        return job

    return request


@pytest.fixture
def sent(monkeypatch):
    """The job ids handed to the broker, in order; the tasks still run (eagerly) as usual."""
    job_ids = []
    hand_over = job_run_task.apply_async

    def apply_async(*args, **kwargs):
        job_ids.append(kwargs["kwargs"]["job_id"])
        return hand_over(*args, **kwargs)

    monkeypatch.setattr(job_run_task, "apply_async", apply_async)
    return job_ids


@pytest.fixture
def workers(transactional_db, settings, media_root, tmp_path):
    """`workers(pool="solo", environ={})` starts a real worker on a queue of this test's own, reading
    this test's database and media folder, and waits until it answers; all are stopped at the end."""
    from friendship_portal.celery import app
    from tests.reports.workers import point_app_at, queue_delete, worker_start

    assert connection.vendor == "postgresql"
    # Fresh connections to the configured broker: an earlier test of this process may have left the
    # app's pool closed or pointed elsewhere.
    point_app_at(app.conf.broker_url)
    queue = f"e2e-reports-{uuid.uuid4().hex[:12]}"
    settings.JOBS_TASK_QUEUE = queue  # read at call time by friendship_portal.core.jobs.job_queue
    started = []

    def start(**options):
        worker = worker_start(
            queue=queue, media_root=media_root, log=tmp_path / f"worker-{len(started) + 1}.log", **options
        )
        started.append(worker)
        worker.wait_until_ready()
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
            print(f"--- worker log ({worker.hostname}) ---\n{worker.log_text()}")  # shown when the test fails
        queue_delete(queue)


@pytest.fixture
def worker(workers):
    """One real worker (solo pool) on the test's own queue."""
    return workers()
