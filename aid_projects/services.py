"""Every change of an aid record, each one function.

A transition locks the row, checks the actor's right and the current state, saves, writes an
append-only event and returns; repeating a transition that already happened changes nothing.
The progress reports an aid owner owes are laid out from the project's dates whenever they change.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aid_projects import totals
from aid_projects.models import (
    AidEvent,
    AidProject,
    Disbursement,
    ProgressReport,
    vnd_equivalent,
)
from aid_projects.workflow import (  # noqa: F401  (add_months, InvalidTransition, revocable_from: for callers)
    REFUSALS,
    WORKFLOW,
    InvalidTransition,
    add_months,
    is_revocable,
    revocable_from,
)
from friendship_portal.core.records import record_save

Status = AidProject.Status


def _require(actor, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(REFUSALS[permission])


# --- the record itself -----------------------------------------------------------------------


def aid_project_save(
    *, actor, instance: AidProject, donors=None, communes=None, children=(), deleted_children=()
) -> AidProject:
    """Create or edit an aid record (staff). A new one starts as proposed; the VND equivalent of the
    commitment always follows its amount and exchange rate. The record, its donors and its communes are
    worked out in the kept breakdowns once, at the end."""
    with transaction.atomic(), totals.kept_once():
        is_new = instance.pk is None
        if not is_new:
            stored = AidProject.objects.select_for_update().get(pk=instance.pk)
            if stored.status not in AidProject.EDITABLE:
                raise ValidationError(
                    _("Aid in the state “%(status)s” can no longer be edited.")
                    % {"status": stored.get_status_display()}
                )
            instance.status = stored.status
        else:
            instance.status = Status.PROPOSED
            instance.created_by = actor
        if instance.currency == "VND":
            instance.exchange_rate = Decimal(1)
        instance.commitment_vnd = vnd_equivalent(instance.commitment_amount, instance.exchange_rate)
        record_save(actor=actor, instance=instance, children=children, deleted_children=deleted_children)
        if donors is not None or is_new:
            donors = list(donors or ())  # a generator would be spent by the check before set()
            if not donors:
                raise ValidationError({"donors": _("Name at least one donor.")})
            instance.donors.set(donors)
        if communes is not None:
            instance.communes.set(communes)
        if is_new:
            AidEvent.objects.create(project=instance, actor=actor, to_status=instance.status)
        elif instance.status in (*AidProject.RUNNING, Status.COMPLETED):
            progress_reports_lay_out(project=instance)
    return instance


# --- the lifecycle (ND 80/2020) ------------------------------------------------------------------


def aid_project_send_to_appraisal(*, project_id: int, actor, comment: str = "") -> AidProject:
    """Staff send a complete dossier for the departments' opinions."""
    return WORKFLOW.take(
        "send_to_appraisal",
        record_id=project_id,
        actor=actor,
        comment=comment,
    )


def _decision(number: str, date: datetime.date | None, body: str) -> dict:
    errors = {}
    if not (number or "").strip():
        errors["decision_number"] = _("Give the decision's number.")
    if date is None:
        errors["decision_date"] = _("Give the decision's date.")
    elif date > timezone.localdate():
        errors["decision_date"] = _("The decision's date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return {"decision_number": number.strip(), "decision_date": date, "decision_body": (body or "").strip()}


def aid_project_approve(
    *,
    project_id: int,
    actor,
    decision_number: str,
    decision_date: datetime.date,
    decision_body: str = "",
    comment: str = "",
) -> AidProject:
    """The provincial office approves, recording its decision."""
    _require(actor, "aid_projects.decide_aid")
    changes = _decision(decision_number, decision_date, decision_body)
    # Stored as the decision names it, in Vietnamese whatever the approver's language.
    changes["decision_body"] = changes["decision_body"] or f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}"
    return WORKFLOW.take(
        "approve",
        record_id=project_id,
        actor=actor,
        comment=comment,
        changes=changes,
    )


def aid_project_reject(*, project_id: int, actor, comment: str) -> AidProject:
    _require(actor, "aid_projects.decide_aid")
    if not comment.strip():
        raise ValidationError(_("Say why the aid is not approved: the comment is required."), code="comment_required")
    return WORKFLOW.take(
        "reject",
        record_id=project_id,
        actor=actor,
        comment=comment.strip(),
    )


