"""What a sentence says around a claim: actor, cause, time, places and source.

Each finder looks in the claim's clause first (commas before "where", "which",
"while" and the like end a clause), then in the whole sentence. Targets are not
actors: an actor mention right after a target marker ("targeting", "fighting",
"strikes on") or before a target suffix ("-held", "positions") is skipped. Nor are
victims ("85 Syrian army troops were killed"), reporting bodies ("state media says"),
datelines and countries named as places ("the border with Turkey"). Among the rest,
the doer ("X killed", "killed by X") ranks first and unnamed groups ("terrorists"),
speakers and mentions after the attribution last (``actor_rank``). A speaker is the doer
only of its own act ("said it killed"); words such as "the coalition" or "police" take
their id from the article's country (``actor_id``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

from spacy.lang.lex_attrs import is_punct
from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims.assemble import OF_THEM, Bound, bind_counts
from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import TokenView, span_values, spans_of
from pipeline.normalize.actors import BY_COUNTRY_PREFIX, state_ids
from pipeline.normalize.actors import resolve as resolve_actor
from pipeline.normalize.dates import resolve as resolve_time

CLAUSE_OPENERS = frozenset("where which while whereas although though but as after before when who whom".split())
# Tokens that end a clause: always (";", dashes), or a comma before a clause opener.
_BREAK_MARKS = frozenset((";", "—", "–", ","))
REPORT_PREPOSITIONS = frozenset("on at in".split())
# Words after which a date is when a document appeared, not when people died.
PUBLICATION_WORDS = frozenset("released published dated issued".split())
# Verbs whose "by X" names who carried out an attack ("carried out by", "claimed by").
AGENT_VERBS = frozenset("carried conducted launched fired dropped committed perpetrated claimed waged caused".split())
# How many words of a victim's "of the ..." tail may precede the actor it names ("of the Al Qaeda-linked Nusra Front").
VICTIM_TAIL = 4
# Heads that make an actor mention a speaker: "state media says", "Defence Ministry said".
REPORTING_BODIES = frozenset(
    "media television tv agency ministry spokesman spokeswoman spokesperson activists sources officials outlets "
    "pm president minister premier envoy ambassador official leader".split()
)
# Prepositions before a country that make it a place, not a party ("the border with Turkey").
PLACE_PREPOSITIONS = frozenset("in from with to into near inside across toward towards outside".split())
# At most this many words ("strikes", "warplanes on Sunday") between a subject and its trigger.
SUBJECT_GAP = 3
# "the opposition accused government forces of gassing": the accuser speaks, the accused did it.
ACCUSE_VERBS = frozenset("accused accuses accusing blamed blames blaming".split())
# Asides between a counted noun and its "from the X" tail.
VICTIM_TAIL_SKIPS = (("most", "of", "them"), ("mostly",), ("many", "of", "them"), ("all",))
# Words that, between a target marker and an actor, show the actor is not its object:
# "killed in regime airstrikes" (the marker "killed" does not make the regime a target).
MARKER_BREAKS = frozenset("in by during amid after as from with when while".split())


def clause_bounds(doc: Doc, layers: Layers, sentence: Span, anchor: int) -> tuple[int, int]:
    """Token range of the clause around ``anchor`` inside ``sentence``.

    The clause breaks of a sentence are found once and bisected for every claim in
    it, so a sentence with thousands of figures is not rescanned per figure.
    """
    breaks = layers.memo.get(("clause_breaks", sentence.start, sentence.end))
    if breaks is None:
        view = layers.view  # doc[k] builds a Token
        lowers, first, end = view.lowers, sentence.start, sentence.end
        # One set probe per token; only the rare punctuation marks are looked at further.
        breaks = [
            k
            for k, text in enumerate(view.texts[first + 1 : end], first + 1)
            if text in _BREAK_MARKS and (text != "," or (k + 1 < end and lowers[k + 1] in CLAUSE_OPENERS))
        ]
        layers.memo[("clause_breaks", first, end)] = breaks
    before = bisect_left(breaks, anchor) - 1
    start = breaks[before] + 1 if before >= 0 else sentence.start
    after = bisect_right(breaks, anchor)
    end = breaks[after] if after < len(breaks) else sentence.end
    return start, end


# Nouns that link a group to the one named after them: "Al Qaeda affiliate Al Nusra Front".
APPOSITION_HEADS = frozenset("affiliate affiliates branch offshoot wing ally allies arm".split())


def is_target(doc: Doc, layers: Layers, span: Span) -> bool:
    """True when an actor mention names who was attacked, not who attacked."""
    texts, lowers = layers.view.texts, layers.view.lowers  # doc[k] builds a Token
    if _accused(layers.view, span):  # "a car bombing blamed on Daesh": the accused is the doer
        return False
    before = span.start - 1
    if before >= 0 and lowers[before] == "the":
        before -= 1
    markers = layers.covers_of("target_marker")  # probed per word: one map, not a call each
    if before >= 0 and lowers[before] == "by":
        # "killed by IS" names the killer, but "held by IS" / "controlled by IS" the target.
        return before in markers
    if _died_fighting(layers, span):  # "soldiers were killed fighting IS": IS killed them
        return False
    # Not across the start of the sentence: a headline's "Nikopol shelled" makes no
    # target of the body's first words.
    for k in range(max(layers.sentence_bounds[span.start][0], span.start - 3), span.start):
        marker = markers.get(k)
        if marker is not None and marker.end >= span.start - 2:
            if not any(low in MARKER_BREAKS for low in lowers[marker.end : span.start]):
                return True
    if _object_of_marker(layers, span):
        return True
    # "an Islamic State (IS) camp", "struck the Kurdish-led Syrian Democratic Forces": a
    # mention right after another shares its role.
    k = span.start - 1
    if k >= 0 and texts[k] == "(":
        k -= 1
    # "held by Al Qaeda affiliate Al Nusra Front": the group a head noun links to shares its role.
    j = k - 1 if k >= 1 and lowers[k] in ("al", "the") else k
    if j >= 1 and lowers[j] in APPOSITION_HEADS:
        k = j - 1
    previous = layers.over("actor", k) if k >= 0 else None
    if previous is not None and previous.end == k + 1 and previous.start < span.start:
        return is_target(doc, layers, previous)
    after = span.end + 1 if span.end < len(texts) and texts[span.end] in ("-", "–") else span.end
    if layers.at("target_suffix", after) is not None:
        return True
    # "IS-held": the tokenizer keeps "-held" attached or splits it; both are suffixes.
    return span.end < len(lowers) and lowers[span.end].startswith(("-held", "-controlled", "-besieged"))


# How many words may stand between a target marker and the "of" before its actor ("bombed
# a gathering of insurgents", "struck a convoy of the militants").
OF_TARGET_REACH = 4


def _object_of_marker(layers: Layers, span: Span) -> bool:
    """ "bombed a gathering of insurgents", "raided a hideout of the ADF": the mention after
    "of" in the object of a target marker is the attacked."""
    lowers = layers.view.lowers
    k = span.start - 1
    if k >= 0 and lowers[k] == "the":
        k -= 1
    if k < 1 or lowers[k] != "of":
        return False
    first = max(layers.sentence_bounds[span.start][0], k - OF_TARGET_REACH)
    for j in range(first, k):
        marker = layers.over("target_marker", j)
        if marker is not None and not any(
            low in MARKER_BREAKS or low in ("and", ",", "of") for low in lowers[marker.end : k]
        ):
            return True
    return False


# Marks that end a victim's "of the ..." tail: what follows is another clause.
_TAIL_STOPS = frozenset(". , ; : ! ? ( ) \" — –".split())


def victim_range(doc: Doc, layers: Layers, start: int, noun_end: int) -> tuple[int, int]:
    """Token range of a counted noun phrase, with its "of/from the X" tail.

    "85 Syrian army troops", "30 pro-regime gunmen", "eight members of the Hezbollah
    militia", "23 people most of them from the Ahrar al-Sham group": an actor named
    here is who died, not who killed.
    """
    lowers = layers.view.lowers  # doc[k] and doc[a:b] build Tokens and Spans
    actors = layers.starts_of("actor")  # probed per token: one map, not a call per token
    n = len(lowers)
    end = noun_end  # only grows, so it bounds the scan alone
    k = start
    while k < n and k <= end:
        actor = actors.get(k)
        if actor is not None:
            end = max(end, actor.end)
            # "70 Syrian regime and rebel fighters": both sides died; "23 PKK/YPG terrorists".
            if actor.end + 1 < n and lowers[actor.end] in ("and", "/") and actors.get(actor.end + 1):
                end = max(end, actor.end + 1)
            k = actor.end
            continue
        k += 1
    # "40 militants of al-Qaeda-linked al-Nusra Front": the group after the sponsor lost them too.
    last = layers.over("actor", end - 1) if end > start else None
    if last is not None and last.end == end and _negated_compound(layers.view, last):
        for j in range(end, min(n, end + VICTIM_TAIL)):
            actor = actors.get(j)
            if actor is not None:
                end = actor.end
                break
            if lowers[j] in _TAIL_STOPS:
                break
    k = end
    for skip in VICTIM_TAIL_SKIPS:
        if tuple(lowers[k : k + len(skip)]) == skip:
            k += len(skip)
            break
    if k < n and lowers[k] in ("of", "from"):
        k += 1
        if k < n and lowers[k] == "the":
            k += 1
        j, limit = k, min(n, k + VICTIM_TAIL)
        while j < limit:
            actor = actors.get(j)
            if actor is None:
                if lowers[j] in _TAIL_STOPS:  # "16 of them. The Syrian army ...": another clause
                    break
                j += 1
                continue
            if not _negated_compound(layers.view, actor):
                return start, actor.end
            # "of the Al Qaeda-linked Nusra Front": the sponsor did not lose them, the group after it did.
            j = actor.end
            limit = min(n, j + VICTIM_TAIL)
    return start, end


def victim_ranges(doc: Doc, layers: Layers, bounds: Sequence[Bound] | None = None) -> list[tuple[int, int]]:
    """Token ranges of every counted noun phrase, sub-counts included: actors there died.
    Those of all bound counts are computed once per Doc (``layers.memo``)."""
    if bounds is None:
        cached = layers.memo.get(("victim_ranges", 0))
        if cached is None:
            cached = layers.memo[("victim_ranges", 0)] = victim_ranges(doc, layers, bind_counts(doc, layers))
        return list(cached)
    # "tens of shells", "325 air raids": what an incidents count counts is a weapon, not people.
    counted = [b for b in bounds if b.predicate != "incidents"]
    ranges = [victim_range(doc, layers, b.count.start, b.noun_end) for b in counted]
    return ranges + [r for b in counted if (r := _antecedent_of_them(layers, b.count.start, b.count.end)) is not None]


# How far before "N of them" its antecedent may be named.
ANTECEDENT_REACH = 12


def _antecedent_of_them(layers: Layers, start: int, end: int) -> tuple[int, int] | None:
    """ "repelled an attack by bandits ..., neutralising four of them": the group "them"
    points back to (the nearest actor mention before the count, in its sentence) died too."""
    lowers = layers.view.lowers
    if lowers[end : end + 2] not in OF_THEM:
        return None
    floor = max(layers.sentence_bounds[start][0], start - ANTECEDENT_REACH)
    triggers = layers.starts_of("trigger")
    k = start - 1
    while k >= floor:
        actor = layers.over("actor", k)
        if actor is None:
            k -= 1
            continue
        if actor.end < len(lowers) and (lowers[actor.end] in ("who", "which", "that") or actor.end in triggers):
            k = actor.start - 1  # "gunmen who killed three of them": the killers, not "them"
            continue
        return actor.start, actor.end
    return None


# Words after "X-" that make X someone else's sponsor, not the doer: "Russian-installed
# officials", "Iranian-backed militias", "US-trained forces" (the noun after is the actor),
# "the Hamas-run health ministry" (who runs the body that reports).
SPONSOR_SUFFIXES = frozenset(
    "backed installed appointed allied aligned trained funded sponsored supported linked run".split())


def _negated_compound(view: TokenView, span: Span) -> bool:
    """ "anti-government protests" names no government forces, "pro-US forces" are not the
    US, "Russian-installed officials" are not Russia."""
    texts, lowers = view.texts, view.lowers
    if span.start >= 2 and texts[span.start - 1] == "-" and lowers[span.start - 2] in ("anti", "non", "pro"):
        return True
    if span.end + 1 < len(lowers) and texts[span.end] in ("-", "\u2013") and lowers[span.end + 1] in SPONSOR_SUFFIXES:
        return True
    return span.end < len(lowers) and lowers[span.end].lstrip("-") in SPONSOR_SUFFIXES and lowers[span.end][:1] == "-"


_VICTIM_TOKENS = ("victim_tokens", 0)


def victim_tokens(doc: Doc, layers: Layers) -> frozenset[int]:
    """The tokens of every counted noun phrase (``victim_ranges``) as one set, made once
    per Doc: whether an actor or cause mention starts inside one is then a single probe,
    not a scan of all the ranges for every candidate of every claim."""
    cached = layers.memo.get(_VICTIM_TOKENS)
    if cached is None:
        ranges = victim_ranges(doc, layers)
        cached = layers.memo[_VICTIM_TOKENS] = frozenset(i for lo, hi in ranges for i in range(lo, hi))
    return cached  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def unnamed_actor_ids() -> frozenset[str]:
    """Actor ids marked ``named: false`` in actors.yaml ("terrorists", "gunmen")."""
    return frozenset(k for k, v in rules.load("actors")["actors"].items() if v.get("named") is False)


def is_reporter(doc: Doc, layers: Layers, span: Span) -> bool:
    """True when the mention is who reports the deaths ("the Russian Defence Ministry said").

    A report verb within two words after it ("Syrian state media says"), "according
    to" right before it, or an all-caps dateline ("MOSCOW (Sputnik)").
    Answered once per mention: ``actor_rank`` asks again for every claim of its sentence.
    """
    key = ("is_reporter", span.start, span.end)
    found = layers.memo.get(key)
    if found is None:
        found = layers.memo[key] = _is_reporter(layers, span)
    return found  # type: ignore[no-any-return]


def _is_reporter(layers: Layers, span: Span) -> bool:
    texts = layers.view.texts
    starts, covers = layers.starts_of("report"), layers.covers_of("report")  # probed per word
    for k in range(span.end, min(len(texts), span.end + 3)):
        report = starts.get(k)
        if report is not None and report.label_ == "after":
            return True
        if is_punct(texts[k]):  # Token.is_punct is this lexical attribute of the text
            break
    for k in (span.start - 1, span.start - 2):
        report = covers.get(k) if k >= 0 else None
        if report is not None and report.label_ == "before" and report.end >= span.start - 1:
            return True
    return False


# Words by which a speaker reports its own act ("the army said it killed 30 militants").
OWN_ACT = frozenset("it its they their we our".split())
# Words between a report verb and what it reports ("said on Monday that its forces").
STATEMENT_FILLERS = frozenset("that on late early earlier later".split())


def _tells_own_act(layers: Layers, span: Span) -> bool:
    """ "the army said it killed", "IS said its fighters carried out": a speaker telling of
    its own deed is the doer; "the army said a blast killed" tells of someone else's. A
    state's force that reports an operation ("the General Staff of the Armed Forces informs
    that reconnaissance operations ... resulted in the killing of 11") tells of its own."""
    key = ("tells_own_act", span.start, span.end)
    found = layers.memo.get(key)
    if found is None:
        found = layers.memo[key] = _own_act(layers, span)
    return found  # type: ignore[no-any-return]


