"""A polite HTTP fetcher: robots.txt, one request at a time per host, timeouts, retries.

Only ``python -m pipeline ingest`` with a URL source uses it; ``extract`` never opens a
connection. Politeness, in the order a request meets it:

- robots.txt of the host is read once (stdlib ``urllib.robotparser``) for our user agent:
  a URL it disallows is not fetched (E605). A robots.txt that answers 404 (or another
  4xx but 401/403) allows everything; 401/403, a 5xx or no answer disallows the whole
  host, as RFC 9309 asks. Its ``Crawl-delay`` is honoured when longer than ours.
- at most one request per ``delay`` seconds (default 1) to each host;
- each request times out after ``timeout`` seconds (default 20);
- a 429, 500, 502, 503 or 504 answer, a time-out or a dropped connection is tried again
  up to ``retries`` times (default 2), waiting ``Retry-After`` (at most a minute) or
  1 s, 2 s, 4 s…; any other failure is final.

Every failure has one reason in words ("HTTP 404", "timed out after 20 s", "connection
refused", "larger than 20000000 bytes"), which ingest prints with E604.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

USER_AGENT = "casualty-claims/0.1 (casualty-claim extraction; polite fetcher)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER = 60.0
MAX_CRAWL_DELAY = 60.0


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch."""

    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds for one request
    retries: int = 2  # extra tries after a transient failure
    backoff: float = 1.0  # first wait before a retry; doubled each time
    max_bytes: int = 20_000_000
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """One answer: the URL it came from (after redirects), its type and bytes, and when."""

    url: str
    content_type: str
    data: bytes
    fetched: str  # ISO 8601 UTC, seconds


class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` says why in a few words."""

    def __init__(self, reason: str, *, robots: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.robots = robots


class Fetcher:
    """Fetches URLs one at a time, politely. ``clock`` and ``sleep`` are injectable for tests."""

    def __init__(self, settings: FetchSettings = FetchSettings(), *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._next_slot: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._delay: dict[str, float] = {}
        self.requests = 0

    def get(self, url: str) -> Fetched:
        """Fetch one URL, or raise FetchError with the reason."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("not an http(s) URL")
        origin = f"{parts.scheme}://{parts.netloc}"
        if not self._allowed(origin, url):
            raise FetchError(f"robots.txt of {parts.netloc} disallows it", robots=True)
        return self._request(origin, url)

    # --- robots.txt ---------------------------------------------------------------------

    def _allowed(self, origin: str, url: str) -> bool:
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        robots = self._robots[origin]
        return robots is not None and robots.can_fetch(self.settings.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules; None when the whole host is off limits (401/403, 5xx, no answer)."""
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            answer = self._request(origin, origin + "/robots.txt", robots_file=True)
        except _Status as exc:
            if exc.status in (401, 403) or exc.status >= 500:
                return None
            robots.parse([])  # 404 and other 4xx: no rules, everything allowed
            return robots
        except FetchError:
            return None
        robots.parse(answer.data.decode("utf-8", "replace").splitlines())
        delay = robots.crawl_delay(self.settings.user_agent)
        if delay:
            self._delay[origin] = min(float(delay), MAX_CRAWL_DELAY)
        return robots

    # --- one request, with the host's pace and retries -----------------------------------

    def _wait_turn(self, origin: str) -> None:
        now = self._clock()
        slot = self._next_slot.get(origin, now)
        if slot > now:
            self._sleep(slot - now)
        self._next_slot[origin] = max(slot, now) + max(self.settings.delay, self._delay.get(origin, 0.0))

    def _request(self, origin: str, url: str, *, robots_file: bool = False) -> Fetched:
        attempt = 0
        while True:
            self._wait_turn(origin)
            try:
                return self._once(url)
            except _Status as exc:
                if exc.status not in RETRY_STATUSES or attempt >= self.settings.retries:
                    if robots_file:
                        raise
                    raise FetchError(f"HTTP {exc.status}" + (f" after {attempt + 1} tries" if attempt else "")) from exc
                wait = exc.retry_after if exc.retry_after is not None else self.settings.backoff * 2**attempt
            except _Transient as exc:
                if attempt >= self.settings.retries:
                    raise FetchError(exc.reason + (f" ({attempt + 1} tries)" if attempt else "")) from exc
                wait = self.settings.backoff * 2**attempt
            attempt += 1
            self._sleep(min(wait, MAX_RETRY_AFTER))

    def _once(self, url: str) -> Fetched:
        request = urllib.request.Request(url, headers={"User-Agent": self.settings.user_agent, "Accept": "*/*"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as answer:  # noqa: S310 - http(s) only
                data = answer.read(self.settings.max_bytes + 1)
                if len(data) > self.settings.max_bytes:
                    raise FetchError(f"larger than {self.settings.max_bytes} bytes")
                kind = answer.headers.get_content_type() if isinstance(answer.headers, Message) else ""
                fetched = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
                return Fetched(answer.geturl(), kind, data, fetched)
        except urllib.error.HTTPError as exc:
            raise _Status(exc.code, _retry_after(exc.headers)) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _Transient(f"timed out after {self.settings.timeout:g} s") from exc
            raise _Transient(_why(exc.reason)) from exc
        except (TimeoutError, socket.timeout) as exc:
            raise _Transient(f"timed out after {self.settings.timeout:g} s") from exc
        except (ConnectionError, OSError) as exc:
            raise _Transient(_why(exc)) from exc

    def close(self) -> None:
        """Nothing is held open between requests; here for symmetry with the other sources."""


class _Status(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class _Transient(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _retry_after(headers: Message | None) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _why(reason: object) -> str:
    """A failure in a few words: "timed out after 20 s", "connection refused", "name not resolved"."""
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, socket.gaierror):
        return "host name not resolved"
    text = str(reason)
    return text[:200] or type(reason).__name__
