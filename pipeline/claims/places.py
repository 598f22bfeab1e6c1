"""Places of a claim: the sentence's place mentions, resolved to admin1 and country.

Mentions inside an actor or source name ("Syrian army", "Syrian Observatory"),
descriptors ("the Britain-based Observatory", "Saudi-led", "pro-Damascus"), a capital
speaking for its government ("Moscow denied") and one-word places inside a person's name
("President Vladimir Putin") say nothing about where people died and are skipped; the
names inside actors still tell which countries the report is about.

Homonyms: the article's countries are weighed first (a country, a division with its kind
word or a hand-written place names one for sure; a demonym, a bare division or a city of
100,000+ makes one likely; a small place proves nothing), then every mention is resolved
with them (pipeline.normalize.places._rank), and a small place in a country the text never
names is dropped as a homonym.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from spacy.tokens import Doc, Span

from pipeline.claims.tokens import Layers
from pipeline.extract.tokens import spans_of
from pipeline.normalize.places import (
    HOME_COUNTRIES,
    KIND_ADMIN1,
    KIND_DEMONYM,
    KIND_PLACE,
    LIKELY,
    NAMED,
    WEAK,
    Place,
    is_ambiguous,
    is_known_name,
    place_in_division,
    resolve_evidence,
)

_BASED = ("-based", "based")
# "Saudi-led", "Damascus-backed", "Russian-made", "Russian-installed": a place or demonym
# joined to one of these (or to any participle in -ed) describes an actor or a thing, not
# where people died; "pro-Damascus", "anti-Kyiv" likewise.
_DESCRIBED = frozenset(
    "led backed based allied aligned funded sponsored made supported trained brokered armed financed "
    "affiliated linked inspired owned run".split()
)
_SIDE_PREFIXES = frozenset({"pro", "anti"})
_LOCATIVES = frozenset("in near across inside throughout outside into around at".split())
_DIRECTIONS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast "
    "southwest northeastern northwestern southeastern southwestern north-east north-west south-east "
    "south-west north-eastern north-western south-eastern south-western".split()
)
# Capitalised words after a place that keep it a place ("Borno State", "Gaza City").
_KIND_WORDS = frozenset("state province region governorate district county oblast city town village camp".split())
# Verbs after a capital that make it its government speaking, not a place where people
# died ("despite Damascus promises of a truce", "Moscow denied"); report verbs ("said")
# come from sources.yaml.
_SPEAKER_VERBS = frozenset(
    "promises promised pledges pledged accuses accused denies denied blames blamed warns warned vows vowed "
    "insists insisted claims claimed rejects rejected condemns condemned".split()
)


# Verbs that address a government by its capital, and the words after it that show so
# ("warned Islamabad of consequences", "accused Moscow of", "urged Kyiv to").
_ADDRESS_VERBS = frozenset("warned warns urged urges accused accuses told tells asked asks pressed presses "
                           "blamed blames criticised criticized thanked".split())
_ADDRESS_AFTER = frozenset("of to that against over for not".split())
# Words after a name that make it a quarter of a city ("the Vila Cruzeiro favela").
_QUARTER_WORDS = frozenset("neighbourhood neighborhood favela slum suburb barrio colonia quarter".split())
# Words before a country that name a part of it ("central Mali", "northeastern Nigeria").
_PARTS_OF_COUNTRY = frozenset("central northern southern eastern western northeastern northwestern southeastern "
                              "southwestern north-eastern north-western south-eastern south-western".split())
# Divisions named by a compass word ("West", "Northern", "Far North"): after a capitalised
# word they end another name ("Imphal West district", "Darfur North") and name no division.
_COMPASS = frozenset("west east north south northern southern eastern western central centre center far "
                     "north-west north-east south-west south-east northwest northeast southwest southeast".split())
# Speakers whose place is where they serve, and so where what they tell happened: "police in
# Karachi said", "officials in Kabul said", "residents in Maiduguri told".
_LOCAL_SPEAKERS = frozenset("police officials authorities residents doctors medics witnesses officers "
                            "rescuers hospital".split())
# Kind words of a place that lies inside a division: "Bijapur district of Chhattisgarh",
# "Kani township of Sagaing".
_PART_KINDS = frozenset("district county town village city municipality township subdistrict commune locality".split())
# The words after a place that open its division's phrase in "X in D", "X, D" (besides
# _PART_KINDS: "X district of D", "X village in D").
_STATED_OPENERS = frozenset((",", "in"))
# Marks that end a dateline ("KINSHASA (Reuters) -", "ISLAMABAD:"), and how many words
# after the city's comma may come before one ("ABUJA, Nigeria, May 4 (AP) -").
_DATELINE_MARKS = frozenset(("-", "\u2013", "\u2014", ":", "--"))
_DATELINE_REACH = 12


# Every word after a place that one of _counting's tests of that word looks for.
_TELLING_NEXT = _SPEAKER_VERBS | _ADDRESS_AFTER | frozenset(_BASED) | {"-"}
# The key prefix of gazetteer and hand-written place names (not countries' divisions or demonyms).
_PLACE_KEY = KIND_PLACE + ":"


class PlaceContext:
    """Resolves the place mentions of one article, with the article's countries as context."""

    def __init__(self, doc: Doc, layers: Layers, title_end: int = 0) -> None:
        self.doc = doc
        self.layers = layers
        self.title_end = title_end  # character offset where the body starts
        self.resolved: dict[int, Place | None] = {}
        # Each mention's text and key, read once: Span.text joins a Token per word and
        # kb_id_ is a string-store look-up; both are needed twice or more per mention.
        # Demonyms and names inside an actor's or source's name ("Israeli medics", "Nigerian
        # troops", "Turkey said") say nothing of where people died, but they do say which
        # country the report is about.
        mentions, evidence_only = self._counting(spans_of(doc, "place"))
        # "N'DJAMENA, Feb 11 (AFP) -": the city a story was filed from is where the reporter
        # or the issuing office is, not where people died. It names the article's country
        # only when nothing else does, and the incident takes it only after the places of
        # the lead (pipeline/incident.py).
        dateline = self._dateline(mentions)
        # The article's countries, weighed by how each mention names one: a country or a
        # division counts twice, a demonym or a large city once, a small place not at all
        # (a village of the same name exists in many countries).
        tally: Counter[str] = Counter()
        named: set[str] = set()  # countries named by a country, "<X> province", an alias or a demonym
        sure: set[str] = set()  # countries named by a country, "<X> province" or an alias
        kind_named: set[str] = set()  # countries of a place named with its kind word ("Bijapur district")
        ambiguous: list[_Mention] = []
        lowers = layers.view.lowers
        # A name recurs in an article ("Aleppo" five times): resolved once per article here.
        alone: dict[tuple[str, str], tuple[Place | None, int]] = {}
        for mention in mentions:
            if mention is dateline:
                continue
            if is_ambiguous(mention.text, mention.key):
                ambiguous.append(mention)
                continue
            place, evidence = alone.get(mention[1:]) or alone.setdefault(
                mention[1:], resolve_evidence(mention.text, mention.key))
            if place is not None:
                tally[place.country] += evidence
                if evidence == NAMED or mention.key.startswith(KIND_DEMONYM + ":"):
                    named.add(place.country)
                elif mention.key.startswith(KIND_ADMIN1 + ":") or _kind_before(lowers, mention.span.start):
                    kind_named.add(place.country)
                if evidence == NAMED:
                    sure.add(place.country)
        # A name inside an actor's name ("the United States said", "Turkish troops") is as
        # good as a demonym: likely, never sure.
        for mention in evidence_only:
            place, evidence = resolve_evidence(mention.text, mention.key)
            if place is not None and place.admin1 is None:
                tally[place.country] += LIKELY
                named.add(place.country)
        # A name of several countries ("Plateau State") counts once the others have spoken.
        context = _ranked(tally)
        for mention in ambiguous:
            place, evidence = resolve_evidence(mention.text, mention.key, context, frozenset(sure))
            if place is not None:
                tally[place.country] += evidence
                if evidence == NAMED:
                    named.add(place.country)
                    sure.add(place.country)
        # A place with its kind word that is no division ("Bijapur district") names its
        # country as likely: the small places of that country stand ("Sukma and Bijapur
        # districts"), unless the article names another country for sure (a village
        # "Gara" of Hungary is not "the Gara region of northern Iraq").
        named.update(c for c in kind_named if not sure or c in sure)
        if dateline is not None:
            place, evidence = resolve_evidence(dateline.text, dateline.key, _ranked(tally), frozenset(sure))
            # The dateline's country counts only when the rest names no country; then it is
            # as good as a demonym ("KABUL (Reuters) - A bomb killed ten at a mosque").
            if place is not None and not any(tally.values()):
                tally[place.country] += LIKELY
                named.add(place.country)
        self.countries = _ranked(tally)
        sure_now = frozenset(sure)  # one set for every mention's (cached) resolution
        final: dict[tuple[str, str], Place | None] = {}  # by name, as above
        for mention in mentions:
            name = mention[1:]
            if name in final:
                self.resolved[mention.span.start] = final[name]
                continue
            place, evidence = resolve_evidence(mention.text, mention.key, self.countries, sure_now)
            if place is not None and evidence != NAMED and not _stands(place.country, evidence, named, sure, self.countries):
                place = None
            self.resolved[mention.span.start] = final[name] = place
        self._apply_stated_divisions(mentions)
        self._apply_possessive_divisions(mentions)
        # The countries of the places kept, most named first: what a report is about when
        # its only places are small ones that weigh nothing above ("The occupiers shelled
        # Nikopol"), for the words named by country (``actor_countries``).
        kept = Counter(place.country for place in self.resolved.values() if place is not None)
        self.place_countries = tuple(code for code, _ in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])))
        # Places named only as where something came from ("a rocket fired from Gaza hit
        # Sderot", "a man from Latakia was killed in Idlib"): the incident prefers others.
        after_from = {m.span.start for m in mentions if m.span.start > 0 and lowers[m.span.start - 1] == "from"}
        self.origins: frozenset[Place] = frozenset(
            place for start, place in self.resolved.items() if place is not None and start in after_from
        ) - {place for start, place in self.resolved.items() if start not in after_from} if after_from else frozenset()
        # The dateline's place, unless the body names it again ("MOGADISHU - A bomb in Mogadishu");
        # ``dateline_fits``: it lies in the article's first country, so that it may stand for
        # the place of the event when the lead names none.
        dateline_place = self.resolved.get(dateline.span.start) if dateline is not None else None
        self.datelines: frozenset[Place] = frozenset()
        self.dateline_fits = False
        if dateline_place is not None:
            again = {place for start, place in self.resolved.items() if start != dateline.span.start}  # type: ignore[union-attr]
            self.datelines = frozenset({dateline_place} - again)
            # ... unless the text places the event in a part of that country by a compass word
            # ("BAMAKO - Nine soldiers were killed in central Mali": not in Bamako).
            parted = {place.country for start, place in self.resolved.items()
                      if place is not None and place.admin1 is None and start and lowers[start - 1] in _PARTS_OF_COUNTRY}
            self.dateline_fits = bool(self.countries) and (
                dateline_place.country == self.countries[0]) and dateline_place.country not in parted
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
        n = len(lowers)
        for mention in mentions:
            span = mention.span
            k = span.end
            # Only a comma, "in" or a kind word may follow the place (most places: none of them).
            if k >= n or not (lowers[k] in _STATED_OPENERS or lowers[k] in _PART_KINDS):
                continue
            place = self.resolved.get(span.start)
            if place is None or mention.key.startswith(KIND_ADMIN1 + ":"):
                continue
            # "X in (the) D", "X, D", "X, in (the) D"
            comma = k < len(lowers) and lowers[k] == ","
            k += comma
            # "Bijapur district of Chhattisgarh": the division's phrase opens with the place's
            # own kind word, as "X in D" does with "in" ("the Damascus suburbs of Ain Tarma"
            # names the part after "of", not the whole).
            kind_of = (not comma and k + 1 < len(lowers) and lowers[k] in _PART_KINDS and lowers[k + 1] == "of"
                       and k in by_start)
            if not comma and k + 1 < len(lowers) and lowers[k] in _PART_KINDS and lowers[k + 1] == "in":
                k += 1  # "Kware village in Zamfara state": the place's kind word, then "in"
            if k < len(lowers) and lowers[k] == "in":
                k += 1
                comma = False  # "Calamar, in the department of Guaviare": no list
            elif not comma and not kind_of:
                continue
            k += 1 if k < len(lowers) and lowers[k] == "the" else 0
            division_mention = by_start.get(k)
            if division_mention is None:
                continue
            # A division dropped as a homonym of a country the article names for sure
            # still counts next to a place of its own ("Puerto Rico, Caqueta").
            kept = self.resolved.get(k)
            division = kept or resolve_evidence(division_mention.text, division_mention.key, self.countries)[0]
            if division is None or division.admin1 is None:
                continue
            if not (division_mention.key.startswith(KIND_ADMIN1 + ":") or division.name == division.admin1):
                continue
            if kind_of and division.name != division.admin1:
                continue  # "X district of D": D itself must be a division
            if division.country != place.country and division.admin1_code:
                # A homonym abroad, or a country's name, next to a division that has a place
                # of that name: "Puerto Rico, Caqueta" is the town of Colombia.
                found = place_in_division(mention.key, division.admin1_code)
                if found is not None:
                    stated[mention.key] = Place(mention.text, found.admin1, found.country, found.admin1_code)
                    stated[division_mention.key] = division
            elif (kept is not None and not comma and place.admin1 is not None and division.admin1 != place.admin1
                  and division.country == place.country):
                # Not after a comma: "Aleppo, Idlib and Hama" is a list.
                stated[mention.key] = Place(mention.text, division.admin1, division.country, division.admin1_code)
            elif (comma and division.country == place.country and division.admin1_code and place.admin1 is not None
                  and division.admin1 != place.admin1 and place.name != place.admin1
                  and not LIST_WORDS.intersection(lowers[division_mention.span.end : division_mention.span.end + 1])):
                # "Calamar, Guaviare": a town of that name in the division after the comma
                # is the one meant (Calamar of Bolivar is bigger). A list names divisions
                # ("Aleppo, Idlib and Hama": Aleppo is its own division) or goes on with "and".
                found = place_in_division(mention.key, division.admin1_code)
                if found is not None:
                    stated[mention.key] = Place(mention.text, found.admin1, found.country, found.admin1_code)
        if stated:
            for mention in mentions:
                if mention.key in stated:
                    self.resolved[mention.span.start] = stated[mention.key]

    def _apply_possessive_divisions(self, mentions: list[_Mention]) -> None:
        """ "Chhattisgarh's Bijapur district", "Zamfara's Kware village": a place after its
        division's possessive is the place of that name in that division, not a homonym
        elsewhere (Bijapur of Karnataka)."""
        by_end = {m.span.end: m for m in mentions}
        lowers = self.layers.view.lowers
        for mention in mentions:
            start = mention.span.start
            if start < 2 or lowers[start - 1] not in ("'s", "’s") or start - 1 not in by_end:
                continue
            division = self.resolved.get(by_end[start - 1].span.start)
            place = self.resolved.get(start)
            if division is None or division.admin1_code is None or division.name != division.admin1:
                continue
            if place is not None and (place.admin1_code == division.admin1_code or place.name == place.admin1):
                continue  # already there, or a division itself ("Syria's Idlib province")
            found = place_in_division(mention.key, division.admin1_code)
            if found is not None:
                self.resolved[start] = found

    def _dateline(self, mentions: list[_Mention]) -> _Mention | None:
        """The place mention that opens the body as a dateline: "N'DJAMENA, Feb 11 (AFP) -",
        "KINSHASA (Reuters) -", "ISLAMABAD:", "Kabul, June 7 (Reuters) -", "GENEVA (10
        November 2023) -". A capitalised word, or one followed by "(" or a dash or colon, or
        by a comma and a dash within the next few words; never a sentence's subject
        ("Kabul, the capital, was hit")."""
        view = self.layers.view
        texts, starts = view.texts, view.starts
        first = bisect_left(starts, self.title_end)  # the first token of the body (the starts ascend)
        while first < len(texts) and texts[first].isspace():
            first += 1
        mention = next((m for m in mentions if m.span.start == first), None)
        if mention is None:
            return None
        end = mention.span.end
        after = texts[end] if end < len(texts) else ""
        if after in _DATELINE_MARKS or after == "(":
            return mention
        if after != ",":
            return None
        stop = self.layers.sentence_bounds[first][1]
        for k in range(end + 1, min(stop, end + _DATELINE_REACH)):
            if texts[k] in _DATELINE_MARKS and (mention.text.isupper() or texts[k] != ":"):
                return mention
        return None

    def _counting(self, spans: list[Span]) -> tuple[list[_Mention], list[_Mention]]:
        """(the mentions that may say where people died, the names inside actor/source names).

        Not those inside actor/source names, "X-based" descriptors, nor a capital standing
        for its government ("Damascus promises", "Moscow said"). The layer maps are taken
        once for all mentions, and each mention's text and key are read once (Span.kb_id_
        is a string-store look-up): an article has a dozen place mentions or more."""
        actors, sources = self.layers.covers_of("actor"), self.layers.covers_of("source")
        reports = self.layers.starts_of("report")
        # Token.lower_ and Token.text.lower() are both the view's lowers (LOWER is str.lower).
        view = self.layers.view
        lowers, texts, text = view.lowers, view.texts, view.text
        n = len(lowers)
        # Token positions where a place or demonym begins or ends: a list of places
        # without commas ("the towns of Huraytan Hayyan Anadan") is not a person's name.
        bounds = {s.start for s in spans} | {s.end - 1 for s in spans}
        kept: list[_Mention] = []
        in_names: list[_Mention] = []
        for span in spans:
            start, end = span.start, span.end
            mention = _new_mention(_Mention, (span, text[span.start_char : span.end_char], span.kb_id_))
            if end - start == 1:  # most mentions are one word: two probes, no range
                in_a_name = start in actors or start in sources
            else:
                tokens = range(start, end)
                in_a_name = not (actors.keys().isdisjoint(tokens) and sources.keys().isdisjoint(tokens))
            if in_a_name and not self._locative(start):
                in_names.append(mention)
                continue
            nxt = lowers[end] if end < n else ""
            # The tests of the word after the place, for the few places followed by one of
            # their words or by a report verb.
            if nxt in _TELLING_NEXT or end in reports:
                report = reports.get(end)
                if nxt in _SPEAKER_VERBS or (report is not None and report.label_ == "after"):
                    before = start - 1 - (start >= 2 and lowers[start - 1] == "the")
                    if before >= 1 and lowers[before] == "in" and lowers[before - 1] in _LOCAL_SPEAKERS:
                        kept.append(mention)  # "Police in Karachi said three people were killed": their town
                        continue
                    if before >= 0 and lowers[before] in ("in", "of", "for"):
                        # "the UN mission in the Central African Republic said": the speaker's
                        # name holds the place, which still names the article's country.
                        in_names.append(mention)
                    continue
                after = lowers[end + 1] if end + 1 < n else ""
                if nxt in _BASED or (nxt == "-" and (after in _DESCRIBED or (after.endswith("ed") and after.isalpha()))):
                    continue
                if start and lowers[start - 1] in _ADDRESS_VERBS and nxt in _ADDRESS_AFTER:
                    continue  # "warned Islamabad of consequences", "urged Kyiv to": a government addressed
            if start >= 2 and lowers[start - 1] == "-" and lowers[start - 2] in _SIDE_PREFIXES:
                continue
            if end - start == 1 and mention.key.startswith(_PLACE_KEY) and self._in_a_name(start, mention.key, bounds):
                continue
            # A quarter's word ends the name, or the name runs on into another place's.
            if (nxt in _QUARTER_WORDS or end in bounds) and self._names_a_quarter(span, bounds):
                continue
            if lowers[start] in _COMPASS and start and texts[start - 1][:1].isupper() \
                    and lowers[start - 1] not in ("the", "'s", "’s"):
                continue  # "Imphal West district": the end of a longer name, not Cameroon's West region
            kept.append(mention)
        return kept, in_names

    def _names_a_quarter(self, span: Span, places: set[int]) -> bool:
        """ "the Vila Cruzeiro favela", "the Tierra Blanca neighbourhood of Culiacan": a
        neighbourhood of a city named after somewhere else; the gazetteer's town of that
        name (Cruzeiro, Sao Paulo) is not where it is. The place, or a run of places with
        no comma, right before a word for a quarter ("the Colonia America neighbourhood")."""
        view = self.layers.view
        lowers, texts = view.lowers, view.texts
        end = span.end
        while end in places and end < len(lowers) and texts[end][:1].isupper():
            end += 1  # "Vila" + "Cruzeiro": the quarter's name runs on
        if end >= len(lowers) or lowers[end] not in _QUARTER_WORDS:
            return False
        if span.kb_id_.startswith((KIND_ADMIN1 + ":", KIND_DEMONYM + ":")):
            return False
        # A name that runs on from a capitalised word ("Colonia America", "Vila Cruzeiro") is
        # the quarter's own; so is a small place's name before "<quarter word> of <place>"
        # ("the Tierra Blanca neighbourhood of Culiacan"). A city alone before the word is the
        # one the quarter belongs to ("a Damascus suburb", "the Kabul neighbourhood of Karte
        # Se"), and a small place alone may be the town itself ("the Kafr Batna neighborhood").
        before = texts[span.start - 1] if span.start > 0 else ""
        if span.start > 0 and before[:1].isupper() and before.isalpha() and view.starts[span.start - 1] >= self.title_end:
            return True
        of_place = end + 2 < len(lowers) and lowers[end + 1] == "of" and (end + 2) in places
        return of_place and resolve_evidence(self.layers.text(span), span.kb_id_)[1] == WEAK

    def _locative(self, i: int) -> bool:
        """Whether the mention at token i follows "in", "near"... (and maybe a direction or
        "the"): "killed in southern Israel", "in southeast Turkey" are places even where
        the actor lexicon reads the name as a state's forces."""
        lowers = self.layers.view.lowers
        k = i - 1
        if k >= 0 and (lowers[k] in _DIRECTIONS or lowers[k] == "the"):
            k -= 1
        return k >= 0 and lowers[k] in _LOCATIVES

    def _in_a_name(self, i: int, key: str, places: set[int]) -> bool:
        """A one-word gazetteer or division name inside a longer capitalised name of the
        body: a person ("President Vladimir Putin", "Dominic Evans", "George Sabra") or a
        street or building ("Castello Road"). Countries, demonyms and hand-written places
        are never part of one here; the title, often in title case, is left alone."""
        view = self.layers.view
        texts = view.texts
        if view.starts[i] < self.title_end or not key.startswith(_PLACE_KEY):
            return False
        if texts[i].isupper():  # a dateline ("BEIRUT A Russian helicopter..."), not a name
            return False
        after = texts[i + 1] if i + 1 < len(texts) else ""
        if not (after[:1].isupper() and after.isalpha() and after.lower() not in _KIND_WORDS and i + 1 not in places):
            before = texts[i - 1] if i > 0 else ""
            sentence_start = self.layers.sentence_bounds[i][0]
            if not (i - 1 > sentence_start and before[:1].isupper() and before.isalpha() and not before.isupper()
                    and i - 1 not in places):
                return False
        # Next to a capitalised word: the name-list look-ups, for these few only.
        return not is_known_name(key)

    def actor_countries(self) -> tuple[str, ...]:
        """The countries by which words such as "the coalition" or "police" name an actor:
        the article's weighed countries, else those of the places it names at all."""
        return self.countries or self.place_countries

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
                out.append({"text": self.layers.text(span), "name": place.name, "admin1": place.admin1,
                            "admin1_code": place.admin1_code, "country": place.country})
        return out


