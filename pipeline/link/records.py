"""Each article's main claim as a flat report: the fields the linker compares.

Why a flat record: blocking and pair scoring run over every pair of candidate reports, so
each report's interval, place, perpetrator, figure and lead words are read from the output
JSON once, here, and never again. Only the main claim (``incident.claim``) is a report: an
article's main claim belongs to one incident at most, and it is what the article is about.

Fields that newer outputs carry (``date_precision``, ``where_precision``, ``scope``,
``status``) are used when present; otherwise they are derived from the interval's length and
the location fields, so outputs of either age link the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pipeline.errors import Errors
from pipeline.link.rules import LinkRules

INCIDENTS_FILE = "_incidents.json"
WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")
# Title plus this many characters of the body make a report's lead.
LEAD_CHARS = 1000
PERIOD_SCOPES = frozenset({"period_total", "cumulative"})


@dataclass
class Report:
    """One article's main claim, flattened for linking."""

    article: str
    claim: str
    published: str | None
    title: str
    start: dt.date | None          # the claim's time interval, else the publication day
    end: dt.date | None
    precision: str                 # day, days, week, month, year, none (no time stated)
    tier: str                      # incident | period_total
    country: str | None
    admin1: str | None
    town: str | None               # a place below admin1, normalised ("al-bab" -> "bab")
    town_name: str | None          # the same as the output names it
    actor: str | None
    cause: str | None
    group: str | None
    count: dict[str, Any]
    low: int | None                # lower and upper figure; None where open
    high: int | None
    best: int | None
    status: str
    source: str | None             # the organisation the figure is attributed to
    source_text: str | None
    words: dict[str, int] = field(default_factory=dict)   # lead word counts
    text: str = ""                 # cleaned text, for syndicated copies
    claims: list[dict[str, Any]] = field(default_factory=list)
    main: dict[str, Any] = field(default_factory=dict)


def output_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Per-article outputs under ``folder`` (``_*`` and hidden files and folders left out), sorted."""
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not name.startswith((".", "_"))]
        for name in filenames:
            if name.endswith(".json") and not name.startswith(("_", ".")):
                path = Path(dirpath) / name
                found.append((path.relative_to(folder).as_posix(), path))
    yield from sorted(found)


def load_records(folder: Path, problems: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Output records by ``article.file``, sorted. A file that is not an output record is left out
    with one coded line in ``problems`` (the others link as usual)."""
    records: dict[str, dict[str, Any]] = {}
    for rel, path in output_files(folder):
        try:
            record = orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).split("\n")[0]
            _problem(problems, path, reason)
            continue
        article = record.get("article") if isinstance(record, dict) else None
        if not (isinstance(article, dict) and isinstance(article.get("file"), str)
                and isinstance(record.get("claims"), list) and isinstance(record.get("incident"), dict)):
            _problem(problems, path, "no article.file, claims or incident")
            continue
        records[article["file"]] = record
    return dict(sorted(records.items()))


def _problem(problems: list[str] | None, path: Path, reason: str) -> None:
    if problems is not None:
        problems.append(f"{path.as_posix()}: [E501] {Errors.E501.format(reason=reason)}")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def precision_of(claim: Mapping[str, Any], start: dt.date | None, end: dt.date | None) -> str:
    """The claim's ``date_precision`` when it has one, else read from its interval's length."""
    given = claim.get("date_precision")
    if isinstance(given, str) and given:
        return given
    if start is None or end is None:
        return "none"
    days = (end - start).days + 1
    if days <= 1:
        return "day"
    if days <= 4:
        return "days"
    if days <= 10:
        return "week"
    if days <= 31:
        return "month"
    return "year"


def figure(count: Mapping[str, Any]) -> tuple[int | None, int | None, int | None]:
    """(lower, upper, best) of a count; an open side is None.

    Best follows UCDP GED's reading of one source: the figure as given when exact or
    approximate, the bound given for "at least"/"more than" and "up to", the middle of a range
    (rounded down), and the ACLED lower bound of a vague amount ("dozens" -> 12).
    """
    value, low, high = count.get("value"), count.get("low"), count.get("high")
    qualifier = count.get("qualifier")
    if isinstance(value, int):
        return value, value, value
    if qualifier == "range" and isinstance(low, int) and isinstance(high, int):
        return low, high, (low + high) // 2
    if isinstance(low, int):
        return low, high if isinstance(high, int) else None, low
    if isinstance(high, int):
        return None, high, high
    return None, None, None


def normal_place(name: str | None) -> str | None:
    """A place name for comparison: lower case, without the article ("Al Qamishli" = "Qamishli")."""
    if not name:
        return None
    folded = name.lower().replace("\u2019", "'").strip()
    folded = re.sub(r"^(?:al|el|ar|as|ad|ash|at|an|az)[\s\-]+", "", folded)
    return folded or None


def lead_words(text: str, stopwords: frozenset[str]) -> dict[str, int]:
    """Word counts of the title and the start of the body, common words left out."""
    title, _, body = text.partition("\n\n")
    counts = Counter(WORD.findall(f"{title} {body[:LEAD_CHARS]}".lower()))
    return {word: count for word, count in counts.items() if len(word) > 2 and word not in stopwords}


def report_of(record: Mapping[str, Any], rules: LinkRules) -> Report | None:
    """The main claim of one output record as a report; None when the article has no main claim."""
    incident = record.get("incident") or {}
    claim_id = incident.get("claim")
    claims = record.get("claims") or []
    main = next((claim for claim in claims if claim.get("id") == claim_id), None)
    if main is None:
        return None
    article = record["article"]
    published = _date(article.get("published"))
    time = main.get("time") or {}
    start, end = _date(time.get("start")), _date(time.get("end"))
    if start is None or end is None or end < start:
        start = end = _date(incident.get("date")) or published
        precision = "none"
    else:
        precision = precision_of(main, start, end)
    scope = main.get("scope")
    long = start is not None and end is not None and (end - start).days + 1 > rules.event_max_days
    tier = "period_total" if scope in PERIOD_SCOPES or main.get("cumulative") or long else "incident"
    location = incident.get("location") or {}
    admin1 = location.get("admin1")
    name = location.get("name")
    town = town_name = None
    # A town is a place below a known admin1: a name without one is a country ("Syria") or unknown.
    if name and admin1 and name != admin1:
        town = normal_place(name)
        town_name = name
        if town == normal_place(admin1):
            town = town_name = None
    low, high, best = figure(main.get("count") or {})
    source = main.get("source") or {}
    return Report(
        article=article["file"], claim=claim_id, published=article.get("published"),
        title=article.get("title") or "", start=start, end=end, precision=precision, tier=tier,
        country=location.get("country"), admin1=admin1, town=town, town_name=town_name,
        actor=incident.get("actor"), cause=incident.get("cause"), group=main.get("group"),
        count=dict(main.get("count") or {}), low=low, high=high, best=best,
        status=main.get("status") or "reported", source=source.get("name"), source_text=source.get("text"),
        words=lead_words(article.get("text") or "", rules.stopwords), text=article.get("text") or "",
        claims=list(claims), main=dict(main),
    )
