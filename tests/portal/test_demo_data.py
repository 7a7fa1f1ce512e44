"""The demo is data a union would recognise as its own: each delegation has its own people, budget and
programme in the place it visits, a plan is endorsed by its own association's leader, communes are
written as running text writes them, donors carry their real acronyms, and the IATI file says the
currency the aid is in.

`seed_demo` runs once for the module (a run takes seconds); each test reads it in its own savepoint,
and the demo is rolled back after the module. The last tests read what seed_demo itself promises: the
demo accounts and their roles, records for every association, and a second run that adds nothing.
"""

import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Prefetch
from django.test import override_settings
from lxml import etree

from aid_projects.iati import iati_activities_xml, iati_identifier, iati_problems
from aid_projects.models import AidProject, Commune, Disbursement, ProgressReport
from associations.models import (
    Activity,
    Association,
    Branch,
    LaoProvince,
    LeaderAccount,
    LeadershipPosition,
    Member,
    Partner,
    WorkPlan,
    WorkPlanItem,
)
from delegations.checks import delegation_breaches
from delegations.models import CheckWarning, Delegation, DelegationEvent, ItineraryItem, TripReport
from friendship_portal.core.models import IssuingBody
from friendship_portal.core.roles import Role
from scholarships.models import Payment

Status = Delegation.Status
OUTBOUND, INBOUND = Delegation.Direction.OUTBOUND, Delegation.Direction.INBOUND
# How an itinerary names the countries the demo's delegations visit (a Lao stop names its province).
COUNTRY_NAMES = {
    "RU": "Nga",
    "TH": "Thái Lan",
    "PL": "Ba Lan",
    "CZ": "Séc",
    "SK": "Slovakia",
    "AT": "Áo",
    "HU": "Hungary",
}
# What each acronym in a donor's name stands for: the donor's name in its own language.
ACRONYMS = {
    "AAI": "ActionAid International",
    "AVI": "Australian Volunteers International",
    "CRS": "Catholic Relief Services",
    "EMW": "East Meets West Foundation",
    "GNI": "Good Neighbors International",
    "JICA": "Japan International Cooperation Agency",
    "KOICA": "Korea International Cooperation Agency",
    "MAG": "Mines Advisory Group",
    "NPA": "Norwegian People's Aid",
    "UNFPA": "United Nations Population Fund",
    "UNICEF": "United Nations Children's Fund",
}
IATI_SCHEMA = Path(__file__).resolve().parents[1] / "aid_projects" / "iati-schema-2.03" / "iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


# The demo is seeded once for the module: on one xdist worker, not on each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo"), pytest.mark.xdist_group("demo_data")]


def delegations(**filters):
    return Delegation.objects.filter(**filters).prefetch_related(
        "members", "budget_lines", "itinerary", "partners__lao_province", "warnings"
    )


def planned(delegation) -> Decimal:
    return sum((line.amount for line in delegation.budget_lines.all()), Decimal(0))


def test_every_payment_carries_its_students_name():
    assert Payment.objects.count() > 1000
    assert not Payment.objects.exclude(student_name=F("award__student__full_name")).exists()


# --- 1. Their own people and their own budget -----------------------------------------------------


def test_every_delegation_has_its_own_members_with_one_head():
    teams = {}
    for delegation in delegations():
        members = list(delegation.members.all())
        assert members, delegation
        assert sum(member.is_head for member in members) == 1, delegation
        teams[delegation.title] = tuple(sorted(member.full_name for member in members))
    shared = {team: count for team, count in Counter(teams.values()).items() if count > 1}
    assert not shared, shared
    assert len(teams) == Delegation.objects.count()


def test_every_delegation_has_its_own_budget_estimate_counted_on_its_members_and_days():
    budgets = {}
    for delegation in delegations():
        lines = [(line.item, line.amount) for line in delegation.budget_lines.all()]
        assert lines and all(amount > 0 for _item, amount in lines), delegation
        budgets[delegation.title] = tuple(sorted(lines))
        people, days = delegation.members.count(), delegation.days
        if delegation.direction == OUTBOUND:
            assert f"Tiền ăn và tiêu vặt ({people} người × {days} ngày)" in dict(lines), (delegation, lines)
        else:
            assert any(f"({days} ngày)" in item for item, _amount in lines), (delegation, lines)
    shared = {budget: count for budget, count in Counter(budgets.values()).items() if count > 1}
    assert not shared, shared


