"""Whitespace squeezing: the fast path equals the plain rule and is idempotent."""

from __future__ import annotations

import random
import re

from pipeline.clean.text import squeeze_whitespace

_RUNS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MANY_BLANKS = re.compile(r"\n{3,}")
_ALPHABET = [" ", " ", "\t", "\u00a0", "\u2003", "\u200b", "\u3000", "a", "b", "\n", "\n", ".", "\u2028", "\x85"]


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
