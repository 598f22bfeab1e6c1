"""How a figure stands to its report: its scope, its status, and the sentences that tell
another story (rules/scope.yaml).

Why: a report tells one main incident and cites others around it — a side story
("Elsewhere, ..."), deaths of an earlier event given as background ("the assault came
after rebels fired rockets killing seven"), a running total ("since the offensive
began"), a post embedded from social media. Analysts need to tell these apart (UCDP GED
keeps event figures apart from totals and background), the incident must never take its
toll, place or actor from them, and a background figure must not inherit the main
incident's place and time. The tests here are plain string searches over one sentence,
run only for sentences that hold a claim.

Scopes: ``incident`` (a figure of one event, the main one or another), ``period_total``
(a total over a bounded period: "over the past month", "in June"), ``cumulative`` (a
running total: "since 2011", "so far"), ``background`` (deaths of an earlier event cited
as background). Statuses: ``reported``, ``alleged`` (hedged: "activists say",
"allegedly"), ``claimed`` (by the perpetrator: "IS said it killed"), ``denied``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import rules
from pipeline.extract import literals as _literals
from pipeline.extract.literals import holds_any, required_literals

SCOPES = ("incident", "period_total", "cumulative", "background")
STATUSES = ("reported", "alleged", "claimed", "denied")
# A time spanning at least this many days makes a figure a total over a period ("over the
# past month", "last week"), not the toll of one event.
PERIOD_DAYS = 7
# A figure dated this many days or more before the report's own event is background.
BACKGROUND_DAYS = 7
_CLAUSE_STOPS = re.compile(r"[,;]")
_SINCE = re.compile(r"\bsince\b")
# "the deadliest attack since March", "the biggest officially acknowledged loss of life for
# Russian forces since": how many words of its clause before "since" may hold the superlative.
SUPERLATIVE_REACH = 12
SUPERLATIVES = frozenset("worst most first last largest biggest".split())
# A time this long or longer, with no period words, is a period total when the figure is
# placed in several divisions or in a country only; shorter, one event's vague date.
PERIOD_PLACES_DAYS = 28
# A figure this many words or fewer after a background marker is inside its clause.
CLOSE_WORDS = 2
# A marker governs the figures of its clause only: no further than this many characters.
MARKER_REACH = 400


def _alternation(phrases: list[str]) -> str:
    """One regular-expression alternation of literal phrases, longest first, any spacing."""
    ordered = sorted({" ".join(str(p).lower().split()) for p in phrases}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(word) for word in p.split(" ")) for p in ordered)


@lru_cache(maxsize=64)
def lowered(text: str) -> str:
    """``text.lower()``, once per sentence: each test of a sentence asks for it (the same
    string object back, its hash kept)."""
    return text.lower()


@dataclass(frozen=True)
class Guarded:
    """A pattern with the strings every match holds (extract/literals.py): a lower-case text
    holding none of them is not searched, which is most sentences."""

    pattern: re.Pattern[str]
    needs: frozenset[str] | None
    # For a pattern of whole-word phrases (``_words_pattern``): each phrase's runs of word
    # characters. A match holds every run of one phrase as a whole run of the text, so a
    # text whose runs (``word_runs``) hold no phrase's cannot match; the words such phrases
    # are made of ("after", "that", "killed") let nearly every sentence past ``needs``.
    runs: tuple[frozenset[str], ...] | None = None

    @classmethod
    def of(cls, pattern: str, flags: int = 0) -> "Guarded":
        compiled = re.compile(pattern, flags)
        # A pattern anchored at the start is tried at one place only: that costs less than
        # the guard's scans of the whole text.
        needs = None if pattern.startswith("^") else required_literals(pattern, flags)
        return cls(compiled, needs)

    @classmethod
    def of_words(cls, phrases: list[str]) -> "Guarded":
        """Any of the phrases as whole words (``_words_pattern``), with their word runs."""
        runs = tuple(frozenset(_WORD_RUN.findall(" ".join(str(p).lower().split()))) for p in phrases)
        pattern = _words_pattern(phrases)
        return cls(re.compile(pattern), required_literals(pattern), runs)

    def search(self, lower: str, pos: int = 0) -> re.Match[str] | None:
        if self.needs is not None and not holds_any(lower, self.needs):
            return None
        return self.pattern.search(lower, pos)

    def finditer(self, lower: str, runs: frozenset[str] | None = None) -> list[re.Match[str]]:
        """Every match in ``lower``; ``runs``: its ``word_runs``, for a pattern of phrases (a set
        test per phrase rules out more texts than the scans for ``needs``, and costs less)."""
        if self.runs is not None and runs is not None:
            if not any(map(runs.issuperset, self.runs)):
                return []
        elif self.needs is not None and not holds_any(lower, self.needs):
            return []
        return list(self.pattern.finditer(lower))

    def sub(self, replacement: str, lower: str) -> str:
        if self.needs is not None and not holds_any(lower, self.needs):
            return lower
        return self.pattern.sub(replacement, lower)


_NON_WORD = re.compile(r"[^\w'’-]+")
# Lower case, with the same characters of ASCII as spaces, as one table of bytes: an ASCII
# text (most) is framed by a translation and a split in C, a quarter of the cost of the
# regular expression's split (half that of str.lower and str.translate, which looks each
# character up in a dict). bytes.split splits where str.split does: the control characters
# only str.split splits at are no word characters, spaces already.
_ASCII_FRAME = bytes(32 if _NON_WORD.fullmatch(chr(code).lower()) else ord(chr(code).lower()) if code < 128 else code
                     for code in range(256))


@lru_cache(maxsize=256)
def framed(text: str) -> str:
    """The lower-case words of a text, one space between them and one at each end, so that
    " said it killed " finds whole words only (quotes and punctuation are no words).
    Cached: a sentence is asked about by several tests."""
    if text.isascii():
        return " " + b" ".join(text.encode("ascii").translate(_ASCII_FRAME).split()).decode("ascii") + " "
    return " " + " ".join(_NON_WORD.split(text.lower())).strip() + " "


@lru_cache(maxsize=64)
def _words(framed_text: str) -> frozenset[str]:
    """The words of a ``framed`` text, once per sentence."""
    return frozenset(framed_text.split())


_WORD_RUN = re.compile(r"\w+")


@lru_cache(maxsize=64)
def word_runs(sentence: str) -> frozenset[str]:
    """The runs of word characters of a sentence's lower case, once per sentence: the words
    of ``framed`` (shared with the phrase tests), and the parts of those it joins by an
    apostrophe or a hyphen ("al-nusra's": "al", "nusra", "s")."""
    words = _words(framed(sentence))
    if "-" not in sentence and "'" not in sentence and "\u2019" not in sentence:
        return words
    parts = framed(sentence).replace("-", " ").replace("'", " ").replace("\u2019", " ").split()
    return words.union(parts)


@dataclass(frozen=True)
class Phrases:
    """Plain word phrases, tested as substrings of a ``framed`` text: one C-level substring
    test per phrase costs less than a regular-expression alternation over the sentence.
    A framed phrase occurs only where each of its words is one of the text's words: a text
    holding no phrase's first word (most sentences) is ruled out by one set test, and one
    lacking a word of each phrase by a set test per phrase, both cheaper than the scans."""

    framed: tuple[str, ...]
    firsts: frozenset[str]
    word_sets: tuple[frozenset[str], ...]  # each phrase's words, in the order of ``framed``
    # The phrases (with their words) by first word: a text is searched only for the phrases
    # whose first word it holds, a few of the dozens ("said" of "said it killed").
    by_first: dict[str, tuple[tuple[str, frozenset[str]], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, phrases: list[str]) -> "Phrases":
        return cls.of_framed(tuple(sorted({framed(str(p)) for p in phrases}, key=len, reverse=True)))

    @classmethod
    def of_framed(cls, phrases: tuple[str, ...]) -> "Phrases":
        """Phrases framed already, one space between words and one at each end."""
        word_sets = tuple(frozenset(p.split()) for p in phrases)
        firsts = frozenset(p.split()[0] for p in phrases if p.split())
        by_first: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for phrase, words in zip(phrases, word_sets):
            if phrase.split():
                by_first.setdefault(phrase.split()[0], []).append((phrase, words))
        return cls(phrases, firsts, word_sets, {first: tuple(found) for first, found in by_first.items()})

    def _may_hold(self, text: str) -> bool:
        """Whether the framed text holds every word of one of the phrases (a phrase of
        no words, " ", is held by every text)."""
        words = _words(text)
        if self.firsts.isdisjoint(words) and all(self.word_sets):
            return False
        return any(map(words.issuperset, self.word_sets))

    def found_in(self, text: str) -> bool:
        if not all(self.word_sets):  # a phrase of no words (" ") is in every framed text
            return self._may_hold(text) and any(map(text.__contains__, self.framed))
        words = _words(text)
        for first in self.firsts.intersection(words):
            for phrase, needed in self.by_first[first]:
                if needed <= words and phrase in text:
                    return True
        return False

    def removed_from(self, text: str) -> str:
        # Removing phrases only takes words away: a phrase with a word the text lacks
        # cannot appear after earlier removals either.
        if not self._may_hold(text):
            return text
        words = _words(text)
        for phrase, needed in zip(self.framed, self.word_sets):
            if needed <= words and phrase in text:
                text = text.replace(phrase, " ")
        return text


@dataclass(frozen=True)
class GuardedSet:
    """Patterns of which any match will do, with every string one of their matches must hold:
    a lower-case text holding none of them (most sentences) is ruled out by one test
    instead of one per pattern. None: a pattern needs no string, so every text is tried.
    ``either``: the patterns as one alternation, one pass over the text instead of one per
    pattern (None when a pattern has groups, which joined would renumber).

    ``firsts``: for each pattern, the smallest set of strings of which its matches hold one
    (``conjoined_literals``), when these sets together are fewer strings than ``needs``:
    then each pattern is ruled out by its own few scans ("(" for a dated post, "http" for a
    link) before the union of month names, which most sentences pass, is looked at."""

    patterns: tuple[Guarded, ...]
    needs: frozenset[str] | None
    either: re.Pattern[str] | None
    firsts: tuple[frozenset[str], ...] | None = None
    # The strings of ``firsts`` together: a text holding none (most) has no live pattern,
    # found by one scan of each string instead of one call per pattern.
    any_first: tuple[str, ...] = ()

    @classmethod
    def of(cls, patterns: list[str], flags: int = 0) -> "GuardedSet":
        guarded = tuple(Guarded.of(p, flags) for p in patterns)
        either = None
        if guarded and all(g.pattern.groups == 0 for g in guarded):
            try:
                either = re.compile("|".join(f"(?:{p})" for p in patterns), flags)
            except re.error:  # an inline flag not at the start: kept apart
                either = None
        if any(g.needs is None for g in guarded):
            return cls(guarded, None, either)
        needs = frozenset().union(*(g.needs or () for g in guarded))
        smallest = [min([n for n in conjoined_literals(p, flags) if _telling(n)] or [g.needs or frozenset()], key=len)
                    for p, g in zip(patterns, guarded)]
        firsts = tuple(smallest) if all(smallest) and sum(map(len, smallest)) < len(needs) else None
        return cls(guarded, needs, either, firsts, tuple(sorted(frozenset().union(*firsts))) if firsts else ())

    def search_any(self, lower: str) -> bool:
        """Whether one of the patterns matches the lower-case text."""
        if self.firsts is not None:
            if not any(map(lower.__contains__, self.any_first)):
                return False
            live = [g for g, first in zip(self.patterns, self.firsts) if holds_any(lower, first)]
            if len(live) < len(self.patterns):
                return any(g.search(lower) for g in live)
        if self.needs is not None and not holds_any(lower, self.needs):
            return False
        if self.either is not None:
            return self.either.search(lower) is not None
        return any(p.search(lower) for p in self.patterns)


def _telling(strings: frozenset[str]) -> bool:
    """Whether a set of strings is worth a scan: no blank, no word of one or two letters or
    digits ("in", "19"), which nearly every sentence holds."""
    return all(s.strip() and not (s.strip().isalnum() and len(s.strip()) < 3) for s in strings)


def conjoined_literals(pattern: str, flags: int = 0) -> list[frozenset[str]]:
    """Every set of strings of which each match of the pattern holds one: one per literal run,
    alternation or class of its top-level sequence (``required_literals`` keeps the best
    one only). For a case-insensitive pattern only sets without cased characters are kept:
    the tests read the lower-cased text, and case folding matches more than lower-casing."""
    try:
        items = list(_literals._parse(pattern, flags))
    except (re.error, RecursionError, TypeError, ValueError):
        return []
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in [*items, (None, None)]:
        if op is _literals._c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        if op is not None and op not in _literals._ZERO_WIDTH:
            need = _literals._item(op, arg)
            if need:
                found.append(need)
    kept = []
    for need in found:
        lowered = {s.lower() for s in need}
        if "" in lowered or (flags & re.IGNORECASE and any(s.lower() != s.upper() for s in lowered)):
            continue
        kept.append(frozenset(s for s in lowered if not any(t != s and t in s for t in lowered)))
    return kept


@dataclass(frozen=True)
class ScopeRules:
    """rules/scope.yaml, compiled once per process."""

    opener: Guarded
    story_phrase: Phrases
    background: Guarded
    cumulative: GuardedSet
    toll: Phrases
    toll_rise: Phrases
    campaign: Phrases
    background_sentence: Guarded
    period: GuardedSet
    embedded: GuardedSet
    denied: Phrases
    denied_not: Phrases
    claimed: Phrases
    alleged: Phrases


@lru_cache(maxsize=1)
def scope_rules() -> ScopeRules:
    data = rules.load("scope")
    story, status = data["other_story"], data["status"]
    return ScopeRules(
        # At the very start, after quote marks, brackets or dashes.
        opener=Guarded.of(r"^[\s\"“”'‘’(\[—–-]*(?:" + _alternation(story["openers"]) + r")(?![\w])"),
        story_phrase=Phrases.of(story["phrases"]),
        background=Guarded.of_words(data["background"]["before_count"]),
        background_sentence=Guarded.of_words(data["background"]["before_count_any_clause"]),
        cumulative=GuardedSet.of(data["cumulative_patterns"]),
        toll=Phrases.of(data["toll_words"]),
        toll_rise=Phrases.of(data["toll_rise"]),
        campaign=Phrases.of(data["campaign_words"]),
        period=GuardedSet.of(data["period_markers"]),
        # Written with capitals (months, handles), matched on the lower-cased sentence.
        embedded=GuardedSet.of(data["embedded_posts"], re.IGNORECASE),
        denied=Phrases.of(status["denied"]),
        denied_not=Phrases.of(status["denied_not"]),
        claimed=Phrases.of(status["claimed"]),
        alleged=Phrases.of(status["alleged"]),
    )


def _words_pattern(phrases: list[str]) -> str:
    """Any of the phrases as whole words."""
    return r"(?<![\w])(?:" + _alternation(phrases) + r")(?![\w])"


@lru_cache(maxsize=1)
def back_references() -> tuple[str, ...]:
    """scope.yaml ``back_references``, lower case."""
    return tuple(" ".join(str(p).lower().split()) for p in rules.load("scope")["back_references"])


@lru_cache(maxsize=1)
def _framed_back_references() -> Phrases:
    return Phrases.of_framed(tuple(f" {p} " for p in back_references()))


def refers_back(sentence: str) -> bool:
    """Whether a sentence points back to the toll or attack told before it ("among the dead")."""
    return _framed_back_references().found_in(framed(sentence))


def new_article() -> None:
    """Forget the per-sentence answers kept for the article before (its lower case, framed
    words and risen-toll test): they are shared by the tests of one article's sentences,
    and are no cache across articles, where only a repeated text (a near-copy) would hit."""
    for cached in (lowered, framed, _words, word_runs, toll_risen):
        cached.cache_clear()


def opens_other_story(sentence: str) -> bool:
    """Whether a sentence tells another story than the main incident ("Meanwhile, ...",
    "Also on Monday, ...", "Another air strike killed ...")."""
    found = scope_rules()
    return bool(found.opener.search(lowered(sentence)) or found.story_phrase.found_in(framed(sentence)))


def is_embedded_post(sentence: str) -> bool:
    """Whether a sentence holds a post embedded from social media (its link, handle and date)."""
    return scope_rules().embedded.search_any(lowered(sentence))


def background_markers(sentence: str) -> list[tuple[int, int]]:
    """(end of the marker, start of the next comma or semicolon) of each background marker
    of a sentence: found once per sentence, then asked for each of its figures."""
    lower = lowered(sentence)
    runs = word_runs(sentence)
    found = []
    for match in scope_rules().background.finditer(lower, runs):
        stop = _CLAUSE_STOPS.search(lower, match.end())
        found.append((match.end(), stop.start() if stop else len(lower)))
    # Markers of a story about an earlier event ("to mark ten years since the attack on the
    # mall, in which gunmen killed 67"): they govern the rest of the sentence.
    found.extend((match.end(), len(lower)) for match in scope_rules().background_sentence.finditer(lower, runs))
    return found


def background_before(sentence: str, offset: int, trigger: int,
                      markers: list[tuple[int, int]] | None = None) -> bool:
    """Whether the figure at character ``offset`` of the sentence, told by the trigger at
    character ``trigger``, belongs to a background clause: a marker ("came after", "in
    retaliation for", "that had killed") stands before it in the same comma-free stretch,
    and the figure's own verb follows the marker ("a day after bombardments killed 24") or
    the figure follows it closely ("a day after 24 people were killed"). "Days after a
    chemical attack a woman was killed" tells a new death after the background.
    ``markers``: the sentence's ``background_markers``, when already found."""
    for end, stop in background_markers(sentence) if markers is None else markers:
        if end > offset or stop < offset or offset - end > MARKER_REACH:
            continue
        if end <= trigger < offset or len(sentence[end:offset].split()) <= CLOSE_WORDS:
            return True
    return False


def running_total(sentence: str) -> bool:
    """A running total worded without counts.yaml's markers ("since the offensive began", "the
    war that began in 2011", "since Thursday"); "since" after a superlative ("the deadliest
    since March") compares, it does not count."""
    lower = lowered(sentence)
    if scope_rules().cumulative.search_any(lower):
        return True
    for match in _SINCE.finditer(lower) if "since" in lower else ():  # one scan, not a regex pass
        clause = _CLAUSE_STOPS.split(lower[: match.start()])[-1]
        before = clause.split()[-SUPERLATIVE_REACH:]
        if not any(word.endswith("est") or word in SUPERLATIVES for word in before):
            return True
    return False


@lru_cache(maxsize=64)
def toll_risen(sentence: str) -> bool:
    """A toll told as risen to a new figure ("the death toll has reached 330", "bringing the
    toll to 30"): a running total of its event (scope.yaml ``toll_rise``). Cached: a
    sentence's claims ask up to three times."""
    words = framed(sentence)
    found = scope_rules()
    return found.toll.found_in(words) and found.toll_rise.found_in(words)


def updates_incident_toll(sentence: str) -> bool:
    """Whether a risen toll is the report's own event's ("bringing the death toll from
    Monday's bombing to 30"), not a campaign's or the war's: no campaign, war or period named."""
    return toll_risen(sentence) and not scope_rules().campaign.found_in(framed(sentence))


def period_marked(sentence: str) -> bool:
    """Words of a total over a stated period ("over the past month", "in three days", "in 2015")."""
    return scope_rules().period.search_any(lowered(sentence))


def status_of(sentence: str) -> str:
    """``denied``, ``claimed``, ``alleged`` or ``reported``: how the sentence asserts its figures.
    Quotes are no words: "said it had “unintentionally killed” 484" claims."""
    words = framed(sentence)
    found = scope_rules()
    if found.denied.found_in(found.denied_not.removed_from(words)):
        return "denied"
    if found.claimed.found_in(words):
        return "claimed"
    if found.alleged.found_in(words):
        return "alleged"
    return "reported"


def days(time: dict[str, str | None] | None) -> int | None:
    """The number of days a resolved time spans (1 for a day), None when unresolved."""
    if not time or not time.get("start") or not time.get("end"):
        return None
    return (dt.date.fromisoformat(str(time["end"])) - dt.date.fromisoformat(str(time["start"]))).days + 1


def scope_of(cumulative: bool, background: bool, time: dict[str, str | None] | None, published: dt.date | None,
             period: bool | Callable[[], bool] = False, spread: bool = False, first: bool = False) -> str:
    """The scope of a figure from what its sentence says.

    ``cumulative``: running-total words; ``background``: a background clause; ``period``:
    words of a total over a stated period, or the test that tells it (asked only for a time of
    PERIOD_DAYS or more, which few figures have); ``spread``: the figure is placed in several
    divisions or in a country only; ``first``: the body's first killed figure, which the
    report is about. A dated figure whose time ends BACKGROUND_DAYS or more before
    ``published`` is an earlier event cited as background, unless it is a period total or
    the report's own first figure.
    """
    # An earlier event cited as background is that, whatever total it gives ("to mark five
    # years since the siege, in which gunmen killed 22").
    if background:
        return "background"
    if cumulative:
        return "cumulative"
    span = days(time)
    if span is not None and span >= PERIOD_DAYS and (
        (spread and span >= PERIOD_PLACES_DAYS) or (period() if callable(period) else period)
    ):
        return "period_total"
    if span is not None and published is not None and time and time.get("end") and not first:
        if (published - dt.date.fromisoformat(str(time["end"]))).days >= BACKGROUND_DAYS:
            return "background"
    if span is not None and span >= PERIOD_PLACES_DAYS and not first:
        return "period_total"
    return "incident"
