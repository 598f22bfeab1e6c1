"""The article's main incident, as an ACLED/FA-KES-style row.

How it is chosen (README "The incident"):
1. The main claim is a "killed" claim that is not a running total, not background and
   not in a side story or an embedded post (``eligible``; rules/scope.yaml). Among the
   claims in the lead (the first LEAD_SENTENCES body sentences) the first precise one
   wins (exact, at least, more than, a range), then the first approximate one; a lead
   of vague tolls only ("several people") yields to a precise toll of the same group
   later in the body; failing that, the first such claim anywhere in the body, then the
   title's; failing all, the running total of one campaign, never of the whole war.
   A later toll of the lead worded as a toll ("the death toll has reached 30") that is
   larger and covers the main group updates it; a larger title toll of a group that
   covers it is the aggregate ("Nine people killed" over "Six civilians were killed"),
   and the main claim becomes its part.
2. ``killed`` takes the main claim's figure under its group, its sub-counts
   ("including 82 children"), and other groups killed in the same sentence. When no
   civilian or people total is given, civilians are the sum of the civilian parts
   (women, children, men, professions such as rescue workers).
   Parts still missing come from the parts the main claim stands above, from a
   breakdown: one of the next BREAKDOWN_SENTENCES body sentences that points back to
   the toll or attack ("among the dead", "the attack killed 15 civilians and 27
   fighters", "18 of the dead were rebels") and opens no other story ("Meanwhile"), or
   the same toll told again later with its sub-counts, and from the title's tolls of
   other groups; a breakdown's civilians count only when it says "civilians" ("seven
   students" are a part of them). A people total with its fighters known leaves
   civilians unknown (the text does not say whether the rest were all civilians) unless
   the text lists every part. A range counts as its upper bound; a body toll of
   "people" takes the group of a title toll with the same figure. ``total`` is the
   incident's death toll.
3. actor, cause and location come from the main claim (for a title aggregate, its
   parts first, except for the place), else from the other killed claims of the lead,
   else from the title and lead sentences themselves, side stories excepted (for the
   actor: the best-ranked perpetrator, victims of any counted figure excluded; sentences
   that open another story lend none). An actor that is none or unnamed ("gunmen") gives
   way to a group that claims the attack in the body ("X claimed responsibility").
   The cause of a title toll equal to the main one comes first unless vague; after the
   claims, "the attack" takes the cause named in the sentence before it. The cause
   then falls back to the next CAUSE_FOLLOW_SENTENCES body sentences that open no
   other story, and last to combat words in the main sentence ("clashes": ground_fighting,
   which also beats the title's weapon when the main claim's sentence tells of it); the
   location to the most-named admin1 place of the rest of the body; a claim's place
   in a country the title does not name is skipped as a homonym.
4. ``date`` is the day the main claim gives (else the day of its parts or of the lead's
   other tolls), else the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims import scope, sentence_aside, war_total_markers
from pipeline.claims.context import (
    CHEMICAL,
    DELIVERIES,
    GROUND_FIGHTING,
    VAGUE_CAUSES,
    actor_id,
    actor_json,
    actor_rank,
    after_earlier_event,
    claimed_by,
    combat,
    in_doer_role,
    victim_sides,
    named_as_doer,
    payload_of,
    perpetrators,
    unnamed_actor_ids,
    victim_range,
    victim_tokens,
)
from pipeline.claims.model import Claim, Count
from pipeline.claims.no_deaths import states_no_deaths
from pipeline.claims.places import PlaceContext
from pipeline.normalize.places import Place, country_of_demonym, country_place
from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import sentence_bounds, span_values, spans_of, token_view
from pipeline.extract.times import TimeMatch, find_times
from pipeline.normalize.dates import resolve as resolve_time

LEAD_SENTENCES = 3
BREAKDOWN_SENTENCES = 5
# Slots a breakdown does not fill: the people total is the main claim's own.
BREAKDOWN_SKIPS = ("people",)
CAUSE_FOLLOW_SENTENCES = 3
# Words by which a toll's sentence refers back to an attack named before it.
ATTACK_ANAPHORS = ("the attack", "the attacks", "this attack", "the incident")
# Groups a title may lend to a body toll that only says "people".
TITLE_GROUPS = ("civilians", "fighters")
PRECISE = ("exact", "at_least", "more_than", "range")
GROUP_SLOTS = {"civilians": "civilians", "children": "children", "women": "women", "fighters": "fighters", "people": "people"}


def _whole_words(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Phrases framed by spaces, to look for whole words in ``_framed`` / ``_words`` text
    (framed once here, not once per sentence and phrase)."""
    return tuple(f" {p} " for p in phrases)


_BACK_REFERENCE_WORDS = _whole_words(scope.back_references())
# Words of a toll statement ("the death toll has reached 30", "the number of dead rose to 30").
_TOLL_WORDS = _whole_words(("toll", "number of dead", "number of deaths", "number of people killed",
                            "number of those killed", "number of victims"))
# A figure of the dead and the wounded together.
_KILLED_OR_INJURED = _whole_words(tuple(f"{a} {j} {b}" for a in ("killed", "dead") for j in ("and", "or", "&")
                                        for b in ("injured", "wounded")) + ("killed injured", "dead injured",
                                        "killed wounded", "dead wounded", "killed, injured", "dead, wounded",
                                        "killed, wounded", "dead, injured", "casualties"))
# Words by which a later sentence points back to the incident whose dead it adds to.
ADDITION_REFERENCES = scope.back_references() + (
    "the fighting", "the clashes", "the clash", "the exchange of fire", "the gunfight", "the firefight", "the ambush",
    "the assault", "the battle", "the operation", "the shootout", "the gun battle")
_ADDITION_REFERENCE_WORDS = _whole_words(ADDITION_REFERENCES)
_ATTACK_ANAPHOR_WORDS = _whole_words(ATTACK_ANAPHORS)


def _figure(count: Count) -> int | None:
    """The one number a count stands for in the incident row. A range ("between 500 and
    1,300 people") stands for its upper bound, as VDC/FA-KES code a reported range; the
    claim itself keeps both bounds."""
    value = count.value
    if value.qualifier == "range" and value.high is not None:
        return value.high
    for candidate in (value.value, value.low, value.high):
        if candidate is not None:
            return candidate
    return None


class _Sentence(NamedTuple):
    """A sentence's token and character offsets: all the incident reads of a sentence.
    A Span costs about a microsecond to make, and an article has dozens of sentences."""

    start: int
    end: int
    start_char: int
    end_char: int


