"""The aid figures by donor, sector, commune and state, counted by hand from five projects.

Every amount is in VND so that each sum can be checked on paper:

    code  sector     donors                     communes                  committed      state
    A     water      Good Neighbors             Cẩm Xuyên, Thành Sen     1,000,000,000  implementing 2024–2026
    B     education  Good Neighbors, community  Thành Sen                  600,000,000  completed 2023–06/2024
    C     health     UNICEF                     Hương Khê                2,000,000,000  approved, 06/2025–2027
    D     water      community                  Cẩm Xuyên                  400,000,000  revoked, planned 2024
    E     education  UNICEF                     Hương Khê                  500,000,000  proposed, 09/2026–2027

    disbursed: A 300,000,000 in 2024 and 200,000,000 in 2025; B 250,000,000 in 2023 and 350,000,000 in 2024.

Revoked and rejected aid commits nothing; a project with several donors or communes counts fully
for each of them.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from aid_projects import selectors
from aid_projects.models import AidProject, Sector
from aid_projects.workflow import add_months
from tests.aid_projects.factories import AidProjectFactory, DisbursementFactory, DonorFactory, commune
from tests.clock import at

S = AidProject.Status
d = datetime.date
BILLION = Decimal("1000000000")
MILLION = Decimal("1000000")


def in_vnd(amount_in_millions: int) -> dict:
    amount = amount_in_millions * MILLION
    return {"currency": "VND", "exchange_rate": 1, "commitment_amount": amount, "commitment_vnd": amount}


def pay(project, day: datetime.date, millions: int):
    amount = millions * MILLION
    return DisbursementFactory(project=project, date=day, amount=amount, currency="VND", exchange_rate=1)


@pytest.fixture
def aid(db):
    good_neighbors = DonorFactory(name="Good Neighbors International", country="KR")
    community = DonorFactory(overseas_vietnamese=True, name="Cộng đồng người Việt Nam tại Thái Lan")
    unicef = DonorFactory(international_organization=True, name="UNICEF")
    cam_xuyen, thanh_sen, huong_khe = commune("18673"), commune("18073"), commune("18496")
    a = AidProjectFactory(
        code="A",
        sector=Sector.WATER_SANITATION,
        donors=[good_neighbors],
        communes=[cam_xuyen, thanh_sen],
        status=S.IMPLEMENTING,
        planned_start=d(2024, 3, 1),
        planned_end=d(2026, 12, 31),
        actual_start=d(2024, 3, 1),
        **in_vnd(1000),
    )
    b = AidProjectFactory(
        code="B",
        sector=Sector.EDUCATION,
        donors=[good_neighbors, community],
        communes=[thanh_sen],
        status=S.COMPLETED,
        planned_start=d(2023, 1, 1),
        planned_end=d(2024, 6, 30),
        actual_start=d(2023, 1, 1),
        actual_end=d(2024, 6, 30),
        **in_vnd(600),
    )
    c = AidProjectFactory(
        code="C",
        sector=Sector.HEALTH,
        donors=[unicef],
        communes=[huong_khe],
        status=S.APPROVED,
        planned_start=d(2025, 6, 1),
        planned_end=d(2027, 5, 31),
        **in_vnd(2000),
    )
    dd = AidProjectFactory(
        code="D",
        sector=Sector.WATER_SANITATION,
        donors=[community],
        communes=[cam_xuyen],
        status=S.REVOKED,
        planned_start=d(2024, 1, 1),
        planned_end=d(2024, 12, 31),
        **in_vnd(400),
    )
    e = AidProjectFactory(
        code="E",
        sector=Sector.EDUCATION,
        donors=[unicef],
        communes=[huong_khe],
        status=S.PROPOSED,
        planned_start=d(2026, 9, 1),
        planned_end=d(2027, 8, 31),
        **in_vnd(500),
    )
    pay(a, d(2024, 5, 1), 300)
    pay(a, d(2025, 2, 1), 200)
    pay(b, d(2023, 6, 1), 250)
    pay(b, d(2024, 3, 1), 350)
    return {
        "good_neighbors": good_neighbors,
        "community": community,
        "unicef": unicef,
        "cam_xuyen": cam_xuyen,
        "thanh_sen": thanh_sen,
        "huong_khe": huong_khe,
        "projects": {"A": a, "B": b, "C": c, "D": dd, "E": e},
    }


def row(key, label, projects: int, committed_millions: int, disbursed_millions: int) -> dict:
    return {
        "key": key,
        "label": label,
        "projects": projects,
        "committed": committed_millions * MILLION,
        "disbursed": disbursed_millions * MILLION,
    }


# --- by donor, sector, commune ---------------------------------------------------------------------


def test_by_donor_over_all_years(aid):
    good_neighbors, community, unicef = aid["good_neighbors"], aid["community"], aid["unicef"]

    assert selectors.by_donor() == [
        row(good_neighbors.pk, "Good Neighbors International", 2, 1600, 1100),  # A + B
        row(community.pk, "Cộng đồng người Việt Nam tại Thái Lan", 1, 600, 600),  # B; D is revoked
        row(unicef.pk, "UNICEF", 2, 2500, 0),  # C + E
    ]


def test_by_donor_in_a_year_counts_the_projects_running_then_and_the_money_paid_then(aid):
    good_neighbors, community = aid["good_neighbors"], aid["community"]

    assert selectors.by_donor(2024) == [
        row(good_neighbors.pk, "Good Neighbors International", 2, 1600, 650),  # A 300 + B 350
        row(community.pk, "Cộng đồng người Việt Nam tại Thái Lan", 1, 600, 350),
    ]
    # 2023: only B runs, and both its donors have the same figures: by name.
    assert selectors.by_donor(2023) == [
        row(community.pk, "Cộng đồng người Việt Nam tại Thái Lan", 1, 600, 250),
        row(good_neighbors.pk, "Good Neighbors International", 1, 600, 250),
    ]


def test_by_sector_over_all_years(aid):
    assert selectors.by_sector() == [
        row(Sector.EDUCATION, Sector.EDUCATION.label, 2, 1100, 600),  # B + E
        row(Sector.WATER_SANITATION, Sector.WATER_SANITATION.label, 1, 1000, 500),  # A; D is revoked
        row(Sector.HEALTH, Sector.HEALTH.label, 1, 2000, 0),  # C
    ]


def test_by_sector_in_a_year(aid):
    # 2025: A runs and is paid 200; C is approved for 06/2025; B ended in 2024; E starts in 2026.
    assert selectors.by_sector(2025) == [
        row(Sector.WATER_SANITATION, Sector.WATER_SANITATION.label, 1, 1000, 200),
        row(Sector.HEALTH, Sector.HEALTH.label, 1, 2000, 0),
    ]


def test_by_commune_over_all_years(aid):
    assert selectors.by_commune() == [
        row(aid["thanh_sen"].pk, "Phường Thành Sen", 2, 1600, 1100),  # A + B
        row(aid["cam_xuyen"].pk, "Xã Cẩm Xuyên", 1, 1000, 500),  # A; D is revoked
        row(aid["huong_khe"].pk, "Xã Hương Khê", 2, 2500, 0),  # C + E
    ]


def test_by_commune_in_a_year(aid):
    assert selectors.by_commune(2024) == [
        row(aid["thanh_sen"].pk, "Phường Thành Sen", 2, 1600, 650),
        row(aid["cam_xuyen"].pk, "Xã Cẩm Xuyên", 1, 1000, 300),
    ]


# --- by state --------------------------------------------------------------------------------------


def test_by_status_lists_every_state_in_order(aid):
    figures = {
        entry["key"]: (entry["projects"], entry["committed"], entry["disbursed"]) for entry in selectors.by_status()
    }

    assert [entry["key"] for entry in selectors.by_status()] == list(S)
    assert figures == {
        S.PROPOSED: (1, 500 * MILLION, 0),
        S.UNDER_APPRAISAL: (0, 0, 0),
        S.APPROVED: (1, 2 * BILLION, 0),
        S.REJECTED: (0, 0, 0),
        S.IMPLEMENTING: (1, BILLION, 500 * MILLION),
        S.ADJUSTED: (0, 0, 0),
        S.COMPLETED: (1, 600 * MILLION, 600 * MILLION),
        S.SETTLED: (0, 0, 0),
        S.REVOKED: (1, 400 * MILLION, 0),
    }
    assert selectors.by_status()[0]["label"] == S.PROPOSED.label


def test_by_status_in_a_year(aid):
    figures = {
        entry["key"]: (entry["projects"], entry["committed"], entry["disbursed"])
        for entry in selectors.by_status(2024)
        if entry["projects"] or entry["disbursed"]
    }

    # D was planned for 2024 but revoked: it never ran.
    assert figures == {
        S.IMPLEMENTING: (1, BILLION, 300 * MILLION),
        S.COMPLETED: (1, 600 * MILLION, 350 * MILLION),
    }


# --- one donor, counts -----------------------------------------------------------------------------


def test_donor_totals(aid):
    assert selectors.donor_totals(aid["good_neighbors"].pk) == {
        "committed": 1600 * MILLION,
        "count": 2,
        "disbursed": 1100 * MILLION,
    }
    assert selectors.donor_totals(aid["community"].pk) == {
        "committed": 600 * MILLION,
        "count": 1,
        "disbursed": 600 * MILLION,
    }
    assert selectors.donor_totals(aid["unicef"].pk) == {"committed": 2500 * MILLION, "count": 2, "disbursed": 0}


def test_the_donors_are_listed_once_each_with_their_figures_the_largest_giver_first(aid):
    DonorFactory(individual=True, name="Aaron, no aid yet")  # a donor without aid is not listed
    rows, totals = selectors.donors_overview()
    assert len(rows) == 3
    assert [(row.name, row.projects, row.committed, row.disbursed) for row in rows[0:3]] == [
        ("Good Neighbors International", 2, 1600 * MILLION, 1100 * MILLION),
        ("Cộng đồng người Việt Nam tại Thái Lan", 1, 600 * MILLION, 600 * MILLION),  # D is revoked
        ("UNICEF", 2, 2500 * MILLION, 0),
    ]
    # The last row counts B, shared by two donors, once.
    assert totals == {"projects": 4, "committed": 4100 * MILLION, "disbursed": 1100 * MILLION}
    with CaptureQueriesContext(connection) as queries:
        page = rows[1:3]
    assert [row.name for row in page] == ["Cộng đồng người Việt Nam tại Thái Lan", "UNICEF"]
    assert len(queries) == 1  # the page's partners, in one query
    assert rows[-1].name == "UNICEF"


def test_donor_totals_of_a_donor_without_aid_are_zero(db):
    assert selectors.donor_totals(DonorFactory(individual=True).pk) == {"committed": 0, "count": 0, "disbursed": 0}


def test_project_counts(aid, settings):
    assert selectors.project_counts() == {"total": 5, "running": 1, "since": 4}  # D is revoked

    settings.AID_SINCE_YEAR = 2024

    assert selectors.project_counts() == {"total": 5, "running": 1, "since": 3}  # A, C, E


# --- approved but not started ------------------------------------------------------------------------


@pytest.fixture
def approvals(db):
    """Approvals around TODAY (15/04/2026) minus six months."""

    def approved(decided_on, **fields):
        return AidProjectFactory(status=S.APPROVED, decision_number="125/QĐ-UBND", decision_date=decided_on, **fields)

    return {
        "six_months_to_the_day": approved(d(2025, 10, 15)),
        "a_day_short": approved(d(2025, 10, 16)),
        "end_of_august": approved(d(2025, 8, 31)),  # six months: 28/02/2026
        "started": AidProjectFactory(
            status=S.IMPLEMENTING, decision_date=d(2024, 5, 1), actual_start=d(2024, 6, 1), decision_number="1/QĐ"
        ),
        "revoked": AidProjectFactory(status=S.REVOKED, decision_date=d(2024, 5, 1), decision_number="2/QĐ"),
        "in_appraisal": AidProjectFactory(status=S.UNDER_APPRAISAL),
    }


def test_not_started_lists_approvals_six_months_old_or_more(approvals):
    assert list(selectors.not_started()) == [approvals["end_of_august"], approvals["six_months_to_the_day"]]


def test_not_started_on_the_exact_six_month_boundary_clamped_to_the_month_end(approvals, clock):
    clock.move_to(at(d(2026, 2, 27)))
    assert list(selectors.not_started()) == []

    clock.move_to(at(d(2026, 2, 28)))
    assert list(selectors.not_started()) == [approvals["end_of_august"]]


def test_not_started_on_a_given_day(approvals):
    assert list(selectors.not_started(today=d(2026, 4, 16))) == [
        approvals["end_of_august"],
        approvals["six_months_to_the_day"],
        approvals["a_day_short"],
    ]


def test_not_started_follows_the_months_in_the_settings(approvals, settings):
    settings.AID_NOT_STARTED_MONTHS = 7

    # 31/08/2025 + 7 months = 31/03/2026, passed; 15/10/2025 + 7 months = 15/05/2026, not yet.
    assert list(selectors.not_started()) == [approvals["end_of_august"]]


@pytest.mark.parametrize("months", [1, 6, 7, 13])
def test_the_last_revocable_decision_date_is_the_calendars_every_day_of_two_years(months):
    """The query's cut-off agrees with adding the months to each decision date, day by day over two years
    (leap and common Februaries, months of 30 and 31 days)."""
    day = d(2027, 1, 1)
    while day < d(2029, 1, 1):
        latest = selectors.last_decision_revocable(day, months)
        following = latest + datetime.timedelta(days=1)
        assert add_months(latest, months) <= day < add_months(following, months), (day, latest)
        day += datetime.timedelta(days=1)


def test_not_started_reads_one_page_of_the_approvals(approvals, django_assert_num_queries):
    page = Paginator(selectors.not_started(), 1).get_page(2)
    with django_assert_num_queries(1):
        assert list(page) == [approvals["six_months_to_the_day"]]


# --- a fixed number of queries ---------------------------------------------------------------------


def projects_with_money(count: int) -> None:
    for number in range(count):
        project = AidProjectFactory(
            status=[S.IMPLEMENTING, S.COMPLETED, S.ADJUSTED][number % 3],
            actual_start=d(2023, 1, 1),
            communes=[commune("18673"), commune("18496")],
            donors=[DonorFactory(), DonorFactory(overseas_vietnamese=True)],
        )
        pay(project, d(2023 + number % 3, 6, 1), 100 + number)


def queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        pytest.param(selectors.disbursed_by_year, 1, id="disbursed_by_year"),
        pytest.param(selectors.by_status, 1, id="by_status"),
        pytest.param(lambda: selectors.by_status(2024), 2, id="by_status-in-a-year"),
        pytest.param(selectors.by_donor, 1, id="by_donor"),
        pytest.param(selectors.by_sector, 1, id="by_sector"),
        pytest.param(lambda: selectors.by_commune(2024), 2, id="by_commune-in-a-year"),
        pytest.param(selectors.project_counts, 1, id="project_counts"),
        pytest.param(lambda: [p.disbursed_vnd for p in AidProject.objects.all()], 1, id="disbursed_to_date"),
    ],
)
def test_reads_take_as_many_queries_for_ten_projects_as_for_two(db, read, expected):
    projects_with_money(2)
    few = queries(read)

    projects_with_money(8)
    many = queries(read)

    assert AidProject.objects.count() == 10
    assert few == many == expected


def test_the_index_of_the_aid_owing_reports_lists_the_states_the_alerts_leave_out():
    """PostgreSQL uses the partial index only where the query's condition is the index's own."""
    [index] = [index for index in AidProject._meta.indexes if index.name == "aid_project_owes_reports"]
    assert index.condition == ~Q(status__in=[str(status) for status in AidProject.OWES_NO_REPORTS])


def test_the_index_of_the_approvals_not_started_has_the_alerts_condition():
    [index] = [index for index in AidProject._meta.indexes if index.name == "aid_project_not_started"]
    condition = {**AidProject.APPROVED_NOT_STARTED, "status": str(AidProject.Status.APPROVED)}
    assert index.condition == Q(**condition)
    assert index.fields == ["decision_date", "id"]  # the alerts' order: selectors.not_started
