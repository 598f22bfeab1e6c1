"""Saved page -> article: what a user relies on when feeding HTML to the pipeline.

Furniture is tested with casualty-like numbers ("300 killed") because that is the
harm it does: a figure from a menu, script or teaser becoming a claim.
"""

from __future__ import annotations

import time

import pytest

from pipeline.reading.decode import decode_bytes
from pipeline.reading.html import html_to_article, iso_date, strip_site_suffix

ARTICLE = "<p>Twelve people were killed in Idlib on Tuesday, rescuers said.</p>"


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "html,text",
    [
        ("<p>Twelve <b>people</b>were killed</p>", "Twelve peoplewere killed"),  # as written
        ("<p>Twelve people were kill<i>ed</i></p>", "Twelve people were killed"),
        ("<p><a href='/x'>Twelve</a> <span>people</span> died</p>", "Twelve people died"),
        ("<p>At&nbsp;least 12&#160;killed &amp; 3 &lt;injured&gt; &#8217;</p>", "At least 12 killed & 3 <injured> ’"),
        ("<p>  spread\n   over\tlines   </p>", "spread over lines"),
        ("<p>\u3000Twelve\u2009\u2009people\u2028died&#x2003;</p>", "Twelve people died"),
    ],
    ids=["bold-glued", "italic-inside-word", "inline-spaces-kept", "entities", "whitespace-collapsed",
         "unicode-spaces-collapsed"],
)
def test_reading_html_inline_tags_add_no_spaces(html: str, text: str) -> None:
    assert html_to_article(page(html)).text == text


@pytest.mark.parametrize(
    "html,text",
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<div>One.</div><div>Two.</div>", "One.\n\nTwo."),
        ("<h2>Heading</h2>Body text", "Heading\n\nBody text"),
        ("<p>line one<br>line two</p>", "line one\nline two"),
        ("<div>para one<br><br>para two</div>", "para one\n\npara two"),
        ("<ul><li>first<li>second</ul>", "first\n\nsecond"),
        ("<blockquote>quoted</blockquote>said", "quoted\n\nsaid"),
        ("<table><tr><td>12</td><td>killed</td></tr><tr><td>3</td><td>hurt</td></tr></table>",
         "12 killed\n\n3 hurt"),
        ("<pre>a  b\nc</pre>", "a b\nc"),
    ],
    ids=["p", "div", "heading", "br", "double-br", "li", "blockquote", "table", "pre"],
)
def test_reading_html_blocks_make_paragraphs(html: str, text: str) -> None:
    assert html_to_article(page(html)).text == text


@pytest.mark.parametrize(
    "furniture,kind",
    [
        ("<script>var s = '300 killed';</script>", "script"),
        ("<script type='text/javascript'>if (a<b) { x = '</p>300 killed'; }</script>", "script"),
        ("<style>.x:after{content:'300 killed'}</style>", "style"),
        ("<noscript>300 killed</noscript>", "noscript"),
        ("<template><p>300 killed</p></template>", "template"),
        ("<iframe src='https://example.com'>300 killed</iframe>", "iframe"),
        ("<object><p>300 killed</p></object>", "object"),
        ("<svg><title>300 killed</title><text>300 killed</text></svg>", "svg"),
        ("<!-- 300 killed -->", "comment"),
        ("<nav><a href='/'>300 killed in Aleppo</a></nav>", "nav"),
        ("<footer>300 killed archive</footer>", "footer"),
        ("<aside><p>300 killed in Aleppo last year</p></aside>", "aside"),
        ("<form><label>300 killed</label><input></form>", "form"),
        ("<button>300 killed</button>", "button"),
        ("<figure><img src='x.jpg'><figcaption>300 killed</figcaption></figure>", "figure"),
        ("<div class='share-buttons'>Share: 300 killed</div>", "share"),
        ("<div class='social'>300 killed</div>", "social"),
        ("<ul class='related-articles'><li>300 killed in Aleppo</li></ul>", "related"),
        ("<div id='relatedPosts'>300 killed in Aleppo</div>", "related"),
        ("<div class='cookie-banner'>300 killed cookies</div>", "cookie"),
        ("<div class='main-menu'>300 killed</div>", "menu"),
        ("<ol class='breadcrumb'><li>300 killed</li></ol>", "breadcrumb"),
        ("<div class='newsletter-signup'>300 killed weekly</div>", "newsletter"),
        ("<div role='navigation'>300 killed</div>", "nav"),
        ("<div style='display: none'>300 killed</div>", "hidden"),
        ("<p hidden>300 killed</p>", "hidden"),
    ],
    ids=lambda v: v if len(v) < 20 else None,
)
def test_reading_html_drops_furniture(furniture: str, kind: str) -> None:
    html = page(f"<article>{ARTICLE}{furniture}<p>Rescuers searched the rubble overnight.</p></article>")
    article = html_to_article(html)
    assert "300" not in article.text
    assert "Twelve people were killed in Idlib" in article.text
    assert "Rescuers searched the rubble overnight." in article.text
    assert article.dropped.get(kind, 0) >= 1


