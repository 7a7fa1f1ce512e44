"""The delegations waiting for a user's step, as the home page and the menu tell them."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from delegations import selectors
from delegations.models import Delegation
from friendship_portal.core.waiting import Waiting, register

Status = Delegation.Status


def _sentence(status: str, count: int) -> str:
    if status == Status.SUBMITTED:
        return ngettext(
            "%(count)d outbound delegation plan waits for the association's endorsement",
            "%(count)d outbound delegation plans wait for the association's endorsement",
            count,
        ) % {"count": count}
    if status == Status.ENDORSED:
        return ngettext(
            "%(count)d outbound delegation plan waits for approval",
            "%(count)d outbound delegation plans wait for approval",
            count,
        ) % {"count": count}
    return ngettext("%(count)d delegation waits for your step", "%(count)d delegations wait for your step", count) % {
        "count": count
    }


def waiting_delegations(user) -> list[Waiting]:
    """One grouped query: how many delegations wait for `user`, by the state they wait in."""
    rows = selectors.waiting_for(user).order_by().values_list("status").annotate(total=Count("*"))
    url = reverse("delegations:waiting")
    return [Waiting(count=total, text=_sentence(status, total), url=url) for status, total in sorted(rows)]


register(waiting_delegations, in_menu=True)
