"""The dashboard's pages: who may open them, the year selector, the print view, the page of a partner
place (a Lao province, a country) and of an association, and the ways to them from other pages."""

import pytest
from django.urls import reverse

from associations.models import LaoProvince, Member, Partner
from tests.dashboard.pages import as_number, by_testid, document, shown
from tests.dashboard.world import YEAR

pytestmark = pytest.mark.django_db

ROLES = ["staff", "province", "admin", "laos_leader", "russia_leader"]


def pages_of(cast) -> list[str]:
    """Every dashboard page a leader of Laos may open (the association's page is theirs)."""
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    return [
        reverse("dashboard"),
        reverse("dashboard_print"),
        reverse("dashboard_lao_province", args=[bolikhamxay.pk]),
        reverse("dashboard_country", args=["LA"]),
        reverse("dashboard_association", args=[cast.laos.pk]),
    ]


def test_someone_without_a_role_is_refused_every_page(cast, login):
    client = login(cast.outsider)
    for address in pages_of(cast):
        response = client.get(address)
        assert response.status_code == 403, address
        assert by_testid(response, "denied") is not None


def test_an_anonymous_visitor_is_sent_to_log_in(cast, client):
    for address in pages_of(cast):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_every_page(role, cast, world, login):
    client = login(getattr(cast, role))
    own = {"laos_leader": cast.laos, "russia_leader": cast.russia}.get(role, cast.laos)
    for address in [*pages_of(cast)[:4], reverse("dashboard_association", args=[own.pk])]:
        assert client.get(address).status_code == 200, address


def test_a_leader_cannot_open_another_associations_page(cast, login):
    client = login(cast.russia_leader)
    assert client.get(reverse("dashboard_association", args=[cast.laos.pk])).status_code == 404
    assert client.get(reverse("dashboard_association", args=[cast.russia.pk])).status_code == 200


def test_the_main_navigation_leads_to_the_dashboard(cast, login):
    page = login(cast.laos_leader).get("/")
    nav = document(page).xpath('//*[@data-testid="main-nav"]//a[@data-nav]')
    assert nav[0].get("data-nav") == "dashboard"
    assert nav[0].get("href") == reverse("dashboard")
    outsider = login(cast.outsider).get("/")
    assert not document(outsider).xpath('//a[@data-nav="dashboard"]')


def test_the_year_selector_changes_the_figures(cast, world, login):
    client = login(cast.staff)
    this_year = client.get(reverse("dashboard"))
    assert this_year.context["year"] == YEAR
    assert shown(this_year, "fig-activities") == "3"
    form = by_testid(this_year, "year-form")
    assert form.get("method") == "get"
    options = form.xpath(".//select[@name='year']/option")
    assert [option.get("value") for option in options if option.get("selected") is not None] == [str(YEAR)]
    assert {str(YEAR - 1), "2013"} <= {option.get("value") for option in options}

    last_year = client.get(reverse("dashboard"), {"year": YEAR - 1})
    assert last_year.context["year"] == YEAR - 1
    assert shown(last_year, "fig-activities") == "1"
    assert shown(last_year, "fig-outbound") == "2"
    assert by_testid(last_year, "fig-activities").get("href").endswith(f"year={YEAR - 1}")
    assert by_testid(last_year, "print-link").get("href") == f"{reverse('dashboard_print')}?year={YEAR - 1}"

    # A year that is no year, or far away, shows this year.
    assert client.get(reverse("dashboard"), {"year": "abc"}).context["year"] == YEAR
    assert client.get(reverse("dashboard"), {"year": 1900}).context["year"] == YEAR


def test_each_chart_has_its_data_and_a_table_with_a_caption(cast, world, login):
    response = login(cast.staff).get(reverse("dashboard"))
    page = document(response)
    charts = response.context["charts"]
    assert charts["aid"]["low"] == 30_000_000_000 and charts["aid"]["high"] == 50_000_000_000
    assert charts["aid"]["labels"][0] == 2013 and charts["aid"]["labels"][-1] == YEAR
    assert page.xpath('//script[@id="dashboard-charts"][@type="application/json"]')
    assert page.xpath('//script[contains(@src, "vendor/chartjs/chart.umd.min.js")]')
    assert not page.xpath('//script[contains(@src, "//")]')  # nothing from elsewhere
    for chart in ("aid", "delegations", "provinces", "levels", "budget"):
        canvas = by_testid(response, f"chart-{chart}")
        assert canvas.get("role") == "img" and canvas.get("aria-label")
        table = canvas.xpath("./following::table[1]")[0]
        assert table.xpath("./caption"), chart
    # The years' tables fold away on screen and are printed whole.
    assert len(page.xpath('//details[contains(@class, "chart-table")]')) == 3


