"""The state of incremental runs, and which outputs a run may remove.

``<outputs>/.extract-state.json`` (git-ignored) records the corpus the outputs came from
(its path relative to the outputs folder, so moving both together keeps it valid) and,
per article, the digests its output depends on: source, sidecar, pipeline, output.

It also says which outputs are this corpus's: a run removes an output only when the
state lists its article and the article is gone. Without a state file (a fresh clone,
a first run) every output record in the folder is taken as the corpus's. A state file
that cannot be read, or an entry that is not an object, is set aside with a warning
line; it never stops a run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import warning
from pipeline.output import write_atomic

STATE_FILE = ".extract-state.json"


@dataclass
class State:
    """What the previous run left: its corpus and its articles' digests."""

    corpus: str | None = None  # the corpus, relative to the outputs folder; None when not recorded
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    found: bool = False  # a readable state file was there
    raw: Any = None  # the file's content as read, to leave it alone when nothing changed


def corpus_key(corpus: Path, outputs: Path) -> str:
    """The corpus as the state records it: its resolved path relative to the outputs folder."""
    return Path(os.path.relpath(corpus.resolve(), outputs.resolve())).as_posix()


def load_state(outputs: Path, lines: list[str]) -> State:
    """The previous run's state; problems with it become warning lines, never failures."""
    path = outputs / STATE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    except (OSError, UnicodeDecodeError) as exc:
        lines.append(f"{path.as_posix()}: {warning('W106', reason=_reason(exc))}")
        return State()
    try:
        raw = json.loads(text)
    except ValueError as exc:
        lines.append(f"{path.as_posix()}: {warning('W106', reason=str(exc).splitlines()[0])}")
        return State()
    if not isinstance(raw, dict) or not isinstance(raw.get("articles"), dict):
        lines.append(f"{path.as_posix()}: {warning('W106', reason='no articles object')}")
        return State()
    articles: dict[str, dict[str, Any]] = {}
    for rel, entry in raw["articles"].items():
        if isinstance(entry, dict):
            articles[rel] = dict(entry)  # a copy: ``raw`` must stay as read, to tell whether anything changed
        else:
            lines.append(f"{path.as_posix()}: {warning('W105', rel=rel)}")
    corpus = raw.get("corpus")
    return State(corpus if isinstance(corpus, str) else None, articles, True, raw)


def save_state(outputs: Path, state: State, corpus: str, live: set[str]) -> None:
    """Write the state of the articles still in the corpus, flushed to disk; skipped when unchanged.

    Raises:
        OSError: the file could not be written (the caller reports it as E109).
    """
    content = {"articles": {rel: entry for rel, entry in state.articles.items() if rel in live}, "corpus": corpus}
    if content == state.raw:  # a no-change re-run rewrites (and flushes) nothing
        return
    write_atomic(outputs / STATE_FILE, json.dumps(content, indent=1, sort_keys=True) + "\n", durable=True)
    state.raw = content


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else None) or type(exc).__name__
