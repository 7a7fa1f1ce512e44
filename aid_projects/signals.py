"""What was disbursed each year (`aid_projects.totals`) follows every saved or deleted disbursement, by
a form, the import, the admin or a fixture."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from aid_projects import totals
from aid_projects.models import Disbursement


@receiver(post_save, sender=Disbursement, dispatch_uid="disbursement_years_on_save")
@receiver(post_delete, sender=Disbursement, dispatch_uid="disbursement_years_on_delete")
def disbursement_years_follow_the_disbursement(sender, instance: Disbursement, raw=False, **kwargs):
    """The year the disbursement is in, and the year it was read in (a corrected date may move it)."""
    if raw:  # loaddata: `manage.py rebuild_disbursement_years` after a fixture of disbursements
        return
    was = getattr(instance, "year_as_loaded", None)
    instance.remember_year()  # the year it is in now; a second save starts from here
    totals.touched({instance.year_as_loaded, was})
