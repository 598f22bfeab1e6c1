"""Linking benchmark: ``python -m pipeline link`` over 10,000 article outputs.

    .venv/bin/python -m pipeline.tools.bench_link                 # or: make bench (after the extraction bench)
    .venv/bin/python -m pipeline.tools.bench_link --articles 20000 --rounds 1

It reports; it does not gate. The outputs are the FA-KES dev set's (extracted once here) copied
until there are 10,000: copy k has every date moved k * 3,000 days later (so each copy is its
own stretch of time, as a corpus of more years would be, and no copy links to another) and its
files under ``copy-k/``. The command is timed as a user runs it, its own process from spawn
to exit (start-up, reading every JSON file, linking, reconciling, writing). Target: under 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from pipeline.tools.bench import REPO, shared_dir

TARGET_SECONDS = 10.0
SHIFT_DAYS = 3000


def _shift(value: Any, days: int) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
        except ValueError:
            return value
    return value


def shifted(record: dict[str, Any], k: int) -> dict[str, Any]:
    """Copy ``k`` of an output record: dates moved, file under ``copy-k/``."""
    days = k * SHIFT_DAYS
    article = dict(record["article"], file=f"copy-{k}/{record['article']['file']}",
                   published=_shift(record["article"].get("published"), days))
    claims = []
    for claim in record.get("claims") or []:
        time_ = claim.get("time")
        if time_:
            time_ = dict(time_, start=_shift(time_.get("start"), days), end=_shift(time_.get("end"), days))
        claims.append(dict(claim, time=time_))
    incident = dict(record.get("incident") or {}, date=_shift((record.get("incident") or {}).get("date"), days))
    return dict(record, article=article, claims=claims, incident=incident)


def build_outputs(base: Path, dest: Path, count: int) -> int:
    """``count`` outputs under ``dest`` made from the outputs under ``base``."""
    sources = [orjson.loads(path.read_bytes()) for path in sorted(base.glob("*.json"))
               if not path.name.startswith(("_", "."))]
    written = 0
    k = 0
    while written < count:
        folder = dest / f"copy-{k}"
        folder.mkdir(parents=True, exist_ok=True)
        for record in sources:
            if written == count:
                break
            name = Path(record["article"]["file"]).with_suffix(".json").name
            (folder / name).write_bytes(orjson.dumps(shifted(record, k), option=orjson.OPT_INDENT_2))
            written += 1
        k += 1
    return written


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("bench_link: FA-KES dev set not found (../shared); skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-link-") as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, str(shared / "tools" / "fakes_to_corpus.py"),
                        str(shared / "benchmarks" / "fakes" / "fakes-dev.csv"), str(work / "corpus")],
                       check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "pipeline", "extract", "--corpus", str(work / "corpus"),
                        "--outputs", str(work / "base"), "--jobs", "2"], check=True, capture_output=True, cwd=REPO)
        written = build_outputs(work / "base", work / "outputs", args.articles)
        times, cpu = [], []
        for _ in range(args.rounds):
            started, used = time.perf_counter(), _children_cpu()
            result = subprocess.run([sys.executable, "-m", "pipeline", "link", "--outputs", str(work / "outputs")],
                                    capture_output=True, text=True, cwd=REPO)
            times.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - used)
            if result.returncode != 0:
                print(result.stderr)
                return 1
        incidents = orjson.loads((work / "outputs" / "_incidents.json").read_bytes())["incidents"]
        linked = sum(1 for incident in incidents if len(incident["reports"]) > 1)
        seconds = statistics.median(times)
        verdict = "met" if seconds < TARGET_SECONDS else "NOT MET"
        print(f"link: {written} outputs -> {len(incidents)} incidents ({linked} with two reports or more); "
              f"median of {len(times)} runs {seconds:.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); "
              f"CPU {statistics.median(cpu):.2f} s (user + system; wall exceeds it only when the machine is "
              f"shared); target < {TARGET_SECONDS:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
