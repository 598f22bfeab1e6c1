"""Place mentions: every example and negative of aliases.yaml, plus finder behaviour."""

from __future__ import annotations

import dataclasses

from typing import Any

import pytest
import spacy

from pipeline.extract.places import DEMONYM, PLACE, PlaceFinder
from pipeline.normalize.places import (
    Place,
    admin1_iso,
    admin1_table,
    aliases,
    country_of_demonym,
    country_place,
    fold_key,
    place_in_division,
    resolve,
    resolve_country,
)

NLP = spacy.blank("en")
FINDER = PlaceFinder(NLP.vocab)


def mentions(text: str) -> list[tuple[str, str, Place | None]]:
    """(span text, label, resolved place) for every mention in text."""
    return [(s.text, s.label_, resolve(s.text, s.kb_id_)) for s in FINDER(NLP(text))]


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _country(code: str) -> Place:
    return country_place(code)


def _entry_examples() -> list[Any]:
    cases = []
    data = aliases()
    for entry in data["places"]:
        expected = Place(entry["name"], admin1_table()[entry["admin1"]].name if entry.get("admin1") else None,
                         entry["country"], admin1_iso(entry.get("admin1")))
        cases += [pytest.param(text, PLACE, expected, id=f"{entry['id']}:{text}") for text in entry["examples"]]
    for entry in data["countries"]:
        expected = Place(entry["name"], None, entry["country"])
        cases += [pytest.param(text, PLACE, expected, id=f"{entry['id']}:{text}") for text in entry["examples"]]
    for entry in data["demonyms"]:
        expected = _country(entry["country"])
        cases += [pytest.param(text, DEMONYM, expected, id=f"{entry['id']}:{text}") for text in entry["examples"]]
    for entry in data["admin1_phrases"]:
        for ex in entry["examples"]:
            expected = Place(ex["name"], ex["admin1"], ex["country"], ex.get("admin1_code"))
            cases.append(pytest.param(ex["text"], PLACE, expected, id=f"{entry['id']}:{ex['text']}"))
    return cases


@pytest.mark.parametrize(("text", "label", "expected"), _entry_examples())
def test_places_alias_example_resolves(text: str, label: str, expected: Place) -> None:
    found = mentions(text)
    assert len(found) == 1, found
    span_text, span_label, place = found[0]
    assert span_text == _strip_the(text)
    assert span_label == label
    if expected.admin1_code is None and place is not None and label != DEMONYM:
        place = dataclasses.replace(place, admin1_code=None)  # the example gives no code to check
    assert place == expected


@pytest.mark.parametrize(
    "text",
    [pytest.param(t, id=f"{e['id']}:{t}") for e in aliases()["block"] for t in e["examples"]]
    + [pytest.param(t, id=f"negative:{t}") for t in aliases()["negative"]],
)
def test_places_negative_gives_no_mention(text: str) -> None:
    assert mentions(text) == []


def _capitals(countries: tuple[str, ...] = ()) -> list[Any]:
    units = [u for u in admin1_table().values() if u.capital and (not countries or u.country in countries)]
    return [pytest.param(u, id=f"{u.iso}:{u.capital}") for u in units]


@pytest.mark.parametrize("unit", _capitals())
def test_places_capital_resolves_to_own_division(unit: Any) -> None:
    place = resolve(unit.capital, f"place:{fold_key(unit.capital)}", context_countries=(unit.country,))
    assert place is not None and (place.admin1, place.country) == (unit.name, unit.country)


@pytest.mark.parametrize("unit", _capitals(("SY", "IQ")))
def test_places_capital_resolves_without_context(unit: Any) -> None:
    place = resolve(unit.capital, f"place:{fold_key(unit.capital)}")
    assert place is not None and place.admin1 == unit.name


