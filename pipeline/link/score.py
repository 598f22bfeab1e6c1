"""Pair scores: how strongly two reports look like one incident, from fixed weights.

A Fellegi-Sunter style sum of agreement and disagreement weights (``weights`` in rules.yaml),
fixed by hand and documented rather than trained, so the same outputs always link the same
way. ``None`` is a cannot-link: period totals that are not the same total, or reports of
different places or tiers (see keys.py).

Each part reads a field against what it can say:

- time against the date precision: the same day, a day apart (the night across two days, a
  report of the next morning), or more (two days of one campaign are two incidents);
- the place and the cause by how rare the shared value is among the reports being linked
  (``Rarity``): Aleppo and air strikes are shared by many incidents, Latakia and a chemical
  attack by few;
- the figures with their qualifiers and ranges (``figure_weight``): "at least 3" is not 70;
- the lead words on a log scale of their TF-IDF cosine (``words_weight``): a named village,
  hospital or market that both name and few others do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pipeline.link.keys import places_exclude
from pipeline.link.records import Report
from pipeline.link.rules import LinkRules

CIVILIAN_GROUPS = frozenset({"civilians", "children", "women"})
# Precisions that state the day itself: a day, or two or three days ("overnight", "on Monday and Tuesday").
STATED_DAYS = frozenset({"day", "days"})
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


def _bounds(report: Report, open_ratio: float) -> tuple[float, float]:
    """The figures a report allows: its range; an open "at least X" up to ``open_ratio`` x X."""
    low = report.low if report.low is not None else 0
    if report.high is not None:
        return low, report.high
    return low, max(low, 1) * open_ratio


def ratio(x: int, y: int) -> float:
    """How many times the larger figure is the smaller one (0 counts as 1: no division by zero)."""
    small, large = sorted((max(x, 1), max(y, 1)))
    return large / small


def compatible(a: Report, b: Report, rules: LinkRules) -> bool:
    """Two figures that can be one toll: close (within ``figure_close`` x), or one inside the other's range.

    "At least 3" and 70 are not one toll even though 70 is at least 3: an open bound allows up
    to ``figure_ratio`` times its figure here.
    """
    assert a.best is not None and b.best is not None
    if ratio(a.best, b.best) <= rules.figure_close:
        return True
    low_a, high_a = _bounds(a, rules.figure_ratio)
    low_b, high_b = _bounds(b, rules.figure_ratio)
    return low_a <= b.best <= high_a or low_b <= a.best <= high_b


def figure_weight(a: Report, b: Report, rules: LinkRules) -> float:
    """Agreement of two reports' figures: the same, compatible, an early open toll, or how far apart.

    An early count is often an open "at least 20" that later reports raise to 100 or more, so a
    larger figure above an open bound, up to ``figure_ratio_far`` x, weighs neither way.
    """
    assert a.best is not None and b.best is not None
    w = rules.weights
    if a.best == b.best:
        return w["same_figure"]
    if compatible(a, b, rules):
        return w["figures_overlap"]
    times = ratio(a.best, b.best)
    smaller = a if a.best < b.best else b
    if smaller.high is None and times <= rules.figure_ratio_far:
        return w["figures_rising"]
    if times > rules.figure_ratio_far:
        return w["figures_far"]
    if times > rules.figure_ratio:
        return w["figures_apart"]
    return w["figures_differ"]


def same_period(a: Report, b: Report, rules: LinkRules) -> bool:
    """Period totals of the same actor, place and period (start and end within the tolerance)."""
    assert a.start and a.end and b.start and b.end
    tolerance = rules.period_tolerance_days
    if abs((a.start - b.start).days) > tolerance or abs((a.end - b.end).days) > tolerance:
        return False
    actor_a = _family(a.actor, rules.actor_family) if a.actor else None
    actor_b = _family(b.actor, rules.actor_family) if b.actor else None
    return actor_a == actor_b and a.admin1 == b.admin1 and a.country == b.country and a.town == b.town


def published_before(a: Report, b: Report) -> bool:
    """True when ``a`` states no time and was published before the day ``b`` states: a cannot-link.

    A report that states no time tells of the days up to its publication (``widen`` none: days
    before, none after); an event that another report dates after that day had not happened yet,
    however alike the two texts are (a wire story's next-day update reuses the first story's words).
    """
    if a.precision != "none" or b.precision == "none" or b.start is None or not a.published:
        return False
    published = a.published[:10]
    return len(published) == 10 and b.start.isoformat() > published


def time_weight(a: Report, b: Report, w: Mapping[str, float]) -> float:
    """Agreement in time from the days between the two intervals, read against their precision.

    Each interval is already as wide as its precision (a stated day, "overnight" two days, a
    month); a report that states no time is read as its publication day, which a report of the
    day before lies one day from (``one_day_apart``). Two reports that each state their day,
    and state different days, tell of two days (``days_differ``: the night across two days is
    stated as two days).
    """
    gap = gap_days(a, b)
    if gap == 0:
        return w["same_day"]
    if gap == 1:
        stated = a.precision in STATED_DAYS and b.precision in STATED_DAYS
        return w["days_differ"] if stated else w["one_day_apart"]
    return w["days_apart"] if gap <= 3 else w["far_apart"]


def words_weight(similarity: float, rules: LinkRules) -> float:
    """What the lead words say: ``words`` per doubling of their cosine over ``words_neutral``,
    between ``words_floor`` and ``words_cap``.

    Reports of one incident nearly always share a rare word or two (a village, a hospital, the
    weapon), so a cosine below the neutral point weighs (a little) against a link; on a log
    scale, since from 0.02 to 0.04 says as much as from 0.2 to 0.4. The floor is low because
    reaction pieces (a minister, the Security Council) share few words with the reports of
    the attack they react to.
    """
    value = rules.weights["words"] * math.log2(max(similarity, 1e-9) / rules.words_neutral)
    return min(rules.words_cap, max(rules.words_floor, value))


class Rarity:
    """How rare each value of a field is among the reports being linked (Fellegi-Sunter's
    term-frequency adjustment): two reports that agree on a rare value ("chemical", Latakia)
    are likelier one incident than two that agree on a common one (air strikes, Aleppo).

    An agreement weighs ``ln(1 / share) - rarity_offset``, between 0 and ``rarity_cap``. The
    share is smoothed by a flat prior of ``rarity_prior`` values, since a handful of reports
    says nothing about how common a value is.
    """

    FIELDS = ("admin1", "cause")

    def __init__(self, reports: Sequence[Report], rules: LinkRules) -> None:
        self.rules = rules
        self.counts: dict[str, dict[str, int]] = {name: {} for name in self.FIELDS}
        self.known = dict.fromkeys(self.FIELDS, 0)
        for report in reports:
            for name in self.FIELDS:
                value = getattr(report, name)
                if value:
                    self.counts[name][value] = self.counts[name].get(value, 0) + 1
                    self.known[name] += 1

    def agreement(self, name: str, value: str) -> float:
        """The weight of two reports sharing ``value`` in field ``name``."""
        rules = self.rules
        share = (self.counts[name].get(value, 0) + 1) / (self.known[name] + rules.rarity_prior)
        return min(rules.rarity_cap, max(0.0, -math.log(share) - rules.rarity_offset))


def pair_score(a: Report, b: Report, similarity: float, rules: LinkRules, rarity: Rarity) -> float | None:
    """The score of two reports (``similarity``: cosine of their lead words); None: cannot link."""
    if a.tier != b.tier or places_exclude(a, b, rules) or a.start is None or b.start is None:
        return None
    if published_before(a, b) or published_before(b, a):
        return None
    if a.tier == "period_total":
        return rules.link_threshold + similarity if same_period(a, b, rules) else None
    w = rules.weights
    score = time_weight(a, b, w)
    if a.admin1 and a.admin1 == b.admin1:
        score += rarity.agreement("admin1", a.admin1)
    elif a.admin1 and b.admin1:
        near = frozenset((a.admin1, b.admin1)) in rules.neighbours
        score += w["neighbour_admin1"] if near else w["other_admin1"]
    if a.town and b.town:
        score += w["same_town"] if a.town == b.town else w["other_town"]
    if a.cause and b.cause:
        if a.cause == b.cause:
            score += rarity.agreement("cause", a.cause)
        elif _family(a.cause, rules.cause_family) != _family(b.cause, rules.cause_family):
            score += w["other_cause"]
    if a.actor and b.actor and a.actor not in rules.actor_wildcards and b.actor not in rules.actor_wildcards:
        same = _family(a.actor, rules.actor_family) == _family(b.actor, rules.actor_family)
        score += w["same_actor"] if same else w["other_actor"]
    if a.best is not None and b.best is not None:
        score += figure_weight(a, b, rules)
    if a.group and b.group and ((a.group in CIVILIAN_GROUPS and b.group == "fighters")
                                or (b.group in CIVILIAN_GROUPS and a.group == "fighters")):
        score += w["other_group"]
    return score + words_weight(similarity, rules)
