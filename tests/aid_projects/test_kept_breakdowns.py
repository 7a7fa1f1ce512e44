"""The aid's breakdowns by year (`AidBreakdown`: by sector, donor, commune and state, each year and to date)
follow every write: after each step below, the rows kept for every year are exactly what
`totals.work_out` sums from the projects and disbursements, and a rebuild writes the same."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aid_projects import selectors, services, totals
from aid_projects.models import AidBreakdown, AidBreakdownYear, AidProject, Disbursement, Sector
from tests.aid_projects.factories import DonorFactory, commune, project_in
from tests.race import at_once

D = datetime.date
S = AidProject.Status
COLUMNS = ("year", "dimension", "code", "partner_id", "commune_id", "projects", "committed_vnd", "disbursed_vnd")


def figures(rows) -> set[tuple]:
    return {tuple(getattr(row, name) for name in COLUMNS) for row in rows}


def kept_years() -> list[int]:
    return [AidBreakdown.TO_DATE, *totals.kept_years()]


def assert_kept_as_summed() -> None:
    """Every kept year's rows are what the projects and disbursements sum to now, and a rebuild keeps them."""
    kept = figures(AidBreakdown.objects.all())
    summed = set()
    for year in kept_years():
        summed |= figures(totals.work_out(year or None))
    assert kept == summed
    totals.rebuild()
    assert figures(AidBreakdown.objects.all()) == summed


def record(actor, project, day, amount) -> Disbursement:
    disbursement = Disbursement(project=project, date=day, amount=Decimal(amount), currency="VND")
    disbursement.exchange_rate, disbursement.form = Decimal(1), Disbursement.Form.CASH
    return services.disbursement_record(actor=actor, instance=disbursement)


def row(year, dimension, **key) -> AidBreakdown | None:
    return AidBreakdown.objects.filter(year=year, dimension=dimension, **key).first()


@pytest.fixture
def running(cast):
    """Two projects running from 2023 (planned to end in 2025), with a donor each and one shared."""
    shared = DonorFactory(name="Quỹ Chung")
    return (
        project_in(
            S.IMPLEMENTING,
            decided_on=D(2022, 12, 1),
            started_on=D(2023, 1, 1),
            code="VT-2023-001",
            sector=Sector.HEALTH,
            planned_start=D(2023, 1, 1),
            planned_end=D(2025, 12, 31),
            commitment_amount=Decimal(900_000_000),
            currency="VND",
            donors=[shared, DonorFactory(name="Quỹ A")],
            communes=[commune("18073")],
        ),
        project_in(
            S.IMPLEMENTING,
            decided_on=D(2022, 12, 1),
            started_on=D(2023, 1, 1),
            code="VT-2023-002",
            sector=Sector.EDUCATION,
            planned_start=D(2023, 1, 1),
            planned_end=D(2025, 12, 31),
            commitment_amount=Decimal(500_000_000),
            currency="VND",
            donors=[shared],
        ),
    )


