"""The leader scope, defined once: which association's records a user sees.

Union staff, the provincial office and administrators read the whole province; a leader reads the
one association their account is tied to; anyone else reads nothing. Every app narrows its lists
with `scope_queryset` and asks `leader_association_id` for object rules, so the rule lives here.
"""

from django.db.models import QuerySet

from associations.models import LeaderAccount
from friendship_portal.core.roles import is_association_leader, reads_everything

_UNSET = object()
# `scope_of` for a user who may read no association's records.
NOTHING = -1


def leader_association_id(user) -> int | None:
    """The association a leader's account is tied to (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_leader_association_id", _UNSET)
    if cached is _UNSET:
        cached = LeaderAccount.objects.filter(user=user).values_list("association_id", flat=True).first()
        user._leader_association_id = cached
    return cached


def scope_of(user) -> int | None:
    """None when the user reads the whole province; otherwise the one association id they read
    (`NOTHING` when they read none)."""
    if reads_everything(user):
        return None
    own = leader_association_id(user) if is_association_leader(user) else None
    return NOTHING if own is None else own


def scope_queryset(user, queryset: QuerySet, *, field: str = "association") -> QuerySet:
    """Narrow `queryset` to what `user` reads. `field` leads from the model to its association
    (`"association"`, `"plan__association"`, or `"pk"` for the associations themselves)."""
    scope = scope_of(user)
    if scope is None:
        return queryset
    if scope == NOTHING:
        return queryset.none()
    return queryset.filter(**{field if field == "pk" else f"{field}_id": scope})
