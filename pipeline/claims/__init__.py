"""Claims: one record per reported figure, with its context and evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims.assemble import Bound, bind_counts
from pipeline.claims.background import is_background
from pipeline.claims.context import (
    actor_for,
    actor_json,
    cause_for,
    clause_bounds,
    set_article_countries,
    time_for,
    victim_tokens,
)
from pipeline.claims.evidence import needs_window, window
from pipeline.claims.model import Claim, Count
from pipeline.claims.places import PlaceContext
from pipeline.claims.sources import named_organizations, source_for
from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import TokenView

CONTINUATION_WORDS = ("another", "a further", "further", "also", "additionally")


@dataclass(frozen=True)
class ArticleContext:
    """What the claim builder needs to know about the article beyond its Doc."""

    key: str
    title_end: int
    published: dt.date | None


@lru_cache(maxsize=1)
def cumulative_markers() -> tuple[str, ...]:
    """Phrases that mark running totals (see counts.yaml)."""
    return tuple(m.lower() for m in rules.load("counts")["cumulative_markers"])


@lru_cache(maxsize=1)
def war_total_markers() -> tuple[str, ...]:
    """Words of a running total over the whole war (see counts.yaml)."""
    return tuple(m.lower() for m in rules.load("counts")["war_total_markers"])


def _count(view: TokenView, bound: Bound) -> Count:
    # Span.text joins Token objects; the same characters are a slice of the Doc text.
    text = view.text[view.starts[bound.count.start] : view.end_char(bound.count.end - 1)]
    return Count(text, bound.count.value)


def _token_span(doc: Doc, view: TokenView, chars: tuple[int, int]) -> Span:
    """The tokens that start inside the character range ``chars`` (a window)."""
    return Span(doc, bisect_left(view.starts, chars[0]), bisect_left(view.starts, chars[1]))


def _sentence_text(layers: Layers, sentence: Span) -> str:
    """A sentence's (or a window's) text, built once however many claims it holds."""
    key = ("text", sentence.start, sentence.end)
    if key not in layers.memo:
        layers.memo[key] = layers.view.text[sentence.start_char : sentence.end_char]
    return layers.memo[key]  # type: ignore[no-any-return]


def _is_continuation(doc: Doc, layers: Layers, sentence: Span, count_start: int) -> bool:
    head = _sentence_text(layers, sentence)[:20].lower()
    start = max(sentence.start, count_start - 2)
    view = layers.view  # the two tokens' text, sliced rather than joined from Tokens
    before = view.text[view.starts[start] : view.end_char(count_start - 1)].lower() if start < count_start else ""
    return head.startswith(CONTINUATION_WORDS) or "another" in before or "further" in before


def _claim_id(key: str, evidence: str, count_text: str, occurrence: int) -> str:
    digest = hashlib.sha256(f"{key}\x1f{evidence}\x1f{count_text}\x1f{occurrence}".encode()).hexdigest()
    return digest[:12]


def _attach_includes(doc: Doc, layers: Layers, bounds: list[Bound]) -> list[tuple[Bound, list[Bound]]]:
    """Pair each main count with the sub-counts that follow it in its sentence."""
    grouped: list[tuple[Bound, list[Bound]]] = []
    sentence_bounds = layers.sentence_bounds  # compared by bounds: no Span per figure
    for bound in bounds:
        parent = grouped[-1] if grouped else None
        same_sentence = (
            parent is not None and sentence_bounds[parent[0].count.start] == sentence_bounds[bound.count.start]
        )
        if bound.include and same_sentence and parent is not None and bound.count.start > parent[0].count.start:
            if bound.predicate in ("", parent[0].predicate) and _may_be_part(bound, parent[0]):
                parent[1].append(bound)
                continue
        if not bound.predicate:
            continue
        grouped.append((bound, []))
    return grouped


def _may_be_part(sub: Bound, whole: Bound) -> bool:
    """A part is never more than its whole: "a child was killed and six other civilians including
    three children were injured" does not make three children a part of one child."""
    part = sub.count.value.low if sub.count.value.low is not None else sub.count.value.value
    most = whole.count.value.high if whole.count.value.high is not None else whole.count.value.value
    return part is None or most is None or part <= most


