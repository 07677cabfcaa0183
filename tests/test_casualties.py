import pytest

from geoconflict.extract.casualties import Casualties, find_casualties

C = Casualties


@pytest.mark.parametrize("sentence, expected", [
    ("Two soldiers were killed in the ambush.", C(killed=2, killed_security=2)),
    ("at least 17 passengers were killed", C(killed=17, killed_civilians=17)),
    ("the deaths of more than 250 individuals", C(killed=250)),
    ("Gunmen killed seven passengers and wounded 12 others.", C(killed=7, injured=12, killed_civilians=7)),
    ("A blast killed twenty-three people and injured dozens.", C(killed=23)),
    ("claiming the lives of at least 36 civilians and 22 members of the security forces",
     C(killed=58, killed_civilians=36, killed_security=22)),
    ("security forces retaliated by neutralizing 37 militants", C(killed=37, killed_militants=37)),
    ("four police officers confirmed dead", C(killed=4, killed_security=4)),
    ("its fighters shot the alleged \"facilitator\" dead", C(killed=1, killed_civilians=1)),
    ("which it said injured a guard at a health facility", C(injured=1)),
    ("the attack killed 5 and injured 10 people", C(killed=5, injured=10)),
    ("at least 5 were killed when a bomb exploded", C(killed=5)),
    ("put the death toll at seven", C(killed=7)),
    ("a dozen labourers were abducted and one was killed", C(killed=1)),
])
def test_counts(sentence, expected):
    assert find_casualties(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "the forces sustained several casualties", "dozens were injured", "thousands of innocent citizens being killed",
    "asserting that 800 of its fighters participated", "In 2024 the group was banned.", "A soldier said it was calm.",
    "causing multiple casualties",
])
def test_vague_or_no_counts_give_none(sentence):
    assert find_casualties(sentence).empty


def test_victims_count_as_dead_only_when_deaths_are_mentioned_nearby():
    sentence = "among the victims were 14 individuals from Punjab province and nine Baluch individuals"
    assert find_casualties(sentence).empty
    assert find_casualties(sentence, deaths_nearby=True) == C(killed=23)


def test_merge_keeps_the_lowest_figure():
    assert C(killed=7).merge(C(killed=5, injured=3)) == C(killed=5, injured=3)


def test_a_subset_after_including_is_not_added():
    assert find_casualties("injuring five people, including two children, police said") == C(injured=5)


def test_person_verbs_count_one_even_for_unlisted_nouns():
    assert find_casualties("Armed men shot dead a government schoolteacher") == C(killed=1, killed_civilians=1)
    assert find_casualties("Armed men shot dead a revenue clerk on Tuesday") == C(killed=1)
