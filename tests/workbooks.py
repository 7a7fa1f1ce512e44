"""Reading back the workbooks the portal writes. Every sheet opens with a header block (the union,
the title, the date line) and a blank row; the first table's header row follows, its first column
the STT."""

import io

import openpyxl

HEADER_ROW = 5


def open_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def list_table(content: bytes) -> tuple[list, list[tuple]]:
    """The headers and rows of an exported list as the list page shows them: without the header
    block and the STT column."""
    sheet = open_book(content).worksheets[0]
    header, *rows = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
    assert header[0] == "STT", header
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    return list(header[1:]), [row[1:] for row in rows]


FIRST_ROW = HEADER_ROW + 1  # the first row of the first table
