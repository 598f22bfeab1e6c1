"""Every example and negative in pipeline/rules/*.yaml runs here (Duckling's corpus style).

A rule file is its own test table: add an alias or a pattern with an example and
it is tested without touching this file.
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline import rules
from pipeline.article import extract_article
from pipeline.claims.assemble import _noun_after, bind_counts
from pipeline.claims.context import actor_for, actor_id, set_article_countries
from pipeline.claims.tokens import Layers
from pipeline.clean.text import Cleaned, drop_furniture, furniture_kind  # noqa: F401
from pipeline.errors import RuleError
from pipeline.extract.counts import find_counts
from pipeline.extract.times import find_times
from pipeline.metadata import find_dateline
from pipeline.normalize.dates import resolve
from pipeline.sidecar import Sidecar
from tests.conftest import REFERENCE_DATE


def _cases(name: str, key: str) -> list[Any]:
    return list(rules.load(name).get(key, []))


# --- counts.yaml ----------------------------------------------------------------------

@pytest.mark.parametrize("example", _cases("counts", "examples"), ids=lambda e: e["text"])
def test_rules_count_example_parses_fully(nlp, example: dict[str, Any]) -> None:
    doc = nlp.make_doc(example["text"])
    found = find_counts(doc)
    assert len(found) == 1, [doc[c.start : c.end].text for c in found]
    assert (found[0].start, found[0].end) == (0, len(doc))
    value = found[0].value
    assert value.qualifier == example["qualifier"]
    for key in ("value", "low", "high"):
        if key in example:
            assert getattr(value, key) == example[key]


@pytest.mark.parametrize("text", _cases("counts", "negative"))
def test_rules_count_negative_binds_nothing(nlp, text: str) -> None:
    doc = nlp(f"{text} were killed")
    assert not [b for b in bind_counts(doc, Layers.of(doc)) if b.count.start < len(nlp.make_doc(text))]


# --- victims.yaml ---------------------------------------------------------------------

@pytest.mark.parametrize("example", _cases("victims", "examples"), ids=lambda e: e["text"])
def test_rules_victim_example_names_group(nlp, example: dict[str, Any]) -> None:
    doc = nlp(example["text"])
    count = doc.spans["count"][0]._.count
    group, _, _, rejected = _noun_after(doc, Layers.of(doc), count)
    assert not rejected and group == example["group"]


@pytest.mark.parametrize("text", _cases("victims", "negative"))
def test_rules_victim_negative_is_not_a_head_count(nlp, text: str) -> None:
    doc = nlp(text)
    # Either no count at all ("a terrorist attack") or a count whose noun is refused ("472 days").
    counts = [span._.count for span in doc.spans["count"]]
    assert all(_noun_after(doc, Layers.of(doc), count)[3] for count in counts)


# --- predicates.yaml ------------------------------------------------------------------

PREDICATE_CASES = [(r, e) for r in rules.load("predicates")["rules"] for e in r.get("examples", [])]


@pytest.mark.parametrize(("rule", "example"), PREDICATE_CASES, ids=lambda x: x["id"] if "id" in x else x["text"])
def test_rules_predicate_example_binds_count(nlp, rule: dict[str, Any], example: dict[str, Any]) -> None:
    doc = nlp(example["text"])
    bound = {doc[b.count.start : b.count.end].text: b for b in bind_counts(doc, Layers.of(doc))}
    assert example["count"] in bound, f"{example['count']!r} not bound in {example['text']!r}"
    assert bound[example["count"]].rule == rule["id"]
    assert bound[example["count"]].predicate == rule["predicate"]


PREDICATE_NEGATIVES = [(r, n) for r in rules.load("predicates")["rules"] for n in r.get("negative", [])]


@pytest.mark.parametrize(("rule", "text"), PREDICATE_NEGATIVES, ids=lambda x: x["id"] if isinstance(x, dict) else x)
def test_rules_predicate_negative_binds_nothing(nlp, rule: dict[str, Any], text: str) -> None:
    doc = nlp(text)
    assert not [b for b in bind_counts(doc, Layers.of(doc)) if b.predicate == rule["predicate"]]


# --- actors.yaml and causes.yaml ------------------------------------------------------

ACTOR_CASES = [(a, e) for a, spec in rules.load("actors")["actors"].items() for e in spec.get("examples", [])]


@pytest.mark.parametrize(("actor", "text"), ACTOR_CASES)
def test_rules_actor_example_is_found(nlp, actor: str, text: str) -> None:
    doc = nlp(text)
    layers = Layers.of(doc)
    span = actor_for(doc, layers, 0, len(doc), len(doc))
    assert span is not None and actor_id(layers, span) == actor


def _actor_in(nlp, text: str, country: str | None = None) -> str | None:
    """The perpetrator id of a snippet, as in an article whose places name ``country``."""
    doc = nlp(text)
    layers = Layers.of(doc)
    set_article_countries(layers, [country] if country else [])
    span = actor_for(doc, layers, 0, len(doc), len(doc))
    return actor_id(layers, span) if span is not None else None


STATE_FORCES = rules.load("actors")["state_forces"]


@pytest.mark.parametrize("example", STATE_FORCES["examples"], ids=lambda e: e["text"])
def test_rules_state_forces_example_names_the_state(nlp, example: dict[str, Any]) -> None:
    assert _actor_in(nlp, example["text"]) == example["id"]


@pytest.mark.parametrize("text", STATE_FORCES["negative"])
def test_rules_state_forces_negative_names_no_state(nlp, text: str) -> None:
    assert not [s for s in nlp(text).spans["actor"] if s.label_.startswith("state:")]


BY_COUNTRY_CASES = [(k, e) for k, spec in rules.load("actors")["by_country"].items() for e in spec["examples"]]


@pytest.mark.parametrize(("word", "example"), BY_COUNTRY_CASES, ids=lambda x: x if isinstance(x, str) else x["text"])
def test_rules_by_country_example_resolves_by_the_article_country(nlp, word: str, example: dict[str, Any]) -> None:
    assert _actor_in(nlp, example["text"], example.get("country")) == example["id"]


@pytest.mark.parametrize("text", _cases("actors", "negative"))
def test_rules_actor_negative_names_no_perpetrator(nlp, text: str) -> None:
    doc = nlp(text)
    assert actor_for(doc, Layers.of(doc), 0, len(doc), len(doc)) is None


RESPONSIBILITY = rules.load("actors")["responsibility"]


@pytest.mark.parametrize("example", RESPONSIBILITY["examples"], ids=lambda e: e["text"][:40])
def test_rules_claimed_responsibility_names_the_incident_actor(nlp, example: dict[str, Any]) -> None:
    record = extract_article(f"Attack\n\n{example['text']}".encode(), "t.txt", Sidecar(), nlp)
    assert record["incident"]["actor"] == example["id"]


@pytest.mark.parametrize("text", RESPONSIBILITY["negative"])
def test_rules_denied_responsibility_names_nobody(nlp, text: str) -> None:
    record = extract_article(f"Attack\n\n{text}".encode(), "t.txt", Sidecar(), nlp)
    assert record["incident"]["actor"] is None


CAUSE_CASES = [(c, e) for c, spec in rules.load("causes")["causes"].items() for e in spec.get("examples", [])]


@pytest.mark.parametrize(("cause", "text"), CAUSE_CASES)
def test_rules_cause_example_is_found(nlp, cause: str, text: str) -> None:
    doc = nlp(text)
    assert cause in {s.label_ for s in doc.spans["cause"]}


@pytest.mark.parametrize("text", _cases("causes", "negative"))
def test_rules_cause_negative_names_no_cause(nlp, text: str) -> None:
    assert [s.text for s in nlp(text).spans["cause"]] == []


COMBAT = rules.load("causes")["combat"]


def _incident_cause(nlp, text: str) -> str | None:
    record = extract_article(f"Syria\n\n{text}".encode(), "t.txt", Sidecar(), nlp)
    return record["incident"]["cause"]


@pytest.mark.parametrize("text", COMBAT["examples"])
def test_rules_combat_example_is_the_last_resort_cause(nlp, text: str) -> None:
    assert _incident_cause(nlp, text) == COMBAT["id"]


@pytest.mark.parametrize("text", COMBAT["negative"])
def test_rules_combat_negative_yields_to_a_named_cause(nlp, text: str) -> None:
    assert _incident_cause(nlp, text) not in (None, COMBAT["id"])


# --- dates.yaml and times.yaml --------------------------------------------------------

DATELINE_CASES = [(r["id"], e) for r in rules.load("dates")["datelines"] for e in r["examples"]]


@pytest.mark.parametrize(("rule_id", "example"), DATELINE_CASES, ids=lambda x: x if isinstance(x, str) else x["text"])
def test_rules_dateline_example(rule_id: str, example: dict[str, Any]) -> None:
    found = find_dateline(example["text"])
    assert found is not None and found.rule == rule_id
    assert found.date.isoformat() == example["date"]
    assert found.ambiguous == bool(example.get("ambiguous"))


@pytest.mark.parametrize("text", _cases("dates", "dateline_negative"))
def test_rules_dateline_negative(text: str) -> None:
    assert find_dateline(text) is None


TIME_CASES = [(r["id"], e) for r in rules.load("times")["rules"] for e in r["examples"]]


@pytest.mark.parametrize(("rule_id", "example"), TIME_CASES, ids=lambda x: x if isinstance(x, str) else x["text"])
def test_rules_time_example_resolves(rule_id: str, example: dict[str, Any]) -> None:
    found = find_times(example["text"])
    assert len(found) == 1 and (found[0].start, found[0].end) == (0, len(example["text"]))
    assert found[0].rule.id == rule_id
    interval = resolve(found[0], REFERENCE_DATE)
    assert interval is not None
    assert (interval.start.isoformat(), interval.end.isoformat()) == (example["start"], example["end"])


@pytest.mark.parametrize("text", _cases("times", "negative"))
def test_rules_time_negative(text: str) -> None:
    assert find_times(text) == []


def test_rules_time_unresolved_without_publication_date() -> None:
    found = find_times("last month")
    assert resolve(found[0], None) is None


# --- boilerplate.yaml -----------------------------------------------------------------

LINE_CASES = [(r["kind"], e) for r in rules.load("boilerplate")["line_rules"] for e in r["examples"]]


@pytest.mark.parametrize(("kind", "line"), LINE_CASES)
def test_rules_boilerplate_line_is_dropped(kind: str, line: str) -> None:
    assert furniture_kind(line) == kind


INLINE_CASES = [(r["kind"], e) for r in rules.load("boilerplate")["inline_rules"] for e in r["examples"]]


@pytest.mark.parametrize(("kind", "case"), INLINE_CASES, ids=lambda x: x if isinstance(x, str) else x[0][:30])
def test_rules_boilerplate_inline_is_removed(kind: str, case: list[str]) -> None:
    from collections import Counter

    dropped: Counter[str] = Counter()
    assert drop_furniture(case[0], dropped) == case[1]
    assert dropped[kind] >= 1


@pytest.mark.parametrize("line", _cases("boilerplate", "keep"))
def test_rules_boilerplate_keeps_article_text(line: str) -> None:
    from collections import Counter

    assert furniture_kind(line) is None
    assert drop_furniture(line, Counter()) == line


# --- the files themselves -------------------------------------------------------------

@pytest.mark.parametrize("name", rules.rule_names())
def test_rules_file_loads(name: str) -> None:
    assert isinstance(rules.load(name), dict)


def test_rules_unknown_key_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import yaml

    monkeypatch.setattr(rules, "ALLOWED_KEYS", {**rules.ALLOWED_KEYS, "causes": set()})
    rules.load.cache_clear()
    try:
        with pytest.raises(RuleError) as info:
            rules.load("causes")
        assert info.value.code == "E202"
    finally:
        rules.load.cache_clear()
    assert yaml  # the loader uses safe_load only


def test_rules_predicate_ids_are_unique() -> None:
    ids = [r["id"] for r in rules.load("predicates")["rules"]]
    assert len(ids) == len(set(ids))


def test_rules_every_predicate_rule_has_examples() -> None:
    assert all(r.get("examples") for r in rules.load("predicates")["rules"])


# --- scope.yaml -----------------------------------------------------------------------

from pipeline.claims import scope as claim_scope  # noqa: E402


@pytest.mark.parametrize("text", rules.load("scope")["other_story"]["examples"])
def test_rules_scope_other_story_example(text: str) -> None:
    assert claim_scope.opens_other_story(text)


@pytest.mark.parametrize("text", rules.load("scope")["other_story"]["negative"])
def test_rules_scope_other_story_negative(text: str) -> None:
    assert not claim_scope.opens_other_story(text)


def _background(nlp, text: str, count: str) -> bool:
    """The scope the pipeline gives the claim of ``count`` in a one-sentence report."""
    record = extract_article(f"Report\n\n{text}".encode(), "t.txt", Sidecar(published="2017-07-13"), nlp)
    claims = [c for c in record["claims"] if c["count"]["text"] == count]
    assert claims, f"{count!r} makes no claim in {text!r}"
    return claims[0]["scope"] == "background"


@pytest.mark.parametrize("case", rules.load("scope")["background"]["examples"], ids=lambda c: c["text"][:40])
def test_rules_scope_background_example(nlp, case: dict[str, str]) -> None:
    assert _background(nlp, case["text"], case["count"])


@pytest.mark.parametrize("case", rules.load("scope")["background"]["negative"], ids=lambda c: c["text"][:40])
def test_rules_scope_background_negative(nlp, case: dict[str, str]) -> None:
    assert not _background(nlp, case["text"], case["count"])


@pytest.mark.parametrize("text", _cases("scope", "cumulative_examples"))
def test_rules_scope_running_total_example(text: str) -> None:
    assert claim_scope.running_total(text)


@pytest.mark.parametrize("text", _cases("scope", "cumulative_negative"))
def test_rules_scope_running_total_negative(text: str) -> None:
    assert not claim_scope.running_total(text)


@pytest.mark.parametrize("text", _cases("scope", "toll_update_examples"))
def test_rules_scope_toll_update_example(nlp, text: str) -> None:
    assert claim_scope.updates_incident_toll(text)
    record = extract_article(f"Toll\n\n{text}".encode(), "t.txt", Sidecar(), nlp)
    toll = [c for c in record["claims"] if c["rule"] == "killed.toll"]
    assert toll and not toll[0]["cumulative"] and toll[0]["scope"] == "incident"
    assert record["incident"]["claim"] == toll[0]["id"]


@pytest.mark.parametrize("text", _cases("scope", "toll_update_negative"))
def test_rules_scope_toll_update_negative(nlp, text: str) -> None:
    assert claim_scope.toll_risen(text) and not claim_scope.updates_incident_toll(text)
    record = extract_article(f"Toll\n\n{text}".encode(), "t.txt", Sidecar(), nlp)
    assert record["claims"] and all(c["cumulative"] and c["scope"] == "cumulative" for c in record["claims"])


@pytest.mark.parametrize("text", _cases("scope", "period_examples"))
def test_rules_scope_period_example(text: str) -> None:
    assert claim_scope.period_marked(text)


@pytest.mark.parametrize("text", _cases("scope", "period_negative"))
def test_rules_scope_period_negative(text: str) -> None:
    assert not claim_scope.period_marked(text)


@pytest.mark.parametrize("text", _cases("scope", "embedded_examples"))
def test_rules_scope_embedded_post_example(text: str) -> None:
    assert claim_scope.is_embedded_post(text)


@pytest.mark.parametrize("text", _cases("scope", "embedded_negative"))
def test_rules_scope_embedded_post_negative(text: str) -> None:
    assert not claim_scope.is_embedded_post(text)


@pytest.mark.parametrize("case", rules.load("scope")["status"]["examples"], ids=lambda c: c["text"][:40])
def test_rules_scope_status_example(case: dict[str, str]) -> None:
    assert claim_scope.status_of(case["text"]) == case["status"]


# --- sources.yaml anaphors ------------------------------------------------------------

def _source_names(nlp, text: str) -> list[str | None]:
    record = extract_article(f"Report\n\n{text}".encode(), "t.txt", Sidecar(), nlp)
    return [(c["source"] or {}).get("name") for c in record["claims"] if c["predicate"] == "killed"]


@pytest.mark.parametrize("case", rules.load("sources")["anaphors"]["examples"], ids=lambda c: c["text"][:50])
def test_rules_source_anaphor_resolves(nlp, case: dict[str, str]) -> None:
    assert _source_names(nlp, case["text"]) == [case["name"]]


@pytest.mark.parametrize("case", rules.load("sources")["anaphors"]["negative"], ids=lambda c: c["text"][:50])
def test_rules_source_anaphor_negative(nlp, case: dict[str, str]) -> None:
    assert case["name"] not in _source_names(nlp, case["text"])


# --- sources.yaml attribution ---------------------------------------------------------

@pytest.mark.parametrize("case", rules.load("sources")["attribution"]["examples"], ids=lambda c: c["text"][:50])
def test_rules_source_attribution_finds_the_speaker(nlp, case: dict[str, str | None]) -> None:
    assert _source_names(nlp, case["text"]) == [case["name"]]


@pytest.mark.parametrize("case", rules.load("sources")["attribution"]["negative"], ids=lambda c: c["text"][:50])
def test_rules_source_attribution_negative(nlp, case: dict[str, str]) -> None:
    assert case["name"] not in _source_names(nlp, case["text"])


# --- times.yaml reaction_verbs --------------------------------------------------------

def _killed_times(nlp, text: str) -> list[tuple[dict | None, list[str]]]:
    record = extract_article(f"Report\n\n{text}".encode(), "t.txt", Sidecar(published="2019-05-14"), nlp)
    return [(c["time"], c["inherited"]) for c in record["claims"] if c["predicate"] == "killed"]


@pytest.mark.parametrize("text", rules.load("times")["reaction_verbs"]["examples"], ids=lambda t: t[:50])
def test_rules_time_after_a_reaction_verb_does_not_date_the_deaths(nlp, text: str) -> None:
    found = _killed_times(nlp, text)
    assert found and all(time is None or "time" in inherited for time, inherited in found)


@pytest.mark.parametrize("text", rules.load("times")["reaction_verbs"]["negative"], ids=lambda t: t[:50])
def test_rules_time_of_the_deaths_is_kept(nlp, text: str) -> None:
    found = _killed_times(nlp, text)
    assert found and all(time is not None and "time" not in inherited for time, inherited in found)


ATTACK_WORDS = rules.load("causes")["attack_words"]


def _incident_actor(nlp, text: str) -> str | None:
    record = extract_article(f"Syria\n\n{text}".encode(), "t.txt", Sidecar(), nlp)
    return record["incident"]["actor"]


@pytest.mark.parametrize("text", ATTACK_WORDS["examples"])
def test_rules_attack_words_example_makes_a_lead_mention_the_doer(nlp, text: str) -> None:
    assert _incident_actor(nlp, text) is not None


@pytest.mark.parametrize("text", ATTACK_WORDS["negative"])
def test_rules_attack_words_negative_leaves_a_bystander_out(nlp, text: str) -> None:
    assert _incident_actor(nlp, text) is None
