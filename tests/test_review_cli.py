"""The review subcommands stay off the extraction path; what they generate stays out of git."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.review_helpers import ROOT


def test_review_cli_extract_start_up_does_not_load_review_tools() -> None:
    probe = ("import sys; from pipeline.cli import _parser; _parser().parse_args(['extract']); "
             "print(sorted(m for m in sys.modules if m.startswith(('pipeline.review', 'duckdb'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("path", ["report/index.html", "report/articles/a.html", "exports/claims.csv",
                                  "exports/claims.duckdb"])
def test_review_cli_generated_files_are_not_committed(path: str) -> None:
    result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, check=False)
    assert result.returncode == 0, f"{path} should be git-ignored"
