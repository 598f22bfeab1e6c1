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
        # The verb "is" is not the acronym IS (and a speaker is the doer of its own act only).
        ("Strikes\n\nThe US military is investigating reports that its air strikes killed 73 civilians near Manbij.", "us"),
        # The side the dead fought against killed them ...
        ("Clashes\n\nAn ISIL emir and at least 34 of his comrades were killed in fierce clashes with the Syrian "
         "Democratic Forces near Manbij.", "sdf"),
        # ... only when the dead fell "in" the clashes.
        ("Clashes\n\nRebels killed 12 soldiers on Monday after clashes with IS in Palmyra.", "armed_opposition"),
    ],
    ids=["victim-troops", "victim-of-tail", "terrorists", "named-beats-unnamed", "reporter", "held-by", "killed-by",
         "country-as-place", "is-verb", "opponent-in-clashes", "after-clashes"],
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


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # A later sentence that breaks the toll down fills the parts; the rest of the
        # people are not assumed to be civilians (the text does not say so).
        (
            "Raids kill 40\n\nAir strikes killed at least 40 people in a town in Idlib on Monday a monitor said. "
            "Nine children and 6 fighters were among the dead it said.",
            {"people": 40, "fighters": 6, "children": 9, "civilians": None},
        ),
        (
            "Attack on villages\n\nGunmen killed more than 30 people in two villages in Homs on Tuesday. "
            "A monitor said the attack killed 12 civilians and 18 fighters.",
            {"people": 30, "civilians": 12, "fighters": 18},
        ),
        # The same toll told again further down lends its sub-counts.
        (
            "Bombing\n\nA car bomb hit a police station in Hama on Monday killing at least 17 people. "
            "The blast damaged nearby shops. Rescuers searched the rubble. A curfew was imposed. "
            "Officials vowed to respond. A monitor said at least 17 people were killed in the attack among them 13 policemen.",
            {"people": 17, "fighters": 13, "civilians": None},
        ),
        # Children told after the lead are children of the toll, as the text says.
        (
            "Strike on market\n\nAn air strike on a market in Douma killed 23 civilians on Sunday. "
            "Rescuers said seven children were among the dead.",
            {"civilians": 23, "children": 7},
        ),
        # Another story does not break the main toll down; nor does a part of the civilians.
        (
            "Raids kill 20\n\nAir strikes killed 20 people in Aleppo on Monday. "
            "Meanwhile five fighters were killed in the attack on a checkpoint in Hama.",
            {"people": 20, "fighters": None, "civilians": None},
        ),
        (
            "Shelling kills 10\n\nShelling killed 10 people in Aleppo on Sunday. "
            "A shell fell on a school in the attack killing seven students.",
            {"people": 10, "civilians": None},
        ),
    ],
)
def test_incident_breakdown(nlp, text, killed):
    got = _incident(nlp, text)["killed"]
    assert {k: got[k] for k in killed} == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # A sub-count in a dash aside does not take the verb from its parent.
        ("Raids\n\nAt least 11 civilians - among them four women and four children - were killed in raids on Deir Ezzor.",
         {"civilians": 11, "women": 4, "children": 4}),
        # "4 martyrs and 13 injured": the second figure's own trigger is not the first's.
        ("Blasts\n\nTwin blasts targeted a checkpoint near Damascus claiming 4 martyrs and 13 injured.", {"people": 4}),
        # Named groups told one by one add up as civilians (the first has no slot of its own).
        ("Raid\n\nGunmen killed a journalist and two aid workers in the town.", {"civilians": 3, "total": 3}),
        ("Raid\n\nThe dead included a journalist, two paramedics and a 12-year-old boy.",
         {"civilians": 4, "children": 1, "total": 4}),
    ],
)
def test_incident_count_binding(nlp, text, killed):
    got = _incident(nlp, text)["killed"]
    assert {k: got[k] for k in killed} == killed


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # The accuser speaks; the accused is the doer.
        ("Gas attack\n\nThe opposition accused government forces of gassing hundreds of people in Damascus suburbs.",
         "syrian_government"),
        # What is destroyed is a target.
        ("Russian Aerospace Forces destroy Daesh oil stations kill 30 terrorists\n\nThe sorties hit Deir Ezzor on Monday.",
         "russia"),
    ],
)
def test_incident_actor_accused_and_destroyed(nlp, text, actor):
    assert _incident(nlp, text)["actor"] == actor


