"""Every figure of the dashboard opens the list behind it, and that list, opened by the same user,
shows the same number: its count of records, or for an amount the sum over the records it lists.
"""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from aid_projects.models import Disbursement
from associations.models import WorkPlanItem
from delegations.models import RecoveryRecord
from tests.dashboard.pages import as_number, by_testid, figure_links
from tests.dashboard.world import YEAR

pytestmark = pytest.mark.django_db

# The provincial office reads what union staff read; the Laos leader sees their association's part.
READERS = ["staff", "laos_leader"]


# The figures each reader must find linked (the rest are rows: years, provinces, levels, sectors …).
MUST_LINK = {
    "fig-associations",
    "fig-members",
    "fig-branches",
    "fig-activities",
    "fig-plan",
    "fig-outbound",
    "fig-inbound",
    "fig-waiting-outbound",
    "fig-waiting-inbound",
    "fig-overdue",
    "fig-missions",
    "fig-studying",
    "fig-trained",
    "fig-graduated",
    "fig-supported",
    "fig-budget-planned",
    "fig-budget-awarded",
    "fig-budget-paid",
    "fig-aid-disbursed",
    "fig-aid-receiving",
    "fig-aid-projects",
    "fig-aid-overdue-reports",
    "fig-aid-status-implementing",
    "fig-aid-status-year-implementing",
    "fig-sector-water_sanitation",
    "fig-sector-health-disbursed",
    "fig-remains-total",
    "fig-remains-year",
    "fig-remains-2026-repatriated",
}


def year_of(address: str) -> int:
    query = parse_qs(urlsplit(address).query)
    return int((query.get("disbursed_in") or query.get("year") or [YEAR])[0])


def what_the_list_shows(client, testid: str, address: str, opened: dict | None = None):
    """Open the figure's list as the user and read the number that stands for the figure there
    (`opened` keeps the pages already opened: several figures share a list)."""
    opened = {} if opened is None else opened
    if address not in opened:
        opened[address] = client.get(address)
    response = opened[address]
    assert response.status_code == 200, f"{testid}: {address} answered {response.status_code}"
    context = response.context
    if "execution" in context:  # the scholarship budget page
        return context["execution"][testid.removeprefix("fig-budget-")]
    if "due_soon" in context:  # the aid alerts
        return context["overdue"].paginator.count
    records = context["page"].paginator.object_list
    if testid == "fig-plan":
        items = WorkPlanItem.objects.filter(plan__in=records)
        return f"{items.filter(status=WorkPlanItem.Status.DONE).count()}/{items.count()}"
    if testid.endswith("-committed"):
        return sum((project.commitment_vnd for project in records), Decimal(0))
    if testid.endswith("-disbursed") or (testid.startswith("fig-aid-year-") and not testid.endswith("-projects")):
        paid = Disbursement.objects.filter(project__in=records, date__year=year_of(address))
        return sum((row.amount_vnd for row in paid), Decimal(0))
    if testid == "fig-remains-total":
        return context["recovery_total"]["repatriated"]  # the card the delegation lists show
    if testid == "fig-remains-year" or testid.endswith(("-recovered", "-repatriated")):
        field = "remains_recovered" if testid.endswith("-recovered") else "remains_repatriated"
        return sum(RecoveryRecord.objects.filter(delegation__in=records).values_list(field, flat=True))
    return context["page"].paginator.count


def as_figure(testid: str, text: str):
    if testid == "fig-plan":
        return text.replace(" ", "")
    return as_number(text)


def mismatches_on(client, address: str, only: set | None = None) -> tuple[dict, set]:
    """{testid: (figure, what its list shows)} for the figures of the page at `address` that differ."""
    page = client.get(address)
    assert page.status_code == 200
    links = figure_links(page)
    found, opened = {}, {}
    for testid, (href, text) in links.items():
        if only is not None and testid not in only:
            continue
        figure, listed = as_figure(testid, text), what_the_list_shows(client, testid, href, opened)
        if testid == "fig-overdue" and "/overdue-reports/" not in href:
            # A leader's overdue reports: the outbound list here, the inbound one beside it.
            inbound = by_testid(page, "overdue-inbound-link").get("href")
            listed += what_the_list_shows(client, testid, inbound, opened)
        if isinstance(listed, str) or isinstance(figure, str):
            same = str(figure) == str(listed)
        else:
            same = Decimal(figure) == Decimal(listed)
        if not same:
            found[testid] = (figure, listed)
    return found, set(links)


@pytest.mark.parametrize("reader", READERS)
def test_every_figure_opens_a_list_with_the_same_number(reader, cast, world, login):
    client = login(getattr(cast, reader))
    found, linked = mismatches_on(client, "/dashboard/")
    assert linked >= MUST_LINK, f"not linked: {sorted(MUST_LINK - linked)}"
    assert len(linked) > 100  # the rows too: every year, province, level, status, sector and commune
    assert found == {}


def test_a_past_year_figures_open_their_lists_too(cast, world, login):
    client = login(cast.staff)
    found, _linked = mismatches_on(client, f"/dashboard/?year={YEAR - 1}")
    assert found == {}


@pytest.mark.parametrize("reader", READERS)
def test_the_association_page_figures_open_their_lists(reader, cast, world, login):
    found, linked = mismatches_on(login(getattr(cast, reader)), f"/dashboard/associations/{cast.laos.pk}/")
    assert linked == {"fig-members", "fig-branches", "fig-activities", "fig-plan"}
    assert found == {}


def test_the_province_page_student_figures_open_their_lists(cast, world, login):
    client = login(cast.staff)
    page = client.get(f"/dashboard/lao-provinces/{world['bolikhamxay'].pk}/")
    for testid, expected in {"place-studying": 2, "place-trained": 3, "place-graduated": 2}.items():
        element = by_testid(page, testid)
        assert as_number(element.text_content()) == expected
        listed = client.get(element.getparent().get("href")).context["page"].paginator.count
        assert listed == expected, testid
    level = by_testid(page, "place-level-university")
    assert as_number(level.text_content()) == 2
    assert client.get(level.get("href")).context["page"].paginator.count == 2