@pytest.mark.parametrize(
    "furniture,kind",
    [
        ("<header><a href='/'>Home</a> 300 killed: live coverage</header>", "header"),
        ("<div class='site-header'>300 killed: live coverage</div>", "header"),
        ("<div class='sidebar'><p>300 killed in Aleppo, the most read story of the week.</p></div>", "sidebar"),
    ],
    ids=["header-tag", "header-class", "sidebar"],
)
def test_reading_html_drops_site_furniture_outside_article(furniture: str, kind: str) -> None:
    body = furniture + "<div class='story'>" + ARTICLE * 3 + "</div>"
    article = html_to_article(page(body))
    assert "300" not in article.text and "Twelve people were killed" in article.text


@pytest.mark.parametrize(
    "body",
    [
        # must not change: words that contain a marker are not markers
        "<div class='shared-content'>" + ARTICLE + "</div>",
        "<div class='story-body has-navigation-offset'><p>kept: 12 killed.</p></div>" + ARTICLE,
        "<div class='article with-share-buttons'><p>kept: 12 killed.</p></div>" + ARTICLE,
        # a page-wide wrapper is not furniture even if its class looks like it (ASP.NET <form>)
        "<form id='aspnetForm'><div>" + ARTICLE + "<p>Second paragraph of the story.</p></div></form>",
        "<div class='page has-share'>" + ARTICLE + "</div>",
        # an article's own header holds its lead
        "<article><header><h1>Title</h1><p class='lead'>Lead: 12 killed.</p></header>" + ARTICLE + "</article>",
    ],
    ids=["marker-inside-word", "state-class-has", "state-class-with", "aspnet-form", "wrapper-class",
         "article-header"],
)
def test_reading_html_keeps_content_that_looks_like_furniture(body: str) -> None:
    article = html_to_article(page(body))
    assert "Twelve people were killed in Idlib" in article.text
    if "kept" in body or "Lead" in body:
        assert "12 killed." in article.text


def test_reading_html_prefers_article_over_teasers() -> None:
    teasers = "".join(f"<div class='teaser'><p>Teaser {i}: 300 killed elsewhere.</p></div>" for i in range(3))
    body = f"<div id='main'><article>{ARTICLE * 5}</article></div><div>{teasers}</div>"
    text = html_to_article(page(body)).text
    assert "Twelve people" in text and "300" not in text


def test_reading_html_prefers_article_body_itemprop() -> None:
    body = (
        "<div><p>Comment: 300 killed, says a reader with a very long comment here.</p>" * 3
        + "</div><div itemprop='articleBody'>Twelve people were killed<br>in Idlib.</div>"
    )
    assert html_to_article(page(body)).text == "Twelve people were killed\nin Idlib."


def test_reading_html_keeps_lead_beside_body_container() -> None:
    body = (
        "<div class='col'><p class='intro'>At least 12 people were killed in a strike on Idlib.</p>"
        "<div class='longText'>" + ARTICLE * 4 + "</div></div><div class='links'><a href='#'>Home</a></div>"
    )
    text = html_to_article(page(body)).text
    assert text.startswith("At least 12 people were killed")


