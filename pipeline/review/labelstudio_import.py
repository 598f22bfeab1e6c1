"""``python -m pipeline import-labelstudio EXPORT.json``: a Label Studio export of our tasks as corrections.

The tasks are those ``make export`` writes (labelstudio.py): one per article, each claim a
predicted region whose id is the claim id. In the annotation an annotator submits:

- a predicted region removed → ``wrong``;
- a region's verdict set to ``wrong`` or ``correct`` → that verdict;
- the label changed, the span moved to another figure, or the "fix" box filled
  ("count=12; group=children; actor=isis") → ``corrected`` with those fields (a span that is
  no figure the importer can read is told, not guessed);
- a region left as predicted → ``correct`` (submitting the annotation is the review);
- a region of their own → ``missed``: the figure, its predicate and the paragraph it is in.

The last submitted annotation of a task counts (cancelled ones are skipped). Offsets are read
as code points and, when the text does not match, as UTF-16 code units, the unit of the tasks
we write and of older Label Studio versions; the span's own ``text`` settles it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.review.corrections import (
    FIELDS,
    Correction,
    claim_values,
    collapse,
    from_entry,
    parse_count,
    record_verdicts,
)
from pipeline.review.load import Record


@dataclass
class Imported:
    """What an import found: corrections by article, and one coded line per problem."""

    corrections: dict[str, list[Correction]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    tasks: int = 0
    reviewed: int = 0


def read_export(path: Path) -> list[Any]:
    """The tasks of a Label Studio JSON export.

    Raises:
        ValueError: not a JSON list of tasks (E413).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(str(PipelineError("E413", reason=str(exc).splitlines()[0] if str(exc) else exc))) from None
    if isinstance(data, Mapping):  # a single task
        data = [data]
    if not isinstance(data, list):
        raise ValueError(str(PipelineError("E413", reason="not a list of tasks (export as JSON)")))
    return data


def import_tasks(tasks: list[Any], records: Mapping[str, Record]) -> Imported:
    """Corrections from the tasks' annotations, matched to ``records`` by ``data.article``."""
    by_file = {str((record.get("article") or {}).get("file") or key): record for key, record in records.items()}
    result = Imported(tasks=len(tasks))
    for number, task in enumerate(tasks, 1):
        name = task.get("id", number) if isinstance(task, Mapping) else number
        problems: list[str] = []
        try:
            article, corrections = _task(task, by_file, problems)
        except ValueError as exc:
            result.problems.append(str(PipelineError("E414", task=name, reason=exc)))
            continue
        result.problems.extend(str(PipelineError("E414", task=name, reason=problem)) for problem in problems)
        if corrections is None:
            continue
        result.reviewed += 1
        result.corrections.setdefault(article, []).extend(corrections)
    return result


def write_imported(imported: Imported, folder: Path) -> list[Path]:
    """Record every imported verdict in the corrections folder (an earlier verdict on the same
    claim is replaced); returns the files written."""
    return [record_verdicts(folder, article, corrections) for article, corrections in sorted(imported.corrections.items())]


def _task(task: Any, by_file: Mapping[str, Record], problems: list[str]) -> tuple[str, list[Correction] | None]:
    """The article of a task and its corrections (None: not reviewed); a region that cannot be
    read adds a line to ``problems`` and is left out.

    Raises:
        ValueError: the task itself cannot be used.
    """
    if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
        raise ValueError("not a task with data")
    data = task["data"]
    article = data.get("article")
    if not isinstance(article, str) or article not in by_file:
        raise ValueError(f"no output for article {article!r} (export the tasks again after make extract)")
    annotation = _last_annotation(task)
    if annotation is None:
        return article, None  # not reviewed yet
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    record = by_file[article]
    claims = {str(claim.get("id")): claim for claim in record.get("claims") or []}
    predicted = _regions(result for prediction in task.get("predictions") or [] if isinstance(prediction, Mapping)
                         for result in prediction.get("result") or [])
    given = _regions(annotation.get("result") or [])
    corrections: list[Correction] = []
    for region_id, before in predicted.items():
        try:
            corrections.append(_judged(region_id, before, given.get(region_id), claims.get(region_id), text, article))
        except ValueError as exc:
            problems.append(f"region {region_id}: {exc}")
    for region_id, region in given.items():
        if region_id in predicted or region.get("labels") is None:
            continue
        try:
            corrections.append(_missed(region, text, article))
        except ValueError as exc:
            problems.append(f"region {region_id}: {exc}")
    return article, corrections


