from celery import shared_task
from django.utils import timezone

from friendship_portal.core.reports import report_request


@shared_task
def budget_summary_monthly_task() -> int:
    """The budget summary of the current year, prepared at the start of every month."""
    return report_request(kind="portal.budget_summary", params={"year": timezone.localdate().year}, actor=None).pk