def _own_act(layers: Layers, span: Span) -> bool:
    lowers = layers.view.lowers
    if _followed_by(lowers, span.end, responsibility_phrases()["after"]):  # "the BLA claimed responsibility"
        return True
    times = layers.covers_of("time")
    for k in range(span.end, min(len(lowers), span.end + 3)):
        report = layers.at("report", k)
        if report is not None and report.label_ == "after":
            # "said on Monday that its forces killed": the time of the statement is skipped, and so
            # is how it was said ("claimed through its Amaq news agency that its fighters").
            start = report.end
            that = next((j for j in range(start, min(len(lowers), start + 9)) if lowers[j] == "that"), None)
            if that is not None and not any(is_punct(t) for t in layers.view.texts[start:that]):
                start = that + 1
            words = [w for j, w in enumerate(lowers[start : start + 7], start)
                     if w not in STATEMENT_FILLERS and j not in times]
            if words and words[0] in OWN_ACT:
                return True
            return _is_state_force(span.label_) and not own_operations().isdisjoint(words)
    return False


@lru_cache(maxsize=1)
def own_operations() -> frozenset[str]:
    """actors.yaml ``own_operations``: one-word nouns of a force's own military action."""
    return frozenset(str(w).lower() for w in rules.load("actors")["own_operations"])


