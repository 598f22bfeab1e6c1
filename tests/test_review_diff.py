"""``python -m pipeline diff``: claims added, removed and changed, against git or a folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pipeline.cli import main
from pipeline.review.diff import diff_outputs, field_changes, quote, totals
from tests.review_helpers import ROOT, clone, make_claim, make_record, seed_records, write_outputs

SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
TEXT = ("Strikes kill 12 in Raqqa\n\nAt least 12 civilians were killed in Raqqa on Monday. "
        "Another 30 people were injured. Five fighters died later.")


def _record(count: int = 12) -> dict[str, Any]:
    return make_record(TEXT, [
        make_claim(TEXT, "At least 12 civilians were killed in Raqqa on Monday.", "At least 12",
                   qualifier="at_least", low=count),
        make_claim(TEXT, "Another 30 people were injured.", "30", predicate="injured", group="people", value=30),
    ])


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose HEAD holds two outputs: ``a.json`` and ``sub/b.json``."""
    _git(tmp_path, "init", "-q")
    write_outputs(tmp_path / "outputs", {"a.json": _record(), "sub/b.json": seed_records()["000_f38fa38faa10382e.json"]})
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "outputs")
    return tmp_path


def test_review_helpers_records_match_schema() -> None:
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(_record()))
    assert not errors, errors[0].message


def test_review_diff_identical_outputs_report_nothing() -> None:
    records = seed_records()
    assert diff_outputs(records, clone(records)) == []


def test_review_diff_matches_claims_by_id() -> None:
    old = {"a.json": _record()}
    new_record = _record(count=14)
    dropped = new_record["claims"].pop(1)
    added = make_claim(TEXT, "Five fighters died later.", "Five", group="fighters", value=5)
    new_record["claims"].append(added)
    [diff] = diff_outputs(old, {"a.json": new_record})
    assert diff.status == "changed"
    assert [c["id"] for c in diff.removed] == [dropped["id"]]
    assert [c["id"] for c in diff.added] == [added["id"]]
    [change] = diff.changed
    assert change.claim["id"] == old["a.json"]["claims"][0]["id"]
    assert [(f.path, f.old, f.new) for f in change.fields] == [("count.low", 12, 14)]


def test_review_diff_ignores_shifted_offsets_but_not_quotes() -> None:
    old = _record()
    new = clone(old)
    for claim in new["claims"]:
        claim["evidence"]["start"] += 7
        claim["evidence"]["end"] += 7
    new["article"]["text"] = "Update. " + new["article"]["text"]
    [diff] = diff_outputs({"a.json": old}, {"a.json": new})
    assert not diff.changed and not diff.added and not diff.removed
    new["claims"][0]["evidence"]["text"] = "At least 12 civilians died."
    [diff] = diff_outputs({"a.json": old}, {"a.json": new})
    assert [f.path for f in diff.changed[0].fields] == ["evidence.text"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"a": 1}, {"a": 1}, []),
        ({"a": {"b": 1, "c": 2}}, {"a": {"b": 1, "c": 3}}, [("a.c", 2, 3)]),
        ({"actor": None}, {"actor": {"id": "x"}}, [("actor", None, {"id": "x"})]),
        ({"locations": [1]}, {"locations": [1, 2]}, [("locations", [1], [1, 2])]),
        ({"gone": 1}, {}, [("gone", 1, None)]),
    ],
)
def test_review_diff_field_changes_by_dotted_path(old: dict[str, Any], new: dict[str, Any],
                                                  expected: list[tuple[str, Any, Any]]) -> None:
    assert [(c.path, c.old, c.new) for c in field_changes(old, new)] == expected


def test_review_diff_quote_is_one_line_and_bounded() -> None:
    claim = {"evidence": {"text": "A  long\n\nsentence " * 40}}
    shown = quote(claim, width=50)
    assert "\n" not in shown and len(shown) == 52 and shown.endswith('…"')


def test_review_diff_against_git_head(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = repo / "outputs"
    changed = _record(count=14)
    changed["claims"].pop(1)
    write_outputs(outputs, {"a.json": changed, "c.json": _record()})
    (outputs / "sub" / "b.json").unlink()
    (outputs / ".extract-state.json").write_text("{}", encoding="utf-8")  # run state is not an output

    assert main(["diff", "--outputs", str(outputs)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "a.json (changed): 1 removed, 1 changed" in lines
    assert "      count.low: 12 → 14" in lines
    assert '      quote: "At least 12 civilians were killed in Raqqa on Monday."' in lines
    assert "c.json (new article): 2 added" in lines
    assert "sub/b.json (article gone): 9 removed" in lines
    assert lines[-1] == f"diff HEAD → {outputs}: 3 of 3 articles differ (1 new, 1 gone); claims +2 -10 ~1"
    assert main(["diff", "--check", "--outputs", str(outputs)]) == 1


def test_review_diff_check_passes_when_unchanged(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "HEAD", "--check", "--outputs", str(repo / "outputs")]) == 0
    assert capsys.readouterr().out == f"diff HEAD → {repo / 'outputs'}: no changes (2 articles compared)\n"


def test_review_diff_folder_missing_at_revision_is_all_new(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_outputs(repo / "other", {"x.json": _record()})
    assert main(["diff", "--outputs", str(repo / "other")]) == 0
    assert "x.json (new article): 2 added" in capsys.readouterr().out


def test_review_diff_between_two_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_outputs(tmp_path / "old", {"a.json": _record()})
    write_outputs(tmp_path / "new", {"a.json": _record(count=13)})
    assert main(["diff", "--old", str(tmp_path / "old"), "--new", str(tmp_path / "new"), "--check"]) == 1
    assert "      count.low: 12 → 13" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("argv", [["diff", "no-such-rev"], ["diff", "--old", "x"], ["diff", "HEAD", "--old", "a", "--new", "b"]])
def test_review_diff_usage_errors_exit_2(repo: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("diff: ")


def test_review_diff_totals_count_articles_and_claims() -> None:
    diffs = diff_outputs({"a.json": _record()}, {"a.json": _record(count=20), "b.json": _record()})
    summary = totals(diffs, compared=2)
    assert (summary.articles_changed, summary.articles_added, summary.claims_added, summary.claims_changed) == (1, 1, 2, 1)
