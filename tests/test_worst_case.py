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


def test_the_text_is_cut_before_cleaning(nlp, monkeypatch) -> None:
    import pipeline.article as article

    seen: list[int] = []
    clean = article.clean_body
    monkeypatch.setattr(article, "clean_body", lambda body, *rest: seen.append(len(body)) or clean(body, *rest))
    # Cleaning would squeeze the spaces away and keep the figure past them; the cut comes first.
    data = ("Toll\n\n" + " " * 1_500_000 + "12 people were killed.").encode()
    record = extract_article(data, "a.txt", Sidecar(), nlp)
    assert seen and max(seen) <= article.MAX_CHARS
    assert record["claims"] == []
    assert any(w.startswith("[W005]") for w in record["article"]["warnings"])


def test_a_text_of_one_huge_line_is_cut_too(nlp) -> None:
    import pipeline.article as article

    record = extract_article(("word " * 400_000).encode(), "a.txt", Sidecar(), nlp)
    assert len(record["article"]["text"]) <= article.MAX_CHARS
    assert any(w.startswith("[W005]") for w in record["article"]["warnings"])


def test_a_text_just_under_the_cut_is_whole(nlp) -> None:
    import pipeline.article as article

    body = "x" * (article.MAX_CHARS - len("Toll") - 10)
    record = extract_article(f"Toll\n\n{body}".encode(), "a.txt", Sidecar(), nlp)
    assert record["article"]["text"] == f"Toll\n\n{body}"
    assert not any(w.startswith("[W005]") for w in record["article"]["warnings"])


# --- evidence windows -------------------------------------------------------------------


def _record(nlp, body: str) -> dict:
    return extract_article(f"Toll\n\n{body}".encode(), "a.txt", Sidecar(published="2017-06-23"), nlp)


def test_a_sentence_too_long_to_repeat_gives_each_claim_a_window(nlp) -> None:
    from pipeline.claims.evidence import MAX_EVIDENCE_CHARS, WINDOW_CHARS

    body = " ".join(f"{n} people were killed in Aleppo" for n in range(2, 400))  # no sentence end
    assert len(body) > MAX_EVIDENCE_CHARS
    record = _record(nlp, body)
    text = record["article"]["text"]
    assert len(record["claims"]) > 300
    for claim in record["claims"]:
        evidence, count = claim["evidence"], claim["count"]["text"]
        assert evidence["window"] is True
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert count in evidence["text"]
        assert len(evidence["text"]) <= 2 * WINDOW_CHARS + len(count)
        # Cut at word gaps: the window neither starts nor ends inside a word.
        assert evidence["start"] == 0 or text[evidence["start"] - 1].isspace()
        assert evidence["end"] == len(text) or text[evidence["end"]].isspace()
    assert any(w.startswith("[W010]") for w in record["article"]["warnings"])
    assert len({claim["id"] for claim in record["claims"]}) == len(record["claims"])


def test_many_claims_in_one_sentence_get_windows_past_the_repeat_budget(nlp) -> None:
    from pipeline.claims.evidence import MAX_EVIDENCE_CHARS, SENTENCE_REPEAT_CHARS

    sentence = ", ".join(f"{n} were killed in town {n}" for n in range(2, 80)) + "."
    assert len(sentence) <= MAX_EVIDENCE_CHARS
    record = _record(nlp, sentence)
    assert len(sentence) * len(record["claims"]) > SENTENCE_REPEAT_CHARS
    assert all(claim["evidence"].get("window") for claim in record["claims"])


def test_an_ordinary_long_sentence_stays_whole(nlp) -> None:
    sentence = "At least 12 civilians were killed and 30 were wounded in Idlib, " + "and the siege went on " * 100 + "."
    record = _record(nlp, sentence)
    assert [c["count"]["text"] for c in record["claims"]] == ["At least 12", "30"]
    for claim in record["claims"]:
        assert "window" not in claim["evidence"]
        assert claim["evidence"]["text"] == sentence
    assert not any(w.startswith("[W010]") for w in record["article"]["warnings"])


def test_an_unpunctuated_text_full_of_figures_writes_a_bounded_output(nlp) -> None:
    from pipeline.output import dumps

    body = " ".join(f"at least {n} civilians died" for n in range(60_000 // 28))
    data = f"Toll\n\n{body}".encode()
    size = len(dumps(extract_article(data, "a.txt", Sidecar(), nlp)).encode())
    # A claim's JSON skeleton is some 600 bytes, the evidence at most ~500 characters.
    assert size <= len(data) + 1_200 * len(body.split(" at least "))


def test_a_windowed_claim_reads_its_context_inside_its_window(nlp) -> None:
    far = "Russian airstrikes hit Raqqa " + "and the shelling went on " * 200
    near = "in Aleppo 7 civilians were killed by regime barrel bombs"
    record = _record(nlp, far + near)
    (claim,) = [c for c in record["claims"] if c["count"]["text"] == "7"]
    assert claim["evidence"]["window"] is True
    assert [place["name"] for place in claim["locations"]] == ["Aleppo"]
    assert claim["actor"] is not None and claim["actor"]["id"] != "russia"
