"""Event assembly rules, each on a short report written for this test (no article text)."""

from __future__ import annotations

import pandas as pd
import pytest

from geoconflict.extract import events_from_articles


@pytest.fixture
def extract(resolver, tmp_path):
    def run(text: str, published: str | None = "2024-05-10"):
        path = tmp_path / "report.txt"
        path.write_text(text, encoding="utf-8")
        events = events_from_articles(path, resolver=resolver, published=published)
        return events[events["admin1"] == "Balochistan"].reset_index(drop=True)
    return run


def _main(events):
    return events[events["reported_as"] == "main"]


@pytest.mark.parametrize("dateline", [
    "QUETTA: ", "QUETTA \u2013 ", "Quetta, Pakistan (AP) \u2014 ", "QUETTA, May 9 (Reuters) - ",
    "QUETTA/KARACHI: ",
])
def test_datelines_after_a_title_are_not_event_places(extract, dateline):
    text = f"Gunmen kill three in Turbat\n{dateline}Gunmen killed three labourers in Turbat on Thursday."
    events = extract(text)
    assert list(events["admin2"]) == ["Kech"]


def test_the_dateline_city_named_again_as_the_attack_place_is_an_event_place(extract):
    events = extract("QUETTA: A bomb went off near a police van in Quetta on Thursday, injuring four constables.")
    assert list(events["admin2"]) == ["Quetta"] and events.loc[0, "injured"] == 4


def test_people_and_tribes_are_not_places(extract):
    text = ("Militants attacked a Levies post in Kalat on Thursday, killing two guards. "
            "Chief Minister Sarfraz Bugti condemned the attack, and a Marri tribal elder said the area was calm.")
    events = extract(text)
    assert list(events["admin2"]) == ["Kalat"]


def test_where_the_wounded_were_treated_is_context(extract):
    text = ("A grenade hit a shop in Tump on Thursday, wounding five people. "
            "The injured were shifted to the district hospital in Turbat.")
    events = extract(text)
    assert len(events) == 1 and events.loc[0, "location"].startswith("Tump")


def test_a_list_of_places_something_goes_to_is_context(extract):
    text = ("Militants blew up a power pylon near Dera Murad Jamali on Thursday. "
            "Electricity supply to Quetta, Kalat, Mastung, Zhob and Sibi was cut after the blast.")
    events = extract(text)
    assert list(events["admin2"]) == ["Nasirabad"]


def test_an_earlier_incident_is_a_background_row_with_its_own_date(extract):
    text = ("Gunmen shot dead two policemen in Gwadar on Thursday. "
            "Earlier this month, militants attacked a bank in Pasni, killing a guard.")
    events = extract(text)
    main = _main(events)
    background = events[events["reported_as"] == "background"]
    assert list(main["admin2"]) == ["Gwadar"] and main.iloc[0]["killed"] == 2
    assert len(background) == 1 and background.iloc[0]["location"] == "Pasni"
    assert background.iloc[0]["date_precision"] == "month"


def test_a_dated_earlier_incident_does_not_take_the_reports_date(extract):
    text = ("A roadside bomb killed three soldiers in Kohlu on Wednesday. "
            "On April 2, two labourers were shot dead in Barkhan.")
    events = extract(text)
    by_district = events.set_index("admin2")
    assert by_district.loc["Kohlu", "reported_as"] == "main"
    assert by_district.loc["Barkhan", "reported_as"] == "background"
    assert by_district.loc["Barkhan", "event_date"] == "2024-04-02"


def test_the_province_named_beside_a_located_attack_adds_no_event(extract):
    text = ("Blast in Balochistan kills four\nA bomb killed four people at a bus stand in Sibi on Thursday. "
            "Balochistan has seen several such incidents, officials said.")
    events = extract(text)
    assert list(events["admin2"]) == ["Sibi"] and events.loc[0, "killed"] == 4


def test_violence_stated_only_for_the_province_is_one_province_event(extract):
    text = "Militants carried out a series of attacks across Balochistan on Thursday, killing at least 11 people."
    events = extract(text)
    assert len(events) == 1 and pd.isna(events.loc[0, "admin2"]) and events.loc[0, "killed"] == 11


def test_a_toll_told_apart_from_the_place_belongs_to_the_incident(extract):
    text = ("Militants attacked a checkpost in Sherani on Thursday. "
            "Three soldiers were killed and two were injured, officials said. "
            "One attacker was also killed in the exchange of fire.")
    events = extract(text)
    assert len(events) == 1
    assert (events.loc[0, "killed"], events.loc[0, "injured"]) == (4, 2)


def test_a_separate_incident_keeps_its_own_toll_and_actor(extract):
    text = ("The BLF claimed an attack on a camp in Awaran on Thursday that killed two soldiers. "
            "In a separate incident, unidentified men shot dead a shopkeeper in Khuzdar.")
    events = extract(text).set_index("admin2")
    assert events.loc["Awaran", "actor"] == "BLF" and events.loc["Awaran", "killed"] == 2
    assert events.loc["Khuzdar", "actor"] == "unknown" and events.loc["Khuzdar", "killed"] == 1


def test_a_report_about_floods_has_no_event(extract):
    text = ("Heavy rains flooded parts of Jhal Magsi and Kachhi. "
            "Deaths were reported in Sibi, Kachhi and Naseerabad, officials said, and 12 people died in all.")
    assert extract(text).empty


def test_the_headline_places_the_incident_when_the_body_does_not(extract):
    text = "Four killed in Mastung blast\nA bomb went off near a market on Thursday, killing four people."
    events = extract(text)
    assert list(events["admin2"]) == ["Mastung"] and events.loc[0, "killed"] == 4


def test_a_warning_does_not_hide_a_real_attack(extract):
    text = "The BLA, which has warned of more attacks, stormed a police station in Turbat on Thursday."
    assert list(extract(text)["admin2"]) == ["Kech"]


def test_an_undated_sentence_takes_the_main_incidents_date(extract):
    text = ("Militants ambushed a convoy in Kech on Tuesday. On May 2, a bomb hit a railway track in Sibi. "
            "The convoy ambush in Kech left three soldiers dead.")
    events = _main(extract(text))
    kech = events[events["admin2"] == "Kech"]
    assert list(kech["event_date"]) == ["2024-05-07"]


