"""One incident's reports reconciled: syndicated copies, independent sources, figures, perpetrators, grade.

Why these rules (see also the README, "Linking"):

- Syndicated copies are one source: two reports whose texts share most of their word 5-shingles
  (Jaccard >= ``COPY_JACCARD``) are one wire story; the later (by publication, then path) records
  ``duplicate_of`` the earlier. Exact Jaccard over the few reports of one incident, not MinHash
  over the corpus: linking already put the candidates together, and only within one incident,
  since a page can carry another day's story body (near-identical text, another incident).
- A source is the organisation the figure is attributed to (SOHR, the civil defence, ...) when
  the text names one, else the article (its copies included): two outlets quoting SOHR's toll
  are one source, not two.
- Figures follow UCDP GED: ``low`` the lowest figure any source allows, ``high`` the highest,
  ``best`` the median of the sources' own best figures (each source's highest, as tolls are
  revised upward); ``conservative`` follows ACLED: the lowest best figure of any source.
- Grades: ``acknowledged`` when a report says the perpetrator itself gave the figure (its
  status is ``claimed``, or its source is the perpetrator); else ``contested`` when two
  independent sources' figures do not overlap and stand more than ``contested_ratio`` apart, or
  they name perpetrators of different families; else ``corroborated`` with two independent
  sources or more; else ``single_source``.
- Deviation (per report, two independent sources or more): how far the report stands from the
  other sources, an integer: the percent by which its best figure exceeds or falls short of the
  median of the others' (capped at 900), plus 100 when it names a perpetrator of another family
  than the others' most named. Integers keep the file byte-stable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from pipeline.link.records import Report
from pipeline.link.rules import LinkRules
from pipeline.review.checks import subcount_excess

COPY_JACCARD = 0.6
COPY_CHARS = 3000  # copies are compared on the start of their bodies: a wire story's copies agree from the top
SHINGLE = 5
DEVIATION_CAP = 900
ACTOR_MISMATCH = 100
TOKEN = re.compile(r"\w+")


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """Word 5-shingles of a report's body (the title left out: copies retitle).

    Kept as word tuples, not hashes: exact, and set operations on them need no digest per shingle.
    """
    body = text.partition("\n\n")[2] or text
    words = TOKEN.findall(body[:COPY_CHARS].lower())
    if len(words) < SHINGLE:
        return frozenset((tuple(words),)) if words else frozenset()
    return frozenset(zip(*(words[i:] for i in range(SHINGLE))))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def order_key(report: Report) -> tuple[str, str]:
    return report.published or "9999-99-99", report.article


def duplicates(reports: Sequence[Report]) -> dict[str, str]:
    """Article -> the article of which it is a syndicated copy (the earliest near-identical text)."""
    ordered = sorted(reports, key=order_key)
    sets = [shingles(report.text) for report in ordered]
    found: dict[str, str] = {}
    for j in range(1, len(ordered)):
        for i in range(j):
            if ordered[i].article in found:
                continue
            if jaccard(sets[i], sets[j]) >= COPY_JACCARD:
                found[ordered[j].article] = ordered[i].article
                break
    return found


@lru_cache(maxsize=1)
def _actor_aliases() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One pattern matching any alias of actors.yaml at the start of a text (longest first), and
    the actor ids each alias may stand for: its own id, or for a word resolved by the country
    (``by_country``: "the army", "government forces") any id it resolves to (``state`` stands for
    the forces of the report's own country)."""
    from pipeline.rules import load

    data = load("actors")
    ids: dict[str, set[str]] = {}
    for actor_id, entry in (data.get("actors") or {}).items():
        for alias in entry.get("aliases") or []:
            ids.setdefault(str(alias).lower(), set()).add(actor_id)
    for entry in (data.get("by_country") or {}).values():
        targets = {str(value) for value in (entry.get("ids") or {}).values()}
        if entry.get("default"):
            targets.add(str(entry["default"]))
        for alias in entry.get("aliases") or []:
            ids.setdefault(str(alias).lower(), set()).update(targets)
    ordered = sorted(ids, key=lambda alias: (-len(alias), alias))
    pattern = re.compile(r"(?:" + "|".join(re.escape(alias) for alias in ordered) + r")(?!\w)")
    return pattern, {alias: frozenset(targets) for alias, targets in ids.items()}


@lru_cache(maxsize=4096)
def _speaker_actors(text: str) -> frozenset[str]:
    if len(text.split()) > 6:
        return frozenset()
    pattern, ids = _actor_aliases()
    lowered = text.lower()
    for candidate in (lowered, re.sub(r"^(?:the|a|an)\s+", "", lowered)):
        match = pattern.match(candidate)
        if match:
            return ids[match.group(0)]
    return frozenset()


