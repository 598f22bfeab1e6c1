"""Extraction on Dask distributed: ``python -m pipeline extract --engine dask [--scheduler ADDRESS]``.

The same run as the built-in runner, with the articles mapped over a Dask cluster in
batches: a local cluster of ``--jobs`` single-threaded worker processes when no address
is given, else the scheduler at ADDRESS (``dask scheduler`` and ``dask worker`` on each
machine). Each worker builds the spaCy pipeline once (a module-level cache, kept for
every batch it is given), reads its articles itself (through fsspec: a local or shared
folder, or object storage such as ``s3://bucket/corpus`` when the matching fsspec
package is installed), decides whether each changed (the same digests as the runner),
extracts it with the same pure function and writes its output. The parent only
discovers the articles, hands out batches, and keeps the state file and the summary, in
corpus order: outputs, state and error lines are byte for byte those of a serial run.

Two things stay in the parent, as in the runner: removing the outputs of deleted
articles, and writing ``.extract-state.json`` (flushed to disk on a local folder).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.runner import (
    ARTICLE_SUFFIXES, SIDECAR_SUFFIX, STATE_FILE, Job, Summary, discover, output_path, _extract, _orphans,
)
from pipeline.output import write_atomic

# Articles per task: enough that the scheduler's overhead per task (a few ms) is small
# beside extracting them, few enough that two workers end together.
DEFAULT_BATCH = 32


@dataclass(frozen=True)
class Item:
    """One article of a batch, with what the worker needs to decide and to write."""

    rel: str
    path: str  # in the corpus file system
    sidecar: str | None
    sidecar_name: str | None
    previous: dict[str, Any]  # its state entry from the last run ({} when none)
    out: str  # in the outputs file system


def run_dask(
    corpus: str, outputs: str, *, scheduler: str | None = None, workers: int = 2, force: bool = False,
    check: bool = False, max_bytes: int, batch: int = DEFAULT_BATCH, client: Any = None,
) -> tuple[Summary, list[str]]:
    """Extract every changed article of ``corpus`` into ``outputs`` on a Dask cluster.

    ``client``: an existing ``distributed.Client`` (tests pass one on a LocalCluster);
    else one is made for ``scheduler``, or for a new local cluster of ``workers`` processes.
    """
    from pipeline.fingerprint import pipeline_fingerprint

    started = time.perf_counter()
    summary, errors = Summary(), []
    in_fs, in_root = _fs(corpus)
    out_fs, out_root = _fs(outputs)
    local_out = _is_local(out_fs)
    tasks = _discover(in_fs, in_root, corpus, errors)
    summary.failed += len(errors)
    fingerprint = pipeline_fingerprint()
    state, state_text = ({"articles": {}}, None) if check else _load_state(out_fs, out_root)
    outs = {rel: output_path(Path(out_root), rel).as_posix() for rel, _, _ in tasks}
    items = [Item(rel, path, sidecar, sidecar.rsplit("/", 1)[-1] if sidecar else None,
                  {} if force or check else state["articles"].get(rel, {}), outs[rel]) for rel, path, sidecar in tasks]
    batches = [items[i : i + batch] for i in range(0, len(items), max(1, batch))]
    own_client = client is None
    if own_client:
        client = _client(scheduler, workers)
    try:
        futures = client.map(_extract_batch, batches, fingerprint=fingerprint, max_bytes=max_bytes, check=check,
                             in_fs=in_fs, out_fs=out_fs, local_out=local_out, pure=False)
        answers = client.gather(futures)
    finally:
        if own_client:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and scheduler is None:
                cluster.close()
    for batch_answers in answers:
        for rel, outcome, key, digest, error in batch_answers:
            if outcome == "unchanged":
                summary.unchanged += 1
            elif outcome == "failed":
                errors.append(error)
                summary.failed += 1
                if key is not None:  # read, then failed: the runner forgets its entry
                    state["articles"].pop(rel, None)
            elif outcome == "stale":
                summary.stale.append(outs[rel])
            else:
                state["articles"][rel] = {**key, "output": digest}
                summary.extracted += 1
    _finish(summary, errors, state, state_text, tasks, outs, out_fs, out_root, check)
    summary.seconds = time.perf_counter() - started
    return summary, errors


# --- the parent's side ------------------------------------------------------------------

def _client(scheduler: str | None, workers: int) -> Any:
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


def _fs(url: str) -> tuple[Any, str]:
    """The file system and root of a folder; a local folder keeps the path as given, so that
    the lines naming its files read as the runner's."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if _is_local(fs) and "://" not in url:
        root = url
    return fs, root


def _is_local(fs: Any) -> bool:
    return "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))


def _discover(fs: Any, root: str, corpus: str, errors: list[str]) -> list[tuple[str, str, str | None]]:
    """(rel, path, sidecar path) of every article, in the runner's order (a folder's files, then its sub-folders)."""
    if _is_local(fs):
        return [(t.rel, os.fspath(t.path), os.fspath(t.sidecar) if t.sidecar else None)
                for t in discover(Path(root), errors)]
    root = root.rstrip("/")
    names = {path[len(root) + 1 :]: path for path in fs.find(root)}
    found = []
    for rel, path in names.items():
        parts = rel.split("/")
        if any(part.startswith(".") for part in parts) or not parts[-1].lower().endswith(ARTICLE_SUFFIXES):
            continue
        sidecar = rel[: rel.rfind(".")] + SIDECAR_SUFFIX
        found.append((_order(parts), rel, path, names.get(sidecar)))
    return [(rel, path, sidecar) for _, rel, path, sidecar in sorted(found)]


