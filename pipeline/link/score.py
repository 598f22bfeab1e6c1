"""Pair scores: how strongly two reports look like one incident, from fixed weights.

A Fellegi-Sunter style sum of agreement and disagreement weights (``weights`` in rules.yaml),
fixed by hand and documented rather than trained, so the same outputs always link the same
way. ``None`` is a cannot-link: period totals that are not the same total, or reports of
different places or tiers (see keys.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pipeline.link.keys import places_exclude
from pipeline.link.records import Report
from pipeline.link.rules import LinkRules

CIVILIAN_GROUPS = frozenset({"civilians", "children", "women"})
Vector = dict[str, float]


def word_vectors(reports: Sequence[Report]) -> list[Vector]:
    """Unit TF-IDF vectors of the reports' lead words, IDF over the reports being linked.

    A word most reports use (a weekday, "strikes") weighs little; a village's name, a
    hospital's, a school's, that few reports use, weighs much.
    """
    document_frequency: dict[str, int] = {}
    for report in reports:
        for word in report.words:
            document_frequency[word] = document_frequency.get(word, 0) + 1
    total = len(reports) + 1
    idf = {word: math.log(total / frequency) for word, frequency in document_frequency.items()}
    vectors = []
    for report in reports:
        vector = {word: (1.0 + math.log(count) if count > 1 else 1.0) * idf[word]
                  for word, count in sorted(report.words.items())}
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        vectors.append({word: value / norm for word, value in vector.items()})
    return vectors


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b[word] for word, value in a.items() if word in b)


def gap_days(a: Report, b: Report) -> int:
    """Days between two reports' intervals; 0 when they overlap."""
    assert a.start and a.end and b.start and b.end
    if a.end < b.start:
        return (b.start - a.end).days
    if b.end < a.start:
        return (a.start - b.end).days
    return 0


def _family(value: str, families: Mapping[str, str]) -> str:
    return families.get(value, value)


def _overlap(a: Report, b: Report) -> bool:
    low_a, low_b = a.low or 0, b.low or 0
    high_a = a.high if a.high is not None else math.inf
    high_b = b.high if b.high is not None else math.inf
    return max(low_a, low_b) <= min(high_a, high_b)


def ratio(x: int, y: int) -> float:
    """How many times the larger figure is the smaller one (0 counts as 1: no division by zero)."""
    small, large = sorted((max(x, 1), max(y, 1)))
    return large / small


def same_period(a: Report, b: Report, rules: LinkRules) -> bool:
    """Period totals of the same actor, place and period (start and end within the tolerance)."""
    assert a.start and a.end and b.start and b.end
    tolerance = rules.period_tolerance_days
    if abs((a.start - b.start).days) > tolerance or abs((a.end - b.end).days) > tolerance:
        return False
    actor_a = _family(a.actor, rules.actor_family) if a.actor else None
    actor_b = _family(b.actor, rules.actor_family) if b.actor else None
    return actor_a == actor_b and a.admin1 == b.admin1 and a.country == b.country and a.town == b.town


def pair_score(a: Report, b: Report, similarity: float, rules: LinkRules) -> float | None:
    """The score of two reports (``similarity``: cosine of their lead words); None: cannot link."""
    if a.tier != b.tier or places_exclude(a, b, rules) or a.start is None or b.start is None:
        return None
    if a.tier == "period_total":
        return rules.link_threshold + similarity if same_period(a, b, rules) else None
    w = rules.weights
    score = 0.0
    gap = gap_days(a, b)
    score += w["same_day"] if gap == 0 else w["one_day_apart"] if gap == 1 else \
        w["days_apart"] if gap <= 3 else w["far_apart"]
    if a.admin1 and a.admin1 == b.admin1:
        score += w["same_admin1"]
    elif a.admin1 and b.admin1:
        near = frozenset((a.admin1, b.admin1)) in rules.neighbours
        score += w["neighbour_admin1"] if near else w["other_admin1"]
    if a.town and b.town:
        score += w["same_town"] if a.town == b.town else w["other_town"]
    if a.cause and b.cause:
        if a.cause == b.cause:
            score += w["same_cause"]
        elif _family(a.cause, rules.cause_family) != _family(b.cause, rules.cause_family):
            score += w["other_cause"]
    if a.actor and b.actor and a.actor not in rules.actor_wildcards and b.actor not in rules.actor_wildcards:
        same = _family(a.actor, rules.actor_family) == _family(b.actor, rules.actor_family)
        score += w["same_actor"] if same else w["other_actor"]
    if a.best is not None and b.best is not None:
        if a.best == b.best:
            score += w["same_figure"]
        elif _overlap(a, b):
            score += w["figures_overlap"]
        else:
            times = ratio(a.best, b.best)
            if times > rules.figure_ratio_far:
                score += w["figures_far"]
            elif times > rules.figure_ratio:
                score += w["figures_apart"]
    if a.group and b.group and ((a.group in CIVILIAN_GROUPS and b.group == "fighters")
                                or (b.group in CIVILIAN_GROUPS and a.group == "fighters")):
        score += w["other_group"]
    return score + w["words"] * similarity
