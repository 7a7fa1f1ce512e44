"""Reads of delegations for pages, the dashboard and reports."""

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from delegations.models import BudgetLine, Delegation, RecoveryRecord
from delegations.workflow import WORKFLOW

Status = Delegation.Status


def recovery_totals(*, until: datetime.date | None = None) -> dict:
    """Remains recovered and repatriated by all missions since 1999 (cancelled or rejected ones aside),
    up to the missions begun by `until` when a past period asks for its totals as they stood then."""
    missions = RecoveryRecord.objects.filter(delegation__start_date__year__gte=settings.RECOVERY_TOTAL_SINCE_YEAR)
    if until is not None:
        missions = missions.filter(delegation__start_date__lte=until)
    totals = missions.exclude(delegation__status__in=Delegation.ENDED).aggregate(
        recovered=Sum("remains_recovered"), repatriated=Sum("remains_repatriated"), missions=Count("pk")
    )
    return {
        "recovered": totals["recovered"] or 0,
        "repatriated": totals["repatriated"] or 0,
        "missions": totals["missions"],
        "since": settings.RECOVERY_TOTAL_SINCE_YEAR,
    }


def waiting_for(user) -> QuerySet:
    """The delegations whose next step is this user's to take (read from the workflow's table)."""
    return Delegation.objects.filter(WORKFLOW.waiting_q(user)).order_by("start_date", "pk")


def overdue_reports() -> QuerySet:
    return Delegation.objects.filter(
        status__in=Delegation.AWAITING_REPORT, report_due_on__lt=timezone.localdate()
    ).order_by("report_due_on", "pk")


def available_steps(delegation: Delegation, user) -> list:
    """The workflow buttons this user has on this delegation now (rows of the workflow's table)."""
    return WORKFLOW.available(delegation, user)


def costs_by_association(*, year: int) -> list[dict]:
    """Estimated cost (sum of budget lines) of the year's delegations by association and direction."""
    rows = (
        BudgetLine.objects.filter(delegation__start_date__year=year)
        .exclude(delegation__status__in=Delegation.ENDED)
        .values("delegation__association__name", "delegation__direction")
        .annotate(total=Sum("amount"), delegations=Count("delegation", distinct=True))
        .order_by("delegation__association__name", "delegation__direction")
    )
    directions = dict(Delegation.Direction.choices)
    return [
        {
            "association": row["delegation__association__name"] or "",
            "direction": str(directions[row["delegation__direction"]]),
            "direction_key": row["delegation__direction"],
            "delegations": row["delegations"],
            "total": row["total"] or 0,
        }
        for row in rows
    ]


def delegations_in_period(*, start, end) -> QuerySet:
    """Delegations that began in the period (cancelled and rejected ones aside), oldest first."""
    return (
        Delegation.objects.filter(start_date__range=(start, end))
        .exclude(status__in=Delegation.ENDED)
        .select_related("association")
        .order_by("start_date", "pk")
    )


def recovery_in_period(*, start, end) -> dict:
    totals = (
        RecoveryRecord.objects.filter(delegation__start_date__range=(start, end))
        .exclude(delegation__status__in=Delegation.ENDED)
        .aggregate(recovered=Sum("remains_recovered"), repatriated=Sum("remains_repatriated"), missions=Count("pk"))
    )
    return {key: value or 0 for key, value in totals.items()}


def awaiting_decision(direction: str) -> tuple:
    """The states in which a delegation waits for the provincial office's decision (from the workflow)."""
    return WORKFLOW.step("approve").sources_for(direction)


