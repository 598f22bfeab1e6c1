"""The fast JSON writer gives exactly json.dumps(indent=2, ensure_ascii=False)'s text for
everything a record holds (records hold no floats: the schema's numbers are integers);
atomic writes respect the umask and leave nothing half-written behind."""

from __future__ import annotations

import errno
import json
import os
import stat
from typing import Any

import pytest

from pipeline.output import dumps, write_atomic


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


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_write_atomic_respects_the_umask(tmp_path: Any, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        write_atomic(tmp_path / "a" / "out.json", "1\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a" / "out.json").stat().st_mode) == mode


def test_write_atomic_failure_leaves_the_old_file_and_no_temporary(tmp_path: Any, monkeypatch: Any) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")

    def disk_full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "new\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
