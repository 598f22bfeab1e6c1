"""Saved HTML page -> title, publication date hint and article text with paragraphs.

The page is scanned once (``markup.scan_page``, streaming and non-recursive);
everything here works on that flat record:

1. furniture (nav, share bars, related teasers, ...) is marked, but an element
   holding most of the page's paragraphs is a wrapper, not furniture;
2. the article container is chosen: ``[itemprop=articleBody]``, else the
   ``<article>`` holding most paragraph text, else the element whose child
   ``<p>``s hold most text, widened until it holds most of the page's paragraphs;
3. its text is assembled with furniture inside it removed, paragraphs separated
   by one blank line and whitespace collapsed inside them. Inline tags add
   nothing: "kill<i>ed</i>" stays "killed";
4. its blocks are filtered (``blocks.py``: link-dense teasers, template phrases,
   trailing labels) and a lead set apart right before it is added;
5. a page whose markup is an empty shell falls back to the text it declares
   for scripts (JSON-LD ``articleBody``, else its description).

Metadata comes from the same scan: title, publication and modified dates,
canonical URL and outlet (see ``HtmlArticle``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from pipeline.reading import html_rules as R
from pipeline.reading.blocks import Block, filter_blocks
from pipeline.reading.markup import CELL, IN_HEADING, IN_LINK, LINE, PARA, PageScan, Paragraph, scan_page

# A furniture element holding at least this share of the page's paragraph text
# is a wrapper (ASP.NET's page-wide <form>, a theme's "has-share" <div>).
WRAPPER_SHARE = 0.5
# ... but furniture that is never the article whatever its size (a comment thread
# longer than the story, a hidden popup, a dialog) must hold nearly all of it: only
# a page-wide wrapper (a body hidden until a script shows it) is that big.
STRONG_WRAPPER_SHARE = 0.9
STRONG_KINDS = frozenset({"user-comments", "hidden", "dialog"})
# Class markers that also name layout ("sidebar_right" main column, a "read-more"
# wrapper around the rest of the story, the "paywall" part shipped in the page) are
# a wrapper already from this share of the page's paragraph text, when the element is
# prose: paragraphs make up WEAK_PROSE_SHARE of its text (a teaser box is mostly
# link titles and labels).
WEAK_KINDS = frozenset({"sidebar", "related", "newsletter"})
WEAK_WRAPPER_SHARE = 0.3
WEAK_PROSE_SHARE = 0.8
# Internal kinds and the kind they are counted as in ``HtmlArticle.dropped``.
REPORTED_KINDS = {"aria-hidden": "hidden"}
# An <article> must hold this share of the page's paragraph text to be the
# container; list pages wrap each teaser in its own small <article>.
ARTICLE_SHARE = 0.4
# The paragraph container is widened to its ancestors until it holds this share
# of the page's paragraph text (articles split around ads or "read also" boxes).
CONTAINER_SHARE = 0.6
# ... and then widened further while what the parent adds is at least this share
# paragraph text (a lead beside the body), not menus and link lists.
SIBLING_PARAGRAPH_SHARE = 0.8

# The markup's text is replaced by JSON-LD articleBody when it holds less than this
# share of it, and by the page description when shorter than this many characters
# and than the description (an empty shell a script fills).
DECLARED_SHARE = 0.5
SHELL_BODY_CHARS = 300
# Such a shell's <noscript> is read as markup when its text is longer than this and
# than twice the markup's ("please enable JavaScript" is shorter).
NOSCRIPT_MIN_CHARS = 120
# A lead before the container is looked for in this many chunks before it, and is
# at most this many paragraphs.
LEAD_WINDOW_CHUNKS = 200
LEAD_MAX_BLOCKS = 2

_BY = re.compile(r"^by\s+", re.IGNORECASE)
_MARKUP = re.compile(r"<[A-Za-z/!]")
_ISO_DATE = re.compile(r"\s*(\d{4})([-/]?)(\d{2})\2(\d{2})(?![\d])")


@dataclass(frozen=True)
class HtmlArticle:
    """What a saved page holds for the pipeline.

    ``title``: og:title, else <title> without a " | Site" suffix, else the first <h1>.
    ``published``: ISO date (YYYY-MM-DD) declared in the page's metadata, or None.
    ``text``: the article's paragraphs, separated by one blank line.
    ``dropped``: how many elements of each kind were removed, e.g. {"script": 2}.
    ``modified``: ISO date the page declares it was last changed, or None; a
    fallback for ``published`` only (see ``pipeline.article``).
    ``url``: the canonical URL (<link rel="canonical">, else og:url), or None.
    ``outlet``: the site's name (og:site_name, else the JSON-LD publisher), or None.
    ``byline``: who wrote it (meta author, article:author, JSON-LD author), or None.
    ``captions``: the texts of the page's <figcaption>s, kept apart from ``text``.
    """

    title: str | None
    published: str | None
    text: str
    dropped: dict[str, int]
    modified: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    captions: tuple[str, ...] = ()


def html_to_article(text: str) -> HtmlArticle:
    """Extract title, publication date and article text from a decoded HTML page."""
    page = scan_page(text)
    published = published_date(page)
    # date lines above the text go only when the page declares its date: else the
    # pipeline reads the date from them (``pipeline.article``, the dateline)
    page.drop_date_lines = published is not None
    body, removed = page_body(page)
    if len(body) < SHELL_BODY_CHARS and page.noscript:
        # a script shell whose article is in <noscript>, the version served without scripts
        inner = scan_page("\n".join(page.noscript))
        inner.drop_date_lines = page.drop_date_lines
        inner_body, inner_removed = page_body(inner)
        if len(inner_body) > max(2 * len(body), NOSCRIPT_MIN_CHARS):
            body, removed = inner_body, inner_removed
            removed["shell_text"] += 1
    declared = declared_text(page, body)
    if declared is not None:
        body = declared
        removed["shell_text"] += 1  # the markup's text, replaced by the declared one
    dropped = Counter(page.hard) + removed
    return HtmlArticle(
        title=page_title(page),
        published=published,
        text=body,
        dropped=dict(sorted(dropped.items())),
        modified=modified_date(page),
        url=canonical_url(page),
        outlet=outlet_name(page),
        byline=page_byline(page),
        captions=figure_captions(page),
    )


def page_body(page: PageScan) -> tuple[str, Counter[str]]:
    """The article text of a scanned page, and what furniture went, by kind."""
    applied = applied_drops(page)
    ranges = main_ranges(page, applied)
    whole = [(0, len(page.chunks))]
    body, removed = article_text(page, applied, ranges)
    if not body and ranges != whole:
        body, removed = article_text(page, applied, whole)
    if not body:  # everything was marked furniture: choose again as if nothing were
        ignored = [-1] * len(page.drops)
        body, removed = article_text(page, ignored, main_ranges(page, ignored))
    return body, removed


# -- pages rendered by scripts ---------------------------------------------------------


def declared_text(page: PageScan, body: str) -> str | None:
    """The text a script-rendered page declares, when its markup holds much less.

    Some pages ship an empty shell ("Your browser is out of date") and the article
    as data for a script: JSON-LD ``articleBody`` (instead of the markup's text,
    when that is less than half of it), else the page description (before the
    markup's text, when that is shorter than ``SHELL_BODY_CHARS`` and than the
    description).
    """
    article_body = jsonld_value(page, "articleBody", lambda v: isinstance(v, str) and bool(v.strip()))
    if article_body and len(body) < DECLARED_SHARE * len(article_body):
        if _MARKUP.search(article_body):
            inner = scan_page(article_body)
            return assemble(inner, [-1] * len(inner.drops), 0, len(inner.chunks))[0] or None
        paragraphs = (_collapse(line) for line in article_body.split("\n"))
        return "\n\n".join(p for p in paragraphs if p) or None
    description = _collapse(page.meta.get("og:description") or page.meta.get("description") or "")
    if len(body) < SHELL_BODY_CHARS and len(description) > len(body) and description not in body:
        # kept before, not instead of, the markup's text: a short brief stays whole
        return f"{description}\n\n{body}" if body else description
    return None


# -- furniture and container ------------------------------------------------------


def applied_drops(page: PageScan) -> list[int]:
    """For each furniture element, the chunk where the innermost applied drop starts.

    -1 means neither the element nor any enclosing furniture is dropped. Parents
    are recorded before their children, so one forward pass suffices.
    """
    limit, strong_limit = WRAPPER_SHARE * page.p_total, STRONG_WRAPPER_SHARE * page.p_total
    weak_limit = WEAK_WRAPPER_SHARE * page.p_total
    starts: list[int] = []
    for drop in page.drops:
        if drop.kind in STRONG_KINDS:
            wrapper = drop.p_chars >= strong_limit
        elif drop.kind in WEAK_KINDS and drop.p_chars >= WEAK_PROSE_SHARE * drop.text_chars:
            wrapper = drop.p_chars >= weak_limit
        else:
            wrapper = drop.p_chars >= limit
        if page.p_total == 0 or not wrapper:
            starts.append(page.el_start[drop.element])
        else:
            starts.append(starts[drop.parent] if drop.parent >= 0 else -1)
    return starts


def main_ranges(page: PageScan, applied: list[int]) -> list[tuple[int, int]]:
    """Chunk ranges [start, end) of the article container, in order (the whole page if unsure).

    Usually one range. A body split over several ``[itemprop=articleBody]``
    elements (around an ad, a gallery or a pull quote) gives one range for each
    of them that holds paragraph text, in document order.
    """
    kept = [p for p in page.paragraphs if p.drop < 0 or applied[p.drop] < 0]
    total = sum(p.length for p in kept)
    whole = [(0, len(page.chunks))]
    if total == 0:
        return whole
    p_chars = _range_counter([p.start for p in kept], [p.length for p in kept], page)
    bodies = article_body_ranges(page, p_chars)
    if bodies:
        return bodies
    best = max(page.articles, key=p_chars, default=-1)
    if best >= 0 and p_chars(best) > ARTICLE_SHARE * total:
        return [(page.el_start[best], page.el_end[best])]
    el = best_paragraph_parent(kept)
    while el >= 0 and p_chars(el) < CONTAINER_SHARE * total:
        el = page.el_parent[el]
    if el < 0:
        return whole
    el = widen_to_siblings(page, applied, el, p_chars)
    return [(page.el_start[el], page.el_end[el])]


def article_body_ranges(page: PageScan, p_chars: Callable[[int], int]) -> list[tuple[int, int]]:
    """The outermost ``[itemprop=articleBody]`` elements that hold kept paragraph text, in order.

    Besides the one holding most text, only those in the same region of the page
    (sharing an ancestor below <body>) count: a teaser elsewhere that carries
    the marker is another story's body.
    """
    bodies: list[int] = []
    for el in page.article_bodies:  # recorded in document order, parents first
        if bodies and page.el_start[el] < page.el_end[bodies[-1]]:
            continue  # nested in the previous one
        if p_chars(el) > 0:
            bodies.append(el)
    if len(bodies) > 1:
        region = ancestors(page, max(bodies, key=p_chars))
        bodies = [el for el in bodies if not region.isdisjoint(ancestors(page, el))]
    return [(page.el_start[el], page.el_end[el]) for el in bodies]


def ancestors(page: PageScan, el: int) -> set[int]:
    """The element and its ancestors below <body> and <html>."""
    found: set[int] = set()
    while el >= 0 and page.el_name[el] not in ("body", "html"):
        found.add(el)
        el = page.el_parent[el]
    return found


def widen_to_siblings(page: PageScan, applied: list[int], el: int, p_chars: Callable[[int], int]) -> int:
    """Climb to the parent while what it adds is mostly paragraph text.

    A lead paragraph or a second body part often sits beside the container the
    paragraphs chose (``<p class="intro">`` next to ``<div class="body">``); menus,
    link lists and teasers beside it are mostly links or short labels.
    """
    # A text run's stripped length is its chunk_flags >> 2 (0 for markers and blank runs,
    # which add nothing to a sum): the page's chunks are read as integers, not strings.
    positions, sizes = [], []
    chunk_drop = page.chunk_drop
    for i, flags in enumerate(page.chunk_flags):
        if flags >= 4:
            drop = chunk_drop[i]
            if drop < 0 or applied[drop] < 0:
                positions.append(i)
                sizes.append(flags >> 2)
    text_chars = _range_counter(positions, sizes, page)
    while True:
        parent = page.el_parent[el]
        if parent < 0 or page.el_name[parent] in ("body", "html"):
            return el
        extra_text = text_chars(parent) - text_chars(el)
        if extra_text > 0 and p_chars(parent) - p_chars(el) < SIBLING_PARAGRAPH_SHARE * extra_text:
            return el
        el = parent


def _range_counter(positions: list[int], sizes: list[int], page: PageScan) -> Callable[[int], int]:
    """Return el -> sum of sizes whose position lies in the element's chunk range."""
    sums = [0, *accumulate(sizes)]

    def count(el: int) -> int:
        lo = bisect.bisect_left(positions, page.el_start[el])
        hi = bisect.bisect_left(positions, page.el_end[el])
        return sums[hi] - sums[lo]

    return count


