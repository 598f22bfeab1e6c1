"""Every claim a complete record: what its own sentence leaves out, taken from the report.

Why: a figure rarely stands alone in its sentence ("Nine children were among the dead";
"Another 20 were wounded"; the headline's toll), yet an analyst's table needs each row
placed, dated and sourced. A claim takes what its sentence does not say from, in order:

1. the claim it continues ("Another 250 civilians ...", done at extraction) or the one
   its sentence points back to ("... were among the dead", scope.yaml ``back_references``);
2. the main incident, when the claim tells it (the main claim, its parts and breakdown,
   the claims of their sentences, the title's and the lead's outside side stories): its
   place, time, actor, cause and source; a figure of it placed in the country only ("in
   eastern Syria") takes the incident's place in that country as well;
3. the report: for any other figure of one event, the incident's place (the article's
   country only for a side story) and the report's day (the incident's day, else the day
   the lead's statement was made, else the publication date, whose text then is the date
   itself: the dateline's), and the incident's source (who reports the event reports its
   other figures, unless their sentence names someone; not a running total's).

A background figure or a running total of the whole war takes nothing from the main
incident: its place and time are another event's or the war's; it is placed in the
report's country only, when its sentence names no place. A running
total of the report's own event ("since Saturday at least 68 civilians have been killed in
attacks on the town", "the death toll has reached 330") is placed and attributed as the
event is, but keeps its own time. A period total that does not tell the
main incident ("5,812 civilians over the past year") is placed in the country only. Each field taken is named in
``inherited``; what the sentence says is never replaced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.claims import scope
from pipeline.claims.model import STATES, Claim
from pipeline.incident import IncidentFacts
from pipeline.normalize.places import country_place

FIELDS = ("locations", "time", "actor", "cause", "source")
# Whether an undated figure of one event, when the report gives no day for it at all, is
# dated by the publication date (the dateline), as the issue asks ("takes them from ... the
# dateline"). The claim gold of tests/claim_gold reads such figures as undated (null): on it
# time agreement is 0.705 with this and 0.775 without (README, Benchmarks).
DATELINE_DAY = True


def complete_records(claims: list[Claim], facts: IncidentFacts, published: dt.date | None) -> None:
    """Fill, in place, what each claim's sentence leaves out (see the module docstring)."""
    members = {id(c) for c in facts.members}
    day, stood_in = _report_day(facts, published)
    previous: list[Claim] = []  # the body claims of the last sentence before the current one
    current: list[Claim] = []  # the body claims of the current sentence so far
    refers: dict[int, bool] = {}  # by sentence start: whether it points back
    for claim in claims:
        if claim.section == "body" and current and current[0].evidence_start != claim.evidence_start:
            previous, current = current, []
        parent = _referred_to(claim, previous, refers)
        if claim.section == "body":
            current.append(claim)
        if parent is not None:
            for name in FIELDS:
                if _take(claim, name, getattr(parent, name)) and name == "time":
                    claim.day_stands_in = parent.day_stands_in
        if claim.scope == "background" or claim.war_total:
            # Another event or the whole war: nothing from the incident, the report's country only.
            _take(claim, "locations", _report_country(facts))
            continue
        if id(claim) in members:
            _take(claim, "locations", [facts.location] if facts.location else [])
            _narrow(claim, facts.location)
            if claim.scope == "incident":
                if facts.time:
                    _take(claim, "time", facts.time)
                elif _take(claim, "time", day):
                    claim.day_stands_in = stood_in
            _take(claim, "actor", facts.actor)
            _take(claim, "cause", facts.cause)
            _take(claim, "source", facts.source)
            continue
        if claim.aside or claim.scope == "period_total":
            # A side story, or a period's statistics ("5,812 civilians over the past year"),
            # happened elsewhere or across the report's places: its country only.
            _take(claim, "locations", _report_country(facts))
        else:
            _take(claim, "locations", [facts.location] if facts.location else [])
        if claim.scope == "incident":
            if _take(claim, "time", day):
                claim.day_stands_in = stood_in
        # Who reports the event reports its other figures too, unless their sentence names
        # someone else ("Another seven people were killed in raids on the next town").
        if claim.scope != "cumulative" and claim.predicate not in STATES:
            _take(claim, "source", facts.source)


def _take(claim: Claim, name: str, value: Any) -> bool:
    """Set a field the claim's sentence left empty, and say so in ``inherited``; whether it did."""
    if not value or getattr(claim, name):
        return False
    if name == "time" and claim.predicate in STATES:
        return False  # "300,000 people are trapped": a standing state, not an event of the day
    if name == "locations":
        value = [dict(location) for location in value]
    elif isinstance(value, dict):
        value = dict(value)
    setattr(claim, name, value)
    if name not in claim.inherited:
        claim.inherited.append(name)
    return True


def _narrow(claim: Claim, location: dict[str, str | None] | None) -> None:
    """A figure of the incident placed in its country only ("in eastern Syria") takes the
    incident's place in that country too: the country does not contradict it, and a
    division is what a map needs. A period total keeps its country (it may span several)."""
    if location is None or not location.get("admin1") or claim.scope != "incident" or not claim.locations:
        return
    if all(loc.get("admin1") is None and loc.get("country") == location["country"] for loc in claim.locations):
        claim.locations.append(dict(location))
        if "locations" not in claim.inherited:
            claim.inherited.append("locations")


def _referred_to(claim: Claim, previous: list[Claim], refers: dict[int, bool]) -> Claim | None:
    """The claim of the previous sentence with figures (``previous``), when the claim's
    sentence points back to it ("Nine children were among the dead") and opens no other
    story: the one of the same predicate, else the first."""
    if claim.section != "body" or claim.aside or not previous:
        return None
    points_back = refers.get(claim.evidence_start)
    if points_back is None:
        points_back = refers[claim.evidence_start] = scope.refers_back(claim.evidence_text)
    if not points_back:
        return None
    return next((c for c in previous if c.predicate == claim.predicate), previous[0])


def _report_day(facts: IncidentFacts, published: dt.date | None) -> tuple[dict[str, str | None] | None, bool]:
    """The report's day as a claim time, and whether it only stands in for a day the text
    does not give: the incident's day when the text dates it (with those words), else the
    day of the lead's statement ("sources said Friday"), else the publication date (whose
    text is the date); the last two stand in."""
    time = facts.time
    if time and time.get("start") and time.get("start") == time.get("end") == facts.date:
        return dict(time), False
    if facts.statement is not None:
        return dict(facts.statement), True
    if published is None or not DATELINE_DAY:
        return None, False
    day = published.isoformat()
    return {"text": day, "start": day, "end": day}, True


def _report_country(facts: IncidentFacts) -> list[dict[str, str | None]]:
    """The report's country as a claim's only place (empty when the report names none)."""
    country = facts.location["country"] if facts.location else facts.country
    return [_country_location(facts, country)] if country else []


def _country_location(facts: IncidentFacts, country: str) -> dict[str, str | None]:
    """A country-level place: the article's country, with the words of the incident's place
    when it is that country's."""
    location = facts.location
    if location and location["country"] == country and location.get("admin1") is None:
        return dict(location)
    place = country_place(country)
    return {"text": place.name, "name": place.name, "admin1": None, "admin1_code": None, "country": country}
