"""A student's current enrollment is kept on the student: every save or deletion of an enrollment, by
a form, the import, the admin or a fixture, points the student at their latest one again."""

from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scholarships.models import Enrollment, Student


@receiver(post_save, sender=Enrollment, dispatch_uid="current_enrollment_on_save")
@receiver(post_delete, sender=Enrollment, dispatch_uid="current_enrollment_on_delete")
def point_the_student_at_the_latest_enrollment(sender, instance: Enrollment, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the column itself
        return
    refresh_current_enrollments([instance.student_id])


def refresh_current_enrollments(student_ids: list[int]) -> None:
    """Point each of these students at their latest enrollment, in one statement: after each saved or
    deleted enrollment, and after a bulk write (the import, the demo, the synthetic load), which sends
    no signal."""
    latest = Enrollment.objects.filter(student=OuterRef("pk")).order_by("-start_date", "-pk").values("pk")[:1]
    Student.objects.filter(pk__in=student_ids).update(current_enrollment_id=Subquery(latest))