def _split_sentences(doc: Doc, layers: Layers, title_end: int) -> tuple[list[_Sentence], list[_Sentence]]:
    """The title's sentences and the body's non-blank ones.

    From the recorded sentence bounds and token view (doc.sents and Span.text build
    Token objects for every token of every sentence). A sentence is blank when all its
    tokens are (its text is theirs and the spaces between them).
    """
    texts, starts = layers.view.texts, layers.view.starts
    title: list[_Sentence] = []
    body: list[_Sentence] = []
    for start, end in sentence_bounds(doc):
        start_char = starts[start]
        if start_char < title_end:
            title.append(_new_sentence(_Sentence, (start, end, start_char, starts[end - 1] + len(texts[end - 1]))))
        elif not (texts[start].isspace() and all(map(str.isspace, texts[start:end]))):  # the first word decides, mostly
            # view.end_char, inline
            body.append(_new_sentence(_Sentence, (start, end, start_char, starts[end - 1] + len(texts[end - 1]))))
    return title, body


# A NamedTuple's own constructor is a Python function (its keyword handling costs ~0.2 us a
# call); the tuple made from the four fields in order is the same object, built in C.
_new_sentence = tuple.__new__


class MainChoice(NamedTuple):
    """The main claim and the claims it stands above: the first toll of the lead when the
    title gives the aggregate ("Nine people killed" over "Six civilians were killed ...")
    or a later toll updates it ("... bringing the death toll to 30")."""

    main: Claim | None
    parts: list[Claim]


def eligible(claim: Claim) -> bool:
    """A killed claim that may stand for the main incident: one event's toll (or a period's),
    not a running total, not background, not in a side story or an embedded post."""
    return (claim.predicate == "killed" and (not claim.cumulative or claim.toll_update)
            and claim.scope != "background" and not claim.aside)


def choose_main(claims: list[Claim], lead_end: int) -> MainChoice:
    """The claim that stands for the article's main incident (see module docstring)."""
    killed = [c for c in claims if eligible(c)]
    # "Around twenty civilians and one staff member were killed": the figures after the first
    # that share its verb are added to it, they do not stand for the incident.
    firsts = {(c.evidence_start, c.trigger_start): c for c in reversed(killed)}
    killed = [c for c in killed if firsts[(c.evidence_start, c.trigger_start)] is c]
    body = [c for c in killed if c.section == "body"]
    lead = [c for c in body if c.evidence_start < lead_end]
    title = [c for c in killed if c.section == "title"]
    main = None
    for pool in (lead, body, title):
        main = _first_toll(pool, body if pool is lead else [])
        if main is not None:
            break
    if main is None:
        return MainChoice(_campaign_total(claims), [])
    parts: list[Claim] = []
    update = _toll_update(main, lead)
    if update is not None:
        main = update
    aggregate = _title_aggregate(main, title, body)
    if aggregate is not None:
        parts = [main]
        main = aggregate
    return MainChoice(main, parts)


def _first_toll(pool: list[Claim], later: list[Claim]) -> Claim | None:
    """The first precise toll of a pool, else its first toll that is not vague; a pool of
    vague tolls only ("several people were killed") yields to a precise toll of the same
    group further down the body (``later``) that is at least the vague lower bound."""
    precise = next((c for c in pool if c.count.value.qualifier in PRECISE), None)
    if precise is not None:
        return precise
    firm = next((c for c in pool if c.count.value.qualifier != "vague"), None)
    if firm is not None or not pool:
        return firm
    vague = pool[0]
    floor = vague.count.value.low or 0
    return next(
        (c for c in later if c.evidence_start > vague.evidence_start and c.count.value.qualifier in PRECISE
         and (_figure(c.count) or 0) >= floor and (_covers(c.group, vague.group) or _covers(vague.group, c.group))),
        vague,
    )


def aggregate_group(claim: Claim) -> str:
    """The group of a toll that may stand as the aggregate: a bare figure ("Airstrike kills
    18", whose group was guessed from a word before it) counts people."""
    return claim.group if claim.group_text else "people"


def _killed_or_injured(claim: Claim) -> bool:
    """ "19 Killed and Injured", "48 dead, wounded": one figure for the dead and the wounded
    together, which is no death toll."""
    at = claim.count_end - claim.evidence_start
    after = _framed(claim.evidence_text[at : at + 60])
    return any(w in after for w in _KILLED_OR_INJURED)


def _covers(outer: str, inner: str) -> bool:
    """Whether a toll of group ``outer`` counts the dead of group ``inner`` among others:
    people count everyone, civilians their women, children, men and named civilian groups
    ("aid workers"), and every group itself."""
    if outer == inner or outer == "people":
        return True
    return outer == "civilians" and inner not in ("people", "fighters", "events")


def _toll_update(main: Claim, lead: list[Claim]) -> Claim | None:
    """A later toll of the lead that updates the main one: "the death toll ... has reached N",
    worded as a toll ("toll", "number of dead"), of a group that covers the main claim's,
    larger than it."""
    figure = _figure(main.count) or 0
    worded: dict[int, bool] = {}  # by sentence: a sentence of thousands of figures is framed once

    def toll_worded(claim: Claim) -> bool:
        found = worded.get(claim.evidence_start)
        if found is None:
            framed = _framed(claim.quote)
            found = worded[claim.evidence_start] = any(w in framed for w in _TOLL_WORDS)
        return found

    return next(
        (c for c in lead if c.evidence_start >= main.evidence_start and c is not main and c.rule == "killed.toll"
         and (c.scope == "incident" or c.toll_update) and c.count.value.qualifier != "vague"
         and (_figure(c.count) or 0) > figure and _covers(c.group, main.group) and toll_worded(c)),
        None,
    )


def _title_aggregate(main: Claim, title: list[Claim], body: list[Claim]) -> Claim | None:
    """The aggregate toll a title gives over the part the body opens with ("Nine people
    killed" over "Six civilians were killed ..."): a firm title toll, larger than the main
    one, of a group that covers it. The same figure told in the body stands for it (its
    sentence names place and time), else the title's own claim."""
    if main.section != "body":
        return None
    figure = _figure(main.count) or 0
    aggregate = next(
        (t for t in title if t.count.value.qualifier in PRECISE and (_figure(t.count) or 0) > figure
         and _covers(aggregate_group(t), main.group) and not _killed_or_injured(t)),
        None,
    )
    if aggregate is None:
        return None
    total = _figure(aggregate.count)
    told = next((c for c in body if _figure(c.count) == total and c.group in (aggregate.group, "people")
                 and c.count.value.qualifier != "vague"), None)
    return told or aggregate