def test_village_names_that_are_given_names_are_places_only_where_used_as_places(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    spotter = MentionSpotter(resolver)
    village = next(p for p in resolver.gazetteer.places if p.kind == "village" and " " not in p.name
                   and p.name.isalpha() and len(p.name) > 5 and resolver.resolve(p.name).kind == "village")
    name = village.name.title()
    assert not [m for m in spotter.mentions(f"{name} Khan told reporters the road was closed.") if m.role == "event"]
    framed = spotter.mentions(f"Gunmen opened fire in {name} on Monday.")
    assert [m.resolution.kind for m in framed if m.role == "event"] == ["village"]


def test_an_inner_place_lies_in_the_outer_district_it_is_given_with(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    # a village the gazetteer places in another district, named as lying in Mastung
    elsewhere = next(p.name.title() for p in resolver.gazetteer.places
                     if p.kind == "village" and p.name.isalpha() and len(p.name) > 5
                     and resolver.resolve(p.name).admin2 not in (None, "Mastung"))
    assert resolver.resolve(elsewhere).admin2 != "Mastung"
    mentions = MentionSpotter(resolver).mentions(f"A bomb hit a van near {elsewhere} town in Mastung district.")
    assert [m.resolution.admin2 for m in mentions if m.role == "event"] == ["Mastung"]


def test_where_someone_was_taken_from_is_the_event_place_and_where_they_were_going_is_not(extract):
    text = ("Gunmen abducted a trader from the Kanak area of Mastung on Tuesday night "
            "while he was returning with his brother to Quetta.")
    events = extract(text)
    assert list(events["admin2"]) == ["Mastung"]


def test_train_names_are_not_places(extract):
    text = "A bomb damaged a coach of the Bolan Mail near Mach on Thursday, injuring two passengers."
    events = extract(text)
    assert list(events["location"]) == ["Mach"]


def test_where_the_dead_came_from_is_context(extract):
    text = ("A suicide bomber struck a convoy in Nushki on Sunday, killing four soldiers. "
            "The soldiers were identified as Naik Karim Dad of Kohlu district and Sepoy Ali of Sibi district.")
    assert list(extract(text)["admin2"]) == ["Nushki"]


def test_a_count_of_earlier_incidents_is_no_new_incident(extract):
    text = ("A blast killed three people at a market in Sibi on Friday. "
            "This is the third blast in Sibi within a month.")
    events = extract(text)
    assert len(events) == 1 and events.loc[0, "killed"] == 3


def test_lives_lost(extract):
    text = "As many as 21 lives were lost and over 40 others were wounded in a blast in Kalat on Friday."
    events = extract(text)
    assert (events.loc[0, "killed"], events.loc[0, "injured"]) == (21, 40)


def test_more_attackers_killed_later_add_to_the_toll(extract):
    text = ("Three attackers stormed a police office in Zhob on Tuesday and one of them was shot dead at the gate. "
            "The remaining two attackers were shot dead during the clearance operation.")
    events = extract(text)
    assert len(events) == 1 and events.loc[0, "killed"] == 3


def test_earlier_with_a_date_is_an_earlier_incident(extract):
    text = ("Troops killed six militants in an operation in the Harnai area on Thursday. "
            "Earlier on March 2, four soldiers were killed in a blast in the same area.")
    events = extract(text)
    background = events[events["reported_as"] == "background"]
    assert list(background["admin2"]) == ["Harnai"] and background.iloc[0]["killed"] == 4


def test_a_claim_goes_to_the_incident_told_next_to_it_not_to_every_incident(extract):
    text = ("Gunmen attacked a Levies post in Kohlu on Monday, killing one guard. "
            "The BRG claimed responsibility for the attack. "
            "In another incident, a grenade hit a shop in Turbat on Monday. "
            "The BLF said its fighters carried out the attack. "
            "Separately, two men were shot dead in Khuzdar on Monday.")
    events = _main(extract(text)).set_index("admin2")
    assert events.loc["Kohlu", "actor"] == "BRG"
    assert events.loc["Kech", "actor"] == "BLF"
    assert events.loc["Khuzdar", "actor"] == "unknown"


def test_the_one_group_a_report_names_is_the_actor_of_its_wave(extract):
    text = ("The BLA carried out a series of coordinated attacks across Balochistan on Saturday. "
            "Gunmen struck police posts in Kalat, Mastung and Noshki.")
    events = _main(extract(text))
    located = events[events["admin2"].notna()]
    assert set(located["actor"]) == {"BLA"} and len(located) == 3


def test_afghan_forces_firing_across_the_border(extract):
    text = "Afghan forces opened fire on a border village near Chaman on Friday, injuring six civilians."
    events = extract(text)
    assert events.loc[0, "actor"] == "Afghan forces"


def test_a_square_named_after_a_district_lies_in_the_town_it_is_in(extract):
    text = "A grenade went off at the Sibi Chowk in Dera Murad Jamali on Sunday, wounding nine people."
    events = extract(text)
    assert list(events["admin2"]) == ["Nasirabad"]


def test_an_ordinary_robbery_is_not_political_violence(extract):
    text = "A shopkeeper was shot dead by two men during a robbery in Turbat on Monday, police said."
    assert extract(text).empty


def test_a_robbery_by_militants_is(extract):
    text = "Militants shot dead a shopkeeper during a robbery in Turbat on Monday, police said."
    assert list(extract(text)["admin2"]) == ["Kech"]


def test_two_places_of_one_district_in_one_sentence_are_one_incident(extract):
    text = ("Attackers opened fire on a camp near Nokkundi that houses staff of the Saindak mining project "
            "on Sunday night, killing two guards.")
    events = extract(text)
    assert len(events) == 1 and events.loc[0, "killed"] == 2


def test_a_list_item_detailed_later_as_another_incident_is_one_event(extract):
    text = ("Four people were hurt in attacks in Mashkai, Tump and Turbat on Monday. "
            "In another incident, gunmen fired on a post in Mashkai on Monday, injuring two guards.")
    events = _main(extract(text))
    assert len(events) == 3 and int((events["admin2"] == "Awaran").sum()) == 1


def test_events_carry_the_district_of_their_date_and_of_today(extract):
    events = extract("A bomb went off at a market in Chaman on Tuesday, killing two people.", published="2019-05-02")
    assert (events.loc[0, "admin2"], events.loc[0, "admin2_today"]) == ("Qilla Abdullah", "Chaman")
    recent = extract("A bomb went off at a market in Chaman on Tuesday, killing two people.", published="2024-05-02")
    assert (recent.loc[0, "admin2"], recent.loc[0, "admin2_today"]) == ("Chaman", "Chaman")


def test_a_dateline_lower_down_ends_the_page_head(extract):
    text = ("Eight die in attack\nMourners carry the coffin of a soldier killed in Kohat last week.\n"
            "QUETTA, Pakistan: Gunmen killed eight Levies men at a checkpost on Sunday, officials said. "
            "The checkpost lies in the Wadh area of Khuzdar district.")
    events = _main(extract(text, published="2024-05-06"))
    assert list(events["admin2"]) == ["Khuzdar"] and events.iloc[0]["killed"] == 8


def test_a_small_towns_dateline_places_an_otherwise_unplaced_attack(extract):
    events = extract("SIBI: Militants blew up a mobile phone tower on Saturday.")
    assert list(events["admin2"]) == ["Sibi"]


def test_a_capitals_dateline_does_not(extract):
    assert extract("QUETTA: Militants blew up a mobile phone tower on Saturday.").empty


def test_rockets_fired_at_a_camp_are_violence(extract):
    text = "Six rockets were fired at a paramilitary camp in Kohlu on Tuesday night, officials said."
    assert list(extract(text)["admin2"]) == ["Kohlu"]


def test_a_toll_told_just_before_its_place_joins_it(extract):
    text = ("Gunmen shot two guards in Turbat on Monday. "
            "Earlier, nine people died and 11 were hurt in a blast at a party office. "
            "The office in Pishin was hit by a bomb planted on a motorcycle, officials said.")
    events = _main(extract(text)).set_index("admin2")
    assert (events.loc["Pishin", "killed"], events.loc["Pishin", "injured"]) == (9, 11)


def test_a_breakdown_of_the_wounded_does_not_lower_the_toll(extract):
    text = ("A grenade blast wounded 14 people in Dera Allah Yar on Sunday. "
            "Two policemen were among the wounded.")
    assert extract(text).loc[0, "injured"] == 14


def test_a_soldiers_home_district_before_his_rank_is_context(extract):
    text = ("A suicide bomber hit a convoy in Nushki on Sunday, killing three soldiers. "
            "Among them was Kohlu district's Naik Karim Dad. "
            "Two attackers were also killed in the exchange of fire.")
    events = extract(text)
    assert list(events["admin2"]) == ["Nushki"] and events.loc[0, "killed"] == 5


def test_a_list_of_victims_inside_a_toll_is_not_a_new_clause(extract):
    text = ("At least nine people, including women, children and a Levies man, were killed in an attack in Chaman "
            "on Friday.")
    assert extract(text).loc[0, "killed"] == 9


def test_a_second_place_of_the_district_told_later_is_the_same_incident(extract):
    text = ("Militants attacked a camp near Nokkundi on Sunday night, killing two guards. "
            "The camp houses engineers of the Saindak mine, officials said, and the attack lasted two hours.")
    assert len(extract(text)) == 1


def test_two_places_of_one_district_with_their_own_tolls_are_two_incidents(extract):
    text = ("Gunmen killed two labourers in Tump on Monday night. "
            "Separately, a grenade thrown at a shop in Turbat wounded three people on Monday night.")
    assert sorted(extract(text)["location"]) == ["Tump", "Turbat"]


def test_the_day_of_a_statement_is_not_the_day_of_the_attack(extract):
    text = ("Five people died in an attack on a hotel in Gwadar yesterday, the army said in a statement on "
            "Sunday.")
    events = extract(text, published="2024-05-12")  # a Sunday
    assert list(events["event_date"]) == ["2024-05-11"]


def test_a_dateline_date_is_the_report_date_not_the_attack_date(extract):
    text = "TURBAT, 4 May 2021 \u2014 A car bomb killed three engineers near Turbat yesterday."
    assert list(extract(text, published=None)["event_date"]) == ["2021-05-03"]


def test_two_known_names_side_by_side_are_one_unknown_name(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions("Troops raided hideouts in the Gulistan Kalat areas on Friday.")
    assert not [m for m in mentions if m.role == "event"]


def test_a_separate_incident_told_without_a_place_is_a_province_event_of_its_own(extract):
    text = ("Gunmen shot dead six labourers near Ormara on Sunday. "
            "In another unrelated incident, troops raiding hideouts came under fire and one attacker was "
            "killed while two soldiers were hurt.")
    events = _main(extract(text))
    located = events[events["admin2"].notna()]
    province = events[events["admin2"].isna()]
    assert list(located["killed"]) == [6]
    assert len(province) == 1 and (province.iloc[0]["killed"], province.iloc[0]["injured"]) == (1, 2)


def test_tolls_told_after_an_earlier_incident_stay_with_it(extract):
    text = ("Gunmen killed three soldiers in Washuk on Monday. "
            "On August 2, a blast in Quetta killed 11 people. "
            "At least 20 others were injured in that blast.")
    events = extract(text, published="2024-09-03").set_index("admin2")
    assert events.loc["Washuk", "killed"] == 3 and pd.isna(events.loc["Washuk", "injured"])
    assert events.loc["Quetta", "reported_as"] == "background" and events.loc["Quetta", "injured"] == 20


def test_far_apart_figures_count_different_people_and_the_lead_stands():
    from geoconflict.extract.casualties import Casualties

    assert Casualties(injured=47).merge(Casualties(injured=2)).injured == 47
    assert Casualties(killed=7).merge(Casualties(killed=5)).killed == 5


def test_each_clause_keeps_its_own_districts_toll(extract):
    events = _main(extract("Violence hit two districts on Monday as three labourers were shot dead in Mand, "
                           "while the bodies of six travellers were found near Nushki."))
    tolls = dict(zip(events["admin2"], events["killed"]))
    assert tolls == {"Kech": 3, "Nushki": 6}


def test_a_toll_that_cannot_be_split_between_districts_is_nobodys(extract):
    events = _main(extract("Five people were killed in attacks in Mand and Nushki on Monday."))
    assert set(events["admin2"]) == {"Kech", "Nushki"} and events["killed"].isna().all()


def test_a_toll_told_later_at_another_place_of_the_district_joins_the_incident(extract):
    events = _main(extract("QUETTA: Gunmen attacked the car of a police officer in the Kuchlak area on Monday.\n\n"
                           "Officials said gunmen fired at his car on Sariab Road, due to which he, his wife and "
                           "son were killed."))
    assert len(events) == 1 and events.iloc[0]["killed"] == 3


def test_an_earlier_incident_placed_by_there_takes_the_last_place_named(extract):
    events = extract("A bomb tore through a market in Kalat on Friday, killing six people.\n\n"
                     "It is the third attack on the town this year. On March 2, four shopkeepers were wounded "
                     "in a grenade attack there.")
    earlier = events[events["reported_as"] == "background"]
    assert list(earlier["admin2"]) == ["Kalat"] and earlier.iloc[0]["injured"] == 4
    assert str(earlier.iloc[0]["event_date"])[:10] == "2024-03-02"
    assert list(_main(events)["killed"]) == [6]


def test_an_incident_the_report_says_its_own_comes_after_is_background(extract):
    events = extract("Gunmen killed two policemen in Turbat on Tuesday.\n\n"
                     "The killing comes a week after a police inspector was shot dead in the city.")
    assert list(_main(events)["killed"]) == [2]
    earlier = events[events["reported_as"] == "background"]
    assert list(earlier["admin2"]) == ["Kech"] and earlier.iloc[0]["killed"] == 1


def test_other_stories_teasers_and_sections_are_page_furniture(extract, resolver, tmp_path):
    text = ("Levies post attacked in Kharan\n\n"
            "Popular now\n\n"
            "Floods cut the highway to Gwadar\n\n"
            "Heavy rain washed away two bridges near Pasni and gunmen later torched a truck...\n\n"
            "KHARAN: Gunmen attacked a Levies post in Kharan on Monday night, injuring two men.\n\n"
            "The men were taken to hospital.\n\n"
            "Related stories\n\n"
            "Bomb kills three in Panjgur market\n")
    events = extract(text)
    assert list(events["admin2"]) == ["Kharan"] and events.iloc[0]["injured"] == 2

    from geoconflict.extract import extract_events

    path = tmp_path / "teasers.txt"
    path.write_text(text, encoding="utf-8")
    mentions = extract_events([path], resolver=resolver, progress=False).mentions
    furniture = mentions[mentions["reason"].fillna("").str.startswith("page furniture")]
    assert {"Pasni", "Panjgur"} <= set(furniture["mention"]) and set(furniture["role"]) == {"context"}


def test_furniture_splitting_keeps_a_story_that_quotes_an_unfinished_sentence():
    from geoconflict.extract.text import split_furniture

    story = ("Gunmen kill guard in Turbat\n\nA guard was shot dead in Turbat on Monday.\n\n"
             "His brother said: \"We asked for protection, but...\"\n\nPolice are investigating.")
    assert split_furniture(story) == (story, "")


@pytest.mark.parametrize("sentence", [
    "Rockets landed near Qalat, Afghanistan, late on Sunday.",
    "Border guards exchanged fire in Khost, Afghanistan on Friday.",
])
def test_a_place_named_with_a_foreign_country_is_abroad(resolver, sentence):
    """Qalat and Khost are also Balochistan names; ", Afghanistan" after them puts them abroad."""
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions(sentence)
    assert not [m for m in mentions if m.resolution.admin1 is not None]
    assert [m.resolution.country for m in mentions] == ["Afghanistan"]


def test_a_list_ending_in_a_foreign_city_keeps_its_pakistani_items(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions("Protests were held in Quetta, Kabul and Tehran on Friday.")
    assert [m.resolution.admin2 for m in mentions] == ["Quetta", None, None]


@pytest.mark.parametrize("sentence", [
    "Gunmen shot dead two policemen in Dera Ismial Khan on Monday.",
    "A roadside bomb in Dera Ismial Khan district wounded three soldiers.",
])
def test_a_misspelt_district_is_a_place_not_a_persons_name(resolver, sentence):
    """'Dera' is also a village and 'Ismail Khan' a person's name; the whole run is the district."""
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions(sentence)
    assert [(m.role, m.resolution.admin2) for m in mentions] == [("event", "Dera Ismail Khan")]


def test_a_persons_name_is_not_stretched_into_a_misspelt_place(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions("Ismail Khan, a shopkeeper, said the market in Chaman was shut.")
    assert [m.resolution.admin2 for m in mentions if m.role == "event"] == ["Chaman"]


def test_an_attack_in_a_province_abroad_is_no_event_in_balochistan(extract):
    text = "A drone strike hit a house in Afghanistan's Khost province on Tuesday, killing four people."
    assert extract(text).empty
    assert extract("A drone strike hit a house in Khost province on Tuesday, killing four people.").empty


def test_a_sentence_opening_with_separately_is_another_incident_without_the_claim(extract):
    events = _main(extract("Gunmen stormed a Levies post near Gichk in Panjgur on Sunday, killing three men. "
                           "The BLF said its fighters carried out the raid. Separately, a bomb damaged a gas "
                           "pipeline in Khuzdar on Monday."))
    actors = dict(zip(events["admin2"], events["actor"]))
    assert actors == {"Panjgur": "BLF", "Khuzdar": "unknown"}


def test_location_target_and_treatment_place_read_cleanly(extract, resolver, tmp_path):
    text = ("KHUZDAR: Three traders were killed and four porters were hurt when men on a motorbike hurled a "
            "grenade into a cloth shop in Khuzdar's old market on Monday. The wounded were taken to the "
            "Teaching Hospital Khuzdar.")
    events = _main(extract(text))
    assert list(events["location"]) == ["Khuzdar"]
    assert events.iloc[0]["target"] == "a cloth shop"

    from geoconflict.extract import extract_events

    path = tmp_path / "shop.txt"
    path.write_text(text, encoding="utf-8")
    mentions = extract_events([path], resolver=resolver, progress=False).mentions
    treated = mentions[mentions["sentence_index"] == mentions["sentence_index"].max()]
    assert list(treated["reason"]) == ["where the injured were treated or the dead were taken"]


@pytest.mark.parametrize("text, district, killed, kind", [
    # a person named like a district is no place ("Dost Muhammad" is not Usta Muhammad)
    ("Gunmen shot dead a shopkeeper, Dost Muhammad, in Turbat on Monday, police said.", "Kech", 1, None),
    # an operation told after an attack is the response, not the incident's type
    ("Gunmen opened fire on a passenger coach near Kalat on Monday, killing three passengers. Troops later "
     "began an intelligence-based operation in the area to trace the attackers.", "Kalat", 3, "armed assault"),
    # a blast near a station is a bombing, not sabotage
    ("A bomb exploded near the railway station in Sibi on Monday, killing three people.", "Sibi", 3, "bombing/IED"),
])
def test_reviewed_misreadings(extract, text, district, killed, kind):
    events = _main(extract(text))
    assert list(events["admin2"]) == [district] and events.iloc[0]["killed"] == killed
    if kind:
        assert events.iloc[0]["event_type"] == kind


def test_a_feed_summary_cut_with_dots_is_the_story_not_a_teaser(extract):
    events = _main(extract("Three killed in Quetta blast\nQUETTA: Three people were killed and eight injured when a "
                           "bomb exploded in a market in Quetta on Monday, police said. The blast took place near..."))
    assert list(events["killed"]) == [3]


def test_unknown_names_framed_by_a_locality_word_lie_in_the_place_named_with_them(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    spotter = MentionSpotter(resolver)
    # invented names the gazetteer does not hold, each given with a district or tehsil it lies in
    cases = {
        "Raiders burnt two trucks in the Qorrazai and Wendagai villages of Chaman on Monday.": "Chaman",
        "The attackers escaped into the hilly areas of Zarmelzai in Zhob district.": "Zhob",
        "Two soldiers died when the Dorvangi outpost in Mashkay came under fire.": "Awaran",
    }
    for sentence, district in cases.items():
        mentions = spotter.mentions(sentence)
        for name in ("Qorrazai", "Wendagai", "Zarmelzai", "Dorvangi"):
            assert resolver.resolve(name).status != "resolved"
        assert mentions and {m.resolution.admin2 for m in mentions if m.role == "event"} == {district}, sentence
    first = spotter.mentions("Raiders burnt two trucks in the Qorrazai and Wendagai villages of Chaman on Monday.")
    assert [m.text.split()[0] for m in first] == ["Qorrazai", "Wendagai"]
    assert all(m.parts for m in first)  # the unknown names stay listed for the gazetteer report


@pytest.fixture(scope="module")
def shared(resolver):
    """A census village name two districts share equally (the resolver alone cannot choose)."""
    return next(r for r in (resolver.resolve(p.name) for p in resolver.gazetteer.places
                            if p.kind == "village" and p.name.isalpha() and len(p.name) > 4)
                if r.status == "ambiguous" and len({c.admin2 for c in r.candidates}) == 2)


def test_a_shared_name_takes_the_district_another_place_in_its_sentence_lies_in(resolver, shared):
    from geoconflict.extract.mentions import MentionSpotter

    name = shared.query.title()
    districts = sorted({c.admin2 for c in shared.candidates})
    for district in districts:
        sentence = f"Militants who attacked a post in {district} on Friday fled to the {name} Dam area."
        found = {m.resolution.admin2 for m in MentionSpotter(resolver).mentions(sentence) if m.role == "event"}
        assert found == {district}, sentence
    alone = MentionSpotter(resolver).mentions(f"Militants fled to the {name} Dam area on Friday.")
    assert [m.resolution.status for m in alone] == ["ambiguous"]


def test_an_unknown_site_lies_where_the_article_placed_that_kind_of_site(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    spotter = MentionSpotter(resolver)
    sites: dict = {}
    spotter.mentions("Armed men raided a dam site in Zehri late on Friday.", sites=sites)
    later = spotter.mentions("Officials said the raiders set fire to every vehicle at the Korandah dam.", sites=sites)
    assert [(m.text, m.resolution.admin2, m.resolution.method) for m in later] == [
        ("Korandah dam", "Khuzdar", "site")]
    assert later[0].parts == ("Korandah",)  # still reported as a name the gazetteer lacks
    # another kind of site, or an article that placed no dam, gives no place
    other = spotter.mentions("The raiders also burnt the Korandah school.", sites=sites)
    assert all(m.resolution.status != "resolved" for m in other)
    assert all(m.resolution.status != "resolved"
               for m in spotter.mentions("They set fire to machinery at the Korandah dam.", sites={}))


def test_the_attacker_dying_is_a_militant_death_added_to_the_victims(extract):
    text = ("A suicide bomber rammed a car into a Levies post in Turbat on Thursday, killing three guards. "
            "The attacker also died in the blast.")
    events = extract(text)
    assert len(events) == 1
    row = events.loc[0]
    assert (row["killed"], row["killed_security"], row["killed_militants"]) == (4, 3, 1)


def test_a_toll_update_sentences_later_replaces_the_first_toll(extract):
    text = ("Gunmen opened fire on labourers at a brick kiln in Turbat on Thursday, killing five of them. "
            "The attackers escaped on motorbikes. The wounded were taken to a hospital. "
            "By evening the death toll had risen to eight, a doctor said.")
    events = extract(text)
    assert len(events) == 1 and events.loc[0, "killed"] == 8


def test_a_toll_update_without_a_violence_word_still_reaches_its_incident(extract):
    text = ("A bomb tore through a bus in Kalat on Thursday, killing six passengers. "
            "The toll later went up to ten.")
    events = extract(text)
    assert len(events) == 1 and events.loc[0, "killed"] == 10


def test_a_toll_update_replaces_the_total_of_a_province_wide_wave(extract):
    text = ("Militants carried out coordinated attacks across Balochistan on Thursday, killing ten people. "
            "The death toll rose to 14 on Friday.")
    events = _main(extract(text))
    assert len(events) == 1 and events.iloc[0]["killed"] == 14


@pytest.mark.parametrize("sentence, districts", [
    # a list of districts stays a list: the comma is no "X of Y" frame
    ("Blasts were reported in Kalat, in Mastung and in Khuzdar on Monday, killing five people.",
     {"Kalat", "Mastung", "Khuzdar"}),
    # a direction from a city is no containment
    ("A bomb exploded in Kalat, located south of Quetta, killing three people on Monday.", {"Kalat"}),
])
def test_commas_and_directions_do_not_nest_one_district_in_another(resolver, sentence, districts):
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions(sentence)
    assert districts <= {m.resolution.admin2 for m in mentions if m.role == "event"}
    assert all(m.resolution.method != "compound" for m in mentions)


def test_only_unknown_names_share_the_outer_place_of_a_list(resolver):
    from geoconflict.extract.mentions import MentionSpotter

    spotter = MentionSpotter(resolver)
    for sentence in ("Mortar shells fired from Iran and Zorbazi areas of Kech killed two people.",
                     "Levies and Zorbazi areas of Kech were shelled on Friday."):
        first = spotter.mentions(sentence)[0]
        assert first.role == "context" and first.resolution.admin2 is None, sentence
    titled = spotter.mentions("Two soldiers were martyred in areas of Commander Baloch in Kech district.")
    assert all("Commander" not in part for m in titled for part in m.parts)


def test_ties_are_broken_by_event_places_only(resolver, shared):
    from geoconflict.extract.mentions import MentionSpotter

    name, district = shared.query.title(), sorted({c.admin2 for c in shared.candidates})[0]
    sentence = f"Militants attacked a post near the {name} Dam on Monday; the injured were taken to {district}."
    mentions = MentionSpotter(resolver).mentions(sentence)
    assert [m.resolution.status for m in mentions if name in m.text] == ["ambiguous"]


def test_a_port_named_in_background_stays_context(extract):
    text = ("Militants killed two soldiers in Kech on Monday. "
            "The attack came days after China pledged more money for the Gwadar Port.")
    assert set(extract(text)["admin2"]) == {"Kech"}


def test_a_separate_incident_does_not_take_the_sites_placed_before(extract):
    text = ("Militants torched a school in Turbat on Monday. "
            "Separately, gunmen shot dead a teacher outside the Iqbal school on Tuesday.")
    events = extract(text)
    assert list(events["admin2"]).count("Kech") == 1  # the teacher's killing is not placed at the school


def test_a_groups_claimed_figures_do_not_replace_the_reported_toll(extract):
    """Coders keep the toll officials report; a group's own figures count only when no one else gives any."""
    events = _main(extract(
        "A grenade thrown at a shop in Turbat on Monday killed one man and wounded another, police said.\n\n"
        "The Baloch Liberation Front claimed responsibility, saying its fighters had targeted an army vehicle "
        "in Turbat. Four soldiers were killed and three others were injured in the attack."))
    assert len(events) == 1  # the group's account ("had targeted") is no earlier incident
    assert (events.iloc[0]["killed"], events.iloc[0]["injured"]) == (1, 1)
    assert events.iloc[0]["actor"] == "BLF"


def test_a_groups_figures_are_kept_when_they_are_the_only_ones(extract):
    events = _main(extract("Gunmen stormed a checkpoint in Kalat on Friday.\n\n"
                           "The Baloch Liberation Army claimed responsibility, saying its men had killed six "
                           "soldiers in the raid."))
    assert len(events) == 1 and events.iloc[0]["killed"] == 6 and events.iloc[0]["actor"] == "BLA"


def test_a_claim_for_an_earlier_attack_stays_apart(extract):
    events = extract("A bomb went off near a market in Quetta on Sunday, killing two people, officials said.\n\n"
                     "The BLA had claimed responsibility for a similar blast in Quetta in March 2019 that killed "
                     "12 people.")
    main = _main(events)
    assert len(main) == 1 and main.iloc[0]["killed"] == 2
    assert (events["reported_as"] == "background").sum() == 1


def test_killed_in_firing_is_an_attack_but_a_feud_is_not(extract):
    events = _main(extract("Three men were killed in firing in Dalbandin on Tuesday, officials said."))
    assert list(events["admin2"]) == ["Chagai"] and events.iloc[0]["killed"] == 3
    assert extract("Two cousins were killed in firing over a land dispute in Dalbandin on Tuesday.").empty


@pytest.mark.parametrize("text", [
    "Police stepped up patrols and security was beefed up in Turbat after threats of attacks on Friday.",
    "Officials handed cheques to the families of those killed in the Kalat attack on Thursday.",
    "A bomb disposal unit defused an explosive device found near the railway line in Mach on Thursday.",
])
def test_warnings_help_for_families_and_defused_bombs_are_no_incidents(extract, text):
    assert _main(extract(text)).empty


def test_a_court_case_is_about_an_earlier_attack(extract):
    events = extract("A court in Quetta convicted a man over the bombing of a bus in Mastung that killed nine.")
    assert _main(events).empty and (events["reported_as"] == "background").all()


def test_a_link_to_another_story_is_not_part_of_the_story(resolver, tmp_path):
    from geoconflict.extract.text import split_furniture

    text = ("KHARAN: Gunmen shot dead a shopkeeper in Kharan on Monday.\n\n"
            "Read more: Blast kills two at a Peshawar market\n\n"
            "Related to the killing, police detained two men for questioning.\n\n"
            "ALSO READ | Three hurt as grenade hits shop in Karachi\n")
    story, furniture = split_furniture(text)
    assert furniture.splitlines() == ["Read more: Blast kills two at a Peshawar market",
                                      "ALSO READ | Three hurt as grenade hits shop in Karachi"]
    assert "Related to the killing" in story  # a heading word without a link's colon is the story's
    path = tmp_path / "links.txt"
    path.write_text(text, encoding="utf-8")
    events = events_from_articles(path, resolver=resolver, published="2024-05-10")
    assert list(events["admin2"]) == ["Kharan"] and list(events["killed"]) == [1]


@pytest.mark.parametrize("sentence", [
    "Four passengers died when their van plunged into a ravine near Khuzdar on Sunday.",
    "Two men were killed after a car skidded off the road into a canal in Nasirabad.",
])
def test_a_vehicle_falling_into_a_ravine_is_an_accident(extract, sentence):
    assert extract(sentence).empty


@pytest.mark.parametrize(("text", "expected"), [
    ("A blast tore through a market in Turbat on Monday, killing three people. "
     "Officials said the explosion was a suicide attack.", "suicide bombing"),
    # gunfire after a blast is another act, not what the incident was
    ("A bomb went off near a school in Turbat on Monday, killing three people. "
     "Gunmen then opened fire on the crowd.", "bombing/IED"),
    # the fighting of an operation does not make it a clash
    ("Security forces launched an intelligence-based operation in Kohlu on Sunday. "
     "Troops exchanged fire with the militants for hours, killing five of them.", "security operation"),
])
def test_a_later_sentence_refines_the_type_within_its_kind(extract, text, expected):
    assert list(_main(extract(text))["event_type"]) == [expected]


def test_a_remembrance_recalls_an_earlier_attack(extract):
    events = extract("KALAT: Shops stayed shut in Kalat on Monday as people marked the second anniversary of the "
                     "market bombing in which 30 people were killed.\n\nPrayers were held at the main mosque.")
    assert _main(events).empty
    assert list(events["reported_as"]) == ["background"] and list(events["killed"]) == [30]


def test_a_vow_to_punish_the_killers_is_no_new_incident(extract):
    events = extract("QUETTA: The chief minister chaired a security meeting on Tuesday.\n\n"
                     "He said the militants who attacked passengers in Kalat would not escape justice.\n\n"
                     "The killers of the labourers in Turbat will be brought to justice, he added.")
    assert events.empty


def test_an_arrest_for_an_attack_does_not_make_the_forces_its_actor(extract):
    events = extract("GWADAR: Police arrested two suspects allegedly involved in last week's attack on a bank "
                     "in Gwadar, officials said.")
    assert list(events["admin2"]) == ["Gwadar"] and list(events["actor"]) == ["unknown"]


def test_an_exchange_of_fire_after_an_attack_keeps_it_an_attack(extract):
    events = extract("TURBAT: Militants attacked a Levies post in Turbat on Monday night, killing a guard. "
                     "The guards returned fire and an exchange of fire went on for an hour.")
    assert list(_main(events)["event_type"]) == ["armed assault"]


def test_an_incident_a_day_earlier_is_its_own(extract):
    # published Friday 10 May 2024: "on Wednesday" is 8 May, so "a day earlier" is 7 May, not 9 May
    events = extract("KALAT: A shopkeeper was wounded when a cracker exploded outside his shop in Kalat on "
                     "Wednesday.\n\nA day earlier, unknown men torched two trucks near Mangochar.")
    assert list(events["location"]) == ["Kalat", "Mangochar"]
    assert [str(d)[:10] for d in events["event_date"]] == ["2024-05-08", "2024-05-07"]
    assert list(events["event_type"]) == ["bombing/IED", "arson"] and events.iloc[0]["injured"] == 1


def test_a_count_over_a_period_is_not_the_incident_s_toll(extract):
    events = extract("TURBAT: Three people were hurt when a bomb went off near a bus stop in Turbat on Monday.\n\n"
                     "The district has seen a steep rise in militant attacks, with more than 90 people killed "
                     "in the first half of the year.")
    assert list(events["admin2"]) == ["Kech"]
    assert events.iloc[0]["injured"] == 3 and pd.isna(events.iloc[0]["killed"])


def test_earlier_than_a_statement_is_the_same_incident(extract):
    events = extract("NOSHKI: Four soldiers were killed when militants attacked a convoy in Noshki on Sunday, "
                     "the army said.\n\nEarlier to the army's statement, officials had said five soldiers "
                     "were killed.")
    assert list(events["admin2"]) == ["Nushki"] and list(events["reported_as"]) == ["main"]


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2014"])
def test_a_road_named_by_two_towns_is_a_route_whatever_its_dash(resolver, dash):
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions(f"A bomb went off on the Turbat{dash}Gwadar road on Monday.")
    assert [(m.role, m.reason) for m in mentions] == [("context", "names a route between places, not one place")]


@pytest.mark.parametrize("dash", ["\u2013", "\u2014"])
def test_a_dash_without_a_route_word_stands_between_two_places(resolver, dash):
    from geoconflict.extract.mentions import MentionSpotter

    mentions = MentionSpotter(resolver).mentions(f"Blasts hit Turbat{dash}Gwadar and Pasni.")
    assert [m.resolution.admin2 for m in mentions] == ["Kech", "Gwadar", "Gwadar"]


def test_a_place_and_date_line_above_the_story_is_its_dateline(extract):
    events = extract("Kharan, 3 May 2024\n\nMilitants fired rockets at a Levies post late on Thursday. "
                     "No one was hurt, officials said.", published=None)
    assert list(events["admin2"]) == ["Kharan"] and str(events.iloc[0]["event_date"])[:10] == "2024-05-02"


def test_an_engagement_told_in_the_military_s_words_is_a_clash_with_its_toll(extract):
    events = extract("TURBAT: Troops engaged the terrorists at a hideout near Hoshab in Kech on Monday and three "
                     "of them were sent to hell, the military said.")
    assert list(events["event_type"]) == ["clash"] and list(events["killed"]) == [3]
    assert list(events["killed_militants"]) == [3]


def test_a_past_perfect_in_reported_speech_is_the_report_s_own_incident(extract):
    events = extract("ISLAMABAD: The military said on Sunday it had killed nine militants in a raid on a "
                     "hideout in Kohlu district.")
    assert list(events["reported_as"]) == ["main"] and list(events["killed"]) == [9]
    assert list(events["actor"]) == ["security forces"] and list(events["event_type"]) == ["security operation"]
    troops = extract("ISLAMABAD: The army announced on Monday that troops had killed six militants in Kohlu.")
    assert list(troops["reported_as"]) == ["main"] and list(troops["killed"]) == [6]
    # without speech, the past perfect still tells an earlier incident
    earlier = extract("KOHLU: Gunmen attacked a Levies post in Kohlu on Sunday, killing a guard.\n\n"
                      "Militants had attacked a check post in Kahan in March, killing two soldiers.")
    assert list(earlier["reported_as"]) == ["main", "background"]


def test_bodies_found_with_bullet_wounds_are_a_killing(extract):
    events = extract("KHUZDAR: Levies found the bullet-riddled bodies of three men near Wadh on Monday.")
    assert list(events["admin2"]) == ["Khuzdar"] and list(events["killed"]) == [3]


def test_forces_exchanging_heavy_fire_across_the_border_is_an_incident(extract):
    events = extract("CHAMAN: Pakistani and Afghan forces exchanged heavy fire at the border crossing on Tuesday, "
                     "killing a soldier.\n\nTrade was suspended.")
    assert list(events["event_type"]) == ["cross-border fire"] and list(events["killed"]) == [1]


@pytest.mark.parametrize("text", [
    # an exploding gas cylinder is an accident
    "QUETTA: A gas cylinder exploded in a hotel in Quetta on Monday, injuring three.",
    # figures of speech that use words of violence
    "TURBAT: A retired teacher died of a heart attack at his home in Turbat on Friday.",
    "QUETTA: The opposition leader attacked the government's policies at a rally in Quetta on Monday.\n\n"
    "He said joblessness was killing the young people of the province.",
    # a court and a charge
    "QUETTA: An anti-terrorism court in Quetta adjourned the hearing of a man accused of planning a bombing "
    "in Sibi.",
    # an attack that did not happen, and arms seized
    "ZHOB: Police said they had foiled a plot to bomb a rally in Zhob by arresting two men on Sunday.\n\n"
    "Two suicide vests and hand grenades were recovered from them.",
])
def test_reports_of_no_attack_give_no_event(extract, text):
    assert extract(text).empty


@pytest.mark.parametrize("sentence", [
    "A man was shot dead by his cousin over a family dispute in Pishin on Monday.",
    "Two brothers were killed over an old quarrel in Sibi on Monday.",
])
def test_a_killing_over_a_private_dispute_is_crime_not_an_attack(extract, sentence):
    assert extract(sentence).empty


def test_a_derailment_is_violence_and_an_earlier_one_lies_at_the_same_spot(extract):
    events = extract("SIBI: Three coaches of a passenger train were derailed by a blast near Sibi on Monday, "
                     "injuring five people.\n\nLast month, two coaches were derailed near the same spot.")
    assert list(events["reported_as"]) == ["main", "background"]
    assert list(events["admin2"]) == ["Sibi", "Sibi"] and list(events["event_type"]) == ["sabotage", "sabotage"]


def test_clauses_joined_by_and_keep_their_own_tolls(extract):
    events = extract("QUETTA: Three soldiers were martyred in Kohlu and two militants were killed in Zhob in "
                     "separate clashes on Monday.")
    assert dict(zip(events["admin2"], events["killed"])) == {"Kohlu": 3, "Zhob": 2}
    # the second clause may leave out the verb of the first
    gapped = extract("QUETTA: Four soldiers were martyred in attacks in Kohlu and two policemen in Zhob on Monday.")
    assert dict(zip(gapped["admin2"], gapped["killed"])) == {"Kohlu": 4, "Zhob": 2}
    said = extract("QUETTA: A soldier was martyred in an attack in Kohlu and three others in Zhob on Monday, "
                   "officials said.")
    assert dict(zip(said["admin2"], said["killed"])) == {"Kohlu": 1, "Zhob": 3}
    # a list of victims and a list of places share one toll that cannot be split
    shared = extract("QUETTA: A soldier and a civilian were killed in attacks in Kohlu and Zhob on Monday.")
    assert set(shared["admin2"]) == {"Kohlu", "Zhob"} and shared["killed"].isna().all()


def test_another_day_at_the_same_post_is_another_incident(extract):
    events = extract("TURBAT: Gunmen attacked a Levies post in Turbat on Tuesday night, wounding two guards.\n\n"
                     "On Wednesday, a bomb went off near the same post, killing a passer-by.")
    assert list(events["admin2"]) == ["Kech", "Kech"]
    assert [str(d)[:10] for d in events["event_date"]] == ["2024-05-07", "2024-05-08"]
    assert list(events["event_type"]) == ["armed assault", "bombing/IED"]
    assert list(events["injured"].fillna(0)) == [2, 0] and list(events["killed"].fillna(0)) == [0, 1]


def test_setting_vehicles_on_fire_is_arson(extract):
    events = extract("KHARAN: Militants blocked the highway near Kharan on Saturday and set three trucks on fire.")
    assert list(events["event_type"]) == ["arson"]


def test_a_journey_s_destination_near_a_town_leaves_the_town_as_the_place(extract):
    events = extract("QUETTA: Gunmen fired on a bus travelling from Quetta to Karachi near Kalat on Monday, "
                     "wounding four passengers.")
    assert list(events["admin2"]) == ["Kalat"] and list(events["injured"]) == [4]


@pytest.mark.parametrize("text, district", [
    # cues of trends, seized arms, anniversaries and figures of speech do not hide an attack of their own
    ("TURBAT: Militants attacked a check post in Turbat on Tuesday amid a rise in attacks on the forces.", "Kech"),
    ("TURBAT: Militants attacked a check post in Turbat on Tuesday and seized weapons from the guards.", "Kech"),
    ("SUI: A bomb went off near a gas pipeline in Sui on Monday, the death anniversary of a tribal chief.",
     "Dera Bugti"),
    ("KHUZDAR: Armed men attacked the leadership of a political party in Khuzdar on Tuesday.", "Khuzdar"),
])
def test_an_attack_told_with_a_cue_word_is_still_an_attack(extract, text, district):
    events = extract(text)
    assert list(events["admin2"]) == [district] and list(events["reported_as"]) == ["main"]


def test_what_others_said_had_happened_long_ago_is_no_incident_of_the_report(extract):
    events = extract("TURBAT: Gunmen shot dead a guard in Turbat on Monday.\n\n"
                     "His relatives said the guard had been kidnapped from Mastung three years ago.")
    assert list(_main(events)["admin2"]) == ["Kech"]


def test_a_funeral_at_the_same_camp_the_next_day_is_no_new_incident(extract):
    events = extract("SIBI: Militants attacked an army camp in Sibi on Monday, killing two soldiers.\n\n"
                     "On Tuesday, funeral prayers for the martyred soldiers were offered at the same camp.")
    assert list(events["admin2"]) == ["Sibi"] and list(events["killed"]) == [2]


def test_talks_with_militants_are_no_clash(extract):
    assert extract("KECH: The government engaged the militants in talks in Turbat on Tuesday.").empty


def test_a_sweep_over_the_province_is_no_incident(extract):
    events = extract("Comment: a province at war\n\nFrom Turbat to Sibi, gunmen have struck police and labourers "
                     "again and again. The province has suffered attack after attack.")
    assert events.empty


def test_a_province_of_iran_named_with_and_is_abroad(resolver, tmp_path):
    path = tmp_path / "zahedan.txt"
    path.write_text("ZAHEDAN, Iran: Three guards were killed in an attack in Zahedan, the capital of Sistan and "
                    "Baluchestan province, on Monday.", encoding="utf-8")
    events = events_from_articles(path, resolver=resolver, published="2024-05-10")
    assert not (events["admin1"] == "Balochistan").any()


def test_a_group_s_claim_of_its_own_killing_is_an_attack_report(extract):
    events = extract("QUETTA: The BLA claimed it had killed four soldiers in Kech on Tuesday.")
    assert list(events["admin2"]) == ["Kech"] and list(events["killed"]) == [4]
    assert list(events["actor"]) == ["BLA"] and list(events["reported_as"]) == ["main"]
