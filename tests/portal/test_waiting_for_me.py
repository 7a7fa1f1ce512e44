"""What waits for me: the home page says, for each role, what waits for their step, in a sentence with
the list one click away; the menu's "Waiting for me" carries the count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aid_projects.models import AidProject
from delegations.models import Delegation
from friendship_portal.core.notifications import notify
from tests.aid_projects.factories import project_in
from tests.delegations import factories as trips

pytestmark = pytest.mark.django_db


def waiting_texts(response) -> list[str]:
    html = response.content.decode()
    section = re.search(r'data-testid="waiting-for-me".*?</section>', html, re.S)
    if section is None:
        return []
    return [" ".join(text.split()) for text in re.findall(r"<span>([^<]*)</span>", section.group(0))]


def menu_count(response) -> str | None:
    found = re.search(r'data-testid="waiting-count">.*?</span>\s*(\d+)</span>', response.content.decode(), re.S)
    return found.group(1) if found else None


def test_a_leader_sees_the_plan_to_endorse_on_the_home_page_and_in_the_menu(login, cast):
    plan = trips.DelegationFactory(association=cast.laos, status=Delegation.Status.SUBMITTED)
    response = login(cast.laos_leader).get(reverse("home"))
    assert waiting_texts(response) == ["Có 1 đề án đoàn ra chờ Hội thông qua"]
    assert f'href="{reverse("delegations:waiting")}"' in response.content.decode()
    assert menu_count(response) == "1"
    # One click on: the waiting list, with the endorsement's button.
    waiting = login(cast.laos_leader).get(reverse("delegations:waiting"))
    assert f'data-testid="endorse-{plan.pk}"' in waiting.content.decode()


def test_another_associations_leader_sees_nothing_waiting(login, cast):
    trips.DelegationFactory(association=cast.laos, status=Delegation.Status.SUBMITTED)
    response = login(cast.russia_leader).get(reverse("home"))
    assert waiting_texts(response) == []
    assert menu_count(response) is None


def test_the_provincial_office_sees_the_plans_and_the_aid_to_decide(login, cast):
    trips.DelegationFactory.create_batch(2, association=cast.laos, status=Delegation.Status.ENDORSED)
    project_in(AidProject.Status.UNDER_APPRAISAL)
    response = login(cast.province).get(reverse("home"))
    assert waiting_texts(response) == [
        "Có 2 đề án đoàn ra chờ phê duyệt",
        "Có 1 dự án viện trợ đang thẩm định chờ quyết định",
    ]
    assert menu_count(response) == "3"
    aid_list = f"{reverse('aid_projects:project_list')}?status=under_appraisal"
    assert aid_list in response.content.decode()
    # The menu's page lists the plans and names the aid, one click from its list.
    waiting = login(cast.province).get(reverse("delegations:waiting")).content.decode()
    elsewhere = re.search(r'data-testid="waiting-elsewhere">(.*?)</ul>', waiting, re.S).group(1)
    assert aid_list in elsewhere and "Có 1 dự án viện trợ đang thẩm định chờ quyết định" in elsewhere
    assert reverse("delegations:waiting") not in elsewhere


def test_nothing_waiting_shows_no_card_and_no_count(login, cast):
    response = login(cast.staff).get(reverse("home"))
    assert waiting_texts(response) == []
    assert menu_count(response) is None


def test_the_home_page_asks_each_source_once_for_the_card_and_the_menu(login, cast):
    trips.DelegationFactory(association=cast.laos, status=Delegation.Status.SUBMITTED)
    client = login(cast.laos_leader)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    waiting = [
        query["sql"] for query in captured if '"delegations_delegation"' in query["sql"] and "COUNT" in query["sql"]
    ]
    assert len(waiting) == 1


def test_staff_see_the_aid_to_send_for_appraisal_counted_in_the_menu(login, cast):
    project_in(AidProject.Status.PROPOSED)
    response = login(cast.staff).get(reverse("home"))
    assert waiting_texts(response) and menu_count(response) == "1"
    waiting = login(cast.staff).get(reverse("delegations:waiting")).content.decode()
    assert 'data-testid="waiting-elsewhere"' in waiting


@pytest.mark.parametrize("role", ["staff", "laos_leader", "province", "admin"])
def test_the_bell_counts_each_roles_unread_notices(login, cast, role):
    user = getattr(cast, role)
    notify(users=[user], subject="Nhắc việc", message="Có việc chờ", url="/")
    notify(users=[user], subject="Nhắc việc", message="Có việc khác chờ", url="/")
    html = login(user).get(reverse("home"), follow=True).content.decode()
    assert re.search(r'data-testid="unread-count">\s*2\s*<', html)
