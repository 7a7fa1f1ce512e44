from django.contrib import admin

from aid_projects import totals
from aid_projects.models import AidEvent, AidProject, Commune, Disbursement, ProgressReport
from aid_projects.services import aid_project_save
from friendship_portal.core.admin import RecordAdmin


class EventInline(admin.TabularInline):
    """The lifecycle trail, read only: events are only ever added by the workflow."""

    model = AidEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


class DisbursementInline(admin.TabularInline):
    """Disbursements are recorded on the project's page, which works out their VND value; here they are read."""

    model = Disbursement
    extra = 0
    can_delete = False
    readonly_fields = ["date", "amount", "currency", "exchange_rate", "amount_vnd", "form", "note", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False


class ReportInline(admin.TabularInline):
    """The reports are laid out from the project's dates; their receipt is recorded on the project's page."""

    model = ProgressReport
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "period_start", "period_end", "due_on", "submitted_on", "submitted_by"]
    exclude = ["narrative"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AidProject)
class AidProjectAdmin(RecordAdmin):
    list_display = ["code", "title", "kind", "sector", "status", "planned_start", "planned_end", "commitment_vnd"]
    list_filter = ["status", "kind", "sector"]
    search_fields = ["code", "title", "aid_owner", "managing_agency", "decision_number"]
    date_hierarchy = "planned_start"
    filter_horizontal = ["donors", "communes"]
    # The state and the decision move only through the workflow's steps; the VND value follows the rate.
    readonly_fields = [
        "status",
        "actual_start",
        "actual_end",
        "commitment_vnd",
        "decision_number",
        "decision_date",
        "decision_body",
        "created_by",
    ]
    inlines = [DisbursementInline, ReportInline, EventInline]

    def has_change_permission(self, request, obj=None):
        # Rejected, revoked, completed and settled aid is kept as it was decided.
        return super().has_change_permission(request, obj) and (obj is None or obj.status in AidProject.EDITABLE)

    def save_model(self, request, obj, form, change):
        aid_project_save(actor=request.user, instance=obj)


@admin.register(Disbursement)
class DisbursementAdmin(RecordAdmin):
    """Recorded on the project's page (which checks the project's state); here read, or deleted by staff."""

    list_display = ["date", "project", "form", "amount", "currency", "amount_vnd"]
    list_filter = ["form", "currency"]
    search_fields = ["project__code", "project__title", "note"]
    date_hierarchy = "date"
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting many disbursements works out each year they were in once, not once a disbursement.
    def delete_queryset(self, request, queryset):
        with totals.kept_once():
            super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference; these are written only through the aid pages and services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "kind", "period_start", "period_end", "due_on", "submitted_on"]
    list_filter = ["kind"]
    search_fields = ["project__code", "project__title"]
    list_select_related = ["project"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
