"""The checks of Directive 38-CT/TW and letter 980-CV/TU run when a plan is submitted.

A breach is a warning, not a wall: staff may go ahead when they give a reason, which is stored on
the plan and shown to the association's leader and the provincial office.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from delegations.models import Delegation, DelegationMember


@dataclass(frozen=True)
class Breach:
    code: str
    message: str


def limits() -> dict:
    return {
        "leader_trips": settings.DELEGATION_MAX_LEADER_TRIPS_PER_YEAR,
        "members": settings.DELEGATION_MAX_MEMBERS,
        "days": settings.DELEGATION_MAX_DAYS,
        "countries": settings.DELEGATION_MAX_COUNTRIES,
    }


def _normalized(name: str) -> str:
    return " ".join(name.split()).casefold()


def delegation_breaches(delegation: Delegation) -> list[Breach]:
    """The rules `delegation` breaks, in a fixed order; an empty list when it breaks none."""
    caps = limits()
    members = list(delegation.members.all())
    breaches = []
    if len(members) > caps["members"]:
        breaches.append(
            Breach(
                "members",
                _("The delegation has %(count)d members; the limit is %(limit)d.")
                % {"count": len(members), "limit": caps["members"]},
            )
        )
    if delegation.days > caps["days"]:
        breaches.append(
            Breach(
                "days",
                _("The trip lasts %(count)d days; the limit is %(limit)d.")
                % {"count": delegation.days, "limit": caps["days"]},
            )
        )
    if len(delegation.countries) > caps["countries"]:
        breaches.append(
            Breach(
                "countries",
                _("The trip visits %(count)d countries; the limit is %(limit)d.")
                % {"count": len(delegation.countries), "limit": caps["countries"]},
            )
        )
    for name, trips in _leader_trips(delegation, members).items():
        if trips > caps["leader_trips"]:
            breaches.append(
                Breach(
                    "leader_trips",
                    _("%(name)s would travel abroad %(count)d times in %(year)d; the limit is %(limit)d a year.")
                    % {"name": name, "count": trips, "year": delegation.start_date.year, "limit": caps["leader_trips"]},
                )
            )
    key_leaders: dict[str, list[str]] = {}
    for member in members:
        if member.is_key_leader and member.organization:
            key_leaders.setdefault(_normalized(member.organization), []).append(member.full_name)
    for names in key_leaders.values():
        if len(names) > 1:
            breaches.append(
                Breach(
                    "key_leaders",
                    _("Two key leaders of the same unit travel together: %(names)s.") % {"names": ", ".join(names)},
                )
            )
    if not delegation.in_yearly_plan:
        breaches.append(Breach("outside_plan", _("The trip is outside the year's foreign-affairs plan.")))
    if not delegation.commits_no_classified_documents:
        breaches.append(Breach("classified", _("The commitment to carry no classified documents has not been signed.")))
    return breaches


def _leader_trips(delegation: Delegation, members: list[DelegationMember]) -> dict[str, int]:
    """For each leader on this trip, how many outbound trips of the same year they would make."""
    leaders = {_normalized(member.full_name): member.full_name for member in members if member.is_leader}
    if not leaders:
        return {}
    others = (
        DelegationMember.objects.filter(
            delegation__direction=Delegation.Direction.OUTBOUND,
            delegation__start_date__year=delegation.start_date.year,
            management_level__in=DelegationMember.LEADER_LEVELS,
        )
        .exclude(delegation=delegation)
        .exclude(delegation__status__in=[*Delegation.ENDED, Delegation.Status.DRAFT])
        .values("full_name")
        .annotate(trips=Count("delegation", distinct=True))
    )
    counts = dict.fromkeys(leaders, 1)
    for row in others:
        key = _normalized(row["full_name"])
        if key in counts:
            counts[key] += row["trips"]
    return {leaders[key]: trips for key, trips in counts.items()}
