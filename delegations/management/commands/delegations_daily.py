from django.core.management.base import BaseCommand

from delegations.tasks import delegations_daily_task


class Command(BaseCommand):
    help = (
        "Move delegations along their dates (abroad, home) and send report reminders now. Celery beat "
        "runs this every night; without a broker (make run) it runs at each start."
    )

    def handle(self, *args, **options):
        result = delegations_daily_task.apply().get()
        self.stdout.write(
            f"{result['started']} started, {result['ended']} ended, {result['reminders']} reminders sent."
        )
