from django import template

from friendship_portal.display import format_number, format_vnd

register = template.Library()


@register.filter
def vnd(value) -> str:
    """{{ amount|vnd }} → "1.250.000 đ"."""
    return format_vnd(value)


@register.filter
def number(value) -> str:
    """{{ count|number }} → "12.345"."""
    return format_number(value)
