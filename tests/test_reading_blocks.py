"""Block-level cleaning of a page's article container (pipeline/reading/blocks.py).

Teaser lists and "more from us" tails are tested with casualty figures because
that is the harm they do: another story's "5 dead in crash" becoming a claim.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline import rules
from pipeline.article import extract_article
from pipeline.reading.blocks import Block, filter_blocks, phrase_kind
from pipeline.reading.html import html_to_article
from pipeline.sidecar import Sidecar

PROSE = [
    "Twelve people were killed in an airstrike on a market in Idlib on Tuesday, rescuers said.",
    "The strike hit the crowded market at midday, when families were buying food for the week.",
    "Rescue workers searched the rubble through the night for survivors, a witness told reporters.",
]
STORY = "".join(f"<p>{p}</p>" for p in PROSE)
TEASERS = (
    "<ul><li><a href='/a'>5 dead in crash on the coast road</a></li>"
    "<li><a href='/b'>43 civilians dead in bombardment of Ghouta</a></li>"
    "<li><a href='/c'>Flood kills 30 in the north</a></li></ul>"
)


def page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>Market strike</title></head><body>{body}</body></html>".encode()


PHRASES = [(r["kind"], e) for r in rules.load("html_boilerplate")["block_rules"] for e in r["examples"]]


def test_blocks_phrase_rules_have_one_pattern_and_examples() -> None:
    for rule in rules.load("html_boilerplate")["block_rules"]:
        assert set(rule) in ({"kind", "pattern", "examples"}, {"kind", "contains", "examples"}), rule
        assert rule["examples"], rule["kind"]


@pytest.mark.parametrize(("kind", "text"), PHRASES, ids=[t for _, t in PHRASES])
def test_blocks_phrase_example_is_furniture(kind: str, text: str) -> None:
    assert phrase_kind(text) == kind


@pytest.mark.parametrize("text", rules.load("html_boilerplate")["keep"])
def test_blocks_phrase_keep_is_article_text(text: str) -> None:
    assert phrase_kind(text) is None


@pytest.mark.parametrize(
    "furniture",
    [
        TEASERS,  # a teaser list: every item is link text
        "<h3>Most read</h3>" + TEASERS,
        "<div><a href='/prev'>Previous article: 5 dead in crash on the coast road</a></div>",
        "<p>Related coverage</p><p><a href='/x'>43 civilians dead in bombardment</a></p>",
        "<h2>You might also like</h2><h3>Five dead in crash</h3>",  # labels after the story's end
        "<p>Tags: crash, 5 dead, bombardment</p>",
    ],
    ids=["teaser-list", "most-read", "previous-article", "related-heading", "tail-labels", "tags"],
)
def test_blocks_teasers_in_container_make_no_claims(nlp: Language, furniture: str) -> None:
    record = extract_article(page(f"<article>{STORY}{furniture}</article>"), "page.html", Sidecar(), nlp)
    text = record["article"]["text"]
    assert all(p in text for p in PROSE)
    assert "crash" not in text and "43" not in text and "Ghouta" not in text
    evidence = [c["evidence"]["text"] for c in record["claims"]]
    assert evidence and all(e.strip() in PROSE for e in evidence)
    assert {c["count"]["value"] for c in record["claims"]} == {12}


@pytest.mark.parametrize(
    "body",
    [
        # a paragraph with a few links is prose
        "<p>Twelve people were killed, <a href='/un'>the UN said</a> in a statement on Tuesday evening.</p>",
        # a short closing line with sentence punctuation ends the article, it is no label
        "<p>The toll is expected to rise.</p>",
        # a heading between paragraphs is the article's own structure
        "<h2>Aftermath</h2><p>Rescuers searched the rubble overnight for more survivors of the strike.</p>",
    ],
    ids=["linked-phrase", "short-closing-sentence", "inner-heading"],
)
def test_blocks_article_structure_is_kept(body: str) -> None:
    text = html_to_article(page(f"<article>{STORY}{body}</article>").decode()).text
    for fragment in ("the UN said", "expected to rise", "Aftermath", "overnight"):
        if fragment in body:
            assert fragment in text


ZH = "救援人员说，十二人在袭击中丧生。"


@pytest.mark.parametrize(
    "blocks,kept",
    [
        ([Block("Breaking", 8, 0, True)], ["Breaking"]),  # too little prose to judge a tail
        ([Block(PROSE[0], 88, 0, False), Block(PROSE[1], 90, 0, False), Block("Editor: Jane Doe", 16, 0, False)],
         PROSE[:2]),
        # Chinese has no spaces: a sentence ends with 。, and a long run is no label
        ([Block(PROSE[0], 88, 0, False), Block(PROSE[1], 90, 0, False), Block(ZH, len(ZH), 0, False)],
         [*PROSE[:2], ZH]),
        ([Block(PROSE[0], 88, 0, False), Block(PROSE[1], 90, 0, False), Block("救" * 120, 120, 0, False)],
         [*PROSE[:2], "救" * 120]),
    ],
    ids=["lone-heading", "tail-byline", "tail-chinese-sentence", "tail-chinese-no-stop"],
)
def test_blocks_tail_labels_only_after_prose(blocks: list[Block], kept: list[str]) -> None:
    assert [b.text for b in filter_blocks(blocks)[0]] == kept


def test_blocks_all_labels_page_keeps_its_text() -> None:
    text = html_to_article(page("<div><a href='/a'>Home</a></div><div><a href='/b'>News</a></div>").decode()).text
    assert "Home" in text and "News" in text


@pytest.mark.parametrize(
    "block,text",
    [
        ("<p>Idlib province<br>Tags: crash, 5 dead</p>", "Idlib province"),
        ("<p>Rescuers searched the rubble overnight for survivors.<br>Photo: AFP</p>",
         "Rescuers searched the rubble overnight for survivors."),
        ("<p>Tags: crash<br>Photo: AFP</p>", None),
    ],
    ids=["taxonomy-line", "caption-line", "all-lines-furniture"],
)
def test_blocks_phrase_lines_inside_a_block_are_dropped(block: str, text: str | None) -> None:
    found = html_to_article(page(f"<article>{block}{STORY}</article>").decode()).text
    assert "Tags" not in found and "AFP" not in found
    if text:
        assert text in found


@pytest.mark.parametrize(
    "wrapper,kept",
    [
        ("<div class='elementor-widget elementor-widget-theme-post-content'><div class='elementor-widget-container'>",
         True),
        ("<div class='elementor-widget elementor-widget-share-buttons'><div class='elementor-widget-container'>",
         False),
        ("<div class='widget'><div>", False),
    ],
    ids=["builder-content-widget", "builder-share-widget", "plain-widget"],
)
def test_blocks_page_builder_widgets_are_layout_not_furniture(wrapper: str, kept: bool) -> None:
    extra = "<p>Rescuers said 5 more bodies were found at dawn in the ruins of the market.</p>"
    body = f"<div class='page'><div class='story'>{STORY}</div>{wrapper}{extra}</div></div></div>"
    text = html_to_article(page(body).decode()).text
    assert PROSE[0] in text
    assert ("5 more bodies" in text) == kept


LEAD = "<p class='standfirst'>At least twelve people died when jets struck a market in Idlib, the monitor said.</p>"


@pytest.mark.parametrize(
    "before,kept",
    [
        (f"<h1>Market strike</h1>{LEAD}", True),  # the lead set apart above the body
        (f"<h1>Market strike</h1>{LEAD}<div>Updated 10:00</div>", False),  # not right before the body
        (f"<h1>Market strike</h1>{LEAD}<div class='byline'>By Jane Doe</div>", True),  # a byline is furniture
        ("<h1>Market strike</h1><p><a href='/x'>Flood kills 30 in the north, officials say after the storm</a></p>",
         False),  # a teaser is no lead
    ],
    ids=["lead", "lead-behind-label", "lead-behind-byline", "teaser"],
)
def test_blocks_lead_before_container_is_kept(before: str, kept: bool) -> None:
    nav = "<ul>" + "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(5)) + "</ul>"
    body = f"<div>{nav}<div class='head'>{before}</div><div class='body'>{STORY}</div></div>"
    text = html_to_article(page(body).decode()).text
    assert PROSE[0] in text and "Flood" not in text and "Section" not in text and "Jane Doe" not in text
    assert ("At least twelve people died" in text) == kept


@pytest.mark.parametrize(
    "block,kept",
    [
        ("<p><a href='/q'>One of the questions listeners ask most is this: what do the doctors say about it?</a></p>",
         True),
        ("<p><a href='/t'>Flood kills 30 in the north as rivers burst their banks after days of heavy rain</a></p>",
         False),
    ],
    ids=["linked-sentence", "linked-headline"],
)
def test_blocks_linked_sentence_is_prose_linked_headline_is_not(block: str, kept: bool) -> None:
    text = html_to_article(page(f"<article>{STORY}{block}<p>{PROSE[0]}</p></article>").decode()).text
    assert (("questions listeners" in text) or ("Flood kills" in text)) == kept