def _order(parts: list[str]) -> list[tuple[int, str]]:
    """Sort key of a path: at each level a folder's files (0) come before its sub-folders (1)."""
    return [(1, part) for part in parts[:-1]] + [(0, parts[-1])]


def _load_state(fs: Any, root: str) -> tuple[dict[str, Any], str | None]:
    try:
        text = fs.cat_file(f"{root.rstrip('/')}/{STATE_FILE}").decode("utf-8")
        state = json.loads(text)
    except (OSError, ValueError, UnicodeDecodeError):
        return {"articles": {}}, None
    if isinstance(state, dict) and isinstance(state.get("articles"), dict):
        return state, text
    return {"articles": {}}, None


def _finish(summary: Summary, errors: list[str], state: dict[str, Any], state_text: str | None,
            tasks: list[tuple[str, str, str | None]], outs: dict[str, str], fs: Any, root: str, check: bool) -> None:
    """Remove the outputs of deleted articles and write the state, as the runner does."""
    expected = {Path(out) for out in outs.values()}
    orphans = _orphans(Path(root), expected) if _is_local(fs) else _remote_orphans(fs, root, set(outs.values()))
    for orphan in orphans:
        if check:
            summary.stale.append(Path(orphan).as_posix())
            continue
        fs.rm_file(os.fspath(orphan))
        summary.removed += 1
        errors.append(f"{Path(orphan).as_posix()}: removed (its article is gone)")
    if check:
        return
    live = {rel for rel, _, _ in tasks}
    state["articles"] = {k: v for k, v in sorted(state["articles"].items()) if k in live and "output" in v}
    text = json.dumps(state, indent=1, sort_keys=True) + "\n"
    if text != state_text:
        if _is_local(fs):
            write_atomic(Path(root) / STATE_FILE, text, durable=True)
        else:
            fs.pipe_file(f"{root.rstrip('/')}/{STATE_FILE}", text.encode("utf-8"))


def _remote_orphans(fs: Any, root: str, expected: set[str]) -> list[str]:
    found = []
    for path in sorted(fs.find(root)):
        name = path.rsplit("/", 1)[-1]
        if not name.endswith(".json") or name.startswith(".") or path in expected:
            continue
        try:
            record = json.loads(fs.cat_file(path))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and "schema_version" in record and "article" in record:
            found.append(path)
    return found


# --- the worker's side ----------------------------------------------------------------

_READY = False


def _ensure_pipeline() -> None:
    """Build the pipeline and compile the rules once per worker process (kept for every later batch).

    In a worker process of its own the garbage collector is also set as the runner sets
    it; in a thread of the caller's process (a LocalCluster with processes=False) the
    caller's collector is left alone.
    """
    global _READY
    if _READY:
        return
    from pipeline.factories import shared_nlp
    from pipeline.runner import _compile_rules, _settle_gc

    shared_nlp()
    _compile_rules()
    if multiprocessing.parent_process() is not None:
        _settle_gc()
    _READY = True


def _extract_batch(items: list[Item], *, fingerprint: str, max_bytes: int, check: bool, in_fs: Any, out_fs: Any,
                   local_out: bool) -> list[tuple[str, str, dict[str, Any] | None, str | None, str | None]]:
    """Extract a batch: (rel, "extracted" | "unchanged" | "stale" | "failed", state key, output digest, error line).

    A long-lived worker keeps the pipeline it built: when the code or rules changed since, its
    fingerprint differs from the run's and the batch fails with E123 rather than write outputs
    of the old rules under the new fingerprint.
    """
    from pipeline.fingerprint import pipeline_fingerprint

    _ensure_pipeline()
    if pipeline_fingerprint() != fingerprint:
        error = InputError("E123", worker=_worker_name())
        return [(item.rel, "failed", None, None, f"{item.rel}: {error}") for item in items]
    return [_one(item, fingerprint, max_bytes, check, in_fs, out_fs, local_out) for item in items]


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


def _one(item: Item, fingerprint: str, max_bytes: int, check: bool, in_fs: Any, out_fs: Any, local_out: bool) -> tuple:
    try:
        data = _read(in_fs, item.path, max_bytes)
        sidecar = _read(in_fs, item.sidecar, max_bytes) if item.sidecar else None
    except InputError as exc:
        return item.rel, "failed", None, None, f"{item.rel}: {exc}"
    key = {"source": _digest(data), "sidecar": _digest(sidecar), "pipeline": fingerprint}
    previous = item.previous
    if previous and all(previous.get(k) == v for k, v in key.items()):
        try:
            if _digest(out_fs.cat_file(item.out)) == previous.get("output"):
                return item.rel, "unchanged", key, previous.get("output"), None
        except OSError:
            pass
    write_here = local_out and not check
    result = _extract(Job(item.rel, data, sidecar, item.sidecar_name, item.out if write_here else None))
    if result.error is not None:
        return item.rel, "failed", key, None, result.error
    if check:
        try:
            same = out_fs.cat_file(item.out) == result.text.encode("utf-8")
        except OSError:
            same = False
        return item.rel, "unchanged" if same else "stale", key, result.digest, None
    if not write_here:
        try:
            out_fs.pipe_file(item.out, result.text.encode("utf-8"))
        except OSError as exc:
            return item.rel, "failed", key, None, f"{item.rel}: {InputError('E109', path=item.out, reason=str(exc))}"
    return item.rel, "extracted", key, result.digest, None


def _read(fs: Any, path: str, max_bytes: int) -> bytes:
    try:
        size = fs.size(path)
        if size is not None and size > max_bytes:
            raise InputError("E103", size=size, limit=max_bytes)
        with fs.open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError("E104", reason=exc.strerror or type(exc).__name__) from exc


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None
