"""Hand-checked expectations for the two seed articles (tests/golden/seeds_expected.json).

Each expected claim must be matched by a distinct extracted claim agreeing on the
listed fields; metadata, the incident and each "must_not" rule are asserted too.
The expectations are never regenerated from outputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.article import extract_article
from pipeline.sidecar import Sidecar

HERE = Path(__file__).resolve().parent
EXPECTED = json.loads((HERE / "golden" / "seeds_expected.json").read_text(encoding="utf-8"))
CORPUS = HERE / "seeds"  # the seed articles, as in ../shared/seeds


def _fold(name: str | None) -> str:
    return "".join(ch for ch in (name or "").lower() if ch.isalnum()).replace("governorate", "")


ADMIN1_KEYS = {"deirezzor": "deir", "deiralzour": "deir", "dayrazzawr": "deir", "raqqa": "raqqa", "arraqqah": "raqqa"}


def _admin1(name: str | None) -> str:
    key = _fold(name)
    return ADMIN1_KEYS.get(key, key)


def _matches(exp: dict[str, Any], claim: dict[str, Any]) -> bool:
    if claim["section"] != exp.get("section", "body"):
        return False
    if any(claim.get(k) != exp[k] for k in ("predicate", "group") if k in exp):
        return False
    if any(claim["count"].get(k) != v for k, v in exp["count"].items()):
        return False
    for key in ("actor", "cause"):
        if key in exp and (claim[key] or {}).get("id") != exp[key]:
            return False
    if (claim["actor"] or {}).get("id") in exp.get("actor_not", []):
        return False
    if "countries" in exp and sorted({loc["country"] for loc in claim["locations"]}) != sorted(exp["countries"]):
        return False
    if "admin1" in exp and not {_admin1(a) for a in exp["admin1"]} <= {_admin1(loc["admin1"]) for loc in claim["locations"]}:
        return False
    if "includes" in exp:
        got = {i["group"]: i["count"]["value"] for i in claim["includes"]}
        if any(got.get(g) != v for g, v in exp["includes"].items()):
            return False
    if "time" in exp and any((claim["time"] or {}).get(k) != v for k, v in exp["time"].items()):
        return False
    if "source_text_contains" in exp:
        source = claim["source"] or {}
        if exp["source_text_contains"].lower() not in f"{source.get('text')} {source.get('name')}".lower():
            return False
    return True


def _assign(expected: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[int | None]:
    """Distinct claims for the expected ones (small backtracking search)."""
    options = [[i for i, c in enumerate(claims) if _matches(e, c)] for e in expected]

    def search(k: int, used: frozenset[int]) -> list[int | None] | None:
        if k == len(expected):
            return []
        for i in options[k]:
            if i not in used:
                rest = search(k + 1, used | {i})
                if rest is not None:
                    return [i, *rest]
        return None

    return search(0, frozenset()) or [None] * len(expected)


@pytest.fixture(scope="module")
def records(nlp) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {
        name: extract_article((CORPUS / name).read_bytes(), name, Sidecar(), nlp) for name in EXPECTED["articles"]
    }


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_golden_metadata(records, name: str) -> None:  # type: ignore[no-untyped-def]
    article = records[name]["article"]
    expected = EXPECTED["articles"][name]
    assert article["title"] == expected["title"]
    assert article["published"] == expected["published"]


CASES = [(name, i) for name, spec in sorted(EXPECTED["articles"].items()) for i in range(len(spec["claims"]))]


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n[:3]}-claim{i}" for n, i in CASES])
def test_golden_claim_is_extracted(records, name: str, index: int) -> None:  # type: ignore[no-untyped-def]
    expected = EXPECTED["articles"][name]["claims"]
    picked = _assign(expected, records[name]["claims"])
    assert picked[index] is not None, f"no claim matches {json.dumps(expected[index])}"


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_golden_incident(records, name: str) -> None:  # type: ignore[no-untyped-def]
    incident = records[name]["incident"]
    want = EXPECTED["articles"][name]["incident"]
    assert incident["killed"]["civilians"] == want["killed"]["civilians"]
    assert incident["actor"] == want["actor"]
    assert incident["cause"] == want["cause"]
    assert incident["date"] == want["date"]
    assert (incident["location"] or {}).get("country") in want["country"].split(" or ")


def test_golden_must_not_seed0(records) -> None:  # type: ignore[no-untyped-def]
    claims = records["000_f38fa38faa10382e.txt"]["claims"]
    text = records["000_f38fa38faa10382e.txt"]["article"]["text"]
    assert "2 min read" not in text and "[Getty]" not in text
    assert not any("min read" in c["evidence"]["text"] or "[Getty]" in c["evidence"]["text"] for c in claims)
    assert not any(c["count"]["value"] == 30 or c["count"]["low"] == 30 for c in claims), "the 30 days"
    big = [c for c in claims if c["count"]["low"] == 320000]
    assert big and all((c["actor"] or {}).get("id") != "international_coalition" for c in big)


def test_golden_must_not_seed1(records) -> None:  # type: ignore[no-untyped-def]
    record = records["001_602a99a147c29090.txt"]
    assert "RELATED" not in record["article"]["text"]
    for claim in record["claims"]:
        assert "Cease-Fire" not in claim["evidence"]["text"]
        assert "Leader Is Dead" not in claim["evidence"]["text"]
        assert (claim["actor"] or {}).get("id") != "isis"
        values = {claim["count"][k] for k in ("value", "low", "high")}
        assert not values & {3, 2014, 2017}, "three years or a year number counted"


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_golden_evidence_offsets_point_into_text(records, name: str) -> None:  # type: ignore[no-untyped-def]
    record = records[name]
    text = record["article"]["text"]
    for claim in record["claims"]:
        evidence = claim["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert claim["count"]["text"] in evidence["text"]
