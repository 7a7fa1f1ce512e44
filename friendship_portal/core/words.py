"""Numbers and amounts of đồng read in Vietnamese words, as official documents write them.

We read numbers ourselves: num2words reads inner zero groups wrongly, while documents say
"không trăm" and "linh" (2.025 → "hai nghìn không trăm hai mươi lăm").
"""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 10**9


def _three_digits(group: int, *, after_higher: bool) -> list[str]:
    """One group of three digits (1–999); after a higher non-zero part its empty hundreds are read."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or after_higher:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", DIGITS[units]] if words else [DIGITS[units]]
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, after_higher: bool) -> list[str]:
    words = []
    for scale, group in (("triệu", n // 10**6), ("nghìn", n // 1000 % 1000), ("", n % 1000)):
        if group:
            words += _three_digits(group, after_higher=after_higher or bool(words))
            if scale:
                words.append(scale)
    return words


def _positive(n: int, *, after_higher: bool = False) -> list[str]:
    # Above a billion the count of billions is itself read as a number: 10^12 is "một nghìn tỷ",
    # 10^18 "một tỷ tỷ".
    billions, rest = divmod(n, BILLION)
    if not billions:
        return _below_billion(rest, after_higher=after_higher)
    words = [*_positive(billions, after_higher=after_higher), "tỷ"]
    if rest:
        words += _below_billion(rest, after_higher=True)
    return words


def number_in_words(n: int) -> str:
    """12345 → "mười hai nghìn ba trăm bốn mươi lăm"; lower case, negative numbers start "âm"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_in_words reads whole numbers, not {type(n).__name__}")
    if n == 0:
        return DIGITS[0]
    if n < 0:
        return "âm " + " ".join(_positive(-n))
    return " ".join(_positive(n))


def amount_in_words(amount: int | Decimal, *, currency_word: str = "đồng") -> str:
    """6500000000 → "Sáu tỷ năm trăm triệu đồng"; a Decimal is rounded half up to whole đồng."""
    if isinstance(amount, float):
        raise TypeError("amounts of money are int or Decimal, never float")
    if isinstance(amount, Decimal):
        amount = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    text = f"{number_in_words(amount)} {currency_word}"
    return text[0].upper() + text[1:]


def in_words_line(amount: int | Decimal, *, currency_word: str = "đồng") -> str:
    """The line under a total: "Bằng chữ: Sáu tỷ năm trăm triệu đồng." """
    return f"Bằng chữ: {amount_in_words(amount, currency_word=currency_word)}."
