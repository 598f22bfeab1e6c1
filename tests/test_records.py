"""Every claim a complete record: what a sentence leaves out comes from the report, and says so.

Short reports written for these tests; each expectation was checked by hand against the text.
"""

from __future__ import annotations

import pytest

from pipeline.article import extract_article
from pipeline.claims.precision import date_precision, where_precision
from pipeline.sidecar import Sidecar

PUBLISHED = "2019-05-14"  # a Tuesday


def _claims(nlp, text: str, published: str | None = PUBLISHED) -> list[dict]:
    record = extract_article(text.encode("utf-8"), "t.txt", Sidecar(published=published), nlp)
    return record["claims"]


def _claim(claims: list[dict], count: str) -> dict:
    found = [c for c in claims if c["count"]["text"] == count]
    assert found, f"no claim of {count!r}: {[c['count']['text'] for c in claims]}"
    return found[0]


def test_breakdown_takes_place_time_and_source_from_the_sentence_it_points_back_to(nlp):
    claims = _claims(nlp, "Raid on Saraqeb\n\nAir strikes killed 12 people in Saraqeb on Monday, the Syrian Observatory "
                          "for Human Rights said. Four children were among the dead.")
    part = _claim(claims, "Four")
    assert part["locations"][0]["admin1"] == "Idlib"
    assert part["time"]["start"] == "2019-05-13"
    assert part["source"]["name"] == "Syrian Observatory for Human Rights"
    assert set(part["inherited"]) >= {"locations", "time", "source"}


def test_headline_takes_the_incident_s_day_and_source(nlp):
    claims = _claims(nlp, "Air strikes kill 12 in Saraqeb\n\nAir strikes killed 12 people in Saraqeb on Monday, "
                          "a monitor said.")
    title = [c for c in claims if c["section"] == "title"][0]
    assert title["time"]["start"] == "2019-05-13" and "time" in title["inherited"]
    assert title["source"]["text"] == "a monitor" and "source" in title["inherited"]
    assert "locations" not in title["inherited"]  # the headline names its own place


def test_own_fields_are_never_replaced(nlp):
    claims = _claims(nlp, "Strikes\n\nAir strikes killed 12 people in Saraqeb on Monday. Shelling killed two people "
                          "in Douma on Sunday, state media said.")
    second = _claim(claims, "two")
    assert second["locations"][0]["name"] == "Douma"
    assert second["time"]["start"] == "2019-05-12"
    assert not {"locations", "time", "source"} & set(second["inherited"])


def test_report_day_stands_in_for_an_undated_figure(nlp):
    claims = _claims(nlp, "Blast\n\nA car bomb killed nine people in Azaz, a local official said.")
    claim = _claim(claims, "nine")
    assert claim["time"] == {"text": PUBLISHED, "start": PUBLISHED, "end": PUBLISHED}
    # The publication date only stands in for a day the text does not give.
    assert "time" in claim["inherited"] and claim["date_precision"] == "none"


def test_no_publication_date_no_invented_time(nlp):
    claims = _claims(nlp, "Blast\n\nA car bomb killed nine people in Azaz, a local official said.", published=None)
    claim = _claim(claims, "nine")
    assert claim["time"] is None and claim["date_precision"] == "none"


@pytest.mark.parametrize(
    ("text", "count", "scope"),
    [
        ("Rebel shelling\n\nRebels shelled Aleppo in Syria on Sunday killing four people, a monitor said. The assault "
         "came after government strikes killed 30 people.", "30", "background"),
        ("War\n\nShelling killed four people in Aleppo in Syria on Sunday, a monitor said. More than 400,000 people "
         "have been killed since 2011.", "More than 400,000", "cumulative"),
    ],
    ids=["background", "war-total"],
)
def test_background_and_war_totals_take_only_the_report_s_country(nlp, text, count, scope):
    claim = _claim(_claims(nlp, text), count)
    assert claim["scope"] == scope
    assert claim["locations"] == [{"text": "Syria", "name": "Syria", "admin1": None, "admin1_code": None, "country": "SY"}]
    assert claim["inherited"] == ["locations"]  # neither the incident's place, time, actor nor source


