"""A long export copies each cell's style from the first cell of its column and kind: every row of the
streamed workbook carries the same formats, borders and alignment as the first, and a typed value
that looks like a formula keeps its quote prefix wherever it falls."""

import datetime
import io
from decimal import Decimal

import openpyxl

from friendship_portal.core.excel import stream_workbook

HEADERS = ["Họ tên", "Ngày sinh", "Số tiền", "Ghi chú"]


def test_every_row_of_a_streamed_export_is_styled_as_the_first():
    rows = [
        [f"Souksavanh {number}", datetime.date(2004, 3, 12), 3_500_000, '=HYPERLINK("x")' if number == 7 else "ổn"]
        for number in range(1, 11)
    ]
    book = openpyxl.load_workbook(io.BytesIO(stream_workbook(title="Lưu học sinh", headers=HEADERS, rows=rows)))
    sheet = book.active
    data = [row for row in sheet.iter_rows() if isinstance(row[0].value, int)]
    assert [row[0].value for row in data] == list(range(1, 11))
    first = data[0]
    for row in data[1:]:
        for cell, model in zip(row[:4], first[:4], strict=True):
            assert (cell.number_format, cell.border.left.style, cell.alignment.horizontal) == (
                model.number_format,
                model.border.left.style,
                model.alignment.horizontal,
            )
    assert first[2].number_format == "DD/MM/YYYY"
    assert data[6][4].value == '=HYPERLINK("x")' and data[6][4].data_type == "s" and data[6][4].quotePrefix
    assert not data[5][4].quotePrefix


def test_a_streamed_export_keeps_every_value_as_typed():
    """The streamed rows are written as the sheet's XML directly: markup, spaces at either end, line
    breaks, carriage returns, booleans, fractions, local times and empty cells read back as they were
    given, and control characters a workbook cannot hold are dropped."""
    aware = datetime.datetime(2026, 5, 5, 3, 30, tzinfo=datetime.UTC)  # 10:30 in Hà Tĩnh
    rows = [
        ['<b>Lan & "Mai"</b>', True, 0.0325, aware],
        ["  Souksavanh  ", False, Decimal("396900000000"), None],
        ["dòng 1\r\ndòng 2", None, Decimal("12.50"), datetime.date(2026, 2, 28)],
        ["\x01\x1fẩn", "", -7, "=1+1"],
    ]
    book = openpyxl.load_workbook(io.BytesIO(stream_workbook(title="Thử", headers=HEADERS, rows=rows)))
    data = [[cell.value for cell in row[1:]] for row in book.active.iter_rows() if isinstance(row[0].value, int)]
    assert data == [
        ['<b>Lan & "Mai"</b>', True, 0.0325, datetime.datetime(2026, 5, 5, 10, 30)],
        ["  Souksavanh  ", False, 396900000000, None],
        ["dòng 1\r\ndòng 2", None, 12.5, datetime.datetime(2026, 2, 28)],
        ["ẩn", None, -7, "=1+1"],
    ]
    sheet = book.active
    assert sheet.row_dimensions[8].height == 30  # two lines of text
    assert sheet.auto_filter.ref == "A5:E9"
