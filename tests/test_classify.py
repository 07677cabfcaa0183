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
    ("Later, troops raided a hideout and arrested six suspects", True),
])
def test_state_forces_only_as_the_subject(sentence, state):
    assert state_actor(sentence) is state


def test_claims_by_reference_belong_to_the_group_named_before():
    assert claimed_actor("The banned outfit claimed responsibility for the attack.", previous="BLF") == "BLF"
    assert claimed_actor("The separatist group claimed responsibility.", previous="BLA") == "BLA"
    assert claimed_actor("Police said nobody claimed responsibility.", previous="BLA") is None
    assert claimed_actor("The banned outfit claimed responsibility.") is None