def _campaign_total(claims: list[Claim]) -> Claim | None:
    """With no single toll, the running total of the campaign the article is about
    ("Over 750 people have so far been killed in the ongoing bombing campaign on the city"),
    never the whole war's ("more than 320,000 people have been killed since 2011"), nor an
    earlier event's cited as background, nor a side story's."""
    for claim in claims:
        if (claim.predicate == "killed" and claim.cumulative and claim.section == "body" and not claim.war_total
                and claim.scope != "background" and not claim.aside):
            words = _framed(claim.quote)
            if not any(f" {marker}" in words for marker in war_total_markers()):
                return claim
    return None


def _adds_up(main: Claim, other: Claim) -> bool:
    """Whether another figure of the main claim's sentence counts other dead of the same slot:
    one verb for both ("Three soldiers and five rebels were killed"), fighters of the other side,
    or "also" before its own ("... and six militants were also killed"); not a part ("two of the wounded died") nor a
    headline glued to the lead that repeats the toll."""
    if other.cumulative or _is_partitive(other) or _figure(other.count) is None:
        return False
    if other.trigger_start == main.trigger_start:
        return True
    sides = _side(main), _side(other)
    if main.group == other.group == "fighters" and None not in sides and sides[0] != sides[1]:
        return True  # "Two soldiers were killed, and the army said 18 militants died"
    at = max(other.count_end - other.evidence_start, 0)  # sliced, not copied to the end: a sentence may be 300,000 characters
    between = _framed(main.evidence_text[at : at + 60])
    return other.count_start > main.count_end and " also " in between


_NON_SPACE = re.compile(r"\S")


def _is_partitive(claim: Claim) -> bool:
    """ "two of the wounded died", "14 of them": a part of people counted elsewhere."""
    # The words after the count, without copying the rest of the sentence (it may be
    # 300,000 characters): the first non-space character on, as far as the longest phrase.
    word = _NON_SPACE.search(claim.evidence_text, max(claim.count_end - claim.evidence_start, 0))
    after = claim.evidence_text[word.start() : word.start() + 9] if word else ""
    return after.lower().startswith(("of the ", "of them", "of those ", "of whom"))


def _add(killed: dict[str, int | None], slot: str | None, figure: int | None) -> None:
    """Add the dead of another group of the same incident to their slot and to the aggregate."""
    if slot is None or figure is None:
        return
    killed[slot] = (killed[slot] or 0) + figure
    if slot != "people" and killed["people"] is not None:
        killed["people"] += figure


def _killed(
    main: Claim | None, claims: list[Claim], breakdown: list[Claim] = (), added: list[Claim] = ()
) -> dict[str, int | None]:
    killed: dict[str, int | None] = dict.fromkeys(("civilians", "children", "women", "fighters", "people", "total"))
    if main is None:
        return killed
    main_slot = slot = GROUP_SLOTS.get(_main_group(main, claims))
    if slot:
        killed[slot] = _figure(main.count)
    for group, count in main.includes:
        slot = GROUP_SLOTS.get(group)
        if slot and killed[slot] is None:
            killed[slot] = _figure(count)
    # Slots holding figures told as claims of their own, not as sub-counts; none for a main
    # claim of a group without a slot ("a journalist, two paramedics and a boy").
    told = {main_slot} if main_slot else set()
    named = 0  # people of named groups told beside the main figure ("a journalist and two aid workers")
    for other in claims:
        if other is main or other.predicate != "killed" or other.evidence_start != main.evidence_start:
            continue
        slot = GROUP_SLOTS.get(other.group)
        if slot is None and main_slot is None and _adds_up(main, other):
            named += _figure(other.count) or 0
        elif slot and killed[slot] is None:
            killed[slot] = _figure(other.count)
            told.add(slot)
        elif slot in told and _adds_up(main, other):
            # "Three soldiers and five rebels were killed": two figures of one slot add up.
            killed[slot] = (killed[slot] or 0) + (_figure(other.count) or 0)
    for other in added:
        _add(killed, GROUP_SLOTS.get(other.group), _figure(other.count))
    total = _figure(main.count)
    for part in breakdown:
        for group, count in [(part.group, part.count)] + list(part.includes):
            slot = GROUP_SLOTS.get(group)
            if (slot == "civilians" and "civilian" not in (part.group_text or "").lower()
                    and (count is part.count or part.group == "civilians")):
                # "killing seven students", "a man and his young daughter" (and the daughter of
                # that list): parts of the civilians, not their total.
                continue
            figure = _figure(count)
            if slot and slot not in BREAKDOWN_SKIPS and killed[slot] is None and figure is not None and (total is None or figure <= total):
                killed[slot] = figure
    if killed["civilians"] is None and killed["people"] is None:
        killed["civilians"] = _civilians_by_parts(main, killed, named)
    elif killed["civilians"] is None:
        killed["civilians"] = _civilians_enumerated(killed)
    killed["total"] = _total(main, killed)
    return killed


def _civilians_enumerated(killed: dict[str, int | None]) -> int | None:
    """Civilians of a people total whose parts the text lists in full: "18 killed" over
    "killed 17 militants and a child" makes one civilian. Only when fighters and the
    civilian parts add up to the total exactly: the rest of a total is never assumed civilian."""
    parts = [v for v in (killed["women"], killed["children"]) if v is not None]
    if not parts or killed["fighters"] is None:
        return None
    return sum(parts) if killed["fighters"] + sum(parts) == killed["people"] else None


def _total(main: Claim, killed: dict[str, int | None]) -> int | None:
    """The incident's death toll: the people total, else the sum of its disjoint parts
    (civilians + fighters), else the main figure whatever its group ("five aid workers")."""
    if killed["people"] is not None:
        return killed["people"]
    if killed["civilians"] is not None or killed["fighters"] is not None:
        return (killed["civilians"] or 0) + (killed["fighters"] or 0)
    return _figure(main.count)


def _killed_or_none(
    layers: Layers, main: Claim | None, claims: list[Claim], parts: tuple[list[Claim], list[Claim]]
) -> dict[str, int | None]:
    """``killed`` of the main claim; with none, 0 people when the text says nobody died
    ("no one was killed", "no casualties"), where null means that it says nothing."""
    killed = _killed(main, claims, *parts)
    if main is None and states_no_deaths(layers.view.text):
        killed["people"] = killed["total"] = 0
    return killed


def _parts_and_additions(
    doc: Doc, layers: Layers, main: Claim | None, breakdown: list[Claim], claims: list[Claim], body: list[_Sentence]
) -> tuple[list[Claim], list[Claim]]:
    """The breakdown of the main toll and the dead added to it; an addition is no breakdown."""
    added = added_claims(doc, layers, main, claims, body)
    return [c for c in breakdown if all(c is not a for a in added)], added


