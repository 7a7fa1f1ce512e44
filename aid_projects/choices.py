"""Donors as a source of choices: the aid forms and the project list's filter offer them by search."""

from aid_projects.models import DONOR_KINDS
from associations.models import Partner
from friendship_portal.core.choices import ChoiceSource, register


def donor_choices():
    """Every partner who can give aid: foreign NGOs, individuals, overseas Vietnamese, international bodies."""
    return Partner.objects.filter(kind__in=DONOR_KINDS).order_by("name")


DONORS = register(
    ChoiceSource(
        key="donors",
        queryset=lambda user: donor_choices(),
        search_fields=("name", "name_local"),
        permission="aid_projects.view_aidproject",
        ordering=("name", "pk"),
    )
)
