"""The optional ``name.meta.json`` next to an article: what the user states wins.

Keys: url, outlet, published (YYYY-MM-DD), date_order ("DMY" or "MDY"), and the
provenance that ``python -m pipeline ingest`` writes: fetched (when the bytes were
fetched or crawled, ISO 8601), source_record (which record of which source they came
from: "dump.csv#row=12", "crawl.warc.gz#offset=1234"), duplicate_of (the corpus path of
an earlier article this one near-duplicates: syndication, re-crawls). Unknown keys are
refused, so a typo ("publised") is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from pipeline.errors import InputError
from pipeline.metadata import parse_iso_date

ALLOWED = ("url", "outlet", "published", "date_order", "fetched", "source_record", "duplicate_of")


@dataclass(frozen=True)
class Sidecar:
    """Validated sidecar metadata."""

    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    date_order: str | None = None
    fetched: str | None = None
    source_record: str | None = None
    duplicate_of: str | None = None


def parse_sidecar(data: bytes | None, name: str) -> Sidecar:
    """Validate sidecar bytes; None (no sidecar) gives an empty Sidecar.

    Raises:
        InputError: E105 naming the sidecar and what is wrong with it.
    """
    if data is None:
        return Sidecar()
    try:
        raw: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError("E105", sidecar=name, reason=f"not JSON ({str(exc).splitlines()[0]})") from exc
    if not isinstance(raw, dict):
        raise InputError("E105", sidecar=name, reason="the top level is not an object")
    unknown = sorted(set(raw) - set(ALLOWED))
    if unknown:
        raise InputError("E105", sidecar=name, reason=f"unknown keys {unknown}; allowed: {list(ALLOWED)}")
    for key in ALLOWED:
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise InputError("E105", sidecar=name, reason=f"{key} must be a string")
    published = raw.get("published")
    if published is not None and parse_iso_date(published) is None:
        raise InputError("E105", sidecar=name, reason=f"published {published!r} is not a YYYY-MM-DD date")
    order = raw.get("date_order")
    if order is not None and order.upper() not in ("DMY", "MDY"):
        raise InputError("E105", sidecar=name, reason=f"date_order {order!r} is not DMY or MDY")
    fetched = raw.get("fetched")
    if fetched is not None and not _is_iso_datetime(fetched):
        raise InputError("E105", sidecar=name, reason=f"fetched {fetched!r} is not an ISO 8601 date or date-time")
    duplicate_of = raw.get("duplicate_of")
    if duplicate_of is not None and not _is_corpus_path(duplicate_of):
        raise InputError("E105", sidecar=name, reason=f"duplicate_of {duplicate_of!r} is not a path inside the corpus")
    return Sidecar(
        url=raw.get("url"),
        outlet=raw.get("outlet"),
        published=parse_iso_date(published).isoformat() if published else None,  # type: ignore[union-attr]
        date_order=order.upper() if order else None,
        fetched=fetched,
        source_record=raw.get("source_record"),
        duplicate_of=duplicate_of,
    )


def _is_iso_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_corpus_path(value: str) -> bool:
    """A relative path with "/" separators that stays inside the corpus."""
    parts = value.split("/")
    return bool(value) and not value.startswith("/") and "\\" not in value and all(p not in ("", ".", "..") for p in parts)
