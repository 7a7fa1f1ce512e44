import logging

from celery import Task, shared_task
from django.db import OperationalError

from friendship_portal.core.imports import import_fail, import_run
from friendship_portal.core.reports import (
    RETRY_BACKOFF_MAX,
    TransientError,
    report_build,
    report_fail,
    reports_sweep,
)

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=3)
def import_run_task(self, job_id: int) -> str:
    try:
        return import_run(job_id=job_id).state
    except (OSError, OperationalError) as error:  # storage or database hiccup: try again, then say it failed
        if self.request.retries >= self.max_retries:
            import_fail(job_id=job_id, message=str(error))
            raise
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    except Exception as error:  # anything else will not mend by retrying: the job says it failed
        logger.exception("import job %s failed", job_id)
        import_fail(job_id=job_id, message=f"{error.__class__.__name__}: {error}")
        return "failed"


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Out of retries (or an error no retry mends): the page stops waiting and offers a retry.
        report_fail(job_id=kwargs.get("job_id") or args[0], message=f"{exc.__class__.__name__}: {exc}")


@shared_task(
    base=ReportTask,
    acks_late=True,
    autoretry_for=(TransientError, OperationalError),
    retry_backoff=30,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=5,
)
def report_build_task(job_id: int) -> str:
    return report_build(job_id=job_id).state


@shared_task
def reports_sweep_task() -> int:
    return len(reports_sweep())
