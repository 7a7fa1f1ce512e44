"""Excel workbooks of what a list shows: Vietnamese headers, dates dd/mm/yyyy, frozen header row."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
NUMBER_FORMAT = "#,##0"  # Excel shows the separator of the reader's locale: "." in Vietnamese.
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Sheet"


def build_workbook(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence], plain_columns: Iterable[int] = ()
) -> bytes:
    """An .xlsx of `rows` under `headers`; numbers in `plain_columns` (years, codes) get no separator."""
    plain = set(plain_columns)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(str(header)) for header in headers]
    row_number = 1
    for row in rows:
        row_number += 1
        values = []
        for index, value in enumerate(row):
            if isinstance(value, Decimal):
                value = float(value) if value % 1 else int(value)
            values.append(value)
            widths[index] = max(widths[index], min(len(str(value)), 60))
        sheet.append(values)
        for index, cell in enumerate(sheet[row_number]):  # by number: max_row rescans the whole sheet
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = "0" if index in plain else NUMBER_FORMAT
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