@lru_cache(maxsize=1)
def _state_labels() -> frozenset[str]:
    """The by_country labels that stand for the article's state ("police", "the army")."""
    entries = rules.load("actors")["by_country"]
    return frozenset(f"{BY_COUNTRY_PREFIX}{k}" for k, v in entries.items() if v.get("ids", {}).get("*") == "state")


def _is_state_force(label: str) -> bool:
    """Whether an actor label names a state's forces: ``state:XX``, an old state id, or a
    word that stands for the article's state."""
    return label.startswith("state:") or label in state_ids().values() or label in _state_labels()


def _speaks_only(doc: Doc, layers: Layers, span: Span) -> bool:
    """A reporting mention that only speaks: a reporting body ("state media"), or a party
    telling of someone else's deed ("the army said a blast killed four"), not of its own
    ("said it killed") nor the doer "by" whom it was carried out."""
    if _names_reporting_body(layers.view, span):
        return True
    return not _tells_own_act(layers, span) and not _agent_by(doc, layers, span)


def _names_reporting_body(view: TokenView, span: Span) -> bool:
    """ "Syrian state media", "Russian Defence Ministry", "opposition activists": who speaks, never who shoots."""
    words = view.lowers[span.start : span.end + 1]
    return any(w in REPORTING_BODIES for w in words[-2:])


# Words of direction between a preposition and a country named as a place ("in southeast Turkey").
DIRECTIONS = frozenset(
    "north south east west northern southern eastern western northeast northwest southeast southwest northeastern "
    "northwestern southeastern southwestern central far".split()
)


def _is_place_use(doc: Doc, layers: Layers, span: Span) -> bool:
    """ "near the border with Turkey", "outlawed in Russia", "in southeast Turkey": a country named as a place."""
    lowers = layers.view.lowers
    k = span.start - 1
    while k >= 0 and lowers[k] in DIRECTIONS:
        k -= 1
    if k >= 0 and lowers[k] == "the":
        k -= 1
    if k < 0 or lowers[k] not in PLACE_PREPOSITIONS:
        return False
    place = layers.at("place", span.start)
    return place is not None and place.end == span.end and place.label_ == "PLACE"


