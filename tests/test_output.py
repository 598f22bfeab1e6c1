"""The fast JSON writer gives exactly json.dumps(indent=2, ensure_ascii=False)'s text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.output import dumps


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"a": [], "b": {}, "c": 1.5, "d": [1, [2, {"x": None}]], "e": True, "f": False},
        {"text": "é \u2028 \" \\ \n \t \x00 \U0001f600", "n": -0.0, "big": 10**30, "small": 1e-300},
        {"nan": float("nan"), "inf": float("inf")},  # left to json.dumps
        {"pair": (1, "two")},  # tuples are lists
        {1: "non-string key"},  # left to json.dumps
        {"nested": {"deep": [{"k": [[], {}]}]}},
    ],
)
def test_dumps_matches_json_module(record: dict[str, Any]) -> None:
    assert dumps(record) == json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def test_dumps_of_an_extracted_record(nlp: Any) -> None:
    from pipeline.article import extract_article
    from pipeline.sidecar import Sidecar

    text = "Strike kills 12\n\nAt least 12 civilians were killed in Aleppo on Monday, activists said."
    record = extract_article(text.encode("utf-8"), "t.txt", Sidecar(), nlp)
    assert dumps(record) == json.dumps(record, indent=2, ensure_ascii=False) + "\n"
