"""The reports an aid owner owes (ND 80/2020): a 6-month report for each first half-year and a yearly
report for each calendar year that ends while the aid runs, each due 15 days after its period, and
a completion report due 6 months after the end. Every due date below is worked out by hand.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aid_projects import selectors
from aid_projects.models import AidProject, ProgressReport
from aid_projects.services import (
    aid_project_adjust,
    aid_project_complete,
    aid_project_save,
    progress_report_submit,
    report_schedule,
)
from tests.aid_projects.factories import (
    TODAY,
    AidProjectFactory,
    ProgressReportFactory,
    project_in,
    receive_reports,
)
from tests.clock import at

S = AidProject.Status
SIX, YEAR, END = ProgressReport.Kind.SIX_MONTH, ProgressReport.Kind.YEARLY, ProgressReport.Kind.COMPLETION
d = datetime.date


def owed(project) -> list[tuple]:
    """(kind, period start, period end, due on, received on) of the project's report rows."""
    return list(
        project.reports.order_by("due_on", "kind").values_list(
            "kind", "period_start", "period_end", "due_on", "submitted_on"
        )
    )


# --- the schedule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "schedule"),
    [
        pytest.param(
            d(2020, 3, 1), d(2021, 12, 31),
            [(SIX, d(2020, 3, 1), d(2020, 6, 30), d(2020, 7, 15)),
             (YEAR, d(2020, 3, 1), d(2020, 12, 31), d(2021, 1, 15)),
             (SIX, d(2021, 1, 1), d(2021, 6, 30), d(2021, 7, 15)),
             (YEAR, d(2021, 1, 1), d(2021, 12, 31), d(2022, 1, 15)),
             (END, d(2020, 3, 1), d(2021, 12, 31), d(2022, 6, 30))],
            id="two-years-to-the-last-day-of-the-year",
        ),
        pytest.param(
            d(2020, 3, 1), d(2021, 8, 31),
            [(SIX, d(2020, 3, 1), d(2020, 6, 30), d(2020, 7, 15)),
             (YEAR, d(2020, 3, 1), d(2020, 12, 31), d(2021, 1, 15)),
             (SIX, d(2021, 1, 1), d(2021, 6, 30), d(2021, 7, 15)),
             (END, d(2020, 3, 1), d(2021, 8, 31), d(2022, 2, 28))],
            id="ends-31-august-completion-clamped-to-28-february",
        ),
        pytest.param(
            d(2022, 2, 1), d(2022, 5, 31),
            [(END, d(2022, 2, 1), d(2022, 5, 31), d(2022, 11, 30))],
            id="within-the-first-half-year",
        ),
        pytest.param(
            d(2022, 7, 1), d(2022, 11, 30),
            [(END, d(2022, 7, 1), d(2022, 11, 30), d(2023, 5, 30))],
            id="within-the-second-half-year",
        ),
        pytest.param(
            d(2022, 4, 1), d(2022, 9, 30),
            [(SIX, d(2022, 4, 1), d(2022, 6, 30), d(2022, 7, 15)),
             (END, d(2022, 4, 1), d(2022, 9, 30), d(2023, 3, 30))],
            id="across-the-middle-of-the-year",
        ),
        pytest.param(
            d(2023, 8, 15), d(2024, 2, 29),
            [(YEAR, d(2023, 8, 15), d(2023, 12, 31), d(2024, 1, 15)),
             (END, d(2023, 8, 15), d(2024, 2, 29), d(2024, 8, 29))],
            id="across-the-new-year-ending-on-a-leap-day",
        ),
    ],
)  # fmt: skip
def test_report_schedule_by_hand(start, end, schedule):
    assert report_schedule(start=start, end=end) == schedule


