"""Excel imports, all or nothing: every row is checked first, every bad row is reported with its
line number and reason, and nothing is written unless all rows are good.

An app describes an import once with an `ImportSpec` (its columns, how to check a row, how to
write it) and registers it; the machinery reads the file, checks, writes in one transaction,
records progress on the import's `Job` for the page to show, and makes the template to download.
friendship_portal.core.jobs runs the job: it claims it, retries it, sweeps it up when it was lost.
A rerun of the same file creates nothing twice: `write_row` finds records by their natural keys.
"""

import contextlib
import datetime
import math
import unicodedata
import zipfile
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from friendship_portal.core import figures
from friendship_portal.core.excel import (
    BOLD,
    BOLD_WIDER,
    BOX,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    NUMBER_FORMAT,
    TEXT_ALIGNMENT,
    VALUE_ALIGNMENT,
    WIDTH_MIN,
    append_row,
    header_width,
    print_setup,
    row_height,
    sheet_title,
    shown_length,
    width_for,
    write_cell,
)
from friendship_portal.core.jobs import job_enqueue, job_finish, register_family
from friendship_portal.core.models import Job
from friendship_portal.core.numbers import NumberError, read_decimal

PROGRESS_EVERY = 50

# Reference tables a column reader looks names up in, loaded once per import run, not once a row.
_lookups: ContextVar[dict | None] = ContextVar("import_lookups", default=None)


def lookup(name: str, load: Callable[[], list]) -> list:
    """`load()`'s rows, kept for the rest of the running import (loaded afresh outside one)."""
    cache = _lookups.get()
    if cache is None:
        return load()
    if name not in cache:
        cache[name] = load()
    return cache[name]


def remember(name: str, value) -> None:
    """Keep `value` under `name` for the rest of the running import (an ImportSpec's `prepare` reads
    what the rows will look up, in a few queries for the whole file)."""
    cache = _lookups.get()
    if cache is not None:
        cache[name] = value


def in_batches(values, size: int = 500):
    """`values` in lists of at most `size`, for `__in` lookups that stay within every database's limits."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class RowError(ValueError):
    """A value that cannot be read; the message says why, in the user's language."""


def fold(text: str) -> str:
    """Lower case without accents or extra spaces, for matching names typed by hand."""
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return " ".join(text.casefold().split())


# --- reading cells ----------------------------------------------------------------------------


def read_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = read_text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(_("“%(value)s” is not a date in the form dd/mm/yyyy") % {"value": text})


def read_amount(value) -> Decimal | None:
    """An amount or a rate, never negative, read as a form reads it: "25.4" is twenty-five point
    four, "25.400" twenty-five thousand four hundred (friendship_portal/core/numbers.py)."""
    try:
        return read_decimal(value)
    except NumberError as error:
        raise RowError(str(error)) from error


def read_yes_no(value) -> bool:
    text = fold(read_text(value))
    if text in ("", "khong", "no", "0", "false"):
        return False
    if text in ("co", "yes", "1", "true", "x"):
        return True
    raise RowError(_("“%(value)s” is neither “Có” nor “Không”") % {"value": value})


def read_choice(value, choices: dict[str, object]) -> object:
    """Match a label typed by hand (accents and case aside) against `choices`."""
    text = fold(read_text(value))
    for label, result in choices.items():
        if fold(label) == text:
            return result
    raise RowError(
        _("“%(value)s” is not one of: %(choices)s") % {"value": read_text(value), "choices": ", ".join(choices)}
    )


# --- describing an import --------------------------------------------------------------------


@dataclass
class Column:
    key: str
    header: str
    read: Callable = read_text
    required: bool = False
    example: object = ""
    # In the template: the widest a text column grows for its example (longer text wraps); the room an
    # amount is given. A column is never narrower than its header's longest word.
    width: int = 18