@pytest.mark.parametrize(
    "html,expected",
    [
        ("<article><p>Twelve <b>killed <i>in</b> Idlib</i>.</p></article>", "Twelve killed in Idlib."),
        ("<article><p>Unclosed paragraph<p>Another <div>block", "Unclosed paragraph\n\nAnother\n\nblock"),
        ("<article><p>Stray end tags</span></div></p> go on.</article>", "Stray end tags\n\ngo on."),
        # an unterminated quote does not swallow the rest of the page
        ("<article><p>Broken <a href='x>tag</p><p>12 killed.</p></article>", "Broken tag\n\n12 killed."),
        ("<article><p>Less-than 3 < 5 and 12 > 3 stay.</p></article>", "Less-than 3 < 5 and 12 > 3 stay."),
        ("<p>12 killed</p><!-- unclosed comment with 300 killed", "12 killed"),
        ("<p>12 killed</p><script>300 killed without end tag", "12 killed"),
        ("<P CLASS=x>Upper-case TAGS</P>", "Upper-case TAGS"),
        ("Text without any tags, 12 killed.", "Text without any tags, 12 killed."),
    ],
    ids=["misnested", "unclosed", "stray-end-tags", "unterminated-attribute", "bare-less-than",
         "unclosed-comment", "unclosed-script", "uppercase", "no-tags"],
)
def test_reading_html_malformed_still_yields_text(html: str, expected: str) -> None:
    assert html_to_article(html).text == expected


@pytest.mark.parametrize("depth", [20_000])  # 40,000 tags: within markup.MAX_TOKENS
def test_reading_html_deep_nesting_does_not_recurse(depth: int) -> None:
    closed = "<div>" * depth + "<p>12 killed in Kharkiv.</p>" + "</div>" * depth
    unclosed = "<div><span>" * depth + "<p>12 killed in Kharkiv."
    for html in (closed, unclosed):
        assert html_to_article(html).text == "12 killed in Kharkiv."


@pytest.mark.parametrize(
    "hostile",
    ["<a" * 300_000, '<a b="' * 100_000, "<!" * 300_000, "&" * 600_000, "<div class='" * 100_000],
    ids=["unclosed-tags", "unclosed-quotes", "bogus-comments", "ampersands", "unclosed-class"],
)
def test_reading_html_hostile_input_stays_linear(hostile: str) -> None:
    start = time.perf_counter()
    html_to_article(hostile)
    assert time.perf_counter() - start < 5  # quadratic behaviour would take minutes


def test_reading_html_one_megabyte_single_line() -> None:
    sentence = "Twelve people were killed in Idlib on Tuesday. "
    html = "<html><body><p>" + sentence * 22_000 + "</p></body></html>"
    assert len(html) > 1_000_000
    text = html_to_article(html).text
    assert text == (sentence * 22_000).strip()


@pytest.mark.parametrize(
    "head,body,title",
    [
        ("<meta property='og:title' content='Twelve killed in Idlib'><title>Other | Site</title>", "", "Twelve killed in Idlib"),
        ("<title>Twelve killed in Idlib | Al Jazeera</title>", "", "Twelve killed in Idlib"),
        ("<title>Twelve killed in Idlib - BBC News</title>", "", "Twelve killed in Idlib"),
        ("<title>Twelve killed in Idlib strike | Middle East | Al Jazeera</title>", "", "Twelve killed in Idlib strike"),
        ("<meta property='og:site_name' content='Kyiv Independent'><title>Shelling - Kyiv Independent</title>", "",
         "Shelling"),
        ("<title>Ukraine: 12 killed as missiles hit Kharkiv, Kyiv and Odesa</title>", "",
         "Ukraine: 12 killed as missiles hit Kharkiv, Kyiv and Odesa"),
        # must not change: the part after the dash is the longer one, so it is the headline's
        ("<title>Syria - 12 killed in Idlib</title>", "", "Syria - 12 killed in Idlib"),
        ("<title>  Spaced \n title  </title>", "", "Spaced title"),
        ("<title>&quot;Twelve&quot; &amp; more</title>", "", '"Twelve" & more'),
        ("", "<h1>Headline from <b>h1</b></h1><p>x</p>", "Headline from h1"),
        ("<title></title>", "<p>no title anywhere</p>", None),
        ("", "<svg><title>icon</title></svg><h1>Real headline</h1>", "Real headline"),
    ],
    ids=["og-title", "pipe-suffix", "dash-suffix", "two-suffixes", "site-name", "no-separator", "headline-dash",
         "whitespace", "entities", "h1-fallback", "none", "svg-title-ignored"],
)
def test_reading_html_title(head: str, body: str, title: str | None) -> None:
    assert html_to_article(page(body, head)).title == title


def test_reading_html_title_suffix_kept_when_unsure() -> None:
    assert strip_site_suffix("Syria - 12 killed in Idlib", "", "", guess=True) == "Syria - 12 killed in Idlib"
    assert strip_site_suffix("Idlib strike | Reuters", "", "", guess=False) == "Idlib strike | Reuters"


