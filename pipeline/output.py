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
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

# Thread writer: writes allowed in flight before ``submit`` waits (bounds memory).
MAX_PENDING_WRITES = 64


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


# Temporary names: ".<name>.<pid>.<n>.tmp", created exclusively, mode 0600 as mkstemp's.
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
            fd = os.open(tmp, _TEMP_FLAGS, 0o600)
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
        except FileNotFoundError:
            pass
        raise


class BackgroundWriter:
    """``write_atomic`` off the extracting process, for a run with one extracting process.

    Where processes can be forked, the writes run in a small child process fed
    through a pipe (forked at the first write), on the core the
    extraction leaves idle; elsewhere in one thread. A thread was tried first
    everywhere: each of its system calls per file made the extracting thread hand
    over the GIL, which cost more than the writes. The pipe's buffer bounds what is
    in flight. ``close`` (or leaving the ``with`` block) waits for every write; a file
    that could not be written does not stop the others and is listed in ``failures``
    as (path, reason), for the run to report like any failed article.
    """

    def __init__(self) -> None:
        # Started on the first write: a run with nothing to write forks nothing.
        self._backend: _ProcessWriter | _ThreadWriter | None = None
        self.failures: list[tuple[str, str]] = []

    def submit(self, path: Path, text: str) -> None:
        """Queue one write (blocks only when the writer is far behind)."""
        if self._backend is None:
            if "fork" in multiprocessing.get_all_start_methods():
                self._backend = _ProcessWriter()
            else:  # pragma: no cover - Windows, and macOS's default
                self._backend = _ThreadWriter()
        self._backend.submit(path, text)

    def close(self) -> list[tuple[str, str]]:
        """Wait for every queued write; return (and keep in ``failures``) the ones that failed."""
        self.failures = self._backend.close() if self._backend is not None else []
        return self.failures

    def __enter__(self) -> "BackgroundWriter":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()  # also when failing: the queued writes still finish


def failure_reason(exc: BaseException) -> str:
    """One line for a failed write: the OS's words when it gave some."""
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else None) or f"{type(exc).__name__}: {exc}"


# Bytes the pipe to the writer process holds (Linux; the default is 64 KiB, eight
# outputs): a disk that stalls for a moment then holds up the writer, not extraction.
WRITER_PIPE_BYTES = 1 << 20


class _ProcessWriter:
    """Writes in a forked child; the parent only sends (path, text) down a pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        texts_out, self._texts = context.Pipe(duplex=False)
        self._answer, answer_in = context.Pipe(duplex=False)
        _widen(self._texts.fileno())
        self._process = context.Process(target=_write_loop, args=(texts_out, answer_in), name="writer", daemon=True)
        self._process.start()
        texts_out.close()
        answer_in.close()
        self._sent: list[str] = []
        self._closed = False

    def submit(self, path: Path, text: str) -> None:
        self._sent.append(os.fspath(path))
        self._texts.send((self._sent[-1], text))

    def close(self) -> list[tuple[str, str]]:
        if self._closed:
            return []
        self._closed = True
        try:
            self._texts.send(None)
            failures: list[tuple[str, str]] = self._answer.recv()
        except (EOFError, OSError) as exc:  # the writer died: none of its writes can be trusted
            failures = [(path, f"the writer process ended unexpectedly ({exc!r})") for path in self._sent]
        finally:
            self._texts.close()
            self._answer.close()
            self._process.join()
        return failures


def _widen(fd: int) -> None:
    """Give a pipe WRITER_PIPE_BYTES of buffer where the system allows it (Linux)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), WRITER_PIPE_BYTES)
    except (ImportError, OSError):  # other systems, or a lower pipe-max-size: the default
        pass


def _write_loop(texts: Any, answer: Any) -> None:
    """The writer process: write each (path, text) until None; answer with the failures."""
    failures: list[tuple[str, str]] = []
    try:
        while (item := texts.recv()) is not None:
            try:
                write_atomic(Path(item[0]), item[1])
            except Exception as exc:  # noqa: BLE001 - reported by the parent, with the article
                failures.append((item[0], failure_reason(exc)))
    except EOFError:  # the parent is gone: nothing left to answer
        return
    answer.send(failures)


class _ThreadWriter:
    """Writes on one thread (where fork is unavailable)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer")
        self._pending: deque[tuple[str, Future[None]]] = deque()
        self._failures: list[tuple[str, str]] = []

    def submit(self, path: Path, text: str) -> None:
        while len(self._pending) >= MAX_PENDING_WRITES:
            self._settle(*self._pending.popleft())
        self._pending.append((os.fspath(path), self._pool.submit(write_atomic, path, text)))

    def _settle(self, path: str, future: Future[None]) -> None:
        try:
            future.result()
        except Exception as exc:  # noqa: BLE001 - reported by the caller, with the article
            self._failures.append((path, failure_reason(exc)))

    def close(self) -> list[tuple[str, str]]:
        try:
            while self._pending:
                self._settle(*self._pending.popleft())
        finally:
            self._pool.shutdown(wait=True)
        return self._failures