@pytest.mark.parametrize(
    ("text", "slot", "figure"),
    [
        # A reported range stands for its upper bound in the incident row; the claim keeps both.
        ("Gas attack\n\nBetween 500 and 1,300 people died on Wednesday in chemical attacks on Ghouta.", "people", 1300),
        # The title names who the body's "people" were.
        ("Kurdish forces kill 35 Daesh militants\n\nThe SDF killed 35 Daesh (outlawed in Russia) people near Raqqa.",
         "fighters", 35),
        # ... but only for the same figure.
        ("Kurdish forces kill 35 Daesh militants\n\nThe SDF killed 12 people near Raqqa on Sunday.", "people", 12),
        # The subject of "kill" did the killing: "rebels kill 7" counts seven people, not seven rebels.
        ("Syria rebels kill 7 in Aleppo assault\n\nAt least seven people died in rebel shelling of Aleppo on Saturday.",
         "people", 7),
    ],
    ids=["range-upper-bound", "title-names-group", "title-other-figure", "subject-is-killer"],
)
def test_incident_killed_slot(nlp, text, slot, figure):
    killed = _incident(nlp, text)["killed"]
    assert killed[slot] == figure
    assert all(v is None for k, v in killed.items() if k not in (slot, "total"))
    assert killed["total"] == figure


def test_range_claim_keeps_both_bounds(nlp):
    record = extract_article(b"Gas\n\nBetween 500 and 1,300 people died on Wednesday in Ghouta.", "t.txt", Sidecar(), nlp)
    count = record["claims"][0]["count"]
    assert (count["low"], count["high"], count["qualifier"]) == (500, 1300, "range")


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # No single toll: the campaign's running total is the incident.
        ("Onslaught on Aleppo\n\nOver 750 people have so far been killed in the ongoing bombing campaign on the city.", 750),
        # The whole war's total never is.
        ("Talks resume\n\nMore than 320,000 people have so far been killed since 2011.", None),
        ("Talks resume\n\nThe conflict has so far killed more than 320,000 people.", None),
        # A single toll beats any running total.
        ("Strikes\n\nOver 750 people have so far been killed in the campaign. Airstrikes killed 12 people on Monday.", 12),
    ],
    ids=["campaign-total", "war-total-since", "war-total-conflict", "single-toll-first"],
)
def test_incident_running_totals(nlp, text, people):
    assert _incident(nlp, text)["killed"]["people"] == people


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # The counted victims are not the weapon: "pro-regime gunmen" died, nobody was shot.
        ("Oil field attack\n\nIslamic State jihadists attacked an oil and gas field killing at least 30 pro-regime gunmen.",
         None),
        # "gas field" names no gas attack.
        ("Oil field\n\nJihadists attacked a gas field in Homs killing 30 people.", None),
        ("Gas attack\n\nA toxic gas attack on Khan Sheikhoun killed 30 people.", "chemical"),
        # The title's toll tells the cause over a glued related headline in the lead.
        ("11 children among 18 dead in Syria car bombings\n\n10 children among 18 dead as air raid hits Syria school "
         "Suicide bombers blew up two vehicles in Hama on Friday killing at least 18 people.", "explosion"),
        # ... unless the title's word is vague: the lead's blast decides.
        ("Six Killed in Aleppo Bombing\n\nSix people were killed and dozens wounded in a blast in Aleppo.", "explosion"),
        # "the attack" refers back to the one named before.
        ("Congress debates Syria strikes\n\nObama seeks backing for strikes after an alleged chemical weapons attack "
         "near Damascus. Washington blames the government for the attack which it says killed more than 1400 people.",
         "chemical"),
    ],
    ids=["victims-not-cause", "gas-field", "gas-attack", "title-cause", "vague-title-cause", "attack-referred-to"],
)
def test_incident_cause(nlp, text, cause):
    assert _incident(nlp, text)["cause"] == cause


def test_political_body_is_never_the_killer(nlp):
    text = ("Syrian Coalition Mourns 5 Rescue Workers Killed by Airstrikes\n\n"
            "The Syrian Coalition mourned five rescue workers killed in airstrikes by Russian forces on Al-Atareb.")
    assert _incident(nlp, text)["actor"] == "russia"