@pytest.mark.parametrize(
    "head,body,published",
    [
        ("<meta property='article:published_time' content='2017-04-05T10:30:00+03:00'>", "", "2017-04-05"),
        ("<meta property='og:published_time' content='2017-04-05'>", "", "2017-04-05"),
        ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2022-03-01T08:00Z\"}</script>",
         "", "2022-03-01"),
        ("<script type='application/ld+json'>{\"@graph\": [{\"@type\": \"WebPage\"}, {\"datePublished\": \"2022-03-02\"}]}</script>",
         "", "2022-03-02"),
        ("<meta name='date' content='2016/12/23'>", "", "2016-12-23"),
        ("<meta name='pubdate' content='20161223'>", "", "2016-12-23"),
        ("<meta name='DC.date.issued' content='2016-12-23'>", "", "2016-12-23"),
        ("", "<article><time datetime='2019-10-30T09:00'>30 Oct</time>" + ARTICLE + "</article>", "2019-10-30"),
        ("", "<time pubdate datetime='2019-10-31'>31 Oct</time>" + ARTICLE, "2019-10-31"),
        ("", "<span itemprop='datePublished' content='2019-11-01'>1 Nov</span>" + ARTICLE, "2019-11-01"),
        # priority: article:published_time beats a later <meta name="date">
        ("<meta name='date' content='2001-01-01'><meta property='article:published_time' content='2017-04-05'>",
         "", "2017-04-05"),
        # never invented: modified dates, free text, placeholders, impossible dates, broken JSON
        ("<meta property='article:modified_time' content='2017-04-06'>", "", None),
        ("<meta name='date' content='April 5, 2017'>", "", None),
        ("<meta name='date' content='2017'>", "", None),
        ("<meta name='date' content='0001-01-01T00:00:00'>", "", None),
        ("<meta name='date' content='1970-01-01'>", "", None),
        ("<meta name='date' content='2017-02-30'>", "", None),
        ("<script type='application/ld+json'>{\"datePublished\": </script>", "", None),
        ("", "<time datetime='2019-10-30'>outside any article</time>" + ARTICLE, None),
        ("", "<p>Published 5 April 2017</p>", None),
    ],
    ids=["article-published", "og-published", "jsonld", "jsonld-graph", "meta-date-slashes", "pubdate-compact",
         "dc-date", "time-in-article", "time-pubdate", "itemprop", "priority", "modified-ignored", "free-text",
         "year-only", "placeholder", "epoch", "impossible", "broken-jsonld", "time-outside-article", "body-text"],
)
def test_reading_html_published(head: str, body: str, published: str | None) -> None:
    assert html_to_article(page(body or ARTICLE, head)).published == published


@pytest.mark.parametrize(
    "value,date",
    [("2017-04-05T23:30:00-05:00", "2017-04-05"), (" 2017-04-05", "2017-04-05"), ("2017-4-5", None),
     ("05.04.2017", None), ("201704051", None), ("", None)],
)
def test_reading_html_iso_date(value: str, date: str | None) -> None:
    assert iso_date(value) == date


def test_reading_html_never_fetches_or_follows() -> None:
    body = (
        "<meta http-equiv='refresh' content='0; url=http://example.com/300-killed'>"
        "<iframe src='http://example.com/300-killed'></iframe><embed src='http://example.com/x.swf'>"
        "<link rel='import' href='http://example.com/300.html'>"
        "<!ENTITY e SYSTEM 'file:///etc/passwd'><p>&e; 12 killed</p>"
    )
    article = html_to_article(body)
    assert article.text == "&e; 12 killed"  # unknown entity left as written, nothing resolved


def test_reading_html_counts_dropped_by_kind() -> None:
    body = "<script>a</script><script>b</script><!-- c --><nav>menu</nav><article>" + ARTICLE + "</article>"
    dropped = html_to_article(page(body)).dropped
    assert dropped["script"] == 2
    assert dropped["comment"] == 1
    assert list(dropped) == sorted(dropped)  # stable order for diffable JSON


def test_reading_html_everything_furniture_falls_back_to_page_text() -> None:
    assert html_to_article(page("<header><p>12 killed in the only text there is.</p></header>")).text == (
        "12 killed in the only text there is."
    )


def test_reading_html_from_wrongly_declared_bytes() -> None:
    raw = page("<article><p>Kyiv — 12 killed in Kharkiv’s centre</p></article>",
               "<meta charset='iso-8859-1'>").encode("utf-8")
    assert html_to_article(decode_bytes(raw, html=True).text).text == "Kyiv — 12 killed in Kharkiv’s centre"
