"""Excel workbooks the portal writes: every list's export, the reports and the import templates.

Every cell goes through one writer (`write_cell`, `append_row`), which decides text or number.
Text is always written as a string cell, never as a formula, however it begins: a member named
`=HYPERLINK(…)` or `+1+1` reads exactly that in the cell and runs nothing. Such text also gets
Excel's invisible quote prefix, so editing the cell later does not turn it into a formula either.
The only formulas are the portal's own, asked for with `formula(...)` (the reports' totals).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
NUMBER_FORMAT = "#,##0"  # Excel shows the separator of the reader's locale: "." in Vietnamese.
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")

# What a spreadsheet (Excel, LibreOffice, Google Sheets) may read as the start of a formula when a
# cell is typed or edited, or when the text is pasted elsewhere; full-width forms included.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
# Leading characters someone may put before such a start to slip past a check of the first one.
PADDING = " \u00a0\u3000'\"`"
# Control characters an .xlsx cannot hold (XML 1.0): dropped, as nobody can see them anyway.
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_TEXT = 32_767  # the most characters a cell holds


@dataclass(frozen=True)
class Formula:
    """A formula the portal means, without its "=": only `formula(...)` makes one."""

    text: str


def formula(text: str) -> Formula:
    """The portal's own formula for a cell: `formula("SUM(C5:C9)")`. User text never goes here."""
    return Formula(text.removeprefix("="))


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could take `text` for a formula: its first character, or the first
    after spaces and quotes, starts one."""
    return bool(text) and (text[0] in FORMULA_STARTS or text.lstrip(PADDING)[:1] in FORMULA_STARTS)


def safe_value(value):
    """What a cell holds for `value`: numbers (a Decimal as int or float), dates (in local time),
    booleans and the portal's formulas as they are; None stays empty; anything else is its text,
    without the control characters a workbook cannot hold."""
    if value is None or isinstance(value, (bool, int, float, Formula)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    text = str(value) if isinstance(value, Promise) or not isinstance(value, str) else value
    return UNWRITABLE.sub("", text)[:MAX_TEXT]


def _put(cell: Cell, value, *, number_format=None, font=None, fill=None, border=None, alignment=None) -> Cell:
    value = safe_value(value)
    if isinstance(value, Formula):
        cell.value = f"={value.text}"
        cell.data_type = "f"
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
        if looks_like_formula(value):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    return cell


def write_cell(sheet, row: int, column: int, value=None, **style) -> Cell:
    """Write `value` at (`row`, `column`) of `sheet` and return the cell. Text stays text; only a
    `formula(...)` becomes a formula. `style`: number_format, font, fill, border, alignment."""
    return _put(sheet.cell(row=row, column=column), value, **style)


def append_row(sheet, values: Iterable, **style) -> list[Cell]:
    """Write `values` as the row after the sheet's last, each as `write_cell` would; returns the cells."""
    cells = [_put(Cell(sheet), value, **style) for value in values]
    sheet.append(cells)
    return cells


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: without []:*?/\\ and at most 31 characters."""
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Sheet"


def build_workbook(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence], plain_columns: Iterable[int] = ()
) -> bytes:
    """An .xlsx of `rows` under `headers`; numbers in `plain_columns` (years, codes) get no separator."""
    plain = set(plain_columns)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(str(title))
    append_row(
        sheet, headers, font=Font(bold=True), fill=HEADER_FILL, alignment=Alignment(vertical="center", wrap_text=True)
    )
    widths = [len(str(header)) for header in headers]
    for row in rows:
        cells = append_row(sheet, row)
        for index, cell in enumerate(cells):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = "0" if index in plain else NUMBER_FORMAT
            widths[index] = max(widths[index], min(len(str(cell.value if cell.value is not None else "")), 60))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stream_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    plain_columns: Iterable[int] = (),
    widths: Sequence[int] = (),
    progress=None,
    total: int = 0,
) -> bytes:
    """The same workbook as `build_workbook`, written row by row in openpyxl's write-only mode, so its
    time and memory grow with the rows and no more: for exports of any length, run as jobs. Column
    widths cannot follow the content here; they follow the headers (or `widths`)."""
    plain = set(plain_columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(str(title)))
    for index, header in enumerate(headers, start=1):
        wanted = widths[index - 1] if index - 1 < len(widths) else len(str(header)) + 2
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(wanted, 60))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    # A write-only sheet takes ready cells; each is given its place first, as openpyxl expects.
    sheet.append(
        [_put(Cell(sheet, row=1, column=i), h, font=bold, fill=HEADER_FILL) for i, h in enumerate(headers, start=1)]
    )
    for number, row in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(row):
            cell = _put(Cell(sheet, row=number + 1, column=index + 1), value)
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = "0" if index in plain else NUMBER_FORMAT
            cells.append(cell)
        sheet.append(cells)
        if progress is not None and total and number % 1000 == 0:
            progress(100 * number // total)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
