"""Cut an article's text into flat segments so overlapping evidence can be highlighted.

Several claims often share one sentence, and a title claim's span can cover others.
Nested ``<mark>`` elements would need spans that nest properly; instead the text is cut
at every span boundary, and each piece records which claims cover it and whether it is
part of a count as written. Every piece is then one flat element, whatever the overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Span:
    """A claim's evidence in the text, with its count's position when it can be found."""

    index: int
    start: int
    end: int
    count_start: int | None
    count_end: int | None
    exact: bool


@dataclass(frozen=True)
class Segment:
    """``text[start:end]``, covered by ``claims`` (indices); ``starts`` begin here;
    ``count_of`` is the claim whose count as written covers it, if any."""

    start: int
    end: int
    claims: tuple[int, ...]
    starts: tuple[int, ...]
    count_of: int | None


def claim_spans(text: str, claims: list[dict[str, Any]]) -> list[Span]:
    """Evidence spans clipped to the text. ``exact`` is False when the offsets do not
    reproduce the quoted sentence (an output edited by hand, or a bug worth seeing)."""
    spans = []
    for index, claim in enumerate(claims):
        evidence = claim.get("evidence") or {}
        start = _clip(evidence.get("start"), len(text))
        end = max(start, _clip(evidence.get("end"), len(text)))
        exact = text[start:end] == evidence.get("text")
        count_text = str((claim.get("count") or {}).get("text") or "")
        found = text.find(count_text, start, end) if count_text else -1
        if found < 0:
            spans.append(Span(index, start, end, None, None, exact))
        else:
            spans.append(Span(index, start, end, found, found + len(count_text), exact))
    return spans


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """The whole text as consecutive segments, split at every evidence and count boundary."""
    cuts = {0, len(text)}
    for span in spans:
        cuts.update((span.start, span.end))
        if span.count_start is not None and span.count_end is not None:
            cuts.update((span.count_start, span.count_end))
    ordered = sorted(cuts)
    result = []
    for start, end in zip(ordered, ordered[1:] + [None], strict=True):
        starting = tuple(s.index for s in spans if s.start == start)
        if end is None:
            # Claims whose evidence is empty at the very end still need their anchor.
            if starting:
                result.append(Segment(start, start, (), starting, None))
            break
        covering = tuple(s.index for s in spans if s.start <= start and end <= s.end)
        count_of = next((s.index for s in spans if s.count_start is not None and s.count_end is not None
                         and s.count_start <= start and end <= s.count_end), None)
        result.append(Segment(start, end, covering, starting, count_of))
    return result


def innermost(covering: tuple[int, ...], spans: list[Span]) -> int:
    """The claim whose span is shortest (first in document order on ties): its colour wins."""
    by_index = {span.index: span for span in spans}
    return min(covering, key=lambda i: (by_index[i].end - by_index[i].start, i))


def _clip(value: Any, length: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        return 0
    return min(max(value, 0), length)
