"""The word framing every sentence test of pipeline/claims/scope.py reads: whole words only,
the same words whatever path (ASCII or not) the text takes."""

from __future__ import annotations

import pytest

from pipeline.claims.scope import Phrases, framed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('Rebels said: "It killed 12," al-Nusra\'s men', " rebels said it killed 12 al-nusra's men "),
        ("Rebels said: \u201cIt killed 12,\u201d al-Nusra\u2019s men", " rebels said it killed 12 al-nusra\u2019s men "),
        ("  (Reuters)\t-\nfive  KILLED... ", " reuters - five killed "),
        ("", "  "),
    ],
)
def test_framed_keeps_whole_lower_case_words(text: str, words: str) -> None:
    assert framed(text) == words


def test_phrases_match_whole_words_only() -> None:
    phrases = Phrases.of(["said it killed", "claimed"])
    assert phrases.found_in(framed("The group said it killed five soldiers."))
    assert phrases.found_in(framed("IS claimed the attack"))
    assert phrases.found_in(framed('It said it "killed" five'))  # quotes are no words
    assert not phrases.found_in(framed("It said that it killed five"))
    assert not phrases.found_in(framed("It was unclaimed"))  # inside a word
    assert phrases.removed_from(framed("they said it killed two")) == " they two "
