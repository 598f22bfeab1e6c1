"""Writing ingested records into the corpus: names, sidecars, idempotence, near-duplicates.

A record is written as ``<name><suffix>`` with ``<name>.meta.json`` beside it. When
that name is taken by a different article, the record goes to ``<name>-2``, ``-3``…
(W604): nothing is ever overwritten. When one of those names already holds the very
same bytes, the record is already in the corpus and nothing is written, so ingesting
the same source twice adds nothing. Files are written whole (temporary file, then
rename): an interrupted ingest leaves no torn article.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError, warning
from pipeline.formats import ARTICLE_SUFFIXES, article_format
from pipeline.ingest.dedup import NearDuplicates, decode_signature, encode_signature
from pipeline.output import write_atomic
from pipeline.sidecar import ALLOWED

INDEX_FILE = ".ingest-index.jsonl"
INDEX_HEADER = {"index": "casualty-claims ingest", "minhash": "datasketch affine32 seed=1 perm=128 shingle=5"}
# Names tried for one record before it is refused: name, name-2 ... name-99.
MAX_SUFFIX = 99


@dataclass(frozen=True)
class Incoming:
    """One record ready to be written: where it goes, its bytes and its sidecar keys."""

    name: str  # corpus-relative, "/"-separated, without the suffix
    suffix: str  # ".txt", ".html" or ".pdf"
    data: bytes
    meta: dict[str, str]  # sidecar keys: url, outlet, published, fetched, source_record
    where: str  # the record in messages: "dump.csv row 12"


@dataclass
class IngestSummary:
    """Counts for the closing line, and the coded lines of what was set aside."""

    added: int = 0
    present: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, reason: str, line: str | None = None) -> None:
        self.skipped[reason] += 1
        if line:
            self.lines.append(line)

    def fail(self, line: str) -> None:
        self.failed += 1
        self.lines.append(line)

    def line(self) -> str:
        """ "ingest: added 12 (2 near-duplicates), already present 3, skipped 5 (no text 2, ...), failed 0 in 1.20 s"."""
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(self.skipped.items()))
        return (
            f"ingest: added {self.added} ({self.duplicates} near-duplicates), already present {self.present}, "
            f"skipped {skipped}{f' ({reasons})' if reasons else ''}, failed {self.failed} in {self.seconds:.2f} s"
        )


class CorpusStore:
    """The corpus folder as ingest sees it: its index of names, URLs and signatures."""

    def __init__(self, corpus: Path, summary: IngestSummary, *, dedup: bool = True) -> None:
        self.corpus = corpus
        self.summary = summary
        self.started = time.perf_counter()
        self.near = NearDuplicates() if dedup else None
        self.urls: dict[str, str] = {}
        self._entries: dict[str, dict[str, Any]] = {}
        self._load_index()
        self._index_unseen()

    # --- the index ------------------------------------------------------------------

    def _load_index(self) -> None:
        """Entries of the index file whose article still exists, in the order they were added."""
        try:
            lines = (self.corpus / INDEX_FILE).read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        try:
            same_scheme = json.loads(lines[0]) == INDEX_HEADER if lines else False
        except ValueError:
            same_scheme = False
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                rel = entry["file"]
            except (ValueError, KeyError, TypeError):
                continue
            if not isinstance(rel, str) or not (self.corpus / rel).is_file():
                continue
            if not same_scheme:  # signatures of another scheme cannot be compared: made again
                entry["minhash"] = self._signature_text(rel)
            self._remember(rel, entry)

    def _index_unseen(self) -> None:
        """Index the corpus's articles that ingest did not write (saved by hand, or before the index)."""
        for rel in _articles(self.corpus):
            if rel not in self._entries:
                url, duplicate_of = self._sidecar_keys(rel)
                entry = {"file": rel, "url": url, "minhash": self._signature_text(rel)}
                if duplicate_of:
                    entry["duplicate_of"] = duplicate_of
                self._remember(rel, entry)

    def _remember(self, rel: str, entry: dict[str, Any]) -> None:
        self._entries[rel] = entry
        if entry.get("url"):
            self.urls.setdefault(entry["url"], rel)
        if self.near is not None:
            self.near.add(rel, decode_signature(entry.get("minhash")), entry.get("duplicate_of"))

    def _signature_text(self, rel: str) -> str | None:
        if self.near is None:
            return None
        try:
            data = (self.corpus / rel).read_bytes()
        except OSError:
            return None
        return encode_signature(self.near.signature(article_text(data, rel) or ""))

    def _sidecar_keys(self, rel: str) -> tuple[str | None, str | None]:
        """The url and duplicate_of of an article's sidecar (a rebuilt index keeps both)."""
        sidecar = self.corpus / (rel[: rel.rfind(".")] + ".meta.json")
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, None
        if not isinstance(meta, dict):
            return None, None
        url, duplicate_of = meta.get("url"), meta.get("duplicate_of")
        return (url if isinstance(url, str) else None), (duplicate_of if isinstance(duplicate_of, str) else None)

    def close(self) -> None:
        """Write the index (only when it changed) and the run's time."""
        lines = [json.dumps(INDEX_HEADER, sort_keys=True)]
        lines += [json.dumps(entry, sort_keys=True, ensure_ascii=False) for entry in self._entries.values()]
        text = "\n".join(lines) + "\n"
        path = self.corpus / INDEX_FILE
        try:
            old = path.read_text(encoding="utf-8")
        except OSError:
            old = None
        if text != old:
            try:
                write_atomic(path, text)
            except OSError as exc:
                self.summary.fail(str(PipelineError("E606", path=path, reason=exc.strerror or type(exc).__name__)))
        self.summary.seconds = time.perf_counter() - self.started

    # --- adding a record ---------------------------------------------------------------

    def add(self, item: Incoming) -> None:
        """Write one record unless it is already in the corpus; mark it if it near-duplicates one."""
        name = self._free_name(item)
        if name is None:
            return
        rel = name + item.suffix
        try:
            # A dump's text is known not to be empty; pages and PDFs are read to make sure.
            needed = self.near is not None or item.suffix != ".txt"
            text = article_text(item.data, rel) if needed else item.data.decode("utf-8", "replace")
            if text is None and item.suffix == ".txt":  # a title alone is still an article
                text = item.data.decode("utf-8", "replace") if item.data.strip() else None
        except PipelineError as exc:  # a missing extra: every such record would fail alike
            self.summary.fail(f"{item.where}: {exc}")
            return
        if text is None:
            self.summary.skip("no text", warning("W601", where=item.where))
            return
        meta = {key: item.meta[key] for key in ALLOWED if item.meta.get(key)}
        signature = self.near.signature(text) if self.near is not None else None
        found = self.near.find(signature) if self.near is not None else None
        if found is not None:
            meta["duplicate_of"] = found[0]
        sidecar = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
        target = self.corpus / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target.with_name(target.name[: -len(item.suffix)] + ".meta.json"), sidecar)
            write_atomic(target, item.data)
        except OSError as exc:
            self.summary.fail(str(PipelineError("E606", path=target, reason=exc.strerror or type(exc).__name__)))
            return
        if found is not None:
            self.summary.duplicates += 1
            self.summary.lines.append(warning("W603", where=rel, original=found[0], similarity=f"{found[1]:.2f}"))
        self.summary.added += 1
        entry = {"file": rel, "url": item.meta.get("url"), "minhash": encode_signature(signature)}
        if found is not None:
            entry["duplicate_of"] = found[0]
        self._remember(rel, entry)

    def _free_name(self, item: Incoming) -> str | None:
        """The first of name, name-2, name-3… that is free; None when one holds these very bytes."""
        digest = hashlib.sha256(item.data).digest()
        for number in range(1, MAX_SUFFIX + 1):
            name = item.name if number == 1 else f"{item.name}-{number}"
            path = self.corpus / (name + item.suffix)
            if not _taken(self.corpus, name):
                if number > 1:
                    self.summary.lines.append(warning(
                        "W604", where=item.where, name=item.name + item.suffix, instead=name + item.suffix))
                return name
            if path.is_file() and _same_bytes(path, digest):
                self.summary.present += 1
                return None
        self.summary.fail(str(PipelineError(
            "E606", path=self.corpus / (item.name + item.suffix), reason=f"{MAX_SUFFIX} different articles have that name")))
        return None