def dashboard_figures(*, year: int, since: int, association_id: int | None = None) -> dict:
    """The delegations' part of the dashboard in a fixed number of queries; `association_id` narrows it
    to one association (what its leader sees)."""
    delegations = Delegation.objects.all()
    if association_id is not None:
        delegations = delegations.filter(association_id=association_id)
    OUT, IN = Delegation.Direction.OUTBOUND, Delegation.Direction.INBOUND
    counts = delegations.aggregate(
        outbound=Count("pk", filter=Q(direction=OUT, start_date__year=year)),
        inbound=Count("pk", filter=Q(direction=IN, start_date__year=year)),
        waiting_outbound=Count("pk", filter=Q(direction=OUT, status__in=awaiting_decision(OUT))),
        waiting_inbound=Count("pk", filter=Q(direction=IN, status__in=awaiting_decision(IN))),
        overdue=Count("pk", filter=Q(status__in=Delegation.AWAITING_REPORT, report_due_on__lt=timezone.localdate())),
        missions=Count("pk", filter=Q(purpose=Delegation.Purpose.REMAINS_RECOVERY, start_date__year=year)),
    )
    per_year = {
        (row["year"], row["direction"]): row["total"]
        for row in delegations.filter(start_date__year__gte=since, start_date__year__lte=year)
        .annotate(year=ExtractYear("start_date"))
        .values("year", "direction")
        .annotate(total=Count("pk"))
        .order_by()
    }
    # Per year, as the lists show them: the missions are the remains-recovery delegations that began
    # that year (the list's purpose and year filters); what they found comes from their records.
    records = RecoveryRecord.objects.exclude(delegation__status__in=Delegation.ENDED)
    if association_id is not None:
        records = records.filter(delegation__association_id=association_id)
    recovery = {
        row["year"]: row
        for row in records.filter(delegation__start_date__year__gte=settings.RECOVERY_TOTAL_SINCE_YEAR)
        .annotate(year=ExtractYear("delegation__start_date"))
        .values("year")
        .annotate(recovered=Sum("remains_recovered"), repatriated=Sum("remains_repatriated"))
        .order_by()
    }
    missions = dict(
        delegations.filter(
            purpose=Delegation.Purpose.REMAINS_RECOVERY, start_date__year__gte=settings.RECOVERY_TOTAL_SINCE_YEAR
        )
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(total=Count("pk"))
        .order_by()
    )
    running, remains = 0, []
    for each in range(settings.RECOVERY_TOTAL_SINCE_YEAR, year + 1):
        row = recovery.get(each, {})
        running += row.get("repatriated") or 0
        remains.append(
            {
                "year": each,
                "missions": missions.get(each, 0),
                "recovered": row.get("recovered") or 0,
                "repatriated": row.get("repatriated") or 0,
                "running_total": running,
            }
        )
    return {
        **counts,
        "trend": [
            {"year": each, "outbound": per_year.get((each, OUT), 0), "inbound": per_year.get((each, IN), 0)}
            for each in range(since, year + 1)
        ],
        "remains": remains,
        "remains_year": next((row for row in remains if row["year"] == year), None),
        # The province's total to date, as every delegation list shows it (a leader's too).
        "remains_total": recovery_totals()["repatriated"],
    }


def for_partner_place(
    *, country: str | None = None, lao_province_id: int | None = None, association_id: int | None = None
) -> dict:
    """The delegations and missions tied to a foreign country or a Lao province (through their partners,
    their countries, or a recovery mission's province), newest first. The counts and the remains are
    the province's; the rows listed are only those of `association_id` when it is given (the leader
    scope: a leader reads here what the lists show them)."""
    if lao_province_id is not None:
        condition = Q(partners__lao_province_id=lao_province_id) | Q(recovery__lao_province_id=lao_province_id)
    else:
        condition = Q(countries__regex=rf"(^|,){country}(,|$)") | Q(partners__country=country)
    trips = Delegation.objects.filter(pk__in=Delegation.objects.filter(condition).values("pk"))
    missions = RecoveryRecord.objects.exclude(delegation__status__in=Delegation.ENDED)
    if lao_province_id is not None:
        missions = missions.filter(lao_province_id=lao_province_id)
    else:
        missions = missions.filter(lao_province__isnull=False) if country == "LA" else missions.none()
    totals = trips.aggregate(
        outbound=Count("pk", filter=Q(direction=Delegation.Direction.OUTBOUND)),
        inbound=Count("pk", filter=Q(direction=Delegation.Direction.INBOUND)),
    )
    listed_trips, listed_missions = trips, missions
    if association_id is not None:
        listed_trips = trips.filter(association_id=association_id)
        listed_missions = missions.filter(delegation__association_id=association_id)
    return {
        "delegations": list(
            listed_trips.select_related("association", "report").order_by("-start_date", "-pk")[
                : settings.PLACE_LIST_ROWS
            ]
        ),
        **totals,
        "missions": list(
            listed_missions.select_related("delegation").order_by("-delegation__start_date")[: settings.PLACE_LIST_ROWS]
        ),
        "remains": missions.aggregate(recovered=Sum("remains_recovered"), repatriated=Sum("remains_repatriated")),
    }


def for_association(*, association_id: int) -> list[Delegation]:
    return list(
        Delegation.objects.filter(association_id=association_id)
        .order_by("-start_date", "-pk")
        .select_related("report")[: settings.PLACE_LIST_ROWS]
    )


def budget_total(delegation: Delegation):
    """The sum of a delegation's budget lines (read from its prefetched lines)."""
    return sum(line.amount for line in delegation.budget_lines.all())
