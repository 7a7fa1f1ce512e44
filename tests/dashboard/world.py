"""A small world for the dashboard tests, every figure counted by hand.

The clock stands on TODAY (Monday 15 June 2026 in Hà Tĩnh) and the dashboard shows YEAR (2026). The
records belong to the Việt Nam–Lào association (the cast's `laos`, led by `laos_leader`) unless they
say Russia. EXPECTED holds the figures union staff see, EXPECTED_LEADER what the Laos leader sees:
their association's members, branches, activities, plans and delegations; the province's students,
aid and remains.
"""

import datetime
from decimal import Decimal

from aid_projects.models import AidProject, Commune, Sector
from associations.models import Member, Partner, WorkPlanItem
from delegations.models import Delegation
from scholarships.models import Enrollment
from tests import factories
from tests.aid_projects import factories as aid
from tests.delegations import factories as trips
from tests.scholarships import factories as scholarships

YEAR = 2026
TODAY = datetime.date(2026, 6, 15)
RATE = Decimal("25400")

Status = Delegation.Status
Recovery = Delegation.Purpose.REMAINS_RECOVERY


def day(month: int, date: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, date)


def build_associations(cast) -> None:
    laos, russia = cast.laos, cast.russia
    for _ in range(3):
        factories.MemberFactory(association=laos)
    factories.MemberFactory(association=laos, status=Member.Status.LEFT, status_changed_on=day(2, 1))
    factories.MemberFactory.create_batch(2, association=russia)

    factories.BranchFactory(association=laos)
    factories.BranchFactory(association=laos, dissolved_on=day(12, 31))  # still active today
    factories.BranchFactory(association=laos, dissolved_on=datetime.date(2020, 6, 30))
    factories.BranchFactory(association=russia)

    factories.ActivityFactory.create_batch(2, association=laos, held_on=day(4, 10))
    factories.ActivityFactory(association=laos, held_on=day(11, 20, 2025))
    factories.ActivityFactory(association=russia, held_on=day(3, 8))

    Done, Planned = WorkPlanItem.Status.DONE, WorkPlanItem.Status.PLANNED
    plan = factories.WorkPlanFactory(association=laos, year=YEAR)
    for status in (Done, Done, Planned):
        factories.WorkPlanItemFactory(plan=plan, status=status)
    plan = factories.WorkPlanFactory(association=russia, year=YEAR)
    for status in (Done, Planned):
        factories.WorkPlanItemFactory(plan=plan, status=status)
    factories.WorkPlanItemFactory(plan=factories.WorkPlanFactory(association=laos, year=YEAR - 1), status=Done)


def build_delegations(cast) -> dict:
    laos, russia = cast.laos, cast.russia
    made = {}
    trip = trips.DelegationFactory
    trip(association=laos, status=Status.DRAFT, start_date=day(7, 6))
    trip(association=laos, status=Status.ENDORSED, start_date=day(8, 3))
    made["overdue_outbound"] = trip(
        association=laos, status=Status.RETURNED, start_date=day(5, 4), report_due_on=day(6, 1)
    )
    trip(association=laos, status=Status.CANCELLED, start_date=day(9, 14))
    trip(association=laos, status=Status.REPORTED, start_date=day(10, 5, 2025))
    trip(association=russia, status=Status.ENDORSED, start_date=day(9, 1), countries=["RU"])
    trip(association=laos, inbound=True, start_date=day(7, 20))  # registered
    made["overdue_inbound"] = trip(
        association=laos, inbound=True, status=Status.COMPLETED, start_date=day(5, 10), report_due_on=day(6, 10)
    )
    trip(association=russia, inbound=True, status=Status.APPROVED, start_date=day(8, 24), countries=["RU"])

    bolikhamxay = scholarships.province("LA-BL")
    vientiane = scholarships.province("LA-VT")
    partner = factories.PartnerFactory(name="Ủy ban nhân dân tỉnh Bôlykhămxay", lao_province=bolikhamxay)
    made["partner"] = partner
    mission = trips.RecoveryRecordFactory(
        delegation__association=laos,
        delegation__start_date=day(1, 10),
        lao_province=bolikhamxay,
        remains_recovered=12,
        remains_repatriated=10,
    )
    mission.delegation.partners.add(partner)
    made["mission"] = mission
    trips.RecoveryRecordFactory(
        delegation__association=laos,
        delegation__status=Status.CLOSED,
        delegation__start_date=day(1, 12, 2025),
        lao_province=bolikhamxay,
        remains_recovered=8,
        remains_repatriated=7,
    )
    # A mission called off before it left: a recovery delegation without a recovery record.
    trip(association=laos, purpose=Recovery, status=Status.CANCELLED, start_date=day(11, 2))
    # Russia's association sent one too (two years ago, to Vientiane) and plans another.
    trips.RecoveryRecordFactory(
        delegation__association=russia,
        delegation__status=Status.CLOSED,
        delegation__start_date=day(1, 15, 2024),
        lao_province=vientiane,
        remains_recovered=5,
        remains_repatriated=5,
    )
    trip(association=russia, purpose=Recovery, status=Status.APPROVED, start_date=day(12, 1))
    return made


