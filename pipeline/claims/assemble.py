"""From counts and triggers to claims: which figure was killed, injured, trapped...

ConText-style binding (medspaCy): each trigger of ``rules/predicates.yaml`` reaches
forward ("killed 472 civilians") or backward ("472 civilians were killed") over at
most ``max_scope`` tokens; auxiliaries, adverbs, quotes, qualifiers and an
"including ..." aside do not use up scope, and another clause stops it. The nearest
trigger wins. Sub-counts ("including 82 children") become the ``includes`` of the
count they follow instead of claims of their own.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.claims.tokens import Layers, not_people, trigger_specs
from pipeline.extract.counts import MAX_FIGURES, CountSpan, singular_head, singular_rules
from pipeline.normalize.numbers import bounds
from pipeline.extract.tokens import TokenView, span_values, spans_of

# Tokens that never end a backward or forward reach (they carry no new clause).
TRANSPARENT = frozenset(
    """were was are is be been being have has had reportedly allegedly also all later apparently
    reported confirmed believed said thought feared among those the who that which " ' “ ” ‘ ’
    mostly most mainly many of them they had already now just so far both each likely overall total
    unintentionally accidentally mistakenly deliberately brutally at to rose risen reached climbed
    stands stood jumped increased rises reaches climbs jumps soared hit a an some up its their
    new latest final death toll from in on by""".split()
)
# Tokens that close the clause: a trigger beyond them belongs to another figure.
BREAKS = frozenset(""". ; : but while whereas although though because since after before when as if
    whom where -- — – ( ) [ ] said says told""".split())
# Words between a count and its noun that are not modifiers of the noun.
NOT_MODIFIERS = frozenset(
    """in on at by of from to for with and or but were was are is have has had been be who which that
    as after during since while when the a an this these those its their his her our your it they
    he she we you killed dead died wounded injured , . ; : " ' “ ” ( ) - – —""".split()
)
# What marks a count as a part of the previous one.
INCLUDE_MARKERS = (("including",), ("among", "them"), ("among", "whom"), ("of", "whom"), ("among", "the", "dead"),
                   ("among", "those"), ("incl",), ("mostly",), ("most", "of", "them"), ("inc",))
MAX_MODIFIERS = 3
# Prefix of the group _noun_after gives a count whose noun is itself a trigger ("12 bodies").
NOUN_TRIGGER = "@"
# A possessive after a noun makes it a modifier ("New People's Army rebels").
POSSESSIVE_MARKS = frozenset(("'s", "’s", "'", "’"))
# The rule id of a count of one person named without a number ("a woman", "his son").
SINGULAR_RULE = "count.singular"
# The group of such a person when the noun names none ("a revenue collector"): VDC/ACLED code
# an unnamed person as a civilian unless a fighter noun says otherwise.
SINGULAR_DEFAULT_GROUP = "civilians"
# How many words may separate such a person from a trigger after it.
SINGULAR_REACH = 1
# Auxiliaries that make the trigger after them a passive, which takes no object ("34 people
# were killed 6 of them women").
POSSESSIVES = frozenset("his her their its".split())
COPULAS = frozenset("were was are is included include includes".split())
# Words between a part and the figure it is among ("were also among").
AMONG_GAP = frozenset("were was are is also reportedly said to be been have has".split())
PASSIVE_AUXILIARIES = frozenset("was were been being be is are".split())
# No trigger is looked for further than this many tokens away, transparent or not.
MAX_REACH = 40
# Words after a count that show it has no noun of its own ("killing 15 and injuring", "16 of them").
BARE_COUNT_FOLLOWERS = frozenset("and of in on at near during while with".split())


@dataclass(slots=True)
class Bound:
    """A count bound to a predicate (or a sub-count waiting for its parent); slots, as the
    binder makes one per figure."""

    count: CountSpan
    predicate: str
    rule: str
    group: str
    group_text: str | None
    noun_end: int
    trigger_start: int
    include: bool = False
    # The people of a list counted as one ("a woman and a child"), each a one-person Bound.
    parts: tuple["Bound", ...] = ()


_MARKER_WORDS = frozenset(word for marker in INCLUDE_MARKERS for word in marker)


