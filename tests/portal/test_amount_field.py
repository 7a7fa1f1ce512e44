from decimal import Decimal

import pytest

from friendship_portal.core.forms import AmountField, AmountInput


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("25.400", Decimal("25400")),  # a dot before three digits groups thousands, as the pages write it
        ("1.250.000", Decimal("1250000")),
        ("1.250.000 đ", Decimal("1250000")),
        ("25.410,5", Decimal("25410.5")),
        ("25,5", Decimal("25.5")),
        ("25.4", Decimal("25.4")),  # any other dot is a decimal point
        ("0.0325", Decimal("0.0325")),
        ("6800000000", Decimal("6800000000")),
    ],
)
def test_amounts_are_read_the_vietnamese_way(typed, read):
    assert AmountField(max_digits=18, decimal_places=4).clean(typed) == read


def test_an_amount_that_is_not_a_number_is_refused():
    with pytest.raises(Exception, match="number|số"):
        AmountField(max_digits=18, decimal_places=2).clean("25.40.0,1,2")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("25400.0000"), "25.400"), (Decimal("12345.67"), "12.345,67"), (Decimal("0.0325"), "0,0325"), (3, "3")],
)
def test_amounts_are_shown_as_the_pages_write_them(value, shown):
    assert AmountInput().format_value(value) == shown


def test_every_model_form_of_the_portal_reads_amounts_the_vietnamese_way():
    """A form with its own Meta (not made by the record pages) reads "20.000" as twenty thousand too."""
    from aid_projects.forms import DisbursementForm
    from friendship_portal.core.forms import AmountField

    assert isinstance(DisbursementForm.base_fields["amount"], AmountField)
    assert DisbursementForm.base_fields["amount"].clean("20.000") == 20000
    assert DisbursementForm.base_fields["exchange_rate"].clean("25.400") == 25400
