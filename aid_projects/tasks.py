from celery import shared_task
from django.utils import timezone

from friendship_portal.core.reports import report_request


@shared_task
def aid_yearly_summary_task() -> int:
    """Early in January: the summary of last year's aid, due to the province by 15 January."""
    return report_request(
        kind="aid_projects.yearly_summary", params={"year": timezone.localdate().year - 1}, actor=None
    ).pk
