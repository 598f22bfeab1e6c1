"""Run the pipeline over a corpus folder: incremental, parallel, safe with bad input.

One bad file costs one line on stderr, never the run and never another article's
output. Outputs mirror the corpus tree (corpus/a/b.txt -> outputs/a/b.json).
State for incremental runs (source, sidecar and pipeline hashes per article) is
kept in ``<outputs>/.extract-state.json``, which git ignores.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.errors import InputError, PipelineError
from pipeline.fingerprint import pipeline_fingerprint
from pipeline.output import BackgroundWriter, dumps, failure_reason, write_atomic

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".pdf")  # a .pdf is read from its text layer (the [pdf] extra)
SIDECAR_SUFFIX = ".meta.json"
STATE_FILE = ".extract-state.json"
DEFAULT_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Task:
    """One article to extract: where it is and what it depends on."""

    rel: str
    path: Path
    sidecar: Path | None


@dataclass
class Summary:
    """Counts for the closing line of a run."""

    extracted: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    stale: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """ "extracted 3, unchanged 997, removed 0, failed 1 in 1.23 s"."""
        return (
            f"extracted {self.extracted}, unchanged {self.unchanged}, removed {self.removed}, "
            f"failed {self.failed} in {self.seconds:.2f} s"
        )


def output_path(outputs: Path, rel: str) -> Path:
    """corpus-relative article path -> its JSON path under ``outputs``.

    ``Path(rel).with_suffix(".json")`` by string slicing: every article name ends in
    one of ARTICLE_SUFFIXES, and pathlib's parsing was a visible cost per article.
    """
    return outputs / (rel[: rel.rfind(".")] + ".json")


def discover(corpus: Path, report: list[str]) -> list[Task]:
    """Articles under ``corpus`` in a stable order; links out of the corpus are refused.

    Each folder's files (sorted), then its sub-folders (sorted), as ``os.walk`` goes
    top-down; hidden names and linked folders are skipped. One directory scan per
    folder answers which names are links and which sidecars exist, so a no-change
    re-run does not pay two extra system calls per article.
    """
    root = corpus.resolve()
    tasks: list[Task] = []
    _discover_in(corpus, "", root, tasks, report)
    return tasks


def _discover_in(folder: Path, prefix: str, root: Path, tasks: list[Task], report: list[str]) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = {entry.name: entry for entry in scan if not entry.name.startswith(".")}
    except OSError:  # unreadable or vanished folder: os.walk skips it too
        return
    folders, files = [], []
    for name, entry in entries.items():
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        (folders if is_folder else files).append(name)
    for filename in sorted(files):
        if not filename.lower().endswith(ARTICLE_SUFFIXES):
            continue
        path = folder / filename
        rel = prefix + filename
        if entries[filename].is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                report.append(f"{rel}: {InputError('E106', target=target)}")
                continue
        sidecar_name = filename[: filename.rfind(".")] + SIDECAR_SUFFIX
        sidecar = entries.get(sidecar_name)
        has_sidecar = sidecar is not None and sidecar.is_file()
        tasks.append(Task(rel, path, folder / sidecar_name if has_sidecar else None))
    for name in sorted(folders):
        if not entries[name].is_symlink():  # os.walk(followlinks=False) does not enter linked folders
            _discover_in(folder / name, prefix + name + "/", root, tasks, report)


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError("E103", size=size, limit=max_bytes)
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError("E104", reason=exc.strerror or type(exc).__name__) from exc


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


# --- worker side: one pipeline per process ----------------------------------------

# Allocations between young-generation collections (CPython's default is 700).
GC_THRESHOLD = (20_000, 20, 20)


def _init_worker() -> None:
    from pipeline.factories import shared_nlp

    shared_nlp()
    _compile_rules()
    _settle_gc()


def _compile_rules() -> None:
    """Build the rule tables that are otherwise built on the first article.

    Cleaning, dateline and time rules are compiled (and analysed for prefilters) on
    first use, about 0.15 s; done here, before the pool forks, the workers inherit
    them instead of each compiling its own.
    """
    from pipeline.clean.text import clean_body
    from pipeline.extract.times import find_times
    from pipeline.metadata import find_dateline

    clean_body("", Counter())
    find_times("")
    find_dateline("")


def _settle_gc() -> None:
    """Keep the garbage collector off the long-lived pipeline.

    After start-up the heap holds ~120,000 objects that live for the whole run
    (spaCy's vocabulary, rules, gazetteer); every older-generation collection walked
    them all, about a fifth of the extraction time. ``gc.freeze`` moves them out of
    the collector's sight (and, before a fork, keeps workers from touching their
    shared pages); a larger young generation collects each article's short-lived
    cycles in fewer, cheaper passes. The collector is switched on here in case the
    caller kept it off through start-up (``python -m pipeline`` does: the imports and
    the pipeline allocate those objects, all for keeps, and each full collection on
    the way walked them). Outputs do not depend on it.
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    gc.enable()


