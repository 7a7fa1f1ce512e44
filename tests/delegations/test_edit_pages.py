"""Creating and editing delegations: staff only, and only while the plan is editable."""

import pytest
from django.conf import settings
from django.urls import reverse

from delegations.models import Delegation, DelegationEvent

S = Delegation.Status


def form_data(cast, direction="outbound", *, with_member=False, **values):
    data = {
        "title": "Đoàn công tác sang tỉnh Savannakhet",
        "purpose": "exchange",
        "purpose_detail": "Ký kết biên bản ghi nhớ giai đoạn 2026–2030",
        "association": cast.laos.pk,
        "countries": ["LA"],
        "start_date": "08/06/2026",
        "end_date": "12/06/2026",
        "programme": "Làm việc với Hội hữu nghị Lào – Việt Nam tỉnh Savannakhet",
        "funding_source": "provincial_budget",
    }
    if direction == "outbound":
        data |= {
            "in_yearly_plan": "on",
            "commits_no_classified_documents": "on",
            "commits_host_law": "on",
            "commits_no_relatives": "on",
        }
    else:
        data |= {"hosts": "Liên hiệp các tổ chức hữu nghị tỉnh"}
    for prefix in ("members", "itinerary", "budget_lines"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                 f"{prefix}-MAX_NUM_FORMS": "1000"}  # fmt: skip
    if with_member:
        data |= {
            "members-TOTAL_FORMS": "1",
            "members-0-full_name": "Nguyễn Thị Thu Hà",
            "members-0-position": "Phó Chủ tịch Hội",
            "members-0-organization": "Hội Hữu nghị Việt Nam – Lào tỉnh Hà Tĩnh",
            "members-0-nationality": "VN",
            "members-0-management_level": "association_leader",
            "members-0-is_head": "on",
        }
    return data | values


def create_url(direction="outbound"):
    return reverse(f"delegations:{direction}_create")


def edit_url(direction, delegation):
    return reverse(f"delegations:{direction}_update", args=[delegation.pk])


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 200), ("laos_leader", 403), ("province", 403), ("admin", 403), ("outsider", 403)],
)
@pytest.mark.parametrize("direction", ["outbound", "inbound"])
def test_create_page_is_for_staff(cast, login, role, expected, direction):
    assert login(getattr(cast, role)).get(create_url(direction)).status_code == expected


def test_create_page_sends_anonymous_users_to_log_in(client, db):
    response = client.get(create_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_staff_create_an_outbound_plan_as_a_draft(cast, login):
    response = login(cast.staff).post(create_url(), form_data(cast))

    delegation = Delegation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("delegations:detail", args=[delegation.pk])
    assert (delegation.direction, delegation.status, delegation.created_by) == ("outbound", S.DRAFT, cast.staff)
    event = DelegationEvent.objects.get(delegation=delegation)
    assert (event.actor, event.to_status) == (cast.staff, S.DRAFT)


def test_staff_create_a_plan_with_its_members_in_one_go(cast, login):
    response = login(cast.staff).post(create_url(), form_data(cast, with_member=True))

    delegation = Delegation.objects.get()
    assert response.status_code == 302
    assert list(delegation.members.values_list("full_name", "is_head")) == [("Nguyễn Thị Thu Hà", True)]


def test_staff_register_an_inbound_visit(cast, login):
    login(cast.staff).post(create_url("inbound"), form_data(cast, "inbound"))

    visit = Delegation.objects.get()
    assert (visit.direction, visit.status) == ("inbound", S.REGISTERED)


def test_outbound_plan_needs_an_association(cast, login):
    response = login(cast.staff).post(create_url(), form_data(cast, association=""))

    assert response.status_code == 200
    assert not Delegation.objects.exists()


@pytest.mark.parametrize("role", ["laos_leader", "province", "outsider"])
def test_crafted_create_post_is_refused(cast, login, role):
    response = login(getattr(cast, role)).post(create_url(), form_data(cast))

    assert response.status_code == 403
    assert not Delegation.objects.exists()


EDITABLE = [("outbound", S.DRAFT), ("outbound", S.RETURNED_FOR_REVISION), ("inbound", S.REGISTERED)]
LOCKED = [
    ("outbound", S.SUBMITTED), ("outbound", S.ENDORSED), ("outbound", S.APPROVED), ("outbound", S.ABROAD),
    ("outbound", S.RETURNED), ("outbound", S.REPORTED), ("outbound", S.CLOSED), ("outbound", S.CANCELLED),
    ("outbound", S.REJECTED), ("inbound", S.APPROVED), ("inbound", S.HOSTING), ("inbound", S.COMPLETED),
]  # fmt: skip


@pytest.mark.parametrize(("direction", "status"), EDITABLE)
def test_staff_edit_while_the_plan_is_editable(cast, login, delegation_factory, direction, status):
    delegation = delegation_factory(direction=direction, status=status, association=cast.laos, members=0)
    client = login(cast.staff)

    assert client.get(edit_url(direction, delegation)).status_code == 200
    response = client.post(edit_url(direction, delegation), form_data(cast, direction, title="Tên đoàn đã sửa"))

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert (delegation.title, delegation.status) == ("Tên đoàn đã sửa", status)


@pytest.mark.parametrize(("direction", "status"), LOCKED)
def test_nobody_edits_a_plan_past_the_editable_states(cast, login, delegation_factory, direction, status):
    delegation = delegation_factory(direction=direction, status=status, association=cast.laos, members=0)
    client = login(cast.staff)

    assert client.get(edit_url(direction, delegation)).status_code == 403
    response = client.post(edit_url(direction, delegation), form_data(cast, direction, title="Tên đoàn đã sửa"))

    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.title != "Tên đoàn đã sửa"


@pytest.mark.parametrize("role", ["laos_leader", "russia_leader", "province", "admin", "outsider"])
def test_crafted_edit_post_by_another_role_is_refused(cast, login, delegation_factory, role):
    delegation = delegation_factory(association=cast.laos, members=0, title="Tên đoàn ban đầu")
    client = login(getattr(cast, role))

    assert client.get(edit_url("outbound", delegation)).status_code == 403
    response = client.post(edit_url("outbound", delegation), form_data(cast, title="Tên đoàn đã sửa"))

    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.title == "Tên đoàn ban đầu"
    assert not delegation.members.exists()
