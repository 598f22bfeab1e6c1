"""Which files of a corpus are articles, and in which format: the one place to extend.

A new reader (PDF, say) adds its suffix here with its format name; discovery, output
names, the "unsupported type" warning and the record's ``article.format`` all follow.
Suffixes are matched case-insensitively (``a.TXT`` is a text article).
"""

from __future__ import annotations

# suffix -> the record's ``article.format``
# (a .pdf is read from its text layer: pipeline/reading/pdf.py, the [pdf] extra)
ARTICLE_FORMATS: dict[str, str] = {".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
ARTICLE_SUFFIXES: tuple[str, ...] = tuple(ARTICLE_FORMATS)
HTML_SUFFIXES: tuple[str, ...] = tuple(s for s, kind in ARTICLE_FORMATS.items() if kind == "html")
# ``name.meta.json`` beside ``name.txt``: exact, lower-case suffix.
SIDECAR_SUFFIX = ".meta.json"


def article_format(name: str) -> str | None:
    """``text``/``html``/... for an article file name, None for anything else."""
    dot = name.rfind(".")
    return ARTICLE_FORMATS.get(name[dot:].lower()) if dot > 0 else None


def stem(name: str) -> str:
    """The name without its last suffix: what its output and sidecar are named after."""
    return name[: name.rfind(".")]