class Job(NamedTuple):
    """One article to extract, with everything the extracting process needs."""

    rel: str
    data: bytes
    sidecar: bytes | None
    sidecar_name: str | None
    write_to: str | None  # the output path, for the extracting process to write; None: send the text back


class Result(NamedTuple):
    """What came of one job."""

    rel: str
    text: str | None  # the output text, when not written by the extracting process
    digest: str | None  # sha256 of the output's bytes
    error: str | None  # the error line, when the article failed


def _extract(job: Job) -> Result:
    """Extract one article; never raises, so one article cannot stop the run.

    Given an output path, the worker writes the file itself and sends back only its
    digest: with several workers, passing each text to the parent and on to a writer
    cost the parent more than it could spare on two cores.
    """
    rel, data, sidecar_bytes, sidecar_name, write_to = job
    from pipeline.article import extract_article
    from pipeline.factories import shared_nlp
    from pipeline.sidecar import parse_sidecar

    try:
        sidecar = parse_sidecar(sidecar_bytes, sidecar_name or "")
        text = dumps(extract_article(data, rel, sidecar, shared_nlp()))
    except PipelineError as exc:
        return Result(rel, None, None, f"{rel}: {exc}")
    except RecursionError:
        return Result(rel, None, None, f"{rel}: {InputError('E107', stage='extract', reason='input nested too deeply')}")
    except Exception as exc:  # noqa: BLE001 - reported with the article's name, run goes on
        stage = getattr(exc, "stage", "extract")
        return Result(rel, None, None, f"{rel}: {InputError('E107', stage=stage, reason=f'{type(exc).__name__}: {exc}')}")
    encoded = text.encode("utf-8")
    if write_to is None:
        return Result(rel, text, _digest(encoded), None)
    try:
        write_atomic(Path(write_to), encoded)
    except OSError as exc:
        return Result(rel, None, None, f"{rel}: {InputError('E109', path=write_to, reason=failure_reason(exc))}")
    return Result(rel, None, _digest(encoded), None)


# --- the run ------------------------------------------------------------------------

def _load_state(outputs: Path) -> tuple[dict[str, Any], str | None]:
    """The previous run's state, and its text (to leave the file alone if nothing changed)."""
    try:
        text = (outputs / STATE_FILE).read_text(encoding="utf-8")
        state = json.loads(text)
    except (OSError, ValueError):
        return {"articles": {}}, None
    if isinstance(state, dict) and isinstance(state.get("articles"), dict):
        return state, text
    return {"articles": {}}, None


def _jobs(
    tasks: list[Task], outs: dict[str, Path], state: dict[str, Any], fingerprint: str, force: bool, max_bytes: int,
    summary: Summary, errors: list[str], workers_write: bool,
) -> Iterator[Job]:
    """Read each article and yield the ones that need extracting."""
    for task in tasks:
        try:
            data = _read(task.path, max_bytes)
            sidecar = _read(task.sidecar, max_bytes) if task.sidecar else None
        except InputError as exc:
            errors.append(f"{task.rel}: {exc}")
            summary.failed += 1
            continue
        key = {"source": _digest(data), "sidecar": _digest(sidecar), "pipeline": fingerprint}
        previous = state["articles"].get(task.rel, {})
        out = outs[task.rel]
        if not force and all(previous.get(k) == v for k, v in key.items()) and out.is_file():
            if _digest(out.read_bytes()) == previous.get("output"):
                summary.unchanged += 1
                continue
        state["articles"][task.rel] = key
        yield Job(task.rel, data, sidecar, task.sidecar.name if task.sidecar else None,
                  os.fspath(out) if workers_write else None)


