"""Label Studio round trip: the tasks we export, annotated, come back as corrections."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.review.apply import score
from pipeline.review.corrections import load_corrections
from pipeline.review.labelstudio import label_config, tasks, utf16_offset
from pipeline.review.labelstudio_import import parse_fix
from tests.review_helpers import make_claim, make_record, seed_records, write_outputs

TEXT = ("Strikes kill 12 in Raqqa 😢\n\n"
        "At least 12 civilians were killed on Monday, activists said.\n\n"
        "Three fighters died in clashes nearby.\n\n"
        "Some 40 people were wounded.\n\n"
        "Rescuers later found 7 more bodies under the rubble.")


def _record() -> dict[str, Any]:
    return make_record(TEXT, [
        make_claim(TEXT, "Strikes kill 12 in Raqqa 😢", "12", value=12),
        make_claim(TEXT, "At least 12 civilians were killed on Monday, activists said.", "At least 12",
                   qualifier="at_least", low=12),
        make_claim(TEXT, "Three fighters died in clashes nearby.", "Three", group="fighters", value=3),
        make_claim(TEXT, "Some 40 people were wounded.", "Some 40", predicate="injured", group="people",
                   qualifier="approximately", value=40),
    ], file="sy/raqqa.txt")


def _region_result(region: dict[str, Any], name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    """A per-region result as Label Studio exports it: the region's id and span, the control's value."""
    span = {key: region["value"][key] for key in ("start", "end", "text")}
    return {"id": region["id"], "from_name": name, "to_name": "text", "type": kind, "value": {**span, **value},
            "origin": "manual"}


def _annotated_export(records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Our tasks as an annotator leaves them: one explicit verdict, one fix, one region deleted,
    one relabelled, one new region (its offsets in UTF-16 units, after the emoji)."""
    exported = tasks(records)
    task = next(t for t in exported if t["data"]["article"] == "sy/raqqa.txt")
    title, lead, fighters, wounded = copy.deepcopy(task["predictions"][0]["result"])
    relabelled = copy.deepcopy(wounded)
    relabelled["value"]["labels"] = ["killed"]
    text = task["data"]["text"]
    start = text.index("7 more bodies")
    new_region = {"id": "Xy12ab", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                  "value": {"start": utf16_offset(text, start), "end": utf16_offset(text, start + 1), "text": "7",
                            "labels": ["killed"]}}
    results = [
        title, _region_result(title, "verdict", "choices", {"choices": ["correct"]}),
        lead, _region_result(lead, "fix", "textarea", {"text": ["actor=unidentified; time=2017-06-19"]}),
        _region_result(lead, "reason", "textarea", {"text": ["activists blame gunmen they do not name"]}),
        relabelled, _region_result(relabelled, "reason", "textarea", {"text": ["the wounded died later"]}),
        new_region,
    ]
    task["annotations"] = [
        {"id": 1, "result": [], "was_cancelled": True, "updated_at": "2026-12-03T10:00:00Z"},
        {"id": 2, "result": results, "was_cancelled": False, "updated_at": "2026-12-02T10:00:00Z"},
    ]
    return exported  # the seed tasks have no annotation: not reviewed


@pytest.fixture()
def imported(tmp_path: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    records = {**seed_records(), "sy/raqqa.json": _record()}
    write_outputs(tmp_path / "outputs", records)
    export = tmp_path / "project-1-at-2026-12-02.json"
    export.write_text(json.dumps(_annotated_export(records), ensure_ascii=False), encoding="utf-8")
    assert main(["import-labelstudio", str(export), "--outputs", str(tmp_path / "outputs")]) == 0
    return tmp_path / "corrections", records


def test_review_labelstudio_round_trip_turns_annotations_into_corrections(
        imported: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    folder, records = imported
    problems: list[str] = []
    loaded = load_corrections(folder, problems)
    assert problems == [] and list(loaded) == ["sy/raqqa.txt"]
    claims = records["sy/raqqa.json"]["claims"]
    by_claim = {c.claim: c for c in loaded["sy/raqqa.txt"]}
    assert by_claim[claims[0]["id"]].verdict == "correct"
    lead = by_claim[claims[1]["id"]]
    assert (lead.verdict, dict(lead.fields), lead.reason) == (
        "corrected", {"actor": "unidentified", "time": "2017-06-19"}, "activists blame gunmen they do not name")
    assert by_claim[claims[2]["id"]].verdict == "wrong"
    assert (by_claim[claims[3]["id"]].verdict, dict(by_claim[claims[3]["id"]].fields)) == ("corrected",
                                                                                           {"predicate": "killed"})
    missed = by_claim[None]
    assert (missed.verdict, missed.count_text, missed.predicate, dict(missed.fields)) == (
        "missed", "7", "killed", {"predicate": "killed", "count": 7})
    assert missed.quote == "Rescuers later found 7 more bodies under the rubble."
    result = score(records, loaded)
    assert result.counts["missed"] == {"still missed": 1} and result.counts["wrong"] == {"still extracted": 1}


def test_review_labelstudio_import_again_replaces_verdicts(imported: tuple[Path, dict[str, dict[str, Any]]],
                                                           tmp_path: Path) -> None:
    folder, records = imported
    export = tmp_path / "again.json"
    export.write_text(json.dumps(_annotated_export(records), ensure_ascii=False), encoding="utf-8")
    before = (folder / "sy" / "raqqa.txt.yaml").read_bytes()
    assert main(["import-labelstudio", str(export), "--outputs", str(tmp_path / "outputs")]) == 0
    assert (folder / "sy" / "raqqa.txt.yaml").read_bytes() == before


def test_review_labelstudio_bad_exports_are_coded_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = {"sy/raqqa.json": _record()}
    write_outputs(tmp_path / "outputs", records)
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    assert main(["import-labelstudio", str(broken), "--outputs", str(tmp_path / "outputs")]) == 2
    assert "[E413]" in capsys.readouterr().err
    exported = _annotated_export(records)
    exported[0]["annotations"][1]["result"][3]["value"]["text"] = ["count=many"]
    exported.append({"id": 99, "data": {"article": "gone.txt", "text": ""}, "annotations": [{"result": []}]})
    partly = tmp_path / "partly.json"
    partly.write_text(json.dumps(exported), encoding="utf-8")
    assert main(["import-labelstudio", str(partly), "--outputs", str(tmp_path / "outputs")]) == 1
    err = capsys.readouterr().err
    assert "[E414] Label Studio task 1: region" in err and "[E414] Label Studio task 99: no output" in err
    loaded = load_corrections(tmp_path / "corrections", [])["sy/raqqa.txt"]
    assert len(loaded) == 4, "the other regions of the task are imported"


@pytest.mark.parametrize(("typed", "expected"), [
    ("count=12; group=children", {"count": "12", "group": "children"}),
    ("actor = isis\ncause=explosion", {"actor": "isis", "cause": "explosion"}), ("", {}), ("place=", {"place": None})])
def test_review_labelstudio_fix_box(typed: str, expected: dict[str, Any]) -> None:
    assert parse_fix(typed) == expected


def test_review_labelstudio_config_has_the_controls_the_importer_reads() -> None:
    view = ET.fromstring(label_config())
    names = {element.get("name"): element for element in view.iter() if element.get("name")}
    assert {"label", "text", "verdict", "fix", "reason"} <= set(names)
    assert all(names[name].get("perRegion") == "true" for name in ("verdict", "fix", "reason"))
    assert [choice.get("value") for choice in names["verdict"]] == ["correct", "wrong"]
