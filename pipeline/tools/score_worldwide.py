"""Score the worldwide development set (tests/worldwide/*.yaml): our own short reports.

    .venv/bin/python -m pipeline.tools.score_worldwide [FOLDER] [--errors]

Why: the FA-KES benchmark is all Syria. These reports, written by us for other
countries, perpetrators and ways of reporting a death, are scored with the measures
of the hidden worldwide test (toll on reports with deaths, no invented toll on reports
without, country, first-level division, perpetrator), so a change is judged beyond
Syria too. Each report is also a behaviour test (tests/test_worldwide.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parents[2] / "tests" / "worldwide"
MEASURES = ("toll", "no_invented_toll", "country", "admin1", "actor")


@dataclass(frozen=True)
class Report:
    """One hand-written report and what its main incident must say."""

    id: str
    text: str
    published: dt.date | None
    expect: dict[str, Any]
    known_failure: str | None = None
    file: str = ""


@dataclass
class Tally:
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    errors: list[str] = field(default_factory=list)


def load_reports(folder: Path = FOLDER) -> list[Report]:
    """Every report of every ``*.yaml`` file in ``folder``, file by file, in file order."""
    reports: list[Report] = []
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            published = item.get("published")
            if isinstance(published, str):
                published = dt.date.fromisoformat(published)
            reports.append(Report(item["id"], item["text"], published, dict(item.get("expect") or {}),
                                  item.get("known_failure"), path.name))
    return reports


def toll(incident: dict[str, Any] | None) -> int:
    """The incident's death toll: ``total``, else ``people``, else civilians + fighters; 0 when none."""
    killed = (incident or {}).get("killed") or {}
    if isinstance(killed.get("total"), int):
        return int(killed["total"])
    if isinstance(killed.get("people"), int):
        return int(killed["people"])
    return sum(v for v in (killed.get("civilians"), killed.get("fighters")) if isinstance(v, int))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for word in ("governorate", "province", "oblast", "state", "region", "district", "county"):
        text = text.replace(word, " ")
    return " ".join(text.replace("-", " ").replace("'", "").split())


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def check(report: Report, record: dict[str, Any]) -> dict[str, bool]:
    """measure -> passed, for the measures the report's expectations speak to."""
    incident = record.get("incident") or {}
    location = incident.get("location") or {}
    expect, result = report.expect, {}
    if "toll" in expect:
        got = toll(incident)
        result["toll" if expect["toll"] else "no_invented_toll"] = got == expect["toll"]
    if "country" in expect:
        result["country"] = location.get("country") == expect["country"]
    if "admin1" in expect:
        wanted = expect["admin1"]
        if wanted is None:
            result["admin1"] = location.get("admin1") is None
        else:
            names = {_fold(str(w)) for w in _as_list(wanted)}
            got = {_fold(str(location[k])) for k in ("admin1", "admin1_code") if location.get(k)}
            result["admin1"] = bool(names & got)
    if "actor" in expect:
        result["actor"] = incident.get("actor") in _as_list(expect["actor"])
    return result


def describe(report: Report, record: dict[str, Any]) -> str:
    """What the record said, on one line, for an error listing."""
    incident = record.get("incident") or {}
    location = incident.get("location") or {}
    return (f"toll={toll(incident)} country={location.get('country')} admin1={location.get('admin1')} "
            f"actor={incident.get('actor')}")


def extract(report: Report, nlp: Any) -> dict[str, Any]:
    """The output record of one report, as `make extract` would write it (sidecar: its date)."""
    from pipeline.article import extract_article
    from pipeline.sidecar import Sidecar

    sidecar = Sidecar(published=report.published.isoformat() if report.published else None)
    return extract_article(report.text.encode("utf-8"), f"{report.id}.txt", sidecar, nlp)


def score(reports: Iterable[Report], nlp: Any) -> Tally:
    tally = Tally()
    for report in reports:
        record = extract(report, nlp)
        for measure, passed in check(report, record).items():
            tally.totals[measure] += 1
            tally.hits[measure] += passed
            if not passed:
                tally.errors.append(f"{report.file}:{report.id}: {measure} expected {report.expect} got {describe(report, record)}")
    return tally


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=FOLDER)
    parser.add_argument("--errors", action="store_true", help="list each failed expectation")
    args = parser.parse_args(argv)
    from pipeline.factories import shared_nlp

    reports = load_reports(args.folder)
    tally = score(reports, shared_nlp())
    countries = {r.expect.get("country") for r in reports if r.expect.get("country")}
    print(f"worldwide dev set ({args.folder}): {len(reports)} reports, {len(countries)} countries")
    for measure in MEASURES:
        total = tally.totals[measure]
        rate = tally.hits[measure] / total if total else 0.0
        print(f"  {measure:18} {rate:6.3f}  ({tally.hits[measure]}/{total})")
    if args.errors:
        for line in tally.errors:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
