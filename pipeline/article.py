"""Article bytes + sidecar + rules -> the output record: the pipeline as a pure function.

``extract_article`` reads no files, no clock and no environment; the same inputs
give the same dict on any machine, so it can be mapped over a process pool or a
Dask cluster. The spaCy pipeline is passed in (built once per process).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from pipeline.claims import ArticleContext, extract_claims
from pipeline.claims.assemble import MAX_FIGURES
from pipeline.claims.evidence import MAX_EVIDENCE_CHARS, SENTENCE_REPEAT_CHARS, WINDOW_CHARS
from pipeline.claims.model import Claim
from pipeline.claims.places import PlaceContext
from pipeline.claims.records import complete_records
from pipeline.claims.tokens import Layers
from pipeline.clean.text import clean_body, drop_repeated_title, normalize_unicode, split_title, squeeze_whitespace
from pipeline.errors import InputError, PipelineError, warning
from pipeline.formats import article_format
from pipeline.incident import empty_incident, incident_and_facts
from pipeline.language import unread_language
from pipeline.metadata import MAX_HEADER_WORDS, find_dateline, parse_iso_date
from pipeline.reading.decode import Decoded, decode_bytes
from pipeline.reading.html import BYLINE_MAX_CHARS, MAX_CAPTIONS, byline_name, html_to_article
from pipeline.reading.pdf import pdf_to_text
from pipeline.sidecar import Sidecar
from pipeline.surrogates import scrub, scrub_fields

SCHEMA_VERSION = 1
# Longer than any news article (about 45,000 words): past it the text (title and
# body, before cleaning) is cut (W005), which keeps the worst case, a text of
# nothing but figures, to a few seconds.
MAX_CHARS = 300_000


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Name the stage an unexpected exception came from, for the E107 line of the runner."""
    try:
        yield
    except PipelineError:
        raise
    except Exception as exc:
        if not hasattr(exc, "stage"):
            exc.stage = name  # type: ignore[attr-defined]
        raise


@dataclass
class Prepared:
    """An article after reading and cleaning, before extraction."""

    title: str
    body: str
    published: dt.date | None
    published_from: str | None
    date_order: str | None
    encoding: str
    dropped: Counter[str]
    warnings: list[str]
    url: str | None = None  # from the page (canonical link); the sidecar's wins
    outlet: str | None = None  # from the page (og:site_name); the sidecar's wins
    byline: str | None = None  # page metadata, else a dropped "By ..." line
    captions: tuple[str, ...] = ()  # figcaptions and dropped caption lines


def prepare(data: bytes, name: str, sidecar: Sidecar) -> Prepared:
    """Decode, parse HTML if needed, clean, and find the publication date."""
    kind = article_format(name)
    is_html = kind == "html"
    dropped: Counter[str] = Counter()
    if kind == "pdf":
        with stage("pdf"):
            pdf = pdf_to_text(data)
        dropped.update(pdf.dropped)
        decoded = Decoded(pdf.text, "pdf", ())
    else:
        with stage("decode"):
            decoded = decode_bytes(data, html=is_html)
    warnings = list(decoded.warnings)
    html_published = html_modified = None
    url = outlet = byline = None
    captions: list[str] = []
    apart: dict[str, list[str]] = {}
    if is_html:
        with stage("html"):
            page = html_to_article(decoded.text)
        dropped.update(page.dropped)
        title, body = squeeze_whitespace(normalize_unicode(page.title or "")), normalize_unicode(page.text)
        if not title:
            title, body = split_title(body)
        html_published, html_modified = parse_iso_date(page.published), parse_iso_date(page.modified)
        url, outlet, byline = page.url, page.outlet, page.byline
        captions.extend(normalize_unicode(c) for c in page.captions)
    else:
        title, body = split_title(normalize_unicode(decoded.text))
        title = squeeze_whitespace(title)
    title, body = _cut(title, body, warnings)
    with stage("clean"):
        body = clean_body(body, dropped, apart)
        body = drop_repeated_title(title, body, dropped)
    byline = byline or _byline_name(apart.get("byline", []))
    captions.extend(c for c in apart.get("caption", []) if c not in captions)
    with stage("dateline"):
        dateline = find_dateline(body, sidecar.date_order)
    if dateline is not None:
        line_start = body.rfind("\n", 0, dateline.start) + 1
        header = body[line_start : dateline.start]
        # Drop the header and date only when they stand at the top of the body.
        if len(header.split()) <= MAX_HEADER_WORDS:
            body = (body[:line_start] + body[dateline.end :].lstrip(" ,.|-–—")).strip()
            dropped["dateline"] += 1
            body = drop_repeated_title(title, body, dropped)
    published, source, order = _published(sidecar, (html_published, html_modified), dateline, warnings)
    if not title and not body.strip():
        raise InputError("E101")
    return Prepared(
        title, body, published, source, order, decoded.encoding, dropped, warnings, url, outlet, byline,
        tuple(captions[:MAX_CAPTIONS]),
    )


