"""The polite fetcher and URL sources (pages, URL lists, RSS/Atom feeds, sitemaps) against a local server.

The server is started by the test on 127.0.0.1 and stops with it: nothing here reaches
another machine. Its pages are our own short texts.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.ingest.fetch import Fetcher, FetchError, FetchSettings

pytest.importorskip("feedparser", reason="the [ingest] extra is not installed (make test installs it)")

STORY = ("Gunmen attacked a village in the district on Saturday night and killed 11 people, a local official "
         "said, adding that several houses were set on fire before the attackers fled on motorbikes.")
PAGE = "<html><head><title>{t}</title></head><body><article><h1>{t}</h1><p>{b}</p></article></body></html>"


class Site:
    """Routes of the local server: path -> (status, content type, body); a few special behaviours."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: list[str] = []
        self.flaky: dict[str, int] = {}  # path -> how many 503s before it answers
        self.slow: set[str] = set()
        self.base = ""

    def page(self, path: str, title: str, body: str = STORY) -> str:
        self.routes[path] = (200, "text/html; charset=utf-8", PAGE.format(t=title, b=body).encode())
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state.hits.append(self.path)
            if self.path in state.slow:
                time.sleep(1.0)
            if state.flaky.get(self.path, 0) > 0:
                state.flaky[self.path] -= 1
                self._answer(503, "text/plain", b"busy", {"Retry-After": "0"})
                return
            status, kind, body = state.routes.get(self.path, (404, "text/plain", b"not found"))
            self._answer(status, kind, body)

        def _answer(self, status: int, kind: str, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (time-out tests)
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    state.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _ingest(capsys: pytest.CaptureFixture[str], src: str, corpus: Path, *flags: str) -> tuple[int, str]:
    status = main(["ingest", src, "--corpus", str(corpus), "--delay", "0", "--timeout", "0.5", *flags])
    return status, capsys.readouterr().err


def _rss(site: Site, links: list[tuple[str, str]]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{link}</link><pubDate>{date}</pubDate></item>" for link, date in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def test_feed_fetches_its_entries_with_a_reason_for_each_failure(site: Site, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    good = site.page("/news/village-attack.html", "Village attack")
    missing = site.base + "/news/removed.html"
    private = site.page("/private/draft.html", "Draft")
    site.routes["/feed.xml"] = (200, "application/rss+xml", _rss(site, [
        (good, "Sun, 12 Mar 2023 08:00:00 GMT"), (missing, "Sun, 12 Mar 2023 09:00:00 GMT"),
        (private, "Sun, 12 Mar 2023 10:00:00 GMT")]))
    corpus = tmp_path / "c"
    status, err = _ingest(capsys, site.base + "/feed.xml", corpus)
    assert status == 1
    [article] = (corpus / "127.0.0.1").glob("*.html")
    assert article.name == "news-village-attack.html"
    meta = json.loads(article.with_name("news-village-attack.meta.json").read_text())
    assert meta["url"] == good and meta["published"] == "2023-03-12" and meta["source_record"].endswith("#entry=1")
    assert meta["fetched"].endswith("Z")
    assert f"[E604] {missing}: fetch failed: HTTP 404" in err
    assert f"[E605] {private}: robots.txt" in err
    assert "/private/draft.html" not in site.hits  # disallowed: never requested
    # the same feed again fetches only what is not in the corpus yet
    site.hits.clear()
    status, err = _ingest(capsys, site.base + "/feed.xml", corpus)
    assert "/news/village-attack.html" not in site.hits and "already present 1" in err


def test_feed_that_404s(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = _ingest(capsys, site.base + "/no-feed.xml", tmp_path / "c")
    assert status == 1 and "[E604]" in err and "HTTP 404" in err


def test_atom_feed_read_from_a_file(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = site.page("/a/1", "Attack")
    atom = (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><entry><title>x</title>'
            f'<link href="{link}"/><id>1</id><published>2022-01-05T10:00:00Z</published>'
            f"<updated>2022-02-01T00:00:00Z</updated></entry></feed>")
    src = tmp_path / "feed.atom"
    src.write_text(atom)
    status, err = _ingest(capsys, str(src), tmp_path / "c")
    assert status == 0, err
    assert json.loads((tmp_path / "c" / "127.0.0.1" / "a-1.meta.json").read_text())["published"] == "2022-01-05"


def test_time_outs_and_retries(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slow = site.page("/slow", "Slow")
    site.slow.add("/slow")
    flaky = site.page("/flaky", "Flaky")
    site.flaky["/flaky"] = 1
    src = tmp_path / "urls.txt"
    src.write_text(f"# two pages\n{slow}\n\nnot-a-url\n{flaky}\n")
    status, err = _ingest(capsys, str(src), tmp_path / "c", "--retries", "1")
    assert status == 1
    assert f"[E604] {slow}: fetch failed: timed out after 0.5 s (2 tries)" in err
    assert "[W606] urls.txt#line=4: 'not-a-url'" in err
    assert site.hits.count("/flaky") == 2 and (tmp_path / "c" / "127.0.0.1" / "flaky.html").is_file()


def test_sitemap_index_and_news_dates(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one, two = site.page("/s/one", "One"), site.page("/s/two", "Two", STORY.replace("11", "12"))
    urlset = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
              f"<url><loc>{one}</loc><lastmod>2024-01-09</lastmod></url>"
              f"<url><loc>{two}</loc><news:news><news:publication_date>2023-12-30T12:00:00+00:00"
              "</news:publication_date></news:news></url></urlset>")
    site.routes["/sitemap-news.xml"] = (200, "application/xml", urlset.encode())
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{site.base}/sitemap-news.xml</loc></sitemap></sitemapindex>")
    site.routes["/sitemap.xml"] = (200, "application/xml", index.encode())
    status, err = _ingest(capsys, site.base + "/sitemap.xml", tmp_path / "c")
    assert status == 0, err
    folder = tmp_path / "c" / "127.0.0.1"
    assert "published" not in json.loads((folder / "s-one.meta.json").read_text())  # lastmod is no publication date
    assert json.loads((folder / "s-two.meta.json").read_text())["published"] == "2023-12-30"


def test_a_page_url_is_stored_as_served(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.page("/story?id=7", "Story")
    status, err = _ingest(capsys, url, tmp_path / "c")
    assert status == 0, err
    [page] = (tmp_path / "c" / "127.0.0.1").glob("story-*.html")
    assert page.read_bytes() == site.routes["/story?id=7"][2]
    site.hits.clear()
    status, err = _ingest(capsys, url, tmp_path / "c")
    assert site.hits == [] and "already present 1" in err
    status, err = _ingest(capsys, url, tmp_path / "c", "--refetch")
    assert site.hits == ["/robots.txt", "/story?id=7"] and "already present 1" in err  # same bytes: nothing new


def test_robots_txt_that_fails_closes_the_host(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/robots.txt"] = (500, "text/plain", b"oops")
    url = site.page("/x", "X")
    status, err = _ingest(capsys, url, tmp_path / "c", "--retries", "0")
    assert status == 1 and "[E605]" in err and "/x" not in site.hits


def test_missing_robots_txt_allows_everything(site: Site) -> None:
    del site.routes["/robots.txt"]
    url = site.page("/private/ok", "Ok")
    assert Fetcher(FetchSettings(delay=0)).get(url).data.startswith(b"<html>")


def test_one_request_per_delay_to_each_host() -> None:
    """Two URLs of one host wait for each other; another host does not wait."""
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 3))
        now[0] += seconds

    fetcher = Fetcher(FetchSettings(delay=2.0), clock=lambda: now[0], sleep=sleep)
    fetcher._robots = {"http://a.example": None, "http://b.example": None}  # noqa: SLF001 - no network
    fetcher._wait_turn("http://a.example")  # noqa: SLF001
    fetcher._wait_turn("http://b.example")  # noqa: SLF001
    now[0] += 0.5
    fetcher._wait_turn("http://a.example")  # noqa: SLF001
    assert waits == [1.5]


def test_not_an_http_url() -> None:
    with pytest.raises(FetchError, match="not an http"):
        Fetcher().get("ftp://example.invalid/file")
