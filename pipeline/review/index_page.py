"""The review site's index: every article in one table, with its incident, and the filters.

Without scripts the page is the whole table, the charts and their links. With the inline
script (assets/index.js) the columns sort, the filters and the search narrow the rows, and
the keys move through them. Each row carries what the filters test as ``data-*`` attributes,
values joined by ``|`` between bars (``|SY|SY/Aleppo|``) so one value never matches inside
another; the searchable words (title and text, folded to lower case) sit in one JSON block
beside the table, not in the visible cells.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

from pipeline.review.scripts import data_block

if TYPE_CHECKING:
    from pipeline.review.report import Page, Site

# Filters: (row attribute, label of the "any" option); the order they show in.
FILTERS = (("outlet", "any outlet"), ("places", "any country or division"), ("actors", "any perpetrator"),
           ("causes", "any cause"), ("predicates", "any predicate"), ("grade", "any grade"))
LABELS = {"outlet": "outlet", "places": "place", "actors": "perpetrator", "causes": "cause",
          "predicates": "predicate", "grade": "grade"}
GRADE_ORDER = ("acknowledged", "corroborated", "contested", "single_source", "none")


def index_body(site: Site, charts: str) -> str:
    """The index's ``<body>`` content: header, charts, filters, the table and its search data."""
    pages = site.pages
    rows = [_row(site, number, page) for number, page in enumerate(pages)]
    claims = sum(len(page.record.get("claims") or []) for page in pages)
    flagged = sum(any(note.level == "warning" for note in page.notes) for page in pages)
    reviewed = sum(len(page.review.by_claim) for page in pages if page.review)
    links = []
    if site.incidents is not None:
        links.append('<a href="incidents.html">Incidents across articles</a>.')
    if reviewed:
        links.append(f"{reviewed} claims reviewed.")
    header = (
        "<header><h1>Casualty claims: review</h1>"
        f"<p>{len(pages)} articles, {claims} claims, {flagged} with warnings."
        + "".join(f" {link}" for link in links) + "</p>"
        '<p class="keys" hidden>Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous article, <kbd>Enter</kbd> open it, '
        "<kbd>/</kbd> search; on an article <kbd>j</kbd>/<kbd>k</kbd> next/previous claim, "
        "<kbd>n</kbd>/<kbd>p</kbd> next/previous article, <kbd>u</kbd> back here.</p></header>"
    )
    table = (
        '<table id="articles"><thead><tr>'
        '<th data-type="text">Article</th><th data-type="text">Outlet</th><th data-type="text">Published (from)</th>'
        '<th data-type="text">Event date</th><th data-type="text">Place</th><th data-type="text">Perpetrator</th>'
        '<th data-type="num">Killed</th><th data-type="num">Grade</th><th data-type="num">Claims</th>'
        '<th data-type="num">Warnings</th>'
        "</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    search = data_block("search-text", json.dumps([_search_text(page) for page in pages], ensure_ascii=False,
                                                  separators=(",", ":")))
    return header + f"<main>{charts}{filter_form(site)}{table}{search}</main>"


def filter_form(site: Site) -> str:
    """The filter controls, hidden until the script shows them (they do nothing without it)."""
    values: dict[str, Counter[str]] = {name: Counter() for name, _ in FILTERS}
    for page in site.pages:
        facets = page_facets(site, page)
        for name, _ in FILTERS:
            values[name].update(facets[name])
    selects = []
    for name, anything in FILTERS:
        counted = values[name]
        if not counted:
            continue
        ordered = sorted(counted, key=lambda v: (GRADE_ORDER.index(v) if v in GRADE_ORDER else 99, v)
                         ) if name == "grade" else sorted(counted, key=lambda v: (v.casefold(), v))
        options = "".join(f'<option value="{escape(v)}">{escape(_option_label(name, v))} ({counted[v]})</option>'
                          for v in ordered)
        selects.append(f'<label>{LABELS[name]} <select data-key="{name}"><option value="">{anything}</option>'
                       f"{options}</select></label>")
    return (
        '<form id="filters" hidden><fieldset><legend>Find articles</legend>'
        '<label>search <input type="search" id="q" placeholder="words of the title or text" size="28"></label>'
        + "".join(selects)
        + '<label>event date from <input type="date" id="from"></label>'
        '<label>to <input type="date" id="to"></label>'
        '<label><input type="checkbox" id="warned"> has warnings</label>'
        '<button type="reset" id="clear">clear</button>'
        f' <output id="shown">{len(site.pages)} of {len(site.pages)} articles</output>'
        "</fieldset></form>"
    )


def page_facets(site: Site, page: Page) -> dict[str, list[str]]:
    """What each filter tests on one article: its outlet, the places, perpetrators, causes and
    predicates of its claims (as reviewed) and of its incident, and its incident's grade."""
    record = page.record
    article = record.get("article") or {}
    incident = record.get("incident") or {}
    places: list[str] = []
    actors: list[str] = []
    causes: list[str] = []
    predicates: list[str] = []
    for _index, claim, _verdict in site.reviewed_claims(page):
        predicates.append(str(claim.get("predicate")))
        actors.extend(_ids([claim.get("actor")]))
        causes.extend(_ids([claim.get("cause")]))
        places.extend(place_keys(claim.get("locations") or []))
    places.extend(place_keys([incident.get("location")]))
    actors.extend(str(v) for v in (incident.get("actor"),) if v)
    causes.extend(str(v) for v in (incident.get("cause"),) if v)
    grade = site.grade_of(page)
    return {
        "outlet": _unique([str(article.get("outlet") or "(none)")]),
        "places": _unique(places),
        "actors": _unique(actors),
        "causes": _unique(causes),
        "predicates": _unique(predicates),
        "grade": _unique([grade or "none"]),
    }


