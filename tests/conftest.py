"""The only conftest: shared fixtures (spaCy's tests README: no per-directory conftests).

Tests never read or write the working ``corpus/``, ``outputs/``, ``report/`` or
``exports/``: a user adds articles there (and ``make test`` must not change with
them), and a test that wrote there would change the user's data. The seed articles
the tests need are in ``tests/seeds/`` and are copied into a temporary folder. The
tests run from an empty temporary working directory, so a relative ``corpus`` or
``outputs`` (the CLI's defaults) never means the user's; and an audit hook (PEP 578)
watches every file operation of the test process and of the processes it forks on
absolute paths: a test that touches a working folder fails, whatever it catches.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from pipeline.factories import shared_nlp

ROOT = Path(__file__).resolve().parent.parent
# The two seed articles (the same bytes as ../shared/seeds and the committed corpus/).
SEEDS = ROOT / "tests" / "seeds"
# Examples in the rule files resolve against this date, never against today.
REFERENCE_DATE = dt.date(2017, 7, 13)

# --- the working folders are off limits ------------------------------------------

WORKING = tuple(os.fspath(ROOT / name) for name in ("corpus", "outputs", "report", "exports"))
_WATCHED = {"open": 1, "os.listdir": 1, "os.scandir": 1, "os.remove": 1, "os.rmdir": 1, "os.mkdir": 1,
            "os.rename": 2, "os.link": 2, "os.symlink": 2, "os.chmod": 1, "os.truncate": 1, "os.utime": 1,
            "shutil.copyfile": 2, "shutil.rmtree": 1, "os.chdir": 1}
touched: list[str] = []  # what tests did to the working folders, for the check after each test


def working_folder(path: Any) -> str | None:
    """The working folder ``path`` falls in (or is), None for anything else."""
    if isinstance(path, int) or path is None:
        return None
    try:
        full = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None
    return next((folder for folder in WORKING if full == folder or full.startswith(folder + os.sep)), None)


def _guard(event: str, args: tuple[Any, ...]) -> None:
    count = _WATCHED.get(event)
    if count is None:
        return
    for path in args[:count]:
        if working_folder(path) is not None:
            touched.append(f"{event} {os.fsdecode(path)}")
            raise PermissionError(f"tests must not touch the working folders: {event} {os.fsdecode(path)}")


sys.addaudithook(_guard)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Run the tests from an empty folder (after pytest has resolved its paths): a relative
    ``corpus`` or ``outputs`` is never the user's."""
    cwd = tempfile.mkdtemp(prefix="pipeline-tests-cwd-")
    os.chdir(cwd)
    atexit.register(shutil.rmtree, cwd, True)


@pytest.fixture(autouse=True)
def _no_working_folders() -> Any:
    """Fail the test that touched a working folder, even if the code under test caught the error."""
    start = len(touched)
    yield
    assert touched[start:] == [], "a test read or wrote the working corpus/, outputs/, report/ or exports/"


# --- shared fixtures ----------------------------------------------------------------


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The process-wide pipeline, built once for the whole test run."""
    return shared_nlp()


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A corpus folder in tmp_path holding the two seed articles."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(path, corpus / path.name)
    return corpus
