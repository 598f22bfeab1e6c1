"""FA-KES evaluation gate (trafilatura's pattern): fail when a score drops below its floor.

Floors live in tests/eval_floors.json, about 0.02 below the scores measured when they
were set: a guard against regressions, not a ratchet (the labels are crowd labels, and a
general rule that follows the text may cost a little on them). The benchmark is read from ../shared/benchmarks; where it is
absent (a checkout without the shared folder) the gate says so and skips.
"""

from __future__ import annotations

import csv
import importlib.util
import json
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


def _load_script(path: Path) -> Any:
    """A scorer of ../shared/tools as a module, run as the benchmark's authors run it."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fakes_outputs(nlp, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The FA-KES dev articles extracted once, as ``make eval-fakes`` writes them (fakes-<unit_id>.json)."""
    if not LABELS.is_file():
        pytest.skip(f"FA-KES benchmark not found at {LABELS}: evaluation gate skipped")
    with LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    folder: Path = tmp_path_factory.mktemp("fakes-outputs")
    for row in rows:
        # Exactly what fakes_to_corpus.py writes: title, blank line, text.
        text = f"{row['article_title'].strip()}\n\n{row['article_content'].strip()}\n"
        name = f"fakes-{row['unit_id']}.txt"
        record = extract_article(text.encode("utf-8"), name, Sidecar(), nlp)
        (folder / f"fakes-{row['unit_id']}.json").write_text(dumps(record), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def scores(fakes_outputs: Path) -> dict[str, Any]:
    if not SCORER.is_file():
        pytest.skip(f"FA-KES scorer not found at {SCORER}: evaluation gate skipped")
    return _load_script(SCORER).score(str(LABELS), str(fakes_outputs))  # type: ignore[no-any-return]


@pytest.mark.parametrize("field", sorted(FLOORS["floors"]))
def test_eval_gate_score_holds_its_floor(scores: dict[str, Any], field: str) -> None:
    assert scores["missing_outputs"] == 0
    assert scores[field] >= FLOORS["floors"][field], f"{field} {scores[field]:.4f} < floor {FLOORS['floors'][field]}"


# --- Claim gold ------------------------------------------------------------------------
# Every casualty figure of 60 dev articles, checked by hand (tests/claim_gold/), scored by
# pipeline/tools/score_claims.py on the same outputs: claim precision, recall and F1, and the
# agreement of each field among matched claims. Floors under "claims", a margin below.


@pytest.fixture(scope="module")
def claim_scores(fakes_outputs: Path) -> dict[str, Any]:
    from pipeline.tools.score_claims import load_gold, score, summary

    return summary(score(fakes_outputs, load_gold()))


@pytest.mark.parametrize("field", sorted(FLOORS["claims"]["floors"]))
def test_eval_gate_claim_score_holds_its_floor(claim_scores: dict[str, Any], field: str) -> None:
    assert claim_scores["missing_outputs"] == 0 and claim_scores["gold"] == FLOORS["claims"]["claims"]
    floor = FLOORS["claims"]["floors"][field]
    assert claim_scores[field] >= floor, f"claims {field} {claim_scores[field]:.4f} < floor {floor}"


# --- Link gold ------------------------------------------------------------------------
# Cross-source linking (pipeline/link/) of the same outputs against the hand-made link gold
# (tests/link_gold/), scored by pipeline/tools/score_links.py: pairwise and B-cubed precision,
# recall and F1 over the dev articles. Floors under "link", a margin below.


@pytest.fixture(scope="module")
def link_scores(fakes_outputs: Path) -> dict[str, float]:
    from pipeline.link.records import load_records
    from pipeline.link.writer import incidents_of
    from pipeline.tools.score_links import (bcubed, gold_clusters, incident_clusters, load_gold, pairwise, parity,
                                            read_outputs)

    groups = load_gold()
    records = {name: record for name, record in read_outputs(fakes_outputs).items() if parity(name) is not None}
    incidents = incidents_of(load_records(fakes_outputs))
    gold = gold_clusters(groups)
    predicted = incident_clusters(incidents, records)
    universe = set(records) | {article for cluster in gold for article in cluster}
    pairs, b3 = pairwise(gold, predicted, universe), bcubed(gold, predicted, universe)
    return {"pairwise_precision": pairs.precision, "pairwise_recall": pairs.recall, "pairwise_f1": pairs.f1,
            "bcubed_precision": b3.precision, "bcubed_recall": b3.recall, "bcubed_f1": b3.f1,
            "gold_pairs": pairs.gold}


@pytest.mark.parametrize("field", sorted(FLOORS["link"]["floors"]))
def test_eval_gate_link_score_holds_its_floor(link_scores: dict[str, float], field: str) -> None:
    assert link_scores["gold_pairs"] == FLOORS["link"]["gold_pairs"]
    floor = FLOORS["link"]["floors"][field]
    assert link_scores[field] >= floor, f"link {field} {link_scores[field]:.4f} < floor {floor}"


# --- HTML main text -------------------------------------------------------------------
# The same pattern for HTML cleaning: the dev pages of trafilatura's evaluation corpus,
# scored exactly as ../shared/tools/score_html.py scores outputs (article.title +
# article.text, whitespace-normalized substring matches). Only reading and cleaning
# run (``prepare``): the text is the one ``extract_article`` stores, without spaCy.

HTML_BENCH = SHARED / "benchmarks" / "html"
HTML_SCORER = SHARED / "tools" / "score_html.py"


@pytest.fixture(scope="module")
def html_scores() -> dict[str, float]:
    from pipeline.article import article_text, prepare

    evaldata = HTML_BENCH / "evaldata-dev.json"
    if not (evaldata.is_file() and HTML_SCORER.is_file()):
        pytest.skip(f"HTML benchmark not found at {HTML_BENCH}: HTML evaluation gate skipped")
    scorer = _load_script(HTML_SCORER)
    data = json.loads(evaldata.read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for page, item in data.items():
        path = HTML_BENCH / "pages" / f"{page}.html"
        prepared = prepare(path.read_bytes(), path.name, Sidecar())
        a, b, c = scorer.counts(item, article_text(prepared))
        tp, fp, fn = tp + a, fp + b, fn + c
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"pages": len(data), "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / max(precision + recall, 1e-9)}


@pytest.mark.parametrize("field", sorted(FLOORS["html"]["floors"]))
def test_eval_gate_html_score_holds_its_floor(html_scores: dict[str, float], field: str) -> None:
    floor = FLOORS["html"]["floors"][field]
    assert html_scores["pages"] == FLOORS["html"]["pages"]
    assert html_scores[field] >= floor, f"HTML {field} {html_scores[field]:.4f} < floor {floor}"