def aid_project_start(*, project_id: int, actor, started_on: datetime.date, comment: str = "") -> AidProject:
    """Staff record that the aid has started; its progress reports are laid out from then."""
    if started_on is None:
        raise ValidationError({"actual_start": _("Give the date the aid started.")})
    if started_on > timezone.localdate():
        raise ValidationError({"actual_start": _("The start cannot be recorded in advance.")})

    def check(project):
        if project.decision_date and started_on < project.decision_date:
            raise ValidationError({"actual_start": _("The aid cannot start before it was approved.")})

    return WORKFLOW.take(
        "start",
        record_id=project_id,
        actor=actor,
        comment=comment,
        changes={"actual_start": started_on},
        check=check,
    )


def aid_project_adjust(
    *,
    project_id: int,
    actor,
    decision_number: str,
    decision_date: datetime.date,
    comment: str,
    planned_end: datetime.date | None = None,
    commitment_amount: Decimal | None = None,
) -> AidProject:
    """The provincial office adjusts running aid (a new decision: new end date, new value, or both)."""
    _require(actor, "aid_projects.decide_aid")
    if not comment.strip():
        raise ValidationError(_("Say what the adjustment changes: the comment is required."), code="comment_required")
    _decision(decision_number, decision_date, "")
    changes = {}
    if planned_end is not None:
        changes["planned_end"] = planned_end
    if commitment_amount is not None:
        changes["commitment_amount"] = commitment_amount
    note = _("Adjusting decision %(number)s of %(date)s.") % {
        "number": decision_number.strip(),
        "date": f"{decision_date:%d/%m/%Y}",
    }

    def check(project):
        if project.actual_start and project.planned_end < project.actual_start:
            raise ValidationError({"planned_end": _("The new end cannot be before the aid started.")})
        project.commitment_vnd = vnd_equivalent(project.commitment_amount, project.exchange_rate)

    return WORKFLOW.take(
        "adjust",
        record_id=project_id,
        actor=actor,
        comment=f"{note} {comment.strip()}",
        changes=changes,
        check=check,
        saves=("commitment_vnd",),
    )


