"""The claim scorer (pipeline/tools/score_claims.py): what matches, what agrees, what counts.

Gold and outputs here are small hand-made files in tmp_path (our own sentences), so each test
states one rule of the matching or of the agreement that `make eval` reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.article import extract_article
from pipeline.output import dumps
from pipeline.sidecar import Sidecar
from pipeline.tools.score_claims import GoldError, load_gold, score, summary

TEXT = ("Shelling kills five in Hama town\n\n"
        "Shelling killed five civilians in Kafr Zita on Monday, the Observatory said. "
        "Dozens of others were wounded. Another five people died in Latamina.\n")


def _gold(folder: Path, unit_id: str, claims: str, published: str = "2017-03-06") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{unit_id}.yaml").write_text(
        f'unit_id: "{unit_id}"\npublished: {published}\nclaims:\n{claims}', encoding="utf-8")


CLAIM = ("- {{at: [{section}, {count_text}, {near}], predicate: {predicate}, count: {count}, qualifier: {qualifier},\n"
         "   group: {group}, country: SY, admin1: Hama, time: {time}, actor: {actor}, source: {source}, scope: incident}}\n")


def _claim(**fields: Any) -> str:
    values = dict(section="body", count_text="five", near="killed five civilians", predicate="killed", count=5,
                  qualifier="exact", group="civilians", time="[2017-03-06, 2017-03-06]", actor="null",
                  source="Syrian Observatory for Human Rights")
    values.update(fields)
    return CLAIM.format(**values)


def _out(text: str, evidence: str, count_text: str, **fields: Any) -> dict[str, Any]:
    start = text.index(evidence)
    claim = {"predicate": "killed", "count": {"text": count_text, "value": 5, "low": 5, "high": 5,
                                             "qualifier": "exact"},
             "group": "civilians", "includes": [], "actor": None,
             "locations": [{"text": "Kafr Zita", "name": "Kafr Zita", "admin1": "Hama", "country": "SY"}],
             "time": {"text": "on Monday", "start": "2017-03-06", "end": "2017-03-06"},
             "source": {"text": "the Observatory", "name": "Syrian Observatory for Human Rights"},
             "cumulative": False, "evidence": {"text": evidence, "start": start, "end": start + len(evidence)}}
    claim.update(fields)
    return claim


def _write(folder: Path, unit_id: str, claims: list[dict[str, Any]], text: str = TEXT) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    record = {"article": {"text": text}, "claims": claims}
    (folder / f"fakes-{unit_id}.json").write_text(json.dumps(record), encoding="utf-8")


FIRST = "Shelling killed five civilians in Kafr Zita on Monday, the Observatory said."
SECOND = "Another five people died in Latamina."


def test_a_claim_with_the_same_predicate_count_and_place_in_the_text_matches(tmp_path: Path) -> None:
    _gold(tmp_path / "gold", "2", _claim())
    _write(tmp_path / "out", "2", [_out(TEXT, FIRST, "five")])
    result = summary(score(tmp_path / "out", load_gold(tmp_path / "gold")))
    assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0)
    assert all(result[name] == 1.0 for name in ("group", "admin1", "time_equal", "source", "scope"))


def test_the_same_number_in_another_sentence_or_predicate_is_a_miss_and_an_extra(tmp_path: Path) -> None:
    _gold(tmp_path / "gold", "2", _claim())
    _write(tmp_path / "out", "2", [_out(TEXT, SECOND, "five"), _out(TEXT, FIRST, "five", predicate="injured")])
    report = score(tmp_path / "out", load_gold(tmp_path / "gold"))
    assert (report.whole.gold, report.whole.output, report.whole.matched) == (1, 2, 0)
    assert sum(line.startswith("missed") for line in report.errors) == 1
    assert sum(line.startswith("extra") for line in report.errors) == 2


def test_a_figure_in_title_and_body_is_matched_once_each_by_position(tmp_path: Path) -> None:
    gold = _claim(section="title", near="kills five in") + _claim()
    _gold(tmp_path / "gold", "2", gold)
    title = TEXT.split("\n")[0]
    _write(tmp_path / "out", "2", [_out(TEXT, FIRST, "five"), _out(TEXT, title, "five")])
    assert score(tmp_path / "out", load_gold(tmp_path / "gold")).whole.matched == 2


def test_vague_amounts_match_by_their_word_and_ranges_by_their_bounds(tmp_path: Path) -> None:
    text = "Clashes in Hama\n\nDozens of others were wounded and between 20 and 30 were killed.\n"
    sentence = text.split("\n")[2]
    gold = (_claim(count_text="Dozens", near="Dozens of others", predicate="injured", count="dozens",
                   qualifier="vague", group="people")
            + _claim(count_text="between 20 and 30", near="between 20 and 30 were", count="[20, 30]",
                     qualifier="range", group="people"))
    _gold(tmp_path / "gold", "3", gold)
    outs = [_out(text, sentence, "Dozens of", predicate="injured", group="people",
                 count={"text": "Dozens of", "value": None, "low": 12, "high": None, "qualifier": "vague"}),
            _out(text, sentence, "between 20 and 30", group="people",
                 count={"text": "between 20 and 30", "value": None, "low": 20, "high": 30, "qualifier": "range"})]
    _write(tmp_path / "out", "3", outs, text)
    result = summary(score(tmp_path / "out", load_gold(tmp_path / "gold")))
    assert (result["matched"], result["qualifier"]) == (2, 1.0)


def test_null_is_a_value_and_a_list_accepts_any_of_its_items(tmp_path: Path) -> None:
    gold = _claim(source="null", actor="[syrian_government, russia]", time="{any: [[2017-03-05, 2017-03-06], null]}")
    _gold(tmp_path / "gold", "2", gold)
    out = _out(TEXT, FIRST, "five", actor={"text": "Russian jets", "id": "russia"})
    _write(tmp_path / "out", "2", [out])
    result = summary(score(tmp_path / "out", load_gold(tmp_path / "gold")))
    assert result["source"] == 0.0  # the gold says nobody is quoted
    assert result["actor"] == 1.0
    assert (result["time_equal"], result["time_overlap"]) == (0.0, 1.0)


def test_a_source_agrees_when_its_text_holds_an_accepted_name_as_whole_words(tmp_path: Path) -> None:
    _gold(tmp_path / "gold", "2", _claim(source="[Hama Police Command, SANA]"))
    cases = {"A source at Hama Police Command": 1.0, "he": 0.0, "SANAs correspondent": 0.0}
    for said, expected in cases.items():
        _write(tmp_path / "out", "2", [_out(TEXT, FIRST, "five", source={"text": said, "name": None})])
        assert summary(score(tmp_path / "out", load_gold(tmp_path / "gold")))["source"] == expected, said


def test_halves_follow_unit_id_parity_and_a_missing_output_counts_as_missed(tmp_path: Path) -> None:
    _gold(tmp_path / "gold", "2", _claim())
    _gold(tmp_path / "gold", "3", _claim())
    _write(tmp_path / "out", "2", [_out(TEXT, FIRST, "five")])
    report = score(tmp_path / "out", load_gold(tmp_path / "gold"))
    even, odd = report.halves
    assert (even.gold, even.matched, odd.gold, odd.matched, odd.missing_outputs) == (1, 1, 1, 0, 1)
    assert report.whole.scores()["recall"] == 0.5


@pytest.mark.parametrize("claim, problem", [
    (_claim(near="killed 5 civilians"), "does not hold the count text"),
    (_claim(predicate="died"), "predicate"),
    (_claim(time="[2017-03-06, 2017-03-01]"), "ends before it starts"),
])
def test_a_malformed_gold_claim_is_refused_with_its_place(tmp_path: Path, claim: str, problem: str) -> None:
    _gold(tmp_path, "2", claim)
    with pytest.raises(GoldError, match=problem):
        load_gold(tmp_path)


def test_the_scorer_reads_real_outputs(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Air strikes kill 12 in Idlib\n\nAir strikes killed 12 civilians in Idlib on Monday, a monitor said.\n"
    record = extract_article(text.encode("utf-8"), "fakes-4.txt", Sidecar(published="2017-03-06"), nlp)
    (tmp_path / "fakes-4.json").write_text(dumps(record), encoding="utf-8")
    _gold(tmp_path / "gold", "4", _claim(count_text="12", near="killed 12 civilians", count=12))
    report = score(tmp_path, load_gold(tmp_path / "gold"))
    assert report.whole.matched == 1, report.errors