@pytest.mark.parametrize(
    "text",
    [
        "Truce\n\nMore than 33 people were killed in bombing on Wednesday despite Damascus promises of a truce.",
        "Truce\n\nMore than 33 people were killed in bombing on Wednesday, Damascus said.",
    ],
    ids=["capital-promises", "capital-said"],
)
def test_capital_speaking_is_not_a_place(nlp, text):
    record = extract_article(text.encode(), "t.txt", Sidecar(), nlp)
    assert record["claims"][0]["locations"] == []


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        # The division the text states beats a gazetteer homonym elsewhere (Al Hadir, Aleppo).
        ("Drone\n\nTwo men were killed when a drone hit their car at the entrance of Hader in Quneitra province.",
         "Quneitra"),
        ("Drone\n\nTwo men were killed when a drone hit their car in Hader on Monday.", "Aleppo"),
        # A country is no division; a town is no division either.
        ("Drone\n\nTwo men were killed when a drone hit their car in Hader in Syria.", "Aleppo"),
    ],
    ids=["stated-division", "gazetteer-default", "country-not-division"],
)
def test_stated_division_wins(nlp, text, admin1):
    assert _incident(nlp, text)["location"]["admin1"] == admin1


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        # A big city names the report's country: a small name found only in Syria is a homonym.
        ("Raid\n\nSix men were shot dead when police entered the Mare favelas of Rio de Janeiro on Monday.",
         {"BR"}),
        # With no other country in view, the corpus' home countries still stand.
        ("Raid\n\nSix men were shot dead when troops entered Mare on Monday.", {"SY"}),
    ],
    ids=["other-country-in-view", "no-country-in-view"],
)
def test_home_country_places_yield_to_the_country_in_view(nlp, text, countries):
    record = extract_article(text.encode(), "t.txt", Sidecar(), nlp)
    assert {loc["country"] for claim in record["claims"] for loc in claim["locations"]} == countries


def test_town_comma_division_takes_the_town_of_that_division(nlp):
    # Calamar of Bolivar is the bigger town; "Calamar, Guaviare" names the other one.
    text = ("Bombing\n\nThe Colombian air force bombed a camp near Calamar, Guaviare, killing six rebels.")
    location = _incident(nlp, text)["location"]
    assert (location["name"], location["admin1_code"]) == ("Calamar", "CO-GUV")
    # A list of divisions is no "town, division".
    assert _incident(nlp, "Strikes\n\nJets hit Aleppo, Idlib and Hama, killing 12 people.")["location"]["admin1"] == "Aleppo"


def test_place_with_kind_word_of_division_takes_the_place_of_that_division(nlp):
    # Bijapur of Karnataka (Vijayapura) is the bigger town; "Bijapur district of
    # Chhattisgarh" names the other one, as "Bijapur, Chhattisgarh" would.
    text = ("Clash\n\nTwelve rebels were killed in a gunfight with security forces in the Bijapur district "
            "of Chhattisgarh on Thursday.")
    assert _incident(nlp, text)["location"]["admin1_code"] == "IN-CG"
    # "D's X district" says the same.
    text = "Clash\n\nTwelve rebels were killed in a gunfight in Chhattisgarh's Bijapur district on Thursday."
    assert _incident(nlp, text)["location"]["admin1_code"] == "IN-CG"
    # Without the division the bigger town stands.
    assert _incident(nlp, "Clash\n\nTwelve rebels were killed in Bijapur, India, on Thursday.")["location"][
        "admin1_code"] == "IN-KA"


def test_compass_word_ending_a_name_is_no_division(nlp):
    # "Imphal West district" is Manipur's, not Cameroon's West region; "Cameroon's West
    # region" still is.
    text = "Drone\n\nOne man was killed by a drone bomb in Manipur's Imphal West district, police said."
    assert _incident(nlp, text)["location"]["country"] == "IN"
    text = "Raid\n\nGunmen killed three people in Cameroon's West region, officials said."
    assert _incident(nlp, text)["location"]["admin1_code"] == "CM-OU"


