"""Reports in Chromium, built in-process as the tests run tasks eagerly: union staff request the 2025
budget summary on the reports page and download the workbook; they prepare a Lao-association
delegation's post-trip report again from its page and download the .docx; the Russia association's
leader is refused that delegation's report file."""

import datetime
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from delegations.models import BudgetLine, Delegation
from delegations.reports import KIND as TRIP_REPORT
from friendship_portal.core import reports
from friendship_portal.core.models import Job
from friendship_portal.core.words import in_words_line
from friendship_portal.overview.summaries import budget_summary_workbook
from tests.aid_projects.factories import DisbursementFactory
from tests.delegations.factories import DelegationFactory, TripReportFactory
from tests.scholarships.factories import PaymentFactory

BUDGET_SUMMARY = "portal.budget_summary"
YEAR = 2025
SHEETS = ["Tổng hợp", "Học bổng", "Viện trợ", "Đoàn công tác"]
# A demo delegation of the Việt Nam – Lào association that is home and awaits its report, and one
# that has filed it.
RETURNED_LAO_TRIP = "Đoàn giao lưu văn hóa tại tỉnh Khăm Muộn"
REPORTED_LAO_TRIP = "Đoàn trao đổi kinh nghiệm đào tạo tiếng Việt tại Luông Pha Bang"
# The labels as the screens say them; the Vietnamese catalogue may lag behind the English.
DONE = re.compile(r"^\s*(Done|Đã hoàn thành)\s*$")


@pytest.fixture(autouse=True)
def records_of_2025(demo_accounts):
    """What the tests read, rather than the whole demo: the two Việt Nam – Lào trips of 2025, one home
    and awaiting its report, one reported; a month of a Lao student's allowance and a disbursement of
    aid paid in 2025, so that each sheet of the budget summary has a figure."""
    returned = DelegationFactory(
        title=RETURNED_LAO_TRIP,
        status=Delegation.Status.RETURNED,
        start_date=datetime.date(2025, 11, 3),
        report_due_on=datetime.date(2025, 11, 22),
        members=3,
    )
    reported = DelegationFactory(
        title=REPORTED_LAO_TRIP, status=Delegation.Status.REPORTED, start_date=datetime.date(2025, 4, 7), members=3
    )
    TripReportFactory(delegation=reported, actual_expenses=Decimal(88_200_000), submitted_by=demo_accounts["staff"])
    for delegation in (returned, reported):
        BudgetLine.objects.create(delegation=delegation, item="Vé máy bay, phương tiện", amount=Decimal(48_000_000))
        BudgetLine.objects.create(delegation=delegation, item="Công tác phí, lưu trú", amount=Decimal(36_500_000))
    PaymentFactory(month=datetime.date(YEAR, 9, 1), paid_on=datetime.date(YEAR, 9, 10))
    DisbursementFactory(date=datetime.date(YEAR, 4, 15))


def new_job_ids(before: set[int], kind: str) -> list[int]:
    return list(Job.objects.filter(kind=kind).exclude(pk__in=before).values_list("pk", flat=True))


def download(page, link, folder) -> str:
    """Click a download link, save the file under `folder`, return its path."""
    with page.expect_download() as info:
        link.click()
    file = info.value
    assert file.failure() is None, file.failure()
    path = folder / file.suggested_filename
    file.save_as(path)
    return str(path)


def document_text(path: str) -> str:
    """Every paragraph of a .docx, those in its tables (the ND 30/2020 heading is one) included."""
    document = docx.Document(path)
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(lines)


def lao_delegation_from_outbound_list(page, status: str, title: str) -> Delegation:
    """Find the delegation through the outbound list filtered by status and open it."""
    page.click("[data-testid=main-nav] [data-nav=delegations]")
    with page.expect_navigation():
        page.click("[data-testid=main-nav] [data-nav=outbound]")
    page.select_option("#id_status", status)
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert f"status={status}" in page.url, page.url
    link = page.locator("[data-testid=records] tbody tr td a", has_text=title)
    expect(link).to_have_count(1)
    with page.expect_navigation():
        link.click()
    delegation = Delegation.objects.get(title=title)
    assert page.url.endswith(f"/delegations/{delegation.pk}/"), page.url
    return delegation


