"""FA-KES dev scores per half (unit_id parity), printed by `make eval` after the whole.

    .venv/bin/python -m pipeline.tools.fakes_halves LABELS.csv OUTPUTS_DIR [--scorer PATH]

Why: the dev labels are crowd labels and the rules are judged on them. A change that
lifts one half and lowers the other fits noise, not text; printing both halves beside
the whole makes that visible at every `make eval`. The scoring itself is the
benchmark's own script (``score_fakes.py`` of ../shared/tools), run on each half's rows.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FIELDS = ("date", "location", "actor", "cause", "civilians", "children", "women", "noncivilians", "mean")


def load_scorer(path: Path) -> Any:
    """The benchmark's scorer as a module, exactly as its authors run it."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def split_by_parity(labels: Path, folder: Path) -> list[Path]:
    """Two CSVs in ``folder``: rows of even and of odd unit_id, headers kept."""
    with labels.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    paths = []
    for half in (0, 1):
        path = folder / f"half{half}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(row for row in rows if int(row["unit_id"]) % 2 == half)
        paths.append(path)
    return paths


def half_scores(labels: Path, outputs: Path, scorer: Any) -> list[dict[str, Any]]:
    """The scorer's result for the even half, then the odd half."""
    with tempfile.TemporaryDirectory() as tmp:
        return [scorer.score(str(path), str(outputs)) for path in split_by_parity(labels, Path(tmp))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("outputs", type=Path)
    parser.add_argument("--scorer", type=Path,
                        default=Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "score_fakes.py")
    args = parser.parse_args(argv)
    halves = half_scores(args.labels, args.outputs, load_scorer(args.scorer))
    print("halves (unit_id parity)   even    odd   diff")
    for field in FIELDS:
        even, odd = halves[0][field], halves[1][field]
        print(f"  {field:22} {even:6.3f} {odd:6.3f} {even - odd:+6.3f}")
    print(f"  {'articles':22} {halves[0]['articles']:6d} {halves[1]['articles']:6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