def _is_include(view: TokenView, count: CountSpan) -> bool:
    # Cheap pre-check: the word just before the number (or before its qualifier's
    # first word) must end some marker, or no marker can match.
    lowers = view.lowers  # doc[k] builds a Token per access
    if count.start and lowers[count.start - 1] == "," and lowers[count.end : count.end + 2] in OF_THEM:
        return True  # "Four people, two of them children, were killed"
    # One slice and a set test in C, not a generator per figure.
    if _MARKER_WORDS.isdisjoint(lowers[max(count.start - 2, 0) : count.start]):
        return False

    def words(start: int, end: int) -> tuple[str, ...]:
        return tuple(lowers[max(start, 0) : end])

    for marker in INCLUDE_MARKERS:
        start = count.start - len(marker)
        if start >= 0 and words(start, count.start) == marker:
            return True
        # "including at least 82 children": the qualifier sits between marker and number;
        # "among the dead were 20 children" names the dead, not a part of a toll before.
        if start - 1 >= 0 and words(start - 1, count.start - 1) == marker and lowers[count.start - 1] not in COPULAS:
            return True
    return False


def _singular_noun(layers: Layers, count: CountSpan) -> tuple[str | None, str | None, int, bool]:
    """(group, noun text, end token, rejected) of one person named without a number: the
    group of the head noun ("a rebel commander": commander) when the victim lexicon names
    one, else none ("a revenue collector"); an age is skipped ("a 10-year-old boy")."""
    view = layers.view
    if count.end - count.start > 1 or view.lowers[count.start] not in _singular_words():
        # A headline's bare noun ("Journalist shot dead", "Young man dies"): the count is the noun.
        victims = layers.covers_of("victim")
        victim = next((victims[k] for k in range(count.start, count.end) if k in victims), None)
        text = view.text[view.starts[count.start] : view.end_char(count.end - 1)]
        return (victim.label_ if victim is not None else None), text, count.end, False
    found = singular_head(view.lowers, view.texts, count.end, layers.covers_of("trigger"))
    if found is None:
        return None, None, count.end, False
    start, head, end = found
    victim = layers.covers_of("victim").get(head)
    if victim is not None and victim.end <= end:
        return victim.label_, layers.text(victim), end, False
    if end == start:
        start = count.end  # "a 17-year-old": the age is all there is
    return None, view.text[view.starts[start] : view.end_char(end - 1)], end, False


@lru_cache(maxsize=1)
def _singular_words() -> frozenset[str]:
    """The words a count of one person starts with: determiners and possessives ("a", "his")."""
    rules_ = singular_rules()
    return rules_.determiners | rules_.possessives


def _noun_after(doc: Doc, layers: Layers, count: CountSpan) -> tuple[str | None, str | None, int, bool]:
    """(group, noun text, end token, rejected) for the noun a count counts."""
    if count.rule == SINGULAR_RULE:
        return _singular_noun(layers, count)
    view = layers.view  # doc[k] builds a Token per access; these are its strings
    texts, lowers, n = view.texts, view.lowers, len(view.texts)
    victims, adjectives, triggers = layers.starts_of("victim"), layers.starts_of("victim_adj"), layers.starts_of("trigger")
    actors, counts = layers.covers_of("actor"), layers.covers_of("count")
    non_nouns = not_people()  # read once: it is probed for every word looked at
    j = count.end
    if j < n and lowers[j] == "of" and count.value.qualifier == "vague":
        j += 1
    if lowers[j : j + 2] in OF_THEM:
        # "two of them children", "two of whom were children": the noun after names the part
        j += 2 + (j + 2 < n and lowers[j + 2] in ("were", "was", "are"))
    if j < n and lowers[j] in non_nouns:
        return None, None, j, True
    if j + 1 < n and texts[j] in ("-", "–") and lowers[j + 1] in non_nouns | {"year", "day"}:
        return None, None, j, True
    limit = min(n, j + MAX_MODIFIERS + 1)
    skipping_until = 0
    for k in range(j, n):
        if k >= limit:
            break
        if texts[k] in POSSESSIVE_MARKS:
            limit = min(n, limit + 1)  # "five New People's Army rebels": the possessive takes no slot
            continue
        if texts[k] == "(" and k > j and ")" in texts[k + 1 : k + 5]:
            skip = texts.index(")", k + 1) - k + 1  # "31 Islamic State (IS) group militants": an aside
            limit = min(n, limit + skip)
            skipping_until = k + skip
            continue
        if k < skipping_until:
            continue
        victim = victims.get(k)
        if victim is not None and not (victim.end < n and texts[victim.end] in POSSESSIVE_MARKS):
            return victim.label_, layers.text(victim), victim.end, False
        adjective = adjectives.get(k)
        if adjective is not None and adjective.end < n and lowers[adjective.end] in (
            "lives", "deaths", "casualties", "victims", "dead", "fatalities"
        ):
            return adjective.label_, view.text[adjective.start_char : view.end_char(adjective.end)], adjective.end + 1, False
        incident = triggers.get(k)
        if incident is not None:
            noun_rule = layers.trigger_rule(incident, "noun")
            if noun_rule is not None:  # "223 casualty events", "12 bodies": the noun says what happened
                return NOUN_TRIGGER + str(noun_rule["id"]), layers.text(incident), incident.end, False
        text, low = texts[k], lowers[k]
        if low in non_nouns and k > j:
            return None, None, k, True
        if text == "," and k + 1 < n and texts[k - 1][:1].isupper() and texts[k + 1][:1].isupper():
            continue  # "744 Iraqi, Syrian civilians": a list of adjectives
        if k in actors and text.isupper():
            continue  # "100 IS fighters": the acronym is a modifier, not the verb "is"
        if k in actors and k > j and text in ("-", "–"):
            limit = min(n, limit + 1)  # "six al-Shabaab fighters": a name's hyphen takes no slot
            continue
        # Token.is_alpha is str.isalpha of the text (spacy.lang.lex_attrs.is_alpha).
        if low in NOT_MODIFIERS or not (text.isalpha() or text in ("-",)) or counts.get(k):
            break
    return None, None, count.end, False


