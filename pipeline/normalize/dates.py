"""Resolve a time expression to an inclusive ISO interval against the publication date.

Relative phrases ("last month", "on Wednesday", "over the past month") are resolved
here with explicit calendar arithmetic, because dateparser returns a point and fills
missing parts from the base date; dateparser is used only for the absolute
day-level strings ("September 23, 2014", "May 23"), with English fixed and the
publication date as its relative base. Without a publication date, relative
expressions stay unresolved (None): never today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.extract.times import TimeMatch
from pipeline.normalize.calendar import month_end, months, safe_date, weekdays

_UNIT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty-four": 24, "twenty four": 24,
    "several": 3, "few": 3,
}
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Interval:
    """An inclusive day-grain interval."""

    start: dt.date
    end: dt.date


def resolve(match: TimeMatch, published: dt.date | None) -> Interval | None:
    """The interval a time expression stands for, or None when it cannot be known.

    An interval that falls outside the calendar Python can represent (years 1 to 9999:
    "last year" against a sidecar date of 0001-01-01, "5000 years ago") cannot be
    known either: it stays unresolved instead of failing the article.
    """
    resolver = _RESOLVERS.get(match.rule.resolve)
    if resolver is None:
        return None
    try:
        return resolver(match, published)
    except (OverflowError, ValueError):
        # A day outside the calendar (years 1 to 9999): "99999999 days ago", "the past
        # 3000 years", "yesterday" in a text published on 1 January of the year 1, or a
        # figure int() refuses. What cannot be a date is not known.
        return None


def _shift_months(day: dt.date, n: int) -> dt.date:
    month0 = day.month - 1 + n
    year = day.year + month0 // 12
    month = month0 % 12 + 1
    return safe_date(year, month, min(day.day, month_end(year, month).day)) or day


def _number(text: str | None) -> int:
    if not text:
        return 1
    text = text.strip().lower()
    return int(text) if text.isdigit() else _UNIT_WORDS.get(text, 1)


def _back(published: dt.date, n: int, unit: str) -> dt.date:
    if unit == "hour":
        return published - dt.timedelta(days=max(1, (n + 23) // 24))
    if unit == "day":
        return published - dt.timedelta(days=n)
    if unit == "week":
        return published - dt.timedelta(weeks=n)
    if unit == "month":
        return _shift_months(published, -n)
    return _shift_months(published, -12 * n)


def _past_n(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    unit = (match.group("unit") or "day").lower()
    return Interval(_back(published, _number(match.group("n")), unit), published)


def _n_ago(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    day = _back(published, _number(match.group("n")), (match.group("unit") or "day").lower())
    return Interval(day, day)


def _last_unit(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    unit = (match.group("unit") or "").lower()
    if unit == "month":
        first = _shift_months(published.replace(day=1), -1)
        return Interval(first, month_end(first.year, first.month))
    if unit == "year":
        return Interval(dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31))
    monday = published - dt.timedelta(days=published.weekday() + 7)
    if unit == "weekend":
        return Interval(monday + dt.timedelta(days=5), monday + dt.timedelta(days=6))
    return Interval(monday, monday + dt.timedelta(days=6))


def _this_unit(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    unit = (match.group("unit") or "").lower()
    if unit == "month":
        return Interval(published.replace(day=1), published)
    if unit == "year":
        return Interval(dt.date(published.year, 1, 1), published)
    return Interval(published - dt.timedelta(days=published.weekday()), published)


def _deictic(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    word = (match.group("word") or "").lower()
    yesterday = published - dt.timedelta(days=1)
    if word in ("yesterday", "last night"):
        return Interval(yesterday, yesterday)
    if word == "overnight":
        return Interval(yesterday, published)
    return Interval(published, published)


def _weekday(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    target = weekdays()[(match.group("wd") or "").lower()]
    back = (published.weekday() - target) % 7
    if back == 0 and (match.group("mod") or "").lower() == "last":
        back = 7
    day = published - dt.timedelta(days=back)
    return Interval(day, day)


def _weekday_pair(match: TimeMatch, published: dt.date | None) -> Interval | None:
    """ "on Tuesday and Wednesday": the second day as a weekday alone, the first the same
    weekday on or before it."""
    last = _weekday(TimeMatch(match.start, match.end, match.rule, (("wd", match.group("wd2") or ""),)), published)
    if last is None:
        return None
    back = (last.end.weekday() - weekdays()[(match.group("wd") or "").lower()]) % 7
    return Interval(last.end - dt.timedelta(days=back), last.end)


def _day_before(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    day = published - dt.timedelta(days=1)
    return Interval(day, day)


# The days of a month a part of it spans: "early" the first ten, "mid" the next ten, "late" the rest.
_MONTH_PARTS = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10), "mid": (11, 20),
                "middle of": (11, 20), "late": (21, 31), "end of": (21, 31),
                "first week of": (1, 7), "second week of": (8, 14), "third week of": (15, 21),
                "fourth week of": (22, 28), "last week of": (22, 31), "first half of": (1, 15),
                "second half of": (16, 31)}


def _part_month(match: TimeMatch, published: dt.date | None) -> Interval | None:
    month = parse_date_text(match.group("a") or "", published)
    if month is None:
        return None
    first, last = _MONTH_PARTS[" ".join((match.group("part") or "").lower().split())]
    start = month.start.replace(day=first)
    end = month.end if last == 31 else month.start.replace(day=last)
    return Interval(start, min(end, month.end))


def _day_range(match: TimeMatch, published: dt.date | None) -> Interval | None:
    """ "March 9-10", "9 to 11 March 2024", "the night of 9-10 March": days of one month."""
    month = match.group("m") or match.group("mb")
    first_day, last_day = int(match.group("d1") or match.group("d1b")), int(match.group("d2") or match.group("d2b"))
    if not month or not 1 <= first_day < last_day <= 31:
        return None
    year = match.group("y")
    last = parse_date_text(f"{month} {last_day}" + (f" {year}" if year else ""), published)
    if last is None or last.start != last.end:
        return None
    return Interval(last.start.replace(day=first_day), last.end)


def parse_date_text(text: str, published: dt.date | None, *, latest: bool = False) -> Interval | None:
    """A date written as a day, a month or a year, as the interval it covers.

    A month or day without a year is the latest one on or before publication.
    """
    text = re.sub(r"\s+", " ", text.strip().rstrip(".,")).replace(",", "")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\bof ", "", text, flags=re.IGNORECASE)
    words = text.split(" ")
    if len(words) == 1 and _YEAR.match(words[0]):
        year = int(words[0])
        return Interval(dt.date(year, 1, 1), dt.date(year, 12, 31))
    month_names = months()
    month = next((month_names[w.lower().rstrip(".")] for w in words if w.lower().rstrip(".") in month_names), None)
    if month is None:
        return None
    year_word = next((w for w in words if _YEAR.match(w)), None)
    day_word = next((w for w in words if w.isdigit() and not _YEAR.match(w)), None)
    if year_word is None and published is None:
        return None
    if day_word is None:
        year = int(year_word) if year_word else published.year - (month > published.month)  # type: ignore[union-attr]
        return Interval(dt.date(year, month, 1), month_end(year, month))
    day = _parse_day(text, published) if year_word is None else safe_date(int(year_word), month, int(day_word))
    return Interval(day, day) if day else None


# "May 23", "23 May", "Sept. 5": the plain forms the time rules give _parse_day.
_MONTH_DAY = re.compile(r"(?P<m>[A-Za-z]+)\.? (?P<d>\d{1,2})|(?P<d2>\d{1,2}) (?P<m2>[A-Za-z]+)\.?")


def _plain_month_day(text: str, published: dt.date) -> dt.date | None | bool:
    """What dateparser gives a plain month and day, by calendar arithmetic; False if not plain.

    Importing dateparser and its first call cost about 0.4 s of a run, later calls
    about a millisecond each. For these forms dateparser (past preferred, English, the
    publication date as base) gives that day in the publication year, or in the year
    before when it would fall after publication; tests/test_dates_fast.py checks the
    two agree on every month spelling, day and base date kind. 29 February and every
    other form still go to dateparser.
    """
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        return False
    word = (match.group("m") or match.group("m2")).lower()
    month = months().get(word)
    day = int(match.group("d") or match.group("d2"))
    if month is None or (month, day) == (2, 29):
        return False
    if not 1 <= day <= month_end(2017, month).day:
        return None
    found = dt.date(published.year, month, day)
    return found if found <= published else dt.date(published.year - 1, month, day)


@lru_cache(maxsize=4096)
def _parse_day(text: str, published: dt.date | None) -> dt.date | None:
    """Month and day without a year: dateparser, relative to publication, in the past."""
    if published is None:
        return None
    plain = _plain_month_day(text, published)
    if plain is not False:
        return plain  # type: ignore[return-value]
    return dateparser_day(text, published)


def dateparser_day(text: str, published: dt.date) -> dt.date | None:
    """dateparser's reading of a month and day, the most recent one not after ``published``."""
    import dateparser  # imported lazily: about 0.2 s, and most articles never need it

    result = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(published.year, published.month, published.day),
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": ["day", "month"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return result.date() if result else None


