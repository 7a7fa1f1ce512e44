import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from associations.choices import branches_to_choose
from associations.forms import LabelledChoiceField
from associations.models import (
    Activity,
    Association,
    Branch,
    LeadershipPosition,
    Member,
    Partner,
    WorkPlan,
)
from associations.permissions import scope_records
from friendship_portal.core.choices import RemoteSelect

YES_NO = ((True, _("Yes")), (False, _("No")))


def visible_associations(request):
    if request is None:
        return Association.objects.none()
    return scope_records(request.user, Association.objects.all(), association_field="pk")


def years():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year + 1, 1998, -1)]


class AssociationFilter(django_filters.FilterSet):
    association = django_filters.ModelChoiceFilter(
        queryset=visible_associations, label=_("Association"), empty_label=_("All associations")
    )


class AssociationListFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Association
        fields = ["is_active"]


class BranchFilter(AssociationFilter):
    active = django_filters.BooleanFilter(label=_("Active"), method="filter_active")

    class Meta:
        model = Branch
        fields = ["association", "active"]

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today)
        return queryset.filter(current) if value else queryset.exclude(current)


def member_branches(request):
    """The branches a member may be filtered by: those the user reads, searched as they type."""
    return Branch.objects.none() if request is None else branches_to_choose(request.user)


class BranchChoiceFilter(django_filters.ModelChoiceFilter):
    """A branch named with its association, as the member form and the search name it."""

    field_class = LabelledChoiceField


class MemberFilter(AssociationFilter):
    branch = BranchChoiceFilter(queryset=member_branches, widget=RemoteSelect("branches"))
    joined_year = django_filters.ChoiceFilter(
        field_name="joined_on", lookup_expr="year", choices=years, label=_("Year joined")
    )

    class Meta:
        model = Member
        fields = ["association", "branch", "kind", "status", "gender", "joined_year"]


class LeadershipPositionFilter(AssociationFilter):
    current = django_filters.BooleanFilter(label=_("Current term"), method="filter_current")

    class Meta:
        model = LeadershipPosition
        fields = ["association", "role", "is_concurrent", "current"]

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(term_start__lte=today) & (Q(term_end__isnull=True) | Q(term_end__gte=today))
        return queryset.filter(current) if value else queryset.exclude(current)


class WorkPlanFilter(AssociationFilter):
    year = django_filters.ChoiceFilter(choices=years, label=_("Year"))

    class Meta:
        model = WorkPlan
        fields = ["association", "year"]


class ActivityFilter(AssociationFilter):
    year = django_filters.ChoiceFilter(field_name="held_on", lookup_expr="year", choices=years, label=_("Year"))
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From date"))
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("To date"))

    class Meta:
        model = Activity
        fields = ["association", "kind", "year", "held_from", "held_to"]


class PartnerFilter(django_filters.FilterSet):
    association = django_filters.ModelChoiceFilter(
        queryset=visible_associations, label=_("Association in charge"), empty_label=_("All associations")
    )
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"))

    class Meta:
        model = Partner
        fields = ["kind", "country", "lao_province", "association", "is_active"]
