"""Attribution: who says so ("a monitor said", "according to the Observatory").

The source text is the phrase next to a report verb; its full name comes from the
organizations of ``rules/sources.yaml``: named directly ("the Observatory"), or, for
a generic descriptor ("a monitor", "the London-based group"), the organization of
that kind the article names elsewhere. Pronouns take the previous source's name.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import TokenView, spans_of

PRONOUNS = frozenset("he she it they we".split())
PHRASE_STOPS = frozenset(', . ; : " “ ” ( ) — – that which who'.split())


def _stops(token_text: str) -> bool:
    return token_text in PHRASE_STOPS or "\n" in token_text
MAX_SOURCE_TOKENS = 10


@lru_cache(maxsize=1)
def generic_owners() -> dict[str, tuple[str, ...]]:
    """Generic descriptor (lower case) -> organizations it may stand for, in file order."""
    owners: dict[str, list[str]] = {}
    for name, spec in rules.load("sources")["organizations"].items():
        for phrase in spec.get("generic", []):
            owners.setdefault(" ".join(str(phrase).lower().split()), []).append(name)
    return {k: tuple(v) for k, v in owners.items()}


def named_organizations(doc: Doc) -> list[str]:
    """Organizations the article names, in order of first mention."""
    seen: list[str] = []
    for span in spans_of(doc, "source"):
        if span.label_.startswith("org:"):
            name = span.label_[4:]
            if name not in seen:
                seen.append(name)
    return seen


def _phrase_before(view: TokenView, verb: Span, floor: int) -> tuple[int, int]:
    texts = view.texts  # doc[k] builds a Token per access
    k = verb.start
    while k > floor and not _stops(texts[k - 1]) and verb.start - k < MAX_SOURCE_TOKENS:
        k -= 1
    return k, verb.start


def _phrase_after(view: TokenView, verb: Span, ceiling: int) -> tuple[int, int]:
    k = verb.end
    while k < ceiling and not _stops(view.texts[k]) and k - verb.end < MAX_SOURCE_TOKENS:
        if view.lowers[k] in ("on", "in", "at") and k > verb.end:
            break
        k += 1
    return verb.end, k


def _name_of(doc: Doc, layers: Layers, start: int, end: int, orgs: list[str], previous: str | None) -> str | None:
    labels = layers.within("source", start, end)
    for span in labels:
        if span.label_.startswith("org:"):
            return span.label_[4:]
    for span in labels:
        if span.label_.startswith("generic:"):
            owners = generic_owners().get(" ".join(layers.text(span).lower().split()), ())
            named = [o for o in orgs if o in owners]
            if named:
                return named[0]
    words = layers.view.lowers[start:end]
    if words and words[0] in PRONOUNS:
        return previous
    return None


def _attributions(layers: Layers, sentence: Span) -> list[tuple[int, int, int]]:
    """(report verb start, phrase start, phrase end) of each attribution in the sentence,
    found once per sentence: every claim of the sentence asks, each for its nearest."""
    key = ("attributions", sentence.start, sentence.end)
    found = layers.memo.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    view = layers.view
    texts, lowers = view.texts, view.lowers
    found = layers.memo[key] = []
    for verb in layers.within("report", sentence.start, sentence.end):
        if verb.label_ == "before":
            start, end = verb.end, _phrase_after(view, verb, sentence.end)[1]
        else:
            start, end = _phrase_before(view, verb, sentence.start)
            if start == end:
                start, end = _phrase_after(view, verb, sentence.end)
        # Token.is_space is str.isspace of the text (spacy.lang.lex_attrs.is_space).
        while start < end and (texts[start].isspace() or lowers[start] in ("and", "but", "as")):
            start += 1
        while end > start and texts[end - 1].isspace():
            end -= 1
        if start < end:
            found.append((verb.start, start, end))
    return found


def source_for(
    doc: Doc, layers: Layers, sentence: Span, anchor: int, orgs: list[str], previous: str | None
) -> dict[str, str | None] | None:
    """The attribution nearest to token ``anchor`` in ``sentence``, or None."""
    view = layers.view  # doc[start:end].text builds a Span and a Token per word
    best: tuple[int, int, int] | None = None
    for verb_start, start, end in _attributions(layers, sentence):
        distance = abs(verb_start - anchor)
        if best is None or distance < best[0]:
            best = (distance, start, end)
    if best is None:
        return None
    _, start, end = best
    text = view.text[view.starts[start] : view.end_char(end - 1)]
    return {"text": text, "name": _name_of(doc, layers, start, end, orgs, previous)}
