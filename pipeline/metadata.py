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
from pipeline.extract.literals import OnOriginal, case_free, finditer_case_free, holds_any, required_literals
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
    tuple[str, re.Pattern[str], bool, frozenset[str] | None, re.Pattern[str] | None], ...
]:
    """(id, pattern, numeric, strings every match holds or None, case-free twin or None) per rule."""
    compiled = []
    for item in rules.load("dates")["datelines"]:
        source = expand(item["pattern"])
        needs = required_literals(source, re.IGNORECASE)
        if needs is not None and not all(s.isascii() for s in needs):
            needs = None
        pattern = re.compile(source, re.IGNORECASE)
        compiled.append((item["id"], pattern, bool(item.get("numeric")), needs, case_free(pattern)))
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
    for rule_id, pattern, numeric, needs, fast in _dateline_rules():
        if lowered is not None and needs is not None and not holds_any(lowered, needs):
            continue
        for match in finditer_case_free(pattern, fast, window, lowered):
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


def parse_iso_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD string (or the date part of a timestamp) as a date."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
