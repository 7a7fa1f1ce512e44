"""The "waiting for me" page: each role finds the delegations whose next step is theirs, with its button."""

import pytest
from django.conf import settings
from django.urls import reverse

from delegations.models import Delegation
from tests.delegations.factories import DelegationFactory

S = Delegation.Status


@pytest.fixture
def queue(cast, delegation_factory):
    return {
        "laos_submitted": delegation_factory(status=S.SUBMITTED, association=cast.laos),
        "russia_submitted": delegation_factory(status=S.SUBMITTED, association=cast.russia),
        "endorsed": delegation_factory(status=S.ENDORSED, association=cast.laos),
        "registered": delegation_factory(inbound=True, association=cast.russia),
        "reported": delegation_factory(status=S.REPORTED, association=cast.laos),
        "draft": delegation_factory(status=S.DRAFT, association=cast.russia),
        "returned_for_revision": delegation_factory(status=S.RETURNED_FOR_REVISION, association=cast.laos),
        "returned": delegation_factory(status=S.RETURNED, association=cast.laos),
        "completed": delegation_factory(inbound=True, status=S.COMPLETED, association=None),
        # Nobody's turn: the dates move these along, or they are over.
        "approved": delegation_factory(status=S.APPROVED, association=cast.laos),
        "abroad": delegation_factory(status=S.ABROAD, association=cast.laos),
        "closed": delegation_factory(status=S.CLOSED, association=cast.laos),
        "cancelled": delegation_factory(status=S.CANCELLED, association=cast.laos),
    }


# role: {key in the queue: the button it has there}
WAITING = {
    "laos_leader": {"laos_submitted": "endorse"},
    "russia_leader": {"russia_submitted": "endorse"},
    "province": {"endorsed": "approve", "registered": "approve", "reported": "close"},
    "staff": {"draft": "submit", "returned_for_revision": "submit", "returned": "report", "completed": "report"},
    "admin": {},
}
BUTTONS = ("endorse", "return", "approve", "reject", "close", "submit", "report")
COMPANION = {"endorse": "return", "approve": "reject"}  # offered beside it


@pytest.mark.parametrize("role", list(WAITING))
def test_waiting_list_holds_what_waits_for_the_role(cast, login, queue, role):
    response = login(getattr(cast, role)).get(reverse("delegations:waiting"))

    assert response.status_code == 200
    assert set(response.context["delegations"]) == {queue[key] for key in WAITING[role]}


@pytest.mark.parametrize("role", list(WAITING))
def test_waiting_list_offers_each_role_its_own_buttons_only(cast, login, queue, role):
    content = login(getattr(cast, role)).get(reverse("delegations:waiting")).content.decode()

    for key, delegation in queue.items():
        for button in BUTTONS:
            main = WAITING[role].get(key)
            expected = button in (main, COMPANION.get(main))
            assert (f'data-testid="{button}-{delegation.pk}"' in content) is expected, (key, button)


def test_waiting_list_of_a_user_without_a_role_is_empty(cast, login, queue):
    response = login(cast.outsider).get(reverse("delegations:waiting"))

    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert list(response.context["delegations"]) == []


def test_waiting_list_sends_anonymous_users_to_log_in(client, db):
    response = client.get(reverse("delegations:waiting"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_list_pages_count_what_waits(cast, login, queue):
    response = login(cast.province).get(reverse("delegations:outbound_list"))

    assert response.context["waiting_count"] == 3


def test_endorsing_from_the_waiting_list_comes_back_to_it(cast, login, queue):
    delegation = queue["laos_submitted"]
    waiting = reverse("delegations:waiting")
    client = login(cast.laos_leader)

    response = client.post(reverse("delegations:endorse", args=[delegation.pk]), {"next": waiting, "comment": ""})

    assert response["Location"] == waiting
    assert list(client.get(waiting).context["delegations"]) == []


def test_the_waiting_list_comes_a_page_at_a_time(cast, login, settings):
    settings.WAITING_PAGE_SIZE = 2
    plans = [DelegationFactory(association=cast.laos, status=Delegation.Status.SUBMITTED) for _ in range(3)]
    client = login(cast.laos_leader)
    first, second = (client.get(reverse("delegations:waiting"), {"page": number}) for number in (1, 2))
    assert first.context["page"].paginator.count == 3
    assert len(first.context["delegations"]) == 2 and len(second.context["delegations"]) == 1
    assert {*first.context["delegations"], *second.context["delegations"]} == set(plans)
    assert 'data-testid="waiting-total">3<' in first.content.decode()