def test_trips_back_home_that_filed_their_report_spent_a_little_less_than_the_estimate():
    home = delegations(direction=OUTBOUND, status__in=[Status.RETURNED, Status.REPORTED, Status.CLOSED])
    reported = 0
    for delegation in home.select_related("report"):
        report = getattr(delegation, "report", None)
        if delegation.status == Status.RETURNED:
            assert report is None, delegation  # home, the report still awaited
            continue
        estimate = planned(delegation)
        assert report is not None, delegation
        assert estimate * Decimal("0.8") <= report.actual_expenses <= estimate, (delegation, estimate, report)
        # Given line by line beside the estimate, the lines adding up to the report's total.
        lines = list(delegation.budget_lines.all())
        assert all(line.spent is not None and line.spent <= line.amount for line in lines), delegation
        assert sum(line.spent for line in lines) == report.actual_expenses, delegation
        reported += 1
    assert reported >= 4
    # Not one figure for every report, as the demo once had.
    assert TripReport.objects.values("actual_expenses").distinct().count() > reported // 2


# --- 2. Partners and itineraries in the place visited ---------------------------------------------


def test_partners_belong_to_the_countries_visited():
    for delegation in delegations():
        partners = list(delegation.partners.all())
        assert partners, delegation
        for partner in partners:
            assert partner.country.code in delegation.countries, (delegation, partner, partner.country)


def test_the_itinerary_stops_in_the_country_and_the_lao_province_visited():
    for delegation in delegations(direction=OUTBOUND):
        stops = [item.place for item in delegation.itinerary.all()]
        assert stops, delegation
        provinces = {partner.lao_province for partner in delegation.partners.all() if partner.lao_province}
        if "LA" in delegation.countries:
            assert len(provinces) == 1, delegation  # a trip to Laos meets a partner of one Lao province
            (province,) = provinces
            assert all(province.name_vi in place for place in stops), (delegation, province, stops)
        else:
            names = [COUNTRY_NAMES[code] for code in delegation.countries]
            assert all(any(name in place for name in names) for place in stops), (delegation, stops)


def test_a_title_that_names_a_lao_province_goes_to_its_partner():
    short = {
        province.pk: province.name_vi.removeprefix("Thủ đô ").removeprefix("Tỉnh ")
        for province in LaoProvince.objects.all()
    }
    named = 0
    for delegation in delegations(direction=OUTBOUND, countries__contains="LA"):
        if any(name in delegation.title for name in short.values()):
            (partner,) = delegation.partners.all()
            assert short[partner.lao_province_id] in delegation.title, (delegation, partner)
            named += 1
    assert named > 10


def test_a_trip_to_bolikhamxay_meets_a_partner_there_and_stops_there():
    trip = delegations().get(title="Đoàn công tác chúc Tết Bunpimay tỉnh Bôlykhămxay")
    (partner,) = trip.partners.all()
    assert (partner.country.code, partner.lao_province.iso_code) == ("LA", "LA-BL")
    assert all("tỉnh Bôlykhămxay" in item.place for item in trip.itinerary.all())
    assert not Delegation.objects.filter(countries__contains="LA", partners__country="RU").exists()
    for delegation in delegations(recovery__isnull=False).select_related("recovery__lao_province"):
        (partner,) = delegation.partners.all()
        assert partner.lao_province == delegation.recovery.lao_province, delegation


def test_the_programme_follows_the_itinerary():
    for item in ItineraryItem.objects.select_related("delegation"):
        assert f"Ngày {item.day:%d/%m/%Y}: {item.activity}" in item.delegation.programme, item


# --- 3. Endorsed by the association's own leader --------------------------------------------------


def test_a_plan_is_endorsed_or_returned_by_a_leader_of_its_own_association():
    steps = DelegationEvent.objects.filter(
        delegation__direction=OUTBOUND, to_status__in=[Status.ENDORSED, Status.RETURNED_FOR_REVISION]
    ).select_related("delegation__association", "actor")
    endorsed = set()
    for event in steps:
        association = event.delegation.association
        assert LeaderAccount.objects.filter(user=event.actor, association=association).exists(), (
            event.delegation,
            event.actor,
        )
        assert event.actor_role == Role.ASSOCIATION_LEADER
        endorsed.add(association.code)
    assert endorsed == set(Association.objects.values_list("code", flat=True))


def test_the_plans_keep_directive_38_or_carry_the_warning_that_says_why_not():
    submitted = delegations(direction=OUTBOUND, events__to_status=Status.SUBMITTED).distinct()
    assert submitted.count() > 30
    for delegation in submitted:
        breaches = {breach.code for breach in delegation_breaches(delegation)}
        warned = {warning.code for warning in delegation.warnings.all()}
        assert breaches <= warned, (delegation, breaches, warned)
    assert set(CheckWarning.objects.values_list("code", flat=True)) == {"days", "countries", "outside_plan"}