@pytest.mark.django_db
def test_every_write_keeps_the_breakdowns_as_they_are_summed(cast, running):
    a, b = running
    staff = cast.staff
    assert row(2024, "sector", code=Sector.HEALTH).committed_vnd == Decimal(900_000_000)
    assert row(2024, "donor", partner__name="Quỹ Chung").projects == 2
    assert row(2026, "sector", code=Sector.HEALTH) is None  # planned to end in 2025
    assert_kept_as_summed()

    # Money: the year it is paid in and to date.
    first = record(staff, a, D(2024, 3, 1), 100_000_000)
    record(staff, b, D(2024, 5, 1), 40_000_000)
    assert row(2024, "donor", partner__name="Quỹ Chung").disbursed_vnd == Decimal(140_000_000)
    assert row(0, "commune", commune__code="18073").disbursed_vnd == Decimal(100_000_000)
    assert_kept_as_summed()

    # A disbursement moved to another year, then deleted.
    first = Disbursement.objects.get(pk=first.pk)
    first.date = D(2025, 2, 1)
    first.save()
    assert row(2024, "sector", code=Sector.HEALTH).disbursed_vnd == 0
    assert_kept_as_summed()

    # The project's own fields: its sector (its money moves with it, in every year), its end, its donors.
    a = AidProject.objects.get(pk=a.pk)
    a.sector = Sector.WATER_SANITATION
    a.save()
    assert row(2025, "sector", code=Sector.WATER_SANITATION).disbursed_vnd == Decimal(100_000_000)
    assert row(2025, "sector", code=Sector.HEALTH) is None
    assert_kept_as_summed()

    a.planned_end = D(2027, 6, 30)
    a.save()
    assert row(2026, "sector", code=Sector.WATER_SANITATION).projects == 1
    assert_kept_as_summed()

    a.donors.remove(a.donors.get(name="Quỹ A"))
    a.communes.add(commune("18100"))
    assert row(2024, "donor", partner__name="Quỹ A") is None
    assert_kept_as_summed()

    # From the other side of the links: a donor given a project, a donor's projects cleared.
    newcomer = DonorFactory(name="Quỹ Mới")
    newcomer.aid_projects.add(b)
    assert row(2024, "donor", partner=newcomer).committed_vnd == Decimal(500_000_000)
    newcomer.aid_projects.add(a)
    assert_kept_as_summed()
    newcomer.aid_projects.clear()
    assert row(2024, "donor", partner=newcomer) is None
    newcomer.aid_projects.add(b)
    assert_kept_as_summed()

    # Rejected or revoked aid never ran: gone from every year's committed, still counted by state to date.
    b = AidProject.objects.get(pk=b.pk)
    b.status = S.REVOKED
    b.save(update_fields=["status"])
    assert row(2024, "sector", code=Sector.EDUCATION).projects == 0
    assert row(0, "status", code=S.REVOKED).projects == 1
    assert_kept_as_summed()

    # A donor deleted takes its rows; its money deleted, then a project deleted, takes its years.
    gone = newcomer.pk
    newcomer.delete()
    assert not AidBreakdown.objects.filter(partner_id=gone).exists()
    for disbursement in Disbursement.objects.filter(project=a):
        disbursement.delete()
    assert_kept_as_summed()
    AidProject.objects.get(pk=a.pk).delete()
    assert_kept_as_summed()
    assert not AidBreakdown.objects.filter(code=Sector.WATER_SANITATION).exists()


@pytest.mark.django_db
def test_a_save_that_changes_nothing_they_read_works_nothing_out(running):
    a = AidProject.objects.get(pk=running[0].pk)
    a.description = "Mô tả mới"
    with CaptureQueriesContext(connection) as captured:
        a.save()
    assert not [query for query in captured if "aidbreakdown" in query["sql"]]


@pytest.mark.django_db
def test_a_write_works_out_again_only_the_groups_of_its_project(cast, running):
    """A disbursement, a new sector, a donor added: each rewrites its project's groups, never a whole
    breakdown of a year (which at a hundred times the data holds thousands of donors)."""
    a = AidProject.objects.get(pk=running[0].pk)

    def change_sector():
        a.sector = Sector.AGRICULTURE
        a.save()

    writes = [
        lambda: record(cast.staff, a, D(2024, 6, 1), 1_000_000),
        change_sector,
        lambda: a.donors.add(DonorFactory()),
    ]
    for write in writes:
        with CaptureQueriesContext(connection) as captured:
            write()
        # The rows it replaces, deleted by their keys: never a year's whole breakdown.
        replaced = [
            query["sql"] for query in captured if query["sql"].startswith('DELETE FROM "aid_projects_aidbreakdown"')
        ]
        assert replaced
        assert all('"aid_projects_aidbreakdown"."dimension" = ' in sql and " IN (" in sql for sql in replaced), replaced
    assert_kept_as_summed()


@pytest.mark.django_db
def test_a_step_of_the_workflow_works_out_only_the_states(cast):
    """A step changes the project's state alone: its two states' rows, not its sector's, donors' or
    communes'; a rejection takes it out of every year's committed, so every breakdown."""
    project = project_in(S.UNDER_APPRAISAL, planned_start=D(2024, 1, 1), planned_end=D(2025, 12, 31))

    with CaptureQueriesContext(connection) as captured:
        services.aid_project_approve(
            project_id=project.pk, actor=cast.province, decision_number="12/QĐ-UBND", decision_date=D(2024, 1, 5)
        )
    deletes = [query["sql"] for query in captured if query["sql"].startswith('DELETE FROM "aid_projects_aidbreakdown"')]
    assert deletes
    assert all("'status'" in sql for sql in deletes), deletes
    assert_kept_as_summed()

    rejected = project_in(S.UNDER_APPRAISAL, planned_start=D(2024, 1, 1), planned_end=D(2025, 12, 31))
    with CaptureQueriesContext(connection) as captured:
        services.aid_project_reject(project_id=rejected.pk, actor=cast.province, comment="Không đủ hồ sơ.")
    deletes = [query["sql"] for query in captured if query["sql"].startswith('DELETE FROM "aid_projects_aidbreakdown"')]
    assert {"'sector'", "'donor'", "'status'"} <= {word for sql in deletes for word in sql.split() if word[0] == "'"}
    assert_kept_as_summed()


