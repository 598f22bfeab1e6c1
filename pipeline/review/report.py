"""The offline review site: an index of articles and one page per article.

Every value from an output goes through ``html.escape``, numbers included: article
text is untrusted (an article quoting ``<script>`` shows it as text), and so are titles,
URLs, rule ids and figures (an output edited by hand can hold anything; ``report``
also skips outputs that do not validate against the schema). Links to the article's URL are made only for ``http(s)://`` URLs, so a sidecar
cannot smuggle a ``javascript:`` link. Pages are byte-stable for the same outputs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from pipeline.review import charts, index_page
from pipeline.review.apply import ArticleReview, Match, changes, corrected_claim, review_records
from pipeline.review.checks import Note, article_notes
from pipeline.review.corrections import FIELDS, Correction, claim_values
from pipeline.review.highlight import Span, claim_spans, innermost, segments
from pipeline.review.load import Record
from pipeline.review.scripts import data_block, inline, policy, script
from pipeline.review.style import PREDICATE_COLOURS, predicate_class, stylesheet

ARTICLES_DIR = "articles"


@dataclass(frozen=True)
class Page:
    """One article's page: where it goes, what the index says about it, and its review."""

    key: str
    href: str
    record: Record
    spans: list[Span]
    notes: list[Note]
    review: ArticleReview | None = None


@dataclass
class Site:
    """Everything the pages share: the articles in index order, the linked incidents, the reviews."""

    pages: list[Page]
    incidents: dict[str, Any] | None = None
    _incident_of: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def incident_of(self, page: Page) -> dict[str, Any] | None:
        """The linked incident holding this article's main claim, if any."""
        claim = (page.record.get("incident") or {}).get("claim")
        return self._incident_of.get((_file_of(page), str(claim))) if claim else None

    def grade_of(self, page: Page) -> str | None:
        incident = self.incident_of(page)
        return str(incident.get("grade")) if incident else None

    @staticmethod
    def incident_href(incident: dict[str, Any]) -> str:
        from pipeline.review.incidents_page import INCIDENTS_DIR, page_name  # noqa: PLC0415

        return f"{INCIDENTS_DIR}/{page_name(incident)}"

    @staticmethod
    def reviewed_claims(page: Page) -> list[tuple[int, dict[str, Any], str | None]]:
        """``(index, claim, verdict)`` of each claim as reviewed: a claim judged wrong is left out,
        a corrected one carries the reviewer's values."""
        result = []
        for index, claim in enumerate(page.record.get("claims") or []):
            match = page.review.by_claim.get(index) if page.review else None
            if match is None:
                result.append((index, claim, None))
            elif match.correction.verdict != "wrong":
                result.append((index, corrected_claim(claim, match.correction), match.correction.verdict))
        return result

    @staticmethod
    def verdict_of(page: Page, index: int) -> str | None:
        match = page.review.by_claim.get(index) if page.review else None
        return match.correction.verdict if match else None


def write_report(records: dict[str, Record], out: Path, incidents: dict[str, Any] | None = None,
                 corrections: dict[str, list[Correction]] | None = None) -> list[Path]:
    """Write ``index.html``, ``articles/*.html`` and the chart pages ``claims/*.html`` under ``out``;
    returns the files written.

    Pages of articles that are gone are deleted, so the folder mirrors ``records``. With
    ``incidents`` (the linker's ``_incidents.json``), the incident pages too (incidents_page.py).
    With ``corrections`` (corrections.py), every page shows the claims as reviewed.
    """
    return write_site(build_site(records, incidents, corrections), out)


def write_site(site: Site, out: Path) -> list[Path]:
    """Write every page of ``site`` under ``out`` (see :func:`write_report`)."""
    incidents = site.incidents
    target = out / ARTICLES_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = [write_index(site, out)]
    for number in range(len(site.pages)):
        written.append(write_article(site, number, out))
    _remove_stale(target, written)
    written += _write_claim_lists(site, out)
    if incidents is not None:
        from pipeline.review.incidents_page import write_incident_pages

        by_file = {_file_of(page): page.href for page in site.pages}
        written += write_incident_pages(incidents, by_file, out, _document)
    return written


