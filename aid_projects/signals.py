"""What was disbursed each year and to each project, and the aid's breakdowns by year (`aid_projects.totals`),
follow every saved or deleted disbursement and project and every change of a project's donors and communes,
by a form, a workflow step, the import, the admin or a fixture."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from aid_projects import totals
from aid_projects.models import AidBreakdown, AidProject, Disbursement


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


@receiver(post_save, sender=AidProject, dispatch_uid="aid_breakdowns_on_project_save")
def breakdowns_follow_the_project(sender, instance: AidProject, created=False, raw=False, **kwargs):
    """A new project, or one whose state, sector, commitment or dates changed: the years it counted in
    before and counts in now (a save that changes none of them touches nothing)."""
    if raw:
        return
    before = None if created else getattr(instance, "breakdown_as_loaded", None)
    instance.remember_breakdown()  # what it is now; a second save starts from here
    after = instance.breakdown_as_loaded
    if created:
        before = after
    elif before is not None and before == after:
        return
    totals.project_touched(before, after, project_id=None if created else instance.pk)


@receiver(pre_delete, sender=AidProject, dispatch_uid="aid_breakdowns_before_project_delete")
def breakdowns_note_the_links(sender, instance: AidProject, **kwargs):
    """Its donors and communes, read before the deletion takes the links with it."""
    instance.groups_as_deleted = totals.groups_of([instance.pk])


@receiver(post_delete, sender=AidProject, dispatch_uid="aid_breakdowns_on_project_delete")
def breakdowns_forget_the_project(sender, instance: AidProject, **kwargs):
    """Its disbursements went first (each worked out its groups in its year); its groups in the years it
    ran in."""
    state = getattr(instance, "breakdown_as_loaded", None)
    totals.project_touched(state, state, project_id=None, links=getattr(instance, "groups_as_deleted", None))


@receiver(m2m_changed, sender=AidProject.donors.through, dispatch_uid="aid_breakdowns_on_donors")
@receiver(m2m_changed, sender=AidProject.communes.through, dispatch_uid="aid_breakdowns_on_communes")
def breakdowns_follow_the_links(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs):
    """A project's donors or communes changed (or, from the other side, a partner's or a commune's
    projects): those donors or communes in the years of the projects."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    dimension = AidBreakdown.Dimension.DONOR if sender is AidProject.donors.through else AidBreakdown.Dimension.COMMUNE
    if not reverse:
        totals.links_touched([instance.pk], dimension, pk_set)  # pk_set None: cleared
    else:
        totals.links_touched(pk_set, dimension, [instance.pk])  # pk_set None: every project, cleared