@pytest.mark.django_db
def test_a_year_not_kept_is_summed_when_asked_for_and_gives_the_same_figures(running, settings):
    expected = selectors.by_donor(2024)
    AidBreakdownYear.objects.filter(year=2024).delete()  # as for a year that entered the window since
    AidBreakdown.objects.filter(year=2024).delete()
    assert selectors.by_donor(2024) == expected
    assert not AidBreakdown.objects.filter(year=2024).exists()  # read, not written

    settings.AID_SINCE_YEAR = 2025  # 2024 is before the kept years: its rows, if any, are not read
    totals.rebuild()
    assert not AidBreakdown.objects.filter(year=2024).exists()
    assert selectors.by_donor(2024) == expected


@pytest.mark.django_db
def test_the_import_and_the_demo_work_the_breakdowns_out_once(cast, running):
    """Within `kept_once` (an import, the demo) the years touched are worked out once at its end."""
    a = AidProject.objects.get(pk=running[0].pk)
    with CaptureQueriesContext(connection) as captured, totals.kept_once():
        for year in (2023, 2024, 2025):
            record(cast.staff, a, D(year, 6, 1), 1_000_000)
        a.communes.add(commune("18100"))
    statements = [query["sql"] for query in captured]
    writes = [at for at, sql in enumerate(statements) if sql.startswith("INSERT") and "aidbreakdown" not in sql]
    kept = [at for at, sql in enumerate(statements) if "aidbreakdown" in sql]
    assert len(writes) >= 4 and kept
    assert min(kept) > max(writes)  # worked out after the last write, once
    deletes = [sql for sql in statements if sql.startswith("DELETE") and "aidbreakdown" in sql]
    assert len(deletes) == len(set(deletes))
    # The project's groups are read once for the three disbursements, not once for each.
    links = 'SELECT "aid_projects_aidproject_donors"."aidproject_id" AS "aidproject_id", '
    donors_read = [sql for sql in statements if sql.startswith(links)]
    assert len(donors_read) == 1, donors_read
    assert_kept_as_summed()


@pytest.mark.django_db
def test_the_migration_and_the_command_write_what_the_writes_keep(running):
    expected = figures(AidBreakdown.objects.all())
    AidBreakdown.objects.all().delete()
    AidBreakdownYear.objects.all().delete()
    importlib.import_module("aid_projects.migrations.0008_kept_breakdowns").work_out_what_is_already_there(apps, None)
    assert figures(AidBreakdown.objects.all()) == expected
    assert set(AidBreakdownYear.objects.values_list("year", flat=True)) == set(totals.kept_years())


@pytest.mark.django_db
def test_the_donors_page_reads_the_kept_rows_most_disbursed_first(login, cast, running):
    a, b = running
    record(cast.staff, b, D(2024, 5, 1), 40_000_000)
    record(cast.staff, a, D(2024, 5, 1), 90_000_000)
    response = login(cast.staff).get(reverse("aid_projects:donors"))
    names = [donor.name for donor in response.context["rows"]]
    assert names == ["Quỹ Chung", "Quỹ A"]
    assert [donor.disbursed for donor in response.context["rows"]] == [Decimal(130_000_000), Decimal(90_000_000)]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL's concurrent transactions to race two writes; this run uses {connection.vendor}",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_changing_projects_of_the_same_year_at_once_leave_its_breakdowns_right(cast, running):
    """Each write works its years out again under the lock: the second waits for the first to commit and
    sums both."""
    a, b = running

    def resector(project, sector):
        project = AidProject.objects.get(pk=project.pk)
        project.sector = sector
        project.save()

    errors = at_once([lambda: resector(a, Sector.WATER_SANITATION), lambda: resector(b, Sector.WATER_SANITATION)])

    assert errors == []
    assert row(2024, "sector", code=Sector.WATER_SANITATION).projects == 2
    assert_kept_as_summed()
