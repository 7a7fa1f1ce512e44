"""Sources of choices searched as the user types: partners, branches and members. A province has
thousands of each, so a form or a filter that names one offers them by search (core/choices.py)."""

from associations.models import Branch, Member, Partner
from associations.permissions import scope_partners, scope_records
from friendship_portal.core.choices import ChoiceSource, register


def partners_to_choose(user):
    """The active partners `user` may name on a record: the union's own and their association's."""
    return scope_partners(user, Partner.objects.filter(is_active=True))


PARTNERS = register(
    ChoiceSource(
        key="partners",
        queryset=partners_to_choose,
        search_fields=("name", "name_local"),
        permission="associations.view_partner",
        ordering=("name", "pk"),
    )
)


def with_association(record) -> str:
    """A branch or a member named with its association, so those of different associations differ."""
    return f"{record} ({record.association})"


def branches_to_choose(user):
    """The branches of the associations whose records `user` reads (a leader: their own)."""
    return scope_records(user, Branch.objects.select_related("association"))


def members_to_choose(user):
    """The active members of the associations whose records `user` reads, as a leadership post names them."""
    return scope_records(user, Member.objects.filter(status=Member.Status.ACTIVE).select_related("association"))


BRANCHES = register(
    ChoiceSource(
        key="branches",
        queryset=branches_to_choose,
        search_fields=("name", "association__name"),
        permission="associations.view_branch",
        label=with_association,
        ordering=("association__name", "name", "pk"),
    )
)

MEMBERS = register(
    ChoiceSource(
        key="members",
        queryset=members_to_choose,
        search_fields=("full_name",),
        permission="associations.view_member",
        label=with_association,
        ordering=("full_name", "pk"),
    )
)
