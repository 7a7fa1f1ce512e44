"""Writing scholarship records: students (with the duplicate check), awards and their payment
schedule, recording payments. The Excel import of students is described in `imports.py`."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from friendship_portal.core.records import record_save
from scholarships import totals
from scholarships.models import Award, Payment, Student, keep_student_names


def possible_duplicates(student: Student):
    """Students already recorded with the same name and birth date, or the same passport."""
    same_person = Q(full_name__iexact=student.full_name.strip(), date_of_birth=student.date_of_birth)
    if student.passport_number:
        same_person |= Q(passport_number__iexact=student.passport_number.strip())
    return Student.objects.filter(same_person).exclude(pk=student.pk)


def student_save(*, actor, instance: Student, confirm_duplicate: bool = False, children=(), deleted_children=()):
    """Save a student; a likely second record of the same person is refused unless confirmed."""
    if not confirm_duplicate and instance.date_of_birth and instance.full_name:
        duplicates = list(possible_duplicates(instance)[:3])
        if duplicates:
            raise ValidationError(
                _("This student may already be recorded: %(names)s. Tick “This is another person” to save anyway.")
                % {
                    "names": "; ".join(
                        f"{s.full_name} ({s.date_of_birth:%d/%m/%Y}, {s.passport_number or '—'})" for s in duplicates
                    )
                },
                code="duplicate",
            )
    return record_save(actor=actor, instance=instance, children=children, deleted_children=deleted_children)


def default_monthly_amount(student: Student) -> Decimal:
    """The provincial allowance: more for government officials (resolution 118/2023/NQ-HĐND)."""
    table = settings.SCHOLARSHIP_MONTHLY_ALLOWANCE
    return Decimal(table["official"] if student.is_official else table["student"])


def _months(first: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], first.year, first.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@transaction.atomic
def award_create(*, actor, award: Award) -> Award:
    """Grant an award and lay out its payments: one per month, plus the one-off items in the first month."""
    if not award.monthly_amount:
        award.monthly_amount = default_monthly_amount(award.student)
    award.first_month = award.first_month.replace(day=1)
    record_save(actor=actor, instance=award)
    schedule = [
        Payment(award=award, kind=Payment.Kind.ALLOWANCE, month=month, amount=award.monthly_amount)
        for month in _months(award.first_month, award.months)
    ]
    if award.equipment_support:
        schedule.append(
            Payment(award=award, kind=Payment.Kind.EQUIPMENT, month=award.first_month, amount=award.equipment_support)
        )
    if award.health_insurance:
        schedule.append(
            Payment(award=award, kind=Payment.Kind.INSURANCE, month=award.first_month, amount=award.health_insurance)
        )
    Payment.objects.bulk_create(schedule)
    keep_student_names(award.payments.all())  # bulk_create calls no save()
    Payment.history.bulk_history_create(list(award.payments.all()), default_user=actor)
    months = {payment.month for payment in schedule}
    totals.touched(months, years={month.year for month in months})  # bulk_create sends no signal
    return award


@transaction.atomic
def payments_record(*, actor, payment_ids, paid_on: datetime.date, method: str) -> int:
    """Mark scheduled payments paid; those already paid are left as they were. Returns how many."""
    if not actor.has_perm("scholarships.record_payment"):
        raise PermissionDenied(_("Only union staff record payments."))
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be recorded in the future.")})
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose how it was paid.")})
    payments = list(Payment.objects.select_for_update().filter(pk__in=list(payment_ids), paid_on__isnull=True))
    with totals.kept_once():  # the months' totals once, not once a payment
        for payment in payments:
            payment.paid_on, payment.method, payment.paid_by = paid_on, method, actor
            payment._history_user = actor
            payment.save(update_fields=["paid_on", "method", "paid_by"])
    return len(payments)
