"""Importing aid projects and their disbursements from the Excel templates.

Each project row is known by its code and each disbursement by its project, date, amount, currency
and form, so a rerun updates and never duplicates. The file is all or nothing: any bad row refuses
the whole file, every bad row is reported with its line, and nothing is written.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from aid_projects import selectors
from aid_projects.imports import DISBURSEMENT_IMPORT, PROJECT_IMPORT
from aid_projects.models import AidEvent, AidProject, Commune, Disbursement, ProgressReport, Sector
from friendship_portal.core.imports import import_start
from friendship_portal.core.models import Job
from tests.aid_projects.factories import DonorFactory, commune, events_of, project_in
from tests.factories import PartnerFactory

State = Job.State
S = AidProject.Status
PROJECTS, DISBURSEMENTS = PROJECT_IMPORT.kind, DISBURSEMENT_IMPORT.kind
PROJECT_HEADERS = {column.key: column.header for column in PROJECT_IMPORT.columns}
DISBURSEMENT_HEADERS = {column.key: column.header for column in DISBURSEMENT_IMPORT.columns}
d = datetime.date

# One project as a clerk types it: two donors, a commune by name and a ward by its official code.
GOOD_PROJECT = {
    "code": "VT-2025-014",
    "title": "Nước sạch cho trường học",
    "kind": "project",
    "sector": "water_sanitation",
    "summary": "Lắp hệ thống lọc nước cho 12 trường tiểu học.",
    "donors": "Good Neighbors International; Cộng đồng người Việt Nam tại Lào",
    "managing_agency": "UBND tỉnh Hà Tĩnh",
    "aid_owner": "Sở Giáo dục và Đào tạo",
    "communes": "Xã Cẩm Xuyên; 18073",
    "beneficiaries": 1200,
    "planned_start": "01/03/2025",
    "planned_end": "31/12/2026",
    "currency": "USD",
    "commitment_amount": 85000,
    "exchange_rate": 25400,
    "counterpart_vnd": 150000000,
}


def project_row(**changes) -> dict:
    return {**GOOD_PROJECT, **changes}


def projects(count: int, **changes) -> list[dict]:
    """`count` different projects (codes VT-2025-001, VT-2025-002 …)."""
    return [project_row(code=f"VT-2025-{number:03d}", **changes) for number in range(1, count + 1)]


def xlsx(headers: dict, rows) -> bytes:
    """A workbook whose first sheet holds the template's headers then `rows` (dicts by column key)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers.values()))
    for values in rows:
        sheet.append([values.get(key, "") for key in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def vi(message: str, **values) -> str:
    """A message as the import writes it in Vietnamese (the portal's language)."""
    with translation.override("vi"):
        return gettext(message) % values if values else gettext(message)


def vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def donors(db):
    return [
        DonorFactory(name="Good Neighbors International", country="KR"),
        DonorFactory(overseas_vietnamese=True, name="Cộng đồng người Việt Nam tại Lào", country="LA"),
    ]


# --- the communes the rows name ----------------------------------------------------------------------


def test_the_69_communes_and_wards_of_2025_are_loaded_with_their_official_codes(db):
    assert Commune.objects.count() == 69
    assert sum(place.is_ward for place in Commune.objects.all()) == 9
    assert commune("18073").name == "Phường Thành Sen"
    assert commune("18673").name == "Xã Cẩm Xuyên"
    assert commune("18196").name == "Xã Sơn Kim 1"
    assert commune("18775").name == "Xã Kỳ Anh"


# --- a good file of projects ---------------------------------------------------------------------------


def test_good_file_creates_the_projects_with_their_donors_and_communes(cast, donors, run_import):
    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, projects(3)))

    assert (job.state, job.errors) == (State.DONE, [])
    assert (job.created_count, job.updated_count) == (3, 0)
    assert AidProject.objects.count() == 3
    project = AidProject.objects.get(code="VT-2025-002")
    assert (project.title, project.kind, project.sector, project.status) == (
        "Nước sạch cho trường học",
        AidProject.Kind.PROJECT,
        Sector.WATER_SANITATION,
        S.PROPOSED,
    )
    assert set(project.donors.all()) == set(donors)
    assert set(project.communes.values_list("code", flat=True)) == {"18673", "18073"}
    assert (project.planned_start, project.planned_end) == (d(2025, 3, 1), d(2026, 12, 31))
    assert (project.commitment_amount, project.exchange_rate) == (Decimal("85000"), Decimal("25400"))
    assert project.commitment_vnd == Decimal("2159000000")  # 85,000 × 25,400
    assert (project.beneficiaries, project.counterpart_vnd) == (1200, Decimal("150000000"))
    assert project.created_by == cast.staff
    [event] = events_of(project)
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        cast.staff,
        "",
        S.PROPOSED,
        vi("Imported from Excel."),
    )
    assert not project.reports.exists()


