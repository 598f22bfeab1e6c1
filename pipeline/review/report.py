"""The offline review site: an index of articles and one page per article.

Every value from an output goes through ``html.escape``, numbers included: article
text is untrusted (an article quoting ``<script>`` shows it as text), and so are titles,
URLs, rule ids and figures (an output edited by hand can hold anything; ``report``
also skips outputs that do not validate against the schema). Links to the article's URL are made only for ``http(s)://`` URLs, so a sidecar
cannot smuggle a ``javascript:`` link. Pages are byte-stable for the same outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from pipeline.review.checks import Note, article_notes
from pipeline.review.highlight import Span, claim_spans, innermost, segments
from pipeline.review.load import Record
from pipeline.review.style import PREDICATE_COLOURS, predicate_class, stylesheet

ARTICLES_DIR = "articles"


@dataclass(frozen=True)
class Page:
    """One article's page: where it goes and what the index says about it."""

    key: str
    href: str
    record: Record
    spans: list[Span]
    notes: list[Note]


def write_report(records: dict[str, Record], out: Path, incidents: dict[str, Any] | None = None) -> list[Path]:
    """Write ``index.html`` and ``articles/*.html`` under ``out``; returns the files written.

    Pages of articles that are gone are deleted, so the folder mirrors ``records``. With
    ``incidents`` (the linker's ``_incidents.json``), the incident pages too (incidents_page.py).
    """
    pages = plan_pages(records)
    target = out / ARTICLES_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = [out / "index.html"]
    (out / "index.html").write_text(index_html(pages, incidents is not None), encoding="utf-8")
    for page in pages:
        path = out / page.href
        path.write_text(article_html(page), encoding="utf-8")
        written.append(path)
    keep = {path.name for path in written}
    for stale in sorted(target.glob("*.html")):
        if stale.name not in keep:
            stale.unlink()
    if incidents is not None:
        from pipeline.review.incidents_page import write_incident_pages

        by_file = {str((page.record.get("article") or {}).get("file")): page.href for page in pages}
        written += write_incident_pages(incidents, by_file, out, _document)
    return written


def plan_pages(records: dict[str, Record]) -> list[Page]:
    """Pages in key order, with file names unique even when two keys slug alike."""
    pages: list[Page] = []
    taken: set[str] = set()
    for key in sorted(records):
        record = records[key]
        base = re.sub(r"[^A-Za-z0-9._-]", "_", key.removesuffix(".json").replace("/", "__")) or "article"
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        text = str((record.get("article") or {}).get("text") or "")
        spans = claim_spans(text, list(record.get("claims") or []))
        pages.append(Page(key, f"{ARTICLES_DIR}/{name}.html", record, spans, article_notes(record, spans)))
    return pages


def index_html(pages: list[Page], incidents: bool = False) -> str:
    """The list of articles: title, outlet, date and its origin, claims, warnings."""
    rows = []
    for page in pages:
        article = page.record.get("article") or {}
        warnings = [note.text for note in page.notes if note.level == "warning"]
        warning_cell = "".join(f"<div>{escape(text)}</div>" for text in warnings) or '<small>none</small>'
        rows.append(
            f'<tr data-key="{escape(page.key)}"><td><a href="{escape(page.href)}">{escape(_title(article, page.key))}</a>'
            f"<br><small>{escape(page.key)}</small></td>"
            f"<td>{_text_or_dash(article.get('outlet'))}</td>"
            f"<td>{_published(article)}</td>"
            f'<td class="num">{len(page.record.get("claims") or [])}</td>'
            f'<td class="warnings" data-count="{len(warnings)}">{warning_cell}</td></tr>'
        )
    claims = sum(len(page.record.get("claims") or []) for page in pages)
    flagged = sum(any(note.level == "warning" for note in page.notes) for page in pages)
    body = (
        "<header><h1>Casualty claims: review</h1>"
        f"<p>{len(pages)} articles, {claims} claims, {flagged} with warnings."
        + (' <a href="incidents.html">Incidents across articles</a>.' if incidents else "")
        + "</p></header>"
        "<main><table id=\"articles\"><thead><tr><th>Article</th><th>Outlet</th><th>Published (from)</th>"
        "<th>Claims</th><th>Warnings</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></main>"
    )
    return _document("Casualty claims: review", body)


