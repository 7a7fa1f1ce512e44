"""Rebuild the payments' totals by month (`scholarships.PaymentTotal`) from the payments, and the tally
of the students first enrolled and graduated each year (`scholarships.StudentYear`) from the students.

The portal keeps them with every write; this is for a database filled by other means (a fixture of
payments, a restore of part of the tables, a write by hand in SQL).
"""

from django.core.management.base import BaseCommand

from scholarships import tally, totals


class Command(BaseCommand):
    help = "Rebuild the payments' totals by month, province, level and institution, and the students' yearly tally."

    def handle(self, *args, **options):
        rows = totals.rebuild()
        years = tally.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} payment totals rebuilt; {years} years of students counted."))
