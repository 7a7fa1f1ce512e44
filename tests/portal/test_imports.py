"""The shared Excel import machinery (friendship_portal/core/imports.py), with its first real user,
the import of Lao students: reading cells, finding the headers, counting lines as Excel does,
all or nothing, progress, the task's retries, and the job's page."""

import contextlib
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import translation

from friendship_portal.core import imports
from friendship_portal.core.imports import RowError, fold, import_start
from friendship_portal.core.jobs import job_fail, job_run
from friendship_portal.core.models import Job
from friendship_portal.core.tasks import job_run_task
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Enrollment, Student
from tests.scholarships.support import HEADERS, people, row, upload, xlsx

State = Job.State


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    def run(actor, content: bytes, name: str = "luu-hoc-sinh-lao.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(content, name), actor=actor)
        job.refresh_from_db()
        return job

    return run


def queued(actor, content: bytes) -> Job:
    """A job stored and waiting: its on-commit queuing never fires inside the test's transaction."""
    return import_start(kind=STUDENT_IMPORT.kind, upload=upload(content), actor=actor)


def written() -> tuple[int, int]:
    return Student.objects.count(), Enrollment.objects.count()


# --- reading cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("Đại Học", "dai hoc"), ("  Bôlykhămxay ", "bolykhamxay"), ("ĐH   Hà\tTĩnh", "dh ha tinh"), ("NỮ", "nu")],
)
def test_fold_drops_accents_case_and_extra_spaces(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("cell", "text"), [(None, ""), (912345678.0, "912345678"), (2004, "2004"), ("  P12   34 ", "P12 34"), (1.5, "1.5")]
)
def test_read_text(cell, text):
    assert imports.read_text(cell) == text


@pytest.mark.parametrize(
    "cell",
    [
        "12/03/2004",
        "12-03-2004",
        "2004-03-12",
        " 12/03/2004 ",
        datetime.date(2004, 3, 12),
        datetime.datetime(2004, 3, 12, 0, 0),
    ],
)
def test_read_date_accepts_excel_dates_and_the_usual_ways_of_typing_them(cell):
    assert imports.read_date(cell) == datetime.date(2004, 3, 12)


def test_read_date_of_an_empty_cell_is_none():
    assert imports.read_date(None) is None
    assert imports.read_date("") is None


@pytest.mark.parametrize("cell", ["2004/03/12", "31/02/2004", "12.03.2004", "tháng ba"])
def test_read_date_refuses_what_is_not_a_date(cell):
    with pytest.raises(RowError):
        imports.read_date(cell)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [(2_500_000, Decimal(2_500_000)), ("2.500.000", Decimal(2_500_000)), ("2.500.000 đ", Decimal(2_500_000)),
     ("1.250.000,5", Decimal("1250000.5")), (None, None), ("", None)],
)  # fmt: skip
def test_read_amount_in_the_vietnamese_way(cell, amount):
    assert imports.read_amount(cell) == amount


@pytest.mark.parametrize("cell", ["-5", -5, "hai triệu"])
def test_read_amount_refuses_negative_and_non_numbers(cell):
    with pytest.raises(RowError):
        imports.read_amount(cell)


@pytest.mark.parametrize(
    ("cell", "answer"),
    [
        ("Có", True),
        ("có", True),
        ("x", True),
        ("1", True),
        ("Không", False),
        ("khong", False),
        ("", False),
        (None, False),
    ],
)
def test_read_yes_no(cell, answer):
    assert imports.read_yes_no(cell) is answer


def test_read_yes_no_refuses_anything_else():
    with pytest.raises(RowError):
        imports.read_yes_no("Có lẽ")


def test_read_choice_ignores_accents_and_case_and_lists_the_choices_when_it_cannot_match():
    choices = {"Nam": "male", "Nữ": "female"}

    assert imports.read_choice("  NU ", choices) == "female"
    with pytest.raises(RowError) as caught:
        imports.read_choice("Khác", choices)
    assert "Nam, Nữ" in str(caught.value)


# --- the template -----------------------------------------------------------------------------


def test_template_has_the_headers_marking_required_ones_an_example_and_the_notes():
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(STUDENT_IMPORT)))
    sheet, guide = workbook.worksheets

    header, example = [list(values) for values in sheet.iter_rows(values_only=True)]
    assert header[:3] == ["Họ và tên (chữ Latinh) *", "Họ và tên (chữ Lào)", "Giới tính *"]
    assert len(header) == len(STUDENT_IMPORT.columns) == 19
    assert example[0] == "Souksavanh Keobounphanh"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    notes = [line for (line,) in guide.iter_rows(values_only=True)]
    assert notes[1:] == STUDENT_IMPORT.notes


# --- reading the file -------------------------------------------------------------------------


