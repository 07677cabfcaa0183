"""Casualty counts in a sentence, read clause by clause and conservatively, as ACLED does.

A small grammar, not a scan for numbers:

* a **count phrase** is a quantity ("at least 17", "one hundred and five", "a
  dozen", "a", "no one", "none of the 40") with its head noun ("soldiers",
  "CTD official", "others") or, bare, directly followed by an outcome ("two
  dead");
* an **outcome** is a death or injury word ("killed", "martyred", "injured").
  It is *active* when a count phrase follows it ("killed 3 soldiers",
  "injuring 11"), *passive* otherwise ("were killed", "two dead");
* a count phrase takes the first passive outcome after it, looking past the
  other count phrases of its coordination ("Five militants and two soldiers
  were killed"), else the nearest active outcome before it ("killed 3
  soldiers, 2 civilians and injured 11"). A clause boundary ("while", "but",
  ";") ends the search.

Counts are split into civilians, security forces and militants by the head noun
and its modifiers ("a Levies man" is security forces). "martyred" never counts
militants; "neutralised" counts only militants. A count after "including" is
part of the previous one. "No one was killed" is 0. Bounds keep their number
("at least 17" -> 17); vague words ("several", "dozens", "casualties") give
none. All word lists are in ``lexicon/casualty_*.csv``, ``number_qualifiers.csv``,
``security_words.csv``, ``people_words.csv`` and ``grammar_words.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache

from .lexicon import pattern, roles, terms
from .prefilter import PrefilteredPattern, compile_prefiltered

__all__ = ["Casualties", "find_casualties", "parse_number"]

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_TOKEN = re.compile(r"[a-z]+(?:[-'\u2019][a-z]+)*|\d{1,3}(?:,\d{2,3})+(?![\d,])|\d+|[,;:()\u2013\u2014\u2500]"
                    r"|(?<!\S)--?(?!\S)")
#: Dashes that set off an aside (en and em dash, the box-drawing line some sites print, a spaced hyphen).
_DASHES = frozenset({"\u2013", "\u2014", "\u2500", "-", "--"})


@dataclass(frozen=True)
class Casualties:
    """Counts stated for one event; None where the text gives no number."""

    killed: int | None = None
    injured: int | None = None
    killed_civilians: int | None = None
    killed_security: int | None = None
    killed_militants: int | None = None
    #: Only implied, not stated as a number: a named victim ("Karim was shot dead"), a family listed by its
    #: members. Such figures fill what a stated toll leaves open and never lower it.
    implied: bool = False
    #: The death toll is stated as updated ("the death toll has risen to nine"): the figure replaces an
    #: earlier toll of the same incident rather than being one more reading of it.
    update: bool = False

    @property
    def empty(self) -> bool:
        """True when no count is known."""
        return all(getattr(self, name) is None for name in _COUNT_FIELDS)

    def merge(self, other: Casualties) -> Casualties:
        """Combine two readings of the same event.

        Each category keeps the lowest figure where both give one (ACLED's
        conservative rule); the total is at least the sum of the categories, so
        "four soldiers killed" and "one militant was killed" make five. Totals
        more than :data:`FAR_APART` times apart count different people, and the
        first (``self``) stands.
        """
        if self.update != other.update and (other if other.update else self).killed is not None:
            return _updated(self, other)
        if self.implied != other.implied:  # a stated toll stands; implied figures fill its gaps
            stated, implied = (other, self) if self.implied else (self, other)
            filled = {name: getattr(implied, name) if getattr(stated, name) is None else getattr(stated, name)
                      for name in _COUNT_FIELDS}
            if implied.killed_militants and stated.killed_militants is None and stated.killed is not None:
                # "Three guards were killed." then "The attacker also died.": the attacker is not one of the
                # three victims; ACLED's total counts all deaths, perpetrators included
                filled["killed"] = stated.killed + implied.killed_militants
            return Casualties(**filled)
        values: dict[str, int | None] = {}
        for name in _COUNT_FIELDS:
            a, b = getattr(self, name), getattr(other, name)
            values[name] = a if b is None else b if a is None else min(a, b)
        for total in ("killed", "injured"):
            a, b = getattr(self, total), getattr(other, total)
            if a is not None and b is not None and max(a, b) > FAR_APART * min(a, b) + 1:
                # 47 hurt, then "returned fire and injured two": figures this far apart count different
                # people (a part, the other side, another incident), not conflicting reports of one toll;
                # the first reading, the report's lead, stands
                values[total] = a
        if self.killed is not None and other.killed is not None and values["killed_militants"]:
            # compare like with like: "five were martyred" restates the toll without the attackers
            others = [r.killed - (r.killed_militants or 0) for r in (self, other)]
            values["killed"] = min(others) + values["killed_militants"]
        split = ("killed_civilians", "killed_security")
        if all(getattr(self, k) is not None for k in split) and all(getattr(other, k) is not None for k in split) \
                and any(getattr(self, k) != getattr(other, k) for k in split):
            # two different breakdowns of one toll: keep the first reading's, do not mix them
            values.update({k: getattr(self, k) for k in split})
        parts = [values["killed_civilians"], values["killed_security"], values["killed_militants"]]
        if any(p is not None for p in parts):
            values["killed"] = max(values["killed"] or 0, sum(p or 0 for p in parts))
        if self.update and other.update and self.killed is not None and other.killed is not None:
            values["killed"] = max(self.killed, other.killed, values["killed"] or 0)  # tolls only rise
        return Casualties(**values, implied=self.implied and other.implied, update=self.update or other.update)

    def add(self, other: Casualties) -> Casualties:
        """Sum two disjoint sets of casualties (e.g. two clauses of one sentence); a toll update is
        never added, it replaces (see :meth:`merge`)."""
        if other.update and other.killed is not None:
            return self.merge(other)
        values = {}
        for name in _COUNT_FIELDS:
            a, b = getattr(self, name), getattr(other, name)
            values[name] = a if b is None else b if a is None else a + b
        return Casualties(**values, implied=self.implied and other.implied, update=self.update or other.update)


def _updated(first: Casualties, second: Casualties) -> Casualties:
    """Merge a toll update ("the death toll rose to 12") with another reading of its incident: the
    update's total replaces the other's, never below the categories both tell; injuries merge as usual."""
    update, earlier = (second, first) if second.update else (first, second)
    values = {name: getattr(earlier, name) if getattr(update, name) is None else getattr(update, name)
              for name in _COUNT_FIELDS}
    if earlier.injured is not None and update.injured is not None:
        values["injured"] = max(earlier.injured, update.injured)
    parts = sum(values[k] or 0 for k in ("killed_civilians", "killed_security", "killed_militants"))
    values["killed"] = max(update.killed or 0, parts)
    return Casualties(**values, update=True)


_COUNT_FIELDS = tuple(f.name for f in fields(Casualties) if f.name not in ("implied", "update"))


def parse_number(words: list[str], i: int) -> tuple[int | None, int]:
    """Read a number at ``words[i]``; return (value, tokens used), or (None, 0).

    Reads digits ("1,200"), words up to the hundreds ("one hundred and five",
    "twenty-three", "twenty three") and dozens ("a dozen", "two-dozen").
    """
    word = words[i]
    if word[0].isdigit():
        try:
            return int(word.replace(",", "")), 1
        except ValueError:
            return None, 0
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word == "half" and words[i + 1:i + 3] == ["a", "dozen"]:
        return 6, 3
    if word in ("a", "one") and nxt == "dozen":
        return 12, 2
    if word.endswith("-dozen") and word[:-6] in _UNITS:
        return _UNITS[word[:-6]] * 12, 1
    if word in _UNITS and nxt == "dozen":
        return _UNITS[word] * 12, 2
    value, used = _below_hundred(words, i)
    if value is None:
        return None, 0
    if i + used < len(words) and words[i + used] == "hundred" and value < 10:
        value, used = value * 100, used + 1
        rest_at = i + used + (1 if i + used < len(words) and words[i + used] == "and" else 0)
        if rest_at < len(words):
            rest, rest_used = _below_hundred(words, rest_at)
            if rest is not None:
                return value + rest, rest_at - i + rest_used
    return value, used


def _below_hundred(words: list[str], i: int) -> tuple[int | None, int]:
    word = words[i]
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _TENS and unit in _UNITS and _UNITS[unit] < 10:
            return _TENS[tens] + _UNITS[unit], 1
    if word in _TENS:
        if i + 1 < len(words) and words[i + 1] in _UNITS and _UNITS[words[i + 1]] < 10:
            return _TENS[word] + _UNITS[words[i + 1]], 2
        return _TENS[word], 1
    if word in _UNITS:
        return _UNITS[word], 1
    return None, 0


@dataclass
class _Count:
    start: int
    end: int  # index after the phrase
    value: int
    category: str  # security, militant, civilian, generic
    subset: bool = False
    outcome: str | None = None

    @property
    def additive(self) -> bool:
        return self.head in ("others", "other", "another", "more")

    head: str = ""
    link: int = -1  # position of the outcome word the count is linked to
    inner: bool = False  # part of a later count ("six of them were among the 21 killed")
    among: bool = False  # part of a toll told in another sentence ("two were among the wounded")
    implied: bool = False  # a person, not a number: "Karim was killed", "he, his wife and son were killed"


@dataclass
class _Outcome:
    at: int
    end: int
    kind: str  # killed, killed_militant, killed_not_militant, injured, other
    active: bool = False
    object_at: int = -1  # where the verb's object would start, past qualifiers ("killed at least 12")


#: What follows "his body" when it is a body found: "his body was found", "his body, bearing bullet wounds".
_BODY_FOUND = frozenset({"was", ",", "bearing", "riddled", "found", "recovered", "lay", "had"})
#: Endings of plural nouns for people: "herders", "vendors", "tourists", "civilians", "migrants", "watchmen",
#: "nomads", "kids", "youths", "relatives".
_PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents", "men", "ees", "ads", "ids", "ths", "ves")
#: Verbs that make "be sent to hell" a threat, not a toll: "all of them will be sent to hell".
_MODALS = frozenset({"will", "would", "shall", "should", "must", "to"})
#: What "the number of ..." counts when it is a death toll.
_NUMBER_OF_DEAD = frozenset({"dead", "deaths", "fatalities"})
#: Words for the dead found: "the bodies of 15 labourers", "six bodies were recovered".
_BODIES = frozenset({"bodies", "corpses"})


def _tokens(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence.lower().replace("\u2019", "'"))


def _outcome_at(words: list[str], i: int) -> _Outcome | None:
    word = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word == "shot" and nxt == "dead" or word == "gunned" and nxt == "down":
        return _Outcome(i, i + 2, "killed")
    if word in ("lost", "losing") and nxt in ("their", "his", "her") and i + 2 < len(words) and \
            words[i + 2] in ("lives", "life"):
        return _Outcome(i, i + 3, "killed")
    if word in ("sustained", "suffered", "received") and i + 1 < len(words) and \
            {"injuries", "wounds", "injury", "wound"} & set(words[i + 1:i + 3]):
        return _Outcome(i, i + 3, "injured")
    if word == "lost" and ("lives" in words[max(0, i - 3):i] or "life" in words[max(0, i - 3):i]):
        return _Outcome(i, i + 1, "killed")  # "34 lives were lost"
    if word in ("sent", "dispatched") and words[i + 1:i + 3] == ["to", "hell"] and not (
            i >= 2 and words[i - 1] == "be" and words[i - 2] in _MODALS):
        return _Outcome(i, i + 3, "killed_militant")  # "four terrorists were sent to hell" (the military's words)
    if word == "body" and i > 0 and words[i - 1] in ("his", "her") and nxt in _BODY_FOUND:
        return _Outcome(i, i + 1, "killed")  # "his body was found": one dead (see _implied_victims)
    if (word in _BODIES or word == "body") and nxt == "of":
        return _Outcome(i, i + 2, "killed", active=True)  # "the bodies of 15 labourers were found"
    if word in _BODIES and i > 0 and parse_number(words, i - 1)[0] is not None:
        return _Outcome(i, i + 1, "killed")  # "six bodies were recovered": six dead
    if word == "embraced" and nxt in ("shahadat", "martyrdom"):
        return _Outcome(i, i + 2, "killed_not_militant")  # "three policemen embraced shahadat"
    if word == "toll":
        return _Outcome(i, i + 1, "killed", active=True)
    if word == "number" and nxt == "of" and i + 2 < len(words) and words[i + 2] in _NUMBER_OF_DEAD:
        return _Outcome(i, i + 3, "killed", active=True)  # "the number of dead rose to 20": a toll
    if word in ("claiming", "claimed", "took", "taking") and words[i + 1:i + 4] == ["the", "lives", "of"]:
        return _Outcome(i, i + 4, "killed", active=True)
    if word in ("claiming", "claimed", "took", "taking", "cost", "costing") and "lives" in words[i + 1:i + 6]:
        return _Outcome(i, i + 1, "killed", active=True)  # "claimed at least 15 lives"
    kind = roles("casualty_words").get(word)
    return _Outcome(i, i + 1, kind) if kind else None


def _outcome_ends_at(words: list[str], at: int) -> bool:
    """An outcome phrase ends right before ``at`` or one word before it ("the killing of", "the lives of")."""
    for start in range(max(0, at - 5), at):
        outcome = _outcome_at(words, start)
        if outcome is not None and outcome.end in (at, at - 1):
            return True
    return False


def _head_noun(words: list[str], start: int, limit: int = 4) -> tuple[int | None, str]:
    """The head noun of a count phrase starting at ``start`` and its category, or (None, '')."""
    nouns = roles("casualty_nouns")
    found: int | None = None
    j = start
    end = min(len(words), start + limit)
    while j < end:
        word = words[j]
        if word == "(" and ")" in words[j + 1:j + 4]:  # "Frontier Corps (FC) personnel"
            close = words.index(")", j + 1)
            end = min(len(words), end + close - j + 1)
            j = close + 1
            continue
        if word in nouns:
            found = j
            # "police officers", "security personnel": take the last noun of a compound
            if j + 1 < len(words) and words[j + 1] in nouns and nouns[words[j + 1]] != "vague":
                j += 1
                continue
            break
        if word.isdigit() and j + 1 < len(words) and words[j + 1].endswith("-old"):
            j += 2  # "a 12-year-old boy": the age describes the noun after it
            end = min(len(words), end + 2)
            continue
        outcome_word = roles("casualty_words").get(word)
        if (outcome_word == "other" or outcome_word in ("injured", "killed") and not word.endswith("ing")) \
                and j + 1 < len(words) and words[j + 1] in nouns:
            # "12 kidnapped passengers", "two wounded soldiers": an adjective here, not the clause's
            # outcome ("two wounded soldiers later died"); see _link for the phrase that has no other
            j += 1
            continue
        if not word.isalpha() and "-" not in word or outcome_word or word in _words("be") \
                or word in ("and", "or", "of", "in", "on", "at", "from", "by", "with"):
            break
        j += 1
    if found is None:
        return None, ""
    role = nouns[words[found]]
    if role == "kin":  # "two sons of the elder": family members are civilians
        role = "civilian"
    if role == "vague":
        return None, ""
    modifiers = set(words[start:found]) | set(words[found + 1:found + 5])
    if role in ("civilian", "generic") and {w for w in words[start:found] if nouns.get(w) == "militant"}:
        role = "militant"  # "a rebel leader", "a militant commander"
    elif role in ("civilian", "generic") and words[found] in ("official", "officials", "members", "man", "men",
                                                            "personnel", "officer", "officers") \
            and modifiers & terms("security_words"):
        role = "security"
    return found, role


def _a_person_noun(words: list[str], noun: int) -> bool:
    """The noun at ``noun`` names a person, not an adjective of the next word ("the terrorist attack"):
    a verb, a clause word or punctuation follows it."""
    after = words[noun + 1] if noun + 1 < len(words) else ""
    return not after.isalpha() or after in _words("be") or after in ("and", "who", "himself") or \
        _outcome_at(words, noun + 1) is not None


def _person_phrase_end(words: list[str], start: int, limit: int = 3) -> int:
    """Where a short phrase naming one person ends ("a polio vaccinator", "a local trader"): at most
    ``limit`` words, up to a clause word, a preposition, punctuation or an outcome."""
    j = start
    while j < min(len(words), start + limit) and words[j].isalpha() and words[j] not in _words("boundary") \
            and words[j] not in _words("be") and words[j] not in ("and", "or", "in", "at", "on", "near", "of",
                                                                   "from", "who", "while", "with") \
            and _outcome_at(words, j) is None:
        j += 1
    return max(j, start)


def _unlisted_people(words: list[str], at: int) -> bool:
    """The word at ``at`` may be a plural for people that ``casualty_nouns.csv`` lacks ("herders",
    "vendors", "tourists", "watchmen"): a plural with an ending of people (not "goats" or "motorcycles"),
    followed by a verb of being or an outcome (checked by the caller)."""
    word = words[at]
    return word.isalpha() and word.endswith(_PEOPLE_ENDINGS) and word not in roles("casualty_nouns") \
        and _outcome_at(words, at) is None


def _one_person(words: list[str], noun: int, role: str) -> bool:
    """The head noun at ``noun`` names one person: a singular noun of a kind of people ("a guard"), or a
    singular word for anyone ("a person", "the victim")."""
    word = words[noun]
    return role != "generic" and not word.endswith("s") and word not in _words("collective") or \
        word in ("person", "individual", "victim", "colleague", "companion")


def _counts(words: list[str]) -> list[_Count]:
    qualifiers = roles("number_qualifiers")
    zero, singular, be = _words("zero"), _words("singular"), _words("be")
    nouns = roles("casualty_nouns")
    counts: list[_Count] = []
    i = 0
    while i < len(words):
        word = words[i]
        start = i
        subset = bool(counts) and i > 0 and qualifiers.get(words[i - 1]) == "subset" and not (
            i > 1 and words[i - 1] == "among" and words[i - 2] in be)  # "a boy was among four hurt": four is all
        if i > 0 and qualifiers.get(words[i - 1]) == "vague":
            i += 1
            continue
        if word in zero or (word == "no" and i + 1 < len(words) and
                                      words[i + 1] in ("one", "lives", "life")):
            used = 2 if word == "no" else 1
            j = i + used
            if word == "none" and j + 2 < len(words) and words[j] == "of" and words[j + 1] in ("the", "them"):
                j += 2  # "none of the 40 passengers": zero of them
                _, extra = parse_number(words, j) if j < len(words) else (None, 0)
                noun, role = _head_noun(words, j + extra)
                j = (noun + 1) if noun is not None else j + extra
                counts.append(_Count(start, j, 0, role or "generic", subset))
            else:
                counts.append(_Count(start, j, 0, "generic", subset))
            i = j
            continue
        if word == "no" and i + 1 < len(words):
            noun, role = _head_noun(words, i + 1, limit=3)
            if noun is not None:  # "no soldiers were hurt": none of that group
                counts.append(_Count(start, noun + 1, 0, role, subset))
                i = noun + 1
                continue
        if word == "the" and i > 0 and words[i - 1] == "shot" and "dead" in words[i + 1:i + 6]:
            noun, role = _head_noun(words, i + 1, limit=4)  # "shot the informer dead"
            if noun is not None:
                counts.append(_Count(start, noun + 1, 1, role, subset, head=words[noun]))
                i = noun + 1
                continue
        if (word == "the" or word in _words("possessive")) and i > 0 and words[i - 1] != "of" and \
                _outcome_ends_at(words, i) and parse_number(words, i + 1)[0] is None:
            noun, role = _head_noun(words, i + 1, limit=3)  # "killing the driver", "injuring his guard"
            if noun is not None and _one_person(words, noun, role) and role != "militant":
                counts.append(_Count(start, noun + 1, 1, role, subset, head=words[noun]))
                i = noun + 1
                continue
        if word == "the" and any(nouns.get(w) == "militant" for w in words[i + 1:i + 4]):
            noun, role = _head_noun(words, i + 1, limit=3)
            if noun is not None and role == "militant" and not words[noun].endswith("s") and \
                    _a_person_noun(words, noun) and not (terms("grammar_words", "negation") & set(
                        words[max(0, i - 8):noun + 6])):  # "the attacker was not killed", "unclear whether ..."
                # "the suicide bomber also died": one attacker, a person rather than a stated number
                counts.append(_Count(start, noun + 1, 1, role, subset, head=words[noun], implied=True))
                i = noun + 1
                continue
        verb_next = word == "another" and i + 1 < len(words) and (
            words[i + 1] in be or _outcome_at(words, i + 1) is not None)
        if word == "another" and i + 1 < len(words) and not verb_next:
            noun, role = _head_noun(words, i + 1, limit=4)  # "another Frontier Corps soldier was hurt"
            if noun is not None and not words[noun].endswith("s") or noun is not None and words[noun] in (
                    "personnel", "police"):
                counts.append(_Count(start, noun + 1, 1, role, subset, head="another"))
                i = noun + 1
                continue
        if word == "another" and i > 0 and _outcome_at(words, i - 1) is not None and (
                i + 1 == len(words) or words[i + 1] in (",", ";", "and", "in", "on", "at", "near")):
            counts.append(_Count(start, i + 1, 1, "generic", subset, head="another"))  # "and wounded another"
            i += 1
            continue
        if word == "another" and verb_next:
            counts.append(_Count(start, i + 1, 1, "generic", subset, head="another"))  # "and another was hurt"
            i += 1
            continue
        kin = _kin_count(words, i, counts)
        if kin is not None:
            kin.subset = subset  # "two civilians, including his son": the son is one of the two
            counts.append(kin)
            i = kin.end
            continue
        value, used = parse_number(words, i)
        if value is None and word in singular and \
                not (i + 1 < len(words) and words[i + 1] in ("of",)):
            noun, role = _head_noun(words, i + 1, limit=3)
            if noun is not None and _one_person(words, noun, role):
                counts.append(_Count(start, noun + 1, 1, role, subset, head=words[noun]))
                i = noun + 1
                continue
            before = _outcome_at(words, i - 2) if i >= 2 else None
            numbered = _after_count_lead(words, i) != i  # "a total of 14"
            after_verb = before is not None and before.end == i or i >= 1 and _outcome_at(words, i - 1) is not None
            # "shot dead a tailor and a barber": the list goes on after the first person
            listed = i >= 2 and words[i - 1] == "and" and bool(counts) and counts[-1].value == 1 and \
                counts[-1].end == i - 1 and counts[-1].outcome is None
            if word in ("a", "an") and not numbered and (after_verb or listed):
                # "shot dead a polio vaccinator" is one person, whatever the word for him; "killed a total of
                # 14" is the number after it
                end = _person_phrase_end(words, i + 1)
                if end > i + 1 and words[i + 1] not in _words("quantity"):  # not "a number of people"
                    counts.append(_Count(start, end, 1, "person", subset, head="a"))
                    i = end
                    continue
            i += 1
            continue
        if value is None:
            i += 1
            continue
        is_year = used == 1 and word.isdigit() and 1900 <= value <= 2100
        after = words[i + used] if i + used < len(words) else ""
        if is_year or after.endswith("-old") or after in (  # "a 12-year-old boy": an age, not a count
                "pm", "am", "km", "kms", "kilometres", "kilometers", "miles", "years", "year", "hours", "hour",
                "minutes", "days", "percent", "per", "kg", "kv", "mm"):
            i += used
            continue
        if i + used + 1 < len(words) and words[i + used] == "of" and words[i + used + 1] in _words("partitive"):
            part, i = _partitive(words, start, i + used, value, subset)  # "two of the attackers"
            if part is not None:
                counts.append(part)
            continue
        lead = start
        while lead > 0 and roles("number_qualifiers").get(words[lead - 1]) == "bound":
            lead -= 1
        lead = _before_count_lead(words, lead)
        if lead > 0 and words[lead - 1] in ("no", "number", "aged", "age", "of") and not subset and \
                not (lead > 1 and (words[lead - 2] in ("toll", "out") or _outcome_ends_at(words, lead))):
            i += used
            continue
        noun, role = _head_noun(words, i + used)
        if noun is not None:
            low = _range_low(words, start)
            if counts and counts[-1].start <= start - 2 and counts[-1].end >= start - 1 and (
                    low is not None or start >= 3 and words[start - 1] == "to" and words[start - 3] in ("from", "by")):
                counts.pop()  # "killed 14 or 15 people", "rose from 10 to 12": one figure, not two
            if low is not None and low < value:  # "between 10 and 12 people": the lower figure, as coders keep
                value, start = low, start - 2 - (words[start - 1] == "and")
            counts.append(_Count(start, noun + 1, value, role, subset, head=words[noun]))
            i = noun + 1
            continue
        # a bare number counts only when an outcome or "others" follows, or a toll precedes it
        j = i + used
        if j < len(words) and _unlisted_people(words, j):
            j += 1  # "five herders were killed": a plural the noun list lacks, then the outcome
        while j < len(words) and words[j] in be:
            j += 1
        follows = j < len(words) and _outcome_at(words, j) is not None
        toll_before = any(w == "toll" for w in words[max(0, i - 5):i]) or any(
            words[k:k + 2] == ["number", "of"] and words[k + 2] in _NUMBER_OF_DEAD for k in range(max(0, i - 8), i - 2))
        active_before = lead > 0 and _outcome_at(words, lead - 1) is not None  # "wounded more than 100"
        if follows or toll_before or active_before:
            named = i + used < len(words) and _unlisted_people(words, i + used)
            counts.append(_Count(start, i + used + named, value, "generic", subset))
        i += used
    return counts


def _partitive(words: list[str], start: int, of: int, value: int, subset: bool) -> tuple[_Count | None, int]:
    """A number of part of a group: "one of the attackers", "two of the five soldiers", "three of them".

    ``of`` is the index of "of" after the number at ``start``. Returns the count (None when the phrase
    counts no people) and the index to read on from.
    """
    them = words[of + 1] == "them"
    inner = of + 2  # "five of the 22 passengers": the group's size is not the count
    group_size = parse_number(words, inner)[1] if inner < len(words) and not them else 0
    first = inner + group_size  # the first word after the determiner and the group's size
    noun, role = (None, "") if them else _head_noun(words, first if group_size else of + 1, limit=4)
    after = _outcome_at(words, noun + 1) if noun is not None and noun + 1 < len(words) else None
    # "two of the seven people killed were women": the group is the toll, the part only says who
    names_the_toll = after is not None and after.end < len(words) and \
        words[after.end] in _words("be") | {"included", "include"}
    # a noun the lexicon does not know counts people when a verb follows it ("three of the raiders were
    # killed"), not "two of those killed" nor a label's number ("Block 4 of the market")
    people = first + 1 < len(words) and _outcome_at(words, first) is None and (
        words[first + 1] in _words("be") or _outcome_at(words, first + 1) is not None)
    if names_the_toll or noun is None and not them and not (people and not _labelled(words, start)):
        return None, inner if group_size else of
    end = noun + 1 if noun is not None else of + 2
    return _Count(start, end, value, role or "generic", subset, head=words[noun] if noun is not None else ""), end


def _labelled(words: list[str], at: int) -> bool:
    """The number at ``at`` labels something ("Block 4", "Section 7"): a plain word stands right before it."""
    if at == 0:
        return False
    before = words[at - 1]
    return before.isalpha() and before not in _words("be") and before not in _words("boundary") \
        and before not in ("and", "or", "but", "while", "that", "when", "after", "as", "including", "among") \
        and before not in roles("number_qualifiers") and _outcome_at(words, at - 1) is None


def _range_low(words: list[str], at: int) -> int | None:
    """The first figure of a range that ends with the number at ``at``: "two or three", "10 to 12",
    "between 10 and 12" (only after "between": "3 and 5" may be two counts)."""
    if at < 2 or words[at - 1] not in ("or", "to", "and") or at >= 3 and words[at - 3] in ("from", "by"):
        return None  # "rose from 10 to 12": a change, not a range
    if words[at - 1] == "and" and (at < 3 or words[at - 3] != "between"):
        return None
    value, used = parse_number(words, at - 2)
    return value if used == 1 else None


@lru_cache(maxsize=None)
def _count_leads() -> tuple[tuple[str, ...], ...]:
    """Phrases between a verb and its number ("a total of"): ``count_lead`` of ``grammar_words.csv``."""
    return tuple(tuple(phrase.split()) for phrase in terms("grammar_words", "count_lead"))


def _after_count_lead(words: list[str], j: int) -> int:
    """The index after a count-lead phrase starting at ``j`` (``j`` itself when none starts there)."""
    for phrase in _count_leads():
        if tuple(words[j:j + len(phrase)]) == phrase:
            return j + len(phrase)
    return j


def _before_count_lead(words: list[str], at: int) -> int:
    """The index where a count-lead phrase ending right before ``at`` starts (``at`` itself when none)."""
    for phrase in _count_leads():
        if at >= len(phrase) and tuple(words[at - len(phrase):at]) == phrase:
            return at - len(phrase)
    return at


def _kin_count(words: list[str], i: int, counts: list[_Count]) -> _Count | None:
    """One person of a family listed by its members: "Karim, his wife, son and a nephew were killed" is
    four people; "he, his brother and two cousins" is four. Kin nouns are the ``kin`` role of
    ``casualty_nouns.csv``; a plural kin noun without a number is vague and counts nothing."""
    word = words[i]
    nouns = roles("casualty_nouns")
    possessives, pronouns = _words("possessive"), _words("pronoun")
    if word not in possessives and word not in pronouns and nouns.get(word) != "kin":
        return None
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if word in possessives and nouns.get(nxt) == "kin" and not nxt.endswith("s"):
        return _Count(i, i + 2, 1, "civilian", head=nxt, implied=True)
    if word in possessives and i > 0 and words[i - 1] in ("and", ",") and nxt in nouns and \
            _one_person(words, i + 1, nouns[nxt]):
        # "a tribal elder and his driver"; "a soldier and his colleague": a colleague is of the first one's kind
        kind = nouns[nxt] if nouns[nxt] != "generic" else (counts[-1].category if counts else "person")
        return _Count(i, i + 2, 1, "person" if kind == "generic" else kind, head=nxt, implied=True)
    if word in pronouns and nxt in (",", "and") and i + 2 < len(words) and (
            words[i + 2] in possessives or nouns.get(words[i + 2]) == "kin"):
        return _Count(i, i + 1, 1, "person", head=word, implied=True)
    if nouns.get(word) == "kin" and not word.endswith("s") and counts and counts[-1].head and \
            nouns.get(counts[-1].head) == "kin" and counts[-1].end >= i - 3 and \
            any(w in (",", "and") for w in words[max(0, i - 2):i]):
        return _Count(i, i + 1, 1, "civilian", head=word, implied=True)  # "his wife, son and ..."
    return None


def _owners(words: list[str], counts: list[_Count]) -> list[_Count]:
    """The person a family list belongs to: "Karim, his wife and son were killed" counts Karim; "Yesterday,
    his son was killed" does not count "yesterday" (words of ``people_words.csv`` role ``not_a_name``)."""
    found = []
    not_names = terms("people_words", "not_a_name")
    possessives, pronouns = terms("grammar_words", "possessive"), terms("grammar_words", "pronoun")
    for count in counts:
        s = count.start
        if not (count.implied and s >= 2 and words[s] in possessives and words[s - 1] == ","):
            continue
        owner = words[s - 2]
        in_a_count = any(c.start <= s - 2 < c.end or c.end == s - 1 for c in counts if c is not count)
        a_name = owner.isalpha() and owner not in pronouns and owner not in not_names and not owner.endswith("ly")
        if a_name and not in_a_count:
            found.append(_Count(s - 2, s - 1, 1, "person", head="", implied=True))
    return found


