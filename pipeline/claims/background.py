"""Deaths told as the background of another event: "hundreds marched protesting attacks that
had killed nine villagers", "in retaliation for the killing of two soldiers, troops shelled ...".

Such a figure is a claim like any other (someone says nine died), but not the toll of the
event the article reports: the incident never takes it (README "The incident"). The
phrases that frame it are ``background_markers`` in ``rules/counts.yaml``.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline import rules
from pipeline.extract.tokens import TokenView

# Tokens that end the phrase a marker governs.
CLAUSE_BREAKS = frozenset(", ; : — – - ( ) [ ] . ! ?".split())
# A marker governs at most this many tokens after it.
MAX_SCOPE = 20
# A count this close after a marker is what it names ("justice for the three classmates").
NEAR = 3
# Words that open a relative clause about what a marker names ("attacks that killed nine").
RELATIVE_PRONOUNS = frozenset("that which who whom whose".split())


@lru_cache(maxsize=1)
def _markers() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Marker phrases as word tuples, grouped by their last word."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in rules.load("counts")["background_markers"]:
        words = tuple(str(phrase).lower().split())
        grouped.setdefault(words[-1], []).append(words)
    return {last: tuple(items) for last, items in grouped.items()}


def is_background(view: TokenView, sentence_start: int, count_start: int) -> bool:
    """Whether a marker governs the count: it stands before the count in its sentence with no
    clause break between, and either right before it ("justice for three classmates", "the
    funeral of eight fighters") or with the count in a relative clause or an "of" phrase of
    what it names ("protesting attacks that had killed nine", "in retaliation for the killing
    of two soldiers"). "In retaliation for the shelling rebels fired rockets, killing three"
    reports the retaliation's own dead."""
    lowers, markers = view.lowers, _markers()
    floor = max(sentence_start, count_start - MAX_SCOPE)
    if markers.keys().isdisjoint(lowers[floor:count_start]):
        return False  # no marker ends before the count (most figures): one set test in C
    for k in range(count_start - 1, floor - 1, -1):
        low = lowers[k]
        if low in CLAUSE_BREAKS:
            return False
        for phrase in markers.get(low, ()):
            start = k + 1 - len(phrase)
            if start >= sentence_start and tuple(lowers[start : k + 1]) == phrase:
                between = lowers[k + 1 : count_start]
                return (
                    len(between) <= NEAR
                    or lowers[count_start - 1] == "of"
                    or not RELATIVE_PRONOUNS.isdisjoint(between)
                )
    return False
