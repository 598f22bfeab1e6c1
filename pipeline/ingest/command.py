"""``python -m pipeline ingest SRC``: tell the kind of source, take it in, print the coded lines and the summary.

Exit status: 0 every record taken in (or already there); 1 some records or pages
failed (each has a line; the others are written); 2 the source was refused as a whole
(not found, no text column, ambiguous dates, unknown kind, a missing extra).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import PipelineError

KINDS = ("csv", "tsv", "jsonl", "json", "parquet", "warc", "urls", "feed", "sitemap", "url")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
LIST_SUFFIXES = (".txt", ".urls", ".lst", ".list")
XML_SUFFIXES = (".xml", ".rss", ".atom", ".xml.gz")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ingest = sub.add_parser("ingest", help="take articles in from a dump, a WARC, a feed, a sitemap or URLs")
    ingest.add_argument("src", help="a file (.csv .tsv .jsonl .json .parquet .warc .warc.gz, a list of URLs, "
                                    "a feed or sitemap .xml) or an http(s) URL (a page, a feed, a sitemap)")
    ingest.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    ingest.add_argument("--kind", choices=KINDS, help="the kind of source, when its name does not tell")
    ingest.add_argument("--into", help="sub-folder for a dump's articles (default: the dump's name)")
    ingest.add_argument("--no-dedup", action="store_true", help="do not look for near-duplicates")
    columns = ingest.add_argument_group("dump columns (default: found by their common names)")
    for field in ("text", "html", "title", "date", "url", "outlet", "id"):
        columns.add_argument(f"--{field}-column", metavar="NAME", help=f"the column holding the {field}"
                             + (" (a.b for a nested JSON value)" if field == "outlet" else ""))
    columns.add_argument("--date-order", choices=("DMY", "MDY"), type=str.upper,
                         help="day/month order of numeric dates such as 4/5/17")
    fetch = ingest.add_argument_group("fetching (URL, list, feed and sitemap sources)")
    fetch.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default: 1)")
    fetch.add_argument("--timeout", type=float, default=20.0, help="seconds for one request (default: 20)")
    fetch.add_argument("--retries", type=int, default=2, help="tries again after a 429/5xx or time-out (default: 2)")
    fetch.add_argument("--max-pages", type=int, help="fetch at most this many pages")
    fetch.add_argument("--refetch", action="store_true", help="fetch URLs already in the corpus again")


def run_ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest.store import CorpusStore, IngestSummary

    summary = IngestSummary()
    status = 2
    try:
        kind = args.kind or _kind(args.src)
        if kind is None:
            raise PipelineError("E608", src=args.src, kinds=", ".join(KINDS))
        if kind != "url" and not Path(args.src).is_file():
            raise PipelineError("E601", src=args.src, reason="no such file")
        args.corpus.mkdir(parents=True, exist_ok=True)
        store = CorpusStore(args.corpus, summary, dedup=not args.no_dedup)
    except PipelineError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ImportError as exc:
        print(PipelineError("E122", what="near-duplicates", extra="ingest"), f"({exc.name} missing)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(PipelineError("E606", path=args.corpus, reason=exc.strerror or type(exc).__name__), file=sys.stderr)
        return 2
    try:
        status = _dispatch(kind, args, store)
    finally:
        store.close()
        for line in summary.lines:
            print(line, file=sys.stderr)
        print(summary.line(), file=sys.stderr)
    return max(status, 1 if summary.failed else 0)


def _dispatch(kind: str, args: argparse.Namespace, store: object) -> int:
    if kind in ("csv", "tsv", "jsonl", "json", "parquet"):
        from pipeline.ingest.dumps import Mapping, ingest_dump

        mapping = Mapping(text=args.text_column, html=args.html_column, title=args.title_column,
                          date=args.date_column, url=args.url_column, outlet=args.outlet_column, id=args.id_column,
                          date_order=args.date_order, folder=args.into)
        return ingest_dump(Path(args.src), store, mapping)  # type: ignore[arg-type]
    if kind == "warc":
        from pipeline.ingest.warc import ingest_warc

        return ingest_warc(Path(args.src), store)  # type: ignore[arg-type]
    from pipeline.ingest.feeds import UrlSource
    from pipeline.ingest.fetch import Fetcher, FetchSettings

    fetcher = Fetcher(FetchSettings(delay=max(0.0, args.delay), timeout=max(0.1, args.timeout),
                                    retries=max(0, args.retries)))
    source = UrlSource(store, fetcher, refetch=args.refetch, max_pages=args.max_pages)  # type: ignore[arg-type]
    if kind == "url":
        source.from_url(args.src)
    elif kind == "urls":
        source.from_list(Path(args.src).read_text(encoding="utf-8-sig", errors="replace").splitlines(), Path(args.src).name)
    else:
        source.from_document(Path(args.src).read_bytes(), Path(args.src).name)
    return 0


def _kind(src: str) -> str | None:
    lowered = src.lower()
    if lowered.startswith(("http://", "https://")):
        return "url"
    for suffix in (".csv", ".tsv", ".jsonl", ".json", ".parquet"):
        if lowered.endswith(suffix):
            return suffix[1:]
    if lowered.endswith(".ndjson"):
        return "jsonl"
    if lowered.endswith(WARC_SUFFIXES):
        return "warc"
    if lowered.endswith(LIST_SUFFIXES):
        return "urls"
    if lowered.endswith(XML_SUFFIXES):
        return "feed"
    return None
