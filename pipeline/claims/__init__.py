"""Claims: one record per reported figure, with its context and evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from collections.abc import Callable
from functools import lru_cache, partial

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims import scope
from pipeline.claims.assemble import Bound, bind_counts
from pipeline.claims.background import is_background
from pipeline.claims.context import (
    actor_for,
    actor_json,
    cause_for,
    clause_bounds,
    earlier_event_mentions,
    set_article_countries,
    time_for,
    victim_tokens,
)
from pipeline.claims.evidence import needs_window, window
from pipeline.claims.literal_groups import LiteralGroups
from pipeline.claims.model import STATES, Claim, Count
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
def _cumulative_marker_groups() -> LiteralGroups:
    """``cumulative_markers`` grouped behind the words they share (one scan per group)."""
    return LiteralGroups.of(cumulative_markers())


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


# "18 of the dead were rebels": a part of the dead named by what they were.
_PART_OF_DEAD = (("of", "the", "dead"), ("of", "them"), ("of", "those", "killed"), ("of", "the", "victims"),
                 ("of", "the", "dead", "people"), ("of", "the", "people", "killed"), ("of", "whom"))
_COPULAS = frozenset(("were", "was", "are", "is"))


def _group_named_after(layers: Layers, start: int, sentence_end: int) -> tuple[str, str] | None:
    """(group, noun) of a count told as a part of the dead by what they were: "18 of the
    dead were rebels", "five of them were children". At most two words ("Syrian army")
    between the copula and the victim noun."""
    lowers = layers.view.lowers
    for marker in _PART_OF_DEAD:
        end = start + len(marker)
        if tuple(lowers[start:end]) == marker and end < sentence_end and lowers[end] in _COPULAS:
            victims = layers.starts_of("victim")
            for k in range(end + 1, min(end + 4, sentence_end)):
                victim = victims.get(k)
                if victim is not None:
                    return victim.label_, layers.text(victim)
    return None


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
    scope.new_article()
    orgs = named_organizations(doc)
    set_article_countries(layers, places.actor_countries())
    view = layers.view  # token offsets without building Token objects
    claims: list[Claim] = []
    seen: dict[tuple[str, str], int] = {}  # a Counter calls __missing__ for each new key
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
        # window (its reach) too, as a reader of the evidence would; read across a
        # sentence of 300,000 characters, each claim cost time in its length.
        figure = (view.starts[anchor], view.end_char(main.count.end - 1))
        chars: tuple[int, int] | None = None
        reach = sentence
        if needs_window(len(sentence_text), per_sentence[layers.sentence_bounds[anchor]]):
            chars = window(view.text, (start_char, sentence.end_char), figure)
            reach = _token_span(doc, view, chars)
        clause = clause_bounds(doc, layers, reach, anchor)
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
        if claim.group == "people":
            named = _group_named_after(layers, main.count.end, sentence.end)
            if named is not None:
                claim.group, claim.group_text = named
        pivot = min(main.trigger_start, anchor) if main.trigger_start < anchor else anchor
        earlier = earlier_event_mentions(layers, reach.start, reach.end, pivot, anchor, main.trigger_start)
        # Mentions of an earlier event the sentence times itself by are skipped like victims.
        skipped = victims | earlier if earlier else victims
        actor = actor_for(doc, layers, clause[0], clause[1], pivot, skipped)
        if actor is not None:
            claim.actor = actor_json(layers, actor)
        cause = cause_for(layers, clause[0], clause[1], main.trigger_start, skipped) or cause_for(
            layers, reach.start, reach.end, main.trigger_start, skipped
        )
        if cause is not None:
            claim.cause = {"text": layers.text(cause), "id": cause.label_}
        found_time = time_for(doc, layers, reach.start, reach.end, anchor, context.published)
        if found_time is not None:
            claim.time = found_time[1]
        claim.locations = places.for_sentence(reach)
        claim.source = source_for(doc, layers, reach, anchor, orgs)
        claim.continuation = _is_continuation(doc, layers, sentence, main.count.start)
        if claim.continuation:
            _inherit(claim, claims)
        claim.cumulative = _is_cumulative(claim, layers, reach)
        claim.background = is_background(view, sentence.start, main.count.start)
        _mark_scope(claim, layers, sentence)
        if chars is not None:
            claim.window = chars
            claim.window_text = view.text[chars[0] : chars[1]]
        key = (claim.quote, count.text)
        occurrence = seen.get(key, 0)
        claim.id = _claim_id(context.key, claim.quote, count.text, occurrence)
        seen[key] = occurrence + 1
        claims.append(claim)
    _assign_scopes(claims, context.published)
    return claims


def _inherit(claim: Claim, earlier: list[Claim]) -> None:
    """A continuing sentence takes actor, cause and time from the claim it continues."""
    parent = next((c for c in reversed(earlier) if c.predicate == claim.predicate and c.section == claim.section), None)
    if parent is None:
        return
    for field_name in ("actor", "cause", "time"):
        if field_name == "time" and claim.predicate in STATES:
            continue
        if getattr(claim, field_name) is None and getattr(parent, field_name) is not None:
            setattr(claim, field_name, getattr(parent, field_name))
            claim.inherited.append(field_name)


def _is_cumulative(claim: Claim, layers: Layers, sentence: Span) -> bool:
    """A running total: a marker of counts.yaml or scope.yaml in the sentence (a toll told as
    risen among them: "the toll from the campaign has reached 1,953"), unless the sentence
    only updates the report's own toll ("the death toll from the bombing has reached 30": the
    incident's toll, scope incident), or a time over 120 days."""
    if _running_total_marked(layers, sentence):
        return True
    time = claim.time or {}
    start, end = time.get("start"), time.get("end")
    if start and end:
        return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days > 120
    return False


