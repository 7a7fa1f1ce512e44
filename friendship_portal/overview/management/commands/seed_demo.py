from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


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
        today = timezone.localdate()
        # Each app that has demo data keeps it in its own `demo` module with a `seed` function;
        # they run in the order of INSTALLED_APPS, so the ground (associations) comes first.
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                name = f"{app_config.name}.demo"
                if find_spec(app_config.name) and find_spec(name) is not None:
                    for line in import_module(name).seed(today=today, password=settings.PORTAL_DEMO_PASSWORD):
                        self.stdout.write(f"{app_config.label}: {line}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
