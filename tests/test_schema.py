"""Outputs validate against the committed JSON Schema and hold no floats.

The seed articles are extracted into a temporary folder by the runner, as a user's run
would write them (the committed outputs/ are checked against extraction by `make check`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
SEED_NAMES = sorted(path.stem for path in (ROOT / "tests" / "seeds").glob("*.txt"))
INCIDENTS_SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "incidents.schema.json").read_text(encoding="utf-8"))


def _floats(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_floats(v) for v in value.values())
    if isinstance(value, list):
        return any(_floats(v) for v in value)
    return False


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus extracted by the runner into a temporary outputs folder."""
    corpus, outputs = tmp_path_factory.mktemp("corpus"), tmp_path_factory.mktemp("outputs")
    for path in sorted((ROOT / "tests" / "seeds").glob("*.txt")):
        (corpus / path.name).write_bytes(path.read_bytes())
    summary, lines = run(corpus, outputs)
    assert (summary.extracted, lines) == (len(SEED_NAMES), [])
    return outputs


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_schema_output_validates(seed_outputs: Path, name: str) -> None:
    path = seed_outputs / f"{name}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(record), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    assert not _floats(record)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text


def test_incidents_file_validates(seed_outputs: Path) -> None:
    # _incidents.json (python -m pipeline link) has its own schema.
    from pipeline.link.writer import run_link

    status, lines = run_link(seed_outputs)
    assert (status, [line for line in lines if "[E5" in line]) == (0, [])
    jsonschema.Draft202012Validator.check_schema(INCIDENTS_SCHEMA)
    document = json.loads((seed_outputs / "_incidents.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(INCIDENTS_SCHEMA).iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    assert not _floats(document)
