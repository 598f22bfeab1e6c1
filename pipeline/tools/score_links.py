"""Score article linking against the hand-made link gold of FA-KES dev articles (tests/link_gold/).

    .venv/bin/python -m pipeline.tools.score_links OUTPUTS_DIR [--gold FILE] [--incidents FILE] [--errors]

Why: issue 15 links the reports of one real-world incident across outlets. The gold groups, by
hand and from the text, the dev articles that report the same incident (guidelines in
tests/link_gold/README.md); every article it does not list is its own singleton. A linker is an
article clustering: two articles are linked when their main claims (``incident.claim``) are
reports of the same incident of ``_incidents.json``. This prints, for the whole dev set and for
each half by unit_id parity (as ``make eval`` prints the other scores):

- pairwise precision, recall and F1 over the pairs of linked articles (the hidden gold's measure);
- B-cubed precision, recall and F1 (Bagga and Baldwin 1998), averaged over every article, so a
  large incident does not outweigh the many small ones as it does with pairs;
- for the trivial bar the linker must beat: "same date and same admin1", i.e. two articles are
  linked when both ``article.published`` and ``incident.location.admin1`` are known and equal;
- for the linker, when the outputs folder holds ``_incidents.json`` (or ``--incidents`` names one).

Conventions: a score whose denominator is empty is 1.0 (no predicted pair cannot be a wrong pair;
no gold pair cannot be missed), and F1 is 0.0 when precision and recall are both 0. A half keeps
only the articles of its parity: pairs across halves count in neither half.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

GOLD = Path(__file__).resolve().parents[2] / "tests" / "link_gold" / "groups.yaml"
TYPES = ("incident", "period_total")
INCIDENTS_FILE = "_incidents.json"
# The FA-KES dev articles as ../shared/tools/fakes_to_corpus.py names them in the corpus.
FAKES_FILE = re.compile(r"^fakes-(\d+)\.txt$")

Cluster = frozenset[str]


class GoldError(ValueError):
    """A gold file that does not follow the format of tests/link_gold/README.md."""


@dataclass(frozen=True)
class GoldGroup:
    """Articles (paths as ``article.file``) that report one real-world incident or one period total."""

    id: str
    type: str
    articles: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1, with the counts behind them (pairs, or articles for B-cubed)."""

    precision: float
    recall: float
    f1: float
    gold: int = 0
    predicted: int = 0
    common: int = 0


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 1.0


def _group(index: int, item: Any) -> GoldGroup:
    where = f"group {index + 1}"
    if not isinstance(item, dict):
        raise GoldError(f"{where}: expected a mapping with id, type, articles, note")
    unknown = set(item) - {"id", "type", "articles", "note"}
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
    gid, kind, articles, note = item.get("id"), item.get("type"), item.get("articles"), item.get("note")
    if not isinstance(gid, str) or not gid:
        raise GoldError(f"{where}: id must be a non-empty string")
    if kind not in TYPES:
        raise GoldError(f"{gid}: type must be one of {', '.join(TYPES)}, not {kind!r}")
    if not isinstance(articles, list) or not all(isinstance(a, str) and a for a in articles):
        raise GoldError(f"{gid}: articles must be a list of article paths")
    if len(articles) < 2:
        raise GoldError(f"{gid}: a group needs two articles or more (singletons are not listed)")
    if len(set(articles)) != len(articles):
        raise GoldError(f"{gid}: an article is listed twice")
    if not isinstance(note, str) or not note.strip():
        raise GoldError(f"{gid}: note must say briefly what the incident is")
    return GoldGroup(gid, kind, tuple(articles), note.strip())


