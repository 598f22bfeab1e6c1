"""Sentence boundaries by rule: line breaks, and end punctuation before a capital.

spaCy's sentencizer splits after every period, including "Lt. Gen." and initials,
and never at a line break; news text needs both the other way round.

The starts are computed over plain lists and written with one ``Doc.from_array``
call: setting ``token.is_sent_start`` one token at a time re-checks the whole Doc's
annotation on every assignment, which is quadratic in the length of the text.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from pipeline.extract.tokens import set_sentence_bounds, token_view

# Titles and abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt st sen rep gov pres prof jr sr no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig".split()
)
_ENDERS = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]»")


def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts on ``doc`` in place and return it.

    The sentence bounds are also recorded for ``sentence_bounds``, so later steps
    need not rebuild them through ``doc.sents``.
    """
    if not len(doc):
        return doc
    view = token_view(doc)
    texts, spaces = view.texts, view.spaces
    first = [0]
    # _starts_sentence can only say yes after a token that ends a sentence, closes a
    # quote or bracket, or holds a line break (or is blank); the rest are skipped.
    enders, closers = _ENDERS, _CLOSERS
    first.extend(
        i for i in range(1, len(doc))
        if (texts[i - 1] in enders or texts[i - 1] in closers or "\n" in texts[i - 1] or "\n" in spaces[i - 1]
            or texts[i - 1].endswith(("!", "?")) or _is_space(texts[i - 1]))
        and _starts_sentence(texts, spaces, i)
    )
    starts = numpy.full((len(doc), 1), -1, dtype="int64")
    starts[first, 0] = 1
    doc.from_array([SENT_START], starts.astype("uint64"))
    set_sentence_bounds(doc, list(zip(first, [*first[1:], len(doc)])))
    return doc


def _is_space(text: str) -> bool:
    return not text.strip()


def _starts_sentence(texts: list[str], spaces: list[str], i: int) -> bool:
    prev, token = texts[i - 1], texts[i]
    if _is_space(token):
        return False
    if "\n" in prev or "\n" in spaces[i - 1]:
        return True
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
    if not spaces[i - 1] and prev not in _CLOSERS and j == i - 1:
        return False
    first = token[0]
    return first.isupper() or first.isdigit() or first in "\"“‘'(["