def test_report_schedule_follows_the_settings(settings):
    settings.AID_PERIOD_REPORT_DUE_DAYS = 30
    settings.AID_COMPLETION_REPORT_MONTHS = 3

    assert report_schedule(start=d(2020, 3, 1), end=d(2020, 8, 31)) == [
        (SIX, d(2020, 3, 1), d(2020, 6, 30), d(2020, 7, 30)),
        (END, d(2020, 3, 1), d(2020, 8, 31), d(2020, 11, 30)),
    ]


# --- laying the rows out as the project moves -------------------------------------------------------


def test_approved_aid_owes_no_report_until_it_starts(cast):
    assert not project_in(S.APPROVED).reports.exists()


def test_starting_the_aid_lays_out_its_reports(cast):
    project = project_in(
        S.IMPLEMENTING,
        decided_on=d(2020, 1, 15),
        started_on=d(2020, 3, 1),
        planned_start=d(2020, 2, 1),
        planned_end=d(2021, 12, 31),
    )

    assert owed(project) == [
        (SIX, d(2020, 3, 1), d(2020, 6, 30), d(2020, 7, 15), None),
        (YEAR, d(2020, 3, 1), d(2020, 12, 31), d(2021, 1, 15), None),
        (SIX, d(2021, 1, 1), d(2021, 6, 30), d(2021, 7, 15), None),
        (YEAR, d(2021, 1, 1), d(2021, 12, 31), d(2022, 1, 15), None),
        (END, d(2020, 3, 1), d(2021, 12, 31), d(2022, 6, 30), None),
    ]


def test_an_adjustment_adds_and_removes_owed_reports_and_leaves_received_ones(cast, clock):
    clock.move_to(at(d(2021, 3, 15)))
    project = project_in(
        S.IMPLEMENTING,
        decided_on=d(2020, 1, 15),
        started_on=d(2020, 3, 1),
        planned_start=d(2020, 3, 1),
        planned_end=d(2021, 12, 31),
    )
    receive_reports(project, SIX, YEAR, until=d(2020, 12, 31))
    received_2020 = [
        (SIX, d(2020, 3, 1), d(2020, 6, 30), d(2020, 7, 15), d(2021, 3, 15)),
        (YEAR, d(2020, 3, 1), d(2020, 12, 31), d(2021, 1, 15), d(2021, 3, 15)),
    ]

    aid_project_adjust(
        project_id=project.pk,
        actor=cast.province,
        decision_number="310/QĐ-UBND",
        decision_date=d(2021, 3, 15),
        comment="Gia hạn đến 31/08/2022.",
        planned_end=d(2022, 8, 31),
    )

    assert owed(project) == received_2020 + [
        (SIX, d(2021, 1, 1), d(2021, 6, 30), d(2021, 7, 15), None),
        (YEAR, d(2021, 1, 1), d(2021, 12, 31), d(2022, 1, 15), None),
        (SIX, d(2022, 1, 1), d(2022, 6, 30), d(2022, 7, 15), None),
        (END, d(2020, 3, 1), d(2022, 8, 31), d(2023, 2, 28), None),
    ]

    aid_project_adjust(
        project_id=project.pk,
        actor=cast.province,
        decision_number="311/QĐ-UBND",
        decision_date=d(2021, 3, 15),
        comment="Rút ngắn, kết thúc 31/05/2021.",
        planned_end=d(2021, 5, 31),
    )

    assert owed(project) == received_2020 + [
        (END, d(2020, 3, 1), d(2021, 5, 31), d(2021, 11, 30), None),
    ]


