"""The outbound and inbound lists: who sees which delegations, the Excel export and the recovery total."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from delegations.models import Delegation
from tests.workbooks import HEADER_ROW

S = Delegation.Status
ROLES_READING_EVERYTHING = ("staff", "province", "admin")


@pytest.fixture
def plans(cast, delegation_factory):
    """An outbound plan and an inbound visit of each of two associations, and a visit of the whole union."""
    return {
        "laos_out": delegation_factory(association=cast.laos, title="Đoàn Hội Việt – Lào sang Viêng Chăn"),
        "russia_out": delegation_factory(association=cast.russia, title="Đoàn Hội Việt – Nga sang Moskva"),
        "laos_in": delegation_factory(inbound=True, association=cast.laos, title="Đoàn tỉnh Bôlykhămxay thăm Hà Tĩnh"),
        "russia_in": delegation_factory(
            inbound=True, association=cast.russia, title="Đoàn Hội Nga – Việt thăm Hà Tĩnh"
        ),
        "union_in": delegation_factory(inbound=True, association=None, title="Đoàn Đại sứ quán Lào thăm Liên hiệp"),
    }


def listed(response):
    return set(response.context["page"].object_list)


VISIBLE = {
    # role: (outbound list, inbound list)
    "staff": ({"laos_out", "russia_out"}, {"laos_in", "russia_in", "union_in"}),
    "province": ({"laos_out", "russia_out"}, {"laos_in", "russia_in", "union_in"}),
    "admin": ({"laos_out", "russia_out"}, {"laos_in", "russia_in", "union_in"}),
    "laos_leader": ({"laos_out"}, {"laos_in"}),
    "russia_leader": ({"russia_out"}, {"russia_in"}),
}


@pytest.mark.parametrize("role", list(VISIBLE))
@pytest.mark.parametrize("direction", ["outbound", "inbound"])
def test_list_shows_what_the_role_may_see(cast, login, plans, role, direction):
    response = login(getattr(cast, role)).get(reverse(f"delegations:{direction}_list"))

    assert response.status_code == 200
    expected = VISIBLE[role][0 if direction == "outbound" else 1]
    assert listed(response) == {plans[key] for key in expected}
    content = response.content.decode()
    for key, delegation in plans.items():
        assert (delegation.title in content) is (key in expected)


@pytest.mark.parametrize("direction", ["outbound", "inbound"])
def test_list_is_refused_to_a_user_without_a_role(cast, login, direction):
    assert login(cast.outsider).get(reverse(f"delegations:{direction}_list")).status_code == 403


@pytest.mark.parametrize("direction", ["outbound", "inbound"])
def test_list_sends_anonymous_users_to_log_in(client, db, direction):
    url = reverse(f"delegations:{direction}_list")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?next={url}"


@pytest.mark.parametrize(("role", "offered"), [("staff", True), ("laos_leader", False), ("province", False)])
def test_only_staff_are_offered_to_add_a_delegation(cast, login, role, offered):
    response = login(getattr(cast, role)).get(reverse("delegations:outbound_list"))

    assert bool(response.context["create_url"]) is offered


def test_list_filters_by_status_and_searches_member_names(cast, login, delegation_factory, member_factory):
    approved = delegation_factory(status=S.APPROVED)
    delegation_factory(status=S.DRAFT)
    member_factory(delegation=approved, full_name="Võ Thị Minh Nguyệt")
    member_factory(delegation=approved, full_name="Võ Văn Minh")
    client = login(cast.staff)

    by_status = client.get(reverse("delegations:outbound_list"), {"status": "approved"})
    by_member = client.get(reverse("delegations:outbound_list"), {"q": "Minh"})

    assert listed(by_status) == {approved}
    assert list(by_member.context["page"].object_list) == [approved]  # once, though two members match


def test_list_filters_by_a_whole_country_code(cast, login, delegation_factory):
    laos = delegation_factory(countries=["LA"])
    laos_and_thailand = delegation_factory(countries=["LA", "TH"])
    thailand = delegation_factory(countries=["TH"])

    response = login(cast.staff).get(reverse("delegations:outbound_list"), {"country": "TH"})

    assert listed(response) == {laos_and_thailand, thailand}
    assert laos not in listed(response)


# --- the Excel export ------------------------------------------------------------------------


def exported_titles(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    title_column = rows[0].index(next(h for h in rows[0] if h and h.lower().startswith(("tiêu đề", "title"))))
    return {row[title_column] for row in rows[1:]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", {"laos_out", "russia_out"}), ("laos_leader", {"laos_out"}), ("russia_leader", {"russia_out"})],
)
def test_excel_export_holds_what_the_list_shows(cast, login, plans, role, expected):
    response = login(getattr(cast, role)).get(reverse("delegations:outbound_list"), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith("attachment")
    assert exported_titles(response) == {plans[key].title for key in expected}


def test_excel_export_follows_the_filters(cast, login, delegation_factory):
    approved = delegation_factory(status=S.APPROVED, title="Đoàn đã được phê duyệt")
    delegation_factory(status=S.DRAFT, title="Đoàn đang soạn")

    response = login(cast.staff).get(reverse("delegations:outbound_list"), {"export": "xlsx", "status": "approved"})

    assert exported_titles(response) == {approved.title}


def test_excel_export_is_refused_to_a_user_without_a_role(cast, login):
    assert login(cast.outsider).get(reverse("delegations:outbound_list"), {"export": "xlsx"}).status_code == 403


# --- remains repatriated since 1999 --------------------------------------------------------------


def test_outbound_list_shows_the_running_total_of_repatriated_remains(cast, login, recovery_factory):
    recovery_factory(remains_recovered=30, remains_repatriated=25)
    recovery_factory(remains_recovered=12, remains_repatriated=12, delegation__start_date=datetime.date(1999, 11, 8))
    recovery_factory(remains_recovered=9, remains_repatriated=9, delegation__status=S.CANCELLED)
    recovery_factory(remains_recovered=5, remains_repatriated=5, delegation__status=S.REJECTED)

    response = login(cast.staff).get(reverse("delegations:outbound_list"))

    total = response.context["recovery_total"]
    assert (total["repatriated"], total["recovered"], total["missions"], total["since"]) == (37, 42, 2, 1999)
    assert 'data-testid="recovery-total">37<' in response.content.decode()


def test_running_total_starts_in_1999(cast, login, recovery_factory, settings):
    recovery_factory(remains_recovered=4, remains_repatriated=4, delegation__start_date=datetime.date(1998, 12, 1))
    recovery_factory(remains_recovered=6, remains_repatriated=6, delegation__start_date=datetime.date(2000, 1, 10))

    response = login(cast.staff).get(reverse("delegations:outbound_list"))

    assert response.context["recovery_total"]["repatriated"] == 6


def test_running_total_is_zero_without_missions(cast, login):
    response = login(cast.staff).get(reverse("delegations:outbound_list"))

    assert response.context["recovery_total"]["repatriated"] == 0
    assert response.context["recovery_total"]["missions"] == 0


def test_leader_sees_the_running_total_too(cast, login, recovery_factory):
    recovery_factory(remains_recovered=30, remains_repatriated=25)

    response = login(cast.russia_leader).get(reverse("delegations:outbound_list"))

    assert response.context["recovery_total"]["repatriated"] == 25


@pytest.mark.django_db
def test_a_delegation_whose_report_is_overdue_stands_out_in_the_list(login, cast):
    from django.utils import timezone

    from tests.delegations.factories import DelegationFactory

    today = timezone.localdate()
    late = DelegationFactory(
        association=cast.laos,
        status=Delegation.Status.RETURNED,
        title="Đoàn về chưa báo cáo",
        start_date=today - datetime.timedelta(days=40),
        end_date=today - datetime.timedelta(days=35),
    )
    Delegation.objects.filter(pk=late.pk).update(report_due_on=today - datetime.timedelta(days=20))
    DelegationFactory(association=cast.laos, title="Đoàn đang chuẩn bị")

    page = login(cast.staff).get(reverse("delegations:outbound_list")).content.decode()

    flagged = re.findall(r'<tr class="table-danger" data-attention="([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
    assert [(reason, "Đoàn về chưa báo cáo" in row) for reason, row in flagged] == [("Quá hạn báo cáo", True)]
