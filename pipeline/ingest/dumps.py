"""CSV, JSONL/JSON and Parquet dumps -> one ``.txt`` article per record.

Columns are found by flag (``--text-column`` …) or by their common names, case and
spacing ignored: text in ``text``/``content``/``article_content``/``body``/``maintext``…,
title in ``title``/``article_title``/``headline``, date in ``date``/``published``…,
URL in ``url``/``link``, outlet in ``source``/``outlet``/``publisher``…, an id in
``id``/``unit_id``/``article_id``…. A dump without a text column is refused (E602)
naming the columns it has. A JSON value may be nested: ``--outlet-column source.name``,
and an outlet found as an object (``"source": {"name": "AFP"}``) gives its ``name``.
A dump of raw pages (an ``html`` column and no text column) gives ``.html`` articles.

Each record becomes ``<folder>/<id>.txt`` (else ``<title-slug>-<hash>.txt``) holding the
title, a blank line and the text, as a user pastes an article; its sidecar has the URL,
outlet, publication date and ``source_record`` ("dump.csv#row=12"). Parquet is read
with DuckDB, already a dependency for the exports.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError, warning
from pipeline.ingest.dates import column_order, parse_date
from pipeline.ingest.names import record_name, slug
from pipeline.ingest.store import CorpusStore, Incoming

# Common names of each field, in the order they are preferred.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "article_content", "body", "article_text", "article_body", "maintext",
             "full_text", "fulltext", "article", "story"),
    "html": ("html", "raw_html", "page_html", "content_html"),
    "title": ("title", "article_title", "headline", "heading"),
    "date": ("date", "published", "published_at", "publish_date", "publication_date", "date_publish",
             "pubdate", "pub_date", "published_date", "datetime", "date_published"),
    "url": ("url", "link", "article_url", "source_url", "uri"),
    "outlet": ("outlet", "source", "source_name", "publisher", "site_name", "domain", "source_domain", "media"),
    "id": ("id", "unit_id", "article_id", "doc_id", "uuid", "guid", "record_id"),
}
DUMP_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
# The longest CSV field accepted (the csv module's default, 131,072 characters, is shorter than long articles).
MAX_FIELD = 50_000_000


@dataclass(frozen=True)
class Mapping:
    """Column names chosen by the user (None: find it by its common names)."""

    text: str | None = None
    html: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    id: str | None = None
    date_order: str | None = None
    folder: str | None = None


def ingest_dump(src: Path, store: CorpusStore, mapping: Mapping) -> int:
    """Write every record of the dump into the store; returns an exit status (2: the dump is refused)."""
    summary = store.summary
    reader = _reader(src)
    try:
        columns = _columns(reader())
    except (OSError, ValueError, UnicodeDecodeError, csv.Error, RuntimeError) as exc:
        summary.fail(str(PipelineError("E601", src=src, reason=_reason(exc))))
        return 2
    chosen = {field: _choose(field, getattr(mapping, field), columns) for field in COLUMN_NAMES}
    for field in COLUMN_NAMES:
        wanted = getattr(mapping, field)
        if wanted and chosen[field] is None:
            summary.fail(str(PipelineError("E602", src=src, what=f"{field} ({wanted!r} is not one)",
                                           columns=", ".join(columns) or "none", flag=f"--{field}-column")))
            return 2
    if chosen["text"] is None and chosen["html"] is None:
        summary.fail(str(PipelineError("E602", src=src, what="the article text", columns=", ".join(columns) or "none",
                                       flag="--text-column (or --html-column for raw pages)")))
        return 2
    order = mapping.date_order
    if chosen["date"] is not None and order is None:
        order, example = column_order(_value(record, chosen["date"]) for _, record in _records(reader))
        if example is not None:
            summary.fail(str(PipelineError("E607", src=src, column=chosen["date"], example=example)))
            return 2
    folder = mapping.folder or slug(src.name.split(".")[0]) or "dump"
    try:
        for number, record in _records(reader):
            _add(store, record, chosen, order, folder, f"{src.name}#{number}")
    except (OSError, ValueError, UnicodeDecodeError, csv.Error, RuntimeError) as exc:
        summary.fail(str(PipelineError("E601", src=src, reason=_reason(exc))))
        return 1
    return 0


def _add(store: CorpusStore, record: dict[str, Any], chosen: dict[str, str | None], order: str | None,
         folder: str, where: str) -> None:
    if record is None:
        store.summary.skip("not an object", warning("W605", where=where))
        return
    text = _text(_value(record, chosen["text"]))
    html = _text(_value(record, chosen["html"])) if not text else ""
    title = " ".join(_text(_value(record, chosen["title"])).split())
    if not text.strip() and not html.strip():
        store.summary.skip("no text", warning("W601", where=where))
        return
    meta: dict[str, str] = {"source_record": where}
    url, outlet = _text(_value(record, chosen["url"])).strip(), _outlet(_value(record, chosen["outlet"]))
    if url:
        meta["url"] = url
    if outlet:
        meta["outlet"] = outlet
    raw_date = _value(record, chosen["date"])
    if raw_date not in (None, ""):
        published = parse_date(raw_date, order)
        if published:
            meta["published"] = published
        else:
            store.summary.lines.append(warning("W602", where=where, value=str(raw_date)[:80]))
    ident = _text(_value(record, chosen["id"])).strip() or None
    name = record_name(folder, ident, title, text or html)
    if text:
        body = text.strip("\n")
        data = (f"{title}\n\n{body}\n" if title else f"{body}\n").encode("utf-8")
        store.add(Incoming(name, ".txt", data, meta, where))
    else:
        store.add(Incoming(name, ".html", html.encode("utf-8"), meta, where))


# --- reading the three kinds ----------------------------------------------------------

Reader = Callable[[], Iterator[tuple[str, Any]]]


def _reader(src: Path) -> Reader:
    """A function that reads the dump from the start each time it is called: (position, record)."""
    name = src.name.lower()
    if name.endswith(".parquet"):
        return lambda: _parquet(src)
    if name.endswith((".jsonl", ".ndjson")):
        return lambda: _jsonl(src)
    if name.endswith(".json"):
        return lambda: _json(src)
    return lambda: _csv(src, "\t" if name.endswith(".tsv") else ",")


def _csv(src: Path, delimiter: str) -> Iterator[tuple[str, Any]]:
    csv.field_size_limit(min(MAX_FIELD, sys.maxsize))
    with src.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        if reader.fieldnames is None:
            return
        yield "columns", list(reader.fieldnames)
        for number, row in enumerate(reader, start=1):
            yield f"row={number}", row


def _jsonl(src: Path) -> Iterator[tuple[str, Any]]:
    with src.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            yield f"line={number}", record if isinstance(record, dict) else None


def _json(src: Path) -> Iterator[tuple[str, Any]]:
    data = json.loads(src.read_text(encoding="utf-8-sig"))
    if isinstance(data, dict):  # {"articles": [...]}, as news APIs answer
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list):
        raise ValueError("a JSON dump is a list of objects (or one object holding such a list)")
    for number, record in enumerate(data, start=1):
        yield f"item={number}", record if isinstance(record, dict) else None


def _parquet(src: Path) -> Iterator[tuple[str, Any]]:
    import duckdb

    try:
        cursor = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(src)])
        columns = [d[0] for d in cursor.description]
    except duckdb.Error as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc
    yield "columns", list(columns)
    number = 0
    while batch := cursor.fetchmany(1000):
        for row in batch:
            number += 1
            yield f"row={number}", dict(zip(columns, row))


def _records(reader: Reader) -> Iterator[tuple[str, Any]]:
    """The records alone (a header is not one)."""
    return ((position, record) for position, record in reader() if position != "columns")


def _columns(records: Iterator[tuple[str, Any]]) -> list[str]:
    """The dump's column names: a CSV's or Parquet's header, the keys of a JSON dump's first 100 records."""
    seen: dict[str, None] = {}
    for count, (position, record) in enumerate(records):
        if position == "columns":
            return [str(c) for c in record]
        if isinstance(record, dict):
            seen.update(dict.fromkeys(str(k) for k in record))
        if count >= 100:
            break
    return list(seen)


# --- columns and values -------------------------------------------------------------

def _norm(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _choose(field: str, wanted: str | None, columns: list[str]) -> str | None:
    if wanted:
        head = wanted.split(".")[0]
        match = next((c for c in columns if c == head), None) or next((c for c in columns if _norm(c) == _norm(head)), None)
        return (match + wanted[len(head):]) if match else None
    normalized = {_norm(c): c for c in reversed(columns)}
    return next((normalized[name] for name in COLUMN_NAMES[field] if name in normalized), None)


def _value(record: dict[str, Any] | None, column: str | None) -> Any:
    if record is None or column is None:
        return None
    if column in record:
        return record[column]
    value: Any = record
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _outlet(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    return " ".join(_text(value).split())


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
