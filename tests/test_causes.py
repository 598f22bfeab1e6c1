"""Causes of death as the text tells them (issue 13): our own short texts, made-up events."""

from __future__ import annotations

import pytest

from pipeline.article import extract_article
from pipeline.sidecar import Sidecar


def _cause(nlp, text: str) -> str | None:
    record = extract_article(text.encode(), "t.txt", Sidecar(published="2024-01-10"), nlp)
    return record["incident"]["cause"]


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # ground fighting names no weapon
        ("Fighting\n\nAt least 30 fighters were killed in clashes with the army near Hama, Syria.", "ground_fighting"),
        ("Fighting\n\nSoldiers repelled an attack on a base in Mali, killing 12 assailants.", "ground_fighting"),
        # a weapon in the same clause says more
        ("Fighting\n\nTwenty people were killed in clashes and air strikes in Idlib, Syria.", "airstrike"),
        # ground fighting beats the weapon of the title and of destroyed equipment
        ("Air strikes pound rebel areas\n\nAt least 16 rebels were killed in clashes with government forces "
         "in Daraa, Syria, who destroyed two tanks and a rocket launcher.", "ground_fighting"),
        # an air-dropped bomb is an airstrike
        ("Bombs\n\nHelicopters dropped barrel bombs on a market in Aleppo, Syria, killing 14 people.", "airstrike"),
        ("Bombs\n\nSix people were killed by bombs dropped from a drone in Sagaing, Myanmar.", "airstrike"),
        # an aircraft that crashes is not an airstrike
        ("Crash\n\nA military helicopter crashed near Kabul, Afghanistan, killing all nine on board.", "crash"),
        ("Crash\n\nTwo pilots were killed when their jet was shot down over Idlib, Syria.", "crash"),
        # a chemical agent beats its delivery
        ("Gas\n\nAn air strike that released toxic gas killed 20 people in Douma, Syria.", "chemical"),
        ("Gas\n\nRockets loaded with chlorine killed six people in Aleppo, Syria.", "chemical"),
    ],
)
def test_cause_follows_the_text(nlp, text: str, cause: str) -> None:
    assert _cause(nlp, text) == cause


def test_a_chemical_place_name_is_no_payload(nlp) -> None:
    text = "Raid\n\nAn air raid killed one man on Monday in the Syrian town hit by a chemical attack in April."
    assert _cause(nlp, text) == "airstrike"
