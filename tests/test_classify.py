"""Actors and event types from sentence wording."""

import pytest

from geoconflict.extract.actors import claimed_actor, find_actors, state_actor
from geoconflict.extract.event_types import (
    acled_sub_event_type,
    find_event_type,
    find_target,
    is_violent,
)


@pytest.mark.parametrize("text, actors", [
    ("The Baluchistan Liberation Army claimed it", ["BLA"]),
    ("the Baloch Liberation Army (BLA) said", ["BLA"]),
    ("Balochistan Liberation Front fighters", ["BLF"]),
    ("the Majeed Brigade of the group", ["BLA"]),
    ("Tehreek-e-Taliban Pakistan and the Islamic State Khorasan Province", ["TTP", "ISKP"]),
    ("Baloch Raji Aajoi Sangar (BRAS), an alliance", ["BRAS"]),
    ("United Baloch Army", ["UBA"]), ("Lashkar-e-Jhangvi", ["LeJ"]), ("Baloch Republican Guards", ["BRG"]),
    ("a bla bla statement", []),
    # the Islamic State in Pakistan is its Khorasan province
    ("The Islamic State group said through its agency", ["ISKP"]), ("ISIS fighters", ["ISKP"]),
    # the state's names for groups: the TTP's fighters, and Baloch separatists without a group's name
    ("six Fitna al-Khawarij militants", ["TTP"]), ("Fitna al Hindustan terrorists", ["Baloch separatists"]),
])
def test_actor_aliases(text, actors):
    assert find_actors(text) == actors


def test_claims_and_state_actors():
    assert claimed_actor("The BLF claimed responsibility for the attack.") == "BLF"
    assert claimed_actor("The BLF said its fighters were active.") is None
    assert state_actor("security forces retaliated by neutralizing 37 militants")
    assert state_actor("The group accused Pakistani forces of shelling villages")
    assert not state_actor("Pakistani security forces were targeted in an attack")


@pytest.mark.parametrize("sentence, event_type, sub_event", [
    ("a suicide bomber blew himself up at the gate", "suicide bombing", "Suicide bomb"),
    ("an IED planted on the roadside exploded", "bombing/IED", "Remote explosive/landmine/IED"),
    ("fighters hurled a hand grenade inside a checkpoint", "grenade", "Grenade"),
    ("militants ambushed a convoy of soldiers", "ambush", "Armed clash"),
    ("gunmen shot dead a shopkeeper", "targeted killing", "Attack"),
    ("the group torched the office of a company", "arson", "Looting/property destruction"),
    ("armed men abducted six labourers", "abduction", "Abduction/forced disappearance"),
    ("a two-hour exchange of gunfire", "clash", "Armed clash"),
    ("troops shelled the villages with artillery", "shelling/airstrike", "Shelling/artillery/missile attack"),
    ("a drone strike hit a compound", "shelling/airstrike", "Air/drone strike"),
    ("gunmen attacked a passenger bus", "armed assault", "Attack"),
    ("militants attacked a police station", "armed assault", "Armed clash"),
    ("a blast damaged the railway track near the station", "sabotage", "Remote explosive/landmine/IED"),
    ("men blew up a mobile phone tower on the hill", "sabotage", "Remote explosive/landmine/IED"),
    ("the explosion derailed four coaches of the train", "sabotage", "Remote explosive/landmine/IED"),
    ("Iranian border guards opened fire on fuel smugglers", "cross-border fire", "Armed clash"),
    ("troops killed four militants in an intelligence-based operation", "security operation", "Armed clash"),
    ("rockets landed near the cantonment", "shelling/airstrike", "Shelling/artillery/missile attack"),
    ("a target killing in the bazaar", "targeted killing", "Attack"),
    ("a device hidden in a cart exploded near the gate", "bombing/IED", "Remote explosive/landmine/IED"),
    ("a cracker went off outside the house", "bombing/IED", "Remote explosive/landmine/IED"),
    ("a hand grenade exploded in the yard", "grenade", "Grenade"),
    ("a hand grenade hurled at the shop exploded", "grenade", "Grenade"),
    ("troops raided a militant hideout in the hills", "security operation", "Armed clash"),
    ("Pakistani and Afghan troops exchanged heavy fire at the crossing", "cross-border fire", "Armed clash"),
    # gunmen wearing suicide vests who storm a place: an armed assault unless a vest goes off
    ("militants wearing suicide vests stormed the college", "armed assault", "Armed clash"),
    ("three armed suicide bombers attacked the office", "armed assault", "Armed clash"),
    ("the attacker detonated his vest at the gate", "suicide bombing", "Suicide bomb"),
    ("two rockets were fired at the camp", "shelling/airstrike", "Shelling/artillery/missile attack"),
    ("a missile had been fired at the base", "shelling/airstrike", "Shelling/artillery/missile attack"),
])
def test_event_types_and_acled_mapping(sentence, event_type, sub_event):
    assert find_event_type(sentence) == event_type
    assert acled_sub_event_type(event_type, find_target(sentence), sentence) == sub_event


