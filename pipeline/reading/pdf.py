"""PDF bytes -> article text, from the PDF's own text layer (pypdf, the ``[pdf]`` extra).

UN agencies and rights groups publish their casualty reports as PDFs. A PDF stores
positioned runs of glyphs, not paragraphs, so the text is rebuilt in three steps:

1. each page's text layer in content order (pypdf's plain mode: a two-column report
   reads column after column, where its layout mode would interleave their lines);
2. running headers and footers (the same line at the top or bottom of most pages)
   and page numbers ("12", "Page 3 of 10", "- 4 -") are dropped and counted;
3. lines are reflowed into paragraphs, because the extractor reads a line break as a
   sentence end: a line that fills the page's width is continued by the next one, a
   shorter one ends its paragraph. A word hyphenated at the end of a line keeps its
   hyphen ("US-" + "backed" -> "US-backed"; "coali-" + "tion" stays "coali-tion").

Page breaks are kept as a blank line: every page starts a new paragraph, so the
text's paragraphs never run across pages (a sentence that does is read as two).
The title is the document's /Title metadata unless it is empty or a file name
("Microsoft Word - report.docx"), else the first line of the first page.
A PDF without a text layer (a scan) is refused with E120, not read as empty.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.errors import InputError

# A line at least this share of the page's full width is taken to wrap into the next.
FULL_LINE_SHARE = 0.8
# A page whose longest lines are shorter than this is not prose (a table, a chart's labels).
MIN_PROSE_WIDTH = 30
# Fewer letters than this in the whole document: it has no text layer to speak of.
MIN_LETTERS = 20
# A header or footer line repeats on at least this share of the pages (and on three or more).
RUNNING_SHARE = 0.6

_PAGE_NUMBER = re.compile(r"(?i)^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$")
_FILE_TITLE = re.compile(r"(?i)(?:^microsoft \w+ - |\.(?:docx?|odt|rtf|pdf|indd|xlsx?)$|^untitled)")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
_SENTENCE_END = (".", "!", "?", ":", ";", "”", '"', "’", ")")


@dataclass(frozen=True)
class PdfText:
    """A PDF's text: ``text`` is the title line, then the body; ``dropped`` counts what was left out."""

    text: str
    pages: int
    dropped: Counter[str]


def pdf_to_text(data: bytes) -> PdfText:
    """Read a PDF's text layer into title + body.

    Raises:
        InputError: E122 when pypdf is not installed, E121 when the file cannot be
            parsed or is encrypted with a password, E120 when no page has text.
    """
    try:
        import pypdf
        from pypdf.errors import PyPdfError
    except ImportError as exc:
        raise InputError("E122", what=".pdf files", extra="pdf") from exc
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("E121", reason="it is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata or {}).get("/Title")
    except InputError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise InputError("E121", reason=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    if sum(ch.isalpha() for page in pages for ch in page) < MIN_LETTERS:
        raise InputError("E120")
    dropped: Counter[str] = Counter()
    lines = [_page_lines(page) for page in pages]
    _drop_running_lines(lines, dropped)
    paragraphs = [_reflow(page_lines) for page_lines in lines]
    body = "\n\n".join(p for p in paragraphs if p)
    title = _title(meta_title)
    text = f"{title}\n\n{body}" if title else body
    return PdfText(text, len(pages), dropped)


def _title(meta_title: object) -> str | None:
    if not isinstance(meta_title, str):
        return None
    title = " ".join(meta_title.split())
    if len(title) < 4 or _FILE_TITLE.search(title):
        return None
    return title


def _page_lines(page: str) -> list[str]:
    """The page's lines, whitespace squeezed, control characters and U+FFFD gone (no text holds them)."""
    page = _CONTROLS.sub("", page.replace("\r\n", "\n").replace("\r", "\n")).translate(_LIGATURES)
    return [" ".join(line.split()) for line in page.split("\n")]


def _drop_running_lines(pages: list[list[str]], dropped: Counter[str]) -> None:
    """Drop page numbers, and lines that open or close most pages (running headers and footers)."""
    edges: Counter[str] = Counter()
    for lines in pages:
        kept = [line for line in lines if line]
        edges.update({line for line in kept[:2] + kept[-2:] if not _PAGE_NUMBER.match(line)})
    needed = max(3, int(len(pages) * RUNNING_SHARE + 0.999))
    running = {line for line, count in edges.items() if count >= needed}
    for lines in pages:
        kept = [line for line in lines if line]
        edge = set(kept[:2] + kept[-2:])
        for i, line in enumerate(lines):
            if line and line in edge:
                if _PAGE_NUMBER.match(line):
                    dropped["page_number"] += 1
                    lines[i] = ""
                elif line in running:
                    dropped["running_header"] += 1
                    lines[i] = ""


def _reflow(lines: list[str]) -> str:
    """Join a page's wrapped lines into paragraphs, one per line of the result."""
    widths = sorted(len(line) for line in lines if line)
    if not widths:
        return ""
    full = widths[int(len(widths) * 0.9) - 1] if len(widths) >= 10 else widths[-1]
    wraps = full >= MIN_PROSE_WIDTH
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if not current:
            current = line
        elif current.endswith("-") and line[:1].isalpha():
            current += line
        else:
            current += " " + line
        if not (wraps and len(line) >= full * FULL_LINE_SHARE and not _ends_short_sentence(line, full)):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def _ends_short_sentence(line: str, full: int) -> bool:
    """A full-width line that ends a sentence well short of the margin ends its paragraph."""
    return line.endswith(_SENTENCE_END) and len(line) < full * 0.9
