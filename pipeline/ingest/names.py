"""File names for ingested articles: readable, stable, and safe on any file system.

A name depends only on the record (its URL, its id or its title and text), never on
the order of ingestion or the clock, so ingesting the same source again finds the
same names and adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

# Longest slug kept from a title or a URL path; longer ones are cut and end in a hash.
MAX_SLUG = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HOST = re.compile(r"[^a-z0-9.-]+")


def slug(text: str, limit: int = MAX_SLUG) -> str:
    """ASCII letters and digits joined by "-": "Air strikes kill 23 in Idlib" -> "air-strikes-kill-23-in-idlib"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = _NOT_SLUG.sub("-", folded).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0] or out[:limit]
    return out


def short_hash(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:10]


def url_name(url: str) -> str:
    """``host/path-slug`` for a page: "https://www.example.org/news/2020/03/a-b.html?x=1" ->
    "example.org/news-2020-03-a-b-<hash>" (a hash of the URL when the query or a cut made the
    slug lossy, so two URLs never share a name by accident)."""
    parts = urlsplit(url)
    host = _HOST.sub("", (parts.hostname or "").lower().removeprefix("www."))[:60].strip(".-") or "unknown-host"
    path = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", parts.path, flags=re.IGNORECASE)
    stem = slug(path) or "index"
    if parts.query or len(slug(path, 10_000)) > MAX_SLUG:
        stem = f"{stem}-{short_hash(url)}"
    return f"{host}/{stem}"


def record_name(folder: str, ident: str | None, title: str, text: str) -> str:
    """``folder/<id>`` when the record has an id, else ``folder/<title-slug>-<hash of the text>``."""
    if ident:
        return f"{folder}/{slug(ident, MAX_SLUG) or short_hash(ident)}"
    head = slug(title, 60)
    return f"{folder}/{head + '-' if head else ''}{short_hash(title + chr(10) + text)}"
