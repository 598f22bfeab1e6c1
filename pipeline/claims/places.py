"""Places of a claim: the sentence's place mentions, resolved to admin1 and country.

Mentions inside an actor or source name ("Syrian army", "Syrian Observatory") and
"X-based" descriptors ("the Britain-based Observatory") say nothing about where
people died and are skipped. Ambiguous names prefer the countries the article names.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import NamedTuple

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
        # Each mention's text and key, read once: Span.text joins a Token per word and
        # kb_id_ is a string-store look-up; both are needed twice or more per mention.
        mentions = [_Mention(s, layers.text(s), s.kb_id_) for s in self._counting(spans_of(doc, "place"))]
        first = [resolve(m.text, m.key) for m in mentions]
        tally = Counter(p.country for p in first if p is not None)
        self.countries = tuple(code for code, _ in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
        for mention in mentions:
            self.resolved[mention.span.start] = resolve(mention.text, mention.key, self.countries)
        self._apply_stated_divisions(mentions)
        # By token start, for ``places_in``: the incident asks for the places of a dozen
        # sentences, and the resolved places do not change after this point.
        self._ordered = sorted(self.resolved.items())
        self._starts = [start for start, _ in self._ordered]

    def _apply_stated_divisions(self, mentions: list[_Mention]) -> None:
        """ "Hader in Quneitra province", "Tokhar in Aleppo": the text names the division a
        place lies in, which beats a gazetteer homonym elsewhere (Al Hadir, Aleppo). Every
        mention of the same name takes the stated division."""
        by_start = {m.span.start: m for m in mentions}
        lowers = self.layers.view.lowers  # doc[k] builds a Token per access
        stated: dict[str, Place] = {}
        for mention in mentions:
            span = mention.span
            place = self.resolved.get(span.start)
            if place is None or place.admin1 is None or mention.key.startswith(KIND_ADMIN1 + ":"):
                continue
            k = span.end
            if k >= len(lowers) or lowers[k] != "in":
                continue
            k += 2 if k + 1 < len(lowers) and lowers[k + 1] == "the" else 1
            division_mention = by_start.get(k)
            division = self.resolved.get(k)
            if division_mention is None or division is None or division.admin1 is None:
                continue
            if not (division_mention.key.startswith(KIND_ADMIN1 + ":") or division.name == division.admin1):
                continue
            if division.admin1 != place.admin1 and division.country == place.country:
                stated[mention.key] = Place(mention.text, division.admin1, division.country)
        if stated:
            for mention in mentions:
                if mention.key in stated:
                    self.resolved[mention.span.start] = stated[mention.key]

    def _counting(self, spans: list[Span]) -> list[Span]:
        """The mentions that may say where people died: not those inside actor/source names,
        "X-based" descriptors, nor a capital standing for its government ("Damascus
        promises", "Moscow said"). The layer maps are taken once for all mentions."""
        actors, sources = self.layers.covers_of("actor").keys(), self.layers.covers_of("source").keys()
        reports = self.layers.starts_of("report")
        # Token.lower_ and Token.text.lower() are both the view's lowers (LOWER is str.lower).
        lowers = self.layers.view.lowers
        n = len(lowers)
        kept: list[Span] = []
        for span in spans:
            start, end = span.start, span.end
            tokens = range(start, end)
            if not (actors.isdisjoint(tokens) and sources.isdisjoint(tokens)):
                continue
            nxt = lowers[end] if end < n else ""
            report = reports.get(end)
            if nxt in _SPEAKER_VERBS or (report is not None and report.label_ == "after"):
                continue
            after = lowers[end + 1] if end + 1 < n else ""
            if not (nxt in _BASED or (nxt == "-" and after == "based")):
                kept.append(span)
        return kept

    def places_in(self, start: int, end: int) -> list[Place]:
        """Resolved places mentioned in tokens [start, end), in order, without repeats."""
        seen: list[Place] = []
        for k in range(bisect_left(self._starts, start), bisect_left(self._starts, end)):
            place = self._ordered[k][1]
            if place is not None and place not in seen:
                seen.append(place)
        return seen

    def for_sentence(self, sentence: Span) -> list[dict[str, str | None]]:
        """The JSON locations of a sentence: found once per sentence (its claims all ask),
        and copied for each claim so that no two claims share a dict."""
        key = ("locations", sentence.start, sentence.end)
        found = self.layers.memo.get(key)
        if found is None:
            found = self.layers.memo[key] = self._locations(sentence)
        return [dict(location) for location in found]

    def _locations(self, sentence: Span) -> list[dict[str, str | None]]:
        out: list[dict[str, str | None]] = []
        seen: set[tuple[str, str | None, str]] = set()
        for span in self.layers.within("place", sentence.start, sentence.end):
            place = self.resolved.get(span.start)
            if place is None:
                continue
            key = (place.name, place.admin1, place.country)
            if key not in seen:
                seen.add(key)
                out.append({"text": self.layers.text(span), "name": place.name, "admin1": place.admin1, "country": place.country})
        return out


class _Mention(NamedTuple):
    """A place mention with the text and key it is resolved from."""

    span: Span
    text: str
    key: str
