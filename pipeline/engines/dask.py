"""Extraction on Dask distributed: ``python -m pipeline extract --engine dask [--scheduler ADDRESS]``.

For folders (local, or a shared file system mounted at the same path on every machine)
this is the runner's own run (pipeline/runner.py): the same discovery, state, removal
checks, writing of the state file and lines in corpus order; only the extraction of
the pending articles is handed to Dask instead of this machine's watched children.
The jobs go out in batches of ``DEFAULT_BATCH``; each worker builds the pipeline once (a
module-level cache kept for every later batch, and across runs on a long-lived worker),
reads its articles, extracts them with the same pure function and writes their outputs,
as a ``--jobs`` child does. Outputs, state and lines are therefore the serial run's.
A worker whose pipeline fingerprint is not the run's (it was started before the code,
rules or libraries changed) refuses its batches with E123.

For object storage (any fsspec URL: ``s3://bucket/corpus`` with s3fs installed,
``file:///…``) there is no file to stat or rename, so ``run_urls`` keeps a simpler run of
its own: articles found with ``fs.find`` in the runner's order, each worker reads and
writes through fsspec, the state records the digests the runner records (without file
stamps), and only outputs the state lists are removed when their article is gone.

Without ``--scheduler`` a LocalCluster of ``--jobs`` single-threaded worker processes is
started for the run and stopped after it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.discovery import output_rel
from pipeline.errors import InputError, PipelineError
from pipeline.formats import SIDECAR_SUFFIX, article_format
from pipeline.job import Job, Result, digest, extract_job, failed
from pipeline.runner import Summary, run
from pipeline.state import STATE_FILE

# Articles per task: enough that the scheduler's cost per task (a few ms) is small beside
# extracting them, few enough that the workers end together.
DEFAULT_BATCH = 32


def run_dask(
    corpus: str, outputs: str, *, scheduler: str | None = None, workers: int = 2, batch: int = DEFAULT_BATCH,
    client: Any = None, **options: Any,
) -> tuple[Summary, list[str]]:
    """Extract ``corpus`` into ``outputs`` on a Dask cluster; ``options`` are the runner's (force,
    check, max_bytes, dry_run, prune…). ``client``: an existing ``distributed.Client`` (the tests
    pass one on a LocalCluster); else one for ``scheduler``, or for a new local cluster."""
    own = client is None
    if own:
        client = _client(scheduler, workers)
    try:
        if "://" in corpus or "://" in outputs:
            return run_urls(corpus, outputs, client=client, batch=batch, force=options.get("force", False),
                            check=options.get("check", False), max_bytes=options["max_bytes"])
        engine = DaskEngine(client, batch, options["max_bytes"])
        options.pop("article_timeout", None)  # a Dask worker has no per-article watchdog
        return run(Path(corpus), Path(outputs), engine=engine, article_timeout=None, **options)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and scheduler is None:
                cluster.close()


def _client(scheduler: str | None, workers: int) -> Any:
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


class DaskEngine:
    """The runner's extraction step on a cluster: jobs in, one Result each out (as batches finish)."""

    def __init__(self, client: Any, batch: int, max_bytes: int) -> None:
        self.client = client
        self.batch = max(1, batch)
        self.max_bytes = max_bytes

    def __call__(self, jobs: Iterator[Job]) -> Iterator[Result]:
        from distributed import as_completed

        from pipeline.fingerprint import pipeline_fingerprint

        pending = list(jobs)
        if not pending:
            return
        batches = [pending[i : i + self.batch] for i in range(0, len(pending), self.batch)]
        futures = self.client.map(_extract_batch, batches, max_bytes=self.max_bytes,
                                  fingerprint=pipeline_fingerprint(), pure=False)
        for future in as_completed(futures):
            yield from future.result()


# --- the worker's side ----------------------------------------------------------------

_READY = False


def _ensure_pipeline() -> None:
    """Build the pipeline once per worker process (kept for every later batch).

    In a worker process of its own the collector is also set as the runner sets it in
    its children; in a thread of the caller's process (a LocalCluster with
    processes=False, as in the tests) the caller's collector is left alone.
    """
    global _READY
    if _READY:
        return
    from pipeline.factories import shared_nlp
    from pipeline.job import _compile_rules, _settle_gc

    shared_nlp()
    _compile_rules()
    if multiprocessing.parent_process() is not None:
        _settle_gc()
    _READY = True


def _extract_batch(jobs: list[Job], *, max_bytes: int, fingerprint: str) -> list[Result]:
    """Extract a batch where the worker runs; refused whole (E123) by a worker of another pipeline version."""
    from pipeline.fingerprint import pipeline_fingerprint

    _ensure_pipeline()
    if pipeline_fingerprint() != fingerprint:
        error = InputError("E123", worker=_worker_name())
        return [failed(job, error) for job in jobs]
    return [extract_job(job, max_bytes) for job in jobs]


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


# --- object storage: a run through fsspec ---------------------------------------------