def _implied_victims(words: list[str], counts: list[_Count], outcomes: list[_Outcome]) -> list[_Count]:
    """A death or injury stated of one person without a number: "Karim was shot dead", "a clash left
    Karim dead". An outcome no count phrase took, after a singular "was" (or "leaving"/"left" and a name),
    and not negated or doubted, is one person."""
    linked = {c.link for c in counts if c.outcome is not None}
    negations = terms("grammar_words", "negation")
    found = []
    for outcome in outcomes:
        if outcome.at in linked or outcome.kind == "other" or outcome.active:
            continue
        j = outcome.at - 1
        while j >= 0 and words[j] in _words("be") and words[j] not in ("was", "were", "been"):
            j -= 1
        singular = j >= 0 and (words[j] == "was" or words[j] == "been" and j > 0 and words[j - 1] in ("has", "had"))
        leaving = words[outcome.at] == "dead" and any(
            w in ("leaving", "left") for w in words[max(0, outcome.at - 4):outcome.at - 1])
        if words[outcome.at] == "body" and outcome.at > 0 and words[outcome.at - 1] in ("his", "her"):
            singular = True  # "his body was found": one dead
        if not (singular or leaving or _elliptic_victim(words, outcome.at)):
            continue
        if negations & set(words[max(0, outcome.at - 8):outcome.at]) or j >= 1 and words[j - 1] in (
                "it", "which", "that", "this", "what"):
            continue
        found.append(_Count(outcome.at, outcome.at, 1, "person", outcome=outcome.kind, link=outcome.at,
                            implied=True))
    return found


