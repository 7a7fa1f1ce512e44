"""Rebuild the payments' totals by month (`scholarships.PaymentTotal`) from the payments.

The portal keeps them with every write; this is for a database filled by other means (a fixture of
payments, a restore of part of the tables, a write by hand in SQL).
"""

from django.core.management.base import BaseCommand

from scholarships import totals


class Command(BaseCommand):
    help = "Rebuild the payments' totals by month, province, level and institution from the payments."

    def handle(self, *args, **options):
        rows = totals.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} payment totals rebuilt."))
