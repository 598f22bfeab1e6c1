"""Incident selection: who killed, and how many civilians, on small hand-written texts."""

from __future__ import annotations

import pytest

from pipeline.article import extract_article
from pipeline.factories import build_nlp
from pipeline.sidecar import Sidecar


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _incident(nlp, text: str) -> dict:
    record = extract_article(text.encode("utf-8"), "t.txt", Sidecar(), nlp)
    return record["incident"]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # The counted noun phrase names who died, not who killed.
        ("Blast kills soldiers\n\nAt least 85 Syrian army troops were killed in a blast in Raqqa on Saturday.", None),
        ("Drone strike\n\nA drone strike killed eight members of the Hezbollah militia in Homs on Monday.", None),
        # State media's "terrorists" names no group.
        ("Rocket attack\n\nTwo civilians were killed in a terrorist rocket attack on Aleppo city.", "unidentified"),
        # A named group beats an unnamed one in the same clause.
        ("Shelling\n\nTwo people were killed when terrorists from Jaish al-Fateh fired rocket shells on Aleppo.", "hts"),
        # Who reports the deaths is not who caused them.
        ("Airstrike\n\nSix people were killed in an airstrike on a village in Aleppo the Russian Defence Ministry said.", None),
        # "held by X" makes X the target; "killed by X" the killer.
        ("Raids\n\nEleven civilians were killed in air raids on a town held by the Islamic State group in Deir Ezzor.", None),
        ("Raids\n\nEleven civilians were killed by the Islamic State group in Deir Ezzor.", "isis"),
        # A country after a preposition is a place.
        ("Jets\n\nRussian jets hit an outpost near the border with Turkey killing one fighter.", "russia"),
        # The verb "is" is not the acronym IS.
        ("Strikes\n\nThe US military is investigating reports that 73 civilians were killed in air strikes near Manbij.", "us"),
    ],
    ids=["victim-troops", "victim-of-tail", "terrorists", "named-beats-unnamed", "reporter", "held-by", "killed-by",
         "country-as-place", "is-verb"],
)
def test_incident_actor(nlp, text, actor):
    assert _incident(nlp, text)["actor"] == actor


@pytest.mark.parametrize(
    ("text", "civilians"),
    [
        ("Mortars\n\nRegime forces shelled a funeral in Madaya killing at least three women.", 3),
        ("Rockets\n\nTerrorists fired rockets at Aleppo killing one woman and one child on Friday.", 2),
        ("Strike\n\nAirstrikes killed five rescue workers in Aleppo province on Monday.", 5),
    ],
    ids=["women-only", "woman-and-child", "rescue-workers"],
)
def test_incident_civilians_by_parts(nlp, text, civilians):
    assert _incident(nlp, text)["killed"]["civilians"] == civilians


@pytest.mark.parametrize(
    ("text", "fighters"),
    [("Ambush\n\nThe army ambushed a group of terrorists in Qalamoun killing 15 and injuring dozens of them.", 15)],
    ids=["bare-count-refers-back"],
)
def test_incident_bare_count_takes_earlier_group(nlp, text, fighters):
    assert _incident(nlp, text)["killed"]["fighters"] == fighters