def test_a_running_project_is_imported_with_its_decision_and_owes_its_reports(cast, donors, run_import):
    running = project_row(
        status="implementing",
        actual_start="01/04/2025",
        decision_number="125/QĐ-UBND",
        decision_date="15/01/2025",
        decision_body="UBND tỉnh Hà Tĩnh",
    )

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [running]))

    assert job.state == State.DONE, job.errors
    project = AidProject.objects.get()
    assert (project.status, project.actual_start) == (S.IMPLEMENTING, d(2025, 4, 1))
    assert (project.decision_number, project.decision_date) == ("125/QĐ-UBND", d(2025, 1, 15))
    assert list(project.reports.values_list("kind", "due_on")) == [
        (ProgressReport.Kind.SIX_MONTH, d(2025, 7, 15)),
        (ProgressReport.Kind.YEARLY, d(2026, 1, 15)),
        (ProgressReport.Kind.SIX_MONTH, d(2026, 7, 15)),
        (ProgressReport.Kind.YEARLY, d(2027, 1, 15)),
        (ProgressReport.Kind.COMPLETION, d(2027, 6, 30)),
    ]


def test_labels_accents_and_case_are_tolerated(cast, donors, run_import):
    typed = project_row(
        kind=vi_label(AidProject.Kind.NON_PROJECT),
        sector=vi_label(Sector.HEALTH).upper(),
        status=vi_label(S.UNDER_APPRAISAL),
        donors="good neighbors international;cong dong nguoi viet nam tai lao",
        communes="xa cam xuyen ; PHUONG THANH SEN",
        currency="usd",
    )

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [typed]))

    assert job.state == State.DONE, job.errors
    project = AidProject.objects.get()
    assert (project.kind, project.sector, project.status, project.currency) == (
        AidProject.Kind.NON_PROJECT,
        Sector.HEALTH,
        S.UNDER_APPRAISAL,
        "USD",
    )
    assert project.donors.count() == 2
    assert set(project.communes.values_list("code", flat=True)) == {"18673", "18073"}


def test_an_amount_in_vnd_has_the_rate_one(cast, donors, run_import):
    row = project_row(currency="VND", commitment_amount=750000000, exchange_rate="")

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [row]))

    assert job.state == State.DONE, job.errors
    project = AidProject.objects.get()
    assert (project.exchange_rate, project.commitment_vnd) == (Decimal(1), Decimal("750000000"))


# --- importing again ------------------------------------------------------------------------------------


def test_importing_the_same_file_again_updates_and_creates_nothing(cast, donors, run_import):
    content = xlsx(PROJECT_HEADERS, projects(3))
    run_import(cast.staff, PROJECTS, content)

    again = run_import(cast.staff, PROJECTS, content)

    assert (again.state, again.created_count, again.updated_count) == (State.DONE, 0, 3)
    assert AidProject.objects.count() == 3
    assert AidEvent.objects.count() == 3  # no second "imported" event: the state did not change
    assert all(project.donors.count() == 2 for project in AidProject.objects.all())


def test_a_corrected_file_updates_the_projects_it_names(cast, donors, run_import):
    run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, projects(2)))
    corrected = projects(2)
    corrected[1].update(
        code="vt-2025-002", title="Nước sạch cho trường học vùng lũ", commitment_amount=90000,
        donors="Good Neighbors International", communes="",
    )  # fmt: skip

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, corrected))

    assert (job.state, job.created_count, job.updated_count) == (State.DONE, 0, 2)
    project = AidProject.objects.get(code="VT-2025-002")
    assert (project.title, project.commitment_vnd) == ("Nước sạch cho trường học vùng lũ", Decimal("2286000000"))
    assert list(project.donors.all()) == [donors[0]]
    assert not project.communes.exists()
    assert AidProject.objects.count() == 2


