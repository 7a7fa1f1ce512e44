"""How many students first enrolled and first graduated each year (`StudentYear`), kept with every
student's standing.

`scholarships.signals.refresh_current_enrollments` works a student's standing out again (their first
enrollment, their first graduation); it reads the years those stood in before and after, and the
tally of those years is counted again (a range of each column's index a year). Work of many batches
(an import, the demo, the synthetic load) is gathered and done once at its end (`kept_once`); a
refresh of every student rebuilds the whole tally. Counting takes a lock on PostgreSQL, so two
transactions never interleave their counts; `manage.py rebuild_payment_totals` rebuilds it with the
payments' totals.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from friendship_portal.core.kept import Kept, advisory_lock, in_years
from scholarships.models import Student, StudentYear

# One lock for every count of the tally (pg_advisory_xact_lock's key: "STUYEAR" in ASCII).
LOCK_KEY = 0x53545559454152
COLUMNS = {"first_enrolled": "first_enrolled_on", "graduated": "graduated_on"}


def years_of(students) -> set[int]:
    """The years a queryset of students first enrolled and first graduated in: one query."""
    pairs = students.order_by().values_list(*COLUMNS.values()).distinct()
    return {day.year for pair in pairs for day in pair if day is not None}


def touched(years: Iterable[int]) -> None:
    """These years' students changed: count them again now, or at the end of `kept_once`."""
    _kept.touched(years=years)


def kept_once():
    """Within this block the years touched are gathered and counted once at its end."""
    return _kept.kept_once()


def _count(years: set[int] | None) -> dict[int, dict]:
    counted: dict[int, dict] = {}
    for name, column in COLUMNS.items():
        students = Student.objects.filter(**{f"{column}__isnull": False})
        if years is not None:
            students = students.filter(in_years(column, years))
        rows = students.order_by().annotate(year=ExtractYear(column)).values_list("year").annotate(n=Count("pk"))
        for year, number in rows:
            counted.setdefault(year, dict.fromkeys(COLUMNS, 0))[name] = number
    return counted


def _write(years: set[int] | None, counted: dict[int, dict]) -> None:
    stale = StudentYear.objects.all() if years is None else StudentYear.objects.filter(year__in=years)
    stale.delete()
    StudentYear.objects.bulk_create([StudentYear(year=year, **numbers) for year, numbers in sorted(counted.items())])


def refresh(years: Iterable[int] = ()) -> None:
    """Count again the students who first enrolled or first graduated in these years."""
    years = set(years)
    if years:
        with transaction.atomic():
            advisory_lock(LOCK_KEY)
            _write(years, _count(years))


_kept = Kept("student_years_pending", refresh)


@transaction.atomic
def rebuild() -> int:
    """The whole tally from the students' standing; how many years."""
    advisory_lock(LOCK_KEY)
    counted = _count(None)
    _write(None, counted)
    return len(counted)


def figures(year: int, *, graduated_by_year_end: bool = False) -> dict:
    """The students trained by the end of `year` (first enrolled by then) and graduated, in all or by the
    end of `year`: one query over the tally's few rows."""
    graduated = Q(year__lte=year) if graduated_by_year_end else Q()
    return StudentYear.objects.aggregate(
        trained_total=Coalesce(Sum("first_enrolled", filter=Q(year__lte=year)), 0),
        graduated_total=Coalesce(Sum("graduated", filter=graduated), 0),
    )
