"""The suite keeps off the user's working folders: tests/conftest.py's guard is active."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import conftest


@pytest.mark.parametrize("name", ["corpus", "outputs", "report", "exports"])
def test_working_folders_cannot_be_read_or_written_by_a_test(root: Path, name: str) -> None:
    start = len(conftest.touched)
    with pytest.raises(PermissionError, match="must not touch the working folders"):
        os.listdir(root / name)
    with pytest.raises(PermissionError):
        (root / name / "x.json").write_text("{}", encoding="utf-8")
    with pytest.raises(PermissionError):
        (root / name / "x.txt").read_bytes()
    assert len(conftest.touched) == start + 3  # what the check after each test would fail on
    del conftest.touched[start:]


def test_working_folders_relative_paths_are_not_the_users(root: Path) -> None:
    # The CLI's defaults (corpus, outputs, report, exports) are relative: from the tests'
    # working directory they name nothing of the user's.
    assert all(not Path(name).resolve().is_relative_to(root) for name in ("corpus", "outputs", "report", "exports"))
