"""Dask on this machine: two local workers against the serial run and ``--jobs 2``, on 3,000+ articles.

    .venv/bin/python -m pipeline.tools.bench_dask                     # run by `make bench`
    .venv/bin/python -m pipeline.tools.bench_dask --min-articles 1000 # quicker

The corpus is bench.py's (FA-KES dev and the seeds, copied with edits), every run its
own process timed from spawn to exit, as a user runs it:

- ``extract --force`` (one process), ``extract --force --jobs 2`` (the built-in runner);
- ``extract --force --engine dask --jobs 2``: a LocalCluster of two single-threaded
  worker processes, each building its pipeline, the articles in batches of 32;
- the reference pass split over two processes, which bench.py also prints: what the
  bare spaCy work gains from the second core of this machine.

The overhead per article is what the Dask run spends beyond an even split of the
serial run over its two workers: (2 x Dask wall - serial wall) / articles, in ms of a
worker's time. It reports; it does not gate.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline.tools.bench import (
    REPO, base_articles, build_corpus, bytecode_cache, corpus_size, extract_cmd, measure, measure_together,
    reference_cmd, shared_dir, snapshot,
)

MIN_ARTICLES = 3000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-articles", type=int, default=MIN_ARTICLES, help="corpus size (default: 3000)")
    args = parser.parse_args(argv)
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("bench_dask: the [dask] extra is not installed; skipped")
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        corpus, logs = work / "corpus", work / "logs"
        logs.mkdir()
        build_corpus(corpus, base_articles(work, shared_dir()), args.min_articles)
        articles, _ = corpus_size(corpus)
        src = snapshot(work / "src")
        note = bytecode_cache(work, False)
        load = os.getloadavg()[0]
        measure(extract_cmd(corpus, work / "warm", "--force", "--jobs", "2"), logs, src)  # warm caches, untimed
        serial, serial_cpu = _timed(extract_cmd(corpus, work / "serial", "--force"), src)
        jobs2, jobs2_cpu = _timed(extract_cmd(corpus, work / "jobs2", "--force", "--jobs", "2"), src)
        dask, dask_cpu = _timed(extract_cmd(corpus, work / "dask", "--force", "--engine", "dask", "--jobs", "2"), src)
        ref = measure(reference_cmd(corpus), logs, src)[0]
        ref_split = measure_together([reference_cmd(corpus, "0/2"), reference_cmd(corpus, "1/2")], logs, src)[0]
        same = _same_files(work / "serial", work / "dask")
        print(f"Dask: {articles} articles on {os.cpu_count()} CPU(s), load average {load:.1f} at start and "
              f"{os.getloadavg()[0]:.1f} at end (wall times suffer from other work; CPU times much less); {note}")
        print(f"  serial (--jobs 1)                {serial:7.1f} s wall {serial_cpu:7.1f} s CPU")
        print(f"  built-in --jobs 2                {jobs2:7.1f} s wall {jobs2_cpu:7.1f} s CPU  speed-up {serial / jobs2:.2f}x")
        print(f"  --engine dask, 2 local workers   {dask:7.1f} s wall {dask_cpu:7.1f} s CPU  speed-up {serial / dask:.2f}x")
        print(f"  Dask overhead: {(dask_cpu - serial_cpu) / articles * 1000:.1f} ms of CPU an article over the serial "
              f"run (cluster start-up, two pipelines built, batches through the scheduler); "
              f"{(2 * dask - serial) / articles * 1000:.1f} ms of wall time beyond an even split")
        print(f"  reference pass, 1 / 2 processes  {ref:7.1f} s / {ref_split:.1f} s  speed-up {ref / ref_split:.2f}x "
              "(what the second core gives even the bare spaCy pass)")
        print(f"  Dask outputs and state identical to the serial run's: {'yes' if same else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _timed(cmd: Sequence[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and every child it waited for: the Dask workers too)."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def _same_files(a: Path, b: Path) -> bool:
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()):
        return False
    return all((a / name).read_bytes() == (b / name).read_bytes() for name in names)


if __name__ == "__main__":
    sys.exit(main())
