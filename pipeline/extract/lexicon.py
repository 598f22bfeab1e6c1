"""Lexicon matching: victims, triggers, actors, causes and sources as labelled spans.

One PhraseMatcher per case mode over the data files (case-insensitive on NORM, so
curly and straight apostrophes match alike; case-sensitive on ORTH for short
acronyms such as "IS" or "US" that are also English words). Within a layer the
longest match wins (spaCy's filter_spans), so "Islamic State group" beats "State".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline import rules
from pipeline.extract.tokens import longest_first, set_spans, token_view
from pipeline.normalize.actors import BY_COUNTRY_PREFIX, state_id, state_names

# Layers written to doc.spans, each filtered for overlaps separately.
LAYERS = ("victim", "victim_adj", "trigger", "actor", "cause", "source", "report", "target_marker", "target_suffix")
# Matched like the layers but only combined into "actor" spans (``_state_forces``), never
# written to the Doc: a country name or demonym, and a force noun ("Nigerian" + "army");
# a word that names the article's state before a force noun ("junta" + "soldiers").
STATE_NAME, FORCE_NOUN, STATE_MODIFIER = "state_name", "force_noun", "state_modifier"
# Force nouns that may come before "of" and the country ("the army of Mali"); not attack
# nouns, whose "of X" names the target ("the shelling of Ukraine").
FORCES_OF = frozenset("army armies forces troops soldiers military police navy gendarmerie".split() +
                      ["armed forces", "security forces", "air force", "national army", "defence forces", "defense forces"])
POSSESSIVE = frozenset(("'s", "\u2019s", "'", "\u2019"))


@dataclass(frozen=True)
class Entry:
    """One phrase of a lexicon: the layer it belongs to and the label it carries."""

    layer: str
    label: str
    phrase: str
    case_sensitive: bool = False


def _victim_entries() -> Iterator[Entry]:
    data = rules.load("victims")
    for group, nouns in data["groups"].items():
        for noun in nouns:
            label = noun.lower() if group == "other" else group
            yield Entry("victim", label, str(noun))
    for group, adjectives in data["adjectives"].items():
        for adjective in adjectives:
            yield Entry("victim_adj", group, str(adjective))


def _trigger_entries() -> Iterator[Entry]:
    data = rules.load("predicates")
    for rule in data["rules"]:
        for phrase in rule["phrases"]:
            yield Entry("trigger", rule["id"], str(phrase))
    for phrase in data.get("not_triggers", []):
        yield Entry("trigger", NOT_A_TRIGGER, str(phrase))


def _actor_entries() -> Iterator[Entry]:
    data = rules.load("actors")
    for actor_id, spec in data["actors"].items():
        for alias in spec.get("aliases", []):
            yield Entry("actor", actor_id, str(alias))
        for alias in spec.get("case_aliases", []):
            yield Entry("actor", actor_id, str(alias), case_sensitive=True)
    for word, spec in data["by_country"].items():
        label = f"{BY_COUNTRY_PREFIX}{word}"
        for alias in spec.get("aliases", []):
            yield Entry("actor", label, str(alias))
        for alias in spec.get("case_aliases", []):
            yield Entry("actor", label, str(alias), case_sensitive=True)
        for word in spec.get("before_force_nouns", []):
            yield Entry(STATE_MODIFIER, label, str(word))
    forces = data["state_forces"]
    for country, names in forces.get("aliases", {}).items():
        for name in names:
            # "SAF", "SNA": short capitals are acronyms only in capitals.
            acronym = str(name).isupper() and len(str(name)) <= 5
            yield Entry("actor", state_id(str(country)), str(name), case_sensitive=acronym)
    for country, name, _kind in state_names():
        yield Entry(STATE_NAME, country, name)
    for noun in forces["nouns"]:
        yield Entry(FORCE_NOUN, FORCE_NOUN, str(noun))
    for marker in data["target_markers"]:
        yield Entry("target_marker", "target", str(marker))
    for suffix in data["target_suffixes"]:
        yield Entry("target_suffix", "target", str(suffix))


# Label of the cause-layer phrases that name no cause ("gas field"); dropped after matching.
NOT_A_CAUSE = "not_a_cause"
# Label of the trigger-layer phrases that report no death ("sentenced to death"); dropped after
# matching, so that they only keep a shorter trigger inside them ("to death") from matching.
NOT_A_TRIGGER = "not_a_trigger"


def unnamed_labels() -> list[str]:
    """Actor ids marked ``named: false``: words that name no group ("militants", "gunmen")."""
    return [k for k, v in rules.load("actors")["actors"].items() if v.get("named") is False and v.get("perpetrator") is not False]


def generic_labels() -> list[str]:
    """Labels of the by_country words that are a kind of fighter, not a group ("rebels", "soldiers")."""
    return [f"{BY_COUNTRY_PREFIX}{k}" for k, v in rules.load("actors")["by_country"].items() if v.get("head")]


def _cause_entries() -> Iterator[Entry]:
    data = rules.load("causes")
    for cause_id, spec in data["causes"].items():
        for alias in spec["aliases"]:
            yield Entry("cause", cause_id, str(alias))
    for phrase in data.get("not_causes", []):
        yield Entry("cause", NOT_A_CAUSE, str(phrase))


def _source_entries() -> Iterator[Entry]:
    data = rules.load("sources")
    for name, spec in data["organizations"].items():
        for alias in spec.get("aliases", []):
            # Short all-caps acronyms (UN, WHO) are matched with their case.
            yield Entry("source", f"org:{name}", str(alias), case_sensitive=str(alias).isupper() and len(alias) <= 5)
        for alias in spec.get("generic", []):
            yield Entry("source", f"generic:{name}", str(alias))
    for alias in data["anonymous"]:
        yield Entry("source", "anonymous", str(alias))
    for verb in data["report_verbs"]["after_source"]:
        yield Entry("report", "after", str(verb))
    for verb in data["report_verbs"]["before_source"]:
        yield Entry("report", "before", str(verb))


def all_entries() -> list[Entry]:
    """Every lexicon entry the pipeline matches, in a fixed order."""
    return [
        *_victim_entries(),
        *_trigger_entries(),
        *_actor_entries(),
        *_cause_entries(),
        *_source_entries(),
    ]


class LexiconMatcher:
    """Matches every lexicon at once and writes one span group per layer."""

    def __init__(self, nlp: Language, entries: Iterable[Entry] | None = None) -> None:
        self.folded = PhraseMatcher(nlp.vocab, attr="NORM")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.keys: dict[int, tuple[str, int]] = {}
        self.not_a_cause = nlp.vocab.strings.add(NOT_A_CAUSE)
        self.not_a_trigger = nlp.vocab.strings.add(NOT_A_TRIGGER)
        # Country code -> the hash of its forces' actor id, for the combined state spans.
        self.state_labels = {code: nlp.vocab.strings.add(state_id(code)) for code, _, _ in state_names()}
        # Labels of the generic words that may head a named actor's mention ("ISWAP insurgents").
        self.heads = frozenset(nlp.vocab.strings.add(label) for label in (*unnamed_labels(), *generic_labels()))
        # Lower-case words of each surface -> "name" or "demonym" (a demonym wins a tie).
        self.surface_kinds: dict[str, str] = {}
        for _, surface, kind in state_names():
            words = " ".join(t.lower_ for t in nlp.tokenizer(surface))
            if self.surface_kinds.get(words) != "demonym":
                self.surface_kinds[words] = kind
        grouped: dict[tuple[str, str, bool], list[str]] = {}
        for entry in entries if entries is not None else all_entries():
            grouped.setdefault((entry.layer, entry.label, entry.case_sensitive), []).append(entry.phrase)
        for (layer, label, case_sensitive), phrases in grouped.items():
            key = f"{layer}|{label}"
            docs = list(nlp.tokenizer.pipe(sorted(set(phrases))))
            matcher = self.exact if case_sensitive else self.folded
            matcher.add(key, docs)
            # The label goes in as its hash: a Span given a string adds it to the
            # StringStore again on every construction.
            self.keys[nlp.vocab.strings[key]] = (layer, nlp.vocab.strings.add(label))

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[tuple[int, int, int]]] = {
            layer: [] for layer in (*LAYERS, STATE_NAME, FORCE_NOUN, STATE_MODIFIER)
        }
        for matcher in (self.folded, self.exact):
            for match_id, start, end in matcher(doc):
                layer, label = self.keys[match_id]
                found[layer].append((start, end, label))
        nouns = found.pop(FORCE_NOUN)
        found["actor"].extend(self._state_forces(doc, found.pop(STATE_NAME), nouns))
        found["actor"].extend(self._modified_forces(doc, found.pop(STATE_MODIFIER), nouns))
        for layer, matches in found.items():
            kept = longest_first(matches)
            if layer == "actor":
                kept = self._join_heads(doc, kept)
            if layer == "cause":
                kept = [m for m in kept if m[2] != self.not_a_cause]
            elif layer == "trigger":
                kept = [m for m in kept if m[2] != self.not_a_trigger]
            set_spans(doc, layer, [Span(doc, start, end, label=label) for start, end, label in kept])
        return doc

    def _join_heads(self, doc: Doc, kept: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """ "ISWAP insurgents", "al-Shabaab gunmen", "Allied Democratic Forces (ADF) rebels": a
        generic head noun right after a named actor is that actor, one mention with its label."""
        if len(kept) < 2:
            return kept
        view = token_view(doc)
        texts, lowers = view.texts, view.lowers
        joined: list[tuple[int, int, int]] = [kept[0]]
        for start, end, label in kept[1:]:
            prev_start, prev_end, prev_label = joined[-1]
            gap = texts[prev_end:start]
            if label in self.heads and prev_label not in self.heads and (not gap or gap == [")"]):
                joined[-1] = (prev_start, end, prev_label)
                continue
            # "militants of al-Qaeda in the Arabian Peninsula", "fighters of the Islamic State"
            if prev_label in self.heads and label not in self.heads and lowers[prev_end:start] in (["of"], ["of", "the"]):
                joined[-1] = (prev_start, end, label)
                continue
            joined.append((start, end, label))
        return joined

    @staticmethod
    def _modified_forces(
        doc: Doc, modifiers: list[tuple[int, int, int]], nouns: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """Actor matches for the article's state named by a word before a force noun:
        "junta soldiers", "a junta fighter jet", "the junta's troops", "federal forces".
        The match carries the word's by_country label, resolved by the article's country."""
        if not modifiers or not nouns:
            return []
        lowers = token_view(doc).lowers
        noun_end = {start: end for start, end, _ in longest_first(nouns)}
        kept: list[tuple[int, int, int]] = []
        for start, end, label in modifiers:
            k = end + 1 if end < len(lowers) and lowers[end] in POSSESSIVE else end
            if k in noun_end:
                stop = noun_end[k]
                while stop in noun_end:  # "junta fighter jets" + "air strikes"
                    stop = noun_end[stop]
                kept.append((start, stop, label))
        return kept

    def _state_forces(
        self, doc: Doc, names: list[tuple[int, int, int]], nouns: list[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """Actor matches for a state's forces: a capitalised name or demonym, an optional
        "'s", and force nouns ("Nigerian army", "Nigeria's military", "Ukrainian air force
        jets"); or a force noun, "of" and a name ("the army of Mali")."""
        if not names or not nouns:
            return []
        view = token_view(doc)
        texts, lowers = view.texts, view.lowers
        noun_end = {start: end for start, end, _ in longest_first(nouns)}
        kept: list[tuple[int, int, int]] = []
        capitalised = [(s, e, label) for s, e, label in longest_first(names) if texts[s][:1].isupper()]
        for start, end, label in capitalised:
            possessive = end < len(lowers) and lowers[end] in POSSESSIVE
            k = end + 1 if possessive else end
            if k not in noun_end:
                continue
            # "Syria troops", but not "... Syria Iraq Air strikes" (a country name before an
            # attack noun is mostly a glued headline or a place): names take personnel nouns.
            if self.surface_kinds.get(" ".join(lowers[start:end]), "name") == "name" and not possessive and " ".join(lowers[k : noun_end[k]]) not in FORCES_OF:
                continue
            stop = noun_end[k]
            while stop in noun_end:  # "air force" + "jets"
                stop = noun_end[stop]
            kept.append((start, stop, self.state_labels[doc.vocab.strings[label]]))
        by_start = {start: (end, label) for start, end, label in capitalised}
        for start, end in noun_end.items():
            k = end
            if k < len(lowers) and lowers[k] == "of" and " ".join(lowers[start:end]) in FORCES_OF:
                k += 2 if k + 1 < len(lowers) and lowers[k + 1] == "the" else 1
                if k in by_start:
                    name_end, label = by_start[k]
                    kept.append((start, name_end, self.state_labels[doc.vocab.strings[label]]))
        return kept
