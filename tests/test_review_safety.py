"""The review commands with hostile or broken outputs: nothing reaches a page unescaped or a
spreadsheet as a formula, one malformed output costs one line, and a folder that cannot
be written is one coded line."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest

from pipeline.cli import main
from pipeline.review.export import csv_bytes, neutralise
from pipeline.review.report import write_report
from pipeline.review.validate import problem
from tests.review_helpers import ROOT, make_claim, make_record, seed_records, write_outputs

SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
TEXT = "Raid kills 12\n\nAt least 12 civilians were killed in the raid, a monitor said."
SENTENCE = "At least 12 civilians were killed in the raid, a monitor said."
REDIRECT = '<meta http-equiv="refresh" content="0;url=https://evil.invalid/">'


def _record(**article: Any) -> dict[str, Any]:
    return make_record(TEXT, [make_claim(TEXT, SENTENCE, "At least 12", qualifier="at_least", low=12)], **article)


# --- report: every value escaped -------------------------------------------------------


def test_review_safety_report_escapes_numbers_from_a_hand_edited_output(tmp_path: Path) -> None:
    record = _record()
    record["incident"]["killed"]["civilians"] = REDIRECT  # a figure edited into markup
    record["claims"][0]["count"]["low"] = "<b>12</b>"
    record["claims"][0]["evidence"]["start"] = "<i>0</i>"
    write_report({"x.json": record}, tmp_path)
    page = (tmp_path / "articles" / "x.html").read_text(encoding="utf-8")
    assert "http-equiv=\"refresh\"" not in page and "<b>12</b>" not in page and "<i>0</i>" not in page
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in page


# --- report and export: a malformed output is skipped with a line ------------------------


def _folder_with_bad_outputs(tmp_path: Path) -> Path:
    outputs = tmp_path / "outputs"
    write_outputs(outputs, {**seed_records(), "z/good.json": _record()})
    (outputs / "broken.json").write_text('{"schema_version": 1, "claims": [', encoding="utf-8")
    wrong = _record()
    wrong["claims"][0]["count"]["value"] = "12; DROP TABLE claims"
    write_outputs(outputs, {"wrong.json": wrong, "list.json": [1, 2]})  # type: ignore[dict-item]
    (outputs / "latin1.json").write_bytes('{"title": "caf\xe9"}'.encode("latin-1"))
    return outputs


def test_review_safety_report_skips_malformed_outputs_with_a_line_each(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    outputs = _folder_with_bad_outputs(tmp_path)
    assert main(["report", "--outputs", str(outputs), "--out", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": [")[0].rsplit("/", 1)[1] + " " + line.split("[")[1][:4] for line in err[:-1]] == [
        "broken.json E401", "latin1.json E401", "list.json E401", "wrong.json E401"]
    assert "claims[0].count.value: expected integer or null" in err[3]
    assert err[-1].startswith("report: ") and "pages; open" in err[-1]
    assert sorted(p.name for p in (tmp_path / "site" / "articles").iterdir()) == [
        "000_f38fa38faa10382e.html", "001_602a99a147c29090.html", "z__good.html"]


def test_review_safety_export_skips_malformed_outputs_with_a_line_each(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    outputs = _folder_with_bad_outputs(tmp_path)
    assert main(["export", "--outputs", str(outputs), "--out", str(tmp_path / "exports")]) == 1
    err = capsys.readouterr().err
    assert err.count("[E401]") == 4 and "export: 3 articles" in err
    rows = list(csv.DictReader(io.StringIO((tmp_path / "exports" / "incidents.csv").read_text(encoding="utf-8"))))
    assert [row["source_article"] for row in rows] == ["000_f38fa38faa10382e.txt", "001_602a99a147c29090.txt",
                                                       "test.txt"]


@pytest.mark.parametrize("edit", [
    lambda r: r.update(claims={"not": "a list"}),
    lambda r: r["claims"][0].update(evidence=None),
    lambda r: r["claims"][0]["count"].update(qualifier="plenty"),
    lambda r: r["article"].update(published="2017-02-31"),
    lambda r: r["claims"][0].update(time={"text": "x", "start": "yesterday", "end": None}),
    lambda r: r["incident"]["killed"].update(civilians=-4),
    lambda r: r["incident"].update(location={"name": "X", "admin1": None, "country": "Syria"}),
    lambda r: r["article"].update(text=["not", "text"]),
    lambda r: r["article"].update(dropped={"caption": "two"}),
    lambda r: r.update(incident={}),
], ids=["claims-object", "evidence-null", "qualifier", "impossible-date", "time-word", "negative", "country-name",
        "text-list", "dropped-word", "incident-empty"])
def test_review_safety_validator_refuses_values_the_schema_refuses(edit: Any) -> None:
    record = copy.deepcopy(seed_records()["000_f38fa38faa10382e.json"])
    assert problem(record) is None and jsonschema.Draft202012Validator(SCHEMA).is_valid(record)
    edit(record)
    assert problem(record) is not None


def test_review_safety_validator_accepts_every_seed_output() -> None:
    for record in seed_records().values():
        assert problem(record) is None


def test_review_safety_an_output_older_or_newer_than_the_schema_is_still_shown() -> None:
    record = copy.deepcopy(seed_records()["000_f38fa38faa10382e.json"])
    record["article"].pop("byline")  # a field added to the schema after this output was written
    record["article"]["sentiment"] = "grim"  # a field of a later version
    assert problem(record) is None


def test_review_safety_the_validator_compiles_every_schema() -> None:
    assert problem({"schema_version": 1, "incidents": []}, "incidents") is None
    assert problem({"incidents": "none"}, "incidents") is not None


# --- export: no formula reaches a spreadsheet --------------------------------------------


@pytest.mark.parametrize("text", ["=HYPERLINK(\"https://evil.invalid\",\"x\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_review_safety_formula_cells_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    data = csv_bytes(["title", "claims"], [{"title": text, "claims": 3}]).decode("utf-8")
    assert list(csv.reader(io.StringIO(data, newline="")))[1] == ["'" + text, "3"]
    raw = csv_bytes(["title"], [{"title": text}], raw=True).decode("utf-8")
    assert list(csv.reader(io.StringIO(raw, newline="")))[1] == [text]


@pytest.mark.parametrize("text", ["12 killed", "'quoted'", "A-B", "email a@b.invalid", "−5 (a minus sign)"])
def test_review_safety_ordinary_cells_are_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_review_safety_export_neutralises_csv_but_not_duckdb(tmp_path: Path) -> None:
    record = _record(title="=IMPORTXML(\"https://evil.invalid\")", url="@evil", outlet="-outlet")
    write_outputs(tmp_path / "outputs", {"x.json": record})
    assert main(["export", "--outputs", str(tmp_path / "outputs"), "--out", str(tmp_path / "safe")]) == 0
    assert main(["export", "--raw-cells", "--outputs", str(tmp_path / "outputs"), "--out", str(tmp_path / "raw")]) == 0
    safe = next(csv.DictReader(io.StringIO((tmp_path / "safe" / "incidents.csv").read_text(encoding="utf-8"))))
    raw = next(csv.DictReader(io.StringIO((tmp_path / "raw" / "incidents.csv").read_text(encoding="utf-8"))))
    assert (safe["title"], safe["url"], safe["outlet"]) == ("'" + record["article"]["title"], "'@evil", "'-outlet")
    assert (raw["title"], raw["url"], raw["outlet"]) == (record["article"]["title"], "@evil", "-outlet")
    with duckdb.connect(str(tmp_path / "safe" / "claims.duckdb"), read_only=True) as connection:
        assert connection.sql("SELECT title, url FROM incidents").fetchall() == [(record["article"]["title"], "@evil")]


# --- file system errors --------------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "export"])
def test_review_safety_a_folder_that_cannot_be_created_is_one_line(tmp_path: Path, capsys, command: str) -> None:  # type: ignore[no-untyped-def]
    write_outputs(tmp_path / "outputs", {"x.json": _record()})
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    assert main([command, "--outputs", str(tmp_path / "outputs"), "--out", str(tmp_path / "file" / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("[E305]") and "Traceback" not in err


@pytest.mark.parametrize(("command", "blocker"), [("report", "articles"), ("export", "claims.csv"),
                                                  ("export", "claims.duckdb")])
def test_review_safety_a_file_that_cannot_be_written_is_one_line(tmp_path: Path, capsys, command: str,
                                                                blocker: str) -> None:
    write_outputs(tmp_path / "outputs", {"x.json": _record()})
    out = tmp_path / "out"
    (out / blocker).mkdir(parents=True)
    (out / blocker / "keep").write_text("a folder where a file goes" if blocker != "articles" else "", encoding="utf-8")
    if blocker == "articles":  # a file where the pages' folder goes
        (out / blocker / "keep").unlink()
        (out / blocker).rmdir()
        (out / blocker).write_text("a file where a folder goes", encoding="utf-8")
    assert main([command, "--outputs", str(tmp_path / "outputs"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("[E109]") and blocker in err


# --- the linker's _incidents.json -----------------------------------------------------------


def test_review_safety_a_broken_incidents_file_is_set_aside_and_linked_again(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    outputs = tmp_path / "outputs"
    write_outputs(outputs, seed_records())
    (outputs / "_incidents.json").write_text('{"schema_version": 1, "incidents": [{"id": "../../x"}]}', encoding="utf-8")
    for command, out in (("report", "site"), ("export", "exports")):
        assert main([command, "--outputs", str(outputs), "--out", str(tmp_path / out)]) == 1
        err = capsys.readouterr().err
        assert err.count("[E401]") == 1 and "_incidents.json" in err and "linked again" in err
    assert len(list((tmp_path / "site" / "incidents").glob("inc-*.html"))) == 2
    assert not (tmp_path / "x.html").exists()


def test_review_safety_incident_pages_escape_and_stay_in_the_site(tmp_path: Path) -> None:
    from pipeline.link.writer import incidents_of

    records = seed_records()
    incidents = incidents_of({record["article"]["file"]: record for record in records.values()})
    hostile = incidents["incidents"][0]
    hostile.update(id="../../../evil", sources=REDIRECT)
    hostile["figures"]["best"] = "<b>9</b>"
    write_report(records, tmp_path / "site", incidents)
    assert not (tmp_path / "evil.html").exists()
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert 'http-equiv="refresh"' not in pages and "<b>9</b>" not in pages
