"""Every aid page renders for union staff and the provincial office, and every workflow step can be
taken through its page. The rights of each role and the query counts are tested elsewhere."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from aid_projects import services
from aid_projects.models import AidProject, Disbursement, ProgressReport
from tests.aid_projects.factories import TODAY, DonorFactory, ProgressReportFactory, commune, project_in

Status = AidProject.Status


def url(name, *args):
    return reverse(f"aid_projects:{name}", args=args)


def disburse(project, *, actor, amount="20000", day=datetime.date(2025, 6, 1), form="cash"):
    return services.disbursement_record(
        actor=actor,
        instance=Disbursement(
            project=project, date=day, amount=Decimal(amount), currency="USD", exchange_rate=Decimal(25400), form=form
        ),
    )


@pytest.fixture
def aid(cast):
    """A donor with a running project that has money and reports, an approved one not started, a proposal."""
    donor = DonorFactory(name="Good Neighbors International")
    running = project_in(
        Status.IMPLEMENTING,
        code="VT-2025-001",
        donors=[donor],
        communes=[commune("18073")],
        title="Nước sạch Thành Sen",
    )
    disburse(running, actor=cast.staff)
    disburse(running, actor=cast.staff, amount="5000", day=datetime.date(2026, 1, 10), form="in_kind")
    approved = project_in(Status.APPROVED, code="VT-2025-002", donors=[donor], title="Trường mầm non Cẩm Xuyên")
    proposed = project_in(Status.PROPOSED, code="VT-2026-003", title="Học bổng cho học sinh nghèo")
    return {"donor": donor, "running": running, "approved": approved, "proposed": proposed}


@pytest.mark.parametrize("role", ["staff", "province"])
def test_every_page_renders(cast, login, aid, role):
    client = login(getattr(cast, role))
    running, donor = aid["running"], aid["donor"]

    assert client.get(url("index")).url == url("project_list")

    page = client.get(url("project_list"))
    assert page.status_code == 200
    text = page.content.decode()
    for code in ("VT-2025-001", "VT-2025-002", "VT-2026-003"):
        assert code in text
    assert "Good Neighbors International" in text
    assert "635.000.000" in text  # 25.000 USD disbursed at 25.400

    filtered = client.get(url("project_list"), {"status": "implementing", "q": "Good Neighbors", "disbursed_in": 2025})
    assert "VT-2025-001" in filtered.content.decode()
    assert "VT-2025-002" not in filtered.content.decode()
    export = client.get(url("project_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")

    detail = client.get(url("project_detail", running.pk))
    assert detail.status_code == 200
    text = detail.content.decode()
    for expected in ("Nước sạch Thành Sen", "14030", "85.000 USD", "Phường Thành Sen", "635.000.000 đ", "IATI"):
        assert expected in text, expected
    assert reverse("aid_projects:donor_detail", args=[donor.pk]) in text
    assert 'data-testid="reports"' in text
    assert 'data-testid="history"' in text

    for project in (aid["approved"], aid["proposed"]):
        assert client.get(url("project_detail", project.pk)).status_code == 200

    donors = client.get(url("donors"))
    assert donors.status_code == 200
    assert "Good Neighbors International" in donors.content.decode()
    donor_page = client.get(url("donor_detail", donor.pk))
    assert donor_page.status_code == 200
    assert "VT-2025-002" in donor_page.content.decode()

    yearly = client.get(url("yearly"))
    assert yearly.status_code == 200
    text = yearly.content.decode()
    assert 'id="aid-chart-data"' in text
    assert "vendor/chartjs/chart.umd.min.js" in text
    assert f"{url('project_list')}?disbursed_in=2025" in text
    for choice in ("2025", "all"):
        assert client.get(url("yearly"), {"year": choice}).status_code == 200

    alerts = client.get(url("alerts"))
    assert alerts.status_code == 200
    assert f'data-testid="not-started-{aid["approved"].pk}"' in alerts.content.decode()

    iati = client.get(url("iati"), {"q": "VT-2025"})
    assert iati.status_code == 200
    assert f'data-testid="exportable-{running.pk}"' in iati.content.decode()
    download = client.get(url("iati"), {"download": "1"})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert 'filename="iati-activities.xml"' in download["Content-Disposition"]
    assert b"VT-2025-001" in download.content
    assert b"VT-2026-003" not in download.content  # a proposal is not published

    for kind in ("projects", "disbursements"):
        template = client.get(url("import_template", kind))
        assert template.status_code == 200
        assert load_workbook(io.BytesIO(template.content)).active["A1"].value


def test_staff_pages(cast, login, aid):
    client = login(cast.staff)
    assert client.get(url("project_create")).status_code == 200
    assert client.get(url("project_update", aid["running"].pk)).status_code == 200
    assert client.get(url("import")).status_code == 200
    assert client.get(url("disbursement_create", aid["running"].pk)).status_code == 200
    report = aid["running"].reports.first()
    assert client.get(url("report_submit", report.pk)).status_code == 200
    assert client.get(reverse("home")).content.decode().count('data-nav="aid"') == 1


def test_empty_pages(cast, login):
    client = login(cast.province)
    for name in ("project_list", "donors", "yearly", "alerts", "iati"):
        assert client.get(url(name)).status_code == 200, name


def test_a_project_goes_through_its_whole_life_on_the_pages(cast, login):
    staff = login(cast.staff)
    donor = DonorFactory()
    data = {
        "code": "VT-2026-010",
        "title": "Bếp ăn bán trú",
        "kind": "project",
        "sector": "education",
        "summary": "Xây bếp ăn cho trường tiểu học.",
        "donors": [donor.pk],
        "managing_agency": "UBND tỉnh Hà Tĩnh",
        "aid_owner": "Sở Giáo dục và Đào tạo",
        "communes": [commune("18073").pk],
        "beneficiaries": "300",
        "planned_start": "01/01/2026",
        "planned_end": "31/12/2026",
        "currency": "USD",
        "commitment_amount": "10000",
        "exchange_rate": "25000",
        "counterpart_vnd": "0",
    }
    response = staff.post(url("project_create"), data)
    project = AidProject.objects.get(code="VT-2026-010")
    assert response.url == url("project_detail", project.pk)
    assert project.commitment_vnd == 250_000_000
    assert staff.post(url("project_update", project.pk), {**data, "beneficiaries": "320"}).status_code == 302

    def step(client, name, data=None, expect=None):
        response = client.post(url(f"project_{name}", project.pk), data or {})
        assert response.status_code == 302, response.content.decode()[:2000]
        project.refresh_from_db()
        assert project.status == expect

    step(staff, "send_to_appraisal", expect=Status.UNDER_APPRAISAL)

    province = login(cast.province)  # the same client, now logged in as the provincial office
    assert province.post(url("project_approve", project.pk), {}).status_code == 200
    refused = province.post(
        url("project_approve", project.pk), {"decision_number": "45/QĐ-UBND", "decision_date": "01/01/2099"}
    )
    assert refused.status_code == 200
    assert "45/QĐ-UBND" in refused.content.decode()  # what was typed stays on the form
    assert 'id="error_1_id_decision_date"' in refused.content.decode()  # the service's refusal, on its field
    step(province, "approve", {"decision_number": "45/QĐ-UBND", "decision_date": "02/01/2026"}, Status.APPROVED)
    assert login(cast.staff).post(url("project_approve", project.pk), {}).status_code == 403

    staff = login(cast.staff)
    step(staff, "start", {"date": "05/01/2026"}, Status.IMPLEMENTING)
    response = staff.post(
        url("disbursement_create", project.pk),
        {"date": "10/02/2026", "amount": "4000", "currency": "USD", "exchange_rate": "25000", "form": "cash"},
    )
    assert response.status_code == 302
    assert project.disbursements.get().amount_vnd == 100_000_000

    province = login(cast.province)
    step(
        province,
        "adjust",
        {
            "decision_number": "90/QĐ-UBND",
            "decision_date": "01/04/2026",
            "comment": "Gia hạn",
            "planned_end": "31/03/2027",
        },
        Status.ADJUSTED,
    )

    staff = login(cast.staff)
    step(staff, "complete", {"date": "10/04/2026"}, Status.COMPLETED)
    settle = staff.post(url("project_settle", project.pk))
    assert settle.status_code == 200  # the completion report is not in yet: said on the step's page
    assert "alert-danger" in settle.content.decode()
    completion = project.reports.get(kind=ProgressReport.Kind.COMPLETION)
    response = staff.post(
        url("report_submit", completion.pk), {"submitted_on": "14/04/2026", "narrative": "Đã bàn giao."}
    )
    assert response.status_code == 302
    step(staff, "settle", expect=Status.SETTLED)

    detail = staff.get(url("project_detail", project.pk)).content.decode()
    assert "Bếp ăn bán trú" in detail
    assert 'data-testid="action-' not in detail  # a settled project has no step left


def test_reject_and_revoke_on_the_pages(cast, login):
    proposal = project_in(Status.UNDER_APPRAISAL)
    approved = project_in(Status.APPROVED)
    late = project_in(Status.APPROVED, decided_on=TODAY - datetime.timedelta(days=30))
    client = login(cast.province)

    detail = client.get(url("project_detail", late.pk)).content.decode()
    assert 'data-testid="action-revoke"' not in detail
    assert 'data-testid="revocable-from"' in detail
    assert 'data-testid="action-revoke"' in client.get(url("project_detail", approved.pk)).content.decode()

    assert client.post(url("project_reject", proposal.pk), {"comment": ""}).status_code == 200  # the reason is required
    assert client.post(url("project_reject", proposal.pk), {"comment": "Thiếu hồ sơ"}).status_code == 302
    assert client.post(url("project_revoke", approved.pk), {"comment": "Quá 6 tháng"}).status_code == 302
    assert client.post(url("project_revoke", late.pk), {"comment": "Quá sớm"}).status_code == 200
    statuses = dict(AidProject.objects.values_list("pk", "status"))
    assert statuses == {proposal.pk: Status.REJECTED, approved.pk: Status.REVOKED, late.pk: Status.APPROVED}


def test_an_upload_goes_to_its_import_job(cast, login):
    client = login(cast.staff)
    template = client.get(url("import_template", "disbursements")).content
    upload = SimpleUploadedFile("giai-ngan.xlsx", template)
    response = client.post(url("import"), {"kind": "disbursements", "disbursements-file": upload})
    assert response.status_code == 302
    assert response.url.startswith("/imports/")


def test_the_admin_shows_the_aid_records(cast, login, aid):
    client = login(cast.admin)
    running = aid["running"]
    pages = [
        reverse("admin:aid_projects_aidproject_changelist"),
        reverse("admin:aid_projects_aidproject_change", args=[running.pk]),
        reverse("admin:aid_projects_disbursement_changelist"),
        reverse("admin:aid_projects_disbursement_change", args=[running.disbursements.first().pk]),
        reverse("admin:aid_projects_progressreport_changelist"),
        reverse("admin:aid_projects_commune_changelist"),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_each_list_of_the_alerts_page_shows_ten_rows_at_a_time_the_oldest_first(cast, login):
    """Twelve reports overdue and twelve approvals not started: ten of each, each list paged on its own."""
    project = ProgressReportFactory().project  # under way, owing this one report only
    reports = [  # overdue by 30 days down to 19
        ProgressReport.objects.create(
            project=project,
            kind=ProgressReport.Kind.SIX_MONTH,
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 6, 1) + datetime.timedelta(days=number),
            due_on=TODAY - datetime.timedelta(days=30 - number),
        )
        for number in range(12)
    ]
    approvals = [
        project_in(Status.APPROVED, decided_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=number))
        for number in range(12)
    ]
    client = login(cast.staff)

    first = client.get(url("alerts"))
    second = client.get(url("alerts"), {"overdue_page": 2, "not_started_page": 2})

    owed = sorted(ProgressReport.objects.all(), key=lambda report: report.due_on)  # the twelve, and the factory's
    assert len(owed) == 13 and set(reports) < set(owed)
    assert [report.pk for report in first.context["overdue"]] == [report.pk for report in owed[:10]]
    assert [report.pk for report in second.context["overdue"]] == [report.pk for report in owed[10:]]
    assert [project.pk for project in first.context["not_started"]] == [project.pk for project in approvals[:10]]
    assert [project.pk for project in second.context["not_started"]] == [project.pk for project in approvals[10:]]
    assert 'href="?overdue_page=2"' in first.content.decode()
