"""Small pure functions that turn pasted page text into the article's own words.

Page furniture (reading times, captions, "RELATED:" links, share widgets) carries
other stories' numbers, so it is dropped before extraction and counted by kind so
a reviewer can see what went. The rules live in ``rules/boilerplate.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import rules
from pipeline.extract.literals import holds_any, required_literals

# The parser moved between Python versions; both are the stdlib's own.
try:
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# Runs of spaces and tabs become one " ". Only the runs that change are matched:
# two or more, or one that is not " ". Matching every lone " " (each word gap) and
# replacing it by itself cost most of the cleaning time; a run always starts a
# match, so the result is the same as replacing every run. The class holds every
# character ``\s`` matches that can reach here but the newline (the controls among
# them are deleted first; U+1680 OGHAM SPACE MARK and the line and paragraph
# separators from an HTML entity too), plus the zero-width space: after squeezing,
# no line holds two whitespace characters in a row, so the cleaning rules that
# start with ``\s*`` stay linear (a run of k spaces ``\s*`` does not take cost k**2).
_SPACES = "\t\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000"
_SPACES_TO_SQUEEZE = re.compile(f"[ {_SPACES}]{{2,}}|[{_SPACES}]")
# A text with no double space and none of these has nothing to squeeze (most texts).
_OTHER_SPACES = re.compile(f"[{_SPACES}]")
_MANY_BLANKS = re.compile(r"\n{3,}")
# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; tab and newline stay.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_ALNUM = re.compile(r"[^0-9a-z]+")
# The same characters as bytes, for ASCII texts: ``bytes.translate`` deletes them in C.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_NOT_ALNUM_BYTES = bytes(b for b in range(128) if not (48 <= b <= 57 or 97 <= b <= 122))


@dataclass(frozen=True)
class LineRule:
    """A boilerplate rule from ``boilerplate.yaml``."""

    kind: str
    pattern: re.Pattern[str]
    replace: str | None = None
    needs: frozenset[str] | None = None  # strings every match holds (lower case, ASCII)
    exact: str | None = None  # a string every match holds as it stands (case and all)
    # For a pattern "\s*" + rest, where rest starts with a plain string (after an optional
    # "\b") and the replacement is plain text: rest, and that string (see _subn).
    rest: re.Pattern[str] | None = None
    lead: str = ""


@dataclass
class Cleaned:
    """The outcome of cleaning: text plus what was dropped, by kind."""

    text: str
    dropped: Counter[str] = field(default_factory=Counter)


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[LineRule, ...], tuple[LineRule, ...]]:
    data = rules.load("boilerplate")
    line_rules = []
    for item in data["line_rules"]:
        flags = 0 if item.get("case_sensitive") else re.IGNORECASE
        line_rules.append(LineRule(item["kind"], re.compile(rf"(?:{item['pattern']})", flags)))
    inline = tuple(
        LineRule(item["kind"], re.compile(item["pattern"], re.MULTILINE), item.get("replace", ""),
                 _ascii_needs(item["pattern"], re.MULTILINE), _exact_need(item["pattern"], re.MULTILINE),
                 *_after_spaces(item["pattern"], re.MULTILINE, item.get("replace", "")))
        for item in data["inline_rules"]
    )
    return tuple(line_rules), inline


def _after_spaces(pattern: str, flags: int, replace: str | None) -> tuple[re.Pattern[str] | None, str]:
    r"""(rest, lead) for a pattern ``\s*`` + rest whose rest starts with the plain string
    ``lead`` (after an optional ``\b``), when the replacement is plain text; else (None, "").

    Such a pattern can only match from the whitespace before an occurrence of ``lead``:
    its ``\s*`` takes that whitespace, and rest starts with a character that is not one.
    Searched as it is, the regex tries every position of the line (its leading ``\s*``
    gives it no literal prefix to skip to), which cost more than the rest of the cleaning
    on the long lines of some pages; ``_subn`` tries rest only where ``lead`` occurs.
    """
    if not pattern.startswith("\\s*") or pattern[3:4] in ("?", "+", "{") or (replace and "\\" in replace):
        return None, ""
    rest = pattern[3:]
    try:
        tree = _sre_parse.parse(rest, flags)
    except (re.error, RecursionError):  # pragma: no cover - the rules compiled already
        return None, ""
    if tree.state.flags & re.IGNORECASE:
        return None, ""
    items = list(tree)
    # "\s*Read more|Related": the \s* belongs to the first branch only (and the parser has
    # taken the branches' shared "Re" out in front): no such rule is read this way.
    if any(op is _sre.BRANCH for op, _ in items):
        return None, ""
    k = 1 if items and items[0] == (_sre.AT, _sre.AT_BOUNDARY) else 0
    lead = ""
    while k < len(items) and items[k][0] is _sre.LITERAL:
        lead += chr(items[k][1])
        k += 1
    if not lead or lead[0].isspace():
        return None, ""
    return re.compile(rest, flags), lead


def _subn(rule: LineRule, line: str) -> tuple[str, int]:
    r"""``rule.pattern.subn(rule.replace, line)``; for a rule with ``rest`` (see _after_spaces),
    rest is tried only where its lead string occurs, and each match is taken back over the
    whitespace before it, as far as the end of the previous match: what ``\s*`` takes."""
    if rule.rest is None:
        return rule.pattern.subn(rule.replace or "", line)
    parts: list[str] = []
    done = n = 0
    at = line.find(rule.lead)
    while at >= 0:
        match = rule.rest.match(line, at)
        if match is None:
            at = line.find(rule.lead, at + 1)
            continue
        start = at
        while start > done and line[start - 1].isspace():
            start -= 1
        parts.append(line[done:start])
        parts.append(rule.replace or "")
        done = match.end()
        n += 1
        at = line.find(rule.lead, done)
    if not n:
        return line, 0
    parts.append(line[done:])
    return "".join(parts), n


def _ascii_needs(pattern: str, flags: int) -> frozenset[str] | None:
    """The strings a rule cannot match without, when all are ASCII (see extract/literals.py)."""
    needs = required_literals(pattern, flags)
    return needs if needs is not None and all(s.isascii() for s in needs) else None


def _exact_need(pattern: str, flags: int) -> str | None:
    r"""The longest run of plain characters at the top level of a case-sensitive pattern
    ("Tags" in ``\s*\bTags\s+...``): every match holds it exactly, so a text without it
    cannot match. ``needs`` is lower case, for lower-cased text: "tags" is also in
    "hostages", and "read " in "spread ", which sent most lines through the slow
    patterns (a leading ``\s*`` makes them try every position). None when the pattern
    ignores case or has no such run."""
    try:
        tree = _sre_parse.parse(pattern, flags)
    except (re.error, RecursionError):  # pragma: no cover - the rules compiled already
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    runs, run = [], ""
    for op, arg in tree:
        if op is _sre.LITERAL:
            run += chr(arg)
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len) or None


def _may_hold(rule: LineRule, text: str, lowered: str | None) -> bool:
    """False when ``text`` (``lowered``: it lower-cased, if ASCII) lacks what every match
    of the rule holds."""
    if rule.exact is not None:
        return rule.exact in text
    return lowered is None or rule.needs is None or holds_any(lowered, rule.needs)


def _lowered(text: str, line_rules: tuple[LineRule, ...]) -> str | None:
    """The ASCII text lower-cased, for the rules without an exact string (else None)."""
    if text.isascii() and any(rule.exact is None for rule in line_rules):
        return text.lower()
    return None


def normalize_unicode(text: str) -> str:
    """NFC, LF line endings, no control characters but tab and newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if text.isascii():  # no C1 controls: delete the C0 ones without a regex scan
        encoded = text.encode("ascii")
        stripped = encoded.translate(None, _CONTROL_BYTES)
        return text if len(stripped) == len(encoded) else stripped.decode("ascii")
    return _CONTROLS.sub("", text)