def _running_total_marked(layers: Layers, sentence: Span) -> bool:
    """Whether the sentence's words mark a running total (answered once per sentence)."""
    key = ("has_cumulative_marker", sentence.start, sentence.end)
    found = layers.memo.get(key)
    if found is None:
        text = _sentence_text(layers, sentence)
        # Plain substring tests ("in all" also matches "in alleged"), grouped behind the words
        # they share. The scope tests take the sentence as written: they lower-case and frame
        # it once for all.
        found = layers.memo[key] = (
            _cumulative_marker_groups().found_in(scope.lowered(text))
            or scope.running_total(text) or scope.toll_risen(text)
        ) and not scope.updates_incident_toll(text)
    return found  # type: ignore[no-any-return]


def _sentence_flag(layers: Layers, sentence: Span, name: str, test: Callable[[str], bool]) -> bool:
    """A yes/no test of scope.py on the sentence's text, answered once per sentence."""
    key = (name, sentence.start)
    found = layers.memo.get(key)
    if found is None:
        found = layers.memo[key] = test(_sentence_text(layers, sentence))
    return found  # type: ignore[no-any-return]


def _names_the_war(sentence: str) -> bool:
    """A running total over the whole war rather than the report's event ("killed since
    2011", "the conflict has killed"): counts.yaml ``war_total_markers`` at a word start."""
    words = " " + " ".join(sentence.lower().split())
    return any(f" {marker}" in words for marker in war_total_markers())


def _mark_scope(claim: Claim, layers: Layers, sentence: Span) -> None:
    """The claim's status, whether its sentence is an aside, what its sentence says of its
    scope (``_assign_scopes`` decides the scope once all claims are known)."""
    key = ("status", sentence.start)
    status = layers.memo.get(key)
    if status is None:
        status = layers.memo[key] = scope.status_of(_sentence_text(layers, sentence))
    claim.status = status
    claim.aside = sentence_aside(layers, sentence.start, sentence.start_char, sentence.end_char)
    trigger = layers.view.starts[claim.trigger_start] - claim.evidence_start
    key = ("background_markers", sentence.start)
    markers = layers.memo.get(key)
    if markers is None:
        markers = layers.memo[key] = scope.background_markers(claim.evidence_text)
    claim.background = claim.background or (bool(markers) and scope.background_before(
        claim.evidence_text, claim.count_start - claim.evidence_start, trigger, markers))
    claim.running_total = claim.cumulative and _running_total_marked(layers, sentence)
    claim.toll_update = claim.predicate == "killed" and _sentence_flag(
        layers, sentence, "toll_update", scope.updates_incident_toll)
    claim.war_total = claim.cumulative and _sentence_flag(layers, sentence, "war_total", _names_the_war)


def sentence_aside(layers: Layers, start: int, start_char: int, end_char: int) -> bool:
    """Whether the sentence of token ``start`` (characters [start_char, end_char)) opens
    another story or holds an embedded post (rules/scope.yaml); once per sentence."""
    key = ("aside", start)
    found = layers.memo.get(key)
    if found is None:
        text = layers.view.text[start_char:end_char]
        found = layers.memo[key] = scope.opens_other_story(text) or scope.is_embedded_post(text)
    return found  # type: ignore[no-any-return]


def _assign_scopes(claims: list[Claim], published: dt.date | None) -> None:
    """Each claim's scope (scope.scope_of) from what its sentence says, its time and places,
    the publication date, and whether it is the body's first killed figure (the one the
    report is about, never background by its date)."""
    first = next((c for c in claims if c.section == "body" and c.predicate == "killed" and not c.aside), None)
    for claim in claims:
        if claim.running_total and published is not None:
            _runs_to_publication(claim, published)
        # Period words are looked for only when the claim's time is long enough for them to count.
        claim.scope = scope.scope_of(claim.running_total, claim.background, claim.time, published,
                                     partial(scope.period_marked, claim.evidence_text),
                                     _spread(claim.locations), claim is first)


def _runs_to_publication(claim: Claim, published: dt.date) -> None:
    """A running total counts from its start up to the report: "killed in the war that began
    in 2011" is 2011-01-01 to publication, not the year 2011."""
    time = claim.time
    if time and time.get("start") and time.get("end") and str(time["end"]) < published.isoformat():
        claim.time = {**time, "end": published.isoformat()}


def _spread(locations: list[dict[str, str | None]]) -> bool:
    """Whether a figure is placed in several divisions or countries, or in a country only."""
    if not locations:
        return False
    divisions = {(loc.get("country"), loc.get("admin1")) for loc in locations}
    countries = {loc.get("country") for loc in locations}
    return len(countries) > 1 or len({d for d in divisions if d[1]}) > 1 or all(d[1] is None for d in divisions)
