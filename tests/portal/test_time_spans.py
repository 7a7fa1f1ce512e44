"""How far a day is from today, as the overdue and alert pages write it: Vietnamese, at most two
neighbouring units, no commas ("còn 1 tháng 2 tuần", "quá 9 ngày", "hôm nay")."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from friendship_portal.core.display import time_span

TODAY = datetime.date(2026, 6, 15)
D = datetime.date


def days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


@pytest.mark.parametrize(
    ("day", "vietnamese", "english"),
    [
        (TODAY, "hôm nay", "today"),
        # ahead: days, then weeks and days, then calendar months and weeks, then years and months
        (days(1), "còn 1 ngày", "1 day left"),
        (days(3), "còn 3 ngày", "3 days left"),
        (days(7), "còn 1 tuần", "1 week left"),
        (days(9), "còn 1 tuần 2 ngày", "1 week and 2 days left"),
        (days(14), "còn 2 tuần", "2 weeks left"),
        (days(29), "còn 4 tuần 1 ngày", "4 weeks and 1 day left"),
        (D(2026, 7, 15), "còn 1 tháng", "1 month left"),
        (D(2026, 7, 18), "còn 1 tháng", "1 month left"),  # fewer than 7 days more: dropped
        (D(2026, 7, 29), "còn 1 tháng 2 tuần", "1 month and 2 weeks left"),
        (D(2026, 11, 14), "còn 4 tháng 4 tuần", "4 months and 4 weeks left"),
        (D(2027, 6, 15), "còn 1 năm", "1 year left"),
        (D(2027, 9, 20), "còn 1 năm 3 tháng", "1 year and 3 months left"),
        (D(2029, 6, 30), "còn 3 năm", "3 years left"),  # the days after the months are dropped
        # behind
        (days(-1), "quá 1 ngày", "1 day overdue"),
        (days(-9), "quá 1 tuần 2 ngày", "1 week and 2 days overdue"),
        (D(2026, 1, 31), "quá 4 tháng 2 tuần", "4 months and 2 weeks overdue"),
        (D(2024, 6, 15), "quá 2 năm", "2 years overdue"),
        (D(2025, 5, 1), "quá 1 năm 1 tháng", "1 year and 1 month overdue"),
    ],
)
def test_time_span(day, vietnamese, english):
    with translation.override("vi"):
        assert time_span(day, TODAY) == vietnamese
    with translation.override("en"):
        assert time_span(day, TODAY) == english


@pytest.mark.parametrize(
    ("day", "today", "text"),
    [
        # a month is a calendar month; a month without the day ends on its last day
        (D(2026, 2, 27), D(2026, 1, 31), "còn 3 tuần 6 ngày"),
        (D(2026, 2, 28), D(2026, 1, 31), "còn 1 tháng"),
        (D(2026, 3, 31), D(2026, 2, 28), "còn 1 tháng"),
        (D(2026, 4, 14), D(2026, 2, 28), "còn 1 tháng 2 tuần"),
        (D(2024, 2, 29), D(2025, 2, 27), "quá 11 tháng 4 tuần"),
        (D(2024, 2, 29), D(2025, 2, 28), "quá 1 năm"),
        (D(2027, 1, 5), D(2026, 12, 28), "còn 1 tuần 1 ngày"),  # across the new year
    ],
)
def test_time_span_counts_calendar_months(day, today, text):
    with translation.override("vi"):
        assert time_span(day, today) == text


def test_time_span_of_nothing_is_empty():
    assert time_span(None, TODAY) == ""
    assert time_span("", TODAY) == ""


def test_time_span_reads_a_moment_as_its_local_day(settings):
    moment = datetime.datetime(2026, 6, 11, 20, 0, tzinfo=datetime.UTC)  # 12/06 03:00 in Hà Tĩnh
    with translation.override("vi"):
        assert time_span(moment, TODAY) == "quá 3 ngày"


def test_time_span_filter():
    template = Template("{% load portal %}{{ due|time_span:today }} / {{ expiry|time_span:today }}")
    with translation.override("vi"):
        rendered = template.render(Context({"due": days(-9), "expiry": D(2026, 7, 29), "today": TODAY}))
    assert rendered == "quá 1 tuần 2 ngày / còn 1 tháng 2 tuần"
