"""The IATI 2.03 file of the aid records: valid against the official schema, saying what the records say,
refusing what the standard's rules refuse, and costing the same few queries for ten records as for three.

The records are made through the services, as staff and the provincial office make them.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from lxml import etree

from aid_projects import services
from aid_projects.iati import iati_activities_xml, iati_problems
from aid_projects.models import DAC_CODES, AidProject, Commune, Disbursement, ProgressReport, Sector
from associations.models import Partner
from tests import factories

Status = AidProject.Status
REPO_ROOT = Path(__file__).resolve().parents[2]
# The official schema: the shared copy beside the repository when there is one, else the copy kept
# with these tests (iati-schema-2.03/, unchanged from the standard), so CI always validates.
SHARED_SCHEMA_DIR = REPO_ROOT.parent / "shared" / "iati-schema-2.03"
KEPT_SCHEMA_DIR = Path(__file__).resolve().parent / "iati-schema-2.03"
DEFAULT_SCHEMA_DIR = SHARED_SCHEMA_DIR if SHARED_SCHEMA_DIR.is_dir() else KEPT_SCHEMA_DIR
SCHEMA_DIR = Path(os.environ.get("IATI_SCHEMA_DIR") or DEFAULT_SCHEMA_DIR)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema():
    xsd = SCHEMA_DIR / "iati-activities-schema.xsd"
    if not xsd.is_file():
        pytest.skip(
            f"The official IATI 2.03 schema folder is missing: expected {SCHEMA_DIR} holding "
            "iati-activities-schema.xsd, iati-common.xsd and xml.xsd (set IATI_SCHEMA_DIR to use another folder)."
        )
    return etree.XMLSchema(etree.parse(str(xsd)))


def validated(schema, xml: bytes):
    """The parsed document, after asserting the schema accepts it (its errors shown when it does not)."""
    document = etree.fromstring(xml)
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)
    return document


@pytest.fixture
def donors(db):
    def partner(name, kind, country):
        return factories.PartnerFactory(name=name, kind=kind, country=country, association=None)

    return {
        "foreign_ngo": partner("Plan International", Partner.Kind.FOREIGN_NGO, "GB"),
        "international_organization": partner("UNICEF", Partner.Kind.INTERNATIONAL_ORGANIZATION, "US"),
        "overseas_vietnamese": partner("Hội người Việt Nam tại Séc", Partner.Kind.OVERSEAS_VIETNAMESE, "CZ"),
        "individual": partner("Nguyễn Văn An", Partner.Kind.INDIVIDUAL, "AU"),
    }


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def proposed(
    cast,
    code: str,
    donors,
    *,
    summary="Xây bể nước và nhà vệ sinh cho 12 trường tiểu học.",
    sector=Sector.WATER_SANITATION,
    kind=AidProject.Kind.PROJECT,
    currency="USD",
    amount=Decimal("85000"),
    communes=(),
) -> AidProject:
    project = AidProject(
        code=code,
        title=f"Nước sạch cho trường học ({code})",
        summary=summary,
        kind=kind,
        sector=sector,
        managing_agency="UBND tỉnh Hà Tĩnh",
        aid_owner="Sở Giáo dục và Đào tạo",
        beneficiaries=1200,
        planned_start=days_ago(400),
        planned_end=days_ago(-300),
        currency=currency,
        commitment_amount=amount,
        exchange_rate=Decimal(1) if currency == "VND" else Decimal("25400"),
    )
    return services.aid_project_save(actor=cast.staff, instance=project, donors=donors, communes=communes)


def disburse(cast, project, *, on, amount, currency="USD", form=Disbursement.Form.CASH, note="") -> Disbursement:
    return services.disbursement_record(
        actor=cast.staff,
        instance=Disbursement(
            project_id=project.pk,
            date=on,
            amount=amount,
            currency=currency,
            exchange_rate=Decimal(1) if currency == "VND" else Decimal("25400"),
            form=form,
            note=note,
        ),
    )


def moved_to(cast, project: AidProject, state: str, *, started_on=None) -> AidProject:
    """The proposed record taken along its lifecycle by the services up to `state`.

    Approved 380 days ago, started 360 days ago with two disbursements (40 000 USD in cash, then
    120 000 000 VND in kind), ended 30 days ago."""
    pk = project.pk
    if state == Status.PROPOSED:
        return AidProject.objects.get(pk=pk)
    services.aid_project_send_to_appraisal(project_id=pk, actor=cast.staff)
    if state == Status.UNDER_APPRAISAL:
        return AidProject.objects.get(pk=pk)
    if state == Status.REJECTED:
        return services.aid_project_reject(project_id=pk, actor=cast.province, comment="Không phù hợp quy hoạch.")
    services.aid_project_approve(
        project_id=pk, actor=cast.province, decision_number="123/QĐ-UBND", decision_date=days_ago(380)
    )
    if state == Status.APPROVED:
        return AidProject.objects.get(pk=pk)
    if state == Status.REVOKED:
        return services.aid_project_revoke(project_id=pk, actor=cast.province, comment="Chưa triển khai sau 6 tháng.")
    services.aid_project_start(project_id=pk, actor=cast.staff, started_on=started_on or days_ago(360))
    disburse(cast, project, on=days_ago(300), amount=Decimal("40000"), note="Đợt 1")
    disburse(cast, project, on=days_ago(100), amount=Decimal("120000000"), currency="VND", form="in_kind")
    if state == Status.IMPLEMENTING:
        return AidProject.objects.get(pk=pk)
    if state == Status.ADJUSTED:
        return services.aid_project_adjust(
            project_id=pk,
            actor=cast.province,
            decision_number="45/QĐ-UBND",
            decision_date=days_ago(50),
            comment="Gia hạn thêm ba tháng.",
            planned_end=days_ago(-390),
        )
    services.aid_project_complete(project_id=pk, actor=cast.staff, ended_on=days_ago(30))
    if state == Status.COMPLETED:
        return AidProject.objects.get(pk=pk)
    report = ProgressReport.objects.get(project_id=pk, kind=ProgressReport.Kind.COMPLETION)
    services.progress_report_submit(
        report_id=report.pk, actor=cast.staff, submitted_on=days_ago(1), narrative="Đã hoàn thành 12 bể nước."
    )
    return services.aid_project_settle(project_id=pk, actor=cast.staff)


def by_identifier(document) -> dict:
    return {activity.findtext("iati-identifier"): activity for activity in document.iterfind("iati-activity")}


def identifier(settings, code: str) -> str:
    return f"{settings.AID_IATI_REPORTING_ORG_REF}-{code}"


# --- the schema's folder ---------------------------------------------------------------------------


def test_the_kept_schema_is_the_official_one():
    for name in ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"):
        assert (KEPT_SCHEMA_DIR / name).is_file()
        if SHARED_SCHEMA_DIR.is_dir():
            assert (KEPT_SCHEMA_DIR / name).read_bytes() == (SHARED_SCHEMA_DIR / name).read_bytes()


# --- what the file says --------------------------------------------------------------------------


def test_a_running_project_is_valid_iati_and_says_what_the_record_says(cast, donors, schema, settings):
    communes = list(Commune.objects.order_by("code")[:2])
    project = proposed(
        cast, "VT-2025-014", [donors["international_organization"], donors["foreign_ngo"]], communes=communes
    )
    project = moved_to(cast, project, Status.IMPLEMENTING)

    xml = iati_activities_xml([project])

    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    document = validated(schema, xml)
    assert document.tag == "iati-activities"
    assert document.get("version") == "2.03"
    assert datetime.datetime.fromisoformat(document.get("generated-datetime")).tzinfo is not None
    [activity] = document.findall("iati-activity")
    assert activity.get(XML_LANG) == "vi"
    assert activity.get("default-currency") == "USD"
    assert activity.get("hierarchy") == "1"
    assert activity.get("humanitarian") is None
    assert datetime.datetime.fromisoformat(activity.get("last-updated-datetime")) <= timezone.now()
    assert activity.findtext("iati-identifier") == identifier(settings, "VT-2025-014")

    reporting_org = activity.find("reporting-org")
    assert reporting_org.get("ref") == settings.AID_IATI_REPORTING_ORG_REF
    assert reporting_org.get("type") == settings.AID_IATI_REPORTING_ORG_TYPE
    assert reporting_org.findtext("narrative") == settings.PORTAL_UNION_NAME
    assert activity.findtext("title/narrative") == "Nước sạch cho trường học (VT-2025-014)"
    assert activity.find("description").get("type") == "1"
    assert activity.findtext("description/narrative") == "Xây bể nước và nhà vệ sinh cho 12 trường tiểu học."

    assert [
        (org.get("role"), org.get("type"), org.findtext("narrative")) for org in activity.iterfind("participating-org")
    ] == [
        ("1", "21", "Plan International"),
        ("1", "40", "UNICEF"),
        ("2", None, "UBND tỉnh Hà Tĩnh"),
        ("4", None, "Sở Giáo dục và Đào tạo"),
    ]
    assert activity.find("activity-status").get("code") == "2"
    assert {date.get("type"): date.get("iso-date") for date in activity.iterfind("activity-date")} == {
        "1": project.planned_start.isoformat(),
        "2": days_ago(360).isoformat(),
        "3": project.planned_end.isoformat(),
    }
    [country] = activity.findall("recipient-country")
    assert (country.get("code"), country.get("percentage")) == ("VN", "100")
    sectors = activity.findall("sector")
    assert [(sector.get("vocabulary"), sector.get("code")) for sector in sectors] == [
        ("1", DAC_CODES[Sector.WATER_SANITATION])
    ]
    assert sum(Decimal(sector.get("percentage")) for sector in sectors) == 100
    assert {location.get("ref"): location.findtext("name/narrative") for location in activity.iterfind("location")} == {
        commune.code: commune.name for commune in communes
    }
    assert activity.find("default-finance-type").get("code") == "110"
    assert activity.find("default-aid-type").get("code") == "C01"

    transactions = activity.findall("transaction")
    assert [
        (
            transaction.find("transaction-type").get("code"),
            transaction.find("transaction-date").get("iso-date"),
            transaction.findtext("value"),
            transaction.find("value").get("currency"),
            transaction.find("value").get("value-date"),
            transaction.findtext("description/narrative"),
        )
        for transaction in transactions
    ] == [
        (
            "2",
            days_ago(380).isoformat(),
            "85000.00",
            "USD",
            days_ago(380).isoformat(),
            "Cam kết theo quyết định số 123/QĐ-UBND",
        ),
        ("3", days_ago(300).isoformat(), "40000.00", "USD", days_ago(300).isoformat(), "Tiền mặt: Đợt 1"),
        ("3", days_ago(100).isoformat(), "120000000.00", "VND", days_ago(100).isoformat(), "Hiện vật"),
    ]
    for transaction in transactions:
        assert transaction.find("provider-org").get("type") == "21"
        assert transaction.findtext("provider-org/narrative") == "Plan International"
        assert transaction.findtext("receiver-org/narrative") == "Sở Giáo dục và Đào tạo"


def test_every_published_state_is_valid_with_its_activity_status_and_dates(cast, donors, schema, settings):
    expected = {
        # state: (activity status, activity date types, transaction types)
        Status.APPROVED: ("1", {"1", "3"}, ["2"]),
        Status.IMPLEMENTING: ("2", {"1", "2", "3"}, ["2", "3", "3"]),
        Status.ADJUSTED: ("2", {"1", "2", "3"}, ["2", "3", "3"]),
        Status.COMPLETED: ("3", {"1", "2", "3", "4"}, ["2", "3", "3"]),
        Status.SETTLED: ("4", {"1", "2", "3", "4"}, ["2", "3", "3"]),
        Status.REVOKED: ("5", {"1", "3"}, []),
    }
    projects = {
        state: moved_to(cast, proposed(cast, f"VT-{state.upper()}", [donors["foreign_ngo"]]), state)
        for state in expected
    }
    assert {state: project.status for state, project in projects.items()} == {state: state for state in expected}

    activities = by_identifier(validated(schema, iati_activities_xml(projects.values())))

    for state, (status_code, date_types, transaction_types) in expected.items():
        activity = activities[identifier(settings, f"VT-{state.upper()}")]
        assert activity.find("activity-status").get("code") == status_code, state
        assert {date.get("type") for date in activity.iterfind("activity-date")} == date_types, state
        assert [
            transaction.find("transaction-type").get("code") for transaction in activity.iterfind("transaction")
        ] == transaction_types, state
    adjusted = activities[identifier(settings, "VT-ADJUSTED")]
    assert adjusted.find("activity-date[@type='3']").get("iso-date") == days_ago(-390).isoformat()
    completed = activities[identifier(settings, "VT-COMPLETED")]
    assert completed.find("activity-date[@type='4']").get("iso-date") == days_ago(30).isoformat()


def test_donors_are_typed_by_their_kind_and_a_private_person_is_not_named(cast, donors, schema):
    project = proposed(cast, "VT-2025-020", list(donors.values()))
    project = moved_to(cast, project, Status.IMPLEMENTING)

    activity = validated(schema, iati_activities_xml([project])).find("iati-activity")

    funders = [
        (org.get("type"), org.findtext("narrative")) for org in activity.iterfind("participating-org[@role='1']")
    ]
    assert sorted(funders) == sorted(
        [
            ("21", "Plan International"),
            ("40", "UNICEF"),
            ("90", "Hội người Việt Nam tại Séc"),
            ("90", "Nhà tài trợ cá nhân"),
        ]
    )
    assert b"Nguy\xe1\xbb\x85n V\xc4\x83n An" not in iati_activities_xml([project])


def test_humanitarian_aid_is_flagged_and_non_project_aid_has_no_aid_type(cast, donors, schema):
    project = proposed(
        cast,
        "VT-2025-030",
        [donors["overseas_vietnamese"]],
        sector=Sector.EMERGENCY_RELIEF,
        kind=AidProject.Kind.NON_PROJECT,
        currency="VND",
        amount=Decimal("1234567890"),
    )
    project = moved_to(cast, project, Status.APPROVED)

    activity = validated(schema, iati_activities_xml([project])).find("iati-activity")

    assert activity.get("humanitarian") == "1"
    assert activity.get("default-currency") == "VND"
    assert activity.find("sector").get("code") == DAC_CODES[Sector.EMERGENCY_RELIEF] == "72010"
    assert activity.find("default-aid-type") is None
    assert activity.findtext("transaction/value") == "1234567890.00"


def test_control_characters_pasted_into_the_texts_are_left_out(cast, donors, schema):
    project = proposed(cast, "VT-2025-040", [donors["foreign_ngo"]], summary="Bể nước\x0bnhà vệ sinh\x1f")
    project = moved_to(cast, project, Status.APPROVED)

    activity = validated(schema, iati_activities_xml([project])).find("iati-activity")

    assert activity.findtext("description/narrative") == "Bể nướcnhà vệ sinh"


def test_a_queryset_gives_each_record_once_in_its_order(cast, donors, schema, settings):
    for code in ("VT-A", "VT-B", "VT-C"):
        moved_to(cast, proposed(cast, code, [donors["foreign_ngo"]]), Status.APPROVED)
    queryset = AidProject.objects.order_by("-code")

    document = validated(schema, iati_activities_xml(queryset))
    twice = etree.fromstring(iati_activities_xml([*queryset, *queryset]))

    assert [activity.findtext("iati-identifier") for activity in document.iterfind("iati-activity")] == [
        identifier(settings, code) for code in ("VT-C", "VT-B", "VT-A")
    ]
    assert len(twice.findall("iati-activity")) == 3


# --- what the standard refuses -------------------------------------------------------------------


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_a_complete_approved_record_has_no_problem(cast, donors, english):
    project = moved_to(cast, proposed(cast, "VT-OK", [donors["foreign_ngo"]]), Status.APPROVED)

    assert iati_problems(project) == []


@pytest.mark.parametrize(
    ("state", "label"),
    [(Status.PROPOSED, "Proposed"), (Status.UNDER_APPRAISAL, "Under appraisal"), (Status.REJECTED, "Rejected")],
)
def test_aid_not_approved_is_not_published(cast, donors, english, state, label):
    project = moved_to(cast, proposed(cast, "VT-NO", [donors["foreign_ngo"]]), state)

    assert iati_problems(project) == [
        "Only approved aid is published to IATI (approved, implementing, adjusted, completed, settled, "
        f"or revoked as cancelled), not aid that is “{label}”."
    ]


def test_a_record_without_summary_or_donor_says_both(cast, donors, english):
    project = proposed(cast, "VT-EMPTY", [donors["foreign_ngo"]], summary="  ")
    project = moved_to(cast, project, Status.APPROVED)
    project.donors.clear()  # as when the partner is removed from the directory

    assert iati_problems(project) == [
        "Write the summary (objectives and expected results): IATI requires a description.",
        "Name at least one donor: IATI requires the funding partner.",
    ]


def test_a_code_the_identifier_cannot_hold_is_refused(cast, donors, english, settings):
    project = moved_to(cast, proposed(cast, "VT 2025/14", [donors["foreign_ngo"]]), Status.APPROVED)

    assert iati_problems(project) == [
        f"The IATI identifier {settings.AID_IATI_REPORTING_ORG_REF}-VT 2025/14 may not contain spaces or the "
        "characters / & | ?: change the code."
    ]


def test_a_start_in_the_future_is_refused(cast, donors, english):
    project = moved_to(cast, proposed(cast, "VT-SOON", [donors["foreign_ngo"]]), Status.IMPLEMENTING)
    # The service refuses a future start; a record changed another way still says what is wrong.
    project.actual_start = days_ago(-10)

    assert iati_problems(project) == ["The actual start cannot be in the future."]


def test_a_record_read_or_changed_in_memory_says_every_missing_piece(cast, donors, english):
    project = moved_to(cast, proposed(cast, "VT-MEM", [donors["foreign_ngo"]]), Status.SETTLED)
    project.title = ""
    project.actual_start = None
    project.actual_end = None
    project.sector = ""
    project.currency = ""

    assert iati_problems(project) == [
        "Give the aid a title.",
        "Record the actual start: IATI requires it of aid that has started.",
        "Record the actual end: IATI requires it of aid that has ended.",
        "Choose a sector: IATI requires its OECD DAC purpose code.",
        "Choose the currency of the commitment: IATI requires a default currency.",
    ]
    unsaved = AidProject(code="VT-NEW", title="x", summary="y", sector=Sector.HEALTH, status=Status.APPROVED)
    assert iati_problems(unsaved) == [
        "Name at least one donor: IATI requires the funding partner.",
        "Give the planned start.",
    ]


def test_the_export_refuses_a_record_with_problems_and_an_empty_file(cast, donors):
    good = moved_to(cast, proposed(cast, "VT-GOOD", [donors["foreign_ngo"]]), Status.APPROVED)
    pending = proposed(cast, "VT-PENDING", [donors["foreign_ngo"]])

    with pytest.raises(ValueError, match="VT-PENDING"):
        iati_activities_xml([good, pending])
    with pytest.raises(ValueError, match="at least one activity"):
        iati_activities_xml(AidProject.objects.none())


# --- cost and scale ------------------------------------------------------------------------------


def running_projects(cast, donors, count: int, start: int) -> list[AidProject]:
    communes = list(Commune.objects.order_by("code")[:3])
    return [
        moved_to(
            cast,
            proposed(
                cast,
                f"VT-Q-{index:03d}",
                [donors["foreign_ngo"], donors["international_organization"]],
                communes=communes[: 1 + index % 3],
            ),
            Status.IMPLEMENTING,
        )
        for index in range(start, start + count)
    ]


def queries_for(projects) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        xml = iati_activities_xml(projects)
    return len(queries), xml


def test_ten_records_cost_as_many_queries_as_three(cast, donors, schema):
    running_projects(cast, donors, 3, start=0)
    few_from_queryset, few_xml = queries_for(AidProject.objects.all())
    few_from_list, _xml = queries_for(list(AidProject.objects.all()))
    running_projects(cast, donors, 7, start=3)
    many_from_queryset, many_xml = queries_for(AidProject.objects.all())
    many_from_list, _xml = queries_for(list(AidProject.objects.all()))

    assert few_from_queryset == many_from_queryset <= 5
    assert few_from_list == many_from_list <= 4
    assert len(validated(schema, few_xml).findall("iati-activity")) == 3
    assert len(validated(schema, many_xml).findall("iati-activity")) == 10


def test_thirty_demo_like_records_in_every_state_export_what_is_published(cast, donors, schema, settings):
    states = list(Status)
    sectors = list(Sector)
    kinds = list(AidProject.Kind)
    currencies = ["USD", "EUR", "VND", "JPY", "KRW", "AUD"]
    donor_sets = [
        [donors["foreign_ngo"]],
        [donors["international_organization"]],
        [donors["overseas_vietnamese"], donors["individual"]],
        [donors["individual"]],
        list(donors.values()),
    ]
    communes = list(Commune.objects.order_by("code")[:5])
    for index in range(30):
        project = proposed(
            cast,
            f"HT-{2020 + index % 6}-{index:03d}",
            donor_sets[index % len(donor_sets)],
            sector=sectors[index % len(sectors)],
            kind=kinds[index % len(kinds)],
            currency=currencies[index % len(currencies)],
            amount=Decimal(10_000 + 1_234 * index),
            communes=communes[: index % 4],
        )
        moved_to(cast, project, states[index % len(states)])

    records = list(AidProject.objects.prefetch_related("donors"))
    published = [project for project in records if not iati_problems(project)]
    document = validated(schema, iati_activities_xml(published))

    assert len(records) == 30
    assert {project.status for project in records} == set(Status)
    assert {project.status for project in published} == {
        Status.APPROVED,
        Status.IMPLEMENTING,
        Status.ADJUSTED,
        Status.COMPLETED,
        Status.SETTLED,
        Status.REVOKED,
    }
    unpublished = (Status.PROPOSED, Status.UNDER_APPRAISAL, Status.REJECTED)
    assert len(published) == sum(1 for project in records if project.status not in unpublished)
    activities = by_identifier(document)
    assert sorted(activities) == sorted(identifier(settings, project.code) for project in published)
    for project in published:
        activity = activities[identifier(settings, project.code)]
        assert activity.get("default-currency") == project.currency
        assert activity.find("sector").get("code") == DAC_CODES[project.sector]
        assert len(activity.findall("participating-org[@role='1']")) == project.donors.count()
        disbursements = [
            transaction
            for transaction in activity.iterfind("transaction")
            if transaction.find("transaction-type").get("code") == "3"
        ]
        assert len(disbursements) == project.disbursements.count()
