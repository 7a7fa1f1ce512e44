"""One machinery for the background jobs (friendship_portal/core/jobs.py), imports as well as reports:
the sweep queues again an import the broker never received or whose worker died, the task's failure
handler marks a failed import, its page offers the retry to its requester and union staff, a retried
import writes its rows once, and both families record their progress and attempts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from friendship_portal.core import imports, jobs, reports
from friendship_portal.core.imports import import_start
from friendship_portal.core.jobs import job_retry, job_run, jobs_sweep
from friendship_portal.core.models import Job
from friendship_portal.core.reports import report_request
from friendship_portal.core.tasks import job_run_task
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Enrollment, Student
from tests.factories import UserFactory
from tests.scholarships.support import people, upload, xlsx

State = Job.State
THROWAWAY = "tests.throwaway"


@pytest.fixture
def start_import(django_capture_on_commit_callbacks):
    """Start an import of `rows` students as `actor` and commit, so it is queued (and, tasks being
    eager, run). Returns the job as it stands afterwards."""

    def start(actor, rows: int = 3):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(rows))), actor=actor)
        job.refresh_from_db()
        return job

    return start


@pytest.fixture
def runs(monkeypatch):
    """The import jobs the import family's handler was given, in order (it still does the work)."""
    job_ids = []
    handler = jobs.FAMILIES[Job.Family.IMPORT]

    def counting(job, progress):
        job_ids.append(job.pk)
        return handler(job, progress)

    monkeypatch.setitem(jobs.FAMILIES, Job.Family.IMPORT, counting)
    return job_ids


@pytest.fixture
def write_fails_once(monkeypatch):
    """The rows' write fails with a non-transient error once it has written them, on the first run only."""
    write_rows = STUDENT_IMPORT.write_rows
    calls = []

    def failing_once(checked, actor, progress):
        calls.append(1)
        written = write_rows(checked, actor, progress)
        if len(calls) == 1:
            raise RuntimeError("the database refused the row")
        return written

    monkeypatch.setattr(STUDENT_IMPORT, "write_rows", failing_once)
    return calls


def written() -> tuple[int, int]:
    return Student.objects.count(), Enrollment.objects.count()


def ago(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def refuse(*args, **kwargs):
    raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


# --- the sweep takes imports too ----------------------------------------------------------------


def test_import_started_while_the_broker_is_down_is_queued_again_by_the_sweep_and_runs_once(
    cast, settings, monkeypatch, start_import, runs
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production, where a broker is configured
    with monkeypatch.context() as broker_down:
        broker_down.setattr(job_run_task, "apply_async", refuse)
        job = start_import(cast.staff)
    assert (job.family, job.state, job.attempts, runs) == (Job.Family.IMPORT, State.QUEUED, 0, [])
    assert jobs_sweep() == []  # too soon: the broker may still deliver it

    Job.objects.filter(pk=job.pk).update(queued_at=ago(settings.JOBS_REQUEUE_AFTER_SECONDS + 1))
    assert jobs_sweep() == [job.pk]

    job.refresh_from_db()
    assert (job.state, job.attempts, job.progress, job.created_count) == (State.DONE, 1, 100, 3)
    assert runs == [job.pk]
    assert written() == (3, 3)
    Job.objects.filter(pk=job.pk).update(queued_at=ago(settings.JOBS_REQUEUE_AFTER_SECONDS + 1))
    assert jobs_sweep() == []  # done: nothing left to hand over
    assert runs == [job.pk]


def test_import_whose_worker_died_is_run_again_by_the_sweep(cast, settings, monkeypatch, start_import, runs):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with monkeypatch.context() as broker_down:
        broker_down.setattr(job_run_task, "apply_async", refuse)
        job = start_import(cast.staff)
    # A worker took it, then died: the job still reads "running", its rows rolled back.
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, attempts=1, progress=30, started_at=ago(settings.JOBS_STALE_AFTER_SECONDS - 60)
    )
    assert jobs_sweep() == []  # it may still be running

    Job.objects.filter(pk=job.pk).update(started_at=ago(settings.JOBS_STALE_AFTER_SECONDS + 1))
    assert jobs_sweep() == [job.pk]

    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == (State.DONE, 2, 3)
    assert runs == [job.pk]
    assert written() == (3, 3)


def test_a_worker_does_not_take_an_import_another_is_running(cast, settings, monkeypatch, start_import, runs):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with monkeypatch.context() as broker_down:
        broker_down.setattr(job_run_task, "apply_async", refuse)
        job = start_import(cast.staff)
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, attempts=1, started_at=ago(60))

    again = job_run(job_id=job.pk)

    assert (again.state, again.attempts, runs) == (State.RUNNING, 1, [])
    assert written() == (0, 0)


# --- failing, and trying again --------------------------------------------------------------------


def test_import_that_fails_is_marked_failed_with_its_error(cast, start_import, write_fails_once):
    job = start_import(cast.staff, rows=5)

    assert (job.state, job.error, job.attempts) == (State.FAILED, "RuntimeError: the database refused the row", 1)
    assert job.finished_at is not None
    assert written() == (0, 0)