def build_site(records: dict[str, Record], incidents: dict[str, Any] | None = None,
               corrections: dict[str, list[Correction]] | None = None) -> Site:
    """The pages in key order with their reviews, and the incident of each main claim."""
    reviews = review_records(records, corrections or {})
    pages = plan_pages(records, reviews)
    incident_of: dict[tuple[str, str], dict[str, Any]] = {}
    for incident in (incidents or {}).get("incidents") or []:
        for report in incident.get("reports") or []:
            incident_of[(str(report.get("article")), str(report.get("claim")))] = incident
    return Site(pages, incidents, incident_of)


def write_index(site: Site, out: Path) -> Path:
    """``index.html``: the charts and the table of articles."""
    plotted = charts.plotted_claims(site)
    grouped = charts.groups(site, plotted)
    body = index_page.index_body(site, charts.charts_html(site, grouped, plotted))
    path = out / "index.html"
    path.write_text(_document("Casualty claims: review", body, (script("index"),), extra_style=charts.STYLE),
                    encoding="utf-8")
    return path


def write_article(site: Site, number: int, out: Path) -> Path:
    """One article's page (rewritten alone by ``review --serve`` after a verdict)."""
    page = site.pages[number]
    before = site.pages[number - 1].href if number > 0 else None
    after = site.pages[number + 1].href if number + 1 < len(site.pages) else None
    path = out / page.href
    path.write_text(article_html(page, before, after), encoding="utf-8")
    return path


def _write_claim_lists(site: Site, out: Path) -> list[Path]:
    """The pages behind the charts' bars and lanes, ``claims/<facet>-<key>.html``."""
    plotted = charts.plotted_claims(site)
    grouped = charts.groups(site, plotted)
    target = out / charts.CLAIMS_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    # The groups the charts link to: the bars (with their "other" bar) and the timeline's lanes.
    every = [group for facet in ("place", "actor", "cause") for group in charts.bar_groups(grouped, facet)]
    every += charts.timeline_lanes(grouped["source"])
    for group in every:
        path = out / group.href
        title = f"Claims of killing: {group.label}"
        path.write_text(_document(title, charts.claims_page_body(site, group)), encoding="utf-8")
        written.append(path)
    _remove_stale(target, written)
    return written


def _remove_stale(folder: Path, written: list[Path]) -> None:
    keep = {path.name for path in written}
    for stale in sorted(folder.glob("*.html")):
        if stale.name not in keep:
            stale.unlink()


def plan_pages(records: dict[str, Record], reviews: dict[str, ArticleReview] | None = None) -> list[Page]:
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
        review = (reviews or {}).get(key)
        notes = article_notes(record, spans) + review_notes(review)
        pages.append(Page(key, f"{ARTICLES_DIR}/{name}.html", record, spans, notes, review))
    return pages


def review_notes(review: ArticleReview | None) -> list[Note]:
    """Stale corrections are warnings (a verdict that no longer applies); missed figures are told."""
    if review is None:
        return []
    notes = [Note("warning", f"correction of claim {c.claim} ({c.verdict}, \"{c.count_text}\") matches no claim: "
                             f"stale ({c.file or 'corrections'})") for c in review.stale]
    for match in review.missed:
        state = "now extracted" if match.index is not None else "still missed"
        notes.append(Note("info", f"a reviewer noted a figure the rules missed: \"{match.correction.count_text}\" "
                                  f"({match.correction.predicate or 'claim'}; {state})"))
    return notes


