"""Bytes on disk -> clean Unicode text, or a coded refusal.

Every later stage quotes the article verbatim and counts characters, so the text
must be decoded exactly once, the same way on every machine, and never with a
guess that silently turns "Kharkiv’s" into "Kharkivâ€™s". The order is:

1. refuse files that are not text at all (image/archive magic numbers, NUL bytes,
   a high share of control characters) with ``E102``, and empty files with ``E101``;
2. a byte-order mark decides, because it is written by the program that saved
   the file;
3. for HTML, the declared charset is *checked* against the bytes: pages saved by
   browsers and scrapers are re-encoded to UTF-8 while the ``<meta charset>``
   keeps its old value, so valid non-ASCII UTF-8 beats a declared legacy charset
   (``W004``);
4. strict UTF-8, then cp1252 (``W003``), then cp1252 with its five undefined
   bytes read as latin-1, which decodes any bytes.

The decoded text is then normalized (LF newlines, NFC, no C0 controls) and
obvious UTF-8-read-as-cp1252 mojibake is repaired (``W006``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from pipeline.errors import InputError, warning

# Byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of files that end up in a corpus folder by mistake (a saved page's
# images, a PDF of the article, a zipped export, a gzip-compressed download).
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
)

# How much of the file the binary heuristics look at; git uses the same 8000 bytes
# for its "is this binary?" NUL test.
SNIFF_BYTES = 8000
# Text never holds C0 controls other than tab/newline/CR/FF/VT; binary formats are
# full of them. Above this share of the sniffed characters the file is refused.
MAX_CONTROL_SHARE = 0.05
# ASCII-heavy UTF-16 without a BOM has a NUL in (nearly) every other byte.
UTF16_NUL_SHARE = 0.8

# Where an HTML page may declare its charset: <meta charset>, the http-equiv
# Content-Type, or an XML declaration. Pages put big inline scripts in <head>, so
# this looks further than the 1024 bytes of the WHATWG prescan.
CHARSET_PRESCAN_BYTES = 16384
META_CHARSET = re.compile(rb"<meta\b[^>]{0,512}?charset\s*=\s*[\"']?\s*([a-z0-9_:.\-]+)", re.I)
XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([a-z0-9_.\-]+)[\"']", re.I)
# WHATWG: these labels all mean windows-1252 in a web page.
CP1252_LABELS = frozenset({"ascii", "iso8859-1", "cp1252", "latin-1"})
# Codec names Python accepts that are not charsets a page may declare: UTF-7 is an
# XSS vector, the escape codecs reinterpret backslashes, the others are not text.
REFUSED_DECLARED = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "mbcs", "oem"}
)

# C0 controls except tab and newline are dropped; VT and FF end a line, as in
# str.splitlines. DEL is dropped with them.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_LINE_ENDS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# The same characters as bytes (ASCII-compatible encodings) and as UTF-8 (NEL, LS, PS).
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_UTF8_LINE_ENDS = ("\u0085".encode(), "\u2028".encode(), "\u2029".encode())
_SNIFF_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

# Mojibake: the bytes of one UTF-8 sequence shown as cp1252 characters. A lead
# byte (Â..ô) followed by the right number of continuation bytes (0x80-0xBF as
# cp1252 shows them; the five bytes cp1252 leaves undefined appear as C1 controls).
_CONT = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" \
        "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178" \
        "\u00a0-\u00bf"
# One leading class keeps the scan fast; the lead byte's sequence length is
# checked when repairing ("Ã©»" repairs its first two characters only).
MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")
# A repaired sequence is accepted only if it lands in a block that mojibake really
# comes from in news text: Latin-1 letters and signs, Latin Extended-A, Cyrillic,
# general punctuation (’ “ ” – — …), the euro sign, ™. "Gruß“" is real German whose
# two characters also form valid UTF-8 (an Arabic mark), so other blocks are refused.
MOJIBAKE_TARGETS: tuple[tuple[int, int], ...] = (
    (0x00A0, 0x017F),
    (0x0400, 0x04FF),
    (0x2010, 0x205F),
    (0x20AC, 0x20AC),
    (0x2122, 0x2122),
)


_LATIN1_FALLBACK = "pipeline-reading-latin1"


def _latin1_handler(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: an undecodable byte stands for the latin-1 character."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error(_LATIN1_FALLBACK, _latin1_handler)


@dataclass(frozen=True)
class Decoded:
    """Decoded, normalized text with the encoding used and any coded warnings."""

    text: str
    encoding: str
    warnings: tuple[str, ...]


def decode_bytes(data: bytes, *, html: bool = False) -> Decoded:
    """Decode a corpus file's bytes into normalized text.

    Args:
        data: the file's raw bytes.
        html: the file is an HTML page, so a declared charset is considered.

    Raises:
        InputError: ``E101`` empty or whitespace-only, ``E102`` binary,
            ``E108`` a byte-order mark whose encoding the bytes do not follow.
    """
    if not data.strip():
        raise InputError("E101")
    _refuse_magic(data)
    text, encoding, warnings = _decode(data, html=html)
    _refuse_controls(text)
    text, repaired = fix_mojibake_count(normalize_newlines(text))
    if repaired:
        warnings.append(warning("W006", count=repaired))
    text = unicodedata.normalize("NFC", text)
    if _may_hold_controls(data, encoding):
        text = drop_controls(text)
    if not text.strip():
        raise InputError("E101")
    return Decoded(text=text, encoding=encoding, warnings=tuple(warnings))


def _decode(data: bytes, *, html: bool) -> tuple[str, str, list[str]]:
    """Pick the encoding (BOM, declared charset, UTF-8, cp1252, latin-1) and decode."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, encoding)
    utf16 = _bomless_utf16(data)
    if utf16:
        return data.decode(utf16), utf16, [warning("W003", encoding=utf16)]
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError("E102", reason="NUL bytes")
    declared = declared_charset(data) if html else None
    if declared:
        return _decode_declared(data, declared)
    return _decode_fallback(data)