def aid_project_complete(*, project_id: int, actor, ended_on: datetime.date, comment: str = "") -> AidProject:
    """Staff record the end; the completion report falls due six months later."""
    if ended_on is None:
        raise ValidationError({"actual_end": _("Give the date the aid ended.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"actual_end": _("The end cannot be recorded in advance.")})
    return WORKFLOW.take(
        "complete",
        record_id=project_id,
        actor=actor,
        comment=comment,
        changes={"actual_end": ended_on},
    )


def aid_project_settle(*, project_id: int, actor, comment: str = "") -> AidProject:
    """Staff record the settlement once the completion report is in."""

    def check(project):
        if project.reports.filter(kind=ProgressReport.Kind.COMPLETION, submitted_on__isnull=True).exists():
            raise ValidationError(_("Record the completion report before settling the aid."))

    return WORKFLOW.take(
        "settle",
        record_id=project_id,
        actor=actor,
        comment=comment,
        check=check,
    )


def aid_project_revoke(*, project_id: int, actor, comment: str) -> AidProject:
    """The provincial office revokes an approval when the aid has not started six months after it."""
    _require(actor, "aid_projects.decide_aid")
    if not comment.strip():
        raise ValidationError(_("Say why the approval is revoked: the comment is required."), code="comment_required")

    def check(project):
        if not is_revocable(project):
            raise ValidationError(
                _("An approval can be revoked only when the aid has not started %(months)d months after it.")
                % {"months": settings.AID_NOT_STARTED_MONTHS}
            )

    return WORKFLOW.take(
        "revoke",
        record_id=project_id,
        actor=actor,
        comment=comment.strip(),
        check=check,
    )


# --- disbursements -----------------------------------------------------------------------------


def disbursement_check(*, instance: Disbursement, project: AidProject) -> Disbursement:
    """The rules of a disbursement, the same whether it is typed on the form or imported from Excel:
    only while the aid runs or has just ended, not before it started, never in advance, with the
    exchange rate of an amount not in VND; its VND equivalent follows. Raises ValidationError."""
    if project.status not in AidProject.DISBURSING:
        raise ValidationError(
            _("Disbursements are recorded only for aid being implemented or just completed, not “%(status)s”.")
            % {"status": project.get_status_display()}
        )
    if instance.date and project.actual_start and instance.date < project.actual_start:
        raise ValidationError({"date": _("The disbursement cannot be before the aid started.")})
    if instance.date and instance.date > timezone.localdate():
        raise ValidationError({"date": _("A disbursement cannot be recorded in advance.")})
    if instance.currency == "VND":
        instance.exchange_rate = Decimal(1)
    elif instance.exchange_rate is None:
        raise ValidationError({"exchange_rate": _("Give the exchange rate of an amount not in VND.")})
    instance.amount_vnd = vnd_equivalent(instance.amount, instance.exchange_rate)
    return instance


def disbursement_record(*, actor, instance: Disbursement) -> Disbursement:
    """Record (or correct) a disbursement of running or completed aid, with its VND equivalent."""
    with transaction.atomic():
        project = AidProject.objects.select_for_update().get(pk=instance.project_id)
        disbursement_check(instance=instance, project=project)
        if instance.pk is None:
            instance.recorded_by = actor
        return record_save(actor=actor, instance=instance)


# --- progress reports ------------------------------------------------------------------------------


def report_schedule(
    *, start: datetime.date, end: datetime.date
) -> list[tuple[str, datetime.date, datetime.date, datetime.date]]:
    """(kind, period start, period end, due date) of every report aid running from `start` to `end` owes.

    A 6-month report for each first half-year and a yearly report for each calendar year that ends
    while the aid runs, each due AID_PERIOD_REPORT_DUE_DAYS after the period; a completion report
    due AID_COMPLETION_REPORT_MONTHS after the end.
    """
    Kind = ProgressReport.Kind
    due_days = datetime.timedelta(days=settings.AID_PERIOD_REPORT_DUE_DAYS)
    rows = []
    for year in range(start.year, end.year + 1):
        for kind, period_start, period_end in (
            (Kind.SIX_MONTH, datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
            (Kind.YEARLY, datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        ):
            if start <= period_end <= end:
                rows.append((kind, max(start, period_start), period_end, period_end + due_days))
    rows.append((Kind.COMPLETION, start, end, add_months(end, settings.AID_COMPLETION_REPORT_MONTHS)))
    return rows


def progress_reports_lay_out(*, project: AidProject) -> None:
    """Make the project's report rows match its dates: add what is owed, drop unsubmitted rows no longer
    owed, move due dates that changed. Submitted reports are never touched."""
    wanted = {
        (kind, period_end): (period_start, due_on)
        for kind, period_start, period_end, due_on in report_schedule(start=project.start, end=project.end)
    }
    existing = {(report.kind, report.period_end): report for report in project.reports.all()}
    for key, report in existing.items():
        if report.submitted_on is not None:
            continue
        if key not in wanted:
            report.delete()
        elif (report.period_start, report.due_on) != wanted[key]:
            report.period_start, report.due_on = wanted[key]
            report.save(update_fields=["period_start", "due_on"])
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(project=project, kind=kind, period_start=period_start, period_end=period_end, due_on=due_on)
            for (kind, period_end), (period_start, due_on) in wanted.items()
            if (kind, period_end) not in existing
        ]
    )


def progress_report_submit(*, report_id: int, actor, submitted_on: datetime.date, narrative: str) -> ProgressReport:
    """Staff record that the aid owner's report came in, with what it says."""
    _require(actor, "aid_projects.manage_aid")
    errors = {}
    if submitted_on is None:
        errors["submitted_on"] = _("Give the date the report was received.")
    elif submitted_on > timezone.localdate():
        errors["submitted_on"] = _("The date received cannot be in the future.")
    if not (narrative or "").strip():
        errors["narrative"] = _("Summarise what the report says.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report_id)
        report.submitted_on = submitted_on
        report.narrative = narrative.strip()
        report.submitted_by = actor
        report._history_user = actor
        report.save()
    return report
