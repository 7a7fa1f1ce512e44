"""What was disbursed each year (`DisbursementYear`: in all, in cash, to how many projects) and to each
project to date (`AidProject.disbursed_vnd`), kept with every write of a disbursement; and the aid of each
year and to date by sector, donor, commune and state (`AidBreakdown`), kept with every write of a
disbursement, of a project or of its donors and communes.

Every save or deletion of a disbursement works out again the year and the project it is in and those it
was in (`aid_projects.signals`); a bulk write (the demo, the synthetic load) sends no signal and
rebuilds everything. The work of many saves in one service (an import) is done once at its end
(`kept_once`). Working out a year sums its disbursements again (a range of the date's index), working
out a project sums its own, under a lock on PostgreSQL, so two transactions never interleave their
sums; `manage.py rebuild_disbursement_years` rebuilds every year and project from the disbursements.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from aid_projects.models import AidBreakdown, AidBreakdownYear, AidProject, Disbursement, DisbursementYear, running_q
from friendship_portal.core.kept import Kept, advisory_lock, in_years

# One lock for every rebuild of these figures (pg_advisory_xact_lock's key: "AIDYEAR" in ASCII).
LOCK_KEY = 0x41494459454152
AMOUNT = DecimalField(max_digits=20, decimal_places=0)

# Every group of a breakdown (a link cleared without saying which, a project not read whole).
ALL = "*"
Dimension = AidBreakdown.Dimension


def touched(years: Iterable[int | None], *, projects: Iterable[int | None] = ()) -> None:
    """These years' and these projects' disbursements changed: work them out now, or at the end of
    `kept_once`; and the groups of these projects in the breakdowns of these years and to date."""
    years, projects = set(years), {project for project in projects if project is not None}
    groups = _groups(groups_of(projects), years | {AidBreakdown.TO_DATE}) if projects else set()
    _kept.touched(years=years, projects=projects, breakdowns=groups)


def project_touched(before: dict | None, after: dict | None, *, project_id: int | None, links=None) -> None:
    """A project's state, sector, commitment or dates changed from `before` to `after` (None: not known):
    its groups (its sector and state before and after, its donors and communes: `links`, else read) in the
    years it ran in and runs in, and in those it received money in when its money changed groups."""
    years = {AidBreakdown.TO_DATE}
    if before is None or after is None:
        years |= set(kept_years())
    else:
        years |= running_years(before) | running_years(after)
        if project_id is not None and (before["status"], before["sector"]) != (after["status"], after["sector"]):
            years |= {day.year for day in Disbursement.objects.filter(project_id=project_id).dates("date", "year")}
    keys = links if links is not None else groups_of([project_id]) if project_id is not None else _no_groups()
    for state in (before, after):
        if state is None:  # not known: every sector and state
            keys[Dimension.SECTOR] = keys[Dimension.STATUS] = ALL
        else:
            for dimension in (Dimension.SECTOR, Dimension.STATUS):
                if keys[dimension] is not ALL:
                    keys[dimension].add(state[dimension])
    _kept.touched(breakdowns=_groups(keys, years))


def links_touched(project_ids: Iterable[int] | None, dimension: str, keys: Iterable | None) -> None:
    """Donors or communes (`dimension`; `keys` the partners or communes, None: not known which) were linked
    to or unlinked from projects (None: not known which): those groups in the years the projects run in
    and received money in."""
    years = {AidBreakdown.TO_DATE}
    if project_ids is None:
        years |= set(kept_years())
    else:
        project_ids = sorted(set(project_ids))
        for state in AidProject.objects.filter(pk__in=project_ids).values(*AidProject.BREAKDOWN_FIELDS):
            years |= running_years(state)
        payments = Disbursement.objects.filter(project_id__in=project_ids)
        years |= {day.year for day in payments.dates("date", "year")}
    groups = _no_groups()
    groups[dimension] = ALL if keys is None else set(keys)
    _kept.touched(breakdowns=_groups(groups, years))


def _no_groups() -> dict[str, set]:
    return {dimension: set() for dimension in Dimension}


def groups_of(project_ids: Iterable[int]) -> dict[str, set]:
    """The groups these projects are in now: their sectors and states, their donors and communes."""
    project_ids = sorted(set(project_ids))
    groups = _no_groups()
    for sector, status in AidProject.objects.filter(pk__in=project_ids).values_list("sector", "status"):
        groups[Dimension.SECTOR].add(sector)
        groups[Dimension.STATUS].add(status)
    donors = AidProject.donors.through.objects.filter(aidproject_id__in=project_ids)
    groups[Dimension.DONOR] |= set(donors.values_list("partner_id", flat=True))
    communes = AidProject.communes.through.objects.filter(aidproject_id__in=project_ids)
    groups[Dimension.COMMUNE] |= set(communes.values_list("commune_id", flat=True))
    return groups


def _groups(groups: dict[str, set], years: set[int]) -> set[tuple]:
    """(year, breakdown, key) for each group in each year; key ALL for every group of a breakdown."""
    found = set()
    for dimension, keys in groups.items():
        for key in [ALL] if keys is ALL else keys:
            found |= {(year, dimension, key) for year in years if key is not None}
    return found


def running_years(state: dict) -> set[int]:
    """The years a project with these fields counts in as running (none once rejected or revoked)."""
    start, end = state["planned_start"], state["actual_end"] or state["planned_end"]
    if state["status"] in AidProject.ENDED or start is None or end is None:
        return set()
    window = kept_years()
    return set(range(max(start.year, window.start), min(end.year, window.stop - 1) + 1))


def kept_years() -> range:
    """The years whose breakdowns are kept: from `AID_SINCE_YEAR` to next year."""
    return range(settings.AID_SINCE_YEAR, timezone.localdate().year + 2)


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


# --- the breakdowns ----------------------------------------------------------------------------------

# Each breakdown: the project's field it groups by and the row's column that names the group.
BREAKDOWNS = {
    AidBreakdown.Dimension.SECTOR: ("sector", "code"),
    AidBreakdown.Dimension.DONOR: ("donors__pk", "partner_id"),
    AidBreakdown.Dimension.COMMUNE: ("communes__pk", "commune_id"),
    AidBreakdown.Dimension.STATUS: ("status", "code"),
}


def work_out(
    year: int | None,
    *,
    dimension: str | None = None,
    keys: Iterable | None = None,
    project_model=AidProject,
    disbursement_model=Disbursement,
) -> list[AidBreakdown]:
    """The breakdowns of `year` (None: to date), summed from the projects and the disbursements: by each
    key the projects counted (running in the year and not rejected or revoked; to date, every project by
    state) with what they committed, and what was disbursed in the year to projects of that key. A project
    with several donors or communes counts fully for each. Every donor of a project has a row to date.
    `dimension` and `keys`: that breakdown only, those groups only."""
    counted = running_q(year)
    projects = project_model.objects.all() if year is None else project_model.objects.filter(counted)
    disbursements = disbursement_model.objects.all()
    if year is not None:
        disbursements = disbursements.filter(date__year=year)
    rows: dict[tuple, AidBreakdown] = {}
    for name, (field, column) in BREAKDOWNS.items():
        if dimension is not None and name != dimension:
            continue
        among, paid = projects, disbursements
        if keys is not None:  # one filter() with the values() after it: the same join to the links
            among = among.filter(**{f"{field}__in": sorted(keys)})
            paid = paid.filter(**{f"project__{field}__in": sorted(keys)})
        every_project = year is None and name == Dimension.STATUS
        only = {} if year is not None or every_project else {"filter": counted}
        figures = (
            among.values(key=F(field))
            .annotate(count=Count("pk", distinct=True, **only), committed=Sum("commitment_vnd", **only))
            .order_by()
        )
        for figure in figures:
            if figure["key"] is not None:
                row = rows[name, figure["key"]] = _row(year, name, column, figure["key"])
                row.projects, row.committed_vnd = figure["count"], figure["committed"] or 0
        for figure in paid.values(key=F(f"project__{field}")).annotate(total=Sum("amount_vnd")).order_by():
            if figure["key"] is not None:
                if (name, figure["key"]) not in rows:
                    rows[name, figure["key"]] = _row(year, name, column, figure["key"])
                rows[name, figure["key"]].disbursed_vnd = figure["total"] or 0
    return list(rows.values())


def _row(year: int | None, dimension: str, column: str, key) -> AidBreakdown:
    return AidBreakdown(
        year=year or AidBreakdown.TO_DATE,
        dimension=dimension,
        **{column: key},
        projects=0,
        committed_vnd=0,
        disbursed_vnd=0,
    )


def _write_breakdowns(groups: set[tuple]) -> None:
    """Work out again these groups, (year, breakdown, key) with year 0 to date and key ALL for every group
    of a breakdown, and mark their years kept."""
    by_breakdown: dict[tuple, set] = {}
    for year, dimension, key in groups:
        by_breakdown.setdefault((year, dimension), set()).add(key)
    rows = []
    for (year, dimension), keys in sorted(by_breakdown.items()):
        column = BREAKDOWNS[dimension][1]
        stale = AidBreakdown.objects.filter(year=year, dimension=dimension)
        if ALL in keys:
            keys = None
        else:
            stale = stale.filter(**{f"{column}__in": sorted(keys)})
        stale.delete()
        rows += work_out(year or None, dimension=dimension, keys=keys)
    AidBreakdown.objects.bulk_create(rows, batch_size=2000)
    years = sorted({year for year, _dimension in by_breakdown if year})
    AidBreakdownYear.objects.bulk_create([AidBreakdownYear(year=year) for year in years], ignore_conflicts=True)


def refresh(years: Iterable[int] = (), projects: Iterable[int] = (), breakdowns: Iterable[tuple] = ()) -> None:
    """Work out again these years' figures and these projects' totals from their disbursements, and these
    groups of the breakdowns, (year, breakdown, key), in the years kept (0: to date)."""
    years, projects = set(years), set(projects)
    window = kept_years()
    breakdowns = {group for group in breakdowns if group[0] == AidBreakdown.TO_DATE or group[0] in window}
    if not (years or projects or breakdowns):
        return
    with transaction.atomic():
        advisory_lock(LOCK_KEY)
        if years:
            _write(years, _sums(Disbursement.objects.filter(in_years("date", years))))
        if projects:
            _project_totals(AidProject.objects.filter(pk__in=sorted(projects)))
        if breakdowns:
            _write_breakdowns(breakdowns)


_kept = Kept("disbursement_years_pending", refresh)


@transaction.atomic
def rebuild(*, projects: bool = True) -> int:
    """Every year's figures and every project's total from the disbursements, and the breakdowns of every
    kept year and to date (after a bulk write; a writer that gave each project its total says
    `projects=False`); how many years disbursed money."""
    advisory_lock(LOCK_KEY)
    sums = _sums(Disbursement.objects.all())
    _write(None, sums)
    if projects:
        _project_totals(AidProject.objects.all())
    AidBreakdownYear.objects.all().delete()
    AidBreakdown.objects.all().delete()
    _write_breakdowns(_groups(dict.fromkeys(Dimension, ALL), {AidBreakdown.TO_DATE, *kept_years()}))
    return len(sums)