def test_a_leader_is_told_what_is_theirs(cast, world, login):
    response = login(cast.laos_leader).get(reverse("dashboard"))
    assert cast.laos.name in by_testid(response, "scoped-note").text_content()
    staff = login(cast.staff).get(reverse("dashboard"))
    assert not document(staff).xpath('//*[@data-testid="scoped-note"]')


def test_the_print_view_is_a_plain_a4_page(cast, world, login, settings):
    response = login(cast.staff).get(reverse("dashboard_print"), {"year": YEAR - 1})
    assert response.status_code == 200
    page = document(response)
    assert not page.xpath('//nav[contains(@class, "navbar")]')
    assert not page.xpath('//*[@data-testid="main-nav"]')
    assert page.xpath('//link[contains(@href, "css/dashboard-print.css")]')
    assert page.xpath('//link[contains(@href, "vendor/bootstrap/css/bootstrap.min.css")]')
    assert page.xpath('//link[contains(@href, "vendor/fonts/be-vietnam-pro.css")]')
    assert by_testid(response, "union-name").text_content().strip() == settings.PORTAL_UNION_NAME
    assert page.xpath("//h1")[0].text_content().strip() in (f"Overview of {YEAR - 1}", f"Tổng quan năm {YEAR - 1}")
    assert "15/06/2026 09:00" in by_testid(response, "printed-at").text_content()
    button = by_testid(response, "print-button")
    assert button.get("data-print") is not None
    assert "no-print" in button.getparent().get("class")
    # The same figures, as tables.
    assert shown(response, "fig-activities") == "1"
    assert shown(response, "fig-remains-total") == "22"  # the total to date, whatever the year
    assert not page.xpath("//canvas")


def test_the_bolikhamxay_page_brings_its_missions_students_and_partners_together(cast, world, login):
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    response = login(cast.staff).get(reverse("dashboard_lao_province", args=[bolikhamxay.pk]))
    assert by_testid(response, "place-name").text_content().strip() == bolikhamxay.name_vi
    partner = world["partner"]
    assert by_testid(response, f"partner-{partner.pk}").get("href") == reverse(
        "associations:partner_detail", args=[partner.pk]
    )
    missions = document(response).xpath('//*[@data-testid="place-mission-rows"]/tbody/tr')
    assert len(missions) == 2  # this year's and last year's; Russia's went to Vientiane
    assert shown(response, "place-recovered") == "20"
    assert shown(response, "place-repatriated") == "17"
    mission = world["mission"].delegation
    row = by_testid(response, f"trip-{mission.pk}")
    assert row.xpath(".//a")[0].get("href") == reverse("delegations:detail", args=[mission.pk])
    assert as_number(shown(response, "place-outbound")) == 2
    assert shown(response, "place-studying") == "2"
    assert shown(response, "place-graduated") == "2"
    assert shown(response, "place-trained") == "3"
    assert shown(response, "place-paid") == "7.500.000 đ"  # the three payments made to its students
    # Aid from its donors: the Bôlykhămxay friendship association's project.
    project = world["from_laos"]
    assert by_testid(response, f"project-{project.pk}").get("href") == reverse(
        "aid_projects:project_detail", args=[project.pk]
    )
    assert shown(response, "place-aid-count") == "1"
    assert len(document(response).xpath('//*[@data-testid="place-provinces"]//a')) == 18


def test_a_trip_report_shows_its_agreements_on_the_place_page(cast, world, login):
    from tests.delegations.factories import TripReportFactory

    TripReportFactory(
        delegation=world["mission"].delegation, agreements="Tiếp tục phối hợp tìm kiếm mùa khô 2026–2027."
    )
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    response = login(cast.staff).get(reverse("dashboard_lao_province", args=[bolikhamxay.pk]))
    row = by_testid(response, f"trip-{world['mission'].delegation.pk}")
    assert "Tiếp tục phối hợp tìm kiếm" in row.text_content()


