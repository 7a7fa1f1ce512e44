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

import functools
import operator
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
    paid_in = {(year, project) for year in years | {AidBreakdown.TO_DATE} for project in projects if year is not None}
    _kept.touched(years=years, projects=projects, paid_in=paid_in)


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
    moved = _breakdowns_moved(before, after)
    keys: dict[str, set | str] = {}
    if moved & {Dimension.DONOR, Dimension.COMMUNE}:  # its links, read only when they are moved
        found = links if links is not None else groups_of([project_id]) if project_id is not None else _no_groups()
        keys = {name: found[name] for name in moved & {Dimension.DONOR, Dimension.COMMUNE}}
    for name in moved & {Dimension.SECTOR, Dimension.STATUS}:
        keys[name] = ALL if before is None or after is None else {before[name], after[name]}
    _kept.touched(breakdowns=_groups(keys, years))


def _breakdowns_moved(before: dict | None, after: dict | None) -> set[str]:
    """The breakdowns a change of a project moves it in: only its sector's or its state's when that alone
    changed (a step of the workflow), every breakdown when what it counts for changed (its commitment, its
    dates, or its state to or from rejected or revoked)."""
    if before is None or after is None or before is after:
        return set(Dimension)
    changed = {name for name in AidProject.BREAKDOWN_FIELDS if before[name] != after[name]}
    ended = before["status"] in AidProject.ENDED, after["status"] in AidProject.ENDED
    if changed - {"sector", "status"} or ended[0] != ended[1]:
        return set(Dimension)
    return {Dimension(name) for name in changed}


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
    groups = _no_groups()
    for found in groups_by_project(project_ids).values():
        for dimension, keys in found.items():
            groups[dimension] |= keys
    return groups


def groups_by_project(project_ids: Iterable[int]) -> dict[int, dict[str, set]]:
    """Each of these projects' groups, read in three queries for them all."""
    project_ids = sorted(set(project_ids))
    by_project = {pk: _no_groups() for pk in project_ids}
    for pk, sector, status in AidProject.objects.filter(pk__in=project_ids).values_list("pk", "sector", "status"):
        by_project[pk][Dimension.SECTOR].add(sector)
        by_project[pk][Dimension.STATUS].add(status)
    links = (
        (AidProject.donors.through, "partner_id", Dimension.DONOR),
        (AidProject.communes.through, "commune_id", Dimension.COMMUNE),
    )
    for through, column, dimension in links:
        for pk, key in through.objects.filter(aidproject_id__in=project_ids).values_list("aidproject_id", column):
            by_project[pk][dimension].add(key)
    return by_project


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
    names = [dimension] if dimension is not None else list(BREAKDOWNS)
    rows = []
    for name in names:
        rows += work_out_years({year or AidBreakdown.TO_DATE}, name, keys, project_model, disbursement_model)
    return rows


def work_out_years(
    years: set[int], dimension: str, keys: Iterable | None, project_model=AidProject, disbursement_model=Disbursement
) -> list[AidBreakdown]:
    """`work_out` for several years (0: to date) of one breakdown at once: one grouped query of the projects
    with a count and a sum for each year, and one or two of the disbursements, whatever the years."""
    field, column = BREAKDOWNS[dimension]
    projects, disbursements = project_model.objects.all(), disbursement_model.objects.all()
    if keys is not None:  # one filter() with the values() after it: the same join to the links
        projects = projects.filter(**{f"{field}__in": sorted(keys)})
        disbursements = disbursements.filter(**{f"project__{field}__in": sorted(keys)})
    years = sorted(years)
    dated = [year for year in years if year != AidBreakdown.TO_DATE]
    if AidBreakdown.TO_DATE not in years:  # only the projects running in one of the years
        projects = projects.filter(functools.reduce(operator.or_, (running_q(year) for year in dated)))
    sums = {}
    for year in years:
        every_project = year == AidBreakdown.TO_DATE and dimension == Dimension.STATUS
        only = {} if every_project else {"filter": running_q(year or None)}
        sums[f"count_{year}"] = Count("pk", distinct=True, **only)
        sums[f"committed_{year}"] = Sum("commitment_vnd", **only)
    rows: dict[tuple, AidBreakdown] = {}

    def row(year, key) -> AidBreakdown:
        if (year, key) not in rows:
            rows[year, key] = _row(year, dimension, column, key)
        return rows[year, key]

    for figure in projects.values(key=F(field)).annotate(**sums).order_by():
        if figure["key"] is None:
            continue
        for year in years:
            # To date every project's group has its row (a donor whose aid was all rejected is listed).
            if figure[f"count_{year}"] or year == AidBreakdown.TO_DATE:
                found = row(year, figure["key"])
                found.projects, found.committed_vnd = figure[f"count_{year}"], figure[f"committed_{year}"] or 0
    _add_disbursed(rows, row, disbursements, field, dated, AidBreakdown.TO_DATE in years)
    return list(rows.values())


