"""The review index at corpus scale: filter data, incident columns, charts and the claims behind them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pipeline.link.writer import incidents_of
from pipeline.review.corrections import verdict_on
from pipeline.review.index_page import fold, toll
from pipeline.review.report import write_report
from pipeline.tools.review_demo import weigh
from tests.review_helpers import varied_records

class _Page(HTMLParser):
    """Links, ids and the attributes of rows and chart bars, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.rows: list[dict[str, str | None]] = []
        self.bars: list[dict[str, str | None]] = []
        self.listed = 0
        self.shapes: list[tuple[str, dict[str, str | None]]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
            self._href = str(found["href"])
            if found.get("class") == "bar":
                self.bars.append(found)
        if tag == "tr" and found.get("data-key"):
            self.rows.append(found)
        if tag == "tr" and found.get("class") == "listed":
            self.listed += 1
        if tag in ("circle", "rect") and self._href and "#row-" in self._href:
            self.shapes.append((self._href, found))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    records = varied_records()
    incidents = incidents_of({record["article"]["file"]: record for record in records.values()})
    write_report(records, out, incidents)
    return out


def test_review_index_rows_carry_what_the_filters_test(site: Path) -> None:
    rows = {row["data-key"]: row for row in _parse(site / "index.html").rows}
    assert rows["a.json"]["data-places"] == "|SY|SY/Aleppo|" and rows["a.json"]["data-outlet"] == "|Wire One|"
    assert rows["a.json"]["data-actors"] == "|syrian_government|" and rows["a.json"]["data-causes"] == "|airstrike|"
    assert rows["c.json"]["data-places"] == "|NG|NG/Borno|" and rows["c.json"]["data-date"] == "2024-03-05"
    assert rows["c.json"]["data-grade"] == "|single_source|" and rows["a.json"]["data-predicates"] == "|killed|"
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<option value="SY/Aleppo">SY · Aleppo (2)</option>' in page
    assert '<option value="boko_haram">boko_haram (1)</option>' in page


def test_review_index_shows_incident_columns(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-key="c.json".*?</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells[3] == "2024-03-05" and cells[4] == "Maiduguri, Borno, NG" and cells[5] == "boko_haram"
    assert cells[6].startswith("9") and "single_source" in cells[7] and 'href="incidents/inc-' in cells[7]
    hrefs = _parse(site / "index.html").hrefs
    assert all((site / href.split("#")[0]).is_file() for href in hrefs if href.startswith("incidents/"))


@pytest.mark.parametrize(("killed", "expected"), [
    ({"civilians": 3, "fighters": 2, "people": None}, 5), ({"civilians": 3, "people": 7}, 7),
    ({"civilians": 3, "total": 11}, 11), ({"children": 4}, 4), ({}, None)])
def test_review_index_toll_reads_the_incident_like_the_worldwide_set(killed: dict[str, Any], expected: int | None) -> None:
    assert toll({"killed": killed}) == expected


def test_review_index_bars_link_to_the_claims_behind_them(site: Path) -> None:
    index = _parse(site / "index.html")
    assert index.bars, "the bar charts are drawn"
    by_label = {}
    for bar in index.bars:
        listed = _parse(site / str(bar["href"]))
        assert listed.listed == int(str(bar["data-count"])), bar["href"]
        for href in listed.hrefs:
            if "#row-" in href:
                target = (site / str(bar["href"])).parent / href
                assert href.split("#")[1] in _parse(target.resolve().parent / target.name.split("#")[0]).ids
        by_label[bar["href"]] = int(str(bar["data-count"]))
    assert by_label["claims/place-SY_Aleppo.html"] == 2 and by_label["claims/actor-boko_haram.html"] == 1
    assert by_label["claims/cause-explosion.html"] == 1


def test_review_index_timeline_draws_ranges_as_bars_and_links_each_claim(site: Path) -> None:
    index = _parse(site / "index.html")
    marks: dict[str, list[tuple[str, dict[str, str | None]]]] = {}
    for href, attrs in index.shapes:
        marks.setdefault(href, []).append(("circle" if "r" in attrs else "rect", attrs))
    records = varied_records()
    ranged = marks[f"articles/b.html#row-{records['b.json']['claims'][0]['id']}"]
    point = marks[f"articles/a.html#row-{records['a.json']['claims'][0]['id']}"]
    assert ranged[0][0] == "rect" and int(str(ranged[0][1]["height"])) >= 8, "20-30 reads as a range"
    assert len(ranged) == 3, "a bar capped at its low and high ends"
    assert [shape for shape, _ in point] == ["circle"]
    for href in marks:
        page, anchor = href.split("#")
        assert anchor in _parse(site / page).ids


def test_review_index_charts_show_claims_as_reviewed(tmp_path: Path) -> None:
    records = varied_records()
    claim_a, claim_c = records["a.json"]["claims"][0], records["c.json"]["claims"][0]
    corrections = {"a.txt": [verdict_on(claim_a, "a.txt", "wrong", reason="a drill, not a raid")],
                   "c.txt": [verdict_on(claim_c, "c.txt", "corrected", {"actor": "iswap"}, "ISWAP claimed it")]}
    write_report(records, tmp_path, None, corrections)
    bars = {str(bar["href"]): int(str(bar["data-count"])) for bar in _parse(tmp_path / "index.html").bars}
    assert bars["claims/place-SY_Aleppo.html"] == 1 and "claims/actor-boko_haram.html" not in bars
    assert bars["claims/actor-iswap.html"] == 1
    article = (tmp_path / "articles" / "a.html").read_text(encoding="utf-8")
    assert 'class="claim rv-wrong"' in article and "a drill, not a raid" in article
    corrected = (tmp_path / "articles" / "c.html").read_text(encoding="utf-8")
    assert "actor: boko_haram → </small><b>iswap</b>" in corrected


def test_review_index_search_words_are_folded_once() -> None:
    assert fold("Déir ez-Zor: 12 KILLED, killed") == ["deir", "ez", "zor", "12", "killed", "killed"]
    page_words = " ".join(dict.fromkeys(fold("Raid in İdlib; raid")))
    assert page_words == "raid in idlib"


def test_review_index_page_weight_is_measured_by_part(site: Path) -> None:
    report = weigh(site)
    total = (site / "index.html").stat().st_size
    assert report.startswith(f"index.html: {total:,} bytes for {len(varied_records())} articles")
    parts = {line.split()[0]: int(line.split()[-1].replace(",", "")) for line in report.splitlines()[1:8]}
    assert 0 < parts["timeline"] < total and 0 < parts["table"] < total and sum(parts.values()) < total