@pytest.mark.parametrize(
    ("text", "mention", "admin1"),
    [
        ("US-led strikes on Manbij killed 20 civilians", "Manbij", "Aleppo"),
        ("a chemical attack on Khan Sheikhoun", "Khan Sheikhoun", "Idlib"),
        ("shelling of Douma", "Douma", "Rif Dimashq"),
        ("raids on Kafr Hamra", "Kafr Hamra", "Aleppo"),
        ("a massacre in Tokhar", "Tokhar", "Aleppo"),
        ("barrel bombs on eastern Ghouta", "eastern Ghouta", "Rif Dimashq"),
        ("fighting in the Damascus countryside", "Damascus countryside", "Rif Dimashq"),
        ("an air strike in Deir al-Zour", "Deir al-Zour", "Deir ez-Zor"),
        ("villages in Raqqa province", "Raqqa province", "Raqqa"),
        ("the town of al-Bab", "al-Bab", "Aleppo"),
        ("Jisr al-Shughur", "Jisr al-Shughur", "Idlib"),
        ("AMMAN Jordan", "AMMAN", "Amman"),
    ],
)
def test_places_finder_finds_and_resolves(text: str, mention: str, admin1: str) -> None:
    found = {span: place for span, _, place in mentions(text)}
    assert mention in found, found
    assert found[mention] is not None and found[mention].admin1 == admin1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iraqi, Syrian civilians", [("Iraqi", "IQ"), ("Syrian", "SY")]),
        ("Syrians and Turks", [("Syrians", "SY"), ("Turks", "TR")]),
    ],
)
def test_places_finder_demonyms(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(t, p.country) for t, label, p in mentions(text) if label == DEMONYM and p]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "the Observatory said",
        "Rami Abdel Rahman, who heads the Syrian Observatory for Human Rights",
        "Islamic State fighters",
        "the Coalition said",
        "in the hama of the bab",  # lower case is never a name
        "Ahrar al-Sham and Jabhat Fateh al-Sham",
        "Car bomb kills nine at checkpoint",  # a headline's word, not the CAR
    ],
)
def test_places_finder_ignores_non_places(text: str) -> None:
    assert mentions(text) == []


def test_places_finder_reads_a_possessive_inside_a_name() -> None:
    found = [(m[0], m[2].country if m[2] else None) for m in mentions("a camp near Cox's Bazar and in Syria's north")]
    assert found == [("Cox's Bazar", "BD"), ("Syria", "SY")]


def test_places_finder_reads_a_country_acronym_only_in_capitals() -> None:
    assert [(m[0], m[2]) for m in mentions("Rebels attacked a convoy in CAR")] == [("CAR", _country("CF"))]


@pytest.mark.parametrize(
    ("text", "key", "country"),
    [
        ("department of Cordoba", "admin1:cordoba", "CO"),  # Colombia has departments
        ("Cordoba province", "admin1:cordoba", "AR"),  # Argentina has provinces
        ("Antioquia", "place:antioquia", "CO"),  # a department's own name, not Antakya's old one
    ],
)
def test_places_division_kind_and_own_name_choose_the_country(text: str, key: str, country: str) -> None:
    place = resolve(text, key)
    assert place is not None and place.country == country


def test_places_place_in_division_finds_the_homonym_of_the_named_division() -> None:
    found = place_in_division("place:puerto rico", "CO-CAQ")
    assert found is not None and (found.country, found.admin1_code) == ("CO", "CO-CAQ")
    assert place_in_division("place:puerto rico", "CO-ANT") is None


def test_places_finder_spans_do_not_overlap() -> None:
    spans = FINDER(NLP("Syrian Arab Republic, Deir ez-Zor province and rural Damascus and Idlib"))
    tokens = [i for s in spans for i in range(s.start, s.end)]
    assert len(tokens) == len(set(tokens))
    assert [s.text for s in spans] == ["Syrian Arab Republic", "Deir ez-Zor province", "rural Damascus", "Idlib"]


