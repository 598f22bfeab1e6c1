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
    PieceIndex,
    holds_any,
    match_window,
    pieces,
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
    # The needs again, with each string's whitespace-free parts (see _ascii_bounds).
    need_pieces: tuple[tuple[str, frozenset[str]], ...] = ()
    any_piece: frozenset[str] = frozenset()  # the parts of all needed strings
    # The "requires" test on ASCII texts: None when ``needs`` implies it (each needed
    # string holds a required word), else the words, else the case-free pattern.
    requires_fast: frozenset[str] | re.Pattern[str] | None = None
    # The words of a frozenset ``requires_fast`` that hold whitespace: the PieceIndex does
    # not index them, so they are looked for in the text.
    requires_spaced: frozenset[str] = frozenset()


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
        needs = required_literals(source, pattern.flags)  # the flags case_free and match_window parse with
        if needs is not None and not all(s.isascii() for s in needs):
            needs = None
        bounds = match_window(pattern) if needs is not None else None
        need_pieces = tuple((s, pieces(s)) for s in sorted(needs or ()))
        requires_fast = _requires_fast(requires, words, needs)
        spaced = frozenset(w for w in requires_fast if pieces(w) != {w}) if isinstance(requires_fast, frozenset) else frozenset()
        compiled.append(TimeRule(
            item["id"], pattern, item["resolve"], requires, words, needs, case_free(pattern), bounds,
            need_pieces, frozenset().union(*(p for _, p in need_pieces)), requires_fast, spaced,
        ))
    return tuple(compiled)


def _requires_fast(
    requires: re.Pattern[str] | None, words: frozenset[str] | None, needs: frozenset[str] | None,
) -> frozenset[str] | re.Pattern[str] | None:
    """How to run a rule's "requires" test on an ASCII text (see TimeRule)."""
    if requires is None:
        return None
    if words is None:
        return case_free(requires) or requires
    if needs is not None and all(any(w in s for w in words) for s in needs):
        return None  # "between " holds "between": passing the needs test passes this one
    return words


@lru_cache(maxsize=1)
def _piece_index() -> PieceIndex:
    """The parts of every needed string, and the whitespace-free required words."""
    strings: set[str] = set()
    for rule in time_rules():
        strings.update(rule.any_piece)
        if isinstance(rule.requires_fast, frozenset):
            strings.update(w for w in rule.requires_fast if pieces(w) == {w})
    return PieceIndex(frozenset(strings))


def _ascii_bounds(rule: TimeRule, text: str, lowered: str, present: frozenset[str]) -> tuple[int, int] | None:
    """Where in an ASCII text ``rule`` can match, or None when it cannot.

    Case-insensitive patterns are slow even at failing (no literal prefix scan), and
    most sentences lack most rules' strings. A needed string cannot occur unless
    each of its parts does, and ``present`` (the PieceIndex's answer for the text)
    says which do without a scan per string. Only for the strings that may occur,
    and only when the rule's matches are bounded, are the strings looked for, to
    search just around them (see literals.window). On the lower-cased text
    (``lowered``), a "requires" word is found exactly when the case-insensitive
    pattern would find it.
    """
    found: tuple[int, int] | None = (0, len(lowered))
    if rule.needs is not None:
        if present.isdisjoint(rule.any_piece):
            return None
        maybe = [s for s, parts in rule.need_pieces if parts <= present]
        if not maybe:
            return None
        if rule.bounds is not None:
            found = window(lowered, maybe, rule.bounds)
            if found is None:
                return None
    requires = rule.requires_fast
    if isinstance(requires, frozenset):
        # Words with whitespace are not in the index: those are looked for.
        if requires.isdisjoint(present) and not holds_any(lowered, rule.requires_spaced):
            return None
    elif requires is not None:
        # The case-free twin runs on the lower case; a pattern case_free declined, as is.
        if requires.search(text if requires is rule.requires else lowered) is None:
            return None
    return found


def find_times(text: str) -> list[TimeMatch]:
    """Non-overlapping time expressions in ``text``: at each place the longest wins."""
    candidates: list[TimeMatch] = []
    lowered = text.lower() if text.isascii() else None
    present = _piece_index().present(lowered) if lowered is not None else frozenset()
    for rule in time_rules():
        if lowered is None:
            if rule.requires is not None and rule.requires.search(text) is None:
                continue
            pos, endpos = 0, len(text)
        else:
            # _ascii_bounds's first test, here: two rules in three fail it, and a call costs more.
            if rule.needs is not None and present.isdisjoint(rule.any_piece):
                continue
            bounds = _ascii_bounds(rule, text, lowered, present)
            if bounds is None:
                continue
            pos, endpos = bounds
        # On ASCII text the case-free twin of the pattern runs on the lower-cased text.
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
