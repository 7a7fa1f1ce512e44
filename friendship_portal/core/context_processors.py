from django.conf import settings
from django.utils.functional import SimpleLazyObject

from friendship_portal.core.notifications import unread_for
from friendship_portal.core.roles import role_labels
from friendship_portal.core.two_factors import pending_step
from friendship_portal.core.waiting import menu_count


def portal(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "union_name": settings.PORTAL_UNION_NAME,
        "user_roles": role_labels(user) if signed_in else [],
        # Logged in with the password but a second step still owed: no menu until it is done.
        "sign_in_pending": signed_in and hasattr(user, "is_verified") and bool(pending_step(request)),
        # Counted only when a template shows it (one query).
        "unread_notices": SimpleLazyObject(lambda: unread_for(user).count() if signed_in else 0),
        # What waits for the user's step, on the menu's "Waiting for me" (one query, when shown).
        "waiting_count": SimpleLazyObject(lambda: menu_count(user) if signed_in else 0),
    }
