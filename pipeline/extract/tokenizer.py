"""spaCy's tokenizer with its worst cases bounded, same tokens on ordinary text.

spaCy splits each whitespace-free chunk by stripping one prefix or suffix at a
time, and each step searches the suffix rules over the whole remaining chunk:
a chunk of m symbols ("((((", "=$+<>") costs m searches of m positions. 10,000
"(" took 10 to 40 s. Two bounds, both invisible on news text:

- The suffix search looks at the last few characters only (``window_suffix_search``),
  which gives the same match: every English suffix rule matches at most five
  characters except ``\\.\\.+``, whose matches stay matches when shortened from the
  left; the window is computed from the rules and checked when the pipeline is built.
- Chunks heavy in symbols are cut before spaCy sees them: a chunk holding more than
  MAX_CHUNK_SYMBOLS symbols (characters that are neither letters, digits nor
  whitespace; the most in a chunk of the benchmark texts is 52, a line of "_"), and
  every chunk holding two or more when the whole text holds more than SYMBOL_BUDGET
  (news text holds a few percent; a text of symbols costs spaCy some 10 µs each).
  Such a chunk is split into its runs of letters and digits and its single symbols,
  without spaCy; the rest of the text is tokenized by spaCy as usual. The Doc is
  built from those tokens and the original spacing, so its text, and every offset,
  is the input's, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from spacy.attrs import IDX, ORTH, SPACY
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline.extract.tokens import remember_text

try:
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_CHUNK_SYMBOLS = 64
SYMBOL_BUDGET = 20_000
# A symbol: neither a letter, a digit nor whitespace ("_" is one; spaCy strips it).
_SYMBOL = re.compile(r"[^\w\s]|_")
_ASCII_ALNUM = bytes(b for b in range(128) if chr(b).isalnum())
_ASCII_NOT_SYMBOLS = bytes(b for b in range(128) if chr(b).isalnum() or chr(b).isspace())
# Whitespace-free chunks that may hold more than MAX_CHUNK_SYMBOLS symbols. The
# lookbehind starts a match only where a chunk starts, so the scan stays linear.
_LONG_CHUNK = re.compile(r"(?<!\S)\S{%d,}" % (MAX_CHUNK_SYMBOLS + 1))
_CHUNK = re.compile(r"\S+")
# What a heavy chunk is split into: runs of letters and digits, single symbols.
_PIECE = re.compile(r"[^\W_]+|\S")
# Stand-ins for a heavy chunk while spaCy tokenizes the rest: controls, which cleaning
# deletes from every article text.
_PLACEHOLDERS = ("\x00", "\x01", "\x02")


def symbol_count(text: str) -> int:
    """How many characters of ``text`` are symbols (see the module docstring)."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NOT_SYMBOLS))
    return len(_SYMBOL.findall(text))


def suffix_window(pattern: re.Pattern[str]) -> int | None:
    """How many trailing characters decide a search of ``pattern``, or None if not known.

    ``pattern`` is spaCy's suffix regex, ``alt1$|alt2$|...``. When every alternative
    matches a bounded number of characters, or is a repeated single literal
    (``\\.\\.+$``: any match of it shortened from the left is still one), a search
    that starts ``window`` characters before the end finds the same match whenever
    its match does not start at the window's edge (see ``window_suffix_search``).
    """
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):  # pragma: no cover - spaCy compiled it already
        return None
    items = list(tree)
    if len(items) != 1 or items[0][0] is not _sre.BRANCH:
        return None
    widest = 0
    for alternative in items[0][1][1]:
        low, high = alternative.getwidth()
        if high < _sre.MAXREPEAT:
            widest = max(widest, high)
        elif not _repeated_literal(list(alternative)):
            return None
    return widest + 2  # past the widest, and two characters of any repeated literal


def _repeated_literal(items: list[tuple[Any, Any]]) -> bool:
    """``c c+ $`` (or ``c+ $``): a run of one literal character up to the end."""
    if not items or items[-1] != (_sre.AT, _sre.AT_END):
        return False
    body = items[:-1]
    if body and body[0][0] is _sre.LITERAL and len(body) == 2:
        literal, body = body[0][1], body[1:]
    else:
        literal = None
    if len(body) != 1 or body[0][0] not in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        return False
    low, _high, repeated = body[0][1]
    repeated = list(repeated)
    return low >= 1 and len(repeated) == 1 and repeated[0][0] is _sre.LITERAL and literal in (None, repeated[0][1])


def window_suffix_search(pattern: re.Pattern[str], window: int) -> Callable[[str], re.Match[str] | None]:
    """``pattern.search`` that looks at the last ``window`` characters first.

    A match starting after the window's first character is the leftmost one: any
    longer match would be a repeated-literal run, which would also match from the
    window's first character. A match starting there may extend further left: the
    whole string is searched then (a long run of dots), as it is when nothing is
    found... except that nothing found in the window means no match at all, by the
    same argument. Look-behinds see the characters before the window (``pos``
    is not slicing).
    """
    search = pattern.search

    def suffix_search(string: str) -> re.Match[str] | None:
        start = len(string) - window
        if start <= 0:
            return search(string)
        found = search(string, start)
        if found is None or found.start() > start:
            return found
        return search(string)

    return suffix_search


