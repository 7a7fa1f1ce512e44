"""The import templates as the office downloads, prints and fills them in
(friendship_portal/core/imports.py `template_workbook`): both sheets print on A4 landscape, one
page wide, the header row repeated; every header shows in full, wrapped between words; the sheets
are named with their diacritics; and a template filled in imports, under its old sheet name too.

Fast: the files are read with openpyxl. tests/reports/test_rendering.py prints them with LibreOffice.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.utils import get_column_letter

from aid_projects.models import AidProject
from aid_projects.views import IMPORTS as AID_IMPORTS
from friendship_portal.core import imports
from friendship_portal.core.excel import DATE_FORMAT, LINE_HEIGHT, header_width, shown_length, wrapped_lines
from friendship_portal.core.models import Job
from scholarships.imports import STUDENT_IMPORT
from tests.aid_projects.factories import TODAY, DonorFactory, project_in
from tests.scholarships.support import row as student_row

URLS = {
    STUDENT_IMPORT.kind: reverse("scholarships:import_template"),
    **{spec.kind: reverse("aid_projects:import_template", args=[kind]) for kind, (spec, _name) in AID_IMPORTS.items()},
}
# The first sheet's name, and the name templates downloaded before had (written without diacritics).
SHEET_NAMES = {
    "scholarships.students": ("Lưu học sinh Lào", "Luu hoc sinh Lao"),
    "aid_projects.projects": ("Dự án viện trợ", "Du an vien tro"),
    "aid_projects.disbursements": ("Giải ngân", "Giai ngan"),
}
KINDS = sorted(URLS)


@pytest.fixture
def clock_day():
    return TODAY  # the aid rules read today's date


@pytest.fixture
def download(cast, login):
    client = login(cast.staff)

    def downloaded(kind: str) -> openpyxl.Workbook:
        response = client.get(URLS[kind])
        assert response.status_code == 200
        return openpyxl.load_workbook(io.BytesIO(response.content))

    return downloaded


def width(sheet, column: int) -> float:
    return sheet.column_dimensions[get_column_letter(column)].width


def test_every_import_has_its_template_here():
    assert sorted(imports.REGISTRY) == KINDS == sorted(SHEET_NAMES)


# --- printing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_both_sheets_print_on_a4_landscape_one_page_wide_with_the_first_row_repeated(download, kind):
    book = download(kind)

    assert len(book.worksheets) == 2  # the form, then its guide
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", int(sheet.PAPERSIZE_A4)), sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title


@pytest.mark.parametrize("kind", KINDS)
def test_every_header_shows_in_full_wrapped_between_words(download, kind):
    sheet = download(kind).worksheets[0]
    headers = list(sheet[1])

    assert [cell.value for cell in headers] == [
        column.header + (" *" if column.required else "") for column in imports.REGISTRY[kind].columns
    ]
    lines = 1
    for cell in headers:
        assert width(sheet, cell.column) >= header_width(cell.value), cell.value
        assert cell.font.bold and cell.alignment.wrap_text and cell.fill.fgColor.rgb.endswith("DCE6F1"), cell.value
        assert cell.border.bottom.style == "thin", cell.value
        lines = max(lines, wrapped_lines(cell.value, width(sheet, cell.column), bold=True))
    assert (sheet.row_dimensions[1].height or LINE_HEIGHT) >= lines * LINE_HEIGHT
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_row_shows_its_dates_dd_mm_yyyy_and_no_number_is_cut(download, kind):
    sheet = download(kind).worksheets[0]
    columns = imports.REGISTRY[kind].columns

    for column, cell in zip(columns, sheet[2], strict=True):
        assert cell.border.left.style == "thin", column.header
        if column.read is imports.read_date:
            assert width(sheet, cell.column) >= len("dd/mm/yyyy") + 2, column.header
            if column.example:
                assert cell.value.date() == imports.read_date(column.example), column.header  # a date, not text
                assert cell.number_format.upper() == DATE_FORMAT
        elif isinstance(cell.value, (int, float)):
            assert width(sheet, cell.column) >= shown_length(cell.value, cell.number_format) + 2, column.header
        elif isinstance(cell.value, str) and len(cell.value) + 2 > width(sheet, cell.column):
            assert cell.alignment.wrap_text, column.header
            lines = wrapped_lines(cell.value, width(sheet, cell.column))
            assert sheet.row_dimensions[2].height >= lines * LINE_HEIGHT, column.header


@pytest.mark.parametrize("kind", KINDS)
def test_the_sheets_are_named_with_their_diacritics(download, kind):
    first, guide = download(kind).sheetnames

    assert (first, guide) == (SHEET_NAMES[kind][0], "Hướng dẫn")


@pytest.mark.parametrize("kind", KINDS)
def test_the_guide_sheet_is_one_column_of_wrapped_notes_that_fits_its_page(download, kind):
    guide = download(kind).worksheets[1]
    notes = [cell for (cell,) in guide.iter_rows()]

    assert [cell.value for cell in notes[1:]] == [str(note) for note in imports.REGISTRY[kind].notes]
    assert notes[0].font.bold
    assert all(cell.alignment.wrap_text for cell in notes)
    assert 40 <= width(guide, 1) <= imports.GUIDE_WIDTH


# --- filling it in ------------------------------------------------------------------------------------


def clerks_row(kind: str) -> dict:
    """One good row of `kind`, by column key, as a clerk types it over the example."""
    if kind == "scholarships.students":
        return student_row(full_name="Noy Manivong", passport_number="P7654321")
    if kind == "aid_projects.projects":
        return {
            "code": "VT-2026-001",
            "title": "Nhà văn hóa thôn Tân Phúc",
            "kind": "Dự án",
            "sector": "Nước sạch và vệ sinh môi trường",
            "donors": "Plan International",
            "managing_agency": "UBND tỉnh Hà Tĩnh",
            "aid_owner": "UBND xã Cẩm Xuyên",
            "communes": "Xã Cẩm Xuyên",
            "beneficiaries": 300,
            "planned_start": datetime.date(2026, 6, 1),  # typed as a date: Excel keeps it one
            "planned_end": "31/12/2026",
            "currency": "USD",
            "commitment_amount": 20000,
            "exchange_rate": 25400,
        }
    return {"project": "VT-2025-014", "date": "15/04/2025", "amount": 20000, "currency": "USD", "exchange_rate": 25400}


@pytest.fixture
def records_the_rows_name(db):
    """The donor the project row names, and the running project the disbursement row names."""
    DonorFactory(name="Plan International")
    return project_in(AidProject.Status.IMPLEMENTING, code="VT-2025-014")


def filled_in(book: openpyxl.Workbook, kind: str, *, sheet_name: str | None = None) -> bytes:
    """The template with the clerk's row over its example (as the guide asks), saved as the clerk saves it."""
    sheet = book.worksheets[0]
    values = clerks_row(kind)
    for index, column in enumerate(imports.REGISTRY[kind].columns, start=1):
        sheet.cell(row=2, column=index).value = values.get(column.key)
    if sheet_name is not None:
        sheet.title = sheet_name
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def imported(actor, kind: str, content: bytes, django_capture_on_commit_callbacks) -> Job:
    upload = SimpleUploadedFile("mau-da-dien.xlsx", content, content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.import_start(kind=kind, upload=upload, actor=actor)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("old_name", [False, True], ids=["as-downloaded", "old-sheet-name"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_template_filled_in_with_one_row_imports(
    cast, clock, download, records_the_rows_name, django_capture_on_commit_callbacks, kind, old_name
):
    """The import reads the first sheet whatever its name: a template downloaded before the sheets
    were named with their diacritics imports as well."""
    content = filled_in(download(kind), kind, sheet_name=SHEET_NAMES[kind][1] if old_name else None)

    job = imported(cast.staff, kind, content, django_capture_on_commit_callbacks)

    assert (job.state, job.errors, job.created_count) == (Job.State.DONE, [], 1)
