"""Reviewers' corrections: the file format, matching claims after rule changes, applying, scoring."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import pipeline.rules
from pipeline.article import extract_article
from pipeline.clean import text as clean_text
from pipeline.cli import main
from pipeline.review.apply import corrected_claim, match_article, review_records, score
from pipeline.review.corrections import (
    file_for,
    from_entry,
    load_corrections,
    normalise_field,
    parse_count,
    record_verdicts,
    verdict_on,
    write_corrections,
)
from pipeline.sidecar import Sidecar
from tests.review_helpers import make_claim, make_record, write_outputs

TEXT = ("Strike kills 9 in Idlib\n\n"
        "Nine people were killed when jets struck a market in Idlib on Monday, rescuers said.\n\n"
        "Another 4 people died of their wounds later, the rescuers added.")
SENTENCE = "Nine people were killed when jets struck a market in Idlib on Monday, rescuers said."
LATER = "Another 4 people died of their wounds later, the rescuers added."


def _record() -> dict[str, Any]:
    return make_record(TEXT, [
        make_claim(TEXT, SENTENCE, "Nine", group="people", value=9, actor="Syrian Government"),
        make_claim(TEXT, LATER, "4", group="people", value=4),
    ], file="idlib.txt")


@pytest.mark.parametrize(("raw", "expected"), [
    (12, (12, 12)), ("12", (12, 12)), ("1,953", (1953, 1953)), ("529-744", (529, 744)), ("529 – 744", (529, 744)),
    ("between 529 and 744", (529, 744)), ("12+", (12, None)), ("at least 12", (12, None)), ("<=50", (None, 50)),
    ("up to 50,000", (None, 50000)), ({"low": 3, "high": 9}, (3, 9)), ({"value": 7}, (7, 7)),
])
def test_corrections_count_forms(raw: Any, expected: tuple[int | None, int | None]) -> None:
    assert parse_count(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Raqqa", {"name": "Raqqa"}), ("Raqqa, SY", {"name": "Raqqa", "country": "SY"}),
    ("al-Bab, Aleppo, SY", {"name": "al-Bab", "admin1": "Aleppo", "country": "SY"}),
    ("Maiduguri, Borno", {"name": "Maiduguri", "admin1": "Borno"}), ({"admin1": "Borno"}, {"admin1": "Borno"})])
def test_corrections_place_forms(raw: Any, expected: dict[str, str]) -> None:
    assert normalise_field("place", raw) == expected


@pytest.mark.parametrize(("name", "raw"), [("count", "dozens"), ("count", -3), ("count", True), ("time", "June"),
                                           ("time", "2017-06-30/2017-06-01"), ("place", {"town": "x"}),
                                           ("place", "a, b, c, SY"), ("place", "a,, SY"),
                                           ("group", ""), ("colour", "red")])
def test_corrections_refuse_values_they_cannot_apply(name: str, raw: Any) -> None:
    with pytest.raises(ValueError):
        normalise_field(name, raw)


def test_corrections_file_round_trip_is_byte_stable(tmp_path: Path) -> None:
    record = _record()
    first, second = record["claims"]
    entries = [verdict_on(first, "idlib.txt", "corrected", {"count": "9-11", "place": "Maarat al-Numan"}, "two more found"),
               verdict_on(second, "idlib.txt", "wrong", reason="they died of older wounds")]
    path = write_corrections(tmp_path, "idlib.txt", entries)
    assert path == tmp_path / "idlib.txt.yaml"
    data = path.read_bytes()
    problems: list[str] = []
    loaded = load_corrections(tmp_path, problems)
    assert problems == [] and [c.entry() for c in loaded["idlib.txt"]] == [c.entry() for c in entries]
    write_corrections(tmp_path, "idlib.txt", loaded["idlib.txt"])
    assert path.read_bytes() == data
    assert loaded["idlib.txt"][0].fields == {"count": "9-11", "place": {"name": "Maarat al-Numan"}}
    assert loaded["idlib.txt"][0].was["actor"] == "syrian_government"


def test_corrections_bad_files_and_entries_are_coded_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt.yaml").write_text("article: a.txt\ncorrections: [\n", encoding="utf-8")
    good = {"claim": "0123456789ab", "verdict": "correct", "quote": "Two died.", "count_text": "Two"}
    bad = {**good, "verdict": "maybe"}
    (tmp_path / "b.txt.yaml").write_text(json.dumps({"article": "b.txt", "corrections": [bad, good]}), encoding="utf-8")
    problems: list[str] = []
    loaded = load_corrections(tmp_path, problems)
    assert [line.split(": ", 1)[1][:6] for line in problems] == ["[E411]", "[E412]"]
    assert problems[0].startswith(f"{(tmp_path / 'a.txt.yaml').as_posix()}: ")
    assert list(loaded) == ["b.txt"] and loaded["b.txt"][0].verdict == "correct"


@pytest.mark.parametrize("article", ["../x.txt", "/etc/x.txt", "a/../../x.txt", "", "a\\b.txt"])
def test_corrections_file_stays_in_its_folder(tmp_path: Path, article: str) -> None:
    with pytest.raises(ValueError):
        file_for(tmp_path, article)


def test_corrections_record_verdicts_replaces_the_same_claim(tmp_path: Path) -> None:
    first, second = _record()["claims"]
    record_verdicts(tmp_path, "idlib.txt", [verdict_on(first, "idlib.txt", "correct")])
    record_verdicts(tmp_path, "idlib.txt", [verdict_on(second, "idlib.txt", "correct"),
                                            verdict_on(first, "idlib.txt", "wrong", reason="a market, not people")])
    loaded = load_corrections(tmp_path, [])["idlib.txt"]
    assert [(c.claim, c.verdict) for c in loaded] == [(first["id"], "wrong"), (second["id"], "correct")]


def test_corrections_match_by_id_then_quote_then_moved() -> None:
    record = _record()
    first, second = record["claims"]
    corrections = [verdict_on(first, "idlib.txt", "correct"), verdict_on(second, "idlib.txt", "correct")]
    # A rule change: the first claim's count now reads "Nine people" (new id), the second
    # sentence is cut after "wounds" (new id, shorter quote); offsets of both move.
    moved = copy.deepcopy(record["claims"])
    moved[0].update(id="aaaaaaaaaaaa", count={**moved[0]["count"], "text": "Nine people"})
    cut = "Another 4 people died of their wounds"
    moved[1].update(id="bbbbbbbbbbbb", evidence={"text": cut, "start": 200, "end": 200 + len(cut)})
    matches = match_article(corrections, moved)
    assert [(m.index, m.how) for m in matches] == [(0, "moved"), (1, "moved")]
    same_sentence = copy.deepcopy(record["claims"])
    same_sentence[0]["id"] = "cccccccccccc"
    assert [(m.index, m.how) for m in match_article(corrections, same_sentence)] == [(0, "quote"), (1, "id")]
    assert [m.index for m in match_article(corrections, [])] == [None, None]


def test_corrections_apply_corrected_values_and_keep_texts() -> None:
    first = _record()["claims"][0]
    correction = verdict_on(first, "idlib.txt", "corrected",
                            {"count": "9-11", "actor": None, "place": {"name": "Idlib", "admin1": "Idlib", "country": "SY"},
                             "time": "2017-06-05"})
    fixed = corrected_claim(first, correction)
    assert fixed["count"] == {"text": "Nine", "value": None, "low": 9, "high": 11, "qualifier": "range"}
    assert fixed["actor"] is None and fixed["locations"][0]["admin1"] == "Idlib"
    assert fixed["time"] == {"text": None, "start": "2017-06-05", "end": "2017-06-05"}
    assert (fixed["date_precision"], fixed["where_precision"]) == ("day", "town"), "the codes follow the values"
    assert first["count"]["value"] == 9, "the claim itself is not changed"


def test_corrections_score_counts_what_the_rules_now_get_right() -> None:
    record = _record()
    first, second = record["claims"]
    corrections = {"idlib.txt": [
        verdict_on(first, "idlib.txt", "corrected", {"actor": "state:SY"}),
        verdict_on(second, "idlib.txt", "correct"),
        from_entry({"verdict": "missed", "quote": "Strike kills 9 in Idlib", "count_text": "9", "predicate": "killed",
                    "fields": {"count": 9}}, "idlib.txt"),
        from_entry({"claim": "dddddddddddd", "verdict": "wrong", "quote": "Ten died in a raid.", "count_text": "Ten"},
                   "idlib.txt"),
    ]}
    records = {"idlib.json": record}
    before = score(records, corrections)
    assert before.counts == {"corrected": {"still differ": 1}, "correct": {"rules agree": 1},
                             "missed": {"still missed": 1}, "wrong": {"no longer extracted": 1}}
    assert [c.claim for c in before.stale] == ["dddddddddddd"]
    # New rules: the actor is the state's forces, the title's figure is read, the second claim changes.
    after = copy.deepcopy(record)
    after["claims"][0]["actor"] = {"text": "jets", "id": "state:SY"}
    after["claims"][1]["count"] = {**after["claims"][1]["count"], "value": 40, "low": 40, "high": 40}
    after["claims"].append(make_claim(TEXT, "Strike kills 9 in Idlib", "9", group="people", value=9))
    now = score({"idlib.json": after}, corrections)
    assert now.counts["corrected"] == {"now right": 1} and now.counts["missed"] == {"now found": 1}
    assert now.counts["correct"] == {"changed since": 1} and now.regressions[0][1] == ["count"]
    assert (now.right, now.judged) == (3, 4)


ARTICLE = ("Gunmen kill seven villagers in Zamfara\n\n"
           "Listen to this article\n\n"
           "Gunmen killed seven villagers in Zamfara state on Sunday, police said.\n\n"
           "The attackers also burned houses.")


ZAMFARA = {"name": "Zamfara", "admin1": "Zamfara", "country": "NG"}


def _extract(nlp: Any) -> dict[str, Any]:
    return json.loads(json.dumps(extract_article(ARTICLE.encode(), "ng/zamfara.txt", Sidecar(published="2024-03-04"),
                                                 nlp)))


def test_corrections_written_on_one_run_apply_after_a_rule_change_moves_offsets(
        nlp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A verdict recorded on one extraction still applies after a boilerplate rule (a real rule
    change, loaded as the extractor loads it) drops a line above the claim and moves its offsets."""
    first_run = _extract(nlp)
    claim = next(c for c in first_run["claims"] if c["count"]["text"] == "seven" and c["section"] == "body")
    assert main_review_verdict(tmp_path, first_run, claim) == 0
    original_load = pipeline.rules.load

    def with_new_rule(name: str) -> dict[str, Any]:
        data = original_load(name)
        if name != "boilerplate":
            return data
        data = copy.deepcopy(data)
        data["line_rules"].append({"kind": "share_widget", "pattern": r"listen to this article",
                                   "examples": ["Listen to this article"]})
        return data

    clean_text._rules.cache_clear()
    monkeypatch.setattr(pipeline.rules, "load", with_new_rule)
    try:
        second_run = _extract(nlp)
    finally:
        monkeypatch.undo()
        clean_text._rules.cache_clear()
    moved = next(c for c in second_run["claims"] if c["count"]["text"] == "seven" and c["section"] == "body")
    assert moved["evidence"]["start"] < claim["evidence"]["start"], "the rule change moved the offsets"
    assert second_run["article"]["dropped"].get("share_widget") == 1
    corrections = load_corrections(tmp_path / "corrections", [])
    review = review_records({"zamfara.json": second_run}, corrections)["zamfara.json"]
    index = second_run["claims"].index(moved)
    assert review.by_claim[index].how == "id" and review.by_claim[index].correction.fields == {"place": ZAMFARA}
    assert corrected_claim(moved, review.by_claim[index].correction)["locations"][0]["admin1"] == "Zamfara"
    # Scored on the new outputs, the correction is still about a claim (not stale).
    result = score({"zamfara.json": second_run}, corrections)
    assert result.stale == [] and sum(result.counts["corrected"].values()) == 1


def main_review_verdict(folder: Path, record: dict[str, Any], claim: dict[str, Any]) -> int:
    """Record a verdict the way ``review --serve`` does (corrections.record_verdicts)."""
    correction = verdict_on(claim, record["article"]["file"], "corrected", {"place": ZAMFARA},
                            "the village is in Zamfara state")
    record_verdicts(folder / "corrections", record["article"]["file"], [correction])
    return 0


def test_corrections_score_command_reads_corrections_beside_the_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = _record()
    write_outputs(tmp_path / "outputs", {"idlib.json": record})
    record_verdicts(tmp_path / "corrections", "idlib.txt", [verdict_on(record["claims"][0], "idlib.txt", "correct")])
    assert main(["review", "--score", "--outputs", str(tmp_path / "outputs")]) == 0
    printed = capsys.readouterr().out
    assert "correct      1: rules agree 1" in printed and "rules right on 1 of 1 reviewed claims (1.000)" in printed
    (tmp_path / "corrections" / "broken.txt.yaml").write_text("corrections: 3\n", encoding="utf-8")
    assert main(["review", "--score", "--outputs", str(tmp_path / "outputs")]) == 1
    assert "[E411]" in capsys.readouterr().err