def counted_over_projects(years: set[int], dimension: str, keys: Iterable | None) -> list[AidBreakdown]:
    """`work_out_years`, as a write of a few groups works them out: the projects of those groups read once,
    (group, project, state, commitment, dates), and counted for each year here; what was disbursed summed
    by the database. The same figures as `work_out_years` (which the rebuild and the tests use)."""
    field, column = BREAKDOWNS[dimension]
    projects, disbursements = AidProject.objects.all(), Disbursement.objects.all()
    if keys is not None:  # one filter() with the values after it: the same join to the links
        projects = projects.filter(**{f"{field}__in": sorted(keys)})
        disbursements = disbursements.filter(**{f"project__{field}__in": sorted(keys)})
    dated = sorted(year for year in years if year != AidBreakdown.TO_DATE)
    to_date = AidBreakdown.TO_DATE in years
    if not to_date:  # only the projects running in one of the years
        projects = projects.filter(functools.reduce(operator.or_, (running_q(year) for year in dated)))
    rows: dict[tuple, AidBreakdown] = {}

    def row(year, key) -> AidBreakdown:
        if (year, key) not in rows:
            rows[year, key] = _row(year, dimension, column, key)
        return rows[year, key]

    fields = (field, "pk", "status", "commitment_vnd", "planned_start", "planned_end", "actual_end")
    for key, _pk, status, commitment, start, planned_end, actual_end in set(projects.values_list(*fields).order_by()):
        if key is None:
            continue
        live = status not in AidProject.ENDED
        if to_date:
            found = row(AidBreakdown.TO_DATE, key)  # every group to date has its row
            if live or dimension == Dimension.STATUS:  # to date, the states count every project
                found.projects, found.committed_vnd = found.projects + 1, found.committed_vnd + (commitment or 0)
        end = actual_end or planned_end
        if live and start is not None and end is not None:
            for year in dated:
                if start.year <= year <= end.year:
                    found = row(year, key)
                    found.projects, found.committed_vnd = found.projects + 1, found.committed_vnd + (commitment or 0)
    _add_disbursed(rows, row, disbursements, field, dated, to_date)
    return list(rows.values())


def _add_disbursed(rows, row, disbursements, field: str, dated: list[int], to_date: bool) -> None:
    """What was disbursed to each group by year, in one query: the years asked for, and to date their sum
    over every year (when to date is asked for, the query reads every year)."""
    paid = disbursements.order_by() if to_date else disbursements.order_by().filter(date__year__in=dated)
    summed: dict = {}
    for figure in paid.values(key=F(f"project__{field}"), year=ExtractYear("date")).annotate(total=Sum("amount_vnd")):
        if figure["key"] is None:
            continue
        if figure["year"] in dated:
            row(figure["year"], figure["key"]).disbursed_vnd = figure["total"] or 0
        summed[figure["key"]] = summed.get(figure["key"], 0) + (figure["total"] or 0)
    if to_date:
        for key, total in summed.items():
            row(AidBreakdown.TO_DATE, key).disbursed_vnd = total


def _row(year: int | None, dimension: str, column: str, key) -> AidBreakdown:
    return AidBreakdown(
        year=year or AidBreakdown.TO_DATE,
        dimension=dimension,
        **{column: key},
        projects=0,
        committed_vnd=0,
        disbursed_vnd=0,
    )


def _write_breakdowns(groups: set[tuple], *, summing=counted_over_projects) -> None:
    """Work out again these groups, (year, breakdown, key) with year 0 to date and key ALL for every group
    of a breakdown, and mark their years kept: for each breakdown, the keys that share their years at once."""
    years_of: dict[tuple, set] = {}
    for year, dimension, key in groups:
        years_of.setdefault((dimension, key), set()).add(year)
    batches: dict[tuple, set] = {}
    for (dimension, key), years in years_of.items():
        batches.setdefault((dimension, frozenset(years)), set()).add(key)
    rows = []
    for (dimension, years), keys in sorted(batches.items(), key=lambda batch: (batch[0][0], sorted(batch[0][1]))):
        column = BREAKDOWNS[dimension][1]
        stale = AidBreakdown.objects.filter(year__in=sorted(years), dimension=dimension)
        if ALL in keys:
            keys = None
        else:
            stale = stale.filter(**{f"{column}__in": sorted(keys)})
        # Straight to SQL: a delete through the collector would read the rows and signal each one.
        stale._raw_delete(stale.db)
        rows += summing(set(years), dimension, keys)
    AidBreakdown.objects.bulk_create(rows, batch_size=2000)
    kept = sorted({year for year, _dimension, _key in groups if year})
    AidBreakdownYear.objects.bulk_create([AidBreakdownYear(year=year) for year in kept], ignore_conflicts=True)


def refresh(
    years: Iterable[int] = (),
    projects: Iterable[int] = (),
    breakdowns: Iterable[tuple] = (),
    paid_in: Iterable[tuple] = (),
) -> None:
    """Work out again these years' figures and these projects' totals from their disbursements, and these
    groups of the breakdowns, (year, breakdown, key), in the years kept (0: to date), with the groups of
    the projects whose money changed in a year, (year, project): read once for all those projects."""
    years, projects, breakdowns, paid_in = set(years), set(projects), set(breakdowns), set(paid_in)
    if paid_in:
        by_project = groups_by_project(project for _year, project in paid_in)
        for year, project in paid_in:
            breakdowns |= _groups(by_project.get(project, _no_groups()), {year})
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
    _kept.forget()  # what a kept_once() block gathered is rebuilt with the rest
    AidBreakdownYear.objects.all().delete()
    AidBreakdown.objects.all().delete()
    _write_breakdowns(
        _groups(dict.fromkeys(Dimension, ALL), {AidBreakdown.TO_DATE, *kept_years()}), summing=work_out_years
    )
    return len(sums)
