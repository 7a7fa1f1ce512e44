"""Every figure of the dashboard equals the count made by hand in tests/dashboard/world.py, for union
staff (the whole province) and for the Laos leader (their association's part scoped)."""

import pytest

from friendship_portal.core.display import format_number, format_vnd
from scholarships.models import Enrollment
from tests.dashboard.pages import by_testid, document, shown
from tests.dashboard.world import EXPECTED, EXPECTED_LEADER, YEAR

pytestmark = pytest.mark.django_db


def dashboard(client, year: int = YEAR):
    response = client.get("/dashboard/", {"year": year})
    assert response.status_code == 200
    return response


def check(data: dict, expected: dict) -> None:
    assert {key: data["union"][key] for key in expected["union"]} == expected["union"]
    assert {key: data["delegations"][key] for key in expected["delegations"]} == expected["delegations"]
    assert {key: data["students"][key] for key in expected["students"]} == expected["students"]
    budget = data["students"]["budget"]
    assert {key: budget[key] for key in expected["budget"]} == expected["budget"]
    assert {key: data["aid"][key] for key in expected["aid"]} == expected["aid"]
    assert {row["key"]: row["projects"] for row in data["aid"]["by_status"] if row["projects"]} == expected[
        "aid_by_status"
    ]
    assert {row["key"]: row["projects"] for row in data["aid"]["by_status_year"] if row["projects"]} == expected[
        "aid_by_status_year"
    ]


def test_staff_see_the_province(cast, world, login):
    response = dashboard(login(cast.staff))
    data = response.context["data"]
    assert response.context["scoped"] is False
    check(data, EXPECTED)


def test_leader_sees_their_association_and_the_province(cast, world, login):
    response = dashboard(login(cast.laos_leader))
    assert response.context["scoped"] is True
    check(response.context["data"], EXPECTED_LEADER)
    assert response.context["data"]["association_id"] == cast.laos.pk
    assert cast.laos.name in shown(response, "scoped-note")


def test_the_page_writes_each_figure(cast, world, login):
    response = dashboard(login(cast.staff))
    union, trips, students, money = EXPECTED["union"], EXPECTED["delegations"], EXPECTED["students"], EXPECTED["aid"]
    assert shown(response, "fig-associations") == "5"
    assert shown(response, "fig-members") == format_number(union["members"])
    assert shown(response, "fig-branches") == format_number(union["branches"])
    assert shown(response, "fig-activities") == format_number(union["activities"])
    assert shown(response, "fig-plan") == "3/5"
    assert shown(response, "fig-outbound") == str(trips["outbound"])
    assert shown(response, "fig-inbound") == str(trips["inbound"])
    assert shown(response, "fig-waiting-outbound") == "2"
    assert shown(response, "fig-waiting-inbound") == "1"
    assert shown(response, "fig-overdue") == "2"
    assert shown(response, "fig-missions") == "3"
    assert shown(response, "fig-studying") == str(students["studying"])
    assert shown(response, "fig-graduated") == "2"
    assert shown(response, "fig-trained") == "5"
    assert shown(response, "fig-supported") == "2"
    assert shown(response, "fig-budget-planned") == "100.000.000 đ"
    assert shown(response, "fig-budget-awarded") == "4.500.000 đ"
    assert shown(response, "fig-budget-paid") == "5.000.000 đ"
    assert shown(response, "fig-aid-disbursed") == format_vnd(money["disbursed"]) == "381.000.000 đ"
    assert shown(response, "fig-aid-receiving") == "2"
    assert shown(response, "fig-aid-projects") == "6"
    assert shown(response, "fig-aid-overdue-reports") == "1"
    assert shown(response, "fig-remains-total") == "22"
    assert shown(response, "fig-remains-year") == "10"


def test_rows_by_province_level_status_sector_and_commune(cast, world, login):
    response = dashboard(login(cast.staff))
    bolikhamxay, savannakhet = world["bolikhamxay"], world["savannakhet"]
    first, second = world["communes"]
    assert shown(response, f"fig-province-{bolikhamxay.pk}") == "2"
    assert shown(response, f"fig-province-{savannakhet.pk}") == "1"
    assert shown(response, f"fig-level-{Enrollment.Level.UNIVERSITY}") == "2"
    assert shown(response, f"fig-level-{Enrollment.Level.VOCATIONAL}") == "1"
    assert shown(response, "fig-aid-status-implementing") == "1"
    assert shown(response, "fig-aid-status-year-implementing") == "1"
    assert shown(response, "fig-aid-status-year-completed") == "0"  # ended in 2025
    assert shown(response, "fig-aid-status-settled") == "1"
    assert shown(response, "fig-sector-water_sanitation") == "1"
    assert shown(response, "fig-sector-education") == "2"
    assert shown(response, "fig-sector-health") == "0"  # not running in 2026, yet paid its last part in January
    assert shown(response, "fig-sector-health-disbursed") == "127.000.000 đ"
    assert shown(response, f"fig-commune-{first.pk}") == "1"
    assert shown(response, f"fig-commune-{first.pk}-disbursed") == "381.000.000 đ"
    assert shown(response, f"fig-commune-{second.pk}") == "1"
    assert shown(response, "fig-remains-2026-repatriated") == "10"
    assert shown(response, "fig-remains-2025-repatriated") == "7"
    assert shown(response, "fig-remains-2024-repatriated") == "5"
    assert shown(response, "fig-remains-1999-repatriated") == "0"
    assert shown(response, "fig-trend-outbound-2025") == "2"
    assert shown(response, "fig-trend-inbound-2026") == "3"
    assert shown(response, "fig-aid-year-2025-projects") == "1"
    # The proposed aid has no commune yet: it is in no commune's row, and every row opens its list.
    rows = document(response).xpath('//*[@data-testid="table-aid-commune"]/tbody/tr')
    assert len(rows) == 2
    assert all(row.xpath(".//a") for row in rows)


def test_the_band_is_written_with_where_the_year_stands(cast, world, login):
    response = dashboard(login(cast.staff))
    band = by_testid(response, "aid-band")
    assert "30–50" in band.text_content()
    assert band.xpath(".//*[@data-band]")[0].get("data-band") == "below"


def test_a_past_year_counts_that_year(cast, world, login):
    data = dashboard(login(cast.staff), year=YEAR - 1).context["data"]
    assert data["union"]["activities"] == 1
    assert data["union"]["plan_items"] == 1
    assert data["delegations"]["outbound"] == 2  # the 2025 report and the 2025 mission
    assert data["delegations"]["inbound"] == 0
    assert data["delegations"]["remains_total"] == 22  # to date, whatever the year chosen
    assert data["delegations"]["remains"][-1]["running_total"] == 12  # 2024 and 2025
    assert data["students"]["supported"] == 2  # the December and October 2025 allowances
    assert data["aid"]["receiving"] == 1
