"""Token-level views of a Doc's span layers, for the claim assembler's scans."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import le
from typing import Any

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.extract.tokens import Memo, TokenView, sentence_bounds, spans_of, token_view


@dataclass
class Layers:
    """For each layer: the span starting at a token, and the span covering a token.

    ``view`` is the Doc's token view, held here because the claim helpers read it
    dozens of times per claim and ``token_view`` fetches it through ``doc.user_data``.
    """

    doc: Doc
    view: TokenView
    starts: dict[str, dict[int, Span]] = field(init=False)
    covers: dict[str, dict[int, Span]] = field(init=False)

    sentence_bounds: list[tuple[int, int]] = field(default_factory=list)
    sentences: dict[int, Span] = field(default_factory=dict)  # by start token, made on first use
    sorted_layers: dict[str, tuple[list[Span], list[int], list[int], bool]] = field(default_factory=dict)
    # Per-sentence results that several claims of one sentence share.
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # Predicate rules of each trigger span by direction, by (start, end, label).
    trigger_memo: dict[tuple[int, int, int], dict[str, dict[str, object]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The maps of each layer, built on first use by a Memo (see starts_of and covers_of). The
        # scans ask for them some 180 times an article: through the dicts' own look-up
        # (C, no Python frame) once built. The maps hold the Doc, not these Layers: no
        # reference cycle keeps the Doc from being freed with them.
        self.starts, self.covers = Memo(partial(_start_map, self.doc)), Memo(partial(_cover_map, self.doc))
        self.starts_of = self.starts.__getitem__  # type: ignore[method-assign]
        self.covers_of = self.covers.__getitem__  # type: ignore[method-assign]

    @classmethod
    def of(cls, doc: Doc) -> "Layers":
        """Index each token's sentence (span layers are indexed on first use).

        ``Span.sent`` walks the whole sentence on every call, which is quadratic on
        a text with one huge "sentence" (a page of bare numbers); the index is linear.
        """
        layers = cls(doc, token_view(doc))
        for start, end in sentence_bounds(doc):
            layers.sentence_bounds.extend([(start, end)] * (end - start))
        return layers

    def sentence(self, i: int) -> Span:
        """The sentence holding token i (one Span per sentence, reused)."""
        start, end = self.sentence_bounds[i]
        found = self.sentences.get(start)
        if found is None:
            # Span() directly: doc[start:end] first normalizes the slice in Python.
            found = self.sentences[start] = Span(self.doc, start, end)
        return found

    def within(self, layer: str, start: int, end: int) -> list[Span]:
        """Spans of ``layer`` lying inside tokens [start, end), in order.

        A bisection over the sorted starts: scanning the whole layer for every
        claim is quadratic on texts with thousands of figures.
        """
        spans, starts, ends, nested = self.sorted_layers.get(layer) or self._sorted(layer)
        lo = bisect_left(starts, start)
        hi = bisect_left(starts, end)
        if not nested:
            # The ends ascend with the starts: the spans ending by ``end`` are a prefix.
            return spans[lo : bisect_right(ends, end, lo, hi)]
        return [spans[k] for k in range(lo, hi) if ends[k] <= end]

    def _sorted(self, layer: str) -> tuple[list[Span], list[int], list[int], bool]:
        """A layer's spans by (start, end), with their starts and ends as plain ints, and
        whether an end ever decreases (a span inside an earlier one).

        The finders mostly list their spans in that order already: then no sort (and no
        key call per span) is needed, as a stable sort would keep the order as it is.
        """
        cached = self.sorted_layers.get(layer)
        if cached is None:
            spans = spans_of(self.doc, layer)
            starts, ends = [s.start for s in spans], [s.end for s in spans]
            keys = list(zip(starts, ends))
            if not all(map(le, keys, keys[1:])):
                spans = sorted(spans, key=lambda s: (s.start, s.end))
                starts, ends = [s.start for s in spans], [s.end for s in spans]
            nested = not all(map(le, ends, ends[1:]))
            cached = self.sorted_layers[layer] = (spans, starts, ends, nested)
        return cached

    def starts_of(self, layer: str) -> dict[int, Span]:
        """Token -> the span of ``layer`` starting there. The scans of the assembler take
        the map once and probe it per token: a method call per token costs more than
        the look-up itself. (``__post_init__`` puts the map's own look-up in its place.)"""
        return self.starts[layer]

    def covers_of(self, layer: str) -> dict[int, Span]:
        """Token -> the span of ``layer`` covering it (see ``starts_of``)."""
        return self.covers[layer]

    def text(self, span: Span) -> str:
        """``span.text``, sliced from the Doc's text: Span.text joins one Token object per token."""
        return self.view.text[span.start_char : span.end_char]

    def at(self, layer: str, i: int) -> Span | None:
        """The span of ``layer`` starting at token i."""
        return self.starts_of(layer).get(i)

    def over(self, layer: str, i: int) -> Span | None:
        """The span of ``layer`` covering token i."""
        return self.covers_of(layer).get(i)

    def trigger_rule(self, span: Span, direction: str) -> dict[str, object] | None:
        """``trigger_rule`` of a trigger span, its rules read once per Doc: their key joins
        the norms of the span's Tokens, and the binder asks about the same trigger for
        every count near it."""
        key = (span.start, span.end, span.label)
        found = self.trigger_memo.get(key)
        if found is None:
            found = {}
            for rule in trigger_rules(span):
                found.setdefault(str(rule["direction"]), rule)  # the first rule of a direction wins
            self.trigger_memo[key] = found
        return found.get(direction)


def _start_map(doc: Doc, layer: str) -> dict[int, Span]:
    """Token -> the span of ``layer`` starting there.

    Built apart from the cover map: several layers (reports, places, causes) are only
    ever read through ``within``, and most of the others through one kind of look-up
    only. Reversed, so that the first span listed wins.
    """
    return {span.start: span for span in reversed(spans_of(doc, layer))}


def _cover_map(doc: Doc, layer: str) -> dict[int, Span]:
    """Token -> the span of ``layer`` covering it (reversed: the first span listed wins)."""
    found: dict[int, Span] = {}
    for span in reversed(spans_of(doc, layer)):
        start, end = span.start, span.end
        if end - start == 1:  # most spans are one word: no range to make
            found[start] = span
        else:
            for i in range(start, end):
                found[i] = span
    return found


@lru_cache(maxsize=1)
def trigger_specs() -> dict[str, dict[str, object]]:
    """Predicate rules by id: predicate, direction, max_scope."""
    return {r["id"]: r for r in rules.load("predicates")["rules"]}


@lru_cache(maxsize=1)
def not_people() -> frozenset[str]:
    """Nouns after a number that show it is not a head count."""
    return frozenset(w.lower() for w in rules.load("counts")["not_people"])


@lru_cache(maxsize=1)
def _phrase_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for rule in rules.load("predicates")["rules"]:
        for phrase in rule["phrases"]:
            index.setdefault(" ".join(str(phrase).lower().split()), []).append(rule["id"])
    return {k: tuple(v) for k, v in index.items()}


def trigger_rules(span: Span) -> list[dict[str, object]]:
    """Every predicate rule whose phrases include this trigger span's text.

    One word can be a forward and a backward trigger ("killed 4" / "4 killed"),
    so the assembler asks for the direction it needs.
    """
    key = " ".join(t.norm_ for t in span)
    ids = _phrase_index().get(key) or (span.label_,)
    specs = trigger_specs()
    return [specs[i] for i in ids if i in specs]


def trigger_rule(span: Span, direction: str) -> dict[str, object] | None:
    """The rule of this trigger that reaches in ``direction``, if any."""
    return next((r for r in trigger_rules(span) if r["direction"] == direction), None)
