"""Fuzzing: real articles and pages, mutated, truncated, spliced and salted with random
Unicode and hostile fragments, always extract to a valid, exact, byte-stable record.

The inputs are built at test time from ``../shared`` (the seeds, the FA-KES dev
articles, the HTML benchmark pages); nothing is copied into the repository, and the
test skips when ``../shared`` is absent. ``make test`` runs the small profile (a dozen
inputs per test); ``make fuzz`` runs the ``fuzz`` profile, 5,000 inputs per test,
15,000 in all (``FUZZ_EXAMPLES`` sets the number per test). A third test builds short
reports from phrases of casualty reports, in every order. Properties, for every input:

- no exception but a coded refusal of the input (empty, binary, undecodable);
- the record validates against ``pipeline/schema/article.schema.json``;
- every claim's ``evidence.text == article.text[start:end]``;
- the same bytes when extracted twice.
"""

from __future__ import annotations

import csv
import json
import os
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.article import extract_article
from pipeline.errors import InputError
from pipeline.output import dumps
from pipeline.sidecar import Sidecar

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED", ROOT.parent / "shared"))
if not SHARED.is_absolute():
    SHARED = (ROOT / SHARED).resolve()
SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
# Refusals a mutated input may legitimately earn: nothing left, binary bytes, undecodable.
REFUSALS = ("E101", "E102", "E108")
MAX_INPUT_CHARS = 20_000  # keeps 10,000 inputs to minutes; the worst cases at the caps are in bench_worst

settings.register_profile(
    "default", max_examples=12, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")), deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Fragments that once crashed or stalled a stage, or that sit at the edge of a rule.
HOSTILE = [
    "between", "12 to", "between 5 and", "9" * 4400, "(" * 300, "=" * 200, "." * 100, "\u1680" * 50 + "Read Also x",
    "Tags Syria", "[getty " * 20, "[x](", "one hundred and twenty " * 10, "99999999 days ago", "over the past 3000 years",
    "\u2028", "\u2029", "\x85", "\ufeff", "\ud7ff", "&amp;" * 30, "<p>", "</p>", "<!--", "<script>", "<a title=\"<\">",
    "&#x2028;", "&#0;", "\U0001f600", "\u0301", "ﬃ", "İ", "killed", " civilians were killed. ", "At least ",
]


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    """Seed articles and FA-KES dev articles, as corpus .txt files hold them."""
    found = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    fakes = SHARED / "benchmarks" / "fakes" / "fakes-dev.csv"
    if fakes.is_file():
        with fakes.open(encoding="utf-8", newline="") as f:
            found += [f"{row['article_title'].strip()}\n\n{row['article_content'].strip()}\n" for row in csv.DictReader(f)]
    return tuple(found)


@lru_cache(maxsize=1)
def _pages() -> tuple[str, ...]:
    """The HTML benchmark pages (decoded leniently: the mutations make bytes anyway)."""
    pages = sorted((SHARED / "benchmarks" / "html" / "pages").glob("*.html"))
    return tuple(p.read_bytes().decode("utf-8", "replace") for p in pages)


pytestmark = pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason=f"{SHARED} not found: nothing to fuzz from")


@st.composite
def _mutated(draw: st.DrawFn, html: bool) -> str:
    """A document of the kind, cut, spliced and salted a few times."""
    corpus = _pages() if html and _pages() else _texts()
    text = draw(st.sampled_from(corpus))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["truncate", "splice", "unicode", "hostile", "delete", "repeat"]))
        if kind == "truncate":
            text = text[:at]
        elif kind == "splice":
            other = draw(st.sampled_from(corpus))
            cut = draw(st.integers(0, len(other)))
            text = text[:at] + other[cut : cut + draw(st.integers(0, 5_000))]
        elif kind == "unicode":
            text = text[:at] + draw(st.text(max_size=40)) + text[at:]
        elif kind == "hostile":
            text = text[:at] + draw(st.sampled_from(HOSTILE)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(0, 2_000)) :]
        else:
            piece = text[at : at + draw(st.integers(1, 200))]
            text = text[:at] + piece * draw(st.integers(2, 50)) + text[at:]
    return text[:MAX_INPUT_CHARS]


