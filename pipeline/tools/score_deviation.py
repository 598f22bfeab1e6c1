"""How well the linker's per-article deviation separates FA-KES's credible and fake articles.

    .venv/bin/python -m pipeline.tools.score_deviation LABELS.csv OUTPUTS_DIR

Why: FA-KES labels each article credible (``label`` 1) or not (0) by checking it against VDC's
records. An article whose figure or perpetrator stands far from the other sources of the same
incident (``deviation`` of its report in ``_incidents.json``, see pipeline/link/reconcile.py) is
a candidate fake. This prints the ROC AUC of the deviation for "not credible" on the articles
that have one (their incident has two independent sources or more), whole and by unit_id
parity, with how many articles that covers. 0.5 is chance; a unit_id whose rows disagree on the
label is left out.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Sequence
from pathlib import Path

from pipeline.tools.score_links import INCIDENTS_FILE, parity


def labels_of(path: Path) -> dict[str, int]:
    """Article file -> label (1 credible, 0 not), unit_ids with conflicting rows left out."""
    seen: dict[str, set[int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                seen.setdefault(f"fakes-{row['unit_id']}.txt", set()).add(int(row["label"]))
            except (KeyError, ValueError):
                continue
    return {article: next(iter(values)) for article, values in seen.items() if len(values) == 1}


def deviations(incidents: dict) -> dict[str, int]:  # type: ignore[type-arg]
    """Article -> deviation of its report, for the reports that have one."""
    return {report["article"]: report["deviation"] for incident in incidents.get("incidents", [])
            for report in incident.get("reports", []) if isinstance(report.get("deviation"), int)}


def roc_auc(scores: Sequence[tuple[float, int]]) -> float | None:
    """AUC of ``score`` for the positive class (1), ties counted half (Mann-Whitney U); None if one class is empty."""
    positives = [score for score, positive in scores if positive]
    negatives = [score for score, positive in scores if not positive]
    if not positives or not negatives:
        return None
    wins = 0.0
    for p in positives:
        for n in negatives:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(positives) * len(negatives))


def rows(labels: dict[str, int], scored: dict[str, int]) -> list[tuple[str, int, int, float | None]]:
    """(name, articles scored, of which not credible, AUC) for the whole and each half."""
    result = []
    for name, half in (("whole", None), ("even", 0), ("odd", 1)):
        pairs = [(float(scored[a]), 1 - labels[a]) for a in sorted(scored)
                 if a in labels and (half is None or parity(a) == half)]
        result.append((name, len(pairs), sum(positive for _, positive in pairs), roc_auc(pairs)))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("outputs", type=Path)
    args = parser.parse_args(argv)
    path = args.outputs / INCIDENTS_FILE
    if not path.is_file():
        print(f"deviation: {path} not found (run python -m pipeline link first); skipped")
        return 0
    labels = labels_of(args.labels)
    scored = deviations(json.loads(path.read_text(encoding="utf-8")))
    print(f"Deviation against FA-KES credibility ({len(labels)} labelled articles; AUC of deviation for 'not credible'):")
    for name, count, fakes, auc in rows(labels, scored):
        shown = "  n/a" if auc is None else f"{auc:.3f}"
        print(f"  {name:5} articles with a deviation {count:4d} (not credible {fakes:3d})  ROC AUC {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