def test_the_tasks_failure_handler_marks_an_import_failed(cast, monkeypatch):
    job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx(people(1))), actor=cast.staff)  # not run yet

    def locked(job_id):
        raise DatabaseError("the jobs table is locked")  # not one a retry mends

    monkeypatch.setattr(jobs, "_claim", locked)

    # As a worker runs it: the error leaves the task, whose failure handler marks the job.
    result = job_run_task.apply(kwargs={"job_id": job.pk}, throw=False)

    assert result.failed()
    job.refresh_from_db()
    assert (job.state, job.error) == (State.FAILED, "DatabaseError: the jobs table is locked")
    assert job.finished_at is not None


def test_failed_import_page_shows_the_error_and_the_retry_button(cast, login, start_import, write_fails_once):
    job = start_import(cast.staff, rows=5)

    page = login(cast.staff).get(reverse("import_job", args=[job.pk])).content.decode()

    assert 'data-testid="import-failed"' in page
    assert 'data-testid="import-error">RuntimeError: the database refused the row<' in page
    assert f'action="{reverse("import_retry", args=[job.pk])}"' in page


def test_requester_retries_a_failed_import_from_its_page_and_its_rows_are_written_once(
    cast, login, start_import, write_fails_once, django_capture_on_commit_callbacks
):
    job = start_import(cast.staff, rows=5)
    assert job.state == State.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.staff).post(reverse("import_retry", args=[job.pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("import_job", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == (State.DONE, "", 2)
    assert (job.created_count, job.updated_count) == (5, 0)
    assert written() == (5, 5)
    assert len(write_fails_once) == 2  # the first run's rows rolled back, the second wrote each once


def test_union_staff_retry_an_import_someone_else_started(
    cast, login, start_import, write_fails_once, django_capture_on_commit_callbacks
):
    job = start_import(cast.staff, rows=5)
    colleague = UserFactory(username="staff.two", roles=["union_staff"])

    with django_capture_on_commit_callbacks(execute=True):
        response = login(colleague).post(reverse("import_retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.requested_by, job.created_count) == (State.DONE, cast.staff, 5)
    assert written() == (5, 5)


@pytest.mark.parametrize("role", ["laos_leader", "province", "outsider"])
def test_others_may_not_retry_an_import(cast, login, start_import, write_fails_once, role):
    job = start_import(cast.staff, rows=5)

    assert login(getattr(cast, role)).post(reverse("import_retry", args=[job.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        job_retry(job_id=job.pk, actor=getattr(cast, role))

    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.FAILED, 1)
    assert written() == (0, 0)


def test_retrying_an_import_that_has_not_failed_changes_nothing(cast, login, start_import, runs):
    job = start_import(cast.staff)

    response = login(cast.staff).post(reverse("import_retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count, runs) == (State.DONE, 1, 3, [job.pk])
    assert written() == (3, 3)


def test_retry_of_an_import_is_a_post(cast, login, start_import):
    job = start_import(cast.staff)
    assert login(cast.staff).get(reverse("import_retry", args=[job.pk])).status_code == 405


def test_an_import_and_a_report_are_not_reached_by_each_others_urls(cast, login, start_import):
    job = start_import(cast.staff)
    client = login(cast.staff)

    assert client.get(reverse("report_status", args=[job.pk])).status_code == 404
    assert client.post(reverse("report_retry", args=[job.pk])).status_code == 404


# --- progress and attempts, both families ------------------------------------------------------


def test_an_import_records_its_progress_and_attempts(cast, monkeypatch, start_import):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 5)
    seen = []
    write_rows = STUDENT_IMPORT.write_rows

    def spying_write(checked, actor, progress):
        def spying_progress(done):
            progress(done)
            seen.append(Job.objects.values_list("state", "progress", "attempts").get())

        seen.append(Job.objects.values_list("state", "progress", "attempts").get())
        return write_rows(checked, actor, spying_progress)

    monkeypatch.setattr(STUDENT_IMPORT, "write_rows", spying_write)

    job = start_import(cast.staff, rows=20)

    # Checking is the first half; the rows are written in batches, each moving the second half on.
    assert [progress for _state, progress, _attempts in seen] == [50, 65, 82]  # 20 + 6, 20 + 13 of 40 steps
    assert {(state, attempts) for state, _progress, attempts in seen} == {(State.RUNNING, 1)}
    assert (job.state, job.progress, job.attempts) == (State.DONE, 100, 1)
    assert job.started_at is not None and job.finished_at is not None


def test_a_report_records_its_progress_and_attempts(cast, monkeypatch, django_capture_on_commit_callbacks):
    seen, failures = [], [ValueError("the template has no budget table")]

    def build(job, progress):
        progress(40)
        seen.append(Job.objects.values_list("state", "progress", "attempts").get(pk=job.pk))
        if failures:
            raise failures.pop()
        return "bao-cao-thu.txt", b"xong"

    kind = reports.ReportKind(key=THROWAWAY, label="Throwaway", title=lambda params: "Báo cáo thử", build=build)
    monkeypatch.setitem(reports.REGISTRY, THROWAWAY, kind)

    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(kind=THROWAWAY, params={}, actor=cast.staff)
    job.refresh_from_db()
    assert (job.family, job.state, job.progress, job.attempts) == (Job.Family.REPORT, State.FAILED, 40, 1)

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job_id=job.pk, actor=cast.staff)
    job.refresh_from_db()

    assert seen == [(State.RUNNING, 40, 1), (State.RUNNING, 40, 2)]
    assert (job.state, job.progress, job.attempts, job.file_name) == (State.DONE, 100, 2, "bao-cao-thu.txt")
