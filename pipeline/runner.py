"""Run the pipeline over a corpus folder: incremental, parallel, safe with bad input and faults.

One bad file costs one line on stderr, never the run and never another article's
output. Outputs mirror the corpus tree (corpus/a/b.txt -> outputs/a/b.json).

A run never loses a user's data by mistake: it refuses an outputs folder that holds
another corpus's outputs, removes only its own corpus's outputs whose article is
gone, and refuses, before writing anything, to remove more than a few outputs and a
tenth of them (pipeline/orphans.py), unless told to (``--force``, ``--prune``).
``dry_run`` says what a run would write and remove, and writes nothing.

The order of a run: discovery (pipeline/discovery.py), the previous state
(pipeline/state.py), the removal plan and its checks, then the articles that need
extracting go to watched child processes (pipeline/workers.py) while this one reads
the next, writes outputs and keeps the state; last, orphans are removed and the state
is written. Stopped by a signal, the run skips the removals and saves the state of
what is done, so the next run goes on from there.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.discovery import Task, discover, output_rel
from pipeline.errors import InputError, RunRefused, warning
from pipeline.fingerprint import pipeline_fingerprint
from pipeline.formats import ARTICLE_SUFFIXES, SIDECAR_SUFFIX
from pipeline.job import DEFAULT_MAX_BYTES, UNCAPPED, Job, Result, digest, read_article, stamp
from pipeline.orphans import FEW, plan_removal
from pipeline.output import failure_reason, write_atomic
from pipeline.state import STATE_FILE, State, corpus_key, load_state, save_state
from pipeline.workers import Stop, Supervisor

__all__ = ["ARTICLE_SUFFIXES", "DEFAULT_ARTICLE_TIMEOUT", "DEFAULT_MAX_BYTES", "SIDECAR_SUFFIX", "STATE_FILE",
           "Summary", "Task", "discover", "output_path", "run"]

# Something that extracts jobs and gives back one Result each, in any order (the Supervisor's run).
Engine = Callable[[Iterator[Job]], Iterator[Result]]

# Seconds one article may take before it is ended (E111): five times the worst case the
# caps allow (about 2 s), so a busy machine does not end a good article.
DEFAULT_ARTICLE_TIMEOUT = 10.0


@dataclass
class Summary:
    """Counts for the closing line of a run, and what a check or a dry run found."""

    extracted: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0  # articles refused or failed
    skipped: int = 0  # files of the corpus that are not articles (W101-W104)
    faults: int = 0  # the state file or an orphan that could not be written or removed
    stale: list[str] = field(default_factory=list)  # --check: outputs that would change
    planned: list[str] = field(default_factory=list)  # --dry-run: outputs that would be written, with why
    removing: list[str] = field(default_factory=list)  # --dry-run: outputs that would be removed
    refusal: RunRefused | None = None  # --dry-run: why the run itself would refuse
    interrupted: str | None = None  # "SIGINT" or "SIGTERM" when a signal stopped the run
    seconds: float = 0.0

    def line(self) -> str:
        """ "extracted 3, unchanged 997, removed 0, failed 1, skipped 0 in 1.23 s"."""
        return (
            f"extracted {self.extracted}, unchanged {self.unchanged}, removed {self.removed}, "
            f"failed {self.failed}, skipped {self.skipped} in {self.seconds:.2f} s"
        )


def output_path(outputs: Path, rel: str) -> Path:
    """corpus-relative article path -> its JSON path under ``outputs``."""
    return outputs / output_rel(rel)


def _output_file(base: str, rel: str) -> str:
    """``output_path`` as a string under ``base`` (``os.fspath(outputs)``): a run makes one
    per article and two per article on a re-run, where pathlib's parsing was a visible cost."""
    return os.path.join(base, output_rel(rel)) if os.sep == "/" else os.path.join(base, *output_rel(rel).split("/"))


