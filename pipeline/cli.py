"""Command line: ``python -m pipeline extract|explain|diff|report|export|review|import-labelstudio|link|ingest``. Parses arguments, nothing else.

Exit status: 0 every article processed; 1 some were refused or failed (the others
are written); 2 usage error, or a run refused before writing anything (E3xx); 130 or
143 stopped by SIGINT or SIGTERM (what was done is kept). ``diff --check`` exits 1
when anything changed.
The review subcommands (``pipeline/review/``) are imported only when they run, so
they add nothing to the start-up of ``extract``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from pipeline.errors import Errors, RunRefused
from pipeline.runner import DEFAULT_ARTICLE_TIMEOUT, DEFAULT_MAX_BYTES, Summary, run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract casualty claims from news articles into one JSON file per article.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="turn every article under the corpus folder into JSON")
    io = extract.add_argument_group("input and output")
    io.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of .txt/.html articles (default: corpus)")
    io.add_argument("--outputs", type=Path, default=Path("outputs"), help="folder for the JSON files (default: outputs)")
    io.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                    help=f"refuse articles larger than this (default: {DEFAULT_MAX_BYTES})")
    run_group = extract.add_argument_group("run")
    run_group.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default: 1)")
    run_group.add_argument("--force", action="store_true",
                           help="re-extract articles even when unchanged, also into outputs recorded for another corpus")
    run_group.add_argument("--check", action="store_true",
                           help="write nothing; exit 1 if the outputs differ from what extraction would write")
    run_group.add_argument("--dry-run", action="store_true",
                           help="list the outputs a run would write and remove; write nothing")
    run_group.add_argument("--prune", action="store_true",
                           help="remove every output whose article is gone, however many (the default stops "
                                "before removing more than a few outputs and a tenth of them)")
    run_group.add_argument("--article-timeout", type=float, default=DEFAULT_ARTICLE_TIMEOUT, metavar="SECONDS",
                           help=f"end an article that runs longer and go on (default: {DEFAULT_ARTICLE_TIMEOUT:g}; 0: never)")
    run_group.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                           help="progress bar (default: only on a terminal)")
    run_group.add_argument("--engine", choices=("local", "dask"), default="local",
                           help="local: this machine's processes (default); dask: a Dask cluster (the [dask] extra)")
    run_group.add_argument("--scheduler", metavar="ADDRESS",
                           help="with --engine dask: the scheduler (tcp://host:8786); default: a local cluster of --jobs workers")
    explain = sub.add_parser("explain", help="print the claims of one text, for rule debugging")
    explain.add_argument("text", help="an article: title on the first line, then the body")
    explain.add_argument("--published", help="publication date YYYY-MM-DD (relative dates resolve against it)")
    _review_parsers(sub)
    from pipeline.ingest.command import add_parser as add_ingest_parser

    add_ingest_parser(sub)
    return parser


def _review_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    diff = sub.add_parser("diff", help="claims added, removed and changed since a git revision or between folders")
    diff.add_argument("rev", nargs="?", help="git revision to compare the outputs with (default: HEAD)")
    diff.add_argument("--outputs", type=Path, default=Path("outputs"), help="current outputs (default: outputs)")
    diff.add_argument("--old", type=Path, help="compare two folders: the old outputs...")
    diff.add_argument("--new", type=Path, help="...and the new ones")
    diff.add_argument("--check", action="store_true", help="exit 1 when anything changed (for CI)")
    report = sub.add_parser("report", help="write the offline review site (index + one page per article)")
    report.add_argument("--outputs", type=Path, default=Path("outputs"), help="outputs to review (default: outputs)")
    report.add_argument("--out", type=Path, default=Path("report"), help="site folder (default: report)")
    report.add_argument("--corrections", type=Path,
                        help="reviewers' corrections applied on top (default: corrections/ beside the outputs folder)")
    export = sub.add_parser("export", help="claims and incidents as CSV, Parquet, DuckDB and Label Studio tasks")
    export.add_argument("--outputs", type=Path, default=Path("outputs"), help="outputs to export (default: outputs)")
    export.add_argument("--out", type=Path, default=Path("exports"), help="export folder (default: exports)")
    export.add_argument("--excel", action="store_true", help="start the CSV files with a byte-order mark, for Excel")
    export.add_argument("--raw-cells", action="store_true",
                        help="write CSV text cells as they are, even those a spreadsheet would run as a formula "
                             "(=, +, -, @, tab or carriage return first; by default they start with an apostrophe)")
    export.add_argument("--corrections", type=Path,
                        help="reviewers' corrections applied to the claims table (default: corrections/ beside the "
                             "outputs folder)")
    review = sub.add_parser("review", help="record verdicts on claims (--serve) or score the corrections (--score)")
    mode = review.add_mutually_exclusive_group(required=True)
    mode.add_argument("--serve", action="store_true",
                      help="serve the review site on 127.0.0.1; its verdict form writes the corrections files")
    mode.add_argument("--score", action="store_true",
                      help="how many reviewed claims the rules now get right, and which corrections are stale")
    review.add_argument("--outputs", type=Path, default=Path("outputs"), help="outputs to review (default: outputs)")
    review.add_argument("--corrections", type=Path,
                        help="corrections folder (default: corrections/ beside the outputs folder)")
    review.add_argument("--port", type=int, default=8765, help="port of --serve (default: 8765; 0: any free port)")
    labelstudio = sub.add_parser("import-labelstudio",
                                 help="turn a Label Studio export of the exported tasks into corrections")
    labelstudio.add_argument("export_file", type=Path, metavar="EXPORT.json", help="Label Studio JSON export")
    labelstudio.add_argument("--outputs", type=Path, default=Path("outputs"),
                             help="outputs the tasks were exported from (default: outputs)")
    labelstudio.add_argument("--corrections", type=Path,
                             help="corrections folder written to (default: corrections/ beside the outputs folder)")
    link = sub.add_parser("link", help="link the reports of one incident across articles into _incidents.json")
    link.add_argument("--outputs", type=Path, default=Path("outputs"), help="outputs to link (default: outputs)")
    link.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if _incidents.json is missing or not what link would write")


def main(argv: list[str] | None = None, *, process_ends: bool = False) -> int:
    """Entry point; returns the exit status. ``process_ends`` (``python -m pipeline``) lets the
    run leave the garbage collector set aside, as nothing runs after it."""
    args = _parser().parse_args(argv)
    if args.command != "extract":
        gc.enable()  # python -m pipeline starts with it off, for extraction's sake
    if args.command == "explain":
        return _explain(args.text, args.published)
    if args.command == "link":
        return _link(args.outputs, args.check)
    if args.command == "ingest":
        from pipeline.ingest.command import run_ingest

        return run_ingest(args)
    if args.command in ("diff", "report", "export", "review", "import-labelstudio"):
        from pipeline.review import commands

        return {"diff": commands.run_diff, "report": commands.run_report, "export": commands.run_export,
                "review": commands.run_review, "import-labelstudio": commands.run_import_labelstudio}[args.command](args)
    runner: Any = run
    if args.engine == "dask":
        runner = _dask_runner(args)
        if isinstance(runner, int):
            return runner
    urls = args.engine == "dask" and "://" in _as_given(args.corpus) + _as_given(args.outputs)
    if not urls and not args.corpus.is_dir():
        return _usage("E301", path=args.corpus)
    if not urls and args.outputs.resolve().is_relative_to(args.corpus.resolve()):
        return _usage("E302", path=args.outputs)
    for option, value in (("--jobs", args.jobs), ("--max-bytes", args.max_bytes)):
        if value < 1:
            return _usage("E306", option=option, requirement="a positive whole number")
    if not args.article_timeout >= 0:  # also NaN
        return _usage("E306", option="--article-timeout", requirement="0 (never) or a number of seconds")
    try:
        summary, lines = runner(args.corpus, args.outputs, jobs=args.jobs, force=args.force, check=args.check,
                             max_bytes=args.max_bytes, progress=args.progress, restore_gc=not process_ends,
                             dry_run=args.dry_run, prune=args.prune, article_timeout=args.article_timeout or None)
    except RunRefused as refused:
        print(str(refused), file=sys.stderr)
        return 2
    for line in lines:
        print(line, file=sys.stderr)
    if args.dry_run:
        return _dry_run(summary)
    if summary.interrupted:
        print(f"interrupted by {summary.interrupted}: {summary.line()}; the state of what is done is saved, "
              "the next run goes on from there", file=sys.stderr)
        return 128 + int(getattr(signal, summary.interrupted))
    if args.check:
        for path in summary.stale:
            print(f"would change: {path}", file=sys.stderr)
        print(f"check: {len(summary.stale)} output(s) would change; {summary.line()}", file=sys.stderr)
        return 1 if summary.stale or summary.failed or summary.faults else 0
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failed or summary.faults else 0


def _usage(code: str, **fields: object) -> int:
    print(f"[{code}] {getattr(Errors, code).format(**fields)}", file=sys.stderr)
    return 2


def _dry_run(summary: Summary) -> int:
    """Print what the run would write and remove (stdout), and the verdict (stderr)."""
    for planned in summary.planned:
        print(f"would write {planned}")
    for path in summary.removing:
        print(f"would remove {path} (its article is gone)")
    print(f"dry run: would write {len(summary.planned)}, leave {summary.unchanged} unchanged, remove "
          f"{len(summary.removing)}; {summary.failed} refused, {summary.skipped} skipped; nothing was written",
          file=sys.stderr)
    if summary.refusal is not None:
        print(str(summary.refusal), file=sys.stderr)
        return 2
    return 1 if summary.failed else 0


def _dask_runner(args: argparse.Namespace) -> Any:
    """--engine dask: the run on a Dask cluster (corpus and outputs may be fsspec URLs); 2 when
    the [dask] extra is missing. The client and scheduler run in this process: the collector is on."""
    gc.enable()
    try:
        from pipeline.engines.dask import run_dask
    except ImportError as exc:
        print(f"[E122] {Errors.E122.format(what='--engine dask', extra='dask')} ({exc.name} missing)", file=sys.stderr)
        return 2

    def runner(corpus: Path, outputs: Path, *, jobs: int, restore_gc: bool, progress: bool | None,
               **options: Any) -> tuple[Summary, list[str]]:
        return run_dask(_as_given(corpus), _as_given(outputs), scheduler=args.scheduler, workers=jobs,
                        progress=progress, **options)

    return runner


def _as_given(path: Path | str) -> str:
    """A folder or a URL as the user typed it (argparse's Path turns "s3://b/c" into "s3:/b/c")."""
    text = os.fspath(path)
    return text.replace(":/", "://", 1) if ":/" in text and "://" not in text else text


def _link(outputs: Path, check: bool) -> int:
    from pipeline.link.writer import run_link

    if not outputs.is_dir():
        print(f"[E503] {Errors.E503.format(path=outputs)}", file=sys.stderr)
        return 2
    status, lines = run_link(outputs, check=check)
    for line in lines:
        print(line, file=sys.stderr)
    return status


def _explain(text: str, published: str | None) -> int:
    from pipeline.article import extract_article
    from pipeline.factories import shared_nlp
    from pipeline.sidecar import Sidecar

    if published:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            print(f"--published {published!r} is not YYYY-MM-DD", file=sys.stderr)
            return 2
    record = extract_article(text.encode("utf-8"), "explain.txt", Sidecar(published=published), shared_nlp())
    print(json.dumps({"claims": record["claims"], "incident": record["incident"]}, indent=2, ensure_ascii=False))
    return 0
