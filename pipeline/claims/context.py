"""What a sentence says around a claim: actor, cause, time, places and source.

Each finder looks in the claim's clause first (commas before "where", "which",
"while" and the like end a clause), then in the whole sentence. Targets are not
actors: an actor mention right after a target marker ("targeting", "fighting",
"strikes on") or before a target suffix ("-held", "positions") is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims.tokens import Layers
from pipeline.extract.lexicon import LAYERS  # noqa: F401  (documents the layers used here)
from pipeline.normalize.dates import resolve as resolve_time

CLAUSE_OPENERS = frozenset("where which while whereas although though but as after before when who whom".split())
REPORT_PREPOSITIONS = frozenset("on at in".split())
# Words after which a date is when a document appeared, not when people died.
PUBLICATION_WORDS = frozenset("released published dated issued".split())
# Verbs whose "by X" names who carried out an attack ("carried out by", "claimed by").
AGENT_VERBS = frozenset("carried conducted launched fired dropped committed perpetrated claimed waged caused".split())
# How many words of a victim's "of the ..." tail may precede the actor it names ("of the Al Qaeda-linked Nusra Front").
VICTIM_TAIL = 4
# At most this many words ("strikes", "warplanes on Sunday") between a subject and its trigger.
SUBJECT_GAP = 3
# Asides between a counted noun and its "from the X" tail.
VICTIM_TAIL_SKIPS = (("most", "of", "them"), ("mostly",), ("many", "of", "them"), ("all",))
# Words that, between a target marker and an actor, show the actor is not its object:
# "killed in regime airstrikes" (the marker "killed" does not make the regime a target).
MARKER_BREAKS = frozenset("in by during amid after as from with when while".split())


def clause_bounds(doc: Doc, sentence: Span, anchor: int) -> tuple[int, int]:
    """Token range of the clause around ``anchor`` inside ``sentence``."""
    start = sentence.start
    for k in range(anchor - 1, sentence.start, -1):
        if doc[k].text in (";", "—", "–") or (doc[k].text == "," and doc[k + 1].lower_ in CLAUSE_OPENERS):
            start = k + 1
            break
    end = sentence.end
    for k in range(anchor + 1, sentence.end):
        if doc[k].text in (";", "—", "–") or (
            doc[k].text == "," and k + 1 < sentence.end and doc[k + 1].lower_ in CLAUSE_OPENERS
        ):
            end = k
            break
    return start, end


def is_target(doc: Doc, layers: Layers, span: Span) -> bool:
    """True when an actor mention names who was attacked, not who attacked."""
    before = span.start - 1
    if before >= 0 and doc[before].lower_ == "the":
        before -= 1
    if before >= 0 and doc[before].lower_ == "by":
        # "killed by IS" names the killer, but "held by IS" / "controlled by IS" the target.
        return layers.over("target_marker", before) is not None
    for k in range(max(0, span.start - 3), span.start):
        marker = layers.over("target_marker", k)
        if marker is not None and marker.end >= span.start - 2:
            if not any(t.lower_ in MARKER_BREAKS for t in doc[marker.end : span.start]):
                return True
    if before >= 0 and doc[before].text == "(":
        # "an Islamic State (IS) camp": the abbreviation shares its full name's role.
        full = layers.over("actor", before - 1) if before >= 1 else None
        return full is not None and is_target(doc, layers, full)
    after = span.end + 1 if span.end < len(doc) and doc[span.end].text in ("-", "–") else span.end
    if layers.at("target_suffix", after) is not None:
        return True
    # "IS-held": the tokenizer keeps "-held" attached or splits it; both are suffixes.
    return span.end < len(doc) and doc[span.end].text.lower().startswith(("-held", "-controlled", "-besieged"))


def victim_range(doc: Doc, layers: Layers, start: int, noun_end: int) -> tuple[int, int]:
    """Token range of a counted noun phrase, with its "of/from the X" tail.

    "85 Syrian army troops", "30 pro-regime gunmen", "eight members of the Hezbollah
    militia", "23 people most of them from the Ahrar al-Sham group": an actor named
    here is who died, not who killed.
    """
    end = noun_end
    for k in range(start, min(len(doc), noun_end + 2)):
        actor = layers.at("actor", k)
        if actor is not None and k <= noun_end:
            end = max(end, actor.end)
    k = end
    for skip in VICTIM_TAIL_SKIPS:
        if tuple(t.lower_ for t in doc[k : k + len(skip)]) == skip:
            k += len(skip)
            break
    if k < len(doc) and doc[k].lower_ in ("of", "from"):
        k += 1
        if k < len(doc) and doc[k].lower_ == "the":
            k += 1
        for j in range(k, min(len(doc), k + VICTIM_TAIL)):
            actor = layers.at("actor", j)
            if actor is not None:
                return start, actor.end
    return start, end


def _in_ranges(span: Span, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(lo <= span.start < hi for lo, hi in ranges)


@lru_cache(maxsize=1)
def unnamed_actor_ids() -> frozenset[str]:
    """Actor ids marked ``named: false`` in actors.yaml ("terrorists", "gunmen")."""
    return frozenset(k for k, v in rules.load("actors")["actors"].items() if v.get("named") is False)


def is_reporter(doc: Doc, layers: Layers, span: Span) -> bool:
    """True when the mention is who reports the deaths ("the Russian Defence Ministry said").

    A report verb within two words after it ("Syrian state media says"), "according
    to" right before it, or an all-caps dateline ("MOSCOW (Sputnik)").
    """
    for k in range(span.end, min(len(doc), span.end + 3)):
        report = layers.at("report", k)
        if report is not None and report.label_ == "after":
            return True
        if doc[k].is_punct:
            break
    for k in (span.start - 1, span.start - 2):
        report = layers.over("report", k) if k >= 0 else None
        if report is not None and report.label_ == "before" and report.end >= span.start - 1:
            return True
    return False


def _is_dateline(doc: Doc, span: Span) -> bool:
    """ "MOSCOW (Sputnik)": the city the story was filed from."""
    return span.text.isupper() and len(span.text) > 3 and span.end < len(doc) and doc[span.end].text == "("


def _agent_by(doc: Doc, layers: Layers, span: Span) -> bool:
    """ "killed in air strikes by the coalition", "attacks carried out by IS": the doer of the deed.

    Only a "by" that follows a trigger, a cause or an agent verb within four words
    counts: "a town recently captured by Kurdish forces" names who took the town.
    """
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k < 0 or doc[k].lower_ != "by":
        return False
    for j in range(max(0, k - 4), k):
        if layers.over("trigger", j) or layers.over("cause", j) or doc[j].lower_ in AGENT_VERBS:
            return True
    return False


def perpetrators(doc: Doc, layers: Layers, start: int, end: int, victims: Sequence[tuple[int, int]] = ()) -> list[Span]:
    """Actor mentions in tokens [start, end) that may name who killed: no targets, victims, negations."""
    return [
        s
        for s in doc.spans["actor"]
        if start <= s.start
        and s.end <= end
        and not is_target(doc, layers, s)
        and not _negated_compound(doc, s)
        and not _is_dateline(doc, s)
        and not _in_ranges(s, victims)
    ]


def _after_attribution(layers: Layers, span: Span, anchor: int) -> bool:
    """ "killed 24 people, a monitor said, a day after Russia and the US agreed a truce"."""
    return any(
        (r := layers.at("report", k)) is not None and r.label_ == "after" for k in range(anchor + 1, span.start)
    )


def actor_rank(doc: Doc, layers: Layers, span: Span, anchor: int) -> tuple[int, int, int]:
    """Sort key: the doer ("X killed", "killed by X") first, then named actors, then
    reporters, unnamed groups and mentions after the attribution; nearest first."""
    subject = anchor - SUBJECT_GAP <= span.end <= anchor
    if subject or _agent_by(doc, layers, span):
        tier = 0
    elif span.label_ in unnamed_actor_ids() or is_reporter(doc, layers, span) or _after_attribution(layers, span, anchor):
        tier = 2
    else:
        tier = 1
    return tier, abs(span.start - anchor) + (0 if span.start < anchor else 3), span.start


def actor_for(
    doc: Doc, layers: Layers, start: int, end: int, anchor: int, victims: Sequence[tuple[int, int]] = ()
) -> Span | None:
    """The perpetrator mentioned in tokens [start, end), ranked by ``actor_rank``.

    "killed by X" wins outright; otherwise the nearest named mention, preferring one
    before the anchor (the subject of "X killed ..."); who reports the deaths and
    unnamed groups ("terrorists") only when nothing else is named.
    """
    candidates = perpetrators(doc, layers, start, end, victims)
    if not candidates:
        return None
    return min(candidates, key=lambda s: actor_rank(doc, layers, s, anchor))


def cause_for(doc: Doc, start: int, end: int, anchor: int) -> Span | None:
    """The cause mentioned in tokens [start, end), nearest to ``anchor``."""
    candidates = [s for s in doc.spans["cause"] if start <= s.start and s.end <= end]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (abs(s.start - anchor), s.start))


def time_for(
    doc: Doc, layers: Layers, start: int, end: int, anchor: int, published: dt.date | None
) -> tuple[Span, dict[str, str | None]] | None:
    """The time expression of the claim in tokens [start, end), resolved.

    A time right after a report verb ("said on Friday") dates the statement, not
    the deaths, and is skipped.
    """
    best: tuple[int, Span, dict[str, str | None]] | None = None
    for span in doc.spans["time"]:
        if not (start <= span.start and span.end <= end):
            continue
        k = span.start - 1
        while k >= 0 and doc[k].lower_ in REPORT_PREPOSITIONS:
            k -= 1
        if k >= 0 and (layers.over("report", k) is not None or doc[k].lower_ in PUBLICATION_WORDS):
            continue
        interval = resolve_time(span._.time, published)
        value = {
            "text": span.text,
            "start": interval.start.isoformat() if interval else None,
            "end": interval.end.isoformat() if interval else None,
        }
        distance = abs(span.start - anchor)
        if best is None or distance < best[0]:
            best = (distance, span, value)
    return (best[1], best[2]) if best else None