def _title_tolls(main: Claim, claims: list[Claim]) -> list[Claim]:
    """The title's killed claims with the main body claim's figure: the same dead, told by
    the headline (which the group and cause of the incident may borrow from)."""
    figure = _figure(main.count)
    if main.section != "body" or figure is None:
        return []
    return [c for c in claims if c.section == "title" and c.predicate == "killed" and _figure(c.count) == figure]


def _main_group(main: Claim, claims: list[Claim]) -> str:
    """The main claim's group, made precise by the title when the body says only "people"
    ("34 of his comrades" under "34 Terrorists Killed", "35 Daesh (outlawed in Russia)
    militants" under "Kurdish-Led Forces Kill 35 Daesh Militants"): a title toll with the
    main figure and a civilian or fighter group names the same dead. A title's own bare
    figure counts people (``aggregate_group``)."""
    if main.section == "title":
        return aggregate_group(main)
    if main.group != "people":
        return main.group
    return next((c.group for c in _title_tolls(main, claims) if c.group in TITLE_GROUPS), main.group)


def breakdown_claims(doc: Doc, layers: Layers, main: Claim | None, claims: list[Claim],
                     body: list[_Sentence]) -> list[Claim]:
    """Later killed claims that break the main toll down ("Twelve children and 11 fighters were
    among the dead", "the attack killed 15 civilians and 27 fighters", "17 people were killed in
    the attack, among them 13 police officers"). Only the sentences after the main claim's, up to
    BREAKDOWN_SENTENCES of them, that point back to the toll or the attack and do not open
    another story ("Meanwhile ...")."""
    if main is None or main.section != "body":
        return []
    total = _figure(main.count)
    after = [s for s in body if s.start_char > main.evidence_start][:BREAKDOWN_SENTENCES]
    # The same toll told again further down ("at least 17 people were killed in the attack,
    # among them 13 police officers") lends its sub-counts wherever it stands.
    found = [
        c for c in claims
        if c is not main and c.section == "body" and c.predicate == "killed" and not c.cumulative
        and c.evidence_start > main.evidence_start and c.group == main.group and c.includes
        and total is not None and _figure(c.count) == total
    ]
    for sentence in after:
        # The sentence's killed claims first: most sentences hold none, and then its
        # words need not be searched for back-references.
        inside = [
            claim for claim in claims
            if claim.predicate == "killed"
            and not claim.cumulative
            and sentence.start_char <= claim.evidence_start < sentence.end_char
            and (total is None or (_figure(claim.count) or 0) <= total)
        ]
        if not inside:
            continue
        words = _words(doc, sentence)
        if _other_story(layers, sentence) or not any(w in words for w in _BACK_REFERENCE_WORDS):
            continue
        found.extend(inside)
    return found


def _side(claim: Claim) -> str | None:
    words = (claim.group_text or "").lower().split()
    return victim_sides().get(words[-1]) if words else None


def added_claims(doc: Doc, layers: Layers, main: Claim | None, claims: list[Claim],
                 body: list[_Sentence]) -> list[Claim]:
    """Later killed claims that add other dead to the main toll: "Two policemen were killed ...
    Six militants were also killed in the exchange of fire", "Seven soldiers were killed ... The
    army said 15 attackers were killed in the fighting". Only in the next BREAKDOWN_SENTENCES body
    sentences, in a sentence that points back to the incident (ADDITION_REFERENCES), opens no
    other story and names no other place than the main claim's, and only for the other side:
    fighters of the other side than the main claim's, fighters against civilians or the reverse,
    or anyone "also" killed next to a toll of people. A later figure of the main claim's own kind
    is a part or a restatement of it, never an addition."""
    if main is None or main.section != "body":
        return []
    after = [s for s in body if s.start_char > main.evidence_start][:BREAKDOWN_SENTENCES]
    if not after:
        return []
    places = {loc.get("name") for loc in main.locations}
    main_kind = _kind(main.group)
    found: list[Claim] = []
    for claim in claims:
        if (claim.predicate != "killed" or claim.cumulative or claim.scope == "background" or claim.section != "body"
                or _is_partitive(claim)
                or not after[0].start_char <= claim.evidence_start < after[-1].end_char):
            continue
        if places and any(loc.get("name") not in places for loc in claim.locations):
            continue
        sentence = next(s for s in after if s.start_char <= claim.evidence_start < s.end_char)
        words = _words(doc, sentence)
        if " among " in words or _other_story(layers, sentence) or not any(
            w in words for w in _ADDITION_REFERENCE_WORDS
        ):
            continue
        kind = _kind(claim.group)
        if main_kind == "people":
            other = " also " in words and kind != "people"
        elif main_kind == kind == "fighters":
            sides = _side(main), _side(claim)
            other = None not in sides and sides[0] != sides[1]
        else:
            other = kind not in ("people", main_kind)
        if other:
            found.append(claim)
    return found


def _kind(group: str) -> str:
    """fighters, people, or civilians for every civilian group (women, children, men, trades)."""
    return group if group in ("fighters", "people") else "civilians"


def _framed(text: str) -> str:
    """Lower-case words of a text, one space between them and one at each end, so that
    " the attack " finds whole words only."""
    return " " + " ".join(text.lower().split()) + " "


def _words(doc: Doc, sentence: _Sentence) -> str:
    """The sentence's lower-case tokens, space-joined and space-framed, from the token view."""
    lowers = token_view(doc).lowers
    return " " + " ".join(lowers[sentence.start : sentence.end]) + " "


def _other_story(layers: Layers, sentence: _Sentence) -> bool:
    """Whether a sentence opens another story than the main incident ("Meanwhile ...",
    rules/scope.yaml) or holds an embedded post; answered once per sentence (the claims
    of the sentence asked already, ``pipeline.claims.sentence_aside``)."""
    return sentence_aside(layers, sentence.start, sentence.start_char, sentence.end_char)


def _civilians_by_parts(main: Claim, killed: dict[str, int | None], named: int = 0) -> int | None:
    """Civilians when only their parts are named: "killing three women", "one woman and one child",
    "five rescue workers", "19 men executed", "a journalist and two aid workers" (``named``: the
    other named groups of the main figure's verb). Women, children, unarmed men and the
    professions of victims.yaml's "other" group are civilians in VDC/FA-KES coding; fighters are not."""
    parts = [killed["women"], killed["children"], named or None]
    if main.group not in GROUP_SLOTS or main.group == "men":
        parts.append(_figure(main.count))
    present = [p for p in parts if p is not None]
    return sum(present) if present else None


def combat_cause(sentence_text: str) -> dict[str, str] | None:
    """The cause of deaths "in clashes" when nothing names a weapon (causes.yaml ``combat``)."""
    cause_id, words = combat()
    for word in sentence_text.split():
        if word.lower().strip(".,;:\"'()") in words:
            return {"text": word.strip(".,;:\"'()"), "id": cause_id}
    return None


