"""HTML cleaning cost: median milliseconds per page of ``html_to_article``, and worst cases.

    .venv/bin/python -m pipeline.tools.bench_html           # run by `make bench`, after bench.py
    .venv/bin/python -m pipeline.tools.bench_html --rounds 5
    .venv/bin/python -m pipeline.tools.bench_html --no-worst  # the benchmark pages only

Kept apart from ``bench.py`` (end-to-end throughput): this times only the step that
turns a decoded page into title, date and article text, on the real pages of
``../shared/benchmarks/html`` (158 news, blog and magazine pages, several
languages). Decoding is done beforehand and not timed; each page is timed
``--rounds`` times in one warm process and its best time kept, so a busy
neighbour on a shared machine inflates the figure less. The target is a median of
5 ms per page (trafilatura's fast mode measures ~12 ms on these pages, bs4 with
lxml ~17 ms). Times are CPU time of this process (``time.process_time``): on a
machine shared with other jobs, wall time counts their share too.

Then the worst-case table: generated hostile pages (``WORST_CASES``: unclosed
quotes holding "<", entity runs, deep nesting, huge attributes, many tiny
elements, unclosed comments and scripts), each up to the 2 MB input cap, with
CPU time and peak Python memory (``tracemalloc``) of ``html_to_article`` against
the per-article target of 2 s and 300 MB (issue 14). It reports; it does not
gate: the exit status is 0 whatever the numbers say.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.reading.decode import decode_bytes
from pipeline.reading.html import html_to_article
from pipeline.tools.bench import REPO

TARGET_MS = 5.0
WORST_TARGET_S = 2.0
WORST_TARGET_MB = 300.0
_LONG_P = "<p>Twelve people were killed in Idlib on Tuesday when a market was shelled, rescuers said.</p>"
_META_DATE = "<meta property='article:published_time' content='2020-03-12'>"
_P = "<p>Twelve people were killed in Idlib on Tuesday, rescuers said.</p>"

# Hostile pages, each generated on demand, all within (or at) the 2 MB input cap.
WORST_CASES: dict[str, Callable[[], str]] = {
    "quoted '<' in attributes": lambda: '<a b="c" d="<' * 150_000,
    "unclosed tags '<a<a<a'": lambda: "<a" * 1_000_000,
    "unclosed quotes": lambda: '<a b="' * 330_000,
    "stray '<' runs": lambda: "<" * 2_000_000,
    "'a < b' text": lambda: "a < b " * 330_000,
    "&amp; runs": lambda: "<p>" + "&amp;" * 400_000 + "</p>",
    "mixed entities": lambda: "<p>" + "&#1234;&lt;&nbsp;&foo;" * 90_000 + "</p>",
    "deep nesting, unclosed": lambda: "<div>" * 400_000,
    "deep nesting, closed": lambda: "<div>" * 180_000 + _P + "</div>" * 180_000,
    "many tiny elements": lambda: "<b>a</b>" * 250_000,
    "many paragraphs": lambda: "<p>a</p>" * 250_000,
    "unclosed paragraphs": lambda: "<p>Some words of a paragraph. " * 60_000,
    "unclosed list items": lambda: "<ul>" + "<li>item" * 250_000,
    "unclosed table cells": lambda: "<table><tr><td>" * 130_000,
    "huge class attribute": lambda: '<div class="' + "a " * 1_000_000 + '">t</div>',
    "many distinct classes": lambda: "".join(f"<div class='c{i} share-{i}'>t</div>" for i in range(50_000)),
    "unclosed comments": lambda: _P + "<!-- x " * 280_000,
    "unclosed scripts": lambda: _P + "<script>x " * 200_000,
    "many comments": lambda: "<!-- a -->" * 200_000,
    "<br> runs": lambda: "<p>" + "<br>" * 500_000,
    "<pre> of short lines": lambda: "<pre>" + "a\n" * 1_000_000,
    "one long word": lambda: "<p>" + "a" * 2_000_000 + "</p>",
    "labels, then links": lambda: "<p>label</p>" * 10_000 + "<p><a href=x>link</a></p>" * 7_000 + _P * 2,
    "date lines above the text": lambda: _META_DATE + "<p>12.03.2020 10:30</p>" * 24_000 + _LONG_P * 20,
}


def html_pages() -> list[Path]:
    """The benchmark pages ($SHARED, else ../shared beside the repo), or [] when absent."""
    root = Path(os.environ.get("SHARED", REPO.parent / "shared"))
    if not root.is_absolute():
        root = (REPO / root).resolve()
    return sorted((root / "benchmarks" / "html" / "pages").glob("*.html"))


def page_costs(texts: Sequence[str], rounds: int) -> list[float]:
    """The best of ``rounds`` CPU timings of each page, in milliseconds."""
    costs = []
    for text in texts:
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            html_to_article(text)
            best = min(best, time.process_time() - start)
        costs.append(best * 1000)
    return costs


def worst_case_table() -> list[str]:
    """One line per generated hostile page: size, CPU seconds, peak MB, verdict."""
    lines = [f"\nHTML worst cases (html_to_article; target <= {WORST_TARGET_S:.0f} s and <= {WORST_TARGET_MB:.0f} MB):"]
    for name, make in WORST_CASES.items():
        html = make()
        start = time.process_time()
        html_to_article(html)
        seconds = time.process_time() - start
        tracemalloc.start()
        html_to_article(html)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        ok = seconds <= WORST_TARGET_S and peak <= WORST_TARGET_MB
        lines.append(f"  {name:28s} {len(html) / 1e6:5.2f} MB  {seconds:6.2f} s  {peak:7.1f} MB  {'ok' if ok else 'MISSED'}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.tools.bench_html", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timings per page; the best is kept (default 3)")
    parser.add_argument("--no-worst", action="store_true", help="skip the worst-case table")
    args = parser.parse_args(argv)
    pages = html_pages()
    if not pages:
        print("bench_html: ../shared/benchmarks/html/pages not found; HTML cleaning cost skipped")
    else:
        bench_pages(pages, max(args.rounds, 1))
    if not args.no_worst:
        print("\n".join(worst_case_table()))
    return 0


def bench_pages(pages: list[Path], rounds: int) -> None:
    """Print the median, p90 and max CPU cost per benchmark page."""
    texts = [decode_bytes(p.read_bytes(), html=True).text for p in pages]
    html_to_article(texts[0])  # warm the rule and class caches, as in a run over a corpus
    costs = page_costs(texts, rounds)
    median = statistics.median(costs)
    print(f"\nHTML cleaning (html_to_article), {len(costs)} pages, best of {rounds} CPU timings per page:")
    print(f"  median {median:.1f} ms/page, p90 {statistics.quantiles(costs, n=10)[-1]:.1f} ms, "
          f"max {max(costs):.1f} ms; target median <= {TARGET_MS:.0f} ms: {'ok' if median <= TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
