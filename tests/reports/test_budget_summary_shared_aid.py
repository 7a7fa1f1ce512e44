"""Totals that mean what they say: in the budget summary's aid sheet, a project with two donors is
on each donor's row and a project in two communes on each commune's row. Those sections end in a
row that says it counts such projects more than once ("Cộng (có tính trùng)"), never in a plain
"Tổng cộng"; the summary sheet quotes the figures that count each project once."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from aid_projects import selectors as aid
from aid_projects.models import AidProject, Commune
from friendship_portal.overview.summaries import DOUBLE_COUNTED, budget_summary_workbook
from tests.aid_projects.factories import AidProjectFactory, DisbursementFactory, DonorFactory

pytestmark = pytest.mark.usefixtures("clock")  # 15/06/2026

YEAR = 2026
# One project shared by two donors and two communes, one of a single donor and commune.
SHARED = {"committed": 100_000_000_000, "disbursed": 30_000_000_000}
SINGLE = {"committed": 35_300_000_000, "disbursed": 5_000_000_000}
ONCE = {"projects": 2, "committed": 135_300_000_000, "disbursed": 35_000_000_000}


def running(code: str, committed: int, donors, communes, status=AidProject.Status.IMPLEMENTING) -> AidProject:
    return AidProjectFactory(
        code=code,
        status=status,
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(2025, 12, 1),
        actual_start=datetime.date(2026, 1, 15),
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2027, 12, 31),
        commitment_vnd=Decimal(committed),
        donors=donors,
        communes=communes,
    )


@pytest.fixture
def shared_aid(db):
    first, second = DonorFactory(name="Tổ chức Tầm nhìn Thế giới"), DonorFactory(name="Good Neighbors International")
    thanh_sen, tran_phu = Commune.objects.order_by("pk")[:2]
    shared = running("VT-2026-001", SHARED["committed"], [first, second], [thanh_sen, tran_phu])
    single = running("VT-2026-002", SINGLE["committed"], [first], [thanh_sen])
    for project, amount in ((shared, SHARED["disbursed"]), (single, SINGLE["disbursed"])):
        DisbursementFactory(
            project=project, date=datetime.date(YEAR, 3, 1), amount=Decimal(amount), currency="VND", exchange_rate=1
        )
    # Not counted: rejected aid, and money of another year.
    running("VT-2026-003", 999_000_000_000, [first], [thanh_sen], status=AidProject.Status.REJECTED)
    DisbursementFactory(
        project=single, date=datetime.date(YEAR - 1, 12, 1), amount=Decimal(7), currency="VND", exchange_rate=1
    )


@pytest.fixture
def book(shared_aid):
    content, figures = budget_summary_workbook(YEAR)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook.figures = figures
    return workbook


def evaluate(book, sheet_name: str, value):
    if not (isinstance(value, str) and value.startswith("=")):
        return value or 0
    match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", value)
    if match:
        sheet = book[sheet_name]
        return sum(
            evaluate(book, sheet_name, sheet[f"{match[1]}{row}"].value)
            for row in range(int(match[2]), int(match[4]) + 1)
        )
    reference = re.fullmatch(r"='([^']+)'!\$([A-Z]+)\$(\d+)", value)
    return evaluate(book, reference[1], book[reference[1]][f"{reference[2]}{reference[3]}"].value)


def section(sheet, caption_start: str) -> list[list]:
    """The rows of the section whose caption begins so: its header row, data rows and last row."""
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    start = next(index for index, row in enumerate(rows) if str(row[0] or "").startswith(caption_start))
    end = next((index for index in range(start + 1, len(rows)) if not any(rows[index])), len(rows))
    return list(sheet.iter_rows(min_row=start + 2, max_row=end))


def amounts(book, row) -> tuple:
    """(committed, disbursed) of a section's row: its last two columns, computed."""
    return tuple(evaluate(book, row[0].parent.title, cell.value) for cell in row[3:5])


def test_the_selector_counts_each_project_once_in_one_query(shared_aid, django_assert_num_queries):
    with django_assert_num_queries(1):
        totals = aid.totals(YEAR)

    assert totals == ONCE


@pytest.mark.parametrize(
    ("caption", "counted"),
    [
        # The shared project is on both donors' rows and on both communes' rows.
        (
            "2. Theo nhà tài trợ",
            (2 * SHARED["committed"] + SINGLE["committed"], 2 * SHARED["disbursed"] + SINGLE["disbursed"]),
        ),
        ("3. Theo xã", (2 * SHARED["committed"] + SINGLE["committed"], 2 * SHARED["disbursed"] + SINGLE["disbursed"])),
    ],
)
def test_a_section_that_counts_a_project_twice_says_so_in_its_last_row(book, caption, counted):
    sheet = book["Viện trợ"]
    header, *rows, last = section(sheet, caption)

    assert header[1].value and header[0].value == "STT"
    assert last[1].value == DOUBLE_COUNTED == "Cộng (có tính trùng)"
    assert all(row[1].value != "Tổng cộng" for row in rows)
    assert amounts(book, last) == counted
    assert amounts(book, last) != (ONCE["committed"], ONCE["disbursed"])


@pytest.mark.parametrize("caption", ["1. Theo lĩnh vực", "4. Theo trạng thái"])
def test_a_section_that_counts_each_project_once_keeps_its_grand_total(book, caption):
    *_rows, last = section(book["Viện trợ"], caption)

    assert last[1].value == "Tổng cộng"
    assert amounts(book, last) == (ONCE["committed"], ONCE["disbursed"])


def test_the_summary_quotes_the_figures_that_count_each_project_once(book):
    summary = book["Tổng hợp"]
    lines = {row[1].value: row[2] for row in summary.iter_rows(min_col=1, max_col=3) if isinstance(row[1].value, str)}

    assert lines["Viện trợ: số dự án thực hiện trong năm (mỗi dự án tính một lần)"].value == ONCE["projects"]
    committed = lines["Viện trợ: giá trị cam kết của các dự án thực hiện trong năm (mỗi dự án tính một lần)"]
    assert committed.value == ONCE["committed"] and committed.number_format == "#,##0"
    assert lines["Viện trợ: giải ngân trong năm (mỗi dự án tính một lần)"].value == ONCE["disbursed"]
    aid_line = lines["Viện trợ phi chính phủ nước ngoài: giải ngân trong năm"]
    assert evaluate(book, "Tổng hợp", aid_line.value) == ONCE["disbursed"]  # the line of the grand total
    assert (book.figures["aid_committed"], book.figures["aid_disbursed"]) == (ONCE["committed"], ONCE["disbursed"])
    # No figure on the summary is a double-counted one.
    quoted = {cell.value for cell in lines.values()}
    assert not quoted & {2 * SHARED["committed"] + SINGLE["committed"], 2 * SHARED["disbursed"] + SINGLE["disbursed"]}
