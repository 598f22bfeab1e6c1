"""Reviewers' verdicts on claims: the corrections files kept next to the corpus.

One YAML file per article, ``corrections/<article file>.yaml`` (``corpus/a/b.txt`` →
``corrections/a/b.txt.yaml``), written by ``python -m pipeline review --serve``, by the review
page's "save" button or by ``import-labelstudio``, and readable by hand. The JSON outputs are never
edited: they stay what the rules produce, so ``git diff outputs/`` keeps showing rule changes,
and the corrections are applied on top of them by ``report`` and ``export`` (apply.py).

A correction names its claim by id AND by quote (the evidence sentence and the count as
written): an id is a hash of the sentence and the count text, so it survives offsets that
move, but not a rule change that cuts the sentence differently or reads "between 529 and 744"
where it read "529 and 744"; the quote still finds the claim then (apply.py). ``was`` keeps
the claim's values when the verdict was given, so a "correct" verdict can tell later whether
the rules still say the same.

Verdicts: ``correct``, ``wrong`` (not a claim of this kind at all), ``corrected`` (``fields``
holds the right values of some fields) and ``missed`` (a figure the rules did not extract,
from Label Studio: its quote, count text, predicate and fields).

Field values are written as a reviewer would type them:
``count`` 12, "529-744", "12+" (at least) or "<=50" (at most); ``group``, ``actor``, ``cause``,
``predicate`` ids (null: nobody/nothing named); ``place`` a name, "name, admin1, country" or
``{name, admin1, country}`` (only the parts given are checked); ``time`` "2017-06-01" or "2017-06-01/2017-06-30".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from pipeline.errors import PipelineError

VERDICTS = ("correct", "wrong", "corrected", "missed")
FIELDS = ("predicate", "count", "group", "actor", "cause", "place", "time")
PLACE_KEYS = ("name", "admin1", "country")
SUFFIX = ".yaml"
HEADER = ("# Reviewers' verdicts on the claims of one article (README: Corrections). Applied on top of the\n"
          "# outputs by make report / make export; scored by make eval. Keyed by claim id and quote.\n")

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
_EXACT = re.compile(rf"^{_NUMBER}$")
_RANGE = re.compile(rf"^(?:between\s+)?{_NUMBER}\s*(?:-|–|—|to|and)\s*{_NUMBER}$", re.IGNORECASE)
_AT_LEAST = re.compile(rf"^(?:{_NUMBER}\s*\+|(?:at least|more than|over|no fewer than|a minimum of)\s+{_NUMBER})$",
                       re.IGNORECASE)
_AT_MOST = re.compile(rf"^(?:<=|≤|up to|as many as|at most|fewer than|less than|under)\s*{_NUMBER}$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Correction:
    """One verdict on one claim of one article (see the module docstring)."""

    article: str
    verdict: str
    quote: str
    count_text: str
    claim: str | None = None
    predicate: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    was: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    file: str = ""

    def entry(self) -> dict[str, Any]:
        """The YAML mapping of this correction, keys in a fixed order, empty parts left out."""
        entry: dict[str, Any] = {}
        if self.claim:
            entry["claim"] = self.claim
        entry["verdict"] = self.verdict
        entry["quote"] = self.quote
        entry["count_text"] = self.count_text
        if self.predicate:
            entry["predicate"] = self.predicate
        if self.fields:
            entry["fields"] = {name: self.fields[name] for name in FIELDS if name in self.fields}
        if self.reason:
            entry["reason"] = self.reason
        if self.was:
            entry["was"] = {name: self.was[name] for name in FIELDS if name in self.was}
        return entry

    def same_target(self, other: Correction) -> bool:
        """True when both are about the same claim (by id, else by quote and count)."""
        if self.claim and other.claim:
            return self.claim == other.claim
        return (self.quote, self.count_text, self.verdict == "missed") == (
            other.quote, other.count_text, other.verdict == "missed")


def collapse(text: Any) -> str:
    """Whitespace collapsed: quotes are compared as text, however the sentence was wrapped."""
    return " ".join(str(text or "").split())


# --- values of a claim, as a reviewer writes them --------------------------------------------


def claim_values(claim: Mapping[str, Any]) -> dict[str, Any]:
    """The claim's reviewed fields in the corrections' form (what ``was`` records)."""
    actor, cause = claim.get("actor"), claim.get("cause")
    places = claim.get("locations") or []
    first = places[0] if places and isinstance(places[0], Mapping) else None
    return {
        "predicate": claim.get("predicate"),
        "count": count_form(claim.get("count") or {}),
        "group": claim.get("group"),
        "actor": actor.get("id") if isinstance(actor, Mapping) else None,
        "cause": cause.get("id") if isinstance(cause, Mapping) else None,
        "place": {key: first.get(key) for key in PLACE_KEYS} if first else None,
        "time": time_form(claim.get("time")),
    }


def count_bounds(count: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """``(low, high)`` of a JSON count: a point (exact or approximate) is its value twice."""
    value, low, high = count.get("value"), count.get("low"), count.get("high")
    if low is None and high is None and isinstance(value, int):
        return value, value
    return (low if isinstance(low, int) else None), (high if isinstance(high, int) else None)


def count_form(count: Mapping[str, Any]) -> int | str | None:
    """A JSON count as a reviewer writes it: 12, "529-744", "12+", "<=50"; None when it has no figure."""
    return bounds_form(*count_bounds(count))


def bounds_form(low: int | None, high: int | None) -> int | str | None:
    if low is not None and low == high:
        return low
    if low is not None and high is not None:
        return f"{low}-{high}"
    if low is not None:
        return f"{low}+"
    if high is not None:
        return f"<={high}"
    return None


def time_form(time: Any) -> str | None:
    """A JSON time as "start" (one day) or "start/end"; None when unresolved."""
    if not isinstance(time, Mapping):
        return None
    start, end = time.get("start"), time.get("end")
    if not start and not end:
        return None
    if start == end or not end:
        return str(start)
    return f"{start or ''}/{end}"


def parse_count(raw: Any) -> tuple[int | None, int | None]:
    """``(low, high)`` of a count as a reviewer writes it (see the module docstring).

    Raises:
        ValueError: not one of the accepted forms.
    """
    if isinstance(raw, bool):
        raise ValueError(f"count {raw!r} is not a figure")
    if isinstance(raw, int):
        if raw < 0:
            raise ValueError(f"count {raw} is negative")
        return raw, raw
    if isinstance(raw, Mapping):
        low, high, value = raw.get("low"), raw.get("high"), raw.get("value")
        if value is not None:
            low = high = value
        if not all(v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0) for v in (low, high)):
            raise ValueError(f"count {dict(raw)!r}: low/high/value must be whole numbers")
        if low is None and high is None:
            raise ValueError("count gives no figure")
        return low, high
    text = collapse(raw)
    for pattern, kind in ((_EXACT, "exact"), (_RANGE, "range"), (_AT_LEAST, "low"), (_AT_MOST, "high")):
        found = pattern.match(text)
        if not found:
            continue
        numbers = [int(group.replace(",", "")) for group in found.groups() if group]
        if kind == "exact":
            return numbers[0], numbers[0]
        if kind == "range":
            return min(numbers), max(numbers)
        return (numbers[0], None) if kind == "low" else (None, numbers[0])
    raise ValueError(f"count {text!r} is not a figure (12, 529-744, 12+ or <=50)")


def parse_time(raw: Any) -> tuple[str, str] | None:
    """``(start, end)`` ISO dates of "2017-06-01", "2017-06-01/2017-06-30" or ``{start, end}``; None for null.

    Raises:
        ValueError: not a date or an interval of dates.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.date):  # YAML reads an unquoted 2017-06-01 as a date
        return raw.isoformat(), raw.isoformat()
    if isinstance(raw, Mapping):
        start, end = raw.get("start"), raw.get("end")
    else:
        parts = collapse(raw).split("/")
        if len(parts) > 2:
            raise ValueError(f"time {raw!r} is not a date or start/end")
        start, end = parts[0], parts[-1]
    start, end = str(start or end or ""), str(end or start or "")
    for value in (start, end):
        if not _DATE.match(value):
            raise ValueError(f"time {raw!r}: {value!r} is not YYYY-MM-DD")
        dt.date.fromisoformat(value)
    if end < start:
        raise ValueError(f"time {raw!r} ends before it starts")
    return start, end


