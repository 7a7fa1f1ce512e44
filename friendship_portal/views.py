from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language
from kombu import Connection
from kombu.exceptions import KombuError

from friendship_portal.models import ImportJob, Notification
from friendship_portal.notifications import mark_read


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not configured"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except (KombuError, OSError) as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The state of the database and, when one is configured, the Celery broker."""
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


# The language switch is offered on the login page too.
set_language = login_not_required(django_set_language)


def notifications(request):
    """The user's notices, newest first; opening the page marks them read."""
    notices = list(Notification.objects.filter(user=request.user)[:100])
    unread = [notice.pk for notice in notices if notice.read_at is None]
    if unread:
        mark_read(user=request.user, notification_ids=unread)
    return render(request, "notifications.html", {"notices": notices, "unread_ids": set(unread)})


def import_job(request, pk: int):
    """An import's progress and outcome: every bad row with its line and reason, or what was written."""
    job = get_object_or_404(ImportJob, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.has_perm("portal.is_union_staff"):
        raise PermissionDenied(_("This import belongs to another user."))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"state": job.state, "progress": job.progress, "finished": job.finished_at is not None},
            headers={"Cache-Control": "no-store"},
        )
    return render(request, "import_job.html", {"job": job})
