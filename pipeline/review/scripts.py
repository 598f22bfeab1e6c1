"""The review site's few inline scripts and the content policy that lets exactly them run.

Each page carries its script inline (a page opened from ``file://`` cannot load another file
reliably) and a Content-Security-Policy whose ``script-src`` lists the SHA-256 hash of each
inline script: nothing else may run, so markup quoted by an article stays inert even if an
escaping bug let it through. The scripts only add sorting, filtering, search, keyboard keys and
the verdict form: without them every page still shows all it holds.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


@lru_cache(maxsize=None)
def script(name: str) -> str:
    """The text of ``pipeline/review/assets/<name>.js``."""
    return resources.files("pipeline.review").joinpath("assets", f"{name}.js").read_text(encoding="utf-8")


def script_hash(text: str) -> str:
    """The CSP source for one inline script: ``'sha256-<base64>'`` of its exact text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(scripts: Sequence[str] = (), *, connect: bool = False) -> str:
    """The page's content policy: the inline scripts by hash, requests to its own server only
    when ``connect`` (the verdict form under ``review --serve``; on ``file://`` there is none)."""
    parts = [POLICY]
    parts.append("script-src " + " ".join(script_hash(text) for text in scripts) if scripts else "script-src 'none'")
    if connect:
        parts.append("connect-src 'self'")
    return "; ".join(parts)


def inline(text: str) -> str:
    """``<script>`` holding ``text``, which must not close the element early."""
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError("an inline script cannot hold '</script' or '<!--'")
    return f"<script>{text}</script>"


def data_block(element_id: str, json_text: str) -> str:
    """A JSON data block (never run, so the policy needs no hash for it); ``<`` is escaped so
    no text inside can close the element."""
    safe = json_text.replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{safe}</script>'
