"""``python -m pipeline report``: escaped, self-contained pages with every claim highlighted."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.review.checks import article_notes, subcount_excess
from pipeline.review.highlight import claim_spans, segments
from pipeline.review.load import load_folder
from pipeline.review.report import plan_pages, write_report
from pipeline.review.scripts import script, script_hash
from tests.review_helpers import make_claim, make_record, seed_records, write_outputs

HOSTILE = ("Raid <script>window.pwned = 1</script> kills 12\n\n"
           "At least 12 <b>civilians</b> were killed & 3 <img src=x onerror=alert(1)> injured.")


class _Collector(HTMLParser):
    """Tags, ids and links of a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []  # (type, raw text) of each <script>
        self.policy = ""
        self._script: str | None | bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "script":
            assert "src" not in found, "no script is loaded from a file"
            self._script = found.get("type")
            self.scripts.append((found.get("type"), ""))
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.policy = str(found.get("content"))
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if found.get("href"):
            self.hrefs.append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script is not False:
            kind, raw = self.scripts[-1]
            self.scripts[-1] = (kind, raw + data)
            return
        self.text.append(data)

    def executable(self) -> list[str]:
        """The scripts a browser would run (a JSON data block is not run)."""
        return [raw for kind, raw in self.scripts if kind != "application/json"]


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _hostile_record() -> dict:
    sentence = "At least 12 <b>civilians</b> were killed & 3 <img src=x onerror=alert(1)> injured."
    return make_record(HOSTILE, [
        make_claim(HOSTILE, sentence, "At least 12", qualifier="at_least", low=12),
        make_claim(HOSTILE, sentence, "3", predicate="injured", value=3),
    ], url="javascript:alert(1)", outlet="<i>Outlet</i>")


def test_review_report_seed_pages_anchor_every_claim(tmp_path: Path) -> None:
    write_outputs(tmp_path / "outputs", seed_records())
    records = load_folder(tmp_path / "outputs")
    write_report(records, tmp_path / "site")
    tmp_path = tmp_path / "site"
    index = _parse(tmp_path / "index.html")
    pages = [href for href in index.hrefs if href.startswith("articles/") and "#" not in href]
    assert len(pages) == len(records)
    for href, record in zip(pages, records.values(), strict=True):
        page = _parse(tmp_path / href)
        ids = [claim["id"] for claim in record["claims"]]
        assert sorted(i for i in page.ids if i.startswith("claim-")) == sorted(f"claim-{i}" for i in ids)
        assert sorted(i for i in page.ids if i.startswith("row-")) == sorted(f"row-{i}" for i in ids)
        assert all(h[1:] in page.ids for h in page.hrefs if h.startswith("#")), "every in-page link resolves"
        assert "../index.html" in page.hrefs


def test_review_report_is_self_contained(tmp_path: Path) -> None:
    write_report(seed_records(), tmp_path)
    for path in tmp_path.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        collector = _parse(path)
        assert not {"link", "img", "iframe", "object", "embed"} & set(collector.tags), path
        assert not re.search(r"@import|url\((?!#)|src=", page), path  # url(#gradient) is inside the page
        assert all(not h.startswith(("http:", "https:", "//", "javascript:")) for h in collector.hrefs), path
        # Only the page's own inline scripts may run: each is allowed by its hash, nothing else.
        assert "default-src 'none'" in collector.policy and "'unsafe-inline'" not in collector.policy.split(
            "script-src")[1].split(";")[0], path
        allowed = re.findall(r"'sha256-([^']+)'", collector.policy)
        assert sorted(script_hash(raw)[8:-1] for raw in collector.executable()) == sorted(allowed), path
        assert all("<" not in raw for kind, raw in collector.scripts if kind == "application/json"), path


def test_review_report_escapes_article_text(tmp_path: Path) -> None:
    write_report({"x.json": _hostile_record()}, tmp_path)
    page_path = tmp_path / "articles" / "x.html"
    page = _parse(page_path)
    assert page.executable() == [script("article")] and "img" not in page.tags and "i" not in page.tags
    assert all("<" not in raw for kind, raw in page.scripts if kind == "application/json"), \
        "quoted markup cannot close the data block"
    text = "".join(page.text)
    assert "<script>window.pwned = 1</script>" in text
    assert "<img src=x onerror=alert(1)>" in text and "& 3" in text
    assert "javascript:alert(1)" in text and "javascript:alert(1)" not in page.hrefs
    index = _parse(tmp_path / "index.html")
    assert index.executable() == [script("index")] and "<script>window.pwned = 1</script>" in "".join(index.text)


