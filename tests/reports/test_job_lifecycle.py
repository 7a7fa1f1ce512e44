"""A report job from the click to the file: queued once its row commits, built by the task, its one
file kept under reports/<id>/; failures that say why and can be retried; retries of what may mend;
a broker that is down at the click; the sweep that hands lost work over again; who may ask, see and
download; and the /reports/ page."""

import datetime
import io

import openpyxl
import pytest
from celery.exceptions import Retry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from friendship_portal.celery import app
from friendship_portal.core import reports
from friendship_portal.core.jobs import job_retry, job_run, jobs_sweep
from friendship_portal.core.models import Job
from friendship_portal.core.reports import TransientError, may_read, report_request, visible_jobs
from friendship_portal.core.tasks import job_run_task

State = Job.State
BUDGET = "portal.budget_summary"
THROWAWAY = "tests.throwaway"


@pytest.fixture(autouse=True)
def stopped_clock(clock):
    return clock


def throwaway_kind(monkeypatch, build) -> reports.ReportKind:
    """Register a kind of report for one test; `build(job, progress)` returns (name, bytes)."""
    kind = reports.ReportKind(key=THROWAWAY, label="Throwaway", title=lambda params: "Báo cáo thử", build=build)
    monkeypatch.setitem(reports.REGISTRY, THROWAWAY, kind)
    return kind


def failing_times(count: int, error: Exception):
    """A build that raises `error` the first `count` times, then makes a small file; `calls` counts them."""

    def build(job, progress):
        build.calls += 1
        if build.calls <= count:
            raise error
        progress(50)
        return "bao-cao-thu.txt", f"lần {build.calls}".encode()

    build.calls = 0
    return build


@pytest.fixture
def worker_like_retries():
    """Eager tasks that retry as a worker does, instead of raising the first Retry to the caller."""
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def job_row(
    *, kind=BUDGET, requested_by=None, state=State.QUEUED, ago: int = 0, started_ago: int | None = None, **fields
):
    """A job stored as told: queued `ago` seconds ago, started `started_ago` seconds ago."""
    now = timezone.now()
    return Job.objects.create(
        family=Job.Family.REPORT,
        kind=kind,
        params={"year": 2026},
        title="Tổng hợp kinh phí 2026",
        state=state,
        requested_by=requested_by,
        queued_at=now - datetime.timedelta(seconds=ago),
        started_at=None if started_ago is None else now - datetime.timedelta(seconds=started_ago),
        **fields,
    )


# --- requesting and building -----------------------------------------------------------------


def test_request_stores_a_queued_job_and_hands_it_over_only_after_commit(
    cast, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, translation.override("en"):
        job = report_request(kind=BUDGET, params={"year": "2026"}, actor=cast.staff)
        assert sent == []

    job.refresh_from_db()
    assert (job.kind, job.state, job.requested_by, job.params, job.title) == (
        BUDGET,
        State.QUEUED,
        cast.staff,
        {"year": 2026},
        "Budget summary 2026",
    )
    assert (job.progress, job.attempts, job.file.name, job.queued_at) == (0, 0, "", timezone.now())
    assert len(callbacks) == 1
    assert sent == []  # nothing reaches the broker before the row is committed

    callbacks[0]()

    assert sent == [job.pk]
    job.refresh_from_db()
    assert job.state == State.DONE


def test_built_job_is_done_with_its_file_under_its_own_folder(cast, request_report):
    job = request_report(BUDGET, {"year": 2026}, cast.staff)

    assert (job.state, job.progress, job.attempts, job.error) == (State.DONE, 100, 1, "")
    assert job.file.name == f"reports/{job.pk}/tong-hop-kinh-phi-2026.xlsx"
    assert job.file_name == "tong-hop-kinh-phi-2026.xlsx"
    assert job.started_at == job.finished_at == timezone.now()
    with job.file.open("rb") as stored:
        assert openpyxl.load_workbook(io.BytesIO(stored.read())).sheetnames[0] == "Tổng hợp"


def test_building_a_done_job_again_changes_nothing(cast, request_report, clock):
    job = request_report(BUDGET, {"year": 2026}, cast.staff)
    clock.shift(60)

    again = job_run(job_id=job.pk)

    assert (again.state, again.attempts, again.file.name, again.finished_at) == (
        State.DONE,
        1,
        job.file.name,
        job.finished_at,
    )


def test_building_twice_keeps_one_file_under_the_same_name(cast, request_report, settings):
    job = request_report(BUDGET, {"year": 2026}, cast.staff)
    folder = f"reports/{job.pk}"
    assert default_storage.listdir(folder) == ([], [job.file_name])
    # The worker stored the file, then died before the job said so: the job still reads "running".
    stale = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=stale, progress=40)

    rebuilt = job_run(job_id=job.pk)

    assert (rebuilt.state, rebuilt.attempts, rebuilt.file.name) == (State.DONE, 2, job.file.name)
    assert default_storage.listdir(folder) == ([], [job.file_name])


