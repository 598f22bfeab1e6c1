"""The linking rules of ``rules.yaml`` (weights, thresholds, families), loaded once and checked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).with_name("rules.yaml")
WEIGHTS = ("same_day", "one_day_apart", "days_differ", "days_apart", "far_apart", "same_town", "other_town",
           "neighbour_admin1", "other_admin1", "other_cause", "same_actor", "other_actor", "same_figure",
           "figures_overlap", "figures_rising", "figures_differ", "figures_apart", "figures_far", "other_group",
           "words")


@dataclass(frozen=True)
class LinkRules:
    """Everything the linker weighs, as data."""

    link_threshold: float
    conflict_floor: float
    widen: dict[str, tuple[int, int]]
    event_max_days: int
    period_tolerance_days: int
    weights: dict[str, float]
    figure_close: float
    figure_ratio: float
    figure_ratio_far: float
    contested_ratio: float
    words_neutral: float
    words_floor: float
    words_cap: float
    rarity_offset: float
    rarity_cap: float
    rarity_prior: float
    actor_family: dict[str, str]
    actor_wildcards: frozenset[str]
    cause_family: dict[str, str]
    neighbours: frozenset[frozenset[str]]
    stopwords: frozenset[str]


def _families(groups: list[list[str]]) -> dict[str, str]:
    """Each member of a family mapped to the family's first member."""
    return {member: group[0] for group in groups for member in group}


def parse_rules(data: dict[str, Any]) -> LinkRules:
    missing = [name for name in WEIGHTS if name not in data.get("weights", {})]
    if missing:
        raise ValueError(f"link rules: weights missing: {', '.join(missing)}")
    return LinkRules(
        link_threshold=float(data["link_threshold"]),
        conflict_floor=float(data["conflict_floor"]),
        widen={key: (int(before), int(after)) for key, (before, after) in data["widen"].items()},
        event_max_days=int(data["event_max_days"]),
        period_tolerance_days=int(data["period_tolerance_days"]),
        weights={name: float(data["weights"][name]) for name in WEIGHTS},
        figure_close=float(data["figure_close"]),
        figure_ratio=float(data["figure_ratio"]),
        figure_ratio_far=float(data["figure_ratio_far"]),
        contested_ratio=float(data["contested_ratio"]),
        words_neutral=float(data["words"]["neutral"]),
        words_floor=float(data["words"]["floor"]),
        words_cap=float(data["words"]["cap"]),
        rarity_offset=float(data["rarity"]["offset"]),
        rarity_cap=float(data["rarity"]["cap"]),
        rarity_prior=float(data["rarity"]["prior"]),
        actor_family=_families(data["actor_families"]),
        actor_wildcards=frozenset(data["actor_wildcards"]),
        cause_family=_families(data["cause_families"]),
        neighbours=frozenset(frozenset(pair) for pair in data["neighbours"]),
        stopwords=frozenset(str(word) for word in data["stopwords"]),
    )


@lru_cache(maxsize=1)
def load_rules(path: Path = RULES_FILE) -> LinkRules:
    return parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")))