def run(
    corpus: Path, outputs: Path, *, jobs: int = 1, force: bool = False, check: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None, restore_gc: bool = True,
    dry_run: bool = False, prune: bool = False, article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
    engine: Engine | None = None,
) -> tuple[Summary, list[str]]:
    """Extract every changed article of ``corpus`` into ``outputs``.

    With ``check`` nothing is written: ``summary.stale`` lists outputs that differ
    from what extraction would write (missing, changed or orphaned). With ``dry_run``
    nothing is extracted or written: ``summary.planned`` and ``summary.removing`` list
    what a run would do. ``force`` re-extracts everything, also into an outputs folder
    recorded for another corpus; ``prune`` lifts the limit on removals and removes
    foreign output records too. ``article_timeout`` (seconds, None or 0: none) ends an
    article that runs over. The garbage collector is set aside for the run and, with
    ``restore_gc``, handed back afterwards. ``engine`` extracts the jobs elsewhere (the Dask
    engine, pipeline/engines/dask.py) instead of this machine's watched children: everything
    else, from discovery to the state file, is this run's, so its outputs are the same.

    Returns the summary and the lines for stderr (coded, one per file or article).

    Raises:
        RunRefused: E303 another corpus's outputs, E304 too many removals, E305 the
            outputs folder cannot be created. Nothing has been written.
    """
    started = time.perf_counter()
    summary, lines = Summary(), []
    found = discover(corpus)
    lines.extend(found.lines)
    summary.failed += found.refused
    summary.skipped += found.skipped
    key = corpus_key(corpus, outputs)
    state = State() if check else load_state(outputs, lines)
    owned = _owned(state, key, corpus, outputs, force=force, every=check or prune)
    base = os.fspath(outputs)
    outs = {task.rel: _output_file(base, task.rel) for task in found.tasks}
    expected = set(outs.values()) | {_output_file(base, rel) for rel in found.kept}
    removal = plan_removal(outputs, expected, owned)
    if removal.foreign:
        lines.append(f"{outputs.as_posix()}: {warning('W107', count=len(removal.foreign), first=removal.foreign[0].as_posix())}")
    if not check and not prune and removal.too_many():
        refusal = RunRefused("E304", count=len(removal.orphans), total=removal.total, outputs=outputs.as_posix(),
                             corpus=corpus.as_posix(), few=FEW)
        if not dry_run:
            raise refusal
        summary.refusal = refusal
    if not check and not dry_run:
        try:
            outputs.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunRefused("E305", path=outputs.as_posix(), reason=failure_reason(exc)) from exc
    fingerprint = pipeline_fingerprint()
    errors: dict[int, str] = {}
    stop = Stop()
    with stop.installed():
        pending = _pending(found.tasks, outs, state, fingerprint, force or check, max_bytes, summary, errors, stop,
                           children_write=(jobs > 1 or engine is not None) and not check)
        if dry_run:
            summary.planned = [f"{Path(outs[job.rel]).as_posix()} ({why})" for job, why in pending]
        else:
            _extract_all(pending, found.tasks, outs, state, fingerprint, summary, errors, stop, check=check,
                         jobs=jobs, max_bytes=max_bytes, timeout=article_timeout, progress=progress,
                         restore_gc=restore_gc, engine=engine)
    lines.extend(errors[index] for index in sorted(errors))
    summary.interrupted = stop.name
    if check:
        summary.stale.extend(orphan.as_posix() for orphan in removal.orphans)
    elif dry_run:
        summary.removing = [orphan.as_posix() for orphan in removal.orphans]
    else:
        if summary.interrupted is None:
            _remove(removal.orphans, summary, lines)
        live = {task.rel for task in found.tasks} | set(found.kept)
        try:
            save_state(outputs, state, key, live)
        except OSError as exc:
            path = (outputs / STATE_FILE).as_posix()
            lines.append(f"{path}: {InputError('E109', path=path, reason=failure_reason(exc))}")
            summary.faults += 1
    summary.seconds = time.perf_counter() - started
    return summary, lines


def _owned(state: State, key: str, corpus: Path, outputs: Path, *, force: bool, every: bool) -> set[str] | None:
    """The outputs this corpus may remove when their article is gone; None: every output record.

    Raises:
        RunRefused: E303 when the state records another corpus and ``force`` is not given.
    """
    if state.corpus is not None and state.corpus != key:
        if not force:
            recorded = os.path.normpath(os.path.join(outputs, state.corpus))
            raise RunRefused("E303", outputs=outputs.as_posix(), recorded=Path(recorded).as_posix(),
                             corpus=corpus.as_posix())
        state.articles.clear()  # another corpus's digests: nothing of it is unchanged, nothing of it is ours
        return None if every else set()
    if every or not state.found:
        return None
    base = os.fspath(outputs)
    return {_output_file(base, rel) for rel in state.articles}


def _pending(
    tasks: list[Task], outs: dict[str, str], state: State, fingerprint: str, force: bool, max_bytes: int,
    summary: Summary, errors: dict[int, str], stop: Stop, *, children_write: bool,
) -> Iterator[tuple[Job, str]]:
    """The articles that need extracting, with why; the unchanged ones are counted.

    An article the state knows is read and hashed here to compare; a new one is read
    only by the process that extracts it.
    """
    for index, task in enumerate(tasks):
        if stop.signum is not None:
            return
        out = outs[task.rel]
        try:
            why = _why(task, state.articles.get(task.rel), out, fingerprint, force, max_bytes)
        except InputError as exc:
            errors[index] = f"{task.rel}: {exc}"
            summary.failed += 1
            continue
        if why is None:
            summary.unchanged += 1
            continue
        yield Job(index, task.rel, os.fspath(task.path), os.fspath(task.sidecar) if task.sidecar else None,
                  out if children_write else None), why


