"""Pictures of the corpus's claims of killing, drawn offline as inline SVG, and the claim lists
behind them.

Python writes the SVG, so the charts need no script, no library in the page and no network, and
their bytes are fixed by the outputs (integer coordinates, fixed orders). What is drawn is each
claim of killing as reviewed (a claim judged wrong is left out, a corrected one drawn with the
reviewer's values):

- a timeline of claimed tolls per source: one lane per source (the organisation the figure is
  attributed to, else the outlet), each claim at its date on a log scale of the toll, a range
  ("529–744") as a bar from its low to its high figure, an open figure ("at least 12") as a bar
  fading out above it, a running total in grey. Each mark links to its claim's row.
- bars by first-level division, perpetrator and cause: the number of claims, their running
  totals shaded apart. Each bar links to a page listing the claims behind it (``claims/``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from pipeline.review.corrections import count_bounds

if TYPE_CHECKING:
    from pipeline.review.report import Page, Site

CLAIMS_DIR = "claims"
BARS = 14  # bars shown per chart; the rest share one "other" bar
LANES = 8  # timeline lanes; the other sources share one

STYLE = """
#charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(21rem,1fr));gap:.6rem 1.2rem;margin:.4rem 0 1rem}
#charts figure{margin:0;background:#fff;border:1px solid #ddd;padding:.4rem .6rem;contain:layout paint}
#charts figure.wide{grid-column:1/-1}
#charts figcaption{font-size:13px;color:#333;margin-bottom:.2rem}
svg.chart{display:block;width:100%;height:auto;font:11px system-ui,sans-serif}
svg.chart text{fill:#333}
svg.chart a:hover rect,svg.chart a:focus rect{stroke:#0645ad;stroke-width:1.5}
svg.chart a:hover circle,svg.chart a:focus circle{stroke:#0645ad;stroke-width:2}
.m{fill:#c0392b}.m.cum{fill:#5d6d7e}.bar-i{fill:#c0392b}.bar-c{fill:#d5a6a0}
.lane{fill:#f7f7f7}.grid{stroke:#e2e2e2;stroke-width:1}.axis{stroke:#999;stroke-width:1}
.legend{font-size:12px;color:#444}.legend i{display:inline-block;width:.8rem;height:.8rem;vertical-align:-1px;margin:0 .2rem 0 .6rem}
"""


@dataclass(frozen=True)
class Plotted:
    """One claim of killing as the charts see it: the reviewed claim and where it lives."""

    page: Page
    index: int
    claim: Mapping[str, Any]

    @property
    def href(self) -> str:
        return f"{self.page.href}#row-{self.claim.get('id')}"


@dataclass(frozen=True)
class Group:
    """The claims behind one bar or lane, and the page that lists them."""

    facet: str
    key: str
    label: str
    claims: list[Plotted]
    href: str
    index_filter: str  # the index's hash for the same articles, "" when no filter matches


def plotted_claims(site: Site) -> list[Plotted]:
    """Every claim of killing, as reviewed, in article then document order."""
    return [Plotted(page, index, claim) for page in site.pages for index, claim, _ in site.reviewed_claims(page)
            if claim.get("predicate") == "killed"]


def groups(site: Site, plotted: list[Plotted]) -> dict[str, list[Group]]:
    """The claims by division, perpetrator, cause and source, largest first, with unique pages."""
    keyers: dict[str, Callable[[Plotted], tuple[str, str, str]]] = {
        "place": _place_key, "actor": _actor_key, "cause": _cause_key, "source": _source_key}
    taken: set[str] = set()
    result: dict[str, list[Group]] = {}
    for facet, keyer in keyers.items():
        found: dict[str, list[Plotted]] = {}
        labels: dict[str, tuple[str, str]] = {}
        for item in plotted:
            key, label, index_filter = keyer(item)
            found.setdefault(key, []).append(item)
            labels[key] = (label, index_filter)
        # What is known first, largest first; then the claims without one ("no place", "none named").
        ordered = sorted(found, key=lambda k: (_vague(facet, k), -len(found[k]), labels[k][0].casefold(), k))
        result[facet] = [Group(facet, key, labels[key][0], found[key], _unique_href(facet, key, taken), labels[key][1])
                         for key in ordered]
    return result


def charts_html(site: Site, grouped: Mapping[str, list[Group]], plotted: list[Plotted]) -> str:
    """The charts section of the index (empty when no claim of killing is left to draw)."""
    if not plotted:
        return '<section id="charts"><p><small>No claims of killing to chart.</small></p></section>'
    drawable = [item for item in plotted if _date_of(item) is not None and any(v is not None for v in _bounds(item))]
    first, last = period(site)
    dated = [item for item in drawable if first is None or last is None or first <= _date_of(item) <= last]  # type: ignore[operator]
    outside = len(drawable) - len(dated)
    figures = [
        ("timeline", f"Claimed tolls over time, by source ({len(dated)} claims of killing; log scale; "
                     "each mark links to its claim"
                     + (f"; {outside} dated outside the articles' period are not drawn" if outside else "") + ")",
         timeline_svg(grouped["source"], dated), _legend()),
        ("place", "Claims of killing by first-level division", bar_svg(bar_groups(grouped, "place")), ""),
        ("actor", "Claims of killing by perpetrator", bar_svg(bar_groups(grouped, "actor")), ""),
        ("cause", "Claims of killing by cause", bar_svg(bar_groups(grouped, "cause")), ""),
    ]
    wide = ' class="wide"'
    parts = [f'<figure id="chart-{name}"{wide if name == "timeline" else ""}><figcaption>'
             f"{escape(caption)}</figcaption>{svg}{legend}</figure>" for name, caption, svg, legend in figures]
    return f'<section id="charts">{"".join(parts)}</section>'


def period(site: Site) -> tuple[dt.date | None, dt.date | None]:
    """The days the timeline spans: from 90 days before the first publication date to the last
    (claims about long-past events, "the 1982 massacre", would stretch it over decades)."""
    days = []
    for page in site.pages:
        published = (page.record.get("article") or {}).get("published")
        try:
            days.append(dt.date.fromisoformat(str(published)))
        except ValueError:
            continue
    if not days:
        return None, None
    return min(days) - dt.timedelta(days=90), max(days)


def timeline_lanes(sources: Sequence[Group]) -> list[Group]:
    """The sources that get a lane of their own (the rest share the last one, unlinked)."""
    return list(sources[: LANES - 1]) if len(sources) > LANES else list(sources)


def bar_groups(grouped: Mapping[str, list[Group]], facet: str) -> list[Group]:
    """The bars of one chart: the BARS largest known groups, one "other" bar for the rest (a
    place known only by its country among them), then the claims without a value ("no place",
    "none named", "not stated"), always shown: they are what a reviewer looks for."""
    known = [group for group in grouped[facet] if _vague(facet, group.key) < 2]
    unknown = [group for group in grouped[facet] if _vague(facet, group.key) == 2]
    shown = known[:BARS]
    rest = known[BARS:]
    if rest:
        merged = [item for group in rest for item in group.claims]
        label = f"{len(rest)} others ({', '.join(group.label for group in rest[:6])}{'…' if len(rest) > 6 else ''})"
        shown.append(Group(facet, "*other", label, merged, f"{CLAIMS_DIR}/{facet}_others.html", ""))
    return shown + unknown


def bar_svg(shown: Sequence[Group]) -> str:
    """Horizontal bars, one per group, each linked to the list of its claims."""
    # The scale is the largest single group's: the "other" bar, many groups together, is cut
    # at the chart's edge rather than squeezing every other bar.
    most = max((len(group.claims) for group in shown if group.key != "*other"), default=1)
    label_w, bar_w, row_h = 150, 230, 19
    height = row_h * len(shown) + 6
    rows = []
    for number, group in enumerate(shown):
        y = 3 + number * row_h
        running = sum(1 for item in group.claims if _is_running(item.claim))
        scale = min(most, len(group.claims)) / len(group.claims) if group.claims else 1
        incident_w = int((len(group.claims) - running) * scale * bar_w // most)
        running_w = int(len(group.claims) * scale * bar_w // most) - incident_w
        total_w = incident_w + running_w
        cut = len(group.claims) > most
        tip = (f"{group.label}: {len(group.claims)} claim{'s' if len(group.claims) != 1 else ''} of killing"
               + (f", {running} of them running totals" if running else "") + " (open the list)")
        rows.append(
            f'<a class="bar" href="{escape(group.href)}" data-count="{len(group.claims)}"><title>{escape(tip)}</title>'
            f'<text x="{label_w - 4}" y="{y + 13}" text-anchor="end">{escape(_shorten(group.label, 24))}</text>'
            f'<rect class="bar-i" x="{label_w}" y="{y + 2}" width="{max(incident_w, 0)}" height="14"/>'
            + (f'<rect class="bar-c" x="{label_w + incident_w}" y="{y + 2}" width="{running_w}" height="14"/>'
               if running_w else "")
            + (f'<rect x="{label_w + total_w - 12}" y="{y}" width="4" height="18" fill="#fff"/>' if cut else "")
            + f'<text x="{label_w + total_w + 4}" y="{y + 13}">{len(group.claims)}</text></a>'
        )
    return (f'<svg class="chart bars" viewBox="0 0 {label_w + bar_w + 40} {height}" role="img" '
            f'aria-label="bar chart">{"".join(rows)}</svg>')


def timeline_svg(sources: Sequence[Group], dated: list[Plotted]) -> str:
    """Lanes of sources; x the claim's date, y its toll on a log scale; marks link to claims."""
    if not dated:
        return "<p><small>No dated claims of killing.</small></p>"
    wanted = {id(item) for item in dated}
    lanes = [(group, [item for item in group.claims if id(item) in wanted]) for group in sources]
    lanes = [(group, items) for group, items in lanes if items]
    if len(lanes) > LANES:
        others = [item for _, items in lanes[LANES - 1:] for item in items]
        lanes = [*lanes[: LANES - 1], (Group("source", "*other", f"{len(lanes) - LANES + 1} other sources", others,
                                             "", ""), others)]
    dates = [_date_of(item) for item in dated]
    first, last = min(d for d in dates if d), max(d for d in dates if d)
    span = max((last - first).days, 1)
    top = max((v for item in dated for v in _bounds(item) if v is not None), default=10)
    decades = max(1, math.ceil(math.log10(max(top, 10))))
    left, width, lane_h, gap = 210, 960, 44, 5
    axis_y = len(lanes) * (lane_h + gap) + 4
    parts = ['<defs>'
             '<linearGradient id="up" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="#c0392b"/>'
             '<stop offset="1" stop-color="#c0392b" stop-opacity="0"/></linearGradient>'
             '<linearGradient id="upc" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="#5d6d7e"/>'
             '<stop offset="1" stop-color="#5d6d7e" stop-opacity="0"/></linearGradient>'
             '<linearGradient id="down" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#c0392b"/>'
             '<stop offset="1" stop-color="#c0392b" stop-opacity="0"/></linearGradient>'
             '<linearGradient id="downc" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5d6d7e"/>'
             '<stop offset="1" stop-color="#5d6d7e" stop-opacity="0"/></linearGradient></defs>']

    def x_of(day: dt.date) -> int:
        return left + 4 + (day - first).days * (width - 8) // span

    for number, (group, items) in enumerate(lanes):
        lane_top = 4 + number * (lane_h + gap)

        def y_of(value: int, lane_top: int = lane_top) -> int:
            share = math.log10(max(value, 1)) / decades
            return lane_top + lane_h - 4 - round(share * (lane_h - 8))

        label = escape(_shorten(group.label, 32))
        head = (f'<a href="{escape(group.href)}"><title>{escape(group.label)}: {len(items)} claims (open the list)</title>'
                f'<text x="{left - 6}" y="{lane_top + lane_h // 2 + 4}" text-anchor="end">{label}</text></a>'
                if group.href else
                f'<text x="{left - 6}" y="{lane_top + lane_h // 2 + 4}" text-anchor="end">{label}</text>')
        parts.append(head)
        parts.append(f'<rect class="lane" x="{left}" y="{lane_top}" width="{width}" height="{lane_h}"/>')
        for power in range(0, decades + 1, 1 if decades <= 4 else 2):
            y = y_of(10 ** power)
            parts.append(f'<line class="grid" x1="{left}" x2="{left + width}" y1="{y}" y2="{y}"/>')
            if number == 0:
                parts.append(f'<text x="{left + width + 3}" y="{y + 4}" font-size="9">{_short_number(10 ** power)}</text>')
        for item in sorted(items, key=lambda i: (_date_of(i), i.page.key, i.index)):
            parts.append(_mark(item, x_of(_date_of(item)), y_of, lane_top, lane_h))  # type: ignore[arg-type]
    parts.append(f'<line class="axis" x1="{left}" x2="{left + width}" y1="{axis_y}" y2="{axis_y}"/>')
    for day, label in _ticks(first, last):
        x = x_of(day)
        parts.append(f'<line class="axis" x1="{x}" x2="{x}" y1="{axis_y}" y2="{axis_y + 4}"/>'
                     f'<text x="{x}" y="{axis_y + 15}" text-anchor="middle">{label}</text>')
    height = axis_y + 20
    return (f'<svg class="chart timeline" viewBox="0 0 {left + width + 30} {height}" role="img" '
            f'aria-label="timeline of claimed tolls">{"".join(parts)}</svg>')


def _mark(item: Plotted, x: int, y_of: Callable[[int], int], lane_top: int, lane_h: int) -> str:
    low, high = _bounds(item)
    running = _is_running(item.claim)
    suffix = "c" if running else ""
    css = "m cum" if running else "m"
    count = item.claim.get("count") or {}
    tip = (f"{count.get('text')} {item.claim.get('group')} · {_date_of(item)} · {_source_label(item)}"
           f"{' · running total' if running else ''}")
    if low is not None and low == high:
        shape = f'<circle class="{css}" cx="{x}" cy="{y_of(low)}" r="3"/>'
    elif low is not None and high is not None:
        # A range is a bar however close its ends sit on the log scale (529-744 spans 1.5 px):
        # at least 8 px, centred on the range, capped at both ends.
        top, bottom = y_of(high), y_of(low)
        if bottom - top < 8:
            middle = (top + bottom) // 2
            top, bottom = middle - 4, middle + 4
        shape = (f'<rect class="{css}" x="{x - 1}" y="{top}" width="3" height="{bottom - top}"/>'
                 f'<rect class="{css}" x="{x - 3}" y="{top}" width="7" height="2"/>'
                 f'<rect class="{css}" x="{x - 3}" y="{bottom - 2}" width="7" height="2"/>')
    elif low is not None:
        bottom = y_of(low)
        top = max(bottom - 12, lane_top)
        shape = f'<rect x="{x - 2}" y="{top}" width="4" height="{max(bottom - top, 3)}" fill="url(#up{suffix})"/>'
    else:
        top = y_of(high or 1)
        bottom = lane_top + lane_h - 2
        shape = f'<rect x="{x - 2}" y="{top}" width="4" height="{max(bottom - top, 3)}" fill="url(#down{suffix})"/>'
    return f'<a href="{escape(item.href)}"><title>{escape(tip)}</title>{shape}</a>'


def _legend() -> str:
    return ('<p class="legend"><i style="background:#c0392b;border-radius:50%"></i>one figure'
            '<i style="background:#c0392b;width:.3rem;height:1rem"></i>a range (low to high)'
            '<i style="background:linear-gradient(0deg,#c0392b,#fff);width:.3rem;height:1rem"></i>at least (open above)'
            '<i style="background:#5d6d7e"></i>running total</p>')


def claims_page_body(site: Site, group: Group) -> str:
    """The page behind a bar or lane: its claims, highest figure first, each linked to its row."""
    ordered = sorted(group.claims, key=lambda item: (-_top_figure(item), item.page.key, item.index))
    rows = []
    for item in ordered:
        claim = item.claim
        count = claim.get("count") or {}
        low, high = _bounds(item)
        figure = "—" if low is None and high is None else (
            f"{low}" if low == high else f"{'' if low is None else low}–{'' if high is None else high}")
        actor, cause = claim.get("actor") or {}, claim.get("cause") or {}
        places = "; ".join(", ".join(dict.fromkeys(str(p[k]) for k in ("name", "admin1", "country") if p.get(k)))
                           for p in claim.get("locations") or [] if isinstance(p, Mapping))
        verdict = site.verdict_of(item.page, item.index)
        rows.append(
            f'<tr class="listed"><td><a href="../{escape(item.href)}">{escape(_title(item))}</a>'
            f"<br><small>{escape(item.page.key)} · claim {escape(str(claim.get('id')))}</small></td>"
            f"<td>{escape(str(_date_of(item) or '—'))}</td>"
            f"<td><b>{escape(str(count.get('text')))}</b><br><small>{escape(figure)}"
            f"{' · running total' if _is_running(claim) else ''}</small></td>"
            f"<td>{escape(str(claim.get('group')))}</td>"
            f"<td>{escape(str(actor.get('id') or '—'))}</td><td>{escape(str(cause.get('id') or '—'))}</td>"
            f"<td>{escape(places or '—')}</td><td>{escape(_source_label(item))}</td>"
            f"<td>{escape(verdict or '')}</td></tr>"
        )
    index_link = (f' <a href="../index.html#{escape(group.index_filter)}">These articles in the index</a>.'
                  if group.index_filter else "")
    names = {"place": "division", "actor": "perpetrator", "cause": "cause", "source": "source"}
    return (
        '<nav><a href="../index.html">← all articles</a></nav>'
        f"<header><h1>Claims of killing — {escape(names.get(group.facet, group.facet))}: {escape(group.label)}</h1>"
        f"<p>{len(group.claims)} claims, as reviewed (a claim judged wrong is left out), highest figure first.{index_link}</p>"
        "</header><main><table id=\"listed\"><thead><tr><th>Claim (link: its row)</th><th>Date</th><th>Count</th>"
        "<th>Group</th><th>Perpetrator</th><th>Cause</th><th>Places</th><th>Source</th><th>Review</th></tr></thead><tbody>\n"
        + "\n".join(rows) + "\n</tbody></table></main>"
    )


# --- keys and labels ------------------------------------------------------------------------


def _vague(facet: str, key: str) -> int:
    """2 for the claims without a value, 1 for a place known only by its country, else 0."""
    if not key:
        return 2
    return 1 if facet == "place" and "/" not in key else 0


def _place_key(item: Plotted) -> tuple[str, str, str]:
    places = [p for p in item.claim.get("locations") or [] if isinstance(p, Mapping)]
    first = places[0] if places else {}
    country, admin1 = first.get("country"), first.get("admin1")
    if country and admin1:
        return f"{country}/{admin1}", f"{admin1}, {country}", _filter("places", f"{country}/{admin1}")
    if country:
        return str(country), f"{country} (no division)", _filter("places", str(country))
    return "", "no place", ""


def _actor_key(item: Plotted) -> tuple[str, str, str]:
    actor = item.claim.get("actor")
    if isinstance(actor, Mapping) and actor.get("id"):
        return str(actor["id"]), str(actor["id"]), _filter("actors", str(actor["id"]))
    return "", "none named", ""


def _cause_key(item: Plotted) -> tuple[str, str, str]:
    cause = item.claim.get("cause")
    if isinstance(cause, Mapping) and cause.get("id"):
        return str(cause["id"]), str(cause["id"]), _filter("causes", str(cause["id"]))
    return "", "not stated", ""


def _source_key(item: Plotted) -> tuple[str, str, str]:
    label = _source_label(item)
    return label.casefold(), label, ""


def _source_label(item: Plotted) -> str:
    """Who gives the figure: the organisation it is attributed to, else the outlet."""
    source = item.claim.get("source")
    if isinstance(source, Mapping) and (source.get("name") or source.get("text")):
        return " ".join(str(source.get("name") or source.get("text")).split())
    outlet = (item.page.record.get("article") or {}).get("outlet")
    return f"{outlet} (own report)" if outlet else "unattributed"


def _filter(name: str, value: str) -> str:
    from urllib.parse import quote  # noqa: PLC0415

    return f"{name}={quote(value, safe='')}"


def _date_of(item: Plotted) -> dt.date | None:
    """The claim's last day (its time's end, else start), else the article's publication date."""
    time = item.claim.get("time") if isinstance(item.claim.get("time"), Mapping) else {}
    for value in ((time or {}).get("end"), (time or {}).get("start"),
                  (item.page.record.get("article") or {}).get("published")):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                continue
    return None


def _bounds(item: Plotted) -> tuple[int | None, int | None]:
    return count_bounds(item.claim.get("count") or {})


def _top_figure(item: Plotted) -> int:
    low, high = _bounds(item)
    return max(v for v in (low, high, -1) if v is not None)


def _is_running(claim: Mapping[str, Any]) -> bool:
    return bool(claim.get("cumulative")) or claim.get("scope") in ("cumulative", "period_total")


def _title(item: Plotted) -> str:
    return str((item.page.record.get("article") or {}).get("title") or item.page.key).strip() or item.page.key


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    span = (last - first).days
    if span > 3 * 365:
        step_years = max(1, span // 365 // 8)
        return [(dt.date(year, 1, 1), str(year)) for year in range(first.year + 1, last.year + 1, step_years)]
    if span > 62:
        months = []
        year, month = first.year, first.month
        step = max(1, span // 30 // 8)
        while True:
            month += step
            while month > 12:
                year, month = year + 1, month - 12
            day = dt.date(year, month, 1)
            if day > last:
                return months
            months.append((day, f"{year}-{month:02d}"))
    step = max(1, span // 7)
    return [(first + dt.timedelta(days=n), (first + dt.timedelta(days=n)).isoformat()) for n in range(0, span + 1, step)]


def _short_number(value: int) -> str:
    for size, unit in ((1_000_000, "M"), (1_000, "k")):
        if value >= size:
            return f"{value // size}{unit}"
    return str(value)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_.") or "x"


def _unique_href(facet: str, key: str, taken: set[str]) -> str:
    base = f"{facet}-{_slug(key) if key else 'none'}"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return f"{CLAIMS_DIR}/{name}.html"


def counts_by(groups_: Sequence[Group]) -> Counter[str]:
    """Claims per group key (for tests and the README's figures)."""
    return Counter({group.key: len(group.claims) for group in groups_})
