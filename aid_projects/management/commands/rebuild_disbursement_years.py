"""Rebuild what was disbursed each year (`aid_projects.DisbursementYear`) and to each project to date
(`AidProject.disbursed_vnd`) from the disbursements.

The portal keeps these figures with every write; this is for a database filled by other means (a fixture
of disbursements, a restore of part of the tables, a write by hand in SQL).
"""

from django.core.management.base import BaseCommand

from aid_projects import totals


class Command(BaseCommand):
    help = "Rebuild what was disbursed each year (in all, in cash, to how many projects) and to each project."

    def handle(self, *args, **options):
        years = totals.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{years} years of disbursements and every project's total rebuilt."))
