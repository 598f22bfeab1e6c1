"""Read output records from a folder or from a git revision, keyed by relative path.

Keys are POSIX paths relative to the outputs folder (``a/b.json``), so a folder and a
revision of the same folder compare key by key. Hidden files (``.extract-state.json``)
are skipped: they are run state, not outputs.

``report`` and ``export`` pass a list for the files they cannot use: a file that is not
JSON, or not an output record valid against the schema (pipeline/review/validate.py),
is then skipped with one coded line (E401) instead of stopping the command.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.review.validate import problem

Record = dict[str, Any]


class LoadError(Exception):
    """A folder or revision that cannot be read; the CLI prints it and exits 2."""


def load_folder(folder: Path, skipped: list[str] | None = None) -> dict[str, Record]:
    """Every ``*.json`` output under ``folder``, parsed, sorted by key.

    Without ``skipped``, a file that is not an output raises LoadError. With it, such a
    file (or one that does not validate against the schema, or cannot be read) is left
    out and described by one coded line appended to ``skipped``.
    """
    if not folder.is_dir():
        raise LoadError(f"{folder} is not a folder")
    found: dict[str, Record] = {}
    for path in sorted(folder.rglob("*.json")):
        key = path.relative_to(folder).as_posix()
        if _hidden(key) or not path.is_file():
            continue
        if skipped is None:
            found[key] = _parse(path.read_bytes(), key)
            continue
        try:
            record = _parse(path.read_bytes(), key)
        except LoadError as error:
            skipped.append(f"{path.as_posix()}: {_skip(str(error).split(': ', 1)[-1].removeprefix('not a JSON output '))}")
            continue
        except OSError as error:
            skipped.append(f"{path.as_posix()}: {_skip(error.strerror or type(error).__name__)}")
            continue
        found_problem = problem(record)
        if found_problem is not None:
            skipped.append(f"{path.as_posix()}: {_skip(found_problem)}")
            continue
        found[key] = record
    return found


def _skip(reason: str) -> str:
    return str(PipelineError("E401", reason=reason.strip("()")))


def load_revision(folder: Path, rev: str) -> dict[str, Record]:
    """The outputs that ``folder`` held at git revision ``rev``.

    One ``git archive`` of the folder's prefix, read as a tar in memory, rather than
    one ``git show`` per file. A folder that did not exist at ``rev`` yields no records,
    so every current article shows as added.
    """
    top = _git(folder, "rev-parse", "--show-toplevel").strip()
    prefix = _git(folder, "rev-parse", "--show-prefix").strip()
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except LoadError:
        raise LoadError(f"{rev!r} is not a commit of the repository at {top}") from None
    listed = _git(Path(top), "ls-tree", "-r", "--name-only", rev, "--", prefix or ".")
    if not listed.strip():
        return {}
    result = subprocess.run(["git", "-C", top, "archive", "--format=tar", rev, "--", prefix or "."],
                            capture_output=True, check=False)
    if result.returncode != 0:
        raise LoadError(f"git archive {rev}: {result.stderr.decode(errors='replace').strip()}")
    found: dict[str, Record] = {}
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.endswith(".json"):
                continue
            key = member.name[len(prefix):]
            if _hidden(key):
                continue
            handle = tar.extractfile(member)
            if handle is not None:
                found[key] = _parse(handle.read(), f"{rev}:{member.name}")
    return dict(sorted(found.items()))


def _hidden(key: str) -> bool:
    """Hidden files and folders, and files of ours beside the outputs that are not article
    outputs (``_incidents.json``, written by ``pipeline link``)."""
    parts = key.split("/")
    return any(part.startswith(".") for part in parts) or parts[-1].startswith("_")


def _parse(data: bytes, where: str) -> Record:
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LoadError(f"{where}: not a JSON output ({error})") from None
    if not isinstance(record, dict) or not isinstance(record.get("claims"), list):
        raise LoadError(f"{where}: not a JSON output (no claims list)")
    return record


def _git(folder: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = result.stderr.strip() or f"git {' '.join(args)} failed"
        raise LoadError(message)
    return result.stdout
