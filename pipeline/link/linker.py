"""Reports to incidents: blocking, pair scores and clustering put together."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.link.cluster import cluster
from pipeline.link.keys import candidate_pairs
from pipeline.link.records import Report
from pipeline.link.rules import LinkRules
from pipeline.link.score import Rarity, cosine, pair_score, word_vectors


def link_reports(reports: Sequence[Report], rules: LinkRules) -> list[list[Report]]:
    """Groups of reports of one incident; ``reports`` sorted by article path (fixed order)."""
    vectors = word_vectors(reports)
    rarity = Rarity(reports, rules)
    scores: dict[tuple[int, int], float | None] = {}
    for i, j in candidate_pairs(reports, rules):
        scores[(i, j)] = pair_score(reports[i], reports[j], cosine(vectors[i], vectors[j]), rules, rarity)
    return [[reports[index] for index in group] for group in cluster(len(reports), scores, rules.link_threshold, rules.conflict_floor)]
