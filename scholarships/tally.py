"""How many students first enrolled and first graduated each year (`StudentYear`), and how many of each
Lao province are recorded, studying (in all and at each level), ever enrolled and graduated
(`ProvinceStudents`, `ProvinceLevelStudents`), kept with every student's standing.

`scholarships.signals.refresh_current_enrollments` works a student's standing out again (their first
enrollment, their first graduation); it reads the years those stood in before and after, and the
tally of those years is counted again (a range of each column's index a year), as are the students of
their provinces (a student moved to another province has both counted again). Work of many batches
(an import, the demo, the synthetic load) is gathered and done once at its end (`kept_once`); a
refresh of every student rebuilds the whole tally. Counting takes a lock on PostgreSQL, so two
transactions never interleave their counts; `manage.py rebuild_payment_totals` rebuilds it with the
payments' totals.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from friendship_portal.core.kept import Kept, advisory_lock, in_years
from scholarships.models import Enrollment, ProvinceLevelStudents, ProvinceStudents, Student, StudentYear

# One lock for every count of the tally (pg_advisory_xact_lock's key: "STUYEAR" in ASCII).
LOCK_KEY = 0x53545559454152
COLUMNS = {"first_enrolled": "first_enrolled_on", "graduated": "graduated_on"}


def years_of(students) -> set[int]:
    """The years a queryset of students first enrolled and first graduated in: one query."""
    pairs = students.order_by().values_list(*COLUMNS.values()).distinct()
    return {day.year for pair in pairs for day in pair if day is not None}


def provinces_of(students) -> set[int]:
    """The Lao provinces of a queryset of students: one query."""
    return set(students.order_by().values_list("lao_province_id", flat=True).distinct())


def touched(years: Iterable[int] = (), provinces: Iterable[int] = ()) -> None:
    """These years' students, and these provinces', changed: count them again now, or at the end of
    `kept_once`."""
    _kept.touched(years=years, provinces=provinces)


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


def _count_provinces(provinces: set[int] | None) -> tuple[dict, dict]:
    """({province: its counts}, {(province, level): studying}) of these provinces (every one for None)."""
    students = Student.objects.all() if provinces is None else Student.objects.filter(lao_province_id__in=provinces)
    counts = {
        row.pop("lao_province_id"): row
        for row in students.order_by()
        .values("lao_province_id")
        .annotate(
            students=Count("pk"),
            studying=Count("pk", filter=Q(is_studying=True)),
            trained=Count("pk", filter=Q(first_enrolled_on__isnull=False)),
            graduated=Count("pk", filter=Q(has_graduated=True)),
        )
    }
    studying = Enrollment.objects.filter(status=Enrollment.Status.STUDYING)
    if provinces is not None:
        studying = studying.filter(student__lao_province_id__in=provinces)
    levels = {
        (province, level): number
        for province, level, number in studying.order_by()
        .values_list(F("student__lao_province_id"), "level")
        .annotate(number=Count("student", distinct=True))
    }
    return counts, levels


def _write_provinces(provinces: set[int] | None, counted: tuple[dict, dict]) -> None:
    counts, levels = counted
    for model in (ProvinceStudents, ProvinceLevelStudents):
        stale = model.objects.all() if provinces is None else model.objects.filter(lao_province_id__in=provinces)
        stale.delete()
    ProvinceStudents.objects.bulk_create(
        [ProvinceStudents(lao_province_id=province, **numbers) for province, numbers in sorted(counts.items())]
    )
    ProvinceLevelStudents.objects.bulk_create(
        [
            ProvinceLevelStudents(lao_province_id=province, level=level, studying=number)
            for (province, level), number in sorted(levels.items())
        ]
    )


def refresh(years: Iterable[int] = (), provinces: Iterable[int] = ()) -> None:
    """Count again the students who first enrolled or first graduated in these years, and the students of
    these provinces."""
    years, provinces = set(years), set(provinces)
    if years or provinces:
        with transaction.atomic():
            advisory_lock(LOCK_KEY)
            if years:
                _write(years, _count(years))
            if provinces:
                _write_provinces(provinces, _count_provinces(provinces))


_kept = Kept("student_years_pending", refresh)


@transaction.atomic
def rebuild() -> int:
    """The whole tally from the students' standing; how many years."""
    advisory_lock(LOCK_KEY)
    counted = _count(None)
    _write(None, counted)
    _write_provinces(None, _count_provinces(None))
    return len(counted)


def province_figures(lao_province_id: int) -> dict:
    """The students of one Lao province: studying now, trained and graduated in all, and studying by
    level (`[(level, number)]`): two queries over the kept rows."""
    row = (
        ProvinceStudents.objects.filter(lao_province_id=lao_province_id)
        .values("studying", "trained", "graduated")
        .first()
    ) or {"studying": 0, "trained": 0, "graduated": 0}
    levels = (
        ProvinceLevelStudents.objects.filter(lao_province_id=lao_province_id, studying__gt=0)
        .order_by("level")
        .values_list("level", "studying")
    )
    return {
        "studying": row["studying"],
        "trained_total": row["trained"],
        "graduated_total": row["graduated"],
        "by_level": list(levels),
    }


def studying_by_province() -> list[dict]:
    """The students studying now in each Lao province that has any, the most first."""
    return list(
        ProvinceStudents.objects.filter(studying__gt=0)
        .values("lao_province_id", "lao_province__name_vi", total=F("studying"))
        .order_by("-total", "lao_province__name_vi")
    )


def studying_by_level() -> list[tuple[str, int]]:
    """The students studying now at each level, every province together."""
    return list(
        ProvinceLevelStudents.objects.filter(studying__gt=0)
        .order_by("level")
        .values("level")
        .annotate(total=Sum("studying"))
        .values_list("level", "total")
    )


def studying_now() -> int:
    return ProvinceStudents.objects.aggregate(total=Coalesce(Sum("studying"), 0))["total"]


def students_in_all() -> int:
    """Every student recorded, from the kept counts of the provinces."""
    return ProvinceStudents.objects.aggregate(total=Coalesce(Sum("students"), 0))["total"]


def figures(year: int, *, graduated_by_year_end: bool = False) -> dict:
    """The students trained by the end of `year` (first enrolled by then) and graduated, in all or by the
    end of `year`: one query over the tally's few rows."""
    graduated = Q(year__lte=year) if graduated_by_year_end else Q()
    return StudentYear.objects.aggregate(
        trained_total=Coalesce(Sum("first_enrolled", filter=Q(year__lte=year)), 0),
        graduated_total=Coalesce(Sum("graduated", filter=graduated), 0),
    )
