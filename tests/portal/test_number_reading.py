"""One way to read a number (friendship_portal/core/numbers.py): a form's amount field and an import's
amount column give the same value, or refuse, for the same input."""

import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.utils import translation

from friendship_portal.core import imports
from friendship_portal.core.forms import AmountField
from friendship_portal.core.imports import Column, ImportSpec
from friendship_portal.core.numbers import NumberError, read_decimal, read_integer


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever the catalogue says today."""
    with translation.override("en"):
        yield


@dataclass(frozen=True)
class Refused:
    says: str  # a piece of the message, the same on the form and in the import


NOT_A_NUMBER = Refused("is not a number")
NOT_FINITE = Refused("NaN or Infinity are not accepted")

# (input, what both paths read). Text as typed on a form or in a text cell; numbers as openpyxl
# gives numeric cells.
TABLE = [
    ("25.4", Decimal("25.4")),  # a dot before other than three digits is a decimal point
    ("25,4", Decimal("25.4")),
    ("25.400", Decimal("25400")),  # a dot before exactly three digits groups thousands
    ("1.250.000", Decimal("1250000")),
    ("25.410,5", Decimal("25410.5")),
    ("0.0325", Decimal("0.0325")),
    ("0.325", Decimal("0.325")),  # thousands never start with 0
    ("25,50", Decimal("25.5")),
    ("", None),
    ("  1 250 000 đ", Decimal("1250000")),
    ("1\u00a0250\u00a0000 VND", Decimal("1250000")),
    ("999.999.999.999.999.999", Decimal("999999999999999999")),
    ("1e3", Refused("exponent")),
    ("1,25E+06", Refused("exponent")),
    ("NaN", NOT_FINITE),
    ("Infinity", NOT_FINITE),
    ("-Infinity", NOT_FINITE),
    ("-5", Refused("cannot be negative")),
    ("abc", NOT_A_NUMBER),
    ("1.2.3", NOT_A_NUMBER),
    ("1,250,000", NOT_A_NUMBER),
    ("đ", NOT_A_NUMBER),
    ("12345678901234567890", Refused("is too large")),
    (25.4, Decimal("25.4")),
    (1000.0, Decimal("1000")),
    (1250000, Decimal("1250000")),
    (Decimal("0.0325"), Decimal("0.0325")),
    (-5, Refused("cannot be negative")),
    (1e20, Refused("is too large")),
    (True, NOT_A_NUMBER),
    (float("nan"), NOT_FINITE),
    (float("inf"), NOT_FINITE),
]
# Excel cannot hold these, so they are not written into a workbook.
NOT_IN_A_WORKBOOK = {"nan", "inf"}


def table(*, workbook: bool = False):
    return [
        pytest.param(value, expected, id=repr(value))
        for value, expected in TABLE
        if not (workbook and str(value) in NOT_IN_A_WORKBOOK)
    ]


class AmountForm(forms.Form):
    amount = AmountField(required=False, allow_negative=False)


AMOUNT_IMPORT = ImportSpec(
    kind="number-reading-test",
    title="Số",
    columns=[Column("label", "Dòng"), Column("amount", "Số tiền", imports.read_amount)],
    check_row=lambda values, line, seen: values["amount"],
    write_row=lambda checked, actor: "created",
)


def through_the_form(value):
    form = AmountForm(data={"amount": value})
    if form.is_valid():
        return form.cleaned_data["amount"]
    return Refused(" ".join(form.errors["amount"]))


def through_an_import_row(raw: dict):
    result, problems = imports._check(AMOUNT_IMPORT, 2, raw, {})
    if problems:
        (problem,) = problems
        assert problem.startswith("Số tiền: ")
        return Refused(problem.removeprefix("Số tiền: "))
    return result


def through_a_workbook(value):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Dòng", "Số tiền"])
    workbook.active.append(["một", value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    ((line, raw),) = imports._read_rows(AMOUNT_IMPORT, io.BytesIO(buffer.getvalue()))
    return through_an_import_row(raw)


def assert_read(read, expected):
    if isinstance(expected, Refused):
        assert isinstance(read, Refused), read
        assert expected.says in read.says
    else:
        assert read == expected
        assert str(read) == str(expected)  # no exponent, no trailing zeros: 1000, not 1E+3 or 1000.0


@pytest.mark.parametrize(("value", "expected"), table())
def test_a_form_and_an_import_row_read_a_number_alike(value, expected):
    on_the_form = through_the_form(value)
    in_the_import = through_an_import_row({"label": "một", "amount": value})

    assert_read(on_the_form, expected)
    assert_read(in_the_import, expected)
    assert on_the_form == in_the_import  # the same value, or the same message


@pytest.mark.parametrize(("value", "expected"), table(workbook=True))
def test_a_cell_of_a_real_workbook_is_read_as_the_form_reads_it(value, expected):
    from_the_workbook = through_a_workbook(value)

    assert_read(from_the_workbook, expected)
    assert from_the_workbook == through_the_form(value)


# --- read_decimal and read_integer ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (None, None),
        ("   ", None),
        ("\u00a0", None),
        ("7", Decimal(7)),
        ("+7", Decimal(7)),
        ("1.250.000₫", Decimal(1250000)),
        ("1.250.000 VNĐ", Decimal(1250000)),
        ("1.250.000 vnd", Decimal(1250000)),
        ("1234.567", Decimal("1234.567")),  # a first group of four digits is not a thousands group
        ("1.250.000,00", Decimal(1250000)),
        ("0,5", Decimal("0.5")),
        ("-0", Decimal(0)),
        (0.1 + 0.2, Decimal("0.3")),  # a float as Excel shows it, to 15 significant digits
        (1e16, Decimal("10000000000000000")),
        (Decimal("1E+3"), Decimal(1000)),
        (Decimal("25.4000"), Decimal("25.4")),
    ],
)
def test_read_decimal(value, read):
    result = read_decimal(value)

    assert result == read
    if read is not None:
        assert str(result) == str(read)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (".5", "is not a number"),
        ("5.", "is not a number"),
        ("25.40.0,1,2", "is not a number"),
        ("1.250.000,5,5", "is not a number"),
        ("-", "is not a number"),
        ("sNaN", "NaN or Infinity"),
        ("inf", "NaN or Infinity"),
        (Decimal("NaN"), "NaN or Infinity"),
        (Decimal("-Infinity"), "NaN or Infinity"),
        (Decimal("1E+999999"), "is too large"),
        ("1000000000000000000", "is too large"),  # 19 digits
        ("5e-3", "exponent"),
        (object(), "is not a number"),
    ],
)
def test_read_decimal_refuses(value, says):
    with pytest.raises(NumberError, match=says):
        read_decimal(value)


def test_a_negative_is_read_only_when_allowed():
    assert read_decimal("-1.250.000", allow_negative=True) == Decimal(-1250000)
    assert read_decimal("\u22125,5", allow_negative=True) == Decimal("-5.5")  # the typographic minus
    with pytest.raises(NumberError, match="“-1.250.000” cannot be negative"):
        read_decimal("-1.250.000")


def test_a_number_error_is_a_value_error_with_a_sentence():
    with pytest.raises(ValueError) as caught:
        read_decimal("abc")

    assert str(caught.value) == "“abc” is not a number"


@pytest.mark.parametrize(
    ("value", "limits", "says"),
    [
        ("0.0325", {"decimal_places": 2}, "“0.0325” has more than 2 decimal places"),
        ("25,45", {"decimal_places": 1}, "“25,45” has more than 1 decimal place"),
        ("25,5", {"decimal_places": 0}, "“25,5” is not a whole number"),
        ("1.234,5", {"max_digits": 5, "decimal_places": 2}, "“1.234,5” is too large"),
        ("123.456", {"max_digits": 5}, "“123.456” is too large"),
        ("1,23456", {"max_digits": 5}, "“1,23456” has more than 5 digits"),
    ],
)
def test_a_model_fields_limits_are_kept(value, limits, says):
    with pytest.raises(NumberError) as caught:
        read_decimal(value, **limits)

    assert str(caught.value) == says


@pytest.mark.parametrize(
    ("value", "limits"),
    [
        ("123,45", {"max_digits": 5, "decimal_places": 2}),
        ("25,50", {"decimal_places": 1}),  # trailing zeros are not decimals that matter
        ("0.0325", {"max_digits": 4, "decimal_places": 4}),
        ("999.999.999.999.999.999", {"max_digits": 18, "decimal_places": 0}),
    ],
)
def test_a_number_within_the_limits_is_read(value, limits):
    assert read_decimal(value, **limits) is not None


@pytest.mark.parametrize(
    ("value", "read"),
    [("25.400", 25400), ("1.250.000 đ", 1250000), ("25,0", 25), (1000.0, 1000), (Decimal("7"), 7), ("", None)],
)
def test_read_integer(value, read):
    result = read_integer(value)

    assert result == read
    assert result is None or type(result) is int


@pytest.mark.parametrize(
    ("value", "kwargs", "says"),
    [
        ("25,5", {}, "is not a whole number"),
        (25.5, {}, "is not a whole number"),
        ("-3", {}, "cannot be negative"),
        ("1.000", {"max_digits": 3}, "is too large"),
    ],
)
def test_read_integer_refuses(value, kwargs, says):
    with pytest.raises(NumberError, match=says):
        read_integer(value, **kwargs)


def test_read_integer_reads_a_negative_when_allowed():
    assert read_integer("-3", allow_negative=True) == -3


# --- the amount field keeps a DecimalField's checks -------------------------------------------


def test_the_amount_field_refuses_beyond_its_model_fields_limits():
    field = AmountField(max_digits=12, decimal_places=0)

    with pytest.raises(forms.ValidationError) as caught:
        field.clean("25,5")
    assert caught.value.messages == ["“25,5” is not a whole number"]
    with pytest.raises(forms.ValidationError, match="too large"):
        field.clean("1.250.000.000.000")


def test_the_amount_field_still_asks_for_a_required_value():
    with pytest.raises(forms.ValidationError, match="required"):
        AmountField(max_digits=12, decimal_places=0).clean("  ")
