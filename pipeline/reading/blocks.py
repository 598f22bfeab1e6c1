"""Block-level cleaning of the chosen article container: keep the article, drop the page.

The container chosen in ``html.py`` still holds furniture that class names do not
announce: teaser headlines (mostly link text), "You may also like" headings and
the short labels after the story's last paragraph, paywall and newsletter prompts,
"Tags:" lines. They carry other stories' figures ("5 dead in crash"), so each is
a false claim waiting to happen. Three generic tests, in this order, decide
(the same signals trafilatura and jusText use, kept small and explainable):

1. link density: a block whose text is mostly link text is navigation or a
   teaser, not prose the article's author wrote;
2. a short block that is a known furniture phrase (``rules/html_boilerplate.yaml``,
   examples and keep-lines tested);
3. labels: short blocks without sentence punctuation (teaser titles, section
   names) right after a "Related" heading, and after the last prose paragraph
   ("more from us" furniture, once the article has prose).

Nothing here knows a site: the held-out pages are scored with the same code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from pipeline import rules

# A block with at least this share of its characters inside links is navigation.
LINK_DENSITY = 0.5
# ... but only when short: a long paragraph with a few linked phrases is prose.
LINK_BLOCK_MAX_CHARS = 400
# Phrase rules apply to blocks of at most this many words (a prompt, not a paragraph).
PHRASE_MAX_WORDS = 40
PHRASE_MAX_CHARS = 400
# A trailing block of at most this many words without sentence punctuation is a label.
TAIL_LABEL_MAX_WORDS = 10
TAIL_LABEL_MAX_CHARS = 100
# The tail is trimmed only when this many prose paragraphs remain before it, so a
# two-line page keeps what it has.
TAIL_MIN_PROSE = 2
TAIL_MIN_PROSE_CHARS = 400
# A prose paragraph: at least this many characters.
PROSE_MIN_CHARS = 80
# A heading followed by at least this many link-dense blocks heads a link list.
LINK_LIST_MIN = 1
# A date line: at most this long, and this many words besides its numbers.
DATE_LINE_MAX_CHARS = 80
DATE_LINE_MAX_WORDS = 4

# A time (10:30, 10.30 h, 10h30), a numeric date (12.03.2020, 3/12/20, 2020-03-12) or a
# day, month and year written out ("3 mars 2020", "March 3, 2020"): the shape, any language.
_DATE_SHAPE = re.compile(
    r"\b([01]?\d|2[0-3])[:h.]\d\d\b(?!\.\d)|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|\b\d{1,2}\.?\s+\w+\.?,?\s+(19|20)\d\d\b|\b\w+\.?\s+\d{1,2},?\s+(19|20)\d\d\b"
)
# What a date line is made of besides words: numbers, separators, "|", "·".
_DATE_TOKENS = re.compile(r"\d{1,2}h\d\d|[\d:./,|·•–—()\[\]-]+")
# Sentence-final punctuation, with closing quotes and brackets after it.
_SENTENCE_END = re.compile(r"""[.!?…:;。！？：；]["'»”’)\]」』）]*\s*$""")


@dataclass(frozen=True)
class Block:
    """One paragraph of the container: its text, size, link text and heading flag."""

    text: str
    chars: int
    link_chars: int
    heading: bool

    @property
    def link_dense(self) -> bool:
        """Mostly link text: a menu entry, a teaser headline, "previous article".

        A linked paragraph that is a whole sentence (long, with its full stop) is
        prose an author linked, not a headline: teaser titles carry no full stop.
        """
        if self.chars > LINK_BLOCK_MAX_CHARS or self.link_chars < LINK_DENSITY * self.chars:
            return False
        return self.chars < PROSE_MIN_CHARS or not _SENTENCE_END.search(self.text)

    @property
    def prose(self) -> bool:
        """Long enough and ending like a sentence: the article's own writing."""
        return self.chars >= PROSE_MIN_CHARS and not self.heading and not self.link_dense

    @property
    def label(self) -> bool:
        """A heading or short line that is not a sentence: a teaser title, a kicker, a name."""
        if _SENTENCE_END.search(self.text):
            return False
        # words and characters: Chinese or Japanese text has no spaces between words
        short = len(self.text.split()) <= TAIL_LABEL_MAX_WORDS and self.chars <= TAIL_LABEL_MAX_CHARS
        return self.heading or short


@lru_cache(maxsize=1)
def _phrases() -> tuple[re.Pattern[str], tuple[str, ...], re.Pattern[str] | None, tuple[str, ...]]:
    """Whole-block rules and "contains" rules, each compiled into one alternation.

    One regex per kind of match instead of one per rule: every block of every page
    is tested, so the rules cost one C-level scan, not a Python loop of scans.
    Group ``r<i>`` is rule i; ``match.lastgroup`` names the rule that matched.
    """
    whole, whole_kinds, contains, contains_kinds = [], [], [], []
    for item in rules.load("html_boilerplate")["block_rules"]:
        if "contains" in item:
            contains.append(f"(?P<r{len(contains)}>{item['contains']})")
            contains_kinds.append(item["kind"])
        else:
            whole.append(f"(?P<r{len(whole)}>{item['pattern']})")
            whole_kinds.append(item["kind"])
    # Matched against the lowercased text: IGNORECASE alternations are several times slower.
    whole_re = re.compile("|".join(whole))
    contains_re = re.compile("|".join(contains)) if contains else None
    return whole_re, tuple(whole_kinds), contains_re, tuple(contains_kinds)


