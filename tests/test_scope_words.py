"""The word framing every sentence test of pipeline/claims/scope.py reads: whole words only,
the same words whatever path (ASCII or not) the text takes."""

from __future__ import annotations

import pytest

from pipeline.claims.literal_groups import LiteralGroups
from pipeline.claims.scope import _NON_WORD, Phrases, framed, scope_rules, word_runs


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


@pytest.mark.parametrize(
    "text",
    [
        "The blast came a day after rebels shelled the town, killing four.",
        "Protesters marked the anniversary-a day after the siege",  # a hyphen joins, \w runs split
        "It came x-a day after the attack",  # a phrase inside a hyphenated word is still a match
        "The attack came one day afterwards",  # no whole-word phrase
        "Aujourd\u2019hui, a day after the raid",  # not ASCII
        "",
    ],
)
def test_word_run_guard_never_hides_a_match(text: str) -> None:
    """Background markers are found exactly as the plain regular expression finds them: the
    word-run guard only skips texts that cannot match."""
    rules = scope_rules()
    for guarded in (rules.background, rules.background_sentence):
        lower = text.lower()
        expected = [m.span() for m in guarded.pattern.finditer(lower)]
        assert [m.span() for m in guarded.finditer(lower, word_runs(text))] == expected


def test_word_runs_split_apostrophes_and_hyphens() -> None:
    assert word_runs("Al-Nusra\u2019s pro-regime fighters") == frozenset(
        {"al-nusra\u2019s", "pro-regime", "fighters", "al", "nusra", "s", "pro", "regime"})


def test_literal_groups_find_what_a_scan_of_every_phrase_finds() -> None:
    phrases = ["since the start", "since 2011", "war began", "conflict began", "in all", "so far", "overall"]
    groups = LiteralGroups.of(phrases)
    assert sorted(p for _, members in groups.groups for p in members) == sorted(phrases)
    assert all(key in p for key, members in groups.groups for p in members)
    for text in ("killed since 2011", "the war began in", "in alleged attacks", "nothing here", "so farmers",
                 "since then", "the conflict", ""):
        assert groups.found_in(text) == any(p in text for p in phrases), text


@pytest.mark.parametrize(
    "text",
    [
        "Activist (@sohr) March 3, 2016 pic.twitter.com/abc",
        "(SOHR) said 12 people were killed in March",
        "see https://t.co/xyz",
        "killed since the war began in 2011",
        "the conflict has killed 400,000",
        "the deadliest attack since march",
        "nothing of the kind",
    ],
)
def test_guarded_sets_answer_as_their_patterns_do(text: str) -> None:
    """The guards of each pattern only skip texts it cannot match."""
    rules = scope_rules()
    lower = text.lower()
    for guarded in (rules.cumulative, rules.period, rules.embedded):
        assert guarded.search_any(lower) == any(g.pattern.search(lower) for g in guarded.patterns)


@pytest.mark.parametrize(
    "text",
    ["Rebels SAID: it killed 12\x1c\x1fmen", "\tA\x0bB\x0cC\rD\x1dE\x1eF_G-H'I", "!!!", "x" * 3 + " " * 4 + "Y"],
)
def test_framed_ascii_path_frames_as_the_regular_expression_does(text: str) -> None:
    """The byte-table path for ASCII texts gives the words the general path gives."""
    assert framed(text) == " " + " ".join(_NON_WORD.split(text.lower())).strip() + " "


def test_guarded_sets_answer_as_their_patterns_searched_one_by_one():
    # search_any rules texts out by the strings its patterns need (``firsts``, ``any_first``):
    # it must say exactly what a search of each pattern says.
    from pipeline.claims import scope

    rules = scope.scope_rules()
    sets = [rules.cumulative, rules.period, rules.embedded]
    assert any(s.firsts is not None and s.any_first for s in sets)
    texts = [
        "Six people were killed in Idlib on Monday.",
        "More than 300,000 people have been killed since the war began in 2011.",
        "The toll since the uprising rose to 40 (AFP) June 3 2016",
        "Horrible scenes pic.twitter.com/abc123 A Reporter (areporter) June 12 2016",
        "6 killed after the school was hit httpst.co7yzW74JRrW",
        "The UN (OCHA) said on June 10, 2016 that aid was delivered.",
        "Fighting over the past month killed 90 in three days of violence.",
        "Warplanes struck toward the town (the monitor) since Tuesday.",
        "",
    ]
    for guarded in sets:
        for text in texts:
            lower = text.lower()
            assert guarded.search_any(lower) == any(g.pattern.search(lower) for g in guarded.patterns), (text, guarded)
