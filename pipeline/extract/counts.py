"""Find counts in a Doc: a number, optionally qualified ("at least 744") or a range.

A scanner rather than Matcher patterns, because a number's extent depends on its
value ("two hundred and twenty" is one number, "two and three" is not); the words
and qualifier phrases it knows come from ``rules/counts.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import TypeVar

from spacy.tokens import Doc

from pipeline import rules
from pipeline.extract.tokens import Memo, memo_map, token_view
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


V = TypeVar("V")
# Phrases of one length and the value of each, for each length, longest first.
ByLength = tuple[tuple[int, dict[tuple[str, ...], V]], ...]


def _by_length(items: Iterable[tuple[tuple[str, ...], V]]) -> ByLength[V]:
    """Phrases (word tuples) with values, as one table per length, longest first.

    A phrase list is read longest first and the first match wins; two phrases of one
    length cannot both match at one place, so a probe per length finds that match (the
    first value of a repeated phrase is kept): "a" starts nine number and vague phrases,
    "was" twenty-four of victims.yaml's, and each was one slice and comparison.
    """
    tables: dict[int, dict[tuple[str, ...], V]] = {}
    for phrase, value in items:
        tables.setdefault(len(phrase), {}).setdefault(phrase, value)
    return tuple(sorted(tables.items(), key=lambda item: -item[0]))


def _starting_at(lowers: list[str], i: int, tables: ByLength[V]) -> tuple[int, V] | None:
    """(end, value) of the longest phrase of ``tables`` starting at token i, if any."""
    for length, table in tables:
        value = table.get(tuple(lowers[i : i + length]))
        if value is not None:
            return i + length, value
    return None


def _ending_at(lowers: list[str], end: int, tables: ByLength[V]) -> tuple[int, V] | None:
    """(start, value) of the longest phrase of ``tables`` ending just before token ``end``."""
    for length, table in tables:
        if end - length >= 0:
            value = table.get(tuple(lowers[end - length : end]))
            if value is not None:
                return end - length, value
    return None


# Words after "a"/"an" and after "half" that make them part of a number.
SCALES_AFTER_A = frozenset({"hundred", "thousand", "dozen"})
HALF_OF = SCALES_AFTER_A | {"a"}


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
    digits = text[:1].isdigit() and is_digits(text)
    if digits or text[:1].isdigit() and _DECIMAL.match(text):
        if _lower(doc, i + 1) in scales:
            value = scaled_value(text, _lower(doc, i + 1))
            return (i + 2, value, False) if value is not None else None
        if not digits:
            return None
        return i + 1, digits_value(text), bool(_YEAR.match(text))
    words = number_words()
    low = doc.lowers[i]
    nxt = _lower(doc, i + 1)
    # "a hundred", "half a million", "half a dozen"; never "a a" (a page of one-letter words).
    starts = low in words or (low in ("a", "an") and nxt in SCALES_AFTER_A) or (low == "half" and nxt in HALF_OF)
    if low == "dozen" or not starts:
        return None
    end = i + 1
    # A run of number words longer than any number ("one hundred and twenty one
    # hundred and twenty ...") is read MAX_NUMBER_TOKENS at a time: each start tries
    # its prefixes from the longest down, so an unbounded run cost cubic time.
    last = min(len(doc.texts), i + MAX_NUMBER_TOKENS)
    while end < last:
        nxt = doc.lowers[end]
        if nxt in words or nxt == "dozen" and doc.lowers[end - 1] in ("half", "a") or nxt == "a" and doc.lowers[end - 1] == "half":
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
def _qualifiers_by_last_word() -> dict[str, ByLength[str]]:
    """Qualifier phrases grouped by their last word, longest first within a group."""
    grouped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, qualifier in _qualifiers():
        grouped.setdefault(phrase[-1], []).append((phrase, qualifier))
    return {word: _by_length(items) for word, items in grouped.items()}


def _qualifier_before(doc: _Tokens, i: int) -> tuple[int, str]:
    """(start, qualifier) for the qualifier phrase ending just before token i."""
    if i == 0:
        return i, "exact"
    tables = _qualifiers_by_last_word().get(doc.lowers[i - 1])
    found = _ending_at(doc.lowers, i, tables) if tables else None
    return found if found is not None else (i, "exact")


@lru_cache(maxsize=1)
def _phrase_numbers() -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """counts.yaml ``dozen``: number phrases read as a whole, by first word, longest first."""
    grouped: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, value in rules.load("counts")["dozen"].items():
        words = tuple(str(phrase).lower().split())
        grouped.setdefault(words[0], []).append((words, int(value)))
    return {w: tuple(sorted(items, key=lambda item: -len(item[0]))) for w, items in grouped.items()}


@lru_cache(maxsize=1)
def _phrase_number_tables() -> dict[str, ByLength[int]]:
    """``_phrase_numbers`` by first word, as tables by length."""
    return {word: _by_length(items) for word, items in _phrase_numbers().items()}


def _phrase_number_at(doc: _Tokens, i: int) -> tuple[int, int] | None:
    """(end, value) of a number phrase starting at token i ("a quarter of a million")."""
    tables = _phrase_number_tables().get(doc.lowers[i])
    return _starting_at(doc.lowers, i, tables) if tables else None


@lru_cache(maxsize=1)
def _vague_by_first_word() -> dict[str, ByLength[int]]:
    """Vague phrases grouped by their first word, longest first within a group."""
    grouped: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, low in _vague():
        grouped.setdefault(phrase[0], []).append((phrase, low))
    return {word: _by_length(items) for word, items in grouped.items()}


def _vague_at(doc: _Tokens, i: int) -> tuple[int, int] | None:
    # Only phrases starting with this token's word can match here.
    tables = _vague_by_first_word().get(doc.lowers[i])
    return _starting_at(doc.lowers, i, tables) if tables else None


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
    candidates = list(compress(range(len(view.texts)), memo_map(_MAY_START, view.texts)))
    found: list[CountSpan] = []
    resume = 0  # counts never overlap: the scan resumes after the last one found
    texts, lowers, last = view.texts, view.lowers, len(view.texts) - 1
    needs_word = _needs_next_word()
    for i in candidates:
        if i < resume:
            continue
        if lowers[i] in needs_word and (i == last or texts[i + 1].isspace()):
            continue  # "a" before a line break: a page of one-letter lines held 150,000 of them
        span = _count_at(tokens, i)
        if span is not None:
            found.append(span)
            resume = span.end
            # One count past the reach is kept: it tells that there were more (W007).
            if len(found) > MAX_FIGURES and span.start > found[MAX_FIGURES - 1].end + TOKENS_PAST_LAST:
                break
    headline = _headline_singulars(tokens, found[0].start if found else len(view.texts))
    return sorted(headline + found, key=lambda c: c.start) if headline else found


# How many words of a headline may stand before its listed singular noun ("Town mayor", "Abducted trader").
HEADLINE_MODIFIERS = 2
# Marks after which a headline's clause starts ("Police report: man found dead", "Kenya - Teacher shot dead").
HEADLINE_OPENERS = frozenset((":", "-", "\u2013", "\u2014", "|", ";"))


def _headline_singulars(doc: _Tokens, before: int) -> list[CountSpan]:
    """One person named in a headline without a determiner: "Journalist shot dead in Mexico",
    "Young man dies in police custody", "Police report: man found dead". Only in the first
    line (headlines drop articles; the body never does), at its start or after a colon or
    dash, a listed singular noun with up to two words before it, right before a verb of
    victims.yaml ``singular_headline_verbs`` not followed by a number ("Gunman killed 5"),
    and before any other figure of the line. The count is the noun phrase itself."""
    rules_ = singular_rules()
    texts, lowers = doc.texts, doc.lowers
    end = next((k for k, text in enumerate(texts) if "\n" in text), len(texts))
    end = min(end, before)
    found: list[CountSpan] = []
    for start in range(end):
        if start and texts[start - 1] not in HEADLINE_OPENERS:
            continue
        for noun in range(start, min(end, start + HEADLINE_MODIFIERS + 1)):
            low = lowers[noun]
            if not texts[noun].isalpha() or (low in RUN_STOPS and noun > start):
                break
            if low not in rules_.nouns:
                continue
            verb = _phrase_after(lowers, noun + 1, rules_.headline_verbs)
            if verb is not None and not (verb < len(texts) and texts[verb][:1].isdigit()):
                found.append(CountSpan(start, noun + 1, start, bounds("exact", 1), "count.singular"))
            break
    return found


def _phrase_after(lowers: list[str], k: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
    """The token after the first of ``phrases`` that starts at token k, else None."""
    for phrase in phrases:
        if tuple(lowers[k : k + len(phrase)]) == phrase:
            return k + len(phrase)
    return None


# Token text -> whether a count may start there (_count_at's pre-check), per process.
def _may_start(text: str) -> bool:
    # spaCy's LOWER for English is str.lower (spacy.lang.lex_attrs.lower; no override).
    return text[:1].isdigit() or text.lower() in _starters()


_MAY_START: Memo[bool] = Memo(_may_start)


@dataclass(frozen=True)
class SingularRules:
    """victims.yaml's rules for one person named without a number ("a woman", "killing his son",
    "gunmen killed a revenue collector"), indexed for the scanner."""

    determiners: frozenset[str]
    nouns: frozenset[str]
    modified: frozenset[str]
    possessives: frozenset[str]
    open_after: dict[str, ByLength[bool]]  # by last word
    open_before: dict[str, ByLength[bool]]  # by first word
    not_heads: frozenset[str]
    suffixes: tuple[str, ...]
    adjectives: frozenset[str]
    verbs_after: frozenset[str]
    headline_verbs: tuple[tuple[str, ...], ...] = ()


def _by_word(phrases: list[str], index: int) -> dict[str, ByLength[bool]]:
    grouped: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for phrase in phrases:
        words = tuple(str(phrase).lower().split())
        grouped.setdefault(words[index], []).append((words, True))
    return {word: _by_length(items) for word, items in grouped.items()}


@lru_cache(maxsize=1)
def singular_rules() -> SingularRules:
    """The singular-count rules of victims.yaml, read once."""
    data = rules.load("victims")
    return SingularRules(
        frozenset(data["singular"]),
        frozenset(n.lower() for n in data["singular_nouns"]),
        frozenset(n.lower() for n in data["singular_not_before"]),
        frozenset(data["possessives"]),
        _by_word(data["singular_open_after"], -1),
        _by_word(data["singular_open_before"], 0),
        frozenset(n.lower() for n in data["singular_open_not_heads"]),
        tuple(data["singular_open_suffixes"]),
        frozenset(n.lower() for n in data["singular_adjectives"]),
        frozenset(str(p).lower().split()[0] for p in data["singular_open_before"])
        | frozenset(str(p).lower().split()[0] for r in rules.load("predicates")["rules"] for p in r["phrases"]),
        tuple(sorted((tuple(str(p).lower().split()) for p in data["singular_headline_verbs"]), key=len, reverse=True)),
    )


# Words that end a run of modifiers and noun: grammar, not vocabulary.
RUN_STOPS = frozenset(
    """in on at by of from to for with near outside inside behind along across into onto and or but as
    who whom whose which that was were is are has have had been be being while when after before during
    the a an his her their its this these those said says""".split()
)
# Units of an age written "10-year-old", "two-day-old".
AGE_UNITS = frozenset("year years month months week weeks day days".split())
# At most this many words stand between a determiner and the end of an unlisted noun.
MAX_OPEN_WORDS = 4
# At most this many modifiers stand between a determiner and a listed noun ("a young Syrian girl").
MAX_MODIFIERS = 3


def age_end(lowers: list[str], k: int) -> int:
    """The token after an age written "10-year-old" / "ten-year-old" starting at k, else k.

    The hyphen after the number is tested first: the scans ask at nearly every word.
    """
    if k + 4 < len(lowers) and lowers[k + 1] == "-" and lowers[k + 3] == "-" and lowers[k + 4] == "old" \
            and lowers[k + 2] in AGE_UNITS and (lowers[k].isdigit() or lowers[k] in number_words()):
        return k + 5
    return k


def _listed_noun(doc: _Tokens, start: int, limit: int, rules_: SingularRules) -> int | None:
    """Index of the listed singular noun that heads the words from ``start``, if any: "a young
    girl", "a rebel commander" (a listed noun before another is its modifier), not "a terrorist attack"."""
    k = age_end(doc.lowers, start)
    words = 0
    n = len(doc.texts)
    while k < n and words < limit:
        low = doc.lowers[k]
        if low in rules_.nouns:
            nxt = doc.lowers[k + 1] if k + 1 < n else ""
            if nxt in rules_.nouns:
                k += 1
                words += 1
                continue
            if nxt in rules_.modified:
                return None
            if low in rules_.adjectives and doc.texts[k + 1 : k + 2] and doc.texts[k + 1].isalpha():
                # "a rebel town", "a terrorist rocket attack": an adjective before another noun;
                # "a rebel was killed", "a rebel killed": the person.
                if nxt not in RUN_STOPS and nxt not in rules_.verbs_after:
                    return None
            return k
        if not doc.texts[k].isalpha():
            return None
        k = age_end(doc.lowers, k + 1)
        words += 1
    return None