def test_violence_triggers_are_whole_words():
    assert not is_violent("a person identified as Babu Khan was spying")
    assert is_violent("gunmen opened fire on a bus")


def test_a_source_is_not_a_target():
    assert find_target("Two people died in the blast, police said.") is None
    assert find_target("According to officials, a bomb went off in the market.") is None
    assert find_target("An attack on the Levies post killed two, officials said.") == "the Levies post"


def test_targets():
    assert find_target("the men threw a grenade in an attack on a police station near Quetta") == "a police station"
    assert find_target("they targeted a convoy of military vehicles in Kalat") == "a convoy of military vehicles"


@pytest.mark.parametrize("sentence, state", [
    ("Gunmen attacked a Frontier Corps checkpoint on the outskirts of Turbat, killing three soldiers", False),
    ("its fighters ambushed a police patrol near Khadkucha and killed four policemen", False),
    ("Security forces killed twenty militants in the operations that followed", True),
    ("The army said on Monday it had killed eight militants near Kohlu", True),
    ("Police said they had arrested two suspects", False),
    ("Later, troops raided a hideout and arrested six suspects", True),
])
def test_state_forces_only_as_the_subject(sentence, state):
    assert state_actor(sentence) is state


def test_claims_by_reference_belong_to_the_group_named_before():
    assert claimed_actor("The banned outfit claimed responsibility for the attack.", previous="BLF") == "BLF"
    assert claimed_actor("The separatist group claimed responsibility.", previous="BLA") == "BLA"
    assert claimed_actor("Police said nobody claimed responsibility.", previous="BLA") is None
    assert claimed_actor("The banned outfit claimed responsibility.") is None


def test_the_type_table_is_the_one_vocabulary():
    """Every type the triggers can give is in the type table, with a family and an ACLED sub-event type,
    and the incident grouping ranks types by the same table."""
    from geoconflict.event_vocabulary import ACLED_SUB_EVENT, TYPE_ORDER
    from geoconflict.extract.event_types import EVENT_TYPES, TYPE_RANK
    from geoconflict.incidents import TYPE_ORDER as INCIDENT_ORDER

    assert set(EVENT_TYPES) <= set(TYPE_ORDER) and TYPE_ORDER[-1] == "other"
    assert all(ACLED_SUB_EVENT[t] for t in TYPE_ORDER) and INCIDENT_ORDER == TYPE_ORDER
    assert TYPE_RANK["suicide bombing"] < TYPE_RANK["bombing/IED"] < TYPE_RANK["armed assault"]


@pytest.mark.parametrize("sentence, actor", [
    ("The Baloch Nationalist Army claimed Tuesday's blast on the railway line.", "BNA"),
    ("A spokesman said the Sindhudesh Revolutionary Army claimed the bombing.", "SRA"),
    ("Jaish ul-Adl claimed the raid on the border post.", "Jaish al-Adl"),
    ("The BLF claimed the deadly ambush in a statement.", "BLF"),
])
def test_claims_of_the_attack_itself_name_the_group(sentence, actor):
    assert claimed_actor(sentence) == actor


def test_the_states_name_for_the_ttp_is_the_ttp_and_a_toll_is_no_claim():
    assert find_actors("Troops killed four Fitna al Khawarij fighters in North Waziristan.") == ["TTP"]
    assert claimed_actor("The BLA blast claimed the lives of two porters.") is None
