"""Find counts in a Doc: a number, optionally qualified ("at least 744") or a range.

A scanner rather than Matcher patterns, because a number's extent depends on its
value ("two hundred and twenty" is one number, "two and three" is not); the words
and qualifier phrases it knows come from ``rules/counts.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from spacy.tokens import Doc

from pipeline import rules
from pipeline.extract.tokens import memo_map, token_view
from pipeline.normalize.numbers import (
    CountValue,
    bounds,
    digits_value,
    is_digits,
    multipliers,
    number_words,
    scaled_value,
    words_value,
)

# Each side at most MAX_DIGITS digits, as ``is_digits`` accepts (15 is MAX_DIGITS).
_RANGE_TOKEN = re.compile(r"^(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})[-–](\d{1,3}(?:,\d{3}){1,4}|\d{1,15})$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_RANGE_LINKS = {"to", "-", "–", "or"}
# Tokens of the longest spelled number read ("three hundred and forty - five thousand
# six hundred and seventy - eight" is 14).
MAX_NUMBER_TOKENS = 16


@dataclass(frozen=True)
class CountSpan:
    """A count found in a Doc (token offsets, end exclusive)."""

    start: int
    end: int
    number_start: int
    value: CountValue
    rule: str
    yearlike: bool = False


@lru_cache(maxsize=1)
def _qualifiers() -> tuple[tuple[tuple[str, ...], str], ...]:
    items = [(tuple(q["phrase"].lower().split()), q["qualifier"]) for q in rules.load("counts")["qualifiers"]]
    return tuple(sorted(items, key=lambda item: -len(item[0])))


@lru_cache(maxsize=1)
def _vague() -> tuple[tuple[tuple[str, ...], int], ...]:
    items = [(tuple(v["phrase"].lower().split()), int(v["low"])) for v in rules.load("counts")["vague"]]
    return tuple(sorted(items, key=lambda item: -len(item[0])))


def _lower(doc: _Tokens, i: int) -> str:
    return doc.lowers[i] if 0 <= i < len(doc.texts) else ""


def _phrase_at(doc: _Tokens, i: int, phrase: tuple[str, ...]) -> bool:
    """Whether the phrase's words are the lower-cased tokens from i on (i >= 0).

    One slice and one tuple comparison in C; past the end the slice is short, so
    the comparison fails as the word-by-word test did.
    """
    return tuple(doc.lowers[i : i + len(phrase)]) == phrase


def _number_at(doc: _Tokens, i: int) -> tuple[int, int, bool] | None:
    """(end, value, yearlike) of a plain number starting at token i, or None.

    ``i`` may be past the last token: "between", "12 to" or "between 5 and" can end a
    text (the 300,000-character cut can leave them there), and no number follows.
    """
    if i >= len(doc.texts):
        return None
    text = doc.texts[i]
    scales = multipliers()
    # Both forms start with a digit (\d only matches what str.isdigit accepts), so
    # the regular expressions run only for the tokens that do.
    if text[:1].isdigit() and (is_digits(text) or _DECIMAL.match(text)):
        if _lower(doc, i + 1) in scales:
            value = scaled_value(text, _lower(doc, i + 1))
            return (i + 2, value, False) if value is not None else None
        if not is_digits(text):
            return None
        return i + 1, digits_value(text), bool(_YEAR.match(text))
    words = number_words()
    low = doc.lowers[i]
    starts = low in words or (low in ("a", "an", "half") and _lower(doc, i + 1) in {"hundred", "thousand", "dozen", "a"})
    if low == "dozen" or not starts:
        return None
    end = i + 1
    # A run of number words longer than any number ("one hundred and twenty one
    # hundred and twenty ...") is read MAX_NUMBER_TOKENS at a time: each start tries
    # its prefixes from the longest down, so an unbounded run cost cubic time.
    last = min(len(doc.texts), i + MAX_NUMBER_TOKENS)
    while end < last:
        nxt = doc.lowers[end]
        if nxt in words or nxt in ("dozen", "a") and doc.lowers[end - 1] in ("half", "a"):
            end += 1
        elif nxt in ("-", "and") and end + 1 < last and doc.lowers[end + 1] in words and doc.lowers[end - 1] in words:
            if nxt == "and" and doc.lowers[end - 1] not in ("hundred", "thousand", "million"):
                break
            end += 2
        else:
            break
    while end > i:
        value = _words_value(tuple(doc.texts[i:end]))
        if value is not None:
            return end, value, False
        end -= 1
    return None


@lru_cache(maxsize=4096)
def _words_value(words: tuple[str, ...]) -> int | None:
    """``words_value(words)``, each distinct run of words parsed once while it is among
    the last 4,096 (the distinct runs of real text are few: "two", "forty - four"; a
    text of random number words would otherwise fill memory)."""
    return words_value(list(words))


@lru_cache(maxsize=1)
def _qualifiers_by_last_word() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Qualifier phrases grouped by their last word, longest first within a group."""
    grouped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, qualifier in _qualifiers():
        grouped.setdefault(phrase[-1], []).append((phrase, qualifier))
    return {word: tuple(items) for word, items in grouped.items()}


def _qualifier_before(doc: _Tokens, i: int) -> tuple[int, str]:
    """(start, qualifier) for the qualifier phrase ending just before token i."""
    if i == 0:
        return i, "exact"
    for phrase, qualifier in _qualifiers_by_last_word().get(doc.lowers[i - 1], ()):
        start = i - len(phrase)
        if start >= 0 and _phrase_at(doc, start, phrase):
            return start, qualifier
    return i, "exact"


@lru_cache(maxsize=1)
def _vague_by_first_word() -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """Vague phrases grouped by their first word, in _vague()'s order within a group."""
    grouped: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, low in _vague():
        grouped.setdefault(phrase[0], []).append((phrase, low))
    return {word: tuple(items) for word, items in grouped.items()}


