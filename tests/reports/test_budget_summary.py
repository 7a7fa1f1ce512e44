"""The yearly budget summary (.xlsx) over a small world whose every amount is counted by hand:
Lao students paid in three months of 2026, aid disbursed to two sectors, delegations with budget
lines. The summary's lines are formulas reading each sheet's total, and each total a SUM over
exactly its section's rows, so a reader who edits a row in Excel sees every total follow."""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from aid_projects import services as aid
from aid_projects.models import AidProject, Disbursement, Sector
from delegations.models import BudgetLine, Delegation
from friendship_portal.core.words import in_words_line
from friendship_portal.overview.summaries import budget_summary_workbook
from scholarships.models import Payment
from tests.aid_projects.factories import AidProjectFactory, DonorFactory
from tests.delegations.factories import DelegationFactory
from tests.scholarships.factories import AwardFactory, PaymentFactory, YearlyBudgetFactory, province

pytestmark = pytest.mark.usefixtures("clock")  # 15/06/2026: the aid disbursed so far this year

YEAR = 2026
SHEETS = ["Tổng hợp", "Học bổng", "Viện trợ", "Đoàn công tác"]
VND = "#,##0"

# Scholarships paid in 2026, by the month they were paid in.
PAID_BY_MONTH = {1: 3_000_000, 2: 2_500_000 + 3_000_000, 3: 2_500_000 + 1_000_000}
SCHOLARSHIPS_PAID = 12_000_000
PLANNED = 6_500_000_000
# Aid disbursed in 2026, by sector.
AID_BY_SECTOR = {Sector.WATER_SANITATION: 150_000_000 + 50_000_000, Sector.EDUCATION: 300_000_000}
AID_DISBURSED = 500_000_000
# Delegations of 2026 by (association, direction): (number of delegations, estimated cost).
DELEGATIONS_COST = 45_000_000 + 12_500_000 + 80_000_000 + 14_550_000
GRAND_TOTAL = SCHOLARSHIPS_PAID + AID_DISBURSED + DELEGATIONS_COST  # 664.050.000


@pytest.fixture
def world(cast):
    """Every record the summary reads, with a few that it must leave out."""
    YearlyBudgetFactory(year=YEAR, planned_amount=Decimal(PLANNED))

    bolikhamxay = AwardFactory(enrollment__student__lao_province=province("LA-BL"))
    khammouane = AwardFactory(enrollment__student__lao_province=province("LA-KH"), monthly_amount=3_000_000)
    for award, month, amount, paid_on, kind in [
        (bolikhamxay, "2026-02-01", 2_500_000, "2026-02-10", Payment.Kind.ALLOWANCE),
        (bolikhamxay, "2026-03-01", 2_500_000, "2026-03-10", Payment.Kind.ALLOWANCE),
        (bolikhamxay, "2026-04-01", 2_500_000, None, Payment.Kind.ALLOWANCE),  # awarded, not paid yet
        (bolikhamxay, "2025-12-01", 2_500_000, "2025-12-10", Payment.Kind.ALLOWANCE),  # paid last year
        (khammouane, "2025-12-01", 3_000_000, "2026-01-05", Payment.Kind.ALLOWANCE),  # December's, paid late
        (khammouane, "2026-02-01", 3_000_000, "2026-02-10", Payment.Kind.ALLOWANCE),
        (khammouane, "2026-03-01", 1_000_000, "2026-03-12", Payment.Kind.EQUIPMENT),
    ]:
        PaymentFactory(award=award, month=month, amount=Decimal(amount), paid_on=paid_on, kind=kind)

    water = approved_and_started(
        cast,
        code="VT-2025-001",
        sector=Sector.WATER_SANITATION,
        commitment=2_000_000_000,
        planned=("2025-03-01", "2027-12-31"),
        decided_on=datetime.date(2025, 2, 20),
        started_on=datetime.date(2025, 3, 1),
    )
    school = approved_and_started(
        cast,
        code="VT-2026-001",
        sector=Sector.EDUCATION,
        commitment=800_000_000,
        planned=("2026-01-01", "2026-12-31"),
        decided_on=datetime.date(2026, 1, 10),
        started_on=datetime.date(2026, 1, 15),
    )
    for project, day, amount in [
        (water, datetime.date(2025, 11, 20), 100_000_000),  # last year
        (water, datetime.date(2026, 2, 15), 150_000_000),
        (water, datetime.date(2026, 5, 10), 50_000_000),
        (school, datetime.date(2026, 4, 1), 300_000_000),
    ]:
        aid.disbursement_record(
            actor=cast.staff,
            instance=Disbursement(project=project, date=day, amount=Decimal(amount), currency="VND"),
        )

    for fields, amounts in [
        ({"association": cast.laos, "start_date": datetime.date(2026, 3, 10)}, [45_000_000, 12_500_000]),
        ({"association": cast.russia, "start_date": datetime.date(2026, 9, 1)}, [80_000_000]),
        ({"inbound": True, "association": None, "start_date": datetime.date(2026, 4, 5)}, [14_550_000]),
        ({"status": Delegation.Status.CANCELLED, "start_date": datetime.date(2026, 5, 1)}, [99_000_000]),
        ({"status": Delegation.Status.APPROVED, "start_date": datetime.date(2025, 10, 1)}, [70_000_000]),
    ]:
        delegation = DelegationFactory(**fields)
        for number, amount in enumerate(amounts, start=1):
            BudgetLine.objects.create(delegation=delegation, item=f"Khoản chi {number}", amount=Decimal(amount))