def load_gold(path: Path = GOLD) -> list[GoldGroup]:
    """The gold groups, checked: unique ids, two articles or more each, no article in two groups."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise GoldError(f"{path}: expected a mapping with a list under 'groups'")
    groups = [_group(index, item) for index, item in enumerate(data["groups"])]
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for group in groups:
        if group.id in seen_ids:
            raise GoldError(f"{group.id}: id used twice")
        seen_ids.add(group.id)
        for article in group.articles:
            if article in owner:
                raise GoldError(f"{article}: in both {owner[article]} and {group.id}")
            owner[article] = group.id
    return groups


def gold_clusters(groups: Iterable[GoldGroup]) -> list[Cluster]:
    return [frozenset(group.articles) for group in groups]


def assignment(clusters: Iterable[Iterable[str]], universe: Iterable[str]) -> dict[str, Cluster]:
    """Each article of ``universe`` with its cluster cut to the universe (itself alone when unlinked).

    An article in two clusters is an error: an article's main claim belongs to one incident at most.
    """
    members = set(universe)
    result: dict[str, Cluster] = {}
    for cluster in clusters:
        kept = frozenset(cluster) & members
        for article in kept:
            if article in result:
                raise ValueError(f"{article} is in two clusters")
            result[article] = kept
    for article in members:
        result.setdefault(article, frozenset((article,)))
    return result


def linked_pairs(assigned: Mapping[str, Cluster]) -> set[tuple[str, str]]:
    """Every unordered pair of articles that share a cluster, as sorted tuples."""
    pairs: set[tuple[str, str]] = set()
    for cluster in set(assigned.values()):
        pairs.update(combinations(sorted(cluster), 2))
    return pairs


def _universe(gold: Iterable[Iterable[str]], predicted: Iterable[Iterable[str]],
              universe: Iterable[str] | None) -> set[str]:
    if universe is not None:
        return set(universe)
    return {article for cluster in [*gold, *predicted] for article in cluster}


def pairwise(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]],
             universe: Iterable[str] | None = None) -> Scores:
    """Pairwise scores: precision over predicted linked pairs, recall over gold linked pairs.

    ``universe`` (default: every article named in either clustering) bounds the articles scored.
    """
    items = _universe(gold, predicted, universe)
    gold_pairs = linked_pairs(assignment(gold, items))
    predicted_pairs = linked_pairs(assignment(predicted, items))
    common = len(gold_pairs & predicted_pairs)
    precision = _ratio(common, len(predicted_pairs))
    recall = _ratio(common, len(gold_pairs))
    return Scores(precision, recall, _f1(precision, recall), len(gold_pairs), len(predicted_pairs), common)


def bcubed(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]],
           universe: Iterable[str] | None = None) -> Scores:
    """B-cubed scores: per article, the share of its predicted cluster that is in its gold cluster
    (precision) and of its gold cluster that is in its predicted cluster (recall), averaged."""
    items = sorted(_universe(gold, predicted, universe))
    if not items:
        return Scores(1.0, 1.0, 1.0)
    truth, guess = assignment(gold, items), assignment(predicted, items)
    precision = sum(len(truth[a] & guess[a]) / len(guess[a]) for a in items) / len(items)
    recall = sum(len(truth[a] & guess[a]) / len(truth[a]) for a in items) / len(items)
    return Scores(precision, recall, _f1(precision, recall), len(items), len(items), len(items))


def read_outputs(folder: Path) -> dict[str, dict[str, Any]]:
    """Output records of a folder by ``article.file`` (``_incidents.json`` and hidden files left out)."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*.json")):
        if path.name.startswith(("_", ".")):
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        article = record.get("article") if isinstance(record, dict) else None
        if isinstance(article, dict) and isinstance(article.get("file"), str):
            records[article["file"]] = record
    return records


def baseline_clusters(records: Mapping[str, Mapping[str, Any]]) -> list[Cluster]:
    """The trivial linker: the same ``article.published`` and the same ``incident.location.admin1``.

    An article without either stays alone: an unknown date or place links to nothing.
    """
    keyed: dict[tuple[str, str], set[str]] = {}
    for name, record in records.items():
        published = (record.get("article") or {}).get("published")
        location = (record.get("incident") or {}).get("location") or {}
        admin1 = location.get("admin1")
        if published and admin1:
            keyed.setdefault((published, admin1), set()).add(name)
    return [frozenset(keyed[key]) for key in sorted(keyed)]


def incident_clusters(incidents: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]]) -> list[Cluster]:
    """Articles linked by the linker: those whose main claim is a report of the same incident.

    A report of an article's other claim links nothing here (the measure is over main claims).
    """
    main = {name: (record.get("incident") or {}).get("claim") for name, record in records.items()}
    clusters = []
    for incident in incidents.get("incidents", []):
        articles = {report.get("article") for report in incident.get("reports", [])
                    if main.get(report.get("article")) is not None
                    and report.get("claim") == main[report.get("article")]}
        if articles:
            clusters.append(frozenset(articles))
    return clusters


