"""Who may see a delegation and take each step of its workflow.

Union staff prepare, submit, cancel and report; the leader of the delegation's association
endorses or returns it; the provincial office approves or rejects it and closes it once reported.
A leader sees only their association's delegations; classified files are served only to leaders
and the provincial office.
"""

import rules
from django.db.models import QuerySet

from associations.permissions import leads_it  # the leader of the delegation's association
from associations.scope import scope_queryset
from delegations.models import Delegation
from friendship_portal.core.roles import (
    is_administrator,
    is_provincial_office,
    is_union_staff,
    reads_everything,
)

Status = Delegation.Status


@rules.predicate
def is_editable(user, delegation=None) -> bool:
    return delegation is None or delegation.status in Delegation.EDITABLE


@rules.predicate
def is_outbound(user, delegation=None) -> bool:
    return delegation is None or delegation.direction == Delegation.Direction.OUTBOUND


can_view_delegation = reads_everything | leads_it
can_edit_delegation = is_union_staff & is_editable
can_submit = is_union_staff & is_outbound
can_endorse = leads_it & is_outbound
can_decide = is_provincial_office
can_cancel = is_union_staff
can_report = is_union_staff
can_close = is_provincial_office
can_record_recovery = is_union_staff
can_attach = is_union_staff | leads_it
can_see_classified = is_provincial_office | leads_it

rules.add_perm("delegations.view_delegation", can_view_delegation)
rules.add_perm("delegations.add_delegation", is_union_staff)
rules.add_perm("delegations.change_delegation", can_edit_delegation)
rules.add_perm("delegations.delete_delegation", rules.predicates.always_deny)  # cancelled, never deleted
rules.add_perm("delegations.submit_delegation", can_submit)
rules.add_perm("delegations.endorse_delegation", can_endorse)
rules.add_perm("delegations.decide_delegation", can_decide)
rules.add_perm("delegations.cancel_delegation", can_cancel)
rules.add_perm("delegations.report_delegation", can_report)
rules.add_perm("delegations.close_delegation", can_close)
rules.add_perm("delegations.record_recovery", can_record_recovery)
rules.add_perm("delegations.attach_delegation", can_attach)
rules.add_perm("delegations.see_classified", can_see_classified)
for child in ("delegationmember", "itineraryitem", "budgetline"):
    rules.add_perm(f"delegations.view_{child}", reads_everything)
    rules.add_perm(f"delegations.add_{child}", is_union_staff)
    rules.add_perm(f"delegations.change_{child}", is_union_staff)
    rules.add_perm(f"delegations.delete_{child}", is_union_staff)
rules.add_perm("delegations.view_recoveryrecord", reads_everything)
rules.add_perm("delegations.change_recoveryrecord", is_union_staff)
rules.add_perm("delegations.add_recoveryrecord", is_union_staff)
rules.add_perm("delegations.view_delegationevent", reads_everything | is_administrator)


def scope_delegations(user, queryset: QuerySet) -> QuerySet:
    return scope_queryset(user, queryset)
