"""How numbers, amounts in đồng and dates are written on pages."""

import datetime
from decimal import Decimal

import pytest

from associations.models import Member
from friendship_portal.core.display import column_label, column_text, column_value, format_number, format_vnd
from tests import factories


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (12345678, "12.345.678"),
        (1_000_000_000, "1.000.000.000"),
        (-1234567, "-1.234.567"),
        (-999, "-999"),
        (Decimal("1234567"), "1.234.567"),
        ("2025", "2.025"),
        (None, ""),
        ("", ""),
    ],
)
def test_format_number_groups_thousands_with_dots(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, 2, "1.234,50"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("-1234.5"), 1, "-1.234,5"),
        (Decimal("0.25"), 2, "0,25"),
        (Decimal("1234.6"), 0, "1.235"),
    ],
)
def test_format_number_writes_decimals_after_a_comma(value, decimals, text):
    assert format_number(value, decimals=decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"), [(Decimal("-0.4"), 0, "0"), (-0.4, 0, "0"), (Decimal("-0.001"), 2, "0,00")]
)
def test_format_number_never_writes_minus_zero(value, decimals, text):
    """A small negative amount that rounds to nothing is written as zero, not "-0"."""
    assert format_number(value, decimals=decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2500000, "2.500.000 đ"),
        (1250000, "1.250.000 đ"),
        (0, "0 đ"),
        (500, "500 đ"),
        (-2500000, "-2.500.000 đ"),
        (Decimal("2500000.00"), "2.500.000 đ"),
        (Decimal("1234567.6"), "1.234.568 đ"),  # no fractions of a đồng
        (Decimal("-1234567.6"), "-1.234.568 đ"),
        ("3000000", "3.000.000 đ"),
        (30_000_000_000, "30.000.000.000 đ"),
        (None, ""),
        ("", ""),
    ],
)
def test_format_vnd(value, text):
    assert format_vnd(value) == text


def test_years_are_written_without_a_separator(cast):
    member = factories.MemberFactory(association=cast.laos, birth_year=1975)

    assert column_text(member, "birth_year") == "1975"


def test_counts_are_written_with_a_separator(cast):
    member = factories.MemberFactory(
        association=cast.laos, kind=Member.Kind.COLLECTIVE, representative="Nguyễn Văn A", headcount=1250
    )

    assert column_text(member, "headcount") == "1.250"


def test_dates_are_written_day_month_year_and_stay_dates_as_data(cast):
    member = factories.MemberFactory(association=cast.laos, joined_on=datetime.date(2015, 3, 2))

    assert column_text(member, "joined_on") == "02/03/2015"
    assert column_value(member, "joined_on") == datetime.date(2015, 3, 2)


def test_empty_values_are_empty_text(cast):
    member = factories.MemberFactory(association=cast.laos, branch=None, gender="")

    assert column_text(member, "branch") == ""
    assert column_text(member, "gender") == ""


def test_choice_related_and_country_columns_read_as_names(cast):
    member = factories.MemberFactory(association=cast.laos, status=Member.Status.ACTIVE)
    partner = factories.PartnerFactory(country="LA")

    assert column_text(member, "status") == str(Member.Status.ACTIVE.label)
    assert column_text(member, "association") == cast.laos.short_name
    assert column_text(partner, "country") == str(partner.country.name)
    assert column_text(cast.associations["czech_slovakia"], "countries").count(",") == 1


def test_column_label_starts_with_a_capital_and_takes_page_labels(db):
    assert column_label(Member, "joined_on")[0].isupper()
    assert column_label(Member, "member_count", {"member_count": "Hội viên"}) == "Hội viên"
    assert column_label(Member, "not_a_field") == "not_a_field"