@dataclass
class ImportSpec:
    kind: str
    title: str
    columns: list[Column]
    # check_row(values, line, seen) → the unsaved objects to write, or raise ValidationError/RowError.
    check_row: Callable
    # write_row(checked, actor) → "created" or "updated" (or write_rows below, for the whole file).
    write_row: Callable | None = None
    # prepare(raw_rows) loads, in a few queries for the whole file, what check_row will look up (with
    # `remember`); write_rows(checked, actor, progress) → {"created": n, "updated": m} writes them in
    # batches, calling progress(rows written so far) as it goes.
    # Both optional: without them each row is looked up and written on its own.
    prepare: Callable | None = None
    write_rows: Callable | None = None
    # writes_around() → a context manager the writes of the whole file run in (inside their transaction):
    # figures a write keeps, worked out once for the file instead of once a row.
    writes_around: Callable | None = None
    permission: str = ""
    notes: list[str] = field(default_factory=list)
    # Where the job page leads back to: the area's list and its import page (URL names).
    area_label: str = ""
    list_url_name: str = ""
    import_url_name: str = ""


REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    REGISTRY[spec.kind] = spec
    return spec


# The apps' titles were typed without their diacritics; the sheet is named as a clerk writes it. A
# title written with its diacritics is used as it is. Only the sheet's name changes: the import reads
# the first sheet whatever its name, so a template downloaded before ("Luu hoc sinh Lao") still imports.
SHEET_NAMES = {
    "Luu hoc sinh Lao": "Lưu học sinh Lào",
    "Du an vien tro": "Dự án viện trợ",
    "Giai ngan": "Giải ngân",
}
TYPING_ROOM = 12  # characters: a date, or a few words, before typed text overflows or wraps
ONE_LINE_HEADER = 1.25  # a header stays on one line when that widens its column by at most a quarter
GUIDE_WIDTH = 110  # characters: a note longer than that wraps


def template_workbook(spec: ImportSpec) -> bytes:
    """The file to fill in: the headers in row 1, one example row, and the notes on a second sheet.

    The template is a form, so it takes the portal's workbook look only where a form can
    (friendship_portal/core/excel.py): bold headers on the header fill, wrapped between words, thin
    borders, dates dd/mm/yyyy and amounts with their separators, A4 landscape one page wide with the
    header row on every page, both sheets. It has no header block and no STT column: the import reads
    the headers in row 1 of the first sheet and every row under them that holds a value, so the clerk
    types from row 2 on, over the example, and numbers nothing. The guide, never read, is one column
    of notes.

    Each column is as wide as the longest word of its header in bold (a short header on one line),
    and as its example up to the column's `width` (beyond it the text wraps); an amount or a date is
    never narrower than it shows ("###"). A header that wraps only for a few characters is kept on
    one line. The header and example rows are as tall as their wrapped text.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(SHEET_NAMES.get(str(spec.title), str(spec.title)))
    headers = [column.header + (" *" if column.required else "") for column in spec.columns]
    examples = [_example(column) for column in spec.columns]
    widths = [
        _template_width(column, header, example)
        for column, header, example in zip(spec.columns, headers, examples, strict=True)
    ]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_cells = append_row(sheet, headers, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=HEADER_ALIGNMENT)
    example_cells = [
        write_cell(
            sheet,
            2,
            index,
            example,
            number_format=NUMBER_FORMAT if _is_number(example) else None,
            border=BOX,
            alignment=TEXT_ALIGNMENT if isinstance(example, str) else VALUE_ALIGNMENT,
        )
        for index, example in enumerate(examples, start=1)
    ]
    for cells in (header_cells, example_cells):
        height = row_height(zip(cells, widths, strict=True))
        if height:
            sheet.row_dimensions[cells[0].row].height = height
    sheet.freeze_panes = "A2"
    print_setup(sheet, repeat_rows="1:1")  # the headers stay in row 1: the import reads them there

    guide = workbook.create_sheet(sheet_title(_("Guide")))
    lines = [_("Columns marked * are required. Dates are written dd/mm/yyyy. Delete the example row.")]
    lines += [str(note) for note in spec.notes]
    longest = max([math.ceil(len(lines[0]) * BOLD_WIDER), *(len(line) for line in lines[1:])])  # the first is bold
    width = min(longest + 2, GUIDE_WIDTH)
    guide.column_dimensions["A"].width = width
    for number, line in enumerate(lines):
        (cell,) = append_row(guide, [line], font=BOLD if number == 0 else None, alignment=TEXT_ALIGNMENT)
        height = row_height([(cell, width)])
        if height:
            guide.row_dimensions[cell.row].height = height
    print_setup(guide, repeat_rows="1:1")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _example(column: Column):
    """The column's example as a cell holds it: a date column's example as a date (shown dd/mm/yyyy),
    anything else as the app wrote it."""
    if column.read is read_date and isinstance(column.example, str) and column.example:
        try:
            return read_date(column.example) or column.example
        except RowError:
            return column.example
    return column.example


def _template_width(column: Column, header: str, example) -> float:
    """The width of a template's column (see `template_workbook`)."""
    if column.read is read_date or isinstance(example, datetime.date):
        content = max(width_for(shown_length(example), text=False), width_for(len("dd/mm/yyyy"), text=False))
    elif column.read is read_amount or _is_number(example):
        content = max(width_for(shown_length(example, NUMBER_FORMAT), text=False), column.width)
    else:
        content = min(max(width_for(shown_length(example), text=True), TYPING_ROOM), max(column.width, WIDTH_MIN))
    width = max(header_width(header), content)
    one_line = math.ceil(len(header) * BOLD_WIDER) + 2
    if one_line <= width * ONE_LINE_HEADER:
        width = max(width, one_line)
    return width


