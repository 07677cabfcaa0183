"""Casualty grammar: every case is a sentence written for these tests."""

import pytest

from geoconflict.extract.casualties import Casualties, find_casualties, parse_number

C = Casualties


@pytest.mark.parametrize("sentence, expected", [
    # passive clauses, one outcome each
    ("Two policemen were killed and three others were injured in the raid.",
     C(killed=2, injured=3, killed_security=2)),
    ("Three labourers died and a driver was hurt.", C(killed=3, injured=1, killed_civilians=3)),
    # outcome adjectives after the counts
    ("The roadside bomb left two dead and seven injured.", C(killed=2, injured=7)),
    # one active verb with a list of objects, then a second verb
    ("The gunmen killed 3 soldiers, 2 civilians and injured 11.",
     C(killed=5, injured=11, killed_civilians=2, killed_security=3)),
    ("The attackers opened fire, killing four and injuring nine.", C(killed=4, injured=9)),
    ("The explosion killed twenty-six people and injured dozens.", C(killed=26)),
    # coordinated subjects share one verb
    ("Six militants and two soldiers were killed in the gunfight.",
     C(killed=8, killed_security=2, killed_militants=6)),
    ("Two soldiers and three others were killed.", C(killed=5, killed_security=2)),
    # zero is a number
    ("No one was killed in the blast.", C(killed=0)),
    ("None of the 35 passengers was hurt.", C(injured=0)),
    # numbers in words
    ("One hundred and five people died in the siege.", C(killed=105)),
    ("Over a dozen people were wounded.", C(injured=12)),
    ("More than two-dozen workers were injured.", C(injured=24)),
    # who the dead were
    ("Two soldiers were martyred near the post.", C(killed=2, killed_security=2)),
    ("Four terrorists were neutralised in the operation.", C(killed=4, killed_militants=4)),
    ("A CTD inspector and a Levies man were shot dead.", C(killed=2, killed_security=2)),
    ("A police official was shot dead outside his home.", C(killed=1, killed_security=1)),
    ("The body of a shopkeeper was found after gunmen shot dead a shopkeeper.", C(killed=1, killed_civilians=1)),
    ("Armed men gunned down a tax collector on Monday.", C(killed=1)),
    ("Its men shot the suspected informer dead near the market.", C(killed=1, killed_civilians=1)),
    # a breakdown after "including" is inside the total
    ("At least 12 people, including five soldiers, were killed.", C(killed=12, killed_security=5)),
    ("Six soldiers, including two officers, lost their lives.", C(killed=6, killed_security=6)),
    ("The bombing wounded eight people, including three children.", C(injured=8)),
    ("Two captains were among the 14 soldiers killed.", C(killed=14, killed_security=14)),
    ("A rebel commander was killed in the raid.", C(killed=1, killed_militants=1)),
    ("One of the attackers was killed and another was hurt, while one FC soldier was injured.",
     C(killed=1, injured=2, killed_militants=1)),
    ("The grenade hurt five people, with at least two being critically injured.", C(injured=5)),
    ("Four guards embraced shahadat in the attack.", C(killed=4, killed_security=4)),
    ("Four Frontier Corps (FC) personnel were martyred while two others were injured.",
     C(killed=4, injured=2, killed_security=4)),
    ("Two guards died while three others including an officer were hurt.", C(killed=2, injured=3, killed_security=2)),
    ("That bombing claimed some 15 lives; it also left 30 people injured.", C(killed=15, injured=30)),
    ("At least 11 people \u2013 including four policemen \u2013 lost their lives.", C(killed=11, killed_security=4)),
    ("One man was injured and another killed in the attack.", C(killed=1, injured=1, killed_civilians=None)),
    ("Three policemen were among the wounded.", C()),
    ("Another Levies soldier was hurt in the firing.", C(injured=1)),
    ("Nine died, and over two-dozen more were hurt.", C(killed=9, injured=24)),
    ("The bodies of 12 kidnapped passengers were found in a ravine.", C(killed=12, killed_civilians=12)),
    # separate clauses keep their outcomes
    ("One attacker was killed in the fighting, while two others sustained injuries.",
     C(killed=1, injured=2, killed_militants=1)),
    ("Eight traders were kidnapped and one was killed.", C(killed=1)),
    # tolls
    ("The death toll rose to 14 on Friday.", C(killed=14, update=True)),  # a new total, not one more reading
    ("Officials put the toll at nine.", C(killed=9)),
    ("The attack claimed the lives of at least 31 civilians and 12 members of the security forces.",
     C(killed=43, killed_civilians=31, killed_security=12)),
    ("Troops retaliated by neutralizing 19 insurgents.", C(killed=19, killed_militants=19)),
    # an aside after a count breaks it down and adds nothing
    ("Six workers \u2500 four masons and two cooks \u2500 were killed and a Levies man was martyred.",
     C(killed=7, killed_civilians=6, killed_security=1)),
    ("Six workers (four masons and two cooks) died in the attack.", C(killed=6, killed_civilians=6)),
    ("Six workers - four masons and two cooks - were wounded.", C(injured=6)),
    # people without a number: a family listed by its members, a named victim
    ("Khan Jan, his wife, son and a niece were shot dead by gunmen.", C(killed=4, killed_civilians=3)),
    ("Gunmen opened fire, due to which he, his brother, cousin Saeed and nephew were killed.",
     C(killed=4, killed_civilians=3, implied=True)),
    ("Gul Muhammad was gunned down outside the mosque.", C(killed=1, implied=True)),
    ("The feud left Dadullah dead and two other men wounded.", C(killed=1, injured=2)),
    ("Four soldiers were killed and the convoy commander was injured.", C(killed=4, injured=1, killed_security=4)),
    # an active verb with a family listed by its members
    ("Raiders fired on a van near the bridge, killing a trader, his wife and their three daughters.",
     C(killed=5, killed_civilians=5)),
    ("The blast killed a teacher and his son.", C(killed=2, killed_civilians=2)),
    # an aside naming members of the counted group adds nothing
    ("Three villagers, his nephew among them, were shot dead.", C(killed=3, killed_civilians=3)),
    ("Two farmers, including her husband, were wounded.", C(injured=2)),
    ("Six guards were hurt, two drivers among them.", C(injured=6)),
    # a bare number after an active verb and a bound
    ("The siege killed 31 people and wounded more than 70.", C(killed=31, injured=70)),
    ("The blast killed at least nine and injured over 25.", C(killed=9, injured=25)),
    # an outcome used as an adjective is the phrase's outcome only when the clause gives it no other
    ("Two wounded soldiers were flown to a hospital in Quetta.", C(injured=2)),
    ("An injured constable was taken to hospital.", C(injured=1)),
    ("Two wounded soldiers later died.", C(killed=2, killed_security=2)),
    ("Three slain labourers were buried in their village.", C(killed=3, killed_civilians=3)),
    # a "while" clause naming a group without a total of its own counts other people than the first total
    ("Two people were hurt in the blast, while an injured boy was taken to another hospital.", C(injured=3)),
    ("Four villagers were killed, while two policemen also died.",
     C(killed=6, killed_civilians=4, killed_security=2)),
    ("Four people were killed, while two policemen also died.", C(killed=6, killed_security=2)),
    # ... but not members of that total, nor an enumeration of it
    ("Eight people were killed, while two of them were policemen.", C(killed=8)),
    ("Seven people were wounded, while two policemen were among the injured.", C(injured=7)),
    # the attacker, named without a number, is one militant
    ("The explosion killed the bomber and two guards.", C(killed=3, killed_security=2, killed_militants=1)),
    ("Four soldiers were killed and the gunman also died.", C(killed=5, killed_security=4, killed_militants=1)),
    ("Commandos shot dead the assailant.", C(killed=1, killed_militants=1, implied=True)),
    # part of a group: the number before "of the/them/his" is the count, the noun after says who
    ("Guards shot dead the attacker and two of his accomplices.", C(killed=3, killed_militants=3)),
    ("Three of the attackers were killed in the exchange.", C(killed=3, killed_militants=3)),
    ("Three of the raiders were killed in the exchange.", C(killed=3)),  # who they were is not known
    ("Four of their bodyguards were hurt.", C(injured=4)),
    ("Two of the six constables died of their wounds.", C(killed=2, killed_security=2)),
    ("Officials said three of them were wounded.", C(injured=3)),
    ("Nine people were wounded, two of them critically.", C(injured=9)),
    # "another" right after a verb is one more person
    ("The blast killed one guard and injured another.", C(killed=1, injured=1, killed_security=1)),
    # ... but not a group the toll already names, nor a numbered section of a law or a block of a town
    ("Two of the three soldiers killed were officers.", C(killed=3, killed_security=3)),
    ("Six of the 10 people injured were children.", C(injured=10)),
    ("Five people died, and two of those killed were guards.", C(killed=5)),
    ("A case was registered under Section 7 of the Anti-Terrorism Act after three people were killed.",
     C(killed=3)),
    ("Three shopkeepers in Block 4 of the market were injured in the blast.", C(injured=3)),
    # an age is not a count
    ("A 9-year-old girl was hurt when the mortar landed.", C(injured=1)),
    ("Gunmen shot dead a 52-year-old shopkeeper.", C(killed=1, killed_civilians=1)),
    # "a total of", "a further": the number after them, not "a" one person
    ("The raid killed a total of 6 guards.", C(killed=6, killed_security=6)),
    ("The second blast wounded a further 8 people.", C(injured=8)),
    # a range keeps its lower figure, as coders do
    ("Between 15 and 20 villagers were killed.", C(killed=15, killed_civilians=15)),
    ("Two or three guards were wounded.", C(injured=2)),
    ("The attack killed 14 or 15 people.", C(killed=14)),
    ("The death toll rose from 10 to 12 people.", C(killed=12)),  # a change, not a range
    ("Police recovered six bodies from the site.", C(killed=6)),
    # bodies are the dead; "the dead included" lists them
    ("Rescuers pulled four bodies from the rubble.", C(killed=4)),
    ("The dead included two drivers and a child.", C(killed=3, killed_civilians=3)),
    # "and a/an ..." continues the list of the verb before it, unless it is a speaker
    ("The bomb killed four soldiers and a labourer.", C(killed=5, killed_civilians=1, killed_security=4)),
    ("Gunmen killed four soldiers and an official said the post was secured.", C(killed=4, killed_security=4)),
    # "the"/"his" and one person after the verb: that person
    ("A rocket hit the pickup, killing the driver and injuring a passenger.",
     C(killed=1, injured=1, killed_civilians=1)),
    ("Men on a motorbike threw a grenade at the shop, wounding its shopkeeper.", C(injured=1)),
    ("The raid killed the two guards.", C(killed=2, killed_security=2)),
    # a group noun is not one person
    ("The blast killed the family of five.", C()),
    ("Stones hurt the police.", C()),
    # a second person whose "was" is left out
    ("A teacher was shot dead and his colleague wounded.", C(killed=1, injured=1, killed_civilians=1)),
    ("The driver was killed and the conductor hurt.", C(killed=1, injured=1)),
    ("The guard was killed and the van damaged.", C(killed=1, implied=True)),
    # "was among N": N is everyone, the person before it one of them
    ("A nine-year-old girl was among six people injured.", C(injured=6)),
    ("An 8-year-old girl was among six people injured.", C(injured=6)),
    ("Two soldiers were among eleven people killed.", C(killed=11)),
    # one person after the verb whatever the word for him, and the list goes on
    ("Gunmen shot dead a tailor and a barber.", C(killed=2)),
    ("Gunmen shot dead a carpet weaver and a policeman.", C(killed=2, killed_security=1)),
    # "X and his <person>": the second person, not only family
    ("A trader and his driver were killed.", C(killed=2, killed_civilians=2)),
    # a body found is one dead
    ("His body was found in a field.", C(killed=1, implied=True)),
    ("The body of a tailor was found in a field.", C(killed=1)),
    # the military's words
    ("Five terrorists were sent to hell.", C(killed=5, killed_militants=5)),
    # people named by a plural the noun list lacks, when an outcome follows or precedes
    ("Five herders were killed in the raid.", C(killed=5)),
    ("Gunmen killed three herders and wounded a boy.", C(killed=3, injured=1)),
    ("Half a dozen soldiers were wounded.", C(injured=6)),
    # a review's cases: the second person takes the first one's kind; a list goes on after any one person
    ("A soldier and his colleague were martyred.", C(killed=2, killed_security=2)),
    ("Gunmen shot dead a shopkeeper and a customer.", C(killed=2, killed_civilians=1)),
    ("Gunmen shot dead a member of the peace committee.", C(killed=1)),
    # bodies found and people killed are the same people only when the same words name them
    ("The bodies of three men were found a day after three others were killed.", C(killed=6, killed_civilians=3)),
    ("Two soldiers were killed in Kech while the bodies of two labourers were found in Panjgur.",
     C(killed=4, killed_security=2, killed_civilians=2)),
    # animals and things are no people, whatever their plural
    ("A shepherd was injured and 20 goats were killed in the blast.", C(injured=1)),
    ("Three nomads were killed.", C(killed=3)),
    # the body of someone the sentence has counted already
    ("Gunmen shot dead a tailor; his body was taken to the hospital.", C(killed=1)),
])
def test_counts(sentence, expected):
    assert find_casualties(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "It was not known whether anyone was killed in the firing.",
    "The school building was damaged in the blast.",
    "The convoy came under fire and suffered several casualties.",
    "Dozens were hurt in the stampede that followed.",
    "Around 600 fighters took part in the assault, the group said.",
    "In 2023 the outfit was banned by the interior ministry.",
    "A soldier said the town was calm.",
    "The blast caused multiple casualties.",
    "The pylons were blown up at 9.30pm, 4km from the town.",
    "Fifteen of the 30 districts lost power.",
    "The blast injured a number of people.",
    "Their body armour saved them.",
    "Six vehicles were damaged and five rockets were fired.",
    "The bomber had strapped explosives to his body.",
    "Two motorcycles were killed.",
])
def test_vague_or_no_counts_give_none(sentence):
    assert find_casualties(sentence).empty


