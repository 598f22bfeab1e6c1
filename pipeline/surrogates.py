"""Lone surrogates: code points no UTF-8 encoder accepts, replaced before they reach a record.

Python strings can hold them: a sidecar value written as ``"\\ud800"`` in JSON, a file
name of Latin-1 bytes (``os.fsdecode`` keeps each undecodable byte as U+DC80..U+DCFF),
JSON-LD in a page that escapes half a pair. Left in, they make the record impossible to
write. Each is replaced by U+FFFD, one code point for one, so every offset into the text
stays valid, and the article gets a ``[W009]`` warning naming the fields.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds a code point UTF-8 cannot encode."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def scrub(text: str) -> str:
    """``text`` with every surrogate code point replaced by U+FFFD (same length)."""
    return _SURROGATE.sub(REPLACEMENT, text) if has_surrogates(text) else text


def scrub_fields(values: dict[str, str | None], found: list[str]) -> dict[str, str | None]:
    """The values scrubbed; the names of those that needed it are appended to ``found``."""
    clean: dict[str, str | None] = {}
    for name, value in values.items():
        if value is not None and has_surrogates(value):
            found.append(name)
            value = scrub(value)
        clean[name] = value
    return clean