def _title_cause(main: Claim | None, claims: list[Claim]) -> dict[str, str] | None:
    """The cause of a title toll equal to the main one ("11 children among 18 dead in Syria car
    bombings"): the title is the editor's summary of the incident, while a lead may carry
    glued related headlines with their own causes ("18 dead as air raid hits school").
    A vague title word ("Aleppo Bombing": from the air or a planted bomb?) does not decide."""
    if main is None:
        return None
    return next(
        (c.cause for c in _title_tolls(main, claims) if c.cause and c.cause["text"].lower() not in VAGUE_CAUSES),
        None,
    )


# A sentence whose speaker goes on from the one before ("... reported a new barrel bomb attack
# on the district. It said five civilians were killed"): its toll is of the attack just told.
_SPEAKER_GOES_ON = tuple(f" {who} {verb} " for who in ("it", "he", "she", "they")
                         for verb in ("said", "says", "added", "reported"))


def _cause_referred_to(doc: Doc, main: Claim, body: list[_Sentence]) -> dict[str, str] | None:
    """The cause of "the attack" a main claim refers back to: the one nearest the end of the
    sentence before it ("... in response to an alleged chemical weapons attack near Damascus.
    Washington blames the government for the attack which it says killed 1,400 people")."""
    words = _framed(main.quote)
    if main.section != "body" or not (any(w in words for w in _ATTACK_ANAPHOR_WORDS)
                                      or words.startswith(_SPEAKER_GOES_ON)):
        return None
    before = [s for s in body if s.end_char <= main.evidence_start][-1:]
    if not before:
        return None
    spans = [c for c in spans_of(doc, "cause") if before[0].start <= c.start < before[0].end]
    return {"text": spans[-1].text, "id": spans[-1].label_} if spans else None


def _chemical_told(doc: Doc, layers: Layers, sentences: list[_Sentence]) -> Span | None:
    """The first chemical agent these sentences name as what a delivery carried ("warplanes
    releasing toxic gas", "chlorine barrel bombs"); an attack named after its agent elsewhere
    ("a raid on the town, site of a chemical attack last week") tells of another event."""
    victims = victim_tokens(doc, layers)
    for sentence in sentences:
        spans = [s for s in layers.within("cause", sentence.start, sentence.end) if s.start not in victims]
        for span in spans:
            if span.label_ == CHEMICAL and not after_earlier_event(layers, span) and any(
                    d.label_ in DELIVERIES and payload_of(layers, span, d) for d in spans):
                return span
    return None


def _first_free_span(doc: Doc, layers: Layers, layer: str, spans: list[_Sentence]) -> Span | None:
    """The first span of a layer in these sentences, counted noun phrases excepted
    ("killing 30 pro-regime gunmen" names victims, not gunfire)."""
    victims = victim_tokens(doc, layers)
    for sentence in spans:
        for span in spans_of(doc, layer):
            if sentence.start <= span.start < sentence.end and span.start not in victims \
                    and not after_earlier_event(layers, span):
                return span
    return None


def _dead_sides(doc: Doc, layers: Layers, tolls: list[Claim]) -> frozenset[str]:
    """The actor id of the one side whose members the tolls count ("at least 20 members of IS",
    "100 ISIL terrorists killed"); none when no side or both sides are counted."""
    sides = {
        actor_id(layers, span) or span.label_
        for claim in tolls if claim.predicate == "killed"
        for lo, hi in [victim_range(doc, layers, claim.token_start, claim.token_end)]
        for span in layers.within("actor", lo, hi)
    }
    return frozenset(sides) if len(sides) == 1 else frozenset()


def _first_actor(doc: Doc, layers: Layers, sentences: list[_Sentence],
                 dead: frozenset[str] = frozenset()) -> Span | None:
    """The best-ranked perpetrator of the first sentence that names one (victims and the
    side the toll counts excluded)."""
    victims = victim_tokens(doc, layers)
    for sentence in sentences:
        if _other_story(layers, sentence):
            continue
        found = [s for s in perpetrators(doc, layers, sentence.start, sentence.end, victims)
                 if (actor_id(layers, s) or s.label_) not in dead and in_doer_role(doc, layers, s) and _tied_to_violence(doc, layers, s, sentence)
                 and not after_earlier_event(layers, s)]
        if found:
            return min(found, key=lambda s: actor_rank(doc, layers, s, sentence.start))
    return None


# How near a lead mention must stand to a killing, a cause or an attack word to be the doer.
VIOLENCE_REACH = 4


@lru_cache(maxsize=1)
def attack_words() -> frozenset[str]:
    """causes.yaml ``attack_words``: words of armed attack ("targeted", "offensive")."""
    return frozenset(str(w).lower() for w in rules.load("causes")["attack_words"]["words"])


def _tied_to_violence(doc: Doc, layers: Layers, span: Span, sentence: _Sentence) -> bool:
    """Whether a lead mention stands by a killing, a weapon or an attack ("Russian jets",
    "regime shelling", "government helicopters targeted", "killed by IS"), not as a party to
    something else ("as the opposition mulled a truce", "IS militants control the city")."""
    if named_as_doer(doc, layers, span):
        return True
    lo, hi = max(sentence.start, span.start - VIOLENCE_REACH), min(sentence.end, span.end + VIOLENCE_REACH)
    if any(layers.over("trigger", k) is not None or layers.over("cause", k) is not None for k in range(lo, hi)):
        return True
    return any(w in attack_words() for w in layers.view.lowers[span.end : hi])


def empty_incident(published: dt.date | None) -> dict[str, Any]:
    """The incident of an article whose text the rules do not read: nothing but its date."""
    return {
        "claim": None,
        "date": published.isoformat() if published else None,
        "location": None,
        "actor": None,
        "cause": None,
        "killed": dict.fromkeys(("civilians", "children", "women", "fighters", "people", "total")),
    }


class IncidentFacts(NamedTuple):
    """What the claims of the report take from its main incident (pipeline/claims/records.py):
    which claims tell it, and its place, time, actor, cause and source with their words."""

    main: Claim | None
    members: list[Claim]
    location: dict[str, str | None] | None
    time: dict[str, str | None] | None
    actor: dict[str, str] | None
    cause: dict[str, str] | None
    source: dict[str, str | None] | None
    date: str | None
    country: str | None
    # The day the lead's statement was made ("civil defence sources said Friday"), when the
    # text dates no death: closer to the deaths than the publication date.
    statement: dict[str, str | None] | None = None


