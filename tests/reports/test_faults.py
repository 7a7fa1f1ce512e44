"""Faults on the way, with real workers, real Redis and real PostgreSQL; each ends with nothing lost
and nothing made twice:

- the broker stops during a report request, an import and a workflow step: each answers normally,
  the jobs wait as queued and the mail in the outbox; once the broker is back the sweep and the
  outbox task hand them over and each job is built once;
- a worker is killed (SIGKILL) in the middle of an import (its first write held by a lock the test
  takes on the student table): the import's rows and outcome commit together, so a new run, once the
  job counts as stale, writes them once;
- a request's database connection is cut just before it writes: the request fails, nothing is
  written, and the same form sent again writes it once.

They need Redis and PostgreSQL, so they run in .ci/run's second pass (or by hand, see the skip reason).
"""

import datetime
import shutil
import time
from decimal import Decimal

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aid_projects import services as aid_services
from aid_projects.models import AidProject, Disbursement
from delegations.checks import delegation_breaches
from delegations.models import Delegation
from delegations.services import delegation_submit
from friendship_portal.core.imports import import_start
from friendship_portal.core.jobs import jobs_sweep
from friendship_portal.core.models import FormSubmission, Job, OutboxMail
from friendship_portal.core.notifications import outbox_send
from friendship_portal.core.reports import report_request
from friendship_portal.core.submissions import FIELD, new_token
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Student
from tests.aid_projects.factories import project_in
from tests.delegations.factories import DelegationFactory
from tests.reports.workers import OwnRedis, built, database_url, point_app_at, services_missing, wait_for
from tests.scholarships.support import people, upload, xlsx

State = Job.State
LONG_IMPORT = 300  # rows
LONG_IMPORT_WITHIN = 240  # seconds for a worker to check and write them on a busy CI machine

pytestmark = [
    # Committed for the workers (and the second connection) to see, then flushed; the migrations'
    # rows are put back first, so the tests after these on the same xdist worker still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(bool(services_missing()), reason=services_missing() or "-"),
]


