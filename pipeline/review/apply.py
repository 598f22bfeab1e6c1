"""Corrections applied on top of the extracted claims, and scored against them.

Each correction is matched to at most one claim of its article, in three passes, so a verdict
outlives rule changes: by claim id (the id survives offsets that move); else by quote (the same
evidence sentence and the same count as written, when the id changed for another reason); else
as ``moved`` (the sentence was cut differently, one quote holding the other, or the count as
written grew or shrank around the same figure: "529 and 744" → "between 529 and 744"). A
correction that matches no claim is ``stale``. A ``missed`` figure is ``found`` once some claim
of the same predicate carries it in the same sentence.

Scoring (``python -m pipeline review --score``, part of ``make eval``) reads the corrections as
a test set: the rules are right on a claim judged ``correct`` while its values are still those
the reviewer saw (``was``), on a ``corrected`` one once every corrected field has the
reviewer's value, on a ``wrong`` one once it is no longer extracted, on a ``missed`` one once
it is found.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.review.corrections import (
    FIELDS,
    PLACE_KEYS,
    Correction,
    agrees,
    claim_values,
    collapse,
    parse_count,
    parse_time,
)
from pipeline.review.load import Record


@dataclass(frozen=True)
class Match:
    """A correction and the claim it now applies to (``index`` into the article's claims, or None)."""

    correction: Correction
    index: int | None
    how: str  # "id", "quote", "moved", "found" (a missed figure now extracted) or "" (none)


@dataclass
class ArticleReview:
    """What the corrections say about one article's claims."""

    by_claim: dict[int, Match] = field(default_factory=dict)
    stale: list[Correction] = field(default_factory=list)  # match no claim
    missed: list[Match] = field(default_factory=list)  # figures the rules missed, found or not


def match_article(corrections: list[Correction], claims: list[Mapping[str, Any]]) -> list[Match]:
    """Each correction with its claim, in the corrections' order (see the module docstring)."""
    ids = {str(claim.get("id")): index for index, claim in enumerate(claims)}
    quotes = [collapse((claim.get("evidence") or {}).get("text")) for claim in claims]
    counts = [collapse((claim.get("count") or {}).get("text")) for claim in claims]
    taken: set[int] = set()
    found: dict[int, Match] = {}
    judged = [(n, c) for n, c in enumerate(corrections) if c.verdict != "missed"]
    for number, correction in judged:
        index = ids.get(str(correction.claim))
        if index is not None and index not in taken:
            taken.add(index)
            found[number] = Match(correction, index, "id")
    for how, test in (("quote", _same_quote), ("moved", _moved)):
        for number, correction in judged:
            if number in found:
                continue
            for index in range(len(claims)):
                if index in taken or not test(correction, quotes[index], counts[index]):
                    continue
                if how == "moved" and not _same_predicate(correction, claims[index]):
                    continue
                taken.add(index)
                found[number] = Match(correction, index, how)
                break
    for number, correction in enumerate(corrections):
        if correction.verdict != "missed":
            continue
        index = next((i for i in range(len(claims))
                      if _moved(correction, quotes[i], counts[i]) and _same_predicate(correction, claims[i])), None)
        found[number] = Match(correction, index, "found" if index is not None else "")
    return [found.get(number, Match(correction, None, "")) for number, correction in enumerate(corrections)]


def _same_quote(correction: Correction, quote: str, count: str) -> bool:
    return quote == correction.quote and count == correction.count_text


def _moved(correction: Correction, quote: str, count: str) -> bool:
    if not quote or not count:
        return False
    quotes_meet = quote in correction.quote or correction.quote in quote
    counts_meet = count in correction.count_text or correction.count_text in count
    return quotes_meet and counts_meet


def _same_predicate(correction: Correction, claim: Mapping[str, Any]) -> bool:
    wanted = {correction.predicate, correction.fields.get("predicate")} - {None}
    return not wanted or claim.get("predicate") in wanted


def review_records(records: Mapping[str, Record], corrections: Mapping[str, list[Correction]]) -> dict[str, ArticleReview]:
    """Reviews keyed like ``records`` (output keys), for the articles that have corrections.

    Corrections are keyed by ``article.file``; an article whose output is gone keeps its
    corrections out of every review (``unmatched_articles`` names them)."""
    by_file = {str((record.get("article") or {}).get("file") or key): key for key, record in records.items()}
    reviews: dict[str, ArticleReview] = {}
    for article, entries in corrections.items():
        key = by_file.get(article)
        if key is None:
            continue
        review = ArticleReview()
        for match in match_article(entries, list(records[key].get("claims") or [])):
            if match.correction.verdict == "missed":
                review.missed.append(match)
            elif match.index is None:
                review.stale.append(match.correction)
            else:
                review.by_claim[match.index] = match
        reviews[key] = review
    return reviews


def unmatched_articles(records: Mapping[str, Record], corrections: Mapping[str, list[Correction]]) -> list[str]:
    """Articles with corrections but no output (renamed or removed from the corpus)."""
    files = {str((record.get("article") or {}).get("file") or key) for key, record in records.items()}
    return sorted(article for article in corrections if article not in files)


def corrected_claim(claim: Mapping[str, Any], correction: Correction) -> dict[str, Any]:
    """A copy of ``claim`` with the reviewer's values in its JSON shape (what ``export`` writes).

    The texts as written (count text, actor and cause text, time text) stay; the values change.
    """
    result = copy.deepcopy(dict(claim))
    if correction.verdict != "corrected":
        return result
    values = correction.fields
    if "predicate" in values:
        result["predicate"] = values["predicate"]
    if "count" in values and values["count"] is not None:
        low, high = parse_count(values["count"])
        text = (result.get("count") or {}).get("text")
        result["count"] = {"text": text, **_count_slots(low, high)}
    if "group" in values:
        result["group"] = values["group"]
    for name in ("actor", "cause"):
        if name in values:
            old = result.get(name) if isinstance(result.get(name), Mapping) else {}
            result[name] = None if values[name] is None else {"text": (old or {}).get("text"), "id": values[name]}
    if "place" in values:
        result["locations"] = _corrected_places(result.get("locations") or [], values["place"])
    if "time" in values:
        interval = parse_time(values["time"])
        old_time = result.get("time") if isinstance(result.get("time"), Mapping) else {}
        result["time"] = None if interval is None else {"text": (old_time or {}).get("text"),
                                                       "start": interval[0], "end": interval[1]}
    _recode_precision(result, values)
    return result


def _recode_precision(claim: dict[str, Any], values: Mapping[str, Any]) -> None:
    """The claim's precision codes follow a corrected place or time (outputs that carry them).

    Imported here: the place code reads the gazetteer, which only a corrected place needs."""
    if "time" in values and "date_precision" in claim:
        from pipeline.claims.precision import date_precision  # noqa: PLC0415

        claim["date_precision"] = date_precision(claim.get("time"))
    if "place" in values and "where_precision" in claim:
        from pipeline.claims.precision import where_precision  # noqa: PLC0415

        claim["where_precision"] = where_precision(
            [place for place in claim.get("locations") or [] if isinstance(place, Mapping)])


def _count_slots(low: int | None, high: int | None) -> dict[str, Any]:
    if low is not None and low == high:
        return {"value": low, "low": low, "high": high, "qualifier": "exact"}
    if low is not None and high is not None:
        return {"value": None, "low": low, "high": high, "qualifier": "range"}
    if low is not None:
        return {"value": None, "low": low, "high": None, "qualifier": "at_least"}
    return {"value": None, "low": None, "high": high, "qualifier": "at_most"}


def _corrected_places(places: list[Any], place: Mapping[str, Any] | None) -> list[Any]:
    if place is None:
        return []
    first = dict(places[0]) if places and isinstance(places[0], Mapping) else {"text": None}
    given = {key: place[key] for key in PLACE_KEYS if key in place}
    if "name" in given and given["name"] != first.get("name"):
        # Another place: its division and country are the reviewer's, or unknown.
        first = {"text": first.get("text"), "name": given["name"], "admin1": None, "country": None}
    first.update(given)
    return [first, *places[1:]]


def changes(claim: Mapping[str, Any], correction: Correction) -> list[tuple[str, Any, Any]]:
    """``(field, extracted, corrected)`` for each corrected field whose value differs."""
    current = claim_values(claim)
    return [(name, current[name], correction.fields[name]) for name in FIELDS
            if name in correction.fields and not agrees(name, correction.fields[name], current[name])]


# --- the corrections as a test set ---------------------------------------------------------------


@dataclass
class Score:
    """Corrections read as a test set against the current outputs."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # verdict -> outcome -> n
    stale: list[Correction] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # articles with corrections and no output
    regressions: list[tuple[Correction, list[str]]] = field(default_factory=list)

    def add(self, verdict: str, outcome: str) -> None:
        self.counts.setdefault(verdict, {}).setdefault(outcome, 0)
        self.counts[verdict][outcome] += 1

    @property
    def right(self) -> int:
        return sum(self.counts.get(verdict, {}).get(outcome, 0) for verdict, outcome in RIGHT)

    @property
    def judged(self) -> int:
        return sum(sum(outcomes.values()) for outcomes in self.counts.values())


# The outcome that means "the rules get this claim right now", per verdict.
RIGHT = (("correct", "rules agree"), ("corrected", "now right"), ("wrong", "no longer extracted"),
         ("missed", "now found"))


def score(records: Mapping[str, Record], corrections: Mapping[str, list[Correction]]) -> Score:
    """How many reviewed claims the current rules get right, and which corrections are stale."""
    result = Score(unmatched=unmatched_articles(records, corrections))
    reviews = review_records(records, corrections)
    for key, review in sorted(reviews.items()):
        claims = list(records[key].get("claims") or [])
        for index, match in sorted(review.by_claim.items()):
            correction, claim = match.correction, claims[index]
            if correction.verdict == "correct":
                differ = [name for name in FIELDS if name in correction.was
                          and not agrees(name, correction.was[name], claim_values(claim)[name])]
                result.add("correct", "changed since" if differ else "rules agree")
                if differ:
                    result.regressions.append((correction, differ))
            elif correction.verdict == "corrected":
                result.add("corrected", "still differ" if changes(claim, correction) else "now right")
            else:
                result.add("wrong", "still extracted")
        for correction in review.stale:
            result.stale.append(correction)
            result.add(correction.verdict, "no longer extracted" if correction.verdict == "wrong" else "stale")
        for match in review.missed:
            result.add("missed", "now found" if match.index is not None else "still missed")
    for article in result.unmatched:
        for correction in corrections[article]:
            result.stale.append(correction)
            result.add(correction.verdict, "stale")
    return result


def render_score(result: Score, folder: str) -> str:
    """The lines ``make eval`` prints."""
    lines = [f"Corrections ({folder}): {result.judged} verdicts"]
    if not result.judged:
        lines.append("  none yet (python -m pipeline review --serve, or the review page's save button)")
        return "\n".join(lines) + "\n"
    for verdict, outcomes in sorted(result.counts.items(), key=lambda item: _VERDICT_ORDER.index(item[0])):
        listed = ", ".join(f"{name} {n}" for name, n in sorted(outcomes.items()))
        lines.append(f"  {verdict:9} {sum(outcomes.values()):4}: {listed}")
    share = result.right / result.judged
    lines.append(f"  rules right on {result.right} of {result.judged} reviewed claims ({share:.3f})")
    for correction, differ in result.regressions:
        lines.append(f"  changed since judged correct: {correction.file or correction.article} claim "
                     f"{correction.claim} ({', '.join(differ)})")
    lines.append(f"  stale (match no claim): {len(result.stale)}")
    for correction in result.stale:
        note = " (a claim judged wrong, gone: drop the correction if that is the fix)" if correction.verdict == "wrong" else ""
        lines.append(f"    {correction.file or correction.article}: {correction.claim or 'missed'} "
                     f"{correction.verdict} \"{_short(correction.count_text)}\" in \"{_short(correction.quote, 80)}\"{note}")
    for article in result.unmatched:
        lines.append(f"    no output for {article}: its corrections match nothing")
    return "\n".join(lines) + "\n"


_VERDICT_ORDER = ("correct", "corrected", "wrong", "missed")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
