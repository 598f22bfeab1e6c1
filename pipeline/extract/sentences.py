"""Sentence boundaries by rule: line breaks, and end punctuation before a capital.

spaCy's sentencizer splits after every period, including "Lt. Gen." and initials,
and never at a line break; news text needs both the other way round.

The starts are computed over plain lists and written with one ``Doc.from_array``
call: setting ``token.is_sent_start`` one token at a time re-checks the whole Doc's
annotation on every assignment, which is quadratic in the length of the text.
"""

from __future__ import annotations

from itertools import compress

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from pipeline.extract.tokens import Memo, memo_map, set_sentence_bounds, token_view

# Titles and abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt st sen rep gov pres prof jr sr no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig".split()
)
_ENDERS = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]»")
_NOT_START = numpy.uint64(2**64 - 1)  # SENT_START -1 as uint64


def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts on ``doc`` in place and return it.

    The sentence bounds are also recorded for ``sentence_bounds``, so later steps
    need not rebuild them through ``doc.sents``.
    """
    if not len(doc):
        return doc
    view = token_view(doc)
    texts, offsets = view.texts, view.starts
    first = [0]
    first.extend(i for i in compress(range(1, len(doc)), _may_end(texts)) if _starts_sentence(texts, offsets, i))
    # from_array takes uint64 and reads each value back as a signed int: -1 (not a
    # start) is written as its two's complement, without an int64 array to convert.
    starts = numpy.full((len(doc), 1), _NOT_START, dtype=numpy.uint64)
    starts[first, 0] = 1
    doc.from_array([SENT_START], starts)
    set_sentence_bounds(doc, list(zip(first, [*first[1:], len(doc)])))
    return doc


def _may_end(texts: list[str]) -> list[bool]:
    """For each token, whether _starts_sentence can say yes for the token after it.

    Only after a token that ends a sentence, closes a quote or bracket, holds a line
    break or is blank (the token view's spaces are " " or "", never a line break), so
    the full rule runs for the few tokens that pass, not for every token.
    """
    return memo_map(_MAY_END, texts)


def _can_end(text: str) -> bool:
    return text in _ENDERS or text in _CLOSERS or "\n" in text or text.endswith(("!", "?")) or _is_space(text)


# Token text -> whether a sentence may start after it (see _may_end), per process.
_MAY_END: Memo[bool] = Memo(_can_end)


def _is_space(text: str) -> bool:
    return not text.strip()


def _starts_sentence(texts: list[str], offsets: list[int], i: int) -> bool:
    """Whether token i starts a sentence; ``offsets`` are the tokens' character offsets
    (a token is followed by a space exactly when the next one starts one character
    after its end: spaCy's Doc keeps at most one space with a token)."""
    prev, token = texts[i - 1], texts[i]
    if _is_space(token):
        return False
    if "\n" in prev:
        return not _soft_wrap(texts, i)
    if i >= 2 and _is_space(texts[i - 2]) and "\n" in texts[i - 2] and _is_space(prev):
        return True
    # Step back over closing quotes and brackets to the punctuation before them.
    j = i - 1
    while j >= 0 and texts[j] in _CLOSERS:
        j -= 1
    if j < 0 or texts[j] not in _ENDERS and not texts[j].endswith(("!", "?")):
        return False
    if j >= 1 and texts[j] == "." and texts[j - 1].lower().rstrip(".") in ABBREVIATIONS:
        return False
    if offsets[i] == offsets[i - 1] + len(prev) and prev not in _CLOSERS and j == i - 1:
        return False
    first = token[0]
    return first.isupper() or first.isdigit() or first in "\"“‘'(["


# What a line may end with when the sentence goes on on the next line: a word or a comma.
_WRAP_ENDS = frozenset(",;")


def _soft_wrap(texts: list[str], i: int) -> bool:
    """A line broken inside a sentence, as hard-wrapped text and text taken from PDFs have
    them ("... when guards saw armed\nmen coming closer"): one line break, alone in its
    token, after a word or a comma, and a lower-case word after it. A blank line, a line
    that ends with punctuation, and a next line that starts with a capital, a digit or a
    symbol still start a sentence (titles, datelines, lists)."""
    prev, token = texts[i - 1], texts[i]
    if i < 2 or not token[0].islower() or not _is_space(prev) or prev.count("\n") != 1:
        return False
    before = texts[i - 2]
    return before[-1:].isalnum() or before in _WRAP_ENDS