def approved_and_started(cast, *, code, sector, commitment, planned, decided_on, started_on) -> AidProject:
    """Aid taken the way staff and the province take it: proposed, appraised, approved, started."""
    project = aid.aid_project_save(
        actor=cast.staff,
        instance=AidProjectFactory.build(
            code=code,
            sector=sector,
            currency="VND",
            commitment_amount=Decimal(commitment),
            exchange_rate=Decimal(1),
            planned_start=datetime.date.fromisoformat(planned[0]),
            planned_end=datetime.date.fromisoformat(planned[1]),
        ),
        donors=[DonorFactory()],
        communes=[],
    )
    aid.aid_project_send_to_appraisal(project_id=project.pk, actor=cast.staff)
    aid.aid_project_approve(
        project_id=project.pk, actor=cast.province, decision_number="125/QĐ-UBND", decision_date=decided_on
    )
    aid.aid_project_start(project_id=project.pk, actor=cast.staff, started_on=started_on)
    project.refresh_from_db()
    return project


@pytest.fixture
def workbook(world):
    content, figures = budget_summary_workbook(YEAR)
    book = openpyxl.load_workbook(io.BytesIO(content))
    book.figures = figures
    book.content = content
    return book


# --- reading formulas the way a spreadsheet would (only the forms the summary writes) -----------

REFERENCE = r"(?:'(?P<sheet>[^']+)'!)?\$?(?P<column>[A-Z]+)\$?(?P<row>\d+)"


def reference(text: str) -> tuple[str | None, str]:
    match = re.fullmatch(REFERENCE, text)
    assert match, text
    return match["sheet"], f"{match['column']}{match['row']}"


def sum_range(formula: str) -> tuple[str, int, int]:
    """ "=SUM(D5:D9)" → ("D", 5, 9); the range stays in one column."""
    match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula)
    assert match and match[1] == match[3], formula
    return match[1], int(match[2]), int(match[4])


def evaluate(book, sheet: str, value):
    if not (isinstance(value, str) and value.startswith("=")):
        return value or 0
    formula = value[1:]
    if formula.startswith("SUM("):
        column, first, last = sum_range(value)
        return sum(evaluate(book, sheet, book[sheet][f"{column}{row}"].value) for row in range(first, last + 1))
    total = 0
    for sign, term in re.findall(r"([+-]?)([^+-]+)", formula):
        other, address = reference(term)
        term_value = evaluate(book, other or sheet, book[other or sheet][address].value)
        total += -term_value if sign == "-" else term_value
    return total


def rows_above(sheet, total_row: int) -> tuple[int, int]:
    """The first and last data rows of the section whose total is on `total_row`: those under its
    header row (the one with the header fill)."""
    row = total_row - 1
    while not sheet.cell(row=row, column=1).fill.fgColor.rgb.endswith("DCE6F1"):
        assert sheet.cell(row=row, column=2).value not in (None, "", "Tổng cộng"), (sheet.title, row)  # B: labels
        row -= 1
    return row + 1, total_row - 1


def sections(sheet) -> list[dict]:
    """Each section of a sheet: its data rows, its header row, its total row and the summed columns."""
    found = []
    for (cell,) in sheet.iter_rows(min_col=2, max_col=2):  # A is the STT column
        if cell.value == "Tổng cộng":
            first, last = rows_above(sheet, cell.row)
            headers = [header.value for header in sheet[first - 1]]
            sums = [index + 1 for index, header in enumerate(headers) if header and "(đồng)" in header]
            found.append({"first": first, "last": last, "total": cell.row, "sums": sums, "headers": headers})
    return found