def test_a_build_that_raises_marks_the_job_failed_with_the_error(cast, request_report, monkeypatch):
    throwaway_kind(monkeypatch, failing_times(1, ValueError("the template has no budget table")))

    job = request_report(THROWAWAY, {}, cast.staff)

    assert (job.state, job.error, job.attempts) == (State.FAILED, "ValueError: the template has no budget table", 1)
    assert job.finished_at == timezone.now()
    assert not job.file


def test_a_job_of_a_kind_no_longer_known_fails_saying_so(cast):
    job = job_row(kind="portal.retired", requested_by=cast.staff)

    with translation.override("en"):
        failed = job_run(job_id=job.pk)

    assert (failed.state, failed.error) == (State.FAILED, "ValueError: Unknown kind of report: portal.retired")


def test_failed_job_shows_its_error_and_a_retry_button(cast, login, request_report, monkeypatch):
    throwaway_kind(monkeypatch, failing_times(1, ValueError("the template has no budget table")))
    job = request_report(THROWAWAY, {}, cast.staff)

    page = login(cast.staff).get(reverse("reports")).content.decode()

    assert 'data-testid="report-error">ValueError: the template has no budget table<' in page
    assert f'action="{reverse("report_retry", args=[job.pk])}"' in page
    assert f'data-testid="report-retry-{job.pk}"' in page
    assert f'data-testid="report-download-{job.pk}"' not in page


def test_a_failed_job_says_failed_without_a_percentage_and_names_its_requester_family_name_first(
    cast, login, request_report, monkeypatch
):
    cast.staff.first_name, cast.staff.last_name = "Hương", "Nguyễn Thị"
    cast.staff.save()
    throwaway_kind(monkeypatch, failing_times(1, ValueError("no budget table")))
    job = request_report(THROWAWAY, {}, cast.staff)
    Job.objects.filter(pk=job.pk).update(progress=95)

    page = login(cast.staff).get(reverse("reports")).content.decode()
    row = page[page.index(f'data-testid="report-job-{job.pk}"') :]
    row = row[: row.index("</tr>")]

    assert "Thất bại" in row and "95%" not in row
    assert "Nguyễn Thị Hương" in row and "Hương Nguyễn Thị" not in row


# --- retrying a failed job --------------------------------------------------------------------


def test_requester_retries_a_failed_job_and_it_is_built_once_the_kind_is_mended(
    cast, request_report, monkeypatch, sent, django_capture_on_commit_callbacks
):
    build = failing_times(1, ValueError("the template has no budget table"))
    throwaway_kind(monkeypatch, build)
    job = request_report(THROWAWAY, {}, cast.province)
    assert job.state == State.FAILED

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retried = job_retry(job_id=job.pk, actor=cast.province)
    assert (retried.state, retried.error, retried.progress, retried.finished_at) == (State.QUEUED, "", 0, None)
    assert sent == [job.pk]  # only the first request so far: the retry waits for its commit
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert (job.state, job.error, job.attempts, build.calls) == (State.DONE, "", 2, 2)
    assert sent == [job.pk, job.pk]
    assert default_storage.open(job.file.name).read() == "lần 2".encode()


def test_union_staff_may_retry_a_job_someone_else_asked_for(
    cast, request_report, monkeypatch, django_capture_on_commit_callbacks
):
    throwaway_kind(monkeypatch, failing_times(1, ValueError("the template has no budget table")))
    job = request_report(THROWAWAY, {}, cast.province)

    with django_capture_on_commit_callbacks(execute=True):
        job_retry(job_id=job.pk, actor=cast.staff)

    job.refresh_from_db()
    assert job.state == State.DONE


@pytest.mark.parametrize("role", ["province", "laos_leader", "outsider"])
def test_others_may_not_retry_a_job(cast, request_report, monkeypatch, role):
    throwaway_kind(monkeypatch, failing_times(1, ValueError("the template has no budget table")))
    job = request_report(THROWAWAY, {}, cast.admin)

    with pytest.raises(PermissionDenied):
        job_retry(job_id=job.pk, actor=getattr(cast, role))

    job.refresh_from_db()
    assert job.state == State.FAILED


