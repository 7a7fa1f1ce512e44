"""How a record's values are shown: on list and detail pages, and in Excel exports.

VND amounts use "." between thousands (1.250.000 đ); dates read dd/mm/yyyy; a span of time to or
from a day reads "còn 1 tháng 2 tuần", "quá 9 ngày" (time_span).
"""

import calendar
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField


def format_number(value, decimals: int = 0) -> str:
    """12345678 → "12.345.678"; 1234.5 with decimals=2 → "1.234,50"."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    text = f"{abs(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    negative = number < 0 and any(digit not in "0." for digit in text)  # never "-0"
    whole, _dot, fraction = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) + ("," + fraction if fraction else "")
    return ("-" if negative else "") + text


def format_exact(value, *, trim: bool = True) -> str:
    """A number with the decimals it has and none for a whole one: Decimal("25400.0000") → "25.400",
    0.0325 → "0,0325"; Decimal("1234.50") → "1.234,5", or "1.234,50" with `trim` off."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return format_number(number)
    if trim:
        number = number.normalize()
    return format_number(number, -number.as_tuple().exponent)


def format_vnd(value) -> str:
    """An amount of đồng as the portal writes it: 1.250.000 đ."""
    if value is None or value == "":
        return ""
    return f"{format_number(Decimal(value).quantize(Decimal(1)))} đ"


def person_name(user) -> str:
    """A user's name the Vietnamese way, family name first: "Nguyễn Thị Hương" (else the username)."""
    if user is None:
        return ""
    return " ".join(part for part in (user.last_name, user.first_name) if part) or user.username


def _field(model: type[models.Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def column_label(model: type[models.Model], name: str, labels: dict | None = None) -> str:
    if labels and name in labels:
        return str(labels[name])
    model_field = _field(model, name)
    if model_field is None:
        return name
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def column_value(record: models.Model, name: str):
    """The value of a column as data: dates stay dates and numbers stay numbers (for Excel)."""
    model_field = _field(type(record), name)
    value = getattr(record, name, None)
    if isinstance(model_field, CountryField):
        countries = value if model_field.multiple else [value]
        return ", ".join(str(country.name) for country in countries if country)
    if model_field is not None and model_field.choices and not model_field.is_relation:
        return getattr(record, f"get_{name}_display")() if value not in (None, "") else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, models.Model):
        return str(value)
    if value is None:
        return ""
    return value


def column_reader(model: type[models.Model], name: str) -> Callable[[models.Model], object]:
    """`column_value` of one column, worked out once for a long list (an export of every row): the
    same values, without looking the field up and translating its choices again for each row."""
    model_field = _field(model, name)
    if isinstance(model_field, CountryField):
        return lambda record: column_value(record, name)
    if model_field is not None and model_field.choices and not model_field.is_relation:
        labels = {value: str(label) for value, label in model_field.flatchoices}
        attname = model_field.attname

        def choice(record):
            value = getattr(record, attname)
            if value in (None, ""):
                return ""
            return labels.get(value, value)

        return choice

    def plain(record):
        value = getattr(record, name, None)
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, models.Model):
            return str(value)
        return "" if value is None else value

    return plain


def column_text(record: models.Model, name: str) -> str:
    """The value of a column as a person reads it on a page."""
    value = column_value(record, name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        model_field = _field(type(record), name)
        if model_field is not None and model_field.name in ("year", "birth_year"):
            return str(value)
        return format_number(value)
    return str(value)


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, on the month's last day when it has no such day (31/01 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _units(count: int, unit: str) -> str:
    # Only the unit asked for is translated: the alert pages write two of these for each of their rows.
    if unit == "year":
        text = ngettext("%(count)d year", "%(count)d years", count)
    elif unit == "month":
        text = ngettext("%(count)d month", "%(count)d months", count)
    elif unit == "week":
        text = ngettext("%(count)d week", "%(count)d weeks", count)
    else:
        text = ngettext("%(count)d day", "%(count)d days", count)
    return text % {"count": count}


def span_length(earlier: date, later: date) -> str:
    """The time from `earlier` to `later` in at most two neighbouring units, the larger first and the
    rest dropped: "9 ngày", "2 tuần 3 ngày", "1 tháng 2 tuần", "1 năm 3 tháng". Months are calendar
    months (15/01 → 15/02 is one month); an empty string for no time at all."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if _add_months(earlier, months) > later:
        months -= 1
    rest = (later - _add_months(earlier, months)).days
    if months >= 12:
        parts = [(months // 12, "year"), (months % 12, "month")]
    elif months:
        parts = [(months, "month"), (rest // 7, "week")]
    else:
        parts = [(rest // 7, "week"), (rest % 7, "day")]
    texts = [_units(count, unit) for count, unit in parts if count]
    if len(texts) == 2:
        return _("%(larger)s and %(smaller)s") % {"larger": texts[0], "smaller": texts[1]}
    return texts[0] if texts else ""


def _local_day(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def time_span(day, today=None) -> str:
    """How far `day` is from today, as the alert and overdue pages write it: "còn 3 ngày",
    "còn 1 tháng 2 tuần", "hôm nay", "quá 9 ngày" ("3 days left", "9 days overdue" in English)."""
    if day is None or day == "":
        return ""
    day, today = _local_day(day), _local_day(today or timezone.localdate())
    if day == today:
        return _("today")
    if day > today:
        return _("%(span)s left") % {"span": span_length(today, day)}
    return _("%(span)s overdue") % {"span": span_length(day, today)}