def _is_dateline(view: TokenView, span: Span) -> bool:
    """ "MOSCOW (Sputnik)": the city the story was filed from."""
    texts = view.texts
    text = view.text[span.start_char : span.end_char]
    return text.isupper() and len(text) > 3 and span.end < len(texts) and texts[span.end] == "("


@lru_cache(maxsize=1)
def combat() -> tuple[str, frozenset[str]]:
    """causes.yaml ``combat``: the cause id of deaths in clashes and the words of combat."""
    spec = rules.load("causes")["combat"]
    return str(spec["id"]), frozenset(str(w).lower() for w in spec["words"])


# Words by which the dead fought the side that killed them: "killed fighting IS".
FOUGHT_WORDS = frozenset("fighting battling".split())


def _died_fighting(layers: Layers, span: Span) -> bool:
    """ "three soldiers were killed fighting Islamic State", "died battling the militants":
    the side the dead were fighting when they died is who killed them."""
    lowers = layers.view.lowers
    k = span.start - 1
    if k >= 0 and lowers[k] in ("the", "against"):
        k -= 1
    if k >= 0 and lowers[k] == "against":
        k -= 1
    return k >= 1 and lowers[k] in FOUGHT_WORDS and layers.over("trigger", k - 1) is not None


@lru_cache(maxsize=1)
def combat_with_words() -> frozenset[str]:
    """The words of a fight the dead had "with" someone: causes.yaml's combat words and
    actors.yaml ``combat_with`` ("a gunfight with", "an encounter with police")."""
    return combat()[1] | frozenset(str(w).lower() for w in rules.load("actors")["combat_with"])


def _opponent_in_combat(view: TokenView, span: Span) -> bool:
    """ "were killed in clashes with the SDF", "died in fighting with IS", "killed in a
    gunfight with security forces": the side the dead fought against killed them. Only
    after "in <combat word> with": in "the army clashed with the terrorists killing 16 of
    them" the subject did the killing."""
    lowers = view.lowers
    k = span.start - 1
    if k >= 0 and lowers[k] == "the":
        k -= 1
    if k < 2 or lowers[k] != "with":
        return False
    for j in (k - 1, k - 2):
        if j >= 1 and lowers[j] in combat_with_words():
            # "in clashes", "in fierce clashes", "during heavy fighting"
            return any(lowers[i] in ("in", "during", "amid") for i in (j - 1, j - 2) if i >= 0)
    return False


# Units of time before "after" that date another event: "days after", "a week after".
TIME_UNITS = frozenset("day days week weeks month months year years hour hours".split())
# How far after such an "after" a mention may stand and still be in its phrase.
AFTER_REACH = 8
_PHRASE_BREAKS = frozenset(", ; : . ! ? ( ) — –".split())


def after_earlier_event(layers: Layers, span: Span) -> bool:
    """Whether a mention names part of an earlier event the text times itself by: "just days
    after a deadly regime chemical attack", "a day after Russia and the US agreed a truce".
    The phrase runs from "<time unit> after" to its first cause word or a clause break.
    The answer depends on the mention's first token alone: asked once per start, as every
    claim of a sentence asks about the same mentions."""
    key = ("after_earlier_event", span.start)
    found = layers.memo.get(key)
    if found is None:
        found = layers.memo[key] = _after_earlier_event(layers, span.start)
    return found  # type: ignore[no-any-return]


def _after_earlier_event(layers: Layers, start: int) -> bool:
    lowers = layers.view.lowers
    triggers, causes = layers.covers_of("trigger"), layers.covers_of("cause")  # probed per word
    for k in range(start - 1, max(-1, start - AFTER_REACH - 1), -1):
        if lowers[k] in _PHRASE_BREAKS or k in triggers:
            return False
        cause = causes.get(k)
        if cause is not None and cause.end <= start:  # the phrase ended at its cause
            return False
        if lowers[k] == "after":
            return k > 0 and lowers[k - 1] in TIME_UNITS
    return False


_NONE: frozenset[int] = frozenset()


def earlier_event_mentions(layers: Layers, start: int, end: int, pivot: int, count_start: int,
                           trigger_start: int) -> frozenset[int]:
    """Starts of the actor and cause mentions in tokens [start, end) that name an earlier
    event (``after_earlier_event``) rather than the claim: those after the killing ("killed
    24, a day after Russia agreed a truce") or before a figure that opens its own clause
    ("days after a regime chemical attack a woman was killed"). "A day after a car bomb
    killed 40" keeps the car bomb for the 40: the bomb is the subject of their killing."""
    # Such a mention has an "after" at most AFTER_REACH words before it: a reach without one
    # (most) names no earlier event, found by one slice and a search in C.
    if "after" not in layers.view.lowers[max(0, start - AFTER_REACH) : end]:
        return _NONE
    passive = trigger_start > count_start
    found = set()
    for layer in ("actor", "cause"):
        for span in layers.within(layer, start, end):
            if (span.start > pivot or (passive and span.end <= count_start)) and after_earlier_event(layers, span):
                found.add(span.start)
    return frozenset(found)


def named_as_doer(doc: Doc, layers: Layers, span: Span) -> bool:
    """ "carried out by regime forces", "accused government forces of gassing": the mention
    is tied to the deed by its agent "by" or as the accused, however far the weapon is."""
    return _agent_by(doc, layers, span) or _accused(layers.view, span)


def _agent_by(doc: Doc, layers: Layers, span: Span) -> bool:
    """ "killed in air strikes by the coalition", "attacks carried out by IS": the doer of the deed.

    Only a "by" that follows a trigger, a cause or an agent verb within four words
    counts: "a town recently captured by Kurdish forces" names who took the town.
    """
    lowers = layers.view.lowers
    k = span.start - 1
    if k >= 0 and lowers[k] == "the":
        k -= 1
    if k < 0 or lowers[k] != "by":
        return False
    for j in range(max(0, k - 4), k):
        if layers.over("trigger", j) or layers.over("cause", j) or lowers[j] in AGENT_VERBS:
            return True
    return False


@lru_cache(maxsize=1)
def non_perpetrator_ids() -> frozenset[str]:
    """Actor ids marked ``perpetrator: false`` in actors.yaml: bodies with no armed force."""
    return frozenset(k for k, v in rules.load("actors")["actors"].items() if v.get("perpetrator") is False)


# ``layers.memo`` key of the article's countries, most named first (set by extract_claims
# from the PlaceContext): the country words such as "the coalition" are used about.
ARTICLE_COUNTRIES = ("article_countries",)


