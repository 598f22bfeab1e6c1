"""Worst-case input on the text side: texts that used to crash or to take super-linear
time now extract, with the bounds each fix documents (issue 14). Speed itself is
measured by ``make bench`` (pipeline/tools/bench_worst.py), not timed here."""

from __future__ import annotations

import pytest

from pipeline.article import extract_article
from pipeline.extract.counts import MAX_NUMBER_TOKENS
from pipeline.normalize.numbers import MAX_COUNT, MAX_DIGITS
from pipeline.sidecar import Sidecar


def _claims(nlp, body: str, published: str | None = "2017-06-23") -> list[dict]:
    record = extract_article(f"Toll\n\n{body}".encode(), "a.txt", Sidecar(published=published), nlp)
    for claim in record["claims"]:
        evidence = claim["evidence"]
        assert record["article"]["text"][evidence["start"] : evidence["end"]] == evidence["text"]
    return record["claims"]


def _counts(nlp, body: str) -> list[str]:
    return [claim["count"]["text"] for claim in _claims(nlp, body)]


@pytest.mark.parametrize("tail", ["between", "between 5 and", "12 to", "12 -", "12 or", "between five and"])
def test_a_text_may_end_in_a_range_word(nlp, tail: str) -> None:
    # The 300,000-character cut can leave a range half written at the very end.
    assert _counts(nlp, f"Five people were killed. Others died {tail}") == ["Five"]


def test_a_range_still_reads_when_it_is_complete_at_the_end(nlp) -> None:
    claims = _claims(nlp, "Shelling killed between 5 and 7")
    assert [(c["count"]["low"], c["count"]["high"]) for c in claims] == [(5, 7)]


def test_a_digit_run_longer_than_any_figure_is_not_a_count(nlp) -> None:
    for digits in (MAX_DIGITS + 1, 4301, 100_000):
        assert _counts(nlp, f"The strike killed {'9' * digits} people. Another 3 people were wounded.") == ["3"]


def test_figures_up_to_the_digit_bound_are_read(nlp) -> None:
    longest = "9" * MAX_DIGITS
    claims = _claims(nlp, f"The war displaced {longest} people. It killed 1,000,000,000,000 people.")
    assert [c["count"]["value"] for c in claims] == [MAX_COUNT, 10**12]


@pytest.mark.parametrize("text", ["12-" + "9" * 20 + " people were killed", "1." + "5" * 40 + " million people were killed",
                                  "99999999999 billion people were killed"])
def test_counts_past_the_bound_in_ranges_and_scales_are_not_read(nlp, text: str) -> None:
    assert all(c["count"]["value"] is None or c["count"]["value"] <= MAX_COUNT
               for c in _claims(nlp, text))
    assert all((c["count"]["high"] or 0) <= MAX_COUNT for c in _claims(nlp, text))


def test_a_run_of_number_words_is_read_a_bounded_number_at_a_time(nlp) -> None:
    run = "one hundred and twenty " * 40
    claims = _claims(nlp, f"{run}people were killed.")
    assert claims, "the run still makes counts"
    for claim in claims:
        assert len(claim["count"]["text"].split()) <= MAX_NUMBER_TOKENS


@pytest.mark.parametrize(
    "phrase",
    ["99999999 days ago", "over the past 3000 years", "over the past 99999999 years",
     "9999999999999999999999 weeks ago", "in the past 12345678901234567890 days"],
)
def test_a_time_outside_the_calendar_is_kept_as_text_without_dates(nlp, phrase: str) -> None:
    claims = _claims(nlp, f"5 people were killed {phrase}.")
    assert [c["count"]["value"] for c in claims] == [5]
    time = claims[0]["time"]
    assert time is None or (time["start"] is None and time["end"] is None)


def test_relative_times_in_a_text_published_in_the_year_1_do_not_crash(nlp) -> None:
    claims = _claims(nlp, "5 people were killed yesterday and last year.", published="0001-01-01")
    assert [c["count"]["value"] for c in claims] == [5]