def article_html(page: Page, before: str | None = None, after: str | None = None) -> str:
    """One article: metadata, warnings, highlighted text, the claim table with its reviews, and
    links to the articles before and after it in the index."""
    record = page.record
    article = record.get("article") or {}
    claims = list(record.get("claims") or [])
    title = _title(article, page.key)
    notes = "".join(f'<li class="{note.level}">{escape(note.text)}</li>' for note in page.notes)
    legend = "".join(f'<span class="{predicate_class(name)}">{escape(name)}</span>'
                     for name in PREDICATE_COLOURS if name != "other")
    around = "".join(f' · <a rel="{rel}" href="../{escape(href)}">{label}</a>'
                     for rel, href, label in (("prev", before, "← previous article"), ("next", after, "next article →"))
                     if href)
    body = (
        f'<nav><a href="../index.html" rel="index">↑ all articles</a>{around}'
        '<span class="keys" hidden> · keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous claim, <kbd>n</kbd>/<kbd>p</kbd> '
        "next/previous article, <kbd>u</kbd> all articles</span></nav>"
        f"<header><h1>{escape(title)}</h1>{_meta(article, page.key)}"
        f'<section id="notes"><h2>Warnings</h2><ul class="notes">{notes or "<li class=info>none</li>"}</ul></section>'
        f"{_incident(record)}"
        f'<p class="legend">{legend} <small>bold: the count as written; a dark underline: claims overlap</small></p>'
        f"{_review_tools(page)}"
        "</header><main class=\"layout\">"
        f'<article class="text" id="text">{highlighted_text(str(article.get("text") or ""), claims, page.spans)}</article>'
        f'<section id="claims"><h2>Claims ({len(claims)})</h2>{claim_table(claims, page.review)}</section>'
        "</main>"
        f"{data_block('review-data', _review_data(page))}"
    )
    return _document(title, body, (script("article"),), connect=True)


def _review_tools(page: Page) -> str:
    """The verdict controls, shown by the page's script: a form moved into the row being judged,
    and a link that saves the article's corrections file (or, under ``review --serve``, a note
    that verdicts are written as they are recorded)."""
    name = str((page.record.get("article") or {}).get("file") or page.key)
    fields = "".join(
        f'<label>{label} <input name="{field_name}" size="14"></label>'
        for field_name, label in (("count", "count"), ("group", "group"), ("actor", "actor"), ("cause", "cause"),
                                  ("place", "place"), ("time", "time"), ("predicate", "predicate")))
    return (
        '<section id="review-tools" hidden><h2>Review</h2>'
        "<p>Judge a claim with its row's <b>judge</b> button: correct, wrong, or corrected fields with a short "
        "reason (count 12, 529-744, 12+ or &lt;=50; place name, division, country code; time 2017-06-01 or "
        "2017-06-01/2017-06-30; actor, cause: ids, "
        f"none for nobody). Verdicts go to <code>corrections/{escape(name)}.yaml</code>: "
        '<span id="save-note">when you are done, <a id="save" download="">save the corrections file</a> '
        'there (it holds this article\'s earlier verdicts too).</span> <output id="review-status"></output></p>'
        '<form id="verdict" hidden><fieldset><legend>Verdict</legend>'
        '<label><input type="radio" name="verdict" value="correct"> correct</label>'
        '<label><input type="radio" name="verdict" value="wrong"> wrong</label>'
        '<label><input type="radio" name="verdict" value="corrected"> corrected:</label>'
        f"{fields}"
        '<label>reason <input name="reason" size="30" maxlength="500"></label>'
        '<button type="submit">record</button> <button type="button" id="cancel">cancel</button>'
        "</fieldset></form></section>"
    )


def _review_data(page: Page) -> str:
    """What the verdict form needs, as JSON: each claim's quote, count text and values, and the
    article's corrections already on file (so a saved file keeps them)."""
    article = page.record.get("article") or {}
    claims = {}
    for claim in page.record.get("claims") or []:
        values = claim_values(claim)
        claims[str(claim.get("id"))] = {
            "quote": " ".join(str((claim.get("evidence") or {}).get("text") or "").split()),
            "count_text": " ".join(str((claim.get("count") or {}).get("text") or "").split()),
            "predicate": claim.get("predicate"),
            "was": values,
            "form": {name: _form_value(values[name]) for name in FIELDS},
        }
    existing: list[dict[str, Any]] = []
    if page.review:
        matches = [*page.review.by_claim.values(), *page.review.missed]
        existing = [match.correction.entry() for match in matches]
        existing += [correction.entry() for correction in page.review.stale]
    data = {"article": str(article.get("file") or page.key), "claims": claims, "corrections": existing}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a place: "name, admin1, country", as corrections.parse_place reads it
        return ", ".join(str(value[key]) for key in ("name", "admin1", "country") if value.get(key))
    return str(value)


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


