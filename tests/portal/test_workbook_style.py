"""Every workbook the portal hands out has one look: the budget summary, the aid yearly summary and
every list export, answered at once or streamed by a job.

Each sheet opens with the header block (the union in capitals, the title, "Lập ngày dd/mm/yyyy"),
its tables are numbered in an STT column under a filled, bordered header row, its columns are wide
enough for what they show (a number or a date never turns into "###", a long name wraps rather than
being cut), dates read dd/mm/yyyy and amounts #,##0, and it prints on A4 landscape, one page wide,
its header rows repeated on every page."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from openpyxl.utils import get_column_letter

from aid_projects.models import AidProject, Commune, ProgressReport
from aid_projects.reports import aid_yearly_workbook
from delegations.models import BudgetLine
from friendship_portal.core.excel import DATE, NUMBER, Column, build_workbook, stream_workbook
from friendship_portal.core.models import Job
from friendship_portal.overview.summaries import budget_summary_workbook
from tests.aid_projects.factories import AidProjectFactory, DisbursementFactory, DonorFactory, ProgressReportFactory
from tests.delegations.factories import DelegationFactory
from tests.portal.test_safe_spreadsheets import PLANTERS, list_exports
from tests.reports.renderer import PDFTOTEXT, SOFFICE, require_renderer
from tests.scholarships.factories import AwardFactory, PaymentFactory, YearlyBudgetFactory
from tests.workbooks import HEADER_ROW, open_book

YEAR = 2026
TODAY = datetime.date(2026, 6, 15)
PREPARED = "Lập ngày 15/06/2026"
LONG_TITLE = (
    "Chương trình cải thiện sinh kế bền vững, nước sạch và vệ sinh môi trường cho đồng bào các xã "
    "vùng biên giới Việt – Lào của tỉnh"
)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC), tick=False):
        yield


# --- what a cell shows ---------------------------------------------------------------------------


def evaluate(book, sheet_name: str, value):
    """A formula the portal writes (a SUM over a column, a reference, a difference), computed."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value or 0
    text = value[1:]
    match = re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", text)
    if match:
        sheet = book[sheet_name]
        return sum(
            evaluate(book, sheet_name, sheet[f"{match[1]}{row}"].value)
            for row in range(int(match[2]), int(match[4]) + 1)
        )
    total = 0
    for sign, term in re.findall(r"([+-]?)([^+-]+)", text):
        reference = re.fullmatch(r"(?:'([^']+)'!)?\$?([A-Z]+)\$?(\d+)", term)
        other = reference[1] or sheet_name
        term_value = evaluate(book, other, book[other][f"{reference[2]}{reference[3]}"].value)
        total += -term_value if sign == "-" else term_value
    return total


def shown(book, cell) -> str:
    """The text a cell shows when its column is wide enough."""
    value = evaluate(book, cell.parent.title, cell.value) if cell.data_type == "f" else cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if "hh" in cell.number_format.lower() else "%d/%m/%Y")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if cell.number_format == "0":
            return f"{value:.0f}"
        return f"{value:,.0f}".replace(",", ".")
    return str(value)


def length(text: str) -> int:
    """The characters of a text's longest line."""
    return max((len(line) for line in text.splitlines()), default=0)


def width(sheet, column: int) -> float:
    return sheet.column_dimensions[get_column_letter(column)].width


# --- the look, sheet by sheet ----------------------------------------------------------------------


def assert_header_block(sheet, title: str | None = None):
    assert sheet["A1"].value == settings.PORTAL_UNION_NAME.upper()
    assert sheet["A1"].font.bold
    assert sheet["A2"].value and sheet["A2"].value == sheet["A2"].value.upper()
    if title is not None:
        assert sheet["A2"].value == title
    assert sheet["A2"].font.bold
    assert sheet["A3"].value == PREPARED
    # The title is centred over the whole table.
    (merged,) = [area for area in sheet.merged_cells.ranges if area.min_row == 2]
    assert merged.max_col == sheet.max_column


def assert_page_setup(sheet):
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows
    assert sheet.freeze_panes


