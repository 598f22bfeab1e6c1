"""From counts and triggers to claims: which figure was killed, injured, trapped...

ConText-style binding (medspaCy): each trigger of ``rules/predicates.yaml`` reaches
forward ("killed 472 civilians") or backward ("472 civilians were killed") over at
most ``max_scope`` tokens; auxiliaries, adverbs, quotes, qualifiers and an
"including ..." aside do not use up scope, and another clause stops it. The nearest
trigger wins. Sub-counts ("including 82 children") become the ``includes`` of the
count they follow instead of claims of their own.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from pipeline.claims.tokens import Layers, not_people, trigger_specs
from pipeline.extract.counts import MAX_FIGURES, CountSpan
from pipeline.extract.tokens import TokenView, span_values, spans_of

# Tokens that never end a backward or forward reach (they carry no new clause).
TRANSPARENT = frozenset(
    """were was are is be been being have has had reportedly allegedly also all later apparently
    reported confirmed believed said thought feared among those the who that which " ' “ ” ‘ ’
    mostly most mainly many of them they had already now just so far both each likely overall total
    unintentionally accidentally mistakenly deliberately brutally at to rose risen reached climbed
    stands stood jumped increased rises reaches climbs jumps soared hit a an some up its their
    new latest final death toll from in on by""".split()
)
# Tokens that close the clause: a trigger beyond them belongs to another figure.
BREAKS = frozenset(""". ; : but while whereas although though because since after before when as if
    whom where -- — – ( ) [ ] said says told""".split())
# Words between a count and its noun that are not modifiers of the noun.
NOT_MODIFIERS = frozenset(
    """in on at by of from to for with and or but were was are is have has had been be who which that
    as after during since while when the a an this these those its their his her our your it they
    he she we you killed dead died wounded injured , . ; : " ' “ ” ( ) - – —""".split()
)
# What marks a count as a part of the previous one.
INCLUDE_MARKERS = (("including",), ("among", "them"), ("among", "whom"), ("of", "whom"), ("among", "the", "dead"),
                   ("among", "those"), ("incl",), ("mostly",), ("most", "of", "them"), ("inc",))
MAX_MODIFIERS = 3
# No trigger is looked for further than this many tokens away, transparent or not.
MAX_REACH = 40
# Words after a count that show it has no noun of its own ("killing 15 and injuring", "16 of them").
BARE_COUNT_FOLLOWERS = frozenset("and of in on at near during while with".split())


@dataclass(slots=True)
class Bound:
    """A count bound to a predicate (or a sub-count waiting for its parent); slots, as the
    binder makes one per figure."""

    count: CountSpan
    predicate: str
    rule: str
    group: str
    group_text: str | None
    noun_end: int
    trigger_start: int
    include: bool = False


_MARKER_WORDS = frozenset(word for marker in INCLUDE_MARKERS for word in marker)


def _is_include(view: TokenView, count: CountSpan) -> bool:
    # Cheap pre-check: the word just before the number (or before its qualifier's
    # first word) must end some marker, or no marker can match.
    lowers = view.lowers  # doc[k] builds a Token per access
    # One slice and a set test in C, not a generator per figure.
    if _MARKER_WORDS.isdisjoint(lowers[max(count.start - 2, 0) : count.start]):
        return False

    def words(start: int, end: int) -> tuple[str, ...]:
        return tuple(lowers[max(start, 0) : end])

    for marker in INCLUDE_MARKERS:
        start = count.start - len(marker)
        if start >= 0 and words(start, count.start) == marker:
            return True
        # "including at least 82 children": the qualifier sits between marker and number.
        if start - 1 >= 0 and words(start - 1, count.start - 1) == marker:
            return True
    return False


def _noun_after(doc: Doc, layers: Layers, count: CountSpan) -> tuple[str | None, str | None, int, bool]:
    """(group, noun text, end token, rejected) for the noun a count counts."""
    view = layers.view  # doc[k] builds a Token per access; these are its strings
    texts, lowers, n = view.texts, view.lowers, len(view.texts)
    victims, adjectives, triggers = layers.starts_of("victim"), layers.starts_of("victim_adj"), layers.starts_of("trigger")
    actors, counts = layers.covers_of("actor"), layers.covers_of("count")
    non_nouns = not_people()  # read once: it is probed for every word looked at
    j = count.end
    if j < n and lowers[j] == "of" and count.value.qualifier == "vague":
        j += 1
    if j < n and lowers[j] in non_nouns:
        return None, None, j, True
    if j + 1 < n and texts[j] in ("-", "–") and lowers[j + 1] in non_nouns | {"year", "day"}:
        return None, None, j, True
    for k in range(j, min(n, j + MAX_MODIFIERS + 1)):
        victim = victims.get(k)
        if victim is not None:
            return victim.label_, layers.text(victim), victim.end, False
        adjective = adjectives.get(k)
        if adjective is not None and adjective.end < n and lowers[adjective.end] in (
            "lives", "deaths", "casualties", "victims", "dead", "fatalities"
        ):
            return adjective.label_, view.text[adjective.start_char : view.end_char(adjective.end)], adjective.end + 1, False
        incident = triggers.get(k)
        if incident is not None and layers.trigger_rule(incident, "noun") is not None:
            return "incident", layers.text(incident), incident.end, False
        text, low = texts[k], lowers[k]
        if low in non_nouns and k > j:
            return None, None, k, True
        if text == "," and k + 1 < n and texts[k - 1][:1].isupper() and texts[k + 1][:1].isupper():
            continue  # "744 Iraqi, Syrian civilians": a list of adjectives
        if k in actors and text.isupper():
            continue  # "100 IS fighters": the acronym is a modifier, not the verb "is"
        # Token.is_alpha is str.isalpha of the text (spacy.lang.lex_attrs.is_alpha).
        if low in NOT_MODIFIERS or not (text.isalpha() or text in ("-",)) or counts.get(k):
            break
    return None, None, count.end, False


