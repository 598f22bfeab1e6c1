"""Reports into incidents: average-linkage merging over the scored candidate pairs.

Why not connected components of the pairs above the threshold: in a busy city on a busy day
one report that looks like two others would chain two incidents into one. Here two groups of
reports merge only when the mean score of all their cross pairs reaches the threshold and no
cross pair is a cannot-link, best pair first. A cannot-link is a pair never blocked together,
scored None, or scored below ``floor``: a pair whose evidence, all told, speaks against one
incident (another day stated, figures far apart) is not outvoted by its neighbours' agreement,
so a cluster never holds two reports that conflict (complete linkage for conflicts, average
linkage for the rest).
Ties are broken by the reports' article paths, so the result does not depend on input order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def components(size: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (sorted lists of indices) of the graph of ``edges`` over ``size`` nodes."""
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for node in range(size):
        groups.setdefault(root(node), []).append(node)
    return sorted(groups.values())


def average_linkage(nodes: list[int], scores: Mapping[tuple[int, int], float | None],
                    threshold: float, floor: float = -math.inf) -> list[list[int]]:
    """Merge ``nodes`` bottom-up while the best mean cross score reaches ``threshold``.

    ``scores`` holds (i, j), i < j; a pair absent, None or below ``floor`` is a cannot-link.
    """
    clusters = [[node] for node in nodes]
    while len(clusters) > 1:
        best: tuple[float, int, int] | None = None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                total, linked = 0.0, True
                for a in clusters[x]:
                    for b in clusters[y]:
                        value = scores.get((a, b) if a < b else (b, a))
                        if value is None or value < floor:
                            linked = False
                            break
                        total += value
                    if not linked:
                        break
                if not linked:
                    continue
                mean = total / (len(clusters[x]) * len(clusters[y]))
                if mean >= threshold and (best is None or mean > best[0]):
                    best = (mean, x, y)
        if best is None:
            break
        _, x, y = best
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return clusters


def cluster(size: int, scores: Mapping[tuple[int, int], float | None], threshold: float,
            floor: float = -math.inf) -> list[list[int]]:
    """Every index in exactly one cluster (sorted lists, sorted by first index).

    Indices must follow a fixed order of the reports (their article paths) for the result to
    be order-free.
    """
    edges = [pair for pair, value in scores.items() if value is not None and value >= threshold]
    result: list[list[int]] = []
    for component in components(size, sorted(edges)):
        result.extend(average_linkage(component, scores, threshold, floor) if len(component) > 1 else [component])
    return sorted(result)
