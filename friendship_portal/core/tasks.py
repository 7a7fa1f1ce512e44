from celery import Task, shared_task

from friendship_portal.core.backups import backup_nightly
from friendship_portal.core.jobs import RETRY_BACKOFF_MAX, TRANSIENT, job_fail, job_run, jobs_sweep
from friendship_portal.core.notifications import outbox_send


class JobTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Out of retries, or an error no retry mends: the page stops waiting and offers a retry.
        job_fail(job_id=kwargs.get("job_id") or args[0], message=f"{exc.__class__.__name__}: {exc}")


@shared_task(
    base=JobTask,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=5,
)
def job_run_task(job_id: int) -> str:
    return job_run(job_id=job_id).state


@shared_task
def jobs_sweep_task() -> int:
    return len(jobs_sweep())


@shared_task(acks_late=True)
def outbox_send_task() -> int:
    """Send the e-mails waiting in the outbox (after each step, and every few minutes by beat)."""
    return outbox_send()


@shared_task(acks_late=True)
def backup_nightly_task() -> str:
    """The nightly archive (friendship_portal/core/backups.py); on failure the administrators are told."""
    return str(backup_nightly())
