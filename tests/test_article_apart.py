"""Bylines and captions leave the text (no claim comes from them) but stay in the record."""

from __future__ import annotations

import json

import pytest

from pipeline.article import extract_article
from pipeline.sidecar import Sidecar


def _article(nlp, name: str, text: str) -> dict:
    return extract_article(text.encode("utf-8"), name, Sidecar(), nlp)["article"]


def test_text_byline_and_caption_lines_are_kept_apart(nlp) -> None:
    article = _article(nlp, "a.txt", "Strikes on Idlib\n\nBy John Smith\nSmoke rises over Idlib [AFP]\n"
                       "Twelve people were killed in Idlib on Tuesday.")
    assert article["byline"] == "John Smith"
    assert article["captions"] == ["Smoke rises over Idlib [AFP]"]
    assert "John Smith" not in article["text"] and "Smoke" not in article["text"]


def test_html_author_metadata_and_figcaptions(nlp) -> None:
    ld = json.dumps({"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Jane Doe"},
                                                        {"@type": "Person", "name": "Ali Hassan"}]})
    page = ("<html><head><title>Strikes</title><script type='application/ld+json'>" + ld + "</script></head>"
            "<body><article><p>Twelve people were killed in Idlib on Tuesday, a monitor said.</p>"
            "<figure><img src='x.jpg'><figcaption>Rescuers search the rubble after 40 people died. "
            "<span>Photo: AFP</span></figcaption></figure><p>The strikes hit a market in the city centre.</p>"
            "</article></body></html>")
    article = _article(nlp, "a.html", page)
    assert article["byline"] == "Jane Doe, Ali Hassan"
    assert article["captions"] == ["Rescuers search the rubble after 40 people died. Photo: AFP"]
    assert "40 people" not in article["text"]


@pytest.mark.parametrize(
    ("head", "byline"),
    [
        ("<meta name='author' content='By Sylvia Westall'>", "Sylvia Westall"),
        ("<meta property='article:author' content='https://example.com/authors/jd'>", None),
        ("", None),
    ],
    ids=["meta-author-without-by", "profile-url-is-no-name", "none"],
)
def test_html_byline_sources(nlp, head: str, byline: str | None) -> None:
    page = f"<html><head>{head}</head><body><article><p>Twelve people were killed in Idlib.</p></article></body></html>"
    assert _article(nlp, "a.html", page)["byline"] == byline
