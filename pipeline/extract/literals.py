"""Strings a regular expression cannot match without: a cheap test before running it.

``required_literals(pattern)`` reads the pattern's parse tree and returns a set of
strings such that every match contains at least one of them, or None when it finds
no such set. "(?:on )?(?P<a>(?:may|june) \\d+)" gives {"may ", "june "}: a text
holding neither cannot match, so the (slow, case-insensitive) pattern need not run.
The test is exact, not a heuristic, because it only skips texts the pattern cannot
match; when in doubt (classes, back-references, optional parts) it gives up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pipeline.extract.tokens import Memo

# The parser moved between Python versions; both are the stdlib's own.
try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, *( [_c.POSSESSIVE_REPEAT] if hasattr(_c, "POSSESSIVE_REPEAT") else [])}
_PLAIN_WORDS = re.compile(r"[a-z0-9 ]+(?:\|[a-z0-9 ]+)*")

Need = frozenset[str]


@lru_cache(maxsize=256)
def _parse(pattern: str, flags: int) -> Any:
    """The stdlib's parse tree of a pattern, built once per (pattern, flags).

    A time rule's pattern is analysed three times (required_literals, case_free,
    match_window) and parsing is most of the rules' start-up cost. The analyses only
    read the tree (getwidth caches the width on it, the same answer every time).
    """
    return _p.parse(pattern, flags)


def required_literals(pattern: str, flags: int = 0) -> Need | None:
    """Strings (lower-cased) of which every match holds one; None when none are known."""
    try:
        need = _sequence(list(_parse(pattern, flags)))
    except (re.error, RecursionError, TypeError, ValueError):
        return None
    if not need:
        return None
    lowered = {s.lower() for s in need}
    # "jan" present is implied by "january" present: test only the minimal strings.
    return frozenset(s for s in lowered if not any(t != s and t in s for t in lowered))


def plain_words(pattern: str) -> Need | None:
    """The words of a pattern that is only lower-case words joined by "|", else None.

    For such a pattern, a case-insensitive search finds a match in an ASCII text
    exactly when the lower-cased text contains one of the words.
    """
    return frozenset(pattern.split("|")) if _PLAIN_WORDS.fullmatch(pattern) else None


def pieces(s: str) -> frozenset[str]:
    """The whitespace-free parts of a string ("last night" -> {"last", "night"})."""
    return frozenset(s.split())


class PieceIndex:
    """Which of a fixed set of whitespace-free strings occur in a text, word by word.

    A string without whitespace occurs in a text exactly when it occurs inside one
    of the text's whitespace-separated words, so the answer for a text is the union
    of the answers for its words, and those are kept per word (per process, like
    the finders' other per-string answers). A text then costs a split and a dict
    probe per word, not a substring scan of the whole text per string: the scans
    were most of the cost of the texts no rule matches.
    """

    def __init__(self, strings: frozenset[str]) -> None:
        assert all(s == "".join(s.split()) and s for s in strings), "whitespace-free strings only"
        self.strings = strings
        self._none: frozenset[str] = frozenset()
        # Word -> the strings it holds; a new word is tested on its first reading (Memo).
        self._by_word: Memo[frozenset[str]] = Memo(self._held_by)
        # The strings no longer than n, for each n up to the longest: only those can be in
        # a word of n characters (most words are shorter than half the strings).
        longest = max(map(len, strings), default=0)
        self._upto = [tuple(s for s in sorted(strings) if len(s) <= n) for n in range(longest + 1)]

    def _held_by(self, word: str) -> frozenset[str]:
        """The strings that occur in one word (``filter`` tests them without a Python frame each)."""
        fitting = self._upto[min(len(word), len(self._upto) - 1)]
        return frozenset(filter(word.__contains__, fitting)) or self._none

    def present(self, text: str) -> frozenset[str]:
        """The strings that occur in ``text``."""
        return self._none.union(*map(self._by_word.__getitem__, text.split()))


def holds_any(lowered: str, need: Need) -> bool:
    """Whether the lower-cased text contains one of the strings."""
    return any(map(lowered.__contains__, need))  # map: no Python frame per string


def _score(need: Need) -> tuple[int, int]:
    """Prefer the longest shortest string, then fewer alternatives."""
    return min(len(s) for s in need), -len(need)


def _sequence(items: list[tuple[Any, Any]]) -> Need | None:
    """Every item of a sequence is required: the best of the items' needs.

    Runs of adjacent literal characters are one required string.
    """
    candidates: list[Need] = []
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        if op in _ZERO_WIDTH:
            continue
        need = _item(op, arg)
        if need is not None:
            candidates.append(need)
    if run:
        candidates.append(frozenset(["".join(run)]))
    return max(candidates, key=_score) if candidates else None


def _item(op: Any, arg: Any) -> Need | None:
    if op is _c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _c.BRANCH:
        needs = [_sequence(list(branch)) for branch in arg[1]]
        if any(n is None for n in needs):
            return None
        return frozenset().union(*needs)  # type: ignore[arg-type]
    if op in _REPEATS:
        low, _, body = arg
        return _sequence(list(body)) if low >= 1 else None
    if op is _c.IN and arg and all(kind is _c.LITERAL for kind, _ in arg):
        return frozenset(chr(value) for _, value in arg)
    if getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
        return _sequence(list(arg))
    return None


# --- case-insensitive patterns run on lower-cased ASCII text -------------------------

_CASE_FREE_OPS = {_c.ANY, _c.AT, _c.CATEGORY, _c.GROUPREF, _c.LITERAL, _c.NOT_LITERAL, _c.IN,
                  _c.SUBPATTERN, _c.BRANCH, _c.ASSERT, _c.ASSERT_NOT, *_REPEATS}


def case_free(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same pattern without IGNORECASE, for lower-cased ASCII texts; None if unsafe.

    Python's regex engine is two to five times slower case-insensitively: it folds
    every character and cannot scan ahead for a literal prefix. On an ASCII text,
    ``pattern`` matches exactly where this one matches ``text.lower()`` (same offsets,
    as lower-casing ASCII keeps the length) provided the pattern names no capital or
    non-ASCII character and no inline flag switches case sensitivity back on; for any
    other pattern the answer is None and the caller keeps the original.
    """
    if not pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):  # pragma: no cover - it compiled once already
        return None
    if not _all_case_free(list(tree)):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _lower_ascii(code: int) -> bool:
    return code < 128 and not 65 <= code <= 90