def _decode_with_bom(data: bytes, encoding: str) -> tuple[str, str, list[str]]:
    """Decode strictly as the BOM says; a UTF-8 BOM on non-UTF-8 bytes falls back."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding == "utf-8-sig":
            return _decode_fallback(data[len(codecs.BOM_UTF8) :])
        raise InputError("E108", reason=f"invalid {encoding} after its byte-order mark: {err.reason}") from err
    return text.lstrip("\ufeff"), encoding, []


def _bomless_utf16(data: bytes) -> str | None:
    """Name the UTF-16 byte order of ASCII-heavy text saved without a BOM, else None."""
    sample = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, others, encoding in ((odd_nuls, even_nuls, "utf-16-le"), (even_nuls, odd_nuls, "utf-16-be")):
        if nuls >= UTF16_NUL_SHARE * half and others == 0:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def declared_charset(data: bytes) -> str | None:
    """Return the Python codec name an HTML page declares, or None.

    Labels follow WHATWG where it differs from Python: iso-8859-1 and ascii mean
    cp1252, and a UTF-16/32 label in ASCII-compatible bytes means UTF-8.
    """
    head = data[:CHARSET_PRESCAN_BYTES]
    match = XML_ENCODING.match(head) or META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in REFUSED_DECLARED:
        return None
    if name in CP1252_LABELS:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32", "utf-8")):
        return "utf-8"
    return name


def _decode_declared(data: bytes, declared: str) -> tuple[str, str, list[str]]:
    """Decode as declared unless the bytes prove otherwise (``W004``)."""
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and declared != "utf-8" and not data.isascii():
        return utf8, "utf-8", [warning("W004", declared=declared, encoding="utf-8")]
    text = _strict(data, declared)
    if text is not None:
        return text, declared, []
    text, encoding, _ = _decode_fallback(data)
    return text, encoding, [warning("W004", declared=declared, encoding=encoding)]


def _decode_fallback(data: bytes) -> tuple[str, str, list[str]]:
    """Strict UTF-8, then cp1252, then cp1252 with latin-1 for undefined bytes (cannot fail)."""
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8", []
    text = _strict(data, "cp1252")
    if text is not None:
        return text, "cp1252", [warning("W003", encoding="cp1252")]
    # The five bytes cp1252 leaves undefined are read as latin-1 (WHATWG does the
    # same), so one stray 0x81 does not turn every curly quote into a C1 control.
    text = data.decode("cp1252", errors=_LATIN1_FALLBACK)
    return text, "cp1252+latin-1", [warning("W003", encoding="cp1252+latin-1")]


def _strict(data: bytes, encoding: str) -> str | None:
    """Decode strictly, or return None if the bytes are not valid in ``encoding``."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _refuse_magic(data: bytes) -> None:
    """Refuse files that start with a known binary magic number (``E102``)."""
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            raise InputError("E102", reason=kind)


def _refuse_controls(text: str) -> None:
    """Refuse decoded text whose start is mostly control characters (``E102``)."""
    sample = text[:SNIFF_BYTES]
    # The controls are ASCII, and UTF-8 writes an ASCII character as that one byte and
    # every other character with bytes >= 0x80: deleting the control bytes from the
    # encoded sample counts them in C, where ``findall`` built a list of strings.
    # ("surrogatepass": a decoder's escaped bytes are lone surrogates.)
    encoded = sample.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _SNIFF_CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError("E102", reason=f"{controls} control characters in the first {len(sample)}")


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF, so offsets and line counts agree everywhere."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _may_hold_controls(data: bytes, encoding: str) -> bool:
    """Byte-level check that lets clean files skip :func:`drop_controls`'s two scans."""
    if encoding.startswith(("utf-16", "utf-32")):
        return True
    if len(data.translate(None, _C0_BYTES)) != len(data):
        return True
    return any(seq in data for seq in _UTF8_LINE_ENDS)


def drop_controls(text: str) -> str:
    """Drop C0 controls (except tab and LF) and DEL; other line separators become LF."""
    text = _CONTROLS.sub("", text)
    return _LINE_ENDS.sub("\n", text)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as cp1252 ("Kharkivâ€™s" -> "Kharkiv’s").

    Conservative: only whole UTF-8 sequences are touched, each must re-encode to
    cp1252 and decode back as strict UTF-8, and the result must fall in a block
    mojibake comes from (``MOJIBAKE_TARGETS``). Correct text is returned unchanged.
    """
    return fix_mojibake_count(text)[0]


def fix_mojibake_count(text: str) -> tuple[str, int]:
    """Like :func:`fix_mojibake`, also returning the number of sequences repaired."""
    if text.isascii():
        return text, 0
    count = 0

    def repair(match: re.Match[str]) -> str:
        nonlocal count
        fixed = _unmojibake(match.group())
        if fixed is None:
            return match.group()
        count += 1
        return fixed

    # Twice: text that went through the wrong decoding two times ("Ã¢â‚¬â„¢").
    for _ in range(2):
        before = count
        text = MOJIBAKE.sub(repair, text)
        if count == before:
            break
    return text, count


def _unmojibake(chars: str) -> str | None:
    """Return the text a mojibake match stands for, or None if it is not mojibake."""
    lead = ord(chars[0])
    size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    if len(chars) < size:
        return None
    try:
        raw = bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in chars[:size])
        fixed = raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    code = ord(fixed)
    if not any(lo <= code <= hi for lo, hi in MOJIBAKE_TARGETS):
        return None
    return fixed + chars[size:]
