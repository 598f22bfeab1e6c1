"""``python -m pipeline export``: tables read back and checked against the JSON outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.cli import main
from pipeline.review.corrections import from_entry, record_verdicts, verdict_on
from pipeline.review.export import export_all
from pipeline.review.labelstudio import label_config, tasks, utf16_offset
from pipeline.review.tables import CLAIM_COLUMNS, INCIDENT_COLUMNS, date_precision, group_figures
from tests.review_helpers import make_claim, make_record, seed_records, write_outputs

TEXT = "Raid kills 12 in Raqqa 😢\n\nAt least 12 civilians, including 5 children, were killed, said “the monitor”."


def _records() -> dict[str, dict[str, Any]]:
    sentence = "At least 12 civilians, including 5 children, were killed, said “the monitor”."
    child = {"group": "children", "count": {"text": "5", "value": 5, "low": 5, "high": 5, "qualifier": "exact"}}
    extra = make_record(TEXT, [make_claim(
        TEXT, sentence, "At least 12", qualifier="at_least", low=12, includes=[child], actor="Coalition",
        locations=[{"text": "Raqqa", "name": "Raqqa", "admin1": "Raqqa", "country": "SY"}],
        time={"text": "in 2017", "start": "2017-01-01", "end": "2017-12-31"},
        source={"text": "the monitor", "name": "Syrian Observatory for Human Rights"})], file="z/extra.txt")
    return {**seed_records(), "z/extra.json": extra}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    records = _records()
    write_outputs(out.parent / "outputs", records)
    assert main(["export", "--outputs", str(out.parent / "outputs"), "--out", str(out)]) == 0
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_review_export_claims_csv_matches_json(exported: Path) -> None:
    rows = _csv(exported / "claims.csv")
    claims = [(record["article"]["file"], claim) for _, record in sorted(_records().items())
              for claim in record["claims"]]
    assert list(rows[0]) == [name for name, _ in CLAIM_COLUMNS]
    assert [row["claim_id"] for row in rows] == [claim["id"] for _, claim in claims]
    for row, (file, claim) in zip(rows, claims, strict=True):
        count = claim["count"]
        assert row["source_article"] == file
        assert (row["low"], row["best"], row["high"]) == tuple(
            "" if count[k] is None else str(count[k]) for k in ("low", "value", "high"))
        assert row["qualifier"] == count["qualifier"] and row["predicate"] == claim["predicate"]
        assert row["quote"] == " ".join(claim["evidence"]["text"].split())
        assert row["cumulative"] == ("true" if claim["cumulative"] else "false")
        assert (row["scope"], row["status"]) == (claim["scope"], claim["status"])
        assert (row["where_precision"], row["date_precision"]) == (claim["where_precision"], claim["date_precision"])
        assert row["inherited"] == "; ".join(claim["inherited"])


def test_review_export_claim_row_maps_fields(exported: Path) -> None:
    row = _csv(exported / "claims.csv")[-1]
    assert {k: row[k] for k in ("event_date", "date_start", "date_end", "date_precision", "country", "admin1",
                                "location", "actor", "civilians", "children", "low", "best", "source")} == {
        "event_date": "2017-12-31", "date_start": "2017-01-01", "date_end": "2017-12-31", "date_precision": "year",
        "country": "SY", "admin1": "Raqqa", "location": "Raqqa", "actor": "coalition", "civilians": "12",
        "children": "5", "low": "12", "best": "", "source": "Syrian Observatory for Human Rights"}


def test_review_export_incidents_csv_one_row_per_article(exported: Path) -> None:
    rows = _csv(exported / "incidents.csv")
    records = [record for _, record in sorted(_records().items())]
    assert list(rows[0]) == [name for name, _ in INCIDENT_COLUMNS]
    assert [row["source_article"] for row in rows] == [r["article"]["file"] for r in records]
    for row, record in zip(rows, records, strict=True):
        assert row["claims"] == str(len(record["claims"]))
        assert row["main_claim"] == (record["incident"]["claim"] or "")
        assert row["civilians"] == str(record["incident"]["killed"]["civilians"] or "")
        assert row["total"] == str(record["incident"]["killed"].get("total") or "")


def test_review_export_bytes_are_stable(exported: Path, tmp_path: Path) -> None:
    export_all(_records(), tmp_path)
    for name in ("claims.csv", "incidents.csv", "claims.parquet", "incidents.parquet"):
        assert (tmp_path / name).read_bytes() == (exported / name).read_bytes(), name
    for name in ("claims.csv", "incidents.csv"):
        data = (tmp_path / name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data


def test_review_export_duckdb_tables_view_and_query(exported: Path) -> None:
    with duckdb.connect(str(exported / "claims.duckdb"), read_only=True) as db:
        claims = len(_csv(exported / "claims.csv"))
        assert db.execute("SELECT count(*) FROM claims").fetchone() == (claims,)
        assert db.execute("SELECT count(*) FROM incidents").fetchone() == (len(_records()),)
        assert db.execute("SELECT count(*) FROM claim_articles").fetchone() == (claims,)
        types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'claims'").fetchall())
        assert (types["event_date"], types["low"], types["cumulative"]) == ("DATE", "BIGINT", "BOOLEAN")
        # The README's example: claims about the coalition in Raqqa in 2017, by source.
        found = db.execute("SELECT source, count(*) AS claims, sum(civilians) AS civilians FROM claim_articles "
                       "WHERE actor = 'coalition' AND admin1 = 'Raqqa' AND year(event_date) = 2017 "
                       "GROUP BY source ORDER BY claims DESC, source").fetchall()
        assert found == [("Syrian Observatory for Human Rights", 1, 12)]
        assert db.execute("SELECT title FROM claim_articles WHERE source_article = 'z/extra.txt'").fetchone() == (
            "Raid kills 12 in Raqqa 😢",)


@pytest.mark.parametrize("table", ["claims", "incidents"])
def test_review_export_parquet_equals_csv(exported: Path, table: str) -> None:
    with duckdb.connect() as db:
        parquet = db.execute(f"SELECT * FROM read_parquet('{exported / table}.parquet')").fetchall()
        db.execute(f"ATTACH '{exported / 'claims.duckdb'}' AS e (READ_ONLY)")
        database = db.execute(f"SELECT * FROM e.{table}").fetchall()
    assert parquet == database
    rows = _csv(exported / f"{table}.csv")
    assert [str(r[0]) for r in parquet] == [row[next(iter(row))] for row in rows]


@pytest.mark.parametrize(
    ("start", "end", "published", "expected"),
    [
        ("2017-06-12", "2017-06-12", None, "day"),
        ("2017-02-01", "2017-02-28", None, "month"),
        ("2016-02-01", "2016-02-29", None, "month"),
        ("2017-01-01", "2017-12-31", None, "year"),
        ("2017-05-23", "2017-06-23", None, "interval"),
        (None, "2017-06-23", None, "interval"),
        (None, None, "2017-06-23", "published"),
        (None, None, None, None),
    ],
)
def test_review_export_date_precision(start: str | None, end: str | None, published: str | None,
                                      expected: str | None) -> None:
    assert date_precision(start, end, published) == expected


def test_review_export_group_figures_from_group_and_subcounts() -> None:
    claim = {"group": "people", "count": {"value": 40, "low": None},
             "includes": [{"group": "children", "count": {"value": None, "low": 12}},
                          {"group": "women", "count": {"value": 3, "low": 3}}]}
    assert group_figures(claim) == {"civilians": None, "children": 12, "women": 3, "fighters": None}


def test_review_export_labelstudio_regions_use_utf16_offsets(exported: Path) -> None:
    written = json.loads((exported / "labelstudio-tasks.json").read_text(encoding="utf-8"))
    assert written == tasks(_records())
    task = written[-1]
    [region] = task["predictions"][0]["result"]
    value = region["value"]
    start = TEXT.index("At least 12")
    assert (value["start"], value["end"]) == (start + 1, start + 12)  # 😢 is two UTF-16 units
    utf16 = task["data"]["text"].encode("utf-16-le")
    assert utf16[value["start"] * 2:value["end"] * 2].decode("utf-16-le") == value["text"] == "At least 12"
    assert value["labels"] == ["killed"] and region["from_name"] == "label" and region["to_name"] == "text"
    assert 'name="label" toName="text"' in label_config() and '<Text name="text" value="$text"/>' in label_config()


def test_review_export_labelstudio_seed_regions_cover_counts() -> None:
    for task, (_, record) in zip(tasks(seed_records()), sorted(seed_records().items()), strict=True):
        regions = task["predictions"][0]["result"]
        assert [r["id"] for r in regions] == [c["id"] for c in record["claims"]]
        assert [r["value"]["text"] for r in regions] == [c["count"]["text"] for c in record["claims"]]


@pytest.mark.parametrize(("text", "index", "expected"), [("abc", 2, 2), ("a😢b", 2, 3), ("😢😢x", 3, 5), ("é", 1, 1)])
def test_review_export_utf16_offset(text: str, index: int, expected: int) -> None:
    assert utf16_offset(text, index) == expected


def test_review_export_excel_csv_starts_with_bom(exported: Path, tmp_path: Path) -> None:
    assert main(["export", "--excel", "--outputs", str(exported.parent / "outputs"), "--out", str(tmp_path)]) == 0
    for name in ("claims.csv", "incidents.csv"):
        assert (tmp_path / name).read_bytes() == b"\xef\xbb\xbf" + (exported / name).read_bytes()
    with duckdb.connect(str(tmp_path / "claims.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM claims").fetchone() == (len(_csv(exported / "claims.csv")),)


def test_review_export_cli_missing_outputs_exit_2(tmp_path: Path) -> None:
    assert main(["export", "--outputs", str(tmp_path / "none"), "--out", str(tmp_path / "x")]) == 2


def test_review_export_applies_corrections_and_leaves_outputs_alone(tmp_path: Path) -> None:
    records = _records()
    write_outputs(tmp_path / "outputs", records)
    before = {path: path.read_bytes() for path in (tmp_path / "outputs").rglob("*.json")}
    claim = records["z/extra.json"]["claims"][0]
    record_verdicts(tmp_path / "corrections", "z/extra.txt", [
        verdict_on(claim, "z/extra.txt", "corrected", {"count": "12-15", "actor": "isis"}, "the raid was ISIS's"),
        from_entry({"verdict": "missed", "quote": "Raid kills 12 in Raqqa 😢", "count_text": "12", "predicate": "killed",
                    "fields": {"count": 12, "group": "people"}}, "z/extra.txt")])
    assert main(["export", "--outputs", str(tmp_path / "outputs"), "--out", str(tmp_path / "exports")]) == 0
    rows = _csv(tmp_path / "exports" / "claims.csv")
    row = next(row for row in rows if row["claim_id"] == claim["id"])
    assert (row["review"], row["review_fields"], row["review_reason"], row["review_match"]) == (
        "corrected", "count; actor", "the raid was ISIS's", "id")
    assert (row["low"], row["best"], row["high"], row["qualifier"], row["actor"]) == ("12", "", "15", "range", "isis")
    assert row["count_text"] == "At least 12", "the count as written stays"
    missed = rows[-1]
    assert (missed["claim_id"], missed["review"], missed["best"], missed["victim_group"]) == ("", "missed", "12", "people")
    untouched = [row for row in rows if row["source_article"] != "z/extra.txt"]
    assert untouched and all(row["review"] == "" for row in untouched)
    assert before == {path: path.read_bytes() for path in (tmp_path / "outputs").rglob("*.json")}
    with duckdb.connect(str(tmp_path / "exports" / "claims.duckdb"), read_only=True) as connection:
        found = connection.sql("SELECT review, count(*) FROM claims WHERE review IS NOT NULL GROUP BY review ORDER BY 1")
        assert found.fetchall() == [("corrected", 1), ("missed", 1)]
