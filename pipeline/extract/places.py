"""Find place and demonym mentions in a Doc; pipeline.normalize.places resolves them.

Why not a PhraseMatcher: the gazetteer has about 11k folded surfaces, and each would
need a Doc to become a pattern (building took seconds). Instead the finder walks
runs of capitalised tokens and looks their folded n-grams up in a set, which costs a few
dict probes per capitalised token. Folding (see ``fold_key``) makes "Deir ez-Zor",
"Deir Ez Zor" and "Dayr az-Zawr" one key without listing every variant.

Rules, in order of precedence (spaCy's ``filter_spans``: longest first, then leftmost,
then the order below for equal spans):

1. phrases from aliases.yaml, in any case ("eastern Ghouta", "rural Damascus"), and
   blocked phrases ("Syrian Observatory for Human Rights"), which are dropped after
   winning so that nothing inside them is reported;
2. "<name> province", "rural <name>", ...: label PLACE, key ``admin1:<name>``;
3. names: every word capitalised except Arabic articles ("Jisr al-Shughur") and
   particles between hyphens ("Port-au-Prince"); a name may
   start with a lower-case article only before a hyphen ("al-Bab"). A trailing "s" is
   read as a stripped possessive ("Syrias", "Aleppos") when the name without it exists;
4. demonyms ("Syrian", "Iraqis", "South Sudanese"): label DEMONYM, key
   ``demonym:<name>``; they win over a place of the same text ("Turks"), and they come
   before bare names in the list below.

Each span carries its key in ``span.kb_id_``; pass it to
``pipeline.normalize.places.resolve``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pipeline.extract.tokens import Memo, longest_first, memo_map, token_view
from pipeline.normalize.places import KIND_ADMIN1, KIND_DEMONYM, KIND_PLACE, fold_key, surface_index

PLACE = "PLACE"
DEMONYM = "DEMONYM"
_BLOCK = "BLOCK"
_JOINERS = frozenset({"-", "\u2010", "\u2011", "\u2013", "'", "\u2019", "`"})
_ARTICLE = "al"  # every article spelling folds to "al"
# Lower-case particles of Spanish, Portuguese, French and Italian place names: inside a name,
# between capitalised words ("Rio de Janeiro", "Mato Grosso do Sul", "Santa Cruz de la Sierra").
_PARTICLES = frozenset("de del da do dos das des du di la las los le les y and".split())

# A candidate span before the overlap filter: (start, end, label id, key).
_Found = tuple[int, int, int, str]

# What may start at a token (bit flags, see PlaceFinder._starts): most tokens get 0.
_PHRASE_START, _NAME_START, _DEMONYM = 1, 2, 4


def _fold_token(text: str) -> str:
    """A token's folded key; "" for a joiner (hyphen, apostrophe), which names may span."""
    return fold_key(text) if text not in _JOINERS else ""


def _stops_name(text: str) -> bool:
    """Whether _longest_name stops at a token with this text whatever stands around it,
    when the token before it is part of the name (so no joiner): punctuation but a joiner,
    and a lower-case word that is no article, particle or possessive "'s"."""
    word = _fold_token(text)
    if not word:
        return text not in _JOINERS
    return (text not in ("'s", "\u2019s") and not text[:1].isupper() and word != _ARTICLE
            and word not in _PARTICLES)