def _backward(
    doc: Doc, layers: Layers, start: int, sentence_end: int, count_start: int = 0
) -> tuple[Span, int, str] | None:
    """The backward trigger reached from token ``start``, with its distance. A rule with
    ``verbs_before`` ("hacked five farmers to death") applies only when one of its verbs
    stands right before the count (``count_start``)."""
    view = layers.view
    lowers = view.lowers
    triggers, counts, victims = layers.starts_of("trigger"), layers.starts_of("count"), layers.starts_of("victim")
    used = 0
    k = start
    partitive: tuple[Span, int, str] | None = None
    sentence_end = min(sentence_end, start + MAX_REACH)
    while k < sentence_end:
        trigger = triggers.get(k)
        if trigger is not None and _attributive(lowers, trigger):
            trigger = None  # "from the besieged town": an adjective, not what happened to the count
        if trigger is not None:
            spec = layers.trigger_rule(trigger, "backward")
            if spec is not None and used <= int(spec["max_scope"]):  # type: ignore[call-overload]
                verbs = _verbs_before(str(spec["id"]))
                if verbs is not None and not (count_start > 0 and lowers[count_start - 1] in verbs):
                    return partitive
                if partitive is None and k >= 2 and lowers[k - 1] == "the" and lowers[k - 2] == "of":
                    # "14 of the dead were rebels", "15 of the wounded": the count is of them,
                    # unless a verb of its own follows ("two of the wounded later died").
                    partitive = trigger, used, str(spec["id"])
                    k = trigger.end
                    if k < len(lowers) and lowers[k] == "and":
                        return partitive  # "scores of the dead and wounded": one noun phrase
                    continue
                return trigger, used, str(spec["id"])
        low = lowers[k]
        count = counts.get(k)
        if count is not None:
            # "16 civilians and three children have been killed": a conjunct count is skipped.
            # "11 civilians - among them four women - were killed": so is a sub-count.
            before = lowers[k - 1] if k > 0 else ""
            if before in POSSESSIVES and k > 1 and lowers[k - 2] == "and":
                before = "and"  # "a woman and her two children were killed"
            if _after_from(lowers, _counts_by_start(doc, layers).get(k) or _NO_COUNT):
                k = count.end + (1 if count.end < sentence_end and view.texts[count.end].isalpha() else 0)
                continue  # "six civilians from one family were killed": part of the noun phrase
            if before in ("and", ",", "including", "them", "whom", "among"):
                # "Ten children were among at least 48 people killed": the count they are part of
                k = count.end
                if count.label_ == SINGULAR_RULE:  # "a man and his young daughter were killed"
                    head = singular_head(lowers, view.texts, k, layers.covers_of("trigger"))
                    k = head[2] if head is not None else k
                    continue
                victim = victims.get(k)
                if victim is None and k in triggers:
                    return partitive  # "claiming 4 martyrs and 13 injured": the trigger is the conjunct's own
                k = victim.end if victim is not None else k
                continue
            return partitive
        if low == "(" and ")" in view.texts[k + 1 : min(sentence_end, k + 8)]:
            k = view.texts.index(")", k + 1) + 1
            continue  # "including three children (5-8 years) were injured": a bracketed aside
        if low in BREAKS or (low == "," and _aside_ends(view, k, sentence_end) is None):
            return partitive
        if low == "," and k + 1 < sentence_end and (
            lowers[k + 1] in ("including", "among", "mostly", "most") or _count_of_them(lowers, counts, k + 1)
        ):
            # "Four people, including two children, were killed", "Four people, two of them
            # children, were killed": the aside is a part of the count before it.
            end = _aside_ends(view, k, sentence_end)
            if end is not None:
                k = end + 1
                continue
        # _joins_count holds only at "and" or a possessive: no call for the other words.
        if low not in TRANSPARENT and low != "," and not (
            (low == "and" or low in POSSESSIVES) and _joins_count(lowers, counts, k)
        ):
            used += 1
        if used > 8:
            return partitive
        k += 1
    return partitive


