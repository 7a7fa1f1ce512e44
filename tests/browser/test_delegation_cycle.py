"""An outbound delegation's whole way through the portal, each step taken by its role in Chromium:
staff propose and submit, the Laos association's leader endorses from "Waiting for me" on a phone,
the provincial office approves, the daily task brings the delegation home, staff file the report.
The Russia association's leader sees none of it."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from associations.models import Association, Partner
from delegations.models import Delegation
from delegations.services import delegations_follow_dates
from friendship_portal.core.display import person_name

Status = Delegation.Status

TITLE = "Đoàn công tác thăm và làm việc tại tỉnh Bôlykhămxay"
PARTNER = "Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay"
# The status labels as the screens say them; the Vietnamese catalogue may lag behind the English.
STATUS_LABELS = {
    Status.DRAFT: ("Draft", "Dự thảo"),
    Status.SUBMITTED: ("Submitted", "Đã trình"),
    Status.REPORTED: ("Reported", "Đã báo cáo"),
}


def status_label(status: str) -> re.Pattern:
    return re.compile(r"^\s*(" + "|".join(map(re.escape, STATUS_LABELS[status])) + r")\s*$")


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def open_phone_menu(page) -> None:
    """On a phone the navigation hides behind the toggler: open it and wait for it to finish opening."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def go_to(page, item: str, *, menu: str | None = None) -> None:
    """Follow an entry of the main navigation (opening the phone menu and a dropdown when needed)."""
    open_phone_menu(page)
    nav = page.locator("[data-testid=main-nav]")
    if menu:
        nav.locator(f"[data-nav={menu}]").click()
    with page.expect_navigation():
        nav.locator(f"[data-nav={item}]").click()


def log_out(page) -> None:
    open_phone_menu(page)
    page.click("[data-testid=account-menu]")
    with page.expect_navigation():
        page.click("[data-testid=logout]")
    assert "/accounts/login/" in page.url, page.url


def assert_fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


# The delegation entries of the main navigation per demo account: nothing waits for an administrator.
DELEGATION_ITEMS = {"delegations", "outbound", "inbound", "waiting", "overdue"}
NAVIGATION = {
    "staff": DELEGATION_ITEMS,
    "province": DELEGATION_ITEMS,
    "leader.laos": DELEGATION_ITEMS - {"overdue"},
    "leader.russia": DELEGATION_ITEMS - {"overdue"},
    "admin": DELEGATION_ITEMS - {"waiting", "overdue"},
}


def the_delegation() -> Delegation:
    return Delegation.objects.get(title=TITLE)


