import django_filters
from django.utils.translation import gettext_lazy as _

from aid_projects.choices import donor_choices
from aid_projects.models import AidProject, Commune, Sector
from aid_projects.selectors import running_in
from associations.filters import years
from friendship_portal.core.choices import RemoteSelect


class AidProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AidProject.Status.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=AidProject.Kind.choices, label=_("Kind of aid"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    donor = django_filters.ModelChoiceFilter(
        field_name="donors", queryset=donor_choices(), label=_("Donor"), widget=RemoteSelect("donors")
    )
    commune = django_filters.ModelChoiceFilter(
        field_name="communes", queryset=Commune.objects.all(), label=_("Commune")
    )
    year = django_filters.ChoiceFilter(choices=years, label=_("Running in year"), method="filter_year")
    disbursed_in = django_filters.ChoiceFilter(choices=years, label=_("Disbursed in year"), method="filter_disbursed")

    class Meta:
        model = AidProject
        fields = ["status", "kind", "sector", "donor", "commune", "year", "disbursed_in"]

    def filter_year(self, queryset, name, value):
        return running_in(queryset, int(value))

    def filter_disbursed(self, queryset, name, value):
        return queryset.filter(pk__in=AidProject.objects.filter(disbursements__date__year=int(value)).values("pk"))