def test_retrying_a_job_that_has_not_failed_changes_nothing(cast, request_report, sent):
    job = request_report(BUDGET, {"year": 2026}, cast.staff)

    again = job_retry(job_id=job.pk, actor=cast.staff)

    assert (again.state, again.finished_at, again.file.name) == (State.DONE, job.finished_at, job.file.name)
    assert sent == [job.pk]


def test_retry_button_queues_the_job_again_for_staff_and_is_refused_to_a_leader(
    cast, login, client, request_report, monkeypatch, django_capture_on_commit_callbacks
):
    throwaway_kind(monkeypatch, failing_times(1, ValueError("the template has no budget table")))
    job = request_report(THROWAWAY, {}, cast.staff)
    url = reverse("report_retry", args=[job.pk])

    assert login(cast.laos_leader).post(url).status_code == 403
    job.refresh_from_db()
    assert job.state == State.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.staff).post(url)
    assert (response.status_code, response["Location"]) == (302, reverse("reports"))
    job.refresh_from_db()
    assert job.state == State.DONE


# --- what may mend by itself: the task's retries ---------------------------------------------


def test_transient_error_puts_the_job_back_in_the_queue_for_the_tasks_retry(cast, monkeypatch):
    throwaway_kind(monkeypatch, failing_times(1, TransientError("the media disk is busy")))
    job = job_row(kind=THROWAWAY, requested_by=cast.staff)

    with pytest.raises(Retry):  # eager tasks hand the retry to the caller
        job_run_task.apply(kwargs={"job_id": job.pk})

    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == (State.QUEUED, "the media disk is busy", 1)  # the page waits


def test_task_retries_a_transient_error_until_the_build_succeeds(
    cast, request_report, monkeypatch, worker_like_retries
):
    build = failing_times(2, TransientError("the media disk is busy"))
    throwaway_kind(monkeypatch, build)

    job = request_report(THROWAWAY, {}, cast.staff)

    assert (job.state, job.error, job.attempts, build.calls) == (State.DONE, "", 3, 3)
    assert default_storage.open(job.file.name).read() == "lần 3".encode()


def test_storage_that_fails_once_is_retried(cast, request_report, monkeypatch, worker_like_retries):
    throwaway_kind(monkeypatch, failing_times(0, ValueError("never")))
    save = FileSystemStorage.save
    failures = [OSError(28, "No space left on device")]

    def flaky_save(storage, name, content, *args, **kwargs):
        if failures:
            raise failures.pop()
        return save(storage, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)

    job = request_report(THROWAWAY, {}, cast.staff)

    assert (job.state, job.attempts) == (State.DONE, 2)
    assert default_storage.listdir(f"reports/{job.pk}") == ([], ["bao-cao-thu.txt"])


def test_task_out_of_retries_marks_the_job_failed(cast, request_report, monkeypatch, worker_like_retries):
    build = failing_times(100, TransientError("the media disk is busy"))
    throwaway_kind(monkeypatch, build)

    job = request_report(THROWAWAY, {}, cast.staff)

    retries = job_run_task.max_retries
    assert (job.state, job.error) == (State.FAILED, "TransientError: the media disk is busy")
    assert job.attempts == build.calls == retries + 1
    assert job.finished_at is not None


# --- a broker that is down, work that was lost: the sweep ------------------------------------


