"""Plain-Python views of a Doc's tokens and sentences, built once per Doc and shared.

Every ``for t in doc`` or ``doc[i]`` builds a Token object (about half a microsecond),
and ``doc.text`` / ``doc.sents`` rebuild their results from Token objects on every
access. The components each used to do that for themselves, several times per
token; here the token strings come out of one ``Doc.to_array`` call and a string
cache, and the other components read the lists. The views are kept in
``doc.user_data``: the tokens never change after tokenization, the sentence bounds
are stored by the component that sets the sentence starts, and each span layer's
Span objects by the component that finds them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import itemgetter, le
from typing import Any, Generic, TypeVar

from spacy.attrs import IDX, ORTH, SPACY
from spacy.tokens import Doc, Span

_VIEW = "pipeline.token_view"
_TEXT = "pipeline.text"
_SENTENCES = "pipeline.sentence_bounds"
_SPANS = "pipeline.spans"
_VALUES = "pipeline.span_values"

# Hash -> string for every token string seen in this process: a dict probe instead
# of a StringStore look-up per token. Bounded by the vocabulary, which spaCy keeps too.
_STRINGS: dict[int, str] = {}

_START = itemgetter(0)
_END = itemgetter(1)

T = TypeVar("T")
M = TypeVar("M", bound=tuple[Any, ...])


@dataclass(frozen=True)
class TokenView:
    """Per-token lists (index = token index) and the Doc's text."""

    texts: list[str]
    lowers: list[str]
    starts: list[int]  # Token.idx: character offset of each token
    text: str

    def end_char(self, i: int) -> int:
        """Character offset just past token i (``doc[i].idx + len(doc[i])``)."""
        return self.starts[i] + len(self.texts[i])

    @cached_property
    def spaces(self) -> list[str]:
        """Token.whitespace_ of each token: " " or "", made on first use (no finder reads it).

        spaCy's Doc keeps at most one space with a token (more make a whitespace token),
        and each token starts where the one before ends plus its space.
        """
        ends = [*self.starts[1:], len(self.text)]
        return [" " if end > start + len(text) else "" for start, end, text in zip(self.starts, ends, self.texts)]


def _strings(doc: Doc, hashes: list[int]) -> list[str]:
    try:
        return list(map(_STRINGS.__getitem__, hashes))
    except KeyError:  # strings this process has not seen yet: add them, then map
        store = doc.vocab.strings
        for key in set(hashes).difference(_STRINGS):
            _STRINGS[key] = store[key]
        return list(map(_STRINGS.__getitem__, hashes))


def token_view(doc: Doc) -> TokenView:
    """The Doc's token lists, computed on first use."""
    view = doc.user_data.get(_VIEW)
    if view is None:
        view = _build(doc)
        doc.user_data[_VIEW] = view
    return view  # type: ignore[no-any-return]


def _build(doc: Doc) -> TokenView:
    if not len(doc):
        return TokenView([], [], [], "")
    columns = doc.to_array([ORTH, IDX]).T.tolist()
    texts = _strings(doc, columns[0])
    # spaCy's LOWER is str.lower of the text (spacy.lang.lex_attrs.lower; a tokenizer
    # exception can set NORM, not LOWER): a memo of it costs less than another column
    # of 64-bit hashes to convert and look up (tests/test_extract_tokens.py compares).
    lowers = memo_map(_LOWERS, texts)
    text = doc.user_data.pop(_TEXT, None)
    if text is None:  # a Doc our tokenizer did not make: spelled from the tokens
        spaces = [" " if s else "" for s in doc.to_array(SPACY).tolist()]
        text = "".join(chain.from_iterable(zip(texts, spaces)))  # no string per token
    return TokenView(texts, lowers, columns[1], text)


def expand_to_tokens(view: TokenView, start_char: int, end_char: int) -> tuple[int, int] | None:
    """The token range of ``doc.char_span(start_char, end_char, alignment_mode="expand")``,
    or None where that gives None.

    char_span makes a Span and several Token objects, of which a finder reads two
    numbers. Here by bisection over the view's offsets, as spaCy's ``token_by_char``
    finds them: the tokens cover the text with no gap, each owning the space after it,
    and a start at the end of a token (on its space) moves to the next token.
    """
    starts, size = view.starts, len(view.text)
    if not 0 <= start_char < size or not 0 <= end_char - 1 < size:
        return None
    first = bisect_right(starts, start_char) - 1
    last = bisect_right(starts, end_char - 1) - 1
    if start_char == view.end_char(first):
        first += 1
    return first, last + 1


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep the string a Doc was tokenized from, for its token view's ``text``.

    The tokenizer's input spells the Doc character for character (spaCy's guarantee,
    checked by the bounded tokenizer when it splits chunks itself); joining the tokens
    again cost more than the rest of the view's strings.
    """
    doc.user_data[_TEXT] = text
    return doc


def set_sentence_bounds(doc: Doc, bounds: list[tuple[int, int]]) -> None:
    """Record the sentences (token start, end) the sentence component just set."""
    doc.user_data[_SENTENCES] = bounds


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token offsets of each sentence, in order, as ``doc.sents`` gives them."""
    bounds = doc.user_data.get(_SENTENCES)
    if bounds is None:
        bounds = [(s.start, s.end) for s in doc.sents]
        doc.user_data[_SENTENCES] = bounds
    return bounds  # type: ignore[no-any-return]