def _without_bodies_told_twice(words: list[str], counts: list[_Count]) -> list[_Count]:
    """"The body of a shopkeeper was found after gunmen shot dead a shopkeeper": bodies found and as many
    people of the same word killed in one sentence are the same people, counted once ("the bodies of three
    men ... after three others were killed" are six)."""
    def body(count: _Count) -> bool:
        return count.outcome is not None and 0 <= count.link < len(words) and words[count.link] in (_BODIES | {"body"})

    killed = {(c.value, c.head) for c in counts if c.outcome in ("killed", "killed_not_militant") and not body(c)}
    # "shot dead a shopkeeper; his body was shifted to hospital": the body of someone already counted
    return [c for c in counts if not (body(c) and ((c.value, c.head) in killed or c.implied and killed))]


def _elliptic_victim(words: list[str], at: int) -> bool:
    """A second person whose "was" is left out: "a guard was shot dead and his colleague injured"."""
    if at < 3 or words[at - 3] != "and" or not (words[at - 2] == "the" or words[at - 2] in _words("possessive")):
        return False
    noun, role = _head_noun(words, at - 1, limit=1)
    return noun == at - 1 and _one_person(words, noun, role) and "was" in words[:at - 3]


#: Two totals of one incident further apart than this factor describe different people, not conflicting reports.
FAR_APART = 2



