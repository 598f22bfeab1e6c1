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
# A prose paragraph: at least this many characters.
PROSE_MIN_CHARS = 80

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


def filter_blocks(blocks: list[Block]) -> tuple[list[Block], Counter[str]]:
    """The blocks that are article text, and what was dropped by kind."""
    dropped: Counter[str] = Counter()
    kept: list[Block] = []
    teasers = False  # after a "Related" heading, until the next prose paragraph
    for block in blocks:
        if block.link_dense:
            dropped["link_block"] += 1
            continue
        kind = phrase_kind(block.text)
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
    if sum(b.prose for b in kept) >= TAIL_MIN_PROSE:
        while kept and not kept[-1].prose and kept[-1].label:
            kept.pop()
            dropped["tail_label"] += 1
    return kept, dropped


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