_NO_COUNT = CountSpan(0, 0, 0, bounds("exact", 0), "count.range")


# First words of the death a sentence's singular subject comes to after a clause about it
# ("A peacekeeper who was wounded on Tuesday died of his injuries", "A man arrested during
# the protests died in custody", "A leader was shot in his field ... and died on the way").
LATE_DEATH_STARTS = frozenset("died dies succumbed later was".split())
# At most this many words between the subject and that death.
LATE_DEATH_REACH = 30


def _late_death(
    doc: Doc, layers: Layers, count: CountSpan, noun_end: int, sentence_start: int, sentence_end: int
) -> tuple[Span, int, str] | None:
    """The death of one person who opens the sentence, told after a clause about them: the
    first killed trigger of the sentence after the subject, with no other figure between.
    Only for a singular count that is the sentence's subject ("A man", "The victim, a man")."""
    lowers = layers.view.lowers
    if count.start != sentence_start and lowers[sentence_start:count.start] not in (["the"], ["but"], ["and"]):
        return None
    counts = _counts_by_start(doc, layers)
    triggers = layers.starts_of("trigger")
    for k in range(noun_end, min(sentence_end, noun_end + LATE_DEATH_REACH)):
        if k in counts and k != count.start:
            other = counts[k]
            # "was shot several times by two gunmen ... and died": how often, and by whom.
            if not (lowers[k - 1] == "by" or (other.end < sentence_end and lowers[other.end] == "times")):
                return None
        trigger = triggers.get(k)
        if trigger is None or lowers[k] not in LATE_DEATH_STARTS:
            continue
        spec = layers.trigger_rule(trigger, "backward")
        if spec is not None and spec["predicate"] == "killed":
            return trigger, 0, str(spec["id"])
    return None


def _passive_use(texts: list[str], trigger: Span) -> bool:
    """ "was killed", "were shot dead": a participle after a passive auxiliary takes no object.
    A progressive ("were killing five a day") does; "IS executed 18" is the group, not "is"."""
    k = trigger.start
    if texts[k].lower().endswith("ing"):
        return False
    if k > 1 and texts[k - 1] in ("also", "reportedly", "later"):
        k -= 1
    return k > 0 and texts[k - 1] in PASSIVE_AUXILIARIES


def _after_from(lowers: list[str], count: CountSpan) -> bool:
    """ "from one family", "from the six families": a count that says where people came from.
    A range keeps its "from" ("rose from 5 to 12")."""
    if count.rule == "count.range" or count.start == 0:
        return False
    before = lowers[count.start - 1]  # compared in place: a slice per figure made a list
    return before == "from" or (before == "the" and count.start >= 2 and lowers[count.start - 2] == "from")


def _attributive(lowers: list[str], trigger: Span) -> bool:
    """ "the besieged town", "a wounded man": a trigger word after a determiner and before another
    word is an adjective. "14 of the dead", "among the dead" are nouns of their own (partitives)."""
    k = trigger.start
    if k == 0 or lowers[k - 1] not in ("the", "a", "an", "this", "that") or trigger.end >= len(lowers):
        return False
    if k >= 2 and lowers[k - 2] in ("of", "among"):
        return False
    return lowers[trigger.end].isalpha() and lowers[trigger.end] not in BREAKS and lowers[trigger.end] not in TRANSPARENT