def squeeze_whitespace(text: str) -> str:
    """One space between words, no trailing spaces, at most one blank line in a row."""
    lines = text.split("\n")
    if "  " in text or _holds_other_space(text):
        lines = [_SPACES_TO_SQUEEZE.sub(" ", line) for line in lines]
    joined = "\n".join([line.strip() for line in lines])
    # A substring test finds no run of three newlines faster than the regex scan does.
    if "\n\n\n" in joined:
        joined = _MANY_BLANKS.sub("\n\n", joined)
    return joined.strip("\n")


def _holds_other_space(text: str) -> bool:
    """Whether the text holds a space other than " " (tab, no-break...). In an ASCII text
    (``isascii`` is a flag read, not a scan) the only one there can be is the tab."""
    return "\t" in text if text.isascii() else _OTHER_SPACES.search(text) is not None


def furniture_kind(line: str) -> str | None:
    """The kind of page furniture a whole line is, or None for article text."""
    stripped = line.strip()
    if not stripped:
        return None
    line_rules, _ = _rules()
    for rule in line_rules:
        if rule.pattern.fullmatch(stripped):
            return rule.kind
    return None


# Furniture whose text the record keeps apart from the article text (``article.byline``,
# ``article.captions``): it says who wrote the story and what its pictures show.
KEPT_APART = ("byline", "caption")


