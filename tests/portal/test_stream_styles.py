"""A long export copies each cell's style from the first cell of its column and kind: every row of the
streamed workbook carries the same formats, borders and alignment as the first, and a typed value
that looks like a formula keeps its quote prefix wherever it falls."""

import datetime
import io

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