def _mark_inner(words: list[str], counts: list[_Count]) -> None:
    """"Six officers were among the 21 personnel killed": the six are inside the later count;
    "injuring four, one of them critically": the one is inside the earlier count."""
    for count in counts:
        rest = words[count.end:count.end + 5]
        if len(rest) >= 3 and rest[0] in ("were", "was", "are", "is") and rest[1] == "among" and \
                (rest[2] == "the" and len(rest) > 3 and _outcome_at(rest, 3) or _outcome_at(rest, 2)):
            count.among = True  # "two policemen were among the wounded": part of a toll told elsewhere
    for before, count in zip(counts, counts[1:]):
        if words[count.end:count.end + 2] in (["among", "them"], ["among", "those"]) and before.value >= count.value:
            count.inner = True  # "two civilians, his son among them, were killed": the son is one of the two
    for count in counts:
        _mark_aside(words, count, counts)
    for before, after in zip(counts, counts[1:]):
        if after.category == "generic" and _words("intensity") & set(words[after.end:after.end + 3]):
            after.inner = True
            continue
        if words[max(0, after.start - 2):after.start] == ["among", "the"] or \
                words[max(0, after.start - 1):after.start] == ["among"]:
            before.inner = True


def _mark_aside(words: list[str], count: _Count, counts: list[_Count]) -> None:
    """"Four guards (two cooks and a driver) were killed", "four guards – two cooks and a driver – were
    killed": counts inside an aside right after a count phrase break that count down; they add nothing."""
    if count.end >= len(words) or words[count.end] not in _DASHES and words[count.end] != "(":
        return
    closing = _DASHES if words[count.end] in _DASHES else frozenset({")"})
    close = next((k for k in range(count.end + 1, min(len(words), count.end + 16)) if words[k] in closing), None)
    if close is None:
        return
    first = words[count.end + 1] if count.end + 1 < close else ""
    if not (first in _words("singular") or parse_number(words, count.end + 1)[0] is not None):
        return  # the aside must start with a number to be a breakdown
    for part in (c for c in counts if count.end < c.start and c.end <= close):
        part.inner = True