def refuse(*args, **kwargs):
    raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_request_succeeds_while_the_broker_is_down_and_the_sweep_builds_it_later(
    cast, settings, monkeypatch, request_report, clock
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production, where a broker is configured
    with monkeypatch.context() as broker_down:
        broker_down.setattr(job_run_task, "apply_async", refuse)
        job = request_report(BUDGET, {"year": 2026}, cast.staff)
        assert (job.state, job.attempts) == (State.QUEUED, 0)

        assert jobs_sweep() == []  # too soon: the broker may still deliver it
        clock.shift(settings.JOBS_REQUEUE_AFTER_SECONDS + 1)
        assert jobs_sweep() == [job.pk]  # still down: the job waits for the next sweep
        job.refresh_from_db()
        assert (job.state, job.queued_at) == (State.QUEUED, timezone.now())

    assert jobs_sweep() == []  # queued again just now
    clock.shift(settings.JOBS_REQUEUE_AFTER_SECONDS + 1)
    assert jobs_sweep() == [job.pk]

    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (State.DONE, 100, 1)
    assert job.file.name == f"reports/{job.pk}/tong-hop-kinh-phi-2026.xlsx"


def test_sweep_hands_over_only_the_lost_work(cast, settings, sent):
    waited = settings.JOBS_REQUEUE_AFTER_SECONDS + 1
    stale = settings.JOBS_STALE_AFTER_SECONDS + 1
    fresh = job_row(ago=10)
    done = job_row(state=State.DONE, ago=stale, started_ago=stale, progress=100)
    failed = job_row(state=State.FAILED, ago=stale, started_ago=stale, error="ValueError: no table")
    building = job_row(state=State.RUNNING, ago=stale, started_ago=settings.JOBS_STALE_AFTER_SECONDS - 60)
    undelivered = job_row(ago=waited)
    abandoned = job_row(state=State.RUNNING, ago=stale, started_ago=stale, attempts=1, progress=40)

    lost = jobs_sweep()

    assert sorted(lost) == sorted(sent) == [undelivered.pk, abandoned.pk]
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {
        fresh.pk: State.QUEUED,
        done.pk: State.DONE,
        failed.pk: State.FAILED,
        building.pk: State.RUNNING,
        undelivered.pk: State.DONE,
        abandoned.pk: State.DONE,
    }
    abandoned.refresh_from_db()
    assert (abandoned.attempts, abandoned.started_at) == (2, timezone.now())


# --- who may ask, see and download ------------------------------------------------------------


@pytest.mark.parametrize("role", ["laos_leader", "outsider"])
def test_leader_and_outsider_may_not_request_the_budget_summary(cast, role):
    with pytest.raises(PermissionDenied):
        report_request(kind=BUDGET, params={"year": 2026}, actor=getattr(cast, role))
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["staff", "province", "admin"])
def test_who_reads_everything_may_request_the_budget_summary(cast, request_report, role):
    job = request_report(BUDGET, {"year": 2026}, getattr(cast, role))
    assert job.state == State.DONE


@pytest.mark.parametrize(
    ("kind", "params"),
    [("portal.nonexistent", {}), (BUDGET, {"year": "twenty"}), (BUDGET, {"year": 1999}), (BUDGET, {"year": 2028})],
)
def test_request_for_an_unknown_kind_or_a_wrong_year_is_refused(cast, kind, params):
    with pytest.raises(ValidationError):
        report_request(kind=kind, params=params, actor=cast.staff)
    assert not Job.objects.exists()


@pytest.fixture
def jobs_of_everyone(cast):
    return {
        "staff": job_row(requested_by=cast.staff),
        "province": job_row(requested_by=cast.province),
        "laos_leader": job_row(requested_by=cast.laos_leader),
        "russia_leader": job_row(requested_by=cast.russia_leader),
        "system": job_row(requested_by=None),
    }


@pytest.mark.parametrize("role", ["staff", "province", "admin"])
def test_staff_and_province_see_and_read_every_job(cast, jobs_of_everyone, role):
    user = getattr(cast, role)
    assert set(visible_jobs(user)) == set(jobs_of_everyone.values())
    assert all(may_read(user, job) for job in jobs_of_everyone.values())


def test_leader_sees_and_reads_only_their_own_jobs(cast, jobs_of_everyone):
    own = jobs_of_everyone["laos_leader"]
    assert list(visible_jobs(cast.laos_leader)) == [own]
    assert [job for job in jobs_of_everyone.values() if may_read(cast.laos_leader, job)] == [own]


