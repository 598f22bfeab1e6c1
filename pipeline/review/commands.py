"""The ``diff``, ``report``, ``export``, ``review`` and ``import-labelstudio`` subcommands behind ``pipeline/cli.py``.

cli.py declares their arguments (it parses, nothing else) and imports this module only
when one of these subcommands runs, so ``extract`` never loads the review tools.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.output import failure_reason
from pipeline.review.diff import diff_outputs, render, totals
from pipeline.review.corrections import Correction, load_corrections
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


def _site_inputs(
    args: argparse.Namespace, command: str
) -> tuple[dict[str, Record], list[str], dict[str, Any], dict[str, list[Correction]], list[str]] | None:
    """What ``report`` and ``export`` both read, in this order: the outputs, their incidents
    (a malformed incidents file adds to the skipped lines, which are then printed), the
    corrections (their problems printed), and ``args.out`` made ready. None (after one line
    on stderr) when the outputs cannot be read or the folder cannot be made: status 2."""
    loaded = _outputs(args, command)
    if loaded is None:
        return None
    records, skipped = loaded
    from pipeline.review.incidents_table import load_incidents  # noqa: PLC0415

    incidents = load_incidents(args.outputs, records, skipped)
    for line in skipped:
        print(line, file=sys.stderr)
    corrections, problems = _corrections(corrections_folder(args))
    if not _prepare(args.out):
        return None
    return records, skipped, incidents, corrections, problems


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

    inputs = _site_inputs(args, "report")
    if inputs is None:
        return 2
    records, skipped, incidents, corrections, problems = inputs
    try:
        written = write_report(records, args.out, incidents, corrections)
    except OSError as exc:
        return _write_failed(exc, args.out)
    print(f"report: {len(written) - 1} pages; open {(args.out / 'index.html')}", file=sys.stderr)
    return 1 if skipped or problems else 0


def run_export(args: argparse.Namespace) -> int:
    """Write CSV, Parquet, DuckDB and Label Studio files and list them."""
    from pipeline.review.export import export_all  # noqa: PLC0415 - imports duckdb lazily
    from pipeline.review.labelstudio import write_labelstudio  # noqa: PLC0415

    inputs = _site_inputs(args, "export")
    if inputs is None:
        return 2
    records, skipped, incidents, corrections, problems = inputs
    try:
        written = export_all(records, args.out, excel=args.excel, raw=args.raw_cells, incidents=incidents,
                             corrections=corrections)
        written += write_labelstudio(records, args.out)
    except OSError as exc:
        return _write_failed(exc, args.out)
    claims = sum(len(record.get("claims") or []) for record in records.values())
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"export: {len(records)} articles, {claims} claims", file=sys.stderr)
    return 1 if skipped or problems else 0


def corrections_folder(args: argparse.Namespace) -> Path:
    """``--corrections``, else ``corrections/`` beside the outputs folder: the corpus, outputs and
    corrections of a project sit side by side (``corpus/``, ``outputs/``, ``corrections/``)."""
    return args.corrections if args.corrections is not None else args.outputs.parent / "corrections"


def _corrections(folder: Path) -> tuple[dict[str, list[Correction]], list[str]]:
    """The corrections under ``folder`` (none when it does not exist); each file or entry that
    cannot be used is one coded line on stderr, the rest apply."""
    problems: list[str] = []
    corrections = load_corrections(folder, problems)
    for line in problems:
        print(line, file=sys.stderr)
    return corrections, problems


def run_review(args: argparse.Namespace) -> int:
    """``--score``: the corrections as a test set of the current outputs; ``--serve``: the review
    site on 127.0.0.1 with a verdict form that writes the corrections files."""
    loaded = _outputs(args, "review")
    if loaded is None:
        return 2
    records, skipped = loaded
    for line in skipped:
        print(line, file=sys.stderr)
    if args.score:
        from pipeline.review.apply import render_score, score  # noqa: PLC0415

        corrections, problems = _corrections(corrections_folder(args))
        sys.stdout.write(render_score(score(records, corrections), corrections_folder(args).as_posix()))
        return 1 if problems or skipped else 0
    if not 0 <= args.port <= 65535:
        print("review: --port must be 0 to 65535", file=sys.stderr)
        return 2
    from pipeline.review.incidents_table import load_incidents  # noqa: PLC0415
    from pipeline.review.serve import serve  # noqa: PLC0415

    return serve(records, load_incidents(args.outputs, records, skipped), corrections_folder(args), args.port)


def run_import_labelstudio(args: argparse.Namespace) -> int:
    """Write the verdicts of a Label Studio export into the corrections folder."""
    from pipeline.review.labelstudio_import import import_tasks, read_export, write_imported  # noqa: PLC0415

    loaded = _outputs(args, "import-labelstudio")
    if loaded is None:
        return 2
    records, skipped = loaded
    for line in skipped:
        print(line, file=sys.stderr)
    try:
        tasks = read_export(args.export_file)
    except ValueError as error:
        print(f"{args.export_file}: {error}", file=sys.stderr)
        return 2
    imported = import_tasks(tasks, records)
    for line in imported.problems:
        print(f"{args.export_file}: {line}", file=sys.stderr)
    try:
        written = write_imported(imported, corrections_folder(args))
    except (OSError, ValueError) as error:
        print(f"import-labelstudio: {error}", file=sys.stderr)
        return 1
    verdicts = Counter(c.verdict for entries in imported.corrections.values() for c in entries)
    listed = ", ".join(f"{name} {verdicts[name]}" for name in ("correct", "corrected", "wrong", "missed") if verdicts[name])
    print(f"import-labelstudio: {imported.reviewed} of {imported.tasks} tasks annotated; "
          f"{sum(verdicts.values())} verdicts ({listed or 'none'}) in {len(written)} files under {corrections_folder(args)}",
          file=sys.stderr)
    return 1 if imported.problems or skipped else 0