def header_rows(sheet) -> list[int]:
    """The header rows of the sheet's tables: those whose first cell reads STT on the header fill."""
    return [
        cell.row
        for (cell,) in sheet.iter_rows(min_col=1, max_col=1)
        if cell.value == "STT" and cell.fill.fgColor.rgb.endswith("DCE6F1")
    ]


def assert_tables(sheet):
    """Each table: a bold, filled, bordered header row; data rows numbered 1, 2, 3… in STT, bordered."""
    rows = header_rows(sheet)
    assert rows, sheet.title
    assert rows[0] in (HEADER_ROW, HEADER_ROW + 1)  # under the block, or under the first table's caption
    for header in rows:
        headers = [cell for cell in sheet[header] if cell.value is not None]
        assert all(cell.font.bold and cell.border.bottom.style == "thin" for cell in headers), sheet.title
        row, number = header + 1, 1
        while row <= sheet.max_row and sheet.cell(row=row, column=1).value == number:
            assert sheet.cell(row=row, column=2).border.left.style == "thin"
            row, number = row + 1, number + 1


def assert_columns_fit(book, sheet):
    """No number or date would show "###": its column is wider than the text it shows. Text in a
    table fits its column, or wraps in it."""
    for row in sheet.iter_rows(min_row=HEADER_ROW):
        for cell in row:
            if cell.value is None or cell.row in header_rows(sheet):
                continue
            text = shown(book, cell)
            if cell.is_date or cell.data_type in ("n", "f"):
                assert width(sheet, cell.column) >= len(text) + 1, (sheet.title, cell.coordinate, text)
            elif cell.border.left.style == "thin" and length(text) > width(sheet, cell.column):
                assert cell.alignment.wrap_text, (sheet.title, cell.coordinate, text)


def assert_formats(sheet):
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if cell.is_date:
                assert cell.number_format.lower() in ("dd/mm/yyyy", "dd/mm/yyyy hh:mm"), cell.coordinate
            elif isinstance(cell.value, int) and cell.column > 1 and cell.number_format != "0":
                assert cell.number_format == "#,##0", (sheet.title, cell.coordinate)


def assert_house_style(content: bytes, titles: dict | None = None):
    book = open_book(content)
    for sheet in book.worksheets:
        assert sheet.title[:1] == sheet.title[:1].upper(), sheet.title
        assert_header_block(sheet, (titles or {}).get(sheet.title))
        assert_tables(sheet)
        assert_columns_fit(book, sheet)
        assert_formats(sheet)
        assert_page_setup(sheet)
    return book


def column_of(sheet, header: str, header_row: int = HEADER_ROW) -> int:
    return next(cell.column for cell in sheet[header_row] if cell.value == header)


def longest(sheet, column: int, first: int) -> int:
    return max(
        length(shown(sheet.parent, cell)) for (cell,) in sheet.iter_rows(min_row=first, min_col=column, max_col=column)
    )


# --- the records ------------------------------------------------------------------------------------


@pytest.fixture
def aid_world(cast):
    """Aid of 2026 with big amounts, long names and a progress report long overdue."""
    communes = list(Commune.objects.order_by("pk")[:2])
    shared = AidProjectFactory(
        code="VT-2026-001",
        title="Trường học an toàn cho trẻ em vùng lũ Hương Khê",
        status=AidProject.Status.IMPLEMENTING,
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(2025, 12, 1),
        actual_start=datetime.date(2026, 1, 15),
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2027, 12, 31),
        commitment_vnd=Decimal("135300000000"),
        donors=[DonorFactory(name="Tổ chức Tầm nhìn Thế giới"), DonorFactory(name="Quỹ Nhi đồng Liên hợp quốc")],
        communes=communes,
    )
    long = AidProjectFactory(
        code="VT-2025-014",
        title=LONG_TITLE,
        status=AidProject.Status.IMPLEMENTING,
        decision_number="126/QĐ-UBND",
        decision_date=datetime.date(2025, 2, 1),
        actual_start=datetime.date(2025, 3, 1),
        commitment_vnd=Decimal("2159000000"),
    )
    for project, amount in ((shared, 45_250_000_000), (long, 600_000_000)):
        DisbursementFactory(
            project=project,
            date=datetime.date(YEAR, 3, 1),
            amount=Decimal(amount),
            currency="VND",
            exchange_rate=Decimal(1),
        )
    ProgressReportFactory(
        project=shared,
        kind=ProgressReport.Kind.SIX_MONTH,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 6, 1),
    )
    return cast


