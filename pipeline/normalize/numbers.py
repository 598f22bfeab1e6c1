"""Numbers as written in news text, to integers.

Digits with or without separators ("1,953", "230000"), decimals with a multiplier
("1.5 million"), and number words ("forty-four", "two hundred", "a dozen"), the
latter through text2num, which handles compound words better than a hand table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from pipeline import rules

# No casualty figure needs more digits than this. The bound keeps every count an
# exact integer in any JSON reader (under 2**53) and in DuckDB's BIGINT, and keeps a
# run of thousands of digits (a table, an ID, garbage) from reaching ``int``, which
# refuses strings over 4,300 digits and is quadratic below that.
MAX_DIGITS = 15
MAX_COUNT = 10**MAX_DIGITS - 1
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3}){1,4}$|^\d{1,15}$")
_DECIMAL = re.compile(r"^\d{1,15}\.\d{1,15}$")


@dataclass(frozen=True)
class CountValue:
    """A normalized count: the UCDP-style bounds plus a qualifier."""

    qualifier: str
    value: int | None = None
    low: int | None = None
    high: int | None = None


@lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    """Words that can be part of a spelled-out number."""
    data = rules.load("counts")
    return frozenset(w.lower() for w in data["number_words"])


@lru_cache(maxsize=1)
def multipliers() -> dict[str, int]:
    """Scale words: hundred, thousand, million."""
    return {k.lower(): int(v) for k, v in rules.load("counts")["multipliers"].items()}


def is_digits(text: str) -> bool:
    """True for "472", "1,953" or "230000" (at most MAX_DIGITS digits)."""
    return bool(_DIGITS.match(text))


def digits_value(text: str) -> int:
    """The integer written with digits and optional thousands separators."""
    return int(text.replace(",", ""))


def words_value(words: list[str]) -> int | None:
    """The integer a run of number words stands for, or None if they make none.

    ``words`` are tokens such as ["forty", "-", "four"] or ["two", "hundred", "and", "twenty"].
    """
    text = " ".join(w.lower() for w in words).replace(" - ", "-")
    if text in ("a dozen", "one dozen"):
        return 12
    if text == "half a dozen":
        return 6
    text = re.sub(r"^an? (hundred|thousand|million)", r"one \1", text)
    try:
        value = int(text2num(text, "en"))
    except ValueError:
        return None
    return value if value <= MAX_COUNT else None


def scaled_value(number: str, scale: str) -> int | None:
    """ "1.5" + "million" -> 1500000; "20" + "thousand" -> 20000."""
    factor = multipliers().get(scale.lower())
    if factor is None:
        return None
    if _DECIMAL.match(number):
        whole, frac = number.split(".")
        value = int(whole) * factor + int(frac) * factor // (10 ** len(frac))
    elif is_digits(number):
        value = digits_value(number) * factor
    else:
        return None
    return value if value <= MAX_COUNT else None


def bounds(qualifier: str, first: int | None, second: int | None = None) -> CountValue:
    """Place a number (or two, for a range) in the value/low/high slots its qualifier implies."""
    if qualifier == "range" and first is not None and second is not None:
        return CountValue("range", None, min(first, second), max(first, second))
    if qualifier in ("at_least", "more_than"):
        return CountValue(qualifier, None, first, None)
    if qualifier in ("at_most", "less_than"):
        return CountValue(qualifier, None, None, first)
    if qualifier == "approximately":
        return CountValue(qualifier, first, None, None)
    if qualifier == "vague":
        return CountValue(qualifier, None, first, None)
    return CountValue("exact", first, first, first)
