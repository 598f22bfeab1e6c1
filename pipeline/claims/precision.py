"""Precision codes of a claim's place and time, as analysts code them (UCDP GED's
``where_prec`` and ``date_prec``), derived from the claim's own fields.

Why: a figure placed "in Syria" and one placed in a village, or dated "on Monday" and
"this year", are not the same evidence; a map or a time series must know which is
which without re-reading the text. Both codes are pure functions of the JSON fields, so
they stay true when a field is inherited or refined.

``where_precision``: ``place`` (a village, neighbourhood or site smaller than a town),
``town`` (a populated place of the gazetteer: a town or city), ``admin1`` (a first-level
division only: "Idlib province"), ``country``, ``none``. Read from the claim's first place
that is not a bare country when it has one (the place the figure is most precisely tied to).

``date_precision``: ``day`` (one day), ``days`` (2-6 days), ``week`` (7-14 days), ``month``
(15-62 days), ``year`` (longer), ``none`` (no resolved time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache

from pipeline.normalize.places import fold_key, is_populated_place

WHERE_PRECISIONS = ("place", "town", "admin1", "country", "none")
DATE_PRECISIONS = ("day", "days", "week", "month", "year", "none")
# Words of a mention that name a division rather than a town ("Idlib province", "rural Hama").
DIVISION_WORDS = frozenset(
    "province governorate countryside rural region state oblast county prefecture muhafazat wilayat".split()
)


def primary_location(locations: Sequence[Mapping[str, str | None]]) -> Mapping[str, str | None] | None:
    """The place a claim is most precisely tied to: its first place below country level,
    else its first place ("in Syria's Idlib province" -> Idlib)."""
    return next((loc for loc in locations if loc.get("admin1")), locations[0] if locations else None)


def where_precision(locations: Sequence[Mapping[str, str | None]]) -> str:
    """``place``, ``town``, ``admin1``, ``country`` or ``none`` (see the module docstring)."""
    location = primary_location(locations)
    if location is None:
        return "none"
    admin1 = location.get("admin1")
    if not admin1:
        return "country"
    return _place_precision(str(location.get("text") or ""), str(location.get("name") or ""), str(admin1),
                            str(location.get("country") or ""))


@lru_cache(maxsize=4096)
def _place_precision(text: str, name: str, admin1: str, country: str) -> str:
    """``where_precision`` of a place below country level, from its fields as strings:
    cached, as the same places recur across claims and articles (otherwise folded and
    looked up in the gazetteer again each time)."""
    if set(fold_key(text).split()) & DIVISION_WORDS:
        return "admin1"
    if is_populated_place(name, country) or is_populated_place(text, country):
        return "town"
    if fold_key(name) == fold_key(admin1):
        return "admin1"
    return "place"


def date_precision(time: Mapping[str, str | None] | None) -> str:
    """``day``, ``days``, ``week``, ``month``, ``year`` or ``none`` from the resolved interval."""
    if not time or not time.get("start") or not time.get("end"):
        return "none"
    span = (dt.date.fromisoformat(str(time["end"])) - dt.date.fromisoformat(str(time["start"]))).days + 1
    if span <= 1:
        return "day"
    if span <= 6:
        return "days"
    if span <= 14:
        return "week"
    if span <= 62:
        return "month"
    return "year"