@pytest.fixture
def budget_world(aid_world):
    cast = aid_world
    YearlyBudgetFactory(year=YEAR, planned_amount=Decimal(6_500_000_000))
    award = AwardFactory(monthly_amount=Decimal(3_000_000))
    PaymentFactory(
        award=award, month=datetime.date(YEAR, 2, 1), amount=Decimal(3_000_000), paid_on=datetime.date(YEAR, 2, 10)
    )
    delegation = DelegationFactory(association=cast.laos, start_date=datetime.date(YEAR, 5, 11))
    BudgetLine.objects.create(delegation=delegation, item="Vé máy bay", amount=Decimal(1_234_500_000))
    return cast


# --- the reports ------------------------------------------------------------------------------------


def test_the_budget_summary_has_the_house_style(budget_world):
    content, _figures = budget_summary_workbook(YEAR)

    book = assert_house_style(
        content,
        {
            "Tổng hợp": f"TỔNG HỢP KINH PHÍ NĂM {YEAR}",
            "Viện trợ": f"VIỆN TRỢ PHI CHÍNH PHỦ NƯỚC NGOÀI NĂM {YEAR}",
        },
    )

    assert book.sheetnames == ["Tổng hợp", "Học bổng", "Viện trợ", "Đoàn công tác"]
    summary = book["Tổng hợp"]
    assert [summary.cell(row=row, column=1).value for row in (6, 7, 8)] == [1, 2, 3]
    # A sheet of several tables repeats its header block on each page; one of a single table, its header row.
    assert summary.print_title_rows == "$5:$5"
    assert book["Viện trợ"].print_title_rows == "$1:$3"
    aid = book["Viện trợ"]
    first = header_rows(aid)[0]
    amounts = column_of(aid, "Cam kết (đồng)", first)
    assert width(aid, amounts) >= longest(aid, amounts, first + 1) + 1  # 135.300.000.000, and its total


def test_the_aid_yearly_summary_has_the_house_style(aid_world):
    content = aid_yearly_workbook(YEAR)

    book = assert_house_style(
        content,
        {"Dự án": f"TỔNG HỢP VIỆN TRỢ PHI CHÍNH PHỦ NƯỚC NGOÀI NĂM {YEAR}"},
    )

    projects = book["Dự án"]
    assert projects.print_title_rows == "$5:$5"
    headers = [cell.value for cell in projects[HEADER_ROW]]
    assert headers[:3] == ["STT", "Mã", "Tên chương trình, dự án"]
    for header in ("Mã", "Nhà tài trợ", "Bắt đầu", "Kết thúc", "Cam kết (đồng)", "Lũy kế giải ngân (đồng)"):
        column = column_of(projects, header)
        assert width(projects, column) >= longest(projects, column, HEADER_ROW + 1), header
    title = column_of(projects, "Tên chương trình, dự án")
    long_cell = next(cell for (cell,) in projects.iter_rows(min_col=title, max_col=title) if cell.value == LONG_TITLE)
    assert long_cell.alignment.wrap_text  # too long for any column: it wraps, every word kept
    start = projects.cell(row=HEADER_ROW + 1, column=column_of(projects, "Bắt đầu"))
    assert start.is_date and start.number_format.lower() == "dd/mm/yyyy"

    overdue = book["Báo cáo quá hạn"]
    due = overdue.cell(row=HEADER_ROW + 1, column=column_of(overdue, "Hạn nộp"))
    assert due.is_date and due.value.date() == datetime.date(2026, 6, 1)
    assert due.number_format.lower() == "dd/mm/yyyy"


def pdf_text(content: bytes, tmp_path) -> str:
    require_renderer()  # as the rendering tests: CI always renders, elsewhere a loud skip
    source = tmp_path / "book.xlsx"
    source.write_bytes(content)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    result = subprocess.run(
        [PDFTOTEXT, "-layout", str(tmp_path / "book.pdf"), "-"], check=True, capture_output=True, timeout=60
    )
    return result.stdout.decode()


