"""HTML metadata: publication date precedence, canonical URL and outlet, sidecar first.

A wrong publication date shifts every relative date of the article ("last week"),
so the tests pin which declaration wins when a page holds several.
"""

from __future__ import annotations

import pytest

from pipeline.article import prepare
from pipeline.reading.html import html_to_article, url_date
from pipeline.sidecar import Sidecar

ARTICLE = "<p>Twelve people were killed in Idlib on Tuesday, rescuers said.</p>"
PUBLISHED = "<meta property='article:published_time' content='2017-04-05T10:30:00+03:00'>"
MODIFIED = "<meta property='article:modified_time' content='2018-01-09T08:00:00Z'>"
JSONLD = "<script type='application/ld+json'>{{\"@type\": \"NewsArticle\", {}}}</script>"


def page(head: str = "", body: str = ARTICLE) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "head,body,published,modified",
    [
        (MODIFIED + PUBLISHED, ARTICLE, "2017-04-05", "2018-01-09"),  # order in the page does not matter
        (JSONLD.format('"dateModified": "2018-01-09", "datePublished": "2017-04-05"'), ARTICLE,
         "2017-04-05", "2018-01-09"),
        (JSONLD.format('"datePublished": "", "x": {"datePublished": "2017-04-05"}'), ARTICLE, "2017-04-05", None),
        ("", f"<article><time datetime='2017-04-05'>5 April</time>{ARTICLE}</article>", "2017-04-05", None),
        ("<link rel='canonical' href='https://news.example/world/2017/04/05/idlib-strike'>", ARTICLE,
         "2017-04-05", None),
        ("<meta property='og:url' content='https://news.example/20170405/idlib'>", ARTICLE, "2017-04-05", None),
        # a declared date beats the URL's date
        (PUBLISHED + "<link rel='canonical' href='https://news.example/2016/01/01/idlib'>", ARTICLE,
         "2017-04-05", None),
        # never a copyright year, a bare year in the URL or an id that looks like a date
        ("<link rel='canonical' href='https://news.example/2017/idlib-20170405123'>",
         ARTICLE + "<footer>© 2019 News Example</footer>", None, None),
        (MODIFIED, ARTICLE, None, "2018-01-09"),
    ],
    ids=["published-beats-modified", "jsonld-published-and-modified", "jsonld-empty-then-nested",
         "time-datetime-in-article", "canonical-dated-path", "og-url-compact-date", "meta-beats-url",
         "no-year-only-dates", "modified-only"],
)
def test_reading_html_meta_date_precedence(head: str, body: str, published: str | None, modified: str | None) -> None:
    article = html_to_article(page(head, body))
    assert (article.published, article.modified) == (published, modified)


@pytest.mark.parametrize(
    "url,date",
    [("https://x.example/2020/02/19/story", "2020-02-19"), ("https://x.example/a/2020-02-19-story", "2020-02-19"),
     ("https://x.example/2020/02/31/story", None), ("https://x.example/2020/story", None),
     ("https://2020/02/19.example/a", None), ("https://x.example/a?d=/2020/02/19/", None), (None, None)],
)
def test_reading_html_meta_url_date(url: str | None, date: str | None) -> None:
    assert url_date(url) == date


@pytest.mark.parametrize(
    "body,published,source",
    [
        # no declared publication date: the date line in the text beats the modified date
        ("<p>Wed 05 Apr 2017</p>" + ARTICLE, "2017-04-05", "dateline"),
        # nothing else: the modified date is better than none
        (ARTICLE, "2018-01-09", "html_modified"),
    ],
    ids=["dateline-beats-modified", "modified-as-last-resort"],
)
def test_reading_html_meta_modified_is_last_resort(body: str, published: str, source: str) -> None:
    prepared = prepare(page("<title>Strike</title>" + MODIFIED, body).encode(), "a.html", Sidecar())
    assert (str(prepared.published), prepared.published_from) == (published, source)


def test_reading_html_meta_url_and_outlet_from_page() -> None:
    head = ("<link rel='canonical' href='https://news.example/idlib'>"
            "<meta property='og:site_name' content='News Example'>"
            "<meta property='og:url' content='https://other.example/x'>")
    prepared = prepare(page(head).encode(), "a.html", Sidecar())
    assert (prepared.url, prepared.outlet) == ("https://news.example/idlib", "News Example")


def test_reading_html_meta_outlet_from_jsonld_publisher() -> None:
    head = JSONLD.format('"publisher": {"@type": "Organization", "name": "Idlib Post"}')
    assert html_to_article(page(head)).outlet == "Idlib Post"


def test_reading_html_meta_relative_url_is_no_url() -> None:
    assert html_to_article(page("<link rel='canonical' href='/idlib'>")).url is None


def test_reading_html_meta_sidecar_wins(nlp) -> None:  # type: ignore[no-untyped-def]
    from pipeline.article import extract_article

    head = (PUBLISHED + "<link rel='canonical' href='https://news.example/idlib'>"
            "<meta property='og:site_name' content='Page'>")
    sidecar = Sidecar(url="https://mirror.example/a", outlet="Sidecar Outlet", published="2017-04-06")
    article = extract_article(page(head).encode(), "a.html", sidecar, nlp)["article"]
    assert (article["url"], article["outlet"], article["published"], article["published_from"]) == (
        "https://mirror.example/a", "Sidecar Outlet", "2017-04-06", "sidecar")
    article = extract_article(page(head).encode(), "a.html", Sidecar(), nlp)["article"]
    assert (article["url"], article["outlet"], article["published"], article["published_from"]) == (
        "https://news.example/idlib", "Page", "2017-04-05", "html_meta")


LONG_BODY = " ".join(["Twelve people were killed in Idlib on Tuesday, rescuers said."] * 8)


@pytest.mark.parametrize(
    "head,body,expected",
    [
        # an empty shell filled by a script: the JSON-LD articleBody is the article
        (JSONLD.format(f'"articleBody": "{LONG_BODY}"'), "<p>Your browser is out of date.</p>", LONG_BODY),
        (JSONLD.format('"articleBody": "<p>Twelve people were killed.</p><p>Rescuers said so.</p>"'),
         "<p>Loading</p>", "Twelve people were killed.\n\nRescuers said so."),
        # ... else its description
        (f"<meta property='og:description' content='{LONG_BODY}'>", "<p>Loading</p>", LONG_BODY + "\n\nLoading"),
        # markup that holds the article wins
        (JSONLD.format('"articleBody": "Twelve killed."'), f"<p>{LONG_BODY}</p>", LONG_BODY),
        (f"<meta name='description' content='{LONG_BODY}'>", f"<article><p>{LONG_BODY} More.</p></article>",
         LONG_BODY + " More."),
    ],
    ids=["articlebody-text", "articlebody-html", "description", "markup-wins-articlebody", "markup-wins-description"],
)
def test_reading_html_meta_script_rendered_page(head: str, body: str, expected: str) -> None:
    assert html_to_article(page(head, body)).text == expected
