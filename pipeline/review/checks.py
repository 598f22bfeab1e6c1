"""What a reviewer should look at before trusting an article's figures.

The extractor's own coded warnings (``[W001]``…) are kept as written; this module adds
what is only visible across fields: a missing publication date, dropped boilerplate,
sub-counts that add up to more than their total, evidence offsets that do not match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.review.highlight import Span

# Qualifiers whose figure is a ceiling or a point: a total above them is impossible.
_HAS_UPPER = {"exact": "value", "approximately": "value", "at_most": "high", "less_than": "high", "range": "high"}


@dataclass(frozen=True)
class Note:
    """One line of the warnings box. ``level`` is ``warning`` or ``info``."""

    level: str
    text: str


def article_notes(record: dict[str, Any], spans: list[Span] | None = None) -> list[Note]:
    """Warnings first (coded ones as the extractor wrote them), then information."""
    article = record.get("article") or {}
    notes = [Note("warning", str(text)) for text in article.get("warnings") or []]
    coded = " ".join(str(text) for text in article.get("warnings") or [])
    if article.get("published") is None and "[W001]" not in coded:
        notes.append(Note("warning", "no publication date: relative dates are left unresolved"))
    for claim in record.get("claims") or []:
        excess = subcount_excess(claim)
        if excess is not None:
            notes.append(Note("warning", f"claim {claim.get('id')}: sub-counts add up to {excess[0]}, "
                                         f"more than the total {excess[1]} ({claim.get('count', {}).get('text')!s})"))
    claims = record.get("claims") or []
    for span in spans or []:
        if not span.exact:
            notes.append(Note("warning", f"claim {claims[span.index].get('id')}: evidence offsets do not match its quote"))
    dropped = article.get("dropped") or {}
    if dropped:
        listed = ", ".join(f"{kind} {count}" for kind, count in sorted(dropped.items()))
        notes.append(Note("info", f"cleaning dropped: {listed}"))
    return notes


def subcount_excess(claim: dict[str, Any]) -> tuple[int, int] | None:
    """``(sum of sub-counts, total)`` when the sub-counts' floors exceed the total's ceiling.

    "12 killed, including 15 children" cannot be right. A total with no ceiling
    ("at least 12", "dozens") cannot be exceeded, so it is never flagged.
    """
    count = claim.get("count") or {}
    key = _HAS_UPPER.get(str(count.get("qualifier")))
    total = count.get(key) if key else None
    if not isinstance(total, int):
        return None
    floors = [_floor(item.get("count") or {}) for item in claim.get("includes") or []]
    summed = sum(floor for floor in floors if floor is not None)
    return (summed, total) if summed > total else None


def _floor(count: dict[str, Any]) -> int | None:
    value = count.get("value")
    if isinstance(value, int):
        return value
    low = count.get("low")
    return low if isinstance(low, int) else None
