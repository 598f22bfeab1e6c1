"""The ``diff``, ``report`` and ``export`` subcommands behind ``pipeline/cli.py``.

cli.py declares their arguments (it parses, nothing else) and imports this module only
when one of these subcommands runs, so ``extract`` never loads the review tools.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.output import failure_reason
from pipeline.review.diff import diff_outputs, render, totals
from pipeline.review.load import LoadError, Record, load_folder, load_revision


def run_diff(args: argparse.Namespace) -> int:
    """Print the claim-level diff; 0 either way, unless ``--check`` and something changed (1)."""
    try:
        if args.old is not None or args.new is not None:
            if args.old is None or args.new is None or args.rev is not None:
                print("diff: give either REV, or both --old DIR and --new DIR", file=sys.stderr)
                return 2
            old, new = load_folder(args.old), load_folder(args.new)
            label = f"{args.old} → {args.new}"
        else:
            rev = args.rev or "HEAD"
            new = load_folder(args.outputs)
            old = load_revision(args.outputs, rev)
            label = f"{rev} → {args.outputs}"
    except LoadError as error:
        print(f"diff: {error}", file=sys.stderr)
        return 2
    diffs = diff_outputs(old, new)
    summary = totals(diffs, len(set(old) | set(new)))
    sys.stdout.write(render(diffs, summary, label))
    return 1 if args.check and diffs else 0


def _outputs(args: argparse.Namespace, command: str) -> tuple[dict[str, Record], list[str]] | None:
    """The valid records of ``args.outputs`` and a line for each file skipped; None (after
    saying why on stderr) when the folder itself cannot be read."""
    skipped: list[str] = []
    try:
        return load_folder(args.outputs, skipped), skipped
    except LoadError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return None


def _prepare(out: Path) -> bool:
    """Create the folder written to; False (after one coded line) when it cannot be."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(PipelineError("E305", path=out.as_posix(), reason=failure_reason(exc)), file=sys.stderr)
        return False
    return True


def _write_failed(exc: OSError, out: Path) -> int:
    """One coded line for a file that could not be written; status 1."""
    path = exc.filename if exc.filename else out.as_posix()
    print(PipelineError("E109", path=path, reason=failure_reason(exc)), file=sys.stderr)
    return 1


def run_report(args: argparse.Namespace) -> int:
    """Write the review site and print where its index is."""
    from pipeline.review.report import write_report  # noqa: PLC0415 - only this command needs it

    loaded = _outputs(args, "report")
    if loaded is None:
        return 2
    records, skipped = loaded
    from pipeline.review.incidents_table import load_incidents  # noqa: PLC0415

    incidents = load_incidents(args.outputs, records, skipped)
    for line in skipped:
        print(line, file=sys.stderr)
    if not _prepare(args.out):
        return 2
    try:
        written = write_report(records, args.out, incidents)
    except OSError as exc:
        return _write_failed(exc, args.out)
    print(f"report: {len(written) - 1} pages; open {(args.out / 'index.html')}", file=sys.stderr)
    return 1 if skipped else 0


def run_export(args: argparse.Namespace) -> int:
    """Write CSV, Parquet, DuckDB and Label Studio files and list them."""
    from pipeline.review.export import export_all  # noqa: PLC0415 - imports duckdb lazily
    from pipeline.review.labelstudio import write_labelstudio  # noqa: PLC0415

    loaded = _outputs(args, "export")
    if loaded is None:
        return 2
    records, skipped = loaded
    from pipeline.review.incidents_table import load_incidents  # noqa: PLC0415

    incidents = load_incidents(args.outputs, records, skipped)
    for line in skipped:
        print(line, file=sys.stderr)
    if not _prepare(args.out):
        return 2
    try:
        written = export_all(records, args.out, excel=args.excel, raw=args.raw_cells, incidents=incidents)
        written += write_labelstudio(records, args.out)
    except OSError as exc:
        return _write_failed(exc, args.out)
    claims = sum(len(record.get("claims") or []) for record in records.values())
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"export: {len(records)} articles, {claims} claims", file=sys.stderr)
    return 1 if skipped else 0
