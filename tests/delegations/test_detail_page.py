"""The detail page of a delegation: who may open it and which workflow buttons each role gets."""

import pytest
from django.conf import settings
from django.urls import reverse

from delegations.models import Delegation
from delegations.services import delegation_endorse, delegation_submit

S = Delegation.Status


def detail_url(delegation):
    return reverse("delegations:detail", args=[delegation.pk])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 200),
        ("province", 200),
        ("admin", 200),
        ("laos_leader", 200),
        ("russia_leader", 403),
        ("outsider", 403),
    ],
)
def test_detail_page_access(cast, login, delegation_factory, role, expected):
    delegation = delegation_factory(association=cast.laos, status=S.SUBMITTED)

    response = login(getattr(cast, role)).get(detail_url(delegation))

    assert response.status_code == expected
    assert (delegation.title in response.content.decode()) is (expected == 200)


def test_detail_page_sends_anonymous_users_to_log_in(client, delegation_factory):
    delegation = delegation_factory()

    response = client.get(detail_url(delegation))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_visit_of_the_whole_union_is_not_shown_to_leaders(cast, login, delegation_factory):
    visit = delegation_factory(inbound=True, association=None)

    assert login(cast.laos_leader).get(detail_url(visit)).status_code == 403


def test_unknown_delegation_is_not_found(cast, login, db):
    assert login(cast.staff).get(reverse("delegations:detail", args=[999_999])).status_code == 404


# state, direction → the buttons of each role (the pages of the steps in delegations/workflow.py)
BUTTONS = {
    (S.DRAFT, "outbound"): {"staff": {"submit", "cancel"}, "laos_leader": set(), "province": set()},
    (S.RETURNED_FOR_REVISION, "outbound"): {"staff": {"submit", "cancel"}, "laos_leader": set(), "province": set()},
    (S.SUBMITTED, "outbound"): {"staff": {"cancel"}, "laos_leader": {"endorse", "return"}, "province": set()},
    (S.ENDORSED, "outbound"): {"staff": {"cancel"}, "laos_leader": set(), "province": {"approve", "reject"}},
    (S.APPROVED, "outbound"): {"staff": {"cancel"}, "laos_leader": set(), "province": set()},
    (S.ABROAD, "outbound"): {"staff": set(), "laos_leader": set(), "province": set()},
    (S.RETURNED, "outbound"): {"staff": {"report"}, "laos_leader": set(), "province": set()},
    (S.REPORTED, "outbound"): {"staff": {"report"}, "laos_leader": set(), "province": {"close"}},
    (S.CLOSED, "outbound"): {"staff": set(), "laos_leader": set(), "province": set()},
    (S.CANCELLED, "outbound"): {"staff": set(), "laos_leader": set(), "province": set()},
    (S.REGISTERED, "inbound"): {"staff": {"cancel"}, "laos_leader": set(), "province": {"approve", "reject"}},
    (S.COMPLETED, "inbound"): {"staff": {"report"}, "laos_leader": set(), "province": set()},
}


def button_cases():
    for (status, direction), roles in BUTTONS.items():
        for role, keys in roles.items():
            yield pytest.param(status, direction, role, keys, id=f"{direction}-{status}-{role}")


@pytest.mark.parametrize(("status", "direction", "role", "keys"), list(button_cases()))
def test_each_role_sees_only_the_buttons_of_its_next_step(
    cast, login, delegation_factory, status, direction, role, keys
):
    delegation = delegation_factory(status=status, direction=direction, association=cast.laos)

    response = login(getattr(cast, role)).get(detail_url(delegation))

    assert {step.action for step in response.context["steps"]} == keys
    content = response.content.decode()
    for key in ("submit", "endorse", "return", "approve", "reject", "report", "close", "cancel"):
        assert (f'data-testid="action-{key}"' in content) is (key in keys)


@pytest.mark.parametrize(
    ("status", "role", "editable"),
    [
        (S.DRAFT, "staff", True),
        (S.RETURNED_FOR_REVISION, "staff", True),
        (S.SUBMITTED, "staff", False),
        (S.APPROVED, "staff", False),
        (S.DRAFT, "laos_leader", False),
        (S.DRAFT, "province", False),
    ],
)
def test_edit_button_only_for_staff_while_editable(cast, login, delegation_factory, status, role, editable):
    delegation = delegation_factory(status=status, association=cast.laos)

    response = login(getattr(cast, role)).get(detail_url(delegation))

    assert ('data-testid="edit"' in response.content.decode()) is editable


def test_detail_page_shows_the_approval_trail(cast, login, delegation_factory):
    delegation = delegation_factory()
    delegation_submit(delegation_id=delegation.pk, actor=cast.staff, comment="Kính trình lãnh đạo Hội")
    delegation_endorse(delegation_id=delegation.pk, actor=cast.laos_leader, comment="Hội nhất trí cử đoàn")

    response = login(cast.province).get(detail_url(delegation))

    content = response.content.decode()
    assert "Kính trình lãnh đạo Hội" in content
    assert "Hội nhất trí cử đoàn" in content
    assert {step.action for step in response.context["steps"]} == {"approve", "reject"}


def test_detail_page_shows_a_change_of_partners_in_the_history(cast, login):
    from associations.models import Partner
    from delegations.services import delegation_save
    from tests.delegations.factories import DelegationFactory

    delegation = DelegationFactory(association=cast.laos)
    partner = Partner.objects.create(name="Sở Ngoại vụ tỉnh Khăm Muộn", kind="foreign_locality", country="LA")
    delegation.partners.add(partner)
    delegation_save(actor=cast.staff, instance=delegation)

    response = login(cast.staff).get(f"/delegations/{delegation.pk}/")

    assert response.status_code == 200
    changes = [change for entry in response.context["history"] for change in entry.changes]
    assert any("Khăm Muộn" in change.new for change in changes)
