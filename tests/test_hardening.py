"""Hostile input and faults: odd clothes still extract, runs survive kills, nothing goes online."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.article import extract_article
from pipeline.runner import run
from pipeline.sidecar import Sidecar

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Airstrikes kill 12 civilians in Idlib\n\n3 March 2017\nAt least 12 civilians were killed in Russian air strikes on Idlib on Friday, a monitor said.\n"


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("cp1252"),
        ARTICLE.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        ARTICLE.encode("utf-16"),
        ARTICLE.replace("Russian", "Russian\u2019s").encode("utf-8"),
    ],
    ids=["cp1252", "crlf", "utf8-bom", "utf16-bom", "curly-quote"],
)
def test_hardening_odd_encodings_extract_the_same_claim(nlp, data: bytes) -> None:
    record = extract_article(data, "a.txt", Sidecar(), nlp)
    assert record["incident"]["killed"]["civilians"] == 12
    assert record["incident"]["actor"] == "russia"


@pytest.mark.parametrize(
    "text",
    [
        "Title\n\n" + "at least " * 5000 + "12 people were killed.",
        "Title\n\n" + " ".join(str(i) for i in range(60000)),
        "Title\n\n" + ("12 killed and " * 20000) + "end.",
        "Title\n\n" + "x" * 1_000_000,
        "Title\n\n" + "between " * 3000 + "5 and 7 civilians were killed",
    ],
    ids=["at-least-repeated", "only-numbers", "many-claims", "megabyte-line", "between-repeated"],
)
def test_hardening_adversarial_text_finishes_quickly(nlp, text: str) -> None:
    started = time.perf_counter()
    extract_article(text.encode("utf-8"), "a.txt", Sidecar(), nlp)
    # A generous bound: the point is "no catastrophic backtracking", not a speed target.
    assert time.perf_counter() - started < 20


def test_hardening_figures_past_the_limit_are_flagged(nlp) -> None:
    text = "Title\n\n" + "12 killed and " * 3000 + "end."
    record = extract_article(text.encode("utf-8"), "a.txt", Sidecar(), nlp)
    assert len(record["claims"]) == 2000
    assert any(w.startswith("[W007] the text holds over 2000 figures") for w in record["article"]["warnings"])


def test_hardening_overlong_text_is_cut_with_a_warning(nlp) -> None:
    text = "Title\n\n" + "At least 12 civilians were killed in Idlib. " * 10000
    record = extract_article(text.encode("utf-8"), "a.txt", Sidecar(), nlp)
    assert len(record["article"]["text"]) <= 300_000 + len("Title\n\n")
    assert any(w.startswith("[W005]") for w in record["article"]["warnings"])


def test_hardening_html_scripts_and_menus_yield_no_claims(nlp) -> None:
    page = (
        "<html><head><title>Quiet day</title><script>var s='300 civilians were killed';</script>"
        "<style>.a{content:'40 killed'}</style></head><body><nav>500 people killed in Aleppo</nav>"
        "<!-- 70 dead --><iframe src='http://example.invalid/'>90 killed</iframe>"
        "<article><p>The market reopened on Monday.</p></article><footer>12 killed</footer></body></html>"
    )
    record = extract_article(page.encode("utf-8"), "a.html", Sidecar(), nlp)
    assert record["claims"] == []


def test_hardening_no_network_during_a_run(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pipeline tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in sorted((ROOT / "tests" / "seeds").glob("*.txt")):
        (corpus / src.name).write_bytes(src.read_bytes())
    (corpus / "page.html").write_text(
        "<html><head><meta http-equiv='refresh' content='0;url=http://example.invalid/'>"
        "<title>T</title></head><body><img src='http://example.invalid/x.png'>"
        "<p>At least 5 people were killed.</p></body></html>",
        encoding="utf-8",
    )
    summary, errors = run(corpus, tmp_path / "out")
    assert errors == [] and summary.extracted == 3


def test_hardening_sigkill_leaves_no_torn_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(300):
        (corpus / f"a{i:03}.txt").write_text(ARTICLE.replace("12", str(i + 1)) * 20, encoding="utf-8")
    outputs = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", "--corpus", str(corpus), "--outputs", str(outputs)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(list(outputs.glob("a*.json"))) < 20:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = list(outputs.glob("a*.json"))
    assert written, "the run was killed before writing anything"
    for path in written:
        json.loads(path.read_text(encoding="utf-8"))  # every file is whole
    summary, errors = run(corpus, outputs)
    assert errors == [] and summary.extracted + summary.unchanged == 300
