"""Byte-stable JSON and atomic writes.

Same record, same bytes: indent 2, UTF-8 unescaped, keys in the record's fixed
order, LF line endings and a trailing newline. A write goes to a temporary file in
the same folder, then is renamed over the target, so a run killed at any moment
leaves either the old file or the new one, never a torn one.

Outputs are not flushed to disk one by one (fsync): they are derived data, and the
run's state file, which is flushed, records each output's digest, so the run after
a power cut finds any output that did not reach the disk and extracts it again.
fsync cost from half a millisecond to several per file here, more than extracting
a short article.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import orjson


def dumps(record: dict[str, Any]) -> str:
    """The canonical text of an output record.

    Exactly ``json.dumps(record, indent=2, ensure_ascii=False) + "\n"``: with an
    indent, the json module encodes in pure Python, one generator per container.
    orjson (compiled) writes the same bytes for what records hold (str, int, None,
    bool, dict, list; tests/test_output.py compares them); what it refuses (a lone
    surrogate, an int past 64 bits) goes through ``_encode``, which builds the same text
    in one recursive Python pass, and from there to json.dumps.
    """
    try:
        return orjson.dumps(record, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        pass
    parts: list[str] = []
    try:
        _encode(record, "\n", parts)
    except _Unusual:
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    parts.append("\n")
    return "".join(parts)


class _Unusual(Exception):
    """A value or key the fast encoder leaves to json.dumps."""


_escape = json.encoder.encode_basestring  # the C escaper when available, as json.dumps uses
_INFINITIES = (float("inf"), float("-inf"))  # json writes these (and NaN) its own way


def _encode(value: Any, newline: str, out: list[str]) -> None:
    """Append the indented JSON of ``value``; ``newline`` is "\n" plus the current indent."""
    kind = type(value)
    if kind is str:
        out.append(_escape(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and value == value and value not in _INFINITIES:
        out.append(float.__repr__(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append("{" + inner if first else "," + inner)
            first = False
            out.append(_escape(key))
            out.append(": ")
            _encode(item, inner, out)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        first = True
        for item in value:
            out.append("[" + inner if first else "," + inner)
            first = False
            _encode(item, inner, out)
        out.append(newline + "]")
    else:
        raise _Unusual


# Temporary names: ".<name>.<pid>.<n>.tmp", created exclusively. Mode 0666 less the umask,
# like any file a program creates (mkstemp's 0600 made every output private whatever
# the user's umask said).
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) \
    | getattr(os, "O_BINARY", 0)
_temp_numbers = itertools.count()


def write_atomic(path: Path, text: str | bytes, *, durable: bool = False) -> None:
    """Replace ``path`` with ``text`` atomically (temporary file + rename).

    UTF-8 bytes written as they are (the text's line ends are already LF), flushed
    to disk with fsync first when ``durable``, then renamed over the target. Plain os
    calls rather than mkstemp and a text wrapper: a run does this a thousand times.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = os.path.join(folder, f".{path.name}.{os.getpid()}.{next(_temp_numbers)}.tmp")
        try:
            fd = os.open(tmp, _TEMP_FLAGS, 0o666)
            break
        except FileExistsError:  # left by a killed run of the same pid: take the next number
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def failure_reason(exc: BaseException) -> str:
    """One line for a failed write: the OS's words when it gave some."""
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else None) or f"{type(exc).__name__}: {exc}"
