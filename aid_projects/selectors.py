"""Reads for the aid pages, the dashboard and the reports: aggregated in the database, a fixed number
of queries whatever the number of projects."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from aid_projects import totals as kept
from aid_projects.models import (
    DONOR_KINDS,
    AidBreakdown,
    AidBreakdownYear,
    AidProject,
    Commune,
    Disbursement,
    DisbursementYear,
    ProgressReport,
    Sector,
    running_q,
)
from aid_projects.services import add_months
from associations.models import Partner

ZERO = Decimal(0)
AMOUNT = DecimalField(max_digits=18, decimal_places=0)


def running_in(queryset: QuerySet, year: int) -> QuerySet:
    """Aid that runs during `year` by its dates (planned start to actual, else planned, end); aid that
    was rejected or revoked never ran. The list's "running in year" filter is this same test."""
    return queryset.filter(running_q(year))


def disbursed_by_year(*, since: int | None = None, until: int | None = None) -> list[dict]:
    """VND disbursed each year from `since` (AID_SINCE_YEAR) to `until` (this year), every year listed,
    with the number of projects that received money and where the year stands against the band: the
    figures kept for each year (`aid_projects.totals`)."""
    since = since or settings.AID_SINCE_YEAR
    until = until or timezone.localdate().year
    rows = {row.year: row for row in DisbursementYear.objects.filter(year__gte=since, year__lte=until)}
    low, high = settings.AID_YEARLY_BAND
    result = []
    for year in range(since, until + 1):
        row = rows.get(year)
        total, cash = (row.total_vnd, row.cash_vnd) if row else (ZERO, ZERO)
        result.append(
            {
                "year": year,
                "total": total,
                "cash": cash,
                "in_kind": total - cash,
                "projects": row.projects if row else 0,
                "band": "below" if total < low else "above" if total > high else "within",
            }
        )
    return result


def year_disbursed(year: int) -> dict:
    """What was disbursed in `year` (`total`) and to how many projects (`projects`): the year's kept row."""
    row = DisbursementYear.objects.filter(year=year).first()
    return {"total": row.total_vnd if row else ZERO, "projects": row.projects if row else 0}


def disbursed_in_year(year: int) -> Decimal:
    return year_disbursed(year)["total"]


# What names a group and orders groups with the same figures, by breakdown.
LABELS = {
    AidBreakdown.Dimension.SECTOR: "code",
    AidBreakdown.Dimension.DONOR: "partner__name",
    AidBreakdown.Dimension.COMMUNE: "commune__name",
    AidBreakdown.Dimension.STATUS: "code",
}


