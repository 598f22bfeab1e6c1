"""Whitespace squeezing: the fast path equals the plain rule and is idempotent."""

from __future__ import annotations

import random
import re

from pipeline.clean.text import squeeze_whitespace

_RUNS = re.compile(r"[ \t\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]+")
_MANY_BLANKS = re.compile(r"\n{3,}")
_ALPHABET = [" ", " ", "\t", "\u00a0", "\u2003", "\u200b", "\u3000", "\u1680", "a", "b", "\n", "\n", ".", "\u2028", "\x85"]


def _plain(text: str) -> str:
    """The rule as first written: every run of spaces to one, lines stripped."""
    lines = [_RUNS.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BLANKS.sub("\n\n", "\n".join(lines)).strip("\n")


def test_squeeze_equals_the_plain_rule_and_is_idempotent() -> None:
    rng = random.Random(2)
    for _ in range(20_000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        squeezed = squeeze_whitespace(text)
        assert squeezed == _plain(text), repr(text)
        assert squeeze_whitespace(squeezed) == squeezed, repr(text)  # clean_body relies on it


def test_squeeze_ascii_texts_equal_the_plain_rule() -> None:
    """ASCII texts take the tab-only test for other spaces."""
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice([" ", " ", "\t", "a", "\n", "\n", "."]) for _ in range(rng.randint(0, 14)))
        assert squeeze_whitespace(text) == _plain(text), repr(text)


def test_folded_and_controls_equal_their_regexes() -> None:
    """The byte-level paths for ASCII texts give what the regexes give."""
    from pipeline.clean.text import folded, normalize_unicode

    rng = random.Random(4)
    for _ in range(20_000):
        text = "".join(chr(rng.randrange(0, 160)) for _ in range(rng.randint(0, 16)))
        if rng.random() < 0.5:
            text = text.encode("ascii", "ignore").decode("ascii")
        assert folded(text) == re.sub("[^0-9a-z]+", "", text.lower()), repr(text)
        plain = text.replace("\r\n", "\n").replace("\r", "\n")
        assert normalize_unicode(text) == re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", plain), repr(text)
    assert folded("\u212a9") == "k9"  # KELVIN SIGN lower-cases into ASCII


def _drop_title_by_loop(title: str, body: str) -> str:
    """The rule as first written: a step per character of the body."""
    from pipeline.clean.text import folded

    key = folded(title)
    if len(key) < 12:
        return body
    head = body.lstrip()
    consumed = 0
    for i, ch in enumerate(head):
        consumed += ch.isalnum()
        if consumed == len(key):
            return head[i + 1 :].lstrip(" .:-–—|\t") if folded(head[: i + 1]) == key else body
    return body


def test_drop_repeated_title_equals_the_character_loop() -> None:
    from collections import Counter

    from pipeline.clean.text import drop_repeated_title

    title = "Air strikes kill 12 in Idlib"
    pieces = ["Air", " strikes", " kill", " 12", " in", " Idlib", ".", " -", " ", "é", "²", "Ö", "\n", "More", " text"]
    rng = random.Random(5)
    for _ in range(5_000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.3:
            body = " " + " ".join(["Air strikes kill 12 in Idlib", body])
        assert drop_repeated_title(title, body, Counter()) == _drop_title_by_loop(title, body), repr(body)


def test_inline_rules_exact_strings() -> None:
    """Each case-sensitive inline rule tests its literal text as written, not lower-cased."""
    from pipeline.clean.text import _exact_need, _rules

    assert _exact_need(r"\s*\bTags\s+\S", re.MULTILINE) == "Tags"
    assert _exact_need(r"(?i)\s*\bTags", 0) is None
    assert _exact_need(r"\s*(?:a|b)+", 0) is None
    assert all(rule.exact for rule in _rules()[1])


def test_no_line_keeps_two_whitespace_characters_in_a_row() -> None:
    """Cleaning rules start with ``\\s*``: a run of whitespace left in a line would make
    each of them quadratic in its length (U+1680 was left)."""
    import sys

    from pipeline.clean.text import normalize_unicode

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c)) and chr(c) != "\n"]
    for space in spaces:
        for line in squeeze_whitespace(normalize_unicode(f"a{space * 3}b{space}c {space}d")).split("\n"):
            assert re.search(r"\s\s", line) is None, repr(space)


def test_end_of_alnums_equals_one_pattern_per_length() -> None:
    """_end_of_alnums chains the patterns of n's binary digits: the same end as the one
    pattern of n repetitions, on random ASCII and non-ASCII heads."""
    from pipeline.clean.text import _end_of_alnums

    rng = random.Random(3)
    for _ in range(5000):
        head = "".join(rng.choice("ab1 -.:\u00e9Z9") for _ in range(rng.randint(0, 40)))
        n = rng.randint(0, 30)
        match = re.compile(rf"(?:[^0-9A-Za-z]*[0-9A-Za-z]){{{n}}}").match(head)
        expected = (match.end() if head[: match.end()].isascii() else None) if match else None
        assert _end_of_alnums(head, n) == expected, (head, n)


def test_inline_rules_after_spaces_equal_their_regexes() -> None:
    """_subn tries a rule's rest only where its lead string occurs (rules written "\\s*" + a
    plain string): the same text and count as the whole regex's subn, on random lines made
    of the rules' own strings, words, whitespace and punctuation."""
    from pipeline.clean.text import _rules, _subn

    _, inline = _rules()
    fast = [rule for rule in inline if rule.rest is not None]
    assert fast
    pieces = [rule.lead for rule in fast] + ["Also", "more here", "Views 12", "Topic x (3)", "Related", "Community standards",
                                             "At least", "The", "Police", "said", "in", "x", "Ab", "(", ")", ".", "!", "?",
                                             "5", " ", "  ", "\t", "\u00a0", "\u2003", "\n", "-", "'"]
    rng = random.Random(11)
    for _ in range(3000):
        line = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 25)))
        for rule in fast:
            assert _subn(rule, line) == rule.pattern.subn(rule.replace or "", line), (rule.lead, line)


def test_a_rule_with_top_level_branches_is_searched_whole() -> None:
    """In "\\s*Read more|Related" the leading \\s* belongs to the first branch only: such a rule
    is not split into a lead string and a rest, and gives what its regex gives."""
    import re

    from pipeline.clean.text import LineRule, _after_spaces, _subn

    pattern = r"\s*Read more|Related"
    rest, lead = _after_spaces(pattern, re.MULTILINE, "")
    assert (rest, lead) == (None, "")
    rule = LineRule("inline", re.compile(pattern, re.MULTILINE), "", None, None, rest, lead)
    line = "Foo   Related  bar   Read more"
    assert _subn(rule, line) == re.compile(pattern, re.MULTILINE).subn("", line) == ("Foo     bar", 2)
