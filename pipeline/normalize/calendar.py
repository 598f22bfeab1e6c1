"""Month, weekday and placeholder tables shared by datelines and time expressions."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from pipeline import rules


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    """Month names and abbreviations (lower case) to month numbers."""
    return {str(k): int(v) for k, v in rules.load("dates")["months"].items()}


@lru_cache(maxsize=1)
def weekdays() -> dict[str, int]:
    """Weekday names and abbreviations (lower case) to Monday=0 numbers."""
    return {str(k): int(v) for k, v in rules.load("dates")["weekdays"].items()}


def _alternation(words: list[str]) -> str:
    # Longest first, so "september" is tried before "sep".
    return "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"


@lru_cache(maxsize=1)
def placeholders() -> dict[str, str]:
    """Regex fragments substituted for {MONTH}, {WEEKDAY}, {YEAR}, {DAY}, {NUM}, {DATE}."""
    month_any = _alternation(list(months()))
    month_full = _alternation([m for m in months() if len(m) > 3 or m == "may"])
    weekday_any = _alternation(list(weekdays()))
    weekday_full = _alternation([w for w in weekdays() if w.endswith("day")])
    year = r"(?:19|20)\d\d"
    day = r"(?:3[01]|[12]\d|0?[1-9])"
    num = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty-four|twenty four|several|few)"
    date = (
        rf"(?:{month_full}\.? {day}(?:st|nd|rd|th)?(?:,? {year})?"
        rf"|{day}(?:st|nd|rd|th)? (?:of )?{month_full}(?:,? {year})?"
        rf"|{month_full},? {year}|{month_full}|{year})"
    )
    return {
        "MONTH_FULL": month_full,
        "MONTH": month_any,
        "WEEKDAY_FULL": weekday_full,
        "WEEKDAY": weekday_any,
        "YEAR": year,
        "DAY": day,
        "NUM": num,
        "DATE": date,
    }


def expand(pattern: str) -> str:
    """Replace the {PLACEHOLDERS} of a rule pattern with their regex fragments."""
    for key, value in placeholders().items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None when the parts do not make one (31 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])