@pytest.mark.parametrize(
    ("text", "context", "country"),
    [
        ("Tripoli", (), "LY"),  # neither SY nor IQ: the bigger city
        ("Tripoli", ("LB",), "LB"),
        ("Ariha", (), "SY"),  # SY before population (Jericho, PS, is bigger)
        ("Ariha", ("PS", "SY"), "PS"),
    ],
)
def test_places_resolve_prefers_context_then_sy_iq_then_population(
    text: str, context: tuple[str, ...], country: str
) -> None:
    place = resolve(text, "", context_countries=context)
    assert place is not None and place.country == country


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syria", Place("Syria", None, "SY")),
        ("Syrias", Place("Syria", None, "SY")),
        ("the Syrian Arab Republic", Place("Syria", None, "SY")),
        ("Iraq", Place("Iraq", None, "IQ")),
        ("Russian Federation", Place("Russia", None, "RU")),
        ("France", Place("France", None, "FR")),
        ("Aleppo", None),
    ],
)
def test_places_resolve_country(text: str, expected: Place | None) -> None:
    assert resolve_country(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("Syrian", "SY"), ("Iraqis", "IQ"), ("Lebanese", "LB"), ("Turkish", "TR"), ("Jordanian", "JO"), ("Kurdish", None)],
)
def test_places_country_of_demonym(text: str, code: str | None) -> None:
    assert country_of_demonym(text) == code


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Deir ez-Zor", "deir al zor"),
        ("Dayr az Zawr", "dayr al zawr"),
        ("Ma`arrat an-Nu‘mān", "maarrat al numan"),
        ("Ḩamāh", "hamah"),
    ],
)
def test_places_fold_key(text: str, key: str) -> None:
    assert fold_key(text) == key


def _tsv_demonyms() -> list[Any]:
    from pipeline.normalize.places import _demonyms_tsv

    return [pytest.param(d, code, id=f"{code}:{d}") for code, _, found in _demonyms_tsv() for d in found]


@pytest.mark.parametrize(("text", "code"), _tsv_demonyms())
def test_places_every_demonym_names_its_country(text: str, code: str) -> None:
    """demonyms.tsv, every country: "Nigerian troops" -> NG, "the Somali capital" -> SO."""
    found = mentions(f"{text} troops")
    assert [(t, label, p.country if p else None) for t, label, p in found] == [(text, DEMONYM, code)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Port-au-Prince", ("Port-au-Prince", "HT", "HT-OU")),
        ("Kharkiv oblast", ("Kharkiv oblast", "UA", "UA-63")),
        ("Plateau State", ("Plateau State", "NG", "NG-PL")),  # without context: both states
        ("Somali region", ("Somali region", "ET", "ET-SO")),
        ("region of Ethiopia", None),  # a prefix never takes a country's name
        ("Unity", None),  # a division named by an ordinary word needs its kind word
    ],
)
def test_places_finder_world_divisions(text: str, expected: tuple[str, str, str] | None) -> None:
    found = [(t, p.country, p.admin1_code) for t, label, p in mentions(text) if p and label == PLACE]
    if expected is None:
        assert all(t != text for t, _, _ in found), found
    else:
        assert expected in found or (expected[0], "BJ", "BJ-PL") in found, found


def test_places_fold_key_ascii_shortcut_folds_as_the_full_path() -> None:
    """ASCII text skips NFKD and the combining-mark filter in fold_key: the key stays the
    one the full path gives (random ASCII names, apostrophes, hyphens, articles)."""
    import random
    import unicodedata

    from pipeline.normalize import places as module

    def full(text: str) -> str:
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
        words = module._NON_WORD.sub(" ", module._APOSTROPHES.sub("", text).lower()).split()
        return " ".join("al" if w in module.ARTICLES else w for w in words)

    rng = random.Random(11)
    alphabet = "abcXYZ al-El ' `-.,()0123456789\t"
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert fold_key(text) == full(text), repr(text)


def test_places_finder_one_word_names_equal_the_full_scan() -> None:
    """A capitalised word before a word that stops a name is read from per-string answers
    (PlaceFinder._one_word, _stops_name): the same key as the token scan gives there."""
    from pipeline.extract.places import _fold_token, _stops_name

    text = ("Syrias Aleppo, Car bomb in CAR and Cox's Bazar: Idlib - Homs; Rio de Janeiro, Port-au-Prince, "
            "al-Bab, The Hague, US forces, Ras al-Ain. Mosul said Raqqa' Kabul’s Damascus and Deir ez-Zor.")
    texts = [t.text for t in NLP.make_doc(text)]
    folded = [_fold_token(t) for t in texts]
    checked = 0
    for i, word in enumerate(texts):
        if word[:1].isupper() and (i + 1 == len(texts) or _stops_name(texts[i + 1])):
            found = FINDER._longest_name(texts, folded, i)
            assert FINDER._one_word_name(word) == (found[3] if found else None), word
            assert found is None or found[1] == i + 1
            checked += 1
    assert checked >= 10
