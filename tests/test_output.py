"""The fast JSON writer gives exactly json.dumps(indent=2, ensure_ascii=False)'s text for
everything a record holds (records hold no floats: the schema's numbers are integers)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.output import dumps


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"a": [], "b": {}, "d": [1, [2, {"x": None}]], "e": True, "f": False},
        {"text": "é \u2028 \" \\ \n \t \x00 \x7f \U0001f600", "big": 10**30, "neg": -(2**63) - 1},
        {"surrogate": "\ud800 alone"},  # refused by orjson: the Python encoder takes it
        {"pair": (1, "two")},  # tuples are lists
        {1: "non-string key"},  # left to json.dumps
        {"nested": {"deep": [{"k": [[], {}]}]}},
    ],
)
def test_dumps_matches_json_module(record: dict[str, Any]) -> None:
    assert dumps(record) == json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def test_dumps_floats_stay_numbers() -> None:
    # Not in records; still valid JSON that reads back the same.
    assert json.loads(dumps({"c": 1.5, "n": -0.0, "small": 1e-300})) == {"c": 1.5, "n": -0.0, "small": 1e-300}


def test_dumps_of_an_extracted_record(nlp: Any) -> None:
    from pipeline.article import extract_article
    from pipeline.sidecar import Sidecar

    text = "Strike kills 12\n\nAt least 12 civilians were killed in Aleppo on Monday, activists said."
    record = extract_article(text.encode("utf-8"), "t.txt", Sidecar(), nlp)
    assert dumps(record) == json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def test_background_writer_reports_each_failed_write_and_writes_the_rest(tmp_path: Any) -> None:
    from pipeline.output import BackgroundWriter

    (tmp_path / "blocker").write_text("not a folder", encoding="utf-8")
    with BackgroundWriter() as writer:
        writer.submit(tmp_path / "a" / "one.json", "1\n")
        writer.submit(tmp_path / "blocker" / "two.json", "2\n")
        writer.submit(tmp_path / "a" / "three.json", "3\n")
    assert (tmp_path / "a" / "one.json").read_text(encoding="utf-8") == "1\n"
    assert (tmp_path / "a" / "three.json").read_text(encoding="utf-8") == "3\n"
    assert [path for path, _ in writer.failures] == [str(tmp_path / "blocker" / "two.json")]
    assert writer.failures[0][1]  # the reason, for the error line
    assert not list(tmp_path.glob("**/.two.json.*.tmp"))  # no temporary file left behind
