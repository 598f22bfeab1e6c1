"""Every committed output validates against the committed JSON Schema and holds no floats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
# Article outputs; ``_incidents.json`` (python -m pipeline link) has its own schema, checked below.
OUTPUTS = sorted(p for p in (ROOT / "outputs").rglob("*.json") if not p.name.startswith((".", "_")))
INCIDENTS_SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "incidents.schema.json").read_text(encoding="utf-8"))


def _floats(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_floats(v) for v in value.values())
    if isinstance(value, list):
        return any(_floats(v) for v in value)
    return False


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_outputs_exist() -> None:
    assert OUTPUTS, "outputs/ holds the committed outputs of corpus/"


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: p.name)
def test_schema_output_validates(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(record), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    assert not _floats(record)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text


def test_incidents_file_validates() -> None:
    jsonschema.Draft202012Validator.check_schema(INCIDENTS_SCHEMA)
    document = json.loads((ROOT / "outputs" / "_incidents.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(INCIDENTS_SCHEMA).iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    assert not _floats(document)
