"""Find time expressions ("last month", "on Wednesday", "between August 2014 and May
2017") with the regular expressions of ``rules/times.yaml``; resolution to dates is
``normalize/dates.py``'s job, because it needs the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import rules
from pipeline.extract.literals import (
    case_free,
    finditer_case_free,
    holds_any,
    match_window,
    plain_words,
    required_literals,
    window,
)
from pipeline.normalize.calendar import expand


@dataclass(frozen=True)
class TimeRule:
    """One time-expression rule: an id, a compiled pattern and its resolver name."""

    id: str
    pattern: re.Pattern[str]
    resolve: str
    requires: re.Pattern[str] | None = None
    # Fast forms of the two tests, and of the pattern itself, for ASCII texts (see find_times).
    requires_words: frozenset[str] | None = None
    needs: frozenset[str] | None = None
    case_free: re.Pattern[str] | None = None
    bounds: tuple[int, int] | None = None  # (longest match, longest lookahead), see literals.window


@dataclass(frozen=True)
class TimeMatch:
    """A time expression in a text (character offsets, end exclusive)."""

    start: int
    end: int
    rule: TimeRule
    groups: tuple[tuple[str, str], ...]

    def group(self, name: str) -> str | None:
        """A named group of the match, or None when it did not take part."""
        return dict(self.groups).get(name)


@lru_cache(maxsize=1)
def time_rules() -> tuple[TimeRule, ...]:
    """The compiled rules, in file order."""
    compiled = []
    for item in rules.load("times")["rules"]:
        source = r"(?<![\w-])(?:" + expand(item["pattern"]) + r")(?![\w])"
        pattern = re.compile(source, re.IGNORECASE)
        requires = re.compile(item["requires"], re.IGNORECASE) if item.get("requires") else None
        words = plain_words(item["requires"]) if item.get("requires") else None
        needs = required_literals(source, re.IGNORECASE)
        if needs is not None and not all(s.isascii() for s in needs):
            needs = None
        bounds = match_window(pattern) if needs is not None else None
        compiled.append(TimeRule(item["id"], pattern, item["resolve"], requires, words, needs, case_free(pattern), bounds))
    return tuple(compiled)


def _may_match(rule: TimeRule, text: str, lowered: str | None) -> bool:
    """False when ``rule`` cannot match ``text``: its "requires" or a string it needs is absent.

    Case-insensitive patterns are slow even at failing (no literal prefix scan), and
    most sentences lack most rules' words. On an ASCII text (``lowered`` is its lower
    case) a substring test decides the same as the case-insensitive search would;
    other texts run the "requires" pattern as before, and skip only that test.
    """
    if rule.requires is not None:
        if lowered is not None and rule.requires_words is not None:
            if not holds_any(lowered, rule.requires_words):
                return False
        elif rule.requires.search(text) is None:
            return False
    return lowered is None or rule.needs is None or holds_any(lowered, rule.needs)


def find_times(text: str) -> list[TimeMatch]:
    """Non-overlapping time expressions in ``text``: at each place the longest wins."""
    candidates: list[TimeMatch] = []
    lowered = text.lower() if text.isascii() else None
    for rule in time_rules():
        if not _may_match(rule, text, lowered):
            continue
        # On ASCII text the case-free twin of the pattern runs on the lower-cased text,
        # and only around the strings the rule needs when its matches are bounded.
        pos, endpos = 0, len(text)
        if lowered is not None and rule.needs is not None and rule.bounds is not None:
            bounds = window(lowered, rule.needs, rule.bounds)
            if bounds is None:
                continue
            pos, endpos = bounds
        for match in finditer_case_free(rule.pattern, rule.case_free, text, lowered, pos, endpos):
            groups = tuple((k, v) for k, v in match.groupdict().items() if v is not None)
            candidates.append(TimeMatch(match.start(), match.end(), rule, groups))
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[TimeMatch] = []
    for cand in candidates:
        if chosen and cand.start < chosen[-1].end:
            continue
        chosen.append(cand)
    return chosen