def _joins_count(lowers: list[str], counts: dict[int, Span], k: int) -> bool:
    """Whether token k joins a count that follows ("and two children", "and her two children"):
    such words are the conjunct's, not distance to the trigger."""
    if lowers[k] == "and":
        return k + 1 in counts or (k + 2 in counts and lowers[k + 1] in POSSESSIVES)
    return lowers[k] in POSSESSIVES and k + 1 in counts and k > 0 and lowers[k - 1] == "and"


@lru_cache(maxsize=None)
def _words_before(rule_id: str) -> frozenset[str] | None:
    """The ``words_before`` of a predicate rule: one must stand earlier in the sentence
    ("the toll from Saturday's bombing ... rose to 58"); None when the rule has none."""
    words = trigger_specs()[rule_id].get("words_before")
    return frozenset(str(v).lower() for v in words) if words else None  # type: ignore[union-attr]


@lru_cache(maxsize=None)
def _verbs_before(rule_id: str) -> frozenset[str] | None:
    """The ``verbs_before`` of a predicate rule, as a set; None when the rule has none."""
    verbs = trigger_specs()[rule_id].get("verbs_before")
    return frozenset(str(v).lower() for v in verbs) if verbs else None  # type: ignore[union-attr]


# Words after a count that make it a part of the people named before ("two of them"); also
# read by claims/context.py (what "them" points back to died).
OF_THEM = (["of", "them"], ["of", "whom"])


def _count_of_them(lowers: Sequence[str], counts: dict[int, Span], k: int) -> bool:
    """Whether a count at ``k`` opens "two of them", "three of whom": a part of the people before."""
    count = counts.get(k)
    return count is not None and lowers[count.end : count.end + 2] in OF_THEM


def _aside_ends(view: TokenView, comma: int, sentence_end: int) -> int | None:
    """Index of the comma closing an aside that opens at ``comma``, if within 12 tokens."""
    texts = view.texts
    for k in range(comma + 1, min(sentence_end, comma + 14)):
        if texts[k] == ",":
            return k
    return None


def _forward(doc: Doc, layers: Layers, count: CountSpan, sentence_start: int) -> tuple[Span, int, str] | None:
    """The forward trigger reached going left from a count, with its distance. A rule with
    ``words_before`` ("has risen to 20") is taken only when one of its words stands earlier
    in the sentence, and only when no other trigger further left reaches the count ("The
    number of civilians killed ... has risen to 20" is the toll phrase's, with its group)."""
    lowers = layers.view.lowers
    triggers, counts = layers.covers_of("trigger"), layers.covers_of("count")
    used = 0
    k = count.start - 1
    if k >= 0 and lowers[k] == "by":
        return None  # "beaten to death by five policemen": the count did it
    clause_start = sentence_start
    sentence_start = max(sentence_start, count.start - MAX_REACH)
    update: tuple[Span, int, str] | None = None
    while k >= sentence_start:
        trigger = triggers.get(k)
        if trigger is not None:
            spec = layers.trigger_rule(trigger, "forward")
            words = _words_before(str(spec["id"])) if spec is not None else None
            if spec is not None and words is not None:
                if (update is None and used <= int(spec["max_scope"])  # type: ignore[call-overload]
                        and not words.isdisjoint(lowers[clause_start : trigger.start])):
                    update = trigger, used, str(spec["id"])
                k = trigger.start - 1  # "rose to 58" of prices: no trigger
                continue
            if spec is not None and _passive_use(layers.view.texts, trigger):
                return update  # "a child was killed and six other civilians were injured": no object
            if spec is not None and used <= int(spec["max_scope"]):  # type: ignore[call-overload]
                return trigger, used, str(spec["id"])
            if spec is None and used == 0 and layers.trigger_rule(trigger, "backward") is not None:
                # "4 killed, 10 wounded": step over the previous figure's trigger? No: stop.
                return update
            if spec is None:
                return update
        low = lowers[k]
        if low in BREAKS or k in counts:
            return update
        if low not in TRANSPARENT:
            used += 1
        if used > 12:
            return update
        k -= 1
    return update


def _counts_by_start(doc: Doc, layers: Layers) -> dict[int, CountSpan]:
    """Each count by its first token, made once per Doc (only looked up after a trigger)."""
    found = layers.memo.get(("counts_by_start", 0))
    if found is None:
        values: list[CountSpan] = span_values(doc, "count")  # type: ignore[assignment]
        found = layers.memo[("counts_by_start", 0)] = {c.start: c for c in values}
    return found  # type: ignore[no-any-return]