def test_running_total_of_the_report_s_event_is_placed_as_the_event(nlp):
    claims = _claims(nlp, "Siege of Saraqeb\n\nAir strikes killed 12 people in Saraqeb on Monday, a monitor said. "
                          "Since Saturday at least 68 civilians have been killed in attacks on the town.")
    total = _claim(claims, "at least 68")
    assert total["scope"] == "cumulative"
    assert total["locations"][0]["admin1"] == "Idlib" and "locations" in total["inherited"]
    assert total["time"]["start"] == "2019-05-11" and "time" not in total["inherited"]


def test_side_story_without_a_place_is_placed_in_the_country_only(nlp):
    claims = _claims(nlp, "Strikes on Idlib\n\nAir strikes killed 12 people in Saraqeb in Syria on Monday. Elsewhere, "
                          "two children were killed by a landmine.")
    side = _claim(claims, "two")
    assert side["locations"] == [{"text": "Syria", "name": "Syria", "admin1": None, "admin1_code": None, "country": "SY"}]
    assert side["where_precision"] == "country" and "locations" in side["inherited"]
    assert side["actor"] is None  # a side story takes no actor from the main incident


@pytest.mark.parametrize(
    ("text", "count", "name"),
    [
        ("Blast\n\nHama governor Mohammed Hazouri said a car bomb hit the market. He said 12 people were killed.",
         "12", "Hama governor Mohammed Hazouri"),
        ("Blast\n\nThe Syrian Observatory for Human Rights said a car bomb hit Azaz. The source said 12 people died.",
         "12", "Syrian Observatory for Human Rights"),
        ("Blast\n\nA source at the Azaz police command told reporters a car bomb went off at noon. The official said "
         "the blast killed nine people.", "nine", "A source at the Azaz police command"),
    ],
    ids=["he", "the-source", "the-official"],
)
def test_source_resolves_to_the_one_named_before(nlp, text, count, name):
    source = _claim(_claims(nlp, text), count)["source"]
    assert source["name"] == name


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Strike\n\nActivists say air strikes killed 12 people in Douma on Monday.", "alleged"),
        ("Claim\n\nThe Islamic State group said it killed 30 soldiers near Palmyra on Monday.", "claimed"),
        ("Denial\n\nRussia denied that its jets killed 20 civilians in Idlib on Monday.", "denied"),
        ("Strike\n\nAir strikes killed 12 people in Douma on Monday, a monitor said.", "reported"),
    ],
)
def test_status_of_a_figure(nlp, text, status):
    assert _claims(nlp, text)[0]["status"] == status


@pytest.mark.parametrize(
    ("location", "precision"),
    [
        ({"text": "Saraqeb", "name": "Saraqib", "admin1": "Idlib", "country": "SY"}, "town"),
        ({"text": "Idlib province", "name": "Idlib", "admin1": "Idlib", "country": "SY"}, "admin1"),
        ({"text": "Rif Dimashq", "name": "Rif Dimashq", "admin1": "Rif Dimashq", "country": "SY"}, "admin1"),
        ({"text": "Zamalka", "name": "Zamalka", "admin1": "Rif Dimashq", "country": "SY"}, "place"),
        ({"text": "Syria", "name": "Syria", "admin1": None, "admin1_code": None, "country": "SY"}, "country"),
        (None, "none"),
    ],
    ids=["town", "province", "division-name", "village", "country", "none"],
)
def test_where_precision(location, precision):
    assert where_precision([location] if location else []) == precision


def test_where_precision_reads_the_most_precise_place():
    locations = [{"text": "Syria", "name": "Syria", "admin1": None, "admin1_code": None, "country": "SY"},
                 {"text": "Idlib province", "name": "Idlib", "admin1": "Idlib", "country": "SY"}]
    assert where_precision(locations) == "admin1"


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [("2019-05-13", "2019-05-13", "day"), ("2019-05-10", "2019-05-13", "days"), ("2019-05-06", "2019-05-12", "week"),
     ("2019-04-01", "2019-04-30", "month"), ("2019-01-01", "2019-12-31", "year"), (None, None, "none")],
)
def test_date_precision(start, end, precision):
    assert date_precision({"text": "x", "start": start, "end": end}) == precision