def build_students() -> dict:
    Level, Graduated, Withdrawn = Enrollment.Level, Enrollment.Status.GRADUATED, Enrollment.Status.WITHDRAWN
    bolikhamxay, savannakhet = scholarships.province("LA-BL"), scholarships.province("LA-SV")
    enrol = scholarships.EnrollmentFactory

    first = enrol(student__lao_province=bolikhamxay)  # university, studying since 09/2025
    second = scholarships.StudentFactory(lao_province=bolikhamxay)
    enrol(
        student=second,
        level=Level.LANGUAGE,
        status=Graduated,
        start_date=day(9, 1, 2024),
        ended_on=day(6, 30, 2025),
    )
    second_university = enrol(student=second)
    third = enrol(
        student__lao_province=savannakhet,
        level=Level.VOCATIONAL,
        institution=scholarships.institution("CĐ Y tế Hà Tĩnh"),
    )
    enrol(student__lao_province=bolikhamxay, status=Graduated, start_date=day(9, 1, 2020), ended_on=day(6, 30, 2024))
    enrol(student__lao_province=savannakhet, status=Withdrawn, start_date=day(9, 1, 2023), ended_on=day(3, 1, 2024))

    pay = scholarships.PaymentFactory
    award = scholarships.AwardFactory(enrollment=first)
    pay(award=award, month=day(1, 1), amount=Decimal(2_500_000), paid_on=day(1, 10))
    pay(award=award, month=day(12, 1, 2025), amount=Decimal(2_500_000), paid_on=day(1, 5))  # paid late, in 2026
    award = scholarships.AwardFactory(enrollment=third)
    pay(award=award, month=day(3, 1), amount=Decimal(2_000_000))  # scheduled, not paid yet
    award = scholarships.AwardFactory(enrollment=second_university)
    pay(award=award, month=day(10, 1, 2025), amount=Decimal(2_500_000), paid_on=day(10, 10, 2025))
    scholarships.YearlyBudgetFactory(year=YEAR, planned_amount=Decimal(100_000_000))
    return {"bolikhamxay": bolikhamxay, "savannakhet": savannakhet}


def usd(amount: int) -> Decimal:
    return Decimal(amount) * RATE


def build_aid() -> dict:
    S = AidProject.Status
    first, second = Commune.objects.order_by("code")[:2]
    project = aid.AidProjectFactory
    water = project(
        status=S.IMPLEMENTING,
        sector=Sector.WATER_SANITATION,
        actual_start=day(3, 1, 2025),
        communes=[first],
    )
    aid.DisbursementFactory(project=water, date=day(4, 15, 2025), amount=Decimal(20_000))
    aid.DisbursementFactory(project=water, date=day(2, 10), amount=Decimal(10_000))
    aid.ProgressReportFactory(project=water)  # due 15/07/2025, not received: overdue
    aid.ProgressReportFactory(
        project=water,
        period_start=day(7, 1, 2025),
        period_end=day(12, 31, 2025),
        due_on=day(1, 15),
        submitted_on=day(1, 10),
    )
    # Ended last year; its last payment came in January.
    clinic = project(
        status=S.COMPLETED,
        sector=Sector.HEALTH,
        planned_start=day(1, 1, 2024),
        planned_end=day(12, 31, 2025),
        actual_start=day(1, 1, 2024),
        actual_end=day(12, 31, 2025),
        communes=[first, second],
    )
    aid.DisbursementFactory(project=clinic, date=day(1, 20), amount=Decimal(5_000))
    project(status=S.REJECTED, planned_start=day(1, 1), planned_end=day(12, 31))
    # Proposed, without a commune yet.
    project(status=S.PROPOSED, sector=Sector.EDUCATION, planned_start=day(9, 1), planned_end=day(8, 31, 2027))
    old = project(
        status=S.SETTLED,
        planned_start=day(1, 1, 2019),
        planned_end=day(12, 31, 2019),
        actual_start=day(1, 1, 2019),
        actual_end=day(12, 31, 2019),
    )
    aid.DisbursementFactory(project=old, date=day(5, 5, 2019), amount=Decimal(40_000))
    lao_donor = aid.DonorFactory(
        name="Hội Hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay",
        kind=Partner.Kind.FRIENDSHIP_ORGANIZATION,
        country="LA",
        lao_province=scholarships.province("LA-BL"),
    )
    from_laos = project(
        status=S.APPROVED,
        sector=Sector.EDUCATION,
        planned_start=day(3, 1),
        planned_end=day(3, 1, 2027),
        donors=[lao_donor],
        communes=[second],
    )
    return {"communes": (first, second), "from_laos": from_laos}


def build_world(cast) -> dict:
    build_associations(cast)
    made = build_delegations(cast)
    made.update(build_students())
    made.update(build_aid())
    return made


EXPECTED = {
    "union": {"associations": 5, "members": 5, "branches": 3, "activities": 3, "plan_items": 5, "plan_done": 3},
    "delegations": {
        # 4 + 1 recovery mission of Laos this year, the endorsed Russian plan, Russia's planned mission
        "outbound": 8,
        "inbound": 3,
        "waiting_outbound": 2,
        "waiting_inbound": 1,
        "overdue": 2,
        "missions": 3,
        "remains_total": 22,
    },
    "students": {"studying": 3, "graduated_total": 2, "trained_total": 5, "supported": 2},
    "budget": {"planned": Decimal(100_000_000), "awarded": Decimal(4_500_000), "paid": Decimal(5_000_000)},
    "aid": {
        "projects_total": 6,
        "disbursed": usd(10_000) + usd(5_000),
        "receiving": 2,
        "overdue_reports": 1,
        "band_state": "below",
    },
    "aid_by_status": {"implementing": 1, "completed": 1, "rejected": 1, "proposed": 1, "settled": 1, "approved": 1},
    # Running in the year by their dates; rejected aid never runs.
    "aid_by_status_year": {"implementing": 1, "proposed": 1, "approved": 1},
}
EXPECTED_LEADER = {
    **EXPECTED,
    "union": {"associations": 1, "members": 3, "branches": 2, "activities": 2, "plan_items": 3, "plan_done": 2},
    "delegations": {
        "outbound": 6,
        "inbound": 2,
        "waiting_outbound": 1,
        "waiting_inbound": 1,
        "overdue": 2,
        "missions": 2,
        "remains_total": 22,
    },
}
