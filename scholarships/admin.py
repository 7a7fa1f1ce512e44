from django.contrib import admin

from friendship_portal.core.admin import RecordAdmin
from scholarships import totals
from scholarships.models import Award, Enrollment, Institution, Payment, Student, YearlyBudget


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0


@admin.register(Student)
class StudentAdmin(RecordAdmin):
    list_display = ["full_name", "lao_province", "gender", "date_of_birth", "passport_number", "passport_expiry"]
    list_select_related = ["lao_province"]
    list_filter = ["lao_province", "gender", "is_official"]
    search_fields = ["full_name", "full_name_lao", "passport_number"]
    inlines = [EnrollmentInline]


@admin.register(Institution)
class InstitutionAdmin(RecordAdmin):
    list_display = ["name", "short_name", "is_active"]


@admin.register(YearlyBudget)
class YearlyBudgetAdmin(RecordAdmin):
    list_display = ["year", "planned_amount", "decision"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ["kind", "month", "amount", "paid_on", "method", "paid_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(RecordAdmin):
    """Awards are granted on the student's page, which lays out their payments; here they are read."""

    list_display = ["student", "academic_year", "months", "monthly_amount", "funding_source"]
    list_select_related = ["student"]
    list_filter = ["academic_year", "funding_source"]
    search_fields = ["student__full_name", "student__passport_number"]
    inlines = [PaymentInline]

    def has_add_permission(self, request):
        return False

    # Deleting an award deletes its payments one by one: their months' totals are worked out once.
    def delete_model(self, request, obj):
        with totals.kept_once():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with totals.kept_once():
            super().delete_queryset(request, queryset)