def test_victims_count_as_dead_only_when_deaths_are_mentioned_nearby():
    sentence = "Among the victims were 11 labourers from Sindh and four local men."
    assert find_casualties(sentence).empty
    assert find_casualties(sentence, deaths_nearby=True).killed == 15


def test_merge_compares_tolls_without_the_attackers():
    with_attackers = C(killed=8, killed_civilians=2, killed_security=3, killed_militants=3)
    restated = C(killed=5)  # "five were martyred"
    assert with_attackers.merge(restated).killed == 8


def test_merge_keeps_the_lowest_figure_and_adds_categories():
    assert C(killed=7).merge(C(killed=5, injured=3)) == C(killed=5, injured=3)
    merged = C(killed=4, killed_security=4).merge(C(killed=1, killed_militants=1))
    assert merged.killed == 5


@pytest.mark.parametrize("words, value", [
    (["one", "hundred", "and", "five"], 105), (["twenty", "three"], 23), (["a", "dozen"], 12),
    (["1,200"], 1200), (["two-dozen"], 24), (["seventy-one"], 71),
])
def test_parse_number(words, value):
    assert parse_number(words, 0)[0] == value


def test_a_stated_toll_is_not_lowered_by_a_named_victim():
    lead = find_casualties("Three shopkeepers were killed in the firing.")
    named = find_casualties("Abdul Qadir was shot dead at his shop.")
    assert named.implied and lead.merge(named).killed == 3 and named.merge(lead).killed == 3
    assert Casualties(injured=2).merge(named) == Casualties(killed=1, injured=2)


