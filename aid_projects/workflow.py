"""The aid lifecycle of ND 80/2020, written once: its states, its steps, who takes each and how it shows.

Read by the services (which take the steps), the views (each step's page and the buttons a user
has) and the status badges. To add a step: add a row here, a service in `services.py` that calls
`WORKFLOW.take`, and its page in `views.py` (`STEPS`: the form and how it calls the service).
"""

import calendar
import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aid_projects.models import AidEvent, AidProject
from friendship_portal.core import workflow
from friendship_portal.core.roles import Role
from friendship_portal.core.workflow import Step

Status = AidProject.Status

MANAGE = "aid_projects.manage_aid"
DECIDE = "aid_projects.decide_aid"

REFUSALS = {
    MANAGE: _("Only union staff keep the aid records."),
    DECIDE: _("Only the provincial office decides on aid."),
}


class InvalidTransition(workflow.InvalidTransition):
    template = _("Aid in the state “%(current)s” cannot become “%(target)s”.")
    states = Status


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31/08 + 6 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def revocable_from(project: AidProject) -> datetime.date | None:
    """The first day an approval that has not started may be revoked."""
    if project.decision_date is None:
        return None
    return add_months(project.decision_date, settings.AID_NOT_STARTED_MONTHS)


def is_revocable(project: AidProject) -> bool:
    since = revocable_from(project)
    return since is not None and timezone.localdate() >= since


STATE_STYLES = {
    Status.PROPOSED: "secondary",
    Status.UNDER_APPRAISAL: "info",
    Status.APPROVED: "success",
    Status.REJECTED: "danger",
    Status.IMPLEMENTING: "primary",
    Status.ADJUSTED: "primary",
    Status.COMPLETED: "warning",
    Status.SETTLED: "dark",
    Status.REVOKED: "danger",
}


def _step(key, target, sources, permission, label, icon, style, **options) -> Step:
    return Step(
        key=key,
        target=target,
        sources=sources,
        permission=permission,
        label=label,
        icon=icon,
        style=style,
        refusal=REFUSALS[permission],
        role=Role.UNION_STAFF if permission == MANAGE else Role.PROVINCIAL_OFFICE,
        url_name=f"aid_projects:project_{key}",
        **options,
    )


STEPS = (
    _step(
        "send_to_appraisal",
        Status.UNDER_APPRAISAL,
        (Status.PROPOSED,),
        MANAGE,
        _("Send for appraisal"),
        "bi-send",
        "primary",
    ),
    _step(
        "approve",
        Status.APPROVED,
        (Status.UNDER_APPRAISAL,),
        DECIDE,
        _("Approve"),
        "bi-check-circle",
        "success",
        not_after=("send_to_appraisal",),
        separation_refusal=_("You sent this dossier for appraisal: someone else decides on it."),
        decides=True,
    ),
    _step(
        "reject",
        Status.REJECTED,
        (Status.UNDER_APPRAISAL,),
        DECIDE,
        _("Reject"),
        "bi-x-circle",
        "danger",
        not_after=("send_to_appraisal",),
        separation_refusal=_("You sent this dossier for appraisal: someone else decides on it."),
        decides=True,
    ),
    _step("start", Status.IMPLEMENTING, (Status.APPROVED,), MANAGE, _("Record the start"), "bi-play-circle", "primary"),
    # An adjustment is a new decision each time: taken again from "adjusted" it is not a repeat.
    _step(
        "adjust",
        Status.ADJUSTED,
        AidProject.RUNNING,
        DECIDE,
        _("Adjust"),
        "bi-sliders",
        "primary",
        repeatable=True,
        waits=False,
    ),
    _step(
        "complete", Status.COMPLETED, AidProject.RUNNING, MANAGE, _("Record the end"), "bi-flag", "primary", waits=False
    ),
    _step("settle", Status.SETTLED, (Status.COMPLETED,), MANAGE, _("Settle"), "bi-archive", "secondary"),
    _step(
        "revoke",
        Status.REVOKED,
        (Status.APPROVED,),
        DECIDE,
        _("Revoke"),
        "bi-slash-circle",
        "danger",
        ready=is_revocable,
        waits=False,
    ),
)


def _inside(project, event, step) -> None:
    # The progress reports the aid owner owes follow the project's dates.
    if step.target in (Status.IMPLEMENTING, Status.ADJUSTED, Status.COMPLETED):
        from aid_projects.services import progress_reports_lay_out

        progress_reports_lay_out(project=project)


WORKFLOW = workflow.Workflow(
    model=AidProject,
    event_model=AidEvent,
    event_field="project",
    steps=STEPS,
    state_styles=STATE_STYLES,
    invalid_transition=InvalidTransition,
    full_clean=True,
    inside=_inside,
)
