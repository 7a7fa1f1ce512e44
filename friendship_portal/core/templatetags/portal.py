from django import template
from django.utils.html import format_html

from friendship_portal.core import submissions
from friendship_portal.core.display import format_number, format_vnd, person_name, time_span

register = template.Library()


@register.filter
def vnd(value) -> str:
    """{{ amount|vnd }} → "1.250.000 đ"."""
    return format_vnd(value)


@register.filter
def number(value) -> str:
    """{{ count|number }} → "12.345"."""
    return format_number(value)


@register.filter
def person(user) -> str:
    """{{ user|person }} → "Nguyễn Thị Hương": family name first, as Vietnamese names are written."""
    return person_name(user)


@register.filter(name="time_span")
def time_span_filter(day, today=None) -> str:
    """{{ report.due_on|time_span:today }} → "quá 9 ngày", "còn 1 tháng 2 tuần", "hôm nay"; never
    Django's timesince/timeuntil, which write "1 month, 2 weeks"."""
    return time_span(day, today)


@register.simple_tag
def once_token():
    """The hidden one-time token of a form handled once per form sent (core.submissions)."""
    return format_html('<input type="hidden" name="{}" value="{}">', submissions.FIELD, submissions.new_token())
