"""Excel workbooks the portal writes: every list's export, the reports and the import templates.

Every cell goes through one writer (`write_cell`, `append_row`), which decides text or number.
Text is always written as a string cell, never as a formula, however it begins: a member named
`=HYPERLINK(…)` or `+1+1` reads exactly that in the cell and runs nothing. Such text also gets
Excel's invisible quote prefix, so editing the cell later does not turn it into a formula either.
The only formulas are the portal's own, asked for with `formula(...)` (the reports' totals).

Every workbook the portal hands out has one look, set here and nowhere else (`StyledBook` for a
workbook built in memory, `stream_workbook` for a list of any length written row by row):

- a header block: the issuing body (PORTAL_UNION_NAME in capitals), the title, "Lập ngày dd/mm/yyyy";
- tables with an STT column, a filled header row, thin borders and, where asked, a total row;
- columns as wide as their content (numbers and dates never show "###", long text wraps);
- dates dd/mm/yyyy, amounts `#,##0` (shown with "." between thousands in Vietnamese);
- A4 landscape, one page wide, the header rows repeated on every printed page.
"""

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
NUMBER_FORMAT = "#,##0"  # Excel shows the separator of the reader's locale: "." in Vietnamese.
PLAIN_FORMAT = "0"  # years, codes: no separator
FRACTION_FORMAT = "#,##0.####"  # a rate or a share: up to four decimals
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

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
    """A formula the portal means, without its "=": only `formula(...)` makes one. `shows` is the
    value it is expected to come to, used only to size its column."""

    text: str
    shows: int | float | Decimal | None = None


def formula(text: str, *, shows=None) -> Formula:
    """The portal's own formula for a cell: `formula("SUM(C5:C9)")`. User text never goes here."""
    return Formula(text.removeprefix("="), shows)


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
    """A sheet name Excel accepts, capitalised ("Tổng hợp"): without []:*?/\\, at most 31 characters."""
    title = str(title)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    title = title.strip()[:31]
    return title[:1].upper() + title[1:] or "Sheet"


# --- the one look ---------------------------------------------------------------------------------

# The kinds of value a column holds: they set the number format and, for a streamed sheet, the width.
TEXT, NUMBER, PLAIN, DATE, DATETIME = "text", "number", "plain", "date", "datetime"
# Widths in characters of the default font. Text wider than TEXT_MAX wraps; numbers and dates are
# never narrower than what they show.
WIDTH_MIN, TEXT_MAX, STT_MIN = 6, 40, 5
LINE_HEIGHT = 15  # points: a line of the default 11-point font
BOLD_WIDER = 1.15  # a bold letter's width against a plain one's
SHORT_HEADER = 14  # a header of at most this many characters is not wrapped
# Widths a streamed column gets when it says nothing of its longest value.
PLANNED = {TEXT: 30, NUMBER: 15, PLAIN: 6, DATE: 10, DATETIME: 16}
HEADER_ROWS = 3  # the issuing body, the title, the date line; a blank row, then the first table
FIRST_ROW = HEADER_ROWS + 2