def open_run_end(
    doc_lowers: list[str], doc_texts: list[str], start: int, stops: Collection[int] | Callable[[int], bool] = ()
) -> int | None:
    """End (exclusive) of the words after a determiner that may name one person: one to
    MAX_OPEN_WORDS words (hyphenated ones and an age included) up to a grammar word, a
    number, punctuation or a token of ``stops`` (a verb of killing); None when there are
    none or too many."""
    k = age_end(doc_lowers, start)
    words = 0
    n = len(doc_texts)
    numbers = number_words()
    stop = stops if callable(stops) else stops.__contains__
    while k < n:
        text, low = doc_texts[k], doc_lowers[k]
        if text == "-" and words and k + 1 < n and doc_texts[k + 1].isalpha():
            k += 2
            continue
        if not text.isalpha() or low in RUN_STOPS or low in numbers or stop(k):
            break
        words += 1
        k += 1
        if words > MAX_OPEN_WORDS:
            return None
    return k if words else None


def singular_head(
    lowers: list[str], texts: list[str], start: int, stops: Collection[int] = ()
) -> tuple[int, int, int] | None:
    """(first word, head noun, end) of the words after a singular determiner at ``start - 1``:
    the listed noun that heads them ("a young girl"), else the last of an unlisted run
    ("a revenue collector", stopping at a trigger token of ``stops``); None when neither."""
    doc = _Tokens(texts, lowers)
    first = age_end(lowers, start)
    listed = _listed_noun(doc, start, MAX_MODIFIERS, singular_rules())
    if listed is not None:
        return first, listed, listed + 1
    end = open_run_end(lowers, texts, start, stops)
    if end is None:
        return (first, first - 1, first) if first > start else None  # "a 17-year-old"
    return first, end - 1, end