def article_html(page: Page) -> str:
    """One article: metadata, warnings, highlighted text, and the claim table."""
    record = page.record
    article = record.get("article") or {}
    claims = list(record.get("claims") or [])
    title = _title(article, page.key)
    notes = "".join(f'<li class="{note.level}">{escape(note.text)}</li>' for note in page.notes)
    legend = "".join(f'<span class="{predicate_class(name)}">{escape(name)}</span>'
                     for name in PREDICATE_COLOURS if name != "other")
    body = (
        '<nav><a href="../index.html">← all articles</a></nav>'
        f"<header><h1>{escape(title)}</h1>{_meta(article, page.key)}"
        f'<section id="notes"><h2>Warnings</h2><ul class="notes">{notes or "<li class=info>none</li>"}</ul></section>'
        f"{_incident(record)}"
        f'<p class="legend">{legend} <small>bold: the count as written; a dark underline: claims overlap</small></p>'
        "</header><main class=\"layout\">"
        f'<article class="text" id="text">{highlighted_text(str(article.get("text") or ""), claims, page.spans)}</article>'
        f'<section id="claims"><h2>Claims ({len(claims)})</h2>{claim_table(claims)}</section>'
        "</main>"
    )
    return _document(title, body)


def highlighted_text(text: str, claims: list[dict[str, Any]], spans: list[Span]) -> str:
    """The article text with each claim's evidence marked and a numbered anchor at its start.

    The anchor ``#claim-<id>`` links to the table row ``#row-<id>``; a segment covered by
    several claims takes the colour of the innermost one (a count, its own claim's) and is
    underlined.
    """
    parts: list[str] = []
    for segment in segments(text, spans):
        for index in segment.starts:
            parts.append(_marker(index, claims[index]))
        piece = escape(text[segment.start:segment.end])
        if not segment.claims:
            parts.append(piece)
            continue
        # A count takes its own claim's colour; elsewhere the innermost claim's wins.
        owner = segment.count_of if segment.count_of is not None else innermost(segment.claims, spans)
        colour = predicate_class(claims[owner].get("predicate"))
        classes = ["ev", colour]
        if len(segment.claims) > 1:
            classes.append("multi")
        if segment.count_of is not None:
            classes.append("cnt")
        ids = " ".join(str(claims[i].get("id")) for i in segment.claims)
        parts.append(f'<mark class="{" ".join(classes)}" data-claims="{escape(ids)}">{piece}</mark>')
    return "".join(parts)


def claim_table(claims: list[dict[str, Any]]) -> str:
    """One row per claim; the number links to its highlight, rows are ``#row-<id>``."""
    head = ("<table><thead><tr><th>#</th><th>Predicate</th><th>Count</th><th>Group</th><th>Actor</th>"
            "<th>Cause</th><th>Places</th><th>Time</th><th>Source</th><th>Rule</th></tr></thead><tbody>")
    rows = []
    for number, claim in enumerate(claims, 1):
        claim_id = escape(str(claim.get("id")))
        rows.append(
            f'<tr id="row-{claim_id}" class="claim">'
            f'<td class="num"><a class="to-text" href="#claim-{claim_id}">{number}</a></td>'
            f'<td class="pred"><span class="{predicate_class(claim.get("predicate"))}">{escape(str(claim.get("predicate")))}</span>'
            f"{_flags(claim)}</td>"
            f"<td>{_count(claim.get('count') or {})}</td>"
            f"<td>{_group(claim)}</td>"
            f"<td>{_labelled(claim.get('actor'))}</td>"
            f"<td>{_labelled(claim.get('cause'))}</td>"
            f"<td>{_places(claim.get('locations') or [])}{_precision(claim.get('where_precision'))}</td>"
            f"<td>{_time(claim.get('time'))}{_precision(claim.get('date_precision'))}</td>"
            f"<td>{_source(claim.get('source'))}</td>"
            f"<td><code>{escape(str(claim.get('rule'))).replace('.', '.<wbr>')}</code><br><small>{claim_id}</small></td></tr>"
        )
    return head + "".join(rows) + "</tbody></table>"


def _marker(index: int, claim: dict[str, Any]) -> str:
    claim_id = escape(str(claim.get("id")))
    count = (claim.get("count") or {}).get("text")
    tip = escape(f"{claim.get('predicate')}: {count} {claim.get('group')}")
    return (f'<a class="mk {predicate_class(claim.get("predicate"))}" id="claim-{claim_id}" '
            f'href="#row-{claim_id}" title="{tip}">{index + 1}</a>')


def _document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No script, no remote anything: the policy makes the promise checkable in a browser.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'\">"
        f"<title>{escape(title)}</title><style>{stylesheet()}</style></head>\n<body>{body}"
        "<footer>Generated by <code>python -m pipeline report</code> from the JSON outputs.</footer></body></html>\n"
    )


def _title(article: dict[str, Any], key: str) -> str:
    return str(article.get("title") or "").strip() or key


