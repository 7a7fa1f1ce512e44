import datetime

import django_filters
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from associations.filters import years
from associations.models import LaoProvince
from scholarships.models import Enrollment, Institution, Payment, Student, YearlyBudget


class StudentFilter(django_filters.FilterSet):
    lao_province = django_filters.ModelChoiceFilter(queryset=LaoProvince.objects.all(), label=_("Lao province"))
    level = django_filters.ChoiceFilter(
        field_name="enrollments__level", choices=Enrollment.Level.choices, label=_("Level")
    )
    institution = django_filters.ModelChoiceFilter(
        field_name="enrollments__institution", queryset=Institution.objects.all(), label=_("Host institution")
    )
    status = django_filters.ChoiceFilter(
        field_name="enrollments__status", choices=Enrollment.Status.choices, label=_("Status")
    )
    year = django_filters.ChoiceFilter(choices=years, label=_("Studying in year"), method="filter_year")
    supported_in = django_filters.ChoiceFilter(choices=years, label=_("Supported in year"), method="filter_supported")
    is_official = django_filters.BooleanFilter(label=_("Government official"))
    trained_by = django_filters.ChoiceFilter(choices=years, label=_("Trained by the end of"), method="filter_trained")

    class Meta:
        model = Student
        fields = [
            "lao_province",
            "level",
            "institution",
            "status",
            "year",
            "supported_in",
            "trained_by",
            "is_official",
            "gender",
        ]

    def by_enrollment(self, queryset, name, value):
        return queryset  # applied once for all three in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        wanted = {name: self.form.cleaned_data.get(name) for name in ("level", "institution", "status")}
        wanted = {name: value for name, value in wanted.items() if value not in (None, "")}
        if wanted:
            queryset = queryset.filter(pk__in=Enrollment.objects.filter(**wanted).values("student_id"))
        return queryset

    def filter_year(self, queryset, name, value):
        year = int(value)
        enrolled = Enrollment.objects.annotate(end=Coalesce("ended_on", "expected_end")).filter(
            start_date__year__lte=year, end__year__gte=year
        )
        return queryset.filter(pk__in=enrolled.values("student_id"))

    def filter_trained(self, queryset, name, value):
        end = datetime.date(int(value), 12, 31)
        return queryset.filter(pk__in=Enrollment.objects.filter(start_date__lte=end).values("student_id"))

    def filter_supported(self, queryset, name, value):
        return queryset.filter(pk__in=Payment.objects.filter(month__year=int(value)).values("award__student_id"))


class InstitutionFilter(django_filters.FilterSet):
    class Meta:
        model = Institution
        fields = ["is_active"]


class YearlyBudgetFilter(django_filters.FilterSet):
    class Meta:
        model = YearlyBudget
        fields = ["year"]