def test_staff_request_the_budget_summary_and_download_it(page, log_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = set(Job.objects.values_list("pk", flat=True))

    log_in(page, "staff")
    with page.expect_navigation():
        page.click("[data-testid=main-nav] [data-nav=reports]")
    assert page.url.endswith("/reports/"), page.url
    form = page.locator("[data-testid=report-request-form]")
    form.locator("#id_kind").select_option(BUDGET_SUMMARY)
    form.locator("#id_year").fill(str(YEAR))
    with page.expect_navigation():
        form.locator("[data-testid=report-request]").click()

    assert page.url.endswith("/reports/"), page.url
    expect(page.locator(".alert-success")).to_contain_text(str(YEAR))
    created = new_job_ids(before, BUDGET_SUMMARY)
    assert len(created) == 1, created
    job = Job.objects.get(pk=created[0])
    assert job.params == {"year": YEAR}
    assert job.requested_by.username == "staff"

    row = page.locator(f"[data-testid=report-jobs] [data-testid=report-job-{job.pk}]")
    expect(row).to_be_visible()
    expect(row).to_contain_text(str(YEAR))
    # Eager tasks build it within the request; a running one would be followed until it finished.
    expect(row).to_have_attribute("data-state", re.compile("done|failed"), timeout=20_000)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    expect(row.locator("[data-role=state]")).to_have_text(DONE)
    expect(row.locator("[data-role=bar]")).to_have_text("100%")
    expect(row.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")

    path = download(page, row.locator(f"[data-testid=report-download-{job.pk}]"), tmp_path)
    assert path.endswith(f"tong-hop-kinh-phi-{YEAR}.xlsx"), path
    workbook = openpyxl.load_workbook(path)  # formulas as written, not computed values
    assert workbook.sheetnames == SHEETS
    summary = workbook["Tổng hợp"]
    assert summary["A2"].value == f"TỔNG HỢP KINH PHÍ NĂM {YEAR}"
    rows = {row[1].value: row for row in summary.iter_rows(min_col=1, max_col=3) if isinstance(row[1].value, str)}
    total = rows["Tổng cộng"][2].value
    assert isinstance(total, str) and total.startswith("=SUM(C"), total
    words = next(text for text in rows if text.startswith("Bằng chữ:"))
    assert words.endswith("đồng."), words
    spelled = words.removeprefix("Bằng chữ:").strip()
    assert spelled[:1].isupper() and re.search(r"[ỷệăâđơư]", spelled), spelled  # Vietnamese words, not digits
    assert not re.search(r"\d", spelled), spelled
    _content, figures = budget_summary_workbook(YEAR)  # the same data, read again here
    assert words == in_words_line(figures["grand_total"])
    # Each line of the summary reads the total of its own sheet.
    for line in (1, 2, 3):
        cell = next(row[2].value for row in rows.values() if row[0].value == line)  # STT: a number
        assert isinstance(cell, str) and cell.startswith("='"), cell


def test_staff_prepare_a_post_trip_report_again_and_download_it(page, log_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = set(Job.objects.values_list("pk", flat=True))

    log_in(page, "staff")
    delegation = lao_delegation_from_outbound_list(page, Delegation.Status.RETURNED, RETURNED_LAO_TRIP)
    assert delegation.association.code == "laos"
    section = page.locator("[data-testid=report-documents]")
    expect(section).to_be_visible()
    with page.expect_navigation():
        section.locator("[data-testid=prepare-report-document]").click()
    assert page.url.endswith(f"/delegations/{delegation.pk}/"), page.url
    expect(page.locator(".alert-success")).to_be_visible()

    created = new_job_ids(before, TRIP_REPORT)
    assert len(created) == 1, created
    job = Job.objects.get(pk=created[0])
    assert job.state == Job.State.DONE, job.error
    assert job.params == {"delegation_id": delegation.pk, "final": False}  # home, its report not filed yet

    link = section.locator("[data-testid=report-document-draft] [data-testid=download-report-draft]")
    expect(link).to_have_attribute("href", f"/reports/{job.pk}/download/")
    path = download(page, link, tmp_path)
    assert path.endswith(f"bao-cao-doan-{delegation.pk}-du-thao.docx"), path
    text = document_text(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO" in text
    assert delegation.title in text
    assert text.startswith("DỰ THẢO\n")


def test_another_associations_leader_may_not_download_the_report(new_page, log_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    delegation = Delegation.objects.get(title=REPORTED_LAO_TRIP)
    assert (delegation.association.code, delegation.status) == ("laos", Delegation.Status.REPORTED)
    # The final report, as filing the report prepares it (the task runs at once: tests run it eagerly).
    job = reports.report_request(kind=TRIP_REPORT, params={"delegation_id": delegation.pk, "final": True}, actor=None)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    url = f"/reports/{job.pk}/download/"

    # The Laos association's leader, whose delegation it is, reads it ...
    laos = log_in(new_page(), "leader.laos")
    response = laos.request.get(url)
    assert response.status == 200, response.status
    assert response.headers["content-disposition"].startswith("attachment"), response.headers
    assert response.body()[:2] == b"PK"  # a .docx is a zip

    # ... the Russia association's leader gets the refusal page, and no file.
    russia = log_in(new_page(), "leader.russia")
    response = russia.goto(url)
    assert response.status == 403
    assert "attachment" not in response.headers.get("content-disposition", "")
    expect(russia.locator("[data-testid=denied]")).to_be_visible()
    response = russia.goto(f"/delegations/{delegation.pk}/")
    assert response.status == 403