def test_running_total_of_the_war_runs_to_publication(nlp):
    claim = _claim(_claims(nlp, "War\n\nMore than 330,000 people have been killed in the war that began in 2011."),
                   "More than 330,000")
    assert (claim["scope"], claim["time"]["start"], claim["time"]["end"]) == ("cumulative", "2011-01-01", PUBLISHED)
    assert claim["date_precision"] == "year"


def test_source_told_to_an_agency_names_the_agency(nlp):
    claims = _claims(nlp, "Shelling\n\nA source at the Aleppo police command told SANA that a woman was killed.")
    assert _claim(claims, "a")["source"] == {"text": "A source at the Aleppo police command", "name": "SANA"}


def test_report_day_is_the_statement_s_day_before_the_publication_date(nlp):
    claims = _claims(nlp, "Strikes\n\nAir strikes hit a market in Saraqeb, local sources said on Monday. At least four "
                          "people were killed.")
    claim = _claim(claims, "At least four")
    assert claim["time"]["start"] == "2019-05-13" and "time" in claim["inherited"]


def test_schema_lists_the_codes_the_pipeline_writes(root):
    """The schema's enums are the vocabularies of scope.py and precision.py: a code added on
    one side and not the other would make valid outputs fail or invalid ones pass."""
    import json

    from pipeline.claims import scope
    from pipeline.claims.precision import DATE_PRECISIONS, WHERE_PRECISIONS

    claim = json.loads((root / "pipeline" / "schema" / "article.schema.json").read_text())["$defs"]["claim"]["properties"]
    assert set(claim["scope"]["enum"]) == set(scope.SCOPES)
    assert set(claim["status"]["enum"]) == set(scope.STATUSES)
    assert set(claim["where_precision"]["enum"]) == set(WHERE_PRECISIONS)
    assert set(claim["date_precision"]["enum"]) == set(DATE_PRECISIONS)


def test_a_besieged_population_takes_no_day_from_the_report(nlp):
    # Being trapped is a standing state: the report's day dates the strike, not the siege.
    claims = _claims(nlp, "Siege\n\nJets struck the town of Douma on Monday killing 12 people. "
                          "More than 40000 civilians are trapped in the town.")
    assert _claim(claims, "12")["time"]["start"] == "2019-05-13"
    trapped = _claim(claims, "More than 40000")
    assert trapped["time"] is None and "time" not in trapped["inherited"]


def test_a_besieged_population_keeps_the_time_its_sentence_gives(nlp):
    claims = _claims(nlp, "Siege\n\nSome 9000 people have been trapped in the old city since March 2019.")
    assert _claim(claims, "Some 9000")["time"] is not None


@pytest.mark.parametrize(
    ("text", "count", "words"),
    [
        ("Shelling\n\nAccording to a source at the Homs police command the rocket killed three people.", "three",
         "a source at the Homs police command"),
        ("Shelling\n\nAccording to officials in the province the terrorists fired a shell killing two people.", "two",
         "officials in the province"),
        ("Shelling\n\nFour people were killed according to officials in Hama on Monday.", "Four", "officials in Hama"),
    ],
    ids=["at-command", "in-province-then-clause", "place-then-day"],
)
def test_a_speaker_keeps_its_place_but_not_the_story_after_it(nlp, text, count, words):
    assert _claim(_claims(nlp, text), count)["source"]["text"] == words


def test_another_figure_of_the_report_is_sourced_as_the_report(nlp):
    # The monitor that reports the main toll reports the raid on the next town too.
    claims = _claims(nlp, "Raids\n\nThe Syrian Observatory for Human Rights said jets killed 12 people in Douma on "
                          "Monday. The town has been besieged for months. Aid convoys have not reached it since the spring. "
                          "Later another seven people were killed in raids on Harasta.")
    other = _claim(claims, "seven")
    assert other["source"]["name"] == "Syrian Observatory for Human Rights" and "source" in other["inherited"]
