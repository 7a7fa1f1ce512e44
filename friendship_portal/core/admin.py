"""Admin pieces shared by the apps: saving and deleting go through the same services as the pages."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from friendship_portal.core.models import IssuingBody
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


class PortalUserAdmin(UserAdmin):
    """Administrators run the accounts and give roles; only a superuser makes a superuser or grants a
    permission one by one, and only a superuser changes a superuser's account. Otherwise an
    administrator could lift themselves above the roles, whose rules are the portal's rights."""

    superuser_only_fields = ("is_superuser", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.superuser_only_fields
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PortalUserAdmin)


@admin.register(IssuingBody)
class IssuingBodyAdmin(SimpleHistoryAdmin):
    """Who signs the documents of the union and of each association, and the code their numbers carry."""

    list_display = ("name", "code", "signer_capacity", "signer_position", "signer_name")
    readonly_fields = ("key",)
