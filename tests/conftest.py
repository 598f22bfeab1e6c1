"""The only conftest: shared fixtures (spaCy's tests README: no per-directory conftests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.factories import shared_nlp

ROOT = Path(__file__).resolve().parent.parent
# Examples in the rule files resolve against this date, never against today.
REFERENCE_DATE = dt.date(2017, 7, 13)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The process-wide pipeline, built once for the whole test run."""
    return shared_nlp()


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT
