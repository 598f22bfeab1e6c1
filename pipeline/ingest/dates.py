"""Publication dates of dump records -> ISO dates, with the day/month order read off the whole column.

"4/5/17" is April 5 or 4 May: one value cannot say, but a column can. Every numeric
date of the column is looked at first: a first field over 12 makes it day-first, a
second field over 12 month-first; a column that says neither (or both) needs
``--date-order`` (E607), never a guess. Two-digit years are 1970-2069 (the POSIX
convention), never read off the clock, so the same dump gives the same sidecars any year.
Other values: ISO 8601 dates and date-times, RFC 2822 ("Wed, 05 Apr 2017 10:00:00 GMT"),
and written dates with a four-digit year ("5 April 2017", "Wed 05 Apr 2017") read by
dateparser against a fixed base; relative ones ("2 days ago") are refused.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterable

_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
# Two-digit years below this are 20xx, the rest 19xx.
PIVOT = 70
_FIXED_BASE = dt.datetime(2000, 1, 1)


def column_order(values: Iterable[object]) -> tuple[str | None, str | None]:
    """("DMY" | "MDY" | None, an ambiguous example or None) for a column's numeric dates."""
    day_first = month_first = False
    example = None
    for value in values:
        match = _NUMERIC.match(value.strip()) if isinstance(value, str) else None
        if not match:
            continue
        first, second = int(match[1]), int(match[2])
        day_first |= first > 12
        month_first |= second > 12
        example = example or value.strip()
    if day_first != month_first:
        return ("DMY" if day_first else "MDY"), None
    return None, example


def parse_date(value: object, order: str | None) -> str | None:
    """An ISO date for a record's date value, or None when it cannot be read without guessing."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _ISO.match(text):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                return None
    match = _NUMERIC.match(text)
    if match:
        return _numeric(match, order)
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    if not _YEAR.search(text):
        return None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": _FIXED_BASE, "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": order or "YMD",
        "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_LOCALE_DATE_ORDER": False,
    })
    return parsed.date().isoformat() if parsed else None


def _numeric(match: re.Match[str], order: str | None) -> str | None:
    if order is None:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if len(match[3]) == 2:
        year += 2000 if year < PIVOT else 1900
    day, month = (first, second) if order == "DMY" else (second, first)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