class PlaceFinder:
    """Callable that returns non-overlapping PLACE and DEMONYM spans of a Doc.

    Build it once per process: ``finder = PlaceFinder(nlp.vocab)``, then
    ``finder(doc) -> list[Span]``. Between documents it keeps only caches of per-string
    answers, never anything that changes a result.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.index = surface_index()
        # Division prefixes ("rural", "province of") by their last word, in the index's
        # order: only those ending with the word before a name need comparing.
        self._prefixes_by_last: dict[str, list[tuple[str, ...]]] = {}
        for prefix in self.index.prefixes:
            self._prefixes_by_last.setdefault(prefix[-1], []).append(prefix)
        # Every phrase cut before each of its spaces, and whole: words joined so far that
        # are none of these start no phrase, so _phrases stops there ("the" starts a few
        # phrases, and read on over fourteen tokens at each "the" it cost half a millisecond
        # an article).
        self._phrase_heads = frozenset(
            phrase[:cut] for phrase in self.index.phrases
            for cut in [*(k for k, c in enumerate(phrase) if c == " "), len(phrase)]
        )
        # Per token string, what the scans ask of it (see memo_map): its folded key,
        # and what may start at it. Two flat lists cost less to get than one list of
        # tuples taken apart per token, and the starts are read at the few tokens that
        # have any.
        self._folded: Memo[str] = Memo(_fold_token)
        self._starts: Memo[int] = Memo(self._classify)
        # Most names are one capitalised word before a word that cannot go on with a name:
        # then the answer depends on the two strings only (see _names).
        self._stops_name: Memo[bool] = Memo(_stops_name)
        self._one_word: Memo[str | None] = Memo(self._one_word_name)
        # Labels and keys go into Spans as hashes: given strings, a Span adds them to
        # the StringStore again each time it is built.
        self._place, self._demonym_label, self._block = (vocab.strings.add(x) for x in (PLACE, DEMONYM, _BLOCK))
        self._key_ids: Memo[int] = Memo(vocab.strings.add)  # span key -> its hash (see _key)

    def __call__(self, doc: Doc) -> list[Span]:
        # Token texts from the shared view: creating a Token object per token cost
        # more than all the matching together.
        texts = token_view(doc).texts
        if not texts:
            return []
        folded = memo_map(self._folded, texts)
        starts = memo_map(self._starts, texts)
        candidates = list(compress(range(len(texts)), starts))
        name_starts = [i for i in candidates if starts[i] & _NAME_START]
        # "Cox's Bazar": a name whose first word takes the possessive's "s" (rare: looked
        # for only where "'s" stands between capitalised words).
        if "'s" in texts or "\u2019s" in texts:
            names_set = self.index.names
            extra = [k - 1 for k, text in enumerate(texts) if text in ("'s", "\u2019s") and 0 < k < len(texts) - 1
                     and texts[k - 1][:1].isupper() and texts[k + 1][:1].isupper() and not starts[k - 1] & _NAME_START
                     and names_set.starts_with_word(folded[k - 1] + "s")]
            name_starts = sorted(name_starts + extra) if extra else name_starts
        names = self._names(texts, folded, name_starts)
        # A division named by an ordinary word or a demonym counts only with its kind
        # word ("Unity State", "Somali region"): bare, the name is dropped.
        division_only = self.index.division_only
        bare = [n for n in names if n[3].partition(":")[2] not in division_only]
        # For equal spans the first listed wins: a demonym beats a village of that name ("Turks").
        found = [*self._phrases(folded, [i for i in candidates if starts[i] & _PHRASE_START]),
                 *self._divisions(folded, names),
                 *self._demonyms(folded, [i for i in candidates if starts[i] & _DEMONYM]), *bare]
        # The candidates are tuples until the overlap filter has run (filter_spans'
        # choice, see longest_first): only the survivors become Spans.
        key_ids, block = self._key_ids, self._block
        return [Span(doc, start, end, label, kb_id=key_ids[key])
                for start, end, label, key in longest_first(found) if label != block]

    def _classify(self, text: str) -> int:
        """For a token text, the flags of what may start at it: a phrase, a name, a demonym."""
        word = _fold_token(text)
        flags = _PHRASE_START if word.split(" ", 1)[0] in self.index.phrase_starts else 0
        if self._may_start_name(text):
            flags |= _NAME_START
        if word in self.index.demonym_starts and text[:1].isupper():
            flags |= _DEMONYM
        return flags

    def _phrases(self, folded: Sequence[str], may_start: list[int]) -> list[_Found]:
        """Phrases and blocked phrases, in any case, starting at the tokens ``may_start``."""
        found = []
        index, heads = self.index, self._phrase_heads
        for i in may_start:
            words = ""  # the folded words so far, one space apart
            for j in range(i, min(len(folded), i + 2 * index.max_phrase_words)):
                if not folded[j]:
                    continue
                words = f"{words} {folded[j]}" if words else folded[j]
                if words not in heads:
                    break
                key = index.phrases.get(words)
                if key is not None:
                    found.append((i, j + 1, self._place if key else self._block, key))
        return found

    def _names(self, texts: list[str], folded: Sequence[str], maybe: list[int]) -> list[_Found]:
        """Capitalised names: the longest known name starting at each of the tokens ``maybe``."""
        found = []
        n = len(texts)
        stops, one_word, place = self._stops_name, self._one_word, self._place
        for i in maybe:
            # _may_start_name passed only capitalised tokens and articles (folded "al").
            text = texts[i]
            if text[:1].isupper():
                if i + 1 == n or stops[texts[i + 1]]:
                    key = one_word[text]  # what _longest_name finds there, per string
                    if key is not None:
                        found.append((i, i + 1, place, key))
                    continue
            elif not self._article_starts_name(texts, i):
                continue
            span = self._longest_name(texts, folded, i)
            if span is not None:
                found.append(span)
        return found

    def _one_word_name(self, text: str) -> str | None:
        """The span key _longest_name gives a capitalised token when the next token stops
        the name (see _stops_name), or None: its first step, alone."""
        word = _fold_token(text)
        if not word or word.count(" ") + 1 > self.index.max_words:
            return None
        if word in self.index.acronyms and not text.isupper():
            return None  # "Car bomb": a word, not the CAR
        names = self.index.names
        if word in names:
            return f"{KIND_PLACE}:{word}"
        if word.endswith("s") and len(word) > 4 and word[:-1] in names:
            return f"{KIND_PLACE}:{word[:-1]}"  # "Syrias": the corpus strips apostrophes
        return None

    def _may_start_name(self, text: str) -> bool:
        """Whether a name can start at a token with this text.

        Only capitalised tokens and articles can pass _starts_name, and _longest_name
        finds nothing unless a name (or, read as a possessive "Syrias", the word less
        its "s") starts with the token's folded first word.
        """
        word = _fold_token(text)
        if not word or not (text[:1].isupper() or word == _ARTICLE):
            return False
        first = word.split(" ", 1)[0]
        names = self.index.names
        return names.starts_with_word(first) or (len(first) > 4 and first.endswith("s") and first[:-1] in names)

    @staticmethod
    def _article_starts_name(texts: list[str], i: int) -> bool:
        """"al-Bab", "ar-Raqqah": a lower-case article joined by a hyphen to a capital."""
        return i + 2 < len(texts) and texts[i + 1] in _JOINERS and texts[i + 2][:1].isupper()

    def _longest_name(self, texts: list[str], folded: Sequence[str], i: int) -> _Found | None:
        index = self.index
        names, acronyms, max_words = index.names, index.acronyms, index.max_words
        known = names.known  # the memo of ``key in names``: a dict probe, not a method call
        n = len(texts)
        # The folded words so far, joined by one space as fold_key joins them, and their number.
        key = ""
        count = 0
        best: tuple[int, str] | None = None
        for j in range(i, n):
            word, text = folded[j], texts[j]
            if not word:
                if text in _JOINERS and j > i:
                    continue
                break
            if text in ("'s", "\u2019s") and j > i and j + 1 < n and texts[j + 1][:1].isupper():
                key += "s"  # "Cox's Bazar": the apostrophe folds away inside a name
                continue
            capital = text[:1].isupper()
            # Lower case only for an article, a particle between hyphens ("Port-au-Prince"),
            # or a Romance particle inside a name ("Rio de Janeiro", "San Antonio del Tachira").
            if not capital and word != _ARTICLE and not (
                texts[j - 1] in _JOINERS and j + 1 < n and texts[j + 1] in _JOINERS
            ) and not (word in _PARTICLES and j > i and self._particle_inside(texts, j)):
                break
            count += word.count(" ") + 1
            if count > max_words:
                break
            key = f"{key} {word}" if key else word
            if capital:
                if key in acronyms and not text.isupper():
                    continue  # "Car bomb": a word, not the CAR
                found = known(key)
                if found is None:
                    found = key in names
                if found:
                    best = (j + 1, key)
                elif key.endswith("s") and len(key) > 4 and key[:-1] in names:
                    best = (j + 1, key[:-1])  # "Syrias": the corpus strips apostrophes
        if best is None:
            return None
        return i, best[0], self._place, f"{KIND_PLACE}:{best[1]}"

    @staticmethod
    def _particle_inside(texts: list[str], j: int) -> bool:
        """Whether the particle at j is followed by a capitalised word, maybe after a second
        particle ("Santa Cruz de la Sierra")."""
        k = j + 1
        if k < len(texts) and texts[k] in _PARTICLES:
            k += 1
        return k < len(texts) and texts[k][:1].isupper()

    def _divisions(self, folded: Sequence[str], names: list[_Found]) -> list[_Found]:
        """"<name> province" and "rural <name>": the same name, as a division."""
        found = []
        suffixes = self.index.suffixes
        for name_start, name_end, _, name_key in names:
            spans = []
            if name_end < len(folded) and folded[name_end] in suffixes:
                spans.append((name_start, name_end + 1))
            # "region of Ethiopia" is no division: a prefix never takes a country's name.
            prefixes = () if not name_start or name_key.partition(":")[2] in self.index.countries_only else (
                self._prefixes_by_last.get(folded[name_start - 1], ()))
            for prefix in prefixes:
                start = name_start - len(prefix)
                if start >= 0 and tuple(folded[start:name_start]) == prefix:
                    spans.append((start, name_end))
            if spans:
                key = f"{KIND_ADMIN1}:{name_key.partition(':')[2]}"
                found.extend((start, end, self._place, key) for start, end in spans)
        return found

    def _demonyms(self, folded: Sequence[str], found: list[int]) -> list[_Found]:
        """Demonyms of one word ("Somali") or more ("South Sudanese", "Bissau-Guinean"),
        the longest at each start."""
        demonyms = self.index.demonyms
        spans = []
        for i in found:
            words, best = "", None
            for j in range(i, min(len(folded), i + 4)):
                if not folded[j]:  # a hyphen inside the demonym
                    if j == i:
                        break
                    continue
                words = f"{words} {folded[j]}" if words else folded[j]
                if words in demonyms:
                    best = (j + 1, words)
            if best is not None:
                spans.append((i, best[0], self._demonym_label, f"{KIND_DEMONYM}:{best[1]}"))
        return spans