def claim_table(claims: list[dict[str, Any]], review: ArticleReview | None = None) -> str:
    """One row per claim; the number links to its highlight, rows are ``#row-<id>``; the second
    column holds the reviewer's verdict, the fields corrected (extracted → corrected) and why."""
    head = ("<table><thead><tr><th>#</th><th>Review</th><th>Predicate</th><th>Count</th><th>Group</th><th>Actor</th>"
            "<th>Cause</th><th>Places</th><th>Time</th><th>Source</th><th>Rule</th></tr></thead><tbody>")
    rows = []
    for number, claim in enumerate(claims, 1):
        claim_id = escape(str(claim.get("id")))
        match = review.by_claim.get(number - 1) if review else None
        verdict = f" rv-{match.correction.verdict}" if match else ""
        rows.append(
            f'<tr id="row-{claim_id}" class="claim{verdict}" data-claim="{claim_id}">'
            f'<td class="num"><a class="to-text" href="#claim-{claim_id}">{number}</a></td>'
            f'<td class="review">{_review_cell(claim, match)}'
            '<button type="button" class="judge" hidden>judge</button></td>'
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


_MATCHED = {"id": "", "quote": "found by its quote (its id changed)", "moved": "found by its quote (the sentence or count moved)"}


def _review_cell(claim: dict[str, Any], match: Match | None) -> str:
    if match is None:
        return '<span class="verdict"></span>'
    correction = match.correction
    listed = "".join(f"<div><small>{escape(name)}: {escape(_shown(old))} → </small><b>{escape(_shown(new))}</b></div>"
                     for name, old, new in changes(claim, correction))
    if correction.verdict == "corrected" and not listed:
        listed = "<div><small>the rules now give the corrected values</small></div>"
    how = _MATCHED.get(match.how, "")
    return (f'<span class="verdict v-{escape(correction.verdict)}">{escape(correction.verdict)}</span>{listed}'
            + (f"<div><small>“{escape(correction.reason)}”</small></div>" if correction.reason else "")
            + (f"<div><small>{escape(how)}</small></div>" if how else ""))


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v) or "—"
    return str(value)


def _marker(index: int, claim: dict[str, Any]) -> str:
    claim_id = escape(str(claim.get("id")))
    count = (claim.get("count") or {}).get("text")
    tip = escape(f"{claim.get('predicate')}: {count} {claim.get('group')}")
    return (f'<a class="mk {predicate_class(claim.get("predicate"))}" id="claim-{claim_id}" '
            f'href="#row-{claim_id}" title="{tip}">{index + 1}</a>')


def _document(title: str, body: str, scripts: tuple[str, ...] = (), *, connect: bool = False,
              extra_style: str = "") -> str:
    """A whole page: its stylesheet and scripts inline, and a content policy that lets nothing
    else in (no remote file, no other script; requests only to ``review --serve`` when ``connect``)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, connect=connect)}">'
        f"<title>{escape(title)}</title><style>{stylesheet()}{extra_style}</style></head>\n<body>{body}"
        "<footer>Generated by <code>python -m pipeline report</code> from the JSON outputs.</footer>"
        + "".join(inline(text) for text in scripts) + "</body></html>\n"
    )


def title_of(article: dict[str, Any], key: str) -> str:
    """The article's title, else its output key."""
    return _title(article, key)


def published_cell(article: dict[str, Any]) -> str:
    """The publication date with where it came from, as HTML."""
    return _published(article)


def _file_of(page: Page) -> str:
    return str((page.record.get("article") or {}).get("file") or page.key)


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
