"""Reports built in the background, each request a stored `ReportJob`.

An app describes a kind of report once with a `ReportKind` (who may ask for it, who may read it,
how to build its file) and registers it; the base knows no app. A job is queued after its row
commits. Building is safe to run twice: a finished job is left alone and a rebuilt file replaces
the earlier one under the same name, so there is only ever one file. Work the broker never
delivered (it was down when the user clicked, or a worker died) is found by `reports_sweep` and
queued again.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from celery.exceptions import Retry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from friendship_portal.core.models import ReportJob

logger = logging.getLogger(__name__)

State = ReportJob.State
# The longest wait between two tries of a build (the task backs off 30 s, 60 s, … up to this).
RETRY_BACKOFF_MAX = 600


class TransientError(Exception):
    """Something that may mend by itself (storage or database hiccup): the task retries it."""


@dataclass
class ReportKind:
    key: str
    label: str
    # build(job, progress) → (file name, bytes); progress(percent) records how far it got.
    build: Callable
    # title(params) → the job's title as the list shows it, in the requester's language.
    title: Callable
    # clean(params) → params checked and normalised, or raise ValidationError.
    clean: Callable = lambda params: params
    # The permission to request it, and `can_read(user, job)` for who else may read its file.
    permission: str = "portal.reads_everything"
    can_read: Callable = lambda user, job: user.has_perm("portal.reads_everything")
    # Offered on the /reports/ page (kinds tied to one record are requested from its page).
    on_reports_page: bool = True
    form_fields: list = field(default_factory=list)


REGISTRY: dict[str, ReportKind] = {}


def clean_year(params: dict, *, default: int) -> dict:
    """The `year` parameter of a yearly report, checked: from 2000 to next year."""
    try:
        year = int(params.get("year") or default)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Give the year as a number.")) from error
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("Choose a year between 2000 and next year."))
    return {"year": year}


def register(kind: ReportKind) -> ReportKind:
    REGISTRY[kind.key] = kind
    return kind


def may_read(user, job: ReportJob) -> bool:
    """The requester, and whoever the kind lets read it."""
    if job.requested_by_id is not None and job.requested_by_id == user.pk:
        return True
    kind = REGISTRY.get(job.kind)
    return bool(kind and kind.can_read(user, job))


def visible_jobs(user):
    """The jobs the /reports/ page lists for `user`: everything for those who read everything, their own otherwise."""
    jobs = ReportJob.objects.select_related("requested_by")
    if user.has_perm("portal.reads_everything"):
        return jobs
    return jobs.filter(requested_by=user)


# --- requesting ---------------------------------------------------------------------------------


def report_request(*, kind: str, params: dict, actor) -> ReportJob:
    """Store the request and queue it once the row is committed. `actor` None is the system (beat)."""
    spec = REGISTRY.get(kind)
    if spec is None:
        raise ValidationError(_("Unknown kind of report."))
    if actor is not None and not actor.has_perm(spec.permission):
        raise PermissionDenied(_("Your role does not allow requesting this report."))
    params = spec.clean(dict(params))
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind, params=params, title=str(spec.title(params))[:255], requested_by=actor, queued_at=timezone.now()
        )
        transaction.on_commit(lambda: queue(job.pk))
    return job


def queue(job_id: int) -> None:
    """Hand the job to the broker. A broker that is down loses nothing: the job stays queued and the
    sweep hands it over again."""
    from friendship_portal.core.tasks import report_build_task

    try:
        report_build_task.apply_async(kwargs={"job_id": job_id}, queue=settings.REPORTS_TASK_QUEUE)
    except Retry:
        # Run in-process (no broker), a build that asks to be retried has no worker to come back to:
        # the job says so, and the page offers to try again.
        report_fail(job_id=job_id, message=_("The report could not be prepared just now; please try again."))
    except Exception:  # the broker's errors differ by transport; all of them mean "try later"
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("report job %s could not be queued now; the sweep will queue it", job_id, exc_info=True)


def report_retry(*, job_id: int, actor) -> ReportJob:
    """Queue a failed job again (its requester or union staff)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.requested_by_id != actor.pk and not actor.has_perm("portal.is_union_staff"):
            raise PermissionDenied(_("Only whoever asked for this report, or union staff, can retry it."))
        if job.state != State.FAILED:
            return job
        job.state, job.error, job.progress, job.queued_at = State.QUEUED, "", 0, timezone.now()
        job.finished_at = None
        job.save(update_fields=["state", "error", "progress", "queued_at", "finished_at"])
        transaction.on_commit(lambda: queue(job.pk))
    return job