def phrase_kind(text: str) -> str | None:
    """The furniture kind of a short block that is a known phrase, else None."""
    if len(text) > PHRASE_MAX_CHARS or len(text.split()) > PHRASE_MAX_WORDS:
        return None
    whole, whole_kinds, contains, contains_kinds = _phrases()
    text = text.lower()
    match = whole.fullmatch(text)
    if match and match.lastgroup:
        return whole_kinds[int(match.lastgroup[1:])]
    match = contains.search(text) if contains else None
    if match and match.lastgroup:
        return contains_kinds[int(match.lastgroup[1:])]
    return None


def filter_blocks(blocks: list[Block], *, drop_date_lines: bool = True) -> tuple[list[Block], Counter[str]]:
    """The blocks that are article text, and what was dropped by kind.

    ``drop_date_lines``: whether date lines before the first prose paragraph go
    (the caller keeps them when they are the only place the page dates itself).
    """
    dropped: Counter[str] = Counter()
    kept: list[Block] = []
    teasers = False  # after a "Related" heading, until the next prose paragraph
    for i, block in enumerate(blocks):
        if block.link_dense:
            dropped["link_block"] += 1
            continue
        kind = phrase_kind(block.text)
        if kind is None and block.label and heads_link_list(blocks, i):
            dropped["related"] += 1  # "Explore further", "Lo último": the heading of a list of links
            continue
        if kind:
            dropped[kind] += 1
            teasers = kind == "related"
            continue
        if teasers and block.label:
            dropped["related"] += 1
            continue
        teasers = False
        if "\n" in block.text:
            block = without_phrase_lines(block, dropped)
        if block.text:
            kept.append(block)
    trim_edges(kept, dropped, drop_date_lines)
    return kept, dropped


def heads_link_list(blocks: list[Block], i: int) -> bool:
    """Whether ``blocks[i]`` is followed by a run of link-dense blocks up to prose or the end.

    In any language, a short heading followed by nothing but link-dense blocks
    (teaser headlines) is that list's heading: "Related", "Lire aussi", "Czytaj też".
    The run (at least ``LINK_LIST_MIN`` links) must start right after it and end
    the article or give way to prose: a product or course page of headings,
    labels and links keeps its headings.
    """
    links = 0
    for j in range(i + 1, len(blocks)):  # indices, not a slice: called for every label
        block = blocks[j]
        if not block.link_dense:
            return links >= LINK_LIST_MIN and block.prose
        links += 1
    return links >= LINK_LIST_MIN


def trim_edges(kept: list[Block], dropped: Counter[str], drop_date_lines: bool = True) -> None:
    """Drop labels after the last prose paragraph, and date lines before the first one.

    Both only once the article has ``TAIL_MIN_PROSE`` prose paragraphs (or one
    of ``TAIL_MIN_PROSE_CHARS``), so a two-line page keeps what it has.
    """
    prose = [b.chars for b in kept if b.prose]
    if len(prose) < TAIL_MIN_PROSE and sum(prose) < TAIL_MIN_PROSE_CHARS:
        return
    while kept and not kept[-1].prose and (kept[-1].label or date_line(kept[-1].text)):
        kept.pop()
        dropped["tail_label"] += 1
    head = 0
    while drop_date_lines and head < len(kept) and not kept[head].prose:
        head += 1
    dates = {i for i in range(head) if date_line(kept[i].text)}
    if dates:
        dropped["date_line"] += len(dates)
        kept[:] = [b for i, b in enumerate(kept) if i not in dates]


def date_line(text: str) -> bool:
    """A short line that is mostly a date or a time: "Updated 05:28", "12.03.2020 | 10:30",
    "Publié le 3 mars 2020", "2020-03-12". Language-independent: digits in a date or
    time shape, and at most ``DATE_LINE_MAX_WORDS`` other words."""
    if len(text) > DATE_LINE_MAX_CHARS or not _DATE_SHAPE.search(text):
        return False
    words = [w for w in _DATE_TOKENS.sub(" ", text).split() if any(c.isalpha() for c in w)]
    return len(words) <= DATE_LINE_MAX_WORDS


def without_phrase_lines(block: Block, dropped: Counter[str]) -> Block:
    """The block without its lines that are furniture phrases ("11:38<br>Tags: news")."""
    lines = []
    for line in block.text.split("\n"):
        kind = phrase_kind(line)
        if kind:
            dropped[kind] += 1
        else:
            lines.append(line)
    if len(lines) == block.text.count("\n") + 1:
        return block
    text = "\n".join(lines)
    return Block(text, len(text), min(block.link_chars, len(text)), block.heading)