def set_article_countries(layers: Layers, countries: Sequence[str]) -> None:
    """Record the article's countries, most named first, for ``actor_id``."""
    layers.memo[ARTICLE_COUNTRIES] = tuple(countries)


def actor_id(layers: Layers, span: Span) -> str | None:
    """The actor id of a mention: its label, or for a word named by country ("the
    coalition", "security forces") the id it has in the article's country (the one its
    places name most); None when such a word names nobody here (bare "police" in a
    text that names no country)."""
    label = span.label_
    countries = layers.memo.get(ARTICLE_COUNTRIES) or ()
    return resolve_actor(label, countries[0] if countries else None)


def actor_json(layers: Layers, span: Span) -> dict[str, str]:
    """The ``{text, id}`` object of a perpetrator mention (one ``perpetrators`` kept)."""
    return {"text": layers.text(span), "id": actor_id(layers, span) or span.label_}


def perpetrators(doc: Doc, layers: Layers, start: int, end: int, victims: Collection[int] = frozenset()) -> tuple[Span, ...]:
    """Actor mentions in tokens [start, end) that may name who killed: no targets, no victims
    (mentions starting at one of the ``victims`` tokens), no negations, none that names
    nobody in this article's country.

    Kept per token range when ``victims`` is the article's own set (``victim_tokens``): the
    claims of a clause all ask for the same range (a tuple: no caller can change what the
    next one reads)."""
    shared = victims is layers.memo.get(_VICTIM_TOKENS)
    key = ("perpetrators", start, end)
    if shared and key in layers.memo:
        return layers.memo[key]  # type: ignore[no-any-return]
    found = tuple(
        s for s in layers.within("actor", start, end)
        if s.start not in victims and _may_perpetrate(doc, layers, s) and actor_id(layers, s) is not None
    )
    if shared:
        layers.memo[key] = found
    return found


def _may_perpetrate(doc: Doc, layers: Layers, span: Span) -> bool:
    """The tests of ``perpetrators`` that depend on the mention alone, once per mention
    (every claim of a sentence asks about the same mentions)."""
    key = ("may_perpetrate", span.start, span.end)
    found = layers.memo.get(key)
    if found is None:
        found = layers.memo[key] = (
            span.label_ not in non_perpetrator_ids()
            and not is_target(doc, layers, span)
            and not _negated_compound(layers.view, span)
            and not _is_dateline(layers.view, span)
            and not (is_reporter(doc, layers, span) and _speaks_only(doc, layers, span))
            and not _is_place_use(doc, layers, span)
            and not _names_a_speaker(layers, span)
            and not _followed_by(layers.view.lowers, span.end, responsibility_phrases()["denied"])
        )
    return found  # type: ignore[no-any-return]


def _names_a_speaker(layers: Layers, span: Span) -> bool:
    """ "the opposition Syrian Observatory for Human Rights", "Kurdish activists": a mention
    right before a source names who speaks, never who kills."""
    return layers.at("source", span.end) is not None


def _after_attribution(layers: Layers, span: Span, anchor: int) -> bool:
    """ "killed 24 people, a monitor said, a day after Russia and the US agreed a truce"."""
    reports = layers.starts_of("report")  # probed per token: one map, not a call per token
    return any(reports[k].label_ == "after" for k in range(anchor + 1, span.start) if k in reports)


def _accuser(view: TokenView, span: Span) -> bool:
    """ "Syria's opposition accused ...": an accusation verb within two words after the mention."""
    return any(low in ACCUSE_VERBS for low in view.lowers[span.end : span.end + 2])


def _accused(view: TokenView, span: Span) -> bool:
    """ "accused government forces of gassing", "blamed on the regime": the accused right after the verb."""
    lowers = view.lowers
    k = span.start - 1
    if k >= 0 and lowers[k] in ("the", "on"):
        k -= 1
    if k >= 0 and lowers[k] == "on":
        k -= 1
    return k >= 0 and lowers[k] in ACCUSE_VERBS


# Words that may stand before a clause's subject ("The Pakistani Taliban killed").
SUBJECT_OPENERS = frozenset("the a an".split())


def _clause_subject(layers: Layers, span: Span, anchor: int, clause_start: int | None) -> bool:
    """ "PKK militants attacked a military outpost in southeast Turkey, killing three": the
    mention that opens the clause of a killing, before its trigger, is its subject."""
    if clause_start is None or span.end > anchor or layers.over("trigger", anchor) is None:
        return False
    return all(low in SUBJECT_OPENERS for low in layers.view.lowers[clause_start : span.start])


def actor_rank(
    doc: Doc, layers: Layers, span: Span, anchor: int, clause_start: int | None = None
) -> tuple[int, int, int]:
    """Sort key: the doer ("X killed", "killed by X", the clause's subject) first, then named
    actors, then reporters, unnamed groups and mentions after the attribution; nearest first."""
    subject = (anchor - SUBJECT_GAP <= span.end <= anchor and layers.over("trigger", anchor) is not None) or (
        _clause_subject(layers, span, anchor, clause_start)
    )
    if _accused(layers.view, span):
        tier = 0
    elif _accuser(layers.view, span) or is_reporter(doc, layers, span) or _after_attribution(layers, span, anchor):
        tier = 2
    elif subject or _agent_by(doc, layers, span) or _opponent_in_combat(layers.view, span) or _died_fighting(layers, span):
        tier = 0
    elif span.label_ in unnamed_actor_ids():
        tier = 2
    else:
        tier = 1
    return tier, abs(span.start - anchor) + (0 if span.start < anchor else 3), span.start


@lru_cache(maxsize=1)
def subject_only_labels() -> frozenset[str]:
    """Labels of the by_country words that name the killer only as the subject of a killing
    or its agent ("soldiers killed", "shot by police"), never as any other mention."""
    entries = rules.load("actors")["by_country"]
    return frozenset(f"{BY_COUNTRY_PREFIX}{k}" for k, v in entries.items() if v.get("subject_only"))


# How far after a subject_only mention a trigger may start for the mention to be its subject
# ("police opened fire on the crowd, killing").
SUBJECT_REACH = 8


# Nouns after a force word that make it a modifier, not the doer: "a police source",
# "Aleppo Police Command", "the military intelligence", "a security official".
FORCE_MODIFIED = frozenset(
    "source sources command chief chiefs commander commanders spokesman spokeswoman spokesperson official officials "
    "intelligence station stations statement statements report reports officer headquarters hq spokesmen "
    "academy base bases checkpoint checkpoints vehicle vehicles post posts patrol patrols".split()
)