# --- 4. "xã Mai Hoa" in running text --------------------------------------------------------------

UNIT = re.compile(r"\b(?:Xã|Phường) (\w)")


def capital_unit_inside_a_sentence(text: str) -> str | None:
    """ "Xã Mai Hoa" where a sentence goes on ("… tại Xã Mai Hoa"); "Xã hội" and a sentence that starts
    with the name are fine."""
    for match in UNIT.finditer(text):
        before = text[: match.start()].rstrip(" ")
        if match.group(1).isupper() and before and before[-1] not in ".!?:\n":
            return match.group(0)
    return None


def running_texts():
    fields = [
        (Delegation, ["title", "purpose_detail", "programme"]),
        (ItineraryItem, ["activity"]),
        (TripReport, ["results", "agreements", "follow_up"]),
        (CheckWarning, ["message", "reason"]),
        (DelegationEvent, ["comment"]),
        (AidProject, ["title", "summary", "aid_owner"]),
        (Disbursement, ["note"]),
        (ProgressReport, ["narrative"]),
        (Activity, ["title"]),
        (WorkPlan, ["title"]),
        (WorkPlanItem, ["title", "target", "outcome"]),
    ]
    for model, names in fields:
        for row in model.objects.values_list(*names):
            for name, text in zip(names, row, strict=True):
                yield f"{model.__name__}.{name}", text or ""


def test_running_text_writes_the_commune_xa_mai_hoa_in_lowercase():
    wrong = [(field, text) for field, text in running_texts() if capital_unit_inside_a_sentence(text)]
    assert not wrong, wrong[:5]
    titles = list(AidProject.objects.filter(title__contains="Mai Hoa").values_list("title", flat=True))
    assert titles and all("xã Mai Hoa" in title for title in titles), titles
    assert AidProject.objects.filter(aid_owner__startswith="Ủy ban nhân dân xã ").exists()
    # The list of communes keeps the name as it is.
    assert Commune.objects.filter(name="Xã Mai Hoa").exists()


def test_a_capital_is_told_from_the_start_of_a_sentence_and_from_xa_hoi():
    assert capital_unit_inside_a_sentence("Xây dựng cầu dân sinh tại Xã Mai Hoa")
    assert capital_unit_inside_a_sentence("Ngày 02/12/2026: Khảo sát (Xã Hương Khê).")
    assert not capital_unit_inside_a_sentence("Xây dựng cầu dân sinh tại xã Mai Hoa")
    assert not capital_unit_inside_a_sentence("Xã Mai Hoa nhận bàn giao. Phường Thành Sen cũng vậy.")
    assert not capital_unit_inside_a_sentence("Sở Lao động - Thương binh và Xã hội")


# --- 5. Donors' acronyms --------------------------------------------------------------------------


def test_donors_carry_their_real_acronyms():
    donors = {partner.name: partner for partner in Partner.objects.filter(aid_projects__isnull=False).distinct()}
    for name in (
        "Tổ chức Tầm nhìn Thế giới (World Vision)",
        "Cơ quan Hợp tác Quốc tế Nhật Bản (JICA)",
        "Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA)",
        "Tổ chức Plan International",
        "Tổ chức Cứu trợ Công giáo Hoa Kỳ (CRS)",
    ):
        assert name in donors, name
    acronyms = 0
    for name, partner in donors.items():
        found = re.search(r"\(([A-Z]{2,})\)$", name)
        if found:
            assert ACRONYMS.get(found.group(1)) == partner.name_local, (name, partner.name_local)
            acronyms += 1
    assert acronyms >= 8
    assert not any("KOICA Friends" in name or "Peace Trees" in name for name in donors)


# --- 6. The IATI file in the projects' currency ---------------------------------------------------


def test_the_iati_file_of_the_demo_says_each_projects_own_currency():
    projects = [
        project
        for project in AidProject.objects.prefetch_related(
            "donors", Prefetch("disbursements", queryset=Disbursement.objects.order_by("date"))
        )
        if not iati_problems(project)
    ]
    assert len(projects) > 100
    document = etree.fromstring(iati_activities_xml(projects))
    if IATI_SCHEMA.is_file():
        schema = etree.XMLSchema(etree.parse(str(IATI_SCHEMA)))
        assert schema.validate(document), schema.error_log
    currency_of = {iati_identifier(project): project.currency for project in projects}
    written = {}
    for activity in document.iterfind("iati-activity"):
        currency = currency_of[activity.findtext("iati-identifier")]
        written[activity.findtext("iati-identifier")] = activity.get("default-currency")
        assert activity.get("default-currency") == currency
        # The commitment is in the project's currency, and so is every demo disbursement.
        assert {value.get("currency") for value in activity.iterfind("transaction/value")} <= {currency}
    assert written == currency_of
    assert len(set(written.values())) > 3  # USD, EUR, JPY, KRW, VND…: none is written for all