def run(
    corpus: Path, outputs: Path, *, jobs: int = 1, force: bool = False, check: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None, restore_gc: bool = True,
) -> tuple[Summary, list[str]]:
    """Extract every changed article of ``corpus`` into ``outputs``.

    The garbage collector is set aside for the run (see ``_settle_gc``) and, with
    ``restore_gc``, handed back afterwards; the CLI, whose process ends right after,
    skips that (it would only cost one last full collection, about 0.2 s).

    With ``check`` nothing is written: ``summary.stale`` lists outputs that differ
    from what extraction would write (missing, changed or orphaned).
    Returns the summary and the error lines (already formatted, one per article).
    """
    started = time.perf_counter()
    summary, errors = Summary(), []
    tasks = discover(corpus, errors)
    summary.failed += len(errors)
    fingerprint = pipeline_fingerprint()
    state, state_text = ({"articles": {}}, None) if check else _load_state(outputs)
    outs = {t.rel: output_path(outputs, t.rel) for t in tasks}
    expected = set(outs.values())
    # One extracting process hands its texts to a writer on the idle core; several
    # write their own (see _extract).
    workers_write = jobs > 1 and not check
    pending = _jobs(tasks, outs, state, fingerprint, force or check, max_bytes, summary, errors, workers_write)
    written: dict[str, str] = {}  # output path -> rel, for the writer's failures
    writer = BackgroundWriter() if not workers_write and not check else None
    try:
        for rel, text, digest, error in _map(pending, jobs, len(tasks), progress, restore_gc):
            if error is not None:
                errors.append(error)
                summary.failed += 1
                state["articles"].pop(rel, None)
                continue
            out = outs[rel]
            if check:
                if not out.is_file() or out.read_text(encoding="utf-8") != text:
                    summary.stale.append(out.as_posix())
                continue
            if writer is not None and text is not None:
                writer.submit(out, text)
                written[os.fspath(out)] = rel
            state["articles"][rel]["output"] = digest
            summary.extracted += 1
    finally:
        failures = writer.close() if writer is not None else []
    for path, reason in failures:
        rel = written[path]
        errors.append(f"{rel}: {InputError('E109', path=path, reason=reason)}")
        summary.extracted -= 1
        summary.failed += 1
        state["articles"].pop(rel, None)
    for orphan in _orphans(outputs, expected):
        if check:
            summary.stale.append(orphan.as_posix())
            continue
        orphan.unlink()
        summary.removed += 1
        errors.append(f"{orphan.as_posix()}: removed (its article is gone)")
    if not check:
        live = {t.rel for t in tasks}
        state["articles"] = {k: v for k, v in sorted(state["articles"].items()) if k in live and "output" in v}
        text = json.dumps(state, indent=1, sort_keys=True) + "\n"
        if text != state_text:  # a no-change re-run rewrites (and flushes) nothing
            write_atomic(outputs / STATE_FILE, text, durable=True)
    summary.seconds = time.perf_counter() - started
    return summary, errors


def _orphans(outputs: Path, expected: set[Path]) -> list[Path]:
    """Output files of ours whose article no longer exists, in path order.

    The ``*.json`` files under ``outputs`` (linked folders not entered), walked as
    strings: on a no-change re-run every output is expected, and making, sorting and
    hashing a Path for each cost more than the rest of the check.
    """
    if not outputs.is_dir():
        return []
    wanted = {os.fspath(path) for path in expected}
    candidates: list[tuple[list[str], str]] = []
    for dirpath, _, filenames in os.walk(os.fspath(outputs)):
        for name in filenames:
            if name.endswith(".json") and not name.startswith("."):
                full = os.path.join(dirpath, name)
                if full not in wanted:
                    candidates.append((full.split(os.sep), full))
    found = []
    for _, full in sorted(candidates):  # by path parts, as Paths sort
        path = Path(full)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and "schema_version" in record and "article" in record:
            found.append(path)
    return found