def _backward(doc: Doc, layers: Layers, start: int, sentence_end: int) -> tuple[Span, int, str] | None:
    """The backward trigger reached from token ``start``, with its distance."""
    view = layers.view
    lowers = view.lowers
    triggers, counts, victims = layers.starts_of("trigger"), layers.starts_of("count"), layers.starts_of("victim")
    used = 0
    k = start
    sentence_end = min(sentence_end, start + MAX_REACH)
    while k < sentence_end:
        trigger = triggers.get(k)
        if trigger is not None:
            spec = layers.trigger_rule(trigger, "backward")
            if spec is not None and used <= int(spec["max_scope"]):  # type: ignore[call-overload]
                return trigger, used, str(spec["id"])
        low = lowers[k]
        count = counts.get(k)
        if count is not None:
            # "16 civilians and three children have been killed": a conjunct count is skipped.
            # "11 civilians - among them four women - were killed": so is a sub-count.
            if k > 0 and lowers[k - 1] in ("and", ",", "including", "them", "whom"):
                k = count.end
                victim = victims.get(k)
                if victim is None and k in triggers:
                    return None  # "claiming 4 martyrs and 13 injured": the trigger is the conjunct's own
                k = victim.end if victim is not None else k
                continue
            return None
        if low in BREAKS or (low == "," and _aside_ends(view, k, sentence_end) is None):
            return None
        if low == "," and k + 1 < sentence_end and lowers[k + 1] in ("including", "among", "mostly", "most"):
            end = _aside_ends(view, k, sentence_end)
            if end is not None:
                k = end + 1
                continue
        if low not in TRANSPARENT and low != ",":
            used += 1
        if used > 8:
            return None
        k += 1
    return None


def _aside_ends(view: TokenView, comma: int, sentence_end: int) -> int | None:
    """Index of the comma closing an aside that opens at ``comma``, if within 12 tokens."""
    texts = view.texts
    for k in range(comma + 1, min(sentence_end, comma + 14)):
        if texts[k] == ",":
            return k
    return None


def _forward(doc: Doc, layers: Layers, count: CountSpan, sentence_start: int) -> tuple[Span, int, str] | None:
    """The forward trigger reached going left from a count, with its distance."""
    lowers = layers.view.lowers
    triggers, counts = layers.covers_of("trigger"), layers.covers_of("count")
    used = 0
    k = count.start - 1
    sentence_start = max(sentence_start, count.start - MAX_REACH)
    while k >= sentence_start:
        trigger = triggers.get(k)
        if trigger is not None:
            spec = layers.trigger_rule(trigger, "forward")
            if spec is not None and used <= int(spec["max_scope"]):  # type: ignore[call-overload]
                return trigger, used, str(spec["id"])
            if spec is None and used == 0 and layers.trigger_rule(trigger, "backward") is not None:
                # "4 killed, 10 wounded": step over the previous figure's trigger? No: stop.
                return None
            if spec is None:
                return None
        low = lowers[k]
        if low in BREAKS or k in counts:
            return None
        if low not in TRANSPARENT:
            used += 1
        if used > 12:
            return None
        k -= 1
    return None


def _continues_include(view: TokenView, count: CountSpan, previous: Bound | None) -> bool:
    """ "including 456 children and 333 women": the second sub-count joins the first."""
    if previous is None or not previous.include:
        return False
    if count.start - previous.noun_end > 2:
        return False
    between = view.lowers[previous.noun_end : count.start]
    return between in (["and"], [","], [",", "and"])


def _conjunct_of(view: TokenView, count: CountSpan, previous: Bound | None) -> Bound | None:
    """The bound figure this count is coordinated with ("one woman and one child"), if any."""
    if previous is None or not previous.predicate:
        return None
    if count.start - previous.noun_end > 2:
        return None
    between = view.lowers[previous.noun_end : count.start]
    return previous if between in (["and"], [",", "and"]) else None


def bind_counts(doc: Doc, layers: Layers) -> list[Bound]:
    """Every count bound to a predicate, in document order, sub-counts marked.

    Claims and the incident both need the bound counts; they are computed once
    per Doc and kept in ``layers.memo``.
    """
    cached = layers.memo.get(("bounds", 0))
    if cached is None:
        cached = layers.memo[("bounds", 0)] = _bind_counts(doc, layers)
    return list(cached)


