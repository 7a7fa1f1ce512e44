"""Rebuild the payments' totals by month (`scholarships.PaymentTotal`) from the payments, and the tally
of the students first enrolled and graduated each year (`scholarships.StudentYear`) from the students,
and the rows the student search reads (`scholarships.StudentSearch`).

The portal keeps them with every write; this is for a database filled by other means (a fixture of
payments, a restore of part of the tables, a write by hand in SQL).
"""

from django.core.management.base import BaseCommand

from scholarships import search, tally, totals


class Command(BaseCommand):
    help = (
        "Rebuild the payments' totals by month, province, level and institution, the students' yearly tally "
        "and the rows the student search reads."
    )

    def handle(self, *args, **options):
        rows = totals.rebuild()
        years = tally.rebuild()
        searched = search.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"{rows} payment totals rebuilt; {years} years of students counted; {searched} students searchable."
            )
        )