# --- bad rows --------------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_reason_and_nothing_is_written(cast, donors, run_import, vietnamese):
    recorded = project_in(S.PROPOSED, code="VT-2025-001", title="Tên cũ")
    before = (AidProject.objects.count(), AidEvent.objects.count())
    rows = [
        project_row(code="VT-2025-001", title="Tên mới"),                         # 2: good, an update
        project_row(code="VT-2025-003", donors="Quỹ Không Có Thật"),              # 3
        project_row(code="VT-2025-004", communes="Xã Cẩm Xuyên; Xã Paris"),       # 4
        project_row(code="VT-2025-005", planned_start="31/02/2025"),              # 5
        project_row(code="VT-2025-006", currency="XYZ"),                          # 6
        project_row(code="VT-2025-007", exchange_rate=""),                        # 7: USD without a rate
        project_row(code="vt-2025-001"),                                          # 8: line 2's code
        project_row(code="VT-2025-009", status="implementing", decision_number="125/QĐ-UBND",
                    decision_date="15/01/2025"),                                  # 9: no actual start
        project_row(code="VT-2025-010", donors="Quỹ Không Có Thật", planned_end="2026/13/45"),  # 10: two
        project_row(code="VT-2025-011"),                                          # 11: good
    ]  # fmt: skip

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, rows))

    assert job.state == State.REFUSED
    assert (job.created_count, job.updated_count) == (0, 0)
    reported = {error["line"]: error["messages"] for error in job.errors}
    assert sorted(reported) == [3, 4, 5, 6, 7, 8, 9, 10]
    unknown_donor = vi("“%(value)s” is not a donor in the partner directory", value="Quỹ Không Có Thật")
    assert reported[3] == [f"{PROJECT_HEADERS['donors']}: {unknown_donor}"]
    assert reported[4] == [
        f"{PROJECT_HEADERS['communes']}: "
        + vi("“%(value)s” is not one of the province's communes or wards", value="Xã Paris")
    ]
    assert reported[5] == [
        f"{PROJECT_HEADERS['planned_start']}: "
        + vi("“%(value)s” is not a date in the form dd/mm/yyyy", value="31/02/2025")
    ]
    assert reported[6] == [
        f"{PROJECT_HEADERS['currency']}: " + vi("“%(value)s” is not a currency the portal knows", value="XYZ")
    ]
    assert reported[7] == [vi("the exchange rate is required for an amount not in VND")]
    assert reported[8] == [vi("the code %(code)s is already on line %(line)d", code="VT-2025-001", line=2)]
    assert reported[9] == [vi("a project that has started needs its actual start")]
    assert reported[10] == [
        f"{PROJECT_HEADERS['donors']}: {unknown_donor}",
        f"{PROJECT_HEADERS['planned_end']}: "
        + vi("“%(value)s” is not a date in the form dd/mm/yyyy", value="2026/13/45"),
    ]
    assert (AidProject.objects.count(), AidEvent.objects.count()) == before
    recorded.refresh_from_db()
    assert recorded.title == "Tên cũ"


def test_a_partner_that_is_not_a_donor_is_refused(cast, donors, run_import, vietnamese):
    PartnerFactory(name="Sở Ngoại vụ tỉnh Bôlykhămxay")  # a foreign locality, not a donor

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [project_row(donors="Sở Ngoại vụ tỉnh Bôlykhămxay")]))

    assert job.state == State.REFUSED
    assert job.errors == [
        {
            "line": 2,
            "messages": [
                f"{PROJECT_HEADERS['donors']}: "
                + vi("“%(value)s” is not a donor in the partner directory", value="Sở Ngoại vụ tỉnh Bôlykhămxay")
            ],
        }
    ]
    assert not AidProject.objects.exists()


