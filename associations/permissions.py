"""Who may see and change the associations' records.

Union staff change everything; a leader sees and changes the records of the one association
their account is tied to; the provincial office and administrators read everything. The rules
are registered as Django permissions (`associations.change_member` …), so services, views,
templates (`{% has_perm %}`) and the admin all ask the same predicates.
"""

import rules
from django.db.models import Q, QuerySet

from associations.models import Association, PartnerContact, WorkPlanItem
from associations.scope import NOTHING, leader_association_id, scope_of, scope_queryset
from friendship_portal.core.roles import (
    has_any_role,
    is_administrator,
    is_association_leader,
    is_union_staff,
    reads_everything,
)


def association_id_of(record) -> int | None:
    """The association a record belongs to; None for a partner of the whole union."""
    if isinstance(record, Association):
        return record.pk
    if isinstance(record, WorkPlanItem):
        return record.plan.association_id
    if isinstance(record, PartnerContact):
        return record.partner.association_id
    return record.association_id


@rules.predicate
def leads_record_association(user, record=None) -> bool:
    """True when the user leads the association of `record` (or leads any, when no record)."""
    own = leader_association_id(user)
    if own is None:
        return False
    if record is None:
        return True
    return association_id_of(record) == own


@rules.predicate
def is_union_wide(user, record=None) -> bool:
    return record is not None and association_id_of(record) is None


leads_it = is_association_leader & leads_record_association

can_view_record = reads_everything | leads_it
can_change_record = is_union_staff | leads_it
can_delete_record = is_union_staff

# A partner of the whole union (no association in charge) is read by every leader, changed by staff.
can_view_partner = reads_everything | (is_association_leader & (is_union_wide | leads_record_association))

# The five associations are created by migration; new ones are added by administrators.
can_add_association = is_administrator

SCOPED_MODELS = ("branch", "member", "leadershipposition", "workplan", "workplanitem", "activity")

for model_name in SCOPED_MODELS:
    rules.add_perm(f"associations.view_{model_name}", can_view_record)
    rules.add_perm(f"associations.add_{model_name}", can_change_record)
    rules.add_perm(f"associations.change_{model_name}", can_change_record)
    rules.add_perm(f"associations.delete_{model_name}", can_delete_record)

rules.add_perm("associations.view_association", can_view_record)
rules.add_perm("associations.add_association", can_add_association)
rules.add_perm("associations.change_association", can_change_record)
rules.add_perm("associations.delete_association", rules.predicates.always_deny)

for model_name in ("partner", "partnercontact"):
    rules.add_perm(f"associations.view_{model_name}", can_view_partner)
    rules.add_perm(f"associations.add_{model_name}", can_change_record)
    rules.add_perm(f"associations.change_{model_name}", can_change_record)
    rules.add_perm(f"associations.delete_{model_name}", can_delete_record)


def scope_records(user, queryset: QuerySet, *, association_field: str = "association") -> QuerySet:
    """Narrow a queryset of association records to what `user` may see."""
    return scope_queryset(user, queryset, field=association_field)


def scope_partners(user, queryset: QuerySet) -> QuerySet:
    """Partners of the whole union are read by every leader; the rest as the leader scope says."""
    scope = scope_of(user)
    if scope is None:
        return queryset
    if scope == NOTHING:
        return queryset.none()
    return queryset.filter(Q(association__isnull=True) | Q(association_id=scope))


def editable_associations(user, queryset: QuerySet) -> QuerySet:
    """The associations whose records `user` may create or change."""
    if is_union_staff(user):
        return queryset
    own = leader_association_id(user) if is_association_leader(user) else None
    return queryset.filter(pk=own) if own is not None else queryset.none()


# Tying accounts to associations and editing reference data belong to administrators.
rules.add_perm("associations.view_leaderaccount", is_administrator)
rules.add_perm("associations.add_leaderaccount", is_administrator)
rules.add_perm("associations.change_leaderaccount", is_administrator)
rules.add_perm("associations.delete_leaderaccount", is_administrator)
rules.add_perm("associations.view_laoprovince", has_any_role)
rules.add_perm("associations.change_laoprovince", is_administrator)