def test_headers_are_found_in_any_order_with_stars_accents_and_case_aside(cast, run_import):
    keys = list(HEADERS)[::-1]
    headers = [fold(HEADERS[key]).upper() + (" *" if key == "full_name" else "") for key in keys]
    good = row()

    job = run_import(cast.staff, xlsx([[good[key] for key in keys]], headers=headers + ["Ghi chú riêng"]))

    assert job.state == State.DONE, job.errors
    assert Student.objects.get().passport_number == "P1234567"


def test_lines_are_counted_as_excel_shows_them_blank_rows_included(cast, run_import):
    rows = [
        row(passport_number="P0000001"),
        None,
        None,
        row(passport_number="P0000005", gender="?"),
        None,
        row(passport_number="P0000007", gender="?"),
    ]

    job = run_import(cast.staff, xlsx(rows))

    assert [error["line"] for error in job.errors] == [5, 7]


def test_a_row_shorter_than_the_header_is_read_with_empty_cells(cast, run_import):
    good = row(status="", ended_on="")
    cells = [good[key] for key in HEADERS][:-2]  # the last two cells never written

    job = run_import(cast.staff, xlsx([cells]))

    assert job.state == State.DONE, job.errors
    assert Enrollment.objects.get().status == "studying"


# --- all or nothing ---------------------------------------------------------------------------


def test_one_bad_row_among_many_good_ones_writes_nothing(cast, run_import):
    rows = people(60)
    rows[41]["lao_province"] = "Nghệ An"

    job = run_import(cast.staff, xlsx(rows))

    assert job.state == State.REFUSED
    assert [error["line"] for error in job.errors] == [43]
    assert written() == (0, 0)


def test_every_bad_row_is_reported_not_only_the_first(cast, run_import):
    rows = people(5)
    for index in (0, 2, 4):
        rows[index]["date_of_birth"] = "sinh năm 2004"

    job = run_import(cast.staff, xlsx(rows))

    assert [error["line"] for error in job.errors] == [2, 4, 6]
    assert all(error["messages"][0].startswith("Ngày sinh: ") for error in job.errors)


def test_a_failure_while_writing_rolls_everything_back_and_the_job_stops_waiting(cast, run_import, monkeypatch):
    """A row that passes the checks but fails in the database must not leave the page polling forever."""
    write_rows = STUDENT_IMPORT.write_rows

    def failing_after_writing(checked, actor, progress):
        write_rows(checked, actor, progress)  # every row is written, then the database refuses
        raise RuntimeError("the database refused the row")

    monkeypatch.setattr(STUDENT_IMPORT, "write_rows", failing_after_writing)

    with contextlib.suppress(RuntimeError):
        run_import(cast.staff, xlsx(people(5)))

    assert written() == (0, 0)
    job = Job.objects.get()
    assert (job.state, job.error) == (State.FAILED, "RuntimeError: the database refused the row")
    assert job.finished_at is not None


def test_a_finished_job_run_again_changes_nothing(cast, run_import, django_assert_max_num_queries):
    job = run_import(cast.staff, xlsx(people(2)))

    with django_assert_max_num_queries(1):
        again = job_run(job_id=job.pk)

    assert (again.state, again.created_count) == (State.DONE, 2)
    assert written() == (2, 2)


def test_a_refused_job_run_again_stays_refused(cast, run_import):
    job = run_import(cast.staff, xlsx([row(gender="?")]))

    again = job_run(job_id=job.pk)

    assert again.state == State.REFUSED
    assert again.errors == job.errors


# --- progress ---------------------------------------------------------------------------------


def test_progress_counts_checking_and_writing_as_halves_and_ends_at_one_hundred(cast, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10)
    seen = []
    check_row, write_rows = STUDENT_IMPORT.check_row, STUDENT_IMPORT.write_rows

    def spying_check(values, line, earlier):
        seen.append(("check", Job.objects.get().progress))
        return check_row(values, line, earlier)

    def spying_write(checked, actor, progress):
        seen.append(("write", Job.objects.get().progress))

        def spying_progress(done):
            progress(done)
            seen.append(("write", Job.objects.get().progress))

        return write_rows(checked, actor, spying_progress)

    monkeypatch.setattr(STUDENT_IMPORT, "check_row", spying_check)
    monkeypatch.setattr(STUDENT_IMPORT, "write_rows", spying_write)
    job = queued(cast.staff, xlsx(people(40)))
    assert job.progress == 0

    job = job_run(job_id=job.pk)

    progress = [value for _stage, value in seen]
    assert progress == sorted(progress)
    assert {value for stage, value in seen if stage == "check"} == {0, 12, 25, 37}  # every 10 of 80 steps
    # The rows are written in batches: the writing half starts at 50 and moves on as each batch is done.
    assert {value for stage, value in seen if stage == "write"} == {50, 66, 82}  # 40 + 13, 40 + 26 of 80
    assert (job.state, job.progress) == (State.DONE, 100)


