"""The provincial officer reads the dashboard of the demo data in Chromium: the remains repatriated
since 1999 and the Lao students trained, another year through the selector, then a figure opened
into the list of the students it counts. A leader reads it on a phone."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_delegation_cycle import assert_fits_the_screen, go_to


@pytest.fixture(autouse=True)
def fresh_figures():
    """The live server shares this process's cache: start from figures computed on the demo data."""
    cache.clear()
    yield
    cache.clear()


def figure(page, testid: str) -> int:
    """The figure a tile or a row writes ("3.150" → 3150)."""
    locator = page.locator(f"[data-testid={testid}]")
    value = locator.locator(".dash-value")
    text = (value if value.count() else locator).inner_text()
    return int(re.sub(r"\D", "", text))


def test_the_provincial_office_reads_the_dashboard_and_opens_a_figure(new_page, log_in):
    """One test: the demo data is loaded once for the desktop and the phone."""
    page = log_in(new_page(), "province")
    go_to(page, "dashboard")
    assert page.url.endswith("/dashboard/"), page.url
    expect(page.locator("[data-testid=section-remains]")).to_be_visible()
    assert figure(page, "fig-remains-total") == 769
    trained_to_date = figure(page, "fig-trained")
    assert trained_to_date > 3000

    with page.expect_navigation():
        page.select_option("[data-testid=year-select]", "2025")
    assert page.url.endswith("?year=2025"), page.url
    expect(page.locator("[data-testid=year-select]")).to_have_value("2025")
    expect(page.locator("h1")).to_contain_text("2025")
    trained = figure(page, "fig-trained")
    assert 0 < trained <= trained_to_date  # trained by the end of 2025
    assert figure(page, "fig-remains-total") == 769  # the total to date, whatever the year
    # The tables folded under the charts are printed with them.
    expect(page.locator("[data-testid=table-aid]")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator("[data-testid=table-aid]")).to_be_visible()
    expect(page.locator("[data-testid=main-nav]")).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_navigation():
        page.click("[data-testid=fig-trained]")
    assert "/scholarships/students/" in page.url and "trained_by=2025" in page.url, page.url
    count = page.locator("[data-testid=result-count]").inner_text()
    assert int(re.sub(r"\D", "", count)) == trained

    # A leader on a phone: their association's figures, told so, nothing wider than the screen.
    phone = log_in(new_page(PHONE), "leader.laos")
    phone.goto("/dashboard/")
    expect(phone.locator("[data-testid=scoped-note]")).to_be_visible()
    expect(phone.locator("[data-testid=fig-studying]")).to_be_visible()
    assert_fits_the_screen(phone)
    phone.goto("/dashboard/print/")
    expect(phone.locator("[data-testid=print-button]")).to_be_visible()
    assert_fits_the_screen(phone)