def place_keys(locations: Iterable[Any]) -> list[str]:
    """``SY`` and ``SY/Aleppo`` for each place with a country (and a first-level division)."""
    keys = []
    for place in locations:
        if not isinstance(place, Mapping) or not place.get("country"):
            continue
        keys.append(str(place["country"]))
        if place.get("admin1"):
            keys.append(f"{place['country']}/{place['admin1']}")
    return keys


def toll(incident: Mapping[str, Any]) -> int | None:
    """The incident's death toll as the worldwide set reads it: ``total``, else ``people``, else
    civilians + fighters; None when the incident gives no figure."""
    killed = incident.get("killed") or {}
    for name in ("total", "people"):
        if isinstance(killed.get(name), int):
            return int(killed[name])
    parts = [killed.get(name) for name in ("civilians", "fighters") if isinstance(killed.get(name), int)]
    if parts:
        return sum(parts)
    others = [v for v in killed.values() if isinstance(v, int)]
    return max(others) if others else None


def _row(site: Site, number: int, page: Page) -> str:
    from pipeline.review.report import published_cell, title_of  # noqa: PLC0415 - report imports this module

    record = page.record
    article = record.get("article") or {}
    incident = record.get("incident") or {}
    warnings = [note.text for note in page.notes if note.level == "warning"]
    warning_cell = "".join(f"<div>{escape(text)}</div>" for text in warnings) or "<small>none</small>"
    facets = page_facets(site, page)
    attributes = "".join(f' data-{name}="{escape(_joined(facets[name]))}"' for name, _ in FILTERS)
    date = str(incident.get("date") or article.get("published") or "")
    location = incident.get("location") or {}
    place = ", ".join(dict.fromkeys(str(location[k]) for k in ("name", "admin1", "country") if location.get(k)))
    actor = str(incident.get("actor") or "")
    killed = toll(incident) if incident.get("claim") else None
    breakdown = ", ".join(f"{name} {value}" for name, value in (incident.get("killed") or {}).items()
                          if isinstance(value, int) and name != "total")
    grade = site.grade_of(page)
    reviewed = len(page.review.by_claim) if page.review else 0
    title = title_of(article, page.key)
    claims = len(record.get("claims") or [])
    return (
        f'<tr data-key="{escape(page.key)}" data-i="{number}"{attributes} data-date="{escape(date)}"'
        f' data-warned="{1 if warnings else 0}">'
        f'<td data-sort="{escape(title.casefold())}"><a href="{escape(page.href)}">{escape(title)}</a>'
        f"<br><small>{escape(page.key)}</small></td>"
        f"<td>{_text_or_dash(article.get('outlet'))}</td>"
        f'<td data-sort="{escape(str(article.get("published") or ""))}">{published_cell(article)}</td>'
        f'<td class="date">{escape(date) or "—"}</td>'
        f"<td>{escape(place) or '—'}</td>"
        f"<td>{escape(actor) or '—'}</td>"
        f'<td class="num" data-sort="{"" if killed is None else killed}">'
        f"{'—' if killed is None else killed}{f'<br><small>{escape(breakdown)}</small>' if breakdown else ''}</td>"
        f'<td data-sort="{GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)}">{_grade_cell(site, page)}</td>'
        f'<td class="num" data-sort="{claims}">{claims}'
        f"{f'<br><small>{reviewed} reviewed</small>' if reviewed else ''}</td>"
        f'<td class="warnings" data-count="{len(warnings)}">{warning_cell}</td></tr>'
    )


def _grade_cell(site: Site, page: Page) -> str:
    incident = site.incident_of(page)
    if incident is None:
        return "—"
    grade = str(incident.get("grade"))
    reports = len(incident.get("reports") or [])
    return (f'<a class="grade g-{escape(grade)}" href="{escape(site.incident_href(incident))}">{escape(grade)}</a>'
            f"<br><small>{reports} report{'s' if reports != 1 else ''}</small>")


def _search_text(page: Page) -> str:
    """The words of the title and text, folded, each once, in the order they first come: search
    finds the articles that hold every word typed (or a word that starts or holds it), and one
    copy of each word is half the weight of the text."""
    article = page.record.get("article") or {}
    return " ".join(dict.fromkeys(fold(f"{article.get('title') or ''} {article.get('text') or ''}")))


def fold(text: str) -> list[str]:
    """The words search compares: lower case, without accents, split at anything but letters and
    digits (the script folds the query the same way)."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFKD", lowered)
        marks = {ord(ch): None for ch in set(lowered) if unicodedata.category(ch).startswith("M")}
        lowered = lowered.translate(marks)
    return _WORD.findall(lowered)


_WORD = re.compile(r"[^\W_]+")


def _ids(values: Iterable[Any]) -> list[str]:
    return [str(value["id"]) for value in values if isinstance(value, Mapping) and value.get("id")]


def _unique(values: Iterable[str]) -> list[str]:
    # "|" separates values in the row's attribute: a value never holds one.
    return list(dict.fromkeys(value.replace("|", "/") for value in values))


def _joined(values: list[str]) -> str:
    return "|" + "|".join(values) + "|" if values else ""


def _option_label(name: str, value: str) -> str:
    return value.replace("/", " · ") if name == "places" else value.replace("_", " ") if name == "grade" else value


def _text_or_dash(value: Any) -> str:
    return escape(str(value)) if value not in (None, "") else "—"
