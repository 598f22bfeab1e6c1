"""Which files of a corpus folder are articles; every other file is named, never skipped silently.

Each folder's files (sorted), then its sub-folders (sorted), top-down like ``os.walk``;
hidden names (``.git``, ``.DS_Store``) are left alone without a word. Everything else
that is not read gets one coded line:

- ``E106`` an article, or its sidecar, that is a symbolic link out of the corpus (refused);
- ``E110`` two articles that would write the same output (``a.txt`` + ``a.html``, or
  names that differ only in case, which a case-insensitive checkout of the outputs
  could not keep apart): both refused before anything is written;
- ``E105`` a sidecar that is not a regular file (its article is refused);
- ``W101`` an unsupported type (``.pdf``, ``.docx``, images), ``W102`` a FIFO, socket or
  device (never opened: reading a FIFO would wait forever), ``W103`` a sidecar without
  an article, ``W104`` a linked folder (not entered).

One directory scan per folder answers which names are links, folders and sidecars, so
a no-change re-run pays no extra system call per article.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, warning
from pipeline.formats import ARTICLE_SUFFIXES, SIDECAR_SUFFIX, article_format, stem


@dataclass(frozen=True)
class Task:
    """One article to extract: where it is and what it depends on."""

    rel: str
    path: Path
    sidecar: Path | None


@dataclass
class Found:
    """What discovery found: the articles, and a line for each file it did not take."""

    tasks: list[Task] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # coded lines, in corpus order (name clashes last)
    refused: int = 0  # articles not extracted (E105, E106, E110): they count as failed
    skipped: int = 0  # files that are not articles (W101-W104)
    kept: list[str] = field(default_factory=list)  # refused articles (corpus-relative): their outputs stay


def output_rel(rel: str) -> str:
    """Corpus-relative article path -> its output path relative to the outputs folder."""
    return stem(rel) + ".json"


def discover(corpus: Path) -> Found:
    """Articles under ``corpus`` in a stable order, and a coded line for each file not taken."""
    found = Found()
    lines: list[str] = []
    _discover_in(corpus, "", corpus.resolve(), found, lines)
    _refuse_clashes(found, lines)
    found.lines = lines
    return found


def _discover_in(folder: Path, prefix: str, root: Path, found: Found, lines: list[str]) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = {entry.name: entry for entry in scan if not entry.name.startswith(".")}
    except OSError:  # unreadable or vanished folder: os.walk skips it too
        return
    folders, files = [], []
    for name, entry in entries.items():
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        (folders if is_folder else files).append(name)
    stems = {stem(name) for name in files if article_format(name) is not None}

    for filename in sorted(files):
        rel = prefix + filename
        if filename.endswith(SIDECAR_SUFFIX):
            base = filename[: -len(SIDECAR_SUFFIX)]
            if base not in stems:
                expected = _or_list([base + suffix for suffix in ARTICLE_SUFFIXES])
                lines.append(f"{rel}: {warning('W103', expected=expected)}")
                found.skipped += 1
            continue
        if article_format(filename) is None:
            suffix = filename[filename.rfind("."):] if "." in filename else filename
            lines.append(f"{rel}: {warning('W101', suffix=suffix, supported=', '.join(ARTICLE_SUFFIXES))}")
            found.skipped += 1
            continue
        entry, path = entries[filename], folder / filename
        if entry.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                lines.append(f"{rel}: {InputError('E106', what='path', target=target)}")
                _refuse(found, rel)
                continue
        if not entry.is_file():
            kind = _special_kind(path)
            if kind is not None:
                lines.append(f"{rel}: {warning('W102', kind=kind)}")
                found.skipped += 1
                continue
            # A link to nothing: the read reports it (E104) like any unreadable article.
        sidecar_name = stem(filename) + SIDECAR_SUFFIX
        sidecar = entries.get(sidecar_name)
        sidecar_path = None
        if sidecar is not None:
            problem = _sidecar_problem(sidecar, folder / sidecar_name, prefix + sidecar_name, root)
            if problem is not None:
                lines.append(f"{rel}: {problem}")
                _refuse(found, rel)
                continue
            if sidecar.is_file():  # a folder named like a sidecar is not one
                sidecar_path = folder / sidecar_name
        found.tasks.append(Task(rel, path, sidecar_path))
    for name in sorted(folders):
        if entries[name].is_symlink():  # os.walk(followlinks=False) does not enter linked folders
            lines.append(f"{prefix + name}/: {warning('W104')}")
            found.skipped += 1
            continue
        _discover_in(folder / name, prefix + name + "/", root, found, lines)


def _sidecar_problem(entry: os.DirEntry[str], path: Path, rel: str, root: Path) -> InputError | None:
    """Why an article's sidecar cannot be used: a link out of the corpus, or a special file."""
    if entry.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root):
            return InputError("E106", what=f"its sidecar {rel}", target=target)
    if not entry.is_file() and not entry.is_dir():
        kind = _special_kind(path)
        if kind is not None:
            return InputError("E105", sidecar=rel, reason=f"not a regular file ({kind}); never opened")
    return None


def _special_kind(path: Path) -> str | None:
    """"FIFO", "socket" or "device" for a special file; None for anything else (or no file)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "special file"


def _refuse(found: Found, rel: str) -> None:
    found.refused += 1
    found.kept.append(rel)


def _refuse_clashes(found: Found, lines: list[str]) -> None:
    """Refuse every group of articles whose outputs would be the same file.

    Compared case-insensitively: ``a.TXT`` and ``a.txt`` both write ``a.json``, and
    ``News/x.txt`` and ``news/x.txt`` write two files a case-insensitive checkout
    (macOS, Windows) would merge into one.
    """
    groups: dict[str, list[int]] = {}
    for index, task in enumerate(found.tasks):
        groups.setdefault(output_rel(task.rel).casefold(), []).append(index)
    clashing = [members for members in groups.values() if len(members) > 1]
    if not clashing:
        return
    drop: set[int] = set()
    for members in clashing:  # after the other discovery lines, in the order of their first file
        rels = sorted(found.tasks[i].rel for i in members)
        error = InputError("E110", files=_and_list(rels), output=output_rel(rels[0]))
        lines.append(f"{rels[0]}: {error}")
        for i in members:
            drop.add(i)
            _refuse(found, found.tasks[i].rel)
    found.tasks = [task for index, task in enumerate(found.tasks) if index not in drop]


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]

