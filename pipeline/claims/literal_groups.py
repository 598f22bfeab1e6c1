"""Many plain substrings tested against one sentence, grouped behind the strings they share.

Why: a sentence's running-total test looks for a few dozen phrases ("since the start",
"since the outbreak", "war began", ...) as plain substrings of its lower case, and a
substring scan costs the same whether it finds anything or not. Most phrases share a
word ("since", "war", "conflict"): a sentence without that word holds none of them, so
one scan for the shared word stands for the whole group. The answer is the same as
scanning every phrase (a phrase holds its group's key, so a text without the key cannot
hold the phrase); only the number of scans changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Shared pieces shorter than this ("the", "has", "all") are held by most sentences: no use as a key.
MIN_KEY = 4


@dataclass(frozen=True)
class LiteralGroups:
    """Phrases grouped under a key each of them contains (a phrase alone is its own key)."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> "LiteralGroups":
        """Greedy grouping: the whitespace-free piece held by the most phrases left becomes a
        key, its phrases a group; then the next. Deterministic: ties go to the longer piece,
        then the alphabetically first."""
        left = list(dict.fromkeys(phrases))
        groups: list[tuple[str, tuple[str, ...]]] = []
        while left:
            pieces = sorted({piece for phrase in left for piece in phrase.split() if len(piece) >= MIN_KEY})
            best = max(pieces, key=lambda p: (sum(p in phrase for phrase in left), len(p), [-ord(c) for c in p]),
                       default=None)
            members = tuple(phrase for phrase in left if best is not None and best in phrase)
            if best is None or len(members) < 2:
                groups.extend((phrase, (phrase,)) for phrase in left)
                break
            groups.append((best, members))
            left = [phrase for phrase in left if phrase not in members]
        return cls(tuple(groups))

    def found_in(self, text: str) -> bool:
        """Whether ``text`` holds one of the phrases as a substring."""
        for key, members in self.groups:
            if key in text and (len(members) == 1 or any(map(text.__contains__, members))):
                return True
        return False
