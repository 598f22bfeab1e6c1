"""Ingest of CSV, JSONL/JSON and Parquet dumps: columns, sidecars, dates, idempotence, bad records.

Dumps are written by the tests in our own words; the FA-KES CSV of ../shared is read
at test time only (skipped when absent), never copied into the project.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.ingest.dates import column_order, parse_date

FAKES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "fakes" / "fakes-dev.csv"

ROWS = [
    {"id": "a1", "title": "Shelling kills five in Donetsk", "content": "Shelling of a market killed five civilians on "
     "Tuesday, the regional governor said.", "published": "2022-03-15", "link": "https://news.example/a1",
     "source": "Example Wire"},
    {"id": "a2", "title": "Car bomb in Mogadishu", "content": "A car bomb near a checkpoint killed at least "
     "eight people on Sunday, police said.", "published": "2021-11-28", "link": "https://news.example/a2",
     "source": "Example Wire"},
]


def _csv(path: Path, rows: list[dict[str, str]], fields: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _ingest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["ingest", *args])
    return status, capsys.readouterr().err


def test_csv_columns_found_by_common_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _csv(tmp_path / "wire.csv", ROWS)
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "corpus"), "--no-dedup")
    assert status == 0, err
    article = tmp_path / "corpus" / "wire" / "a1.txt"
    assert article.read_text(encoding="utf-8") == (
        "Shelling kills five in Donetsk\n\nShelling of a market killed five civilians on Tuesday, the regional "
        "governor said.\n")
    meta = json.loads((tmp_path / "corpus" / "wire" / "a1.meta.json").read_text(encoding="utf-8"))
    assert meta == {"url": "https://news.example/a1", "outlet": "Example Wire", "published": "2022-03-15",
                    "source_record": "wire.csv#row=1"}
    assert "added 2" in err.splitlines()[-1]


def test_same_dump_twice_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _csv(tmp_path / "wire.csv", ROWS)
    corpus = tmp_path / "corpus"
    _ingest(capsys, str(src), "--corpus", str(corpus))
    before = sorted(p.relative_to(corpus) for p in corpus.rglob("*"))
    status, err = _ingest(capsys, str(src), "--corpus", str(corpus))
    assert status == 0
    assert sorted(p.relative_to(corpus) for p in corpus.rglob("*")) == before
    assert "added 0" in err and "already present 2" in err


def test_a_different_article_never_overwrites_one_of_the_same_name(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "wire").mkdir(parents=True)
    mine = corpus / "wire" / "a1.txt"
    mine.write_text("My own notes\n\nNothing to see.\n", encoding="utf-8")
    status, err = _ingest(capsys, str(_csv(tmp_path / "wire.csv", ROWS)), "--corpus", str(corpus), "--no-dedup")
    assert status == 0
    assert mine.read_text(encoding="utf-8") == "My own notes\n\nNothing to see.\n"
    assert (corpus / "wire" / "a1-2.txt").read_text(encoding="utf-8").startswith("Shelling kills five")
    assert "[W604]" in err
    # and again: the renamed record is found where it went
    status, err = _ingest(capsys, str(tmp_path / "wire.csv"), "--corpus", str(corpus), "--no-dedup")
    assert "added 0" in err and not (corpus / "wire" / "a1-3.txt").exists()


def test_flags_name_the_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"Headline": "Strike on a school", "Story Text": "An air strike on a school killed 12 children.",
             "When": "3 May 2019"}]
    src = _csv(tmp_path / "odd.csv", rows)
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"), "--text-column", "Story Text",
                          "--title-column", "headline", "--date-column", "When", "--into", "mine", "--no-dedup")
    assert status == 0, err
    [article] = (tmp_path / "c" / "mine").glob("*.txt")
    assert article.name.startswith("strike-on-a-school-")
    assert json.loads(article.with_suffix(".meta.json").read_text())["published"] == "2019-05-03"


def test_csv_without_a_text_column_is_refused_naming_its_columns(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src = _csv(tmp_path / "bad.csv", [{"headline": "x", "when": "2020-01-01"}])
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"))
    assert status == 2
    assert "[E602]" in err and "headline, when" in err and "--text-column" in err
    assert not any((tmp_path / "c").rglob("*.txt"))


def test_a_named_column_that_is_missing_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = _ingest(capsys, str(_csv(tmp_path / "w.csv", ROWS)), "--corpus", str(tmp_path / "c"),
                          "--date-column", "pubdate")
    assert status == 2 and "[E602]" in err and "'pubdate'" in err


def test_records_without_text_and_bad_dates_are_reported_and_the_rest_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(ROWS[0]), dict(ROWS[1], content="  "), dict(ROWS[1], id="a3", published="sometime in spring")]
    status, err = _ingest(capsys, str(_csv(tmp_path / "w.csv", rows)), "--corpus", str(tmp_path / "c"), "--no-dedup")
    assert status == 0
    assert "[W601] w.csv#row=2: no text; skipped" in err
    assert "[W602] w.csv#row=3" in err
    assert "published" not in json.loads((tmp_path / "c" / "w" / "a3.meta.json").read_text())
    assert sorted(p.name for p in (tmp_path / "c" / "w").glob("*.txt")) == ["a1.txt", "a3.txt"]


def test_ambiguous_numeric_dates_need_the_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(ROWS[0], published="4/5/17")]
    src = _csv(tmp_path / "w.csv", rows)
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"))
    assert status == 2 and "[E607]" in err and "'4/5/17'" in err
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"), "--date-order", "dmy", "--no-dedup")
    assert status == 0
    assert json.loads((tmp_path / "c" / "w" / "a1.meta.json").read_text())["published"] == "2017-05-04"


def test_jsonl_with_nested_outlet_and_a_broken_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "api.jsonl"
    lines = [json.dumps({"title": "Drone strike", "body": "A drone strike killed three fighters.",
                         "source": {"id": "x", "name": "Daily Example"}, "publishedAt": "2023-08-01T06:00:00Z",
                         "url": "https://d.example/1"}), "{not json", ""]
    src.write_text("\n".join(lines), encoding="utf-8")
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"), "--date-column", "publishedAt",
                          "--no-dedup")
    assert status == 0, err
    assert "[W605] api.jsonl#line=2" in err
    [meta] = (tmp_path / "c" / "api").glob("*.meta.json")
    assert json.loads(meta.read_text()) == {"url": "https://d.example/1", "outlet": "Daily Example",
                                            "published": "2023-08-01", "source_record": "api.jsonl#line=1"}


def test_parquet_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    src = tmp_path / "dump.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE t (article_id INTEGER, headline VARCHAR, text VARCHAR, date DATE)")
    con.execute("INSERT INTO t VALUES (7, 'Floods', 'Clashes killed 4 people.', DATE '2020-02-03')")
    con.execute(f"COPY t TO '{src}' (FORMAT parquet)")
    status, err = _ingest(capsys, str(src), "--corpus", str(tmp_path / "c"), "--no-dedup")
    assert status == 0, err
    assert (tmp_path / "c" / "dump" / "7.txt").read_text() == "Floods\n\nClashes killed 4 people.\n"
    assert json.loads((tmp_path / "c" / "dump" / "7.meta.json").read_text())["published"] == "2020-02-03"


def test_unreadable_and_unknown_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = _ingest(capsys, str(tmp_path / "missing.csv"), "--corpus", str(tmp_path / "c"))
    assert status == 2 and "[E601]" in err
    (tmp_path / "x.bin").write_bytes(b"\x00\x01")
    status, err = _ingest(capsys, str(tmp_path / "x.bin"), "--corpus", str(tmp_path / "c"))
    assert status == 2 and "[E608]" in err
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    status, err = _ingest(capsys, str(tmp_path / "broken.parquet"), "--corpus", str(tmp_path / "c"))
    assert status == 2 and "[E601]" in err


def test_extract_reads_what_ingest_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, outputs = tmp_path / "c", tmp_path / "o"
    _ingest(capsys, str(_csv(tmp_path / "wire.csv", ROWS)), "--corpus", str(corpus))
    assert main(["extract", "--corpus", str(corpus), "--outputs", str(outputs)]) == 0
    record = json.loads((outputs / "wire" / "a2.json").read_text(encoding="utf-8"))
    assert record["article"]["published"] == "2021-11-28"
    assert record["article"]["published_from"] == "sidecar"
    assert record["article"]["outlet"] == "Example Wire"
    assert record["article"]["duplicate_of"] is None
    assert record["incident"]["killed"]["people"] == 8


@pytest.mark.skipif(not FAKES.is_file(), reason="FA-KES dev CSV (../shared) not present")
def test_fakes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FAKES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    status, err = _ingest(capsys, str(FAKES), "--corpus", str(tmp_path / "c"), "--no-dedup")
    assert status == 0, err
    written = sorted((tmp_path / "c" / "fakes-dev").glob("*.txt"))
    # a unit_id that comes back with other text is kept under id-2; the same row twice is one article
    distinct = {(r["unit_id"], r["article_title"].strip(), r["article_content"].strip()) for r in rows}
    assert len(written) == len(distinct)
    first = rows[0]
    meta = json.loads((tmp_path / "c" / "fakes-dev" / f"{first['unit_id']}.meta.json").read_text())
    month, day, year = (int(x) for x in first["date"].split("/"))  # the column is month-first
    assert meta["published"] == f"20{year:02d}-{month:02d}-{day:02d}"
    assert meta["outlet"] == first["source"]
    assert (tmp_path / "c" / "fakes-dev" / f"{first['unit_id']}.txt").read_text().startswith(
        first["article_title"].strip() + "\n\n")


def test_date_column_order() -> None:
    assert column_order(["4/5/17", "4/16/17"]) == ("MDY", None)
    assert column_order(["25.12.2019", "4.5.2020"]) == ("DMY", None)
    assert column_order(["4/5/17"]) == (None, "4/5/17")
    assert parse_date("4/16/17", "MDY") == "2017-04-16"
    assert parse_date("1/2/69", "DMY") == "2069-02-01" and parse_date("1/2/70", "DMY") == "1970-02-01"
    assert parse_date("Wed, 05 Apr 2017 10:00:00 GMT", None) == "2017-04-05"
    assert parse_date("5 April 2017", None) == "2017-04-05"
    assert parse_date("2 days ago", None) is None and parse_date("April 2017", None) is None


def test_a_missing_extra_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "datasketch", None)
    status, err = _ingest(capsys, str(_csv(tmp_path / "w.csv", ROWS)), "--corpus", str(tmp_path / "c"))
    assert status == 2 and "[E122]" in err and "[ingest]" in err
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    (tmp_path / "x.warc").write_bytes(b"WARC/1.0\r\n")
    status, err = _ingest(capsys, str(tmp_path / "x.warc"), "--corpus", str(tmp_path / "c"), "--no-dedup")
    assert status == 2 and "[E122]" in err and "[warc]" in err
