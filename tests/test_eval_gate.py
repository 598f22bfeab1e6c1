"""FA-KES evaluation gate (trafilatura's pattern): fail when a score drops below its floor.

Floors live in tests/eval_floors.json and are only ever raised, by hand, when a
change lifts a score. The benchmark is read from ../shared/benchmarks; where it is
absent (a checkout without the shared folder) the gate says so and skips.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.article import extract_article
from pipeline.output import dumps
from pipeline.sidecar import Sidecar

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LABELS = SHARED / "benchmarks" / "fakes" / "fakes-dev.csv"
SCORER = SHARED / "tools" / "score_fakes.py"
FLOORS = json.loads((Path(__file__).with_name("eval_floors.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(nlp) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    if not (LABELS.is_file() and SCORER.is_file()):
        pytest.skip(f"FA-KES benchmark not found at {LABELS}: evaluation gate skipped")
    spec = importlib.util.spec_from_file_location("score_fakes", SCORER)
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    with LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            # Exactly what fakes_to_corpus.py writes: title, blank line, text.
            text = f"{row['article_title'].strip()}\n\n{row['article_content'].strip()}\n"
            name = f"fakes-{row['unit_id']}.txt"
            record = extract_article(text.encode("utf-8"), name, Sidecar(), nlp)
            (Path(tmp) / f"fakes-{row['unit_id']}.json").write_text(dumps(record), encoding="utf-8")
        return scorer.score(str(LABELS), tmp)  # type: ignore[no-any-return]


@pytest.mark.parametrize("field", sorted(FLOORS["floors"]))
def test_eval_gate_score_holds_its_floor(scores: dict[str, Any], field: str) -> None:
    assert scores["missing_outputs"] == 0
    assert scores[field] >= FLOORS["floors"][field], f"{field} {scores[field]:.4f} < floor {FLOORS['floors'][field]}"