def run_urls(corpus: str, outputs: str, *, client: Any, batch: int, force: bool, check: bool,
             max_bytes: int) -> tuple[Summary, list[str]]:
    """Extract every changed article of a corpus that fsspec reads into outputs that fsspec writes."""
    import fsspec

    from pipeline.fingerprint import pipeline_fingerprint

    started = time.perf_counter()
    summary, lines = Summary(), []
    in_fs, in_root = fsspec.core.url_to_fs(corpus)
    out_fs, out_root = fsspec.core.url_to_fs(outputs)
    in_root, out_root = in_root.rstrip("/"), out_root.rstrip("/")
    tasks = _find(in_fs, in_root)
    state_path = f"{out_root}/{STATE_FILE}"
    try:
        state = {} if check else json.loads(out_fs.cat_file(state_path)).get("articles", {})
    except (OSError, ValueError, AttributeError):
        state = {}
    fingerprint = pipeline_fingerprint()
    items = [(rel, path, sidecar, f"{out_root}/{output_rel(rel)}", {} if force or check else state.get(rel, {}))
             for rel, path, sidecar in tasks]
    batches = [items[i : i + max(1, batch)] for i in range(0, len(items), max(1, batch))]
    futures = client.map(_url_batch, batches, in_fs=in_fs, out_fs=out_fs, fingerprint=fingerprint,
                         max_bytes=max_bytes, check=check, pure=False)
    articles: dict[str, dict[str, Any]] = {}
    for answers in client.gather(futures):
        for rel, outcome, entry, error in answers:
            if outcome == "failed":
                lines.append(error)
                summary.failed += 1
            elif outcome == "stale":
                summary.stale.append(f"{out_root}/{output_rel(rel)}")
            else:
                summary.unchanged += outcome == "unchanged"
                summary.extracted += outcome == "extracted"
                articles[rel] = entry
    if not check:
        live = {rel for rel, _, _ in tasks}
        for rel in sorted(set(state) - live):  # only outputs this corpus wrote are removed
            path = f"{out_root}/{output_rel(rel)}"
            if out_fs.exists(path):
                out_fs.rm_file(path)
                summary.removed += 1
                lines.append(f"{path}: removed (its article is gone)")
        content = {"articles": dict(sorted(articles.items())), "corpus": corpus}
        out_fs.makedirs(out_root, exist_ok=True)
        out_fs.pipe_file(state_path, (json.dumps(content, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    summary.seconds = time.perf_counter() - started
    return summary, lines


def _find(fs: Any, root: str) -> list[tuple[str, str, str | None]]:
    """(rel, path, sidecar path) of the articles under ``root``, in the runner's order
    (at each level a folder's files before its sub-folders); hidden names skipped."""
    names = {path[len(root) + 1 :]: path for path in fs.find(root)}
    found = []
    for rel, path in names.items():
        parts = rel.split("/")
        if any(part.startswith(".") for part in parts) or article_format(parts[-1]) is None:
            continue
        sidecar = names.get(rel[: rel.rfind(".")] + SIDECAR_SUFFIX)
        found.append(([(1, part) for part in parts[:-1]] + [(0, parts[-1])], rel, path, sidecar))
    return [(rel, path, sidecar) for _, rel, path, sidecar in sorted(found)]


def _url_batch(items: list[tuple[str, str, str | None, str, dict[str, Any]]], *, in_fs: Any, out_fs: Any,
               fingerprint: str, max_bytes: int, check: bool) -> list[tuple[str, str, dict[str, Any], str | None]]:
    from pipeline.article import extract_article
    from pipeline.factories import shared_nlp
    from pipeline.fingerprint import pipeline_fingerprint
    from pipeline.output import dumps
    from pipeline.sidecar import parse_sidecar

    _ensure_pipeline()
    answers = []
    for rel, path, sidecar_path, out, previous in items:
        if pipeline_fingerprint() != fingerprint:
            answers.append((rel, "failed", {}, f"{rel}: {InputError('E123', worker=_worker_name())}"))
            continue
        try:
            data = _read(in_fs, path, max_bytes)
            sidecar = _read(in_fs, sidecar_path, max_bytes) if sidecar_path else None
            entry = {"source": digest(data), "sidecar": digest(sidecar), "pipeline": fingerprint}
            if previous and all(previous.get(k) == v for k, v in entry.items()) and out_fs.exists(out) \
                    and digest(out_fs.cat_file(out)) == previous.get("output"):
                answers.append((rel, "unchanged", previous, None))
                continue
            name = sidecar_path.rsplit("/", 1)[-1] if sidecar_path else ""
            encoded = dumps(extract_article(data, rel, parse_sidecar(sidecar, name), shared_nlp())).encode("utf-8")
        except PipelineError as exc:
            answers.append((rel, "failed", {}, f"{rel}: {exc}"))
            continue
        except Exception as exc:  # noqa: BLE001 - one article never stops the run
            stage = getattr(exc, "stage", "extract")
            answers.append((rel, "failed", {}, f"{rel}: {InputError('E107', stage=stage, reason=f'{type(exc).__name__}: {exc}'[:500])}"))
            continue
        if check:
            same = out_fs.exists(out) and out_fs.cat_file(out) == encoded
            answers.append((rel, "unchanged" if same else "stale", {}, None))
            continue
        try:
            out_fs.makedirs(out.rsplit("/", 1)[0], exist_ok=True)  # a no-op on object storage
            out_fs.pipe_file(out, encoded)
        except OSError as exc:
            answers.append((rel, "failed", {}, f"{rel}: {InputError('E109', path=out, reason=str(exc))}"))
            continue
        answers.append((rel, "extracted", {**entry, "output": digest(encoded)}, None))
    return answers


def _read(fs: Any, path: str, max_bytes: int) -> bytes:
    try:
        size = fs.size(path)
        if size is not None and size > max_bytes:
            raise InputError("E103", size=size, limit=max_bytes)
        with fs.open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError("E104", reason=exc.strerror or type(exc).__name__) from exc
