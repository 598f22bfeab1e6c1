"""The finders' tuple filter keeps what spaCy's filter_spans keeps, in the same order."""

from __future__ import annotations

import random
from typing import Any

from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.extract.tokens import longest_first


def _assert_like_filter_spans(nlp: Any, seed: int, rounds: int, sizes: tuple[int, int], last_start: int,
                              longest: int) -> None:
    """Random match lists (start, end, label): longest_first keeps what filter_spans keeps."""
    doc = nlp.make_doc(" ".join(["word"] * (last_start + longest + 5)))
    rng = random.Random(seed)
    for _ in range(rounds):
        matches = []
        for _ in range(rng.randint(*sizes)):
            start = rng.randint(0, last_start)
            matches.append((start, start + rng.randint(1, longest), rng.randint(1, 3)))
        spans = sorted(filter_spans([Span(doc, a, b, label=label) for a, b, label in matches]), key=lambda s: s.start)
        assert longest_first(matches) == [(s.start, s.end, s.label) for s in spans], matches


def test_longest_first_equals_filter_spans(nlp: Any) -> None:
    _assert_like_filter_spans(nlp, seed=7, rounds=3000, sizes=(0, 8), last_start=50, longest=4)


def test_longest_first_equals_filter_spans_in_long_layers(nlp: Any) -> None:
    """Long lists with chains and clusters of overlaps, as in the lexicon's busiest layers."""
    _assert_like_filter_spans(nlp, seed=11, rounds=1500, sizes=(2, 40), last_start=120, longest=5)


def test_age_end_equals_the_plain_rule() -> None:
    """counts.age_end tests the hyphens first: the same answer as the rule read in order
    (a number, "-", a unit, "-", "old"), at every start of random and real token lists."""
    import random

    from pipeline.extract.counts import AGE_UNITS, age_end
    from pipeline.normalize.numbers import number_words

    def plain(lowers: list[str], k: int) -> int:  # the rule as first written
        n = len(lowers)
        if k + 4 < n + 1 and k < n and (lowers[k].isdigit() or lowers[k] in number_words()):
            if lowers[k + 1 : k + 2] == ["-"] and lowers[k + 2 : k + 3] and lowers[k + 2] in AGE_UNITS \
                    and lowers[k + 3 : k + 4] == ["-"] and k + 4 < n and lowers[k + 4] == "old":
                return k + 5
        return k

    rng = random.Random(5)
    words = ["10", "ten", "-", "year", "days", "old", "a", "boy", "twenty", "month", "-", "-"]
    for _ in range(3000):
        lowers = [rng.choice(words) for _ in range(rng.randint(0, 9))]
        for k in range(len(lowers) + 2):
            assert age_end(lowers, k) == plain(lowers, k), (lowers, k)
    assert age_end("a 10 - year - old boy".split(), 1) == 6
