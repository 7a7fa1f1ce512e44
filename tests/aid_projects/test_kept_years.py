"""What was disbursed each year (`DisbursementYear`: in all, in cash, to how many projects) follows every
write: after each step below the kept rows are exactly what `totals.rebuild()` sums from the
disbursements, and the figures read from them are those summed from the disbursements themselves."""

import datetime
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from aid_projects import selectors, totals
from aid_projects.models import AidProject, Disbursement, DisbursementYear
from aid_projects.services import disbursement_record
from tests.aid_projects.factories import project_in
from tests.race import at_once

D = datetime.date
S = AidProject.Status


def kept() -> set[tuple]:
    return set(DisbursementYear.objects.values_list("year", "total_vnd", "cash_vnd", "projects"))


def kept_by_project() -> dict[int, Decimal]:
    return dict(AidProject.objects.values_list("pk", "disbursed_vnd"))


def assert_kept_as_rebuilt() -> None:
    before, projects = kept(), kept_by_project()
    totals.rebuild()
    assert (before, projects) == (kept(), kept_by_project())
    summed_by_project = dict(Disbursement.objects.values_list("project").annotate(total=Sum("amount_vnd")).order_by())
    assert projects == {pk: summed_by_project.get(pk, Decimal(0)) for pk in projects}


def summed(year: int) -> tuple[Decimal, int]:
    """Disbursed in the year and the projects it went to, from the disbursements themselves."""
    found = Disbursement.objects.filter(date__year=year).aggregate(
        total=Sum("amount_vnd"), projects=Count("project", distinct=True)
    )
    return found["total"] or Decimal(0), found["projects"]


def record(actor, project, day, amount, form=Disbursement.Form.CASH, instance=None) -> Disbursement:
    disbursement = instance or Disbursement(project=project)
    disbursement.date, disbursement.amount, disbursement.form = day, Decimal(amount), form
    disbursement.currency, disbursement.exchange_rate = "VND", Decimal(1)
    return disbursement_record(actor=actor, instance=disbursement)


@pytest.fixture
def two_projects(cast):
    return (
        project_in(S.IMPLEMENTING, decided_on=D(2022, 12, 1), started_on=D(2023, 1, 1), code="VT-2023-001"),
        project_in(S.IMPLEMENTING, decided_on=D(2022, 12, 1), started_on=D(2023, 1, 1), code="VT-2023-002"),
    )


@pytest.mark.django_db
def test_each_write_of_a_disbursement_keeps_its_years_as_a_rebuild_sums_them(cast, two_projects):
    a, b = two_projects
    staff = cast.staff

    first = record(staff, a, D(2024, 3, 1), 100_000_000)
    assert kept() == {(2024, Decimal(100_000_000), Decimal(100_000_000), 1)}

    record(staff, b, D(2024, 5, 1), 40_000_000, Disbursement.Form.IN_KIND)
    record(staff, a, D(2024, 9, 1), 10_000_000)
    assert kept() == {(2024, Decimal(150_000_000), Decimal(110_000_000), 2)}
    assert_kept_as_rebuilt()

    # A corrected amount, then a date moved to another year: both years are worked out again.
    first = Disbursement.objects.get(pk=first.pk)
    record(staff, a, D(2024, 3, 1), 120_000_000, instance=first)
    assert selectors.disbursed_in_year(2024) == summed(2024)[0] == Decimal(170_000_000)
    record(staff, a, D(2025, 1, 15), 120_000_000, instance=Disbursement.objects.get(pk=first.pk))
    assert kept() == {
        (2024, Decimal(50_000_000), Decimal(10_000_000), 2),
        (2025, Decimal(120_000_000), Decimal(120_000_000), 1),
    }
    assert_kept_as_rebuilt()

    # Saved twice from the same instance, with a date typed as text: the second save starts from the first.
    moved = Disbursement.objects.get(pk=first.pk)
    moved.date = "2023-12-31"
    moved.save()
    moved.date = "2024-12-31"
    moved.save()
    assert selectors.year_disbursed(2023) == {"total": Decimal(0), "projects": 0}
    assert {year: summed(year) for year in (2024, 2025)} == {
        2024: (Decimal(170_000_000), 2),
        2025: (Decimal(0), 0),
    }
    assert_kept_as_rebuilt()
    assert not DisbursementYear.objects.filter(year__in=(2023, 2025)).exists()  # no empty years kept

    # Moved to the other project: both projects' totals follow.
    moved = Disbursement.objects.get(pk=first.pk)
    moved.project = b
    moved.save()
    assert kept_by_project() == {a.pk: Decimal(10_000_000), b.pk: Decimal(160_000_000)}
    assert_kept_as_rebuilt()

    # Deleted: the year goes down, and a year left with nothing has no row.
    Disbursement.objects.get(pk=first.pk).delete()
    assert selectors.year_disbursed(2024) == {"total": Decimal(50_000_000), "projects": 2}
    assert_kept_as_rebuilt()
    for disbursement in Disbursement.objects.all():
        disbursement.delete()
    assert (kept(), set(kept_by_project().values())) == (set(), {Decimal(0)})


@pytest.mark.django_db
def test_saving_aid_read_before_a_disbursement_leaves_its_total_as_the_disbursement_made_it(cast, two_projects):
    a, _ = two_projects
    read_before = AidProject.objects.get(pk=a.pk)
    record(cast.staff, a, D(2024, 3, 1), 100_000_000)

    read_before.beneficiaries += 10
    read_before.save()

    a.refresh_from_db()
    assert (a.beneficiaries, a.disbursed_vnd) == (read_before.beneficiaries, Decimal(100_000_000))


