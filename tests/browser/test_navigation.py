"""The navigation each role sees, the Vietnamese interface, the 403 page, the phone layout,
the language switch and logging out, driven through Chromium against the live server."""

import re

from playwright.sync_api import expect

from associations.models import Association

RECORDS = {"members", "branches", "leadership", "plans", "activities"}
READS_EVERYTHING = {"home", "associations", "association-records", *RECORDS, "partners"}
LEADS_ONE = {"home", "my-association", "association-records", *RECORDS, "partners"}

NAVIGATION = {
    "staff": READS_EVERYTHING,
    "province": READS_EVERYTHING,
    "admin": READS_EVERYTHING | {"admin"},
    "leader.laos": LEADS_ONE,
    "leader.russia": LEADS_ONE,
}
EVERY_ITEM = set().union(*NAVIGATION.values())
LEADS = {"leader.laos": "laos", "leader.russia": "russia"}

ENGLISH_LABELS = ("Home", "Members", "Partners", "Log out")


def nav_items(page) -> set[str]:
    return set(page.locator("[data-testid=main-nav] [data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)"))


def check_navigation(page, username: str) -> None:
    nav = page.locator("[data-testid=main-nav]")
    expected = NAVIGATION[username]

    # Only the items this file knows are checked: other areas (delegations …) add their own.
    items = nav_items(page) & EVERY_ITEM
    assert items == expected, f"missing {sorted(expected - items)}, should not see {sorted(items - expected)}"
    for name in sorted(EVERY_ITEM - expected):
        expect(nav.locator(f"[data-nav={name}]")).to_have_count(0)

    # The records dropdown opens and shows its five entries.
    nav.locator("[data-nav=association-records]").click()
    for name in sorted(RECORDS):
        expect(nav.locator(f"[data-nav={name}]")).to_be_visible()

    if username in LEADS:
        own = Association.objects.get(code=LEADS[username])
        expect(nav.locator("[data-nav=my-association]")).to_have_attribute("href", f"/associations/{own.pk}/")


def test_navigation_per_role(new_page, log_in):
    """Every demo role logs in through the form and sees its own menu (one test: the demo data is
    loaded once for the five roles; each role gets a fresh browser context)."""
    problems = {}
    for username in NAVIGATION:
        page = log_in(new_page(), username)
        try:
            check_navigation(page, username)
        except AssertionError as error:
            problems[username] = str(error).splitlines()[0]
    assert not problems, "navigation wrong for: " + "; ".join(f"{user}: {why}" for user, why in problems.items())


def test_interface_is_vietnamese(page, log_in):
    log_in(page, "staff")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    nav = page.locator("[data-testid=main-nav]")
    expect(nav.locator("[data-nav=home]")).to_have_text("Trang chủ")

    page.click("[data-testid=account-menu]")
    expect(page.locator("[data-testid=logout]")).to_be_visible()
    expect(page.locator("[data-testid=logout]")).to_have_text("Đăng xuất")

    navbar_text = page.locator("nav.navbar").text_content()
    left_in_english = [label for label in ENGLISH_LABELS if re.search(rf"\b{label}\b", navbar_text)]
    assert not left_in_english, f"English labels left in the navigation: {left_in_english}"


def test_leader_of_another_association_gets_the_403_page(page, log_in):
    laos = Association.objects.get(code="laos")
    log_in(page, "leader.russia")

    response = page.goto(f"/associations/{laos.pk}/edit/")
    assert response.status == 403
    denied = page.locator("[data-testid=denied]")
    expect(denied).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(denied).not_to_contain_text("Access denied")
    expect(denied).not_to_contain_text("You may not")
    expect(denied).not_to_contain_text("Back to the home page")


def test_phone_layout_collapses_the_navigation(phone_page, log_in):
    page = phone_page
    log_in(page, "staff")
    home_link = page.locator("[data-testid=main-nav] [data-nav=home]")
    toggler = page.locator(".navbar-toggler")

    expect(toggler).to_be_visible()
    expect(home_link).to_be_hidden()
    toggler.click()
    expect(home_link).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the home page is {overflow}px wider than a 375px phone"


def test_language_switch(page, log_in):
    log_in(page, "staff")
    page.goto("/associations/members/")
    select = page.locator("#language-select")

    with page.expect_navigation():
        select.select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=main-nav] [data-nav=home]")).to_have_text("Home")
    assert page.url.endswith("/associations/members/"), page.url

    with page.expect_navigation():
        page.locator("#language-select").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#language-select")).to_have_value("vi")
    assert page.url.endswith("/associations/members/"), page.url


def test_log_out(page, log_in):
    log_in(page, "province")
    page.click("[data-testid=account-menu]")
    with page.expect_navigation():
        page.click("[data-testid=logout]")
    assert "/accounts/login/" in page.url, page.url
    expect(page.locator("[data-testid=login]")).to_be_visible()

    page.goto("/")  # the session is really gone: the home page asks to log in again
    assert "/accounts/login/" in page.url, page.url
    expect(page.locator("[data-testid=main-nav]")).to_have_count(0)


def test_on_a_phone_the_delegation_list_shows_status_and_due_date_without_scrolling(phone_page, log_in):
    from django.utils import timezone

    from delegations.models import Delegation
    from tests.delegations.factories import DelegationFactory

    today = timezone.localdate()
    trip = DelegationFactory(
        association=Association.objects.get(code="laos"),
        status=Delegation.Status.RETURNED,
        title="Đoàn công tác Hội hữu nghị Việt Nam – Lào thăm và làm việc tại tỉnh Bôlykhămxay",
    )
    Delegation.objects.filter(pk=trip.pk).update(report_due_on=today)
    page = phone_page
    log_in(page, "staff")
    page.goto("/delegations/outbound/")

    row = page.locator("[data-testid=records] tbody tr").first
    expect(row).to_contain_text("Đoàn công tác Hội hữu nghị")
    expect(row).to_contain_text(today.strftime("%d/%m/%Y"))
    overflow = page.evaluate("(box => box.scrollWidth - box.clientWidth)(document.querySelector('.table-responsive'))")
    assert overflow <= 0, f"the list is {overflow}px wider than a 375px phone"
    for cell in row.locator("td").all():
        if cell.is_visible():
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= 375 + 1, cell.inner_text()


def test_on_a_phone_the_other_long_lists_show_their_key_columns_without_scrolling(phone_page, log_in):
    import datetime

    from tests import factories
    from tests.aid_projects.factories import AidProjectFactory
    from tests.scholarships.factories import EnrollmentFactory

    laos = Association.objects.get(code="laos")
    factories.MemberFactory(association=laos, full_name="Nguyễn Thị Phương Thảo")
    EnrollmentFactory(
        student__full_name="Souksavanh Keobounphanh", student__residence_expiry=datetime.date(2027, 8, 31)
    )
    AidProjectFactory(title="Xây dựng trường mầm non xã Mai Hoa, tài trợ của Tổ chức Tầm nhìn Thế giới")
    page = phone_page
    log_in(page, "staff")
    for address, key in [
        ("/associations/members/", "Nguyễn Thị Phương Thảo"),
        ("/scholarships/students/", "31/08/2027"),
        ("/aid-projects/projects/", "Xây dựng trường mầm non"),
    ]:
        page.goto(address)
        row = page.locator("[data-testid=records] tbody tr").first
        expect(row).to_contain_text(key)
        overflow = page.evaluate(
            "(box => box.scrollWidth - box.clientWidth)(document.querySelector('.table-responsive'))"
        )
        assert overflow <= 0, f"{address} is {overflow}px wider than a 375px phone"
