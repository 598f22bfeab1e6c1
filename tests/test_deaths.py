"""Ways of reporting a death, one victim without a number, lists, parts that add up, figures
that are not victims, nobody killed, background deaths, and articles in other languages
(issue 12). Short texts of our own with hand-checked expectations."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline import rules
from pipeline.article import extract_article
from pipeline.claims.no_deaths import states_no_deaths
from pipeline.sidecar import Sidecar
from pipeline.tools.score_worldwide import toll


def _record(nlp, body: str, title: str = "Report") -> dict[str, Any]:
    text = f"{title}\n\n{body}"
    return extract_article(text.encode("utf-8"), "t.txt", Sidecar(published="2023-05-02"), nlp)


def _killed(record: dict[str, Any]) -> list[tuple[int | None, str]]:
    """(value, else lower bound; group) of each killed claim of the body, in order."""
    return [
        (c["count"]["value"] if c["count"]["value"] is not None else c["count"]["low"], c["group"])
        for c in record["claims"] if c["predicate"] == "killed" and c["section"] == "body"
    ]


# --- verbs and nouns beyond "killed" -------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("Police shot to death two suspected robbers in the market.", 2),
        ("Three traders were gunned down at a roadblock near the river.", 3),
        ("Raiders hacked four herders to death at their camp.", 4),
        ("Two guards were stabbed to death during the night.", 2),
        ("A crowd beat two suspected thieves to death.", 2),
        ("Six members of one family were burnt to death in their house.", 6),
        ("A mob lynched three men accused of theft.", 3),
        ("The militants executed five hostages on Friday.", 5),
        ("Eleven villagers died when the shells landed.", 11),
        ("At least 23 people lost their lives in the blast.", 23),
        ("Two of the wounded later succumbed to their injuries.", 2),
        ("The bodies of nine men were found near the road.", 9),
        ("Rescuers pulled 14 bodies from the rubble.", 14),
        ("The army confirmed the deaths of seven soldiers.", 7),
    ],
)
def test_a_manner_of_death_is_a_killed_claim(nlp, body: str, value: int) -> None:
    assert [v for v, _ in _killed(_record(nlp, body))] == [value]


@pytest.mark.parametrize(
    ("title", "value"),
    [("Death toll from market blast rises to 11", 11), ("Four civilians die in shelling of the port", 4),
     ("12 dead in clan fighting", 12)],
)
def test_headline_wordings_give_the_toll(nlp, title: str, value: int) -> None:
    record = _record(nlp, "Officials gave no further details.", title=title)
    assert [c["count"]["value"] for c in record["claims"] if c["predicate"] == "killed"] == [value]
    assert toll(record["incident"]) == value


@pytest.mark.parametrize("body", ["A court sentenced three men to death on Monday.",
                                  "Two activists received death threats last week."])
def test_death_in_another_sense_is_no_claim(nlp, body: str) -> None:
    assert _killed(_record(nlp, body)) == []


# --- one victim without a number ---------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "group", "group_text"),
    [
        ("Gunmen killed a revenue collector near his home on Thursday.", "civilians", "revenue collector"),
        ("A district councillor was assassinated on Saturday.", "civilians", "district councillor"),
        ("A lawyer was shot dead outside the court.", "civilians", "lawyer"),
        ("Bandits broke into the house, killing his son.", "civilians", "son"),
        ("Soldiers shot dead a ten-year-old boy at the checkpoint.", "children", "boy"),
        ("A drone strike killed a rebel commander on Monday.", "fighters", "commander"),
    ],
)
def test_one_person_without_a_number_is_a_claim_of_one(nlp, body: str, group: str, group_text: str) -> None:
    claims = [c for c in _record(nlp, body)["claims"] if c["predicate"] == "killed"]
    assert [(c["count"]["value"], c["group"], c["group_text"]) for c in claims] == [(1, group, group_text)]


@pytest.mark.parametrize(
    "body",
    [
        "An AFP photographer saw the bodies of five men in the street.",
        "An AFP photographer saw five bodies in the street.",
        "A gunman killed five people in a bar.",
    ],
)
def test_a_person_who_sees_or_kills_is_not_counted_among_the_dead(nlp, body: str) -> None:
    assert [v for v, _ in _killed(_record(nlp, body))] == [5]


@pytest.mark.parametrize(
    "body",
    ["A woman was killed in a sniper attack of the militants.", "The rockets hit a rebel town, killing a woman."],
)
def test_a_person_noun_used_as_a_modifier_is_no_victim(nlp, body: str) -> None:
    assert _killed(_record(nlp, body)) == [(1, "women")]


# --- lists and parts that add up -------------------------------------------------------------

def test_people_named_one_by_one_are_one_claim_with_parts(nlp) -> None:
    record = _record(nlp, "A woman and a child were killed when a shell hit their home.")
    (claim,) = [c for c in record["claims"] if c["predicate"] == "killed"]
    assert claim["count"]["text"] == "A woman and a child"
    assert (claim["count"]["value"], claim["group"]) == (2, "civilians")
    assert [(i["group"], i["count"]["value"]) for i in claim["includes"]] == [("women", 1), ("children", 1)]
    assert record["incident"]["killed"]["civilians"] == 2


@pytest.mark.parametrize(
    ("body", "claims", "total"),
    [
        ("Four militants and an army commando were killed in a gunfight.", [(4, "fighters"), (1, "fighters")], 5),
        ("Three soldiers and five rebels were killed in a clash near the border.", [(3, "fighters"), (5, "fighters")], 8),
        ("Separatists attacked the market, killing a police officer and two civilians.",
         [(1, "fighters"), (2, "civilians")], 3),
        ("Two policemen were killed when militants attacked a checkpoint on Sunday. "
         "Six militants were also killed in the exchange of fire, the army said.", [(2, "fighters"), (6, "fighters")], 8),
        ("Seven soldiers were killed when gunmen attacked an army post. "
         "The army said 15 attackers were killed in the fighting.", [(7, "fighters"), (15, "fighters")], 22),
        ("A woman and her two children were killed when a shell hit their home.", [(1, "women"), (2, "children")], 3),
    ],
)
def test_victims_split_over_groups_or_sentences_add_up(nlp, body: str, claims: list, total: int) -> None:
    record = _record(nlp, body)
    assert _killed(record) == claims
    assert toll(record["incident"]) == total


@pytest.mark.parametrize(
    "body",
    [
        # Another place, another story: not the same incident's dead.
        "Nine civilians were killed in the strike on the market. Meanwhile, four fighters were killed in the attack on a village.",
        # A later figure of the same side restates or breaks down the toll.
        "Twelve soldiers were killed in the ambush. The army said 10 soldiers were killed in the attack.",
        # "two of the wounded died" is a part of those counted.
        "The toll of the bombing has risen to 11 after two of the wounded died in hospital.",
    ],
)
def test_restatements_parts_and_other_stories_do_not_add_up(nlp, body: str) -> None:
    record = _record(nlp, body)
    first = _killed(record)[0][0]
    assert toll(record["incident"]) == first


# --- figures that are not victims ------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("A shopkeeper was beaten to death by five policemen at the station.", [(1, "killed")]),
        ("Gunmen opened fire on a bus killing one passenger and five others suffered bullet injuries.",
         [(1, "killed"), (5, "injured")]),
        ("A truck bomb killed 30 people injured 90 in the capital.", [(30, "killed"), (90, "injured")]),
        ("Troops destroyed five hideouts and killed two insurgents.", [(2, "killed")]),
        ("Police arrested 14 suspects after a clash in which one policeman was killed.", [(14, "detained"), (1, "killed")]),
        ("Militants attacked two villages on 17 and 21 June, killing nine civilians.", [(9, "killed")]),
        ("Four killed 10 wounded in market blast", [(4, "killed"), (10, "injured")]),
    ],
)
def test_perpetrators_injured_objects_detained_and_dates_are_not_the_dead(nlp, body: str, wanted: list) -> None:
    claims = _record(nlp, body)["claims"]
    assert [(c["count"]["value"], c["predicate"]) for c in claims if c["section"] == "body"] == wanted


# --- nobody killed; background deaths -------------------------------------------------------

@pytest.mark.parametrize("text", rules.load("predicates")["no_deaths"]["examples"])
def test_rules_no_deaths_example_says_nobody_died(text: str) -> None:
    assert states_no_deaths(text)


@pytest.mark.parametrize("text", rules.load("predicates")["no_deaths"]["negative"])
def test_rules_no_deaths_negative_says_no_such_thing(text: str) -> None:
    assert not states_no_deaths(text)


def test_no_one_killed_gives_an_incident_of_no_dead(nlp) -> None:
    record = _record(nlp, "A roadside bomb hit a convoy on Monday but no one was killed, officials said.")
    assert _killed(record) == []
    assert record["incident"]["killed"]["people"] == 0
    unknown = _record(nlp, "A roadside bomb hit a convoy on Monday. There were no immediate reports of casualties.")
    assert unknown["incident"]["killed"]["people"] is None


@pytest.mark.parametrize(
    "body",
    [
        "Hundreds marched on Monday protesting attacks that had killed nine villagers last week.",
        "Students marched to demand justice for three classmates who were killed in a robbery.",
        "Families gathered to mark the anniversary of the bombing that killed more than 70 people.",
        "Thousands attended the funerals of six people shot dead during the clashes.",
    ],
)
def test_background_deaths_are_claims_but_never_the_toll(nlp, body: str) -> None:
    record = _record(nlp, body)
    assert len(_killed(record)) == 1
    assert record["incident"]["claim"] is None
    assert toll(record["incident"]) == 0


def test_the_own_dead_of_a_retaliation_are_its_toll(nlp) -> None:
    record = _record(nlp, "In retaliation for the shelling rebels fired rockets on the city killing three civilians.")
    assert toll(record["incident"]) == 3


# --- language ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Anschlag in Kabul\n\nBei einem Bombenanschlag in Kabul sind am Dienstag mindestens zwölf Menschen "
         "getötet worden, teilte die Polizei mit. Die Explosion ereignete sich in der Nähe eines Marktes.", "German"),
        ("Ataque en Nigeria\n\nAl menos doce personas murieron en un ataque contra un mercado en el norte del "
         "país, dijo la policía el domingo por la tarde.", "Spanish"),
        ("Frappe à Idlib\n\nUne frappe aérienne a tué neuf civils dans la province d'Idlib mardi, selon un "
         "observatoire basé au Royaume-Uni.", "French"),
    ],
)
def test_an_article_in_another_language_gets_a_warning_and_no_claims(nlp, text: str, language: str) -> None:
    record = extract_article(text.encode("utf-8"), "t.txt", Sidecar(published="2023-05-02"), nlp)
    assert [w for w in record["article"]["warnings"] if w.startswith("[W008]")] and language in record["article"]["warnings"][-1]
    assert record["claims"] == []
    assert record["incident"]["claim"] is None and record["incident"]["location"] is None
    assert set(record["incident"]["killed"].values()) == {None}


@pytest.mark.parametrize(
    "text",
    [
        "Blast in Kabul\n\nTwelve people were killed in a bomb blast in Kabul on Tuesday, police said.",
        "Syria\n\n12 killed",
        # An English report quoting a line of Arabic is English.
        "Strike in Idlib\n\nNine civilians were killed in air strikes on a village in Idlib province on Tuesday, a "
        "monitor said. Residents held up a banner reading \"قتل تسعة مدنيين\" at the funeral on Wednesday.",
    ],
)
def test_an_english_article_is_read(nlp, text: str) -> None:
    record = extract_article(text.encode("utf-8"), "t.txt", Sidecar(), nlp)
    assert not [w for w in record["article"]["warnings"] if w.startswith("[W008]")]
    assert record["claims"]


# --- round 2: communique verbs, single victims told after a clause, headline nouns ----------


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("Troops neutralised nine terrorists in clearance operations near the river.", 9),
        ("The brigade eliminated 14 enemy soldiers during the night, the general staff said.", 14),
        ("Security forces took out three militants in an encounter in the forest.", 3),
        ("Two militants were liquidated when they opened fire on officers.", 2),
        ("Border guards sent six occupiers to hell near the village.", 6),
        ("Operations in the valley resulted in the neutralisation of 12 terrorists.", 12),
        ("Armed subjects deprived of life two bus drivers on Sunday night.", 2),
    ],
)
def test_communique_and_translated_verbs_report_deaths(nlp, body: str, value: int) -> None:
    assert toll(_record(nlp, body)["incident"]) == value


@pytest.mark.parametrize(
    "body",
    [
        "Sappers neutralised two explosive devices on the road to the airport.",
        "He took out a loan of 5,000 dollars to rebuild the shop.",
        "The framework for the elimination of chemical weapons was endorsed by resolution 2118.",
    ],
)
def test_neutralising_things_kills_no_one(nlp, body: str) -> None:
    assert toll(_record(nlp, body)["incident"]) == 0


@pytest.mark.parametrize(
    "body",
    [
        "A teacher who was wounded when gunmen fired on his car on Monday died of his injuries on Wednesday.",
        "A young man arrested during the protests in the capital died in police custody on Sunday.",
        "A village elder was shot in his field by unknown attackers on Friday and died on the way to hospital.",
        "The body of a herder who was abducted last week was found near the river on Monday.",
    ],
)
def test_one_person_whose_death_comes_after_a_clause_counts_one(nlp, body: str) -> None:
    assert toll(_record(nlp, body)["incident"]) == 1


def test_a_single_wounded_person_is_not_counted_dead(nlp) -> None:
    record = _record(nlp, "A teacher who was wounded when gunmen fired on his car was taken to hospital on Monday.")
    assert toll(record["incident"]) == 0


@pytest.mark.parametrize(
    ("title", "group"),
    [("Journalist shot dead in Veracruz", "journalist"), ("Young man dies in police custody in Lome", "men"),
     ("Police report: man found dead in a vacant lot", "men")],
)
def test_a_headline_noun_without_article_is_one_person(nlp, title: str, group: str) -> None:
    record = _record(nlp, "The police gave no further details.", title=title)
    claims = [c for c in record["claims"] if c["predicate"] == "killed"]
    assert [(c["count"]["value"], c["group"]) for c in claims] == [(1, group)]


def test_a_headline_noun_before_a_number_is_the_killer_not_a_victim(nlp) -> None:
    record = _record(nlp, "The police gave no further details.", title="Gunman killed 5 in school shooting")
    assert [c["count"]["value"] for c in record["claims"] if c["predicate"] == "killed"] == [5]


def test_money_is_no_one(nlp) -> None:
    body = "A police team shot dead a wanted man carrying a reward of 50,000 rupees in an encounter on Sunday."
    assert toll(_record(nlp, body)["incident"]) == 1


# --- people the verb's object lists add up (issue 12 round 2, T4) --------------------------

@pytest.mark.parametrize(
    ("body", "total"),
    [
        ("Gunmen killed a village chief and his nephew near the market on Friday.", 2),
        ("A shell hit the farm and killed a herder, his three daughters and a neighbour.", 5),
        ("Assailants shot dead a magistrate and two of his aides outside the court.", 3),
    ],
)
def test_people_listed_as_the_object_add_up(nlp, body: str, total: int) -> None:
    assert toll(_record(nlp, body)["incident"]) == total


def test_a_speaker_after_a_comma_is_no_further_victim(nlp) -> None:
    body = "A bomb hit a patrol in the hills on Monday, killing three soldiers, a provincial official said."
    assert toll(_record(nlp, body)["incident"]) == 3


def test_an_updated_toll_far_from_its_verb_keeps_the_toll_phrase_group(nlp) -> None:
    body = ("The number of civilians killed by the air strike on the market of the northern town "
            "has risen to 20, local officials said.")
    assert _killed(_record(nlp, body)) == [(20, "civilians")]


def test_a_possessive_plural_names_no_victims(nlp) -> None:
    body = ("The toll from Monday's blast outside a boys' school in the east of the city "
            "rose to 31 on Tuesday, officials said.")
    assert _killed(_record(nlp, body)) == [(31, "people")]


def test_the_agent_of_a_shooting_is_not_who_died_later(nlp) -> None:
    body = ("A customs inspector was shot several times by two gunmen outside his home "
            "and died later in hospital, police said.")
    assert toll(_record(nlp, body)["incident"]) == 1


@pytest.mark.parametrize(
    "body",
    ["Four people, two of them children, were killed in the strike on Monday.",
     "Air strikes killed four people, two of whom were children, on Monday.",
     "Four people, including two children, were killed in the strike on Monday."],
)
def test_a_part_set_off_by_commas_is_a_sub_count_of_the_toll(nlp, body: str) -> None:
    # The aside names a part of the four; it neither hides the toll nor adds to it.
    record = _record(nlp, body)
    assert _killed(record) == [(4, "people")]
    assert record["incident"]["killed"]["children"] == 2
    assert record["incident"]["killed"]["total"] == 4
