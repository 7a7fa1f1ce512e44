"""The workflow's pages: each step's URL refuses a crafted POST from the wrong role and changes nothing.

Delegations belong to Việt Nam–Lào; `russia_leader` leads another association, so they may
neither see a Lao plan's endorse button nor endorse it by posting to its URL.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from delegations.models import Delegation, TripReport
from tests.delegations.support import SAMPLES, TODAY, events_of

pytestmark = pytest.mark.usefixtures("clock")

S = Delegation.Status
APPROVAL = {"decision_number": "1234/QĐ-UBND", "decision_date": TODAY.strftime("%d/%m/%Y")}

# url name: (state it is taken from, data posted, role that may, state it leads to)
STEPS = {
    "submit": (S.DRAFT, {"comment": "Kính trình"}, "staff", S.SUBMITTED),
    "endorse": (S.SUBMITTED, {"comment": "Nhất trí"}, "laos_leader", S.ENDORSED),
    "return": (S.SUBMITTED, {"comment": "Bổ sung thư mời"}, "laos_leader", S.RETURNED_FOR_REVISION),
    "approve": (S.ENDORSED, APPROVAL, "province", S.APPROVED),
    "reject": (S.ENDORSED, {"comment": "Không phù hợp"}, "province", S.REJECTED),
    "cancel": (S.APPROVED, {"comment": "Phía bạn hoãn"}, "staff", S.CANCELLED),
    "close": (S.REPORTED, {}, "province", S.CLOSED),
    "report": (S.RETURNED, {"results": "Ký biên bản ghi nhớ"}, "staff", S.REPORTED),
}
ROLES = ("staff", "laos_leader", "russia_leader", "province", "admin", "outsider")


@pytest.fixture
def cast(module_cast):
    """Made once for the module: its many cases only read the users (tests/conftest.py)."""
    return module_cast


def wrong_role_cases():
    for name, (_state, _data, allowed, _target) in STEPS.items():
        for role in ROLES:
            if role != allowed:
                yield pytest.param(name, role, id=f"{name}-by-{role}")


def step_url(name, delegation):
    return reverse(f"delegations:{name}", args=[delegation.pk])


@pytest.mark.parametrize(("name", "role"), list(wrong_role_cases()))
def test_crafted_post_by_a_wrong_role_is_refused_and_changes_nothing(cast, login, delegation_factory, name, role):
    state, data, _allowed, _target = STEPS[name]
    delegation = delegation_factory(status=state, association=cast.laos)

    response = login(getattr(cast, role)).post(step_url(name, delegation), data)

    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.status == state
    assert events_of(delegation) == []


@pytest.mark.parametrize("name", list(STEPS))
def test_crafted_post_by_an_anonymous_user_goes_to_the_login(client, cast, delegation_factory, name):
    state, data, _allowed, _target = STEPS[name]
    delegation = delegation_factory(status=state, association=cast.laos)

    response = client.post(step_url(name, delegation), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    delegation.refresh_from_db()
    assert delegation.status == state


@pytest.mark.parametrize("name", list(STEPS))
def test_post_by_the_right_role_takes_the_step(cast, login, delegation_factory, name):
    state, data, allowed, target = STEPS[name]
    delegation = delegation_factory(status=state, association=cast.laos)

    response = login(getattr(cast, allowed)).post(step_url(name, delegation), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("delegations:detail", args=[delegation.pk])
    delegation.refresh_from_db()
    assert delegation.status == target
    assert len(events_of(delegation)) == 1


@pytest.mark.parametrize("name", ["submit", "return", "approve", "reject", "cancel", "report"])
def test_step_form_opens_for_the_right_role(cast, login, delegation_factory, name):
    state, _data, allowed, _target = STEPS[name]
    delegation = delegation_factory(status=state, association=cast.laos)

    response = login(getattr(cast, allowed)).get(step_url(name, delegation))

    assert response.status_code == 200
    delegation.refresh_from_db()
    assert delegation.status == state


@pytest.mark.parametrize("name", ["endorse", "close"])
def test_one_click_steps_take_only_post(cast, login, delegation_factory, name):
    state, _data, allowed, _target = STEPS[name]
    delegation = delegation_factory(status=state, association=cast.laos)

    assert login(getattr(cast, allowed)).get(step_url(name, delegation)).status_code == 405


def test_leader_of_another_association_neither_sees_nor_uses_the_endorse_button(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.SUBMITTED, association=cast.laos)
    client = login(cast.russia_leader)

    detail = client.get(reverse("delegations:detail", args=[delegation.pk]))
    waiting = client.get(reverse("delegations:waiting"))
    endorse = client.post(step_url("endorse", delegation), {"comment": "Nhất trí"})

    assert detail.status_code == 403
    assert 'data-testid="action-endorse"' not in detail.content.decode()
    assert delegation not in list(waiting.context["delegations"])
    assert f"endorse-{delegation.pk}" not in waiting.content.decode()
    assert endorse.status_code == 403
    delegation.refresh_from_db()
    assert delegation.status == S.SUBMITTED
    assert events_of(delegation) == []


def test_leader_cannot_endorse_an_inbound_visit_of_their_association(cast, login, delegation_factory):
    visit = delegation_factory(inbound=True, association=cast.laos)

    response = login(cast.laos_leader).post(step_url("endorse", visit))

    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.status == S.REGISTERED


# --- what the pages say when a step is refused for its content -------------------------------


def test_return_without_a_comment_stays_on_the_form(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.SUBMITTED)

    response = login(cast.laos_leader).post(step_url("return", delegation), {"comment": ""})

    assert response.status_code == 200
    assert response.context["form"].errors
    delegation.refresh_from_db()
    assert delegation.status == S.SUBMITTED


def test_approval_dated_in_the_future_is_refused_with_a_message(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.ENDORSED)
    tomorrow = (TODAY + datetime.timedelta(days=1)).strftime("%d/%m/%Y")

    response = login(cast.province).post(
        step_url("approve", delegation), {"decision_number": "1234/QĐ-UBND", "decision_date": tomorrow}
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    delegation.refresh_from_db()
    assert (delegation.status, delegation.decision_number) == (S.ENDORSED, "")


def test_endorsing_twice_from_the_page_writes_one_event(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.SUBMITTED)
    client = login(cast.laos_leader)

    client.post(step_url("endorse", delegation))
    second = client.post(step_url("endorse", delegation))

    assert second.status_code == 302
    assert len(events_of(delegation)) == 1


def test_step_returns_to_the_waiting_list_when_asked(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.SUBMITTED)
    waiting = reverse("delegations:waiting")

    response = login(cast.laos_leader).post(step_url("endorse", delegation), {"next": waiting})

    assert response["Location"] == waiting


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_step_never_sends_the_user_to_another_site(cast, login, delegation_factory, target):
    delegation = delegation_factory(status=S.SUBMITTED)

    response = login(cast.laos_leader).post(step_url("endorse", delegation), {"next": target})

    assert response.status_code == 302
    assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})


# --- the report page with a file ---------------------------------------------------------------


def test_report_page_files_the_report_with_its_signed_copy(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.RETURNED)
    signed = SimpleUploadedFile("bao-cao.pdf", SAMPLES["quyet-dinh.pdf"])

    response = login(cast.staff).post(step_url("report", delegation), {"results": "Ký biên bản", "file": signed})

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == S.REPORTED
    assert list(delegation.attachments.values_list("kind", "original_name")) == [("report", "bao-cao.pdf")]


def test_report_with_a_refused_file_is_not_filed(cast, login, delegation_factory):
    delegation = delegation_factory(status=S.RETURNED)
    disguised = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 a program")

    response = login(cast.staff).post(step_url("report", delegation), {"results": "Ký biên bản", "file": disguised})

    assert response.status_code == 200  # the form again, with the reason
    delegation.refresh_from_db()
    assert delegation.status == S.RETURNED
    assert not TripReport.objects.filter(delegation=delegation).exists()
    assert events_of(delegation) == []