def _ends_with(doc: _Tokens, end: int, phrases: dict[str, ByLength[bool]]) -> bool:
    """Whether one of ``phrases`` (indexed by last word) ends right before token ``end``."""
    if end <= 0:
        return False
    tables = phrases.get(doc.lowers[end - 1])
    return tables is not None and _ending_at(doc.lowers, end, tables) is not None


def _starts_with(doc: _Tokens, start: int, phrases: dict[str, ByLength[bool]]) -> bool:
    """Whether one of ``phrases`` (indexed by first word) starts at token ``start``."""
    if start >= len(doc.texts):
        return False
    tables = phrases.get(doc.lowers[start])
    return tables is not None and _starting_at(doc.lowers, start, tables) is not None


def _may_name_person(head: str, rules_: SingularRules) -> bool:
    """An unlisted noun that may name a person: a personal suffix ("collector", "councillor",
    "activist", "veteran"), not a word of quantity or time ("a total of", "a day after")."""
    low = head.lower()
    return low not in rules_.not_heads and low not in _not_people() and low.endswith(rules_.suffixes)


@lru_cache(maxsize=1)
def _not_people() -> frozenset[str]:
    """counts.yaml ``not_people``: nouns after a number that show it counts no one."""
    return frozenset(w.lower() for w in rules.load("counts")["not_people"])


