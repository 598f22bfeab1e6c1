"""Required-literal prefilters: they may only skip texts a pattern cannot match."""

from __future__ import annotations

import random
import re

import pytest

from pipeline import rules
from pipeline.extract.literals import holds_any, plain_words, required_literals
from pipeline.extract.times import find_times, time_rules


@pytest.mark.parametrize(
    ("pattern", "need"),
    [
        ("between (?P<a>x)", {"between "}),
        ("(?:on )?(?:may|june) \\d+", {"may", "june"}),
        ("(?:ever )?since", {"since"}),
        ("x[ab]c", {"x"}),  # the longest run wins: here all are one character
        ("a?b*", None),  # nothing is required
        ("(?:abc|\\d)", None),  # one branch needs no literal
        ("(?i:ABC)d", {"abc"}),  # lower-cased
        ("(?:ab){2,}", {"ab"}),
        ("(?:may|mayday) x", {"may"}),  # "mayday" holds "may": only the shorter is tested
    ],
)
def test_required_literals(pattern: str, need: set[str] | None) -> None:
    found = required_literals(pattern)
    assert (set(found) if found is not None else None) == need


def test_plain_words_only_for_plain_alternations() -> None:
    assert plain_words("yesterday|today") == {"yesterday", "today"}
    assert plain_words("\\d\\d\\d\\d") is None
    assert plain_words("Since") is None  # upper case: left to the regex


def _examples() -> list[str]:
    data = rules.load("times")
    texts = [str(e["text"]) for r in data["rules"] for e in r.get("examples", [])]
    return texts + [str(t) for t in data.get("negative", [])]


@pytest.mark.parametrize("text", _examples())
def test_time_rules_need_what_they_match(text: str) -> None:
    """Every example a rule matches holds one of the strings the rule is said to need."""
    for rule in time_rules():
        for padded in (text, f"Officials said {text}, he added.", text.upper()):
            if rule.pattern.search(padded) and rule.needs is not None:
                assert holds_any(padded.lower(), rule.needs), (rule.id, padded)


def _find_times_unfiltered(text: str) -> list[tuple[int, int, str, tuple[tuple[str, str], ...]]]:
    """find_times as it was before the prefilters: the requires regex, then the pattern."""
    candidates = []
    for rule in time_rules():
        if rule.requires is not None and rule.requires.search(text) is None:
            continue
        candidates += [(m.start(), m.end(), rule.id, tuple((k, v) for k, v in m.groupdict().items() if v is not None))
                       for m in rule.pattern.finditer(text)]
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen: list[tuple[int, int, str, tuple[tuple[str, str], ...]]] = []
    for cand in candidates:
        if not chosen or cand[0] >= chosen[-1][1]:
            chosen.append(cand)
    return chosen


@pytest.mark.parametrize(
    "text",
    [
        *_examples(),
        "The strikes \u017finCE March 2011 killed 40 people",  # long s: re folds it to "s", str.lower() does not
        "Bombing on \u0130stanbul road yesterday, 12 dead",  # dotted capital I
        "Caf\u00e9 attack LAST WEEK: 3 killed since May 23",
    ],
)
def test_find_times_same_as_without_prefilters(text: str) -> None:
    for variant in (text, text.upper(), f"Officials said {text}, he added."):
        found = [(m.start, m.end, m.rule.id, m.groups) for m in find_times(variant)]
        assert found == _find_times_unfiltered(variant)


