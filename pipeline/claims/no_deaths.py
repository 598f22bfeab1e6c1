"""Statements that nobody died ("no one was killed", "there were no casualties").

Such an article reports no toll, and its incident says so: ``killed.people`` is 0
instead of null (README "The incident"). The phrases are data (``no_deaths`` in
``rules/predicates.yaml``); they are looked for only when no killed claim stands for
the incident, so they cost nothing on the articles that report deaths.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import rules

# Anything but letters and digits separates words ("no-one", "killed.", "casualties,").
_NOT_WORD = re.compile(r"[^\w]+")


def _words(text: str) -> str:
    """Lower-case words, one space between them and one at each end."""
    return " " + _NOT_WORD.sub(" ", text.lower()).strip() + " "


@lru_cache(maxsize=1)
def _phrases() -> tuple[str, ...]:
    return tuple(_words(p) for p in rules.load("predicates")["no_deaths"]["phrases"])


def states_no_deaths(text: str) -> bool:
    """Whether the text says that nobody was killed (or hurt)."""
    words = _words(text)
    return any(phrase in words for phrase in _phrases())