def extract_claims(doc: Doc, context: ArticleContext, layers: Layers, places: PlaceContext) -> list[Claim]:
    """Every claim in ``doc`` in document order.

    ``layers`` and ``places`` index and resolve ``doc`` once; the incident reuses them.
    """
    orgs = named_organizations(doc)
    set_article_countries(layers, places.countries)
    view = layers.view  # token offsets without building Token objects
    claims: list[Claim] = []
    seen: dict[tuple[str, str], int] = {}  # a Counter calls __missing__ for each new key
    previous_source: str | None = None
    bounds = bind_counts(doc, layers)
    victims = victim_tokens(doc, layers)  # of the same bounds, kept for the incident
    grouped = _attach_includes(doc, layers, bounds)
    per_sentence = Counter(layers.sentence_bounds[main.count.start] for main, _ in grouped)
    for main, subs in grouped:
        sentence = layers.sentence(main.count.start)
        anchor = main.count.start
        sentence_text = _sentence_text(layers, sentence)
        count = _count(view, main)
        start_char = sentence.start_char
        # A sentence too long to repeat: the claim's evidence is a window around its
        # figure, and its actor, cause, time, places and source are read inside the
        # window (the scope) too, as a reader of the evidence would; read across a
        # sentence of 300,000 characters, each claim cost time in its length.
        figure = (view.starts[anchor], view.end_char(main.count.end - 1))
        chars: tuple[int, int] | None = None
        scope = sentence
        if needs_window(len(sentence_text), per_sentence[layers.sentence_bounds[anchor]]):
            chars = window(view.text, (start_char, sentence.end_char), figure)
            scope = _token_span(doc, view, chars)
        clause = clause_bounds(doc, layers, scope, anchor)
        claim = Claim(
            section="title" if view.starts[anchor] < context.title_end else "body",
            predicate=main.predicate,
            count=count,
            group=main.group,
            group_text=main.group_text,
            rule=main.rule,
            evidence_start=start_char,
            evidence_end=sentence.end_char,
            evidence_text=sentence_text,
            count_start=figure[0],
            count_end=figure[1],
            token_start=main.count.start,
            token_end=main.noun_end,
            trigger_start=main.trigger_start,
            includes=[(part.group, _count(view, part)) for part in main.parts]
            + [(sub.group, _count(view, sub)) for sub in subs],
        )
        pivot = min(main.trigger_start, anchor) if main.trigger_start < anchor else anchor
        actor = actor_for(doc, layers, clause[0], clause[1], pivot, victims)
        if actor is not None:
            claim.actor = actor_json(layers, actor)
        cause = cause_for(layers, clause[0], clause[1], main.trigger_start, victims) or cause_for(
            layers, scope.start, scope.end, main.trigger_start, victims
        )
        if cause is not None:
            claim.cause = {"text": layers.text(cause), "id": cause.label_}
        found_time = time_for(doc, layers, scope.start, scope.end, anchor, context.published)
        if found_time is not None:
            claim.time = found_time[1]
        claim.locations = places.for_sentence(scope)
        claim.source = source_for(doc, layers, scope, anchor, orgs, previous_source)
        if claim.source and claim.source.get("name"):
            previous_source = claim.source["name"]
        claim.continuation = _is_continuation(doc, layers, sentence, main.count.start)
        if claim.continuation:
            _inherit(claim, claims)
        claim.cumulative = _is_cumulative(claim, layers, scope)
        claim.background = is_background(view, sentence.start, main.count.start)
        if chars is not None:
            claim.window = chars
            claim.window_text = view.text[chars[0] : chars[1]]
        key = (claim.quote, count.text)
        occurrence = seen.get(key, 0)
        claim.id = _claim_id(context.key, claim.quote, count.text, occurrence)
        seen[key] = occurrence + 1
        claims.append(claim)
    return claims


def _inherit(claim: Claim, earlier: list[Claim]) -> None:
    """A continuing sentence takes actor, cause and time from the claim it continues."""
    parent = next((c for c in reversed(earlier) if c.predicate == claim.predicate and c.section == claim.section), None)
    if parent is None:
        return
    for field_name in ("actor", "cause", "time"):
        if getattr(claim, field_name) is None and getattr(parent, field_name) is not None:
            setattr(claim, field_name, getattr(parent, field_name))
            claim.inherited.append(field_name)


def _is_cumulative(claim: Claim, layers: Layers, sentence: Span) -> bool:
    key = ("has_cumulative_marker", sentence.start, sentence.end)
    if key not in layers.memo:
        text = _sentence_text(layers, sentence).lower()
        # Plain substring tests ("in all" also matches "in alleged"), looped in C by map.
        layers.memo[key] = any(map(text.__contains__, cumulative_markers()))
    if layers.memo[key]:
        return True
    time = claim.time or {}
    start, end = time.get("start"), time.get("end")
    if start and end:
        return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days > 120
    return False
