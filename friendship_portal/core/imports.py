"""Excel imports, all or nothing: every row is checked first, every bad row is reported with its
line number and reason, and nothing is written unless all rows are good.

An app describes an import once with an `ImportSpec` (its columns, how to check a row, how to
write it) and registers it; the machinery reads the file, checks, writes in one transaction,
records progress on an `ImportJob` for the page to show, and makes the template to download.
A rerun of the same file creates nothing twice: `write_row` finds records by their natural keys.
"""

import datetime
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from friendship_portal.core.models import ImportJob

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
    if value in (None, ""):
        return None
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = read_text(value).replace(" ", "").replace("đ", "").replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise RowError(_("“%(value)s” is not an amount") % {"value": value}) from error
    if amount < 0:
        raise RowError(_("an amount cannot be negative"))
    return amount


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
    width: int = 18


@dataclass
class ImportSpec:
    kind: str
    title: str
    columns: list[Column]
    # check_row(values, line, seen) → the unsaved objects to write, or raise ValidationError/RowError.
    check_row: Callable
    # write_row(checked, actor) → "created" or "updated".
    write_row: Callable
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


def template_workbook(spec: ImportSpec) -> bytes:
    """The file to fill in: the headers, one example row, and the notes on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.title[:31]
    sheet.append([column.header + (" *" if column.required else "") for column in spec.columns])
    sheet.append([column.example for column in spec.columns])
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Guide")[:31])
    guide.append([_("Columns marked * are required. Dates are written dd/mm/yyyy. Delete the example row.")])
    for note in spec.notes:
        guide.append([note])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- running an import -----------------------------------------------------------------------


def _read_rows(spec: ImportSpec, handle) -> list[tuple[int, dict]]:
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file cannot be read as an Excel workbook (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {}
    wanted = {fold(column.header): column for column in spec.columns}
    for index, title in enumerate(header):
        column = wanted.get(fold(read_text(title).rstrip("*").strip()))
        if column is not None:
            positions[column.key] = index
    missing = [column.header for column in spec.columns if column.required and column.key not in positions]
    if missing:
        raise ValidationError(
            _("The first row must hold the template's headers; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    found = []
    for line, row in enumerate(rows, start=2):
        if row is None or all(cell in (None, "") for cell in row):
            continue
        found.append((line, {key: row[index] if index < len(row) else None for key, index in positions.items()}))
    workbook.close()
    return found


def _check(spec: ImportSpec, line: int, raw: dict, seen: dict) -> tuple[object | None, list[str]]:
    values, problems = {}, []
    for column in spec.columns:
        value = raw.get(column.key)
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


def import_run(*, job_id: int) -> ImportJob:
    """Check every row of the job's file, then write them all, or none if any row is bad.

    Safe to run again: a finished job is left as it is.
    """
    job = ImportJob.objects.get(pk=job_id)
    if job.state in (ImportJob.State.DONE, ImportJob.State.REFUSED):
        return job
    token = _lookups.set({})
    try:
        return _run(job)
    finally:
        _lookups.reset(token)


def _run(job: ImportJob) -> ImportJob:
    spec = REGISTRY[job.kind]
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    try:
        with job.file.open("rb") as handle:
            rows = _read_rows(spec, BytesIO(handle.read()))
    except ValidationError as error:
        return _finish(job, ImportJob.State.REFUSED, errors=[{"line": 1, "messages": error.messages}])
    job.total_rows = len(rows) * 2
    job.save(update_fields=["total_rows"])
    checked, errors, seen = [], [], {}
    for index, (line, raw) in enumerate(rows, start=1):
        result, problems = _check(spec, line, raw, seen)
        if problems:
            errors.append({"line": line, "messages": problems})
        else:
            checked.append(result)
        if index % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=index)
    if errors:
        return _finish(job, ImportJob.State.REFUSED, errors=errors)
    if not rows:
        return _finish(job, ImportJob.State.REFUSED, errors=[{"line": 2, "messages": [_("The file has no rows.")]}])
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        for index, item in enumerate(checked, start=1):
            counts[spec.write_row(item, job.created_by)] += 1
            if index % PROGRESS_EVERY == 0:
                # Progress from inside the transaction is not visible to others on every database:
                # the page shows the checking half moving, then the end.
                ImportJob.objects.filter(pk=job.pk).update(processed_rows=len(rows) + index)
    return _finish(job, ImportJob.State.DONE, created=counts["created"], updated=counts["updated"])


def _finish(job: ImportJob, state: str, *, errors=(), created: int = 0, updated: int = 0) -> ImportJob:
    job.state = state
    job.errors = list(errors)
    job.created_count, job.updated_count = created, updated
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "errors", "created_count", "updated_count", "processed_rows", "finished_at"])
    return job


def import_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed (the task ran out of retries) so the page stops waiting and says why."""
    ImportJob.objects.filter(pk=job_id).exclude(state__in=[ImportJob.State.DONE, ImportJob.State.REFUSED]).update(
        state=ImportJob.State.FAILED, errors=[{"line": 0, "messages": [message]}], finished_at=timezone.now()
    )


def import_start(*, kind: str, upload, actor) -> ImportJob:
    """Store the file and queue the job after the commit; in-process mode runs it at once."""
    spec = REGISTRY[kind]
    if spec.permission and not actor.has_perm(spec.permission):
        raise PermissionDenied(_("Only union staff import records."))
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError(_("Upload the filled-in template as an .xlsx file."))
    job = ImportJob(kind=kind, original_name=upload.name[:255], created_by=actor)
    job.file.save(upload.name, upload, save=False)
    job.save()
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from friendship_portal.core.tasks import import_run_task

    import_run_task.delay(job_id=job_id)
