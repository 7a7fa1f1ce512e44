from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


def _option_attrs(attrs: dict) -> str:
    """An option's attributes as Django's attrs.html writes them: true as a bare name, false left out."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


@register.filter
def select_options(optgroups) -> str:
    """The options of a select, written in Python: the portal's select template uses it so that a list
    of 250 countries in every row of a form costs no template rendering per option."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '<option value="{}"{}>{}</option>', option["value"], _option_attrs(option["attrs"]), option["label"]
            )
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    return mark_safe("\n".join(parts))  # nosec B308 B703: every part above is built by format_html


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The page's own query string with `param` set to `number`: several lists of one page (the alerts)
    each keep their own page number ({% page_query "overdue_page" 2 %} → "?month=2026-05&overdue_page=2")."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


@register.simple_tag
def status_badge(record, testid: str = "") -> str:
    """A workflow record's state as a coloured badge, the colour from its app's workflow table
    (`record.status_style`): {% status_badge delegation %}, {% status_badge project testid="status" %}.
    A tag, not an included template: a list renders one on every row."""
    return format_html(
        '<span class="badge rounded-pill text-bg-{}"{}>{}</span>',
        record.status_style,
        format_html(' data-testid="{}"', testid) if testid else "",
        record.get_status_display(),
    )


@register.simple_tag
def step_label(step) -> str:
    """A workflow step's button text from its row in the app's table: its icon, then its label."""
    if step.icon:
        return format_html('<i class="bi {}" aria-hidden="true"></i> {}', step.icon, step.label)
    return format_html("{}", step.label)
