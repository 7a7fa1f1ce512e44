"""Who may open which aid page and send which form, role by role.

Union staff keep the aid records and take the management steps; the provincial office takes the
decisions (approve, reject, adjust, revoke); the provincial office, the administrator and every
association leader read everything; a user without a role sees nothing; an anonymous visitor is sent
to log in. A refused form changes nothing, and a step sent in the wrong state neither.
"""

import io
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from aid_projects import services
from aid_projects import urls as aid_urls
from aid_projects.imports import DISBURSEMENT_IMPORT
from aid_projects.models import AidEvent, AidProject, Disbursement, ProgressReport
from aid_projects.views import STEPS
from friendship_portal.core.imports import template_workbook
from friendship_portal.core.models import Job
from tests.aid_projects.factories import TODAY, DonorFactory, commune, project_in, receive_reports
from tests.workbooks import FIRST_ROW

Status = AidProject.Status

READERS = ("province", "laos_leader", "admin")
ROLES = ("staff", *READERS, "outsider", "anonymous")
MANAGE_STEPS = [key for key, step in STEPS.items() if step.permission == "aid_projects.manage_aid"]
DECIDE_STEPS = [key for key, step in STEPS.items() if step.permission == "aid_projects.decide_aid"]


@pytest.fixture
def cast(module_cast):
    """Made once for the module: its many cases only read the users (tests/conftest.py)."""
    return module_cast


class World:
    """A donor and, made when first asked for, one aid record in each state, all through the services.

    The completed record has its completion report in, so it can be settled; the approved one was
    decided long enough ago to be revoked.
    """

    def __init__(self):
        self.donor = DonorFactory(name="Good Neighbors International")
        self.projects = {}

    def project(self, status: str) -> AidProject:
        if status not in self.projects:
            project = project_in(status, donors=[self.donor], communes=[commune("18073")])
            if status == Status.COMPLETED:
                receive_reports(project, ProgressReport.Kind.COMPLETION)
            self.projects[status] = project
        return self.projects[status]

    def open_report(self) -> ProgressReport:
        return self.project(Status.IMPLEMENTING).reports.filter(submitted_on__isnull=True).order_by("due_on").first()


@pytest.fixture
def world(cast):
    return World()


def url(name: str, *args) -> str:
    return reverse(f"aid_projects:{name}", args=args)


def step_url(key: str, project: AidProject) -> str:
    return url(f"project_{key}", project.pk)


def page_url(page: str, world: World) -> str:
    """The address of `page`: a page's name, `step:<key>`, `import_template:<kind>` or `iati_download`."""
    if page.startswith("step:"):
        key = page.split(":")[1]
        return step_url(key, world.project(STEPS[key].states[0]))
    if page.startswith("import_template:"):
        return url("import_template", page.split(":")[1])
    running = world.project(Status.IMPLEMENTING)
    addresses = {
        "project_detail": lambda: url("project_detail", running.pk),
        "project_update": lambda: url("project_update", running.pk),
        "disbursement_create": lambda: url("disbursement_create", running.pk),
        "report_submit": lambda: url("report_submit", world.open_report().pk),
        "donor_detail": lambda: url("donor_detail", world.donor.pk),
        "iati_download": lambda: url("iati") + "?download=1",
    }
    return addresses[page]() if page in addresses else url(page)


READ_PAGES = [
    "project_list", "project_detail", "donors", "donor_detail", "yearly", "alerts",
    "import_template:projects", "import_template:disbursements", "iati", "iati_download",
]  # fmt: skip
MANAGE_PAGES = [
    "project_create", "project_update", "disbursement_create", "report_submit", "import",
    *[f"step:{key}" for key in MANAGE_STEPS],
]  # fmt: skip
DECIDE_PAGES = [f"step:{key}" for key in DECIDE_STEPS]


def expected_get(role: str, page: str):
    if role == "anonymous":
        return "login"
    if role == "outsider":
        return 403
    if page in READ_PAGES:
        return 200
    if page in MANAGE_PAGES:
        return 200 if role == "staff" else 403
    return 200 if role == "province" else 403


def client_as(client, login, cast, role):
    return client if role == "anonymous" else login(getattr(cast, role))


def assert_status(response, expected, address):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': address}, safe='/')}"
    else:
        assert response.status_code == expected


def state_of(project: AidProject) -> tuple:
    """What a refused form must leave as it was: the record's state and its events."""
    project.refresh_from_db()
    return project.status, list(AidEvent.objects.filter(project=project).values_list("pk", flat=True))


def error_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


