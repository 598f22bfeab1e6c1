"""A claim's evidence: its sentence, or a window around its figure when the sentence
is too long to repeat.

Each claim carries its evidence text, so a sentence is written once per figure it
holds. A text without sentence ends (a table, a page without punctuation) is one
"sentence" of up to 300,000 characters: 2,000 figures in it wrote 600 MB. So the
evidence of a claim is a window of at most WINDOW_CHARS characters either side of
its figure, cut at word gaps inside the sentence, when the sentence is longer than
MAX_EVIDENCE_CHARS, or when its claims would repeat it past SENTENCE_REPEAT_CHARS
characters in all (40 figures in a 500-character sentence). The longest sentence of
the FA-KES dev set (2,271 characters, two claims) is kept whole.
"""

from __future__ import annotations

MAX_EVIDENCE_CHARS = 2_500
SENTENCE_REPEAT_CHARS = 20_000
WINDOW_CHARS = 250


def needs_window(sentence_chars: int, claims: int) -> bool:
    """Whether the claims of a sentence this long, this many, get windows instead."""
    return sentence_chars > MAX_EVIDENCE_CHARS or sentence_chars * claims > SENTENCE_REPEAT_CHARS


def window(text: str, sentence: tuple[int, int], figure: tuple[int, int]) -> tuple[int, int]:
    """(start, end) of the evidence window of the figure at ``figure`` (character
    offsets in ``text``) inside the sentence at ``sentence``.

    At most WINDOW_CHARS characters on each side of the figure, never outside the
    sentence; a word cut by either edge is left out (unless no gap is found, in a
    run of characters with no space), and so is whitespace at the edges.
    """
    first, last = sentence
    start = max(first, figure[0] - WINDOW_CHARS)
    end = min(last, figure[1] + WINDOW_CHARS)
    if start > first and not text[start - 1].isspace():
        gap = _first_space(text, start, figure[0])
        if gap is not None:
            start = gap
    if end < last and not text[end].isspace():
        gap = _last_space(text, figure[1], end)
        if gap is not None:
            end = gap
    while start < figure[0] and text[start].isspace():
        start += 1
    while end > figure[1] and text[end - 1].isspace():
        end -= 1
    return start, end


def _first_space(text: str, start: int, stop: int) -> int | None:
    for i in range(start, stop):
        if text[i].isspace():
            return i
    return None


def _last_space(text: str, start: int, stop: int) -> int | None:
    for i in range(stop - 1, start - 1, -1):
        if text[i].isspace():
            return i
    return None