def _has_object(doc: Doc, layers: Layers, trigger: Span, sentence_end: int) -> bool:
    """Whether a trigger is the verb of the count right after it: "a gunman killed three
    people", "destroyed five hideouts and killed two insurgents", "killed 30 people injured 90".
    Then it does not reach back to an earlier count, unless that count after it has a
    trigger of its own right after its noun ("4 killed 10 wounded")."""
    value = _counts_by_start(doc, layers).get(trigger.end)
    if value is None:
        return False
    lowers = layers.view.lowers
    if any(lowers[k] in PASSIVE_AUXILIARIES for k in range(max(trigger.start - 2, 0), trigger.end - 1)):
        return False
    _, _, noun_end, rejected = _noun_after(doc, layers, value)
    if rejected:
        return False
    own = _backward(doc, layers, noun_end, sentence_end, value.start)
    # "4 killed 10 wounded": the count after the trigger has its own, right after its noun.
    return own is None or not all(low in PASSIVE_AUXILIARIES for low in lowers[noun_end : own[0].start])


def _continues_include(view: TokenView, count: CountSpan, previous: Bound | None) -> bool:
    """ "including 456 children and 333 women": the second sub-count joins the first."""
    if previous is None or not previous.include:
        return False
    if count.start - previous.noun_end > 2:
        return False
    between = view.lowers[previous.noun_end : count.start]
    return between in (["and"], [","], [",", "and"])


def _people_noun(lowers: list[str], k: int, end: int) -> int:
    """The end of the words at k when they name people in the plural by a noun of one
    person of victims.yaml ("sons", "relatives"), maybe after "of" and a possessive ("of
    his associates"); else 0."""
    if k + 1 < end and lowers[k] == "of" and lowers[k + 1] in POSSESSIVES:
        k += 2
    if k >= end:
        return 0
    word = lowers[k]
    nouns = singular_rules().nouns
    found = word.endswith("s") and (word[:-1] in nouns or (word.endswith("es") and word[:-2] in nouns))
    return k + 1 if found else 0


def _conjunct_of(view: TokenView, count: CountSpan, previous: Bound | None) -> Bound | None:
    """The bound figure this count is coordinated with ("one woman and one child"), if any."""
    if previous is None or not previous.predicate:
        return None
    if count.start - previous.noun_end > 2:
        return None
    between = view.lowers[previous.noun_end : count.start]
    if len(between) > 1 and between[-1] in POSSESSIVES:
        between = between[:-1]  # "a mother and her three children"
    # "a commander, his two sons and a bodyguard": a comma joins too, where the figure has
    # no verb of its own.
    return previous if between in (["and"], [",", "and"], [","]) else None


def bind_counts(doc: Doc, layers: Layers) -> list[Bound]:
    """Every count bound to a predicate, in document order, sub-counts marked.

    Claims and the incident both need the bound counts; they are computed once
    per Doc and kept in ``layers.memo``.
    """
    cached = layers.memo.get(("bounds", 0))
    if cached is None:
        cached = layers.memo[("bounds", 0)] = _bind_counts(doc, layers)
    return list(cached)


