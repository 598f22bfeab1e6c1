"""Find time expressions ("last month", "on Wednesday", "between August 2014 and May
2017") with the regular expressions of ``rules/times.yaml``; resolution to dates is
``normalize/dates.py``'s job, because it needs the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import rules
from pipeline.normalize.calendar import expand


@dataclass(frozen=True)
class TimeRule:
    """One time-expression rule: an id, a compiled pattern and its resolver name."""

    id: str
    pattern: re.Pattern[str]
    resolve: str
    requires: re.Pattern[str] | None = None


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
        pattern = re.compile(r"(?<![\w-])(?:" + expand(item["pattern"]) + r")(?![\w])", re.IGNORECASE)
        requires = re.compile(item["requires"], re.IGNORECASE) if item.get("requires") else None
        compiled.append(TimeRule(item["id"], pattern, item["resolve"], requires))
    return tuple(compiled)


def find_times(text: str) -> list[TimeMatch]:
    """Non-overlapping time expressions in ``text``: at each place the longest wins."""
    candidates: list[TimeMatch] = []
    for rule in time_rules():
        if rule.requires is not None and rule.requires.search(text) is None:
            continue
        for match in rule.pattern.finditer(text):
            groups = tuple((k, v) for k, v in match.groupdict().items() if v is not None)
            candidates.append(TimeMatch(match.start(), match.end(), rule, groups))
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[TimeMatch] = []
    for cand in candidates:
        if chosen and cand.start < chosen[-1].end:
            continue
        chosen.append(cand)
    return chosen
