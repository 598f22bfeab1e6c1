"""Outputs whose article is gone: which ones a run may remove, and when it must refuse.

An orphan is an output record (a JSON object with ``schema_version`` and ``article``)
under the outputs folder that no article of the corpus would write. A run removes it
only when it is the corpus's own (see pipeline/state.py); other records are foreign
and left alone unless ``--prune``. Before anything is written, a run refuses to remove
more than ``FEW`` outputs when that is also more than a tenth of them, or to remove
every output (an empty or mistyped ``--corpus``); ``--prune`` allows it.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

# Removals a run makes without --prune whatever the folder's size.
FEW = 3


@dataclass
class Removal:
    """What a run would remove, and what it leaves alone."""

    orphans: list[Path] = field(default_factory=list)  # in path order
    foreign: list[Path] = field(default_factory=list)  # records without an article, not the corpus's
    total: int = 0  # output records in the folder, orphans included

    def too_many(self) -> bool:
        """More than FEW and more than a tenth of the outputs, or every one of them."""
        count = len(self.orphans)
        return (count > FEW and count * 10 > self.total) or (0 < count == self.total)


def plan_removal(outputs: Path, expected: set[str], owned: set[str] | None) -> Removal:
    """Orphans under ``outputs``: records not in ``expected`` and, unless ``owned`` is None, in ``owned``.

    Paths are compared as ``os.fspath`` strings; hidden files and folders are not
    looked at. The folder is walked as strings: on a no-change re-run every output is
    expected, and making, sorting and hashing a Path for each cost more than the rest.
    """
    plan = Removal()
    if not outputs.is_dir():
        return plan
    candidates: list[tuple[list[str], str]] = []
    for dirpath, dirnames, filenames in os.walk(os.fspath(outputs)):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if name.endswith(".json") and not name.startswith("."):
                full = os.path.join(dirpath, name)
                if full in expected:
                    plan.total += 1
                else:
                    candidates.append((full.split(os.sep), full))
    for _, full in sorted(candidates):  # by path parts, as Paths sort
        if not _is_record(full):
            continue
        plan.total += 1
        (plan.orphans if owned is None or full in owned else plan.foreign).append(Path(full))
    return plan


def _is_record(path: str) -> bool:
    """An output of ours: a JSON object with ``schema_version`` and ``article`` (not any JSON file)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO named x.json is never opened
            return False
        with open(path, "rb") as handle:
            record = json.loads(handle.read())
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and "schema_version" in record and "article" in record