def bounded_suffix_search(search: Callable[[str], Any] | None) -> Callable[[str], Any] | None:
    """``search`` (a compiled pattern's ``search``) windowed when its rules allow it, else as it is."""
    suffix = getattr(search, "__self__", None)
    window = suffix_window(suffix) if isinstance(suffix, re.Pattern) else None
    return window_suffix_search(suffix, window) if window is not None else search  # type: ignore[arg-type]


class BoundedTokenizer:
    """A callable in place of ``nlp.tokenizer``: spaCy's own, with heavy chunks cut."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        search = bounded_suffix_search(tokenizer.suffix_search)
        if search is not tokenizer.suffix_search:
            # spaCy reloads its ~2,700 special cases on this assignment (0.07 s):
            # ``bounded_tokenizer`` builds the tokenizer with the window from the start.
            tokenizer.suffix_search = search

    def __call__(self, text: str) -> Doc:
        if len(text) <= MAX_CHUNK_SYMBOLS:  # no chunk can be heavy: the lexicon's phrases
            return self.tokenizer(text)
        heavy = heavy_chunks(text)
        if not heavy:
            return remember_text(self.tokenizer(text), text)
        return remember_text(self._split(text, heavy), text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize each text (spaCy's ``Tokenizer.pipe``)."""
        for text in texts:
            yield self(text)

    def _split(self, text: str, heavy: list[tuple[int, int]]) -> Doc:
        """The Doc of ``text`` with the heavy chunks split into pieces.

        spaCy tokenizes a copy in which each heavy chunk is one placeholder character
        (a chunk of its own, which spaCy keeps as one token); each placeholder token is
        then replaced by its chunk's pieces, the last taking the placeholder's spacing.
        """
        placeholder = next((c for c in _PLACEHOLDERS if c not in text), None)
        if placeholder is None:  # pragma: no cover - the article text holds no controls
            return self.tokenizer(text)
        parts: list[str] = []
        done = 0
        for start, end in heavy:
            parts.append(text[done:start])
            parts.append(placeholder)
            done = end
        parts.append(text[done:])
        copy = self.tokenizer("".join(parts))
        # Read as arrays: a Token object per token cost more than the tokenizing.
        orths, spacy = copy.to_array([ORTH, SPACY]).T.tolist()
        strings = self.vocab.strings
        words: list[str] = []
        spaces: list[bool] = []
        chunks = iter(heavy)
        for orth, space in zip(orths, spacy):
            word = strings[orth]
            if word == placeholder:
                pieces = _PIECE.findall(text, *next(chunks))
                words.extend(pieces)
                spaces.extend([False] * (len(pieces) - 1))
            else:
                words.append(word)
            spaces.append(bool(space))
        if "".join(chain.from_iterable(zip(words, (" " if s else "" for s in spaces)))) != text:
            raise AssertionError("tokenizer: the split tokens do not spell the text")  # pragma: no cover
        return Doc(self.vocab, words=words, spaces=spaces)


def heavy_chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the chunks to split, in order (see the module docstring)."""
    if len(text) > SYMBOL_BUDGET and symbol_count(text) > SYMBOL_BUDGET:
        return [m.span() for m in _CHUNK.finditer(text) if symbol_count(m.group()) >= 2]
    # The longest chunk of the symbols, by one split (linear, in C): a fifth of the cost
    # of searching them with the look-behind pattern, which only the few heavy texts need.
    if text.isascii() and max(map(len, _symbols_only(text).split()), default=0) <= MAX_CHUNK_SYMBOLS:
        return []
    return [m.span() for m in _LONG_CHUNK.finditer(text) if symbol_count(m.group()) > MAX_CHUNK_SYMBOLS]


def _symbols_only(text: str) -> str:
    """An ASCII text without its letters and digits: each chunk becomes its symbols.

    A chunk holds more than MAX_CHUNK_SYMBOLS symbols exactly when its symbols, which
    stay together between the same whitespace, make a run that long here; searched
    for in a fifth of the characters, most texts are cleared in a third of the time.
    """
    return text.encode("ascii").translate(None, _ASCII_ALNUM).decode("ascii")


def bounded_tokenizer() -> Callable[[Any], BoundedTokenizer]:
    """spaCy's tokenizer factory (``spacy.Tokenizer.v1``) with the suffix window set at
    construction, wrapped in BoundedTokenizer: registered as ``casualty_claims.BoundedTokenizer.v1``.

    Same tokenizer, same tokens as ``BoundedTokenizer(spacy.blank("en").tokenizer)``; built
    this way spaCy loads its special cases once instead of twice (a fifteenth of start-up).
    """
    from spacy import util

    def make(nlp: Any) -> BoundedTokenizer:
        defaults = nlp.Defaults
        prefixes, suffixes, infixes = defaults.prefixes, defaults.suffixes, defaults.infixes
        return BoundedTokenizer(Tokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=util.compile_prefix_regex(prefixes).search if prefixes else None,
            suffix_search=bounded_suffix_search(util.compile_suffix_regex(suffixes).search if suffixes else None),
            infix_finditer=util.compile_infix_regex(infixes).finditer if infixes else None,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        ))

    return make
