from django import template

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