def _single(match: TimeMatch, published: dt.date | None) -> Interval | None:
    text = match.group("a") or match.group("b")
    return parse_date_text(text, published) if text else None


def _between(match: TimeMatch, published: dt.date | None) -> Interval | None:
    first_text, second_text = match.group("a"), match.group("b")
    if not first_text or not second_text:
        return None
    base = published
    rel = (match.group("rel") or "").strip().lower()
    if base is not None and rel == "last year":
        base = dt.date(base.year - 1, 12, 31)
    second = parse_date_text(second_text, base)
    if second is None:
        return None
    # The first date is read relative to the second ("between April 23 and May 23").
    first = parse_date_text(first_text, second.end)
    if first is None or first.start > second.end:
        return None
    return Interval(first.start, second.end)


def _since(match: TimeMatch, published: dt.date | None) -> Interval | None:
    if published is None:
        return None
    first = parse_date_text(match.group("a") or "", published)
    if first is None or first.start > published:
        return None
    return Interval(first.start, published)


_RESOLVERS = {
    "past_n": _past_n,
    "n_ago": _n_ago,
    "last_unit": _last_unit,
    "this_unit": _this_unit,
    "deictic": _deictic,
    "weekday": _weekday,
    "single": _single,
    "between": _between,
    "since": _since,
    "weekday_pair": _weekday_pair,
    "day_before": _day_before,
    "part_month": _part_month,
    "day_range": _day_range,
}