def best_paragraph_parent(paragraphs: list[Paragraph]) -> int:
    """The element whose <p> children hold most text (grandchildren count half)."""
    scores: Counter[int] = Counter()
    for p in paragraphs:
        scores[p.parent] += 2 * p.length
        scores[p.grandparent] += p.length
    scores.pop(-1, None)
    return max(scores, key=scores.__getitem__, default=-1)


# -- text ---------------------------------------------------------------------------


def article_text(page: PageScan, applied: list[int], ranges: list[tuple[int, int]]) -> tuple[str, Counter[str]]:
    """The text of the ranges without furniture blocks (``blocks.py``), and what went, by kind."""
    found = [block for start, end in ranges for block in collect_blocks(page, applied, start, end)]
    blocks, filtered = filter_blocks(found, drop_date_lines=page.drop_date_lines)
    start = ranges[0][0]
    if not blocks:  # nothing but labels: keep what there is
        blocks, filtered = found, Counter()
    elif start > 0:
        blocks = lead_blocks(page, applied, start, {b.text for b in blocks}) + blocks
    removed = sum((removed_furniture(page, applied, s, e) for s, e in ranges), Counter())
    return join_blocks(blocks), removed + filtered


def lead_blocks(page: PageScan, applied: list[int], start: int, seen: set[str]) -> list[Block]:
    """Prose paragraphs right before the container: the lead a template puts apart.

    News templates often set the lead (standfirst) in its own element above the
    body, with the headline, byline and share bar around it, so the container
    the paragraphs chose misses it. Only prose counts (``Block.prose``), read
    backwards from the container and stopping at the first block that is not
    prose (the headline, a byline, a menu), at most ``LEAD_MAX_BLOCKS``.
    """
    applied = headline_header_kept(page, applied, start)
    window = collect_blocks(page, applied, max(0, start - LEAD_WINDOW_CHUNKS), start, enclosing=0)
    lead: list[Block] = []
    for block in reversed(window[-LEAD_MAX_BLOCKS:]):
        if not block.prose or block.text in seen:
            break
        lead.append(block)
    return lead[::-1]


