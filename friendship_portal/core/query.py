"""Reading what a page is asked for in its query string: `?year=` and `?month=`.

One rule for every page: a value the page cannot show (text, a year before FIRST_YEAR or after next
year, a month outside them) never fails the page; it shows its usual year or month and a message
says what was asked and what is shown instead. No value at all shows the usual one without a word.
"""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# The first year any page or report shows; the last is next year (plans and budgets run a year ahead).
FIRST_YEAR = 2000


class RefusedQueryString(BadRequest):
    """A query string the portal does not read; the 400 page shows the message."""


def last_year() -> int:
    return timezone.localdate().year + 1


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= last_year()


def _quoted(value: str) -> str:
    return Truncator(value).chars(24)


def year_from(request, *, default: int, name: str = "year") -> int:
    """The year asked for in `?<name>=`, or `default` with a message when it is no year the portal shows."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    if re.fullmatch(r"[0-9]{4}", value) and year_in_range(int(value)):
        return int(value)
    messages.warning(
        request,
        _("“%(value)s” is not a year from %(first)d to %(last)d: the page shows %(year)d.")
        % {"value": _quoted(value), "first": FIRST_YEAR, "last": last_year(), "year": default},
    )
    return default


def month_from(request, *, default: datetime.date, name: str = "month") -> datetime.date:
    """The month asked for in `?<name>=YYYY-MM` (its first day), or `default` with a message."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
    if match and year_in_range(int(match[1])) and 1 <= int(match[2]) <= 12:
        return datetime.date(int(match[1]), int(match[2]), 1)
    messages.warning(
        request,
        _("“%(value)s” is not a month from 01/%(first)d to 12/%(last)d: the page shows %(month)s.")
        % {"value": _quoted(value), "first": FIRST_YEAR, "last": last_year(), "month": f"{default:%m/%Y}"},
    )
    return default
