from django.conf import settings

from friendship_portal.roles import role_labels


def portal(request):
    user = getattr(request, "user", None)
    return {
        "union_name": settings.PORTAL_UNION_NAME,
        "user_roles": role_labels(user) if user is not None else [],
    }