def _outcomes(words: list[str], *, victims_dead: bool = False) -> list[_Outcome]:
    """The outcome words of a sentence, each with where its object would start (see :func:`_mark_active`)."""
    qualifiers = roles("number_qualifiers")
    found: list[_Outcome] = []
    i = 0
    while i < len(words):
        outcome = _outcome_at(words, i)
        if (outcome is None and victims_dead and words[i] == "victims" or words[i] == "dead" and i > 0
                and words[i - 1] == "the") and i + 1 < len(words) and words[i + 1] in ("were", "included", "include"):
            # "among the victims were 14 ...", "the dead included three children"
            outcome = _Outcome(i, i + 2, "killed", active=True)
        if outcome is None:
            i += 1
            continue
        j = outcome.end
        skip = _toll_verbs() if words[outcome.at] in ("toll", "number") else terms("grammar_words", "after_outcome")
        while j < len(words) and (qualifiers.get(words[j]) == "bound" or words[j] in skip):
            j += 1
        outcome.object_at = _after_count_lead(words, j)
        found.append(outcome)
        i = outcome.end
    return found


def _mark_active(words: list[str], outcomes: list[_Outcome], counts: list[_Count]) -> None:
    """An outcome is active (a verb with its object after it) when a count or a vague quantity follows it."""
    starts = {c.start for c in counts}
    vague = {k for k, w in enumerate(words) if roles("number_qualifiers").get(w) == "vague"}
    for outcome in outcomes:
        outcome.active = outcome.active or outcome.object_at in starts or outcome.end in starts \
            or outcome.object_at in vague


