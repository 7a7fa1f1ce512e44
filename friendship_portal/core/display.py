"""How a record's values are shown: on list and detail pages, and in Excel exports.

VND amounts use "." between thousands (1.250.000 đ); dates read dd/mm/yyyy.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
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
