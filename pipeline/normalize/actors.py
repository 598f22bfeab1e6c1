"""Actor ids of the catalogue (rules/actors.yaml): states by country, words resolved by country.

Pure functions over the rule files. Two kinds of lexicon label need the article's
country before they are an actor id:

- ``state:XX`` is the forces of a state ("Nigerian army" -> ``state:NG``), except the
  states that had an id before the catalogue (``state_forces.state_ids``: Syria is
  ``syrian_government``, Iraq ``iraqi_government``...), whose ids are kept: ids are a
  public interface.
- ``by_country:<word>`` is a word that names a force only with the country it is used
  about: "the coalition" in Yemen is the Saudi-led one, "security forces" in Kenya are
  Kenya's (``resolve``).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

from pipeline import rules

STATE_PREFIX = "state:"
BY_COUNTRY_PREFIX = "by_country:"
# The "ids" key of a by_country entry that stands for any other country, and the value
# that stands for the state of the article's country.
ANY_COUNTRY = "*"
THE_STATE = "state"


def _actors() -> dict[str, Any]:
    return rules.load("actors")


@cache
def state_ids() -> dict[str, str]:
    """Country code -> the id its forces had before the catalogue (SY -> syrian_government)."""
    return {str(k): str(v) for k, v in _actors()["state_forces"]["state_ids"].items()}


def state_id(country: str) -> str:
    """The actor id of a state's forces: its old id where it has one, else ``state:XX``."""
    return state_ids().get(country) or f"{STATE_PREFIX}{country}"


@cache
def state_names() -> tuple[tuple[str, str, str], ...]:
    """(country code, surface, kind) for every name and demonym of places/demonyms.tsv;
    kind is ``name`` or ``demonym``. One file serves actors and places."""
    text = resources.files("pipeline.rules").joinpath("places/demonyms.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows: list[tuple[str, str, str]] = []
    for code, names, demonyms in csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.extend((code, name, "name") for name in names.split("|") if name)
        rows.extend((code, demonym, "demonym") for demonym in demonyms.split("|") if demonym)
    return tuple(rows)


def resolve(label: str, country: str | None) -> str | None:
    """The actor id a lexicon label stands for in an article about ``country``.

    Labels that are ids already come back unchanged. A ``by_country:`` word takes the id
    its entry gives the country (``state``: that country's forces; ``*``: any country
    not listed), and its ``default`` when the article names no country; None when the
    entry has no default (bare "police" in a text that names no country names nobody).
    """
    if not label.startswith(BY_COUNTRY_PREFIX):
        return label
    spec = _actors()["by_country"][label[len(BY_COUNTRY_PREFIX) :]]
    if country is None:
        default = spec.get("default")
        return str(default) if default else None
    ids = spec["ids"]
    found = ids.get(country, ids.get(ANY_COUNTRY))
    if found is None:
        default = spec.get("default")
        return str(default) if default else None
    return state_id(country) if found == THE_STATE else str(found)
