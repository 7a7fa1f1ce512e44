"""A disbursement recorded in Chromium reaches the yearly figures: union staff read this year's
disbursed total on the aid yearly page, record 10.000 USD at 25.400 đ/USD on an implementing demo
project, see it in the project's disbursements at 254.000.000 đ, and find this year's total grown by
exactly that. The provincial office sees the project but is offered no "Record a disbursement"."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aid_projects.models import AidProject, Disbursement
from tests.aid_projects.factories import DisbursementFactory, project_in

AMOUNT = Decimal(10_000)
RATE = Decimal(25_400)
VND = AMOUNT * RATE  # 254.000.000 đ
NOTE = "Đợt giải ngân kiểm thử bằng trình duyệt"


@pytest.fixture(autouse=True)
def aid_under_way(demo_accounts):
    """The aid the test reads, rather than the whole demo: two projects under way since a year ago, one
    paid last year and this month, and a proposal that the "implementing" filter leaves out."""
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    running = [
        project_in(
            AidProject.Status.IMPLEMENTING,
            decided_on=year_ago - datetime.timedelta(days=30),
            started_on=year_ago,
            planned_start=year_ago,
            planned_end=today + datetime.timedelta(days=365),
        )
        for _ in range(2)
    ]
    DisbursementFactory(project=running[0], date=year_ago)
    DisbursementFactory(project=running[0], date=today.replace(day=1))
    project_in(AidProject.Status.PROPOSED)


def vnd(text: str) -> int:
    """'37.215.400.000 đ' → 37215400000: the portal's amounts, "." between thousands, "đ" after."""
    match = re.fullmatch(r"\s*(-?\d{1,3}(?:\.\d{3})*)\s*đ\s*", text)
    assert match, f"not an amount in đồng: {text!r}"
    return int(match.group(1).replace(".", ""))


def vnd_text(amount: int | Decimal) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đ"


def open_yearly(page) -> None:
    with page.expect_navigation():
        page.click("[data-testid=main-nav] [data-nav=aid]")
    with page.expect_navigation():
        page.click("[data-testid=tab-yearly]")
    assert page.url.endswith("/aid-projects/yearly/"), page.url


def this_years_figures(page, year: int) -> dict[str, int]:
    """This year's row of the yearly table (cash, in kind, total) and the table's grand total."""
    row = page.locator(f"[data-testid=yearly-table] [data-testid=year-{year}]")
    expect(row).to_be_visible()
    cells = row.locator("td")
    expect(cells).to_have_count(5)  # projects, cash, in kind, total, against the band
    return {
        "projects": int(cells.nth(0).inner_text().replace(".", "")),
        "cash": vnd(cells.nth(1).inner_text()),
        "in_kind": vnd(cells.nth(2).inner_text()),
        "total": vnd(cells.nth(3).inner_text()),
        "grand_total": vnd(page.locator("[data-testid=grand-total]").inner_text()),
    }


def test_a_disbursement_grows_this_years_total(page, new_page, log_in, demo_accounts):
    today = timezone.localdate()

    # --- union staff read this year's disbursed total ------------------------------------------
    log_in(page, "staff")
    open_yearly(page)
    before = this_years_figures(page, today.year)
    assert before["total"] == before["cash"] + before["in_kind"]

    # --- they open an implementing project from the filtered list -------------------------------
    with page.expect_navigation():
        page.click("[data-testid=tab-projects]")
    page.select_option("#id_status", AidProject.Status.IMPLEMENTING)
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert "status=implementing" in page.url, page.url
    first = page.locator("[data-testid=records] tbody tr").first.locator("td a").first
    expect(first).to_be_visible()
    with page.expect_navigation():
        first.click()
    match = re.search(r"/aid-projects/projects/(\d+)/$", page.url)
    assert match, page.url
    project = AidProject.objects.get(pk=int(match.group(1)))
    assert project.status == AidProject.Status.IMPLEMENTING
    assert project.actual_start is not None and project.actual_start <= today
    disbursed_before = vnd(page.locator("[data-testid=disbursed-total]").inner_text())
    disbursements_before = set(project.disbursements.values_list("pk", flat=True))

    # --- and record 10.000 USD at 25.400 đ/USD, in cash, today --------------------------------
    with page.expect_navigation():
        page.click("[data-testid=record-disbursement]")
    form = page.locator("[data-testid=disbursement-form]")
    expect(form).to_be_visible()
    form.locator("#id_date").fill(today.strftime("%d/%m/%Y"))
    form.locator("#id_amount").fill(str(AMOUNT))
    form.locator("#id_currency").select_option("USD")
    form.locator("#id_exchange_rate").fill(str(RATE))
    form.locator("#id_form").select_option(Disbursement.Form.CASH)
    form.locator("#id_note").fill(NOTE)
    with page.expect_navigation():
        form.locator("[data-testid=save]").click()

    assert re.search(rf"/aid-projects/projects/{project.pk}/#disbursements$", page.url), page.url
    expect(page.locator(".alert-success")).to_be_visible()
    added = project.disbursements.exclude(pk__in=disbursements_before)
    assert added.count() == 1
    disbursement = added.get()
    assert (disbursement.date, disbursement.amount, disbursement.currency) == (today, AMOUNT, "USD")
    assert (disbursement.exchange_rate, disbursement.amount_vnd) == (RATE, VND)
    assert disbursement.form == Disbursement.Form.CASH
    assert disbursement.recorded_by == demo_accounts["staff"]

    row = page.locator(f"[data-testid=disbursements] [data-testid=disbursement-{disbursement.pk}]")
    expect(row).to_be_visible()
    expect(row).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(row).to_contain_text("10.000 USD")
    expect(row).to_contain_text("25.400")
    expect(row).to_contain_text(NOTE)
    assert vnd(row.locator("td").last.inner_text()) == VND
    expect(row.locator("td").last).to_have_text(vnd_text(VND))  # "254.000.000 đ"
    assert vnd(page.locator("[data-testid=disbursed-total]").inner_text()) == disbursed_before + VND

    # --- back on the yearly page, this year has grown by exactly that --------------------------
    open_yearly(page)
    after = this_years_figures(page, today.year)
    assert after["total"] - before["total"] == VND
    assert after["cash"] - before["cash"] == VND
    assert after["in_kind"] == before["in_kind"]
    assert after["grand_total"] - before["grand_total"] == VND

    # --- the provincial office sees the project but records no disbursement --------------------
    office = log_in(new_page(), "province")
    response = office.goto(f"/aid-projects/projects/{project.pk}/")
    assert response.status == 200
    expect(office.locator("[data-testid=project-title]")).to_have_text(project.title)
    expect(office.locator(f"[data-testid=disbursement-{disbursement.pk}]")).to_be_visible()
    expect(office.locator("[data-testid=record-disbursement]")).to_have_count(0)
    response = office.goto(f"/aid-projects/projects/{project.pk}/disbursements/new/")
    assert response.status == 403
    expect(office.locator("[data-testid=denied]")).to_be_visible()
    assert project.disbursements.count() == len(disbursements_before) + 1
