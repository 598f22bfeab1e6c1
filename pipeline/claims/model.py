"""The claim record and its JSON form (fixed key order, integers only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.claims.precision import date_precision, where_precision
from pipeline.normalize.numbers import CountValue

# Predicates that state a standing situation, not a day's event: a besieged population is
# trapped before and after the report's day, so it takes no day from the report (its own
# sentence may still date it: "since March").
STATES = frozenset(("trapped",))


@dataclass
class Count:
    """A count as written and as normalized."""

    text: str
    value: CountValue

    def to_json(self) -> dict[str, Any]:
        """Key order: text, value, low, high, qualifier."""
        return {
            "text": self.text,
            "value": self.value.value,
            "low": self.value.low,
            "high": self.value.high,
            "qualifier": self.value.qualifier,
        }


@dataclass(slots=True)
class Claim:
    """One reported figure with everything said about it in its sentence, completed from
    the report around it (``inherited`` names what came from elsewhere). Slots: an article
    makes dozens and each constructor call stores 28 fields."""

    section: str
    predicate: str
    count: Count
    group: str
    group_text: str | None
    rule: str
    evidence_start: int
    evidence_end: int
    evidence_text: str
    count_start: int
    count_end: int
    token_start: int = 0
    token_end: int = 0
    trigger_start: int = 0
    includes: list[tuple[str, Count]] = field(default_factory=list)
    actor: dict[str, str] | None = None
    cause: dict[str, str] | None = None
    locations: list[dict[str, str | None]] = field(default_factory=list)
    time: dict[str, str | None] | None = None
    source: dict[str, str | None] | None = None
    inherited: list[str] = field(default_factory=list)
    cumulative: bool = False
    scope: str = "incident"
    status: str = "reported"
    continuation: bool = False
    # Not written out: the claim's sentence tells another story than the main one (a side
    # story, an embedded post), so the main incident never takes its toll, place or actor;
    # its deaths are told as the background of another event ("protesting attacks that had
    # killed nine": pipeline/claims/background.py and scope.py), which makes its scope
    # background; what else its sentence says of its scope (pipeline/claims/scope.py); and
    # whether it is the report's own toll told as risen ("bringing the death toll from the
    # bombing to 30"), which may stand for the main incident though it is a running total.
    aside: bool = False
    background: bool = False
    running_total: bool = False
    toll_update: bool = False
    war_total: bool = False  # a running total over the whole war ("killed since 2011")
    # Its time is the report's day standing in for a day the text does not give (the
    # publication date, the day of a statement): written with date_precision "none".
    day_stands_in: bool = False
    id: str = ""
    # The evidence written out when the sentence is too long to repeat (claims/evidence.py):
    # (start, end) of a window around the figure; the evidence_* fields keep the sentence.
    window: tuple[int, int] | None = None
    window_text: str = ""

    @property
    def quote(self) -> str:
        """The evidence text written out: the window's, else the sentence's."""
        return self.evidence_text if self.window is None else self.window_text

    def to_json(self) -> dict[str, Any]:
        """The claim as written to outputs/, keys in schema order."""
        return {
            "id": self.id,
            "section": self.section,
            "predicate": self.predicate,
            "count": self.count.to_json(),
            "group": self.group,
            "group_text": self.group_text,
            "includes": [{"group": g, "count": c.to_json()} for g, c in self.includes],
            "actor": self.actor,
            "cause": self.cause,
            "locations": self.locations,
            "where_precision": where_precision(self.locations),
            "time": self.time,
            "date_precision": "none" if self.day_stands_in else date_precision(self.time),
            "source": self.source,
            "cumulative": self.cumulative,
            "scope": self.scope,
            "status": self.status,
            "inherited": self.inherited,
            "evidence": self._evidence(),
            "rule": self.rule,
        }

    def _evidence(self) -> dict[str, Any]:
        """The sentence, or the window around the figure (with ``"window": true``)."""
        if self.window is None:
            return {"text": self.evidence_text, "start": self.evidence_start, "end": self.evidence_end}
        return {"text": self.window_text, "start": self.window[0], "end": self.window[1], "window": True}