# --- building -----------------------------------------------------------------------------------


def _claim(job_id: int) -> bool:
    """Take the job for this worker: queued, or running for so long its worker must have died."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.REPORTS_STALE_AFTER_SECONDS)
    return bool(
        ReportJob.objects.filter(pk=job_id)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, started_at__lt=stale))
        .update(state=State.RUNNING, started_at=timezone.now(), progress=0, attempts=F("attempts") + 1, error="")
    )


def report_build(*, job_id: int) -> ReportJob:
    """Build the job's file. Raises TransientError for what a retry may mend; any other error marks
    the job failed with its message. A job already done, or being built elsewhere, is left alone."""
    if not _claim(job_id):
        return ReportJob.objects.get(pk=job_id)
    job = ReportJob.objects.get(pk=job_id)
    kind = REGISTRY.get(job.kind)

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job_id, state=State.RUNNING).update(progress=max(0, min(99, int(percent))))

    try:
        if kind is None:
            raise ValueError(_("Unknown kind of report: %(kind)s") % {"kind": job.kind})
        # In the portal's language, as a worker builds it, even when a request in English builds it in-process.
        with translation.override(settings.LANGUAGE_CODE):
            name, content = kind.build(job, progress)
        _store(job, name, content)
    except TransientError as error:
        # Back to queued for the task's own retry; the sweep leaves it alone until the longest retry wait.
        waiting = timezone.now() + datetime.timedelta(seconds=RETRY_BACKOFF_MAX)
        ReportJob.objects.filter(pk=job_id).update(state=State.QUEUED, error=str(error), queued_at=waiting)
        raise
    except Exception as error:
        logger.exception("report job %s failed", job_id)
        report_fail(job_id=job_id, message=f"{error.__class__.__name__}: {error}")
    job.refresh_from_db()
    return job


def _store(job: ReportJob, name: str, content: bytes) -> None:
    path = f"reports/{job.pk}/{name}"
    storage = job.file.storage
    try:
        if storage.exists(path):
            storage.delete(path)  # a second run replaces the file: one job, one file
        saved = storage.save(path, ContentFile(content))
    except OSError as error:
        raise TransientError(str(error)) from error
    ReportJob.objects.filter(pk=job.pk).update(
        state=State.DONE, progress=100, file=saved, finished_at=timezone.now(), error=""
    )


def report_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed so the page stops waiting, says why, and offers a retry."""
    ReportJob.objects.filter(pk=job_id).exclude(state=State.DONE).update(
        state=State.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def reports_sweep() -> list[int]:
    """Queue again the jobs the broker never delivered, or whose worker died; returns their ids."""
    now = timezone.now()
    waited = now - datetime.timedelta(seconds=settings.REPORTS_REQUEUE_AFTER_SECONDS)
    stale = now - datetime.timedelta(seconds=settings.REPORTS_STALE_AFTER_SECONDS)
    lost = list(
        ReportJob.objects.filter(
            Q(state=State.QUEUED, queued_at__lt=waited) | Q(state=State.RUNNING, started_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    if lost:
        ReportJob.objects.filter(pk__in=lost).update(queued_at=now)
        for job_id in lost:
            queue(job_id)
    return lost
