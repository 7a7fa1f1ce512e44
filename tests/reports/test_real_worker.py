"""A report built by a real Celery worker through the real broker: the request queues it after the
commit, a worker started from the code builds it into the test database, and a job the broker never
received (it was down at the click) is handed over again by the sweep (friendship_portal/core/jobs.py);
an Excel import goes through the same worker.

It needs Redis and PostgreSQL, so it runs in .ci/run's second pass (or by hand, see the skip reason).
The test starts its own worker on a queue of its own, reading this test's database (suffixed per
xdist worker), so the CI's worker, which reads another database, never takes its tasks.
"""

import datetime
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from celery.utils.nodenames import host_format
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Exchange, Queue

from friendship_portal.celery import app
from friendship_portal.core.imports import import_start
from friendship_portal.core.jobs import jobs_sweep
from friendship_portal.core.models import Job
from friendship_portal.core.reports import report_request
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Student
from tests.scholarships.support import people, upload, xlsx

State = Job.State
ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN = 30  # seconds for the worker to answer a ping
BUILT_WITHIN = 60  # seconds for a job to be built


def services_missing() -> str:
    """Why this machine cannot run the test, or "" when it can (asked before any database is set up)."""
    reason = "needs Redis and PostgreSQL: run by .ci/run's second pass"
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return f"{reason} (CELERY_BROKER_URL is not redis://)"
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return f"{reason} (DATABASE_URL is not PostgreSQL)"
    return ""


pytestmark = [
    pytest.mark.real_broker,
    # Committed for the worker to see, then flushed; the migrations' rows (associations, roles) are
    # put back first, so the tests after this one on the same xdist worker still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(bool(services_missing()), reason=services_missing() or "-"),
]


def database_url() -> str:
    """The URL of the database this test uses (pytest-django's test database, per xdist worker)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


class Worker:
    def __init__(self, process: subprocess.Popen, hostname: str, log: Path):
        self.process, self.hostname, self.log = process, hostname, log

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"

    def wait_until_ready(self) -> None:
        started = time.monotonic()
        deadline = started + READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker stopped at start (exit {self.process.returncode}):\n{self.log_text()}")
            if app.control.ping(destination=[self.hostname], timeout=1.0):
                print(f"{self.hostname} answered after {time.monotonic() - started:.1f} s")
                return
        pytest.fail(f"the worker did not answer a ping within {READY_WITHIN} s:\n{self.log_text()}")

    def stop(self) -> None:
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.terminate()  # a warm shutdown: it finishes the task in hand
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        print(f"{self.hostname} stopped after {time.monotonic() - started:.1f} s")


@pytest.fixture
def worker(transactional_db, settings, media_root, tmp_path):
    """A worker of our own on a queue of our own, reading this test's database and media folder."""
    assert connection.vendor == "postgresql"
    queue = f"e2e-reports-{uuid.uuid4().hex[:12]}"
    settings.JOBS_TASK_QUEUE = queue  # read at call time by friendship_portal.core.jobs.job_queue
    hostname = f"e2e-{uuid.uuid4().hex[:12]}@%h"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "JOBS_TASK_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "friendship_portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                queue,
                "--hostname",
                hostname,
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    started = Worker(process, host_format(hostname), log)
    try:
        started.wait_until_ready()
        yield started
    finally:
        started.stop()
        print(f"--- worker log ({started.hostname}) ---\n{started.log_text()}")  # shown when the test fails
        try:  # the queue's bindings stay in Redis until deleted through a channel that knows them
            with app.connection_for_write() as conn:
                bound = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
                bound.declare()
                bound.delete()
        except Exception as error:  # a leftover empty queue harms nothing
            print(f"could not delete the queue {queue}: {error!r}")


def built(job: Job, worker: Worker) -> Job:
    deadline = time.monotonic() + BUILT_WITHIN
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        if worker.process.poll() is not None:
            pytest.fail(f"the worker stopped (exit {worker.process.returncode}) while job {job.pk} was {job.state}")
        time.sleep(0.2)
    assert (job.state, job.error) == (State.DONE, ""), f"job {job.pk} is {job.state} after {BUILT_WITHIN} s"
    return job


def sheets_of(job: Job) -> list[str]:
    with job.file.open("rb") as stored:
        return openpyxl.load_workbook(io.BytesIO(stored.read())).sheetnames


def test_a_real_worker_builds_the_report_and_what_the_sweep_hands_over(cast, worker):
    year = timezone.localdate().year

    # A click: the row commits (no surrounding transaction here), then the task goes to the broker.
    job = report_request(kind="portal.budget_summary", params={"year": year}, actor=cast.staff)

    job = built(job, worker)
    assert (job.progress, job.attempts) == (100, 1)
    assert job.file.name == f"reports/{job.pk}/tong-hop-kinh-phi-{year}.xlsx"
    assert sheets_of(job) == ["Tổng hợp", "Học bổng", "Viện trợ", "Đoàn công tác"]

    # The broker was down at the click: the row was stored, nothing was ever queued.
    waited = datetime.timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS + 5)
    lost = Job.objects.create(
        family=Job.Family.REPORT,
        kind="portal.budget_summary",
        params={"year": year},
        title=f"Tổng hợp kinh phí {year}",
        requested_by=cast.staff,
        queued_at=timezone.now() - waited,
    )

    assert jobs_sweep() == [lost.pk]

    lost = built(lost, worker)
    assert lost.attempts == 1
    assert sheets_of(lost)[0] == "Tổng hợp"

    # An import takes the same road: the upload is stored, the worker checks and writes its rows.
    imported = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(3))), actor=cast.staff)

    imported = built(imported, worker)
    assert (imported.family, imported.attempts, imported.created_count) == (Job.Family.IMPORT, 1, 3)
    assert Student.objects.count() == 3
