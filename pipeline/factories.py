"""The one module that wires the spaCy pipeline: components, their order, extensions.

Every component only finds spans (spaCy's split of matching from interpretation);
claims are assembled afterwards from ``doc.spans`` by ``pipeline/claims``. The
pipeline is built once per process and reused for every article.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import IS_PUNCT, LOWER, NORM
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from pipeline.extract.counts import find_counts
from pipeline.extract.lexicon import LexiconMatcher
from pipeline.extract.sentences import set_sentence_starts
from pipeline.extract.times import find_times
from pipeline.extract.tokenizer import bounded_tokenizer
from pipeline.extract.tokens import expand_to_tokens, sentence_bounds, set_span_values, set_spans, spans_of, token_view

# Span extensions carry the finder's structured result next to the text.
if not Span.has_extension("count"):
    Span.set_extension("count", default=None)
if not Span.has_extension("time"):
    Span.set_extension("time", default=None)

# spaCy's tokenizer built bounded (pipeline/extract/tokenizer.py), registered under our name.
TOKENIZER = "casualty_claims.BoundedTokenizer.v1"
if TOKENIZER not in registry.tokenizers:
    registry.tokenizers(TOKENIZER)(bounded_tokenizer)

PIPE_NAMES = ("sentence_rules", "count_finder", "time_finder", "lexicon_matcher", "place_finder")

# The lexical attributes the components and the claim code read from spaCy: Token.lower_,
# Token.norm_ (and the folded PhraseMatcher, on NORM) and Token.is_punct. spaCy computes
# its ~23 lexical attributes (shape, prefix, like_num, is_stop...) once per new word, in
# Python, and a new word costs three times as much with all of them; the others are never
# read (the token views read the strings themselves). A rule that needs another one adds it
# here (tests/test_extract_tokens.py checks these against spaCy's English defaults).
LEXICAL_ATTRIBUTES = (LOWER, NORM, IS_PUNCT)


@Language.component("sentence_rules", assigns=["token.is_sent_start"])
def sentence_rules(doc: Doc) -> Doc:
    """Sentence starts at line breaks and after end punctuation before a capital."""
    return set_sentence_starts(doc)


@Language.component("count_finder", assigns=["doc.spans"])
def count_finder(doc: Doc) -> Doc:
    """doc.spans["count"]: every count, with its CountSpan in span._.count."""
    counts = find_counts(doc)
    # Labels as hashes, each rule's added to the StringStore once: a Span given a string
    # adds it again on every construction.
    labels = {rule: doc.vocab.strings.add(rule) for rule in {found.rule for found in counts}}
    set_spans(doc, "count", [Span(doc, found.start, found.end, label=labels[found.rule]) for found in counts])
    set_span_values(doc, "count", counts)  # span._.count, without an Underscore per span
    return doc


@Language.component("time_finder", assigns=["doc.spans"], requires=["doc.spans"])
def time_finder(doc: Doc) -> Doc:
    """doc.spans["time"]: time expressions, with their TimeMatch in span._.time.

    Only sentences holding a count are searched: a time matters as the date of a
    claim in its own sentence, or to keep a date's digits ("May 23") from being read
    as a count, and the regular expressions cost more than anything else per character.
    """
    spans = []
    matches = []
    view = token_view(doc)
    text = view.text  # doc.text is rebuilt from the tokens on every access
    labels: dict[str, int] = {}  # a Span given a string adds it to the StringStore on every construction
    for start, end in _count_sentences(doc):
        for match in find_times(text[start:end]):
            bounds = expand_to_tokens(view, start + match.start, start + match.end)
            if bounds is not None:
                label = labels.get(match.rule.id)
                if label is None:
                    label = labels[match.rule.id] = doc.vocab.strings.add(match.rule.id)
                spans.append(Span(doc, bounds[0], bounds[1], label=label))
                matches.append(match)
    set_spans(doc, "time", spans)
    set_span_values(doc, "time", matches)  # span._.time
    return doc


def _count_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the sentences that hold a count, in order, adjacent ones merged."""
    count_starts = sorted(span.start for span in spans_of(doc, "count"))
    ranges: list[tuple[int, int]] = []
    if not count_starts:
        return ranges
    view = token_view(doc)
    k = 0
    for start, end in sentence_bounds(doc):
        while k < len(count_starts) and count_starts[k] < start:
            k += 1
        if k < len(count_starts) and count_starts[k] < end:
            start_char, end_char = view.starts[start], view.end_char(end - 1)
            if ranges and ranges[-1][1] >= start_char - 2:
                ranges[-1] = (ranges[-1][0], end_char)  # adjacent: search them as one
            else:
                ranges.append((start_char, end_char))
    return ranges


@Language.factory("lexicon_matcher", assigns=["doc.spans"])
def make_lexicon_matcher(nlp: Language, name: str) -> LexiconMatcher:
    """Victims, triggers, actors, causes and sources from the rule files."""
    return LexiconMatcher(nlp)


class _PlaceComponent:
    """Adapter from the PlaceFinder (a callable returning spans) to a pipe."""

    def __init__(self, nlp: Language) -> None:
        from pipeline.extract.places import PlaceFinder

        self.finder = PlaceFinder(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        set_spans(doc, "place", list(self.finder(doc)))
        return doc


@Language.factory("place_finder", assigns=["doc.spans"])
def make_place_finder(nlp: Language, name: str) -> Any:
    """Place names, governorate phrases and demonyms from the gazetteer."""
    return _PlaceComponent(nlp)


def build_nlp() -> Language:
    """A fresh pipeline: blank English tokenizer (bounded) plus the rule components, in order."""
    # spaCy's tokenizer, with the symbol-heavy chunks it takes quadratic time on cut first.
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    # article.py cuts the text to MAX_CHARS (300,000, W005); this only guards a direct call.
    nlp.max_length = 2_000_000
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in LEXICAL_ATTRIBUTES}
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """The process-wide pipeline (built on first use, once per worker)."""
    return build_nlp()
