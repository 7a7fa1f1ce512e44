"""build_workbook: the .xlsx behind every list's "Export to Excel"."""

import datetime
import io
from decimal import Decimal

import openpyxl

from friendship_portal.core.excel import build_workbook
from tests.workbooks import FIRST_ROW, HEADER_ROW


def open_sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_headers_then_rows():
    sheet = open_sheet(
        build_workbook(title="Hội viên", headers=["Họ và tên", "Đơn vị"], rows=[["Nguyễn Văn An", "Sở Ngoại vụ"]])
    )

    # Under the header block, and after the STT column.
    assert list(sheet.iter_rows(min_row=HEADER_ROW, min_col=2, values_only=True)) == [
        ("Họ và tên", "Đơn vị"),
        ("Nguyễn Văn An", "Sở Ngoại vụ"),
    ]
    assert sheet.title == "Hội viên"
    assert sheet[f"B{HEADER_ROW}"].font.bold
    assert sheet.freeze_panes == f"A{FIRST_ROW}"


def test_dates_are_real_dates_shown_day_month_year():
    sheet = open_sheet(
        build_workbook(
            title="Hoạt động",
            headers=["Ngày", "Lúc"],
            rows=[[datetime.date(2026, 7, 18), datetime.datetime(2026, 7, 18, 8, 30)]],
        )
    )

    day, moment = sheet[f"B{FIRST_ROW}"], sheet[f"C{FIRST_ROW}"]
    assert day.is_date and day.value.date() == datetime.date(2026, 7, 18)
    assert day.number_format.lower() == "dd/mm/yyyy"
    assert moment.is_date and moment.value == datetime.datetime(2026, 7, 18, 8, 30)
    assert moment.number_format.lower() == "dd/mm/yyyy hh:mm"


def test_numbers_stay_numbers_with_a_thousands_format_except_plain_columns():
    sheet = open_sheet(
        build_workbook(
            title="Kế hoạch",
            headers=["Năm", "Kinh phí", "Tỷ lệ"],
            rows=[[2026, Decimal("2500000"), Decimal("0.75")]],
            plain_columns=[0],
        )
    )

    year, amount, share = sheet[f"B{FIRST_ROW}"], sheet[f"C{FIRST_ROW}"], sheet[f"D{FIRST_ROW}"]
    assert (year.value, year.number_format) == (2026, "0")
    assert (amount.value, amount.number_format) == (2500000, "#,##0")
    assert isinstance(amount.value, int)
    assert share.value == 0.75


def test_sheet_title_drops_characters_excel_forbids():
    sheet = open_sheet(build_workbook(title="Đoàn ra/đoàn vào: [2026]? và những chuyến đi dài", headers=["A"], rows=[]))

    assert not set("[]:*?/\\") & set(sheet.title)
    assert len(sheet.title) <= 31


def test_empty_list_still_has_its_headers():
    sheet = open_sheet(build_workbook(title="Đối tác", headers=["Tên", "Quốc gia"], rows=iter(())))

    assert list(sheet.iter_rows(min_row=HEADER_ROW, min_col=2, values_only=True)) == [("Tên", "Quốc gia")]