def _taken(corpus: Path, name: str) -> bool:
    """A name is taken by an article of any kind (they would share one output). A sidecar alone
    is what an ingest killed between its two writes leaves (the sidecar goes first): it is replaced."""
    return any((corpus / (name + suffix)).exists() for suffix in ARTICLE_SUFFIXES)


def _same_bytes(path: Path, digest: bytes) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).digest() == digest
    except OSError:
        return False


def _articles(corpus: Path) -> list[str]:
    """Corpus-relative paths of the articles under ``corpus`` (hidden names skipped), sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = os.path.relpath(dirpath, corpus)
        for name in sorted(filenames):
            if not name.startswith(".") and article_format(name) is not None:
                found.append(name if base == "." else f"{base.replace(os.sep, '/')}/{name}")
    return found


def article_text(data: bytes, rel: str) -> str | None:
    """The body as ``extract`` reads it (cleaned HTML, PDF text), or None when there is none.

    The title is left out: a syndicated copy often carries its own headline over the same text.
    """
    from pipeline.article import prepare
    from pipeline.errors import InputError
    from pipeline.sidecar import Sidecar

    try:
        prepared = prepare(data, rel, Sidecar())
    except InputError as exc:
        if exc.code == "E122":
            raise
        return None
    return prepared.body if prepared.body.strip() else None