def _record(nlp, text: str, published: str = "2019-05-14") -> dict:
    return extract_article(text.encode("utf-8"), "t.txt", Sidecar(published=published), nlp)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # The title gives the aggregate, the body opens with a part of it: both are kept.
        ("Nine people killed in Idlib air strike\n\nSix civilians were killed in an air strike on a market in "
         "Saraqeb on Monday, a monitor said. Three rebels also died in the raid.",
         {"people": 9, "civilians": 6, "fighters": 3, "total": 9}),
        # ... but a title figure of the dead and wounded together is no aggregate.
        ("19 killed and injured in attack on Tal Abyad\n\nAt least four people were killed when a bomb hit a "
         "government building in Tal Abyad on Sunday.", {"people": 4, "total": 4}),
        # ... nor is a title figure the body's toll exceeds.
        ("Strikes kill 12 in Douma\n\nAir strikes killed at least 15 people in Douma on Friday.",
         {"people": 15, "total": 15}),
        # The title's tolls of other groups fill what the body leaves out.
        ("40 civilians, 25 fighters killed in strikes near Jarablus\n\nStrikes on two villages near Jarablus "
         "killed 40 civilians on Tuesday.", {"civilians": 40, "fighters": 25, "total": 65}),
        # "the death toll ... has reached N": the update of the same event's toll.
        ("Toll rises in Azaz\n\nTwo more people died of their wounds on Tuesday, bringing the death toll from "
         "Monday's car bomb in Azaz to 30.", {"people": 30, "total": 30}),
        ("Shelling\n\nGovernment shelling hit Douma on Sunday, leaving 12 dead.", {"people": 12}),
        # "N of the dead were rebels": a part named by what the dead were.
        ("Clashes\n\nAt least 30 people were killed in clashes in Hama on Monday. Eighteen of the dead were rebels, "
         "the Observatory said.", {"people": 30, "fighters": 18, "total": 30}),
        # A vague lead loses to a precise toll of the same event later on.
        ("Raids on Saraqeb\n\nSeveral people were killed in air raids on Saraqeb on Monday. Rescuers searched the "
         "rubble through the night. Shops stayed closed. At least 14 people, including three children, died in the "
         "raids, the civil defence said.", {"people": 14, "children": 3, "total": 14}),
        # A list of victims under the title's aggregate is a part of the dead, not the civilians' total.
        ("Eight killed in rocket attacks on Aleppo\n\nA man and his young daughter were killed on Monday when "
         "rockets hit a residential street in Aleppo, a police source said.", {"people": 8, "civilians": None, "total": 8}),
        # Civilians and fighters given apart add up to the total.
        ("Ambush\n\nGunmen killed four civilians and two soldiers at a checkpoint near Homs on Friday.",
         {"civilians": 4, "fighters": 2, "people": None, "total": 6}),
    ],
    ids=["title-aggregate", "killed-and-injured", "body-exceeds-title", "title-other-groups", "toll-reached",
         "leaving-dead", "of-the-dead-were", "vague-lead", "list-under-aggregate", "parts-add-up"],
)
def test_incident_main_toll(nlp, text, killed):
    got = _record(nlp, text)["incident"]["killed"]
    assert {k: got[k] for k in killed} == killed


def test_title_aggregate_takes_the_part_s_day_and_place(nlp):
    text = ("Nine people killed in Idlib air strike\n\nSix civilians were killed in an air strike on a market in "
            "Saraqeb in Idlib province on Monday, a monitor said.")
    incident = _record(nlp, text)["incident"]
    assert incident["date"] == "2019-05-13"
    assert incident["location"]["admin1"] == "Idlib"


@pytest.mark.parametrize(
    ("text", "people", "admin1"),
    [
        # A side story never gives the main toll nor its place.
        ("Blast in Azaz\n\nA car bomb killed several people in Azaz on Monday. Elsewhere, air strikes killed 12 "
         "civilians in Daraa.", 3, "Aleppo"),
        ("Strikes\n\nAir strikes killed 12 people in a village on Monday, a monitor said. Also on Monday, shelling "
         "killed two children in Daraa.", 12, None),
        # Deaths of an earlier event cited as background are not the toll.
        ("Rebel shelling\n\nRebels shelled Aleppo on Sunday killing four people. The assault came after government "
         "strikes killed 30 people in Douma.", 4, "Aleppo"),
        ("Protest\n\nHundreds rallied in Maarat al-Numan on Friday protesting air strikes that had killed nine "
         "villagers.", None, "Idlib"),
        # A post embedded from social media is not the report's incident.
        ("Market strike\n\nAn air strike hit a crowded vegetable market in the town of Ariha in the north of the "
         "country on Monday morning killing at least 5 people, rescuers and residents of the town said. Horrific "
         "scenes, 12 dead in Saraqeb pic.twitter.com/abc123 A Reporter (areporter) June 12 2016", 5, "Idlib"),
    ],
    ids=["elsewhere", "also-on", "came-after", "had-killed", "embedded-post"],
)
def test_incident_ignores_other_stories(nlp, text, people, admin1):
    incident = _record(nlp, text)["incident"]
    assert incident["killed"]["people"] == people
    assert (incident["location"] or {}).get("admin1") == admin1


