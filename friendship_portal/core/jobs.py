"""Background jobs, imports and reports alike, each a stored `Job` run by one machinery.

A job is queued once its row commits (`job_enqueue`). A worker takes it with a conditional UPDATE
(`_claim`: queued, or running so long its worker must have died), so two workers never run it at
once, and hands it to its family's handler (friendship_portal.core.imports or .reports register
one), which reports its progress and records its outcome. What may mend by itself (storage,
database, `TransientError`) puts the job back in the queue for the task's retry; anything else, or
the last retry, marks it failed with its error, and its requester or union staff can try again.
Work the broker never delivered (it was down at the click) or whose worker died is found by
`jobs_sweep` and queued again. Handlers are safe to run twice.
"""

import datetime
import logging
from collections.abc import Callable

from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from friendship_portal.core.models import Job

logger = logging.getLogger(__name__)

State = Job.State
# The longest wait between two tries of a job (the task backs off 30 s, 60 s, … up to this).
RETRY_BACKOFF_MAX = 600


class TransientError(Exception):
    """Something that may mend by itself (storage or database hiccup): the task retries it."""


# What the task retries with backoff before giving up.
TRANSIENT = (TransientError, OSError, OperationalError)

# handler(job, progress) does a family's work: progress(percent) records how far it got, and it
# records its outcome with `job_finish` (a handler that just returns leaves the job done).
Handler = Callable[[Job, Callable[[int], None]], None]
FAMILIES: dict[str, Handler] = {}


def register_family(family: str, handler: Handler) -> None:
    FAMILIES[family] = handler


# --- queuing ----------------------------------------------------------------------------------


def job_enqueue(job: Job) -> Job:
    """Store a new job as queued and hand it to the broker once its row commits."""
    job.state, job.queued_at = State.QUEUED, timezone.now()
    with transaction.atomic():
        job.save()
        transaction.on_commit(lambda: job_queue(job.pk))
    return job


def job_queue(job_id: int) -> None:
    """Hand the job to the broker. A broker that is down loses nothing: the job stays queued and the
    sweep hands it over again."""
    from friendship_portal.core.tasks import job_run_task

    try:
        job_run_task.apply_async(kwargs={"job_id": job_id}, queue=settings.JOBS_TASK_QUEUE)
    except Retry:
        # Run in-process (no broker), a job that asks to be retried has no worker to come back to:
        # the job says so, and its page offers to try again.
        job_fail(job_id=job_id, message=_("This could not be finished just now; please try again."))
    except Exception:  # the broker's errors differ by transport; all of them mean "try later"
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("job %s could not be queued now; the sweep will queue it", job_id, exc_info=True)


def job_retry(*, job_id: int, actor) -> Job:
    """Queue again a failed job, or one stuck as running past its limit (its requester or union staff)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.requested_by_id != actor.pk and not actor.has_perm("portal.is_union_staff"):
            raise PermissionDenied(_("Only whoever asked for it, or union staff, can try it again."))
        if not (job.state == State.FAILED or job.is_stuck):
            return job  # a repeated click changes nothing
        job.state, job.error, job.errors, job.progress = State.QUEUED, "", [], 0
        job.queued_at, job.finished_at = timezone.now(), None
        job.save(update_fields=["state", "error", "errors", "progress", "queued_at", "finished_at"])
        transaction.on_commit(lambda: job_queue(job.pk))
    return job


def jobs_sweep() -> list[int]:
    """Queue again the jobs of every family that the broker never delivered, or whose worker died;
    returns their ids."""
    now = timezone.now()
    waited = now - datetime.timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS)
    stale = now - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)
    # A job that lost its worker on every one of its attempts (killed by the time limit, or by the
    # machine) is not tried again by itself: it fails, saying so, and its page offers to try again.
    for job_id in Job.objects.filter(
        state=State.RUNNING, started_at__lt=stale, attempts__gte=settings.JOBS_MAX_ATTEMPTS
    ).values_list("pk", flat=True):
        job_fail(
            job_id=job_id,
            message=_(
                "It stopped %(count)d times without finishing (longer than %(minutes)d minutes, or its worker died)."
            )
            % {"count": settings.JOBS_MAX_ATTEMPTS, "minutes": settings.JOBS_TIME_LIMIT_SECONDS // 60},
        )
    lost = list(
        Job.objects.filter(
            Q(state=State.QUEUED, queued_at__lt=waited) | Q(state=State.RUNNING, started_at__lt=stale)
        ).values_list("pk", flat=True)
    )
    if lost:
        Job.objects.filter(pk__in=lost).update(queued_at=now)
        for job_id in lost:
            job_queue(job_id)
    return lost


# --- running ----------------------------------------------------------------------------------


def _claim(job_id: int) -> bool:
    """Take the job for this worker: queued, or running for so long its worker must have died."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)
    return bool(
        Job.objects.filter(pk=job_id)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, started_at__lt=stale))
        .update(state=State.RUNNING, started_at=timezone.now(), progress=0, attempts=F("attempts") + 1, error="")
    )


def job_run(*, job_id: int) -> Job:
    """Do the job's work with its family's handler. Raises what a retry may mend (`TRANSIENT`), the
    job waiting as queued meanwhile; any other error marks the job failed with its message. A job
    already finished, or running elsewhere, is left alone."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished or not _claim(job_id):
        return job
    job.refresh_from_db()

    def progress(percent: int) -> None:
        Job.objects.filter(pk=job_id, state=State.RUNNING).update(progress=max(0, min(99, int(percent))))

    try:
        FAMILIES[job.family](job, progress)
    except TRANSIENT as error:
        # Back to queued for the task's own retry; the sweep leaves it alone until the longest retry wait.
        waiting = timezone.now() + datetime.timedelta(seconds=RETRY_BACKOFF_MAX)
        Job.objects.filter(pk=job_id, state=State.RUNNING).update(
            state=State.QUEUED, error=str(error)[:2000], queued_at=waiting
        )
        raise
    except SoftTimeLimitExceeded:
        job_fail(
            job_id=job_id,
            message=_("It took longer than %(minutes)d minutes and was stopped.")
            % {"minutes": settings.JOBS_TIME_LIMIT_SECONDS // 60},
        )
    except Exception as error:
        logger.exception("job %s failed", job_id)
        job_fail(job_id=job_id, message=f"{error.__class__.__name__}: {error}")
    else:
        job_finish(job_id=job_id)
    job.refresh_from_db()
    return job


def job_finish(*, job_id: int, state: str = State.DONE, **fields) -> bool:
    """Record the outcome of a running job (done, or an import refused) with the handler's `fields`."""
    return bool(
        Job.objects.filter(pk=job_id, state=State.RUNNING).update(
            state=state, progress=100, error="", finished_at=timezone.now(), **fields
        )
    )


def job_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed so its page stops waiting, says why, and offers a retry."""
    Job.objects.filter(pk=job_id).exclude(state__in=[State.DONE, State.REFUSED]).update(
        state=State.FAILED, error=message[:2000], finished_at=timezone.now()
    )
