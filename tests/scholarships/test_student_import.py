"""Importing Lao students and their enrollments from the Excel template.

Each row is one enrollment of one student; a student is known by passport number. The file is
all or nothing: any bad row refuses the whole file, and every bad row is reported.
"""

import datetime
import io
import time

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from friendship_portal.core.imports import import_start
from friendship_portal.core.models import Job
from scholarships.imports import STUDENT_IMPORT
from scholarships.models import Enrollment, Student
from tests.scholarships.factories import EnrollmentFactory, StudentFactory, institution, province
from tests.scholarships.support import GOOD_ROW, HEADERS, people, row, upload, xlsx

State = Job.State


def vi(message: str, **values) -> str:
    """A message as the import writes it in Vietnamese (the portal's language)."""
    with translation.override("vi"):
        return gettext(message) % values if values else gettext(message)


def vi_labels(choices) -> str:
    with translation.override("vi"):
        return ", ".join(str(label) for _value, label in choices)


def counts() -> tuple[int, int]:
    return Student.objects.count(), Enrollment.objects.count()


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


# --- a good file ------------------------------------------------------------------------------


def test_good_file_creates_the_students_and_their_enrollments(cast, run_import):
    job = run_import(cast.staff, xlsx(people(3)))

    assert (job.state, job.errors) == (State.DONE, [])
    assert (job.created_count, job.updated_count) == (3, 0)
    assert counts() == (3, 3)
    student = Student.objects.get(passport_number="P0000002")
    assert (student.full_name, student.gender, student.date_of_birth) == (
        "Khamla Sisavath 2",
        "female",
        datetime.date(2004, 3, 12),
    )
    assert (student.lao_province, student.is_official) == (province("LA-BL"), False)
    assert (student.passport_expiry, student.residence_expiry) == (
        datetime.date(2029, 6, 30),
        datetime.date(2027, 8, 31),
    )
    assert student.full_name_lao == "ສຸກສະຫວັນ ແກ້ວບຸນພັນ"
    enrollment = student.enrollments.get()
    assert (enrollment.institution, enrollment.level, enrollment.status) == (
        institution("ĐH Hà Tĩnh"),
        "university",
        "studying",
    )
    assert (enrollment.start_date, enrollment.expected_end, enrollment.ended_on) == (
        datetime.date(2025, 9, 5),
        datetime.date(2029, 6, 30),
        None,
    )
    assert student.history.get().history_user == cast.staff


def test_real_excel_dates_and_numbers_are_read_as_well_as_text(cast, run_import):
    cells = row(date_of_birth=datetime.datetime(2003, 1, 9), start_date=datetime.date(2025, 9, 5), phone=912345678)

    job = run_import(cast.staff, xlsx([cells]))

    assert job.state == State.DONE
    student = Student.objects.get()
    assert (student.date_of_birth, student.phone) == (datetime.date(2003, 1, 9), "912345678")


def test_a_blank_status_means_studying_and_a_graduation_keeps_its_date(cast, run_import):
    rows = [
        row(passport_number="P0000001", status=""),
        row(passport_number="P0000002", full_name="Noy Manivong", status="Đã tốt nghiệp", ended_on="20/06/2025",
            start_date="05/09/2021", expected_end="30/06/2025"),
    ]  # fmt: skip

    job = run_import(cast.staff, xlsx(rows))

    assert job.state == State.DONE
    assert Enrollment.objects.get(student__passport_number="P0000001").status == "studying"
    graduate = Enrollment.objects.get(student__passport_number="P0000002")
    assert (graduate.status, graduate.ended_on) == ("graduated", datetime.date(2025, 6, 20))


def test_a_student_with_two_enrollments_in_one_file_is_recorded_once(cast, run_import):
    """The template's note: each row is one enrollment of a student, known by passport number."""
    language_year = row(
        level="Dự bị tiếng Việt",
        start_date="05/09/2024",
        expected_end="30/06/2025",
        status="Đã tốt nghiệp",
        ended_on="30/06/2025",
    )
    university = row(level="Đại học", start_date="05/09/2025", expected_end="30/06/2029")

    job = run_import(cast.staff, xlsx([language_year, university]))

    assert job.state == State.DONE
    student = Student.objects.get()
    assert sorted(student.enrollments.values_list("level", flat=True)) == ["language", "university"]


