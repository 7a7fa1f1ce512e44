"""Every change of a delegation's state, each one function.

Each transition locks the row, checks the actor's right and the current state, saves, writes an
append-only event and queues its side effects after the commit. Repeating a transition that
already happened (a double click, two officers at once) changes nothing.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.checks import delegation_breaches
from delegations.models import (
    Attachment,
    BudgetLine,
    CheckWarning,
    Delegation,
    DelegationEvent,
    RecoveryRecord,
    TripReport,
)
from delegations.reminders import delegation_event_announce
from delegations.workflow import REFUSALS, WORKFLOW, InvalidTransition  # noqa: F401  (InvalidTransition: for callers)
from friendship_portal.core.files import validate_upload
from friendship_portal.core.records import record_save
from friendship_portal.core.reports import report_request
from friendship_portal.core.roles import Role

Status = Delegation.Status
OUTBOUND = Delegation.Direction.OUTBOUND
INBOUND = Delegation.Direction.INBOUND


def _require(actor, permission: str, delegation: Delegation) -> None:
    # The system (actor None) only follows the dates; every step that needs a right needs a person.
    if actor is None or not actor.has_perm(permission, delegation):
        raise PermissionDenied(REFUSALS.get(permission, _("Your role does not allow this step.")))


def _step(key: str, *, delegation_id: int, actor, comment: str = "", changes: dict | None = None) -> Delegation:
    return WORKFLOW.take(key, record_id=delegation_id, actor=actor, comment=comment, changes=changes)


def step_taken(*, delegation: Delegation, event: DelegationEvent, step) -> None:
    """What follows a committed step: a delegation home gets its draft report."""
    if step.target in (Status.RETURNED, Status.COMPLETED):
        trip_report_generate(delegation_id=delegation.pk, final=False)


def step_announce(*, delegation: Delegation, event: DelegationEvent, step) -> None:
    """Within the step's transaction: the people concerned are told (the notices and the outbox's mails
    are saved with the step, and sent once it commits)."""
    delegation_event_announce(event=event)


def trip_report_generate(*, delegation_id: int, final: bool):
    """Queue the post-trip report document: a draft when the delegation is home, the final one once filed."""
    from delegations.reports import KIND

    return report_request(kind=KIND, params={"delegation_id": delegation_id, "final": final}, actor=None)


# --- preparing a proposal or registering a visit -------------------------------------------


def delegation_save(*, actor, instance: Delegation, children=(), deleted_children=()) -> Delegation:
    """Create or edit a delegation with its members, itinerary and budget lines (staff, while editable).

    A new outbound delegation starts as a draft; a new inbound visit is registered at once and
    goes to the provincial office for approval.
    """
    with transaction.atomic():
        is_new = instance.pk is None
        if is_new:
            instance.status = Status.DRAFT if instance.direction == OUTBOUND else Status.REGISTERED
            instance.created_by = actor
        record_save(actor=actor, instance=instance, children=children, deleted_children=deleted_children)
        if is_new:
            event = DelegationEvent.objects.create(
                delegation=instance, actor=actor, to_status=instance.status, actor_role=Role.UNION_STAFF
            )
            delegation_event_announce(event=event)
    return instance


# --- outbound: the proposal's way to approval -----------------------------------------------


def delegation_submit(
    *, delegation_id: int, actor, acknowledgements: dict[str, str] | None = None, comment: str = ""
) -> Delegation:
    """Staff submit a plan. Each rule it breaks must be acknowledged with a reason, which is kept."""
    acknowledgements = {code: reason.strip() for code, reason in (acknowledgements or {}).items() if reason.strip()}
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation_id)
        _require(actor, "delegations.submit_delegation", delegation)
        if delegation.status == Status.SUBMITTED:
            return delegation
        if not delegation.members.exists():
            raise ValidationError(_("Add the delegation's members before submitting it."))
        if not delegation.members.filter(is_head=True).exists():
            raise ValidationError(_("Choose the head of delegation before submitting it."))
        breaches = delegation_breaches(delegation)
        missing = [breach for breach in breaches if breach.code not in acknowledgements]
        if missing:
            raise ValidationError(
                [_("Give a reason to go ahead despite: %(message)s") % {"message": b.message} for b in missing],
                code="unacknowledged",
            )
        delegation.warnings.all().delete()
        CheckWarning.objects.bulk_create(
            [
                CheckWarning(
                    delegation=delegation,
                    code=b.code,
                    message=b.message,
                    reason=acknowledgements[b.code],
                    acknowledged_by=actor,
                )
                for b in breaches
            ]
        )
        return _step("submit", delegation_id=delegation_id, actor=actor, comment=comment)


def delegation_endorse(*, delegation_id: int, actor, comment: str = "") -> Delegation:
    return _step("endorse", delegation_id=delegation_id, actor=actor, comment=comment)


def delegation_return_for_revision(*, delegation_id: int, actor, comment: str) -> Delegation:
    if not comment.strip():
        raise ValidationError(_("Say what must be revised: the comment is required."), code="comment_required")
    return _step("return", delegation_id=delegation_id, actor=actor, comment=comment.strip())


def delegation_approve(
    *, delegation_id: int, actor, decision_number: str, decision_date: datetime.date, comment: str = ""
) -> Delegation:
    """The province approves an endorsed outbound plan or a registered inbound visit."""
    errors = {}
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the decision's number.")
    if not decision_date:
        errors["decision_date"] = _("Enter the decision's date.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision's date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return _step(
        "approve",
        delegation_id=delegation_id,
        actor=actor,
        comment=comment,
        changes={"decision_number": decision_number.strip(), "decision_date": decision_date},
    )


def delegation_reject(
    *, delegation_id: int, actor, comment: str, decision_number: str = "", decision_date=None
) -> Delegation:
    if not comment.strip():
        raise ValidationError(_("Give the reason for the rejection."), code="comment_required")
    return _step(
        "reject",
        delegation_id=delegation_id,
        actor=actor,
        comment=comment.strip(),
        changes={"decision_number": decision_number.strip(), "decision_date": decision_date},
    )


def delegation_cancel(*, delegation_id: int, actor, comment: str) -> Delegation:
    if not comment.strip():
        raise ValidationError(_("Give the reason for the cancellation."), code="comment_required")
    return _step("cancel", delegation_id=delegation_id, actor=actor, comment=comment.strip())


def delegation_close(*, delegation_id: int, actor, comment: str = "") -> Delegation:
    return _step("close", delegation_id=delegation_id, actor=actor, comment=comment)


# --- following the dates (the daily task) ---------------------------------------------------


def report_due_date(end_date: datetime.date) -> datetime.date:
    return end_date + datetime.timedelta(days=settings.DELEGATION_REPORT_DUE_DAYS)


def delegations_follow_dates(*, today: datetime.date) -> dict[str, int]:
    """Move approved delegations abroad/hosting on their first day and home/ended after their last.

    Safe to run more than once a day: a delegation already moved is left alone.
    """
    moved = {"started": 0, "ended": 0}
    starting = Delegation.objects.filter(status=Status.APPROVED, start_date__lte=today).values_list("pk", "direction")
    for pk, direction in list(starting):
        _step("depart" if direction == OUTBOUND else "host", delegation_id=pk, actor=None)
        moved["started"] += 1
    ending = Delegation.objects.filter(status__in=(Status.ABROAD, Status.HOSTING), end_date__lt=today)
    for pk, direction, end_date in list(ending.values_list("pk", "direction", "end_date")):
        _step(
            "come_home" if direction == OUTBOUND else "end_visit",
            delegation_id=pk,
            actor=None,
            changes={"report_due_on": report_due_date(end_date)},
        )
        moved["ended"] += 1
    return moved


# --- the report after the trip or visit -----------------------------------------------------


def trip_report_submit(
    *,
    delegation_id: int,
    actor,
    results: str,
    agreements: str = "",
    follow_up: str = "",
    actual_expenses: Decimal = Decimal(0),
    spent_by_line: dict[int, Decimal | None] | None = None,
    upload=None,
) -> TripReport:
    """File (or correct) the report of a delegation that has come home or a visit that has ended,
    with the signed report's file when given: all of it, or nothing when the file is refused.

    `spent_by_line` gives what was spent on each line of the estimate (by the line's id); the
    expenses actually spent are then their sum."""
    if not results.strip():
        raise ValidationError({"results": _("Describe the results.")})
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation_id)
        _require(actor, "delegations.report_delegation", delegation)
        if not any(WORKFLOW.leaves_from(delegation, WORKFLOW.step(key)) for key in ("report", "update_report")):
            raise InvalidTransition(delegation.status, Status.REPORTED)
        report, _created = TripReport.objects.get_or_create(
            delegation=delegation, defaults={"results": results, "submitted_by": actor}
        )
        report.results, report.agreements, report.follow_up = results.strip(), agreements.strip(), follow_up.strip()
        report.actual_expenses = actual_expenses or Decimal(0)
        if spent_by_line is not None:
            lines = list(BudgetLine.objects.filter(delegation=delegation))
            for line in lines:
                line.spent = spent_by_line.get(line.pk)
                line._history_user = actor
                line.full_clean()
                line.save(update_fields=["spent"])
            if any(line.spent is not None for line in lines):
                report.actual_expenses = sum((line.spent or Decimal(0) for line in lines), Decimal(0))
        report.submitted_by, report.submitted_at = actor, timezone.now()
        report._history_user = actor
        report.full_clean()
        report.save()
        if delegation.status != Status.REPORTED:  # correcting a filed report is not a new step
            _step("report", delegation_id=delegation_id, actor=actor)
        if upload is not None:
            attachment_add(delegation_id=delegation_id, actor=actor, upload=upload, kind=Attachment.Kind.REPORT)
        transaction.on_commit(lambda: trip_report_generate(delegation_id=delegation_id, final=True))
    return report


# --- recovery missions and files ------------------------------------------------------------


def recovery_record_save(*, delegation_id: int, actor, **values) -> RecoveryRecord:
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation_id)
        _require(actor, "delegations.record_recovery", delegation)
        if delegation.purpose != Delegation.Purpose.REMAINS_RECOVERY:
            raise ValidationError(_("Only a remains-recovery mission has a recovery record."))
        record = RecoveryRecord.objects.filter(delegation=delegation).first() or RecoveryRecord(delegation=delegation)
        for name, value in values.items():
            setattr(record, name, value)
        record._history_user = actor
        record.full_clean()
        record.save()
    return record


def attachment_add(
    *, delegation_id: int, actor, upload, kind: str, is_classified: bool = False, description: str = ""
) -> Attachment:
    """Store a file for a delegation after checking its type and size."""
    delegation = Delegation.objects.get(pk=delegation_id)
    _require(actor, "delegations.attach_delegation", delegation)
    validate_upload(upload)
    attachment = Attachment(
        delegation=delegation,
        kind=kind,
        original_name=upload.name[:255],
        size=upload.size,
        is_classified=is_classified,
        description=description,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])  # before the file is written, so a refusal leaves none behind
    attachment.file.save(upload.name, upload, save=False)
    attachment._history_user = actor
    attachment.save()
    return attachment
