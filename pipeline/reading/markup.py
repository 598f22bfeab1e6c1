"""A streaming, non-recursive scan of an HTML page into text chunks and element spans.

Why not BeautifulSoup: its tree walks (``get_text``, ``decompose``) recurse, so a
page nested 50,000 levels deep raises RecursionError, and ``get_text`` either glues
block text together or, with a separator, splits words at inline tags
("kill<i>ed</i>" -> "kill ed"). ``html.parser.HTMLParser`` is streaming but costs
more than our whole budget before any handler runs. This module tokenizes with a
few linear regexes and keeps only an explicit stack, so its cost is one pass over
the page and its memory one list entry per element and per text run.

The scan records, in document order:

- ``chunks``: text runs and break markers (``LINE`` for <br>, ``PARA`` at block
  edges, ``CELL`` between table cells); ``chunk_drop[i]`` names the innermost
  furniture element (``drops`` index, or -1) the chunk sits in;
- every element's chunk range, so ``html.py`` can choose the article container
  and decide afterwards which furniture to drop;
- paragraph lengths, meta tags, JSON-LD blocks, <title> and the first <h1>.

Nothing is fetched and nothing is resolved: character references are the only
entities HTML has, and iframes, links and refreshes are just tags.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import Any

from pipeline.reading import html_rules as R

# Break markers stored in ``chunks`` next to the text strings.
CELL, LINE, PARA = 0, 1, 2
# Bits of ``chunk_flags``: where a text run sits (inside a link, inside h1-h6).
IN_LINK, IN_HEADING = 1, 2

# A start or end tag, tokenized as browsers do: once "<" and a letter are seen, the
# tag runs to the first ">" outside a quoted attribute value ("<" and quotes
# elsewhere are part of it). Possessive quantifiers never backtrack, so a match
# either ends at its ">" (and the scan moves past it) or fails once at the end of
# the page (no ">" after, or an unclosed quote that holds every later ">").
TAG = re.compile(r"""<(/?)([A-Za-z][^\t\n\f\r />]*+)((?:[^>=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|=)*+)>""")
# After such a failure the rest of the page is read with tags that hold no "<" at
# all, so a stray "<" costs at most the distance to the next "<" (the scan stays
# linear on "<a<a<a..." or "<a b='c' d='<a b='c' d='<...") and the text after a
# broken tag is kept, where a browser would swallow it.
STRICT_TAG = re.compile(r"""<(/?)([A-Za-z][^\t\n\f\r />=<]*+)((?:[^<>=]++|=\s*+"[^"<]*+"|=\s*+'[^'<]*+'|=)*+)>""")
STRICT_ANY = re.compile(STRICT_TAG.pattern + r"|<[!?/]")
# The next "<" that opens something (a letter, "!", "?" or "/" follows; any other "<" is
# text, skipped in C), read as a tag when one ends there: one search per token. Group 2 is None when "<" and a letter open no tag (see STRICT_TAG).
ANY_OPENER = re.compile(TAG.pattern + r"|<[!?/]|<[A-Za-z]")
ATTR = re.compile(r"""([^\s"'/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# Where a raw-text element (script, style, title...) without its end tag stops: at the
# next thing that looks like a tag, so "<script>...</head><body><p>text" keeps the body.
NEXT_TAG = re.compile(r"<[A-Za-z/!]")
_END_TAG_CACHE: dict[str, re.Pattern[str]] = {}

# At most this many tags, comments and declarations are read from one page; the
# rest is dropped and counted as "html_budget". Every tag costs a few microseconds
# of Python, so a 2 MB page of "<p>a</p>" would take seconds; real pages hold far
# fewer (at most about 20,000 "<" openers, scripts included, on the 158 benchmark
# pages), and the pipeline keeps at most 300,000 characters of text anyway.
MAX_TOKENS = 50_000
# ... and at most about this many text runs and breaks are recorded (a <pre> of
# a million one-character lines, a page of <br>s).
MAX_CHUNKS = 150_000
# At most this many class tokens of one element are read for furniture markers.
MAX_CLASS_TOKENS = 32

# Flags kept on each open element.
_BLOCK, _HARD, _P, _PRE, _ARTICLE, _H1, _CELL, _LINK, _HEAD = 1, 2, 4, 8, 16, 32, 64, 128, 256
# A block other than <p> counts as a paragraph when it holds this much text of its
# own (not in nested blocks, not in links): blogs and old sites write article
# text straight into a <div> separated by <br>, menus hold short link labels.
MIN_DIV_PARAGRAPH = 25
_HARD_TAGS = frozenset(R.HARD_DROP_TAGS)
_SOFT_TAGS = frozenset(R.SOFT_DROP_TAGS)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ENDS_P = R.BLOCK_TAGS | {"li", "dd", "dt"}  # start tags that end an open <p>
_MARKERS = {tuple(m.split("-")): kind for kind, ms in reversed(R.CLASS_MARKERS.items()) for m in ms}
_MARKER_RANK = {kind: rank for rank, kind in enumerate(R.CLASS_MARKERS)}
_RANKED_KINDS = list(R.CLASS_MARKERS)
_HIDDEN_RANK = _MARKER_RANK["hidden"]
_NO_RANK = len(_RANKED_KINDS)  # ranks below it name a kind
# Flags that follow from the tag name alone.
_TAG_FLAGS: dict[str, int] = {name: _BLOCK for name in R.BLOCK_TAGS}
_TAG_FLAGS.update({name: _CELL for name in R.CELL_TAGS})
_TAG_FLAGS.update({name: _TAG_FLAGS.get(name, 0) | _HARD for name in _HARD_TAGS})
_TAG_FLAGS.update({"p": _BLOCK | _P, "pre": _BLOCK | _PRE, "a": _LINK})
_TAG_FLAGS.update({name: _BLOCK | _ARTICLE for name in ("article", "main")})
_TAG_FLAGS.update({name: _BLOCK | _HEAD for name in _HEADINGS})
# Attributes that carry metadata (dates, microdata) on ordinary elements.
_METADATA_ATTRS = frozenset({"itemprop", "datetime", "pubdate"})
_MARKER_WORDS = frozenset(word for phrase in _MARKERS for word in phrase)
# Flags whose open elements are counted by ``push`` (and uncounted by ``close``).
_PUSH_COUNTED = _PRE | _ARTICLE | _LINK | _HEAD | _BLOCK
_VOID_TAGS = frozenset(R.VOID_TAGS)
# The void tags ``void_tag`` reads (breaks, metadata, canonical link, embeds); <img>,
# <input>, <source>... are skipped by the scan without a call.
_VOID_RECORDED = frozenset({"br", "hr", "meta", "link", "embed"})
_FOREIGN_TAGS = frozenset(R.FOREIGN_TAGS)
_IMPLIED_END = R.IMPLIED_END
# End tags that close nothing: content after </body> is still the body's.
_NEVER_CLOSED = frozenset({"html", "body", "head"})


@dataclass
class Paragraph:
    """A closed <p> or text-holding block: start, own non-link text, containers."""

    start: int
    length: int
    parent: int
    grandparent: int
    drop: int


@dataclass
class Drop:
    """A furniture element (nav, share bar, ...): dropped or not is decided later."""

    kind: str
    element: int
    parent: int  # the enclosing furniture element, or -1
    p_chars: int = 0  # paragraph text inside, to recognise page-wide wrappers
    text_chars: int = 0  # any text inside; empty furniture (icons) is not counted


@dataclass
class PageScan:
    """Everything one pass over a page records; see the module docstring."""

    chunks: list[str | int] = field(default_factory=list)
    chunk_drop: list[int] = field(default_factory=list)
    # Each chunk's stripped length << 2 | IN_LINK | IN_HEADING: link density and headings of blocks.
    chunk_flags: list[int] = field(default_factory=list)
    el_name: list[str] = field(default_factory=list)
    el_start: list[int] = field(default_factory=list)
    el_end: list[int] = field(default_factory=list)
    el_parent: list[int] = field(default_factory=list)
    articles: list[int] = field(default_factory=list)
    article_bodies: list[int] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    hard: Counter[str] = field(default_factory=Counter)
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[str] = field(default_factory=list)
    title: str | None = None
    h1: str | None = None
    h1_start: int = -1  # chunk where the first <h1> starts
    canonical: str | None = None  # <link rel="canonical" href>
    noscript: list[str] = field(default_factory=list)  # raw contents of <noscript>, for script shells
    jsonld_parsed: list[Any] | None = None  # ``jsonld`` parsed, filled on first use by html.py
    drop_date_lines: bool = True  # set by html.py: whether date lines above the text go
    p_total: int = 0


def scan_page(html: str) -> PageScan:
    """Scan ``html`` once and return what :class:`PageScan` records."""
    scanner = _Scanner()
    scanner.feed(html)
    return scanner.finish()


class _Scanner:
    """Tokenizer plus an explicit open-element stack; no recursion anywhere."""

    def __init__(self) -> None:
        self.out = PageScan()
        # The record's lists, bound here: the hot paths append to them per token.
        self.chunks = self.out.chunks
        self.chunk_drop = self.out.chunk_drop
        self.chunk_flags = self.out.chunk_flags
        self.el_name = self.out.el_name
        self.el_start = self.out.el_start
        self.el_end = self.out.el_end
        self.el_parent = self.out.el_parent
        # Open elements: (name, element index, flags, drop index, aux int).
        self.stack: list[tuple[str, int, int, int, int]] = []
        self.open: dict[str, int] = {}
        self.hard_depth = 0
        self.drop = -1
        self.pre = 0
        self.article = 0
        self.link = 0
        self.heading = 0
        self.text_total = 0
        self.foreign = 0  # depth of open <svg>/<math>: their <title> is no page title
        self.comment_end = 1 << 62  # see comment()
        self.raw_end: dict[str, int] = {}  # see raw_text()
        # Own (non-link) text of each open block element, innermost last.
        self.direct: list[int] = []

    def feed(self, html: str) -> None:
        """Tokenize the whole page; every branch moves ``pos`` forward.

        ``pos`` is where the pending text run starts, ``at`` where the next tag is
        looked for: a "<" that opens nothing ("3 < 5", "<<<") stays inside the run,
        skipped by the regex search in C, not one Python step per character.
        """
        pos = at = 0
        n, find, strict, budget = len(html), html.find, False, MAX_TOKENS
        # Hot loop: everything it touches per token is bound to a local first.
        chunks, chunk_drop, chunk_flags = self.chunks, self.chunk_drop, self.chunk_flags
        text, start_tag, end_tag, tag_search = self.text, self.start_tag, self.end_tag, ANY_OPENER.search
        stack, close, opened, el_end, direct = self.stack, self.close, self.open, self.out.el_end, self.direct
        raw_tags, foreign_tags, void_tags = R.RAW_TEXT_TAGS, R.FOREIGN_TAGS, _VOID_TAGS
        while at < n:
            budget -= 1
            if budget < 0 or len(chunks) > MAX_CHUNKS:  # see MAX_TOKENS
                self.out.hard["html_budget"] += 1
                return
            tag = tag_search(html, at)  # stray "<"s are skipped in C
            if tag is None:
                break
            lt, end = tag.span()
            slash, name, attr_text = tag.groups()
            if name is None and not strict and html[lt + 1] not in "!?/":
                strict, tag_search = True, STRICT_ANY.search  # "<" and a letter, but no tag ends after it: see STRICT_TAG
                at = lt
                continue
            if lt > pos and not self.hard_depth:
                data = html[pos:lt]
                if self.pre:
                    text(data)
                elif data.isspace():  # indentation between tags, see text()
                    chunks.append(" ")
                    chunk_drop.append(self.drop)
                    chunk_flags.append(0)
                else:  # text() outside <pre>, written out: one run per few tags
                    if "&" in data:
                        data = unescape(data)
                    if "\xad" in data or "\u200b" in data:
                        data = data.replace("\xad", "").replace("\u200b", "")
                    size = len(data.strip())
                    chunks.append(data)
                    chunk_drop.append(self.drop)
                    link = self.link
                    chunk_flags.append((size << 2) | (IN_LINK if link else 0) | (IN_HEADING if self.heading else 0))
                    self.text_total += size
                    if not link and direct:
                        direct[-1] += size
            if name is not None:  # a tag; else a comment or declaration
                pos = end
                name = name.lower()
                if slash:
                    top = stack[-1] if stack else None
                    if top is None or top[0] != name or name in _NEVER_CLOSED:
                        end_tag(name)
                    elif top[2] == _LINK and top[3] < 0 and top[1] >= 0:  # close()'s case of a plain <a>
                        stack.pop()
                        opened[name] -= 1
                        el_end[top[1]] = len(chunks)
                        self.link -= 1
                    elif top[2] | _P == _BLOCK | _P and top[3] < 0 and top[1] >= 0:  # ... of a plain <div>, <li>, <p>
                        stack.pop()
                        opened[name] -= 1
                        el_end[top[1]] = len(chunks)
                        length = direct.pop()
                        if length > 0:
                            self.close_paragraph(top[1], length, top[2])
                        chunks.append(PARA)
                        chunk_drop.append(-1)
                        chunk_flags.append(0)
                    elif top[2] or top[3] >= 0 or top[1] < 0 or name in foreign_tags:
                        close(stack.pop())  # end_tag's usual case: the innermost element ends
                    else:  # ... and close()'s usual case, an inline element: its end is all
                        stack.pop()
                        opened[name] -= 1
                        el_end[top[1]] = len(chunks)
                elif name in raw_tags and not (self.foreign and name == "title"):
                    pos = self.raw_text(name, attr_text, html, pos)
                elif (self.foreign or name in foreign_tags) and attr_text.endswith("/"):
                    pass  # "<path/>", "<svg/>": self-closing in SVG and MathML
                elif name in void_tags:  # no element, no stack: only a few of them record anything
                    if name in _VOID_RECORDED:
                        self.void_tag(name, attr_text)
                else:
                    start_tag(name, attr_text)
            elif html.startswith("<!--", lt):
                pos = self.comment(html, lt)
            else:
                end = find(">", lt + 2)  # doctype, CDATA, processing instruction: bogus comment
                pos = n if end < 0 else end + 1
            at = pos
        if pos < n:
            self.text(html[pos:])

    def finish(self) -> PageScan:
        """Close whatever the page left open and return the record."""
        while self.stack:
            self.close(self.stack.pop())
        return self.out

    # -- tokens ---------------------------------------------------------------

    def text(self, data: str) -> None:
        """Record a text run (character references decoded) unless inside a hard drop.

        ``feed`` writes the common case (outside <pre>) out in its loop: keep both alike.
        """
        if self.hard_depth:
            return
        chunks, chunk_drop, chunk_flags, drop = self.chunks, self.chunk_drop, self.chunk_flags, self.drop
        if not self.pre and data.isspace():  # indentation between tags: one space is enough
            chunks.append(" ")
            chunk_drop.append(drop)
            chunk_flags.append(0)
            return
        if "&" in data:
            data = unescape(data)
        if "\xad" in data or "\u200b" in data:  # soft hyphen, zero-width space: invisible inside words
            data = data.replace("\xad", "").replace("\u200b", "")
        size = len(data.strip())
        # chunk_flags: the run's stripped length shifted past the IN_* bits, so the
        # block filter reads sizes and link/heading text without touching strings.
        where = (size << 2) | (IN_LINK if self.link else 0) | (IN_HEADING if self.heading else 0)
        if self.pre and "\n" in data:
            room = max(MAX_CHUNKS - len(chunks), 0) // 2
            for i, line in enumerate(data.split("\n", room)):
                if i:
                    chunks.append(LINE)
                    chunk_drop.append(drop)
                    chunk_flags.append(0)
                chunks.append(line)
                chunk_drop.append(drop)
                chunk_flags.append(((len(line.strip()) << 2) | (where & 3)))
        else:
            chunks.append(data)
            chunk_drop.append(drop)
            chunk_flags.append(where)
        self.text_total += size
        if self.direct and not self.link:
            self.direct[-1] += size

    def comment(self, html: str, lt: int) -> int:
        """Skip a comment; one never closed ends at the next ">" (a bogus comment).

        Browsers run an unclosed comment to the end of the page; a page that opens a
        comment and never closes it still holds its article after it. ``comment_end``
        remembers that no "-->" follows, so many unclosed comments stay linear.
        """
        if not self.hard_depth:
            self.out.hard["comment"] += 1
        if html.startswith(">", lt + 4):  # "<!-->" is an empty comment
            return lt + 5
        if html.startswith("->", lt + 4):  # and so is "<!--->"
            return lt + 6
        end = -1 if lt >= self.comment_end else html.find("-->", lt + 4)
        if end >= 0:
            return end + 3
        self.comment_end = min(self.comment_end, lt)
        end = html.find(">", lt + 4)
        return len(html) if end < 0 else end + 1

    def raw_text(self, name: str, attrs: str, html: str, pos: int) -> int:
        """Consume a raw-text element (script, style, title, ...) up to its end tag.

        Without an end tag it stops at the next tag (see ``NEXT_TAG``); ``raw_end``
        remembers, per name, from where no end tag follows, so a page of unclosed
        ``<script>`` tags is scanned once, not once per tag.
        """
        closer = _END_TAG_CACHE.get(name)
        if closer is None:
            closer = _END_TAG_CACHE[name] = re.compile(rf"</{name}[\s/>]", re.I)
        found = closer.search(html, pos) if pos < self.raw_end.get(name, len(html) + 1) else None
        if found is None:
            self.raw_end[name] = min(self.raw_end.get(name, pos), pos)
            stop = NEXT_TAG.search(html, pos)
            content, after = html[pos : stop.start() if stop else len(html)], stop.start() if stop else len(html)
        else:
            end = html.find(">", found.end() - 1)
            content, after = html[pos : found.start()], (len(html) if end < 0 else end + 1)
        if name == "title":
            if self.out.title is None and not self.hard_depth:
                self.out.title = unescape(content)
        elif name == "script" and "ld+json" in attrs.lower():
            self.out.jsonld.append(content)
        elif name == "noscript" and not self.hard_depth and content.strip():
            self.out.noscript.append(content)
        if name in _HARD_TAGS and not self.hard_depth:
            self.out.hard[name] += 1
        return after

    # -- elements -------------------------------------------------------------

    def start_tag(self, name: str, attr_text: str) -> None:
        """Open an element: implied ends, breaks, furniture marks, metadata.

        The most frequent call of a scan (once per start tag), so the break
        marker, the element record and the push are written out here rather than
        in helper calls (``push`` is the same bookkeeping for elements opened
        inside dropped ones), and the rare cases go to ``noted_start``.
        """
        stack = self.stack  # void tags never get here: feed sends them to void_tag
        if stack:
            top = stack[-1][0]  # called only when implied_ends has something to do
            if name in _IMPLIED_END or (top == "p" and name in _ENDS_P) or (top in _HEADINGS and name in _HEADINGS):
                self.implied_ends(name)
        if self.hard_depth:
            self.push(name, -1, 0, -1, 0)
            return
        flags, kind, body, metadata, noted = classify(name, attr_text)
        chunks = self.chunks
        if name == "header" and self.article:
            kind = None  # an article's own header holds its lead paragraph
        elif name == "h1" and self.out.h1 is None:
            flags |= _H1
            self.out.h1_start = len(chunks)
        if flags & (_BLOCK | _CELL):  # a break marker, as marker() writes it
            chunks.append(PARA if flags & _BLOCK else CELL)
            self.chunk_drop.append(-1)
            self.chunk_flags.append(0)
        at = len(chunks)
        # the element record: name, start, parent
        el_name = self.el_name
        el = len(el_name)
        el_name.append(name)
        self.el_start.append(at)
        self.el_end.append(-1)
        self.el_parent.append(stack[-1][1] if stack else -1)
        drop = -1
        if noted:
            drop = self.noted_start(name, attr_text, el, flags, kind, body, metadata)
        # the push (see push)
        stack.append((name, el, flags, drop, at))
        opened = self.open
        opened[name] = opened.get(name, 0) + 1
        if name in _FOREIGN_TAGS:
            self.foreign += 1
        if flags & _PUSH_COUNTED:
            if flags & _PRE:
                self.pre += 1
            if flags & _ARTICLE:
                self.article += 1
            if flags & _LINK:
                self.link += 1
            if flags & _HEAD:
                self.heading += 1
            if flags & _BLOCK:
                self.direct.append(0)

    def noted_start(
        self, name: str, attr_text: str, el: int, flags: int, kind: str | None, body: bool, metadata: bool
    ) -> int:
        """The rarer parts of a start tag: articles, bodies, metadata, drops; returns its drop index or -1."""
        out = self.out
        if name == "article":
            out.articles.append(el)
        if body:
            out.article_bodies.append(el)
        if metadata:
            self.element_metadata(name, parse_attrs(attr_text))
        if flags & _HARD:
            self.hard_depth += 1
            out.hard[name] += 1
        elif kind:
            drop = len(out.drops)
            out.drops.append(Drop(kind, el, self.drop, out.p_total, self.text_total))
            self.drop = drop
            return drop
        return -1

    def void_tag(self, name: str, attr_text: str) -> None:
        """Handle an element without content: <br>, <hr>, <meta>, <embed>, ..."""
        if self.hard_depth:
            return
        if name == "br":
            self.marker(LINE)
        elif name == "hr":
            self.marker(PARA)
        elif name == "meta" and attr_text:
            self.element_metadata(name, parse_attrs(attr_text))
        elif name == "link" and self.out.canonical is None and "canonical" in attr_text.lower():
            attrs = parse_attrs(attr_text)
            if attrs.get("rel", "").strip().lower() == "canonical" and attrs.get("href", "").strip():
                self.out.canonical = attrs["href"].strip()
        elif name == "embed":
            self.out.hard[name] += 1

    def end_tag(self, name: str) -> None:
        """Close the nearest open element of this name and everything opened after it."""
        if name == "br":  # "</br>" is a line break in every browser
            self.void_tag("br", "")
            return
        if not self.open.get(name) or name in _NEVER_CLOSED:
            # Content after </body> is still the body's; "</p>" alone is an empty paragraph.
            if name == "p" and not self.hard_depth:
                self.marker(PARA)
            return
        stack, close = self.stack, self.close
        while True:
            entry = stack.pop()
            close(entry)
            if entry[0] == name:
                return

    def implied_ends(self, name: str) -> None:
        """Close elements a start tag ends implicitly (<p> before a block, <li> before <li>)."""
        stack = self.stack
        top = stack[-1][0]
        if top == "p" and name in _ENDS_P:
            self.close(stack.pop())
        elif top in _HEADINGS and name in _HEADINGS:
            self.close(stack.pop())
        rule = R.IMPLIED_END.get(name)
        if rule is None:
            return
        closes, scope = rule
        for depth in range(len(stack) - 1, max(len(stack) - 1 - R.IMPLIED_END_REACH, -1), -1):
            open_name = stack[depth][0]
            if open_name in closes:
                while len(stack) > depth:
                    self.close(stack.pop())
                return
            if open_name in scope:
                return

    def push(self, name: str, el: int, flags: int, drop: int, aux: int) -> None:
        """Put an element on the open stack."""
        self.stack.append((name, el, flags, drop, aux))
        self.open[name] = self.open.get(name, 0) + 1
        if name in _FOREIGN_TAGS:
            self.foreign += 1
        if flags & _PRE:
            self.pre += 1
        if flags & _ARTICLE:
            self.article += 1
        if flags & _LINK:
            self.link += 1
        if flags & _HEAD:
            self.heading += 1
        if flags & _BLOCK:
            self.direct.append(0)

    def close(self, entry: tuple[str, int, int, int, int]) -> None:
        """Bookkeeping when an element ends, explicitly or implicitly."""
        name, el, flags, drop, aux = entry
        self.open[name] -= 1
        if name in _FOREIGN_TAGS:
            self.foreign -= 1
        if el < 0:
            return
        out = self.out
        out.el_end[el] = len(self.chunks)
        if not flags and drop < 0:  # an inline element (<span>, <b>): nothing else to settle
            return
        if flags & _HARD:
            self.hard_depth -= 1
        if flags & _BLOCK:  # before the drop bookkeeping: a <p class="share"> is inside itself
            length = self.direct.pop()
            if length > 0:  # most blocks hold no text of their own: no call for them
                self.close_paragraph(el, length, flags)
        if drop >= 0:
            record = out.drops[drop]
            record.p_chars = out.p_total - record.p_chars
            record.text_chars = self.text_total - record.text_chars
            self.drop = record.parent
        if flags & _HEAD:
            self.heading -= 1
        if flags & _PRE:
            self.pre -= 1
        elif flags & _ARTICLE:
            self.article -= 1
        elif flags & _LINK:
            self.link -= 1
        elif flags & _H1 and out.h1 is None:
            out.h1 = "".join(c for c in out.chunks[aux:] if isinstance(c, str))
        if flags & (_BLOCK | _CELL):  # a break marker, as marker() writes it
            self.chunks.append(PARA if flags & _BLOCK else CELL)
            self.chunk_drop.append(-1)
            self.chunk_flags.append(0)

    def close_paragraph(self, el: int, length: int, flags: int) -> None:
        """Record a closed paragraph's own text (``length`` > 0) against its parent and grandparent."""
        out = self.out
        if length < MIN_DIV_PARAGRAPH and not flags & _P:
            return
        parent = self.stack[-1][1] if self.stack else -1
        grandparent = self.stack[-2][1] if len(self.stack) > 1 else -1
        out.paragraphs.append(Paragraph(out.el_start[el], length, parent, grandparent, self.drop))
        out.p_total += length

    def marker(self, kind: int) -> None:
        """Append a break marker (markers are kept even inside furniture)."""
        self.out.chunks.append(kind)
        self.out.chunk_drop.append(-1)
        self.out.chunk_flags.append(0)

    def element_metadata(self, name: str, attrs: dict[str, str]) -> None:
        """Collect meta tags, microdata dates and <time datetime> values."""
        meta = self.out.meta
        if name == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
            if key and "content" in attrs:
                meta.setdefault(key.strip().lower(), attrs["content"])
            return
        value = attrs.get("datetime") or attrs.get("content")
        if not value:
            return
        if "itemprop" in attrs:
            meta.setdefault(attrs["itemprop"].strip().lower(), value)
        if name == "time":
            if "pubdate" in attrs:
                meta.setdefault("pubdate", value)
            if self.article and "datetime" in attrs:
                meta.setdefault("time-in-article", value)


@lru_cache(maxsize=16384)
def classify(name: str, attr_text: str) -> tuple[int, str | None, bool, bool, bool]:
    """Flags, furniture kind, "is articleBody", "has metadata" of a start tag, and
    whether any of these (or <article>) needs more than the common bookkeeping.

    Pure, so cached: pages repeat the same tag-and-attributes string many times
    (menu items, list entries), so the attribute parse and class-word matching
    run once per distinct string.

    """
    attrs = parse_attrs(attr_text) if attr_text else {}
    flags = _TAG_FLAGS.get(name, 0)
    kind = None if flags & _HARD else furniture_kind(name, attrs)
    body = "articlebody" in attrs.get("itemprop", "").lower()
    metadata = bool(_METADATA_ATTRS.intersection(attrs))
    noted = bool(kind or body or metadata or flags & _HARD or name == "article")
    return flags, kind, body, metadata, noted


def parse_attrs(text: str) -> dict[str, str]:
    """Parse an attribute string; names lowercased, values unescaped, first wins."""
    attrs: dict[str, str] = {}
    for name, dq, sq, bare in ATTR.findall(text):
        name = name.lower()
        if name not in attrs:
            value = dq or sq or bare
            attrs[name] = unescape(value) if "&" in value else value
    return attrs


def furniture_kind(name: str, attrs: dict[str, str]) -> str | None:
    """Name the kind of page furniture an element is, or None for content."""
    if name in _SOFT_TAGS:
        return name
    if not attrs:
        return None
    role = attrs.get("role")
    if role and role.strip().lower() in R.SOFT_DROP_ROLES:
        return R.SOFT_DROP_ROLES[role.strip().lower()]
    if "hidden" in attrs:
        return "hidden"
    if attrs.get("aria-hidden", "").strip().lower() == "true":
        return "aria-hidden"  # counted as "hidden"; weaker: a saved page may hide its body behind a modal
    style = attrs.get("style")
    if style and R.HIDDEN_STYLE.search(style):
        return "hidden"
    if name in R.MARKER_EXEMPT_TAGS:
        return None
    if name in _HEADINGS:  # a heading's id is a slug of its words ("share-prices-fell"), not a role
        return marker_kind(attrs.get("class", ""))
    return marker_kind(attrs.get("class", "")) or marker_kind(attrs.get("id", ""))


@lru_cache(maxsize=16384)
def marker_kind(value: str) -> str | None:
    """Kind of furniture a class or id value marks ("share-bar" -> "share"), or None."""
    best = _NO_RANK
    shown = R.SHOWN_AT_WIDTH.search(value) is not None  # "hidden lg:block": hidden on phones only
    for token in value.split(None, MAX_CLASS_TOKENS)[:MAX_CLASS_TOKENS]:
        hidden_token, rank, hidden_kind = token_markers(token)
        if hidden_token:
            if shown:
                continue
            return "hidden"
        if rank < best:
            best = rank
        if hidden_kind and not shown and _HIDDEN_RANK < best:
            best = _HIDDEN_RANK
    return _RANKED_KINDS[best] if best < _NO_RANK else None


@lru_cache(maxsize=16384)
def token_markers(token: str) -> tuple[bool, int, bool]:
    """What one class token says: a hiding class ("hidden")? the best rank of the
    marker kinds other than "hidden" among its words (``_NO_RANK`` if none)? a
    "hidden" marker among them?

    Cached per token: class values differ from element to element ("menu-item
    menu-item-4711") but their tokens repeat within a page and across sites.
    """
    if token.lower() in R.HIDDEN_CLASS_TOKENS:
        return True, _NO_RANK, False
    words = [w for w in R.CLASS_SPLIT.split(R.CAMEL_BOUNDARY.sub("-", token).lower()) if w]
    if words and words[0] in R.LAYOUT_PREFIXES:
        words = [w for w in words if w not in R.LAYOUT_WORDS]
    for i, word in enumerate(words):
        if word in R.STATE_PREFIXES:  # "article-has-ads", "non-paywall": a state, not a role
            del words[i:]
            break
    best, hidden = _NO_RANK, False
    if not words or _MARKER_WORDS.isdisjoint(words):
        return False, best, hidden
    for size in range(1, R.MARKER_MAX_WORDS + 1):
        for i in range(len(words) - size + 1):
            kind = _MARKERS.get(tuple(words[i : i + size]))
            if kind == "hidden":
                hidden = True
            elif kind is not None and _MARKER_RANK[kind] < best:
                best = _MARKER_RANK[kind]
    return False, best, hidden
