"""One article's work in an extracting process: read, validate, extract, encode, maybe write.

``extract_job`` is the per-article guard: whatever goes wrong with one article (its
bytes, its sidecar, its file name, any stage, encoding the record, writing it) comes
back as one coded error line in its Result, never as an exception, so one article
cannot stop a run. What it cannot catch (a crash of the process, an article that runs
forever) the supervising process handles (pipeline/workers.py).
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import InputError, PipelineError
from pipeline.output import dumps, failure_reason, write_atomic

DEFAULT_MAX_BYTES = 2_000_000
# Longest error reason kept: results travel through a pipe, and one line is enough.
MAX_REASON_CHARS = 500


class Job(NamedTuple):
    """One article to extract. Paths are strings: the job crosses a process boundary."""

    index: int  # its place in the run, for results and error lines in corpus order
    rel: str  # path relative to the corpus folder
    path: str
    sidecar: str | None
    write_to: str | None  # the output path when the extracting process writes it; None: send the bytes back


class Result(NamedTuple):
    """What came of one job."""

    index: int
    data: bytes | None  # the output's bytes, when sent back to be written or compared
    digest: str | None  # sha256 of the output's bytes
    error: str | None  # the coded error line, when the article failed
    source: str | None  # sha256 of the article bytes that were extracted
    sidecar: str | None  # sha256 of the sidecar bytes, None without a sidecar
    stamps: dict[str, list[int] | None] | None = None  # stamps (see stamp()) of source, sidecar, output


def stamp(info: os.stat_result) -> list[int] | None:
    """What identifies one version of a file without reading it: size, inode, mtime and ctime.

    A later run compares stamps first and reads and hashes only a file whose stamp
    changed. A checkout or a copy changes the stamp (the file is then hashed, and found
    unchanged if it is); an edit moves the ctime, which no user call can set back. A
    file changed in the last few seconds gets no stamp (None): on a file system with
    coarse times a second edit in the same tick would leave the stamp as it was (git's
    "racy clean" case), so such a file is hashed next time.
    """
    newest = max(info.st_mtime_ns, info.st_ctime_ns)
    if time.time_ns() - newest < RACY_NS:
        return None
    return [info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns]


# Files changed more recently than this are not stamped (see stamp()).
RACY_NS = 3_000_000_000


def read_article(path: str | os.PathLike[str], max_bytes: int, stamps: list[list[int] | None] | None = None) -> bytes:
    """The bytes of an article or sidecar, refused past ``max_bytes`` or when not a regular file.

    The type is checked on the same stat as the size, before opening: a FIFO that took
    the place of a file after discovery would otherwise block the read forever. Plain
    os calls: a re-run does this for every changed article. The file's stamp, taken
    before reading, is appended to ``stamps`` when given.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("E104", reason="not a regular file")
        if info.st_size > max_bytes:
            raise InputError("E103", size=info.st_size, limit=max_bytes)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1 if max_bytes < UNCAPPED else -1)
    except OSError as exc:
        raise InputError("E104", reason=exc.strerror or type(exc).__name__) from exc
    if len(data) > max_bytes:  # grew since the stat
        raise InputError("E103", size=len(data), limit=max_bytes)
    if stamps is not None:
        stamps.append(stamp(info))
    return data


# A cap this high means "no cap": the file is read to its end (reading "up to" it would
# first allocate that much).
UNCAPPED = 1 << 40


def digest(data: bytes | None) -> str | None:
    """sha256 hex digest, None for None."""
    return hashlib.sha256(data).hexdigest() if data is not None else None


def extract_job(job: Job, max_bytes: int) -> Result:
    """Extract one article; never raises (see the module docstring)."""
    from pipeline.article import extract_article
    from pipeline.factories import shared_nlp
    from pipeline.sidecar import parse_sidecar

    source = sidecar_digest = None
    read: list[list[int] | None] = []
    try:
        data = read_article(job.path, max_bytes, read)
        source = digest(data)
        sidecar_bytes = read_article(job.sidecar, max_bytes, read) if job.sidecar else None
        sidecar_digest = digest(sidecar_bytes)
        sidecar = parse_sidecar(sidecar_bytes, Path(job.sidecar).name if job.sidecar else "")
        encoded = dumps(extract_article(data, job.rel, sidecar, shared_nlp())).encode("utf-8")
    except PipelineError as exc:
        return _failed(job, str(exc))
    except RecursionError:
        return _failed(job, str(InputError("E107", stage="extract", reason="input nested too deeply")))
    except Exception as exc:  # noqa: BLE001 - reported with the article's name, the run goes on
        stage = getattr(exc, "stage", "output" if isinstance(exc, UnicodeError) else "extract")
        return _failed(job, str(InputError("E107", stage=stage, reason=_reason(exc))))
    output = digest(encoded)
    stamps = {"source": read[0], "sidecar": read[1] if job.sidecar else None, "output": None}
    if job.write_to is None:
        return Result(job.index, encoded, output, None, source, sidecar_digest, stamps)
    try:
        write_atomic(Path(job.write_to), encoded)
        stamps["output"] = stamp(os.stat(job.write_to))
    except OSError as exc:
        return _failed(job, str(InputError("E109", path=job.write_to, reason=failure_reason(exc))))
    return Result(job.index, None, output, None, source, sidecar_digest, stamps)


def failed(job: Job, error: PipelineError) -> Result:
    """The Result of a job that failed outside ``extract_job`` (timed out, its process died)."""
    return _failed(job, str(error))


def _failed(job: Job, message: str) -> Result:
    return Result(job.index, None, None, f"{job.rel}: {message}", None, None)


def _reason(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= MAX_REASON_CHARS else text[:MAX_REASON_CHARS] + "…"


# --- building the pipeline once per process ---------------------------------------

# Allocations between young-generation collections (CPython's default is 700).
GC_THRESHOLD = (20_000, 20, 20)


def init_worker() -> None:
    """Build the spaCy pipeline and the rule tables, then set the collector aside.

    Done in the supervising process before it forks, so every extracting process
    inherits them instead of paying the start-up (where processes are spawned, each
    does it itself).
    """
    from pipeline.factories import shared_nlp

    shared_nlp()
    _compile_rules()
    _settle_gc()


def _compile_rules() -> None:
    """Build the rule tables that are otherwise built on the first article.

    Cleaning, dateline and time rules are compiled (and analysed for prefilters) on
    first use, about 0.15 s; done before the fork, the workers inherit them instead
    of each compiling its own.
    """
    from pipeline.clean.text import clean_body
    from pipeline.extract.times import find_times
    from pipeline.metadata import find_dateline

    clean_body("", Counter())
    find_times("")
    find_dateline("")


def _settle_gc() -> None:
    """Keep the garbage collector off the long-lived pipeline.

    After start-up the heap holds ~120,000 objects that live for the whole run
    (spaCy's vocabulary, rules, gazetteer); every older-generation collection walked
    them all, about a fifth of the extraction time. ``gc.freeze`` moves them out of
    the collector's sight (and, before a fork, keeps workers from touching their
    shared pages); a larger young generation collects each article's short-lived
    cycles in fewer, cheaper passes. The collector is switched on here in case the
    caller kept it off through start-up (``python -m pipeline`` does: the imports and
    the pipeline allocate those objects, all for keeps, and each full collection on
    the way walked them). Outputs do not depend on it.
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    gc.enable()