def in_doer_role(doc: Doc, layers: Layers, span: Span, anchor: int | None = None) -> bool:
    """Whether a subject_only mention ("soldiers", "police") stands where the killer does:
    after an agentive "by", or as a subject: before the claim's anchor when there is one,
    a trigger within SUBJECT_REACH words after it, and no noun it modifies ("a police source")."""
    if span.label_ not in subject_only_labels() or _agent_by(doc, layers, span):
        return True
    lowers = layers.view.lowers
    if span.end < len(lowers) and lowers[span.end] in FORCE_MODIFIED:
        return False
    if _force_act(lowers, span) or _opponent_in_combat(layers.view, span):
        # "killed during a police operation", "in a gunfight with security forces": the
        # force acted, unless its own men are among the dead ("two soldiers were killed
        # in a military operation against militants": the militants killed them).
        return not _forces_among_dead(doc, layers, span)
    if is_reporter(doc, layers, span):  # "police said", but "the army said its troops killed"
        return _tells_own_act(layers, span)
    triggers = layers.starts_of("trigger")
    if _attacks(layers, span):
        # "... was shot dead when National Guard troops fired on a crowd"; for the incident
        # (no anchor) also a lead sentence of its own: "Four protesters were shot dead in
        # Juliaca. Witnesses said police opened fire on the crowd."
        if anchor is None:
            return True
        sentence_start, sentence_end = layers.sentence_bounds[span.start]
        return any(k in triggers for k in range(sentence_start, sentence_end))
    if anchor is not None and span.end > anchor:
        return False
    sentence_start, sentence_end = layers.sentence_bounds[span.start]
    if all(low in SUBJECT_OPENERS for low in lowers[sentence_start : span.start]) and _kills_after_subject_phrase(
        layers, span.end, sentence_end
    ):
        return True
    reach = min(sentence_end, span.end + SUBJECT_REACH + 1)
    return any(k in triggers and not _found_dead(lowers, triggers[k]) for k in range(span.end, reach))


# Trigger words that tell the dead were found: whoever found them did not kill them.
FOUND_DEAD = frozenset("bodies body corpses corpse remains".split())


def _found_dead(lowers: Sequence[str], trigger: Span) -> bool:
    """ "Police found the bodies of five women": a trigger of dead found, not killed, by the subject."""
    return not FOUND_DEAD.isdisjoint(lowers[trigger.start : trigger.end])


# How long a relative clause or participle phrase after a subject may run.
SUBJECT_PHRASE_REACH = 16


def _kills_after_subject_phrase(layers: Layers, k: int, sentence_end: int) -> bool:
    """Whether the sentence's subject, followed at ``k`` by a relative clause set off by
    commas or by a participle phrase, is the subject of a verb of killing after it:
    "Soldiers, who had been deployed to the area last week, killed three", "Junta troops
    manning a checkpoint in Madaya township shot dead two". A noun of death ("found the
    bodies of five") is no such verb."""
    lowers = layers.view.lowers
    limit = min(sentence_end, k + SUBJECT_PHRASE_REACH)
    if k + 1 < limit and lowers[k] == "," and lowers[k + 1] in ("who", "which"):
        close = next((j for j in range(k + 2, limit) if lowers[j] == ","), None)
        if close is None:
            return False
        window = range(close + 1, min(sentence_end, close + 3))
    elif k < limit and lowers[k].endswith("ing") and lowers[k].isalpha() and len(lowers[k]) > 4:
        window = range(k + 1, limit)
    else:
        return False
    triggers = layers.starts_of("trigger")
    for j in window:
        if lowers[j] in ("who", "which", "was", "were", "had", "has", "have"):
            return False  # another clause's verb or a passive comes first
        trigger = triggers.get(j)
        if trigger is not None:
            return (layers.trigger_rule(trigger, "forward") is not None and layers.trigger_rule(trigger, "noun") is None
                    and not _found_dead(lowers, trigger))
    return False


@lru_cache(maxsize=1)
def force_acts() -> frozenset[str]:
    """actors.yaml ``force_acts``: nouns after a force word that make the force the doer."""
    return frozenset(str(w).lower() for w in rules.load("actors")["force_acts"])


def _force_act(lowers: Sequence[str], span: Span) -> bool:
    """ "a police operation", "an army raid", "military airstrikes", "police fire": the force
    word names whose act it was (the noun right after it, or after "-led"/"-run")."""
    k = span.end
    if k + 1 < len(lowers) and lowers[k] == "-" and lowers[k + 1] in ("led", "run"):
        k += 2
    return k < len(lowers) and lowers[k] in force_acts()


@lru_cache(maxsize=1)
def victim_sides() -> dict[str, str]:
    """Fighter noun -> the side it names (victims.yaml ``sides``): "soldiers" state, "militants" armed group."""
    return {str(noun).lower(): side for side, nouns in rules.load("victims")["sides"].items() for noun in nouns}


@lru_cache(maxsize=1)
def _state_side_words() -> frozenset[str]:
    """The last words of the state side's nouns: a state's own men ("soldiers", "police", "forces")."""
    return frozenset(noun.split()[-1] for noun, side in victim_sides().items() if side == "state")


def _forces_among_dead(doc: Doc, layers: Layers, span: Span) -> bool:
    """Whether a counted noun phrase of the mention's sentence names a state's own men
    ("three policemen were killed", "two soldiers and a civilian")."""
    sentence_start, sentence_end = layers.sentence_bounds[span.start]
    key = ("forces_among_dead", sentence_start)
    found = layers.memo.get(key)
    if found is None:  # once per sentence: a hostile text may repeat "a police operation" thousands of times
        lowers, victims, side = layers.view.lowers, victim_tokens(doc, layers), _state_side_words()
        found = layers.memo[key] = any(lowers[i] in side for i in range(sentence_start, sentence_end) if i in victims)
    return found  # type: ignore[no-any-return]


