from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from friendship_portal.core import views
from friendship_portal.core.query import RefusedQueryString

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers /healthz first of all, before the session, the user and anything else that reads the
    database: the check must answer, and say 503, when the database is down or frozen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return views.healthz(request)
        return self.get_response(request)


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
