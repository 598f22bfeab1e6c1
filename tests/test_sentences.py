"""Sentence boundaries: where one claim's sentence ends decides the time, place and source it reads."""

from __future__ import annotations

import pytest

from pipeline.factories import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hard-wrapped text (plain-text dumps, text taken from PDFs): a line broken after a word
        # or a comma, going on in lower case, is one sentence.
        ("Guards saw armed\nmen near the gate. Last month\nfive officers died there.",
         ["Guards saw armed\nmen near the gate.", "Last month\nfive officers died there."]),
        ("The strike hit Kamba,\nkilling four people.", ["The strike hit Kamba,\nkilling four people."]),
    ],
    ids=["after-a-word", "after-a-comma"],
)
def test_sentences_a_wrapped_line_goes_on(nlp, text, expected):
    assert _sentences(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title over its body, a blank line, a capital or a digit after the break, and a line
        # that ends with punctuation still part sentences.
        ("Four killed in raid\n\nthree of them were children.", ["Four killed in raid", "three of them were children."]),
        ("Four killed in raid\nThree of them were children.", ["Four killed in raid", "Three of them were children."]),
        ("Casualties by district\n12 in the north", ["Casualties by district", "12 in the north"]),
        ("Casualties:\nfour in the north", ["Casualties:", "four in the north"]),
    ],
    ids=["blank-line", "capital", "digit", "colon"],
)
def test_sentences_a_line_break_still_parts_them(nlp, text, expected):
    assert _sentences(nlp, text) == expected