def _singular_at(doc: _Tokens, i: int) -> bool:
    """One person named without a number: "a woman", "an elderly man", "a 10-year-old boy";
    after a verb of killing also "his son" and an unlisted noun ("killed a revenue collector"),
    and an unlisted noun before a passive of killing ("a district councillor was assassinated")."""
    rules_ = singular_rules()
    low = doc.lowers[i]
    if low in rules_.possessives:
        after_noun = i >= 2 and doc.lowers[i - 1] == "and" and doc.lowers[i - 2] in rules_.nouns
        return (after_noun or _ends_with(doc, i, rules_.open_after)) and _listed_noun(doc, i + 1, 2, rules_) is not None
    if low not in rules_.determiners:
        return False
    if _listed_noun(doc, i + 1, MAX_MODIFIERS, rules_) is not None:
        return True
    open_before = rules_.open_before  # a phrase can only start at one of its first words
    end = open_run_end(doc.lowers, doc.texts, i + 1,
                       lambda k: doc.lowers[k] in open_before and _starts_with(doc, k, open_before))
    if end is None:
        end = age_end(doc.lowers, i + 1)  # "a 17-year-old was fatally shot": the age names the person
        if end == i + 1:
            return False
    elif not _may_name_person(doc.texts[end - 1], rules_):
        return False
    return _ends_with(doc, i, rules_.open_after) or _starts_with(doc, end, rules_.open_before)


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """Lower-case words a count can start with (digits are checked apart)."""
    words = set(number_words()) | {"between", "a", "an", "half", "dozen"} | singular_rules().possessives | singular_rules().determiners
    words |= {phrase[0] for phrase, _ in _vague()}
    words |= set(_phrase_numbers())
    return frozenset(words)