def _all_case_free(items: list[tuple[Any, Any]]) -> bool:
    for op, arg in items:
        if op not in _CASE_FREE_OPS:
            return False
        if op in (_c.LITERAL, _c.NOT_LITERAL) and not _lower_ascii(arg):
            return False
        if op is _c.IN and not _set_case_free(arg):
            return False
        if op is _c.SUBPATTERN:
            _, add_flags, del_flags, body = arg
            if add_flags or del_flags or not _all_case_free(list(body)):
                return False
        if op is _c.BRANCH and not all(_all_case_free(list(branch)) for branch in arg[1]):
            return False
        if op in (_c.ASSERT, _c.ASSERT_NOT) and not _all_case_free(list(arg[1])):
            return False
        if op in _REPEATS and not _all_case_free(list(arg[2])):
            return False
    return True


def _set_case_free(members: list[tuple[Any, Any]]) -> bool:
    for kind, value in members:
        if kind is _c.LITERAL and not _lower_ascii(value):
            return False
        if kind is _c.RANGE and not (value[1] < 128 and (value[1] < 65 or value[0] > 90)):
            return False
        if kind not in (_c.LITERAL, _c.RANGE, _c.CATEGORY, _c.NEGATE):
            return False
    return True


class OnOriginal:
    """A match found on the lower-cased text, read back from the original text.

    Offsets are shared (ASCII lower-casing keeps lengths); group values are slices
    of the original, so they keep their case as a match on the original would.
    """

    __slots__ = ("_match", "_text")

    def __init__(self, match: re.Match[str], text: str) -> None:
        self._match = match
        self._text = text

    def start(self, group: int | str = 0) -> int:
        return self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._match.end(group)

    def group(self, group: int | str = 0) -> str | None:
        start, end = self._match.span(group)
        return self._text[start:end] if start != -1 else None

    def groupdict(self) -> dict[str, str | None]:
        return {name: self.group(name) for name in self._match.re.groupindex}


def finditer_case_free(
    pattern: re.Pattern[str], fast: re.Pattern[str] | None, text: str, lowered: str | None,
    pos: int = 0, endpos: int | None = None,
) -> Any:
    """``pattern.finditer(text, pos, endpos)``, through ``fast`` on ``lowered`` when both are given."""
    end = len(text) if endpos is None else endpos
    if fast is None or lowered is None:
        return pattern.finditer(text, pos, end)
    return (OnOriginal(m, text) for m in fast.finditer(lowered, pos, end))


# --- where in a text a bounded pattern can match -----------------------------------


def match_window(pattern: re.Pattern[str]) -> tuple[int, int] | None:
    """(longest match, longest lookahead) of a pattern, or None when either is unbounded.

    With ``required_literals`` these bound where matches can be: every match holds a
    needed string and is at most the first number long, so none starts before
    ``first occurrence - width`` or ends after ``last occurrence end + width``; and no
    successful match reads past ``that + lookahead``. ``window`` turns them into
    the ``pos``/``endpos`` of a search that finds exactly the matches of a full scan.
    """
    try:
        tree = _parse(pattern.pattern, pattern.flags)
        width = tree.getwidth()[1]
        ahead = _lookahead(list(tree))
    except (re.error, RecursionError, TypeError):  # pragma: no cover
        return None
    if ahead is None or width >= _c.MAXREPEAT:
        return None
    return width, ahead


def _lookahead(items: list[tuple[Any, Any]]) -> int | None:
    """The longest lookahead in a parse tree (0 if none); None if one is unbounded."""
    longest = 0
    for op, arg in items:
        inner: list[list[tuple[Any, Any]]] = []
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            direction, body = arg
            if direction == 1:
                width = _p.SubPattern(_p.State(), list(body)).getwidth()[1] if body else 0
                if width >= _c.MAXREPEAT:
                    return None
                longest = max(longest, width)
            inner.append(list(body))
        elif op is _c.SUBPATTERN:
            inner.append(list(arg[-1]))
        elif op is _c.BRANCH:
            inner.extend(list(branch) for branch in arg[1])
        elif op in _REPEATS:
            inner.append(list(arg[2]))
        elif op is _c.GROUPREF_EXISTS:
            return None  # conditional groups: not analysed
        for body in inner:
            found = _lookahead(body)
            if found is None:
                return None
            longest = max(longest, found)
    return longest


def window(lowered: str, needs: Iterable[str], bounds: tuple[int, int]) -> tuple[int, int] | None:
    """``(pos, endpos)`` outside which no match can lie; None when no needed string occurs."""
    width, ahead = bounds
    first, last = len(lowered), -1
    for s in needs:
        at = lowered.find(s)
        if at >= 0:
            first = min(first, at)
            last = max(last, lowered.rfind(s) + len(s))
    if last < 0:
        return None
    return max(0, first - width), min(len(lowered), last + width + ahead + 1)
