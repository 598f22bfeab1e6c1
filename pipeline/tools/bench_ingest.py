"""Ingest throughput: a WARC of 10,000 records built from the benchmark pages, ingested into a new corpus.

    .venv/bin/python -m pipeline.tools.bench_ingest                 # run by `make bench`
    .venv/bin/python -m pipeline.tools.bench_ingest --records 2000  # quicker

The archive is written with warcio into a temporary folder: the 158 pages of
``../shared/benchmarks/html`` in turn, each under its own URL, as gzip-compressed
``response`` records (Common Crawl's CC-NEWS format). The ingest then runs in this
process, with the near-duplicate check on (every page recurs, so most records are
near-duplicates: the LSH index answers with many candidates, its worst case), and is
timed in parts: reading the archive (decompression, record parsing), cleaning each
page into its text (the same reading as ``extract``), MinHash and the LSH index, and
writing the files. Also printed: the reading speed of warcio and, when installed,
fastwarc over the same archive. It reports; it does not gate.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.tools.bench import REPO


def pages_dir() -> Path | None:
    root = REPO.parent / "shared" / "benchmarks" / "html" / "pages"
    return root if root.is_dir() else None


def build_warc(dest: Path, pages: list[Path], records: int) -> int:
    """Write ``records`` HTML responses cycling over ``pages``; returns the archive's size in bytes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    payloads = [page.read_bytes() for page in pages]
    with dest.open("wb") as out:
        for i in range(records):
            payload = payloads[i % len(payloads)]
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
            url = f"https://bench{i % 7}.example/{i // len(payloads)}/{pages[i % len(pages)].stem}"
            # Each record its own gzip member, as warcio writes them, but at level 1: warcio's level 9
            # made building the archive take longer than ingesting it.
            record = io.BytesIO()
            writer = WARCWriter(record, gzip=False)
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-01-01T00:00:00Z"}))
            out.write(gzip.compress(record.getvalue(), compresslevel=1, mtime=0))
    return dest.stat().st_size


class Timer:
    """Wraps functions and adds up the seconds spent in them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        return timed


def ingest_timed(warc: Path, corpus: Path) -> tuple[float, dict[str, float], str]:
    """Ingest the archive in this process; (total seconds, seconds per part, summary line)."""
    from pipeline.ingest import store as store_module
    from pipeline.ingest.dedup import NearDuplicates
    from pipeline.ingest.store import CorpusStore, IngestSummary
    from pipeline.ingest.warc import ingest_warc

    timer = Timer()
    originals = (store_module.article_text, CorpusStore.add, NearDuplicates.signature, NearDuplicates.find)
    store_module.article_text = timer.wrap("cleaning", store_module.article_text)
    CorpusStore.add = timer.wrap("add", CorpusStore.add)  # type: ignore[method-assign]
    NearDuplicates.signature = timer.wrap("minhash", NearDuplicates.signature)  # type: ignore[method-assign]
    NearDuplicates.find = timer.wrap("lsh", NearDuplicates.find)  # type: ignore[method-assign]
    try:
        summary = IngestSummary()
        started = time.perf_counter()
        store = CorpusStore(corpus, summary)
        ingest_warc(warc, store)
        store.close()
        total = time.perf_counter() - started
    finally:
        store_module.article_text, CorpusStore.add, NearDuplicates.signature, NearDuplicates.find = originals
    parts = {
        "reading the WARC": total - timer.seconds.get("add", 0.0),
        "cleaning HTML": timer.seconds.get("cleaning", 0.0),
        "MinHash + LSH": timer.seconds.get("minhash", 0.0) + timer.seconds.get("lsh", 0.0),
    }
    parts["names, writing, index"] = total - sum(parts.values())
    return total, parts, summary.line()


def read_only(warc: Path) -> dict[str, float]:
    """Seconds to read every response payload with warcio, and with fastwarc when it is installed."""
    from warcio.archiveiterator import ArchiveIterator

    times = {}
    started = time.perf_counter()
    with warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                record.content_stream().read()
    times["warcio"] = time.perf_counter() - started
    try:
        from fastwarc.warc import ArchiveIterator as FastIterator, WarcRecordType
    except ImportError:
        return times
    started = time.perf_counter()
    with warc.open("rb") as handle:
        for record in FastIterator(handle, record_types=WarcRecordType.response, parse_http=True):
            record.reader.read()
    times["fastwarc"] = time.perf_counter() - started
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="records in the archive (default: 10,000)")
    args = parser.parse_args(argv)
    pages = pages_dir()
    if pages is None:
        print("bench_ingest: ../shared/benchmarks/html/pages not found; skipped")
        return 0
    try:
        import datasketch  # noqa: F401
        import warcio  # noqa: F401
    except ImportError as exc:
        print(f"bench_ingest: the [warc] and [ingest] extras are needed ({exc.name} missing); skipped")
        return 0
    files = sorted(pages.glob("*.html"))
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        warc = Path(tmp) / "bench.warc.gz"
        started = time.perf_counter()
        size = build_warc(warc, files, args.records)
        print(f"Ingest: {args.records:,} records ({len(files)} benchmark pages in turn), "
              f"{size / 1e6:.0f} MB gzip WARC built in {time.perf_counter() - started:.1f} s")
        total, parts, line = ingest_timed(warc, Path(tmp) / "corpus")
        print(f"  {line}")
        print(f"  {args.records / total:.0f} records/s ({total:.1f} s, {total / args.records * 1000:.1f} ms a record)")
        for name, seconds in parts.items():
            print(f"    {name:<24} {seconds:7.1f} s  {seconds / total:6.1%}")
        for library, seconds in read_only(warc).items():
            print(f"  reading alone, {library:<9} {args.records / seconds:7.0f} records/s ({seconds:.1f} s)")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
