"""Casualty counts in a sentence, read conservatively as ACLED does.

"at least 17" -> 17, "more than 250" -> 250, numbers in words, the lowest of
conflicting figures; vague words ("several", "dozens", "casualties") give no
number. Counts are split into civilians, security forces and militants by the
noun they count ("soldiers", "police officers", "militants", "passengers").
Generic nouns (people, individuals, victims) count toward the total only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

__all__ = ["Casualties", "find_casualties", "parse_number"]

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SECURITY = {"soldier", "soldiers", "troops", "troop", "personnel", "policeman", "policemen", "policemen's",
             "cop", "cops", "jawans", "jawan", "paramilitaries", "paramilitary", "commandos", "commando",
             "officers", "officer", "sepoys", "sepoy", "levies", "constables", "constable", "guards", "guard",
             "servicemen", "troopers", "trooper", "fc", "militiamen"}
_MILITANT = {"militants", "militant", "insurgents", "insurgent", "terrorists", "terrorist", "attackers",
             "attacker", "assailants", "assailant", "gunmen", "gunman", "rebels", "rebel", "separatists",
             "bombers", "bomber", "miscreants", "fighters", "fighter", "khawarij", "kharijis", "outlaws"}
_CIVILIAN = {"civilians", "civilian", "passengers", "passenger", "labourers", "laborers", "labourer", "laborer",
             "workers", "worker", "travellers", "travelers", "traveller", "traveler", "residents", "resident",
             "villagers", "villager", "children", "child", "women", "woman", "students", "student", "teachers",
             "teacher", "drivers", "driver", "bystanders", "pilgrims", "employees", "employee", "engineers",
             "engineer", "nationals", "national", "facilitator", "facilitators", "informant", "informants",
             "shopkeepers", "shopkeeper", "tourists", "citizens", "citizen", "doctor", "doctors", "journalist",
             "journalists", "activist", "activists", "leader", "leaders", "man", "men", "boy", "boys", "girl",
             "girls", "farmer", "farmers", "miners", "miner", "contractor", "contractors", "spy", "spies",
             "schoolteacher", "schoolteachers", "cleric", "clerics", "elder", "elders", "lawyer", "lawyers",
             "nurse", "nurses", "vendor", "vendors", "trader", "traders", "businessman", "businessmen",
             "councillor", "politician", "politicians", "passer-by", "passers-by", "guest", "guests",
             "official", "officials", "people", "persons", "person", "individuals", "individual", "victims",
             "victim", "members", "others"}
_GENERIC = {"people", "persons", "person", "individuals", "individual", "victims", "victim", "members", "others"}
_KILL = frozenset({"killed", "dead", "died", "die", "deaths", "death", "lives", "martyred", "neutralized", "neutralised",
         "neutralizing", "neutralising", "perished", "slain", "executed", "massacred", "killing", "kill",
         "toll", "bodies", "gunned", "beheaded", "lynched"})
_KILL_WITH_VICTIMS = _KILL | {"victims", "victim"}
_INJURE = {"injured", "wounded", "hurt", "injuring", "wounding", "injuries", "injury", "wounds"}
_VAGUE = {"several", "dozens", "scores", "many", "multiple", "numerous", "hundreds", "thousands", "some",
          "few", "casualties", "unknown", "countless"}
_QUALIFIERS = {"at", "least", "more", "than", "over", "nearly", "almost", "about", "around", "some", "up", "to",
               "as", "many", "approximately", "roughly", "no", "fewer", "less"}
_OTHER_OUTCOMES = {"abducted", "kidnapped", "arrested", "rescued", "detained", "released", "captured", "escaped",
                   "survived", "freed", "missing", "displaced", "evacuated", "recovered"}
_STOP = {"while", "whereas", "but", "although", "after", "before", "when", "as"}
_SINGULAR = {"a", "an", "the", "one"}
_TOKEN = re.compile(r"[a-z]+(?:[-'\u2019][a-z]+)*|\d[\d,]*")


@dataclass(frozen=True)
class Casualties:
    """Counts stated for one event; None where the text gives no number."""

    killed: int | None = None
    injured: int | None = None
    killed_civilians: int | None = None
    killed_security: int | None = None
    killed_militants: int | None = None

    @property
    def empty(self) -> bool:
        """True when no count is known."""
        return all(getattr(self, f.name) is None for f in fields(self))

    def merge(self, other: Casualties) -> Casualties:
        """Combine two readings of the same event: the lowest figure where both give one."""
        values = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            values[f.name] = a if b is None else b if a is None else min(a, b)
        return Casualties(**values)

    def add(self, other: Casualties) -> Casualties:
        """Sum two disjoint sets of casualties (e.g. two clauses of one sentence)."""
        values = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            values[f.name] = a if b is None else b if a is None else a + b
        return Casualties(**values)


def parse_number(words: list[str], i: int) -> tuple[int | None, int]:
    """Read a number at ``words[i]``; return (value, tokens used). (None, 0) if none."""
    word = words[i]
    if word[0].isdigit():
        try:
            return int(word.replace(",", "")), 1
        except ValueError:
            return None, 0
    if word in ("a", "one") and i + 1 < len(words) and words[i + 1] == "dozen":
        return 12, 2
    if word in _UNITS and i + 1 < len(words) and words[i + 1] == "dozen":
        return _UNITS[word] * 12, 2
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _TENS and unit in _UNITS and _UNITS[unit] < 10:
            return _TENS[tens] + _UNITS[unit], 1
    if word in _TENS:
        if i + 1 < len(words) and words[i + 1] in _UNITS and _UNITS[words[i + 1]] < 10:
            return _TENS[word] + _UNITS[words[i + 1]], 2
        return _TENS[word], 1
    if word in _UNITS:
        if i + 1 < len(words) and words[i + 1] == "hundred":
            return _UNITS[word] * 100, 2
        return _UNITS[word], 1
    return None, 0


def _category(words: list[str], noun_at: int) -> str:
    noun = words[noun_at]
    before = words[max(0, noun_at - 2):noun_at]
    after = words[noun_at + 1:noun_at + 5]
    if noun in ("members", "personnel", "officials", "officers", "official", "officer") and (
            {"security", "police", "army", "military", "fc", "levies", "forces"} & set(before + after)):
        return "security"
    if noun in ("members",) and {"group", "militant", "outfit", "organisation", "organization"} & set(after):
        return "militant"
    if noun in _SECURITY:
        return "security"
    if noun in _MILITANT:
        return "militant"
    if noun in _GENERIC:
        return "generic"
    return "civilian"


def _find_noun(words: list[str], start: int, limit: int = 5) -> int | None:
    for j in range(start, min(len(words), start + limit)):
        word = words[j]
        if word in _SECURITY or word in _MILITANT or word in _CIVILIAN:
            # "police officers": take the last noun of a compound
            if j + 1 < len(words) and (words[j + 1] in _SECURITY or words[j + 1] in _CIVILIAN) and \
                    words[j + 1] not in _GENERIC:
                return j + 1
            return j
        if word in _KILL or word in _INJURE or word in _STOP or word in ("and", "were", "was", "had", "have"):
            return None
    return None


def _outcome(word: str, kill_words: frozenset[str]) -> str | None:
    if word in kill_words:
        return "killed"
    if word in _INJURE:
        return "injured"
    return None


def _cue(words: list[str], number_at: int, noun_at: int, kill_words: frozenset[str]) -> str | None:
    """The outcome (killed / injured) a counted group is linked to, or None: the closer of the
    nearest cue after the noun ("were killed") and the nearest before the number ("killed seven")."""
    forward = backward = None
    for j in range(noun_at + 1, min(len(words), noun_at + 9)):
        if words[j] in _STOP or words[j] in _OTHER_OUTCOMES:
            break  # another outcome ("were abducted")
        if parse_number(words, j)[0] is not None and words[j - 1] not in ("including", "them", "whom", "among"):
            break  # another counted group starts (not a parenthetical "among them seven soldiers")
        found = _outcome(words[j], kill_words)
        if words[j] == "lost" and j + 2 < len(words) and words[j + 2] == "lives":
            found = "killed"
        if found:
            forward = (j - noun_at, found)
            break
    start = number_at  # distance counts from the start of "at least 20", "more than 250"
    while start > 0 and words[start - 1] in _QUALIFIERS:
        start -= 1
    for j in range(start - 1, max(-1, start - 8), -1):
        if words[j] in _STOP:
            break
        found = _outcome(words[j], kill_words)
        if found:
            backward = (start - j, found)
            break
    if forward and backward:
        return backward[1] if backward[0] <= forward[0] else forward[1]
    return (forward or backward or (0, None))[1]


def find_casualties(sentence: str, *, deaths_nearby: bool = False) -> Casualties:
    """Return the casualty counts a sentence states.

    Parameters
    ----------
    sentence
        One sentence.
    deaths_nearby
        The neighbouring sentences speak of deaths ("the bodies of the
        deceased"), so "the victims were 14 ..." counts the dead.

    Returns
    -------
    Casualties
        Killed (total and by category) and injured; None where not stated.
    """
    words = _TOKEN.findall(sentence.lower().replace("\u2019", "'"))
    kill_words = _KILL_WITH_VICTIMS if deaths_nearby else _KILL
    groups: list[tuple[str, str, int, bool]] = []  # (outcome, category, count, subset of the previous group)
    i = 0
    chain_cue: str | None = None
    while i < len(words):
        value, used = parse_number(words, i)
        if value is None or (i > 0 and words[i - 1] in _VAGUE):
            if words[i] in _SINGULAR:
                noun = _find_noun(words, i + 1, limit=3)
                if noun is not None and words[noun] not in _GENERIC and not words[noun].endswith("s"):
                    cue = _singular_cue(words, i, noun)
                    if cue:
                        groups.append((cue, _category(words, noun), 1, False))
                        i = noun + 1
                        continue
                elif _person_verb_before(words, i):  # "shot dead a government schoolteacher"
                    groups.append(("killed", "generic", 1, False))
                    i += 1
                    continue
            if words[i] not in ("and", "of", "the"):
                chain_cue = None if words[i] in _STOP else chain_cue
            i += 1
            continue
        if 1900 <= value <= 2100 and used == 1 and words[i][0].isdigit():
            i += 1
            continue  # a year, not a count
        noun = _find_noun(words, i + used)
        if noun is None and i + used + 2 < len(words) and words[i + used] == "and":
            # "killed 5 and injured 10 people": the first number borrows the later noun
            later = _find_noun(words, i + used + 3, limit=4) if parse_number(words, i + used + 2)[0] else None
            if later is not None:
                cue = _cue(words, i, i + used - 1, kill_words)
                if cue:
                    groups.append((cue, _category(words, later), value, False))
                i += used
                continue
        if noun is None:
            bare = _bare_count_cue(words, i, used, kill_words)
            if bare:  # "at least 5 were killed", "put the death toll at seven"
                groups.append((bare, "generic", value, False))
            i += used
            continue
        cue = _cue(words, i, noun, kill_words) or (chain_cue if i > 0 and words[i - 1] == "and" else None)
        if cue:
            subset = i > 0 and words[i - 1] in ("including", "them", "whom") and bool(groups)
            groups.append((cue, _category(words, noun), value, subset))
            chain_cue = cue
        i = noun + 1
    return _sum(groups)


def _bare_count_cue(words: list[str], at: int, used: int, kill_words: frozenset[str]) -> str | None:
    after = words[at + used:at + used + 3]
    if after[:1] and after[0] in ("were", "was", "have", "had", "are") and len(after) > 1:
        return _outcome(after[1], kill_words) or (_outcome(after[2], kill_words) if len(after) > 2 else None)
    before = words[max(0, at - 3):at]
    if "toll" in before:
        return "killed"
    return None


def _person_verb_before(words: list[str], at: int) -> bool:
    """A verb that only takes a person ("shot dead a", "gunned down a", "assassinated a") before ``a``."""
    before = words[max(0, at - 3):at]
    return words[at] in ("a", "an") and (before[-2:] == ["shot", "dead"] or before[-2:] == ["gunned", "down"]
                                          or (bool(before) and before[-1] in ("assassinated", "beheaded")))


def _singular_cue(words: list[str], article_at: int, noun_at: int) -> str | None:
    after = words[noun_at + 1:noun_at + 4]
    before = words[max(0, article_at - 2):article_at]
    if {"killed", "dead", "died", "martyred", "slain"} & set(after) and "not" not in after:
        return "killed"
    if {"injured", "wounded", "hurt"} & set(after):
        return "injured"
    if {"killed", "killing", "shot", "gunned", "executed", "beheaded"} & set(before):
        return "killed"
    if {"injured", "injuring", "wounded", "wounding"} & set(before):
        return "injured"
    return None


def _sum(groups: list[tuple[str, str, int, bool]]) -> Casualties:
    killed: dict[str, int] = {}
    injured = 0
    found_injured = False
    for outcome, category, count, subset in groups:
        if outcome == "killed":
            killed[category] = killed.get(category, 0) + count
        elif not subset:  # "five people, including two children": two are among the five
            injured += count
            found_injured = True
    if not killed and not found_injured:
        return Casualties()
    specific = sum(v for k, v in killed.items() if k != "generic")
    total = killed.get("generic")
    if total is None or specific > total:
        total = specific if killed else None
    return Casualties(
        killed=total if killed else None,
        injured=injured if found_injured else None,
        killed_civilians=killed.get("civilian"),
        killed_security=killed.get("security"),
        killed_militants=killed.get("militant"),
    )
