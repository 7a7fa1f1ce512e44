"""What was disbursed each year and to each project (`aid_projects.totals`) follows every saved or
deleted disbursement, by a form, the import, the admin or a fixture."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from aid_projects import totals
from aid_projects.models import Disbursement


@receiver(post_save, sender=Disbursement, dispatch_uid="disbursement_years_on_save")
@receiver(post_delete, sender=Disbursement, dispatch_uid="disbursement_years_on_delete")
def disbursement_years_follow_the_disbursement(sender, instance: Disbursement, raw=False, **kwargs):
    """The year and the project the disbursement is in, and those it was read in (a correction may move
    it to another year or project)."""
    if raw:  # loaddata: `manage.py rebuild_disbursement_years` after a fixture of disbursements
        return
    year, project = getattr(instance, "year_as_loaded", None), getattr(instance, "project_as_loaded", None)
    instance.remember_year()  # where it is now; a second save starts from here
    totals.touched({instance.year_as_loaded, year}, projects={instance.project_as_loaded, project})
