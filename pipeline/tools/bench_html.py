"""HTML cleaning cost: median milliseconds per page of ``html_to_article``.

    .venv/bin/python -m pipeline.tools.bench_html           # run by `make bench`, after bench.py
    .venv/bin/python -m pipeline.tools.bench_html --rounds 5

Kept apart from ``bench.py`` (end-to-end throughput): this times only the step that
turns a decoded page into title, date and article text, on the real pages of
``../shared/benchmarks/html`` (158 news, blog and magazine pages, several
languages). Decoding is done beforehand and not timed; each page is timed
``--rounds`` times in one warm process and its best time kept, so a busy
neighbour on a shared machine inflates the figure less. The target is a median of
15 ms per page (trafilatura's fast mode measures ~12 ms on these pages, bs4 with
lxml ~17 ms). It reports; it does not gate: the exit status is 0 whatever the numbers say.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline.reading.decode import decode_bytes
from pipeline.reading.html import html_to_article
from pipeline.tools.bench import REPO

TARGET_MS = 15.0


def html_pages() -> list[Path]:
    """The benchmark pages ($SHARED, else ../shared beside the repo), or [] when absent."""
    root = Path(os.environ.get("SHARED", REPO.parent / "shared"))
    if not root.is_absolute():
        root = (REPO / root).resolve()
    return sorted((root / "benchmarks" / "html" / "pages").glob("*.html"))


def page_costs(texts: Sequence[str], rounds: int) -> list[float]:
    """The best of ``rounds`` timings of each page, in milliseconds."""
    costs = []
    for text in texts:
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            html_to_article(text)
            best = min(best, time.perf_counter() - start)
        costs.append(best * 1000)
    return costs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.tools.bench_html", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timings per page; the best is kept (default 3)")
    args = parser.parse_args(argv)
    pages = html_pages()
    if not pages:
        print("bench_html: ../shared/benchmarks/html/pages not found; HTML cleaning cost skipped")
        return 0
    texts = [decode_bytes(p.read_bytes(), html=True).text for p in pages]
    html_to_article(texts[0])  # warm the rule and class caches, as in a run over a corpus
    costs = page_costs(texts, max(args.rounds, 1))
    median = statistics.median(costs)
    print(f"\nHTML cleaning (html_to_article), {len(costs)} pages, best of {args.rounds} per page:")
    print(f"  median {median:.1f} ms/page, p90 {statistics.quantiles(costs, n=10)[-1]:.1f} ms, "
          f"max {max(costs):.1f} ms; target median <= {TARGET_MS:.0f} ms: {'ok' if median <= TARGET_MS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
