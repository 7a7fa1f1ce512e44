import json
import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from friendship_portal.core import health, imports, jobs, register, reports
from friendship_portal.core.forms import ReportRequestForm
from friendship_portal.core.models import IssuingBody, Job, Notification, OutgoingDocument
from friendship_portal.core.notifications import mark_read
from friendship_portal.core.query import RefusedQueryString, year_in_range
from friendship_portal.core.submissions import once_per_form


def bad_request(request, exception):
    """The 400 page, in the portal's layout and language; it names the reason when the portal gave one."""
    reason = str(exception) if isinstance(exception, RefusedQueryString) else ""
    return render(request, "400.html", {"reason": reason}, status=400)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The state of the database and, when one is configured, the Celery broker, within 5 seconds.

    HealthCheckMiddleware answers it before the session and the user are read (from the database)."""
    checks = health.states()
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


csp_logger = logging.getLogger("friendship_portal.csp")
# A browser's violation report is a few hundred bytes; anything much larger is not one.
CSP_REPORT_MAX_BYTES = 16 * 1024


@csrf_exempt
@login_not_required
@require_POST
def csp_report(request):
    """Where browsers send what the content policy blocked: logged to "friendship_portal.csp"."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(CSP_REPORT_MAX_BYTES + 1)
    if len(body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    csp_logger.warning("Content policy violation: %s", json.dumps(report, ensure_ascii=False, sort_keys=True))
    return HttpResponse(status=204)


def landing_url(user) -> str:
    """Where a login leads without a `next`: the provincial office's dashboard, or the home page."""
    if user.has_perm("portal.is_provincial_office") and not user.has_perm("portal.is_union_staff"):
        return reverse(settings.PORTAL_PROVINCIAL_OFFICE_LANDING)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """The provincial office lands on its dashboard; everyone else on the home page. Whoever owes a
    second step (two_factors.py) is then held to its page by TwoFactorsMiddleware."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


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
    job = get_object_or_404(Job, pk=pk, family=Job.Family.IMPORT)
    if job.requested_by_id != request.user.pk and not request.user.has_perm("portal.is_union_staff"):
        raise PermissionDenied(_("This import belongs to another user."))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"state": job.state, "progress": job.progress, "finished": job.is_finished},
            headers={"Cache-Control": "no-store"},
        )
    return render(request, "import_job.html", {"job": job, "spec": imports.REGISTRY.get(job.kind)})


@require_POST
def import_retry(request, pk: int):
    """Run a failed import again from its page (its requester or union staff)."""
    job = get_object_or_404(Job, pk=pk, family=Job.Family.IMPORT)
    jobs.job_retry(job_id=job.pk, actor=request.user)
    messages.success(request, _("Queued again: the import of %(name)s.") % {"name": job.title})
    return redirect("import_job", pk=job.pk)


def _job_state(job: Job) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "progress": job.progress,
        "finished": job.is_finished,
        "error": job.error,
        "download_url": reverse("report_download", args=[job.pk]) if job.state == Job.State.DONE else "",
        "file_name": job.file_name,
    }


@once_per_form
def reports_page(request):
    """Ask for a report, watch it progress, download it; the jobs the user may see, newest first."""
    if not request.user.has_perm("portal.has_any_role"):
        raise PermissionDenied(_("Your account has no role in the portal yet; ask the administrator."))
    kinds = [
        kind for kind in reports.REGISTRY.values() if kind.on_reports_page and request.user.has_perm(kind.permission)
    ]
    jobs = reports.visible_jobs(request.user)
    if request.GET.get("format") == "json":
        wanted = [int(value) for value in request.GET.getlist("id") if re.fullmatch(r"[0-9]{1,18}", value)][:100]
        states = [_job_state(job) for job in jobs.filter(pk__in=wanted)]
        return JsonResponse({"jobs": states}, headers={"Cache-Control": "no-store"})
    form = ReportRequestForm(request.POST or None, kinds=kinds)
    if request.method == "POST":
        if not kinds:
            raise PermissionDenied(_("Your role does not allow requesting reports."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = reports.report_request(kind=data["kind"], params=form.params(), actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Requested: %(title)s. It is being prepared.") % {"title": job.title})
                return redirect("reports")
    page = Paginator(jobs, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports.html",
        {"form": form, "can_request": bool(kinds), "page": page, "jobs": list(page.object_list)},
    )


def report_download(request, pk: int):
    job = get_object_or_404(Job, pk=pk, family=Job.Family.REPORT)
    if not reports.may_read(request.user, job):
        raise PermissionDenied(_("This report is not yours to read."))
    if job.state != Job.State.DONE or not job.file:
        raise Http404(_("The report's file is not ready."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)


def report_status(request, pk: int):
    job = get_object_or_404(Job, pk=pk, family=Job.Family.REPORT)
    if not reports.may_read(request.user, job):
        raise PermissionDenied(_("This report is not yours to read."))
    return JsonResponse(_job_state(job), headers={"Cache-Control": "no-store"})


@require_POST
def report_retry(request, pk: int):
    job = get_object_or_404(Job, pk=pk, family=Job.Family.REPORT)
    jobs.job_retry(job_id=job.pk, actor=request.user)
    messages.success(request, _("Queued again: %(title)s.") % {"title": job.title})
    return redirect(
        request.POST.get("next") if url_has_allowed_host_and_scheme(request.POST.get("next"), None) else "reports"
    )


def document_register(request):
    """The register of outgoing documents: number, date, title, signer and file, by body and year."""
    if not request.user.has_perm("portal.reads_everything"):
        raise PermissionDenied(_("The register of outgoing documents is kept by the union's office."))
    bodies = list(IssuingBody.objects.order_by("pk"))
    # A body or a year the register does not know shows every entry rather than failing.
    body_id = next((body.pk for body in bodies if request.GET.get("body") == str(body.pk)), None)
    year_asked = request.GET.get("year", "").strip()
    year = int(year_asked) if re.fullmatch(r"[0-9]{4}", year_asked) and year_in_range(int(year_asked)) else None
    entries = register.register_entries(body_id=body_id, year=year)
    page = Paginator(entries, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "document_register.html",
        {"page": page, "entries": list(page.object_list), "bodies": bodies, "body_id": body_id, "year": year},
    )


def document_register_file(request, pk: int):
    """The document as issued."""
    if not request.user.has_perm("portal.reads_everything"):
        raise PermissionDenied(_("The register of outgoing documents is kept by the union's office."))
    entry = get_object_or_404(OutgoingDocument.objects.select_related("body"), pk=pk)
    try:
        handle = entry.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:  # no file, or its file is gone from the disk
        raise Http404(_("The file of this document is missing; ask the administrator to restore it.")) from missing
    return FileResponse(handle, as_attachment=True, filename=entry.file.name.rsplit("/", 1)[-1])