def _bind_counts(doc: Doc, layers: Layers) -> list[Bound]:
    bound: list[Bound] = []
    view = layers.view
    texts, lowers = view.texts, view.lowers
    counts: list[CountSpan] = span_values(doc, "count")  # type: ignore[assignment]
    times, specs = layers.covers_of("time"), trigger_specs()  # taken once, probed per figure
    for span, count in itertools.islice(zip(spans_of(doc, "count"), counts), MAX_FIGURES):
        if count.number_start in times:
            continue
        if count.number_start > 0 and texts[count.number_start - 1] in ("$", "£", "€", "#", "No", "no."):
            continue
        if lowers[count.number_start] == "one" and count.end < len(doc) and lowers[count.end] in ("of", "another"):
            continue
        group, noun_text, noun_end, rejected = _noun_after(doc, layers, count)
        if rejected or (count.yearlike and group is None):
            continue
        # Its bounds only: most figures never become claims, so no Span is made for them.
        sentence_start, sentence_end = layers.sentence_bounds[span.start]
        include = _is_include(view, count) or _continues_include(view, count, bound[-1] if bound else None)
        if group == "incident":
            bound.append(Bound(count, "incidents", "incidents.noun", "events", noun_text, noun_end, noun_end))
            continue
        back = _backward(doc, layers, noun_end, sentence_end)
        fwd = _forward(doc, layers, count, sentence_start)
        chosen = None
        if back and fwd:
            chosen = back if back[1] <= fwd[1] else fwd
        else:
            chosen = back or fwd
        if chosen is None:
            conjunct = _conjunct_of(view, count, bound[-1] if bound else None)
            if conjunct is not None and group is not None:
                # "killing one woman and one child": the second figure shares the first's verb.
                bound.append(Bound(count, conjunct.predicate, conjunct.rule, group, noun_text, noun_end,
                                   conjunct.trigger_start, conjunct.include))
                continue
            if include and group is not None:
                bound.append(Bound(count, "", "", group, noun_text, noun_end, count.start, include=True))
            continue
        trigger, _, rule_id = chosen
        spec = specs[rule_id]
        if group is None:
            group = (
                _group_near_trigger(doc, layers, trigger, count)
                or _group_mentioned_before(doc, layers, count, sentence_start, trigger)
                or "people"
            )
        bound.append(Bound(count, str(spec["predicate"]), rule_id, group, noun_text, noun_end, trigger.start, include))
    return bound


def _group_mentioned_before(
    doc: Doc, layers: Layers, count: CountSpan, sentence_start: int, trigger: Span | None = None
) -> str | None:
    """The group a bare count refers back to: "ambushed a group of terrorists ... killing 15",
    "clashed with the terrorists killing 16 of them". Only an uncounted plural noun earlier in
    the sentence qualifies; the nearest wins. A count followed by a word that may be its
    own noun ("30 pro-regime gunmen") does not look back. The subject of a finite trigger
    verb is the killer, not the killed: "rebels kill 7", "militants killed 12"."""
    nxt = doc[count.end] if count.end < len(doc) else None
    if nxt is not None and not (nxt.is_punct or nxt.lower_ in BARE_COUNT_FOLLOWERS):
        return None
    starts, victims = _uncounted_plurals(layers)
    # The nearest first, back to the sentence start: a bisection, not a walk over every
    # token (each bare figure of a sentence of 300,000 characters walked it all).
    for k in range(bisect_left(starts, count.start) - 1, bisect_left(starts, sentence_start) - 1, -1):
        victim = victims[k]
        if trigger is not None and victim.end == trigger.start and not trigger[0].lower_.endswith("ing"):
            continue
        return victim.label_
    return None


def _uncounted_plurals(layers: Layers) -> tuple[list[int], list[Span]]:
    """Starts, in order, and spans of the victim mentions a bare count may refer back to:
    plural, not "people", not counted themselves ("15 terrorists")."""
    cached = layers.memo.get(("uncounted_plurals", 0))
    if cached is None:
        kept = sorted(
            (k, victim) for k, victim in layers.starts_of("victim").items()
            if victim.label_ != "people" and victim.text.lower().endswith("s")
            and not (k > 0 and layers.over("count", k - 1) is not None)
        )
        cached = layers.memo[("uncounted_plurals", 0)] = ([k for k, _ in kept], [v for _, v in kept])
    return cached  # type: ignore[no-any-return]


def _group_near_trigger(doc: Doc, layers: Layers, trigger: Span, count: CountSpan) -> str | None:
    """A group named by an adjective next to the trigger ("civilian toll", "civilian deaths")."""
    lo, hi = min(trigger.start, count.start) - 2, max(trigger.end, count.start)
    for k in range(max(lo, 0), hi):
        adjective = layers.at("victim_adj", k)
        if adjective is not None:
            return adjective.label_
    return None