def parse_place(raw: Any) -> dict[str, str | None] | None:
    """A place as a name or ``{name, admin1, country}`` (only those keys); None for null.

    Raises:
        ValueError: another shape or key.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        # "Raqqa", "Raqqa, SY", "Raqqa, Raqqa, SY": a name, then its division and/or its country
        # (two capital letters, ISO 3166-1), as the review page's form shows a place.
        parts = [part.strip() for part in raw.split(",")]
        if not all(parts) or len(parts) > 3:
            raise ValueError(f"place {raw!r} is not 'name', 'name, country' or 'name, admin1, country'")
        place: dict[str, str | None] = {"name": parts[0]}
        rest = parts[1:]
        if rest and re.fullmatch(r"[A-Z]{2}", rest[-1]):
            place["country"] = rest.pop()
        if rest:
            if len(rest) > 1:
                raise ValueError(f"place {raw!r}: the last part must be a country code")
            place["admin1"] = rest[0]
        return place
    if isinstance(raw, Mapping):
        unknown = sorted(set(raw) - set(PLACE_KEYS))
        if unknown or not raw:
            raise ValueError(f"place keys must be among {', '.join(PLACE_KEYS)}")
        return {key: (None if raw[key] is None else str(raw[key])) for key in PLACE_KEYS if key in raw}
    raise ValueError(f"place {raw!r} is not a name or a mapping")


def normalise_field(name: str, raw: Any) -> Any:
    """A reviewer's value of ``name`` in the canonical written form (what the file stores).

    Raises:
        ValueError: an unknown field or a value it cannot take.
    """
    if name == "count":
        return bounds_form(*parse_count(raw))
    if name == "time":
        interval = parse_time(raw)
        return None if interval is None else (interval[0] if interval[0] == interval[1] else "/".join(interval))
    if name == "place":
        return parse_place(raw)
    if name in ("predicate", "group") and (raw is None or not collapse(raw)):
        raise ValueError(f"{name} cannot be empty")
    if name in ("predicate", "group", "actor", "cause"):
        if raw is None or collapse(raw).lower() in ("none", "null", "-", "—"):
            return None
        return collapse(raw)
    raise ValueError(f"unknown field {name!r} (fields: {', '.join(FIELDS)})")


def agrees(name: str, wanted: Any, current: Any) -> bool:
    """True when the claim's value ``current`` (claim_values form) is the reviewer's ``wanted``."""
    if name == "count":
        try:
            return wanted is not None and current is not None and parse_count(wanted) == parse_count(current)
        except ValueError:
            return False
    if name == "time":
        return parse_time(wanted) == parse_time(current)
    if name == "place":
        if wanted is None or current is None:
            return wanted is None and current is None
        return all(_fold(wanted.get(key)) == _fold(current.get(key)) for key in wanted)
    return wanted == current


def _fold(value: Any) -> str:
    return collapse(value).casefold()


# --- files -------------------------------------------------------------------------------------


def file_for(folder: Path, article: str) -> Path:
    """``folder/<article>.yaml``; an article path that would leave the folder is refused.

    Raises:
        ValueError: an absolute path, ``..`` or an empty name.
    """
    path = PurePosixPath(article)
    if not article or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts) or "\\" in article:
        raise ValueError(f"article {article!r} is not a corpus path")
    return folder.joinpath(*path.parts[:-1], path.parts[-1] + SUFFIX)


def load_corrections(folder: Path, problems: list[str]) -> dict[str, list[Correction]]:
    """Every correction under ``folder`` by article, in file order; bad files and entries are
    left out with one coded line each in ``problems``. A missing folder holds none."""
    found: dict[str, list[Correction]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob(f"*{SUFFIX}")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        article, corrections = _read_file(path, path.relative_to(folder).as_posix().removesuffix(SUFFIX), problems)
        if corrections:
            found.setdefault(article, []).extend(corrections)
    return found


def _read_file(path: Path, article: str, problems: list[str]) -> tuple[str, list[Correction]]:
    """The article a file is about (its ``article`` key, else its name) and its valid corrections."""
    where = path.as_posix()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{where}: {PipelineError('E411', reason=_first_line(exc))}")
        return article, []
    if data is None:
        return article, []
    if not isinstance(data, Mapping) or not isinstance(data.get("corrections", []), list):
        problems.append(f"{where}: {PipelineError('E411', reason='not a mapping with a corrections list')}")
        return article, []
    article = data.get("article", article)
    if not isinstance(article, str) or not article:
        problems.append(f"{where}: {PipelineError('E411', reason='article is not a corpus path')}")
        return str(article), []
    result = []
    for number, entry in enumerate(data.get("corrections") or [], 1):
        try:
            result.append(from_entry(entry, article, where))
        except ValueError as exc:
            problems.append(f"{where}: {PipelineError('E412', entry=number, reason=exc)}")
    return article, result


def from_entry(entry: Any, article: str, where: str = "") -> Correction:
    """A correction from one YAML (or posted JSON) mapping, validated and normalised.

    Raises:
        ValueError: a missing or unknown key, an unknown verdict or a field it cannot take.
    """
    if not isinstance(entry, Mapping):
        raise ValueError("not a mapping")
    allowed = {"claim", "verdict", "quote", "count_text", "predicate", "fields", "reason", "was"}
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        raise ValueError(f"unknown keys {', '.join(unknown)}")
    verdict = entry.get("verdict")
    if verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    quote, count_text = collapse(entry.get("quote")), collapse(entry.get("count_text"))
    if not quote or not count_text:
        raise ValueError("quote and count_text are required (they find the claim when its id changes)")
    claim = entry.get("claim")
    if claim is not None and not (isinstance(claim, str) and re.fullmatch(r"[0-9a-f]{12}", claim)):
        raise ValueError(f"claim {claim!r} is not a claim id")
    if verdict != "missed" and not claim:
        raise ValueError(f"a {verdict!r} verdict names its claim id")
    raw_fields = entry.get("fields") or {}
    raw_was = entry.get("was") or {}
    if not isinstance(raw_fields, Mapping) or not isinstance(raw_was, Mapping):
        raise ValueError("fields and was are mappings")
    fields = {str(name): normalise_field(str(name), value) for name, value in raw_fields.items()}
    if verdict == "corrected" and not fields:
        raise ValueError("a 'corrected' verdict gives the right value of at least one field")
    if verdict in ("correct", "wrong") and fields:
        raise ValueError(f"a {verdict!r} verdict corrects no field")
    was = {str(name): None if value is None else normalise_field(str(name), value) for name, value in raw_was.items()}
    predicate = entry.get("predicate")
    reason = collapse(entry.get("reason"))
    if len(reason) > 500:
        raise ValueError("reason is over 500 characters (a short reason)")
    return Correction(article=article, verdict=str(verdict), quote=quote, count_text=count_text, claim=claim,
                      predicate=collapse(predicate) or None, fields=fields, was=was, reason=reason, file=where)


def verdict_on(claim: Mapping[str, Any], article: str, verdict: str, fields: Mapping[str, Any] | None = None,
               reason: str = "") -> Correction:
    """A correction of ``claim`` (an output's claim) as the review page or Label Studio gives it.

    Raises:
        ValueError: as :func:`from_entry`.
    """
    evidence = claim.get("evidence") or {}
    entry = {"claim": claim.get("id"), "verdict": verdict, "quote": evidence.get("text"),
             "count_text": (claim.get("count") or {}).get("text"), "predicate": claim.get("predicate"),
             "fields": dict(fields or {}), "reason": reason, "was": claim_values(claim)}
    return from_entry(entry, article)


def write_corrections(folder: Path, article: str, corrections: list[Correction]) -> Path:
    """Write one article's file (replacing it) and return its path; the bytes depend only on the
    corrections given. An empty list removes the file."""
    path = file_for(folder, article)
    if not corrections:
        path.unlink(missing_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"article": article, "corrections": [c.entry() for c in corrections]}
    text = HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path


def record_verdicts(folder: Path, article: str, new: list[Correction]) -> Path:
    """Add verdicts to an article's file: one about a claim already judged replaces that verdict
    in place, the others are appended.

    Raises:
        ValueError: the existing file or one of its entries cannot be read; the file is then
            left as it is rather than rewritten without what it could not read.
    """
    path = file_for(folder, article)
    current: list[Correction] = []
    if path.is_file():
        problems: list[str] = []
        _, current = _read_file(path, article, problems)
        if problems:
            raise ValueError("; ".join(problems))
    for correction in new:
        correction = replace(correction, article=article, file="")
        for index, old in enumerate(current):
            if old.same_target(correction):
                current[index] = correction
                break
        else:
            current.append(correction)
    return write_corrections(folder, article, current)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
