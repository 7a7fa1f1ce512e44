"""What was disbursed each year (`DisbursementYear`: in all, in cash, to how many projects) and to each
project to date (`AidProject.disbursed_vnd`), kept with every write of a disbursement.

Every save or deletion of a disbursement works out again the year and the project it is in and those it
was in (`aid_projects.signals`); a bulk write (the demo, the synthetic load) sends no signal and
rebuilds everything. The work of many saves in one service (an import) is done once at its end
(`kept_once`). Working out a year sums its disbursements again (a range of the date's index), working
out a project sums its own, under a lock on PostgreSQL, so two transactions never interleave their
sums; `manage.py rebuild_disbursement_years` rebuilds every year and project from the disbursements.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from aid_projects.models import AidProject, Disbursement, DisbursementYear
from friendship_portal.core.kept import Kept, advisory_lock, in_years

# One lock for every rebuild of these figures (pg_advisory_xact_lock's key: "AIDYEAR" in ASCII).
LOCK_KEY = 0x41494459454152
AMOUNT = DecimalField(max_digits=20, decimal_places=0)


def touched(years: Iterable[int | None], *, projects: Iterable[int | None] = ()) -> None:
    """These years' and these projects' disbursements changed: work them out now, or at the end of
    `kept_once`."""
    _kept.touched(years=years, projects=projects)


def kept_once():
    """Within this block the years and projects touched are gathered and worked out once at its end."""
    return _kept.kept_once()


def _sums(disbursements) -> dict[int, dict]:
    return {
        row["year"]: row
        for row in disbursements.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            total=Sum("amount_vnd"),
            cash=Sum("amount_vnd", filter=Q(form=Disbursement.Form.CASH)),
            projects=Count("project", distinct=True),
        )
    }


def _write(years: set[int] | None, sums: dict[int, dict]) -> None:
    stale = DisbursementYear.objects.all() if years is None else DisbursementYear.objects.filter(year__in=years)
    stale.delete()
    DisbursementYear.objects.bulk_create(
        [
            DisbursementYear(
                year=year, total_vnd=row["total"] or 0, cash_vnd=row["cash"] or 0, projects=row["projects"]
            )
            for year, row in sorted(sums.items())
        ]
    )


def _project_totals(projects) -> None:
    """Each of these projects' disbursed to date, summed from its disbursements in one statement."""
    summed = (
        Disbursement.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount_vnd"))
        .values("total")
    )
    projects.update(disbursed_vnd=Coalesce(Subquery(summed, output_field=AMOUNT), Value(0), output_field=AMOUNT))


def refresh(years: Iterable[int] = (), projects: Iterable[int] = ()) -> None:
    """Work out again these years' figures and these projects' totals from their disbursements."""
    years, projects = set(years), set(projects)
    if not (years or projects):
        return
    with transaction.atomic():
        advisory_lock(LOCK_KEY)
        if years:
            _write(years, _sums(Disbursement.objects.filter(in_years("date", years))))
        if projects:
            _project_totals(AidProject.objects.filter(pk__in=sorted(projects)))


_kept = Kept("disbursement_years_pending", refresh)


@transaction.atomic
def rebuild(*, projects: bool = True) -> int:
    """Every year's figures and every project's total from the disbursements (after a bulk write; a
    writer that gave each project its total says `projects=False`); how many years."""
    advisory_lock(LOCK_KEY)
    sums = _sums(Disbursement.objects.all())
    _write(None, sums)
    if projects:
        _project_totals(AidProject.objects.all())
    return len(sums)
