"""Each list page and the home page run as many queries for 30 records as for 3."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from associations.models import LaoProvince, WorkPlan
from tests import factories
from tests.associations.kinds import KINDS, page_url

MAX_QUERIES = 12  # session, user, roles, the page's own few; measured 4–11


def add_records(cast, count: int) -> None:
    """`count` records of every kind, spread over the associations, each with what it refers to."""
    associations = list(cast.associations.values())
    lao_province = LaoProvince.objects.first()
    for index in range(count):
        association = associations[index % len(associations)]
        branch = factories.BranchFactory(association=association)
        member = factories.MemberFactory(association=association, branch=branch)
        factories.LeadershipPositionFactory(association=association, member=member)
        year = 2026 - WorkPlan.objects.filter(association=association).count()  # one plan a year
        plan = factories.WorkPlanFactory(association=association, year=year)
        item = factories.WorkPlanItemFactory(plan=plan)
        partner = factories.PartnerFactory(association=association, country="LA", lao_province=lao_province)
        factories.PartnerContactFactory(partner=partner)
        factories.ActivityFactory(
            association=association, partner=partner, plan_item=item, held_on=datetime.date(plan.year, 5, 1)
        )


def queries_for(client, url, params=None) -> int:
    client.get(url, params)  # the first request warms caches (content types, the session) for both counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def count_with(cast, client, url, params=None) -> tuple[int, int]:
    add_records(cast, 3)
    few = queries_for(client, url, params)
    add_records(cast, 27)
    many = queries_for(client, url, params)
    return few, many


@pytest.mark.parametrize("role", ["staff", "laos_leader"])
@pytest.mark.parametrize("kind", KINDS)
def test_list_page_queries_do_not_grow_with_records(login, cast, kind, role):
    few, many = count_with(cast, login(getattr(cast, role)), page_url(kind, "list"))

    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("kind", KINDS)
def test_export_queries_do_not_grow_with_records(login, cast, kind):
    few, many = count_with(cast, login(cast.staff), page_url(kind, "list"), {"export": "xlsx"})

    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("role", ["staff", "laos_leader", "province"])
def test_home_page_queries_do_not_grow_with_records(login, cast, role):
    few, many = count_with(cast, login(getattr(cast, role)), "/")

    assert few == many
    assert many <= MAX_QUERIES
