from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from associations.demo import seed_accounts, seed_associations


class Command(BaseCommand):
    help = "Load the demo data and demo accounts (safe to run again: nothing is duplicated)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (it sets the demo accounts' passwords)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. seed_demo creates demo accounts with a known "
                "password; run it with --force only on a demo or training server."
            )
        with transaction.atomic():
            users = seed_accounts(password=settings.PORTAL_DEMO_PASSWORD)
            seed_associations(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts: " + ", ".join(users)))