BOLD = Font(bold=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TEXT_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
VALUE_ALIGNMENT = Alignment(vertical="top")
STT_ALIGNMENT = Alignment(horizontal="center", vertical="top")


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, the kind of its values (`TEXT`, `NUMBER` for amounts and
    counts, `PLAIN` for years and codes, `DATE`, `DATETIME`) and, for a streamed sheet whose rows are
    not known ahead, the number of characters of its longest value (0: the kind's usual width)."""

    header: str
    kind: str = TEXT
    width: int = 0


def _as_column(column, plain: bool = False, width: int = 0) -> Column:
    if isinstance(column, Column):
        return column
    return Column(str(column), PLAIN if plain else TEXT, width)


def _number_format(value, kind: str) -> str | None:
    """The format of a written value: None for text and dates (the writer formats dates)."""
    if isinstance(value, Formula):
        return NUMBER_FORMAT if kind in (NUMBER, TEXT) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if kind == PLAIN:
        return PLAIN_FORMAT
    if isinstance(value, float) and not value.is_integer():
        return FRACTION_FORMAT
    return NUMBER_FORMAT


def shown_length(value, number_format: str | None = None) -> int:
    """How many characters a cell shows for `value`: numbers with their thousands separators, dates
    as dd/mm/yyyy, the longest line of a text; a formula what it `shows`."""
    if isinstance(value, Formula):
        value = value.shows
    value = safe_value(value)
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, datetime):
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, date):
        return len("dd/mm/yyyy")
    if isinstance(value, (int, float)):
        if number_format == PLAIN_FORMAT:
            return len(f"{value:.0f}")
        if number_format == FRACTION_FORMAT:
            return len(f"{value:,.4f}".rstrip("0").rstrip("."))
        return len(f"{value:,.0f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def width_for(length: int, *, text: bool) -> float:
    """The column width that shows `length` characters and a margin: text up to TEXT_MAX (beyond, it
    wraps); a number or a date in full, however long."""
    if text:
        return min(max(length + 2, WIDTH_MIN), TEXT_MAX)
    return max(length + 2, WIDTH_MIN)


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines `text` takes wrapped between words in a column of `width`: a row's height is
    set from it, as not every spreadsheet program grows a row to fit its wrapped text."""
    per_line = max(1, int((width - 2) / (BOLD_WIDER if bold else 1)))
    text = str(text)
    if len(text) <= per_line and "\n" not in text:
        return 1
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            extra, used = divmod(len(word), per_line)
            if used == 0 and extra:
                extra, used = extra - 1, per_line
            lines += extra
    return lines


def row_height(cells: Iterable[tuple[Cell, float]]) -> float | None:
    """The height of a row whose wrapped text cells are in columns of the given widths; None when
    every one fits on one line."""
    lines = max(
        (
            wrapped_lines(cell.value, width, bold=bool(cell.font and cell.font.bold))
            for cell, width in cells
            # a short line first: the cheapest test, and most cells are one
            if isinstance(cell.value, str)
            and (len(cell.value) > (width - 2) / BOLD_WIDER or "\n" in cell.value)
            and cell.alignment is not None
            and cell.alignment.wrap_text
        ),
        default=1,
    )
    return lines * LINE_HEIGHT if lines > 1 else None


def header_width(header: str) -> float:
    """A header wraps between words: the column needs its longest word, in bold, and a short header
    stays on one line."""
    header = str(header)
    longest = max((len(word) for word in header.split()), default=0)
    short = len(header) if len(header) <= SHORT_HEADER else 0
    return math.ceil(max(longest, short) * BOLD_WIDER) + 2


def planned_width(column: Column) -> float:
    """The width of a streamed column, decided before its rows: from its kind and its expected
    longest value."""
    length = column.width or PLANNED.get(column.kind, PLANNED[TEXT])
    return max(width_for(length, text=column.kind == TEXT), header_width(column.header))


def _header_block(title: str, prepared_on: date | None) -> list[tuple[str, Font, Alignment]]:
    prepared_on = prepared_on or timezone.localdate()
    return [
        (settings.PORTAL_UNION_NAME.upper(), Font(bold=True), Alignment(horizontal="left", vertical="center")),
        (str(title).upper(), Font(bold=True, size=14), Alignment(horizontal="center", vertical="center")),
        (
            _("Prepared on %(date)s") % {"date": f"{prepared_on:%d/%m/%Y}"},
            Font(italic=True),
            Alignment(horizontal="center", vertical="center"),
        ),
    ]


def _widen_for_header_block(widths: dict[int, float], block) -> None:
    """The title is centred over the table: make the table at least as wide as the title's line."""
    wanted = max(len(block[0][0]) * 1.2, len(block[1][0]) * 1.5) + 2
    missing = wanted - sum(widths.values())
    if missing > 0 and widths:
        widest = max(widths, key=lambda column: widths[column])
        widths[widest] += missing


def _merge_header_block(sheet, span: int) -> None:
    for row in range(1, HEADER_ROWS + 1):
        if span > 1:
            area = CellRange(min_col=1, min_row=row, max_col=span, max_row=row)
            if isinstance(sheet, Worksheet):
                sheet.merge_cells(area.coord)
            else:  # write-only: the merge is written after the rows
                sheet.merged_cells.add(area)


def print_setup(sheet, *, repeat_rows: str | None = None) -> None:
    """A4 landscape, one page wide and as many pages long as it takes, centred, numbered pages;
    `repeat_rows` ("5:5") printed again at the top of every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.oddFooter.center.text = "&P/&N"
    if repeat_rows:
        sheet.print_title_rows = repeat_rows


class _CellStyles:
    """The style of a data cell, worked out once for each column and kind of value and copied to the
    next cells of the same kind: openpyxl hashes a font or a border each time one is set, which was
    most of the time of a long export. The result is the same file, written in linear time."""

    def __init__(self):
        self._styles = {}

    def cell(self, sheet, row: int, column: int, value, kind: str) -> Cell:
        value = safe_value(value)
        cell = Cell(sheet, row=row, column=column)
        text = isinstance(value, str)
        key = (column, kind, type(value), text and looks_like_formula(value), _number_format(value, kind))
        style = self._styles.get(key)
        if style is None or isinstance(value, Formula):
            _data_cell(cell, value, kind)
            self._styles[key] = copy(cell._style)
            return cell
        cell.value = value
        if text:
            cell.data_type = "s"  # as `_put` writes it: text, never a formula
        cell._style = copy(style)
        return cell


def _data_cell(cell: Cell, value, kind: str) -> Cell:
    value = safe_value(value)
    text = isinstance(value, str)
    return _put(
        cell,
        value,
        number_format=_number_format(value, kind),
        border=BOX,
        alignment=TEXT_ALIGNMENT if text else VALUE_ALIGNMENT,
    )


@dataclass
class Table:
    """Where a table landed: its header row, its first and last data rows, its total row (or None)."""

    sheet: str
    header_row: int
    first: int
    last: int
    total_row: int | None
    offset: int  # the STT column before the table's own

    def letter(self, index: int) -> str:
        """The column letter of the table's column `index` (0 for the first after STT)."""
        return get_column_letter(index + 1 + self.offset)

    def total_ref(self, index: int) -> str:
        """The absolute address of column `index`'s total, for a formula on another sheet."""
        return f"'{self.sheet}'!${self.letter(index)}${self.total_row}"


class StyledSheet:
    """A sheet in the portal's look, built in memory: `table` writes a bordered table with its STT
    column and, if asked, a total row; `line` writes a free line (the amount in words, a note).
    `StyledBook.save` sizes the columns to what was written and sets the page up."""

    def __init__(self, sheet, *, title: str, prepared_on: date | None = None):
        self.sheet = sheet
        self.row = FIRST_ROW
        self.tables: list[Table] = []
        self.filtered: Table | None = None
        self._block = _header_block(title, prepared_on)
        self._widths: dict[int, float] = {}
        for row, (text, font, alignment) in enumerate(self._block, start=1):
            write_cell(sheet, row, 1, text, font=font, alignment=alignment)

    def _need(self, column: int, width: float) -> None:
        self._widths[column] = max(self._widths.get(column, WIDTH_MIN), width)

    def _sized(self, cell: Cell) -> None:
        value = cell.value
        if cell.data_type == "f":
            return  # sized by the caller's `shows`
        self._need(cell.column, width_for(shown_length(value, cell.number_format), text=isinstance(value, str)))

    def table(
        self,
        columns: Sequence,
        rows: Iterable[Sequence],
        *,
        caption: str | None = None,
        total: str | None = None,
        sums: Iterable[int] = (),
        filters: bool = False,
    ) -> Table:
        """Write a table of `rows` under `columns` (texts or `Column`s), numbered in the STT column A.
        `total`: the label of a last row holding a SUM of each column in `sums` (indexes into
        `columns`) over exactly the table's rows. `caption`: a bold line above. `filters`: the
        table gets Excel's filter buttons."""
        sheet = self.sheet
        columns = [_as_column(column) for column in columns]
        offset = 1  # the STT column
        sums = list(sums)
        if caption:
            write_cell(sheet, self.row, 1, caption, font=Font(bold=True, size=12))
            self.row += 1
        header_row = self.row
        headers = [_("No."), *(column.header for column in columns)]
        for index, header in enumerate(headers, start=1):
            write_cell(
                sheet, header_row, index, header, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=HEADER_ALIGNMENT
            )
            self._need(index, header_width(header))
        if not self.tables:
            sheet.freeze_panes = f"A{header_row + 1}"
        first = self.row = header_row + 1
        shown_totals = dict.fromkeys(sums, 0)
        number = 0
        for number, values in enumerate(rows, start=1):
            write_cell(sheet, self.row, 1, number, border=BOX, alignment=STT_ALIGNMENT)
            self._need(1, max(width_for(len(str(number)), text=False), STT_MIN))
            for index, (column, value) in enumerate(zip(columns, values, strict=False)):
                cell = _data_cell(sheet.cell(row=self.row, column=index + 1 + offset), value, column.kind)
                self._sized(cell)
                if isinstance(value, Formula) and value.shows is not None:
                    self._need(cell.column, width_for(shown_length(value, NUMBER_FORMAT), text=False))
                if index in shown_totals:
                    shown = value.shows if isinstance(value, Formula) else safe_value(value)
                    if isinstance(shown, (int, float, Decimal)) and not isinstance(shown, bool):
                        shown_totals[index] += shown
            self.row += 1
        last = self.row - 1
        table = Table(sheet.title, header_row, first, last, None, offset)
        if total is not None:
            table.total_row = self.row
            for position in range(1, len(headers) + 1):
                index = position - 1 - offset
                value = None
                if position == 1 + offset:
                    value = total
                elif index in shown_totals:
                    letter = get_column_letter(position)
                    value = formula(f"SUM({letter}{first}:{letter}{last})") if number else 0
                    self._need(position, width_for(shown_length(shown_totals[index], NUMBER_FORMAT), text=False))
                write_cell(
                    sheet,
                    self.row,
                    position,
                    value,
                    font=BOLD,
                    fill=TOTAL_FILL,
                    border=BOX,
                    number_format=NUMBER_FORMAT if index in shown_totals else None,
                    alignment=TEXT_ALIGNMENT if position == 1 + offset else VALUE_ALIGNMENT,
                )
            self._need(1 + offset, width_for(len(total), text=True))
            self.row += 1
        if filters:
            self.filtered = table
        self.tables.append(table)
        return table

    def line(self, column: int, *values, font: Font | None = None, sized: bool = True) -> int:
        """Write `values` from `column` on the next row, without borders (a note, the amount in words);
        text wraps in its column. `sized`: the columns widen to fit (else the text wraps within them).
        Returns the row."""
        row = self.row
        for position, value in enumerate(values, start=column):
            value = safe_value(value)
            text = isinstance(value, str)
            cell = write_cell(
                self.sheet,
                row,
                position,
                value,
                font=font,
                number_format=_number_format(value, NUMBER),
                alignment=TEXT_ALIGNMENT if text else VALUE_ALIGNMENT,
            )
            if isinstance(value, Formula) and value.shows is not None:
                self._need(position, width_for(shown_length(value, NUMBER_FORMAT), text=False))
            elif sized or not text:
                self._sized(cell)
        self.row += 1
        return row

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def finish(self) -> None:
        sheet = self.sheet
        span = max(self._widths, default=1)
        widths = {column: self._widths.get(column, WIDTH_MIN) for column in range(1, span + 1)}
        _widen_for_header_block(widths, self._block)
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = round(width, 1)
        _merge_header_block(sheet, span)
        for row in sheet.iter_rows(min_row=FIRST_ROW):
            height = row_height((cell, widths.get(cell.column, WIDTH_MIN)) for cell in row)
            if height:
                sheet.row_dimensions[row[0].row].height = height
        # One table: its header row on every page. Several: each page still says what it is.
        if len(self.tables) == 1:
            repeat = f"{self.tables[0].header_row}:{self.tables[0].header_row}"
        else:
            repeat = f"1:{HEADER_ROWS}"
        print_setup(sheet, repeat_rows=repeat)
        if self.filtered is not None:
            table = self.filtered
            last_column = get_column_letter(span)
            sheet.auto_filter.ref = f"A{table.header_row}:{last_column}{max(table.last, table.header_row)}"


@dataclass
class StyledBook:
    """A workbook of `StyledSheet`s: `sheet(...)` adds one, `save()` finishes each and returns the
    .xlsx; the first sheet is the one that opens."""

    prepared_on: date | None = None
    workbook: Workbook = field(default_factory=Workbook)
    sheets: list[StyledSheet] = field(default_factory=list)

    def __post_init__(self):
        self.workbook.remove(self.workbook.active)

    def sheet(self, name: str, *, title: str, index: int | None = None) -> StyledSheet:
        worksheet = self.workbook.create_sheet(sheet_title(name), index)
        styled = StyledSheet(worksheet, title=title, prepared_on=self.prepared_on)
        self.sheets.append(styled)
        return styled

    def save(self) -> bytes:
        for styled in self.sheets:
            styled.finish()
        self.workbook.active = 0
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _list_columns(headers: Sequence, plain_columns: Iterable[int], widths: Sequence[int]) -> list[Column]:
    plain = set(plain_columns)
    return [
        _as_column(header, index in plain, widths[index] if index < len(widths) else 0)
        for index, header in enumerate(headers)
    ]


def _list_heading(title, heading) -> str:
    return str(heading or _("List of %(records)s") % {"records": title})


def build_workbook(
    *,
    title: str,
    headers: Sequence,
    rows: Iterable[Sequence],
    plain_columns: Iterable[int] = (),
    heading: str | None = None,
) -> bytes:
    """An .xlsx of `rows` under `headers` (texts or `Column`s) in the portal's look, its columns as
    wide as their content; numbers in `plain_columns` (years, codes) get no separator. `title` names
    the sheet; `heading` (else "Danh sách <title>") heads it."""
    book = StyledBook()
    sheet = book.sheet(title, title=_list_heading(title, heading))
    sheet.table(_list_columns(headers, plain_columns, ()), rows, filters=True)
    return book.save()


def _append_row(sheet, widths: dict[int, float], cells: list[Cell]) -> None:
    """Append a row to a write-only sheet, as tall as its wrapped text (a row's height is written
    with the row, so it is set just before and dropped after)."""
    row = cells[0].row
    height = row_height((cell, widths.get(cell.column, WIDTH_MIN)) for cell in cells)
    if height:
        sheet.row_dimensions[row].height = height
    sheet.append(cells)
    sheet.row_dimensions.pop(row, None)


MARKUP = re.compile(r"[&<>\r]")


def _xml_text(text: str) -> str:
    """`text` as the content of an XML element: markup escaped, a carriage return kept as one."""
    if MARKUP.search(text) is None:
        return text
    return escape(text).replace("\r", "&#13;")


class _RawRows:
    """The data rows of a streamed list, written as the sheet's XML directly into a temporary file
    and spliced into the workbook openpyxl saves around them (header block, header row, columns,
    filter, page setup, styles). Each cell is what openpyxl's writer would write for it — the same
    values, types and styles (`_CellStyles`, registered with the workbook) — at a small part of the
    cost, so the time and memory of an export grow with its rows and no more."""

    PART_END = b"</sheetData>"

    def __init__(self, sheet, columns: Sequence[Column], widths: dict[int, float], file):
        self.sheet = sheet
        self.columns = list(columns)
        self.widths = widths
        self.letters = [get_column_letter(index) for index in range(1, len(self.columns) + 2)]
        self.styles = _CellStyles()
        self.style_ids: dict[tuple, int] = {}
        numbered = _put(Cell(sheet, row=FIRST_ROW + 1, column=1), 1, border=BOX, alignment=STT_ALIGNMENT)
        self.numbered = numbered.style_id
        self.epoch = sheet.parent.epoch
        self.serials: dict[date, str] = {}
        self.file = file

    def _style_id(self, row: int, column: int, value, kind: str, key: tuple) -> int:
        """The workbook's id of the style `_CellStyles` gives such a value in this column: `key` names
        what the style depends on (the column, the type, text that looks like a formula, the format)."""
        style = self.style_ids.get(key)
        if style is None:
            style = self.style_ids[key] = self.styles.cell(self.sheet, row, column, value, kind).style_id
        return style

    def _serial(self, day: date) -> float:
        """A date or time as Excel's number of days, each value worked out once (dates repeat)."""
        serial = self.serials.get(day)
        if serial is None:
            serial = self.serials[day] = safe_string(to_excel(day, self.epoch))
        return serial

    def _cell(self, row: int, column: int, value, kind: str) -> tuple[str, int]:
        """A cell's XML and the lines its text takes in its column (1 for anything but long text)."""
        of = type(value)
        if of is str:  # most cells: `safe_value` for text, inline
            value = UNWRITABLE.sub("", value)[:MAX_TEXT]
        elif of is not int and of is not date:
            value = safe_value(value)
            of = type(value)
        reference = f"{self.letters[column - 1]}{row}"
        if of is str:
            style = self._style_id(row, column, value, kind, (column, str, looks_like_formula(value)))
            if not value:
                return f'<c r="{reference}" s="{style}" t="inlineStr"/>', 1
            space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
            width = self.widths.get(column, WIDTH_MIN)
            lines = 1
            if len(value) > (width - 2) / BOLD_WIDER or "\n" in value:
                lines = wrapped_lines(value, width)
            return f'<c r="{reference}" s="{style}" t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>', lines
        if value is None:
            style = self._style_id(row, column, value, kind, (column, None))
            return f'<c r="{reference}" s="{style}" t="n"/>', 1
        if of is Formula:
            raise TypeError("A streamed list holds values, not formulas.")
        if of is bool:
            style = self._style_id(row, column, value, kind, (column, bool))
            return f'<c r="{reference}" s="{style}" t="b"><v>{safe_string(value)}</v></c>', 1
        if of is date or of is datetime:
            style = self._style_id(row, column, value, kind, (column, of))
            return f'<c r="{reference}" s="{style}" t="n"><v>{self._serial(value)}</v></c>', 1
        style = self._style_id(row, column, value, kind, (column, of, _number_format(value, kind)))
        return f'<c r="{reference}" s="{style}" t="n"><v>{safe_string(value)}</v></c>', 1

    def write(self, rows: Iterable[Sequence], *, progress=None, total: int = 0) -> int:
        """Write every row (an STT number first) and return how many there were."""
        kinds = [column.kind for column in self.columns]
        chunk: list[str] = []
        number = 0
        for number, values in enumerate(rows, start=1):
            row = FIRST_ROW + number
            cells = [f'<c r="A{row}" s="{self.numbered}" t="n"><v>{number}</v></c>']
            lines = 1
            for column, (kind, value) in enumerate(zip(kinds, values, strict=False), start=2):
                xml, taken = self._cell(row, column, value, kind)
                cells.append(xml)
                lines = max(lines, taken)
            height = f' ht="{lines * LINE_HEIGHT}" customHeight="1"' if lines > 1 else ""
            chunk.append(f'<row r="{row}"{height}>{"".join(cells)}</row>')
            if number % 1000 == 0:
                self.file.write("".join(chunk).encode())
                chunk.clear()
                if progress is not None and total:
                    progress(100 * number // total)
        self.file.write("".join(chunk).encode())
        return number

    def spliced(self, content: bytes) -> bytes:
        """The workbook openpyxl saved, its sheet's rows followed by the data rows written here."""
        part = self.sheet.path.lstrip("/")
        source = zipfile.ZipFile(BytesIO(content))
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
            for item in source.infolist():
                if item.filename != part:
                    target.writestr(item, source.read(item.filename))
                    continue
                xml = source.read(item.filename)
                head, tail = xml.split(self.PART_END, 1)
                rows = zipfile.ZipInfo(item.filename, item.date_time)
                rows.compress_type = zipfile.ZIP_DEFLATED
                with target.open(rows, "w", force_zip64=True) as out:
                    out.write(head)
                    self.file.seek(0)
                    shutil.copyfileobj(self.file, out, 1 << 20)
                    out.write(self.PART_END + tail)
        return buffer.getvalue()


def stream_workbook(
    *,
    title: str,
    headers: Sequence,
    rows: Iterable[Sequence],
    plain_columns: Iterable[int] = (),
    widths: Sequence[int] = (),
    progress=None,
    total: int = 0,
    heading: str | None = None,
) -> bytes:
    """The same workbook as `build_workbook`, written row by row (openpyxl's write-only mode for the
    frame, the data rows as XML straight to a temporary file, see `_RawRows`), so its time and memory
    grow with the rows and no more: for exports of any length, run as jobs. The
    columns cannot follow the content here: their widths are decided before the first row, from each
    `Column`'s kind and expected longest value (or `widths`, in characters)."""
    columns = _list_columns(headers, plain_columns, widths)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    block = _header_block(_list_heading(title, heading), None)
    stt_width = max(width_for(len(str(total or 9999)), text=False), header_width(_("No.")), STT_MIN)
    sizes = {1: stt_width} | {index: planned_width(column) for index, column in enumerate(columns, start=2)}
    _widen_for_header_block(sizes, block)
    for index, width in sizes.items():
        sheet.column_dimensions[get_column_letter(index)].width = round(width, 1)
    span = len(columns) + 1
    sheet.freeze_panes = f"A{FIRST_ROW + 1}"
    print_setup(sheet, repeat_rows=f"{FIRST_ROW}:{FIRST_ROW}")
    _merge_header_block(sheet, span)
    # A write-only sheet takes ready cells; each is given its place first, as openpyxl expects.
    for row, (text, font, alignment) in enumerate(block, start=1):
        sheet.append([_put(Cell(sheet, row=row, column=1), text, font=font, alignment=alignment)])
    sheet.append([])
    headers = [_("No."), *(column.header for column in columns)]
    _append_row(
        sheet,
        sizes,
        [
            _put(
                Cell(sheet, row=FIRST_ROW, column=i),
                h,
                font=BOLD,
                fill=HEADER_FILL,
                border=BOX,
                alignment=HEADER_ALIGNMENT,
            )
            for i, h in enumerate(headers, start=1)
        ],
    )
    with tempfile.TemporaryFile() as file:
        data = _RawRows(sheet, columns, sizes, file)
        number = data.write(rows, progress=progress, total=total)
        sheet.auto_filter.ref = f"A{FIRST_ROW}:{get_column_letter(span)}{FIRST_ROW + number}"
        buffer = BytesIO()
        workbook.save(buffer)
        return data.spliced(buffer.getvalue())
