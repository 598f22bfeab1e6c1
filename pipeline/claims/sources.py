"""Attribution: who says so ("a monitor said", "according to the Observatory").

The source text is the phrase next to a report verb; its full name comes from the
organizations of ``rules/sources.yaml``: named directly ("the Observatory"), or, for
a generic descriptor ("a monitor", "the London-based group"), the organization of
that kind the article names elsewhere. Words that refer back ("he", "the official",
"the governor": sources.yaml ``anaphors``) take the name, else the words, of the
nearest earlier attribution that names a source of its own.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.claims.context import victim_tokens
from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import TokenView, spans_of

PHRASE_STOPS = frozenset(', . ; : " “ ” ( ) — – that which who'.split())


def _stops(token_text: str) -> bool:
    return token_text in PHRASE_STOPS or "\n" in token_text
MAX_SOURCE_TOKENS = 10
# Verbs whose object is who publishes the words ("told SANA", "told Anadolu Agency"), and how
# many words after the verb it may start.
TOLD = frozenset(("told",))
TOLD_REACH = 3
# Words that alone name nobody ("people were said", "known as").
NOT_SPEAKERS = frozenset("were are is was be been being has have had the a an with some known as also who which that "
                         "there here this these those".split())
# Words that open a noun phrase, and words before one that make it part of the phrase before.
PHRASE_OPENERS = frozenset("the a an he she they it we".split())
GOVERNORS = frozenset("of for in at on from with to and by or near into".split())
# Words between a speaker and its report verb ("has documented", "also said", "reportedly told").
VERB_PREFIXES = frozenset("has have had also reportedly previously earlier later further had".split())
# After "claimed"/"claims", words that make it a death or a responsibility, not a report:
# "the fighting claimed the lives of 129", "a bombing claimed by Al-Qaeda".
CLAIM_NOT_REPORT = frozenset("the lives by responsibility".split())
# Speakers whose place follows them ("a source at the police command", "officials in Hama").
PLACED_HEADS = frozenset("source sources official officials spokesman spokeswoman spokesperson".split())
# How many sentences back "the group" may find the organisation it refers to, when no
# attribution names one before it.
LOOK_BACK_SENTENCES = 2
# Words that open the reported clause after "according to X" written without a comma.
CLAUSE_OPENERS = frozenset("there they he she it we".split())
# Words that negate a report verb before it ("has not confirmed", "never said").
NEGATIONS = frozenset("not never n't".split())
# Words that may follow a speaker named after its verb ("said the UN in a statement on Monday").
SPEAKER_TAILS = frozenset("in on at citing quoting late early earlier later a an ( [".split())


@lru_cache(maxsize=1)
def generic_owners() -> dict[str, tuple[str, ...]]:
    """Generic descriptor (lower case) -> organizations it may stand for, in file order."""
    owners: dict[str, list[str]] = {}
    for name, spec in rules.load("sources")["organizations"].items():
        for phrase in spec.get("generic", []):
            owners.setdefault(" ".join(str(phrase).lower().split()), []).append(name)
    return {k: tuple(v) for k, v in owners.items()}


def named_organizations(doc: Doc) -> list[str]:
    """Organizations the article names, in order of first mention."""
    seen: list[str] = []
    for span in spans_of(doc, "source"):
        if span.label_.startswith("org:"):
            name = span.label_[4:]
            if name not in seen:
                seen.append(name)
    return seen


def _phrase_before(view: TokenView, verb: Span, floor: int) -> tuple[int, int]:
    """The words before a report verb up to a stop; auxiliaries and adverbs right before the
    verb and a quote mark before them are stepped over (the Observatory "has documented")."""
    texts, lowers = view.texts, view.lowers  # doc[k] builds a Token per access
    end = verb.start
    while end > floor and lowers[end - 1] in VERB_PREFIXES:
        end -= 1
    if end < verb.start and end > floor and texts[end - 1] in ('"', "“", "”"):
        end -= 1
    if end == verb.start or end == floor:
        end = verb.start
    return _back_to_stop(texts, end, floor), end


def _back_to_stop(texts: list[str], end: int, floor: int) -> int:
    """Where the words before ``end`` start: after the last stop before it (a comma, a
    quote mark, "that"), at most MAX_SOURCE_TOKENS words back and never before ``floor``."""
    k = end
    while k > floor and not _stops(texts[k - 1]) and end - k < MAX_SOURCE_TOKENS:
        k -= 1
    return k


def _appositive_before(view: TokenView, verb: Span, floor: int) -> tuple[int, int] | None:
    """ "A local official, Ahmed Khalil, said": the words set off by commas right before a
    report verb ("Rami Abdel Rahman, who heads the Observatory, told AFP"). Only an
    enclosed aside: in "killed 12 people, said the official" the source follows the verb."""
    texts = view.texts
    comma = verb.start - 1
    if comma <= floor or texts[comma] != ",":
        return None
    k = _back_to_stop(texts, comma, floor)
    if k == comma or k <= floor or view.lowers[k - 1] not in (",", "who", "which"):
        return None
    if view.lowers[k - 1] == "," and view.lowers[k] in DESCRIBING_ASIDES:
        # "The Observatory, a UK-based monitor, said", "Local media, citing police sources,
        # reported": the aside describes the speaker named before it.
        first = k - 1
        j = _back_to_stop(texts, first, floor)
        if j < first:
            return j, first
    return k, comma


# First words of an aside that describes a speaker rather than naming one.
DESCRIBING_ASIDES = frozenset("a an citing quoting speaking according".split())


def _phrase_after(view: TokenView, verb: Span, ceiling: int) -> tuple[int, int]:
    """The words after a verb up to a stop or a circumstance ("told AFP on Monday"). A
    speaker's place stays with it ("according to a source at the police command", "a
    source in the province"): after such a head one place phrase is kept, up to the next
    noun phrase that no preposition governs (the reported clause, commas gone)."""
    lowers = view.lowers
    k = verb.end
    placed = False
    while k < ceiling and not _stops(view.texts[k]) and k - verb.end < MAX_SOURCE_TOKENS:
        if k > verb.end and lowers[k] in ("on", "in", "at"):
            if placed or lowers[k - 1] not in PLACED_HEADS:
                break
            placed = True
        elif placed and lowers[k] in PHRASE_OPENERS and lowers[k - 1] not in GOVERNORS:
            break
        k += 1
    return verb.end, k


@lru_cache(maxsize=1)
def anaphors() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """sources.yaml ``anaphors``: pronouns, generic phrases and head words, lower case."""
    spec = rules.load("sources")["anaphors"]

    def words(key: str) -> frozenset[str]:
        return frozenset(" ".join(str(p).lower().split()) for p in spec[key])

    return words("pronouns"), words("generic"), words("heads")


def refers_back(words: list[str]) -> str | None:
    """How an attribution's words refer to a source named before: ``""`` for any source
    ("he", "the official", "the statement"), a head word for one whose words hold it ("the
    governor"), None when they name a source of their own."""
    if not words:
        return None
    pronouns, generic, heads = anaphors()
    phrase = " ".join(words)
    if words[0] in pronouns or phrase in pronouns or phrase in generic:
        return ""
    if words[0] == "the" and 2 <= len(words) <= 3 and words[-1] in heads:
        return words[-1]
    return None


def _name_of(doc: Doc, layers: Layers, start: int, end: int, orgs: list[str]) -> str | None:
    labels = layers.within("source", start, end)
    for span in labels:
        if span.label_.startswith("org:"):
            return span.label_[4:]
    for span in labels:
        if span.label_.startswith("generic:"):
            if _names_its_own(layers, start, span.start):
                return None
            owners = generic_owners().get(" ".join(layers.text(span).lower().split()), ())
            named = [o for o in orgs if o in owners]
            if named:
                return named[0]
    return None


def _names_its_own(layers: Layers, start: int, generic_start: int) -> bool:
    """ "The DeirEzzor 24 monitoring group": a proper name before a generic descriptor makes
    it a group of its own, not the one of that kind the article names elsewhere. A
    capitalised first word and "Britain-based" are no names."""
    texts = layers.view.texts
    for k in range(start + 1, generic_start):
        word = texts[k]
        if word[:1].isupper() and not word.lower().endswith("based") and word.lower() not in ("-", "based"):
            if k + 1 < len(texts) and texts[k + 1] == "-":
                continue  # "Britain - based" split by the tokenizer
            return True
    return False


def _antecedent(doc: Doc, layers: Layers, before: int, head: str, orgs: list[str]) -> str | None:
    """The name (else the words) of the nearest attribution before token ``before`` that
    names a source of its own and, for a head word, holds it ("Hama governor ..." for "the
    governor"). Attributions that themselves refer back are passed over."""
    view = layers.view
    for verb in reversed(layers.within("report", 0, before)):
        for verb_start, start, end in _attributions(layers, layers.sentence(verb.start)):
            if verb_start != verb.start:
                continue
            words = view.lowers[start:end]
            name = _name_of(doc, layers, start, end, orgs)
            if (name is None and refers_back(words) is not None) or (head and head not in words):
                break
            return name or view.text[view.starts[start] : view.end_char(end - 1)]
    return None


def _attributions(layers: Layers, sentence: Span) -> list[tuple[int, int, int]]:
    """(report verb start, phrase start, phrase end) of each attribution in the sentence,
    found once per sentence: every claim of the sentence asks, each for its nearest."""
    key = ("attributions", sentence.start, sentence.end)
    found = layers.memo.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    view = layers.view
    texts, lowers = view.texts, view.lowers
    found = layers.memo[key] = []
    counts, triggers = layers.covers_of("count"), layers.covers_of("trigger")
    victims = victim_tokens(layers.doc, layers)  # counted noun phrases: who died, not who speaks
    for verb in layers.within("report", sentence.start, sentence.end):
        if lowers[verb.start] in ("claimed", "claims", "claiming") and verb.end < len(lowers) and (
            lowers[verb.end] in CLAIM_NOT_REPORT or verb.end in counts
        ):
            continue
        if verb.label_ == "before":
            start, end = _named_after(layers, verb, sentence.end, counts, triggers, victims)
        elif _negated(lowers, verb.start, sentence.start):
            continue  # "a toll the regime has not confirmed": nobody reports it there
        else:
            start, end = _phrase_before(view, verb, sentence.start)
            if start == end:
                start, end = _appositive_before(view, verb, sentence.start) or _phrase_after(view, verb, sentence.end)
            else:
                start, end = _inverted(layers, verb, (start, end), sentence.end, counts, triggers, victims) or (start, end)
        # Token.is_space is str.isspace of the text (spacy.lang.lex_attrs.is_space).
        while start < end and (texts[start].isspace() or lowers[start] in ("and", "but", "as")):
            start += 1
        while end > start and texts[end - 1].isspace():
            end -= 1
        # Who speaks holds no counted figure nor a verb of death: the words before the last of them
        # are the story ("killed 12 people in Idlib the Observatory said"), and "Four members
        # have been killed in Syria amid reports that ..." names no source at all.
        if verb.start > 0 and lowers[verb.start - 1] == "amid":
            continue  # "amid reports that ...": rumours, no speaker
        start = max([start] + [k + 1 for k in range(start, end) if k in triggers or k in victims])
        start = _last_noun_phrase(layers, start, end)
        while start < end and (texts[start].isspace() or lowers[start] in ("and", "but", "as", "in", "on", "at")):
            start += 1
        if start < end and not all(w in NOT_SPEAKERS for w in lowers[start:end]):
            found.append((verb.start, start, end))
    return found


def _named_after(
    layers: Layers, verb: Span, ceiling: int, counts: dict[int, Span], triggers: dict[int, Span], victims: frozenset[int]
) -> tuple[int, int]:
    """Who speaks after "according to": the words up to the story that follows with no comma
    ("according to an Observatory toll", "according to independent monitors hundreds of
    civilians have been killed", "according to the UN there are 400,000 people under siege"):
    they end before the first figure, victim or death word, and before a pronoun or "there"
    that opens the reported clause, or after the last organisation named ("according to the
    Observatory a toll the army denies"). "According to the" keeps its "the": "the group"
    refers back."""
    view = layers.view
    lowers = view.lowers
    start = verb.start + len(verb) - 1 if lowers[verb.end - 1] == "the" else verb.end
    end = _phrase_after(view, verb, ceiling)[1]
    for k in range(verb.end, end):
        if k in counts or k in victims or (k in triggers and k > verb.end) or (
            k > verb.end and lowers[k] in CLAUSE_OPENERS
        ):
            end = k
            break
    # A named source ends the phrase: "according to the Observatory a toll the army denies".
    named = [span.end for span in layers.within("source", start, end) if span.label_ != "anonymous"]
    return start, max(named) if named else end


def _negated(lowers: list[str], verb_start: int, floor: int) -> bool:
    """ "has not confirmed", "did not say": a report verb negated reports nothing."""
    k = verb_start - 1
    while k > floor and lowers[k] in VERB_PREFIXES:
        k -= 1
    return k >= floor and lowers[k] in NEGATIONS


def _inverted(
    layers: Layers,
    verb: Span,
    before: tuple[int, int],
    ceiling: int,
    counts: dict[int, Span],
    triggers: dict[int, Span],
    victims: frozenset[int],
) -> tuple[int, int] | None:
    """ "... in hard-to-reach areas said the UN", "... on Monday says a Britain-based monitoring
    group": with the commas gone, the speaker after a closing report verb. Taken when the words
    before the verb name no source and an organisation is named right after it (after at most
    a determiner and a few words: "said the UK-based Syrian Observatory"), followed by the
    sentence's end, a bracket, a circumstance ("in a statement") or an aside ("the UN a body
    that ..."); a verb after the name makes it the subject of what is reported ("said the UN
    had been warned")."""
    view = layers.view
    lowers = view.lowers
    if layers.within("source", *before):
        return None
    first = verb.end + 1 if verb.end < ceiling and lowers[verb.end] in ("the", "a", "an") else verb.end
    named = [span for span in layers.within("source", verb.end, ceiling) if span.label_ != "anonymous"]
    if not named or named[0].start > first + 3:
        return None
    # The whole rest of a short sentence ("said Observatory director Rami Abdel Rahman"), else
    # the name alone.
    rest = ceiling
    while rest > verb.end and (view.texts[rest - 1] in PHRASE_STOPS or view.texts[rest - 1].isspace()):
        rest -= 1
    end = rest if rest - verb.end <= MAX_SOURCE_TOKENS else named[0].end
    if any(k in counts or k in triggers or k in victims for k in range(verb.end, end)):
        return None
    last = max(span.end for span in named if span.end <= end)
    if last < end and not (_stops(view.texts[last]) or lowers[last] in SPEAKER_TAILS):
        return None
    return verb.end, end


def _last_noun_phrase(layers: Layers, start: int, end: int) -> int:
    """Where the speaker starts when two noun phrases meet with no punctuation ("in the attack
    the group said", "on Monday the Syrian Observatory said"): at the last determiner or
    pronoun that no preposition governs ("the head of the Observatory" stays whole), unless
    a source is named before it and none after ("a monitor tracking the conflict said")."""
    lowers = layers.view.lowers
    for k in range(end - 1, start, -1):
        # A participle governs what follows it too ("a group monitoring the conflict").
        if lowers[k] in PHRASE_OPENERS and lowers[k - 1] not in GOVERNORS and not lowers[k - 1].endswith(("ing", "ed")):
            named = layers.within("source", start, end)
            if any(span.start < k for span in named) and not any(span.start >= k for span in named):
                return min(span.start for span in named)
            return k
    return start


def source_for(
    doc: Doc, layers: Layers, sentence: Span, anchor: int, orgs: list[str]
) -> dict[str, str | None] | None:
    """The attribution nearest to token ``anchor`` in ``sentence``, or None. Its name is the
    organisation it names; for words that refer back ("he", "the official", "the
    governor"), the name, else the words, of the source they refer to."""
    view = layers.view  # doc[start:end].text builds a Span and a Token per word
    best: tuple[int, int, int, int] | None = None
    for verb_start, start, end in _attributions(layers, sentence):
        distance = abs(verb_start - anchor)
        if best is None or distance < best[0]:
            best = (distance, start, end, verb_start)
    if best is None:
        return None
    _, start, end, verb_start = best
    # The claims of a sentence mostly share their nearest attribution: its name is found once
    # (``orgs`` is the article's, the same for every claim), and each claim gets its own dict.
    key = ("source", sentence.start, sentence.end, verb_start, start, end)
    found = layers.memo.get(key)
    if found is None:
        text = view.text[view.starts[start] : view.end_char(end - 1)]
        name = _name_of(doc, layers, start, end, orgs)
        if name is None:
            head = refers_back(view.lowers[start:end])
            if head is not None:
                name = _antecedent(doc, layers, start, head, orgs)
                if name is None and head == "" and view.lowers[start] == "the":
                    name = _named_just_before(layers, sentence.start, start)
        if name is None:
            name = _told(layers, verb_start, sentence.end)
        found = layers.memo[key] = {"text": text, "name": name}
    return dict(found)  # type: ignore[call-overload]


def _named_just_before(layers: Layers, sentence_start: int, before: int) -> str | None:
    """ "Three workers of the Syrian Civil Defence were killed ... the group said": with no
    earlier attribution to refer back to, "the group" refers to the organisation named nearest
    before it, in its sentence or the two before."""
    floor = sentence_start
    for _ in range(LOOK_BACK_SENTENCES):
        if floor > 0:
            floor = layers.sentence(floor - 1).start
    named = [span for span in layers.within("source", floor, before) if span.label_.startswith("org:")]
    return named[-1].label_[4:] if named else None


def _told(layers: Layers, verb_start: int, ceiling: int) -> str | None:
    """ "A source at the police command told SANA": the organisation told, which publishes
    what an unnamed speaker says."""
    if layers.view.lowers[verb_start] not in TOLD:
        return None
    for span in layers.within("source", verb_start + 1, min(ceiling, verb_start + 1 + TOLD_REACH)):
        if span.label_.startswith("org:"):
            return span.label_[4:]
    return None
