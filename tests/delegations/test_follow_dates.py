"""The daily task moves approved delegations abroad (hosting) and home (visit ended) by their dates."""

import datetime

import pytest
import time_machine

from delegations.models import Delegation
from delegations.services import delegations_follow_dates
from delegations.tasks import delegations_daily_task
from tests.clock import at
from tests.delegations.support import events_of

S = Delegation.Status
START, END = datetime.date(2026, 5, 11), datetime.date(2026, 5, 15)
DAY = datetime.timedelta(days=1)


def trip(delegation_factory, status, **values):
    return delegation_factory(**{"status": status, "start_date": START, "end_date": END, **values})


def status_of(delegation):
    delegation.refresh_from_db()
    return delegation.status


@pytest.mark.parametrize(
    ("inbound", "status", "today", "expected"),
    [
        pytest.param(False, S.APPROVED, START - DAY, S.APPROVED, id="outbound-day-before-start"),
        pytest.param(False, S.APPROVED, START, S.ABROAD, id="outbound-start-date"),
        pytest.param(False, S.ABROAD, END, S.ABROAD, id="outbound-last-day"),
        pytest.param(False, S.ABROAD, END + DAY, S.RETURNED, id="outbound-day-after-end"),
        pytest.param(True, S.APPROVED, START - DAY, S.APPROVED, id="inbound-day-before-start"),
        pytest.param(True, S.APPROVED, START, S.HOSTING, id="inbound-start-date"),
        pytest.param(True, S.HOSTING, END, S.HOSTING, id="inbound-last-day"),
        pytest.param(True, S.HOSTING, END + DAY, S.COMPLETED, id="inbound-day-after-end"),
    ],
)
def test_approved_delegations_follow_their_dates(delegation_factory, inbound, status, today, expected):
    delegation = trip(delegation_factory, status, inbound=inbound)

    delegations_follow_dates(today=today)

    assert status_of(delegation) == expected


@pytest.mark.parametrize("status", [S.ENDORSED, S.SUBMITTED, S.DRAFT, S.CANCELLED, S.REJECTED])
def test_delegations_not_approved_do_not_leave(delegation_factory, status):
    delegation = trip(delegation_factory, status)

    delegations_follow_dates(today=START)

    assert status_of(delegation) == status
    assert events_of(delegation) == []


def test_start_is_recorded_as_an_event_of_the_system(delegation_factory):
    delegation = trip(delegation_factory, S.APPROVED)

    delegations_follow_dates(today=START)

    [event] = events_of(delegation)
    assert (event.actor, event.from_status, event.to_status) == (None, S.APPROVED, S.ABROAD)


@pytest.mark.parametrize("inbound", [False, True], ids=["outbound", "inbound"])
def test_report_falls_due_the_configured_days_after_the_end(settings, delegation_factory, inbound):
    settings.DELEGATION_REPORT_DUE_DAYS = 10
    delegation = trip(delegation_factory, S.HOSTING if inbound else S.ABROAD, inbound=inbound)

    delegations_follow_dates(today=END + DAY)

    delegation.refresh_from_db()
    assert delegation.report_due_on == END + datetime.timedelta(days=10)


def test_report_is_due_fifteen_days_after_return_by_default(delegation_factory):
    delegation = trip(delegation_factory, S.ABROAD)

    delegations_follow_dates(today=END + DAY)

    delegation.refresh_from_db()
    assert delegation.report_due_on == datetime.date(2026, 5, 30)


def test_running_twice_a_day_moves_nothing_twice(delegation_factory):
    leaving = trip(delegation_factory, S.APPROVED)
    coming_home = trip(delegation_factory, S.ABROAD, start_date=START - 10 * DAY, end_date=START - DAY)

    first = delegations_follow_dates(today=START)
    second = delegations_follow_dates(today=START)

    assert first == {"started": 1, "ended": 1}
    assert second == {"started": 0, "ended": 0}
    assert [len(events_of(leaving)), len(events_of(coming_home))] == [1, 1]


def test_a_late_run_takes_a_finished_trip_abroad_and_home(delegation_factory):
    delegation = trip(delegation_factory, S.APPROVED)

    delegations_follow_dates(today=END + 3 * DAY)

    assert status_of(delegation) == S.RETURNED
    assert [(e.from_status, e.to_status) for e in events_of(delegation)] == [
        (S.APPROVED, S.ABROAD),
        (S.ABROAD, S.RETURNED),
    ]


def test_daily_task_follows_todays_date_in_ha_tinh(delegation_factory):
    delegation = trip(delegation_factory, S.APPROVED)

    # 00:30 on the start date in Hà Tĩnh is still the day before in UTC.
    with time_machine.travel(at(START, hour=0) + datetime.timedelta(minutes=30), tick=False):
        delegations_daily_task()

    assert status_of(delegation) == S.ABROAD


def test_daily_task_run_twice_writes_one_event(delegation_factory):
    delegation = trip(delegation_factory, S.APPROVED)

    with time_machine.travel(at(START), tick=False):
        delegations_daily_task()
        delegations_daily_task()

    assert len(events_of(delegation)) == 1