def test_a_received_report_stays_when_a_corrected_start_no_longer_owes_it(cast, clock):
    clock.move_to(at(d(2020, 8, 1)))
    project = project_in(
        S.IMPLEMENTING,
        decided_on=d(2020, 1, 15),
        started_on=d(2020, 3, 1),
        planned_start=d(2020, 3, 1),
        planned_end=d(2021, 12, 31),
    )
    receive_reports(project, SIX, until=d(2020, 6, 30))
    project.actual_start = d(2020, 7, 1)

    aid_project_save(actor=cast.staff, instance=project)

    assert owed(project) == [
        (SIX, d(2020, 3, 1), d(2020, 6, 30), d(2020, 7, 15), d(2020, 8, 1)),
        (YEAR, d(2020, 7, 1), d(2020, 12, 31), d(2021, 1, 15), None),
        (SIX, d(2021, 1, 1), d(2021, 6, 30), d(2021, 7, 15), None),
        (YEAR, d(2021, 1, 1), d(2021, 12, 31), d(2022, 1, 15), None),
        (END, d(2020, 7, 1), d(2021, 12, 31), d(2022, 6, 30), None),
    ]


def test_laying_out_again_moves_the_due_dates_of_reports_not_yet_received(cast, settings):
    project = project_in(S.IMPLEMENTING)  # 01/03/2025 – 31/12/2026
    receive_reports(project, SIX, until=d(2025, 6, 30))
    settings.AID_PERIOD_REPORT_DUE_DAYS = 30

    aid_project_complete(project_id=project.pk, actor=cast.staff, ended_on=d(2026, 4, 10))

    assert owed(project) == [
        (SIX, d(2025, 3, 1), d(2025, 6, 30), d(2025, 7, 15), TODAY),  # received: as it was
        (YEAR, d(2025, 3, 1), d(2025, 12, 31), d(2026, 1, 30), None),  # moved from 15/01
        (END, d(2025, 3, 1), d(2026, 4, 10), d(2026, 10, 10), None),
    ]


def test_completion_drops_the_reports_after_the_end_and_dates_the_completion_report(cast):
    project = project_in(S.IMPLEMENTING)  # 01/03/2025 – 31/12/2026
    assert [row[:4] for row in owed(project)] == [
        (SIX, d(2025, 3, 1), d(2025, 6, 30), d(2025, 7, 15)),
        (YEAR, d(2025, 3, 1), d(2025, 12, 31), d(2026, 1, 15)),
        (SIX, d(2026, 1, 1), d(2026, 6, 30), d(2026, 7, 15)),
        (YEAR, d(2026, 1, 1), d(2026, 12, 31), d(2027, 1, 15)),
        (END, d(2025, 3, 1), d(2026, 12, 31), d(2027, 6, 30)),
    ]

    aid_project_complete(project_id=project.pk, actor=cast.staff, ended_on=d(2026, 2, 28))

    assert [row[:4] for row in owed(project)] == [
        (SIX, d(2025, 3, 1), d(2025, 6, 30), d(2025, 7, 15)),
        (YEAR, d(2025, 3, 1), d(2025, 12, 31), d(2026, 1, 15)),
        (END, d(2025, 3, 1), d(2026, 2, 28), d(2026, 8, 28)),
    ]


# --- recording a report as received ----------------------------------------------------------------


def test_staff_record_a_report_as_received(cast):
    report = ProgressReportFactory()

    progress_report_submit(
        report_id=report.pk, actor=cast.staff, submitted_on=d(2025, 7, 10), narrative="  Đã lắp 12 hệ thống lọc nước. "
    )

    report.refresh_from_db()
    assert (report.submitted_on, report.narrative, report.submitted_by) == (
        d(2025, 7, 10),
        "Đã lắp 12 hệ thống lọc nước.",
        cast.staff,
    )
    assert not report.is_overdue


@pytest.mark.parametrize("role", ["province", "laos_leader", "outsider", "admin"])
def test_only_staff_record_reports(cast, role):
    report = ProgressReportFactory()

    with pytest.raises(PermissionDenied):
        progress_report_submit(report_id=report.pk, actor=getattr(cast, role), submitted_on=TODAY, narrative="Tốt.")

    report.refresh_from_db()
    assert (report.submitted_on, report.narrative, report.submitted_by) == (None, "", None)


