"""The delegation workflow, written once: its states, its steps, who takes each and how it shows.

Read by the services (which take the steps), the views and templates (the buttons a user has), the
waiting lists ("Waiting for me") and the status badges. To add a step: add a row here, a service in
`services.py` that calls `WORKFLOW.take`, and a page in `views.py` named by the row's `url_name`.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from associations.scope import leader_association_id
from delegations.models import Delegation, DelegationEvent
from friendship_portal.core import workflow
from friendship_portal.core.roles import Role
from friendship_portal.core.workflow import Step

Status = Delegation.Status
STAFF, LEADER, PROVINCE = Role.UNION_STAFF, Role.ASSOCIATION_LEADER, Role.PROVINCIAL_OFFICE
OUTBOUND = Delegation.Direction.OUTBOUND
INBOUND = Delegation.Direction.INBOUND


class InvalidTransition(workflow.InvalidTransition):
    template = _("A delegation in the state “%(current)s” cannot become “%(target)s”.")
    states = Status


STATE_STYLES = {
    Status.DRAFT: "secondary",
    Status.SUBMITTED: "info",
    Status.RETURNED_FOR_REVISION: "warning",
    Status.ENDORSED: "info",
    Status.APPROVED: "success",
    Status.ABROAD: "primary",
    Status.RETURNED: "warning",
    Status.REPORTED: "success",
    Status.CLOSED: "dark",
    Status.REJECTED: "danger",
    Status.CANCELLED: "secondary",
    Status.REGISTERED: "info",
    Status.HOSTING: "primary",
    Status.COMPLETED: "warning",
}

STEPS = (
    Step(
        key="submit",
        role=STAFF,
        target=Status.SUBMITTED,
        sources={OUTBOUND: (Status.DRAFT, Status.RETURNED_FOR_REVISION)},
        permission="delegations.submit_delegation",
        label=_("Submit"),
        icon="bi-send",
        style="primary",
        refusal=_("Only union staff submit delegation plans."),
        url_name="delegations:submit",
    ),
    Step(
        key="endorse",
        role=LEADER,
        target=Status.ENDORSED,
        sources={OUTBOUND: (Status.SUBMITTED,)},
        permission="delegations.endorse_delegation",
        label=_("Endorse"),
        icon="bi-check2-circle",
        style="success",
        refusal=_("Only a leader of this delegation's association can endorse or return it."),
        url_name="delegations:endorse",
        scoped=True,
    ),
    Step(
        key="return",
        role=LEADER,
        target=Status.RETURNED_FOR_REVISION,
        sources={OUTBOUND: (Status.SUBMITTED,)},
        permission="delegations.endorse_delegation",
        label=_("Return for revision"),
        icon="bi-arrow-return-left",
        style="warning",
        refusal=_("Only a leader of this delegation's association can endorse or return it."),
        url_name="delegations:return",
        scoped=True,
    ),
    Step(
        key="approve",
        decides=True,
        role=PROVINCE,
        not_after=("submit", "endorse"),
        separation_refusal=_("You submitted or endorsed this plan: someone else decides on it."),
        target=Status.APPROVED,
        sources={OUTBOUND: (Status.ENDORSED,), INBOUND: (Status.REGISTERED,)},
        permission="delegations.decide_delegation",
        label=_("Approve"),
        icon="bi-check-circle",
        style="success",
        refusal=_("Only the provincial office decides on delegations."),
        url_name="delegations:approve",
    ),
    Step(
        key="reject",
        decides=True,
        role=PROVINCE,
        not_after=("submit", "endorse"),
        separation_refusal=_("You submitted or endorsed this plan: someone else decides on it."),
        target=Status.REJECTED,
        sources={OUTBOUND: (Status.ENDORSED,), INBOUND: (Status.REGISTERED,)},
        permission="delegations.decide_delegation",
        label=_("Reject"),
        icon="bi-x-circle",
        style="danger",
        refusal=_("Only the provincial office decides on delegations."),
        url_name="delegations:reject",
    ),
    Step(
        key="report",
        role=STAFF,
        target=Status.REPORTED,
        sources={OUTBOUND: Delegation.AWAITING_REPORT, INBOUND: Delegation.AWAITING_REPORT},
        permission="delegations.report_delegation",
        label=_("File the report"),
        icon="bi-file-earmark-text",
        style="primary",
        refusal=_("Only union staff file the report."),
        url_name="delegations:report",
    ),
    # Correcting a filed report keeps the delegation reported: no new state, no event.
    Step(
        key="update_report",
        role=STAFF,
        target=Status.REPORTED,
        sources={OUTBOUND: (Status.REPORTED,), INBOUND: (Status.REPORTED,)},
        permission="delegations.report_delegation",
        label=_("Update the report"),
        icon="bi-file-earmark-text",
        style="primary",
        refusal=_("Only union staff file the report."),
        url_name="delegations:report",
        waits=False,
    ),
    Step(
        key="close",
        role=PROVINCE,
        target=Status.CLOSED,
        sources={OUTBOUND: (Status.REPORTED,), INBOUND: (Status.REPORTED,)},
        permission="delegations.close_delegation",
        label=pgettext_lazy("delegation workflow step", "Close"),
        icon="bi-archive",
        style="secondary",
        refusal=_("Only the provincial office closes a reported delegation."),
        url_name="delegations:close",
    ),
    Step(
        key="cancel",
        role=STAFF,
        target=Status.CANCELLED,
        sources={
            OUTBOUND: (Status.DRAFT, Status.SUBMITTED, Status.RETURNED_FOR_REVISION, Status.ENDORSED, Status.APPROVED),
            INBOUND: (Status.REGISTERED, Status.APPROVED),
        },
        permission="delegations.cancel_delegation",
        label=_("Cancel the delegation"),
        icon="bi-slash-circle",
        style="danger",
        refusal=_("Only union staff cancel delegations."),
        url_name="delegations:cancel",
        waits=False,
    ),
    # The daily task follows the dates: these steps belong to the system alone.
    Step(key="depart", target=Status.ABROAD, sources={OUTBOUND: (Status.APPROVED,)}, permission=None, offered=False),
    Step(key="host", target=Status.HOSTING, sources={INBOUND: (Status.APPROVED,)}, permission=None, offered=False),
    Step(key="come_home", target=Status.RETURNED, sources={OUTBOUND: (Status.ABROAD,)}, permission=None, offered=False),
    Step(
        key="end_visit", target=Status.COMPLETED, sources={INBOUND: (Status.HOSTING,)}, permission=None, offered=False
    ),
)


def _own_association(user) -> Q:
    return Q(association_id=leader_association_id(user))


def _inside(delegation, event, step) -> None:
    from delegations import services

    services.step_announce(delegation=delegation, event=event, step=step)


def _after_commit(delegation, event, step) -> None:
    from delegations import services

    services.step_taken(delegation=delegation, event=event, step=step)


WORKFLOW = workflow.Workflow(
    model=Delegation,
    event_model=DelegationEvent,
    event_field="delegation",
    steps=STEPS,
    state_styles=STATE_STYLES,
    variant_field="direction",
    invalid_transition=InvalidTransition,
    inside=_inside,
    after_commit=_after_commit,
    scope_q=_own_association,
)

# Permission → the sentence said to whoever lacks it (for the pages that check before the service).
REFUSALS = {step.permission: step.refusal for step in STEPS if step.permission}
REFUSALS.update(
    {
        "delegations.record_recovery": _("Only union staff record what a recovery mission found."),
        "delegations.attach_delegation": _("You may not add files to this delegation."),
    }
)