# Words after a division that show a list of places, not "town, division".
LIST_WORDS = frozenset({"and", "or"})


def _ranked(tally: Counter[str]) -> tuple[str, ...]:
    """Countries by weight, then code; those of no weight left out."""
    return tuple(code for code, weight in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])) if weight)


# Kind words that name a settlement before "of" ("the village of Bilozerka").
_SETTLEMENT_KINDS = frozenset("village town city hamlet settlement township".split())


def _kind_before(lowers: Sequence[str], start: int) -> bool:
    """ "the village of Bilozerka", "the town of Kupiansk": the text says the name is a place,
    which makes its country as likely as "Bijapur district" does."""
    return start >= 2 and lowers[start - 1] == "of" and lowers[start - 2] in _SETTLEMENT_KINDS


def _stands(country: str, evidence: int, named: set[str], sure: set[str], countries: tuple[str, ...]) -> bool:
    """Whether a place not named for sure counts: in a country the article names (by a
    country, division, alias or demonym); where it names none for sure, a large city or
    bare division ("Russian shells hit Kharkiv") or a place of the corpus' home countries.
    A place elsewhere is a homonym ("George" of George Sabra, a town in South Africa;
    "Daily Sabah", a state of Malaysia, in a report about Syria). ``countries``: the
    article's countries by weight, large cities included."""
    if country in named:
        return True
    if sure:
        return False
    # A place of the corpus' home countries stands where the report points to no other
    # country: "Mare" of a Rio favela is no village of Aleppo once "Rio de Janeiro" is named.
    return evidence == LIKELY or (country in HOME_COUNTRIES and (not countries or country in countries))


class _Mention(NamedTuple):
    """A place mention with the text and key it is resolved from."""

    span: Span
    text: str
    key: str


# The NamedTuple's own constructor is a Python function (~0.2 us a call, a dozen mentions an
# article); the tuple made from the fields in order is the same object, built in C.
_new_mention = tuple.__new__
