"""number_in_words and amount_in_words: numbers read the way official documents write them.

The expected readings are written by hand from the rules (RULES.md, "Amounts in words").
"""

from decimal import Decimal

import pytest

from friendship_portal.core.words import amount_in_words, in_words_line, number_in_words

READINGS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (114, "một trăm mười bốn"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (124, "một trăm hai mươi tư"),
    (125, "một trăm hai mươi lăm"),
    (350, "ba trăm năm mươi"),
    (404, "bốn trăm linh bốn"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (1100, "một nghìn một trăm"),
    (2025, "hai nghìn không trăm hai mươi lăm"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (100_005, "một trăm nghìn không trăm linh năm"),
    (250_000, "hai trăm năm mươi nghìn"),
    (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_000_010, "một triệu không trăm mười"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (1_250_000, "một triệu hai trăm năm mươi nghìn"),
    (
        999_999_999,
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
    (1_000_000_000, "một tỷ"),
    (1_000_000_001, "một tỷ không trăm linh một"),
    (2_001_000_000, "hai tỷ không trăm linh một triệu"),
    (6_500_000_000, "sáu tỷ năm trăm triệu"),
    (7_004_021_000, "bảy tỷ không trăm linh bốn triệu không trăm hai mươi mốt nghìn"),
    (
        12_345_678_905,
        "mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh năm",
    ),
    (30_050_015_000, "ba mươi tỷ không trăm năm mươi triệu không trăm mười lăm nghìn"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (1_000_500_000_000, "một nghìn tỷ năm trăm triệu"),
    (1_001_000_000_000, "một nghìn không trăm linh một tỷ"),
    (2_025_000_000_000, "hai nghìn không trăm hai mươi lăm tỷ"),
    (20_000_000_000_015, "hai mươi nghìn tỷ không trăm mười lăm"),
    (1_000_000_000_000_000, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
    (
        999_999_999_999_999_999,
        "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ"
        " chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
    ),
]


@pytest.mark.parametrize(("number", "reading"), READINGS, ids=[str(number) for number, _reading in READINGS])
def test_number_in_words(number, reading):
    assert number_in_words(number) == reading


@pytest.mark.parametrize(
    ("number", "reading"),
    [
        (-5, "âm năm"),
        (-2025, "âm hai nghìn không trăm hai mươi lăm"),
        (-1_000_000_000, "âm một tỷ"),
    ],
)
def test_negative_numbers_start_with_am(number, reading):
    assert number_in_words(number) == reading


@pytest.mark.parametrize("not_a_whole_number", [2.5, Decimal("3"), "12", True])
def test_number_in_words_takes_only_whole_numbers(not_a_whole_number):
    with pytest.raises(TypeError):
        number_in_words(not_a_whole_number)


def test_amount_is_a_capitalised_sentence_in_dong():
    assert amount_in_words(6_500_000_000) == "Sáu tỷ năm trăm triệu đồng"
    assert amount_in_words(0) == "Không đồng"
    assert amount_in_words(-500_000) == "Âm năm trăm nghìn đồng"


def test_amount_in_another_currency():
    assert amount_in_words(25, currency_word="đô la Mỹ") == "Hai mươi lăm đô la Mỹ"


@pytest.mark.parametrize(
    ("amount", "reading"),
    [
        (Decimal("2025.00"), "Hai nghìn không trăm hai mươi lăm đồng"),
        (Decimal("1250000.49"), "Một triệu hai trăm năm mươi nghìn đồng"),
        (Decimal("1250000.50"), "Một triệu hai trăm năm mươi nghìn không trăm linh một đồng"),
        (Decimal("14.5"), "Mười lăm đồng"),
        (Decimal("0.4"), "Không đồng"),
    ],
)
def test_decimal_amount_is_rounded_half_up_to_whole_dong(amount, reading):
    assert amount_in_words(amount) == reading


def test_amount_refuses_float():
    with pytest.raises(TypeError):
        amount_in_words(1.5)


def test_in_words_line_as_a_report_writes_it():
    assert in_words_line(6_500_000_000) == "Bằng chữ: Sáu tỷ năm trăm triệu đồng."
    assert in_words_line(Decimal("1005000.00")) == "Bằng chữ: Một triệu không trăm linh năm nghìn đồng."