@pytest.mark.django_db
def test_the_dashboard_and_the_yearly_page_read_the_kept_years_as_the_disbursements_sum(cast, two_projects):
    a, b = two_projects
    for project, day, amount, form in [
        (a, D(2023, 5, 1), 150_000_000, Disbursement.Form.CASH),
        (b, D(2023, 11, 30), 100_000_000, Disbursement.Form.IN_KIND),
        (a, D(2024, 1, 1), 300_000_000, Disbursement.Form.CASH),
        (a, D(2024, 6, 1), 1_000, Disbursement.Form.IN_KIND),
    ]:
        record(cast.staff, project, day, amount, form)

    rows = {row["year"]: row for row in selectors.disbursed_by_year(since=2022, until=2025)}

    assert list(rows) == [2022, 2023, 2024, 2025]
    for year, row in rows.items():
        total, projects = summed(year)
        cash = Disbursement.objects.filter(date__year=year, form="cash").aggregate(total=Sum("amount_vnd"))["total"]
        assert (row["total"], row["projects"], row["cash"]) == (total, projects, cash or Decimal(0))
        assert row["in_kind"] == total - (cash or 0)
    figures = selectors.dashboard_figures(year=2024)
    assert (figures["disbursed"], figures["receiving"]) == (Decimal(300_001_000), 1)


@pytest.mark.django_db
def test_an_import_works_out_each_year_once_for_the_whole_file(cast, run_import):
    from tests.aid_projects.test_imports import DISBURSEMENT_HEADERS, DISBURSEMENTS, xlsx

    project_in(S.IMPLEMENTING, code="VT-2025-014", decided_on=D(2023, 12, 1), started_on=D(2024, 1, 1))
    rows = [
        {"project": "VT-2025-014", "date": f"{day:02d}/0{month}/{year}", "amount": 1_000_000, "currency": "VND"}
        for year in (2024, 2025)
        for month in (2, 3)
        for day in (1, 2, 3)
    ]

    with CaptureQueriesContext(connection) as captured:
        job = run_import(cast.staff, DISBURSEMENTS, xlsx(DISBURSEMENT_HEADERS, rows))

    assert job.created_count == 12, job.errors
    assert kept() == {
        (2024, Decimal(6_000_000), Decimal(6_000_000), 1),
        (2025, Decimal(6_000_000), Decimal(6_000_000), 1),
    }
    sums = [query for query in captured if query["sql"].startswith('INSERT INTO "aid_projects_disbursementyear"')]
    assert len(sums) == 1, "the years are worked out once for the file, not once a row"


@pytest.mark.django_db
def test_deleting_disbursements_in_the_admin_works_their_years_out_once(cast, two_projects, rf):
    from django.contrib import admin

    a, b = two_projects
    for project in (a, b):
        for month in (1, 2, 3):
            record(cast.staff, project, D(2024, month, 1), 1_000_000)
    model_admin = admin.site._registry[Disbursement]
    request = rf.post("/admin/")
    request.user = cast.staff

    with CaptureQueriesContext(connection) as captured:
        model_admin.delete_queryset(request, Disbursement.objects.filter(project=a))

    assert kept() == {(2024, Decimal(3_000_000), Decimal(3_000_000), 1)}
    assert (
        len([query for query in captured if query["sql"].startswith('INSERT INTO "aid_projects_disbursementyear"')])
        == 1
    )


@pytest.mark.django_db
def test_the_migration_and_the_command_work_the_years_out_from_the_disbursements(cast, two_projects):
    a, b = two_projects
    record(cast.staff, a, D(2023, 4, 1), 5_000_000)
    record(cast.staff, b, D(2024, 4, 1), 7_000_000, Disbursement.Form.IN_KIND)
    expected, by_project = kept(), kept_by_project()
    assert len(expected) == 2
    assert by_project == {a.pk: Decimal(5_000_000), b.pk: Decimal(7_000_000)}

    DisbursementYear.objects.all().delete()
    AidProject.objects.update(disbursed_vnd=0)
    importlib.import_module("aid_projects.migrations.0005_kept_disbursement_years").work_out_what_is_already_there(
        apps, None
    )
    importlib.import_module("aid_projects.migrations.0006_kept_project_disbursed").work_out_what_is_already_there(
        apps, None
    )
    assert (kept(), kept_by_project()) == (expected, by_project)

    DisbursementYear.objects.update(total_vnd=1)  # written by other means
    AidProject.objects.update(disbursed_vnd=1)
    out = io.StringIO()
    call_command("rebuild_disbursement_years", stdout=out)
    assert (kept(), kept_by_project()) == (expected, by_project)
    assert "2 years of disbursements, every project's total and the breakdowns rebuilt" in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=f"needs PostgreSQL's concurrent transactions to race two recordings; this run uses {connection.vendor}",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_recording_in_the_same_year_at_once_leave_its_figures_right(cast, two_projects):
    """Each recording works the year out again under the lock: the second waits for the first to commit
    and sums both, so neither clerk's disbursement is missing from the year."""
    errors = at_once(
        [lambda project=project: record(cast.staff, project, D(2024, 7, 1), 2_000_000) for project in two_projects]
    )

    assert errors == []
    assert kept() == {(2024, Decimal(4_000_000), Decimal(4_000_000), 2)}
