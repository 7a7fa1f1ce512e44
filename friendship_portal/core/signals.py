from django.contrib.auth.models import Group, Permission

from friendship_portal.core.login_protection import session_start
from friendship_portal.core.roles import Role
from friendship_portal.core.two_factors import sign_in_step_start

# What the administrator role manages in /admin/: accounts and roles, the scheduled tasks, and the
# login attempts and locks (deleting a lock lifts it).
ADMINISTRATOR_APPS = ("auth", "django_celery_beat", "axes")
# And someone's lost authenticator: seen and removed (never its secret, nor anyone's backup codes).
ADMINISTRATOR_PERMISSIONS = (
    ("otp_totp", "view_totpdevice"),
    ("otp_totp", "delete_totpdevice"),
    ("otp_static", "view_staticdevice"),
    ("otp_static", "delete_staticdevice"),
)


def grant_administrator_permissions(sender, **kwargs) -> None:
    """Keep the administrator role's model permissions in step with the installed apps."""
    group = Group.objects.filter(name=Role.ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
        for app_label, codename in ADMINISTRATOR_PERMISSIONS:
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Set up a new session by the user's roles (the portal's login, /admin/login/ and tests alike)."""
    session_start(request, user)
    sign_in_step_start(request, user)
