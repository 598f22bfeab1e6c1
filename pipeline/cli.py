"""Command line: ``python -m pipeline extract|explain|diff|report|export|review|import-labelstudio|link``. Parses arguments, nothing else.

Exit status: 0 every article processed; 1 some were refused or failed (the others
are written); 2 usage error. ``diff --check`` exits 1 when anything changed.
The review subcommands (``pipeline/review/``) are imported only when they run, so
they add nothing to the start-up of ``extract``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import sys
from pathlib import Path

from pipeline.errors import Errors
from pipeline.runner import DEFAULT_MAX_BYTES, run


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
    run_group.add_argument("--force", action="store_true", help="re-extract articles even when unchanged")
    run_group.add_argument("--check", action="store_true",
                           help="write nothing; exit 1 if the outputs differ from what extraction would write")
    run_group.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                           help="progress bar (default: only on a terminal)")
    explain = sub.add_parser("explain", help="print the claims of one text, for rule debugging")
    explain.add_argument("text", help="an article: title on the first line, then the body")
    explain.add_argument("--published", help="publication date YYYY-MM-DD (relative dates resolve against it)")
    _review_parsers(sub)
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
    if args.command in ("diff", "report", "export", "review", "import-labelstudio"):
        from pipeline.review import commands

        return {"diff": commands.run_diff, "report": commands.run_report, "export": commands.run_export,
                "review": commands.run_review, "import-labelstudio": commands.run_import_labelstudio}[args.command](args)
    if not args.corpus.is_dir():
        print(f"[E301] {Errors.E301.format(path=args.corpus)}", file=sys.stderr)
        return 2
    if args.outputs.resolve().is_relative_to(args.corpus.resolve()):
        print(f"[E302] {Errors.E302.format(path=args.outputs)}", file=sys.stderr)
        return 2
    if args.jobs < 1 or args.max_bytes < 1:
        print("--jobs and --max-bytes must be positive", file=sys.stderr)
        return 2
    summary, errors = run(args.corpus, args.outputs, jobs=args.jobs, force=args.force, check=args.check,
                          max_bytes=args.max_bytes, progress=args.progress, restore_gc=not process_ends)
    for line in errors:
        print(line, file=sys.stderr)
    if args.check:
        for path in summary.stale:
            print(f"would change: {path}", file=sys.stderr)
        print(f"check: {len(summary.stale)} output(s) would change; {summary.line()}", file=sys.stderr)
        return 1 if summary.stale or summary.failed else 0
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failed else 0


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
