"""The link gold (tests/link_gold/) and its scorer (pipeline/tools/score_links.py).

The scorer tests use tiny hand-made clusterings whose scores are worked out by hand in each test;
the gold tests check the committed file against the format its README gives, so the link helper
and the hidden-gold scorer read it without surprises.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.tools.score_links import (
    GOLD,
    GoldError,
    assignment,
    baseline_clusters,
    bcubed,
    gold_clusters,
    incident_clusters,
    load_gold,
    main,
    pairwise,
    parity,
)

LABELS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "fakes" / "fakes-dev.csv"


# --- pairwise ---------------------------------------------------------------------------------

def test_pairwise_perfect_clustering_scores_one() -> None:
    gold = [{"a", "b", "c"}, {"d", "e"}]
    scores = pairwise(gold, [{"c", "b", "a"}, {"e", "d"}])
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert (scores.gold, scores.predicted, scores.common) == (4, 4, 4)


def test_pairwise_merging_two_incidents_costs_precision_not_recall() -> None:
    # Gold pairs ab, de; predicted abde has 6 pairs, 2 of them right.
    scores = pairwise([{"a", "b"}, {"d", "e"}], [{"a", "b", "d", "e"}])
    assert scores.precision == pytest.approx(2 / 6)
    assert scores.recall == 1.0
    assert scores.f1 == pytest.approx(2 * (1 / 3) / (1 / 3 + 1))


def test_pairwise_splitting_an_incident_costs_recall_not_precision() -> None:
    # Gold abc has 3 pairs; predicted ab and c alone finds one.
    scores = pairwise([{"a", "b", "c"}], [{"a", "b"}])
    assert (scores.precision, scores.recall) == (1.0, pytest.approx(1 / 3))


def test_pairwise_linking_nothing_has_vacuous_precision_and_no_f1() -> None:
    scores = pairwise([{"a", "b"}], [], universe={"a", "b", "c"})
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 0.0, 0.0)


def test_pairwise_ignores_articles_outside_the_universe() -> None:
    # The pair ax is predicted but x is not a dev article (a seed, say): it neither helps nor hurts.
    scores = pairwise([{"a", "b"}], [{"a", "b", "x"}], universe={"a", "b", "c"})
    assert (scores.precision, scores.recall, scores.predicted) == (1.0, 1.0, 1)


def test_pairwise_half_drops_pairs_across_halves() -> None:
    even = {"fakes-2.txt", "fakes-4.txt"}
    gold = [{"fakes-2.txt", "fakes-3.txt", "fakes-4.txt"}]
    scores = pairwise(gold, [{"fakes-2.txt", "fakes-3.txt"}], universe=even)
    # Within the even half the only gold pair is 2~4, which the prediction misses; 2~3 crosses halves.
    assert (scores.gold, scores.predicted, scores.common) == (1, 0, 0)


# --- B-cubed ----------------------------------------------------------------------------------

def test_bcubed_by_hand() -> None:
    # Gold {a,b,c} {d}; predicted {a,b} {c,d}.
    # precision per article: a 2/2, b 2/2, c 1/2, d 1/2 -> 0.75
    # recall per article:    a 2/3, b 2/3, c 1/3, d 1/1 -> (2/3 + 2/3 + 1/3 + 1) / 4 = 2/3
    scores = bcubed([{"a", "b", "c"}], [{"a", "b"}, {"c", "d"}])
    assert scores.precision == pytest.approx(0.75)
    assert scores.recall == pytest.approx(2 / 3)


def test_bcubed_counts_unlinked_articles_as_right_singletons() -> None:
    # Two extra articles alone in both clusterings raise both scores towards 1.
    small = bcubed([{"a", "b"}], [{"a"}], universe={"a", "b"})
    large = bcubed([{"a", "b"}], [{"a"}], universe={"a", "b", "c", "d"})
    assert small.recall == pytest.approx(0.5)
    assert large.recall == pytest.approx(0.75)
    assert small.precision == large.precision == 1.0


def test_an_article_in_two_predicted_clusters_is_an_error() -> None:
    with pytest.raises(ValueError, match="two clusters"):
        assignment([{"a", "b"}, {"a", "c"}], {"a", "b", "c"})


# --- what is linked -----------------------------------------------------------------------------

def _record(published: str | None, admin1: str | None, claim: str | None = "c1") -> dict[str, Any]:
    incident = None if claim is None else {"claim": claim, "location": {"name": None, "admin1": admin1}}
    return {"article": {"published": published}, "incident": incident}


def test_baseline_links_same_date_and_admin1_and_never_unknowns() -> None:
    records = {
        "a.txt": _record("2016-07-05", "Al-Hasakah"),
        "b.txt": _record("2016-07-05", "Al-Hasakah"),
        "c.txt": _record("2016-07-05", "Aleppo"),
        "d.txt": _record(None, "Al-Hasakah"),
        "e.txt": _record("2016-07-05", None),
        "f.txt": _record("2016-07-05", None),
        "g.txt": _record("2016-07-05", None, claim=None),
    }
    assert baseline_clusters(records) == [frozenset({"a.txt", "b.txt"}), frozenset({"c.txt"})]


def test_linker_links_articles_by_their_main_claims_only() -> None:
    records = {"a.txt": _record("2017-04-04", "Idlib", "m-a"), "b.txt": _record("2017-04-05", "Idlib", "m-b"),
               "c.txt": _record("2017-04-05", "Idlib", "m-c")}
    incidents = {"incidents": [
        {"id": "i1", "type": "incident", "reports": [{"article": "a.txt", "claim": "m-a"},
                                                     {"article": "b.txt", "claim": "m-b"},
                                                     {"article": "c.txt", "claim": "other-claim-of-c"}]},
        {"id": "i2", "type": "incident", "reports": [{"article": "c.txt", "claim": "m-c"}]},
    ]}
    assert incident_clusters(incidents, records) == [frozenset({"a.txt", "b.txt"}), frozenset({"c.txt"})]


def test_parity_follows_the_unit_id() -> None:
    assert (parity("fakes-1926479318.txt"), parity("fakes-1914947533.txt")) == (0, 1)
    assert parity("000_f38fa38faa10382e.txt") is None


# --- the gold file format -------------------------------------------------------------------------

def _write_gold(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "groups.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GROUP = "- {{id: {gid}, type: {kind}, articles: [{articles}], note: {note}}}\n"


@pytest.mark.parametrize(("groups", "message"), [
    (GROUP.format(gid="g1", kind="incident", articles="a.txt", note="n"), "two articles or more"),
    (GROUP.format(gid="g1", kind="event", articles="a.txt, b.txt", note="n"), "type must be"),
    (GROUP.format(gid="g1", kind="incident", articles="a.txt, b.txt", note="n")
     + GROUP.format(gid="g1", kind="incident", articles="c.txt, d.txt", note="n"), "id used twice"),
    (GROUP.format(gid="g1", kind="incident", articles="a.txt, b.txt", note="n")
     + GROUP.format(gid="g2", kind="incident", articles="b.txt, c.txt", note="n"), "in both g1 and g2"),
    (GROUP.format(gid="g1", kind="incident", articles="a.txt, b.txt", note="''"), "note must"),
])
def test_bad_gold_is_refused_with_the_group_named(tmp_path: Path, groups: str, message: str) -> None:
    with pytest.raises(GoldError, match=message):
        load_gold(_write_gold(tmp_path, "groups:\n" + groups))


def test_committed_gold_follows_the_format() -> None:
    groups = load_gold()
    assert groups, "the gold lists no group"
    for group in groups:
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?-[a-z0-9-]+", group.id), group.id
        for article in group.articles:
            assert re.fullmatch(r"fakes-\d+\.txt", article), article


def test_committed_gold_names_only_dev_articles() -> None:
    if not LABELS.is_file():
        pytest.skip(f"FA-KES dev labels not found at {LABELS}")
    with LABELS.open(encoding="utf-8", newline="") as handle:
        dev = {f"fakes-{row['unit_id']}.txt" for row in csv.DictReader(handle)}
    unknown = [article for cluster in gold_clusters(load_gold()) for article in cluster if article not in dev]
    assert not unknown


def test_readme_counts_match_the_gold() -> None:
    groups = load_gold()
    readme = (GOLD.parent / "README.md").read_text(encoding="utf-8")
    linked = sum(len(group.articles) for group in groups)
    largest = max(len(group.articles) for group in groups)
    pairs = sum(len(group.articles) * (len(group.articles) - 1) // 2 for group in groups)
    assert f"{len(groups)} groups" in readme
    assert f"{linked} articles in groups" in readme
    assert f"{pairs} linked pairs" in readme
    assert f"largest group {largest} articles" in readme


# --- the command ------------------------------------------------------------------------------

def test_command_prints_the_baseline_and_the_linker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = _write_gold(tmp_path, "groups:\n" + GROUP.format(
        gid="2016-07-05-bakery", kind="incident", articles="fakes-10.txt, fakes-12.txt", note="bakery bombing"))
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    for name, admin1 in (("fakes-10", "Al-Hasakah"), ("fakes-12", "Al-Hasakah"), ("fakes-14", "Aleppo")):
        record = _record("2016-07-05", admin1, f"main-{name}")
        record["article"]["file"] = f"{name}.txt"
        (outputs / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")
    incidents = {"incidents": [{"id": "x", "type": "incident", "reports": [
        {"article": "fakes-10.txt", "claim": "main-fakes-10"}, {"article": "fakes-14.txt", "claim": "main-fakes-14"}]}]}
    (outputs / "_incidents.json").write_text(json.dumps(incidents), encoding="utf-8")
    assert main([str(outputs), "--gold", str(gold), "--errors"]) == 0
    printed = capsys.readouterr().out
    assert "1 groups, 2 of 3 FA-KES dev articles" in printed
    baseline = next(line for line in printed.splitlines() if "baseline" in line)
    assert baseline.split()[-6:-3] == ["1.000", "1.000", "1.000"]
    linker = next(line for line in printed.splitlines() if "linker (_incidents.json)" in line)
    assert linker.split()[-6:-3] == ["0.000", "0.000", "0.000"]
    assert "wrong  fakes-10.txt ~ fakes-14.txt" in printed