def actor_for(
    doc: Doc, layers: Layers, start: int, end: int, anchor: int, victims: Collection[int] | None = None
) -> Span | None:
    """The perpetrator mentioned in tokens [start, end), ranked by ``actor_rank``.

    "killed by X" wins outright; otherwise the nearest named mention, preferring one
    before the anchor (the subject of "X killed ..."); who reports the deaths and
    unnamed groups ("terrorists") only when nothing else is named.
    """
    if victims is None:
        victims = victim_tokens(doc, layers)
    candidates = [s for s in perpetrators(doc, layers, start, end, victims) if in_doer_role(doc, layers, s, anchor)]
    if len(candidates) < 2:  # nothing to rank (min would still rank the one)
        return candidates[0] if candidates else None
    return min(candidates, key=lambda s: actor_rank(doc, layers, s, anchor, start))


@lru_cache(maxsize=1)
def attack_verbs() -> tuple[tuple[str, ...], ...]:
    """actors.yaml ``attack_verbs`` as lower-case word tuples."""
    return tuple(tuple(str(p).lower().split()) for p in rules.load("actors")["attack_verbs"])


def _attacks(layers: Layers, span: Span) -> bool:
    """Whether an attack verb follows the mention at once ("troops fired on", "police
    opened fire"), or after one adverb in -ly ("police allegedly shot")."""
    lowers = layers.view.lowers
    k = span.end
    if k < len(lowers) and lowers[k].endswith("ly") and lowers[k].isalpha():
        k += 1
    return any(tuple(lowers[k : k + len(v)]) == v for v in attack_verbs())


@lru_cache(maxsize=1)
def responsibility_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """actors.yaml ``responsibility``: its after, before and denied phrases as lower-case word tuples."""
    spec = rules.load("actors")["responsibility"]
    return {key: tuple(tuple(str(p).lower().split()) for p in spec[key]) for key in ("after", "before", "denied")}


# Words that may stand between a group and its claim ("IS later claimed responsibility").
CLAIM_FILLERS = 2