@pytest.mark.parametrize("sentence, killed", [
    ("Yesterday, his son was killed.", 1),
    ("However, his nephew was shot dead.", 1),
    ("Karim, his wife and son were shot dead.", 3),
])
def test_a_word_before_his_is_a_person_only_when_it_can_be_a_name(sentence, killed):
    assert find_casualties(sentence).killed == killed


def test_an_attacker_told_apart_adds_to_a_toll_of_victims():
    victims = find_casualties("The blast killed three guards.")
    attacker = find_casualties("The suicide bomber also died.")
    assert attacker == C(killed=1, killed_militants=1, implied=True)
    assert victims.merge(attacker) == C(killed=4, killed_security=3, killed_militants=1)
    assert attacker.merge(victims) == C(killed=4, killed_security=3, killed_militants=1)
    # a toll that already counts the attackers is not raised again
    both = find_casualties("Three guards and a bomber were killed.")
    assert both.merge(attacker).killed == 4


def test_plural_attackers_without_a_number_are_no_count():
    assert find_casualties("The attackers were killed in the gunfight.").killed is None


def test_a_militant_word_used_as_an_adjective_is_no_attacker():
    assert find_casualties("The terrorist attack left six dead.") == C(killed=6)
    assert find_casualties("The gunman killed in the raid was a wanted man.") == \
        C(killed=1, killed_militants=1, implied=True)