def actions(response) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z_]+)"', response.content.decode()))


# --- GET ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", READ_PAGES + MANAGE_PAGES + DECIDE_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_get_of_each_page_by_role(client, login, cast, world, role, page):
    address = page_url(page, world)

    response = client_as(client, login, cast, role).get(address)

    assert_status(response, expected_get(role, page), address)


def test_every_page_of_the_matrix_is_a_page_of_the_app():
    names = {pattern.name for pattern in aid_urls.urlpatterns}
    pages = {page.split(":")[0] for page in READ_PAGES + MANAGE_PAGES} | {f"project_{key}" for key in STEPS}
    pages = (pages - {"step", "iati_download"}) | {"index"}
    assert names == pages


@pytest.mark.parametrize("role", ("staff", *READERS))
def test_the_files_are_files_for_each_reader(login, cast, world, role):
    client = login(getattr(cast, role))
    running = world.project(Status.IMPLEMENTING)
    proposal = world.project(Status.PROPOSED)

    export = client.get(url("project_list"), {"export": "xlsx"})
    iati = client.get(url("iati"), {"download": "1"})
    template = client.get(url("import_template", "projects"))

    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="projects-{TODAY:%Y%m%d}.xlsx"' in export["Content-Disposition"]
    exported = load_workbook(io.BytesIO(export.content)).active
    codes = {row[0] for row in exported.iter_rows(min_row=FIRST_ROW, min_col=2, values_only=True)}
    assert {running.code, proposal.code} <= codes
    assert iati["Content-Type"] == "application/xml"
    assert running.code.encode() in iati.content
    assert proposal.code.encode() not in iati.content  # a proposal is not published
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value


@pytest.mark.parametrize("role", ("outsider", "anonymous"))
def test_the_excel_export_is_refused_without_a_role(client, login, cast, world, role):
    world.project(Status.IMPLEMENTING)
    address = url("project_list") + "?export=xlsx"

    response = client_as(client, login, cast, role).get(address)

    assert_status(response, expected_get(role, "project_list"), address)
    assert not response.get("Content-Type", "").startswith("application/vnd.openxmlformats")


# --- what each role is offered -------------------------------------------------------------------

ALL_STATES = [
    Status.PROPOSED,
    Status.UNDER_APPRAISAL,
    Status.APPROVED,
    Status.IMPLEMENTING,
    Status.ADJUSTED,
    Status.COMPLETED,
    Status.SETTLED,
    Status.REJECTED,
    Status.REVOKED,
]
OFFERED = {  # the step buttons on the detail page: (staff's, the provincial office's)
    Status.PROPOSED: ({"send_to_appraisal"}, set()),
    Status.UNDER_APPRAISAL: (set(), {"approve", "reject"}),
    Status.APPROVED: ({"start"}, {"revoke"}),
    Status.IMPLEMENTING: ({"complete"}, {"adjust"}),
    Status.ADJUSTED: ({"complete"}, {"adjust"}),
    Status.COMPLETED: ({"settle"}, set()),
    Status.SETTLED: (set(), set()),
    Status.REJECTED: (set(), set()),
    Status.REVOKED: (set(), set()),
}


@pytest.mark.parametrize("status", ALL_STATES)
@pytest.mark.parametrize("role", ("staff", *READERS))
def test_the_detail_page_offers_each_role_the_steps_of_the_state(login, cast, world, role, status):
    project = world.project(status)
    staff_steps, province_steps = OFFERED[status]
    expected = {"staff": staff_steps, "province": province_steps}.get(role, set())

    response = login(getattr(cast, role)).get(url("project_detail", project.pk))

    assert actions(response) == expected
    text = response.content.decode()
    for key in expected:
        assert step_url(key, project) in text
    is_staff = role == "staff"
    assert ('data-testid="edit"' in text) is (is_staff and status in AidProject.EDITABLE)
    assert ('data-testid="record-disbursement"' in text) is (is_staff and status in AidProject.DISBURSING)
    has_reports = project.reports.exists()
    assert ('data-testid="record-report-' in text) is (is_staff and has_reports)
    assert response.context["can_edit"] is (is_staff and status in AidProject.EDITABLE)


def test_an_approval_too_recent_to_revoke_offers_no_revoke(login, cast):
    recent = project_in(Status.APPROVED, decided_on=TODAY.replace(month=1))  # revocable from 15/07/2026

    response = login(cast.province).get(url("project_detail", recent.pk))

    assert actions(response) == set()
    assert 'data-testid="revocable-from"' in response.content.decode()