def source_actors(report: Report) -> frozenset[str]:
    """The perpetrator ids the report's source may be, if its source is an armed party ("the army said").

    The organisation's full name when the article gives one, else the source as written when it
    is a short name (six words or fewer) that starts with an actor's name: a longer text is a
    clause, and "an opposition figure" or "activists near Russian positions" are not the actor.
    """
    text = report.source or report.source_text
    if not text:
        return frozenset()
    found = _speaker_actors(text)
    if "state" in found:
        found = (found - {"state"}) | ({f"state:{report.country}"} if report.country else frozenset())
    return found


def family(actor: str | None, rules: LinkRules) -> str | None:
    """The actor's family id; None for nobody and for the wildcards (unidentified)."""
    if not actor or actor in rules.actor_wildcards:
        return None
    return rules.actor_family.get(actor, actor)


def acknowledges(report: Report, rules: LinkRules) -> bool:
    """The perpetrator gave this figure: status ``claimed``, or the source is the actor itself."""
    if report.status == "claimed":
        return True
    own = family(report.actor, rules)
    return own is not None and any(family(actor, rules) == own for actor in source_actors(report))


def lower_median(values: Sequence[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def deviation(best: int | None, others: Sequence[int], actor: str | None, other_actors: Iterable[str],
              rules: LinkRules) -> int | None:
    """Integer deviation of one report from the other sources (see the module docstring)."""
    if best is None or not others:
        return None
    median = lower_median(others)
    small, large = sorted((max(best, 1), max(median, 1)))
    score = min(large * 100 // small - 100, DEVIATION_CAP)
    own = family(actor, rules)
    named: dict[str, int] = {}
    for other in other_actors:
        fam = family(other, rules)
        if fam:
            named[fam] = named.get(fam, 0) + 1
    if own and named:
        majority = min(named, key=lambda key: (-named[key], key))
        if majority != own:
            score += ACTOR_MISMATCH
    return score


def _places(claim: dict[str, Any]) -> set[str]:
    return {str(place.get("name") or place.get("admin1")) for place in claim.get("locations") or []}


def _days_shared(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two claim times cover mostly the same days (half the shorter one or more); unknown: yes."""
    if not (a.get("start") and a.get("end") and b.get("start") and b.get("end")):
        return True
    import datetime as dt

    a0, a1, b0, b1 = (dt.date.fromisoformat(x) for x in (a["start"], a["end"], b["start"], b["end"]))
    shared = (min(a1, b1) - max(a0, b0)).days + 1
    shorter = min((a1 - a0).days, (b1 - b0).days) + 1
    return shared * 2 >= shorter


def _bounds(count: dict[str, Any]) -> tuple[int, int | None]:
    """A count's figure as a closed range; "nearly 500", "about 500" allow a tenth either side."""
    from pipeline.link.records import figure

    low, high, _ = figure(count)
    if count.get("qualifier") == "approximately" and isinstance(count.get("value"), int):
        value = count["value"]
        return value - value // 10, value + value // 10
    return low or 0, high


def other_figures(report: Report) -> list[str]:
    """Claims of the same article that give another figure for the main claim's deaths.

    Same predicate and victim group, a single event (not a running total), mostly the same days,
    no place the main claim does not name (a province's share of a total is a part, not another
    figure), and figures that cannot both hold ("30" in the title, "39" in the body).
    """
    main = report.main
    main_places = _places(main)
    low_main, high_main = _bounds(main.get("count") or {})
    found = []
    for claim in report.claims:
        if claim.get("id") == report.claim or claim.get("predicate") != main.get("predicate"):
            continue
        if claim.get("group") != main.get("group") or claim.get("cumulative") or \
                claim.get("scope") in ("period_total", "cumulative", "background"):
            continue
        if not _places(claim) <= main_places or not _days_shared(claim.get("time") or {}, main.get("time") or {}):
            continue
        count = claim.get("count") or {}
        if count.get("value") is None and count.get("low") is None and count.get("high") is None:
            continue
        low, high = _bounds(count)
        if (high is not None and high < low_main) or (high_main is not None and low > high_main):
            found.append(str(claim.get("id")))
    return found


def source_key(report: Report, copies: dict[str, str]) -> str:
    root = report.article
    while root in copies:
        root = copies[root]
    return f"source:{report.source}" if report.source else f"article:{root}"


def reconcile(reports: Sequence[Report], rules: LinkRules) -> dict[str, Any]:
    """The incident record of one group of reports (sorted by article path)."""
    copies = duplicates(reports) if len(reports) > 1 else {}
    keys = {report.article: source_key(report, copies) for report in reports}
    by_source: dict[str, list[Report]] = {}
    for report in reports:
        by_source.setdefault(keys[report.article], []).append(report)
    source_best = {key: max(r.best for r in members if r.best is not None)
                   for key, members in by_source.items() if any(r.best is not None for r in members)}
    bests = list(source_best.values())
    lows = [r.low if r.low is not None else r.best for r in reports if r.best is not None]
    highs = [r.high if r.high is not None else r.best for r in reports if r.best is not None]
    figures = {
        "low": min(lows) if lows else None,
        "best": lower_median(bests) if bests else None,
        "high": max(value for value in highs if value is not None) if highs else None,
        "conservative": min(bests) if bests else None,
    }
    contested = _contested(by_source, rules)
    independent = len(by_source)
    admits = {report.article: acknowledges(report, rules) for report in reports}
    if any(admits.values()):
        grade = "acknowledged"
    elif contested:
        grade = "contested"
    elif independent >= 2:
        grade = "corroborated"
    else:
        grade = "single_source"
    perpetrators: dict[str, list[str]] = {}
    for report in reports:
        if report.actor:
            perpetrators.setdefault(report.actor, []).append(report.article)
    report_rows = []
    for report in sorted(reports, key=order_key):
        others = [best for key, best in source_best.items() if key != keys[report.article]]
        other_actors = [r.actor for r in reports if keys[r.article] != keys[report.article] and r.actor]
        flags = [f"subcounts_exceed_total:{claim.get('id')}" for claim in report.claims
                 if subcount_excess(claim) is not None]
        flags += [f"other_figure:{claim_id}" for claim_id in other_figures(report)]
        report_rows.append({
            "article": report.article,
            "claim": report.claim,
            "published": report.published,
            "title": report.title,
            "source": report.source,
            "count": report.count,
            "group": report.group,
            "low": report.low,
            "best": report.best,
            "high": report.high,
            "status": report.status,
            "actor": report.actor,
            "cause": report.cause,
            "acknowledged": admits[report.article],
            "duplicate_of": copies.get(report.article),
            "deviation": deviation(report.best, others, report.actor, other_actors, rules),
            "flags": flags,
        })
    starts = [r.start for r in reports if r.start]
    ends = [r.end for r in reports if r.end]
    return {
        "id": incident_id(reports),
        "type": reports[0].tier,
        "date": {"start": min(starts).isoformat() if starts else None,
                 "end": max(ends).isoformat() if ends else None},
        "location": _location(reports),
        "actor": _most_named([r.actor for r in reports]),
        "cause": _most_named([r.cause for r in reports]),
        "grade": grade,
        "contested": contested,
        "sources": independent,
        "figures": figures,
        "perpetrators": [{"actor": actor, "named_by": sorted(articles)}
                         for actor, articles in sorted(perpetrators.items(), key=lambda item: (-len(item[1]), item[0]))],
        "reports": report_rows,
    }


def _contested(by_source: dict[str, list[Report]], rules: LinkRules) -> list[str]:
    """Why independent sources disagree: ``figures`` and/or ``perpetrators`` (empty: they agree)."""
    reasons = []
    heads = []
    for members in by_source.values():
        known = [r for r in members if r.best is not None]
        if known:
            heads.append(max(known, key=lambda r: (r.best, r.article)))
    for i, a in enumerate(heads):
        for b in heads[i + 1:]:
            assert a.best is not None and b.best is not None
            apart = (a.high is not None and a.high < (b.low or 0)) or (b.high is not None and b.high < (a.low or 0))
            small, large = sorted((max(a.best, 1), max(b.best, 1)))
            if apart and large > rules.contested_ratio * small:
                reasons.append("figures")
                break
        if reasons:
            break
    families = {frozenset(family(r.actor, rules) for r in members) - {None} for members in by_source.values()}
    named = set().union(*families) if families else set()
    if len(named) > 1:
        reasons.append("perpetrators")
    return reasons


def _most_named(values: Sequence[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return min(counts, key=lambda key: (-counts[key], key)) if counts else None


def _location(reports: Sequence[Report]) -> dict[str, Any]:
    """The most named place: town, then admin1, then country (ties: alphabetical)."""
    return {
        "town": _most_named([r.town_name for r in reports]),
        "admin1": _most_named([r.admin1 for r in reports]),
        "country": _most_named([r.country for r in reports]),
    }


def incident_id(reports: Sequence[Report]) -> str:
    """Derived from the member claims, not from a counter: the same members, the same id,
    whatever the order of the articles or what else is in the corpus."""
    members = sorted(f"{report.article}#{report.claim}" for report in reports)
    return "inc-" + hashlib.sha1("\n".join(members).encode("utf-8")).hexdigest()[:12]
