"""The home page: each association the user may see, with this year's figures."""

import datetime

from django.utils import timezone

from associations.models import Member, WorkPlanItem
from friendship_portal.core.records import record_save
from tests import factories


def cards(response) -> dict:
    return {association.code: association for association in response.context["associations"]}


def test_home_page_counts_this_year_for_each_association(login, cast):
    year = timezone.localdate().year
    factories.MemberFactory.create_batch(2, association=cast.laos)
    factories.MemberFactory(
        association=cast.laos, status=Member.Status.LEFT, status_changed_on=datetime.date(2024, 1, 1)
    )
    factories.BranchFactory(association=cast.laos)
    factories.BranchFactory(association=cast.laos, dissolved_on=datetime.date(2020, 1, 1))
    factories.ActivityFactory(association=cast.laos, held_on=datetime.date(year, 1, 5))
    factories.ActivityFactory(association=cast.laos, held_on=datetime.date(year - 1, 12, 31))
    plan = factories.WorkPlanFactory(association=cast.laos, year=year)
    factories.WorkPlanItemFactory(plan=plan, status=WorkPlanItem.Status.DONE)
    factories.WorkPlanItemFactory(plan=plan)
    factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=cast.laos, year=year - 1))
    factories.MemberFactory(association=cast.russia)

    response = login(cast.staff).get("/")

    laos = cards(response)["laos"]
    assert (laos.member_count, laos.branch_count, laos.activity_count) == (2, 1, 1)
    assert (laos.plan_item_done, laos.plan_item_count) == (1, 2)
    assert cards(response)["russia"].member_count == 1
    assert response.context["year"] == year


def test_home_page_shows_the_active_associations_to_readers(login, cast):
    poland = cast.associations["poland"]
    poland.is_active = False
    record_save(actor=cast.staff, instance=poland)

    response = login(cast.province).get("/")

    assert set(cards(response)) == {"laos", "russia", "thailand", "czech_slovakia"}


def test_home_page_figures_link_to_the_filtered_lists(login, cast):
    year = timezone.localdate().year

    html = login(cast.laos_leader).get("/").content.decode()

    assert f"/associations/members/?association={cast.laos.pk}&amp;status=active" in html
    assert f"/associations/activities/?association={cast.laos.pk}&amp;year={year}" in html