def _claimant(doc: Doc, layers: Layers, body: list[_Sentence], claims: list[Claim], main: Claim | None) -> Span | None:
    """The group that claims the attack in a body sentence that opens no other story and
    tells no toll of its own ("a similar bombing claimed by al-Qaeda killed 100 in May")."""
    tolls = {c.evidence_start for c in claims if c.predicate == "killed" and c is not main}
    if main is not None:
        tolls.discard(main.evidence_start)
    for sentence in body:
        if sentence.start_char in tolls:
            continue
        # The claim first: most sentences hold no actor, and _other_story reads every one.
        span = claimed_by(doc, layers, sentence.start, sentence.end)
        if span is not None and not _other_story(layers, sentence):
            return span
    return None


def build_incident(
    doc: Doc, claims: list[Claim], title_end: int, published: dt.date | None, layers: Layers, places: PlaceContext
) -> dict[str, Any]:
    """The incident object of the output JSON."""
    return incident_and_facts(doc, claims, title_end, published, layers, places)[0]


def incident_and_facts(
    doc: Doc, claims: list[Claim], title_end: int, published: dt.date | None, layers: Layers, places: PlaceContext
) -> tuple[dict[str, Any], IncidentFacts]:
    """The incident object of the output JSON, and the facts its claims inherit."""
    title, body = _split_sentences(doc, layers, title_end)
    lead = body[:LEAD_SENTENCES]
    lead_end = lead[-1].end_char if lead else title_end
    main, parts = choose_main(claims, lead_end)
    others = [c for c in claims if eligible(c) and c is not main]
    # A title's aggregate stands above the body's part: the part's sentence says more of
    # the event (its place, actor and cause) than the headline.
    first = parts + [main] if main is not None and main.section == "title" else ([main] if main else []) + parts
    ordered = first + [c for c in others if all(c is not f for f in first)
                       and (c.evidence_start < lead_end or c.section == "title")]
    # Side stories and embedded posts of the lead name other places and actors; background
    # sentences other actors and causes ("The attack came a week after al-Shabaab fighters
    # killed 20 soldiers"), while their place is mostly the report's ("protesting strikes
    # that had killed nine" where the protest is).
    title_and_lead = title + [s for s in lead if not _other_story(layers, s)]
    background = _background_sentences(claims, main)
    told_here = [s for s in title_and_lead if s.start_char not in background and not _dated_earlier(layers, s)]

    # Another lead claim lends its actor unless its sentence tells an earlier or another
    # story ("... reported that troops had executed 48 people earlier this week").
    # The side the toll counts died: "100 IS fighters were killed" (by whom the text may say
    # elsewhere) names IS as the dead, never as the killer; when both sides died, it decides nothing.
    dead = _dead_sides(doc, layers, [main] + parts if main is not None else [])
    actor = next((c.actor for c in ordered if c.actor and c.actor["id"] not in dead
                  and (c is main or not _tells_earlier(c))), None)
    if actor is None:
        span = _first_actor(doc, layers, told_here, dead)
        actor = actor_json(layers, span) if span is not None else None
    if actor is None or actor["id"] in unnamed_actor_ids():
        # "Gunmen killed nine ... The BLA claimed responsibility": the claim names them.
        span = _claimant(doc, layers, body, claims, main)
        actor = actor_json(layers, span) if span is not None else actor
    # Ground fighting told with the toll itself ("killed in clashes with") beats a weapon
    # the title names: the weapon words of other sentences tell of other deaths or damage.
    fought = main is not None and main.cause is not None and main.cause["id"] == GROUND_FIGHTING
    cause = (None if fought else _title_cause(main, claims)) or next((c.cause for c in ordered if c.cause), None)
    if cause is None and main is not None:
        cause = _cause_referred_to(doc, main, body)
    if cause is None:
        span = _first_free_span(doc, layers, "cause", told_here)
        cause = {"text": span.text, "id": span.label_} if span is not None else None
    if cause is None:
        # Leads often say only "an attack"; the next few sentences name it.
        # A sentence that opens another story ("An earlier attack ...") tells another cause.
        after_lead = [s for s in body[LEAD_SENTENCES : LEAD_SENTENCES + CAUSE_FOLLOW_SENTENCES]
                      if not _other_story(layers, s)]
        span = _first_free_span(doc, layers, "cause", after_lead)
        cause = {"text": span.text, "id": span.label_} if span is not None else None
    if cause is None and main is not None:
        cause = combat_cause(main.quote)
    if cause is not None and cause["id"] in DELIVERIES:
        # "Warplanes releasing toxic gas targeted the town ... the attack by jets killed 58": a
        # chemical agent the title or lead tells of this event is what killed, the jets delivered it.
        agent = _chemical_told(doc, layers, title + told_here)
        cause = {"text": agent.text, "id": agent.label_} if agent is not None else cause
    # The headline's place first when it stands as the aggregate: its parts may be told in
    # other places of the same division, or be glued related headlines.
    placed = ([main] if main is not None else []) + [c for c in ordered if c is not main]
    # The rest of the body names the place only in sentences of this story, not in those of
    # an event of a past period ("rebels had used the same weapons in Aleppo last year").
    location = _location(places, placed, title_and_lead,
                         lambda: [s for s in body[LEAD_SENTENCES:] if places.places_in(s.start, s.end)
                                  and not _other_story(layers, s) and not _in_past_period(layers, s)], title)
    date = published.isoformat() if published else None
    # The main claim's day; a main claim that names no time takes the day of its parts or
    # of the lead's other tolls of the event ("Several people were killed on Monday ...
    # At least 14 people died in the raids").
    # Only what the text tells up to the main toll's sentence dates it: a later lead sentence
    # may tell another event ("... a hill that rebels seized on October 5 in a battle that
    # cost the lives of 30").
    told_by = max([main.evidence_start] + [p.evidence_start for p in parts]) if main is not None else 0
    dated = main if main is None or main.time else next(
        (c for c in parts + ordered if c.time and c.evidence_start <= told_by), None)
    time = dict(dated.time) if dated is not None and dated.time else None
    statement = None
    if main is not None and time is None:
        # No toll is dated: the lead's words before it may date the deaths ("Air strikes hit a
        # market in Saraqeb on Monday. At least four people were killed"), else the day its
        # statement was made ("local sources said on Monday", anywhere in the title and lead).
        tolls = {c.evidence_start for c in claims if c.predicate == "killed" and c.evidence_start > told_by}
        time, statement = _lead_days(layers, told_here, published, told_by, tolls)
    if time and time.get("start") and time.get("start") == time.get("end"):
        date = time["start"]
    breakdown, added = _parts_and_additions(doc, layers, main, _breakdown(doc, layers, main, parts, claims, body),
                                            claims, body)
    incident = {
        "claim": main.id if main else None,
        "date": date,
        "location": location,
        "actor": actor["id"] if actor else None,
        "cause": cause["id"] if cause else None,
        "killed": _killed_or_none(layers, main, claims, (breakdown, added)),
    }
    members = _members(main, parts + breakdown + added, claims, lead_end, layers, body)
    facts = IncidentFacts(
        main=main,
        members=members,
        location=_location_with_text(location, claims),
        time=time,
        actor=actor,
        cause=cause,
        source=next((dict(c.source) for c in members if c.source), None),
        date=date,
        country=location["country"] if location else (places.countries[0] if places.countries else None),
        statement=statement,
    )
    return incident, facts