@pytest.mark.parametrize("role", READERS)
def test_readers_are_offered_no_change(login, cast, world, role):
    client = login(getattr(cast, role))
    running = world.project(Status.IMPLEMENTING)

    project_list = client.get(url("project_list"))
    detail = client.get(url("project_detail", running.pk))
    donors = client.get(url("donors"))

    assert project_list.context["create_url"] == ""
    assert project_list.context["can_import"] is False
    for testid in ("add", "import", "tab-import"):
        assert f'data-testid="{testid}"' not in project_list.content.decode(), testid
    assert url("import") not in donors.content.decode()
    text = detail.content.decode()
    for testid in ("edit", "record-disbursement", "record-report-", "action-complete", "action-start"):
        assert f'data-testid="{testid}' not in text, testid
    assert url("project_update", running.pk) not in text
    assert url("disbursement_create", running.pk) not in text
    assert detail.context["can_disburse"] is False
    assert detail.context["can_record_reports"] is False


def test_staff_are_offered_every_change(login, cast, world):
    client = login(cast.staff)
    running = world.project(Status.IMPLEMENTING)

    project_list = client.get(url("project_list"))
    detail = client.get(url("project_detail", running.pk))

    assert project_list.context["create_url"] == url("project_create")
    for testid in ("add", "import", "tab-import"):
        assert f'data-testid="{testid}"' in project_list.content.decode(), testid
    text = detail.content.decode()
    assert url("project_update", running.pk) in text
    assert url("disbursement_create", running.pk) in text
    assert url("report_submit", world.open_report().pk) in text
    assert "action-adjust" not in text  # the provincial office's decision


# --- POST --------------------------------------------------------------------------------------


def project_form(donor, **changes) -> dict:
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
    return {**data, **changes}


STEP_DATA = {  # a form each step's service accepts
    "send_to_appraisal": {},
    "approve": {"decision_number": "45/QĐ-UBND", "decision_date": "14/04/2026"},
    "reject": {"comment": "Thiếu hồ sơ pháp lý."},
    "start": {"date": "14/04/2026"},
    "adjust": {
        "decision_number": "90/QĐ-UBND",
        "decision_date": "14/04/2026",
        "comment": "Gia hạn thời gian thực hiện.",
        "planned_end": "30/06/2027",
    },
    "complete": {"date": "14/04/2026"},
    "settle": {},
    "revoke": {"comment": "Quá 6 tháng chưa triển khai."},
}


def test_every_step_has_a_form_to_post():
    assert set(STEP_DATA) == set(STEPS)


@pytest.mark.parametrize("key", list(STEPS))
@pytest.mark.parametrize("role", ROLES)
def test_post_each_step_by_role(client, login, cast, world, role, key):
    step = STEPS[key]
    project = world.project(step.states[0])
    before = state_of(project)
    address = step_url(key, project)
    allowed = "staff" if key in MANAGE_STEPS else "province"

    response = client_as(client, login, cast, role).post(address, STEP_DATA[key])

    if role == allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert response["Location"] == url("project_detail", project.pk)
        status, events = state_of(project)
        assert status == step.target
        assert len(events) == len(before[1]) + 1
    else:
        assert_status(response, expected_get(role, f"step:{key}"), address)
        assert state_of(project) == before


@pytest.mark.parametrize("role", ROLES)
def test_post_a_new_project_by_role(client, login, cast, world, role):
    address = url("project_create")

    response = client_as(client, login, cast, role).post(address, project_form(world.donor))

    created = AidProject.objects.filter(code="VT-2026-010").first()
    if role == "staff":
        assert response.status_code == 302
        assert response["Location"] == url("project_detail", created.pk)
        assert created.status == Status.PROPOSED
        assert list(created.donors.all()) == [world.donor]
    else:
        assert_status(response, expected_get(role, "project_create"), address)
        assert created is None
        assert not AidEvent.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_post_a_change_to_a_project_by_role(client, login, cast, world, role):
    project = world.project(Status.IMPLEMENTING)
    address = url("project_update", project.pk)
    data = project_form(
        world.donor,
        code=project.code,
        title=project.title,
        beneficiaries="4321",
        planned_start="01/03/2025",
        currency="USD",
        commitment_amount="85000",
        exchange_rate="25400",
    )
    before = state_of(project)

    response = client_as(client, login, cast, role).post(address, data)

    project.refresh_from_db()
    if role == "staff":
        assert response.status_code == 302, response.content.decode()[:3000]
        assert project.beneficiaries == 4321
    else:
        assert_status(response, expected_get(role, "project_update"), address)
        assert project.beneficiaries == 1200
        assert state_of(project) == before


