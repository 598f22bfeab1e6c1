"""What a sentence says around a claim: actor, cause, time, places and source.

Each finder looks in the claim's clause first (commas before "where", "which",
"while" and the like end a clause), then in the whole sentence. Targets are not
actors: an actor mention right after a target marker ("targeting", "fighting",
"strikes on") or before a target suffix ("-held", "positions") is skipped.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Span

from pipeline.claims.tokens import Layers
from pipeline.extract.lexicon import LAYERS  # noqa: F401  (documents the layers used here)
from pipeline.normalize.dates import resolve as resolve_time

CLAUSE_OPENERS = frozenset("where which while whereas although though but as after before when who whom".split())
REPORT_PREPOSITIONS = frozenset("on at in".split())
# Words after which a date is when a document appeared, not when people died.
PUBLICATION_WORDS = frozenset("released published dated issued".split())


def clause_bounds(doc: Doc, sentence: Span, anchor: int) -> tuple[int, int]:
    """Token range of the clause around ``anchor`` inside ``sentence``."""
    start = sentence.start
    for k in range(anchor - 1, sentence.start, -1):
        if doc[k].text in (";", "—", "–") or (doc[k].text == "," and doc[k + 1].lower_ in CLAUSE_OPENERS):
            start = k + 1
            break
    end = sentence.end
    for k in range(anchor + 1, sentence.end):
        if doc[k].text in (";", "—", "–") or (
            doc[k].text == "," and k + 1 < sentence.end and doc[k + 1].lower_ in CLAUSE_OPENERS
        ):
            end = k
            break
    return start, end


def is_target(doc: Doc, layers: Layers, span: Span) -> bool:
    """True when an actor mention names who was attacked, not who attacked."""
    before = span.start - 1
    if before >= 0 and doc[before].lower_ == "the":
        before -= 1
    if before >= 0 and doc[before].lower_ == "by":
        return False
    for k in range(max(0, span.start - 3), span.start):
        marker = layers.over("target_marker", k)
        if marker is not None and marker.end >= span.start - 2:
            return True
    after = span.end + 1 if span.end < len(doc) and doc[span.end].text in ("-", "–") else span.end
    if layers.at("target_suffix", after) is not None:
        return True
    # "IS-held": the tokenizer keeps "-held" attached or splits it; both are suffixes.
    return span.end < len(doc) and doc[span.end].text.lower().startswith(("-held", "-controlled", "-besieged"))


def _negated_compound(doc: Doc, span: Span) -> bool:
    """ "anti-government protests" names no government forces."""
    return span.start >= 2 and doc[span.start - 1].text == "-" and doc[span.start - 2].lower_ in ("anti", "non")


def actor_for(doc: Doc, layers: Layers, start: int, end: int, anchor: int) -> Span | None:
    """The perpetrator mentioned in tokens [start, end), nearest to ``anchor``.

    "by X" wins outright; otherwise the nearest non-target mention, preferring one
    before the anchor (the subject of "X killed ...").
    """
    candidates = [
        s
        for s in doc.spans["actor"]
        if start <= s.start and s.end <= end and not is_target(doc, layers, s) and not _negated_compound(doc, s)
    ]
    if not candidates:
        return None
    for span in candidates:
        k = span.start - 1
        if k >= 0 and doc[k].lower_ == "the":
            k -= 1
        if k >= 0 and doc[k].lower_ == "by":
            return span
    return min(candidates, key=lambda s: (abs(s.start - anchor) + (0 if s.start < anchor else 3), s.start))


def cause_for(doc: Doc, start: int, end: int, anchor: int) -> Span | None:
    """The cause mentioned in tokens [start, end), nearest to ``anchor``."""
    candidates = [s for s in doc.spans["cause"] if start <= s.start and s.end <= end]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (abs(s.start - anchor), s.start))


def time_for(
    doc: Doc, layers: Layers, start: int, end: int, anchor: int, published: dt.date | None
) -> tuple[Span, dict[str, str | None]] | None:
    """The time expression of the claim in tokens [start, end), resolved.

    A time right after a report verb ("said on Friday") dates the statement, not
    the deaths, and is skipped.
    """
    best: tuple[int, Span, dict[str, str | None]] | None = None
    for span in doc.spans["time"]:
        if not (start <= span.start and span.end <= end):
            continue
        k = span.start - 1
        while k >= 0 and doc[k].lower_ in REPORT_PREPOSITIONS:
            k -= 1
        if k >= 0 and (layers.over("report", k) is not None or doc[k].lower_ in PUBLICATION_WORDS):
            continue
        interval = resolve_time(span._.time, published)
        value = {
            "text": span.text,
            "start": interval.start.isoformat() if interval else None,
            "end": interval.end.isoformat() if interval else None,
        }
        distance = abs(span.start - anchor)
        if best is None or distance < best[0]:
            best = (distance, span, value)
    return (best[1], best[2]) if best else None