def _bind_counts(doc: Doc, layers: Layers) -> list[Bound]:
    bound: list[Bound] = []
    view = layers.view
    texts, lowers = view.texts, view.lowers
    counts: list[CountSpan] = span_values(doc, "count")  # type: ignore[assignment]
    times, specs = layers.covers_of("time"), trigger_specs()  # taken once, probed per figure
    for span, count in itertools.islice(zip(spans_of(doc, "count"), counts), MAX_FIGURES):
        if count.number_start in times:
            continue
        if count.number_start > 0 and texts[count.number_start - 1] in ("$", "£", "€", "#", "No", "no."):
            continue
        if count.number_start > 0 and lowers[count.number_start - 1] == "no":
            continue  # "no one was killed": nobody
        if _after_from(lowers, count):
            continue  # "six civilians from one family", "13 rebels from the six families": where they came from
        if lowers[count.number_start] == "one" and count.end < len(doc) and lowers[count.end] in ("of", "another"):
            continue
        if bound and bound[-1].noun_end > count.start:
            continue  # "six members of one family": inside the noun of the count before
        group, noun_text, noun_end, rejected = _noun_after(doc, layers, count)
        if rejected or (count.yearlike and group is None):
            continue
        # Its bounds only: most figures never become claims, so no Span is made for them.
        sentence_start, sentence_end = layers.sentence_bounds[span.start]
        include = _is_include(view, count) or _continues_include(view, count, bound[-1] if bound else None)
        if group is not None and group.startswith(NOUN_TRIGGER):
            rule_id = group[len(NOUN_TRIGGER) :]
            predicate = str(specs[rule_id]["predicate"])
            noun_group = "events" if predicate == "incidents" else "people"
            bound.append(Bound(count, predicate, rule_id, noun_group, noun_text, noun_end, noun_end, include))
            continue
        back = _backward(doc, layers, noun_end, sentence_end, count.start)
        if back is not None and _has_object(doc, layers, back[0], sentence_end):
            back = None
        if back is not None and count.start > 0 and lowers[count.start - 1] == "by":
            back = None  # "was shot by two gunmen ... and died": the agent did it, the victim died
        fwd = _forward(doc, layers, count, sentence_start)
        if count.rule == SINGULAR_RULE:
            # One person named without a number binds only close by: right after its verb
            # ("killed a revenue collector", not "killed in a sniper fire"), or as the subject
            # of the next words ("a lawyer was shot dead", not "a father carried his dead girl").
            if fwd is not None and fwd[0].end != count.start:
                fwd = None
            if back is not None and (back[1] > SINGULAR_REACH or fwd is not None):
                back = None
            if fwd is None:
                back = _late_death(doc, layers, count, noun_end, sentence_start, sentence_end) or back
        chosen = None
        if back and fwd:
            chosen = back if back[1] <= fwd[1] else fwd
        else:
            chosen = back or fwd
        if chosen is None:
            conjunct = _conjunct_of(view, count, bound[-1] if bound else None)
            people_end = _people_noun(lowers, count.end, sentence_end) if group is None else 0
            if conjunct is not None and group is None and (count.rule == SINGULAR_RULE or people_end):
                # "killed an imam and his son", "a commander, his two sons and a bodyguard",
                # "an official and two of his associates": people the verb's object lists.
                group = SINGULAR_DEFAULT_GROUP
                noun_end = max(noun_end, people_end)
            if conjunct is not None and lowers[conjunct.noun_end : count.start][:1] == [","] and (
                noun_end >= sentence_end or lowers[noun_end] not in ("and", ",")
            ):
                # After a comma only inside a list that goes on ("X, his two sons and Y"), not
                # "killing two officers, a Kenyan security official said".
                conjunct = None
            if conjunct is not None and group is not None:
                # "killing one woman and one child": the second figure shares the first's verb.
                bound.append(Bound(count, conjunct.predicate, conjunct.rule, group, noun_text, noun_end,
                                   conjunct.trigger_start, include or conjunct.include))
                continue
            if include and group is not None:
                bound.append(Bound(count, "", "", group, noun_text, noun_end, count.start, include=True))
            continue
        trigger, _, rule_id = chosen
        spec = specs[rule_id]
        if group is None and count.rule == SINGULAR_RULE:
            group = SINGULAR_DEFAULT_GROUP
        if group is None:
            group = (
                _group_near_trigger(doc, layers, trigger, count)
                or _group_mentioned_before(doc, layers, count, sentence_start, trigger)
                or "people"
            )
        bound.append(Bound(count, str(spec["predicate"]), rule_id, group, noun_text, noun_end, trigger.start, include))
    return _parts_among(view, _merge_lists(view, bound))


# Groups whose people are civilians in VDC/ACLED coding when a list names them one by one.
CIVILIAN_PARTS = frozenset({"civilians", "children", "women", "men"})
# Rule id of a list of people named one by one, counted as one figure.
LIST_RULE = "count.list"


def _merge_lists(view: TokenView, bound: list[Bound]) -> list[Bound]:
    """ "A woman and a child were killed", "a man and his young daughter": people named one
    by one and joined by "and" or commas are one figure (2), with each person as a part.
    A list that mixes a number ("four militants and an army commando") stays separate
    figures, one per group."""
    if sum(1 for b in bound if b.count.rule == SINGULAR_RULE) < 2:
        return bound
    merged: list[Bound] = []
    run: list[Bound] = []

    def flush() -> None:
        if len(run) > 1:
            merged.append(_as_list(run))
        else:
            merged.extend(run)
        run.clear()

    for item in bound:
        joinable = item.count.rule == SINGULAR_RULE and item.predicate and not item.include
        if joinable and run and item.predicate == run[-1].predicate and view.lowers[
            run[-1].noun_end : item.count.start
        ] in (["and"], [","], [",", "and"]):
            run.append(item)
            continue
        flush()
        if joinable:
            run.append(item)
        else:
            merged.append(item)
    flush()
    return merged