def _lead_days(
    layers: Layers, sentences: list[_Sentence], published: dt.date | None, told_by: int, tolls: set[int]
) -> tuple[dict[str, str | None] | None, dict[str, str | None] | None]:
    """(the first day the title and lead give the deaths, the first day they give a statement)
    in these sentences: a time right after a report verb ("sources said Friday") dates the
    statement. After the main toll's sentence (which starts at ``told_by``) a sentence with a
    toll of its own (its start in ``tolls``) tells another event and dates nothing. The
    pipeline's time layer (factories.time_finder) searched only the sentences holding a
    figure: those take its reading (``_times_read``), the others are searched here, in these
    few sentences only."""
    view = layers.view
    reports = layers.covers_of("report")
    statement = None
    searched = _layer_times(layers)
    for sentence in sentences:
        times = _times_read(layers, searched, sentence)
        if times is None:
            text = view.text[sentence.start_char : sentence.end_char]
            times = [(sentence.start_char + m.start, m) for m in find_times(text)]
        for at, match in times:
            interval = resolve_time(match, published)
            # "this week" names a span even on the Monday it has lasted one day.
            if interval is None or interval.start != interval.end or match.rule.resolve == "this_unit":
                continue
            day = interval.start.isoformat()
            found = {"text": view.text[at : at + match.end - match.start], "start": day, "end": day}
            k = bisect_right(view.starts, at) - 2  # the token before the time
            while k >= sentence.start and view.lowers[k] in ("on", "at", "in"):
                k -= 1
            if k >= sentence.start and k in reports:
                statement = statement or found
            elif sentence.start_char <= told_by or sentence.start_char not in tolls:
                return found, statement
    return None, statement


def _layer_times(layers: Layers) -> list[tuple[int, int, int, TimeMatch]]:
    """The time layer's matches as (first token, end token, start character, match).

    The layer searched the sentences that hold a count, several adjacent ones as one text,
    and records each match's offsets in that text: a match's character offsets in the Doc
    are those of its tokens, known exactly when the match covers whole tokens (its length
    is theirs); -1 when not.
    """
    view = layers.view
    matches: list[TimeMatch] = span_values(layers.doc, "time")  # type: ignore[assignment]
    found = []
    for span, match in zip(spans_of(layers.doc, "time"), matches):
        start_char = view.starts[span.start]
        length = match.end - match.start
        if view.end_char(span.end - 1) - start_char != length:
            start_char = -1
        found.append((span.start, span.end, start_char, match))
    return found


def _times_read(
    layers: Layers, searched: list[tuple[int, int, int, TimeMatch]], sentence: _Sentence
) -> list[tuple[int, TimeMatch]] | None:
    """The times of a sentence the time layer searched (one holding a count), as (start
    character in the Doc, match): the same reading its claims take their times from,
    without searching the sentence again. None when the layer did not search it, or a
    match of the layer runs over the sentence's bounds or has no exact offsets: then the
    sentence is searched on its own."""
    if not layers.within("count", sentence.start, sentence.end):
        return None
    times = []
    for start, end, start_char, match in searched:
        if end <= sentence.start or start >= sentence.end:
            continue
        if start < sentence.start or end > sentence.end or start_char < 0:
            return None
        times.append((start_char, match))
    return times


# Words that date a lead figure before the main event ("had executed 48 people earlier this
# week"): its claim lends no actor to the incident.
_EARLIER_WORDS = _whole_words(("earlier", "last week", "last month", "last year", "previously"))
# A word of each of _EARLIER_WORDS: a text without any holds none of them.
_EARLIER_STEMS = ("earlier", "last", "previously")


# "earlier" about when a report was made, not the deaths: "the Observatory earlier said ...".
_REPORTED_EARLIER = re.compile(r" (?:had )?earlier (?:said|reported|told|announced|stated|put) "
                               r"| (?:said|reported|told|announced|stated) earlier "
                               r"| earlier (?:media |news |press )?reports? ")


def _earlier_told(framed: str) -> bool:
    """Whether framed words date what they tell before the main event, a report's own
    "earlier said" aside."""
    if "earlier" in framed:  # every match of _REPORTED_EARLIER holds the word: else nothing to remove
        framed = _REPORTED_EARLIER.sub(" ", framed)
    return any(map(framed.__contains__, _EARLIER_WORDS))


def _tells_earlier(claim: Claim) -> bool:
    """Whether a claim's sentence tells an earlier event or another story."""
    return claim.aside or _earlier_told(_framed(claim.quote))


def _dated_earlier(layers: Layers, sentence: _Sentence) -> bool:
    """Whether a sentence's words date what it tells before the main event ("troops had
    executed 48 people earlier this week"): it names no actor of the incident. Each of
    _EARLIER_WORDS holds one of _EARLIER_STEMS: a sentence with none (most) is not framed."""
    text = layers.view.text[sentence.start_char : sentence.end_char]
    lower = text.lower()
    return any(map(lower.__contains__, _EARLIER_STEMS)) and _earlier_told(_framed(text))


# Words that put what a sentence tells in a period before the report's own ("in Aleppo last
# year", "two months ago"); "earlier" alone does not ("Earlier state television had reported").
_PAST_PERIODS = _whole_words(("last week", "last month", "last year", "weeks ago", "months ago", "years ago"))


def _in_past_period(layers: Layers, sentence: _Sentence) -> bool:
    """Whether a sentence's words place what it tells in a past period (whole words, from tokens)."""
    framed = " " + " ".join(layers.view.lowers[sentence.start : sentence.end]) + " "
    return any(w in framed for w in _PAST_PERIODS)


def _background_sentences(claims: list[Claim], main: Claim | None) -> set[int]:
    """Start offsets of the sentences whose figures are all background, unless one restates
    the main toll ("mourned the five rescue workers killed in airstrikes by Russian forces"
    under "5 Rescue Workers Killed"): then they tell of the incident itself."""
    scopes: dict[int, set[str]] = {}
    restated: set[int] = set()
    figure = _figure(main.count) if main is not None else None
    for claim in claims:
        scopes.setdefault(claim.evidence_start, set()).add(claim.scope)
        if figure is not None and _figure(claim.count) == figure:
            restated.add(claim.evidence_start)
    return {start for start, found in scopes.items() if found == {"background"} and start not in restated}


