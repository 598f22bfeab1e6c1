"""Is a JSON file an output the review commands can trust? Checked against its schema.

``report`` and ``export`` read outputs that a user may have edited by hand or that
another tool wrote; a value of the wrong type (a count that is a string, a claim that
is a list, a date that is no date) would crash them or, worse, reach a page or a
spreadsheet unchecked. Each record is validated against the committed JSON Schema
(``pipeline/schema/article.schema.json``, the same file the tests validate every output
with) by this small validator of the keywords the schemas use; jsonschema itself is a
development dependency only. Dates are also checked to be real calendar days. The
linker's ``_incidents.json`` is checked the same way against ``incidents.schema.json``.
A schema that uses a keyword this validator does not know fails loudly (ValueError)
instead of being checked in part.

What is checked is every value that is there: its type, its range, its pattern, its
allowed words. Keys the schema requires may be missing and keys it does not know may be
there: an output written before a field was added to the schema (or by a newer version)
is still an output the review commands can show; a value of the wrong kind is not.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

Check = Callable[[Any, str], str | None]  # (value, where) -> the first problem, or None

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Keywords that only annotate: nothing to check.
_ANNOTATIONS = {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
_KNOWN = _ANNOTATIONS | {"$ref", "type", "const", "enum", "pattern", "minLength", "minimum", "maximum", "oneOf", "items",
                         "minItems", "maxItems", "properties", "required", "additionalProperties"}


def problem(record: Any, schema: str = "article") -> str | None:
    """The first way ``record`` differs from ``pipeline/schema/<schema>.schema.json``, or None."""
    return _root(schema)(record, "")


@lru_cache(maxsize=4)
def _root(name: str) -> Check:
    text = resources.files("pipeline").joinpath(f"schema/{name}.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    compiled: dict[str, Check] = {}
    return _compile(schema, schema, compiled)


def _compile(node: dict[str, Any], root: dict[str, Any], defs: dict[str, Check]) -> Check:
    unknown = set(node) - _KNOWN
    if unknown:
        raise ValueError(f"schema keyword(s) {sorted(unknown)} not supported by pipeline/review/validate.py")
    checks: list[Check] = []
    if "$ref" in node:
        checks.append(_ref(node["$ref"], root, defs))
    if "type" in node:
        checks.append(_type(node["type"]))
    if "const" in node:
        checks.append(_enum([node["const"]]))
    if "enum" in node:
        checks.append(_enum(node["enum"]))
    if "pattern" in node:
        checks.append(_pattern(node["pattern"]))
    if "minLength" in node:
        least = node["minLength"]
        checks.append(lambda v, w: f"{_at(w)}shorter than {least}" if isinstance(v, str) and len(v) < least else None)
    if "minimum" in node:
        floor = node["minimum"]
        checks.append(lambda v, w: f"{_at(w)}below {floor}" if _TYPES["number"](v) and v < floor else None)
    if "maximum" in node:
        ceiling = node["maximum"]
        checks.append(lambda v, w: f"{_at(w)}above {ceiling}" if _TYPES["number"](v) and v > ceiling else None)
    if "minItems" in node:
        fewest = node["minItems"]
        checks.append(lambda v, w: f"{_at(w)}fewer than {fewest} items" if isinstance(v, list) and len(v) < fewest else None)
    if "maxItems" in node:
        most = node["maxItems"]
        checks.append(lambda v, w: f"{_at(w)}more than {most} items" if isinstance(v, list) and len(v) > most else None)
    if "oneOf" in node:
        checks.append(_one_of([_compile(option, root, defs) for option in node["oneOf"]]))
    if "items" in node:
        checks.append(_items(_compile(node["items"], root, defs)))
    if "properties" in node or "required" in node or "additionalProperties" in node:
        checks.append(_object(node, root, defs))
    return _all(checks)


def _all(checks: list[Check]) -> Check:
    def check(value: Any, where: str) -> str | None:
        for one in checks:
            found = one(value, where)
            if found:
                return found
        return None

    return check


def _ref(ref: str, root: dict[str, Any], defs: dict[str, Check]) -> Check:
    name = ref.removeprefix("#/$defs/")

    def check(value: Any, where: str) -> str | None:
        if name not in defs:
            defs[name] = lambda v, w: None  # a recursive reference sees itself as valid while it compiles
            defs[name] = _compile(root["$defs"][name], root, defs)
        found = defs[name](value, where)
        if found is None and name == "date" and isinstance(value, str) and _DATE.match(value):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return f"{_at(where)}{value!r} is not a calendar date"
        return found

    return check


def _type(kinds: str | list[str]) -> Check:
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    tests = [_TYPES[name] for name in names]
    wanted = " or ".join(names)
    return lambda v, w: None if any(test(v) for test in tests) else f"{_at(w)}expected {wanted}, found {_kind(v)}"


def _enum(allowed: list[Any]) -> Check:
    def check(value: Any, where: str) -> str | None:
        for option in allowed:
            if value == option and type(value) is type(option):
                return None
        return f"{_at(where)}{_short(value)} is not one of {allowed}"

    return check


def _pattern(pattern: str) -> Check:
    compiled = re.compile(pattern)
    return lambda v, w: f"{_at(w)}{_short(v)} does not match {pattern}" if isinstance(v, str) and not compiled.search(v) else None


def _one_of(options: list[Check]) -> Check:
    def check(value: Any, where: str) -> str | None:
        problems = [option(value, where) for option in options]
        valid = sum(found is None for found in problems)
        if valid == 1:
            return None
        return f"{_at(where)}matches {valid} of the allowed forms" if valid else problems[-1]

    return check


def _items(item: Check) -> Check:
    def check(value: Any, where: str) -> str | None:
        if not isinstance(value, list):
            return None
        for index, element in enumerate(value):
            found = item(element, f"{where}[{index}]")
            if found:
                return found
        return None

    return check


def _object(node: dict[str, Any], root: dict[str, Any], defs: dict[str, Check]) -> Check:
    properties = {name: _compile(sub, root, defs) for name, sub in node.get("properties", {}).items()}
    required = list(node.get("required", []))
    extra = node.get("additionalProperties", True)
    extra_check = _compile(extra, root, defs) if isinstance(extra, dict) else None  # e.g. dropped: {kind: count}

    def check(value: Any, where: str) -> str | None:
        if not isinstance(value, dict):
            return None
        if required and not value:  # an empty object where fields are expected
            return f"{_at(where)}empty, expected {', '.join(required[:3])}{'...' if len(required) > 3 else ''}"
        for name, element in value.items():
            inner = f"{where}.{name}" if where else str(name)
            if name in properties:
                found = properties[name](element, inner)
            else:  # unknown keys are let through (see the module docstring); maps check their values
                found = extra_check(element, inner) if extra_check else None
            if found:
                return found
        return None

    return check


def _at(where: str) -> str:
    return f"{where}: " if where else ""


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
