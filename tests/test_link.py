"""Cross-source linking (pipeline/link/): what a user of ``_incidents.json`` relies on.

Reports here are output records built by hand from short texts written for these tests (no
article text from elsewhere), so each test states the fields the linker reads; one test runs
the seed articles through extraction first. Expectations were checked by hand against the texts.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.article import extract_article
from pipeline.link.cluster import cluster
from pipeline.link.reconcile import duplicates
from pipeline.link.records import load_records, report_of
from pipeline.link.rules import load_rules
from pipeline.link.score import Rarity, figure_weight
from pipeline.link.writer import build, incidents_of, run_link
from pipeline.output import dumps
from pipeline.sidecar import Sidecar
from pipeline.tools.score_deviation import roc_auc

ROOT = Path(__file__).resolve().parent.parent

MARKET = ("A car bomb tore through the crowded vegetable market of Tal Hamra on Tuesday morning, "
          "killing shoppers and traders and wrecking the stalls near the old clock tower. Rescue teams "
          "searched the rubble of the market for hours, and the town's only clinic ran out of blood.")
SCHOOL = ("Warplanes struck the Al-Noor primary school in the village of Kafr Sajna during lessons. "
          "Teachers said the roof fell on two classrooms; parents carried the wounded pupils to a field hospital.")
CAMPAIGN = ("The monitor said the month of air raids on the province was the deadliest since the spring, "
            "with villages along the river emptied and several bakeries hit.")


def claim(cid: str, count: int | None = None, *, qualifier: str = "exact", low: int | None = None,
          high: int | None = None, group: str = "civilians", start: str | None = None, end: str | None = None,
          places: list[tuple[str, str | None]] = (), cumulative: bool = False, includes: list[dict[str, Any]] = (),
          source: tuple[str | None, str | None] | None = None, text: str | None = None,
          status: str | None = None) -> dict[str, Any]:
    """A claim as the extractor writes it (only the fields the linker reads matter)."""
    value = count if qualifier in ("exact", "approximately") else None
    if qualifier in ("at_least", "more_than"):
        low = count
    result: dict[str, Any] = {
        "id": cid, "section": "body", "predicate": "killed",
        "count": {"text": text or str(count), "value": value, "low": low if value is None else count,
                  "high": high if value is None else count, "qualifier": qualifier},
        "group": group, "group_text": group, "includes": list(includes), "actor": None, "cause": None,
        "locations": [{"text": name, "name": name, "admin1": admin1, "country": "SY"} for name, admin1 in places],
        "time": {"text": "on Tuesday", "start": start, "end": end or start} if start else None,
        "source": {"text": source[0], "name": source[1]} if source else None,
        "cumulative": cumulative, "inherited": [],
        "evidence": {"text": "", "start": 0, "end": 0}, "rule": "killed.test",
    }
    if status:
        result["status"] = status
    return result


def record(file: str, title: str, body: str, main: dict[str, Any], *, published: str = "2016-03-09",
           town: str | None = None, admin1: str | None = None, country: str | None = "SY",
           actor: str | None = None, cause: str | None = None, others: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """An output record whose main claim is ``main``."""
    time = main.get("time") or {}
    return {
        "schema_version": 1,
        "article": {"file": file, "title": title, "published": published, "text": f"{title}\n\n{body}"},
        "claims": [main, *others],
        "incident": {"claim": main["id"], "date": time.get("end") or published,
                     "location": {"name": town or admin1, "admin1": admin1, "country": country},
                     "actor": actor, "cause": cause,
                     "killed": {"civilians": None, "children": None, "women": None, "fighters": None, "people": None}},
    }


def market(file: str, count: int, *, qualifier: str = "exact", source: tuple[str | None, str | None] | None = None,
           actor: str | None = "isis", published: str = "2016-03-09", body: str = MARKET,
           title: str = "Car bomb kills shoppers at Tal Hamra market") -> dict[str, Any]:
    cid = hashlib.sha1(file.encode()).hexdigest()[:12]
    return record(file, title, body, claim(cid, count, qualifier=qualifier, start="2016-03-08", source=source),
                  published=published, town="Tal Hamra", admin1="Hasakah", actor=actor, cause="explosion")


def school(file: str, count: int) -> dict[str, Any]:
    cid = hashlib.sha1(file.encode()).hexdigest()[:12]
    return record(file, "Air strike hits village school", SCHOOL, claim(cid, count, group="children", start="2016-03-08"),
                  town="Kafr Sajna", admin1="Idlib", actor="syrian_government", cause="airstrike")


def period(file: str, count: int, *, start: str = "2016-02-01", end: str = "2016-02-29",
           actor: str = "russia", admin1: str = "Idlib", published: str = "2016-03-02") -> dict[str, Any]:
    cid = hashlib.sha1(file.encode()).hexdigest()[:12]
    return record(file, "A month of raids", CAMPAIGN, claim(cid, count, start=start, end=end), published=published,
                  admin1=admin1, actor=actor, cause="airstrike")


def by_file(*records: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["article"]["file"]: r for r in records}


def incident_of(document: dict[str, Any], article: str) -> dict[str, Any]:
    found = [i for i in document["incidents"] if any(r["article"] == article for r in i["reports"])]
    assert len(found) == 1, f"{article} is in {len(found)} incidents"
    return found[0]


def articles(incident: dict[str, Any]) -> set[str]:
    return {r["article"] for r in incident["reports"]}


def test_reports_of_one_event_are_one_incident_and_another_place_is_not() -> None:
    document = incidents_of(by_file(
        market("a.txt", 12, source=("the civil defence", "Syrian Civil Defence")),
        market("b.txt", 14, qualifier="at_least", source=("the monitor", "Syrian Observatory for Human Rights"),
               published="2016-03-08", title="Bombing at Tal Hamra vegetable market"),
        market("c.txt", 15, published="2016-03-10", title="Tal Hamra market toll rises"),
        school("d.txt", 9),
    ))
    assert articles(incident_of(document, "a.txt")) == {"a.txt", "b.txt", "c.txt"}
    assert articles(incident_of(document, "d.txt")) == {"d.txt"}
    assert incident_of(document, "d.txt")["grade"] == "single_source"


def test_every_main_claim_in_one_incident_and_reports_are_claims() -> None:
    records = by_file(market("a.txt", 12), market("b.txt", 12), school("c.txt", 4), period("d.txt", 80))
    document = incidents_of(records)
    seen = [(r["article"], r["claim"]) for i in document["incidents"] for r in i["reports"]]
    assert sorted(seen) == sorted((f, rec["incident"]["claim"]) for f, rec in records.items())
    for article, claim_id in seen:
        assert claim_id in {c["id"] for c in records[article]["claims"]}


def test_same_bytes_whatever_the_order_and_ids_from_members() -> None:
    records = [market("a.txt", 12), market("b.txt", 13), market("c.txt", 40), school("d.txt", 9),
               period("e.txt", 80), period("f.txt", 83)]
    first = dumps(incidents_of(by_file(*records)))
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert dumps(incidents_of(by_file(*shuffled))) == first
    # Adding an article changes only the id of the incident it joins (the school's).
    more = json.loads(dumps(incidents_of(by_file(*records, school("z.txt", 2)))))
    assert articles(incident_of(more, "z.txt")) == {"d.txt", "z.txt"}
    untouched = {i["id"] for i in json.loads(first)["incidents"] if "d.txt" not in articles(i)}
    assert untouched <= {i["id"] for i in more["incidents"]}
    assert "." not in first.replace(".txt", "")  # no floats in the file


def test_period_totals_link_only_to_the_same_total_and_never_to_events() -> None:
    event_in_month = record("g.txt", "Raid on a bakery", "Jets hit a bakery queue in Idlib.",
                            claim("0000000000aa", 80, start="2016-02-10"), admin1="Idlib", actor="russia",
                            cause="airstrike", published="2016-02-10")
    document = incidents_of(by_file(
        period("e.txt", 80), period("f.txt", 86, published="2016-03-03"),
        period("h.txt", 80, actor="international_coalition"),        # another actor
        period("i.txt", 80, start="2016-01-01", end="2016-01-31"),   # another month
        period("j.txt", 80, admin1="Aleppo"),                        # another province
        event_in_month,
    ))
    monthly = incident_of(document, "e.txt")
    assert monthly["type"] == "period_total" and articles(monthly) == {"e.txt", "f.txt"}
    for alone in ("h.txt", "i.txt", "j.txt", "g.txt"):
        assert articles(incident_of(document, alone)) == {alone}
    assert incident_of(document, "g.txt")["type"] == "incident"


def test_seeds_stay_two_separate_period_totals(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((ROOT / "tests" / "seeds").glob("*.txt")):
        record_ = extract_article(path.read_bytes(), path.name, Sidecar(), nlp)
        (tmp_path / f"{path.stem}.json").write_text(dumps(record_), encoding="utf-8")
    document = json.loads(build(tmp_path))
    assert len(document["incidents"]) == 2
    assert [i["type"] for i in document["incidents"]] == ["period_total", "period_total"]
    assert all(len(i["reports"]) == 1 for i in document["incidents"])


def test_syndicated_copies_count_once_but_a_reused_body_is_not_merged_by_text() -> None:
    copy = market("b.txt", 12, published="2016-03-10", title="Market bombing in Tal Hamra")
    document = incidents_of(by_file(market("a.txt", 12), copy))
    incident = incident_of(document, "a.txt")
    assert articles(incident) == {"a.txt", "b.txt"}
    assert {r["article"]: r["duplicate_of"] for r in incident["reports"]} == {"a.txt": None, "b.txt": "a.txt"}
    assert incident["sources"] == 1 and incident["grade"] == "single_source"
    # A page that carries another story's body after its own lead: the same words, another event.
    other = record("x.txt", "Shelling of a river crossing", "Mortars fell on the ferry landing of Deir Sharqi. " + MARKET,
                   claim("0000000000bb", 3, start="2016-03-08"), town="Deir Sharqi", admin1="Deir ez-Zor",
                   actor="unidentified", cause="shelling")
    document = incidents_of(by_file(market("a.txt", 12), other))
    assert articles(incident_of(document, "x.txt")) == {"x.txt"}


def test_figures_follow_ucdp_and_acled_and_grades() -> None:
    document = incidents_of(by_file(
        market("a.txt", 12, source=("rescuers", "Syrian Civil Defence")),
        market("b.txt", 14, qualifier="at_least", source=("the monitor", "Syrian Observatory for Human Rights")),
    ))
    incident = incident_of(document, "a.txt")
    assert incident["grade"] == "corroborated" and incident["sources"] == 2
    assert incident["figures"] == {"low": 12, "best": 12, "high": 14, "conservative": 12}
    contested = incidents_of(by_file(
        market("a.txt", 12, source=("rescuers", "Syrian Civil Defence")),
        market("b.txt", 30, source=("the monitor", "Syrian Observatory for Human Rights")),
    ))
    incident = incident_of(contested, "a.txt")
    assert articles(incident) == {"a.txt", "b.txt"}
    assert incident["grade"] == "contested" and incident["contested"] == ["figures"]
    assert {r["article"]: r["deviation"] for r in incident["reports"]} == {"a.txt": 150, "b.txt": 150}


def test_two_sources_naming_different_perpetrators_are_contested() -> None:
    document = incidents_of(by_file(
        market("a.txt", 12, source=("rescuers", "Syrian Civil Defence"), actor="isis"),
        market("b.txt", 12, source=("the monitor", "Syrian Observatory for Human Rights"), actor="sdf"),
    ))
    incident = incident_of(document, "a.txt")
    assert incident["contested"] == ["perpetrators"]
    assert [p["actor"] for p in incident["perpetrators"]] == ["isis", "sdf"]
    # Russia and the Syrian government are one family: naming either is no conflict.
    document = incidents_of(by_file(
        market("a.txt", 12, source=("rescuers", "Syrian Civil Defence"), actor="russia"),
        market("b.txt", 12, source=("the monitor", "Syrian Observatory for Human Rights"), actor="syrian_government"),
    ))
    assert incident_of(document, "a.txt")["grade"] == "corroborated"


def test_the_perpetrator_giving_its_own_figure_is_acknowledged() -> None:
    cid = "0000000000cc"
    own = record("a.txt", "Army says it killed 40 fighters", "The army said its units killed 40 fighters near the dam.",
                 claim(cid, 40, group="fighters", start="2016-03-08", source=("the army", None)),
                 admin1="Raqqa", actor="syrian_government", cause="shooting")
    incident = incidents_of(by_file(own))["incidents"][0]
    assert incident["grade"] == "acknowledged" and incident["reports"][0]["acknowledged"] is True
    claimed = record("b.txt", "Group claims attack", "A group said it carried out the attack.",
                     claim("0000000000dd", 5, start="2016-03-08", status="claimed"), admin1="Homs", actor="isis")
    assert incidents_of(by_file(claimed))["incidents"][0]["grade"] == "acknowledged"


def test_within_one_article_subcounts_over_the_total_and_a_second_figure_are_flagged() -> None:
    main = claim("0000000000e1", 12, start="2016-03-08", places=[("Tal Hamra", "Hasakah")],
                 includes=[{"group": "children", "count": {"text": "15", "value": 15, "low": 15, "high": 15,
                                                            "qualifier": "exact"}}])
    second = claim("0000000000e2", 30, start="2016-03-08", places=[("Tal Hamra", "Hasakah")])
    part = claim("0000000000e3", 5, start="2016-03-08", places=[("Qamishli", "Hasakah")])  # another place: a part
    nearly = claim("0000000000e4", 13, qualifier="approximately", start="2016-03-08")   # "nearly 13" allows 12
    rec = record("a.txt", "Bombing", MARKET, main, town="Tal Hamra", admin1="Hasakah", others=[second, part, nearly])
    report = incidents_of(by_file(rec))["incidents"][0]["reports"][0]
    assert report["flags"] == ["subcounts_exceed_total:0000000000e1", "other_figure:0000000000e2"]


def test_link_command_writes_checks_and_reports_bad_outputs(tmp_path: Path) -> None:
    for rec in (market("a.txt", 12), market("b.txt", 13)):
        (tmp_path / rec["article"]["file"].replace(".txt", ".json")).write_text(dumps(rec), encoding="utf-8")
    status, lines = run_link(tmp_path, check=True)
    assert status == 1 and "would change" in lines[-1]
    status, _ = run_link(tmp_path)
    assert status == 0 and (tmp_path / "_incidents.json").is_file()
    assert run_link(tmp_path, check=True)[0] == 0
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    status, lines = run_link(tmp_path)
    assert status == 1 and any("c.json" in line and "[E501]" in line for line in lines)
    assert len(json.loads((tmp_path / "_incidents.json").read_text())["incidents"]) == 1
    (tmp_path / "b.json").unlink()
    (tmp_path / "c.json").unlink()
    assert run_link(tmp_path, check=True)[0] == 1  # stale after an output went
    result = subprocess.run([sys.executable, "-m", "pipeline", "link", "--outputs", str(tmp_path / "none")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "[E503]" in result.stderr


def test_extraction_never_takes_the_incidents_file_for_an_orphan(tmp_path: Path) -> None:
    from pipeline.runner import run

    corpus, outputs = tmp_path / "corpus", tmp_path / "outputs"
    corpus.mkdir()
    seed = sorted((ROOT / "tests" / "seeds").glob("*.txt"))[0]
    shutil.copy(seed, corpus / seed.name)
    run(corpus, outputs)
    assert run_link(outputs)[0] == 0
    before = (outputs / "_incidents.json").read_bytes()
    summary, _ = run(corpus, outputs, check=True)
    assert not summary.stale
    run(corpus, outputs, force=True)
    assert (outputs / "_incidents.json").read_bytes() == before
    assert set(load_records(outputs)) == {seed.name}


def test_copies_are_found_by_text_not_by_title() -> None:
    rules = load_rules()
    a = report_of(market("a.txt", 12), rules)
    b = report_of(market("b.txt", 12, title="Another headline", published="2016-03-10"), rules)
    c = report_of(school("c.txt", 3), rules)
    assert a and b and c
    assert duplicates([b, a, c]) == {"b.txt": "a.txt"}


def test_export_and_review_site_show_incidents(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from pipeline.review.export import export_all
    from pipeline.review.incidents_table import linked_rows
    from pipeline.review.report import write_report

    records = by_file(market("a.txt", 12, source=("rescuers", "Syrian Civil Defence")),
                      market("b.txt", 14, source=("the monitor", "Syrian Observatory for Human Rights")))
    document = incidents_of(records)
    rows = linked_rows(document)
    assert [row["row_kind"] for row in rows] == ["incident", "report", "report"]
    assert rows[0]["grade"] == "corroborated" and rows[0]["low"] == 12 and rows[0]["high"] == 14
    assert {row["source_article"] for row in rows[1:]} == {"a.txt", "b.txt"}
    written = export_all(records, tmp_path / "exports", incidents=document)
    assert (tmp_path / "exports" / "incidents_linked.csv") in written
    assert (tmp_path / "exports" / "incidents_linked.parquet") in written
    outputs = {name.replace(".txt", ".json"): rec for name, rec in records.items()}  # keyed as load_folder keys them
    site = write_report(outputs, tmp_path / "site", document)
    page = tmp_path / "site" / "incidents" / f"{document['incidents'][0]['id']}.html"
    assert page in site
    html = page.read_text(encoding="utf-8")
    claim_a = records["a.txt"]["incident"]["claim"]
    assert f'href="../articles/a.html#claim-{claim_a}"' in html and 'class="bar"' in html
    assert (tmp_path / "site" / "articles" / "a.html").read_text(encoding="utf-8").count(f'id="claim-{claim_a}"') <= 1
    assert 'href="incidents.html"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([(3, 1), (1, 0)]) == 1.0
    assert roc_auc([(1, 1), (3, 0)]) == 0.0
    assert roc_auc([(2, 1), (2, 0)]) == 0.5
    assert roc_auc([(2, 1)]) is None


RAIDS = ("Warplanes struck the eastern districts of Kafr Hamra again, hitting a bread queue and two apartment "
         "blocks near the water tower; rescuers pulled survivors from the rubble until dark.")
RAIDS_AGAIN = ("Warplanes struck the eastern districts of Kafr Hamra once more, hitting the vegetable market "
               "near the water tower; rescuers pulled survivors from the rubble of a clinic.")


def raid(file: str, count: int, day: str, *, body: str = RAIDS, published: str | None = None,
         qualifier: str = "exact") -> dict[str, Any]:
    cid = hashlib.sha1(file.encode()).hexdigest()[:12]
    return record(file, "Air raids on Kafr Hamra", body, claim(cid, count, start=day, qualifier=qualifier),
                  published=published or day, admin1="Aleppo", actor="syrian_government", cause="airstrike")


def test_two_days_of_one_campaign_in_one_city_are_two_incidents() -> None:
    # Monday's raids, told by two outlets, and Wednesday's, told by two others: the same city,
    # actor, weapon and even tolls, but two days apart, so two incidents.
    document = incidents_of(by_file(
        raid("a.txt", 12, "2016-03-07"), raid("b.txt", 13, "2016-03-07", published="2016-03-08"),
        raid("c.txt", 12, "2016-03-09", body=RAIDS_AGAIN), raid("d.txt", 13, "2016-03-09", body=RAIDS_AGAIN),
    ))
    assert articles(incident_of(document, "a.txt")) == {"a.txt", "b.txt"}
    assert articles(incident_of(document, "c.txt")) == {"c.txt", "d.txt"}


def undated_raid(file: str, count: int, published: str, *, body: str = RAIDS) -> dict[str, Any]:
    """A report of the raids that states no day: only its publication date places it."""
    cid = hashlib.sha1(file.encode()).hexdigest()[:12]
    return record(file, "Air raids on Kafr Hamra", body, claim(cid, count), published=published,
                  admin1="Aleppo", actor="syrian_government", cause="airstrike")


def test_reports_stating_consecutive_days_are_two_incidents() -> None:
    # Monday's raids and Tuesday's on one city, each report stating its own day: two days, so two
    # incidents, even with the same actor, weapon and city. A report that states no day,
    # published on Tuesday, may tell of Monday's raids (the news of the next morning).
    document = incidents_of(by_file(
        raid("a.txt", 12, "2016-03-07"), raid("b.txt", 12, "2016-03-07", published="2016-03-08"),
        raid("c.txt", 7, "2016-03-08", body=RAIDS_AGAIN), raid("d.txt", 8, "2016-03-08", body=RAIDS_AGAIN),
    ))
    assert articles(incident_of(document, "a.txt")) == {"a.txt", "b.txt"}
    assert articles(incident_of(document, "c.txt")) == {"c.txt", "d.txt"}
    document = incidents_of(by_file(
        raid("a.txt", 12, "2016-03-07"), undated_raid("e.txt", 12, "2016-03-08"),
    ))
    assert articles(incident_of(document, "a.txt")) == {"a.txt", "e.txt"}


def test_a_report_does_not_tell_of_a_day_after_its_publication() -> None:
    # A report that states no day, published on Monday, cannot tell of raids that two other
    # reports date to Tuesday, however alike the three are.
    document = incidents_of(by_file(
        undated_raid("a.txt", 12, "2016-03-07"),
        raid("b.txt", 12, "2016-03-08"), raid("c.txt", 12, "2016-03-08", published="2016-03-09"),
    ))
    assert articles(incident_of(document, "b.txt")) == {"b.txt", "c.txt"}
    assert articles(incident_of(document, "a.txt")) == {"a.txt"}


def test_a_conflicting_pair_is_never_merged_by_its_neighbours_agreement() -> None:
    # b agrees strongly with a and with c, but a and c conflict (a score below the floor): the
    # mean of the cross pairs would merge all three; the floor keeps a and c apart.
    scores = {(0, 1): 10.0, (1, 2): 9.0, (0, 2): -1.0}
    assert cluster(3, scores, 4.0) == [[0, 1, 2]]
    assert cluster(3, scores, 4.0, 0.0) == [[0, 1], [2]]


def test_figures_are_read_with_their_qualifiers() -> None:
    rules = load_rules()

    def weight(first: dict[str, Any], second: dict[str, Any]) -> float:
        a, b = report_of(first, rules), report_of(second, rules)
        assert a and b
        return figure_weight(a, b, rules)

    w = rules.weights
    assert weight(raid("a.txt", 12, "2016-03-07"), raid("b.txt", 12, "2016-03-07")) == w["same_figure"]
    # "At least 14" allows 12's neighbour 13 and up to three times itself; 12 and 14 are close anyway.
    assert weight(raid("a.txt", 13, "2016-03-07"), raid("b.txt", 14, "2016-03-07", qualifier="at_least")) == \
        w["figures_overlap"]
    # "At least 3" and 70: 70 is at least 3, yet not the same toll.
    assert weight(raid("a.txt", 3, "2016-03-07", qualifier="at_least"), raid("b.txt", 70, "2016-03-07")) == \
        w["figures_far"]
    # An early open toll that later reports raise five-fold weighs neither way ...
    assert weight(raid("a.txt", 20, "2016-03-07", qualifier="at_least"), raid("b.txt", 100, "2016-03-07")) == \
        w["figures_rising"] == 0
    # ... but two exact figures five times apart weigh against.
    assert weight(raid("a.txt", 20, "2016-03-07"), raid("b.txt", 100, "2016-03-07")) == w["figures_apart"] < 0


def test_a_shared_rare_place_or_weapon_weighs_more_than_a_common_one() -> None:
    rules = load_rules()
    reports = [report_of(raid(f"{n}.txt", 10, "2016-03-07"), rules) for n in range(30)]
    reports.append(report_of(record("x.txt", "Gas attack", "Gas.", claim("0000000000ff", 4, start="2016-03-07"),
                                    admin1="Latakia", cause="chemical"), rules))
    rarity = Rarity([r for r in reports if r], rules)
    assert rarity.agreement("admin1", "Latakia") > rarity.agreement("admin1", "Aleppo") >= 0
    assert rarity.agreement("cause", "chemical") > rarity.agreement("cause", "airstrike") >= 0
    assert rarity.agreement("cause", "chemical") <= rules.rarity_cap


def test_a_reaction_piece_joins_the_reports_of_the_attack_it_reacts_to() -> None:
    attack = ("A chemical attack on the town of Kafr Hamra killed 58 people at dawn, doctors said; "
              "survivors described a sweet smell and choking neighbours.")
    reaction = ("Foreign ministers meeting in Geneva condemned the use of chemical weapons and called for an "
                "inquiry, saying the attack had killed 58 people.")

    def report(file: str, title: str, body: str, published: str) -> dict[str, Any]:
        cid = hashlib.sha1(file.encode()).hexdigest()[:12]
        return record(file, title, body, claim(cid, 58, start="2016-03-08"), published=published,
                      admin1="Idlib", actor="syrian_government", cause="chemical")

    document = incidents_of(by_file(
        report("a.txt", "Gas attack kills 58 in Kafr Hamra", attack, "2016-03-08"),
        report("b.txt", "58 dead in Kafr Hamra chemical attack", attack, "2016-03-09"),
        report("c.txt", "Ministers condemn chemical weapons use", reaction, "2016-03-09"),
        raid("d.txt", 6, "2016-03-08"), raid("e.txt", 9, "2016-03-08", body=RAIDS_AGAIN),
    ))
    assert articles(incident_of(document, "c.txt")) == {"a.txt", "b.txt", "c.txt"}
