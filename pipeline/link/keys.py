"""Blocking: which pairs of reports are compared at all.

Why: a corpus of 10,000 articles has 50 million pairs; the reports of one incident fall within
days of each other in one country. Reports are swept in order of their widened intervals
(the claim's interval widened by its precision, ``widen`` in rules.yaml), and a pair is a
candidate only when those intervals overlap, both reports are of the same tier (single events
with single events, period totals with period totals), and their places do not exclude each
other (two different countries, or two first-level divisions that do not touch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from pipeline.link.records import Report
from pipeline.link.rules import LinkRules


def widened(report: Report, rules: LinkRules) -> tuple[dt.date, dt.date] | None:
    """The report's interval widened by its precision; None when it has no date at all."""
    if report.start is None or report.end is None:
        return None
    before, after = rules.widen.get(report.precision, (1, 1))
    return report.start - dt.timedelta(days=before), report.end + dt.timedelta(days=after)


def places_exclude(a: Report, b: Report, rules: LinkRules) -> bool:
    """True when two reports are certainly elsewhere: in two different countries.

    Two different first-level divisions only weigh against a link (``other_admin1``): the
    extractor's division is the one its text names first, and reports of one attack name the
    town in one and the governorate next door, or the capital, in another.
    """
    return bool(a.country and b.country and a.country != b.country)


def candidate_pairs(reports: Sequence[Report], rules: LinkRules) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of reports worth scoring, in a fixed order."""
    spans = []
    for index, report in enumerate(reports):
        span = widened(report, rules)
        if span is not None:
            spans.append((span[0], span[1], index))
    spans.sort()
    active: list[tuple[dt.date, int]] = []
    for start, end, index in spans:
        active = [(stop, other) for stop, other in active if stop >= start]
        report = reports[index]
        for _, other in active:
            partner = reports[other]
            if partner.tier != report.tier or places_exclude(report, partner, rules):
                continue
            yield (other, index) if other < index else (index, other)
        active.append((end, index))