def parity(article: str) -> int | None:
    """0 for an even unit_id, 1 for an odd one (the halves of ``make eval``); None for other files."""
    match = FAKES_FILE.match(Path(article).name)
    return int(match.group(1)) % 2 if match else None


@dataclass(frozen=True)
class Row:
    """Scores of one clustering on the whole dev set and on each half."""

    name: str
    whole: tuple[Scores, Scores]
    halves: tuple[tuple[Scores, Scores], tuple[Scores, Scores]]


def score_clustering(name: str, gold: Sequence[Cluster], predicted: Sequence[Cluster],
                     universe: Iterable[str]) -> Row:
    items = set(universe)
    halves = []
    for half in (0, 1):
        part = {article for article in items if parity(article) == half}
        halves.append((pairwise(gold, predicted, part), bcubed(gold, predicted, part)))
    return Row(name, (pairwise(gold, predicted, items), bcubed(gold, predicted, items)),
               (halves[0], halves[1]))


def print_rows(rows: Sequence[Row], groups: Sequence[GoldGroup], universe: int) -> None:
    linked = sum(len(group.articles) for group in groups)
    print(f"Link gold ({len(groups)} groups, {linked} of {universe} FA-KES dev articles; tests/link_gold):")
    print(f"  {'':32} {'':5} {'pairs':>5} {'pred':>5} {'hit':>5} {'prec':>6} {'recall':>6} {'F1':>6}"
          f"   B3 {'prec':>6} {'recall':>6} {'F1':>6}")
    for row in rows:
        for label, (pairs, b3) in (("whole", row.whole), ("even", row.halves[0]), ("odd", row.halves[1])):
            name = row.name if label == "whole" else ""
            print(f"  {name:32} {label:5} {pairs.gold:5d} {pairs.predicted:5d} {pairs.common:5d}"
                  f" {pairs.precision:6.3f} {pairs.recall:6.3f} {pairs.f1:6.3f}"
                  f"      {b3.precision:6.3f} {b3.recall:6.3f} {b3.f1:6.3f}")


def errors(name: str, gold: Sequence[GoldGroup], predicted: Sequence[Cluster], universe: Iterable[str],
           records: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Missed gold pairs (by group) and wrong predicted pairs, with the articles' titles."""
    items = set(universe)
    owner = {article: group.id for group in gold for article in group.articles}
    truth = linked_pairs(assignment(gold_clusters(gold), items))
    guess = linked_pairs(assignment(predicted, items))

    def title(article: str) -> str:
        return str((records.get(article, {}).get("article") or {}).get("title") or "")[:70]

    lines = [f"{name}: missed {a} ~ {b} ({owner[a]})" for a, b in sorted(truth - guess)]
    lines += [f"{name}: wrong  {a} ~ {b}: {title(a)!r} ~ {title(b)!r}" for a, b in sorted(guess - truth)]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", type=Path, help="folder of fakes-<unit_id>.json outputs")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--incidents", type=Path, help=f"linker output (default: OUTPUTS/{INCIDENTS_FILE} if any)")
    parser.add_argument("--errors", action="store_true", help="list missed and wrong pairs")
    args = parser.parse_args(argv)
    groups = load_gold(args.gold)
    gold = gold_clusters(groups)
    records = {name: record for name, record in read_outputs(args.outputs).items() if parity(name) is not None}
    universe = set(records) | {article for cluster in gold for article in cluster}
    missing = sorted(article for cluster in gold for article in cluster if article not in records)
    clusterings = [("same date + admin1 (baseline)", baseline_clusters(records))]
    incidents_path = args.incidents or args.outputs / INCIDENTS_FILE
    if incidents_path.is_file():
        incidents = json.loads(incidents_path.read_text(encoding="utf-8"))
        clusterings.append((f"linker ({incidents_path.name})", incident_clusters(incidents, records)))
    rows = [score_clustering(name, gold, predicted, universe) for name, predicted in clusterings]
    print_rows(rows, groups, len(universe))
    if missing:
        print(f"  gold articles without an output: {len(missing)} (first: {missing[0]})")
    if args.errors:
        for name, predicted in clusterings:
            for line in errors(name, groups, predicted, universe, records):
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
