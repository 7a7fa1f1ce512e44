from celery import shared_task
from django.utils import timezone

from delegations.reminders import report_reminders_send
from delegations.services import delegations_follow_dates


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def delegations_daily_task() -> dict:
    """Follow the dates (abroad, home) and send the report reminders; safe to run twice a day."""
    today = timezone.localdate()
    moved = delegations_follow_dates(today=today)
    return {**moved, "reminders": report_reminders_send(today=today)}