def test_review_report_links_http_urls_only(tmp_path: Path) -> None:
    record = _hostile_record()
    record["article"]["url"] = "https://example.org/a?b=1&c=2"
    write_report({"x.json": record}, tmp_path)
    assert "https://example.org/a?b=1&c=2" in _parse(tmp_path / "articles" / "x.html").hrefs


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        # Identical spans: both claims cover the one piece, both anchors start there.
        ([(0, 10), (0, 10)], [(0, 10, (0, 1), (0, 1))]),
        # Nested: the outer claim covers three pieces, the inner one the middle one.
        ([(0, 10), (3, 6)], [(0, 3, (0,), (0,)), (3, 6, (0, 1), (1,)), (6, 10, (0,), ())]),
        # Partial overlap: split where each begins and ends.
        ([(0, 6), (3, 10)], [(0, 3, (0,), (0,)), (3, 6, (0, 1), (1,)), (6, 10, (1,), ())]),
    ],
)
def test_review_report_overlapping_evidence_splits_into_flat_segments(
        spans: list[tuple[int, int]], expected: list[tuple[int, int, tuple[int, ...], tuple[int, ...]]]) -> None:
    text = "0123456789"
    claims = [{"evidence": {"text": text[a:b], "start": a, "end": b}, "count": {"text": "zz"}} for a, b in spans]
    found = segments(text, claim_spans(text, claims))
    assert [(s.start, s.end, s.claims, s.starts) for s in found] == expected


def test_review_report_count_takes_its_own_claims_colour(tmp_path: Path) -> None:
    write_report({"x.json": _hostile_record()}, tmp_path)
    page = (tmp_path / "articles" / "x.html").read_text(encoding="utf-8")
    assert re.search(r'<mark class="ev p-killed multi cnt"[^>]*>At least 12</mark>', page)
    assert re.search(r'<mark class="ev p-injured multi cnt"[^>]*>3</mark>', page)


def test_review_report_bad_offsets_still_anchor_and_warn() -> None:
    record = _hostile_record()
    record["claims"][0]["evidence"]["start"] = 10_000
    [page] = plan_pages({"x.json": record})
    assert not page.spans[0].exact
    assert any("evidence offsets do not match" in note.text for note in page.notes)


@pytest.mark.parametrize(
    ("count", "includes", "expected"),
    [
        ({"qualifier": "exact", "value": 12}, [{"value": 15}], (15, 12)),
        ({"qualifier": "exact", "value": 12}, [{"value": 5}, {"low": 8}], (13, 12)),
        ({"qualifier": "exact", "value": 12}, [{"value": 12}], None),
        ({"qualifier": "range", "low": 5, "high": 10}, [{"value": 11}], (11, 10)),
        ({"qualifier": "at_least", "low": 12}, [{"value": 50}], None),
        ({"qualifier": "vague", "low": 12}, [{"value": 50}], None),
    ],
)
def test_review_report_flags_subcounts_above_their_total(count: dict, includes: list[dict], expected: tuple | None) -> None:
    claim = {"count": count, "includes": [{"group": "children", "count": c} for c in includes]}
    assert subcount_excess(claim) == expected


def test_review_report_warnings_are_listed() -> None:
    record = _hostile_record()
    record["claims"][0]["includes"] = [{"group": "children", "count": {"text": "20", "value": 20, "low": 20,
                                                                      "high": 20, "qualifier": "exact"}}]
    record["claims"][0]["count"].update(qualifier="exact", value=12, high=12)
    record["article"].update(published=None, published_from=None, dropped={"caption": 2, "byline": 1},
                             warnings=["[W002] day/month order of the date line '03/04/2017' is ambiguous; read as DMY",
                                       "[W003] text was not valid UTF-8; decoded as cp1252"])
    notes = [(n.level, n.text) for n in article_notes(record)]
    assert notes[:2] == [("warning", record["article"]["warnings"][0]), ("warning", record["article"]["warnings"][1])]
    assert ("warning", "no publication date: relative dates are left unresolved") in notes
    assert any(level == "warning" and "sub-counts add up to 20, more than the total 12" in text for level, text in notes)
    assert notes[-1] == ("info", "cleaning dropped: byline 1, caption 2")


def test_review_report_index_shows_articles_and_warnings(tmp_path: Path) -> None:
    record = _hostile_record()
    record["article"].update(published=None, published_from=None)
    write_report({"x.json": record, **seed_records()}, tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "3 articles, 17 claims, 1 with warnings." in index
    assert '<td class="warnings" data-count="1"><div>no publication date' in index
    assert "2017-07-13 <small>(dateline, DMY)</small>" in index


def test_review_report_is_byte_stable_and_drops_stale_pages(tmp_path: Path) -> None:
    records = seed_records()
    write_report({**records, "old.json": _hostile_record()}, tmp_path)
    assert (tmp_path / "articles" / "old.html").exists()
    write_report(records, tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.rglob("*.html")}
    write_report(records, tmp_path)
    assert first == {p.name: p.read_bytes() for p in tmp_path.rglob("*.html")}
    assert "old.html" not in first


def test_review_report_cli_writes_site(tmp_path: Path) -> None:
    write_outputs(tmp_path / "out", {"a/b.json": _hostile_record()})
    assert main(["report", "--outputs", str(tmp_path / "out"), "--out", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "articles" / "a__b.html").is_file()
    assert main(["report", "--outputs", str(tmp_path / "missing"), "--out", str(tmp_path / "site")]) == 2
