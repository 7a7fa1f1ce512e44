"""The student search, kept narrow (`StudentSearch`): one row a student with the fields the search reads.

The list searches the name, the Lao name, the passport number and the sending body, whatever the case.
Reading them from the students' own rows meant, for a common name at a hundred times the demo, fetching
thousands of wide rows twice (to count them, then to sort them by name); the kept rows are a tenth of the
width, and their text is kept upper-cased (`folded`), so a match is a plain `LIKE` that one trigram index
serves on PostgreSQL and that checks each row found without upper-casing it again; the name's index gives
the order.

Kept by every save of a student (`scholarships.signals`) and, after a bulk write that sends no signal
(the import, the demo, the synthetic load), by `keep` with the students written; `refresh` writes them all
again from the table (`rebuild_payment_totals`); a deleted student's row goes with them."""

from collections.abc import Iterable
from itertools import islice

from django.db.models import QuerySet

from scholarships.models import Student, StudentSearch

SEARCHED = ("full_name", "full_name_lao", "passport_number", "sending_body")
SEPARATOR = "\n"  # one field a line: no search of a single line can match across two fields
BATCH = 2000


def folded(text: str) -> str:
    """A text as the search compares it, whatever the case: upper-cased by Python, the same way for the
    kept text and for what is searched (Vietnamese letters included, on SQLite as on PostgreSQL)."""
    return text.upper()


def entry_for(student: Student) -> StudentSearch:
    """A student's row: the name as it sorts, and the searched fields on lines of one folded text."""
    fields = (" ".join(str(getattr(student, name) or "").splitlines()) for name in SEARCHED)
    return StudentSearch(student_id=student.pk, full_name=student.full_name, text=folded(SEPARATOR.join(fields)))


def keep(students: Iterable[Student]) -> int:
    """The rows of these students written again from the students as they stand in memory, in batches
    of `BATCH`: a saved student, or those a bulk write has just written (nothing read back). Returns how
    many were written."""
    students = iter(students)  # streamed: `refresh` passes every student in the table
    written = 0
    while batch := list(islice(students, BATCH)):
        written += _write([entry_for(student) for student in batch])
    return written


def refresh() -> int:
    """Every student's row written again from the students' rows (a database filled by other means)."""
    StudentSearch.objects.all().delete()
    return keep(Student.objects.only("pk", *SEARCHED).order_by("pk").iterator(chunk_size=BATCH))


def _write(entries: list[StudentSearch]) -> int:
    """Insert the entries, or write over those already there: one statement (`ON CONFLICT DO UPDATE`)."""
    StudentSearch.objects.bulk_create(
        entries, update_conflicts=True, unique_fields=["student"], update_fields=["full_name", "text"]
    )
    return len(entries)


def _usable(text: str) -> bool:
    return SEPARATOR not in text and "\r" not in text


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The students of `queryset` whose name, Lao name, passport number or sending body holds `text`
    (any case), in the list's order (name, then when recorded) read from the kept rows."""
    if not _usable(text):
        return queryset.none()
    return queryset.filter(search_entry__text__contains=folded(text)).order_by("search_entry__full_name", "pk")


def count_matching(text: str) -> int:
    """How many students in all match `text`: counted in the kept rows alone."""
    if not _usable(text):
        return 0
    return StudentSearch.objects.filter(text__contains=folded(text)).count()