@lru_cache(maxsize=1)
def _needs_next_word() -> frozenset[str]:
    """Starters that begin no count unless a word follows them: the determiners and possessives
    of one person ("a woman", "his son"), "between", the first words of number and vague phrases
    ("a dozen", "a number of"); not a number word or a phrase of one word ("five", "dozens"),
    which are counts on their own. A whitespace token or the end of the text after them is
    none of these, so _count_at would find nothing there."""
    one_word = {p[0] for p, _ in _vague() if len(p) == 1}
    one_word |= {p[0] for items in _phrase_numbers().values() for p, _ in items if len(p) == 1}
    return _starters() - number_words() - one_word


@lru_cache(maxsize=1)
def _digit_phrases() -> bool:
    """Whether a number or vague phrase of counts.yaml starts with a digit (none does)."""
    return any(word[:1].isdigit() for word in (*_phrase_number_tables(), *_vague_by_first_word()))


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
    # No number or vague phrase starts with a digit (_digit_phrases): a figure skips them.
    phrase = _phrase_number_at(doc, i) if not text[:1].isdigit() or _digit_phrases() else None
    if phrase is not None:
        start, qualifier = _qualifier_before(doc, i)
        rule = "count.words" if qualifier == "exact" else f"count.{qualifier}"
        return CountSpan(start, phrase[0], i, bounds(qualifier, phrase[1]), rule)
    vague = _vague_at(doc, i) if not text[:1].isdigit() or _digit_phrases() else None
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
