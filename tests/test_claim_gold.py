"""The claim gold (tests/claim_gold/) is well formed and stands on the articles it describes.

The gold is hand-written; these checks catch what a hand slips on: a snippet that is not in the
article (or not only once), an admin1 name or actor id the project does not know, a time after
the article was published, articles that are not the ones the selection rule picks. The article
texts are read from ../shared (the checks that need them skip where it is absent).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
import yaml

from pipeline.tools.score_claims import GOLD, GoldArticle, fold, load_gold, locate, occurrences

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT.parent / "shared" / "benchmarks" / "fakes" / "fakes-dev.csv"
RULES = ROOT / "pipeline" / "rules"

ARTICLES = load_gold()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Each dev article as fakes_to_corpus.py writes it (title, blank line, text), by unit_id."""
    if not LABELS.is_file():
        pytest.skip(f"FA-KES benchmark not found at {LABELS}: gold anchors not checked")
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return {row["unit_id"]: f"{row['article_title'].strip()}\n\n{row['article_content'].strip()}\n"
                for row in csv.DictReader(handle)}


def test_gold_holds_at_least_60_articles_and_both_halves() -> None:
    halves = [sum(1 for a in ARTICLES if int(a.unit_id) % 2 == half) for half in (0, 1)]
    assert min(halves) >= 30, halves
    assert all(article.claims for article in ARTICLES)


def test_gold_articles_are_the_first_of_each_half_in_sha1_order(texts: dict[str, str]) -> None:
    """The selection rule of the README: the first unit_ids of each parity, by sha1(unit_id)."""
    order = sorted(texts, key=lambda unit_id: hashlib.sha1(unit_id.encode("utf-8")).hexdigest())
    gold = {article.unit_id for article in ARTICLES}
    for half in (0, 1):
        chosen = [u for u in order if int(u) % 2 == half and u in gold]
        in_order = [u for u in order if int(u) % 2 == half][: len(chosen)]
        assert chosen == in_order, f"half {half}: not a prefix of the sha1 order"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.unit_id)
def test_gold_anchors_are_found_once_in_their_article(texts: dict[str, str], article: GoldArticle) -> None:
    text = texts[article.unit_id]
    for claim in article.claims:
        found = occurrences(text, claim)
        assert locate(text, claim) is not None, f"{claim.label}: snippet not in the article"
        if claim.occurrence is None:
            assert found == 1, f"{claim.label}: snippet found {found} times; give the occurrence"
        else:
            assert claim.occurrence <= found, f"{claim.label}: only {found} occurrences"


def test_gold_admin1_names_and_actor_ids_are_the_projects() -> None:
    table = yaml.safe_load((RULES / "places" / "admin1.yaml").read_text(encoding="utf-8"))["countries"]
    divisions = {fold(row["name"]) for rows in table.values() for row in rows}
    actors = set(yaml.safe_load((RULES / "actors.yaml").read_text(encoding="utf-8"))["actors"])
    for article in ARTICLES:
        for claim in article.claims:
            assert set(claim.admin1) - {None} <= divisions, claim.label
            assert set(claim.actor) - {None} <= actors, claim.label
            assert all(c is None or (len(c) == 2 and c.isupper()) for c in claim.country), claim.label


def test_gold_times_end_by_the_publication_date() -> None:
    for article in ARTICLES:
        for claim in article.claims:
            for interval in claim.time:
                assert interval is None or article.published is None or interval[1] <= article.published, claim.label


def test_gold_files_are_named_by_unit_id() -> None:
    assert sorted(p.stem for p in GOLD.glob("*.yaml")) == sorted(a.unit_id for a in ARTICLES)