def test_a_project_without_donors_is_refused(cast, donors, run_import, vietnamese):
    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [project_row(donors=" ; ")]))

    assert job.state == State.REFUSED
    assert job.errors == [{"line": 2, "messages": [vi("%(column)s: required", column=PROJECT_HEADERS["donors"])]}]
    assert not AidProject.objects.exists()


def test_an_approved_project_needs_its_decision(cast, donors, run_import, vietnamese):
    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [project_row(status="approved")]))

    assert job.state == State.REFUSED
    assert job.errors == [{"line": 2, "messages": [vi("an approved project needs its decision number and date")]}]


def test_settled_aid_in_the_portal_is_not_changed_by_a_file_giving_it_another_state(
    cast, donors, run_import, vietnamese
):
    settled = project_in(S.SETTLED, code="VT-2025-001")

    reopened = project_row(
        code="VT-2025-001", status="implementing", actual_start="01/03/2025", decision_number="1/QĐ",
        decision_date="15/01/2025",
    )  # fmt: skip

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [reopened]))

    assert job.state == State.REFUSED
    assert job.errors == [
        {
            "line": 2,
            "messages": [
                vi(
                    "%(code)s is “%(status)s” and can no longer be changed",
                    code="VT-2025-001",
                    status=vi_label(S.SETTLED),
                )
            ],
        }
    ]
    settled.refresh_from_db()
    assert settled.status == S.SETTLED


def test_an_imported_completed_project_owes_the_reports_of_its_dates(cast, donors, run_import):
    done = project_row(
        status="completed", planned_start="01/03/2024", planned_end="31/12/2025", actual_start="01/03/2024",
        actual_end="31/12/2025", decision_number="125/QĐ-UBND", decision_date="15/01/2024",
    )  # fmt: skip

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [done]))

    assert job.state == State.DONE, job.errors
    assert list(AidProject.objects.get().reports.values_list("kind", "due_on")) == [
        (ProgressReport.Kind.SIX_MONTH, d(2024, 7, 15)),
        (ProgressReport.Kind.YEARLY, d(2025, 1, 15)),
        (ProgressReport.Kind.SIX_MONTH, d(2025, 7, 15)),
        (ProgressReport.Kind.YEARLY, d(2026, 1, 15)),
        (ProgressReport.Kind.COMPLETION, d(2026, 6, 30)),
    ]


def test_imported_settled_aid_owes_no_report(cast, donors, run_import):
    settled = project_row(
        status="settled", planned_start="01/03/2019", planned_end="31/12/2020", actual_start="01/03/2019",
        actual_end="31/12/2020", decision_number="125/QĐ-UBND", decision_date="15/01/2019",
    )  # fmt: skip

    job = run_import(cast.staff, PROJECTS, xlsx(PROJECT_HEADERS, [settled]))

    assert job.state == State.DONE, job.errors
    assert list(selectors.overdue_reports()) == []


# --- disbursements ---------------------------------------------------------------------------------------


@pytest.fixture
def running(cast):
    """VT-2025-014, implementing since 01/03/2025, and VT-2025-020, only proposed."""
    return {
        "running": project_in(S.IMPLEMENTING, code="VT-2025-014"),
        "proposed": project_in(S.PROPOSED, code="VT-2025-020"),
    }


GOOD_DISBURSEMENTS = [
    {"project": "VT-2025-014", "date": "15/04/2025", "amount": 12345.67, "currency": "USD", "exchange_rate": 25410.5,
     "note": "Đợt 1"},
    {"project": "vt-2025-014", "date": datetime.datetime(2025, 6, 10), "amount": 50000000, "currency": "VND",
     "form": "in_kind", "note": "Thiết bị lọc nước"},
]  # fmt: skip


def test_disbursements_are_imported_by_project_code_and_converted_to_vnd(cast, running, run_import):
    job = run_import(cast.staff, DISBURSEMENTS, xlsx(DISBURSEMENT_HEADERS, GOOD_DISBURSEMENTS))

    assert (job.state, job.errors, job.created_count) == (State.DONE, [], 2)
    rows = list(
        running["running"]
        .disbursements.order_by("date")
        .values_list("date", "amount", "currency", "exchange_rate", "amount_vnd", "form", "note", "recorded_by")
    )
    assert rows == [
        (d(2025, 4, 15), Decimal("12345.67"), "USD", Decimal("25410.5"), Decimal("313709648"), "cash", "Đợt 1",
         cast.staff.pk),
        (d(2025, 6, 10), Decimal("50000000"), "VND", Decimal(1), Decimal("50000000"), "in_kind", "Thiết bị lọc nước",
         cast.staff.pk),
    ]  # fmt: skip