def section_of(book, address: str) -> tuple[object, dict, str]:
    """The sheet, section and column of a summary line's reference such as "'Học bổng'!$C$18"."""
    sheet_name, cell = reference(address)
    sheet = book[sheet_name]
    row = sheet[cell].row
    (section,) = [section for section in sections(sheet) if section["total"] == row]
    return sheet, section, sheet[cell].column_letter


def data_rows(sheet, section) -> list[list]:
    return [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=section["first"], max_row=section["last"], max_col=len(section["headers"]))
    ]


def summary_lines(book) -> tuple[list, int]:
    summary = book["Tổng hợp"]
    total_row = next(row for row in range(1, 30) if summary.cell(row=row, column=2).value == "Tổng cộng")
    lines = list(range(6, total_row))
    return lines, total_row


# --- the workbook ---------------------------------------------------------------------------------


def test_sheets_are_the_summary_then_one_per_area(workbook):
    assert workbook.sheetnames == SHEETS
    assert workbook.active.title == "Tổng hợp"


def test_summary_lines_read_the_total_cells_of_the_other_sheets(workbook):
    summary = workbook["Tổng hợp"]
    lines, total_row = summary_lines(workbook)

    formulas = [summary.cell(row=row, column=3).value for row in lines]
    assert [reference(formula[1:])[0] for formula in formulas] == ["Học bổng", "Viện trợ", "Đoàn công tác"]
    for formula in formulas:
        sheet, section, column = section_of(workbook, formula[1:])
        assert (
            sheet[f"{column}{section['total']}"].value == f"=SUM({column}{section['first']}:{column}{section['last']})"
        )
    assert summary.cell(row=total_row, column=3).value == f"=SUM(C{lines[0]}:C{lines[-1]})"


def test_scholarship_line_sums_the_months_paid(workbook):
    formula = workbook["Tổng hợp"]["C6"].value
    sheet, section, column = section_of(workbook, formula[1:])

    assert section["headers"] == ["STT", "Tháng", "Đã cấp (đồng)", "Đã chi (đồng)"]
    assert column == "D"
    paid = {row[1]: row[3] for row in data_rows(sheet, section)}
    assert paid == {f"Tháng {month:02d}/{YEAR}": PAID_BY_MONTH.get(month, 0) for month in range(1, 13)}
    assert sum(paid.values()) == SCHOLARSHIPS_PAID == evaluate(workbook, "Tổng hợp", formula)


def test_scholarship_sheet_compares_the_paid_with_the_plan(workbook):
    sheet = workbook["Học bổng"]
    labels = {sheet.cell(row=row, column=2).value: row for row in range(1, sheet.max_row + 1)}
    planned, remaining = labels["Dự toán được giao (đồng)"], labels["Còn lại so với dự toán (đồng)"]

    assert sheet.cell(row=planned, column=4).value == PLANNED
    assert evaluate(workbook, "Học bổng", sheet.cell(row=remaining, column=4).value) == PLANNED - SCHOLARSHIPS_PAID


def test_scholarship_breakdowns_add_up_to_the_same_total(workbook):
    sheet = workbook["Học bổng"]
    by_month, by_province, by_level, by_institution = sections(sheet)

    provinces = {row[1]: row[3] for row in data_rows(sheet, by_province)}
    assert provinces == {"Bôlykhămxay": 2_500_000 + 2_500_000, "Khăm Muộn": 3_000_000 + 3_000_000 + 1_000_000}
    for section in (by_month, by_province, by_level, by_institution):
        assert evaluate(workbook, "Học bổng", sheet[f"D{section['total']}"].value) == SCHOLARSHIPS_PAID
        awarded = evaluate(workbook, "Học bổng", sheet[f"C{section['total']}"].value)
        assert awarded == 2_500_000 * 3 + 3_000_000 + 1_000_000  # Feb, Mar, Apr; Feb; Mar


