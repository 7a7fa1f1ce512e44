"""The dashboard reads a fixed number of queries however many records there are, keeps its figures in
the cache for a few minutes, and recomputes them as soon as any record is saved or deleted."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aid_projects.models import Commune
from associations.models import Member
from delegations.models import Delegation
from tests import factories
from tests.aid_projects import factories as aid
from tests.dashboard.pages import shown
from tests.dashboard.world import YEAR, day
from tests.delegations import factories as trips
from tests.scholarships import factories as scholarships

pytestmark = pytest.mark.django_db


def queries_of(client, address: str = "/dashboard/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def grow(cast) -> None:
    """More of everything: other associations, provinces, levels, sectors, communes, years."""
    for association in cast.associations.values():
        factories.MemberFactory.create_batch(3, association=association)
        factories.BranchFactory(association=association)
        factories.ActivityFactory(association=association, held_on=day(5, 1))
        plan = factories.WorkPlanFactory(association=association, year=YEAR + 1)
        factories.WorkPlanItemFactory.create_batch(2, plan=plan)
        trips.DelegationFactory(association=association, start_date=day(10, 1, 2022), status=Delegation.Status.CLOSED)
        trips.DelegationFactory(association=association, inbound=True, start_date=day(9, 9))
    for code in ("LA-CH", "LA-SV", "LA-XI", "LA-HO"):
        province = scholarships.province(code)
        for level in ("college", "short_course", "language"):
            enrollment = scholarships.EnrollmentFactory(student__lao_province=province, level=level)
            award = scholarships.AwardFactory(enrollment=enrollment)
            scholarships.PaymentFactory(award=award, month=day(2, 1), paid_on=day(2, 5))
        trips.RecoveryRecordFactory(lao_province=province, delegation__start_date=day(1, 5, 2015))
    communes = list(Commune.objects.order_by("code")[5:9])
    for index, sector in enumerate(("health", "education", "agriculture", "mine_action")):
        project = aid.AidProjectFactory(
            status="implementing", sector=sector, actual_start=day(3, 1, 2025), communes=communes[: index + 1]
        )
        aid.DisbursementFactory(project=project, date=day(3, 3, 2015 + index), amount=Decimal(1000))
        aid.DisbursementFactory(project=project, date=day(4, 4), amount=Decimal(2000))
        aid.ProgressReportFactory(project=project)


@pytest.mark.parametrize("reader", ["staff", "laos_leader"])
def test_the_dashboard_reads_as_many_queries_for_a_larger_world(reader, cast, world, login):
    client = login(getattr(cast, reader))
    small = queries_of(client)
    grow(cast)
    cache.clear()
    larger = queries_of(client)
    assert larger == small
    assert client.get("/dashboard/").context["data"]["union"]["members"] > 5


def test_a_second_request_reads_the_figures_from_the_cache(cast, world, login):
    client = login(cast.staff)
    first = queries_of(client)
    second = queries_of(client)
    assert second < first - 20  # the figures alone take dozens of queries
    assert queries_of(client, f"/dashboard/?year={YEAR - 1}") > second  # another year is computed once


def test_each_page_reads_a_fixed_number_of_queries(cast, world, login):
    client = login(cast.staff)
    bolikhamxay = scholarships.province("LA-BL")
    addresses = [
        reverse("dashboard_print"),
        reverse("dashboard_lao_province", args=[bolikhamxay.pk]),
        reverse("dashboard_country", args=["LA"]),
        reverse("dashboard_association", args=[cast.laos.pk]),
    ]
    before = {address: queries_of(client, address) for address in addresses}
    grow(cast)
    for _ in range(3):  # more partners, trips and missions tied to Bôlykhămxay
        partner = factories.PartnerFactory(lao_province=bolikhamxay)
        trip = trips.RecoveryRecordFactory(lao_province=bolikhamxay, delegation__start_date=day(1, 7, 2016)).delegation
        trip.partners.add(partner)
        aid.AidProjectFactory(donors=[aid.DonorFactory(country="LA", lao_province=bolikhamxay)])
    cache.clear()
    assert {address: queries_of(client, address) for address in addresses} == before


def test_saving_a_record_shows_at_once(cast, world, login):
    client = login(cast.staff)
    assert shown(client.get("/dashboard/"), "fig-members") == "5"
    factories.MemberFactory(association=cast.russia)
    assert shown(client.get("/dashboard/"), "fig-members") == "6"
    Member.objects.filter(association=cast.russia).first().delete()
    assert shown(client.get("/dashboard/"), "fig-members") == "5"


def test_a_saved_link_between_records_shows_at_once(cast, world, login):
    client = login(cast.staff)
    first = Commune.objects.order_by("code")[0]
    assert shown(client.get("/dashboard/"), f"fig-commune-{first.pk}") == "1"
    world["from_laos"].communes.add(first)  # many-to-many: no row of the project itself is saved
    assert shown(client.get("/dashboard/"), f"fig-commune-{first.pk}") == "2"


def test_a_change_no_signal_announces_shows_when_the_cache_expires(cast, world, login, clock, settings):
    client = login(cast.staff)
    assert shown(client.get("/dashboard/"), "fig-members") == "5"
    Member.objects.filter(association=cast.russia).update(status=Member.Status.LEFT)  # bulk: no signal
    assert shown(client.get("/dashboard/"), "fig-members") == "5"
    clock.shift(datetime.timedelta(seconds=settings.DASHBOARD_CACHE_SECONDS + 1))
    assert shown(client.get("/dashboard/"), "fig-members") == "3"


@pytest.mark.parametrize("page", ["dashboard_lao_province", "dashboard_country"])
def test_a_place_page_is_read_from_the_cache_until_a_record_changes(page, cast, world, login):
    client = login(cast.staff)
    bolikhamxay = scholarships.province("LA-BL")
    address = reverse(page, args=[bolikhamxay.pk if page == "dashboard_lao_province" else "LA"])
    first = queries_of(client, address)
    assert queries_of(client, address) < first - 5  # the place's figures come from the cache
    partner = factories.PartnerFactory(name="Hội hữu nghị Lào – Việt Nam mới", lao_province=bolikhamxay)
    response = client.get(address)  # a saved partner shows at once
    assert partner in response.context["partners"]
    # A leader's page is kept apart from the staff's: it lists what the leader may read.
    leader = login(cast.russia_leader).get(address)
    assert partner not in leader.context["partners"]