def test_running_total_is_the_incident_only_when_nothing_else_is(nlp):
    alone = "Siege\n\nMore than 300 civilians have died since the siege of Madaya started."
    assert _record(nlp, alone)["incident"]["killed"]["civilians"] == 300
    with_toll = alone + " Shelling killed two children in the town on Monday."
    killed = _record(nlp, with_toll)["incident"]["killed"]
    assert killed["children"] == 2 and killed["civilians"] == 2


def test_keyword_line_gives_no_actor(nlp):
    text = ("Strikes hit Aleppo market\n\nStrikes hit a market in Aleppo on Friday. Tags Aleppo Russia airstrikes "
            "Airstrikes on opposition areas of Aleppo killed at least 18 people on Friday.")
    record = _record(nlp, text)
    assert "Tags" not in record["article"]["text"]
    assert record["incident"]["actor"] is None


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        # A place named later only for an event of a past period does not place this one.
        ("Nerve agent suspected\n\nDoctors said on Wednesday that the victims of a gas attack in Syria showed signs "
         "of nerve agent exposure. The health agency put the death toll at 64. Officials in the capital denied "
         "any role. Investigators had documented a similar attack in Aleppo last year.", None),
        # A toll placed in the title's country only: the place named in that country, not the city where a
        # ministry spoke.
        ("Leaders condemn Syria gas attack\n\nWorld leaders on Wednesday condemned a gas attack in Syria that "
         "killed 64 people. Diplomats met again in Paris. The talks went on late. In Moscow, Russia's foreign ministry "
         "blamed the rebels. Rescuers in the town of Saraqeb worked through the night.", "Idlib"),
    ],
    ids=["past-period-place", "title-country-place"],
)
def test_incident_place_of_the_story_itself(nlp, text, admin1):
    assert (_record(nlp, text)["incident"]["location"] or {}).get("admin1") == admin1


def test_this_week_does_not_date_the_deaths_even_on_a_monday(nlp):
    # Published on a Monday: "this week" has lasted one day, yet it names the week, not the day of the deaths.
    text = ("Lawmakers debate strikes\n\nParliament will debate the strikes this week. The vote follows a gas "
            "attack near Damascus on August 21. Officials say the attack killed more than 300 people.")
    incident = _record(nlp, text, published="2013-09-09")["incident"]
    assert incident["date"] == "2013-08-21"


@pytest.mark.parametrize(
    ("text", "actor", "cause"),
    [
        # The group behind "-linked" sponsors the victims' group: neither killed them.
        ("Mosque blast\n\nA blast at a mosque in Idlib on Friday killed at least 25 members of the Al Qaeda-linked "
         "Nusra Front, a monitor said.", None, "explosion"),
        # "Days after <an earlier attack>" times this one by another event: its actor and weapon are not this one's.
        ("Bomb on bus\n\nJust days after a deadly regime chemical attack a woman was killed and 25 others were "
         "wounded on a bus near Homs on Saturday. The sources said a bomb had gone off on the bus.", None, "explosion"),
        ("Raids\n\nAir strikes on a market in Idlib killed 24 people on Saturday a monitor said a day after Russia "
         "and the US agreed a truce.", None, "airstrike"),
    ],
    ids=["sponsor-in-victim-tail", "days-after-earlier-attack", "day-after-truce"],
)
def test_incident_skips_victims_sponsors_and_earlier_events(nlp, text, actor, cause):
    incident = _incident(nlp, text)
    assert (incident["actor"], incident["cause"]) == (actor, cause)


