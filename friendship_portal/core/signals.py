from django.contrib.auth.models import Group, Permission

from friendship_portal.core.roles import Role

# What the administrator role manages in /admin/: accounts and roles, and the scheduled tasks.
ADMINISTRATOR_APPS = ("auth", "django_celery_beat")


def grant_administrator_permissions(sender, **kwargs) -> None:
    """Keep the administrator role's model permissions in step with the installed apps."""
    group = Group.objects.filter(name=Role.ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