def test_aid_line_sums_the_disbursements_of_the_year_by_sector(workbook):
    formula = workbook["Tổng hợp"]["C7"].value
    sheet, section, column = section_of(workbook, formula[1:])

    assert section["headers"] == ["STT", "Lĩnh vực", "Số dự án", "Cam kết (đồng)", "Giải ngân trong năm (đồng)"]
    assert column == "E"
    rows = {row[1]: (row[2], row[3], row[4]) for row in data_rows(sheet, section)}
    assert rows == {
        str(Sector.WATER_SANITATION.label): (1, 2_000_000_000, AID_BY_SECTOR[Sector.WATER_SANITATION]),
        str(Sector.EDUCATION.label): (1, 800_000_000, AID_BY_SECTOR[Sector.EDUCATION]),
    }
    assert sum(row[2] for row in rows.values()) == AID_DISBURSED == evaluate(workbook, "Tổng hợp", formula)


def test_delegation_line_sums_the_estimates_of_the_years_delegations(cast, workbook):
    formula = workbook["Tổng hợp"]["C8"].value
    sheet, section, column = section_of(workbook, formula[1:])

    assert section["headers"] == ["STT", "Hội", "Chiều", "Số đoàn", "Kinh phí dự toán (đồng)"]
    assert column == "E"
    outbound, inbound = str(Delegation.Direction.OUTBOUND.label), str(Delegation.Direction.INBOUND.label)
    assert sorted(row[1:] for row in data_rows(sheet, section)) == sorted(
        [
            [cast.laos.name, outbound, 1, 45_000_000 + 12_500_000],
            [cast.russia.name, outbound, 1, 80_000_000],
            ["Liên hiệp (không thuộc hội)", inbound, 1, 14_550_000],
        ]
    )
    assert evaluate(workbook, "Tổng hợp", formula) == DELEGATIONS_COST


def test_grand_total_is_the_sum_of_the_lines_and_is_written_in_words(workbook):
    summary = workbook["Tổng hợp"]
    _lines, total_row = summary_lines(workbook)

    assert evaluate(workbook, "Tổng hợp", summary.cell(row=total_row, column=3).value) == GRAND_TOTAL == 664_050_000
    assert workbook.figures["grand_total"] == GRAND_TOTAL
    words = summary.cell(row=total_row + 1, column=2).value
    assert words == in_words_line(GRAND_TOTAL)
    assert words == "Bằng chữ: Sáu trăm sáu mươi tư triệu không trăm năm mươi nghìn đồng."


def test_every_section_total_sums_exactly_its_own_rows(workbook):
    for name in SHEETS[1:]:
        sheet = workbook[name]
        found = sections(sheet)
        assert found, name
        for section in found:
            assert section["sums"], (name, section["headers"])
            for column in section["sums"]:
                letter = openpyxl.utils.get_column_letter(column)
                total = sheet.cell(row=section["total"], column=column).value
                if section["last"] < section["first"]:
                    assert total == 0
                else:
                    assert total == f"=SUM({letter}{section['first']}:{letter}{section['last']})", (name, section)


def test_amounts_are_written_as_whole_dong(workbook):
    for name in SHEETS[1:]:
        sheet = workbook[name]
        for section in sections(sheet):
            for column in section["sums"]:
                for row in range(section["first"], section["total"] + 1):
                    cell = sheet.cell(row=row, column=column)
                    assert cell.number_format == VND, (name, cell.coordinate)
                    assert not isinstance(cell.value, float), (name, cell.coordinate)
    summary = workbook["Tổng hợp"]
    lines, total_row = summary_lines(workbook)
    assert {summary.cell(row=row, column=3).number_format for row in [*lines, total_row]} == {VND}


def test_every_sheet_keeps_its_headers_in_view(workbook):
    assert workbook["Tổng hợp"].freeze_panes == "A6"
    for name in SHEETS[1:]:
        sheet = workbook[name]
        first = sections(sheet)[0]
        assert sheet.freeze_panes == f"A{first['first']}", name


def test_a_spreadsheet_program_computes_the_same_total(workbook, tmp_path):
    program = shutil.which("libreoffice") or shutil.which("soffice")
    if program is None:
        pytest.skip("neither libreoffice nor soffice is on PATH: the formulas are checked by this file's reader only")
    source = tmp_path / "tong-hop.xlsx"
    source.write_bytes(workbook.content)
    out = tmp_path / "recalculated"
    subprocess.run(
        [program, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    computed = openpyxl.load_workbook(out / "tong-hop.xlsx", data_only=True)["Tổng hợp"]
    _lines, total_row = summary_lines(workbook)
    assert computed.cell(row=total_row, column=3).value == GRAND_TOTAL