def test_earlier_event_keeps_its_own_weapon_for_its_own_dead(nlp) -> None:
    """ "A day after a car bomb killed 40": the bomb is what killed the 40."""
    record = extract_article("Two blasts\n\nA day after a car bomb killed 40 in Azaz, an air strike killed 12 in "
                             "Idlib.".encode(), "t.txt", Sidecar(), nlp)
    causes = {c["count"]["text"]: (c["cause"] or {}).get("id") for c in record["claims"]}
    assert causes["40"] == "explosion" and causes["12"] == "airstrike"


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # The side the toll counts died: it is not the killer, whoever else the lead names.
        ("Kobani\n\nAbout 100 IS fighters were killed in the past three days, the monitor said. IS fighters "
         "launched a new assault on the town on Saturday.", None),
        # "killed fighting X": X killed them.
        ("Raqqa\n\nThree SDF soldiers were killed fighting Islamic State near Raqqa on Monday.", "isis"),
        ("Somalia\n\nFour soldiers died fighting al-Shabaab militants near Kismayo on Sunday.", "al_shabaab"),
        # "militants of al-Qaeda-linked al-Nusra Front": the group after the sponsor is among the dead too.
        ("Ambush\n\nUnits were able to kill about 40 militants of al-Qaeda-linked al-Nusra Front in an ambush "
         "near Damascus.", None),
    ],
    ids=["dead-side-not-killer", "killed-fighting", "died-fighting", "tail-past-sponsor"],
)
def test_incident_actor_is_not_the_dead_side(nlp, text, actor):
    assert _incident(nlp, text)["actor"] == actor


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # The lead's agent carried by the aircraft is what killed; the toll's sentence names only the jets.
        ("Gas attack on town\n\nWarplanes releasing toxic gas struck the town of Khan Sheikhoun on Tuesday. The "
         "attack carried out by jets killed at least 58 people, the monitor said.", "chemical"),
        # A town named after an earlier chemical attack: this raid's weapon stands.
        ("Raid on town\n\nOne woman was killed in an air strike on Saturday on the town of Khan Sheikhoun, the site "
         "of a suspected chemical attack earlier this week.", "airstrike"),
    ],
    ids=["payload-in-lead", "chemical-site-elsewhere"],
)
def test_incident_chemical_payload_beats_its_delivery(nlp, text, cause):
    assert _incident(nlp, text)["cause"] == cause


@pytest.mark.parametrize(
    ("text", "actor", "cause"),
    [
        # "earlier said" and "earlier reports" date a report, not the deaths: the sentence still tells this event.
        ("Raid on school\n\nAir strikes on Idlib province hit a school on Wednesday killing 22 children and six "
         "teachers, UNICEF said. The Observatory earlier said warplanes either Russian or Syrian carried out six "
         "strikes in the village of Hass, killing at least 35 civilians.", "russia", "airstrike"),
        ("Double attack in Homs\n\nA double terrorist attack in the city of Homs has killed 18 civilians including "
         "10 children, a TV channel reported. According to earlier media reports two car bombs went off near a "
         "school.", "unidentified", "explosion"),
        # "earlier this week" still dates another event.
        ("Village attack\n\nTwo people were killed in an attack on a village near Hama on Monday. Troops had shelled the "
         "village earlier this week.", None, None),
    ],
    ids=["earlier-said", "earlier-reports", "earlier-this-week"],
)
def test_incident_reads_past_a_reports_own_earlier(nlp, text, actor, cause):
    incident = _incident(nlp, text)
    assert (incident["actor"], incident["cause"]) == (actor, cause)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # The group "affiliate" links to the place's holder holds the place too: it is not the attacker.
        ("Raids in Idlib\n\nAir raids on Idlib, which is held by Al Qaeda affiliate Al Nusra Front, killed 21 "
         "civilians on Sunday.", None),
        # As the subject, the same words name the attacker.
        ("Shelling in Idlib\n\nAl Qaeda affiliate Al Nusra Front shelled a village in Idlib killing 21 civilians "
         "on Sunday.", "hts"),
    ],
    ids=["holder-affiliate", "affiliate-subject"],
)
def test_incident_actor_apposition_shares_the_role(nlp, text, actor):
    assert _incident(nlp, text)["actor"] == actor


