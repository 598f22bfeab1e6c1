"""Bytes -> text: encodings, refusals and normalization that every article relies on.

All hostile inputs are generated here; no binary fixtures are committed.
"""

from __future__ import annotations

import codecs

import pytest

from pipeline.errors import InputError
from pipeline.reading.decode import decode_bytes, declared_charset, fix_mojibake

KYIV = "Kyiv — 12 killed in Kharkiv’s centre"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t \r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
    ids=["empty", "whitespace", "bom-only", "utf16-whitespace"],
)
def test_reading_decode_refuses_empty(data: bytes) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert err.value.code == "E101"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # a PNG renamed .txt
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00\x01\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n12 killed",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"\x7fELF\x02\x01\x01",
        b"\x1f\x8b\x08\x00",
        b"12 killed in Idlib\x00\x00\x00\x01\x02 more",  # NUL bytes in a non-UTF-16 file
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 65]) * 100,  # mostly control characters
    ],
    ids=["png", "jpeg", "gif", "pdf", "zip", "elf", "gzip", "nul-bytes", "control-chars"],
)
def test_reading_decode_refuses_binary(data: bytes) -> None:
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert err.value.code == "E102"


@pytest.mark.parametrize(
    "data,text,encoding",
    [
        (KYIV.encode("utf-8"), KYIV, "utf-8"),
        (codecs.BOM_UTF8 + KYIV.encode("utf-8"), KYIV, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + KYIV.encode("utf-16-le"), KYIV, "utf-16-le"),
        (codecs.BOM_UTF16_BE + KYIV.encode("utf-16-be"), KYIV, "utf-16-be"),
        (codecs.BOM_UTF32_LE + KYIV.encode("utf-32-le"), KYIV, "utf-32-le"),
        (codecs.BOM_UTF32_BE + KYIV.encode("utf-32-be"), KYIV, "utf-32-be"),
        (b"12 killed in Idlib", "12 killed in Idlib", "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom", "ascii"],
)
def test_reading_decode_unicode_without_warning(data: bytes, text: str, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == text  # the BOM itself never reaches the text
    assert decoded.encoding == encoding
    assert decoded.warnings == ()


def test_reading_decode_bomless_utf16_is_read_not_refused() -> None:
    decoded = decode_bytes("12 killed in Idlib on Tuesday".encode("utf-16-le"))
    assert decoded.text == "12 killed in Idlib on Tuesday"
    assert decoded.warnings[0].startswith("[W003]")


@pytest.mark.parametrize(
    "data,text,encoding",
    [
        ("Café in Zürich: Ärzte zählen 12 Tote".encode("latin-1"), "Café in Zürich: Ärzte zählen 12 Tote", "cp1252"),
        ("“Twelve killed,” he said – café’s owner €".encode("cp1252"),
         "“Twelve killed,” he said – café’s owner €", "cp1252"),
        # 0x81 is undefined in cp1252: the rest still reads as cp1252, not as C1 controls
        (b"\x93quoted\x94 caf\xe9 \x81", "“quoted” café \x81", "cp1252+latin-1"),
    ],
    ids=["latin1-accents", "cp1252-curly-quotes", "undefined-cp1252-byte"],
)
def test_reading_decode_legacy_single_byte_with_warning(data: bytes, text: str, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == text
    assert decoded.encoding == encoding
    assert [w[:6] for w in decoded.warnings] == ["[W003]"]


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="iso-8859-1">',
        "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>",
        '<meta charset="windows-1252">',
        '<?xml version="1.0" encoding="latin1"?>',
    ],
    ids=["meta-charset", "http-equiv", "windows-1252", "xml-declaration"],
)
def test_reading_decode_wrong_declared_charset_loses_to_utf8_bytes(declaration: str) -> None:
    page = f"{declaration}<html><body><p>{KYIV}</p></body></html>".encode("utf-8")
    decoded = decode_bytes(page, html=True)
    assert KYIV in decoded.text  # not "Kyiv â€” 12 killed in Kharkivâ€™s"
    assert decoded.encoding == "utf-8"
    assert [w[:6] for w in decoded.warnings] == ["[W004]"]


@pytest.mark.parametrize(
    "page,text,encoding",
    [
        ('<meta charset="iso-8859-1"><p>Caf\xe9 \x93x\x94</p>', "Café “x”", "cp1252"),
        ('<meta charset="windows-1251"><p>\xca\xe8\xe5\xe2</p>', "Киев", "cp1251"),
        ('<meta charset="iso-8859-1"><p>plain ascii</p>', "plain ascii", "cp1252"),
        ('<meta charset="utf-8"><p>Caf\xe9</p>', "Café", "cp1252"),
    ],
    ids=["latin1-as-declared", "cyrillic-as-declared", "ascii-as-declared", "declared-utf8-but-cp1252"],
)
def test_reading_decode_declared_charset_used_when_bytes_agree(page: str, text: str, encoding: str) -> None:
    decoded = decode_bytes(page.encode("latin-1"), html=True)
    assert text in decoded.text
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    "head,expected",
    [
        (b'<meta charset="utf-7">', None),  # UTF-7 is an XSS vector, never honoured
        (b'<meta charset="unicode_escape">', None),
        (b'<meta charset="no-such-charset">', None),
        (b'<meta charset="utf-16">', "utf-8"),  # WHATWG: an ASCII-readable page is not UTF-16
        (b'<meta charset="ISO-8859-1">', "cp1252"),
        (b"<p>no declaration</p>", None),
    ],
    ids=["utf7", "unicode-escape", "unknown", "utf16-label", "latin1-label", "none"],
)
def test_reading_decode_declared_charset_labels(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected


def test_reading_decode_declared_charset_ignored_for_plain_text() -> None:
    text = '<meta charset="windows-1251"> is how a page declares Cyrillic; Café'
    assert decode_bytes(text.encode("utf-8")).text == text


@pytest.mark.parametrize(
    "data,text",
    [
        (b"line one\r\nline two\r\n", "line one\nline two\n"),
        (b"old mac\rline\r", "old mac\nline\n"),
        (b"mixed\r\nendings\rand\nmore", "mixed\nendings\nand\nmore"),
        (b"bell\x07 and esc\x1b removed, tab\tkept", "bell and esc removed, tab\tkept"),
        (b"form\x0cfeed and vertical\x0btab end lines", "form\nfeed and vertical\ntab end lines"),
        ("line\u2028separator".encode(), "line\nseparator"),
        ("Cafe\u0301 decomposed".encode(), "Café decomposed"),  # NFC
        (b"unchanged text, 12 killed", "unchanged text, 12 killed"),
    ],
    ids=["crlf", "cr", "mixed", "c0-controls", "ff-vt", "line-separator", "nfc", "must-not-change"],
)
def test_reading_decode_normalizes_text(data: bytes, text: str) -> None:
    assert decode_bytes(data).text == text


def test_reading_decode_nul_after_sniff_window_is_dropped() -> None:
    data = b"12 killed. " * 1000 + b"\x00tail"
    assert decode_bytes(data).text.endswith("12 killed. tail")


@pytest.mark.parametrize(
    "text,fixed",
    [
        ("Kharkivâ€™s centre", "Kharkiv’s centre"),
        ("â€œTwelve killedâ€\x9d", "“Twelve killed”"),
        ("CafÃ© in ZÃ¼rich", "Café in Zürich"),
        ("Ã\x81frica â€” 12 dead", "África — 12 dead"),  # 0x81 survived as a C1 control
        ("ÐšÐ¸Ñ—Ð²", "Київ"),
        ("Ã¢â‚¬â„¢", "’"),  # read wrongly twice
        ("Ã© and Ã", "é and Ã"),  # a lead without its continuation stays
        ("GruÃŸ aus KÃ¶ln", "Gruß aus Köln"),
        # must not change: real text whose characters happen to form valid UTF-8
        ("„Gruß“ an alle", "„Gruß“ an alle"),
        ("São Paulo, Kraków, Zürich, Kharkiv’s", "São Paulo, Kraków, Zürich, Kharkiv’s"),
        ("12 killed in Idlib", "12 killed in Idlib"),
    ],
    ids=["apostrophe", "quotes", "latin", "undefined-byte", "cyrillic", "double", "truncated", "german",
         "real-german-quote", "real-accents", "ascii"],
)
def test_reading_decode_fix_mojibake(text: str, fixed: str) -> None:
    assert fix_mojibake(text) == fixed


def test_reading_decode_repairs_mojibake_with_warning() -> None:
    decoded = decode_bytes("Kyiv â€” 12 killed in Kharkivâ€™s centre".encode("utf-8"))
    assert decoded.text == KYIV
    assert [w[:6] for w in decoded.warnings] == ["[W006]"]


def test_reading_decode_one_megabyte_single_line() -> None:
    data = ("12 killed in Kharkiv’s centre; " * 35_000).encode("utf-8")
    decoded = decode_bytes(data)
    assert "\n" not in decoded.text and len(decoded.text) == len(data.decode("utf-8"))


def test_reading_decode_is_deterministic() -> None:
    data = "Café “x” 12 killed".encode("cp1252")
    assert decode_bytes(data) == decode_bytes(data)


def test_control_share_counted_as_the_regex_counts() -> None:
    """``_refuse_controls`` counts the controls on UTF-8 bytes; the count is the regex's,
    non-ASCII and lone surrogates included, on both sides of the 5% limit."""
    import random
    import re

    from pipeline.reading.decode import MAX_CONTROL_SHARE, _refuse_controls

    sniff = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
    rng = random.Random(6)
    alphabet = ["a", "é", "\udc80", "\x01", "\x1b", "\x0b", "\x7f", "\x85", " "]
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        refused = len(sniff.findall(text)) > MAX_CONTROL_SHARE * len(text)
        try:
            _refuse_controls(text)
        except InputError:
            assert refused, repr(text)
        else:
            assert not refused, repr(text)