@pytest.mark.parametrize("role", ROLES)
def test_post_a_disbursement_by_role(client, login, cast, world, role):
    project = world.project(Status.IMPLEMENTING)
    address = url("disbursement_create", project.pk)
    data = {"date": "10/04/2026", "amount": "4000", "currency": "USD", "exchange_rate": "25000", "form": "cash"}

    response = client_as(client, login, cast, role).post(address, data)

    if role == "staff":
        assert response.status_code == 302
        assert response["Location"] == url("project_detail", project.pk) + "#disbursements"
        assert project.disbursements.get().amount_vnd == 100_000_000
    else:
        assert_status(response, expected_get(role, "disbursement_create"), address)
        assert not Disbursement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_post_a_report_received_by_role(client, login, cast, world, role):
    report = world.open_report()
    address = url("report_submit", report.pk)
    data = {"submitted_on": "14/04/2026", "narrative": "Đã lắp đặt 12 hệ thống lọc nước."}

    response = client_as(client, login, cast, role).post(address, data)

    report.refresh_from_db()
    if role == "staff":
        assert response.status_code == 302
        assert (report.submitted_on, report.submitted_by) == (TODAY.replace(day=14), cast.staff)
    else:
        assert_status(response, expected_get(role, "report_submit"), address)
        assert (report.submitted_on, report.narrative, report.submitted_by) == (None, "", None)


@pytest.mark.parametrize("role", ROLES)
def test_post_an_import_by_role(client, login, cast, world, role):
    address = url("import")
    upload = SimpleUploadedFile("giai-ngan.xlsx", template_workbook(DISBURSEMENT_IMPORT))

    response = client_as(client, login, cast, role).post(
        address, {"kind": "disbursements", "disbursements-file": upload}
    )

    if role == "staff":
        assert response.status_code == 302
        job = Job.objects.get()
        assert response["Location"] == reverse("import_job", args=[job.pk])
        assert job.requested_by == cast.staff
    else:
        assert_status(response, expected_get(role, "import"), address)
        assert not Job.objects.exists()


# --- the wrong state ---------------------------------------------------------------------------

WRONG_STATE = {  # a state each step cannot be taken from (nor has already led to)
    "send_to_appraisal": Status.APPROVED,
    "approve": Status.PROPOSED,
    "reject": Status.IMPLEMENTING,
    "start": Status.UNDER_APPRAISAL,
    "adjust": Status.APPROVED,
    "complete": Status.APPROVED,
    "settle": Status.IMPLEMENTING,
    "revoke": Status.IMPLEMENTING,
}


def actor_of(cast, key: str):
    return cast.staff if key in MANAGE_STEPS else cast.province


@pytest.mark.parametrize("method", ("get", "post"))
@pytest.mark.parametrize("key", list(STEPS))
def test_a_step_in_the_wrong_state_goes_back_to_the_record_and_changes_nothing(login, cast, world, key, method):
    project = world.project(WRONG_STATE[key])
    assert project.status not in STEPS[key].states
    before = state_of(project)
    client = login(actor_of(cast, key))

    response = getattr(client, method)(step_url(key, project), STEP_DATA[key] if method == "post" else None)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == url("project_detail", project.pk)
    assert error_messages(response) == [services.InvalidTransition(project.status, STEPS[key].target).messages[0]]
    assert state_of(project) == before


@pytest.mark.parametrize("method", ("get", "post"))
@pytest.mark.parametrize("status", (Status.PROPOSED, Status.APPROVED, Status.SETTLED))
def test_a_disbursement_for_aid_not_disbursing_goes_back_to_the_record(login, cast, world, status, method):
    project = world.project(status)
    data = {"date": "10/04/2026", "amount": "4000", "currency": "USD", "exchange_rate": "25000", "form": "cash"}

    response = getattr(login(cast.staff), method)(
        url("disbursement_create", project.pk), data if method == "post" else None
    )

    assert response.status_code == 302
    assert response["Location"] == url("project_detail", project.pk)
    assert len(error_messages(response)) == 1
    assert not Disbursement.objects.exists()


def test_a_repeated_step_changes_nothing_more(login, cast, world):
    project = world.project(Status.UNDER_APPRAISAL)
    client = login(cast.province)
    client.post(step_url("approve", project), STEP_DATA["approve"])
    after_first = state_of(project)

    again = client.post(step_url("approve", project), STEP_DATA["approve"])

    assert again.status_code == 302
    assert state_of(project) == after_first
    assert after_first[0] == Status.APPROVED