def test_a_leader_lists_only_their_delegations_on_a_place_page(cast, world, login):
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    response = login(cast.russia_leader).get(reverse("dashboard_lao_province", args=[bolikhamxay.pk]))
    assert not document(response).xpath('//*[@data-testid="place-delegation-rows"]')
    assert as_number(shown(response, "place-outbound")) == 2  # the province's totals
    assert by_testid(response, "own-delegations-note") is not None
    # The remains are the province's figures; another association's missions are not listed to them.
    assert shown(response, "place-recovered") == "20"
    assert not document(response).xpath('//*[@data-testid="place-mission-rows"]')
    assert by_testid(response, "own-missions-note") is not None


def test_a_leader_lists_their_own_missions_on_a_place_page(cast, world, login):
    bolikhamxay = LaoProvince.objects.get(iso_code="LA-BL")
    response = login(cast.laos_leader).get(reverse("dashboard_lao_province", args=[bolikhamxay.pk]))
    rows = document(response).xpath('//*[@data-testid="place-mission-rows"]/tbody/tr')
    assert len(rows) == 2  # both Bôlykhămxay missions are Việt Nam–Lào's
    assert all(row.xpath(".//a") for row in rows)


def test_the_country_page_of_laos_and_of_another_country(cast, world, login):
    client = login(cast.staff)
    laos = client.get(reverse("dashboard_country", args=["LA"]))
    assert laos.status_code == 200
    assert shown(laos, "place-studying") == "3"
    assert len(document(laos).xpath('//*[@data-testid="place-provinces"]//a')) == 18
    assert len(document(laos).xpath('//*[@data-testid="place-mission-rows"]/tbody/tr')) == 3
    russia = client.get(reverse("dashboard_country", args=["ru"]))
    assert russia.status_code == 200
    assert not document(russia).xpath('//*[@data-testid="place-students"]')
    assert not document(russia).xpath('//*[@data-testid="place-provinces"]')
    assert as_number(shown(russia, "place-outbound")) == 1  # the endorsed plan to Russia
    assert client.get(reverse("dashboard_country", args=["XX"])).status_code == 404
    assert client.get(reverse("dashboard_lao_province", args=[999_999])).status_code == 404


def partner_names(response) -> list[str]:
    links = document(response).xpath('//*[@data-testid="place-partners"]//a[starts-with(@data-testid, "partner-")]')
    return [link.text_content() for link in links]


def test_a_place_lists_its_partners_a_page_at_a_time_read_fresh_beside_the_cached_figures(cast, world, login, settings):
    from tests.factories import PartnerFactory

    settings.PLACE_PAGE_SIZE = 2
    for n in range(3):
        PartnerFactory(country="LA", name=f"Đối tác Lào {n}")

    def in_laos():
        return list(Partner.objects.filter(country="LA").order_by("name").values_list("name", flat=True))

    client = login(cast.staff)
    first = client.get(reverse("dashboard_country", args=["LA"]))
    assert shown(first, "partners-count") == str(len(in_laos())) != "2"
    names = partner_names(first)
    assert names == in_laos()[:2]
    assert document(first).xpath('//a[@rel="next"]')[0].get("href") == "?partners_page=2"

    PartnerFactory(country="LA", name="Đối tác Lào mới")  # the list is not the cached figures
    second = client.get(reverse("dashboard_country", args=["LA"]), {"partners_page": 2})
    assert shown(second, "partners-count") == str(len(in_laos()))
    names = partner_names(second)
    assert names == in_laos()[2:4]


def test_the_association_page(cast, world, login):
    response = login(cast.laos_leader).get(reverse("dashboard_association", args=[cast.laos.pk]))
    assert shown(response, "fig-members") == "3"
    assert shown(response, "fig-plan") == "2/3"
    history = {row["year"]: row for row in response.context["history"]}
    assert history[YEAR]["members"] == 3  # three joined in 2015 and stay; one left in 2026
    assert history[YEAR - 1]["members"] == 4
    assert history[YEAR - 1]["branches"] == 2 and history[YEAR - 1]["activities"] == 1
    assert by_testid(response, f"history-{YEAR}") is not None
    assert document(response).xpath('//script[@id="dashboard-charts"]')
    assert by_testid(response, "chart-history").get("role") == "img"
    links = document(response).xpath('//*[@data-testid="association-delegations"]//tbody//a')
    assert len(links) == 10  # the Laos association's delegations, newest first
    assert all(link.get("href").startswith("/delegations/") for link in links)