def test_every_demo_student_points_at_their_latest_enrollment():
    from scholarships.models import Enrollment, Student

    def latest_enrollment_id(student_id: int) -> int | None:
        latest = Enrollment.objects.filter(student_id=student_id).order_by("-start_date", "-pk")
        return latest.values_list("pk", flat=True).first()

    students = list(Student.objects.only("pk", "current_enrollment_id"))
    assert len(students) > 3000
    assert all(student.current_enrollment_id == latest_enrollment_id(student.pk) for student in students[::50])
    assert not Student.objects.filter(current_enrollment__isnull=True).exists()


def test_every_demo_student_stands_where_their_enrollments_put_them():
    from django.db.models import Count, Min, Q

    from scholarships.models import Enrollment, Student

    from_enrollments = {
        row["student_id"]: (row["studying"] > 0, row["graduated"] > 0, row["first"])
        for row in Enrollment.objects.values("student_id").annotate(
            studying=Count("pk", filter=Q(status=Enrollment.Status.STUDYING)),
            graduated=Count("pk", filter=Q(status=Enrollment.Status.GRADUATED)),
            first=Min("start_date"),
        )
    }
    kept = {
        pk: (studying, graduated, first)
        for pk, studying, graduated, first in Student.objects.values_list(
            "pk", "is_studying", "has_graduated", "first_enrolled_on"
        )
    }
    assert kept == from_enrollments
    assert {standing[0] for standing in kept.values()} == {True, False}
    assert {standing[1] for standing in kept.values()} == {True, False}


# --- seed_demo itself: the accounts, every association's records, a second run -------------------------

SEED_COUNTED = [Member, Branch, LeadershipPosition, WorkPlanItem, Activity, Partner]


def seed_counts():
    return {model.__name__: model.objects.count() for model in SEED_COUNTED}


def test_every_issuing_body_has_a_signer():
    signers = dict(IssuingBody.objects.values_list("key", "signer_name"))
    assert signers["union"] == "Lê Văn Khánh"
    assert signers["laos"] == "Trần Báu Hà"
    assert all(signers.values())


def test_seed_demo_creates_the_demo_accounts_with_their_roles(settings):
    User = get_user_model()
    roles = {user.username: sorted(user.groups.values_list("name", flat=True)) for user in User.objects.all()}
    assert roles == {
        "staff": ["union_staff"],
        "leader.laos": ["association_leader"],
        "leader.russia": ["association_leader"],
        "leader.thailand": ["association_leader"],
        "leader.czech_slovakia": ["association_leader"],
        "leader.poland": ["association_leader"],
        "province": ["provincial_office"],
        "admin": ["administrator"],
    }
    # Every association has a leader of its own, who endorses its plans.
    assert {
        account.user.username: account.association.code
        for account in LeaderAccount.objects.select_related("user", "association")
    } == {f"leader.{code}": code for code in ("laos", "russia", "thailand", "czech_slovakia", "poland")}
    admin = User.objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff) == (False, True)  # the administrator role, not a superuser
    assert all(user.check_password(settings.PORTAL_DEMO_PASSWORD) for user in User.objects.all())


def test_seed_demo_gives_every_association_records():
    for model in (Member, Branch, LeadershipPosition, WorkPlanItem, Activity):
        assert set(
            model.objects.values_list(
                "association__code" if model is not WorkPlanItem else "plan__association__code", flat=True
            )
        ) == {"laos", "russia", "thailand", "czech_slovakia", "poland"}, model
    assert Partner.objects.filter(lao_province__iso_code="LA-BL").exists()  # Bolikhamxay
    assert Member.objects.filter(kind=Member.Kind.COLLECTIVE).exists()
    assert Member.history.count() >= Member.objects.count()  # every demo member has its "created" row


def test_seed_demo_twice_duplicates_nothing_and_runs_with_debug_off_when_forced(settings):
    first = seed_counts()
    settings.DEBUG = False
    printed = io.StringIO()
    call_command("seed_demo", force=True, stdout=printed)
    assert printed.getvalue().endswith("Demo data ready.\n")
    assert seed_counts() == first
    assert all(first.values())
