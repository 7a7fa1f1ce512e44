"""The partner directory as a source of choices: a form that names partners offers them by search."""

from associations.models import Partner
from associations.permissions import scope_partners
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