@pytest.mark.parametrize("sentence, total", [
    ("The death toll has risen to nine.", 9),
    ("Doctors said the toll had climbed further to 23 overnight.", 23),
    ("The toll later jumped to eleven after two of the wounded died.", 11),
    ("The number of dead rose to 14 by the evening.", 14),
])
def test_a_toll_update_is_marked_as_a_new_total(sentence, total):
    found = find_casualties(sentence)
    assert found.killed == total and found.update


def test_a_toll_update_replaces_the_earlier_toll_rather_than_adding_or_taking_the_lowest():
    first = find_casualties("Four guards and a driver were killed in the raid.")
    update = find_casualties("The death toll rose to eight.")
    merged = first.merge(update)
    assert merged.killed == 8 and merged.killed_security == 4 and merged.update
    assert update.merge(first).killed == 8
    assert first.add(update).killed == 8  # "further" does not make it more people
    # a later update supersedes an earlier one; tolls only rise
    assert merged.merge(find_casualties("The death toll has risen to 11.")).killed == 11
    # a plain restatement is not an update
    assert not find_casualties("The toll stood at 12.").update


@pytest.mark.parametrize("text", [
    "The militant was not killed, police said.",
    "It was unclear whether the attacker died.",
    "Police denied reports that the bomber was killed.",
])
def test_a_denied_or_doubted_attacker_death_is_no_death(text):
    assert find_casualties(text).killed is None
