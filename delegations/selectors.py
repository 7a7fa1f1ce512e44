"""Reads of delegations for pages, the dashboard and reports."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from associations.permissions import leader_association_id
from delegations.models import BudgetLine, Delegation, RecoveryRecord
from friendship_portal.roles import is_association_leader, is_provincial_office, is_union_staff

Status = Delegation.Status


def recovery_totals() -> dict:
    """Remains recovered and repatriated by all missions since 1999 (cancelled or rejected ones aside)."""
    totals = (
        RecoveryRecord.objects.filter(delegation__start_date__year__gte=settings.RECOVERY_TOTAL_SINCE_YEAR)
        .exclude(delegation__status__in=Delegation.ENDED)
        .aggregate(recovered=Sum("remains_recovered"), repatriated=Sum("remains_repatriated"), missions=Count("pk"))
    )
    return {
        "recovered": totals["recovered"] or 0,
        "repatriated": totals["repatriated"] or 0,
        "missions": totals["missions"],
        "since": settings.RECOVERY_TOTAL_SINCE_YEAR,
    }


def waiting_for(user) -> QuerySet:
    """The delegations whose next step is this user's to take."""
    conditions = Q(pk__in=[])
    if is_association_leader(user):
        own = leader_association_id(user)
        if own is not None:
            conditions |= Q(association_id=own, status=Status.SUBMITTED)
    if is_provincial_office(user):
        conditions |= Q(direction=Delegation.Direction.OUTBOUND, status=Status.ENDORSED)
        conditions |= Q(direction=Delegation.Direction.INBOUND, status=Status.REGISTERED)
        conditions |= Q(status=Status.REPORTED)
    if is_union_staff(user):
        conditions |= Q(status__in=(Status.DRAFT, Status.RETURNED_FOR_REVISION))
        conditions |= Q(status__in=Delegation.AWAITING_REPORT)
    return Delegation.objects.filter(conditions).order_by("start_date", "pk")


def overdue_reports() -> QuerySet:
    return Delegation.objects.filter(
        status__in=Delegation.AWAITING_REPORT, report_due_on__lt=timezone.localdate()
    ).order_by("report_due_on", "pk")


ACTIONS = [
    # (permission key, states it applies in, url name, button, Bootstrap style)
    ("submit", (Status.DRAFT, Status.RETURNED_FOR_REVISION), "submit", "submit", "primary"),
    ("endorse", (Status.SUBMITTED,), "endorse", "endorse", "success"),
    ("endorse", (Status.SUBMITTED,), "return", "return", "outline-warning"),
    ("decide", (Status.ENDORSED, Status.REGISTERED), "approve", "approve", "success"),
    ("decide", (Status.ENDORSED, Status.REGISTERED), "reject", "reject", "outline-danger"),
    ("report", Delegation.AWAITING_REPORT + (Status.REPORTED,), "report", "report", "primary"),
    ("close", (Status.REPORTED,), "close", "close", "outline-secondary"),
    (
        "cancel",
        (
            Status.DRAFT,
            Status.SUBMITTED,
            Status.RETURNED_FOR_REVISION,
            Status.ENDORSED,
            Status.APPROVED,
            Status.REGISTERED,
        ),
        "cancel",
        "cancel",
        "outline-danger",
    ),
]


def available_actions(delegation: Delegation, can: dict) -> list[dict]:
    """The workflow buttons this user has on this delegation now."""
    return [
        {"key": key, "url_name": f"delegations:{url_name}", "style": style}
        for permission, states, url_name, key, style in ACTIONS
        if can.get(permission) and delegation.status in states
    ]


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