class Breakdown(Sequence):
    """The aid of a year (None: to date) by sector, donor or commune, most disbursed first, as rows
    {key, label, projects, committed, disbursed}: the rows kept for the year (`aid_projects.totals`), read a
    slice at a time as the paginator asks; for a year not kept, summed when asked for. Groups with no
    project counted and nothing disbursed are left out."""

    def __init__(self, year: int | None, dimension: str, queryset: QuerySet | None = None):
        self.dimension = dimension
        label = LABELS[dimension]
        order = ("-disbursed_vnd", "-committed_vnd", label, "pk")
        if queryset is None:
            queryset = AidBreakdown.objects.all()
        if year is None or (year in kept.kept_years() and AidBreakdownYear.objects.filter(year=year).exists()):
            rows = queryset.filter(year=year or AidBreakdown.TO_DATE, dimension=dimension)
            self.rows = rows.exclude(projects=0, disbursed_vnd=0).select_related("partner", "commune").order_by(*order)
        else:
            summed = [row for row in kept.work_out(year) if row.dimension == dimension]
            names = _names(dimension, summed)
            for row in summed:
                row.label_text = names.get(row.partner_id or row.commune_id or row.code, "")
            self.rows = sorted(
                (row for row in summed if row.projects or row.disbursed_vnd),
                key=lambda row: (-row.disbursed_vnd, -row.committed_vnd, row.label_text, row.pk or 0),
            )

    def __len__(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        return [self._as_dict(row) for row in self.rows[index]]

    def __iter__(self):
        return iter(self[:])

    def _as_dict(self, row: AidBreakdown) -> dict:
        if self.dimension == AidBreakdown.Dimension.SECTOR:
            key, label = row.code, Sector(row.code).label
        elif self.dimension == AidBreakdown.Dimension.STATUS:
            key, label = row.code, AidProject.Status(row.code).label
        elif self.dimension == AidBreakdown.Dimension.DONOR:
            key, label = row.partner_id, getattr(row, "label_text", None) or row.partner.name
        else:
            key, label = row.commune_id, getattr(row, "label_text", None) or row.commune.name
        return {
            "key": key,
            "label": label,
            "projects": row.projects,
            "committed": row.committed_vnd,
            "disbursed": row.disbursed_vnd,
        }


def _names(dimension: str, rows: list[AidBreakdown]) -> dict:
    if dimension == AidBreakdown.Dimension.DONOR:
        return dict(Partner.objects.filter(pk__in=[row.partner_id for row in rows]).values_list("pk", "name"))
    if dimension == AidBreakdown.Dimension.COMMUNE:
        return dict(Commune.objects.filter(pk__in=[row.commune_id for row in rows]).values_list("pk", "name"))
    return {row.code: row.code for row in rows}


def by_donor(year: int | None = None) -> list[dict]:
    """A project with several donors counts fully for each of them."""
    return Breakdown(year, AidBreakdown.Dimension.DONOR)[:]


def by_commune(year: int | None = None) -> list[dict]:
    """A project in several communes counts fully for each of them."""
    return Breakdown(year, AidBreakdown.Dimension.COMMUNE)[:]


def by_sector(year: int | None = None) -> list[dict]:
    return Breakdown(year, AidBreakdown.Dimension.SECTOR)[:]


def totals(year: int | None = None) -> dict:
    """The number, committed and disbursed of the aid (running in `year`, or all) with every project
    counted once, though `by_donor` and `by_commune` put a project with several donors or communes on
    each one's row: one query. The same figures as the sums of `by_sector` (one sector a project)."""
    live = running_q(year)
    if year is None:  # to date: the total each project keeps
        projects = AidProject.objects.annotate(paid=F("disbursed_vnd"))
    else:
        disbursed = (
            Disbursement.objects.filter(project=OuterRef("pk"), date__year=year)
            .order_by()
            .values("project")
            .annotate(total=Sum("amount_vnd"))
            .values("total")
        )
        projects = AidProject.objects.annotate(paid=Subquery(disbursed, output_field=AMOUNT))
    return projects.aggregate(
        projects=Count("pk", filter=live),
        committed=Coalesce(Sum("commitment_vnd", filter=live), Value(ZERO), output_field=AMOUNT),
        disbursed=Coalesce(Sum("paid"), Value(ZERO), output_field=AMOUNT),
    )


def by_status(year: int | None = None) -> list[dict]:
    """Number, committed and disbursed of the projects in each state, every state listed: to date every
    project, in a year those running in it with that year's disbursements (the kept rows)."""
    found = {row["key"]: row for row in Breakdown(year, AidBreakdown.Dimension.STATUS)}
    return [
        found.get(status) or {"key": status, "label": label, "projects": 0, "committed": ZERO, "disbursed": ZERO}
        for status, label in AidProject.Status.choices
    ]


class DonorRows(Sequence):
    """The donors with aid, most disbursed first, as the paginator slices them: the kept rows of the donors
    to date (`aid_projects.totals`), each handed over as its partner with `projects`, `committed` and
    `disbursed` set."""

    def __init__(self, rows: QuerySet):
        self.rows = rows

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        partners = []
        for row in self.rows[index]:
            partner = row.partner
            partner.projects, partner.committed, partner.disbursed = row.projects, row.committed_vnd, row.disbursed_vnd
            partners.append(partner)
        return partners


def donors_overview() -> tuple[DonorRows, dict]:
    """Every donor with aid (its projects, what it committed and disbursed) and the totals, which count
    every project once though a project with several donors is on each one's row."""
    rows = (
        AidBreakdown.objects.filter(
            year=AidBreakdown.TO_DATE, dimension=AidBreakdown.Dimension.DONOR, partner__kind__in=DONOR_KINDS
        )
        .select_related("partner")
        .order_by("-disbursed_vnd", "-committed_vnd", "partner__name", "partner_id")
    )
    not_ended = ~Q(status__in=AidProject.ENDED)
    totals = AidProject.objects.aggregate(  # one pass for the three
        projects=Count("pk", filter=not_ended),
        committed=Coalesce(Sum("commitment_vnd", filter=not_ended), Value(ZERO), output_field=AMOUNT),
        disbursed=Coalesce(Sum("disbursed_vnd"), Value(ZERO), output_field=AMOUNT),
    )
    return DonorRows(rows), totals


def donor(pk: int) -> Partner | None:
    """A partner that is a donor or gave aid; None otherwise."""
    partner = Partner.objects.filter(pk=pk).first()
    if partner is None or (partner.kind not in DONOR_KINDS and not partner.aid_projects.exists()):
        return None
    return partner


def rows_total(rows: list[dict], *names: str) -> dict:
    """The sum of each named column over rows a selector returned."""
    return {name: sum((row[name] for row in rows), Decimal(0)) for name in names}


def donor_totals(donor_id: int) -> dict:
    live = ~Q(status__in=AidProject.ENDED)
    return AidProject.objects.filter(donors=donor_id).aggregate(
        committed=Coalesce(Sum("commitment_vnd", filter=live), ZERO),
        count=Count("pk", filter=live),
        disbursed=Coalesce(Sum("disbursed_vnd"), ZERO),
    )


def with_report_overdue(queryset: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate each project with whether a progress report it owes is past its due date and not
    received (`report_overdue`), as `overdue_reports` counts them (one EXISTS a listed row)."""
    today = today or timezone.localdate()
    owed = ProgressReport.objects.filter(project=OuterRef("pk"), submitted_on__isnull=True, due_on__lt=today)
    return queryset.annotate(report_overdue=Exists(owed))


def report_overdue(project) -> bool:
    """A project annotated by `with_report_overdue` that still owes its reports and is late with one."""
    return bool(getattr(project, "report_overdue", False)) and project.status not in AidProject.OWES_NO_REPORTS


def overdue_reports(today: datetime.date | None = None) -> QuerySet:
    """Progress reports past their due date and not received, of aid still owing them (not rejected,
    revoked or already settled)."""
    today = today or timezone.localdate()
    return (
        ProgressReport.objects.filter(submitted_on__isnull=True, due_on__lt=today)
        .exclude(project__status__in=AidProject.OWES_NO_REPORTS)
        .select_related("project")
        .order_by("due_on", "pk")
    )


def reports_due_soon(days: int = 30, today: datetime.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        ProgressReport.objects.filter(
            submitted_on__isnull=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
        )
        .exclude(project__status__in=AidProject.OWES_NO_REPORTS)
        .select_related("project")
        .order_by("due_on", "pk")
    )


def not_started(today: datetime.date | None = None) -> QuerySet:
    """Approved aid that has not started within AID_NOT_STARTED_MONTHS of its approval (may be revoked),
    the oldest approval first: a query, so that a page of it reads only its rows."""
    today = today or timezone.localdate()
    return AidProject.objects.filter(
        **AidProject.APPROVED_NOT_STARTED,
        decision_date__lte=last_decision_revocable(today, settings.AID_NOT_STARTED_MONTHS),
    ).order_by("decision_date", "pk")


def last_decision_revocable(today: datetime.date, months: int) -> datetime.date:
    """The latest decision date whose `months` have run by `today`, with the calendar's clamping (31/08 + 6
    months = 28/02, so on 28/02 the decisions of 29, 30 and 31/08 have run too)."""
    latest = add_months(today, -months)
    while add_months(latest + datetime.timedelta(days=1), months) <= today:
        latest += datetime.timedelta(days=1)
    return latest


def project_counts() -> dict:
    return AidProject.objects.aggregate(
        total=Count("pk"),
        running=Count("pk", filter=Q(status__in=AidProject.RUNNING)),
        since=Count("pk", filter=Q(planned_start__year__gte=settings.AID_SINCE_YEAR) & ~Q(status__in=AidProject.ENDED)),
    )


def communes() -> QuerySet:
    return Commune.objects.all()


def aid_in_period(*, start: datetime.date, end: datetime.date) -> dict:
    """What the union's review reports of the aid between `start` and `end`."""
    disbursed = Disbursement.objects.filter(date__range=(start, end)).aggregate(
        total=Coalesce(Sum("amount_vnd"), ZERO), projects=Count("project", distinct=True)
    )
    counts = AidProject.objects.aggregate(
        approved=Count("pk", filter=Q(decision_date__range=(start, end)) & ~Q(status=AidProject.Status.REJECTED)),
        approved_value=Coalesce(
            Sum("commitment_vnd", filter=Q(decision_date__range=(start, end)) & ~Q(status=AidProject.Status.REJECTED)),
            ZERO,
        ),
        running=Count("pk", filter=Q(status__in=AidProject.RUNNING)),
        completed=Count("pk", filter=Q(actual_end__range=(start, end))),
    )
    return {"disbursed": disbursed["total"], "receiving": disbursed["projects"], **counts}


def dashboard_figures(*, year: int) -> dict:
    """The aid part of the dashboard, in a fixed number of queries."""
    low, high = settings.AID_YEARLY_BAND
    year_row = year_disbursed(year)
    disbursed = year_row["total"]
    return {
        "projects_total": AidProject.objects.count(),
        "by_status": by_status(),
        "by_status_year": by_status(year),
        "disbursed": disbursed,
        "band": (low, high),
        "band_state": "below" if disbursed < low else "above" if disbursed > high else "within",
        "trend": disbursed_by_year(until=year),
        "by_sector": by_sector(year),
        "by_commune": by_commune(year)[:10],
        "overdue_reports": overdue_reports().count(),
        "receiving": year_row["projects"],
    }


def for_partner_place(*, country: str | None = None, lao_province_id: int | None = None) -> dict:
    """Aid from donors of a country (or of a Lao province), with the committed and disbursed totals."""
    donors = (
        {"donors__lao_province_id": lao_province_id} if lao_province_id is not None else {"donors__country": country}
    )
    projects = AidProject.objects.filter(pk__in=AidProject.objects.filter(**donors).values("pk"))
    live = ~Q(status__in=AidProject.ENDED)
    totals = projects.aggregate(
        committed=Coalesce(Sum("commitment_vnd", filter=live), ZERO),
        count=Count("pk", filter=live),
        disbursed=Coalesce(Sum("disbursed_vnd"), ZERO),
    )
    newest = projects.order_by("-planned_start", "-pk")[: settings.PLACE_LIST_ROWS]
    return {"projects": list(newest), **totals}
