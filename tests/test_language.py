"""Which articles the English rules read (pipeline/language.py).

The quick test (plainly_english) only ever spares a CLD2 call: it must never call a
text English that CLD2 would refuse, and whatever it says, unread_language must give
the answer CLD2 alone gives.
"""

from __future__ import annotations

import pytest

from pipeline.language import detect, plainly_english, unread_language

ENGLISH = (
    "Nine civilians were killed and more than twenty wounded when air strikes hit a market in the north of the "
    "province on Tuesday, a local monitor said. The strikes came after a week of shelling that had forced "
    "thousands of families from their homes, and rescuers said they were still searching the rubble of two "
    "buildings. Hospital staff said the dead included three children."
)
GERMAN = (
    "Bei einem Luftangriff auf einen Markt im Norden der Provinz sind am Dienstag neun Zivilisten getötet und "
    "mehr als zwanzig verletzt worden, wie eine örtliche Beobachtungsstelle mitteilte. Die Angriffe folgten "
    "auf eine Woche mit Artilleriebeschuss, der Tausende Familien aus ihren Häusern vertrieben hatte. Die "
    "Retter suchten noch in den Trümmern zweier Gebäude, sagte ein Sprecher. Unter den Toten waren drei Kinder."
)
FRENCH_QUOTING_ENGLISH = (
    "Neuf civils ont été tués et plus de vingt blessés mardi lorsque des frappes aériennes ont touché un marché "
    "dans le nord de la province, selon un observatoire local. Un habitant a montré une pancarte où l'on "
    "lisait « they said that the war was over », avant d'ajouter que les secours cherchaient encore des "
    "survivants sous les décombres de deux immeubles. Trois enfants figurent parmi les morts, selon l'hôpital."
)
SPANISH = (
    "Nueve civiles murieron y más de veinte resultaron heridos el martes cuando varios ataques aéreos "
    "alcanzaron un mercado en el norte de la provincia, según un observatorio local. Los ataques llegaron "
    "después de una semana de bombardeos que obligó a miles de familias a dejar sus casas, y los rescatistas "
    "seguían buscando entre los escombros de dos edificios. Entre los muertos hay tres niños."
)


def test_english_prose_is_plainly_english_and_read() -> None:
    assert plainly_english(ENGLISH)
    assert unread_language(ENGLISH) is None


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (FRENCH_QUOTING_ENGLISH, "fr"), (SPANISH, "es")])
def test_other_languages_are_not_plainly_english_and_go_to_cld2(text: str, code: str) -> None:
    assert len(text.split()) >= 40  # long enough that only the markers decide
    assert not plainly_english(text)
    found = unread_language(text)
    assert found is not None and found.code == code


def test_a_short_text_is_never_decided_by_the_markers() -> None:
    """A headline has too few words to count: CLD2 (or its doubt) decides."""
    assert not plainly_english("Strike in Idlib: the dead were taken to a hospital after the raid")


def test_the_quick_test_never_changes_the_answer() -> None:
    """Where the markers say English, CLD2 finds no other language it would refuse the text for."""
    for text in (ENGLISH, ENGLISH + " " + GERMAN, GERMAN + " " + ENGLISH, ENGLISH + " " + SPANISH,
                 " ".join([ENGLISH] * 3 + [GERMAN] * 4), " ".join([ENGLISH] * 30 + [GERMAN] * 10)):
        if plainly_english(text):
            found, shares = detect(text)
            assert found is None or found.code == "en" or shares.get("en", 0) > 30


def test_an_english_opening_before_a_foreign_body_does_not_decide() -> None:
    """A page whose English standfirst or menu comes before a long German body: the markers
    are counted over all CLD2 reads, so CLD2 still decides, and refuses it."""
    text = ENGLISH + " " + ENGLISH + " " + " ".join([GERMAN] * 25)
    assert plainly_english(ENGLISH + " " + ENGLISH)
    assert not plainly_english(text)
    found = unread_language(text)
    assert found is not None and found.code == "de"
