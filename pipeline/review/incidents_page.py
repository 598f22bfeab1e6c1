"""Incident pages of the review site: the linker's incidents (``_incidents.json``) for a reader.

``incidents.html`` lists every incident reported by two articles or more (then the rest) with
its grade, independent sources, date, place and spread (the lowest and highest figure any
source gives). ``incidents/<id>.html`` shows one incident: its grade and why, UCDP low/best/high
and the ACLED conservative figure, and each report's figure as a range bar on one shared axis,
with its qualifier, status, source, perpetrator and a link to the claim's highlighted evidence
on the article's page. Kept apart from report.py, which only calls :func:`write_incident_pages`
and links the list from its index, so the two change independently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

INCIDENTS_DIR = "incidents"
INDEX = "incidents.html"
GRADE_TEXT = {
    "single_source": "single source: one independent source",
    "corroborated": "corroborated: two or more independent sources agree within their ranges",
    "contested": "contested: independent sources disagree",
    "acknowledged": "acknowledged: the perpetrator itself gave the figure",
}

STYLE = """
.bar{position:relative;height:1.1rem;background:#f3f3f3;border:1px solid #ddd;min-width:16rem}
.bar span{position:absolute;top:2px;bottom:2px;background:#c0392b;border-radius:2px;min-width:3px}
.bar span.open{background:linear-gradient(90deg,#c0392b,#f3f3f3)}
.bar span.copy{background:#999}
.grade{display:inline-block;padding:0 .5rem;border-radius:3px;background:#eee}
.g-corroborated{background:#b9e3cf}.g-contested{background:#f7c98b}.g-acknowledged{background:#a9d5f5}
"""


def write_incident_pages(incidents: Mapping[str, Any], article_pages: Mapping[str, str], out: Path,
                         document: Any) -> list[Path]:
    """Write the incident list and pages; ``article_pages`` maps ``article.file`` to its page's href;
    ``document(title, body)`` wraps a page like every other page of the site."""
    target = out / INCIDENTS_DIR
    target.mkdir(parents=True, exist_ok=True)
    listed = sorted(incidents.get("incidents") or [],
                    key=lambda i: (-len(i.get("reports") or []), -_number(i.get("sources")), str(i.get("id"))))
    written = [out / INDEX]
    (out / INDEX).write_text(document("Incidents", _index_body(listed)), encoding="utf-8")
    for incident in listed:
        path = target / page_name(incident)
        path.write_text(document(f"Incident {incident['id']}", incident_body(incident, article_pages)),
                        encoding="utf-8")
        written.append(path)
    keep = {path.name for path in written}
    for stale in sorted(target.glob("*.html")):
        if stale.name not in keep:
            stale.unlink()
    return written


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def page_name(incident: Mapping[str, Any]) -> str:
    """The incident page's file name: its id, with anything but letters, digits, ``.``, ``_`` and
    ``-`` replaced, so an edited ``_incidents.json`` cannot name a file outside the site."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", str(incident.get("id"))).lstrip(".") + ".html"


def _place(incident: Mapping[str, Any]) -> str:
    location = incident.get("location") or {}
    parts = [str(location[key]) for key in ("town", "admin1", "country") if location.get(key)]
    return ", ".join(parts) or "—"


def _dates(incident: Mapping[str, Any]) -> str:
    date = incident.get("date") or {}
    start, end = date.get("start"), date.get("end")
    if not start:
        return "—"
    return start if start == end else f"{start} – {end}"


def spread(incident: Mapping[str, Any]) -> str:
    figures = incident.get("figures") or {}
    low, high = figures.get("low"), figures.get("high")
    if low is None and high is None:
        return "—"
    return str(low if low is not None else "?") if low == high else f"{low if low is not None else '?'}–{high if high is not None else '?'}"


def _index_body(incidents: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for incident in incidents:
        grade = str(incident.get("grade"))
        rows.append(
            f'<tr><td><a href="{INCIDENTS_DIR}/{escape(page_name(incident))}">{escape(str(incident["id"]))}</a>'
            f"<br><small>{escape(str(incident.get('type')))}</small></td>"
            f'<td><span class="grade g-{escape(grade)}">{escape(grade)}</span></td>'
            f'<td class="num">{len(incident.get("reports") or [])}</td>'
            f'<td class="num">{escape(str(incident.get("sources")))}</td>'
            f'<td class="date">{escape(_dates(incident))}</td><td>{escape(_place(incident))}</td>'
            f'<td>{escape(str(incident.get("actor") or "—"))}</td>'
            f'<td class="num">{escape(spread(incident))}</td></tr>'
        )
    linked = sum(1 for incident in incidents if len(incident.get("reports") or []) > 1)
    return (
        f'<style>{STYLE}</style><nav><a href="index.html">← all articles</a></nav>'
        f"<header><h1>Incidents</h1><p>{len(incidents)} incidents, {linked} reported by two articles or more.</p>"
        "</header><main><table id=\"incidents\"><thead><tr><th>Incident</th><th>Grade</th><th>Reports</th>"
        "<th>Sources</th><th>Date</th><th>Place</th><th>Perpetrator</th><th>Spread (low–high)</th></tr></thead><tbody>\n"
        + "\n".join(rows) + "\n</tbody></table></main>"
    )


def _axis_max(reports: Sequence[Mapping[str, Any]]) -> int:
    values = [v for report in reports for v in (report.get("low"), report.get("best"), report.get("high"))
              if isinstance(v, int)]
    return max(max(values, default=1) * 11 // 10, 1)


def range_bar(report: Mapping[str, Any], axis: int) -> str:
    """One report's figure on the shared axis: its range, an open end fading out, a point as a tick."""
    low, best, high = report.get("low"), report.get("best"), report.get("high")
    if best is None:
        return '<div class="bar"></div>'
    start = low if isinstance(low, int) else 0
    end = high if isinstance(high, int) else axis
    left = start * 100 // axis
    width = max((end - start) * 100 // axis, 1)
    classes = " ".join(c for c in ("open" if high is None and low is not None else "",
                                   "copy" if report.get("duplicate_of") else "") if c)
    title = f"{start}–{'…' if high is None else end}"
    return (f'<div class="bar" title="{escape(title)}"><span class="{classes}" '
            f'style="left:{left}%;width:{width}%"></span></div>')


def incident_body(incident: Mapping[str, Any], article_pages: Mapping[str, str]) -> str:
    reports = list(incident.get("reports") or [])
    axis = _axis_max(reports)
    figures = incident.get("figures") or {}
    grade = str(incident.get("grade"))
    why = ""
    if incident.get("contested"):
        why = f" ({escape(', '.join(incident['contested']))} disagree)"
    rows = []
    for report in reports:
        href = article_pages.get(str(report.get("article")))
        claim = escape(str(report.get("claim")))
        link = (f'<a href="../{escape(href)}#claim-{claim}">{escape(str(report.get("title") or report.get("article")))}</a>'
                if href else escape(str(report.get("article"))))
        count = report.get("count") or {}
        copy = f'<br><small>copy of {escape(str(report["duplicate_of"]))}</small>' if report.get("duplicate_of") else ""
        flags = "".join(f"<div><small>{escape(str(flag))}</small></div>" for flag in report.get("flags") or [])
        rows.append(
            f"<tr><td>{link}<br><small>{escape(str(report.get('article')))} · claim {claim}</small>{copy}</td>"
            f"<td>{escape(str(report.get('published') or '—'))}</td>"
            f"<td>{escape(str(report.get('source') or '—'))}</td>"
            f"<td><b>{escape(str(count.get('text') or '—'))}</b> <small>{escape(str(count.get('qualifier') or ''))}, "
            f"{escape(str(report.get('status') or ''))}</small></td>"
            f"<td>{range_bar(report, axis)}</td>"
            f"<td>{escape(str(report.get('actor') or '—'))}{' <small>(admits)</small>' if report.get('acknowledged') else ''}</td>"
            f"<td class=\"num\">{'—' if report.get('deviation') is None else escape(str(report['deviation']))}</td>"
            f"<td>{flags or '<small>none</small>'}</td></tr>"
        )
    perpetrators = "".join(
        f"<li>{escape(str(p.get('actor')))}: named by {len(p.get('named_by') or [])}</li>"
        for p in incident.get("perpetrators") or []) or "<li>none named</li>"
    return (
        f'<style>{STYLE}</style><nav><a href="../{INDEX}">← all incidents</a> · <a href="../index.html">all articles</a></nav>'
        f"<header><h1>Incident {escape(str(incident.get('id')))}</h1>"
        f'<p><span class="grade g-{escape(grade)}">{escape(GRADE_TEXT.get(grade, grade))}</span>{why}</p>'
        '<dl class="meta">'
        f"<dt>Type</dt><dd>{escape(str(incident.get('type')))}</dd>"
        f"<dt>Date</dt><dd>{escape(_dates(incident))}</dd><dt>Place</dt><dd>{escape(_place(incident))}</dd>"
        f"<dt>Cause</dt><dd>{escape(str(incident.get('cause') or '—'))}</dd>"
        f"<dt>Independent sources</dt><dd>{escape(str(incident.get('sources')))}</dd>"
        f"<dt>Killed (UCDP)</dt><dd>low {escape(str(figures.get('low')))}, best {escape(str(figures.get('best')))}, "
        f"high {escape(str(figures.get('high')))}</dd>"
        f"<dt>Conservative (ACLED)</dt><dd>{escape(str(figures.get('conservative')))}</dd>"
        f"</dl><h2>Perpetrators named</h2><ul>{perpetrators}</ul></header>"
        f"<main><h2>Reports ({len(reports)}), figures on one axis from 0 to {axis}</h2>"
        '<table id="reports"><thead><tr><th>Report (link: highlighted evidence)</th><th>Published</th><th>Source</th>'
        "<th>Figure</th><th>Range</th><th>Perpetrator</th><th>Deviation</th><th>Flags</th></tr></thead><tbody>\n"
        + "\n".join(rows) + "\n</tbody></table></main>"
    )