def test_the_form_is_read_by_its_label(cast, running, run_import):
    row = GOOD_DISBURSEMENTS[0] | {"form": vi_label(Disbursement.Form.IN_KIND)}

    job = run_import(cast.staff, DISBURSEMENTS, xlsx(DISBURSEMENT_HEADERS, [row]))

    assert job.state == State.DONE, job.errors
    assert Disbursement.objects.get().form == Disbursement.Form.IN_KIND


def test_importing_the_same_disbursements_again_creates_nothing(cast, running, run_import):
    content = xlsx(DISBURSEMENT_HEADERS, GOOD_DISBURSEMENTS)
    run_import(cast.staff, DISBURSEMENTS, content)

    again = run_import(cast.staff, DISBURSEMENTS, content)

    assert (again.state, again.created_count, again.updated_count) == (State.DONE, 0, 2)
    assert Disbursement.objects.count() == 2


def test_bad_disbursement_rows_are_reported_and_nothing_is_written(cast, running, run_import, vietnamese):
    rows = [
        GOOD_DISBURSEMENTS[0],                                                      # 2: good
        {"project": "VT-2025-020", "date": "15/04/2025", "amount": 1000, "currency": "USD",
         "exchange_rate": 25400},                                                   # 3: only proposed
        {"project": "VT-2099-001", "date": "15/04/2025", "amount": 1000, "currency": "VND"},  # 4: no such code
        {"project": "VT-2025-014", "date": "28/02/2025", "amount": 1000, "currency": "VND"},  # 5: before start
        {"project": "VT-2025-014", "date": "16/04/2026", "amount": 1000, "currency": "VND"},  # 6: tomorrow
        {"project": "VT-2025-014", "date": "20/04/2025", "amount": 1000, "currency": "EUR"},  # 7: no rate
        GOOD_DISBURSEMENTS[0],                                                      # 8: line 2 again
    ]  # fmt: skip

    job = run_import(cast.staff, DISBURSEMENTS, xlsx(DISBURSEMENT_HEADERS, rows))

    assert job.state == State.REFUSED
    reported = {error["line"]: error["messages"] for error in job.errors}
    assert reported == {
        # The form's own rules (services.disbursement_check), named by the template's columns.
        3: [
            vi(
                "Disbursements are recorded only for aid being implemented or just completed, not “%(status)s”.",
                status=vi_label(S.PROPOSED),
            )
        ],
        4: [f"{DISBURSEMENT_HEADERS['project']}: " + vi("no aid project has the code %(code)s", code="VT-2099-001")],
        5: [f"{DISBURSEMENT_HEADERS['date']}: " + vi("The disbursement cannot be before the aid started.")],
        6: [f"{DISBURSEMENT_HEADERS['date']}: " + vi("A disbursement cannot be recorded in advance.")],
        7: [f"{DISBURSEMENT_HEADERS['exchange_rate']}: " + vi("Give the exchange rate of an amount not in VND.")],
        8: [vi("the same disbursement is already on line %(line)d", line=2)],
    }
    assert not Disbursement.objects.exists()


# --- who may import -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PROJECTS, DISBURSEMENTS])
@pytest.mark.parametrize("role", ["province", "laos_leader", "outsider", "admin"])
def test_only_staff_may_start_an_import(cast, donors, role, kind):
    content = xlsx(PROJECT_HEADERS, projects(1)) if kind == PROJECTS else xlsx(DISBURSEMENT_HEADERS, [])

    with pytest.raises(PermissionDenied):
        import_start(kind=kind, upload=SimpleUploadedFile("vien-tro.xlsx", content), actor=getattr(cast, role))

    assert not Job.objects.exists()
    assert not AidProject.objects.exists()
