"""Records shaped exactly like the extractor's outputs, built from a text and a few claims.

The review tests construct changes (a figure edited, a claim dropped, an article quoting
``<script>``) without running extraction; ``test_review_helpers_records_match_schema``
keeps these records honest against the committed schema.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.claims.precision import date_precision, where_precision
from pipeline.output import dumps

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "seeds"


def make_claim(text: str, sentence: str, count_text: str, *, predicate: str = "killed", group: str = "civilians",
               value: int | None = None, low: int | None = None, high: int | None = None,
               qualifier: str = "exact", includes: list[dict[str, Any]] | None = None,
               actor: str | None = None, occurrence: int = 0, **fields: Any) -> dict[str, Any]:
    """A claim whose evidence is the ``occurrence``-th ``sentence`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(sentence, start + 1)
    if qualifier == "exact" and value is not None:
        low = high = value
    claim_id = hashlib.sha256(f"{sentence}|{count_text}|{occurrence}".encode()).hexdigest()[:12]
    claim: dict[str, Any] = {
        "id": claim_id,
        "section": "title" if start == 0 else "body",
        "predicate": predicate,
        "count": {"text": count_text, "value": value, "low": low, "high": high, "qualifier": qualifier},
        "group": group,
        "group_text": group,
        "includes": includes or [],
        "actor": {"text": actor, "id": actor.lower().replace(" ", "_")} if actor else None,
        "cause": None,
        "locations": [],
        "where_precision": "none",
        "time": None,
        "date_precision": "none",
        "source": None,
        "cumulative": False,
        "scope": "incident",
        "status": "reported",
        "inherited": [],
        "evidence": {"text": sentence, "start": start, "end": start + len(sentence)},
        "rule": f"{predicate}.test",
    }
    claim.update(fields)
    # The precision codes follow the place and time given, as the extractor writes them.
    if "where_precision" not in fields:
        claim["where_precision"] = where_precision(claim["locations"])
    if "date_precision" not in fields:
        claim["date_precision"] = date_precision(claim["time"])
    return claim


def make_record(text: str, claims: list[dict[str, Any]], **article: Any) -> dict[str, Any]:
    """An output record for ``text`` (title on the first line) with these claims."""
    record_article: dict[str, Any] = {
        "file": "test.txt",
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "format": "text",
        "encoding": "utf-8",
        "title": text.split("\n", 1)[0],
        "published": "2017-06-23",
        "published_from": "sidecar",
        "date_order": None,
        "url": None,
        "outlet": None,
        "duplicate_of": None,
        "byline": None,
        "captions": [],
        "dropped": {},
        "warnings": [],
        "text": text,
    }
    record_article.update(article)
    main = next((c for c in claims if c["predicate"] == "killed"), None)
    return {
        "schema_version": 1,
        "article": record_article,
        "claims": claims,
        "incident": {
            "claim": main["id"] if main else None,
            "date": record_article["published"],
            "location": None,
            "actor": None,
            "cause": None,
            "killed": {"civilians": None, "children": None, "women": None, "fighters": None, "people": None,
                       "total": None},
        },
    }


def seed_records() -> dict[str, dict[str, Any]]:
    """The seed articles (tests/seeds) as extracted now, keyed like ``load_folder`` keys outputs.

    Extracted, not read from the working outputs/: tests never touch the user's folders.
    A fresh copy each call, so a test may edit what it gets.
    """
    return copy.deepcopy(_seed_records())


@lru_cache(maxsize=1)
def _seed_records() -> dict[str, dict[str, Any]]:
    from pipeline.article import extract_article
    from pipeline.factories import shared_nlp
    from pipeline.sidecar import Sidecar

    return {path.stem + ".json": json.loads(dumps(extract_article(path.read_bytes(), path.name, Sidecar(), shared_nlp())))
            for path in sorted(SEEDS.glob("*.txt"))}


def write_outputs(folder: Path, records: dict[str, dict[str, Any]]) -> None:
    """Write records as the extractor does (indent 2, UTF-8, newline at the end)."""
    for key, record in records.items():
        path = folder / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def clone(record: dict[str, Any]) -> dict[str, Any]:
    """A deep copy to edit without touching the original."""
    return copy.deepcopy(record)


PLACES = {
    "aleppo": {"text": "Aleppo", "name": "Aleppo", "admin1": "Aleppo", "country": "SY"},
    "borno": {"text": "Maiduguri", "name": "Maiduguri", "admin1": "Borno", "country": "NG"},
}


def make_article(name: str, title: str, body: str, count: str, *, place: str | None = None, actor: str | None = None,
                 cause: str | None = None, published: str = "2017-06-23", outlet: str | None = None,
                 **count_fields: Any) -> dict[str, Any]:
    """A one-claim article (title, blank line, one body sentence holding the claim) whose incident
    is that claim, placed, attributed and caused as given (``place`` a key of PLACES)."""
    text = f"{title}\n\n{body}"
    claim = make_claim(text, body, count, actor=actor, locations=[PLACES[place]] if place else [],
                       cause={"text": cause, "id": cause} if cause else None, **count_fields)
    record = make_record(text, [claim], file=f"{name}.txt", published=published, outlet=outlet)
    record["incident"].update(location={k: PLACES[place][k] for k in ("name", "admin1", "country")} if place else None,
                              actor=claim["actor"]["id"] if actor else None, cause=cause)
    record["incident"]["killed"]["civilians"] = claim["count"]["value"] or claim["count"]["low"]
    return record


def varied_records() -> dict[str, dict[str, Any]]:
    """The seeds and three short reports of our own: two places, outlets, perpetrators and causes,
    an exact figure, a range and an open figure, dates seven years apart."""
    return {
        **seed_records(),
        "a.json": make_article("a", "Barrel bombs kill 12 in Aleppo", "Barrel bombs killed 12 civilians in Aleppo.", "12",
                               place="aleppo", actor="Syrian Government", cause="airstrike", value=12, outlet="Wire One"),
        "b.json": make_article("b", "Raid kills up to 30 in Aleppo", "Between 20 and 30 civilians were killed in Aleppo.",
                               "Between 20 and 30", place="aleppo", actor="Syrian Government", cause="airstrike",
                               qualifier="range", low=20, high=30, published="2017-06-24", outlet="Wire Two"),
        "c.json": make_article("c", "Blast in Maiduguri kills at least 9", "At least 9 civilians were killed in Maiduguri.",
                               "At least 9", place="borno", actor="Boko Haram", cause="explosion", qualifier="at_least",
                               low=9, published="2024-03-05", outlet="Wire One"),
    }