def test_the_aid_yearly_summary_prints_every_date_and_amount(aid_world, tmp_path):
    text = pdf_text(aid_yearly_workbook(YEAR), tmp_path)

    assert "###" not in text
    assert "01/06/2026" in text and "2026-06-01" not in text  # the overdue report's due date
    assert re.search(r"135[.,]300[.,]000[.,]000", text)
    assert settings.PORTAL_UNION_NAME.upper() in text


# --- the list exports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", sorted(list_exports()))
def test_every_list_export_has_the_house_style(cast, login, url_name):
    PLANTERS[url_name](cast)

    response = login(cast.staff).get(reverse(url_name), {"export": "xlsx"})

    book = assert_house_style(response.content)
    sheet = book.active
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert sheet["A2"].value.startswith("DANH SÁCH ")


@pytest.mark.parametrize("url_name", sorted(list_exports()))
def test_every_list_exported_by_a_job_has_the_same_style(
    cast, login, settings, url_name, django_capture_on_commit_callbacks
):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 0
    PLANTERS[url_name](cast)
    client = login(cast.staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse(url_name), {"export": "xlsx"})

    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.error
    with job.file.open("rb") as stored:
        content = stored.read()
    book = assert_house_style(content)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 10_000
    in_request = open_book(client.get(reverse(url_name), {"export": "xlsx"}).content)
    streamed, answered = book.active, in_request.active
    assert [c.value for c in streamed[HEADER_ROW]] == [c.value for c in answered[HEADER_ROW]]
    assert list(streamed.iter_rows(min_row=HEADER_ROW, values_only=True)) == list(
        answered.iter_rows(min_row=HEADER_ROW, values_only=True)
    )
    assert [streamed[f"A{row}"].value for row in (1, 2, 3)] == [answered[f"A{row}"].value for row in (1, 2, 3)]


def test_a_streamed_export_sizes_its_aid_columns_from_their_fields(
    aid_world, login, settings, django_capture_on_commit_callbacks
):
    """Rows are not known before a streamed sheet's columns are sized: the widths come from the
    fields (a date, an amount of up to 15 digits, a title of 500 characters wraps)."""
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        login(aid_world.staff).get(reverse("aid_projects:project_list"), {"export": "xlsx"})

    with Job.objects.get().file.open("rb") as stored:
        sheet = open_book(stored.read()).active
    headers = {cell.value: cell.column for cell in sheet[HEADER_ROW]}
    assert width(sheet, headers["Tiêu đề"]) >= 40
    for header, column in headers.items():
        cells = [cell for (cell,) in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=column, max_col=column)]
        if any(cell.is_date for cell in cells):
            assert width(sheet, column) >= len("dd/mm/yyyy") + 1, header
        if any(isinstance(cell.value, int) for cell in cells) and column > 1:
            assert width(sheet, column) >= len("999.999.999.999.999") + 1, header


# --- the writers themselves -----------------------------------------------------------------------------


@pytest.mark.parametrize("writer", [build_workbook, stream_workbook])
def test_both_writers_give_one_look(db, writer):
    content = writer(
        title="hội viên",
        headers=["Họ và tên", Column("Ngày vào hội", DATE), Column("Kinh phí (đồng)", NUMBER), "Năm"],
        rows=[
            ["Nguyễn Thị Phương Thảo", datetime.date(2026, 7, 15), Decimal("396900000000"), 2026],
            ["Lê Văn Bình", datetime.date(2015, 3, 2), Decimal("1250000"), 2015],
        ],
        plain_columns=[3],
    )

    book = assert_house_style(content, {"Hội viên": "DANH SÁCH HỘI VIÊN"})
    sheet = book.active
    assert sheet.title == "Hội viên"
    assert [cell.value for cell in sheet[HEADER_ROW]] == ["STT", "Họ và tên", "Ngày vào hội", "Kinh phí (đồng)", "Năm"]
    assert [sheet[f"A{row}"].value for row in (6, 7)] == [1, 2]
    assert (sheet["C6"].number_format.lower(), sheet["D6"].number_format, sheet["E6"].number_format) == (
        "dd/mm/yyyy",
        "#,##0",
        "0",
    )
    assert width(sheet, 2) >= len("Nguyễn Thị Phương Thảo")
    assert width(sheet, 4) >= len("396.900.000.000") + 1
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
