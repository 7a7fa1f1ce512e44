from django.contrib import admin

from associations.models import (
    Activity,
    Association,
    Branch,
    LaoProvince,
    LeaderAccount,
    LeadershipPosition,
    Member,
    Partner,
    PartnerContact,
    WorkPlan,
    WorkPlanItem,
)
from friendship_portal.core.admin import RecordAdmin


@admin.register(Association)
class AssociationAdmin(RecordAdmin):
    list_display = ["short_name", "name", "founded_on", "is_active", "display_order"]
    search_fields = ["name", "short_name"]


@admin.register(LeaderAccount)
class LeaderAccountAdmin(RecordAdmin):
    list_display = ["user", "association"]
    list_select_related = ["user", "association"]
    list_filter = ["association"]
    autocomplete_fields = ["user"]


@admin.register(LaoProvince)
class LaoProvinceAdmin(admin.ModelAdmin):
    list_display = ["iso_code", "name_vi", "name_en"]
    search_fields = ["name_vi", "name_en", "iso_code"]


@admin.register(Branch)
class BranchAdmin(RecordAdmin):
    list_display = ["name", "association", "location", "founded_on", "dissolved_on"]
    list_select_related = ["association"]
    list_filter = ["association"]
    search_fields = ["name", "location"]


@admin.register(Member)
class MemberAdmin(RecordAdmin):
    list_display = ["full_name", "kind", "association", "branch", "joined_on", "status"]
    list_filter = ["association", "kind", "status"]
    search_fields = ["full_name", "workplace"]
    list_select_related = ["association", "branch"]
    autocomplete_fields = ["branch"]


@admin.register(LeadershipPosition)
class LeadershipPositionAdmin(RecordAdmin):
    list_display = ["person_name", "role", "association", "term_label", "is_concurrent"]
    list_select_related = ["association"]
    list_filter = ["association", "role", "is_concurrent"]
    search_fields = ["person_name"]
    autocomplete_fields = ["member"]


class WorkPlanItemInline(admin.TabularInline):
    model = WorkPlanItem
    extra = 0


@admin.register(WorkPlan)
class WorkPlanAdmin(RecordAdmin):
    list_display = ["year", "association", "title", "adopted_on"]
    list_select_related = ["association"]
    list_filter = ["association", "year"]
    inlines = [WorkPlanItemInline]


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = ["held_on", "title", "kind", "association"]
    list_select_related = ["association"]
    list_filter = ["association", "kind"]
    search_fields = ["title"]
    date_hierarchy = "held_on"


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(RecordAdmin):
    list_display = ["name", "kind", "country", "association", "is_active"]
    list_select_related = ["association"]
    list_filter = ["kind", "association", "is_active"]
    search_fields = ["name", "name_local"]
    inlines = [PartnerContactInline]