def test_record_pages_link_to_the_dashboard(cast, world, login):
    client = login(cast.staff)
    association = client.get(reverse("associations:association_detail", args=[cast.laos.pk]))
    assert by_testid(association, "dashboard-link").get("href") == reverse("dashboard_association", args=[cast.laos.pk])
    partner = world["partner"]
    detail = client.get(reverse("associations:partner_detail", args=[partner.pk]))
    assert by_testid(detail, "dashboard-province-link").get("href") == reverse(
        "dashboard_lao_province", args=[partner.lao_province_id]
    )
    assert by_testid(detail, "dashboard-country-link").get("href") == reverse("dashboard_country", args=["LA"])
    member = client.get(reverse("associations:member_detail", args=[Member.objects.first().pk]))
    assert member.status_code == 200
    assert not document(member).xpath('//*[starts-with(@data-testid, "dashboard-")]')


@pytest.mark.parametrize(("role", "landing"), [("province", "/dashboard/"), ("staff", "/"), ("laos_leader", "/")])
def test_the_provincial_office_lands_on_its_dashboard(cast, client, role, landing, settings):
    user = getattr(cast, role)
    user.set_password("Mật-khẩu-2026")
    user.save()

    response = client.post(reverse("login"), {"username": user.username, "password": "Mật-khẩu-2026"})

    assert (response.status_code, response["Location"]) == (302, landing)


def test_a_places_delegations_and_aid_come_a_page_at_a_time_of_the_newest(cast, world, login, settings):
    """Each list of a place page is paged on its own from the cached figures, and says when it holds only
    the newest rows (the totals above it count them all)."""
    from tests.aid_projects.factories import AidProjectFactory, DonorFactory
    from tests.delegations.factories import DelegationFactory

    settings.PLACE_PAGE_SIZE, settings.PLACE_LIST_ROWS = 2, 4
    for n in range(5):
        DelegationFactory(countries=["LA"], title=f"Đoàn sang Lào {n}", association=cast.laos)
        AidProjectFactory(donors=[DonorFactory(country="LA")])
    client = login(cast.staff)
    address = reverse("dashboard_country", args=["LA"])
    first = client.get(address)
    trips, projects = first.context["trip_rows"], first.context["project_rows"]
    assert (len(trips), trips.paginator.count, len(projects), projects.paginator.count) == (2, 4, 2, 4)
    html = document(first)
    assert {link.get("href") for link in html.xpath('//a[@rel="next"]')} >= {"?trips_page=2", "?aid_page=2"}
    assert len(html.xpath('//*[@data-testid="newest-only"]')) == 2  # the delegations and the aid: four of more
    assert first.context["trips"]["outbound"] + first.context["trips"]["inbound"] >= 5  # the totals count all

    # One list's next page leaves the other where it was.
    second = client.get(address, {"trips_page": 2})
    assert set(second.context["trip_rows"]).isdisjoint(trips)
    assert list(second.context["project_rows"]) == list(projects)


def test_the_association_page_is_cached_and_pages_its_delegations(cast, world, login, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from friendship_portal.core import figures
    from tests.delegations.factories import DelegationFactory

    settings.PLACE_PAGE_SIZE = 2
    for n in range(3):
        DelegationFactory(association=cast.laos, title=f"Đoàn của Hội {n}")
    client = login(cast.staff)
    address = reverse("dashboard_association", args=[cast.laos.pk])
    first = client.get(address)
    assert len(first.context["trip_rows"]) == 2 and first.context["trip_rows"].has_next()

    with CaptureQueriesContext(connection) as from_cache:
        second = client.get(address, {"trips_page": 2})
    assert set(second.context["trip_rows"]).isdisjoint(first.context["trip_rows"])
    figures.changed()  # as any saved record does
    with CaptureQueriesContext(connection) as worked_out:
        client.get(address)
    assert len(from_cache.captured_queries) < len(worked_out.captured_queries) - 3
