"""Rule and lexicon files shipped inside the package, loaded and validated once.

Every file in this folder is data: a user adds an alias or a pattern by editing one
YAML file, and the test suite runs the examples each file carries. Loading checks
the top-level keys of each file, so a typo fails at start-up with a coded error
naming the file, not later as a silently missing rule.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.errors import RuleError
from pipeline.rules.parsed import load_yaml, parse_yaml_text

# Top-level keys each rule file may hold (medspaCy's _ALLOWED_KEYS pattern).
ALLOWED_KEYS: dict[str, set[str]] = {
    "counts": {"qualifiers", "number_words", "multipliers", "dozen", "vague", "examples", "negative", "not_people",
               "cumulative_markers", "war_total_markers", "background_markers"},
    "victims": {"groups", "adjectives", "singular", "singular_nouns", "singular_not_before", "possessives",
                "singular_open_after", "singular_open_before", "singular_open_not_heads", "singular_open_suffixes",
                "singular_adjectives", "singular_headline_verbs", "sides", "examples", "negative"},
    "predicates": {"rules", "not_triggers", "no_deaths"},
    "actors": {"actors", "state_forces", "by_country", "target_markers", "target_suffixes", "responsibility", "negative",
               "attack_verbs", "own_operations", "force_acts", "combat_with"},
    "causes": {"causes", "not_causes", "negative", "combat", "equipment_markers", "attack_words"},
    "sources": {"report_verbs", "organizations", "anonymous", "anaphors", "attribution"},
    "scope": {"other_story", "back_references", "background", "cumulative_patterns", "cumulative_examples", "cumulative_negative",
              "toll_words", "toll_rise", "campaign_words", "toll_update_examples", "toll_update_negative",
              "period_markers", "period_examples", "period_negative", "embedded_posts", "embedded_examples",
              "embedded_negative", "status"},
    "boilerplate": {"line_rules", "inline_rules", "keep"},
    "html_boilerplate": {"block_rules", "keep"},
    "dates": {"reference_date", "months", "weekdays", "datelines", "dateline_negative"},
    "times": {"reference_date", "rules", "negative", "reaction_verbs"},
}


def rule_names() -> list[str]:
    """The rule files the pipeline reads, in a fixed order."""
    return sorted(ALLOWED_KEYS)


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Load ``rules/<name>.yaml`` and check its top-level keys.

    Raises:
        RuleError: E201 when the file is not a YAML mapping, E202 on unknown keys.
    """
    source = f"pipeline/rules/{name}.yaml"
    node = resources.files("pipeline.rules").joinpath(f"{name}.yaml")
    try:
        text = node.read_text(encoding="utf-8")
        # Parsed data comes from a cache kept like bytecode when the file is unchanged
        # (pipeline/rules/parsed.py): libyaml took ~65 ms of every start-up.
        data = load_yaml(node, text) if isinstance(node, Path) else parse_yaml_text(text)
    except Exception as exc:
        if not isinstance(exc, OSError) and not _is_yaml_error(exc):
            raise
        raise RuleError("E201", source=source, reason=str(exc).splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise RuleError("E201", source=source, reason="the top level is not a mapping")
    unknown = set(data) - ALLOWED_KEYS.get(name, set(data))
    if unknown:
        raise RuleError("E202", source=source, rule="(file)", keys=sorted(unknown))
    return data


def _is_yaml_error(exc: BaseException) -> bool:
    """Whether ``exc`` is PyYAML's (imported only when a file had to be parsed)."""
    yaml = sys.modules.get("yaml")
    return yaml is not None and isinstance(exc, yaml.YAMLError)


def fingerprint() -> str:
    """A hash of every data file in the package, for incremental re-runs."""
    digest = hashlib.sha256()
    root = resources.files("pipeline.rules")
    for entry in sorted(_walk(root), key=lambda pair: pair[0]):
        digest.update(entry[0].encode())
        digest.update(entry[1])
    return digest.hexdigest()


def _walk(node: Any, prefix: str = "") -> list[tuple[str, bytes]]:
    """All data files below ``node`` as (relative path, bytes)."""
    found: list[tuple[str, bytes]] = []
    for child in node.iterdir():
        path = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                found.extend(_walk(child, path + "/"))
        elif not child.name.endswith((".py", ".pyc")):
            found.append((path, child.read_bytes()))
    return found
