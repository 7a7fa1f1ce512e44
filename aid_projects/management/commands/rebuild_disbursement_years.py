"""Rebuild what was disbursed each year (`aid_projects.DisbursementYear`) and to each project to date
(`AidProject.disbursed_vnd`) from the disbursements, and the aid's breakdowns by sector, donor, commune and
state of every kept year and to date (`aid_projects.AidBreakdown`) from the projects and disbursements.

The portal keeps these figures with every write; this is for a database filled by other means (a fixture
of disbursements, a restore of part of the tables, a write by hand in SQL).
"""

from django.core.management.base import BaseCommand

from aid_projects import totals


class Command(BaseCommand):
    help = (
        "Rebuild what was disbursed each year (in all, in cash, to how many projects) and to each project, "
        "and the aid's breakdowns of each year."
    )

    def handle(self, *args, **options):
        years = totals.rebuild()
        done = f"{years} years of disbursements, every project's total and the breakdowns rebuilt."
        self.stdout.write(self.style.SUCCESS(done))