# --- accents, case, the names a clerk types ------------------------------------------------------


def test_accents_and_case_are_tolerated_in_choices_and_names(cast, run_import):
    typed = row(
        gender="nu",
        lao_province="BOLYKHAMXAY",
        institution="dh ha tinh",
        level="dai hoc",
        status="DANG HOC",
        is_official="co",
    )

    job = run_import(cast.staff, xlsx([typed]))

    assert job.state == State.DONE, job.errors
    student = Student.objects.get()
    enrollment = student.enrollments.get()
    assert (student.gender, student.lao_province.iso_code, student.is_official) == ("female", "LA-BL", True)
    assert (enrollment.institution.short_name, enrollment.level, enrollment.status) == (
        "ĐH Hà Tĩnh",
        "university",
        "studying",
    )


@pytest.mark.parametrize(
    ("typed", "iso_code"),
    [("Khăm Muộn", "LA-KH"), ("khammouane", "LA-KH"), ("LA-SV", "LA-SV"), ("  thu do vieng chan ", "LA-VT")],
)
def test_a_province_is_found_by_its_vietnamese_or_english_name_or_its_code(cast, run_import, typed, iso_code):
    job = run_import(cast.staff, xlsx([row(lao_province=typed)]))

    assert job.state == State.DONE, job.errors
    assert Student.objects.get().lao_province.iso_code == iso_code


@pytest.mark.parametrize(
    ("typed", "level"),
    [("Dự bị tiếng Việt", "language"), ("cao dang", "college"), ("Trung cấp nghề", "vocational"),
     ("BỒI DƯỠNG NGẮN HẠN", "short_course")],
)  # fmt: skip
def test_every_level_of_the_template_note_is_understood(cast, run_import, typed, level):
    job = run_import(cast.staff, xlsx([row(level=typed)]))

    assert job.state == State.DONE, job.errors
    assert Enrollment.objects.get().level == level


def test_an_institution_is_found_by_its_full_name(cast, run_import):
    job = run_import(cast.staff, xlsx([row(institution="trường cao đẳng y tế hà tĩnh")]))

    assert job.state == State.DONE, job.errors
    assert Enrollment.objects.get().institution.short_name == "CĐ Y tế Hà Tĩnh"


# --- bad rows ------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(cast, run_import, vietnamese):
    recorded = StudentFactory(passport_number="P0000001", phone="0200 000 000")
    EnrollmentFactory(student=recorded)
    before = counts()
    rows = [
        row(passport_number="P0000001", phone="0999 999 999"),                  # 2: good, an update
        row(passport_number="P0000003", full_name=""),                          # 3
        row(passport_number="P0000004", date_of_birth="31/02/2004"),            # 4
        row(passport_number="P0000005", lao_province="Hà Nội"),                 # 5
        row(passport_number="P0000006", institution="ĐH Bách khoa"),            # 6
        row(passport_number="P0000007", level="Tiến sĩ"),                       # 7
        row(passport_number="P0000008", gender="Khác"),                         # 8
        row(passport_number="P0000009", start_date="05/09/2025", expected_end="30/06/2025"),  # 9
        row(passport_number="P0000001", full_name="Noy Manivong"),              # 10: line 2's passport
        None,                                                                   # 11: blank, skipped
        row(passport_number="P0000012", date_of_birth="2004/13/45", lao_province="Paris"),    # 12: two problems
        row(passport_number="P0000013", status="Đã tốt nghiệp"),                # 13: no end date
        row(passport_number=""),                                                # 14
        row(passport_number="P0000015"),                                        # 15: good
    ]  # fmt: skip

    job = run_import(cast.staff, xlsx(rows))

    assert job.state == State.REFUSED
    assert (job.created_count, job.updated_count, job.progress) == (0, 0, 100)
    reported = {error["line"]: error["messages"] for error in job.errors}
    assert sorted(reported) == [3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14]
    levels = vi_labels(Enrollment.Level.choices)
    assert reported[3] == [vi("%(column)s: required", column="Họ và tên (chữ Latinh)")]
    assert reported[4] == ["Ngày sinh: " + vi("“%(value)s” is not a date in the form dd/mm/yyyy", value="31/02/2004")]
    assert reported[5] == ["Tỉnh (Lào): " + vi("“%(value)s” is not one of the 18 Lao provinces", value="Hà Nội")]
    assert reported[6] == [
        "Cơ sở đào tạo: " + vi("“%(value)s” is not a host institution of the portal", value="ĐH Bách khoa")
    ]
    assert reported[7] == [
        "Bậc đào tạo: " + vi("“%(value)s” is not one of: %(choices)s", value="Tiến sĩ", choices=levels)
    ]
    assert reported[8] == [
        "Giới tính: " + vi("“%(value)s” is not one of: %(choices)s", value="Khác", choices="Nam, Nữ")
    ]
    assert len(reported[9]) == 1 and vi("The expected end must come after the start.") in reported[9][0]
    assert reported[10] == [
        vi("passport %(passport)s is given on line %(line)d to another person", passport="P0000001", line=2)
    ]
    assert reported[12] == [
        "Ngày sinh: " + vi("“%(value)s” is not a date in the form dd/mm/yyyy", value="2004/13/45"),
        "Tỉnh (Lào): " + vi("“%(value)s” is not one of the 18 Lao provinces", value="Paris"),
    ]
    assert len(reported[13]) == 1 and vi("Give the date the studies ended.") in reported[13][0]
    assert reported[14] == [vi("%(column)s: required", column="Số hộ chiếu")]
    assert counts() == before
    recorded.refresh_from_db()
    assert recorded.phone == "0200 000 000"