def _followed_by(lowers: Sequence[str], k: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether one of ``phrases`` starts within CLAIM_FILLERS words of token k.

    Only a word that starts one of the phrases is compared phrase by phrase: the test
    runs for every actor mention, and most words start none."""
    firsts = _first_words(phrases)
    if firsts is not None and firsts.isdisjoint(lowers[k : k + CLAIM_FILLERS + 1]):
        return False  # no word there starts a phrase (most mentions): one set test in C
    return any(
        tuple(lowers[j : j + len(p)]) == p
        for j in range(k, min(len(lowers), k + CLAIM_FILLERS + 1)) if firsts is None or lowers[j] in firsts
        for p in phrases
    )


def _preceded_by(lowers: Sequence[str], k: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether one of ``phrases`` ends right before token k (compared only after a word
    that ends one of them)."""
    lasts = _last_words(phrases)
    if lasts is not None and (k < 1 or lowers[k - 1] not in lasts):
        return False
    return any(tuple(lowers[k - len(p) : k]) == p for p in phrases)


# By the identity of a phrase tuple (kept alive here, so its id is not reused): an
# lru_cache keyed by the tuple hashed every phrase of it on every call, a microsecond or
# more per actor mention. The tuples asked about are the rule loaders' (a handful).
_EDGE_WORDS: dict[tuple[int, int], tuple[object, frozenset[str] | None]] = {}


def _edge_words(phrases: tuple[tuple[str, ...], ...], edge: int) -> frozenset[str] | None:
    """The words at ``edge`` (0 first, -1 last) of ``phrases`` (None if one is empty: it matches anywhere)."""
    found = _EDGE_WORDS.get((id(phrases), edge))
    if found is None or found[0] is not phrases:
        if len(_EDGE_WORDS) > 64:
            _EDGE_WORDS.clear()
        words = None if any(not p for p in phrases) else frozenset(p[edge] for p in phrases)
        found = _EDGE_WORDS[(id(phrases), edge)] = (phrases, words)
    return found[1]


def _last_words(phrases: tuple[tuple[str, ...], ...]) -> frozenset[str] | None:
    """The words that end ``phrases`` (None if one is empty: it matches anywhere)."""
    return _edge_words(phrases, -1)


def _first_words(phrases: tuple[tuple[str, ...], ...]) -> frozenset[str] | None:
    """The words that start ``phrases`` (None if one is empty: it matches anywhere)."""
    return _edge_words(phrases, 0)


def claimed_by(doc: Doc, layers: Layers, start: int, end: int) -> Span | None:
    """The named group that says the attack was its own, in tokens [start, end): "al-Shabaab
    claimed responsibility", "ISWAP said its fighters carried out the attack", "responsibility
    was claimed by the Pakistani Taliban"; or that is blamed for it ("police blamed
    al-Shabaab"). A group that "denied responsibility" may not perpetrate (``_may_perpetrate``)."""
    lowers = layers.view.lowers
    phrases = responsibility_phrases()
    for span in layers.within("actor", start, end):
        # The words around the mention first: they rule out most mentions at a few
        # look-ups, and ``_may_perpetrate`` reads much more of a mention seen the first time
        # (the incident asks of every body sentence, most of which hold no claim).
        k = span.start - 1 if span.start > 0 and lowers[span.start - 1] == "the" else span.start
        # "Police blamed al-Shabaab", "an attack officials blamed on Boko Haram": the accused,
        # when named as a group; a side blaming "the rebels" or "government forces" in a
        # war of two sides names no one the text stands by.
        if not (_followed_by(lowers, span.end, phrases["after"]) or _preceded_by(lowers, k, phrases["before"])
                or (_accused(layers.view, span) and not span.label_.startswith(BY_COUNTRY_PREFIX))):
            continue
        if span.label_ in unnamed_actor_ids() or not _may_perpetrate(doc, layers, span) or actor_id(layers, span) is None:
            continue
        return span
    return None


VAGUE_CAUSES = frozenset({"bombing", "bombings"})


# Cause ids that say how a weapon killed; ground fighting names none and yields to them
# in the same clause ("killed in clashes and air strikes").
GROUND_FIGHTING = "ground_fighting"
CHEMICAL = "chemical"
# Causes a chemical agent is delivered by: "an airstrike that released toxic gas",
# "rockets loaded with chlorine" are chemical attacks.
DELIVERIES = frozenset({"airstrike", "shelling", "explosion"})
# How near a chemical agent must be to its delivery to be its payload.
PAYLOAD_REACH = 8
# Cause words that name an aircraft: with a crash in the same clause ("a helicopter was shot
# down") the aircraft is what fell, not an airstrike.
AIRCRAFT_WORDS = frozenset(
    "helicopter helicopters plane planes jet jets aircraft warplane warplanes drone drones".split() + ["fighter jets"]
)
# Words between an equipment marker and a weapon ("destroyed two tanks and a rocket launcher").
EQUIPMENT_REACH = 4


# Words between a delivery and a chemical after it that make the chemical a place or a
# target, not the payload ("a raid on the chemical attack town").
PAYLOAD_BREAKS = frozenset("on in at near of to into".split())


def payload_of(layers: Layers, chemical: Span, delivery: Span) -> bool:
    """Whether a chemical agent is what a delivery carried: right before it ("chlorine barrel
    bombs") or a few words after it with no place word between ("an airstrike that released
    toxic gas", "rockets loaded with chlorine")."""
    if chemical.end == delivery.start:
        return True
    if not 0 <= chemical.start - delivery.end <= PAYLOAD_REACH:
        return False
    return not any(low in PAYLOAD_BREAKS for low in layers.view.lowers[delivery.end : chemical.start])


@lru_cache(maxsize=1)
def equipment_markers() -> frozenset[str]:
    """causes.yaml ``equipment_markers``: single words."""
    return frozenset(str(m).lower() for m in rules.load("causes").get("equipment_markers", []))


def _is_equipment(layers: Layers, span: Span, start: int) -> bool:
    """ "destroyed two tanks and a rocket launcher", "seized mortar shells": a weapon that was
    destroyed or seized killed nobody."""
    lowers = layers.view.lowers
    markers = equipment_markers()
    return any(lowers[k] in markers for k in range(max(start, span.start - EQUIPMENT_REACH), span.start))


def cause_for(
    layers: Layers, start: int, end: int, anchor: int, victims: Collection[int] = frozenset()
) -> Span | None:
    """The cause mentioned in tokens [start, end), nearest to ``anchor``. A cause word inside a
    counted noun phrase (one of the ``victims`` tokens) names who died, not how ("killing at
    least 30 pro-regime gunmen"); one after "destroyed" or "seized" names equipment.

    Within the range a named weapon beats ground fighting ("clashes and air strikes"), a
    crash beats the aircraft that crashed, and a chemical agent beats what delivered it
    ("an airstrike that released toxic gas")."""
    candidates = [s for s in layers.within("cause", start, end) if s.start not in victims]
    if len(candidates) > 1 or (candidates and candidates[0].label_ != GROUND_FIGHTING):
        candidates = [s for s in candidates if not _is_equipment(layers, s, start)]
    if len(candidates) < 2:  # nothing to choose between
        return candidates[0] if candidates else None
    labels = {s.label_ for s in candidates}
    if "crash" in labels:
        candidates = [s for s in candidates if not (s.label_ == "airstrike" and layers.text(s).lower() in AIRCRAFT_WORDS)]
    if GROUND_FIGHTING in labels and labels - {GROUND_FIGHTING}:
        candidates = [s for s in candidates if s.label_ != GROUND_FIGHTING]
    # "bombing" alone may be from the air or on the ground: a more specific cause in
    # the same clause ("Aleppo bombing ... in a blast") decides.
    specific = [s for s in candidates if layers.text(s).lower() not in VAGUE_CAUSES]
    best = min(specific or candidates, key=lambda s: (abs(s.start - anchor), s.start))
    if best.label_ == "shooting":
        # "shot or beheaded", "executed by gunfire": an execution named in the same
        # clause is the more specific cause of death.
        executions = [s for s in candidates if s.label_ == "execution"]
        if executions:
            return min(executions, key=lambda s: (abs(s.start - anchor), s.start))
    if best.label_ in DELIVERIES:
        payloads = [s for s in candidates if s.label_ == CHEMICAL and payload_of(layers, s, best)]
        if payloads:
            return min(payloads, key=lambda s: (abs(s.start - best.start), s.start))
    return best


def time_for(
    doc: Doc, layers: Layers, start: int, end: int, anchor: int, published: dt.date | None
) -> tuple[Span, dict[str, str | None]] | None:
    """The time expression of the claim in tokens [start, end), resolved.

    Only the nearest time is resolved (resolving is pure).
    """
    key = ("death_times", start, end)
    times = layers.memo.get(key)
    if times is None:
        # The same for every claim of the sentence: found once, only the distances differ.
        times = layers.memo[key] = _death_times(layers, start, end)
    if not times:
        return None
    span = min(times, key=lambda s: abs(s.start - anchor))  # the first of equally near ones
    # Resolved once per time mention (the claims of one sentence mostly pick the same
    # time); each claim gets its own dict.
    key = ("time", span.start, span.end, published)
    resolved = layers.memo.get(key)
    if resolved is None:
        interval = resolve_time(_time_matches(layers)[span.start, span.end], published)
        resolved = layers.memo[key] = {
            "text": layers.text(span),
            "start": interval.start.isoformat() if interval else None,
            "end": interval.end.isoformat() if interval else None,
        }
    return span, dict(resolved)  # type: ignore[call-overload]


def _time_matches(layers: Layers) -> dict[tuple[int, int], Any]:
    """Each time mention's TimeMatch by its token bounds (``span._.time``, which builds an
    Underscore object per read), once per Doc; of two mentions with the same bounds the
    later one, as ``span._`` keeps it."""
    found = layers.memo.get(_TIME_MATCHES)
    if found is None:
        doc = layers.doc
        found = layers.memo[_TIME_MATCHES] = {
            (span.start, span.end): match for span, match in zip(spans_of(doc, "time"), span_values(doc, "time"))
        }
    return found  # type: ignore[no-any-return]


_TIME_MATCHES = ("time_matches",)


def _death_times(layers: Layers, start: int, end: int) -> list[Span]:
    """The time mentions in tokens [start, end) that may date the deaths: a time right
    after a report verb ("said on Friday") dates the statement and is skipped."""
    lowers = layers.view.lowers
    reports = layers.covers_of("report")  # probed per mention: one map, not a call each
    kept: list[Span] = []
    for span in layers.within("time", start, end):
        k = span.start - 1
        while k >= 0 and lowers[k] in REPORT_PREPOSITIONS:
            k -= 1
        if not (k >= 0 and (k in reports or lowers[k] in PUBLICATION_WORDS or lowers[k] in reaction_verbs())):
            kept.append(span)
    return kept


@lru_cache(maxsize=1)
def reaction_verbs() -> frozenset[str]:
    """times.yaml ``reaction_verbs``: a time right after one dates the reaction, not the deaths."""
    return frozenset(str(w).lower() for w in rules.load("times")["reaction_verbs"]["words"])
