"""spaCy comes in without its command-line package, and that package still works when asked for.

Each probe runs in a fresh interpreter: what matters is the first ``import spacy``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _probe(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return result.stdout.strip()


def test_lazy_spacy_cli_extraction_imports_no_cli_modules() -> None:
    out = _probe(
        "import sys; from pipeline.factories import shared_nlp; doc = shared_nlp()('3 people were killed.'); "
        "print(len(doc), sorted(m for m in sys.modules if m.startswith(('spacy.cli', 'weasel', 'typer', 'requests'))))"
    )
    assert out == "5 []"


def test_lazy_spacy_cli_real_cli_still_imports_afterwards() -> None:
    out = _probe(
        "import pipeline.factories, spacy, spacy.cli; from spacy.cli.download import download; "
        "print(callable(download), callable(spacy.cli.info), type(spacy.info()).__name__)"
    )
    assert out == "True True dict"


def test_lazy_spacy_cli_leaves_spacy_imported_first_untouched() -> None:
    out = _probe("import spacy, sys; import pipeline.factories; import pipeline; "
                 "print('spacy.cli' in sys.modules, pipeline.lazy_spacy_cli._FINDER in sys.meta_path)")
    assert out == "True False"


def test_lazy_spacy_cli_restores_spacys_own_loader() -> None:
    out = _probe("import pipeline.factories, spacy, importlib.resources; "
                 "print(type(spacy.__loader__).__name__, importlib.resources.files('spacy').joinpath('about.py').is_file())")
    assert out == "SourceFileLoader True"