def _vague_at(doc: _Tokens, i: int) -> tuple[int, int] | None:
    # Only phrases starting with this token's word can match here; their order is kept.
    for phrase, low in _vague_by_first_word().get(doc.lowers[i], ()):
        if _phrase_at(doc, i, phrase):
            return i + len(phrase), low
    return None


@dataclass(frozen=True)
class _Tokens:
    """The two token attributes the scanner reads, as the token view's lists.

    Reading ``doc[i].lower_`` builds a Token object per access, and a tuple per
    token cost more than the scan; the scanner indexes these lists instead.
    """

    texts: list[str]
    lowers: list[str]


# Prose never holds this many figures; past it the text is a table or garbage, and
# reading every one would let a single file take minutes (W007 says so). The claims
# binder reads the first MAX_FIGURES; the finder stops once it is TOKENS_PAST_LAST
# tokens past the last of them (more than the binder's reach, 40 tokens, so the first
# MAX_FIGURES see the same neighbours): a text of 100,000 bare numbers made as many spans.
MAX_FIGURES = 2000
TOKENS_PAST_LAST = 100


def find_counts(doc: Doc) -> list[CountSpan]:
    """The counts in document order, never overlapping: all of them, or the first
    MAX_FIGURES, those up to TOKENS_PAST_LAST tokens after, and the next one."""
    view = token_view(doc)
    tokens = _Tokens(view.texts, view.lowers)
    # _count_at's own pre-check, once per distinct string: only these can start a count.
    candidates = list(compress(range(len(view.texts)), memo_map(_MAY_START, _may_start, view.texts)))
    found: list[CountSpan] = []
    resume = 0  # counts never overlap: the scan resumes after the last one found
    for i in candidates:
        if i < resume:
            continue
        span = _count_at(tokens, i)
        if span is not None:
            found.append(span)
            resume = span.end
            # One count past the reach is kept: it tells that there were more (W007).
            if len(found) > MAX_FIGURES and span.start > found[MAX_FIGURES - 1].end + TOKENS_PAST_LAST:
                break
    return found


# Token text -> whether a count may start there (_count_at's pre-check), per process.
_MAY_START: dict[str, bool] = {}


def _may_start(text: str) -> bool:
    # spaCy's LOWER for English is str.lower (spacy.lang.lex_attrs.lower; no override).
    return text[:1].isdigit() or text.lower() in _starters()


@lru_cache(maxsize=1)
def _singular() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(determiners, singular victim nouns, nouns they modify) from victims.yaml."""
    data = rules.load("victims")
    return (
        frozenset(data["singular"]),
        frozenset(n.lower() for n in data["singular_nouns"]),
        frozenset(n.lower() for n in data["singular_not_before"]),
    )


def _singular_at(doc: _Tokens, i: int) -> bool:
    """ "a woman", "an elderly man", "a young Syrian girl": one person, named by a noun."""
    determiners, nouns, modified = _singular()
    if doc.lowers[i] not in determiners:
        return False
    for k in range(i + 1, min(len(doc.texts), i + 4)):
        if doc.lowers[k] in nouns:
            return not (k + 1 < len(doc.texts) and doc.lowers[k + 1] in modified)
        if not doc.texts[k].isalpha():
            return False
    return False


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """Lower-case words a count can start with (digits are checked apart)."""
    words = set(number_words()) | {"between", "a", "an", "half", "dozen"}
    words |= {phrase[0] for phrase, _ in _vague()}
    return frozenset(words)


def _count_at(doc: _Tokens, i: int) -> CountSpan | None:
    """The count whose number starts at token i (qualifier may start earlier)."""
    text, low = doc.texts[i], doc.lowers[i]
    # Cheap pre-check: most tokens cannot start a count, so skip the phrase look-ups.
    if not (text[:1].isdigit() or low in _starters()):
        return None
    range_token = _RANGE_TOKEN.match(text) if text[:1].isdigit() else None  # "12-15" starts with a digit
    if range_token:
        first, second = digits_value(range_token.group(1)), digits_value(range_token.group(2))
        if first < second and not _YEAR.match(range_token.group(1)):
            start, _ = _qualifier_before(doc, i)
            return CountSpan(start, i + 1, i, bounds("range", first, second), "count.range")
    if low == "between":
        first = _number_at(doc, i + 1)
        if first and _lower(doc, first[0]) == "and":
            second = _number_at(doc, first[0] + 1)
            if second and not first[2] and not second[2] and first[1] < second[1]:
                start, _ = _qualifier_before(doc, i)
                return CountSpan(start, second[0], i, bounds("range", first[1], second[1]), "count.range")
        return None
    vague = _vague_at(doc, i)
    if vague:
        start, _ = _qualifier_before(doc, i)
        return CountSpan(start, vague[0], i, bounds("vague", vague[1]), "count.vague")
    number = _number_at(doc, i)
    if number is None:
        if _singular_at(doc, i):
            return CountSpan(i, i + 1, i, bounds("exact", 1), "count.singular")
        return None
    end, value, yearlike = number
    if _lower(doc, end) in _RANGE_LINKS and not yearlike:
        second = _number_at(doc, end + 1)
        if second and not second[2] and value < second[1]:
            start, _ = _qualifier_before(doc, i)
            return CountSpan(start, second[0], i, bounds("range", value, second[1]), "count.range")
    start, qualifier = _qualifier_before(doc, i)
    rule = "count.digits" if doc.texts[i][0].isdigit() else "count.words"
    if qualifier != "exact":
        rule = f"count.{qualifier}"
    return CountSpan(start, end, i, bounds(qualifier, value), rule, yearlike)
