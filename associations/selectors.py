"""Reads of the associations' records that pages and other apps use."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from associations.models import Activity, Association, Branch, Member, WorkPlanItem
from associations.permissions import scope_records


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) of `queryset` rows (already filtered to the outer association)."""
    counted = queryset.order_by().values("association_id").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def association_counts() -> dict:
    """Annotations counting each association's active members and branches (one query in all)."""
    today = timezone.localdate()
    return {
        "member_count": _count(Member.objects.filter(association=OuterRef("pk"), status=Member.Status.ACTIVE)),
        "branch_count": _count(
            Branch.objects.filter(association=OuterRef("pk")).filter(
                Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today)
            )
        ),
    }


def association_overview(*, user, year: int) -> list[Association]:
    """The associations `user` may see, each with its figures for `year`; a fixed number of queries."""
    items = WorkPlanItem.objects.filter(plan__association=OuterRef("pk"), plan__year=year)
    planned = items.order_by().values("plan__association_id").annotate(total=Count("pk")).values("total")
    done = (
        items.filter(status=WorkPlanItem.Status.DONE)
        .order_by()
        .values("plan__association_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    queryset = Association.objects.filter(is_active=True).annotate(
        **association_counts(),
        activity_count=_count(Activity.objects.filter(association=OuterRef("pk"), held_on__year=year)),
        plan_item_count=Coalesce(Subquery(planned, output_field=IntegerField()), 0),
        plan_item_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
    )
    return list(scope_records(user, queryset, association_field="pk"))


def associations_in_period(*, start, end) -> list[dict]:
    """Each active association's members, branches, and the activities it held between `start` and `end`."""
    rows = (
        Association.objects.filter(is_active=True)
        .annotate(
            **association_counts(),
            activity_count=_count(Activity.objects.filter(association=OuterRef("pk"), held_on__range=(start, end))),
        )
        .order_by("pk")
    )
    return [
        {
            "name": association.name,
            "members": association.member_count,
            "branches": association.branch_count,
            "activities": association.activity_count,
        }
        for association in rows
    ]


def activities_in_period(*, start, end) -> QuerySet:
    return Activity.objects.filter(held_on__range=(start, end)).select_related("association").order_by("held_on", "pk")
