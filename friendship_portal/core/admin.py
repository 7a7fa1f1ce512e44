"""Admin pieces shared by the apps: saving and deleting go through the same services as the pages."""

from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from friendship_portal.core.records import record_delete, record_save


class RecordAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """A model admin whose permissions are the portal's rules and whose writes are its services."""

    def save_model(self, request, obj, form, change):
        record_save(actor=request.user, instance=obj)

    def delete_model(self, request, obj):
        record_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_delete(actor=request.user, instance=obj)