def test_outbound_delegation_from_proposal_to_report(page, phone_page, log_in, demo_accounts):
    laos = Association.objects.get(code="laos")
    for number in range(30):  # more partners than one page of choices
        Partner.objects.create(
            name=f"Đối tác hữu nghị số {number:02}", kind=Partner.Kind.FOREIGN_LOCALITY, country="LA"
        )
    Partner.objects.create(name=PARTNER, kind=Partner.Kind.FOREIGN_LOCALITY, country="LA", association=laos)
    today = timezone.localdate()
    start = today + datetime.timedelta(days=30)
    end = start + datetime.timedelta(days=4)

    # --- union staff draw up the proposal and submit it ------------------------------------
    log_in(page, "staff")
    go_to(page, "outbound", menu="delegations")
    expect(page.locator("[data-testid=tab-outbound]")).to_have_class(re.compile(r"\bactive\b"))
    page.click("[data-testid=add]")

    page.fill("#id_title", TITLE)
    page.select_option("#id_purpose", Delegation.Purpose.EXCHANGE)
    page.fill("#id_purpose_detail", "Trao đổi kinh nghiệm hợp tác giáo dục và y tế.")
    page.select_option("#id_association", label="Việt Nam – Lào")
    # The countries and the partners are searched as the clerk types (the partners asked of the portal).
    page.fill("#id_countries-ts-control", "Lào")
    page.locator("#id_countries-ts-dropdown .option", has_text=re.compile(r"^Lào$")).click()
    page.fill("#id_partners-ts-control", "Bôlykhămxay")
    page.locator("#id_partners-ts-dropdown .option", has_text=PARTNER).click()
    page.fill("#id_start_date", dmy(start))
    page.fill("#id_end_date", dmy(end))
    page.fill("#id_programme", "Ngày 1: hội đàm với Hội Hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay.")
    for commitment in ("commits_no_classified_documents", "commits_host_law", "commits_no_relatives"):
        page.check(f"#id_{commitment}")
    page.fill("[name=members-0-full_name]", "Nguyễn Thị Hằng")
    page.fill("[name=members-0-position]", "Phó Chủ tịch Liên hiệp")
    page.fill("[name=members-0-organization]", "Liên hiệp các tổ chức hữu nghị tỉnh")
    page.check("[name=members-0-is_head]")
    # A second member's row is added on the page, without saving first.
    expect(page.locator("[name=members-1-full_name]")).to_have_count(0)
    page.click("[data-testid=add-row-members]")
    page.fill("[name=members-1-full_name]", "Trần Văn Nam")
    page.fill("[name=members-1-organization]", "Sở Ngoại vụ")
    with page.expect_navigation():
        page.click("[data-testid=save]")

    delegation = the_delegation()
    assert page.url.endswith(f"/delegations/{delegation.pk}/"), page.url
    assert delegation.status == Status.DRAFT
    assert list(delegation.countries) == ["LA"]
    assert [partner.name for partner in delegation.partners.all()] == [PARTNER]
    assert delegation.members.count() == 2
    assert delegation.members.get(is_head=True).full_name == "Nguyễn Thị Hằng"
    expect(page.locator("[data-testid=status]")).to_have_text(status_label(Status.DRAFT))
    expect(page.locator("[data-testid=head]")).to_contain_text("Nguyễn Thị Hằng")

    page.click("[data-testid=action-submit]")
    # Every rule of Directive 38-CT/TW the plan breaks must be acknowledged with a reason.
    for reason in page.locator("textarea[name^=reason_]").all():
        reason.fill("Chuyến đi theo lời mời chính thức của tỉnh bạn.")
    with page.expect_navigation():
        page.click("[data-testid=confirm-submit]")
    expect(page.locator("[data-testid=status]")).to_have_text(status_label(Status.SUBMITTED))
    assert the_delegation().status == Status.SUBMITTED
    staff = demo_accounts["staff"]
    expect(page.locator("[data-testid=timeline]")).to_contain_text(person_name(staff))
    log_out(page)

    # --- the leader of another association sees nothing of it -------------------------------
    log_in(page, "leader.russia")
    go_to(page, "waiting")
    expect(page.locator(f"[data-testid=endorse-{delegation.pk}]")).to_have_count(0)
    expect(page.locator(f"[data-testid=waiting-{delegation.pk}]")).to_have_count(0)
    response = page.goto(f"/delegations/{delegation.pk}/")
    assert response.status == 403
    expect(page.locator("[data-testid=denied]")).to_be_visible()
    expect(page.locator("[data-testid=action-endorse]")).to_have_count(0)
    log_out(page)

    # --- the Laos association's leader endorses it from a phone, in two clicks ---------------
    phone = phone_page
    log_in(phone, "leader.laos")
    go_to(phone, "waiting")
    assert_fits_the_screen(phone)
    confirm = phone.locator(f"[data-testid=confirm-endorse-{delegation.pk}]")
    expect(confirm).to_be_hidden()
    phone.click(f"[data-testid=endorse-{delegation.pk}]")
    expect(confirm).to_be_visible()
    phone.fill(f"#endorse-comment-{delegation.pk}", "Ban Thường vụ Hội nhất trí.")
    with phone.expect_navigation():
        confirm.click()
    assert phone.url.endswith("/delegations/waiting/"), phone.url
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator(f"[data-testid=waiting-{delegation.pk}]")).to_have_count(0)
    assert the_delegation().status == Status.ENDORSED
    phone.goto(f"/delegations/{delegation.pk}/")
    expect(phone.locator("[data-testid=timeline]")).to_contain_text("Ban Thường vụ Hội nhất trí.")
    assert_fits_the_screen(phone)
    log_out(phone)

    # --- the provincial office approves it, with the decision's number and date --------------
    log_in(page, "province")
    go_to(page, "waiting")
    page.click(f"[data-testid=approve-{delegation.pk}]")
    page.fill("#id_decision_number", "125/QĐ-UBND")
    page.fill("#id_decision_date", dmy(today))
    with page.expect_navigation():
        page.click("[data-testid=confirm-step]")
    assert page.url.endswith("/delegations/waiting/"), page.url
    delegation = the_delegation()
    assert (delegation.status, delegation.decision_number, delegation.decision_date) == (
        Status.APPROVED,
        "125/QĐ-UBND",
        today,
    )
    log_out(page)

    # --- the daily task: the delegation leaves, and comes home ------------------------------
    delegations_follow_dates(today=end + datetime.timedelta(days=1))
    delegation = the_delegation()
    assert delegation.status == Status.RETURNED
    assert delegation.report_due_on is not None

    # --- union staff file the post-trip report -----------------------------------------------
    log_in(page, "staff")
    go_to(page, "waiting")
    with page.expect_navigation():
        page.click(f"[data-testid=open-{delegation.pk}]")
    expect(page.locator("[data-testid=report-due]")).to_contain_text(dmy(delegation.report_due_on))
    page.click("[data-testid=action-report]")
    page.fill("#id_results", "Ký kết biên bản ghi nhớ hợp tác giai đoạn 2026–2030.")
    page.fill("#id_actual_expenses", "48500000")
    with page.expect_navigation():
        page.click("[data-testid=confirm-report]")

    assert the_delegation().status == Status.REPORTED
    expect(page.locator("[data-testid=status]")).to_have_text(status_label(Status.REPORTED))
    expect(page.locator("[data-testid=report]")).to_contain_text("48.500.000 đ")
    expect(page.locator("[data-testid=timeline] li")).to_have_count(7)  # created … reported


def test_delegation_entries_of_the_navigation_per_role(new_page, log_in):
    seen = {}
    for username in NAVIGATION:
        page = log_in(new_page(), username)
        items = page.locator("[data-testid=main-nav] [data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)")
        seen[username] = set(items) & DELEGATION_ITEMS
    assert seen == NAVIGATION