# --- running an import -----------------------------------------------------------------------


class Formula(str):
    """A cell that holds a formula: a bad value of its line, like any other (the file must hold values)."""


def check_workbook_file(handle, size: int, *, unreadable_refused: bool = True) -> None:
    """Refuse, before anything is unpacked, a file too large or that unpacks to far more than it weighs
    (a "zip bomb"): the limits are settings, and the check reads only the archive's directory."""
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the largest accepted is %(limit)d MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": settings.IMPORT_MAX_MB}
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        if not unreadable_refused:
            return  # the job refuses it, with its page saying why
        raise ValidationError(_("The file cannot be read as an Excel workbook (.xlsx).")) from error
    finally:
        handle.seek(0)
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024 or unpacked / packed > settings.IMPORT_MAX_RATIO:
        raise ValidationError(
            _(
                "The file unpacks to %(size)s MB, far more than a workbook of its weight: it is refused "
                "(the largest accepted is %(limit)d MB unpacked)."
            )
            % {"size": f"{unpacked / 1024 / 1024:.0f}", "limit": settings.IMPORT_MAX_UNPACKED_MB}
        )


def _read_rows(spec: ImportSpec, handle) -> list[tuple[int, dict]]:
    """Every row of the first sheet with a value, whatever size the sheet declares (a stale declared
    size must not drop rows), up to IMPORT_MAX_ROWS. A formula cell is read as a `Formula`."""
    try:
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file cannot be read as an Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension (<dimension ref="A1:S3"/>) may be stale: read to the last row there is.
        sheet.reset_dimensions()
        rows = sheet.iter_rows()
        header = [cell.value for cell in next(rows, None) or ()]
        positions = {}
        wanted = {fold(column.header): column for column in spec.columns}
        for index, title in enumerate(header):
            column = wanted.get(fold(read_text(title).rstrip("*").strip()))
            if column is not None:
                positions[column.key] = index
        missing = [column.header for column in spec.columns if column.required and column.key not in positions]
        if missing:
            raise ValidationError(
                _("The first row must hold the template's headers; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        found = []
        for line, row in enumerate(rows, start=2):
            values = [_cell_value(cell) for cell in row]
            if all(value in (None, "") for value in values):
                continue
            if len(found) >= settings.IMPORT_MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(limit)d rows: split it into several files.")
                    % {"limit": settings.IMPORT_MAX_ROWS}
                )
            found.append(
                (line, {key: values[index] if index < len(values) else None for key, index in positions.items()})
            )
    finally:
        workbook.close()
    return found


def _cell_value(cell):
    if getattr(cell, "data_type", None) == "f":
        return Formula(cell.value)
    return cell.value


def _check(spec: ImportSpec, line: int, raw: dict, seen: dict) -> tuple[object | None, list[str]]:
    values, problems = {}, []
    for column in spec.columns:
        value = raw.get(column.key)
        if isinstance(value, Formula):
            problems.append(
                _("%(column)s: a formula (%(formula)s) is not accepted; type the value itself")
                % {"column": column.header, "formula": value[:40]}
            )
            continue
        try:
            parsed = column.read(value)
        except RowError as error:
            problems.append(f"{column.header}: {error}")
            continue
        if column.required and parsed in (None, ""):
            problems.append(_("%(column)s: required") % {"column": column.header})
        values[column.key] = parsed
    if problems:
        return None, problems
    try:
        return spec.check_row(values, line, seen), []
    except RowError as error:
        return None, [str(error)]
    except ValidationError as error:
        return None, _messages(spec, error)


def _messages(spec: ImportSpec, error: ValidationError) -> list[str]:
    """A model's errors named by the template's column headers, as the clerk sees them."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    headers = {column.key: column.header for column in spec.columns}
    return [
        f"{headers.get(name, name)}: {message}" if name != "__all__" else message
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def _run(job: Job, progress: Callable[[int], None]) -> None:
    """Check every row of the job's file, then write them all, or none if any row is bad.

    The import family's handler in friendship_portal.core.jobs, which claims the job, retries it and
    marks it failed; it is safe to run again, as `write_row` finds records by their natural keys.
    """
    token = _lookups.set({})
    try:
        _check_and_write(REGISTRY[job.kind], job, progress)
    finally:
        _lookups.reset(token)


def _check_and_write(spec: ImportSpec, job: Job, progress: Callable[[int], None]) -> None:
    try:
        with job.upload.open("rb") as handle:
            content = BytesIO(handle.read())
        check_workbook_file(content, len(content.getvalue()))
        rows = _read_rows(spec, content)
    except ValidationError as error:
        return _refuse(job, [{"line": 1, "messages": error.messages}])
    # What was found, for the page to show before anything is written.
    Job.objects.filter(pk=job.pk).update(params={**job.params, "rows_found": len(rows)})
    steps = len(rows) * 2  # checking and writing each count half
    if spec.prepare is not None:
        spec.prepare([raw for _line, raw in rows])
    checked, errors, seen = [], [], {}
    for index, (line, raw) in enumerate(rows, start=1):
        result, problems = _check(spec, line, raw, seen)
        if problems:
            errors.append({"line": line, "messages": problems})
        else:
            checked.append(result)
        if index % PROGRESS_EVERY == 0:
            progress(100 * index // steps)
    if errors:
        return _refuse(job, errors)
    if not rows:
        return _refuse(job, [{"line": 2, "messages": [_("The file has no rows.")]}])
    counts = {"created": 0, "updated": 0}
    with transaction.atomic(), (spec.writes_around or contextlib.nullcontext)():
        if spec.write_rows is not None:
            written = spec.write_rows(
                checked, job.requested_by, progress=lambda done: progress(100 * (len(rows) + done) // steps)
            )
            counts.update(written)
        else:
            for index, item in enumerate(checked, start=1):
                counts[spec.write_row(item, job.requested_by)] += 1
                if index % PROGRESS_EVERY == 0:
                    # Progress from inside the transaction is not visible to others on every database:
                    # the page shows the checking half moving, then the end.
                    progress(100 * (len(rows) + index) // steps)
        # The rows and the outcome commit together: a run repeated after a lost worker finds the job
        # done, or writes from the start, and never counts the rows twice.
        job_finish(job_id=job.pk, created_count=counts["created"], updated_count=counts["updated"])
        # Written in bulk (no record's signal): the cached figures are read again once the rows are in.
        transaction.on_commit(figures.changed)
    return None


def _refuse(job: Job, errors: list[dict]) -> None:
    job_finish(job_id=job.pk, state=Job.State.REFUSED, errors=errors)


register_family(Job.Family.IMPORT, _run)


def import_start(*, kind: str, upload, actor) -> Job:
    """Store the file and queue the job after the commit; in-process mode runs it at once."""
    spec = REGISTRY[kind]
    if spec.permission and not actor.has_perm(spec.permission):
        raise PermissionDenied(_("Only union staff import records."))
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Upload the filled-in template as an .xlsx file."))
    check_workbook_file(upload, upload.size, unreadable_refused=False)
    job = Job(family=Job.Family.IMPORT, kind=kind, title=upload.name[:255], requested_by=actor)
    job.upload.save(upload.name, upload, save=False)
    return job_enqueue(job)
