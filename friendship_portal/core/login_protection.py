"""Guessing passwords is slowed down, and sessions do not outlive their user's attention.

django-axes counts wrong passwords per username and address (settings AXES_*) and asks this
module for two things: the client's address and the page a locked-out login gets. The session
rules (idle time, browser close) are applied by friendship_portal/core/middleware.py and at login.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from friendship_portal.core.roles import needs_strong_sign_in

# When the session's user last made a request (a Unix time in seconds).
LAST_REQUEST_SESSION_KEY = "portal_last_request"


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_address(request) -> str | None:
    """The address a login attempt came from (AXES_CLIENT_IP_CALLABLE).

    Behind the proxy (DJANGO_BEHIND_PROXY) the right-most X-Forwarded-For entry is the one the
    proxy itself appended; entries to its left were sent by the client and could be anything.
    Without the proxy the header is ignored: anyone could send it to dodge the lock.
    """
    if settings.PORTAL_BEHIND_PROXY:
        forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
        if forwarded and (address := _valid_address(forwarded[-1])):
            return address
    return _valid_address(request.META.get("REMOTE_ADDR", "")) or None


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "This account is locked for %(minutes)s minute: the password was wrong too many times from this "
        "address. Try again later, or ask the administrator to unlock it.",
        "This account is locked for %(minutes)s minutes: the password was wrong too many times from this "
        "address. Try again later, or ask the administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying the account is locked and for how long (AXES_LOCKOUT_CALLABLE).

    Used for the portal's login and /admin/login/ alike; the form posts back to the page it came from.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request, initial={"username": username}),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "lockout_message": lockout_message(),
        },
        status=429,
    )


def session_idle_seconds(request) -> int | None:
    """How long the session's user has made no request; None before their first."""
    last = request.session.get(LAST_REQUEST_SESSION_KEY)
    return None if last is None else int(timezone.now().timestamp()) - last


def session_touch(request) -> None:
    """Note a request of the session's user. Written at most once a minute: a page and the requests
    it makes at once (or a progress bar's polling) do not write the session each time."""
    idle = session_idle_seconds(request)
    if idle is None or idle >= 60:
        request.session[LAST_REQUEST_SESSION_KEY] = int(timezone.now().timestamp())


def session_start(request, user) -> None:
    """A new session counts its idle time from the login. The provincial office's and the
    administrators' sessions also end when the browser closes."""
    request.session[LAST_REQUEST_SESSION_KEY] = int(timezone.now().timestamp())
    if needs_strong_sign_in(user):
        request.session.set_expiry(0)