def _map(
    jobs_iter: Iterator[Job], jobs: int, total: int, progress: bool | None, restore_gc: bool = True,
) -> Iterator[Result]:
    """Run ``_extract`` over the jobs, serially or in ``jobs`` processes, with a progress bar
    on a terminal. Results come in the jobs' order either way."""
    from tqdm import tqdm

    # Shown on a terminal unless --no-progress; shown anywhere with --progress.
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=total, unit="article", disable=not show, file=sys.stderr, leave=False)
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    try:
        # Built here once: this process extracts in every mode, and forked children
        # inherit it instead of paying the start-up each.
        _init_worker()
        if jobs <= 1:
            for job in jobs_iter:
                bar.update(1)
                yield _extract(job)
            return
        pending = list(jobs_iter)
        if pending:  # a no-change re-run forks nothing
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            yield from _take_turns(pending, jobs, multiprocessing.get_context(method), bar.update)
    finally:
        bar.close()
        # A caller that goes on (tests, a notebook, a Dask worker) gets the collector back
        # as it was: frozen objects become collectable again.
        if restore_gc:
            gc.unfreeze()
            gc.set_threshold(*threshold)
            if not enabled:
                gc.disable()


# --- several processes: this one and N-1 children take turns ---------------------

# Articles a process takes from the shared counter at a time: few enough that the
# processes end together, enough that the counter's lock is rarely contended.
TURN = 4


def _take_turns(jobs: list[Job], processes: int, context: Any, advance: Any) -> Iterator[Result]:
    """Extract ``jobs`` in this process and ``processes - 1`` children, in any order; yield
    the results in the jobs' order.

    Each process takes the next few articles from a shared counter until none are
    left, writes their outputs itself and sends back only digests and error lines.
    The parent is one of the extracting processes: with two cores and two processes,
    nothing else competes for them (a pool's parent, its feeder threads and a writer
    took a share of the cores from the two workers). A child that dies leaves its
    unfinished articles reported as failed, never a hung run.
    """
    counter = context.Value("q", 0)
    children: list[tuple[Any, Any]] = []
    for _ in range(processes - 1):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child_turns, args=(jobs, counter, send), name="extract", daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    results: dict[int, Result] = {}
    listening = [receive for _, receive in children]
    for index in _turns(counter, len(jobs)):
        results[index] = _extract(jobs[index])
        advance(1)
        _collect(listening, results, advance, wait=False)
    _collect(listening, results, advance, wait=True)
    for child, receive in children:
        child.join()
        receive.close()
    for index, job in enumerate(jobs):
        found = results.get(index)
        if found is None:  # its process died before answering
            reason = "the process extracting it ended unexpectedly"
            found = Result(job[0], None, None, f"{job[0]}: {InputError('E107', stage='extract', reason=reason)}")
        yield found


def _turns(counter: Any, total: int) -> Iterator[int]:
    """The job indices this process takes, TURN at a time, until the counter passes ``total``."""
    while True:
        with counter.get_lock():
            start = counter.value
            counter.value = start + TURN
        if start >= total:
            return
        yield from range(start, min(start + TURN, total))


def _child_turns(jobs: list[Job], counter: Any, send: Any) -> None:
    """A child process: extract its turns, send each (index, result), then None."""
    _init_worker()  # inherited when forked; built here when spawned
    for index in _turns(counter, len(jobs)):
        send.send((index, _extract(jobs[index])))
    send.send(None)
    send.close()


def _collect(listening: list[Any], results: dict[int, Result], advance: Any, *, wait: bool) -> None:
    """Take the children's answers waiting in their pipes (with ``wait``, all until each is done)."""
    for receive in list(listening):
        while wait or receive.poll():
            try:
                answer = receive.recv()
            except (EOFError, OSError):  # the child died: its missing results are failures
                answer = None
            if answer is None:
                listening.remove(receive)
                break
            results[answer[0]] = answer[1]
            advance(1)
