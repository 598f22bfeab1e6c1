"""Places of a claim: the sentence's place mentions, resolved to admin1 and country.

Mentions inside an actor or source name ("Syrian army", "Syrian Observatory") and
"X-based" descriptors ("the Britain-based Observatory") say nothing about where
people died and are skipped. Ambiguous names prefer the countries the article names.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span

from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import spans_of
from pipeline.normalize.places import KIND_ADMIN1, Place, resolve

_BASED = ("-based", "based")
# Verbs after a capital that make it its government speaking, not a place where people
# died ("despite Damascus promises of a truce", "Moscow denied"); report verbs ("said")
# come from sources.yaml.
_SPEAKER_VERBS = frozenset(
    "promises promised pledges pledged accuses accused denies denied blames blamed warns warned vows vowed "
    "insists insisted claims claimed rejects rejected condemns condemned".split()
)


class PlaceContext:
    """Resolves the place mentions of one article, with the article's countries as context."""

    def __init__(self, doc: Doc, layers: Layers) -> None:
        self.doc = doc
        self.layers = layers
        self.resolved: dict[int, Place | None] = {}
        mentions = [s for s in spans_of(doc, "place") if self._counts(s)]
        first = [resolve(s.text, s.kb_id_) for s in mentions]
        tally = Counter(p.country for p in first if p is not None)
        self.countries = tuple(code for code, _ in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
        for span in mentions:
            self.resolved[span.start] = resolve(span.text, span.kb_id_, self.countries)
        self._apply_stated_divisions(mentions)

    def _apply_stated_divisions(self, mentions: list[Span]) -> None:
        """ "Hader in Quneitra province", "Tokhar in Aleppo": the text names the division a
        place lies in, which beats a gazetteer homonym elsewhere (Al Hadir, Aleppo). Every
        mention of the same name takes the stated division."""
        by_start = {s.start: s for s in mentions}
        stated: dict[str, Place] = {}
        for span in mentions:
            place = self.resolved.get(span.start)
            if place is None or place.admin1 is None or span.kb_id_.startswith(KIND_ADMIN1 + ":"):
                continue
            k = span.end
            if k >= len(self.doc) or self.doc[k].lower_ != "in":
                continue
            k += 2 if k + 1 < len(self.doc) and self.doc[k + 1].lower_ == "the" else 1
            division_span = by_start.get(k)
            division = self.resolved.get(k)
            if division_span is None or division is None or division.admin1 is None:
                continue
            if not (division_span.kb_id_.startswith(KIND_ADMIN1 + ":") or division.name == division.admin1):
                continue
            if division.admin1 != place.admin1 and division.country == place.country:
                stated[span.kb_id_] = Place(span.text, division.admin1, division.country)
        if stated:
            for span in mentions:
                if span.kb_id_ in stated:
                    self.resolved[span.start] = stated[span.kb_id_]

    def _counts(self, span: Span) -> bool:
        """False for mentions inside actor/source names, "X-based" descriptors and a capital
        standing for its government ("Damascus promises", "Moscow said")."""
        doc = self.doc
        if any(self.layers.over(layer, k) is not None for layer in ("actor", "source") for k in range(span.start, span.end)):
            return False
        if span.end < len(doc):
            report = self.layers.at("report", span.end)
            if doc[span.end].lower_ in _SPEAKER_VERBS or (report is not None and report.label_ == "after"):
                return False
        nxt = doc[span.end].text.lower() if span.end < len(doc) else ""
        after = doc[span.end + 1].text.lower() if span.end + 1 < len(doc) else ""
        return not (nxt in _BASED or (nxt == "-" and after == "based"))

    def places_in(self, start: int, end: int) -> list[Place]:
        """Resolved places mentioned in tokens [start, end), in order, without repeats."""
        seen: list[Place] = []
        for token_start, place in sorted(self.resolved.items()):
            if start <= token_start < end and place is not None and place not in seen:
                seen.append(place)
        return seen

    def for_sentence(self, sentence: Span) -> list[dict[str, str | None]]:
        """The JSON locations of a sentence."""
        out: list[dict[str, str | None]] = []
        for span in self.layers.within("place", sentence.start, sentence.end):
            place = self.resolved.get(span.start)
            if place is None:
                continue
            entry = {"text": span.text, "name": place.name, "admin1": place.admin1, "country": place.country}
            if all((e["name"], e["admin1"], e["country"]) != (place.name, place.admin1, place.country) for e in out):
                out.append(entry)
        return out
