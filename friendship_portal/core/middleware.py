from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from friendship_portal.core import two_factors, views
from friendship_portal.core.login_protection import session_idle_seconds, session_touch
from friendship_portal.core.query import RefusedQueryString

HEALTH_PATH = "/healthz"


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the language switch.

    The browser's Accept-Language is not followed: many office computers run an English browser,
    and the portal's users read Vietnamese.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionIdleMiddleware:
    """Log out whoever made no request for PORTAL_SESSION_IDLE_MINUTES, and say so on the login page.

    Each request of a logged-in user moves the time on, and saving the session extends its expiry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            minutes = settings.PORTAL_SESSION_IDLE_MINUTES
            idle = session_idle_seconds(request)
            if idle is not None and idle > minutes * 60:
                logout(request)
                messages.info(
                    request,
                    ngettext(
                        "You were logged out after %(minutes)s minute without activity. Log in again to continue.",
                        "You were logged out after %(minutes)s minutes without activity. Log in again to continue.",
                        minutes,
                    )
                    % {"minutes": minutes},
                )
                return redirect_to_login(request.get_full_path())
            session_touch(request)
        return self.get_response(request)


class TwoFactorsMiddleware:
    """Hold a user who owes a second step after their password to that step's page: the code page,
    or setting up an authenticator when their role requires one. Logging out and the language
    switch stay open; every other page, /admin/ included, waits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            step = two_factors.pending_step(request)
            if step:
                page = reverse("login_code" if step == two_factors.STEP_CODE else "two_factors_setup")
                if request.path not in {page, reverse("logout"), reverse("set_language"), reverse("csp_report")}:
                    if step == two_factors.STEP_CODE:
                        return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
                    return redirect(page)  # which says why
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Tell the browser that no page of the portal may use the camera, the microphone or the location."""

    header = "camera=(), microphone=(), geolocation=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class HealthCheckMiddleware:
    """Answers /healthz first of all, before the session, the user and anything else that reads the
    database: the check must answer, and say 503, when the database is down or frozen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return views.healthz(request)
        return self.get_response(request)


class QueryStringMiddleware:
    """Refuses a query string holding a NUL character with the 400 page.

    PostgreSQL refuses NUL in text (the driver raises before the query is sent) while SQLite
    stores it; refusing it here, before any view, search or filter reads the parameters, answers
    the same on both databases.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in name or any("\x00" in value for value in values) for name, values in request.GET.lists()):
            raise RefusedQueryString(_("The address holds a character the portal does not accept (NUL)."))
        return self.get_response(request)