def _cut(title: str, body: str, warnings: list[str]) -> tuple[str, str]:
    """Title and body cut to MAX_CHARS together (W005), before cleaning.

    Cleaning and the date line only shorten the text, so every later stage, the
    cleaning regexes first, sees at most MAX_CHARS characters, not the 2 MB a file
    may hold. The title gives up nothing unless it is itself that long (a text of
    one line).
    """
    if len(title) + len(body) <= MAX_CHARS:
        return title, body
    warnings.append(warning("W005", limit=MAX_CHARS))
    title = title[:MAX_CHARS]
    return title, body[: MAX_CHARS - len(title)]


def _byline_name(lines: list[str]) -> str | None:
    """The first dropped byline line, without its "By": "By John Smith" -> "John Smith"."""
    for line in lines:
        name = byline_name(line)
        if name:
            return name[:BYLINE_MAX_CHARS]
    return None


def _published(
    sidecar: Sidecar, html_dates: tuple[dt.date | None, dt.date | None], dateline: Any, warnings: list[str]
) -> tuple[dt.date | None, str | None, str | None]:
    """Publication date by precedence: sidecar, HTML metadata, the date line, HTML modified date.

    A page's last-modified date comes after the date line: an article updated a
    year later would otherwise resolve "last week" a year off.
    """
    html_published, html_modified = html_dates
    if sidecar.published:
        return parse_iso_date(sidecar.published), "sidecar", sidecar.date_order
    if html_published is not None:
        return html_published, "html_meta", sidecar.date_order
    if dateline is not None:
        if dateline.ambiguous:
            warnings.append(warning("W002", text=dateline.text, order=dateline.order))
        return dateline.date, "dateline", dateline.order if dateline.rule == "dateline.numeric" else None
    if html_modified is not None:
        return html_modified, "html_modified", sidecar.date_order
    warnings.append(warning("W001"))
    return None, None, sidecar.date_order


def _without_surrogates(name: str, sidecar: Sidecar, invalid: list[str]) -> tuple[str, Sidecar]:
    """The file name and sidecar values with lone surrogates replaced (see pipeline/surrogates.py).

    A file name of Latin-1 bytes or a sidecar value ``"\\ud800"`` would otherwise make the
    record impossible to write.
    """
    clean = scrub_fields({"article.file": name, "article.url": sidecar.url, "article.outlet": sidecar.outlet},
                         invalid)
    if clean["article.url"] is not sidecar.url or clean["article.outlet"] is not sidecar.outlet:
        sidecar = dataclasses.replace(sidecar, url=clean["article.url"], outlet=clean["article.outlet"])
    return clean["article.file"] or name, sidecar


