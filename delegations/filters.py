import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from associations.filters import visible_associations, years
from delegations.models import Delegation


class DelegationFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(field_name="start_date", lookup_expr="year", choices=years, label=_("Year"))
    association = django_filters.ModelChoiceFilter(
        queryset=visible_associations, label=_("Association"), empty_label=_("All associations")
    )
    status = django_filters.ChoiceFilter(choices=Delegation.Status.choices, label=_("Status"))
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"), method="filter_country")
    purpose = django_filters.ChoiceFilter(choices=Delegation.Purpose.choices, label=_("Purpose"))
    overdue = django_filters.BooleanFilter(label=_("Report overdue"), method="filter_overdue")

    class Meta:
        model = Delegation
        fields = ["year", "association", "status", "purpose", "country", "overdue"]

    def filter_country(self, queryset, name, value):
        # Countries are stored as "LA,TH": match a whole code, not a part of another.
        return queryset.filter(countries__regex=rf"(^|,){value}(,|$)")

    def filter_overdue(self, queryset, name, value):
        overdue = {"status__in": Delegation.AWAITING_REPORT, "report_due_on__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)
