"""URL sources: a page, a list of URLs, an RSS/Atom feed, a sitemap -> fetched ``.html`` pages.

The source is a URL or a local file. A file of URLs has one per line (blank lines and
``#`` comments skipped). A feed (RSS 0.9x-2.0, RDF, Atom; read by feedparser, the
``[ingest]`` extra) gives its entries' links, with the entry's date as the published
date. A sitemap (``<urlset>``; a ``<sitemapindex>`` is followed two levels deep) gives its
``<loc>``s, with the Google News ``<news:publication_date>`` as the published date when
it has one (``<lastmod>`` is a modification date, not used). A URL that answers with an
HTML page is that page.

Each page's bytes are stored as served, ``<host>/<path-slug>.html`` (a PDF answer as
``.pdf``), with ``url`` (as listed), ``fetched`` and ``source_record`` (the feed, sitemap
or list it came from) in its sidecar. A URL already in the corpus (a sidecar or an
earlier ingest names it) is not fetched again unless ``--refetch``: ingesting the same
feed twice fetches only its new entries.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline.errors import PipelineError, warning
from pipeline.ingest.fetch import Fetched, FetchError, Fetcher
from pipeline.ingest.names import url_name
from pipeline.ingest.store import CorpusStore, Incoming

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "application/x-rss+xml")
# Sitemap indexes are followed this deep, and at most this many sitemaps in all.
SITEMAP_DEPTH = 2
MAX_SITEMAPS = 50
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class UrlSource:
    """Fetches what a URL source lists and writes the pages into the store."""

    def __init__(self, store: CorpusStore, fetcher: Fetcher, *, refetch: bool = False, max_pages: int | None = None):
        self.store = store
        self.fetcher = fetcher
        self.refetch = refetch
        self.max_pages = max_pages
        self.pages = 0
        self._sitemaps = 0

    # --- entry points ----------------------------------------------------------------

    def from_url(self, url: str) -> None:
        """A URL given on the command line: a feed, a sitemap or a page, by what it answers."""
        if not self.refetch and url in self.store.urls:  # stored before as a page: it is one
            self.store.summary.present += 1
            return
        try:
            answer = self.fetcher.get(url)
        except FetchError as exc:
            self._fetch_failed(url, exc)
            return
        if _is_html(answer):
            self._store_page(url, answer, url, None)
        else:
            self.from_document(answer.data, url)

    def from_file(self, path: Path) -> None:
        """A local file: a feed or a sitemap when it is XML, else a list of URLs."""
        data = path.read_bytes()
        if data.lstrip()[:1] == b"<":
            self.from_document(data, path.name)
        else:
            self.from_list(data.decode("utf-8-sig", "replace").splitlines(), path.name)

    def from_list(self, lines: list[str], origin: str) -> None:
        for number, line in enumerate(lines, start=1):
            url = line.strip()
            if not url or url.startswith("#"):
                continue
            if not url.lower().startswith(("http://", "https://")):
                self.store.summary.skip("not a URL", warning("W606", where=f"{origin}#line={number}", value=url[:80]))
                continue
            self.page(url, f"{origin}#line={number}", None)

    def from_document(self, data: bytes, origin: str, depth: int = 0) -> None:
        """A feed or a sitemap, told apart by the root element."""
        root = _xml_root(data)
        if root is not None and root.tag in (f"{_SITEMAP_NS}urlset", "urlset"):
            self._from_urlset(root, origin)
        elif root is not None and root.tag in (f"{_SITEMAP_NS}sitemapindex", "sitemapindex"):
            self._from_sitemap_index(root, origin, depth)
        else:
            self._from_feed(data, origin)

    # --- feeds and sitemaps ----------------------------------------------------------------

    def _from_feed(self, data: bytes, origin: str) -> None:
        try:
            import feedparser
        except ImportError:
            self.store.summary.fail(f"{origin}: {PipelineError('E122', what='feeds', extra='ingest')}")
            return
        feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        if not feed.entries and (feed.bozo or not feed.version):
            reason = "neither a feed, a sitemap nor an HTML page"
            self.store.summary.fail(str(PipelineError("E601", src=origin, reason=reason)))
            return
        for number, entry in enumerate(feed.entries, start=1):
            link = entry.get("link") or ""
            if not link.lower().startswith(("http://", "https://")):
                self.store.summary.skip("no link", warning("W606", where=f"{origin}#entry={number}", value=link[:80]))
                continue
            parsed = entry.get("published_parsed")  # "updated" is when it changed, not when it appeared
            published = dt.date(*parsed[:3]).isoformat() if parsed else None
            self.page(link, f"{origin}#entry={number}", published)

    def _from_urlset(self, root: ET.Element, origin: str) -> None:
        for number, node in enumerate(_children(root, "url"), start=1):
            loc = (_child_text(node, "loc") or "").strip()
            if not loc.lower().startswith(("http://", "https://")):
                self.store.summary.skip("no link", warning("W606", where=f"{origin}#url={number}", value=loc[:80]))
                continue
            news = node.find(f"{_NEWS_NS}news")
            published = None
            if news is not None:
                date_text = (news.findtext(f"{_NEWS_NS}publication_date") or "").strip()
                published = date_text[:10] if _is_iso_day(date_text[:10]) else None
            self.page(loc, f"{origin}#url={number}", published)

    def _from_sitemap_index(self, root: ET.Element, origin: str, depth: int) -> None:
        for node in _children(root, "sitemap"):
            loc = (_child_text(node, "loc") or "").strip()
            if not loc or depth >= SITEMAP_DEPTH or self._sitemaps >= MAX_SITEMAPS:
                self.store.summary.skip("sitemap not followed")
                continue
            self._sitemaps += 1
            try:
                answer = self.fetcher.get(loc)
            except FetchError as exc:
                self._fetch_failed(loc, exc)
                continue
            self.from_document(answer.data, loc, depth + 1)

    # --- one page ------------------------------------------------------------------------

    def page(self, url: str, origin: str, published: str | None) -> None:
        """Fetch and store one article page, unless it is already in the corpus."""
        if not self.refetch and url in self.store.urls:
            self.store.summary.present += 1
            return
        if self.max_pages is not None and self.pages >= self.max_pages:
            self.store.summary.skip("over --max-pages")
            return
        self.pages += 1
        try:
            answer = self.fetcher.get(url)
        except FetchError as exc:
            self._fetch_failed(url, exc)
            return
        self._store_page(url, answer, origin, published)

    def _store_page(self, url: str, answer: Fetched, origin: str, published: str | None) -> None:
        if answer.content_type == "application/pdf":
            suffix = ".pdf"
        elif _is_html(answer):
            suffix = ".html"
        else:
            self.store.summary.skip("not HTML", warning("W607", where=url, kind=answer.content_type or "none"))
            return
        meta = {"url": url, "fetched": answer.fetched, "source_record": origin}
        if published:
            meta["published"] = published
        self.store.add(Incoming(url_name(url), suffix, answer.data, meta, url))

    def _fetch_failed(self, url: str, exc: FetchError) -> None:
        host = url.split("/")[2] if url.count("/") >= 2 else url
        code = PipelineError("E605", url=url, host=host) if exc.robots else PipelineError("E604", url=url,
                                                                                            reason=exc.reason)
        self.store.summary.fail(str(code))


def _is_html(answer: Fetched) -> bool:
    if answer.content_type in HTML_TYPES:
        return True
    if answer.content_type in FEED_TYPES:
        return False
    head = answer.data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _xml_root(data: bytes) -> ET.Element | None:
    """The root element of an XML document, or None when it is not XML (expat refuses entity bombs)."""
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def _children(root: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in root if child.tag in (f"{_SITEMAP_NS}{name}", name)]


def _child_text(node: ET.Element, name: str) -> str | None:
    found = node.find(f"{_SITEMAP_NS}{name}")
    if found is None:
        found = node.find(name)
    return found.text if found is not None else None


def _is_iso_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
