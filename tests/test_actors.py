"""Perpetrators beyond Syria: the actor catalogue (rules/actors.yaml) as a user relies on it.

State forces of any country by pattern, words named by the article's country, unidentified
attackers as an explicit id, and the roles that never make a perpetrator (target, victim,
controller of the place, speaker). Our own short texts, made-up events.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from pipeline.article import extract_article
from pipeline.normalize.actors import resolve, state_id, state_names
from pipeline.sidecar import Sidecar


def _actor(nlp, text: str) -> str | None:
    record = extract_article(text.encode(), "t.txt", Sidecar(published="2024-01-10"), nlp)
    return record["incident"]["actor"]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Raid\n\nAfghan security forces killed six militants in Kunduz, Afghanistan.", "state:AF"),
        ("Raid\n\nThe Malian army killed 12 suspected jihadists in central Mali.", "state:ML"),
        ("Raid\n\nNigeria's military killed 30 fighters in an air strike in Borno, Nigeria.", "state:NG"),
        ("Raid\n\nThe Israeli military said its jets killed three gunmen in Jenin.", "israel"),
        ("Raid\n\nIraqi troops killed four gunmen near Kirkuk, Iraq.", "iraqi_government"),
        ("Raid\n\nColombian police killed two men in a shootout in Cali, Colombia.", "state:CO"),
    ],
)
def test_state_forces_of_any_country(nlp, text: str, actor: str) -> None:
    assert _actor(nlp, text) == actor


def test_the_coalition_is_the_one_of_the_article_country(nlp) -> None:
    yemen = "Strike\n\nA coalition air strike killed seven people at a wedding in Hajjah, Yemen."
    syria = "Strike\n\nA coalition air strike killed seven people at a wedding in Raqqa, Syria."
    assert (_actor(nlp, yemen), _actor(nlp, syria)) == ("saudi_coalition", "international_coalition")


def test_bare_police_name_nobody_without_a_country(nlp) -> None:
    assert _actor(nlp, "Clash\n\nPolice killed two men on Monday.") is None
    assert _actor(nlp, "Clash\n\nPolice killed two men in Lagos, Nigeria, on Monday.") == "state:NG"


def test_unidentified_attackers_are_explicit_and_not_null(nlp) -> None:
    assert _actor(nlp, "Attack\n\nUnidentified assailants killed three traders in Niger.") == "unidentified"
    assert _actor(nlp, "Attack\n\nThree traders were killed in Niger on Sunday.") is None


@pytest.mark.parametrize(
    "text",
    [
        # target
        "Attack\n\nA rocket attack targeting pro-US forces killed a contractor in eastern Syria.",
        "Attack\n\nA suicide car bomb hit an army checkpoint in Syria, killing five soldiers.",
        # controller of the place
        "Attack\n\nShells hit districts held by the government in Aleppo, Syria, killing four people.",
        # speaker
        "Attack\n\nAir strikes killed nine people in Idlib, Syria, the opposition Syrian Observatory said.",
        "Attack\n\nThe Nigerian army said a blast killed four people at a market in Nigeria.",
        # the denial of the accused
        "Attack\n\nA bomb killed five people in Kabul, Afghanistan. The Taliban denied any involvement.",
    ],
)
def test_roles_that_are_never_the_perpetrator(nlp, text: str) -> None:
    assert _actor(nlp, text) is None


def test_victims_are_not_the_perpetrator(nlp) -> None:
    text = "Strike\n\nA drone strike killed four Hezbollah fighters in southern Lebanon, a security source said."
    assert _actor(nlp, text) is None
    text = "Strike\n\nAn Israeli drone strike killed four Hezbollah fighters in southern Lebanon."
    assert _actor(nlp, text) == "israel"


def test_a_named_group_beats_unnamed_gunmen(nlp) -> None:
    text = "Attack\n\nGunmen killed eight miners in Balochistan, Pakistan. The BLA claimed responsibility for the attack."
    assert _actor(nlp, text) == "bla"


def test_islamic_state_is_named_by_its_province(nlp) -> None:
    assert _actor(nlp, "Raid\n\nIslamic State fighters killed 11 soldiers in Borno, Nigeria.") == "iswap"
    assert _actor(nlp, "Raid\n\nIslamic State fighters killed 11 soldiers in Deir ez-Zor, Syria.") == "isis"


def test_resolve_keeps_old_state_ids_and_makes_new_ones() -> None:
    assert [state_id(c) for c in ("SY", "US", "RU", "TR", "IL", "IQ", "KE")] == [
        "syrian_government", "us", "russia", "turkey", "israel", "iraqi_government", "state:KE"]
    assert resolve("by_country:coalition", "YE") == "saudi_coalition"
    assert resolve("by_country:state", None) is None
    assert resolve("houthis", "YE") == "houthis"


def test_demonyms_file_has_one_row_per_country_and_no_shared_surface() -> None:
    text = resources.files("pipeline.rules").joinpath("places/demonyms.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = list(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE))
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)) and all(len(c) == 2 and c.isupper() for c in codes)
    assert len(codes) >= 190
    surfaces = [surface.lower() for _, surface, _ in state_names()]
    assert len(surfaces) == len(set(surfaces)), sorted({s for s in surfaces if surfaces.count(s) > 1})


# --- a country's own forces named by unit, branch or descriptive word (issue 12, round 2) ---


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Raid\n\nJunta soldiers shot dead four farmers in Magway region.", "state:MM"),
        ("Raid\n\nA junta fighter jet bombed a school in Sagaing region, killing six pupils.", "state:MM"),
        ("Raid\n\nFederal forces killed five gunmen in a shootout in Sinaloa state.", "state:MX"),
        ("Raid\n\nParamilitary Rangers shot dead three suspects in Karachi.", "state:PK"),
        ("Raid\n\nMembers of the Revolutionary Guards killed two gunmen in Kurdistan province, Iran.", "state:IR"),
        ("Raid\n\nA Ukrainian sniper killed a man in Horlivka, Donetsk region.", "state:UA"),
        ("Raid\n\nMilitary police killed three men in a favela of Rio de Janeiro.", "state:BR"),
    ],
)
def test_forces_named_by_unit_or_branch_are_the_state_of_the_country(nlp, text: str, actor: str) -> None:
    assert _actor(nlp, text) == actor


def test_a_force_that_fires_after_a_passive_killing_is_the_killer(nlp) -> None:
    text = "Protest\n\nA student was shot dead in Maracaibo, Zulia, on Monday when National Guard troops fired on marchers."
    assert _actor(nlp, text) == "state:VE"
    # Not when the force is the one attacked.
    text = "Ambush\n\nA villager was killed in Zulia, Venezuela, on Monday when National Guard troops were attacked."
    assert _actor(nlp, text) is None


def test_the_object_of_an_attack_named_through_of_is_no_perpetrator(nlp) -> None:
    text = "Raid\n\nMilitary aircraft bombed a gathering of insurgents near Dikwa in Borno state, killing 20 of them."
    assert _actor(nlp, text) == "state:NG"


def test_a_force_reporting_its_own_operations_is_the_actor(nlp) -> None:
    text = ("Communique\n\nThe Armed Forces General Staff informs the public that reconnaissance operations near "
            "Douentza, in the Mopti region, resulted in the killing of seven terrorists.")
    assert _actor(nlp, text) == "state:ML"
    # A force reporting someone else's deed is not.
    text = "Blast\n\nThe army said a roadside bomb killed four civilians near Douentza in the Mopti region."
    assert _actor(nlp, text) is None


def test_occupiers_are_the_occupying_state_of_the_country_reported_on(nlp) -> None:
    text = "Shelling\n\nThe occupiers shelled Kherson on Sunday. Two residents were killed, the governor said."
    assert _actor(nlp, text) == "russia"
    # The dead occupiers are victims.
    text = "Front\n\nUkrainian forces killed 14 occupiers near Kupiansk, in Kharkiv region, the General Staff said."
    assert _actor(nlp, text) == "state:UA"


def test_a_headline_target_word_does_not_reach_into_the_body(nlp) -> None:
    text = "Kherson shelled\n\nRussian forces shelled Kherson overnight, killing three people."
    assert _actor(nlp, text) == "russia"
