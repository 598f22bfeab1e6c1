"""Sentence boundaries by rule: line breaks, and end punctuation before a capital.

spaCy's sentencizer splits after every period, including "Lt. Gen." and initials,
and never at a line break; news text needs both the other way round.
"""

from __future__ import annotations

from spacy.tokens import Doc

# Titles and abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt st sen rep gov pres prof jr sr no vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig".split()
)
_ENDERS = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]»")


def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts on ``doc`` in place and return it."""
    if not len(doc):
        return doc
    doc[0].is_sent_start = True
    for i in range(1, len(doc)):
        doc[i].is_sent_start = _starts_sentence(doc, i)
    return doc


def _starts_sentence(doc: Doc, i: int) -> bool:
    prev = doc[i - 1]
    token = doc[i]
    if token.is_space:
        return False
    if "\n" in prev.text or "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
        return True
    if i >= 2 and doc[i - 2].is_space and "\n" in doc[i - 2].text and prev.is_space:
        return True
    # Step back over closing quotes and brackets to the punctuation before them.
    j = i - 1
    while j >= 0 and doc[j].text in _CLOSERS:
        j -= 1
    if j < 0 or doc[j].text not in _ENDERS and not doc[j].text.endswith(("!", "?")):
        return False
    if j >= 1 and doc[j].text == "." and doc[j - 1].lower_.rstrip(".") in ABBREVIATIONS:
        return False
    if not prev.whitespace_ and prev.text not in _CLOSERS and j == i - 1:
        return False
    first = token.text[0]
    return first.isupper() or first.isdigit() or first in "\"“‘'(["