@pytest.fixture
def own_broker(settings, tmp_path):
    """A redis-server of the test's own, which this process and the workers it starts use as broker."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on the PATH to stop and start a broker of its own")
    broker = OwnRedis(tmp_path / "redis.log")
    broker.start()
    previous = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = broker.url
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CELERY_BROKER_URL", broker.url)  # for this process and the workers it starts
        point_app_at(broker.url)
        try:
            yield broker
        finally:
            broker.stop()
    point_app_at(previous)


@pytest.mark.real_broker
def test_a_broker_stopped_during_a_report_an_import_and_a_step_loses_nothing_and_builds_each_once(
    cast, own_broker, workers, settings, mailoutbox
):
    worker = workers()
    delegation = DelegationFactory(association=cast.laos)
    reasons = {breach.code: "Đã được lãnh đạo đồng ý" for breach in delegation_breaches(delegation)}

    own_broker.stop()
    year = timezone.localdate().year
    report = report_request(kind="portal.budget_summary", params={"year": year}, actor=cast.staff)
    imported = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(4))), actor=cast.staff)
    delegation_submit(delegation_id=delegation.pk, actor=cast.staff, acknowledgements=reasons)

    # Each answered normally: the jobs wait as queued, the step is saved with its mail in the outbox.
    report.refresh_from_db()
    imported.refresh_from_db()
    delegation.refresh_from_db()
    assert (report.state, report.attempts) == (State.QUEUED, 0)
    assert (imported.state, imported.attempts) == (State.QUEUED, 0)
    assert delegation.status == Delegation.Status.SUBMITTED
    assert list(OutboxMail.objects.values_list("to", "sent_at")) == [(cast.laos_leader.email, None)]
    assert mailoutbox == []

    own_broker.start()  # empty: what was never delivered is not there either
    worker.wait_until_ready()  # reconnected, its queue declared again
    settings.JOBS_REQUEUE_AFTER_SECONDS = 0
    time.sleep(0.01)
    assert sorted(jobs_sweep()) == sorted([report.pk, imported.pk])
    assert outbox_send() == 1

    report, imported = built(report, worker), built(imported, worker)
    assert report.attempts == 1
    assert (imported.attempts, imported.created_count) == (1, 4)
    assert Student.objects.count() == 4
    assert [message.to for message in mailoutbox] == [[cast.laos_leader.email]]
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
    assert jobs_sweep() == []  # nothing left behind


def second_connection():
    """A connection of its own to the test's database, beside Django's (at the URL the workers are given)."""
    return psycopg2.connect(database_url())


class StudentsHeld:
    """A second connection holding the student table in SHARE mode: an import reads it and checks its rows
    freely, but its first write there waits, inside its open transaction, until `release()`."""

    def __init__(self):
        self.connection = second_connection()
        with self.connection.cursor() as cursor:  # psycopg2 opens the transaction: the lock lasts until release
            cursor.execute(f"LOCK TABLE {Student._meta.db_table} IN SHARE MODE")

    def writer_waiting(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND NOT granted", [Student._meta.db_table]
            )
            return cursor.fetchone()[0] > 0

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


@pytest.fixture
def students_held():
    held = StudentsHeld()
    yield held
    held.release()


def _import_caught_writing(cast, worker, held: StudentsHeld) -> Job:
    """A long import, caught writing: its rows are checked and its first write waits on the student
    table `held` locks, inside the transaction in which the rows and the outcome commit together."""
    job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(LONG_IMPORT))), actor=cast.staff)
    job = wait_for(job, [State.RUNNING], [worker], LONG_IMPORT_WITHIN)
    deadline = time.monotonic() + LONG_IMPORT_WITHIN
    while not held.writer_waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    job.refresh_from_db()
    assert held.writer_waiting() and (job.state, job.attempts) == (State.RUNNING, 1), (
        f"the import was not caught writing ({job.state}, attempt {job.attempts}):\n{worker.log_text()}"
    )
    assert job.progress >= 50  # every row checked
    time.sleep(1.1)  # the run is older than STALE's second: the run that replaces it may claim the job
    return job


STALE = {"JOBS_STALE_AFTER_SECONDS": "1"}  # the worker's claim reads it


@pytest.mark.real_broker
def test_a_worker_killed_during_an_import_leaves_nothing_and_the_next_writes_the_rows_once(
    cast, workers, settings, students_held
):
    first = workers(environ=STALE)
    job = _import_caught_writing(cast, first, students_held)

    first.kill()  # solo pool: the task runs in the worker's own process
    students_held.release()
    assert Student.objects.count() == 0  # the killed write left nothing
    job.refresh_from_db()
    assert job.state == State.RUNNING  # nobody says it died: the sweep finds out

    second = workers(environ=STALE)
    settings.JOBS_STALE_AFTER_SECONDS = 1
    time.sleep(1.1)
    assert jobs_sweep() == [job.pk]

    job = built(job, second, LONG_IMPORT_WITHIN)
    assert (job.attempts, job.created_count) == (2, LONG_IMPORT)
    assert Student.objects.count() == LONG_IMPORT
    assert jobs_sweep() == []


@pytest.mark.real_broker
def test_a_pool_process_killed_during_an_import_is_replaced_and_the_rows_are_written_once(
    cast, workers, settings, students_held
):
    worker = workers(pool="prefork", environ=STALE)
    job = _import_caught_writing(cast, worker, students_held)

    worker.kill(worker.pool_child())  # the pool's child, which runs the task; the worker lives on
    students_held.release()
    # acks_late with reject_on_worker_lost: the worker gives the task back, a new child takes it and,
    # the run it replaces being stale, claims the job again.
    job = built(job, worker, LONG_IMPORT_WITHIN)
    assert (job.attempts, job.created_count) == (2, LONG_IMPORT)
    assert Student.objects.count() == LONG_IMPORT
    settings.JOBS_STALE_AFTER_SECONDS = 1
    assert jobs_sweep() == []


# --- the database connection cut during a request ---------------------------------------------------


def terminate(pid: int) -> None:
    """End the backend `pid` from a second connection, the way a restarted database or a network cut does."""
    other = second_connection()
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


def test_a_connection_cut_before_a_disbursement_is_written_writes_nothing_and_sending_again_writes_it_once(
    cast, login, client, monkeypatch
):
    project = project_in(AidProject.Status.IMPLEMENTING)
    form = {
        "date": "10/06/2025",
        "amount": "20.000",
        "currency": "USD",
        "exchange_rate": "25.400",
        "form": Disbursement.Form.CASH,
        "note": "Đợt 1",
        FIELD: new_token(),
    }
    record_save, cut = aid_services.record_save, []

    def cut_then_save(**kwargs):
        if not cut:  # the first request only
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                cut.append(cursor.fetchone()[0])
            terminate(cut[0])
        return record_save(**kwargs)

    monkeypatch.setattr(aid_services, "record_save", cut_then_save)
    client.raise_request_exception = False
    page = reverse("aid_projects:disbursement_create", args=[project.pk])

    response = login(cast.staff).post(page, form)

    assert cut, "the hook before the write did not run"
    assert response.status_code == 500
    assert not Disbursement.objects.exists()  # the transaction went with the connection
    assert not FormSubmission.objects.exists()

    response = client.post(page, form)  # the same form again: a new connection

    assert response.status_code == 302, response.content.decode()[:2000]
    disbursement = Disbursement.objects.get()
    assert (disbursement.amount, disbursement.amount_vnd) == (Decimal("20000"), Decimal("508000000"))
    assert disbursement.date == datetime.date(2025, 6, 10)

    client.post(page, form)  # and a third time: already taken into account
    assert Disbursement.objects.count() == 1
