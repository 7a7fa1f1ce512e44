"""Kept figures. A student's current enrollment, and where they stand across all their enrollments
(studying, graduated and when first, first enrolled on), are kept on the student: every save or deletion of an
enrollment, by a form, the import, the admin or a fixture, works them out again. The payments' totals
by month (`scholarships.totals`) follow every saved or deleted payment, and every save of a student,
an enrollment or an award that moves their payments to another province, level or institution."""

from django.db.models import Exists, Min, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scholarships import search, tally, totals
from scholarships.models import Award, Enrollment, Payment, ProvinceStudents, Student, keep_student_names


@receiver(post_save, sender=Enrollment, dispatch_uid="current_enrollment_on_save")
@receiver(post_delete, sender=Enrollment, dispatch_uid="current_enrollment_on_delete")
def point_the_student_at_the_latest_enrollment(sender, instance: Enrollment, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the column itself
        return
    refresh_current_enrollments([instance.student_id])


def refresh_current_enrollments(student_ids: list[int] | None) -> None:
    """Point each of these students (every student for None) at their latest enrollment and work out
    where they stand, in one statement: after each saved or deleted enrollment, and after a bulk write
    (the import, the demo, the synthetic load), which sends no signal. The tally of the years they first
    enrolled and graduated in, before and after, and of their provinces follows (`scholarships.tally`)."""
    if student_ids is None:
        Student.objects.update(**kept_columns())
        tally.rebuild()
        return
    students = Student.objects.filter(pk__in=student_ids)
    before = tally.years_of(students)
    students.update(**kept_columns())
    # The years they first enrolled and graduated in, then and now, and the provinces they are from.
    tally.touched(before | tally.years_of(students), provinces=tally.provinces_of(students))


def kept_columns() -> dict:
    """The expressions `refresh_current_enrollments` sets each kept column of a student to."""
    enrollments = Enrollment.objects.filter(student=OuterRef("pk"))
    return {
        "current_enrollment_id": Subquery(enrollments.order_by("-start_date", "-pk").values("pk")[:1]),
        "is_studying": Exists(enrollments.filter(status=Enrollment.Status.STUDYING)),
        "has_graduated": Exists(enrollments.filter(status=Enrollment.Status.GRADUATED)),
        "first_enrolled_on": Subquery(
            enrollments.order_by().values("student").annotate(first=Min("start_date")).values("first")[:1]
        ),
        "graduated_on": Subquery(
            enrollments.filter(status=Enrollment.Status.GRADUATED)
            .order_by()
            .values("student")
            .annotate(first=Min("ended_on"))
            .values("first")[:1]
        ),
    }


@receiver(post_save, sender=Payment, dispatch_uid="payment_totals_on_save")
@receiver(post_delete, sender=Payment, dispatch_uid="payment_totals_on_delete")
def payment_totals_follow_the_payment(sender, instance: Payment, signal, raw=False, created=False, **kwargs):
    """The months the payment was and is in; the years it was and is scheduled in too when its schedule
    changed (made, deleted, moved to another month or award), as the students supported then may have."""
    if raw:  # loaddata: `manage.py rebuild_payment_totals` after a fixture of payments
        return
    date = Payment._meta.get_field("month").to_python  # a payment saved with "2026-02-01" keeps the text
    month, paid_on = date(instance.month), date(instance.paid_on)
    before = getattr(instance, "grouped_as_loaded", None)
    scheduled_again = (
        signal is post_delete
        or created
        or before is None
        or (before["award_id"], date(before["month"])) != (instance.award_id, month)
    )
    was = (date(before["month"]), date(before["paid_on"])) if before else ()
    totals.touched(
        {month, paid_on, *was},
        years={day.year for day in (month, *was[:1]) if day} if scheduled_again else (),
    )
    instance.remember_groups()  # a second save starts from here


def moved_from(student: Student) -> set[int]:
    """The province a student was read with; every province counted so far when it was not read (an
    instance made in memory and saved again)."""
    loaded = getattr(student, "grouped_as_loaded", None)
    if loaded is None:
        return set(ProvinceStudents.objects.values_list("lao_province_id", flat=True))
    return {loaded["lao_province_id"]} if loaded.get("lao_province_id") else set()


@receiver(post_save, sender=Student, dispatch_uid="province_students_on_new_student")
@receiver(post_delete, sender=Student, dispatch_uid="province_students_on_deleted_student")
def province_students_follow_the_students(sender, instance: Student, signal, raw=False, created=False, **kwargs):
    """A student recorded or deleted: their province's students are counted again (a deleted student's
    enrollments went first, and counted their province again without them studying)."""
    if not raw and (created or signal is post_delete):
        tally.touched(provinces={instance.lao_province_id})


@receiver(post_save, sender=Student, dispatch_uid="search_entry_on_student")
def search_entry_follows_the_student(sender, instance: Student, **kwargs):
    """A student saved, a fixture's included: the row the search reads, from the student's own fields."""
    search.keep([instance])


@receiver(post_save, sender=Student, dispatch_uid="payment_names_on_student")
@receiver(post_save, sender=Award, dispatch_uid="payment_names_on_award")
def payment_names_follow_the_student(sender, instance, created=False, raw=False, **kwargs):
    """A student renamed, or an award given to another student: the name their payments carry."""
    if raw or created:
        return
    if sender is Student and instance.renamed():
        keep_student_names(Payment.objects.filter(award__student=instance))
    elif sender is Award and instance.moves_its_payments():
        keep_student_names(Payment.objects.filter(award=instance))


@receiver(post_save, sender=Student, dispatch_uid="payment_totals_on_student")
@receiver(post_save, sender=Enrollment, dispatch_uid="payment_totals_on_enrollment")
@receiver(post_save, sender=Award, dispatch_uid="payment_totals_on_award")
def payment_totals_follow_their_groups(sender, instance, created=False, raw=False, **kwargs):
    """A student moved to another province, an enrollment to another level or institution, an award to
    another enrollment or student: their payments' months (and for an award, the years: it may now
    support another student). A student moved to another province: the students of both provinces."""
    if not (raw or created) and instance.moves_its_payments():
        if sender is Student:
            tally.touched(provinces={*moved_from(instance), instance.lao_province_id})
        through = {Student: "award__student", Enrollment: "award__enrollment", Award: "award"}[sender]
        months = totals.months_of(Payment.objects.filter(**{through: instance}))
        totals.touched(months, years={month.year for month in months} if sender is Award else ())
    instance.remember_groups()
