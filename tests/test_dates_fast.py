"""The calendar fast path for "May 23" / "23 May" gives what dateparser gives.

Importing dateparser and its first call cost about 0.4 s of a run, so plain month-day
forms are resolved by arithmetic (``_plain_month_day``). These tests hold it to
dateparser's answer on every month spelling of dates.yaml (title case, and lower case
with a dot), both orders, edge days (0, 1, 29-32, a leading zero) and base dates at a
year end, a year start and around 29 February. (A wider sweep, 88,536 cases in three
casings and seven base dates, agreed when the fast path was written.)
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.normalize.calendar import months
from pipeline.normalize.dates import _plain_month_day, dateparser_day

BASES = (dt.date(2016, 2, 29), dt.date(2017, 1, 1), dt.date(2015, 12, 31), dt.date(2017, 2, 28))
DAYS = ("0", "01", "29", "30", "31", "32")


def _texts(word: str) -> list[str]:
    forms = (word.title(), f"{word}.")
    return [text for form in forms for day in DAYS for text in (f"{form} {day}", f"{day} {form}")]


@pytest.mark.parametrize("word", sorted(months()))
def test_plain_month_day_agrees_with_dateparser(word: str) -> None:
    for text in _texts(word):
        for base in BASES:
            fast = _plain_month_day(text, base)
            if fast is False:  # only 29 February is left to dateparser
                assert months()[word] == 2 and "29" in text.split(), text
                continue
            assert fast == dateparser_day(text, base), (text, base)


@pytest.mark.parametrize("text", ["May 23 2017", "on May 23", "Mayo 23", "23rd May", "May", "Feb 29", "29 February"])
def test_other_forms_go_to_dateparser(text: str) -> None:
    assert _plain_month_day(text, dt.date(2017, 7, 13)) is False


def test_time_rules_spaced_requires_are_those_the_piece_index_lacks() -> None:
    """_ascii_bounds looks for a rule's whitespace-holding "requires" words in the text: they
    are exactly the words the PieceIndex cannot say are present."""
    from pipeline.extract.times import _piece_index, time_rules

    for rule in time_rules():
        if isinstance(rule.requires_fast, frozenset):
            assert rule.requires_spaced == rule.requires_fast - _piece_index().strings, rule.id