def headline_header_kept(page: PageScan, applied: list[int], start: int) -> list[int]:
    """``applied`` without the drop of a <header> that holds the headline, before ``start``.

    A template may put the standfirst in the page header, beside the <h1>, outside
    any <article>: that header is the article's, not the site's.
    """
    h1 = page.h1_start
    if not 0 <= h1 < start:
        return applied
    kept = applied
    for index, drop in enumerate(page.drops):
        el = drop.element
        if drop.kind == "header" and page.el_start[el] <= h1 < page.el_end[el] <= start and applied[index] >= 0:
            if kept is applied:
                kept = list(applied)
            kept[index] = -1 if drop.parent < 0 else applied[drop.parent]
    return kept


def assemble(page: PageScan, applied: list[int], start: int, end: int) -> tuple[str, Counter[str]]:
    """Join the kept chunks of [start, end) into paragraphs; count furniture removed."""
    return join_blocks(collect_blocks(page, applied, start, end)), removed_furniture(page, applied, start, end)


def join_blocks(blocks: list[Block]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(b.text for b in blocks)


def collect_blocks(
    page: PageScan, applied: list[int], start: int, end: int, enclosing: int | None = None
) -> list[Block]:
    """The kept chunks of [start, end) as paragraphs with their link and heading text.

    Furniture that starts before ``enclosing`` (default ``start``) encloses the
    range and is not applied inside it.
    """
    enclosing = start if enclosing is None else enclosing
    blocks: list[Block] = []
    lines: list[str] = []
    parts: list[str] = []
    link = heading = chars = 0
    window = zip(page.chunks[start:end], page.chunk_drop[start:end], page.chunk_flags[start:end])
    for chunk, drop, flags in window:
        if isinstance(chunk, str):
            if drop < 0 or applied[drop] < enclosing:
                parts.append(chunk)
                if flags:
                    size = flags >> 2
                    chars += size
                    if flags & IN_LINK:
                        link += size
                    if flags & IN_HEADING:
                        heading += size
        elif chunk == CELL:
            parts.append(" ")
        else:
            line = _collapse("".join(parts))
            parts.clear()
            if line:
                lines.append(line)
            elif chunk == LINE and lines:  # <br><br>: a paragraph break
                chunk = PARA
            if chunk == PARA and lines:
                blocks.append(Block("\n".join(lines), chars, link, heading > 0 and heading >= chars // 2))
                lines.clear()
                link = heading = chars = 0
    line = _collapse("".join(parts))
    if line:
        lines.append(line)
    if lines:
        blocks.append(Block("\n".join(lines), chars, link, heading > 0 and heading >= chars // 2))
    return blocks


def removed_furniture(page: PageScan, applied: list[int], start: int, end: int) -> Counter[str]:
    """Count applied furniture in [start, end) by kind: outermost ones, with text."""
    counts: Counter[str] = Counter()
    for index, drop in enumerate(page.drops):
        at = page.el_start[drop.element]
        if applied[index] != at or not start <= at < end or drop.text_chars == 0:
            continue
        if drop.parent >= 0 and applied[drop.parent] >= start:
            continue  # inside furniture already counted
        counts[REPORTED_KINDS.get(drop.kind, drop.kind)] += 1
    return counts


def _collapse(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space.

    ``str.split()`` splits at exactly the characters ``\\s`` matches in a str
    pattern (``str.isspace``), at about a fifth of a regex substitution's cost.
    """
    return " ".join(text.split())


# -- metadata -----------------------------------------------------------------------


def page_title(page: PageScan) -> str | None:
    """og:title, else <title> without a site-name suffix, else the first <h1>."""
    site = _collapse(page.meta.get("og:site_name") or page.meta.get("application-name") or "")
    h1 = _collapse(page.h1 or "")
    og = _collapse(page.meta.get("og:title") or "")
    if og:
        return strip_site_suffix(og, site, h1, guess=False)
    title = _collapse(page.title or "")
    if title:
        return strip_site_suffix(title, site, h1, guess=True)
    return h1 or None


def strip_site_suffix(title: str, site: str, h1: str, *, guess: bool) -> str:
    """Remove a trailing " | Site name" (at most twice), conservatively.

    Always when the suffix is the declared site name or what is left is the page's
    <h1>; with ``guess``, also when the suffix is a few words and shorter than the
    headline ("Twelve killed in Idlib - BBC News"). "Syria - 12 killed in Idlib"
    keeps its words: there the part after the dash is the longer one.
    """
    for _ in range(2):
        cut = max(((title.rfind(sep), sep) for sep in R.TITLE_SEPARATORS), default=(-1, ""))
        if cut[0] <= 0:
            break
        head, tail = title[: cut[0]].strip(), title[cut[0] + len(cut[1]) :].strip()
        head_words, tail_words = len(head.split()), len(tail.split())
        known = bool(site) and tail.casefold() == site.casefold() or bool(h1) and head.casefold() == h1.casefold()
        guessed = guess and tail_words <= R.SITE_NAME_MAX_WORDS and head_words > tail_words
        if not (known or guessed) or not head:
            break
        title = head
    return title


def published_date(page: PageScan) -> str | None:
    """The first valid ISO date among the page's declared publication dates.

    Never a modified date (``modified_date``) and never a copyright year: only
    full dates are read, and only from where a publication date is declared.
    """
    for key in R.PUBLISHED_KEYS:
        if key == "jsonld":
            value = jsonld_value(page, "datePublished")
        elif key == "url":
            value = url_date(canonical_url(page))
        else:
            value = page.meta.get(key)
        date = iso_date(value)
        if date:
            return date
    return None


def modified_date(page: PageScan) -> str | None:
    """The first valid ISO date among the page's declared last-modified dates."""
    for key in R.MODIFIED_KEYS:
        value = jsonld_value(page, "dateModified") if key == "jsonld" else page.meta.get(key)
        date = iso_date(value)
        if date:
            return date
    return None


def url_date(url: str | None) -> str | None:
    """The date in a URL's path ("https://x.org/2020/02/19/story" -> "2020-02-19"), else None."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    scheme = path.find("//")
    slash = path.find("/", scheme + 2 if scheme >= 0 else 0)
    match = R.URL_DATE.search(path, max(slash, 0))
    return iso_date(f"{match.group(1)}-{match.group(3)}-{match.group(4)}") if match else None


def canonical_url(page: PageScan) -> str | None:
    """<link rel="canonical">, else og:url; only absolute http(s) URLs."""
    for value in (page.canonical, page.meta.get("og:url")):
        value = _collapse(value or "")
        if value.lower().startswith(("http://", "https://")):
            return value
    return None


def outlet_name(page: PageScan) -> str | None:
    """og:site_name, else the name of the JSON-LD publisher."""
    name = _collapse(page.meta.get("og:site_name") or "")
    if not name:
        publisher = jsonld_value(page, "publisher", lambda v: isinstance(v, dict)) or {}
        value = publisher.get("name")
        name = _collapse(value) if isinstance(value, str) else ""
    return name or None


# At most this many captions, each cut to CAPTION_MAX_CHARS: a gallery page keeps its record small.
MAX_CAPTIONS = 50
CAPTION_MAX_CHARS = 500
BYLINE_MAX_CHARS = 200


def page_byline(page: PageScan) -> str | None:
    """Who wrote the article: meta author, article:author (a name, not a profile URL), else
    the JSON-LD author's name(s). A leading "By" goes."""
    candidates = [page.meta.get("author"), page.meta.get("article:author")]
    author = jsonld_value(page, "author", lambda v: isinstance(v, (str, dict, list)))
    for item in author if isinstance(author, list) else [author]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str):
            candidates.append(name)
    names: list[str] = []
    for candidate in candidates:
        name = byline_name(candidate or "")
        if name and "://" not in name and name not in names:
            names.append(name)
    return ", ".join(names)[:BYLINE_MAX_CHARS] or None


def byline_name(text: str) -> str:
    """A byline without its "By" and extra spaces: "By  John Smith" -> "John Smith"."""
    return _BY.sub("", _collapse(text))


def figure_captions(page: PageScan) -> tuple[str, ...]:
    """The texts of the page's <figcaption> elements in document order, without repeats."""
    captions: list[str] = []
    for i, name in enumerate(page.el_name):
        if name != "figcaption":
            continue
        chunks = page.chunks[page.el_start[i] : page.el_end[i]]
        text = _collapse(" ".join(c for c in chunks if isinstance(c, str)))[:CAPTION_MAX_CHARS]
        if text and text not in captions:
            captions.append(text)
            if len(captions) == MAX_CAPTIONS:
                break
    return tuple(captions)


def iso_date(value: str | None) -> str | None:
    """The date part of an ISO-like timestamp ("2017-04-05T10:00Z" -> "2017-04-05").

    Accepts YYYY-MM-DD, YYYY/MM/DD and YYYYMMDD; anything else (month names, a
    bare year) is None rather than a guess. CMS placeholders (year 0001, the Unix
    epoch) are refused too.
    """
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if not match:
        return None
    try:
        date = dt.date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return None
    if not 1900 <= date.year <= 2100 or date == dt.date(1970, 1, 1):
        return None
    return date.isoformat()


def jsonld_value(page: PageScan, key: str, accept: Callable[[Any], bool] | None = None) -> Any:
    """The first ``key`` value in the page's JSON-LD that ``accept`` takes, in document order.

    ``accept`` defaults to "a string ``iso_date`` reads", so an empty or free-text
    ``datePublished`` of one block does not hide a good one in the next.
    """
    accept = accept or (lambda value: isinstance(value, str) and iso_date(value) is not None)
    for data in jsonld_data(page):
        stack = [data]
        while stack:  # iterative: JSON-LD may be nested arbitrarily deep
            item = stack.pop()
            if isinstance(item, dict):
                value = item.get(key)
                if value is not None and accept(value):
                    return value
                stack.extend(reversed(list(item.values())))
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return None


def jsonld_data(page: PageScan) -> list[Any]:
    """The page's JSON-LD blocks parsed once (dates, publisher and articleBody all read them)."""
    if page.jsonld_parsed is None:
        page.jsonld_parsed = []
        for block in page.jsonld:
            try:
                page.jsonld_parsed.append(json.loads(block))
            except (ValueError, RecursionError):
                continue
    return page.jsonld_parsed