def test_outsider_sees_and_reads_no_job(cast, jobs_of_everyone):
    assert list(visible_jobs(cast.outsider)) == []
    assert not any(may_read(cast.outsider, job) for job in jobs_of_everyone.values())


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 200), ("province", 200), ("laos_leader", 403), ("outsider", 403)]
)
def test_download_of_a_finished_report(cast, login, request_report, role, status):
    job = request_report(BUDGET, {"year": 2026}, cast.staff)

    response = login(getattr(cast, role)).get(reverse("report_download", args=[job.pk]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == 'attachment; filename="tong-hop-kinh-phi-2026.xlsx"'
        assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).sheetnames[0] == "Tổng hợp"


@pytest.mark.parametrize("state", [State.QUEUED, State.RUNNING, State.FAILED])
def test_download_of_an_unfinished_report_is_not_found(cast, login, state):
    job = job_row(requested_by=cast.staff, state=state)
    assert login(cast.staff).get(reverse("report_download", args=[job.pk])).status_code == 404


def test_status_of_a_job_is_for_whoever_may_read_it(cast, login, request_report):
    job = request_report(BUDGET, {"year": 2026}, cast.staff)

    state = login(cast.province).get(reverse("report_status", args=[job.pk])).json()
    assert state | {"state_label": ""} == {
        "id": job.pk,
        "state": "done",
        "state_label": "",
        "progress": 100,
        "finished": True,
        "error": "",
        "download_url": reverse("report_download", args=[job.pk]),
        "file_name": "tong-hop-kinh-phi-2026.xlsx",
    }
    assert login(cast.laos_leader).get(reverse("report_status", args=[job.pk])).status_code == 403


# --- the /reports/ page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "can_request"),
    [("staff", True), ("province", True), ("admin", True), ("laos_leader", False)],
)
def test_reports_page_offers_the_request_form_to_those_who_may_ask(cast, login, jobs_of_everyone, role, can_request):
    response = login(getattr(cast, role)).get(reverse("reports"))

    assert response.status_code == 200
    assert ('data-testid="report-request-form"' in response.content.decode()) is can_request
    shown = {job.pk for job in response.context["jobs"]}
    expected = {job.pk for job in visible_jobs(getattr(cast, role))}
    assert shown == expected
    if can_request:
        offered = {key for key, _label in response.context["form"].fields["kind"].choices}
        assert {"portal.budget_summary", "portal.union_review", "aid_projects.yearly_summary"} <= offered
        assert "delegations.trip_report" not in offered  # asked for from the delegation's page


def test_user_without_a_role_is_refused_the_reports_page(cast, login):
    assert login(cast.outsider).get(reverse("reports")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("reports"))
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/reports/")


def test_staff_requests_a_report_from_the_page(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.staff).post(reverse("reports"), {"kind": "portal.union_review", "year": 2026})

    assert (response.status_code, response["Location"]) == (302, reverse("reports"))
    job = Job.objects.get()
    assert (job.kind, job.params, job.requested_by, job.state) == (
        "portal.union_review",
        {"year": 2026, "period": "year", "final": False},
        cast.staff,
        State.DONE,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": BUDGET, "year": "hai nghìn"}, "year"),
        ({"kind": BUDGET, "year": ""}, "year"),
        ({"kind": "portal.nonexistent", "year": 2026}, "kind"),
        ({"kind": BUDGET, "year": 2099}, None),  # the form accepts it; the kind's own check does not
    ],
)
def test_form_errors_show_again_on_the_page(cast, login, data, field):
    response = login(cast.staff).post(reverse("reports"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors and list(form.errors) == [field or "__all__"]
    page = response.content.decode()
    for message in form.errors[field or "__all__"]:
        assert str(message) in page
    assert not Job.objects.exists()


def test_a_leader_may_not_post_the_request_form(cast, login):
    response = login(cast.laos_leader).post(reverse("reports"), {"kind": BUDGET, "year": 2026})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_polling_returns_only_the_jobs_the_user_may_see(cast, login, jobs_of_everyone):
    ids = [job.pk for job in jobs_of_everyone.values()]
    query = "&".join(f"id={pk}" for pk in ids) + "&id=abc&id=-1"

    response = login(cast.laos_leader).get(f"{reverse('reports')}?format=json&{query}")
    assert response["Cache-Control"] == "no-store"
    assert [job["id"] for job in response.json()["jobs"]] == [jobs_of_everyone["laos_leader"].pk]

    response = login(cast.staff).get(f"{reverse('reports')}?format=json&{query}")
    assert sorted(job["id"] for job in response.json()["jobs"]) == sorted(ids)
    assert {job["state"] for job in response.json()["jobs"]} == {"queued"}


def queries_for(client, url) -> int:
    client.get(url)  # warm up: the session, the caches of a first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["staff", "laos_leader"])
def test_reports_page_queries_do_not_grow_with_the_jobs(cast, login, role):
    client = login(getattr(cast, role))
    requesters = [cast.staff, cast.province, cast.laos_leader, None]
    states = [State.QUEUED, State.RUNNING, State.DONE, State.FAILED]

    def add(count: int) -> None:
        for index in range(count):
            job_row(requested_by=requesters[index % 4], state=states[index % 4], error="ValueError: no table")

    add(3)
    few = queries_for(client, reverse("reports"))
    add(17)
    many = queries_for(client, reverse("reports"))

    assert Job.objects.count() == 20
    assert many == few