def set_spans(doc: Doc, layer: str, spans: list[Span]) -> None:
    """``doc.spans[layer] = spans``, keeping the Span objects for ``spans_of``.

    A SpanGroup stores span data, not the Span objects, and builds a new Span (two
    Token look-ups) each time it is iterated; the claim assembler iterates every
    group, so it reads the components' own lists instead.
    """
    doc.spans[layer] = spans
    doc.user_data.setdefault(_SPANS, {})[layer] = list(spans)


def set_span_values(doc: Doc, layer: str, values: list[object]) -> None:
    """``span._.<layer> = value`` for each span of the layer (as ``set_spans`` got them), in order.

    Through ``span._`` each assignment builds an Underscore object and computes the
    span's character offsets from Token objects, which cost twice the Span itself.
    spaCy keeps the value in ``doc.user_data`` under ``("._.", layer, start_char,
    end_char)`` (``Underscore._get_key``); the offsets come from the token view here.
    ``tests/test_extract_tokens.py`` checks that ``span._`` still reads these values.
    The values are also kept as a list: reading ``span._.count`` looks each one up
    again, and the count binder reads one per figure.
    """
    view = token_view(doc)
    user_data = doc.user_data
    for span, value in zip(spans_of(doc, layer), values, strict=True):
        user_data[("._.", layer, view.starts[span.start], view.end_char(span.end - 1))] = value
    user_data.setdefault(_VALUES, {})[layer] = list(values)


def span_values(doc: Doc, layer: str) -> list[object]:
    """The values recorded by ``set_span_values`` (else read through ``span._.<layer>``)."""
    recorded = doc.user_data.get(_VALUES, {}).get(layer)
    if recorded is not None:
        return recorded  # type: ignore[no-any-return]
    return [getattr(span._, layer) for span in spans_of(doc, layer)]


def spans_of(doc: Doc, layer: str) -> list[Span]:
    """The spans of a layer, in the group's order (empty if the layer is absent)."""
    recorded = doc.user_data.get(_SPANS, {}).get(layer)
    if recorded is not None:
        return recorded  # type: ignore[no-any-return]
    return list(doc.spans[layer]) if layer in doc.spans else []


class Memo(dict[str, T], Generic[T]):
    """A per-process memo of a test on token strings: ``memo[key]`` tests a new key once.

    The finders classify every token (can it start a count, a name, a sentence?);
    the answer depends only on the token's string. Looked up through ``map`` (see
    ``memo_map``), a key already met costs one dict probe done in C, and a new one
    one call of ``__missing__``: an article's first reading no longer rebuilds a set
    of its keys and maps them twice. It grows with the vocabulary, which spaCy's own
    string store does too.
    """

    __slots__ = ("test",)

    def __init__(self, test: Callable[[str], T]) -> None:
        super().__init__()
        self.test = test

    def __missing__(self, key: str) -> T:
        value = self[key] = self.test(key)
        return value


# Token text -> its lower case, per process (see _build).
_LOWERS: Memo[str] = Memo(str.lower)


def memo_map(memo: Memo[T], keys: list[str]) -> list[T]:
    """``[memo.test(k) for k in keys]``, each distinct key tested once per process."""
    return list(map(memo.__getitem__, keys))


def longest_first(matches: list[M]) -> list[M]:
    """spaCy's ``filter_spans`` on tuples (start, end, ...), sorted by start.

    The same choice (longest, then leftmost, then first in ``matches``, none
    overlapping), made before any Span exists, so that the finders build a Span only
    for the matches that survive, not for every candidate.
    """
    if len(matches) < 2:
        return list(matches)  # an empty or one-match layer: nothing to choose between
    by_start = sorted(matches, key=_START)
    # Each end against the next start, through map: no Python frame per pair.
    if all(map(le, map(_END, by_start), map(_START, by_start[1:]))):
        return by_start  # nothing overlaps: filter_spans keeps all, by start
    # Nearly half the layers hold an overlap, but most of their matches overlap
    # nothing: a match only competes with those it overlaps, directly or through a
    # chain, so the choice is made within each such cluster (start order, stable).
    # A cluster is by_start[first:k]; a match alone in its cluster (most) is kept as it is,
    # without a list or a call for it.
    kept: list[M] = []
    first = 0
    reach = by_start[0][1]  # the furthest end in the cluster
    for k in range(1, len(by_start)):
        start, end = by_start[k][0], by_start[k][1]
        if start < reach:
            if end > reach:
                reach = end
            continue
        if k - first == 1:
            kept.append(by_start[first])
        else:
            kept.extend(_choose(by_start[first:k]))
        first = k
        reach = end
    kept.extend(_choose(by_start[first:]))
    return kept


def _choose(cluster: list[M]) -> list[M]:
    """filter_spans' choice among overlapping matches sorted by start (stable)."""
    if len(cluster) == 1:
        return cluster
    if len(cluster) == 2:  # most clusters: the longer, else the first (leftmost or earlier)
        first, second = cluster
        return [second] if second[1] - second[0] > first[1] - first[0] else [first]
    # reverse=True keeps equal keys in their order: leftmost, then first in ``matches``.
    ordered = sorted(cluster, key=lambda m: (m[1] - m[0], -m[0]), reverse=True)
    kept: list[M] = []
    seen: set[int] = set()
    for match in ordered:
        start, end = match[0], match[1]
        if start not in seen and end - 1 not in seen:
            kept.append(match)
            seen.update(range(start, end))
    return sorted(kept, key=_START)
