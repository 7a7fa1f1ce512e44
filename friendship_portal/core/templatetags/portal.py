from django import template
from django.utils.html import format_html

from friendship_portal.core import submissions
from friendship_portal.core.display import format_number, format_vnd, person_name

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


@register.simple_tag
def once_token():
    """The hidden one-time token of a form handled once per form sent (core.submissions)."""
    return format_html('<input type="hidden" name="{}" value="{}">', submissions.FIELD, submissions.new_token())
