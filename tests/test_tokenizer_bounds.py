"""The bounded tokenizer: spaCy's tokens on ordinary text, exact offsets on every text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy

from pipeline.extract.tokenizer import (
    MAX_CHUNK_SYMBOLS,
    SYMBOL_BUDGET,
    BoundedTokenizer,
    heavy_chunks,
    suffix_window,
    window_suffix_search,
)

SEEDS = Path(__file__).resolve().parent / "seeds"  # copies of the seed articles (never the working corpus/)
_SYMBOLS = "()[]{}<>=+$#*&'\".,;:!?-_/%…’“”"


@pytest.fixture(scope="module")
def stock():
    return spacy.blank("en").tokenizer


@pytest.fixture(scope="module")
def bounded():
    return BoundedTokenizer(spacy.blank("en").tokenizer)


def _tokens(doc) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in doc]


def _random_text(rng: random.Random, size: int) -> str:
    alphabet = "abcXY12    " + _SYMBOLS + "\n"
    return "".join(rng.choice(alphabet) for _ in range(size))


def test_english_suffix_rules_have_a_window(stock) -> None:
    # Without one the guard is off and long symbol runs are quadratic again.
    assert suffix_window(stock.suffix_search.__self__) is not None


def test_the_window_search_finds_what_the_full_search_finds(stock) -> None:
    pattern = stock.suffix_search.__self__
    search = window_suffix_search(pattern, suffix_window(pattern))
    rng = random.Random(7)
    samples = ["a" * n + "." * k for n in range(3) for k in range(40)]
    samples += ["".join(rng.choice("ab1.)'$%kmg°C…") for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    for text in samples:
        full, fast = pattern.search(text), search(text)
        assert (full and full.span()) == (fast and fast.span()), repr(text)


def test_ordinary_text_gets_spacys_own_tokens(stock, bounded) -> None:
    rng = random.Random(11)
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.rglob("*.txt"))]
    texts += [_random_text(rng, rng.randint(0, 400)) for _ in range(2_000)]
    compared = 0
    for text in texts:
        if heavy_chunks(text):  # a chunk of over 64 symbols: split on purpose
            continue
        compared += 1
        assert _tokens(bounded(text)) == _tokens(stock(text)), repr(text[:80])
    assert compared > 0.9 * len(texts)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000,
        "Title\n\n" + "=$+<>" * 2000 + " 12 people were killed.\n" + "." * 3000,
        "a  b\t\n\n " + "(" * (MAX_CHUNK_SYMBOLS + 1) + "word" + ")" * 70 + "  \n end ",
        " ".join("(=" * 3 + "ab" for _ in range(SYMBOL_BUDGET // 4)),
        "\u1680" + "[x](" * 3000 + "\n",
    ],
    ids=["parens", "mixed", "spacing", "over-budget", "markdown"],
)
def test_split_docs_spell_the_text_exactly(bounded, text: str) -> None:
    doc = bounded(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)


def test_a_heavy_chunk_is_split_into_words_and_single_symbols(bounded) -> None:
    chunk = "((=" * 30 + "abc12" + "$]" * 10
    doc = bounded(f"x {chunk} y")
    assert [t.text for t in doc] == ["x", *"((=" * 30, "abc12", *"$]" * 10, "y"]


def test_random_texts_keep_exact_offsets(bounded) -> None:
    rng = random.Random(5)
    for _ in range(30):
        text = _random_text(rng, rng.randint(1_000, 30_000))
        doc = bounded(text)
        assert doc.text == text


def _heavy_by_definition(text: str) -> list[tuple[int, int]]:
    """The chunks the module docstring says are cut, found the plain way."""
    import re

    from pipeline.extract.tokenizer import symbol_count

    chunks = [m.span() for m in re.finditer(r"\S+", text)]
    if symbol_count(text) > SYMBOL_BUDGET:
        return [(a, b) for a, b in chunks if symbol_count(text[a:b]) >= 2]
    return [(a, b) for a, b in chunks if symbol_count(text[a:b]) > MAX_CHUNK_SYMBOLS]


def test_heavy_chunks_are_those_of_the_definition() -> None:
    # heavy_chunks clears most texts on their symbols alone (letters and digits taken
    # out); the chunks it finds must be the definition's, near the thresholds too.
    rng = random.Random(5)
    samples = [_random_text(rng, rng.randint(0, 400)) for _ in range(2_000)]
    samples += ["x" * 3 + "." * n + "a" * 5 + "(" * k + " ok" for n in range(60, 70) for k in range(0, 8)]
    samples += ["word " * 10 + "=" * n + "é" for n in (64, 65)]
    samples += [("(" * 2 + "a ") * 6_700, ("(" * 2 + "a ") * 7_000 + "’"]
    for text in samples:
        assert heavy_chunks(text) == _heavy_by_definition(text), repr(text[:80])
