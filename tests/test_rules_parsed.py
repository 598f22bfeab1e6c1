"""The parsed-rules cache (pipeline/rules/parsed.py): same data as parsing, never stale.

A user edits a rule file and runs again: the edit must take effect. A cache that is
corrupt, unwritable or switched off must change nothing but the start-up time.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from pipeline.rules import parsed
from pipeline.rules.parsed import cache_path, load_yaml, parse_yaml_text

RULES = Path(parsed.__file__).parent
SHIPPED = sorted([*RULES.glob("*.yaml"), *RULES.glob("places/*.yaml")])


@pytest.fixture()
def prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cache files go under a temporary pycache prefix, written as by default."""
    root = tmp_path / "pycache"
    monkeypatch.setattr(sys, "pycache_prefix", str(root))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return root


def test_every_shipped_rule_file_reads_back_equal_from_its_cache(prefix: Path) -> None:
    assert len(SHIPPED) >= 12
    for source in SHIPPED:
        fresh = parse_yaml_text(source.read_text(encoding="utf-8"))
        assert load_yaml(source) == fresh  # parsed, then written
        assert cache_path(source).is_file(), source.name
        assert cache_path(source).is_relative_to(prefix)
        assert load_yaml(source) == fresh  # read back from the cache (see the next test)


def test_an_unchanged_file_is_read_from_its_cache_without_parsing(prefix: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is what a second load reads: the parser is not called, and a cache body
    under the right stamp is what comes back (so the stamp test above is what guards it)."""
    source = tmp_path / "mine.yaml"
    source.write_text("n: 5\n", encoding="utf-8")
    assert load_yaml(source) == {"n": 5}

    def no_parse(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(parsed, "parse_yaml_text", no_parse)
    assert load_yaml(source) == {"n": 5}
    where = cache_path(source)
    stamp = where.read_text(encoding="utf-8").partition("\n")[0]
    where.write_text(stamp + "\n" + '{"n": 99}', encoding="utf-8")
    assert load_yaml(source) == {"n": 99}


def test_an_edited_rule_file_is_parsed_again(prefix: Path, tmp_path: Path) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text("words: [shelling]\n", encoding="utf-8")
    assert load_yaml(source) == {"words": ["shelling"]}
    source.write_text("words: [shelling, airstrike]\n", encoding="utf-8")
    assert load_yaml(source) == {"words": ["shelling", "airstrike"]}
    assert load_yaml(source) == {"words": ["shelling", "airstrike"]}


def test_a_cache_from_other_bytes_is_not_trusted(prefix: Path, tmp_path: Path) -> None:
    """Even a cache file with well-formed content is ignored when its stamp is another file's."""
    source = tmp_path / "mine.yaml"
    source.write_text("n: 1\n", encoding="utf-8")
    load_yaml(source)
    where = cache_path(source)
    stamp, _, _ = where.read_text(encoding="utf-8").partition("\n")
    where.write_text(stamp[:-1] + ("0" if stamp[-1] != "0" else "1") + "\n{\"n\": 99}", encoding="utf-8")
    assert load_yaml(source) == {"n": 1}


@pytest.mark.parametrize("garbage", ["", "not a stamp", "\x00\x01", "{half"])
def test_a_corrupt_cache_is_parsed_over(prefix: Path, tmp_path: Path, garbage: str) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text("n: 2\n", encoding="utf-8")
    load_yaml(source)
    where = cache_path(source)
    stamp = where.read_text(encoding="utf-8").partition("\n")[0]
    for text in (garbage, stamp + "\n" + garbage):
        where.write_text(text, encoding="utf-8")
        assert load_yaml(source) == {"n": 2}
    assert load_yaml(source) == {"n": 2}  # and the rewritten cache reads back


def test_no_cache_is_written_where_python_writes_no_bytecode(prefix: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    source = tmp_path / "mine.yaml"
    source.write_text("n: 3\n", encoding="utf-8")
    assert load_yaml(source) == {"n": 3}
    assert not cache_path(source).exists()


def test_data_json_cannot_hold_is_parsed_each_time(prefix: Path, tmp_path: Path) -> None:
    """A date and an integer key would come back as strings from JSON: not cached."""
    for name, text, data in (
        ("date.yaml", "day: 2017-03-01\n", {"day": dt.date(2017, 3, 1)}),
        ("keys.yaml", "1: one\n", {1: "one"}),
    ):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        assert load_yaml(source) == data
        assert not cache_path(source).exists()
        assert load_yaml(source) == data


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setattr(sys, "pycache_prefix", str(blocker))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    source = tmp_path / "mine.yaml"
    source.write_text("n: 4\n", encoding="utf-8")
    assert load_yaml(source) == {"n": 4}
    assert load_yaml(source) == {"n": 4}