def _link(words: list[str], counts: list[_Count], outcomes: list[_Outcome]) -> None:
    """Give each count phrase its outcome (see the module docstring)."""
    by_position = {o.at: o for o in outcomes}
    be = _words("be")
    count_at = {}
    for c in counts:
        for k in range(c.start, c.end):
            count_at[k] = c
    for count in counts:
        if count.end < len(words) and words[count.end] in _BODIES and count.end in by_position:
            count.outcome, count.link = "killed", count.end  # "recovered six bodies": six dead
            continue
        # an active outcome right before the count ("killed twenty-three people") binds first
        before = next((o for o in outcomes if o.active and count.start - 3 <= o.end <= count.start
                       and all(roles("number_qualifiers").get(w) == "bound" for w in words[o.end:count.start])),
                      None) or next((o for o in outcomes if words[o.at] in ("toll", "number") and
                                     count.start - 8 <= o.end <= count.start and
                                     all(w in _toll_verbs() or roles("number_qualifiers").get(w) == "bound"
                                         for w in words[o.end:count.start])), None)
        if before is not None:
            count.outcome, count.link = before.kind, before.at
            continue
        # forward: the first passive outcome, past the coordinated count phrases
        j, steps = count.end, 0
        wandered = False  # words other than coordination passed: another count starts its own clause
        while j < len(words) and steps < 14:
            if words[j] in _words("boundary"):
                break
            if j in by_position:
                outcome = by_position[j]
                if not outcome.active:
                    count.outcome, count.link = outcome.kind, outcome.at
                break
            if j in count_at:
                if wandered:
                    break
                j = count_at[j].end
                continue
            if words[j] not in be and words[j] not in _DASHES and words[j] not in ("and", "or", ",", "(", ")", "others",
                                                        "including", "among", "them", "in", "the", "attack",
                                                        "blast", "explosion", "incident", "firing", "clash",
                                                        "also"):
                # a verb between the count and the next count ("stormed a post and one of them ...")
                wandered = wandered or words[j].endswith(("ed", "ing")) and not words[j].endswith("eed")
                if steps > 10:
                    break
            j += 1
            steps += 1
        if count.outcome is not None:
            continue
        attribute = next((o for o in outcomes if count.start < o.at < count.end and o.kind in ("injured", "killed")),
                         None)
        if attribute is not None:  # "two wounded soldiers were flown to Quetta": the adjective is the outcome
            count.outcome, count.link = attribute.kind, attribute.at
            continue
        # backward: the nearest active outcome, past the coordinated count phrases ("a"/"an" only
        # right after the verb: "shot dead a guard", not "the deaths of 20, an official said")
        j, steps = count.start - 1, 0
        listed = count.start >= 2 and words[count.start - 1] == "and" and count.start - 2 in count_at and not (
            count.end < len(words) and words[count.end] in _words("boundary"))  # not "and an official said"
        reach = 1 if words[count.start] in ("a", "an") and not listed else 8  # "three guards and a driver"
        while j >= 0 and steps < reach:
            if words[j] in _words("boundary"):
                break
            outcome = next((o for o in outcomes if o.at <= j < o.end), None)
            if outcome is not None:
                if outcome.active:
                    count.outcome, count.link = outcome.kind, outcome.at
                break
            if j in count_at:
                j = count_at[j].start - 1
                continue
            j -= 1
            steps += 1


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
    if not _outcome_gate().search(sentence):
        return Casualties()  # no word any outcome is told with: nothing to read
    words = _tokens(sentence)
    outcomes = _outcomes(words, victims_dead=deaths_nearby)
    if not outcomes:
        return Casualties()  # no word of death or injury: no count phrase can be linked to one
    counts = _counts(words)
    _mark_inner(words, counts)
    _mark_active(words, outcomes, counts)
    if counts:
        counts = sorted(counts + _owners(words, counts), key=lambda c: c.start)
        _link(words, counts, outcomes)
    counts = _without_bodies_told_twice(words, counts + _implied_victims(words, counts, outcomes))
    found = _sum(counts, words)
    if found.killed is not None and _toll_update().search(sentence):
        found = replace(found, update=True)
    return found