def _scrub_prepared(prepared: Prepared, invalid: list[str]) -> None:
    """Lone surrogates out of what the page or text gave (JSON-LD can escape half a pair).

    One code point is replaced by one, so offsets into the text are unchanged.
    """
    clean = scrub_fields({"article.title": prepared.title, "article.text": prepared.body, "article.url": prepared.url,
                          "article.outlet": prepared.outlet, "article.byline": prepared.byline}, invalid)
    prepared.title, prepared.body = clean["article.title"] or "", clean["article.text"] or ""
    prepared.url, prepared.outlet, prepared.byline = clean["article.url"], clean["article.outlet"], clean["article.byline"]
    captions = [scrub(c) for c in prepared.captions]
    if captions != list(prepared.captions):
        invalid.append("article.captions")
        prepared.captions = tuple(captions)


def article_text(prepared: Prepared) -> str:
    """The text the record stores and claims point into: title, blank line, body."""
    return prepared.title + "\n\n" + prepared.body if prepared.body else prepared.title


def _claims_and_incident(
    text: str, title_end: int, digest: str, prepared: Prepared, nlp: Language
) -> tuple[list[Claim], dict[str, Any]]:
    """The claims of an article's text and its main incident."""
    with stage("spacy pipeline"):
        doc = nlp(text)
    with stage("claims"):
        layers = Layers.of(doc)
        places = PlaceContext(doc, layers, title_end)
        claims = extract_claims(doc, ArticleContext(digest[:16], title_end, prepared.published), layers, places)
    if len(doc.spans["count"]) > MAX_FIGURES:
        prepared.warnings.append(warning("W007", limit=MAX_FIGURES))
    windowed = sum(claim.window is not None for claim in claims)
    if windowed:
        prepared.warnings.append(warning("W010", count=windowed, limit=MAX_EVIDENCE_CHARS,
                                         total=SENTENCE_REPEAT_CHARS, window=WINDOW_CHARS))
    with stage("incident"):
        incident, facts = incident_and_facts(doc, claims, title_end, prepared.published, layers, places)
        complete_records(claims, facts, prepared.published)
    # The components keep their Span lists in doc.user_data (Span -> Doc -> user_data ->
    # Span): emptied, the whole Doc is freed by reference counting as soon as it goes
    # out of scope, instead of waiting for the garbage collector, whose young-generation
    # passes then had every article's objects to walk (a tenth of a second per 1,000).
    doc.user_data.clear()
    return claims, incident


def extract_article(data: bytes, name: str, sidecar: Sidecar, nlp: Language) -> dict[str, Any]:
    """The full output record for one article.

    Args:
        data: the article's bytes as stored.
        name: its path relative to the corpus folder (decides text or HTML).
        sidecar: validated metadata the user gave.
        nlp: the pipeline from ``pipeline.factories.shared_nlp()``.
    """
    invalid: list[str] = []
    name, sidecar = _without_surrogates(name, sidecar, invalid)
    prepared = prepare(data, name, sidecar)
    _scrub_prepared(prepared, invalid)
    if invalid:
        prepared.warnings.append(warning("W009", fields=", ".join(dict.fromkeys(invalid))))
    text = article_text(prepared)
    title_end = len(prepared.title)
    digest = hashlib.sha256(data).hexdigest()
    with stage("language"):
        language = unread_language(text)
    if language is not None:
        # English rules on another language find only noise: no claims, an empty incident.
        prepared.warnings.append(warning("W008", language=language.name, iso=language.code))
        claims, incident = [], empty_incident(prepared.published)
    else:
        claims, incident = _claims_and_incident(text, title_end, digest, prepared, nlp)
    return {
        "schema_version": SCHEMA_VERSION,
        "article": {
            "file": name,
            "sha256": digest,
            "format": article_format(name) or "text",
            "encoding": prepared.encoding,
            "title": prepared.title,
            "published": prepared.published.isoformat() if prepared.published else None,
            "published_from": prepared.published_from,
            "date_order": prepared.date_order,
            "url": sidecar.url or prepared.url,
            "outlet": sidecar.outlet or prepared.outlet,
            "duplicate_of": sidecar.duplicate_of,
            "byline": prepared.byline,
            "captions": list(prepared.captions),
            "dropped": dict(sorted(prepared.dropped.items())),
            "warnings": prepared.warnings,
            "text": text,
        },
        "claims": [c.to_json() for c in claims],
        "incident": incident,
    }
