"""Reads of the associations' records that pages and other apps use."""

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from associations import scope
from associations.models import (
    Activity,
    Association,
    Branch,
    LaoProvince,
    LeaderAccount,
    Member,
    Partner,
    WorkPlanItem,
)
from associations.permissions import scope_partners, scope_records


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) of `queryset` rows (already filtered to the outer association): COUNT(*), not
    COUNT(id), so that PostgreSQL counts from an index of the filtered columns alone (the active members of
    an association: 1 ms instead of 4 at 100x the demo)."""
    counted = queryset.order_by().values("association_id").annotate(total=Count("*")).values("total")
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


def dashboard_figures(*, year: int, association_id: int | None = None) -> dict:
    """The associations' part of the dashboard: a fixed number of queries. `association_id` narrows
    it to one association (what its leader sees)."""
    today = timezone.localdate()
    scope = {} if association_id is None else {"association_id": association_id}
    items = WorkPlanItem.objects.filter(plan__year=year)
    if association_id is not None:
        items = items.filter(plan__association_id=association_id)
    plan = items.aggregate(planned=Count("pk"), done=Count("pk", filter=Q(status=WorkPlanItem.Status.DONE)))
    associations = Association.objects.filter(is_active=True)
    if association_id is not None:
        associations = associations.filter(pk=association_id)
    return {
        "associations": associations.count(),
        "members": Member.objects.filter(status=Member.Status.ACTIVE, **scope).count(),
        "branches": Branch.objects.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today), **scope).count(),
        "activities": Activity.objects.filter(held_on__year=year, **scope).count(),
        "plan_items": plan["planned"],
        "plan_done": plan["done"],
    }


def association_history(*, association_id: int, since: int, until: int) -> list[dict]:
    """Members and branches of one association at the end of each year, with its plan and activities."""
    joined = dict(
        Member.objects.filter(association_id=association_id)
        .annotate(year=ExtractYear("joined_on"))
        .values_list("year")
        .annotate(total=Count("pk"))
        .order_by()
    )
    left = dict(
        Member.objects.filter(association_id=association_id)
        .exclude(status=Member.Status.ACTIVE)
        .filter(status_changed_on__isnull=False)
        .annotate(year=ExtractYear("status_changed_on"))
        .values_list("year")
        .annotate(total=Count("pk"))
        .order_by()
    )
    founded = dict(
        Branch.objects.filter(association_id=association_id, founded_on__isnull=False)
        .annotate(year=ExtractYear("founded_on"))
        .values_list("year")
        .annotate(total=Count("pk"))
        .order_by()
    )
    dissolved = dict(
        Branch.objects.filter(association_id=association_id, dissolved_on__isnull=False)
        .annotate(year=ExtractYear("dissolved_on"))
        .values_list("year")
        .annotate(total=Count("pk"))
        .order_by()
    )
    plans = {
        row["plan__year"]: row
        for row in WorkPlanItem.objects.filter(plan__association_id=association_id)
        .values("plan__year")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(status=WorkPlanItem.Status.DONE)))
        .order_by()
    }
    activities = dict(
        Activity.objects.filter(association_id=association_id)
        .annotate(year=ExtractYear("held_on"))
        .values_list("year")
        .annotate(total=Count("pk"))
        .order_by()
    )
    members = sum(count for year, count in joined.items() if year < since) - sum(
        count for year, count in left.items() if year < since
    )
    branches = sum(count for year, count in founded.items() if year < since) - sum(
        count for year, count in dissolved.items() if year < since
    )
    rows = []
    for year in range(since, until + 1):
        members += joined.get(year, 0) - left.get(year, 0)
        branches += founded.get(year, 0) - dissolved.get(year, 0)
        rows.append(
            {
                "year": year,
                "members": members,
                "joined": joined.get(year, 0),
                "branches": branches,
                "plan_items": plans.get(year, {}).get("planned", 0),
                "plan_done": plans.get(year, {}).get("done", 0),
                "activities": activities.get(year, 0),
            }
        )
    return rows


# --- the leader scope and the places, for the pages that read every app -------------------------


def scope_of(user) -> int | None:
    """None when `user` reads the whole province, else the one association id they read."""
    return scope.scope_of(user)


def visible_associations(user) -> QuerySet:
    return scope.scope_queryset(user, Association.objects.all(), field="pk")


def partners_in_place(*, user, lao_province_id: int | None = None, country: str | None = None) -> QuerySet:
    """The partners `user` may read in a Lao province or a country, by name."""
    partners = Partner.objects.all()
    if lao_province_id is not None:
        partners = partners.filter(lao_province_id=lao_province_id)
    if country is not None:
        partners = partners.filter(country=country)
    return scope_partners(user, partners).order_by("name")


def lao_provinces() -> QuerySet:
    return LaoProvince.objects.order_by("name_vi")


def lao_province(pk: int) -> LaoProvince | None:
    return LaoProvince.objects.filter(pk=pk).first()


def lao_province_names(iso_codes) -> list[str]:
    """The Vietnamese names of the Lao provinces with these ISO codes, in the order given: the one
    spelling (domain/lao_provinces.csv, loaded by migration) that lists, pages and documents write."""
    names = dict(LaoProvince.objects.filter(iso_code__in=iso_codes).values_list("iso_code", "name_vi"))
    return [names[code] for code in iso_codes if code in names]


def leaders_of(association_id: int | None) -> QuerySet:
    """The active user accounts of an association's leaders."""
    return get_user_model().objects.filter(
        pk__in=LeaderAccount.objects.filter(association_id=association_id).values("user_id"), is_active=True
    )


def leaders_by_association(association_ids) -> dict[int, list]:
    """The active leaders of each of these associations, in one query."""
    leaders: dict[int, list] = {}
    accounts = LeaderAccount.objects.filter(association_id__in=association_ids, user__is_active=True).select_related(
        "user"
    )
    for account in accounts:
        leaders.setdefault(account.association_id, []).append(account.user)
    return leaders