#: Words of outcomes that ``casualty_words.csv`` does not list, read by :func:`_outcome_at` ("shot dead",
#: "lost their lives", "bodies", "the toll", "sent to hell", "the number of fatalities", "victims").
_OTHER_OUTCOME_WORDS = ("shot", "gunned", "lost", "losing", "injur", "wound", "bodies", "corpses", "body", "embraced",
                        "toll", "lives", "hell", "dead", "deaths", "fatalities", "victims")


@lru_cache(maxsize=None)
def _outcome_gate() -> re.Pattern[str] | PrefilteredPattern:
    """A pre-test every sentence with an outcome passes: some word of ``casualty_words.csv`` or of
    :data:`_OTHER_OUTCOME_WORDS` occurs in it (as a substring; the reading itself is by words)."""
    words = sorted(terms("casualty_words") | set(_OTHER_OUTCOME_WORDS), key=len, reverse=True)
    return compile_prefiltered("|".join(re.escape(word) for word in words), re.IGNORECASE)


@lru_cache(maxsize=None)
def _words(role: str) -> frozenset[str]:
    """The words of ``role`` in ``lexicon/grammar_words.csv`` (read once)."""
    return terms("grammar_words", role)


@lru_cache(maxsize=None)
def _toll_verbs() -> frozenset[str]:
    """Words between "toll" and its figure ("the toll has now risen further to nine")."""
    return terms("grammar_words", "after_outcome") | terms("grammar_words", "toll_verb")