def _members(main: Claim | None, breakdown: list[Claim], claims: list[Claim], lead_end: int, layers: Layers,
             body: list[_Sentence]) -> list[Claim]:
    """The claims that tell the main incident, main claim first: its parts and breakdown, the
    claims of their sentences (the wounded of "killed 12 and wounded 30"), the title's and
    the lead's claims outside side stories. Never a running total or background figure."""
    if main is None:
        return []
    told = [main, *breakdown]
    sentences = {c.evidence_start for c in told}
    aside = {s.start_char for s in body if s.start_char < lead_end and _other_story(layers, s)}
    members: list[Claim] = []
    seen: set[int] = set()  # claims compare by value; membership is by identity
    for claim in told:
        if id(claim) not in seen:
            seen.add(id(claim))
            members.append(claim)
    for claim in claims:
        if id(claim) in seen or claim.war_total or claim.scope == "background" or claim.aside:
            continue
        if claim.evidence_start in sentences or claim.section == "title" or (
            claim.evidence_start < lead_end and claim.evidence_start not in aside
        ):
            members.append(claim)
    return members


def _location_with_text(location: dict[str, str | None] | None, claims: list[Claim]) -> dict[str, str | None] | None:
    """The incident's place as a claim location: with the words of a claim that names it."""
    if location is None:
        return None
    for claim in claims:
        for loc in claim.locations:
            if (loc["name"], loc["admin1"], loc["country"]) == (location["name"], location["admin1"], location["country"]):
                return dict(loc)
    return {"text": str(location["name"]), **location}


def _breakdown(doc: Doc, layers: Layers, main: Claim | None, parts: list[Claim], claims: list[Claim],
               body: list[_Sentence]) -> list[Claim]:
    """The claims that break the main toll down: the parts it stands above with their own
    sentences' killed claims and breakdowns, the breakdown told after the main claim, and
    the title's tolls of other groups ("40 Civilians, 25 Fighters Killed")."""
    found: list[Claim] = []
    for part in parts:
        found.append(part)
        found.extend(c for c in claims if c is not part and c.predicate == "killed" and eligible(c)
                     and c.evidence_start == part.evidence_start)
        found.extend(breakdown_claims(doc, layers, part, claims, body))
    found.extend(breakdown_claims(doc, layers, main, claims, body))
    if main is not None and main.section == "body":
        found.extend(c for c in claims if c.section == "title" and eligible(c) and c.group != main.group
                     and c.count.value.qualifier != "vague")
    return found


def _location(
    places: PlaceContext,
    ordered: list[Claim],
    sentences: list[_Sentence],
    rest: Callable[[], list[_Sentence]] = list,
    title: list[_Sentence] = (),
) -> dict[str, str | None] | None:
    """The main claim's place with an admin1, else the most-named admin1 place of the
    title and lead, else of the rest of the body ("Qardaha" named only in the fourth
    sentence of an article about "the Assad clan's hometown"), else country level."""
    # A claim's place in a country the title does not name is a homonym
    # ("al-Aziziyeh neighbourhood" of an Aleppo headline read as Al Aziziyah, Iraq).
    countries = {p.country for s in title for p in places.places_in(s.start, s.end)}
    # Where the event happened beats where something came from ("fired from Gaza"): a
    # place named only after "from" comes last, after country level.
    # A dateline ("N'DJAMENA, May 4 (AFP) -") is where the story was filed: the places of
    # the lead come first, then the dateline's if it lies in the article's country, then
    # the rest of the body; one in another country never stands for the event.
    datelines = {(p.name, p.admin1, p.country) for p in places.datelines}
    origins = {(p.name, p.admin1, p.country) for p in places.origins} | datelines
    claimed = [loc for claim in ordered for loc in claim.locations]
    here = [loc for loc in claimed if (loc["name"], loc["admin1"], loc["country"]) not in origins]
    for loc in here:
        if loc.get("admin1") and (not countries or loc["country"] in countries):
            return _as_location(loc)
    # A main claim placed in the title's country only ("a chemical attack in Syria killed 72"
    # under a Syria headline) looks for the most-named place in that country first: not
    # "Moscow", where a ministry spoke.
    first = ordered[0].locations if ordered else []
    within = next((loc["country"] for loc in first if loc in here and loc.get("country") in countries), None)
    found = _most_named(places, sentences, within)
    if found is None and places.dateline_fits:
        found = next((_place_location(p) for p in places.datelines
                      if p.admin1 and (within is None or p.country == within)), None)
    if found is None:
        found = _most_named(places, rest(), within)
    if found is None and within is not None:
        found = _most_named(places, sentences) or _most_named(places, rest())
    if found is not None:
        return found
    # No admin1 place anywhere: country level, from a claim (a place named before a demonym:
    # "the Turkish Defence Ministry said ... in northern Syria" is Syria), else the first place named.
    candidates = here + (claimed if not datelines else [])
    for loc in sorted(candidates, key=lambda loc: country_of_demonym(str(loc.get("text") or "")) is not None):
        return _as_location(loc)
    for sentence in sentences:
        for place in places.places_in(sentence.start, sentence.end):
            if place not in places.datelines or places.dateline_fits:
                return _place_location(place)
    # No place at all, but the article's country is known ("Nigerian troops killed 15
    # insurgents"): country level.
    if places.countries:
        return _place_location(country_place(places.countries[0]))
    return None


def _as_location(loc: dict[str, str | None]) -> dict[str, str | None]:
    """A claim's location as the incident's (without the text as written)."""
    return {"name": loc["name"], "admin1": loc["admin1"], "admin1_code": loc.get("admin1_code"), "country": loc["country"]}


def _place_location(place: Place) -> dict[str, str | None]:
    return {"name": place.name, "admin1": place.admin1, "admin1_code": place.admin1_code, "country": place.country}


def _most_named(places: PlaceContext, sentences: list[_Sentence],
                country: str | None = None) -> dict[str, str | None] | None:
    tally: Counter[Place] = Counter()
    first_seen: dict[Place, int] = {}
    for sentence in sentences:
        for place in places.places_in(sentence.start, sentence.end):
            tally[place] += 1 if place.admin1 else 0
            first_seen.setdefault(place, len(first_seen))
    # Where the event happened beats where something came from ("fired from Gaza").
    with_admin1 = [k for k in first_seen if k.admin1 and k not in places.origins and k not in places.datelines
                   and (country is None or k.country == country)]
    if not with_admin1:
        return None
    return _place_location(min(with_admin1, key=lambda k: (-tally[k], first_seen[k])))
