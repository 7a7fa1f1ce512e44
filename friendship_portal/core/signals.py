from django.contrib.auth.models import Group, Permission

from friendship_portal.core.login_protection import session_start
from friendship_portal.core.roles import Role

# What the administrator role manages in /admin/: accounts and roles, the scheduled tasks, and the
# login attempts and locks (deleting a lock lifts it).
ADMINISTRATOR_APPS = ("auth", "django_celery_beat", "axes")


def grant_administrator_permissions(sender, **kwargs) -> None:
    """Keep the administrator role's model permissions in step with the installed apps."""
    group = Group.objects.filter(name=Role.ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Set up a new session by the user's roles (the portal's login, /admin/login/ and tests alike)."""
    session_start(request, user)