def _last_annotation(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    annotations = [a for a in task.get("annotations") or task.get("completions") or []
                   if isinstance(a, Mapping) and not a.get("was_cancelled")]
    if not annotations:
        return None
    return max(enumerate(annotations), key=lambda pair: (str(pair[1].get("updated_at") or pair[1].get("created_at")
                                                             or ""), pair[0]))[1]


def _regions(results: Any) -> dict[str, dict[str, Any]]:
    """Result items by region id: the ``labels`` value, and the region's verdict, fix and reason."""
    regions: dict[str, dict[str, Any]] = {}
    for item in results:
        if not isinstance(item, Mapping) or not isinstance(item.get("value"), Mapping) or item.get("id") is None:
            continue
        region = regions.setdefault(str(item["id"]), {})
        value = item["value"]
        kind, name = item.get("type"), item.get("from_name")
        if kind == "labels":
            region["labels"] = list(value.get("labels") or [])
            region["start"], region["end"], region["text"] = value.get("start"), value.get("end"), value.get("text")
        elif kind == "choices" and name == "verdict":
            region["verdict"] = (value.get("choices") or [None])[0]
        elif kind == "textarea" and name in ("fix", "reason"):
            typed = value.get("text")
            region[name] = " ".join(typed) if isinstance(typed, list) else str(typed or "")
    return regions


def _judged(region_id: str, before: Mapping[str, Any], after: Mapping[str, Any] | None, claim: Mapping[str, Any] | None,
            text: str, article: str) -> Correction:
    quote, count_text = _quote_of(claim, before, text), collapse(before.get("text"))
    entry: dict[str, Any] = {"claim": region_id, "quote": quote, "count_text": count_text,
                             "predicate": _label(before)}
    if claim is not None:
        entry["was"] = claim_values(claim)
    if after is None or after.get("labels") is None:
        return from_entry({**entry, "verdict": "wrong", "reason": "removed in Label Studio"}, article)
    reason = collapse(after.get("reason"))
    fields = parse_fix(after.get("fix") or "")
    if _label(after) and _label(after) != _label(before):
        fields.setdefault("predicate", _label(after))
    new_text = collapse(after.get("text"))
    if new_text and new_text != count_text and "count" not in fields:
        try:
            low, high = parse_count(new_text)
            fields["count"] = {"low": low, "high": high}
        except ValueError:
            reason = "; ".join(part for part in (reason, f"span changed to {new_text!r}, not read as a figure") if part)
    verdict = after.get("verdict")
    if verdict == "wrong":
        return from_entry({**entry, "verdict": "wrong", "reason": reason}, article)
    if fields:
        return from_entry({**entry, "verdict": "corrected", "fields": fields, "reason": reason}, article)
    return from_entry({**entry, "verdict": "correct", "reason": reason}, article)


def _missed(region: Mapping[str, Any], text: str, article: str) -> Correction:
    count_text = collapse(region.get("text"))
    fields = parse_fix(region.get("fix") or "")
    label = _label(region)
    if label:
        fields.setdefault("predicate", label)
    if "count" not in fields:
        try:
            low, high = parse_count(count_text)
            fields["count"] = {"low": low, "high": high}
        except ValueError:
            pass
    entry = {"verdict": "missed", "quote": _paragraph(region, text), "count_text": count_text, "predicate": label,
             "fields": fields, "reason": collapse(region.get("reason"))}
    return from_entry(entry, article)


def parse_fix(typed: str) -> dict[str, Any]:
    """``count=12; group=children`` as fields (checked by corrections.from_entry).

    Raises:
        ValueError: a part without ``=`` or a field that does not exist.
    """
    fields: dict[str, Any] = {}
    for part in typed.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep or name not in FIELDS:
            raise ValueError(f"fix {part.strip()!r} is not field=value with a field among {', '.join(FIELDS)}")
        fields[name] = value.strip() or None
    return fields


def _label(region: Mapping[str, Any]) -> str | None:
    labels = region.get("labels") or []
    return str(labels[0]) if labels else None


def _quote_of(claim: Mapping[str, Any] | None, region: Mapping[str, Any], text: str) -> str:
    if claim is not None:
        return collapse((claim.get("evidence") or {}).get("text"))
    return _paragraph(region, text)


def _paragraph(region: Mapping[str, Any], text: str) -> str:
    """The line of the task's text that holds the region (the cleaned text has one paragraph a line)."""
    start = _offset(text, region)
    if start is None:
        raise ValueError(f"region {collapse(region.get('text'))!r} is not in the task's text")
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return collapse(text[begin:end if end >= 0 else len(text)])


def _offset(text: str, region: Mapping[str, Any]) -> int | None:
    """The region's start as a code point offset, checked against its text (see the docstring)."""
    start, end, wanted = region.get("start"), region.get("end"), region.get("text")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(wanted, str):
        return None
    if text[start:end] == wanted:
        return start
    encoded = text.encode("utf-16-le")
    try:
        if encoded[2 * start:2 * end].decode("utf-16-le") == wanted:
            return len(encoded[: 2 * start].decode("utf-16-le"))
    except UnicodeDecodeError:  # the offsets cut a character in two: not UTF-16 units either
        pass
    found = text.find(wanted)
    return found if found >= 0 else None