@pytest.mark.parametrize(("rows", "state"), [([row()], State.DONE), ([row(gender="?")], State.REFUSED)])
def test_job_progress_is_full_once_finished(cast, run_import, rows, state):
    assert queued(cast.staff, xlsx(rows)).progress == 0

    job = run_import(cast.staff, xlsx(rows))

    assert (job.state, job.progress) == (state, 100)


# --- starting, the task, failing ---------------------------------------------------------------


def test_staff_start_a_job_that_keeps_the_file_and_waits_for_the_commit(cast):
    job = queued(cast.staff, xlsx([row()]))

    assert (job.family, job.state, job.kind, job.requested_by) == (
        Job.Family.IMPORT,
        State.QUEUED,
        "scholarships.students",
        cast.staff,
    )
    assert job.upload.name.startswith("imports/")
    assert (settings.MEDIA_ROOT / job.upload.name).exists()
    assert written() == (0, 0)


@pytest.mark.parametrize("role", ["province", "laos_leader", "admin", "outsider"])
def test_only_those_with_the_import_permission_start_one(cast, role):
    with pytest.raises(PermissionDenied):
        queued(getattr(cast, role), xlsx([row()]))

    assert not Job.objects.exists()


def test_an_upload_not_named_xlsx_is_refused_before_a_job_exists(cast):
    with pytest.raises(ValidationError):
        import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx([row()]), "luu-hoc-sinh.ods"), actor=cast.staff)

    assert not Job.objects.exists()


def test_the_task_retries_a_storage_error_and_marks_the_job_failed_after_the_last_try(cast, monkeypatch):
    job = queued(cast.staff, xlsx([row()]))

    def unreadable(storage, name, mode="rb"):
        raise OSError("the media disk is full")

    monkeypatch.setattr(FileSystemStorage, "_open", unreadable)

    with pytest.raises(Retry):
        job_run_task.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert (job.state, job.error) == (State.QUEUED, "the media disk is full")  # a retry is coming: the page waits

    # As a worker runs it: the last try's error reaches the task's failure handler.
    result = job_run_task.apply(kwargs={"job_id": job.pk}, retries=job_run_task.max_retries, throw=False)
    assert result.failed() and isinstance(result.result, OSError)
    job.refresh_from_db()
    assert (job.state, job.error, job.errors) == (State.FAILED, "OSError: the media disk is full", [])
    assert job.finished_at is not None


def test_job_fail_leaves_a_finished_import_alone(cast, run_import):
    job = run_import(cast.staff, xlsx([row()]))

    job_fail(job_id=job.pk, message="late failure")

    job.refresh_from_db()
    assert (job.state, job.error) == (State.DONE, "")


# --- the job's page ---------------------------------------------------------------------------


def test_owner_sees_the_refusal_with_every_line(cast, login, run_import):
    rows = [row(passport_number="P0000001", lao_province="Nghệ An"), row(passport_number="P0000002", gender="?")]
    job = run_import(cast.staff, xlsx(rows))

    response = login(cast.staff).get(reverse("import_job", args=[job.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-state="refused"' in content
    assert 'data-testid="import-error-line-2"' in content and 'data-testid="import-error-line-3"' in content
    assert "Nghệ An" in content
    assert f"{job.progress}%" not in content  # a refused import is not shown as partly done


def test_owner_sees_what_was_written(cast, login, run_import):
    job = run_import(cast.staff, xlsx(people(2)))

    response = login(cast.staff).get(reverse("import_job", args=[job.pk]))

    assert response.status_code == 200
    assert 'data-testid="import-done"' in response.content.decode()


def test_another_user_without_the_staff_role_gets_403(cast, login, run_import):
    job = run_import(cast.staff, xlsx([row()]))

    client = login(cast.province)

    assert client.get(reverse("import_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("import_job", args=[job.pk]), {"format": "json"}).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, cast, run_import):
    job = run_import(cast.staff, xlsx([row()]))

    response = client.get(reverse("import_job", args=[job.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_job_that_does_not_exist_is_404(cast, login):
    assert login(cast.staff).get(reverse("import_job", args=[999])).status_code == 404


def test_json_status_of_a_running_job(cast, login):
    job = queued(cast.staff, xlsx(people(3)))
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, progress=50)

    response = login(cast.staff).get(reverse("import_job", args=[job.pk]), {"format": "json"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {"state": "running", "progress": 50, "finished": False}


def test_json_status_of_a_refused_job(cast, login, run_import):
    job = run_import(cast.staff, xlsx([row(gender="?")]))

    response = login(cast.staff).get(reverse("import_job", args=[job.pk]), {"format": "json"})

    assert response.json() == {"state": "refused", "progress": 100, "finished": True}


def test_messages_follow_the_language_the_job_runs_in(cast):
    job = queued(cast.staff, xlsx([row(date_of_birth="31/02/2004")]))

    with translation.override("en"):
        job = job_run(job_id=job.pk)

    assert job.errors[0]["messages"] == ["Ngày sinh: “31/02/2004” is not a date in the form dd/mm/yyyy"]