@pytest.mark.parametrize(
    ("submitted_on", "narrative", "field"),
    [
        pytest.param(None, "Đã nhận.", "submitted_on", id="no-date"),
        pytest.param(TODAY + datetime.timedelta(days=1), "Đã nhận.", "submitted_on", id="date-in-the-future"),
        pytest.param(TODAY, "", "narrative", id="no-narrative"),
        pytest.param(TODAY, "  \n ", "narrative", id="blank-narrative"),
    ],
)
def test_a_received_report_needs_its_date_not_in_the_future_and_what_it_says(cast, submitted_on, narrative, field):
    report = ProgressReportFactory()

    with pytest.raises(ValidationError) as refused:
        progress_report_submit(report_id=report.pk, actor=cast.staff, submitted_on=submitted_on, narrative=narrative)

    assert field in refused.value.message_dict
    report.refresh_from_db()
    assert report.submitted_on is None


# --- overdue and due soon --------------------------------------------------------------------------


@pytest.fixture
def reports(db):
    """Reports around TODAY (15/04/2026): due dates, received or not, of running, ended and revoked aid."""
    running = AidProjectFactory(status=S.IMPLEMENTING, decision_date=d(2024, 12, 1), actual_start=d(2025, 3, 1))
    completed = AidProjectFactory(
        status=S.COMPLETED, decision_date=d(2024, 12, 1), actual_start=d(2025, 1, 1), actual_end=d(2025, 12, 31)
    )
    revoked = AidProjectFactory(status=S.REVOKED, decision_date=d(2024, 1, 10))
    rejected = AidProjectFactory(status=S.REJECTED)

    def report(project, kind, period_end, due_on, **fields):
        return ProgressReportFactory(
            project=project, kind=kind, period_start=d(2025, 1, 1), period_end=period_end, due_on=due_on, **fields
        )

    return {
        "h1_2025": report(running, SIX, d(2025, 6, 30), d(2025, 7, 15)),
        "year_2025": report(running, YEAR, d(2025, 12, 31), d(2026, 1, 15)),
        "completion_received": report(
            completed, END, d(2025, 12, 31), d(2026, 1, 20), submitted_on=d(2026, 1, 5), narrative="Đã nhận."
        ),
        "completed_aid_overdue_by_a_day": report(completed, YEAR, d(2025, 12, 31), d(2026, 4, 14)),
        "due_today": report(running, SIX, d(2026, 3, 30), TODAY),
        "due_in_30_days": report(running, YEAR, d(2026, 4, 30), d(2026, 5, 15)),
        "due_in_31_days": report(running, SIX, d(2026, 5, 1), d(2026, 5, 16)),
        "h1_2026": report(running, SIX, d(2026, 6, 30), d(2026, 7, 15)),
        "revoked": report(revoked, SIX, d(2025, 6, 30), d(2025, 7, 15)),
        "rejected": report(rejected, SIX, d(2025, 6, 30), d(2025, 7, 15)),
        "revoked_soon": report(revoked, YEAR, d(2026, 4, 30), d(2026, 5, 1)),
    }


def test_overdue_reports_are_the_unreceived_ones_past_due_of_aid_not_revoked_or_rejected(reports):
    overdue = list(selectors.overdue_reports())

    assert overdue == [reports["h1_2025"], reports["year_2025"], reports["completed_aid_overdue_by_a_day"]]
    assert all(report.is_overdue for report in overdue)
    assert not reports["due_today"].is_overdue


def test_overdue_reports_on_another_day(reports):
    assert list(selectors.overdue_reports(today=d(2025, 12, 31))) == [reports["h1_2025"]]


def test_reports_due_soon_are_due_from_today_to_thirty_days_on(reports):
    assert list(selectors.reports_due_soon()) == [reports["due_today"], reports["due_in_30_days"]]


def test_reports_due_soon_over_a_longer_window(reports):
    assert list(selectors.reports_due_soon(days=91)) == [
        reports["due_today"],
        reports["due_in_30_days"],
        reports["due_in_31_days"],
        reports["h1_2026"],
    ]
