"""Post-trip report deadlines: reminders before and after the due date, the overdue list and filter.

The trip ends on 15/05/2026, so with the default 15 days the report is due on 30/05/2026 and the
first reminder (3 days before) goes out on 27/05/2026.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from delegations.models import Delegation, ReminderLog
from delegations.reminders import report_reminders_send
from delegations.selectors import overdue_reports
from delegations.tasks import delegations_daily_task
from friendship_portal.core.models import Notification
from friendship_portal.core.notifications import outbox_send
from tests.clock import at

S = Delegation.Status
END, DUE = datetime.date(2026, 5, 15), datetime.date(2026, 5, 30)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def returned(delegation_factory, cast):
    return delegation_factory(
        status=S.RETURNED,
        association=cast.laos,
        start_date=END - 4 * DAY,
        end_date=END,
        report_due_on=DUE,
        title="Đoàn thăm và làm việc tại tỉnh Bôlykhămxay",
    )


def reminded_users(delegation):
    url = reverse("delegations:report", args=[delegation.pk])
    return set(Notification.objects.filter(url=url).values_list("user__username", flat=True))


def send_on(day):
    with time_machine.travel(at(day), tick=False):
        return report_reminders_send(today=day)


@pytest.mark.parametrize(
    ("day", "sent"),
    [
        pytest.param(DUE - 4 * DAY, 0, id="four-days-before"),
        pytest.param(DUE - 3 * DAY, 1, id="three-days-before"),
        pytest.param(DUE + DAY, 1, id="day-after-due"),
        pytest.param(DUE + 10 * DAY, 1, id="ten-days-after-due"),
    ],
)
def test_reminder_goes_out_from_three_days_before_and_daily_after(cast, returned, day, sent):
    assert send_on(day) == sent
    assert ReminderLog.objects.filter(delegation=returned, sent_on=day).count() == sent


def test_reminder_days_before_follow_the_setting(settings, cast, returned):
    settings.DELEGATION_REMINDER_DAYS_BEFORE = 5

    assert send_on(DUE - 6 * DAY) == 0
    assert send_on(DUE - 5 * DAY) == 1


def test_overdue_report_is_reminded_every_day(cast, returned):
    for offset in range(1, 4):
        send_on(DUE + offset * DAY)

    assert list(
        ReminderLog.objects.filter(delegation=returned).order_by("sent_on").values_list("sent_on", flat=True)
    ) == [
        DUE + DAY,
        DUE + 2 * DAY,
        DUE + 3 * DAY,
    ]
    assert Notification.objects.filter(user=cast.staff).count() == 3


def test_reminder_goes_to_union_staff_and_the_associations_leaders(cast, returned, mailoutbox):
    send_on(DUE - 3 * DAY)
    outbox_send()  # the mails wait in the outbox until the reminder is committed

    assert reminded_users(returned) == {cast.staff.username, cast.laos_leader.username}
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(
        [cast.staff.email, cast.laos_leader.email]
    )
    assert all(returned.title in mail.body for mail in mailoutbox)


def test_reminder_is_sent_once_a_day_even_when_run_twice(cast, returned, mailoutbox):
    assert send_on(DUE + DAY) == 1
    assert send_on(DUE + DAY) == 0
    outbox_send()

    assert ReminderLog.objects.filter(delegation=returned).count() == 1
    assert Notification.objects.filter(user=cast.staff).count() == 1
    assert len(mailoutbox) == 2  # the staff member and the leader, once each


def test_reminder_whose_sending_failed_goes_out_on_the_next_run(cast, returned, monkeypatch):
    def mail_server_down(**kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("delegations.reminders.notify", mail_server_down)
    with pytest.raises(OSError):
        send_on(DUE + DAY)
    assert not ReminderLog.objects.exists()

    monkeypatch.undo()
    assert send_on(DUE + DAY) == 1


def test_daily_task_run_twice_reminds_once(cast, returned, mailoutbox):
    with time_machine.travel(at(DUE + DAY), tick=False):
        delegations_daily_task()
        delegations_daily_task()
    outbox_send()

    assert Notification.objects.filter(user=cast.laos_leader).count() == 1
    assert len(mailoutbox) == 2


def test_overdue_reminder_reads_differently_from_a_due_soon_one(cast, returned):
    send_on(DUE - 2 * DAY)
    send_on(DUE + 2 * DAY)

    due_soon, overdue = Notification.objects.filter(user=cast.staff).order_by("pk").values_list("message", flat=True)
    assert "30/05/2026" in due_soon and "30/05/2026" in overdue
    assert due_soon != overdue


@pytest.mark.parametrize("status", [S.REPORTED, S.CLOSED, S.ABROAD])
def test_no_reminder_once_the_report_is_filed_or_before_return(cast, delegation_factory, status):
    delegation_factory(status=status, report_due_on=DUE)

    assert send_on(DUE + DAY) == 0
    assert not Notification.objects.exists()


def test_leaders_of_other_associations_are_not_reminded(cast, returned):
    send_on(DUE + DAY)

    assert not Notification.objects.filter(user=cast.russia_leader).exists()


# --- the overdue list and the filter ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "listed"),
    [pytest.param(DUE, False, id="on-the-due-date"), pytest.param(DUE + DAY, True, id="the-day-after")],
)
def test_a_report_is_overdue_from_the_day_after_its_deadline(returned, day, listed):
    with time_machine.travel(at(day), tick=False):
        assert (returned in overdue_reports()) is listed


@pytest.mark.parametrize("role", ["staff", "province"])
@pytest.mark.parametrize(
    ("day", "listed"),
    [pytest.param(DUE, False, id="on-the-due-date"), pytest.param(DUE + DAY, True, id="the-day-after")],
)
def test_overdue_list_shows_a_report_the_day_after_its_deadline(cast, login, returned, role, day, listed):
    client = login(getattr(cast, role))

    with time_machine.travel(at(day), tick=False):
        response = client.get(reverse("delegations:overdue"))

    assert response.status_code == 200
    assert (returned in list(response.context["delegations"])) is listed
    assert (returned.title in response.content.decode()) is listed


@pytest.mark.parametrize("role", ["laos_leader", "outsider"])
def test_overdue_list_is_refused_to_leaders_and_outsiders(cast, login, role):
    assert login(getattr(cast, role)).get(reverse("delegations:overdue")).status_code == 403


def test_overdue_filter_on_the_outbound_list(cast, login, delegation_factory, returned):
    due_today = delegation_factory(status=S.RETURNED, report_due_on=DUE + DAY)
    reported = delegation_factory(status=S.REPORTED, report_due_on=DUE - DAY)
    client = login(cast.staff)

    with time_machine.travel(at(DUE + DAY), tick=False):
        overdue = client.get(reverse("delegations:outbound_list"), {"overdue": "true"})
        not_overdue = client.get(reverse("delegations:outbound_list"), {"overdue": "false"})

    assert list(overdue.context["page"].object_list) == [returned]
    assert returned not in list(not_overdue.context["page"].object_list)
    assert {due_today, reported} <= set(not_overdue.context["page"].object_list)


def test_report_becomes_overdue_after_the_daily_task_brings_the_delegation_home(cast, delegation_factory):
    delegation = delegation_factory(status=S.ABROAD, start_date=END - 4 * DAY, end_date=END)

    with time_machine.travel(at(END + DAY), tick=False):
        delegations_daily_task()
        delegation.refresh_from_db()
        assert (delegation.status, delegation.report_due_on, delegation.is_report_overdue) == (S.RETURNED, DUE, False)

    with time_machine.travel(at(DUE + DAY), tick=False):
        assert delegation.is_report_overdue


@pytest.mark.parametrize("role", ["staff", "province"])
def test_the_overdue_list_is_read_a_page_at_a_time_in_a_fixed_number_of_queries(
    cast, login, delegation_factory, settings, role, django_assert_max_num_queries
):
    settings.PORTAL_PAGE_SIZE = 2
    for number in range(3):
        delegation_factory(
            status=S.RETURNED,
            association=cast.laos,
            start_date=END - 4 * DAY,
            end_date=END,
            report_due_on=DUE - number * DAY,
            title=f"Đoàn số {number + 1}",
        )
    client = login(getattr(cast, role))

    with time_machine.travel(at(DUE + DAY), tick=False):
        client.get(reverse("delegations:overdue"))  # the session and the first reads of the request
        with django_assert_max_num_queries(12):
            response = client.get(reverse("delegations:overdue"))
        second = client.get(reverse("delegations:overdue"), {"page": 2})

    assert [d.title for d in response.context["delegations"]] == ["Đoàn số 3", "Đoàn số 2"]  # longest overdue first
    assert [d.title for d in second.context["delegations"]] == ["Đoàn số 1"]
    assert response.context["page"].paginator.count == 3
    assert 'data-testid="overdue-count">3<' in response.content.decode()
