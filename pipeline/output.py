"""Byte-stable JSON and atomic writes.

Same record, same bytes: indent 2, UTF-8 unescaped, keys in the record's fixed
order, LF line endings and a trailing newline. A write goes to a temporary file in
the same folder, is flushed to disk, then renamed over the target, so a run killed
at any moment leaves either the old file or the new one, never a torn one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

# Writes allowed in flight before ``submit`` waits: bounds the texts held in memory.
MAX_PENDING_WRITES = 64


def dumps(record: dict[str, Any]) -> str:
    """The canonical text of an output record."""
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (temporary file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class BackgroundWriter:
    """``write_atomic`` on a thread of its own, so extraction need not wait for the disk.

    fsync costs about a millisecond per file here, as much as extracting a short
    article; it releases the GIL, so one writer thread hides it behind the next
    article's extraction. Each file is still flushed before its rename, and ``close``
    (or leaving the ``with`` block) waits for every write and re-raises the first
    error, so the run fails as it would have with synchronous writes.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer")
        self._pending: deque[Future[None]] = deque()

    def submit(self, path: Path, text: str) -> None:
        """Queue one write; waits for the oldest when too many are in flight."""
        while len(self._pending) >= MAX_PENDING_WRITES:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(write_atomic, path, text))

    def close(self) -> None:
        """Wait for every queued write; raise the first failure."""
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True)

    def __enter__(self) -> "BackgroundWriter":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:  # already failing: finish the queued writes, keep the original error
            try:
                self.close()
            except Exception:  # noqa: BLE001 - the error in flight is the one to report
                pass