def _why(task: Task, previous: dict | None, out: str, fingerprint: str, force: bool, max_bytes: int) -> str | None:
    """Why the article must be extracted again, or None when its output is up to date.

    Files whose stamps (size, inode, mtime, ctime; see pipeline/job.py) match the state's
    are not read again; a file whose stamp moved is read and hashed, and if its digest
    is unchanged its new stamp is kept, so the next run need not hash it again.
    """
    if force:
        return "forced"
    if previous is None:
        return "new article"
    if "output" not in previous:
        return "not extracted last time"
    if previous.get("pipeline") != fingerprint:
        return "rules or code changed"
    recorded = previous.get("stamps") if isinstance(previous.get("stamps"), dict) else {}
    files = {"source": task.path, "sidecar": task.sidecar, "output": out}
    now = {name: _stamp(path) for name, path in files.items()}
    if all((now[name] is not None and now[name] == recorded.get(name)) if path is not None
           else recorded.get(name) is None for name, path in files.items()):
        return None
    read: list[list[int] | None] = []
    data = read_article(task.path, max_bytes, read)
    sidecar = read_article(task.sidecar, max_bytes, read) if task.sidecar else None
    if previous.get("source") != digest(data) or previous.get("sidecar") != digest(sidecar):
        return "article or sidecar changed"
    written = _read_output(out)
    if written is None:
        return "output missing"
    if digest(written) != previous.get("output"):
        return "output edited"
    previous["stamps"] = {"source": read[0], "sidecar": read[1] if task.sidecar else None,
                          "output": now["output"]}
    return None


def _read_output(path: str | Path) -> bytes | None:
    """An output's bytes; None when it is missing or not a regular file (a FIFO is never opened)."""
    try:
        return read_article(path, OUTPUT_READ_LIMIT)
    except InputError:
        return None


# Outputs are read whole to compare them (they may be many times their article's size).
OUTPUT_READ_LIMIT = UNCAPPED


def _stamp(path: str | Path | None) -> list[int] | None:
    if path is None:
        return None
    try:
        return stamp(os.stat(path))
    except OSError:
        return None


def _extract_all(
    pending: Iterator[tuple[Job, str]], tasks: list[Task], outs: dict[str, str], state: State, fingerprint: str,
    summary: Summary, errors: dict[int, str], stop: Stop, *, check: bool, jobs: int, max_bytes: int,
    timeout: float | None, progress: bool | None, restore_gc: bool, engine: Engine | None = None,
) -> None:
    """Extract the pending articles in watched children (or on ``engine``); write, compare and record each result."""
    # Shown on a terminal unless --no-progress; shown anywhere with --progress. tqdm is
    # imported only to show one (its import is a visible part of a no-change re-run).
    show = sys.stderr.isatty() if progress is None else progress
    bar: Any = _NoBar()
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), unit="article", file=sys.stderr, leave=False)
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    extracting = (engine or Supervisor(jobs, timeout, max_bytes, stop).run)(job for job, _ in pending)
    try:
        for result in extracting:
            bar.update(1)
            _record(result, tasks[result.index], outs, state, fingerprint, summary, errors, check)
    finally:
        bar.close()
        # A caller that goes on (tests, a notebook, a Dask worker) gets the collector back
        # as it was: frozen objects become collectable again.
        if restore_gc:
            gc.unfreeze()
            gc.set_threshold(*threshold)
            if not enabled:
                gc.disable()


class _NoBar:
    """The progress bar when none is shown."""

    def update(self, _count: int) -> None:
        pass

    def close(self) -> None:
        pass


def _record(result: Result, task: Task, outs: dict[str, str], state: State, fingerprint: str, summary: Summary,
            errors: dict[int, str], check: bool) -> None:
    """One result: its error line, or its output written (or compared) and its state entry."""
    out = Path(outs[task.rel])
    if result.error is None and check:
        if _read_output(out) != result.data:
            summary.stale.append(out.as_posix())
        return
    error = result.error
    stamps = dict(result.stamps or {})
    if error is None and result.data is not None:
        try:
            write_atomic(out, result.data)
            stamps["output"] = stamp(os.stat(out))
        except OSError as exc:
            error = f"{task.rel}: {InputError('E109', path=out.as_posix(), reason=failure_reason(exc))}"
    if error is not None:
        errors[result.index] = error
        summary.failed += 1
        if task.rel not in state.articles and not check and out.is_file():
            state.articles[task.rel] = {}  # its earlier output is still this corpus's
        return
    state.articles[task.rel] = {"source": result.source, "sidecar": result.sidecar, "pipeline": fingerprint,
                                "output": result.digest, "stamps": stamps}
    summary.extracted += 1


def _remove(orphans: list[Path], summary: Summary, lines: list[str]) -> None:
    """Remove the outputs whose article is gone; one line each, removed or not."""
    for orphan in orphans:
        try:
            orphan.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            lines.append(f"{orphan.as_posix()}: {InputError('E113', path=orphan.as_posix(), reason=failure_reason(exc))}")
            summary.faults += 1
            continue
        summary.removed += 1
        lines.append(f"{orphan.as_posix()}: removed (its article is gone)")