def test_a_rule_broken_across_columns_names_the_column_as_the_clerk_sees_it(cast, run_import, vietnamese):
    """Cell errors say "Ngày sinh: …"; the model's checks should too, not "expected_end: …"."""
    job = run_import(cast.staff, xlsx([row(start_date="05/09/2025", expected_end="30/06/2025")]))

    [message] = job.errors[0]["messages"]
    assert message == "Dự kiến kết thúc: " + vi("The expected end must come after the start.")


def test_an_email_that_is_not_one_is_reported(cast, run_import):
    job = run_import(cast.staff, xlsx([row(email="souksavanh at example")]))

    assert job.state == State.REFUSED
    assert job.errors[0]["line"] == 2
    assert job.errors[0]["messages"][0].startswith("Email: ")
    assert counts() == (0, 0)


def test_a_birth_date_in_the_future_is_reported(cast, run_import):
    job = run_import(cast.staff, xlsx([row(date_of_birth="01/01/2090")]))

    assert job.state == State.REFUSED
    assert [error["line"] for error in job.errors] == [2]


# --- importing again ---------------------------------------------------------------------------


def test_importing_the_same_file_again_updates_and_creates_nothing(cast, run_import):
    content = xlsx(people(3))
    run_import(cast.staff, content)

    again = run_import(cast.staff, content)

    assert (again.state, again.created_count, again.updated_count) == (State.DONE, 0, 3)
    assert counts() == (3, 3)


def test_a_corrected_file_updates_the_students_and_enrollments_it_names(cast, run_import):
    run_import(cast.staff, xlsx(people(2)))
    corrected = people(2)
    corrected[1].update(phone="0987 654 321", passport_number="p0000002", status="Thôi học", ended_on="15/01/2026")

    job = run_import(cast.staff, xlsx(corrected))

    assert (job.state, job.created_count, job.updated_count) == (State.DONE, 0, 2)
    student = Student.objects.get(passport_number="P0000002")
    assert student.phone == "0987 654 321"
    assert student.enrollments.values_list("status", "ended_on").get() == ("withdrawn", datetime.date(2026, 1, 15))
    assert counts() == (2, 2)


def test_a_new_enrollment_of_a_recorded_student_is_added_to_them(cast, run_import):
    run_import(cast.staff, xlsx([row(level="Dự bị tiếng Việt", start_date="05/09/2024", expected_end="30/06/2025")]))

    job = run_import(cast.staff, xlsx([row()]))

    assert (job.state, job.created_count) == (State.DONE, 1)
    assert counts() == (1, 2)


