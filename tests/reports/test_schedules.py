"""The beat schedules the migrations write, and the scheduled tasks that request reports."""

import datetime

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from aid_projects.tasks import aid_yearly_summary_task
from friendship_portal.celery import app
from friendship_portal.core.models import Job
from friendship_portal.overview.tasks import budget_summary_monthly_task
from tests.clock import at

pytestmark = pytest.mark.django_db

DAILY = "delegations.tasks.delegations_daily_task"
SWEEP = "friendship_portal.core.tasks.jobs_sweep_task"
BUDGET = "friendship_portal.overview.tasks.budget_summary_monthly_task"
AID = "aid_projects.tasks.aid_yearly_summary_task"


def scheduled() -> dict[str, PeriodicTask]:
    return {entry.task: entry for entry in PeriodicTask.objects.select_related("interval", "crontab")}


def crontab_of(entry: PeriodicTask) -> tuple:
    schedule = entry.crontab
    return (
        schedule.minute,
        schedule.hour,
        schedule.day_of_month,
        schedule.month_of_year,
        schedule.day_of_week,
        str(schedule.timezone),
    )


def test_migrations_schedule_the_daily_delegation_task():
    entry = scheduled()[DAILY]
    assert entry.enabled and entry.interval is None
    assert crontab_of(entry) == ("30", "0", "*", "*", "*", "Asia/Ho_Chi_Minh")


def test_migrations_schedule_the_jobs_sweep_every_five_minutes():
    entry = scheduled()[SWEEP]
    assert entry.enabled and entry.crontab is None
    assert (entry.interval.every, entry.interval.period) == (5, "minutes")


def test_migrations_schedule_the_budget_summary_on_the_first_of_every_month():
    entry = scheduled()[BUDGET]
    assert entry.enabled and entry.interval is None
    assert crontab_of(entry) == ("0", "6", "1", "*", "*", "Asia/Ho_Chi_Minh")


def test_migrations_schedule_the_aid_summary_on_the_fifth_of_january():
    entry = scheduled()[AID]
    assert entry.enabled and entry.interval is None
    assert crontab_of(entry) == ("0", "7", "5", "1", "*", "Asia/Ho_Chi_Minh")


def test_every_scheduled_task_is_one_a_worker_knows():
    app.loader.import_default_modules()  # what a worker does at start: finds each app's tasks module
    names = {entry.task for entry in PeriodicTask.objects.exclude(task="celery.backend_cleanup")}
    assert {DAILY, SWEEP, BUDGET, AID} <= names
    assert names <= set(app.tasks)


@pytest.mark.parametrize(
    ("moment", "year"),
    [(at(datetime.date(2026, 7, 1), hour=6), 2026), (at(datetime.date(2027, 1, 1), hour=6), 2027)],
)
def test_monthly_task_requests_the_budget_summary_of_the_current_year(moment, year):
    with time_machine.travel(moment, tick=False):
        job_id = budget_summary_monthly_task()

    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.params, job.requested_by, job.state) == (
        "portal.budget_summary",
        {"year": year},
        None,
        Job.State.QUEUED,
    )


def test_january_task_requests_the_aid_summary_of_the_year_before():
    # 00:30 on 5 January in Hà Tĩnh is still 4 January in UTC: the year is Hà Tĩnh's.
    with time_machine.travel(at(datetime.date(2027, 1, 5), hour=0, minute=30), tick=False):
        job_id = aid_yearly_summary_task()

    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.params, job.requested_by) == ("aid_projects.yearly_summary", {"year": 2026}, None)


def test_new_year_aid_summary_is_for_the_year_just_ended():
    # Midnight passed in Hà Tĩnh, not yet in UTC: 31/12/2026 17:30 UTC is 01/01/2027 00:30 here.
    with time_machine.travel(at(datetime.date(2027, 1, 1), hour=0, minute=30), tick=False):
        job_id = aid_yearly_summary_task()

    assert Job.objects.get(pk=job_id).params == {"year": 2026}
