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
from pipeline.extract.tokens import longest_first, set_spans

# Layers written to doc.spans, each filtered for overlaps separately.
LAYERS = ("victim", "victim_adj", "trigger", "actor", "cause", "source", "report", "target_marker", "target_suffix")


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
    for marker in data["target_markers"]:
        yield Entry("target_marker", "target", str(marker))
    for suffix in data["target_suffixes"]:
        yield Entry("target_suffix", "target", str(suffix))


# Label of the cause-layer phrases that name no cause ("gas field"); dropped after matching.
NOT_A_CAUSE = "not_a_cause"
# Label of the trigger-layer phrases that report no death ("sentenced to death"); dropped after
# matching, so that they only keep a shorter trigger inside them ("to death") from matching.
NOT_A_TRIGGER = "not_a_trigger"


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
        found: dict[str, list[tuple[int, int, int]]] = {layer: [] for layer in LAYERS}
        for matcher in (self.folded, self.exact):
            for match_id, start, end in matcher(doc):
                layer, label = self.keys[match_id]
                found[layer].append((start, end, label))
        for layer, matches in found.items():
            kept = longest_first(matches)
            if layer == "cause":
                kept = [m for m in kept if m[2] != self.not_a_cause]
            elif layer == "trigger":
                kept = [m for m in kept if m[2] != self.not_a_trigger]
            set_spans(doc, layer, [Span(doc, start, end, label=label) for start, end, label in kept])
        return doc