def drop_furniture(text: str, dropped: Counter[str], apart: dict[str, list[str]] | None = None) -> str:
    """Remove furniture lines and inline furniture, counting what went; the lines of the
    KEPT_APART kinds are added to ``apart`` by kind."""
    _, inline_rules = _rules()
    # Most texts hold none of the strings most inline rules need: a rule whose strings
    # are nowhere in the text cannot match any of its lines, as they stand. (A line
    # that a substitution changed is checked against every rule again.)
    whole = _lowered(text, inline_rules)
    present = tuple(r for r in inline_rules if _may_hold(r, text, whole))
    kept: list[str] = []
    for line in text.split("\n"):
        kind = furniture_kind(line)
        if kind:
            dropped[kind] += 1
            if apart is not None and kind in KEPT_APART:
                apart.setdefault(kind, []).append(line.strip())
            continue
        if present:
            line = _drop_inline(line, present, inline_rules, dropped)
        kept.append(line)
    return "\n".join(kept)


def _drop_inline(
    line: str, present: tuple[LineRule, ...], inline_rules: tuple[LineRule, ...], dropped: Counter[str]
) -> str:
    """Apply the inline rules to one line, in order (``present``: those the text may hold)."""
    # Most lines hold none of the strings an inline rule needs; on ASCII lines a
    # substring test says so faster than the regex can (these start with \s*).
    lowered = _lowered(line, present)
    rules_now = present
    for rule in inline_rules:
        if rule not in rules_now:
            continue
        if not _may_hold(rule, line, lowered):
            continue
        line, n = _subn(rule, line)
        if n:
            dropped[rule.kind] += n
            lowered = _lowered(line, inline_rules)
            rules_now = inline_rules  # the line changed: it may now hold what it did not
    return line


def folded(text: str) -> str:
    """Lower-case letters and digits only: for comparing a headline with its repeat."""
    if text.isascii():
        # Lower-cased ASCII stays ASCII (other characters may lower into it: "K" KELVIN).
        return text.lower().encode("ascii").translate(None, _NOT_ALNUM_BYTES).decode("ascii")
    return _ALNUM.sub("", text.lower())


def split_title(text: str) -> tuple[str, str]:
    """The first non-empty line is the title; the rest is the body."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            title = _MARKDOWN_HEADING.sub("", line).strip()
            return title, "\n".join(lines[i + 1 :])
    return "", ""


def drop_repeated_title(title: str, body: str, dropped: Counter[str]) -> str:
    """Remove the headline when the body starts by repeating it (feeds often do)."""
    key = folded(title)
    if len(key) < 12:
        return body
    head = body.lstrip()
    end = _end_of_alnums(head, len(key))
    if end is not None:
        if folded(head[:end]) == key:
            dropped["repeated_title"] += 1
            return head[end:].lstrip(" .:-–—|\t")
        return body
    # Walk forward until the folded prefix is as long as the folded title.
    consumed = 0
    for i, ch in enumerate(head):
        if ch.isalnum():
            consumed += 1
        if consumed == len(key):
            if folded(head[: i + 1]) == key:
                rest = head[i + 1 :].lstrip(" .:-–—|\t")
                dropped["repeated_title"] += 1
                return rest
            break
    return body


@lru_cache(maxsize=None)
def _alnums(n: int) -> re.Pattern[str]:
    """The shortest prefix holding n ASCII letters or digits (n a power of two)."""
    return re.compile(rf"(?:[^0-9A-Za-z]*[0-9A-Za-z]){{{n}}}")


def _end_of_alnums(head: str, n: int) -> int | None:
    """Where the prefix of ``head`` holding n alphanumeric characters (``str.isalnum``)
    ends, found by regex matches instead of a Python step per character; None when
    that needs the character loop: the prefix is not ASCII (``isalnum`` knows more
    letters than [0-9A-Za-z]), or it is too short and non-ASCII letters might count.

    Each repetition of the pattern takes the non-alphanumerics and then one
    alphanumeric, so n of them in a row are the patterns of n's binary digits in a row:
    a title length costs no pattern of its own (compiling one per length was a fifth of
    what a first reading of a new length cost).
    """
    end, bit = 0, 1
    while n:
        if n & 1:
            match = _alnums(bit).match(head, end)
            if match is None:
                return None
            end = match.end()
        n >>= 1
        bit <<= 1
    return end if head[:end].isascii() else None


def clean_body(body: str, dropped: Counter[str], apart: dict[str, list[str]] | None = None) -> str:
    """Cleaning steps for the body of a pasted article, in order."""
    squeezed = squeeze_whitespace(body)
    cleaned = drop_furniture(squeezed, dropped, apart)
    # Squeezing is idempotent: when nothing was dropped there is nothing to redo.
    return squeezed if cleaned == squeezed else squeeze_whitespace(cleaned)