def _parts_among(view: TokenView, bound: list[Bound]) -> list[Bound]:
    """ "Ten children were among at least 48 people killed": the ten are a part of the 48, told
    first; the figure they are among takes them as a sub-count instead of a claim of their own."""
    lowers = view.lowers
    kept: list[Bound] = []
    for item in bound:
        previous = kept[-1] if kept else None
        if previous is not None and previous.predicate == item.predicate and item.count.start > 0:
            between = lowers[previous.noun_end : item.count.start]
            if between and between[-1] == "among" and all(w in AMONG_GAP for w in between[:-1]):
                parts = [kept.pop()]
                # "two women and two children were among eight people killed": both are parts.
                while kept and kept[-1].predicate == item.predicate and lowers[
                    kept[-1].noun_end : parts[0].count.start
                ] in (["and"], [","], [",", "and"]):
                    parts.insert(0, kept.pop())
                item.parts = item.parts + tuple(parts)
                kept.append(item)
                continue
        kept.append(item)
    return kept


def _as_list(run: list[Bound]) -> Bound:
    """One Bound for a list of one-person Bounds."""
    first, last = run[0], run[-1]
    groups = {b.group for b in run}
    if groups <= {"fighters"}:
        group = "fighters"
    elif "fighters" in groups or "people" in groups:
        group = "people"
    else:
        group = "civilians"  # women, children, men and named trades (CIVILIAN_PARTS and "other")
    count = CountSpan(first.count.start, last.noun_end, first.count.number_start, bounds("exact", len(run)), LIST_RULE)
    return Bound(count, first.predicate, first.rule, group, None, last.noun_end, first.trigger_start, False, tuple(run))


def _group_mentioned_before(
    doc: Doc, layers: Layers, count: CountSpan, sentence_start: int, trigger: Span | None = None
) -> str | None:
    """The group a bare count refers back to: "ambushed a group of terrorists ... killing 15",
    "clashed with the terrorists killing 16 of them". Only an uncounted plural noun earlier in
    the sentence qualifies; the nearest wins. A count followed by a word that may be its
    own noun ("30 pro-regime gunmen") does not look back. The subject of a finite trigger
    verb is the killer, not the killed: "rebels kill 7", "militants killed 12"."""
    nxt = doc[count.end] if count.end < len(doc) else None
    if nxt is not None and not (nxt.is_punct or nxt.lower_ in BARE_COUNT_FOLLOWERS):
        return None
    starts, victims = _uncounted_plurals(layers)
    # The nearest first, back to the sentence start: a bisection, not a walk over every
    # token (each bare figure of a sentence of 300,000 characters walked it all).
    for k in range(bisect_left(starts, count.start) - 1, bisect_left(starts, sentence_start) - 1, -1):
        victim = victims[k]
        if trigger is not None and victim.end == trigger.start and not trigger[0].lower_.endswith("ing"):
            continue
        if victim.end < len(doc) and layers.view.texts[victim.end] in ("'", "\u2019"):
            continue  # "a girls' school": whose the school is, not who died
        return victim.label_
    return None


def _uncounted_plurals(layers: Layers) -> tuple[list[int], list[Span]]:
    """Starts, in order, and spans of the victim mentions a bare count may refer back to:
    plural, not "people", not counted themselves ("15 terrorists")."""
    cached = layers.memo.get(("uncounted_plurals", 0))
    if cached is None:
        kept = sorted(
            (k, victim) for k, victim in layers.starts_of("victim").items()
            if victim.label_ != "people" and layers.text(victim).lower().endswith("s")
            and not (k > 0 and layers.over("count", k - 1) is not None)
        )
        cached = layers.memo[("uncounted_plurals", 0)] = ([k for k, _ in kept], [v for _, v in kept])
    return cached  # type: ignore[no-any-return]


def _group_near_trigger(doc: Doc, layers: Layers, trigger: Span, count: CountSpan) -> str | None:
    """A group named by an adjective next to the trigger ("civilian toll", "civilian deaths")."""
    lo, hi = min(trigger.start, count.start) - 2, max(trigger.end, count.start)
    for k in range(max(lo, 0), hi):
        adjective = layers.at("victim_adj", k)
        if adjective is not None:
            return adjective.label_
    return None
