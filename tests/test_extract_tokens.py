"""The token view's shortcuts must read and write what spaCy's own accessors do."""

from __future__ import annotations

from pipeline.factories import build_nlp


def test_span_values_are_the_span_extensions() -> None:
    """set_span_values writes doc.user_data under Underscore's key: span._ must read the same values."""
    nlp = build_nlp()
    doc = nlp("On Monday, at least 12 people were killed.\n\nTwo days ago 3 children died in \u201cAleppo\u201d  since May 2017.")
    counts, times = list(doc.spans["count"]), list(doc.spans["time"])
    assert counts and times
    for span in counts:
        assert span._.count is not None and (span._.count.start, span._.count.end) == (span.start, span.end)
    for span in times:
        assert span._.time is not None and span._.time.rule.id == span.label_


def test_token_view_lowers_are_spacy_lower() -> None:
    """The view lower-cases the texts itself: it must give what Token.lower_ gives."""
    from pipeline.extract.tokens import token_view

    nlp = build_nlp()
    doc = nlp.make_doc("ΟΔΟΣ İstanbul STRAẞE don't Can't U.S. ǅemal \u201cAL-BAB\u201d 12KM Ⅻ")
    assert token_view(doc).lowers == [t.lower_ for t in doc]
    assert token_view(doc).texts == [t.text for t in doc]


def test_token_view_text_is_the_doc_text() -> None:
    """The view keeps the tokenizer's input as its text: it must spell what doc.text spells,
    for plain text and for text whose symbol-heavy chunks the tokenizer splits itself."""
    from pipeline.extract.tokens import token_view

    nlp = build_nlp()
    for text in ("Five people  were killed\n\n in Idlib,\tofficials said. ", "Toll: 12 " + "=-" * 80 + " dead\n"):
        doc = nlp.make_doc(text)
        assert token_view(doc).text == doc.text == text



def test_pipeline_lexical_attributes_are_spacy_english_ones() -> None:
    """The pipeline's vocabulary computes only the lexical attributes the code reads
    (factories.LEXICAL_ATTRIBUTES): each must hold what spaCy's English defaults give."""
    import spacy

    from pipeline.factories import LEXICAL_ATTRIBUTES

    nlp, english = build_nlp(), spacy.blank("en")
    text = "ΟΔΟΣ Idlib's \u2019s “quoted” -- … 12KM don't U.S. £5 ! ? ( ) Ⅻ \u2014 al-Bab \u00bb"
    ours, theirs = nlp.make_doc(text), english.make_doc(text)
    assert [t.text for t in ours] == [t.text for t in theirs]
    for mine, reference in zip(ours, theirs):
        assert (mine.lower_, mine.norm_, mine.is_punct) == (reference.lower_, reference.norm_, reference.is_punct), mine.text
    assert set(nlp.vocab.lex_attr_getters) == set(LEXICAL_ATTRIBUTES)


# spaCy's lexical attributes the pipeline does not compute, as Token/Lexeme properties.
_UNCOMPUTED = ("like_num", "is_alpha", "is_digit", "is_stop", "shape_", "prefix_", "suffix_", "is_title",
               "is_upper", "is_lower", "is_space", "is_currency", "like_url", "like_email", "is_oov",
               "is_quote", "is_bracket", "is_left_punct", "is_right_punct", "is_ascii", "lang_")


def test_no_code_or_rule_reads_a_lexical_attribute_the_pipeline_does_not_compute() -> None:
    """With only LEXICAL_ATTRIBUTES computed, ``token.like_num`` or a ``LIKE_NUM`` pattern would
    read False for every word, silently: any such read must add the attribute to the list.
    (The bench's reference pass builds its own vocabulary and may read them.)"""
    import re
    from pathlib import Path

    import pipeline
    from pipeline.factories import LEXICAL_ATTRIBUTES
    from spacy.attrs import IDS

    kept = {name for name, value in IDS.items() if value in LEXICAL_ATTRIBUTES}
    assert kept == {"LOWER", "NORM", "IS_PUNCT"}
    names = "|".join(_UNCOMPUTED)
    keys = "|".join(name.rstrip("_") for name in _UNCOMPUTED)
    # token.like_num, lexeme.shape_, getattr(token, "like_num")
    attribute = re.compile(r"\.(?:%s)(?![\w(])|getattr\([^,]+,\s*[\"'](?:%s)[\"']" % (names, names))
    # A Matcher pattern's key ({"LIKE_NUM": True}; spaCy upper-cases {"like_num": ...} too) or a
    # PhraseMatcher's attr ("SHAPE"); in a rule file the key may go unquoted (LIKE_NUM: true).
    quoted_key = re.compile(r"[\"'](?:%s)[\"']\s*:|attr\s*=\s*[\"'](?:%s)[\"']" % (keys, keys), re.IGNORECASE)
    rule_key = re.compile(r"\b(?:%s)\b\s*:" % keys, re.IGNORECASE)
    root = Path(pipeline.__file__).parent
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".py", ".yaml") or path.name == "bench.py" or "__pycache__" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if path.suffix == ".py" and (attribute.search(code) or quoted_key.search(code)) or (
                path.suffix == ".yaml" and rule_key.search(code)
            ):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_token_view_spaces_are_spacy_whitespace() -> None:
    """The view derives each token's space from the offsets (no SPACY column read): it must
    give Token.whitespace_, for tokenized text and for a Doc built from words and spaces."""
    from spacy.tokens import Doc

    from pipeline.extract.tokens import token_view

    nlp = build_nlp()
    texts = ["Five people  were killed\n\n in Idlib,\tofficials said. ", "Toll: 12 " + "=-" * 80 + " dead\n", "x", " "]
    docs = [nlp.make_doc(text) for text in texts]
    docs.append(Doc(nlp.vocab, words=["A", "b", "\n", "c"], spaces=[True, False, False, True]))
    for doc in docs:
        assert token_view(doc).spaces == [t.whitespace_ for t in doc], doc.text


def test_expand_to_tokens_is_char_span_expand() -> None:
    """The time finder maps a match's characters to tokens without char_span: every character
    range (on a token, a space, a run of spaces, the text's ends, outside it) must give the
    tokens doc.char_span(..., alignment_mode="expand") gives, and None where it gives None."""
    from pipeline.extract.tokens import expand_to_tokens, token_view

    nlp = build_nlp()
    for text in (" On May 3,  2017\n\nat least 12 died. ", "Killed: 5", ""):
        doc = nlp.make_doc(text)
        view = token_view(doc)
        for start in range(-1, len(text) + 2):
            for end in range(start + 1, len(text) + 3):
                try:
                    span = doc.char_span(start, end, alignment_mode="expand")
                    expected = None if span is None else (span.start, span.end)
                except IndexError:
                    expected = "error"
                found = expand_to_tokens(view, start, end)
                if expected == "error":
                    assert found is not None and found[0] > found[1]
                else:
                    assert found == expected, (text, start, end)
