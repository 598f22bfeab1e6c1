"""The finders' tuple filter keeps what spaCy's filter_spans keeps, in the same order."""

from __future__ import annotations

import random
from typing import Any

from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.extract.tokens import longest_first


def test_longest_first_equals_filter_spans(nlp: Any) -> None:
    doc = nlp.make_doc(" ".join(["word"] * 60))
    rng = random.Random(7)
    for _ in range(3000):
        matches = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 50)
            matches.append((start, start + rng.randint(1, 4), rng.randint(1, 3)))
        spans = sorted(filter_spans([Span(doc, a, b, label=label) for a, b, label in matches]), key=lambda s: s.start)
        assert longest_first(matches) == [(s.start, s.end, s.label) for s in spans], matches


def test_longest_first_equals_filter_spans_in_long_layers(nlp: Any) -> None:
    """Long lists with chains and clusters of overlaps, as in the lexicon's busiest layers."""
    doc = nlp.make_doc(" ".join(["word"] * 130))
    rng = random.Random(11)
    for _ in range(1500):
        matches = []
        for _ in range(rng.randint(2, 40)):
            start = rng.randint(0, 120)
            matches.append((start, start + rng.randint(1, 5), rng.randint(1, 3)))
        spans = sorted(filter_spans([Span(doc, a, b, label=label) for a, b, label in matches]), key=lambda s: s.start)
        assert longest_first(matches) == [(s.start, s.end, s.label) for s in spans], matches
