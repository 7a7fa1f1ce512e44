"""Numbers as clerks type them and as spreadsheets hold them: one reading for forms and imports.

Text is read the Vietnamese way: "." groups thousands and "," is the decimal comma ("1.250.000",
"25.410,5", "25,4"). A dot is a thousands separator only where it can be one, every group after it
of exactly three digits and the first group not starting with 0: "25.400" is twenty-five thousand
four hundred, while "25.4", "0.0325" and "0.325" have a decimal point. Spaces, non-breaking spaces
and a trailing "đ", "₫", "VND" or "VNĐ" are ignored. Exponent notation ("1e3") is refused in text:
no clerk types it, and where it appears a number was mangled on its way (a CSV, a cell kept as
text), so the clerk is asked to write it out. NaN and Infinity are refused in any form.

Numeric cells come from openpyxl as int, float or Decimal. A float is read as Excel shows it, to 15
significant digits: 1000.0 is 1000, 25.4 is 25.4 and 0.1 + 0.2 is 0.3.

The result has no trailing zeros after the point and never an exponent ("25,50" → 25.5,
Decimal("1E+3") → 1000), so the decimal places counted are the ones that matter.
"""

import math
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Beyond any amount the portal keeps (its largest columns hold 18 digits), and short of where a
# mistyped or pasted value would be taken for a real one.
MAX_WHOLE_DIGITS = 18

_CURRENCY_SUFFIXES = ("vnđ", "vnd", "đ", "₫")
_MINUS_SIGNS = ("-", "\u2212")
_NOT_FINITE = ("nan", "snan", "inf", "infinity")

_PLAIN = re.compile(r"\d+")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")  # 1.250.000
_DECIMAL_COMMA = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+),\d+")  # 25.410,5 and 25,4
_DECIMAL_POINT = re.compile(r"\d+\.\d+")  # 25.4 and 0.0325: a dot that cannot group thousands
_EXPONENT = re.compile(r"[\d.,]*\d[\d.,]*e[+-]?\d+")


class NumberError(ValueError):
    """A value that is not a number the portal accepts; the message says why, in the user's language."""


def read_decimal(
    value, *, max_digits: int | None = None, decimal_places: int | None = None, allow_negative: bool = False
) -> Decimal | None:
    """The number in a form field or a spreadsheet cell; None for an empty one.

    `max_digits` and `decimal_places` are a model's DecimalField limits; without them a number may
    still have at most 18 digits before the point.
    """
    if value is None:
        return None
    if isinstance(value, str):
        shown = value.strip()
        if not shown:
            return None
        number = _from_text(shown)
    else:
        shown = str(value)
        number = _from_cell(value, shown)
    if not number.is_zero() and number.adjusted() >= MAX_WHOLE_DIGITS:
        raise NumberError(_("“%(value)s” is too large") % {"value": shown})
    number = _plain(number)
    if number < 0 and not allow_negative:
        raise NumberError(_("“%(value)s” cannot be negative") % {"value": shown})
    _check_digits(number, shown, max_digits=max_digits, decimal_places=decimal_places)
    return number


def read_integer(value, *, max_digits: int | None = None, allow_negative: bool = False) -> int | None:
    """A whole number read as `read_decimal` reads it: "25.400" is 25400, "25,5" is refused."""
    number = read_decimal(value, max_digits=max_digits, decimal_places=0, allow_negative=allow_negative)
    return None if number is None else int(number)


def _from_text(text: str) -> Decimal:
    compact = "".join(text.split()).casefold()  # str.split() also takes non-breaking spaces
    for suffix in _CURRENCY_SUFFIXES:
        if compact.endswith(suffix):
            compact = compact.removesuffix(suffix)
            break
    sign = ""
    if compact[:1] in _MINUS_SIGNS:
        sign, compact = "-", compact[1:]
    elif compact[:1] == "+":
        compact = compact[1:]
    if compact in _NOT_FINITE:
        raise NumberError(_("Numbers like NaN or Infinity are not accepted"))
    if _EXPONENT.fullmatch(compact):
        raise NumberError(_("“%(value)s” is written with an exponent; write the number out in full") % {"value": text})
    if _PLAIN.fullmatch(compact) or _GROUPED.fullmatch(compact):
        digits = compact.replace(".", "")
    elif _DECIMAL_COMMA.fullmatch(compact):
        digits = compact.replace(".", "").replace(",", ".")
    elif _DECIMAL_POINT.fullmatch(compact):
        digits = compact
    else:
        raise NumberError(_("“%(value)s” is not a number") % {"value": text})
    return Decimal(sign + digits)


def _from_cell(value, shown: str) -> Decimal:
    if isinstance(value, bool):  # an Excel TRUE/FALSE cell, not 1 or 0
        raise NumberError(_("“%(value)s” is not a number") % {"value": shown})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberError(_("Numbers like NaN or Infinity are not accepted"))
        return Decimal(format(value, ".15g"))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(_("Numbers like NaN or Infinity are not accepted"))
        return value
    raise NumberError(_("“%(value)s” is not a number") % {"value": shown})


def _plain(number: Decimal) -> Decimal:
    """The same number without an exponent or trailing zeros after the point: 1E+3 → 1000, 25.50 → 25.5."""
    if number.is_zero():
        return Decimal(0)
    sign, digits, exponent = number.as_tuple()
    if exponent > 0:
        return Decimal((sign, digits + (0,) * exponent, 0))
    kept = len(digits)
    while exponent < 0 and digits[kept - 1] == 0:
        kept, exponent = kept - 1, exponent + 1
    return Decimal((sign, digits[:kept], exponent))


def _check_digits(number: Decimal, shown: str, *, max_digits: int | None, decimal_places: int | None) -> None:
    """A model DecimalField's limits, counted as Django counts them (0.0325 has 4 digits, all decimal)."""
    _sign, digits, exponent = number.as_tuple()
    decimals = -exponent
    whole = max(len(digits) - decimals, 0)
    if decimal_places is not None and decimals > decimal_places:
        if decimal_places == 0:
            raise NumberError(_("“%(value)s” is not a whole number") % {"value": shown})
        raise NumberError(
            ngettext(
                "“%(value)s” has more than %(count)d decimal place",
                "“%(value)s” has more than %(count)d decimal places",
                decimal_places,
            )
            % {"value": shown, "count": decimal_places}
        )
    if max_digits is None:
        return
    if whole > max_digits - (decimal_places or 0):
        raise NumberError(_("“%(value)s” is too large") % {"value": shown})
    if whole + decimals > max_digits:
        raise NumberError(
            ngettext(
                "“%(value)s” has more than %(count)d digit", "“%(value)s” has more than %(count)d digits", max_digits
            )
            % {"value": shown, "count": max_digits}
        )
