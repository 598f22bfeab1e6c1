"""Article metadata: the publication date line near the top of a pasted article.

The date line decides every relative date in the article ("last month", "on
Wednesday"), so a wrong guess corrupts many claims: a date the user states in the
sidecar always wins, ambiguous day/month orders are flagged, and nothing falls back
to today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import rules
from pipeline.extract.literals import (
    OnOriginal, case_free, finditer_case_free, holds_any, match_window, required_literals,
)
from pipeline.extract.literals import window as literal_window
from pipeline.normalize.calendar import expand, months, safe_date

# Only the top of the body is searched: a date deeper in is about events, not the page.
DATELINE_WINDOW = 320
# A date line may follow a short header (repeated headline, "Monitor AFP"): at most
# this many words may stand before it on its line.
MAX_HEADER_WORDS = 30


@dataclass(frozen=True)
class Dateline:
    """A publication date found in the text, with where it was found."""

    date: dt.date
    start: int
    end: int
    rule: str
    ambiguous: bool = False
    order: str = "DMY"
    text: str = ""


@lru_cache(maxsize=1)
def _dateline_rules() -> tuple[
    tuple[str, re.Pattern[str], bool, frozenset[str] | None, re.Pattern[str] | None, tuple[int, int] | None], ...
]:
    """(id, pattern, numeric, strings every match holds or None, case-free twin or None,
    (longest match, longest lookahead) or None when unbounded) per rule."""
    compiled = []
    for item in rules.load("dates")["datelines"]:
        source = expand(item["pattern"])
        needs = required_literals(source, re.IGNORECASE)
        if needs is not None and not all(s.isascii() for s in needs):
            needs = None
        pattern = re.compile(source, re.IGNORECASE)
        compiled.append(
            (item["id"], pattern, bool(item.get("numeric")), needs, case_free(pattern), match_window(pattern))
        )
    return tuple(compiled)


def _from_match(
    match: re.Match[str] | OnOriginal, numeric: bool, date_order: str | None
) -> tuple[dt.date | None, bool, str]:
    """Turn a dateline match into a date; numeric dates may be ambiguous."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    if numeric:
        a, b, year = int(groups["a"]), int(groups["b"]), int(groups["y"])
        if a > 12 >= b:
            return safe_date(year, b, a), False, "DMY"
        if b > 12 >= a:
            return safe_date(year, a, b), False, "MDY"
        order = date_order or "DMY"
        ambiguous = date_order is None and a != b
        day, month = (a, b) if order == "DMY" else (b, a)
        return safe_date(year, month, day), ambiguous, order
    if "mm" in groups:
        return safe_date(int(groups["y"]), int(groups["mm"]), int(groups["dd"])), False, "YMD"
    day = groups.get("d") or groups.get("d2")
    month = groups.get("m") or groups.get("m2")
    year = groups.get("y") or groups.get("y2")
    if not (day and month and year):
        return None, False, "DMY"
    number = months().get(month.lower().rstrip("."))
    if number is None:
        return None, False, "DMY"
    return safe_date(int(year), number, int(day)), False, "DMY"


def find_dateline(body: str, date_order: str | None = None) -> Dateline | None:
    """The publication date in the first lines of the body, if any.

    The earliest match in the window wins; at equal positions the rule order of
    ``dates.yaml`` decides (prefixed forms first).
    """
    window = body[:DATELINE_WINDOW]
    # A rule whose needed strings are absent cannot match (a substring test decides
    # that much faster than the case-insensitive pattern; ASCII windows only).
    lowered = window.lower() if window.isascii() else None
    best: Dateline | None = None
    for rule_id, pattern, numeric, needs, fast, bounds in _dateline_rules():
        if best is not None and best.start == 0:
            break  # only an earlier match could replace it: the rest need not scan
        span = _search_span(window, lowered, needs, bounds, best)
        if span is None:
            continue
        for match in finditer_case_free(pattern, fast, window, lowered, *span):
            line_start = window.rfind("\n", 0, match.start()) + 1
            if len(window[line_start : match.start()].split()) > MAX_HEADER_WORDS:
                break
            date, ambiguous, order = _from_match(match, numeric, date_order)
            if date is None or not (1990 <= date.year <= 2100):
                continue
            if best is None or match.start() < best.start:
                best = Dateline(date, match.start(), match.end(), rule_id, ambiguous, order, match.group(0))
            break
    return best


def _search_span(
    window: str, lowered: str | None, needs: frozenset[str] | None, bounds: tuple[int, int] | None,
    best: Dateline | None,
) -> tuple[int, int] | None:
    """(pos, endpos) of the part of the window where a rule's match could still win;
    None when it cannot match at all.

    A rule whose needed strings are absent cannot match (a substring test decides that
    much faster than the case-insensitive pattern; ASCII windows only). When its
    matches are at most ``bounds`` = (length, lookahead) long, the search keeps to where
    they can lie (``literals.window``), and after an earlier rule's match at ``best``
    to where a match starting before it can end: a later start never wins.
    """
    pos, endpos = 0, len(window)
    if lowered is not None and needs is not None:
        if bounds is None:
            if not holds_any(lowered, needs):
                return None
        else:
            found = literal_window(lowered, needs, bounds)
            if found is None:
                return None
            pos, endpos = found
    if bounds is not None and best is not None:
        endpos = min(endpos, best.start + bounds[0] + bounds[1])
    return pos, endpos


def parse_iso_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD string (or the date part of a timestamp) as a date."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