def _meta(article: dict[str, Any], key: str) -> str:
    url = article.get("url")
    if isinstance(url, str) and re.match(r"https?://", url, re.IGNORECASE):
        url_html = f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>'
    else:
        url_html = _text_or_dash(url)
    items = [
        ("output", escape(key)),
        ("article file", _text_or_dash(article.get("file"))),
        ("outlet", _text_or_dash(article.get("outlet"))),
        ("byline", _text_or_dash(article.get("byline"))),
        ("url", url_html),
        ("published", _published(article)),
        ("format / encoding", f"{_text_or_dash(article.get('format'))} / {_text_or_dash(article.get('encoding'))}"),
    ]
    captions = [c for c in article.get("captions") or [] if isinstance(c, str)]
    if captions:
        items.append(("captions", "<br>".join(escape(c) for c in captions)))
    return '<dl class="meta">' + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in items) + "</dl>"


def _published(article: dict[str, Any]) -> str:
    published = article.get("published")
    if not published:
        return '<span class="missing">no date</span>'
    origin = article.get("published_from")
    order = article.get("date_order")
    extra = ", ".join(escape(str(part)) for part in (origin, order) if part)
    return f"{escape(str(published))}" + (f" <small>({extra})</small>" if extra else "")


def _incident(record: Record) -> str:
    incident = record.get("incident") or {}
    if not incident.get("claim"):
        return ""
    killed = ", ".join(f"{escape(str(k))} {escape(str(v))}" for k, v in (incident.get("killed") or {}).items()
                       if v is not None)
    location = incident.get("location") or {}
    place = ", ".join(escape(str(part)) for part in (location.get("name"), location.get("admin1"), location.get("country"))
                      if part)
    claim_id = escape(str(incident["claim"]))
    return (f'<p class="incident"><b>Main incident</b> (<a href="#row-{claim_id}">claim {claim_id}</a>): '
            f"{_text_or_dash(incident.get('date'))}; {place or '—'}; actor {_text_or_dash(incident.get('actor'))}; "
            f"cause {_text_or_dash(incident.get('cause'))}; killed {killed or '—'}</p>")


def _count(count: dict[str, Any]) -> str:
    bounds = [] if count.get("qualifier") == "exact" else [
        f"{name} {count[name]}" for name in ("low", "value", "high") if count.get(name) is not None]
    return (f"{escape(str(count.get('text')))}<br><small>{escape(str(count.get('qualifier')))}"
            f"{': ' + escape(', '.join(bounds)) if bounds else ''}</small>")


def _group(claim: dict[str, Any]) -> str:
    text = escape(str(claim.get("group")))
    if claim.get("group_text") and claim.get("group_text") != claim.get("group"):
        text += f" <small>({escape(str(claim['group_text']))})</small>"
    includes = claim.get("includes") or []
    if includes:
        listed = "; ".join(f"{(item.get('count') or {}).get('text')} {item.get('group')}" for item in includes)
        text += f"<br><small>including {escape(listed)}</small>"
    return text


def _labelled(value: Any) -> str:
    if not isinstance(value, dict):
        return "—"
    return f"{escape(str(value.get('id')))}<br><small>“{escape(str(value.get('text')))}”</small>"


def _places(locations: list[dict[str, Any]]) -> str:
    if not locations:
        return "—"
    shown = []
    for place in locations:
        parts = [str(part) for part in (place.get("name"), place.get("admin1"), place.get("country")) if part]
        shown.append(escape(", ".join(dict.fromkeys(parts))))
    return "<br>".join(shown)


def _time(time: Any) -> str:
    if not isinstance(time, dict):
        return "—"
    start, end = time.get("start"), time.get("end")
    if not start and not end:
        interval = "unresolved"
    elif start == end:
        interval = f'<span class="date">{escape(str(start))}</span>'
    else:
        interval = f'<span class="date">{escape(str(start))} –</span><br><span class="date">{escape(str(end))}</span>'
    return f"{interval}<br><small>“{escape(str(time.get('text')))}”</small>"


def _source(source: Any) -> str:
    if not isinstance(source, dict):
        return "—"
    name = source.get("name")
    text = escape(str(name)) if name else ""
    return f"{text}<br><small>“{escape(str(source.get('text')))}”</small>" if text else f"“{escape(str(source.get('text')))}”"


def _precision(code: Any) -> str:
    """A claim's where/date precision code under its place or time ("precision: town")."""
    return f"<br><small>precision: {escape(str(code))}</small>" if code else ""


def _flags(claim: dict[str, Any]) -> str:
    flags = []
    if claim.get("section") == "title":
        flags.append("title")
    if claim.get("scope") and claim.get("scope") != "incident":
        flags.append(str(claim["scope"]).replace("_", " "))
    elif claim.get("cumulative"):
        flags.append("cumulative")
    if claim.get("status") and claim.get("status") != "reported":
        flags.append(str(claim["status"]))
    if claim.get("inherited"):
        flags.append("inherited: " + ", ".join(str(x) for x in claim["inherited"]))
    return f"<br><small>{escape('; '.join(flags))}</small>" if flags else ""


def _text_or_dash(value: Any) -> str:
    return escape(str(value)) if value not in (None, "") else "—"