def test_the_rows_are_written_in_batches_a_few_queries_whatever_the_number(cast, run_import):
    """The file is looked up and written in a few queries a batch, not several a row."""

    def queries_for(rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            job = run_import(cast.staff, xlsx(rows))
        assert job.state == State.DONE, job.errors
        return len(captured)

    others = [row(full_name=f"Bounmy Phommachan {n}", passport_number=f"Q{n:07d}") for n in range(1, 61)]
    few = queries_for(people(5))
    many = queries_for(others)
    again = queries_for(people(5) + others)
    # Twelve times the rows: the same statements, bar the database's own split of a long insert (SQLite
    # takes at most 999 values a statement) and the kept counts the first file wrote, deleted before they
    # are written again (the year's and the province's, three statements), where a query a row would add
    # hundreds.
    assert many <= few + 5
    assert again <= few + 5  # the same rows again: updates instead of inserts
    assert counts() == (65, 65)


def test_written_rows_keep_their_history_and_the_current_enrollment(cast, run_import):
    run_import(cast.staff, xlsx([row(level="Dự bị tiếng Việt", start_date="05/09/2024", expected_end="30/06/2025")]))
    run_import(cast.staff, xlsx([row(phone="0912 000 111")]))

    student = Student.objects.get()
    assert student.current_enrollment.level == Enrollment.Level.UNIVERSITY  # the later start
    assert [entry.history_type for entry in student.history.order_by("history_date")] == ["+", "~"]
    assert {entry.history_user for entry in student.history.all()} == {cast.staff}
    assert student.enrollments.get(level=Enrollment.Level.LANGUAGE).history.get().history_user == cast.staff


# --- the file itself ---------------------------------------------------------------------------


def test_a_file_without_the_template_headers_is_refused_naming_the_missing_ones(cast, run_import, vietnamese):
    headers = [header for key, header in HEADERS.items() if key not in ("date_of_birth", "passport_number")]
    headers += ["Date of birth", "Passport"]

    job = run_import(cast.staff, xlsx([GOOD_ROW], headers=headers))

    assert job.state == State.REFUSED
    refusal = vi(
        "The first row must hold the template's headers; missing: %(columns)s.", columns="Ngày sinh, Số hộ chiếu"
    )
    assert job.errors == [{"line": 1, "messages": [refusal]}]
    assert counts() == (0, 0)


def test_optional_columns_may_be_left_out(cast, run_import):
    required = [column.header for column in STUDENT_IMPORT.columns if column.required]

    job = run_import(cast.staff, xlsx([row()], headers=required))

    assert job.state == State.DONE, job.errors
    assert Student.objects.get().phone == ""


@pytest.mark.parametrize("name", ["luu-hoc-sinh.csv", "luu-hoc-sinh.xls", "luu-hoc-sinh.pdf"])
def test_an_upload_that_is_not_xlsx_is_refused_and_no_job_is_made(cast, name):
    with pytest.raises(ValidationError):
        import_start(kind=STUDENT_IMPORT.kind, upload=upload(b"Ho va ten;Ngay sinh\n", name), actor=cast.staff)

    assert not Job.objects.exists()


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(cast, run_import, vietnamese):
    job = run_import(cast.staff, b"Ho va ten,Ngay sinh\nKhamla,12/03/2004\n")

    assert job.state == State.REFUSED
    assert job.errors == [{"line": 1, "messages": [vi("The file cannot be read as an Excel workbook (.xlsx).")]}]


def test_a_file_of_headers_only_is_refused(cast, run_import):
    job = run_import(cast.staff, xlsx([]))

    assert job.state == State.REFUSED
    assert [error["line"] for error in job.errors] == [2]


# A year's full file, 3,000 rows, against PostgreSQL (CI's second pass and production's database).
# The quick SQLite pass imports 600: the same checking and writing, progress every 50 rows.
LARGE_FILE_ROWS = {"postgresql": 3000}


@pytest.mark.slow
def test_a_large_file_imports_and_the_progress_reaches_one_hundred(cast, run_import, capsys):
    rows = LARGE_FILE_ROWS.get(connection.vendor, 600)
    content = xlsx(people(rows))

    started = time.perf_counter()
    job = run_import(cast.staff, content)
    elapsed = time.perf_counter() - started

    assert (job.state, job.errors) == (State.DONE, [])
    assert (job.created_count, job.updated_count) == (rows, 0)
    assert job.progress == 100
    assert counts() == (rows, rows)
    with capsys.disabled():
        print(f"\n{rows:,}-row student import: {elapsed:.1f} s")
    assert elapsed < 120  # a generous ceiling for a slow CI machine; a laptop takes a few seconds


# --- the pages ---------------------------------------------------------------------------------


def test_the_template_download_has_the_headers_and_an_example(cast, login):
    response = login(cast.province).get(reverse("scholarships:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    assert list(header) == [c.header + (" *" if c.required else "") for c in STUDENT_IMPORT.columns]
    assert example[list(HEADERS).index("passport_number")] == "P1234567"


def test_the_template_filled_in_below_its_example_imports(cast, login, run_import):
    content = login(cast.staff).get(reverse("scholarships:import_template")).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet.append([row(passport_number="P7654321", full_name="Noy Manivong")[key] for key in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = run_import(cast.staff, buffer.getvalue())

    assert (job.state, job.created_count) == (State.DONE, 2), job.errors
    assert set(Student.objects.values_list("passport_number", flat=True)) == {"P1234567", "P7654321"}


def test_staff_upload_on_the_import_page_and_land_on_the_job(cast, login, django_capture_on_commit_callbacks):
    client = login(cast.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scholarships:import"), {"file": upload(xlsx(people(2)))})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.requested_by, job.title) == (State.DONE, cast.staff, "luu-hoc-sinh-lao.xlsx")
    assert counts() == (2, 2)


def test_the_import_page_refuses_a_csv_on_the_form(cast, login):
    response = login(cast.staff).post(reverse("scholarships:import"), {"file": upload(b"a;b\n", "luu-hoc-sinh.csv")})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Job.objects.exists()


def test_the_job_page_shows_each_bad_line_to_its_owner(cast, login, run_import):
    job = run_import(cast.staff, xlsx([row(), row(passport_number="P0000003", lao_province="Hà Nội")]))

    response = login(cast.staff).get(reverse("import_job", args=[job.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="import-error-line-3"' in content
    assert "Hà Nội" in content
    assert 'data-testid="import-error-line-2"' not in content


@pytest.mark.parametrize(
    ("role", "status"), [("province", 403), ("laos_leader", 403), ("outsider", 403), ("admin", 403)]
)
def test_the_job_page_is_closed_to_other_users_without_the_staff_role(cast, login, run_import, role, status):
    job = run_import(cast.staff, xlsx([row(lao_province="Hà Nội")]))

    client = login(getattr(cast, role))

    assert client.get(reverse("import_job", args=[job.pk])).status_code == status
    assert client.get(reverse("import_job", args=[job.pk]), {"format": "json"}).status_code == status


def test_another_staff_member_may_follow_the_job(cast, login, run_import):
    from tests.factories import UserFactory

    job = run_import(cast.staff, xlsx([row()]))

    response = login(UserFactory(username="staff.two", roles=["union_staff"])).get(reverse("import_job", args=[job.pk]))

    assert response.status_code == 200


def test_the_json_status_follows_the_job(cast, login):
    client = login(cast.staff)
    job = import_start(kind=STUDENT_IMPORT.kind, upload=upload(xlsx([row()])), actor=cast.staff)  # queued, not run
    url = reverse("import_job", args=[job.pk])

    queued = client.get(url, {"format": "json"})
    assert queued.json() == {"state": "queued", "progress": 0, "finished": False}
    assert queued["Cache-Control"] == "no-store"

    from friendship_portal.core.jobs import job_run

    job_run(job_id=job.pk)
    assert client.get(url, {"format": "json"}).json() == {"state": "done", "progress": 100, "finished": True}


def test_an_imported_file_shows_at_once_on_the_budget_page(cast, login, run_import):
    """The rows are written in bulk (no record's signal): the import itself has the cached figures read
    again, so the budget page counts the students it brought."""
    client = login(cast.staff)
    before = client.get(reverse("scholarships:budget")).context["counts"]["studying"]

    assert run_import(cast.staff, xlsx(people(3))).state == State.DONE

    assert client.get(reverse("scholarships:budget")).context["counts"]["studying"] == before + 3


def test_a_refused_file_leaves_the_cached_figures_as_they_are(cast, run_import):
    from friendship_portal.core import figures

    version = figures.data_version()
    bad = people(2)
    bad[1]["passport_number"] = ""
    assert run_import(cast.staff, xlsx(bad)).state == State.REFUSED
    assert figures.data_version() == version
