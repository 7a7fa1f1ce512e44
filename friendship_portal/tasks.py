import logging

from celery import shared_task
from django.db import OperationalError

from friendship_portal.imports import import_fail, import_run

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
