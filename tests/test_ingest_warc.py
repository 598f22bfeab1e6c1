"""Ingest of WARC archives (warcio) and near-duplicates: response records only, skips counted, damage reported."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.ingest.dedup import THRESHOLD, NearDuplicates, decode_signature, encode_signature, shingles

warcio = pytest.importorskip("warcio", reason="the [warc] extra is not installed (make test installs it)")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

PAGE = """<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{body}</p><p>Rescue teams were still searching the rubble late on Thursday, officials said.</p></article></body></html>"""
STORY = ("An air strike on a crowded market in the north of the country killed 14 civilians on Wednesday, "
         "including three children, according to local health officials and a monitoring group.")


def page(title: str, body: str = STORY) -> bytes:
    return PAGE.format(title=title, body=body).encode("utf-8")


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], *, gzip: bool = True) -> None:
    """(url, status, content type, payload) response records, with a request record before each."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for url, status, kind, payload in records:
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=http,
                warc_headers_dict={"WARC-Date": "2021-06-01T10:20:30Z"}))


def _ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["ingest", *args])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_pages_and_the_rest_is_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             gzip: bool) -> None:
    src = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(src, [
        ("https://www.news.example/world/market-strike.html", "200 OK", "text/html; charset=utf-8", page("Market strike")),
        ("https://news.example/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
        ("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://news.example/moved", "301 Moved Permanently", "text/html", b""),
    ], gzip=gzip)
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"))
    assert status == 0, err
    article = tmp_path / "c" / "news.example" / "world-market-strike.html"
    assert article.read_bytes() == page("Market strike")
    meta = json.loads(article.with_name("world-market-strike.meta.json").read_text())
    assert meta["url"] == "https://www.news.example/world/market-strike.html"
    assert meta["fetched"] == "2021-06-01T10:20:30Z"
    assert meta["source_record"].startswith(src.name + "#offset=")
    assert "added 1" in err and "HTTP 404 1" in err and "HTTP 301 1" in err and "not HTML 1" in err
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"))
    assert "added 0" in err and "already present 1" in err


def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, [(f"https://n.example/{i}", "200 OK", "text/html", page(f"Story number {i}", STORY + f" ({i})"))
                       for i in range(3)], gzip=False)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: len(data) - 200])  # the last page's payload ends early
    status, err = _ingest(capsys, str(cut), "--corpus", str(tmp_path / "c"), "--no-dedup")
    assert status == 1
    assert "[E603]" in err and "cut.warc" in err
    assert sorted(p.name for p in (tmp_path / "c" / "n.example").glob("*.html")) == ["0.html", "1.html"]


def test_truncated_gzip_warc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, [(f"https://n.example/{i}", "200 OK", "text/html", page(f"Story {i}", STORY * (i + 1)))
                       for i in range(3)])
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[:-60])
    status, err = _ingest(capsys, str(cut), "--corpus", str(tmp_path / "c"), "--no-dedup")
    assert status == 1 and "[E603]" in err
    assert len(list((tmp_path / "c" / "n.example").glob("*.html"))) == 2


def test_not_a_warc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "junk.warc"
    src.write_bytes(b"this is not an archive\n" * 10)
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"))
    assert status == 1 and "[E603]" in err and "after 0 records" in err


def test_syndicated_copy_and_recrawl_are_marked_duplicate_of_the_first(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    first = page("Market strike kills 14")
    syndicated = page("14 killed as air strike hits market", STORY)  # another outlet's headline, same story
    recrawl = first.replace(b"late on Thursday", b"late on Thursday night")
    other = page("Floods displace thousands", "Heavy rain flooded three districts and forced 4,000 families "
                 "from their homes, the disaster agency said on Monday, warning of more storms this week.")
    src = tmp_path / "crawl.warc.gz"
    write_warc(src, [("https://a.example/strike", "200 OK", "text/html", first),
                     ("https://b.example/world/strike", "200 OK", "text/html", syndicated),
                     ("https://a.example/strike", "200 OK", "text/html", recrawl),
                     ("https://c.example/floods", "200 OK", "text/html", other)])
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"))
    assert status == 0, err
    corpus = tmp_path / "c"
    sidecar = lambda rel: json.loads((corpus / rel).read_text())  # noqa: E731
    assert "duplicate_of" not in sidecar("a.example/strike.meta.json")
    assert sidecar("b.example/world-strike.meta.json")["duplicate_of"] == "a.example/strike.html"
    assert sidecar("a.example/strike-2.meta.json")["duplicate_of"] == "a.example/strike.html"
    assert "duplicate_of" not in sidecar("c.example/floods.meta.json")
    assert err.count("[W603]") == 2
    # a later run compares with what the corpus already holds (the index), not only with its own records
    later = tmp_path / "later.warc.gz"
    write_warc(later, [("https://d.example/copy", "200 OK", "text/html", page("Strike on market", STORY))])
    _ingest(capsys, str(later), "--corpus", str(corpus))
    assert sidecar("d.example/copy.meta.json")["duplicate_of"] == "a.example/strike.html"
    # a lost index is rebuilt from the corpus, the marks of the sidecars kept
    (corpus / ".ingest-index.jsonl").unlink()
    again = tmp_path / "again.warc.gz"
    write_warc(again, [("https://e.example/copy", "200 OK", "text/html", page("Market strike", STORY))])
    _ingest(capsys, str(again), "--corpus", str(corpus))
    assert sidecar("e.example/copy.meta.json")["duplicate_of"] == "a.example/strike.html"
    # and extract carries the mark into the record
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(tmp_path / "o")]) == 0
    record = json.loads((tmp_path / "o" / "b.example" / "world-strike.json").read_text())
    assert record["article"]["duplicate_of"] == "a.example/strike.html"


def test_articles_saved_by_hand_are_compared_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "mine.txt").write_text("Market strike kills 14\n\n" + STORY + "\n\nRescue teams were still searching the "
                                     "rubble late on Thursday, officials said.\n", encoding="utf-8")
    src = tmp_path / "crawl.warc.gz"
    write_warc(src, [("https://a.example/strike", "200 OK", "text/html", page("Market strike kills 14"))])
    _ingest(capsys, str(src), "--corpus", str(corpus))
    assert json.loads((corpus / "a.example" / "strike.meta.json").read_text())["duplicate_of"] == "mine.txt"


def test_minhash_signatures() -> None:
    near = NearDuplicates()
    assert shingles("one two three") == {b"one two three"}
    assert len(shingles("a b c d e f g")) == 3
    text = (STORY + " Rescue teams were still searching the rubble late on Thursday, officials said. The market had "
            "reopened only a week earlier after months of fighting in the surrounding villages and farmland.")
    a, b = near.signature(text), near.signature(text.replace("Wednesday", "Tuesday"))  # one word in 66
    assert a is not None and b is not None and a.jaccard(b) >= THRESHOLD
    assert near.signature("  ... ") is None
    encoded = encode_signature(a)
    assert encoded is not None and decode_signature(encoded).jaccard(a) == 1.0
    assert encode_signature(near.signature(text)) == encoded  # the same text, the same signature: byte-stable
    unrelated = near.signature("Heavy rain flooded three districts and forced 4,000 families from their homes.")
    near.add("x", a)
    assert near.find(unrelated) is None
    assert near.find(b) == ("x", pytest.approx(a.jaccard(b)))
