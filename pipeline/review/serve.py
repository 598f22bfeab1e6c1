"""``python -m pipeline review --serve``: the review site on 127.0.0.1, writing verdicts as they come.

The site is written once into a temporary folder and served from there; the article pages'
verdict form posts each verdict to ``/api/verdict``, which records it in the corrections folder
(corrections.py) and rewrites that article's page, so a reload shows it applied. Only this
machine can reach the server (it binds the loopback address), and a verdict is taken only from
the server's own pages: the request must be JSON (a cross-site form cannot send it without a
preflight this server never answers), name this server as its Host and, when the browser
sends one, as its Origin, so another site open in the browser cannot write corrections.
"""

from __future__ import annotations

import json
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipeline.review.apply import ArticleReview, review_records
from pipeline.review.checks import article_notes
from pipeline.review.corrections import from_entry, load_corrections, record_verdicts, verdict_on
from pipeline.review.load import Record
from pipeline.review.report import Page, Site, build_site, review_notes, write_article, write_index, write_site

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024


class ReviewState:
    """The records, the corrections folder and the site being served; verdicts go through here."""

    def __init__(self, records: dict[str, Record], incidents: dict[str, Any] | None, corrections: Path,
                 site_dir: Path) -> None:
        self.records = records
        self.incidents = incidents
        self.corrections = corrections
        self.site_dir = site_dir
        self.lock = threading.Lock()
        problems: list[str] = []
        self.loaded = load_corrections(corrections, problems)
        self.problems = problems
        self.site: Site = build_site(records, incidents, self.loaded)
        write_site(self.site, site_dir)
        self.by_file = {str((record.get("article") or {}).get("file") or key): key for key, record in records.items()}

    def record(self, payload: Any) -> tuple[HTTPStatus, dict[str, Any]]:
        """Record one verdict ``{article, entry}``; the status and the JSON answer."""
        if not isinstance(payload, Mapping) or not isinstance(payload.get("article"), str):
            return HTTPStatus.BAD_REQUEST, {"error": "expected {article, entry}"}
        article = payload["article"]
        key = self.by_file.get(article)
        if key is None:
            return HTTPStatus.NOT_FOUND, {"error": f"no output for article {article!r}"}
        claims = {str(claim.get("id")): claim for claim in self.records[key].get("claims") or []}
        try:
            posted = from_entry(payload.get("entry"), article)
            if posted.claim not in claims:
                return HTTPStatus.BAD_REQUEST, {"error": f"article {article!r} has no claim {posted.claim!r}"}
            # The quote, count and values on file are the claim's own, whatever the page sent.
            correction = verdict_on(claims[str(posted.claim)], article, posted.verdict, posted.fields, posted.reason)
        except ValueError as exc:
            return HTTPStatus.BAD_REQUEST, {"error": str(exc)}
        with self.lock:
            try:
                path = record_verdicts(self.corrections, article, [correction])
            except (OSError, ValueError) as exc:
                return HTTPStatus.CONFLICT, {"error": f"not written: {exc}"}
            self._refresh(key, article)
        return HTTPStatus.OK, {"file": path.as_posix()}

    def _refresh(self, key: str, article: str) -> None:
        """Read the article's corrections again and rewrite its page and the index."""
        problems: list[str] = []
        loaded = load_corrections(self.corrections, problems)
        self.loaded = loaded
        reviews = review_records(self.records, {article: loaded.get(article, [])})
        for number, page in enumerate(self.site.pages):
            if page.key == key:
                self.site.pages[number] = _with_review(page, reviews.get(key))
                write_article(self.site, number, self.site_dir)
        write_index(self.site, self.site_dir)


def _with_review(page: Page, review: ArticleReview | None) -> Page:
    return replace(page, review=review, notes=article_notes(page.record, page.spans) + review_notes(review))


def handler_for(state: ReviewState, port: int) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving the site and taking verdicts (see the module docstring)."""
    allowed_hosts = {f"{HOST}:{port}", f"localhost:{port}"}

    class Handler(SimpleHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            if self.path != "/api/verdict":
                self._answer(HTTPStatus.NOT_FOUND, {"error": "no such endpoint"})
                return
            host = self.headers.get("Host", "")
            origin = self.headers.get("Origin")
            if host not in allowed_hosts or (origin is not None and origin != f"http://{host}"):
                self._answer(HTTPStatus.FORBIDDEN, {"error": "verdicts are taken from this server's pages only"})
                return
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                self._answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send JSON"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 < length <= MAX_BODY:
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"a verdict is 1 to {MAX_BODY} bytes"})
                return
            try:
                payload = json.loads(self.rfile.read(length).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                self._answer(HTTPStatus.BAD_REQUEST, {"error": "not JSON"})
                return
            status, answer = state.record(payload)
            if status == HTTPStatus.OK:
                self.log_message("verdict recorded in %s", answer.get("file"))
            self._answer(status, answer)

        def _answer(self, status: HTTPStatus, answer: dict[str, Any]) -> None:
            data = json.dumps(answer).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")  # a reload shows the verdict just written
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server signature
            sys.stderr.write(f"review: {format % args}\n")

    return Handler


def make_server(records: dict[str, Record], incidents: dict[str, Any] | None, corrections: Path,
                port: int = 0, site_dir: Path | None = None) -> tuple[ThreadingHTTPServer, ReviewState]:
    """A server on 127.0.0.1 (``port`` 0: any free port) with its site written into ``site_dir``
    (default: a new temporary folder, the caller's to remove); not started."""
    site_dir = site_dir or Path(tempfile.mkdtemp(prefix="review-site-"))
    state = ReviewState(records, incidents, corrections, site_dir)
    server = ThreadingHTTPServer((HOST, port), SimpleHTTPRequestHandler)
    server.RequestHandlerClass = partial(handler_for(state, server.server_address[1]),  # type: ignore[assignment]
                                         directory=str(site_dir))
    return server, state


def serve(records: dict[str, Record], incidents: dict[str, Any] | None, corrections: Path, port: int) -> int:
    """Serve until interrupted; the temporary site is removed at the end."""
    try:
        server, state = make_server(records, incidents, corrections, port)
    except OSError as exc:
        print(f"review: cannot listen on {HOST}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for line in state.problems:
        print(line, file=sys.stderr)
    address = f"http://{HOST}:{server.server_address[1]}/index.html"
    print(f"review: serving {address}; verdicts are written to {corrections}/ (Ctrl-C stops)", file=sys.stderr)
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM ends the server as Ctrl-C does, its temporary site removed

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        shutil.rmtree(state.site_dir, ignore_errors=True)
    return 0
