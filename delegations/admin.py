from django.contrib import admin

from delegations.models import (
    Attachment,
    BudgetLine,
    CheckWarning,
    Delegation,
    DelegationEvent,
    DelegationMember,
    ItineraryItem,
    RecoveryRecord,
    TripReport,
)
from delegations.services import delegation_save
from friendship_portal.core.admin import RecordAdmin


class MemberInline(admin.TabularInline):
    model = DelegationMember
    extra = 0


class ItineraryInline(admin.TabularInline):
    model = ItineraryItem
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class EventInline(admin.TabularInline):
    """The approval trail, read only: events are only ever added by the workflow."""

    model = DelegationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


class WarningInline(admin.TabularInline):
    model = CheckWarning
    extra = 0
    can_delete = False
    readonly_fields = ["code", "message", "reason", "acknowledged_by", "acknowledged_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(RecordAdmin):
    list_display = ["title", "direction", "status", "association", "start_date", "end_date", "report_due_on"]
    list_select_related = ["association"]
    list_filter = ["direction", "status", "association", "purpose"]
    search_fields = ["title", "decision_number"]
    date_hierarchy = "start_date"
    readonly_fields = ["status", "decision_number", "decision_date", "report_due_on", "created_by"]
    inlines = [MemberInline, ItineraryInline, BudgetInline, WarningInline, EventInline]

    def save_model(self, request, obj, form, change):
        delegation_save(actor=request.user, instance=obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference; these are written only through the delegation's pages and services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TripReport)
class TripReportAdmin(ReadOnlyAdmin):
    list_display = ["delegation", "submitted_at", "actual_expenses"]
    list_select_related = ["delegation"]


@admin.register(RecoveryRecord)
class RecoveryRecordAdmin(ReadOnlyAdmin):
    list_display = ["delegation", "lao_province", "remains_recovered", "remains_repatriated", "handover_date"]
    list_select_related = ["delegation", "lao_province"]
    list_filter = ["lao_province"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "delegation", "kind", "is_classified", "uploaded_at"]
    list_select_related = ["delegation"]
    list_filter = ["kind", "is_classified"]

    def get_queryset(self, request):
        # A classified file is known only to those its rule lets see it (the provincial office among
        # the admin's users); a superuser or an administrator does not learn its name or its link here.
        attachments = super().get_queryset(request)
        if not request.user.has_perm("portal.is_provincial_office"):
            attachments = attachments.filter(is_classified=False)
        return attachments