def test_incident_cause_of_the_attack_the_speaker_just_told(nlp) -> None:
    """ "... reported a new barrel bomb attack on the district. It said five civilians were killed": the
    toll is of the attack of the sentence before, not of the siege the lead tells."""
    text = ("Aleppo\n\nGovernment forces seized a district of Aleppo on Tuesday, tightening their siege of the east. "
            "The troops continued to pound opposition areas, with the monitor reporting a new barrel bomb attack on "
            "the Mashhad district. It said five civilians including three children were killed.")
    assert _incident(nlp, text)["cause"] == "airstrike"


@pytest.mark.parametrize(
    "text",
    [
        # Two adjacent sentences with figures: the time layer searched them as one text.
        "Raids kill 20\n\nAir strikes killed 20 people in Aleppo on Monday. Three more died on Tuesday, March 3. "
        "The army said on Friday it hit bases. Five fighters were killed last week, 2 days ago.",
        "Blast\n\nA bomb went off in Homs on Sunday. At least 12 people died in the blast on 12 May 2016, "
        "a monitor said on Saturday.",
    ],
    ids=["adjacent-figures", "figure-after-plain-sentence"],
)
def test_lead_days_read_the_time_layer_as_a_search_of_the_sentence_would(nlp, text):
    # A sentence with a figure takes the time layer's matches, which the layer found in a text of
    # several sentences: they must be those a search of the sentence alone finds, at the same places.
    from pipeline.claims.tokens import Layers
    from pipeline.extract.times import find_times
    from pipeline.incident import _layer_times, _split_sentences, _times_read

    doc = nlp(text)
    layers = Layers.of(doc)
    title, body = _split_sentences(doc, layers, len(text.split("\n\n")[0]))
    searched = _layer_times(layers)
    read = 0
    for sentence in title + body:
        times = _times_read(layers, searched, sentence)
        sentence_text = layers.view.text[sentence.start_char : sentence.end_char]
        if times is None:
            assert not any(c.isdigit() for c in sentence_text)  # no figure: the layer did not search it
            continue
        read += 1
        expected = [(sentence.start_char + m.start, m.end - m.start, m.rule.id, m.groups) for m in find_times(sentence_text)]
        assert [(at, m.end - m.start, m.rule.id, m.groups) for at, m in times] == expected
    assert read >= 1


def test_lead_days_search_a_sentence_the_time_layer_read_across_its_bounds(nlp):
    # A layer match that runs over a sentence's start, or whose offsets are not its tokens',
    # is no reading of that sentence alone: the sentence is searched on its own (None).
    from pipeline.claims.tokens import Layers
    from pipeline.incident import _layer_times, _split_sentences, _times_read

    text = "Raids\n\nAir strikes killed 20 people in Aleppo. Three more died on Tuesday, March 3."
    doc = nlp(text)
    layers = Layers.of(doc)
    _, body = _split_sentences(doc, layers, len("Raids"))
    second = body[1]
    searched = _layer_times(layers)
    assert _times_read(layers, searched, second)  # the layer's own reading: its times
    match = searched[-1][3]
    assert _times_read(layers, [(second.start - 1, second.start + 1, layers.view.starts[second.start - 1], match)],
                       second) is None
    assert _times_read(layers, [(second.start + 3, second.start + 4, -1, match)], second) is None


def test_split_sentences_carry_each_sentence_bounds_by_name(nlp):
    # The incident reads sentences by field name (start, end_char...): the tuples built in C must
    # hold the fields in the NamedTuple's order, the same as doc.sents' spans; blank ones dropped.
    from pipeline.claims.tokens import Layers
    from pipeline.incident import _Sentence, _split_sentences

    text = "Raids kill 20\n\nAir strikes killed 20 people in Aleppo. \n\n Three more died on Tuesday."
    doc = nlp(text)
    title, body = _split_sentences(doc, Layers.of(doc), len("Raids kill 20"))
    spans = [s for s in doc.sents if s.text.strip()]
    assert all(type(s) is _Sentence for s in title + body)
    assert [(s.start, s.end, s.start_char, s.end_char) for s in title + body] == [
        (s.start, s.end, s.start_char, s.end_char) for s in spans]
    assert [text[s.start_char : s.end_char].strip() for s in title] == ["Raids kill 20"]
