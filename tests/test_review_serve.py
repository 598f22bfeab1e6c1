"""``python -m pipeline review --serve``: verdicts posted from the site's pages become corrections files."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.review.corrections import load_corrections
from pipeline.review.serve import make_server
from tests.review_helpers import make_claim, make_record

TEXT = "Shelling kills 5 in Donetsk\n\nFive civilians were killed by shelling in Donetsk on Friday, officials said."
SENTENCE = "Five civilians were killed by shelling in Donetsk on Friday, officials said."


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, Any]]]:
    record = make_record(TEXT, [make_claim(TEXT, SENTENCE, "Five", value=5)], file="ua/donetsk.txt")
    httpd, _ = make_server({"ua/donetsk.json": record}, None, tmp_path / "corrections", 0, tmp_path / "site")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", tmp_path / "corrections", record
    httpd.shutdown()
    httpd.server_close()


def _post(base: str, payload: Any, **headers: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(f"{base}/api/verdict", data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _entry(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    claim = record["claims"][0]
    return {"claim": claim["id"], "verdict": "corrected", "quote": "anything the page sent",
            "count_text": claim["count"]["text"], "fields": {"actor": "state:RU"}, "reason": "Russian shelling", **changes}


def test_review_serve_binds_the_loopback_address_only(server: tuple[str, Path, dict[str, Any]]) -> None:
    base, _, _ = server
    assert base.startswith("http://127.0.0.1:")


def test_review_serve_writes_the_verdict_and_shows_it(server: tuple[str, Path, dict[str, Any]]) -> None:
    base, folder, record = server
    status, answer = _post(base, {"article": "ua/donetsk.txt", "entry": _entry(record)},
                           Origin=base)
    assert status == 200 and answer["file"].endswith("corrections/ua/donetsk.txt.yaml")
    loaded = load_corrections(folder, [])["ua/donetsk.txt"]
    assert [(c.verdict, dict(c.fields), c.reason) for c in loaded] == [("corrected", {"actor": "state:RU"},
                                                                         "Russian shelling")]
    assert loaded[0].quote == SENTENCE, "the quote on file is the claim's own, not what the page sent"
    with urllib.request.urlopen(f"{base}/articles/ua__donetsk.html") as page:
        html = page.read().decode()
    assert "rv-corrected" in html and "state:RU" in html and "connect-src 'self'" in html
    # A second verdict on the same claim replaces the first.
    assert _post(base, {"article": "ua/donetsk.txt", "entry": _entry(record, verdict="correct", fields={})})[0] == 200
    assert [c.verdict for c in load_corrections(folder, [])["ua/donetsk.txt"]] == ["correct"]


@pytest.mark.parametrize(("payload", "headers", "status"), [
    ({"article": "ua/donetsk.txt"}, {"Origin": "http://evil.example"}, 403),
    ({"article": "ua/donetsk.txt"}, {"Host": "evil.example:80"}, 403),
    ({"article": "ua/donetsk.txt"}, {"Content-Type": "text/plain"}, 415),
    ({"article": "../../etc/passwd.txt"}, {}, 404),
    ({"article": "ua/donetsk.txt", "entry": {"verdict": "maybe"}}, {}, 400),
])
def test_review_serve_refuses_what_is_not_a_verdict_from_its_pages(
        server: tuple[str, Path, dict[str, Any]], payload: dict[str, Any], headers: dict[str, str], status: int) -> None:
    base, folder, record = server
    payload = {"entry": _entry(record), **payload}
    assert _post(base, payload, **headers)[0] == status
    assert not folder.exists()


def test_review_serve_refuses_a_claim_the_article_does_not_have(server: tuple[str, Path, dict[str, Any]]) -> None:
    base, folder, record = server
    status, answer = _post(base, {"article": "ua/donetsk.txt", "entry": _entry(record, claim="0123456789ab")})
    assert status == 400 and "no claim" in answer["error"] and not folder.exists()