@pytest.mark.parametrize(
    "text",
    [
        "Date of publication 12 August 2016\nAt least 12 civilians were killed",
        "Wed 05 Apr 2017 Monitor AFP",
        "Monitor AFP Sunday 8 Oct 2017 At least 11 civilians",
        "August 22 2013 1849 UTC+3",
        "Last updated at Apr 232017",
        "11.10.2017(updated 1838 11.10.2017)",
        "POSTED ON APRIL 2 2017 BY ASHARQ AL-AWSAT",
        "2017-06-23 Aleppo",
        "Caf\u00e9 news, 3 May 2017",  # not ASCII: the original patterns run
    ],
)
def test_dateline_same_as_case_insensitive_patterns(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import metadata

    fast = metadata.find_dateline(text)
    plain = tuple(
        (rid, pattern, numeric, None, None, None) for rid, pattern, numeric, *_ in metadata._dateline_rules()
    )
    monkeypatch.setattr(metadata, "_dateline_rules", lambda: plain)
    assert fast == metadata.find_dateline(text)


@pytest.mark.parametrize(
    ("pattern", "safe"),
    [("may \\d+", True), ("(?-i:May) \\d+", False), ("[A-Z]x", False), ("Ab", False), ("[^a-z]+x", True),
     ("(?P<s>[./-])\\d(?P=s)", True), ("caf\u00e9", False)],
)
def test_case_free_only_when_safe(pattern: str, safe: bool) -> None:
    from pipeline.extract.literals import case_free

    assert (case_free(re.compile(pattern, re.IGNORECASE)) is not None) == safe


_SENTENCES = (
    "At least 12 civilians were killed on May 23, 2017 in Aleppo, and 4 more on Sunday morning.",
    "Between August 2014 and May 2017 the coalition killed 744 civilians; since March 2011, 400,000.",
    "Over the past three days, 30 people died; two days ago 5 were killed, yesterday 3, last week 9.",
    "Earlier this month 17 soldiers were killed in 2016-style attacks, during June and in 2015.",
)


def test_find_times_on_cut_texts_same_as_without_prefilters() -> None:
    """Matches at the very edges of a text: the bounded search window must not cut them."""
    rng = random.Random(5)
    for sentence in _SENTENCES:
        for variant in (sentence, sentence.upper()):
            for _ in range(300):
                start = rng.randrange(0, len(variant))
                chunk = variant[start : start + rng.randint(1, 60)]
                found = [(m.start, m.end, m.rule.id, m.groups) for m in find_times(chunk)]
                assert found == _find_times_unfiltered(chunk), chunk


def test_match_window_bounds() -> None:
    from pipeline.extract.literals import match_window, window

    assert match_window(re.compile(r"ab(?=cd)x?")) == (3, 2)
    assert match_window(re.compile(r"a\d+")) is None  # unbounded match
    assert match_window(re.compile(r"ab(?=c+)")) is None  # unbounded lookahead
    text = "x" * 50 + "may 23" + "y" * 50
    assert window(text, frozenset({"may"}), (10, 1)) == (40, 50 + 3 + 10 + 1 + 1)
    assert window(text, frozenset({"june"}), (10, 1)) is None


def test_piece_index_finds_what_a_scan_finds() -> None:
    """The word-by-word answer is the substring scan's, whatever the spacing and punctuation."""
    from pipeline.extract.literals import PieceIndex

    strings = frozenset({"may", "jan", "day", "19", "20", "ago", "the", "night"})
    index = PieceIndex(strings)
    rng = random.Random(7)
    alphabet = "mayjndgothe1920 .,-\n\t"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert index.present(text) == {s for s in strings if s in text}, text


@pytest.mark.parametrize(
    "text",
    [
        "12/06/2017 then 2017-06-13 and 3 May 2017",
        "Aleppo, 2017-06-13: 1/2/2017 fighting, 5 June 2017",
        "Posted on 3 May 2017 2017-05-04",
        "x 1.2.2017 x 03-04-2016 x 2016-04-03",
        "nothing here 20 19",
        "Monday, 4 June 2018\n12.06.2018",
    ],
)
def test_dateline_same_with_full_scans(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search spans (needed strings, bounded widths, an earlier rule's match) change
    no result: every rule scanning the whole window, to its end, finds the same date."""
    from pipeline import metadata

    fast = metadata.find_dateline(text)
    full = tuple(
        (rid, pattern, numeric, None, twin, None) for rid, pattern, numeric, _, twin, _ in metadata._dateline_rules()
    )
    monkeypatch.setattr(metadata, "_dateline_rules", lambda: full)
    assert fast == metadata.find_dateline(text)