def _encoded(draw: st.DrawFn, text: str) -> bytes:
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = text.encode(encoding, "replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


def _check(data: bytes, name: str, published: str | None, nlp) -> None:
    sidecar = Sidecar(published=published)
    try:
        record = extract_article(data, name, sidecar, nlp)
    except InputError as exc:
        assert exc.code in REFUSALS, exc
        return
    jsonschema.validate(record, SCHEMA)
    text = record["article"]["text"]
    for claim in record["claims"]:
        evidence = claim["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"], claim["id"]
    assert dumps(extract_article(data, name, sidecar, nlp)) == dumps(record)


@given(data=st.data(), published=st.sampled_from([None, "2017-06-23", "0001-01-01", "9999-12-31"]))
def test_fuzz_texts_extract_to_valid_exact_stable_records(nlp, data: st.DataObject, published: str | None) -> None:
    text = data.draw(_mutated(html=False))
    _check(_encoded(data.draw, text), "a.txt", published, nlp)


# Fragments of casualty reports in our own words, for reports built from them at random:
# figures, named groups, asides that name a part, ways of dying, places, times and speakers
# in every order. A figure of a named group beside others once failed a whole article
# ("The dead included a journalist, two paramedics and a boy").
_FIGURES = ["a", "one", "two", "12", "at least 40", "dozens of", "more than 100", "nearly 50", "between 20 and 30",
            "a total of 31", "his", "their", "some 2,000", "hundreds of", "no", "Four"]
_NOUNS = ["people", "civilians", "children", "women", "men", "journalist", "aid workers", "paramedics", "soldiers",
          "policemen", "militants", "members of one family", "boy", "teacher", "al-Shabaab fighters", "detainees",
          "bodies"]
_VERBS = ["were killed", "died", "were wounded", "were abducted", "fled", "were shot dead", "lost their lives",
          "were among the dead", "are missing", "were displaced", "were executed"]
_ASIDES = ["", ", including two children,", ", two of them children,", ", among them four women,",
           " (three of them children)", " - among them a woman -"]
_TAILS = ["", " in Idlib on Monday", " in Bijapur district of Chhattisgarh", " when a shell hit their home",
          " in clashes with security forces", " during a police operation in Rio de Janeiro",
          " in the village of Bilozerka overnight", " on the night of March 9-10", " in three days of bombing"]
_SPEAKERS = ["", ", a monitor said", ", the Observatory, a UK-based monitor, said", ", according to local officials"]
_OPENERS = ["", "Gunmen killed ", "An air strike killed ", "The dead included ", "Among the dead were ",
            "The attack left "]


@st.composite
def _report(draw: st.DrawFn) -> str:
    """A short report of one to four sentences built from the fragments above."""
    sentences = []
    for _ in range(draw(st.integers(1, 4))):
        phrase = f"{draw(st.sampled_from(_FIGURES))} {draw(st.sampled_from(_NOUNS))}{draw(st.sampled_from(_ASIDES))}"
        if draw(st.booleans()):
            phrase += f" and {draw(st.sampled_from(_FIGURES))} {draw(st.sampled_from(_NOUNS))}"
        opener = draw(st.sampled_from(_OPENERS))
        verb = "" if opener else " " + draw(st.sampled_from(_VERBS))
        sentence = f"{opener}{phrase}{verb}{draw(st.sampled_from(_TAILS))}{draw(st.sampled_from(_SPEAKERS))}."
        sentences.append(sentence[0].upper() + sentence[1:])
    return f"{draw(st.sampled_from(['Report', 'Five killed in Aleppo', sentences[0][:-1]]))}\n\n{' '.join(sentences)}\n"


@given(data=st.data())
def test_fuzz_reports_built_from_phrases_extract_to_valid_exact_stable_records(nlp, data: st.DataObject) -> None:
    _check(data.draw(_report()).encode("utf-8"), "a.txt", "2024-03-14", nlp)


@given(data=st.data())
def test_fuzz_pages_extract_to_valid_exact_stable_records(nlp, data: st.DataObject) -> None:
    page = data.draw(_mutated(html=True))
    _check(_encoded(data.draw, page), "a.html", "2017-06-23", nlp)
