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


PHONE_WIDTH = 375  # conftest.PHONE


def expect_within_the_phone(cell, what: str) -> None:
    """Seen on a 375 px screen as it opens: shown, and inside the screen's width."""
    expect(cell, f"{what} is hidden on a phone").to_be_visible()
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH + 1, (
        f"{what} ({cell.inner_text()!r}) lies at {box['x']:.0f}–{box['x'] + box['width']:.0f}px, off a 375px phone"
    )


def expect_no_sideways_scrolling(page) -> None:
    overflow = page.evaluate(
        """Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...[...document.querySelectorAll('.table-responsive')].map(box => box.scrollWidth - box.clientWidth)
        )"""
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a 375px phone"


def expect_record_list_on_a_phone(page, pages, row) -> dict:
    """A list drawn from RecordPages: its `phone_columns` shown within the screen, the others hidden.
    Returns the row's cells by column name."""
    assert pages.phone_columns, f"{pages.list_key} names no phone_columns"
    headers = page.locator("[data-testid=records] thead th")
    cells = row.locator("td")
    expect(headers).to_have_count(len(pages.list_columns))
    expect(cells).to_have_count(len(pages.list_columns))
    by_name = {}
    for index, name in enumerate(pages.list_columns):
        by_name[name] = cells.nth(index)
        if name in pages.phone_columns:
            expect_within_the_phone(headers.nth(index), f"the header of {name}")
            expect_within_the_phone(cells.nth(index), name)
        else:
            expect(headers.nth(index), f"the header of {name} shows on a phone").to_be_hidden()
            expect(cells.nth(index), f"{name} shows on a phone").to_be_hidden()
    expect_no_sideways_scrolling(page)
    return by_name


def expect_columns_on_a_phone(row, shown: tuple, hidden: tuple) -> None:
    """A hand-written table, whose cells say their column (`data-column`)."""
    for name in shown:
        expect_within_the_phone(row.locator(f"td[data-column={name}]"), name)
    for name in hidden:
        cell = row.locator(f"td[data-column={name}]")
        expect(cell).to_have_count(1)  # hidden, not missing
        expect(cell, f"{name} shows on a phone").to_be_hidden()


def test_on_a_phone_the_delegation_lists_show_status_and_due_date_without_scrolling(phone_page, log_in):
    from django.utils import timezone, translation

    from delegations.models import Delegation
    from delegations.views import INBOUND, OUTBOUND
    from tests.delegations.factories import DelegationFactory

    today = timezone.localdate()
    laos = Association.objects.get(code="laos")
    outbound = DelegationFactory(
        association=laos,
        status=Delegation.Status.RETURNED,
        title="Đoàn công tác Hội hữu nghị Việt Nam – Lào thăm và làm việc tại tỉnh Bôlykhămxay",
    )
    inbound = DelegationFactory(
        inbound=True,
        association=laos,
        status=Delegation.Status.COMPLETED,
        title="Đoàn đại biểu Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay thăm và làm việc tại Hà Tĩnh",
    )
    Delegation.objects.filter(pk__in=[outbound.pk, inbound.pk]).update(report_due_on=today)
    page = phone_page
    log_in(page, "staff")

    for address, pages, trip in [
        ("/delegations/outbound/", OUTBOUND, outbound),
        ("/delegations/inbound/", INBOUND, inbound),
    ]:
        page.goto(address)
        row = page.locator("[data-testid=records] tbody tr").first
        cells = expect_record_list_on_a_phone(page, pages, row)
        expect(cells["title"]).to_contain_text(trip.title[:20])
        expect_within_the_phone(cells["status"], "the status")
        expect_within_the_phone(cells["report_due_on"], "the report's due date")
        with translation.override("vi"):
            expect(cells["status"]).to_have_text(str(Delegation.Status(trip.status).label))
        expect(cells["report_due_on"]).to_have_text(today.strftime("%d/%m/%Y"))


def test_on_a_phone_the_overdue_reports_show_due_date_and_delay_without_scrolling(phone_page, log_in):
    import datetime

    from django.utils import timezone

    from delegations.models import Delegation
    from tests.delegations.factories import DelegationFactory

    due = timezone.localdate() - datetime.timedelta(days=75)
    trip = DelegationFactory(
        association=Association.objects.get(code="laos"),
        status=Delegation.Status.RETURNED,
        title="Đoàn công tác Hội hữu nghị Việt Nam – Lào thăm và làm việc tại tỉnh Bôlykhămxay",
    )
    Delegation.objects.filter(pk=trip.pk).update(report_due_on=due)
    page = phone_page
    log_in(page, "staff")
    page.goto("/delegations/overdue-reports/")

    row = page.locator(f"[data-testid=overdue-{trip.pk}]")
    expect_columns_on_a_phone(row, shown=("delegation", "due", "overdue"), hidden=("association", "returned"))
    expect(row.locator("td[data-column=due]")).to_have_text(due.strftime("%d/%m/%Y"))
    expect(row.locator("td[data-column=overdue] .badge")).to_be_visible()
    expect_no_sideways_scrolling(page)


def test_on_a_phone_the_scholarship_alerts_show_expiry_and_month_without_scrolling(phone_page, log_in):
    import datetime

    from django.utils import timezone

    from tests.scholarships.factories import EnrollmentFactory, PaymentFactory

    today = timezone.localdate()
    expires = today + datetime.timedelta(days=20)
    enrollment = EnrollmentFactory(
        student__full_name="Souksavanh Keobounphanh",
        student__passport_expiry=expires,
        student__residence_expiry=expires,
    )
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    payment = PaymentFactory(award__enrollment=enrollment, month=last_month)
    page = phone_page
    log_in(page, "staff")
    page.goto("/scholarships/alerts/")

    student = page.locator(f"[data-testid=expiring-{enrollment.student_id}]")
    expect_columns_on_a_phone(
        student,
        shown=("student", "expires"),
        hidden=("province", "passport", "passport-expiry", "residence-expiry"),
    )
    expires_cell = student.locator("td[data-column=expires]")
    expect(expires_cell).to_contain_text(expires.strftime("%d/%m/%Y"))
    expect(expires_cell.locator("[data-expiry=expiring]").first).to_be_visible()

    unpaid = page.locator(f"[data-testid=overdue-{payment.pk}]")
    expect_columns_on_a_phone(unpaid, shown=("month", "student", "amount"), hidden=("institution", "kind"))
    expect(unpaid.locator("td[data-column=month]")).to_have_text(last_month.strftime("%m/%Y"))
    expect_no_sideways_scrolling(page)


def test_on_a_phone_the_aid_alerts_show_due_dates_without_scrolling(phone_page, log_in):
    import datetime

    from django.utils import timezone

    from aid_projects.models import AidProject
    from tests.aid_projects.factories import AidProjectFactory, ProgressReportFactory

    today = timezone.localdate()
    title = "Xây dựng trường mầm non xã Mai Hoa, tài trợ của Tổ chức Tầm nhìn Thế giới"
    overdue = ProgressReportFactory(project__title=title, due_on=today - datetime.timedelta(days=40))
    due_soon = ProgressReportFactory(project__title=title, due_on=today + datetime.timedelta(days=10))
    idle = AidProjectFactory(
        title=title,
        status=AidProject.Status.APPROVED,
        decision_number="88/QĐ-UBND",
        decision_date=today - datetime.timedelta(days=400),
    )
    page = phone_page
    log_in(page, "staff")
    page.goto("/aid-projects/alerts/")

    for testid, report in [("overdue", overdue), ("due-soon", due_soon)]:
        row = page.locator(f"[data-testid={testid}-{report.pk}]")
        expect_columns_on_a_phone(row, shown=("due", "project"), hidden=("report", "period"))
        expect(row.locator("td[data-column=due]")).to_contain_text(report.due_on.strftime("%d/%m/%Y"))
    expect(page.locator(f"[data-testid=overdue-{overdue.pk}] td[data-column=due] .badge")).to_be_visible()

    row = page.locator(f"[data-testid=not-started-{idle.pk}]")
    expect_columns_on_a_phone(row, shown=("project", "revocable"), hidden=("decision",))
    expect_no_sideways_scrolling(page)


def test_on_a_phone_the_other_long_lists_show_their_key_columns_without_scrolling(phone_page, log_in):
    import datetime

    from django.utils import translation

    from aid_projects.models import AidProject
    from aid_projects.views import PROJECTS
    from associations.views import MEMBERS
    from scholarships.views import STUDENTS
    from tests import factories
    from tests.aid_projects.factories import AidProjectFactory
    from tests.scholarships.factories import EnrollmentFactory

    laos = Association.objects.get(code="laos")
    factories.MemberFactory(association=laos, full_name="Nguyễn Thị Phương Thảo")
    EnrollmentFactory(
        student__full_name="Souksavanh Keobounphanh", student__residence_expiry=datetime.date(2027, 8, 31)
    )
    AidProjectFactory(
        title="Xây dựng trường mầm non xã Mai Hoa, tài trợ của Tổ chức Tầm nhìn Thế giới",
        status=AidProject.Status.IMPLEMENTING,
        planned_end=datetime.date(2027, 6, 30),
    )
    page = phone_page
    log_in(page, "staff")

    page.goto("/associations/members/")
    cells = expect_record_list_on_a_phone(page, MEMBERS, page.locator("[data-testid=records] tbody tr").first)
    expect(cells["full_name"]).to_contain_text("Nguyễn Thị Phương Thảo")

    page.goto("/scholarships/students/")
    cells = expect_record_list_on_a_phone(page, STUDENTS, page.locator("[data-testid=records] tbody tr").first)
    expect(cells["full_name"]).to_contain_text("Souksavanh Keobounphanh")
    expect_within_the_phone(cells["residence_expiry"], "the residence card's expiry")
    expect(cells["residence_expiry"]).to_have_text("31/08/2027")

    page.goto("/aid-projects/projects/")
    cells = expect_record_list_on_a_phone(page, PROJECTS, page.locator("[data-testid=records] tbody tr").first)
    expect(cells["title"]).to_contain_text("Xây dựng trường mầm non")
    expect_within_the_phone(cells["status"], "the status")
    expect_within_the_phone(cells["planned_end"], "the planned end")
    with translation.override("vi"):
        expect(cells["status"]).to_have_text(str(AidProject.Status.IMPLEMENTING.label))
    expect(cells["planned_end"]).to_have_text("30/06/2027")
