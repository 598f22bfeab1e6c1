"""A demonstration review site from our own short reports, and the page weights of a report.

``python -m pipeline.tools.review_demo OUT [--screenshot docs/review-index.png]
[--page-screenshot docs/review-page.png]`` extracts the worldwide development set
(tests/worldwide/*.yaml: reports written by us, from many countries) with the seeds, links them
and writes the review site into OUT, the seeds' corrections (corrections/) applied; with
``--screenshot`` (needs the dev dependency selenium and Debian's chromium and chromium-driver)
it saves a picture of the index with its charts, with ``--page-screenshot`` one of the second
seed's page: the pictures of the README. No article of any outside dataset goes into them.

``python -m pipeline.tools.review_demo --weigh SITE`` prints the size of a written site's index
and of its parts (the figures of the README's "Page weight").
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

from pipeline.output import dumps

ROOT = Path(__file__).resolve().parents[2]


def build(out: Path) -> Path:
    """Extract, link and report the worldwide dev set and the seeds into ``out``; the index's path."""
    from pipeline.article import extract_article
    from pipeline.factories import shared_nlp
    from pipeline.link.writer import incidents_of
    from pipeline.review.corrections import load_corrections
    from pipeline.review.report import write_report
    from pipeline.sidecar import Sidecar
    from pipeline.tools.score_worldwide import load_reports

    nlp = shared_nlp()
    records = {}
    for report in load_reports():
        published = report.published.isoformat() if report.published else None
        record = extract_article(report.text.encode("utf-8"), f"worldwide/{report.id}.txt", Sidecar(published=published),
                                 nlp)
        records[f"worldwide/{report.id}.json"] = json.loads(dumps(record))
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        record = extract_article(path.read_bytes(), path.name, Sidecar(), nlp)
        records[path.stem + ".json"] = json.loads(dumps(record))
    incidents = incidents_of({record["article"]["file"]: record for record in records.values()})
    if out.exists():
        shutil.rmtree(out)
    problems: list[str] = []
    write_report(records, out, incidents, load_corrections(ROOT / "corrections", problems))
    for line in problems:
        print(line, file=sys.stderr)
    return out / "index.html"


def screenshot(index: Path, target: Path, width: int = 1400, height: int = 1500) -> None:
    """A picture of the top of ``index`` (headless Chromium, the browser test's setup)."""
    import os

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    try:
        driver.get(index.resolve().as_uri())
        target.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(target))
    finally:
        driver.quit()


def weigh(site: Path) -> str:
    """The index's bytes, in all and by part, and the site's bytes by folder."""
    page = (site / "index.html").read_text(encoding="utf-8")
    parts = {
        "timeline": r'<svg class="chart timeline".*?</svg>',
        "bar charts": r'<figure id="chart-(?:place|actor|cause)".*?</figure>',
        "filters": r'<form id="filters".*?</form>',
        "table": r'<table id="articles".*?</table>',
        "search words": r'<script type="application/json" id="search-text">.*?</script>',
        "script": r"<script>.*?</script>",
        "stylesheet": r"<style>.*?</style>",
    }
    rows = page.count("<tr data-key=")
    lines = [f"index.html: {len(page.encode()):,} bytes for {rows} articles ({len(page.encode()) // max(rows, 1):,} a row)"]
    for name, pattern in parts.items():
        size = sum(len(found.encode()) for found in re.findall(pattern, page, re.S))
        lines.append(f"  {name:13} {size:>10,}")
    for folder in sorted(p for p in site.iterdir() if p.is_dir()):
        files = list(folder.glob("*.html"))
        lines.append(f"{folder.name}/: {len(files)} pages, {sum(f.stat().st_size for f in files):,} bytes")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="site folder (written), or with --weigh a written site")
    parser.add_argument("--screenshot", type=Path, help="save a picture of the index there")
    parser.add_argument("--page-screenshot", type=Path, help="save a picture of the second seed's page there")
    parser.add_argument("--weigh", action="store_true", help="print the page weights of the site in OUT")
    args = parser.parse_args(argv)
    if args.weigh:
        sys.stdout.write(weigh(args.out))
        return 0
    index = build(args.out)
    print(f"review_demo: {index}", file=sys.stderr)
    if args.screenshot:
        screenshot(index, args.screenshot)
        print(f"review_demo: screenshot {args.screenshot}", file=sys.stderr)
    if args.page_screenshot:
        screenshot(args.out / "articles" / "001_602a99a147c29090.html", args.page_screenshot, 1400, 1000)
        print(f"review_demo: screenshot {args.page_screenshot}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