@lru_cache(maxsize=None)
def _toll_update() -> re.Pattern[str]:
    """A toll stated as updated: the ``toll_update`` cue of ``sentence_cues.csv``."""
    return re.compile(pattern("sentence_cues", "toll_update"), re.IGNORECASE)


def _clauses_apart(counts: list[_Count], words: list[str], outcome: str) -> int:
    """People counted by group in a "while" clause that gives no total of their own, when an earlier
    clause gave a total of the same outcome: "Two people were hurt, while an injured child was taken to
    another hospital" is three, not the larger of two and one."""
    apart = terms("grammar_words", "clause_apart")

    def clause(count: _Count) -> int:
        return sum(1 for w in words[:count.start] if w in apart)

    def kind(count: _Count) -> str:
        return "injured" if count.outcome == "injured" else "killed"

    linked = [c for c in counts if c.outcome not in (None, "other") and not c.inner and kind(c) == outcome]
    with_total = {clause(c) for c in linked if c.category == "generic"}
    if not with_total:
        return 0
    return sum(c.value for c in linked if c.category != "generic" and not c.subset and not c.among
               and not c.implied and clause(c) > min(with_total) and clause(c) not in with_total
               and words[c.link] not in terms("grammar_words", "enumerating"))


def _sum(counts: list[_Count], words: list[str]) -> Casualties:
    """Add up linked count phrases: named groups, generic totals, and breakdowns after "including"."""
    tables: dict[str, dict[str, int]] = {"killed": {}, "injured": {}}
    inside: dict[str, int] = {"killed": 0, "injured": 0}  # breakdowns of a generic total ("including two")
    generic: dict[str, dict[int, int]] = {"killed": {}, "injured": {}}
    others: dict[str, int] = {"killed": 0, "injured": 0}
    parent: _Count | None = None
    numbered = False  # a number was read, not only people implied
    for count in counts:
        if not count.subset:
            parent = count
        if count.outcome is None or count.outcome == "other" or count.inner:
            continue
        numbered = numbered or not count.implied
        outcome = "injured" if count.outcome == "injured" else "killed"
        category = count.category
        if count.outcome == "killed_militant" and category == "generic":
            category = "militant"
        if count.outcome == "killed_not_militant" and category == "militant":
            continue
        if count.subset and parent is not None and parent is not count and parent.category != "generic":
            continue  # "five soldiers, including two officers": the two are among the five
        if category == "generic":
            if count.subset:
                continue
            if count.additive:
                others[outcome] += count.value  # "two soldiers and three others"
            else:  # generic counts of one outcome word add up ("14 from Punjab and nine from Kech")
                generic[outcome][count.link] = generic[outcome].get(count.link, 0) + count.value
            continue
        tables[outcome][category] = tables[outcome].get(category, 0) + count.value
        if count.subset or count.among:
            inside[outcome] += count.value
    totals: dict[str, int | None] = {}
    for outcome in ("killed", "injured"):
        named = sum(v for k, v in tables[outcome].items() if k != "generic") - inside[outcome]
        stated = min(generic[outcome].values()) if generic[outcome] else None  # conflicting totals: lowest
        found = named + others[outcome] > 0 or stated is not None or (
            bool(tables[outcome]) and not inside[outcome])
        apart = _clauses_apart(counts, words, outcome)
        totals[outcome] = max(stated or 0, named - apart + others[outcome]) + apart if found else None
        if stated == 0 and not named and not others[outcome]:
            totals[outcome] = 0
    killed = tables["killed"]
    if totals["killed"] is None and totals["injured"] is None:
        return Casualties()
    return Casualties(killed=totals["killed"], injured=totals["injured"], killed_civilians=killed.get("civilian"),
                      killed_security=killed.get("security"), killed_militants=killed.get("militant"),
                      implied=not numbered)
