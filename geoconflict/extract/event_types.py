"""Event types: a small vocabulary, its ACLED sub-event types, and the target phrase."""

from __future__ import annotations

import re

from ..event_vocabulary import ACLED_SUB_EVENT, TYPE_FAMILIES, TYPE_ORDER, TYPE_RANK
from .lexicon import lexicon
from .lexicon import pattern as lexicon_pattern
from .lexicon import terms
from .prefilter import compile_prefiltered

__all__ = [
    "ACLED_SUB_EVENT",
    "EVENT_TYPES",
    "TYPE_FAMILIES",
    "TYPE_RANK",
    "OFFICIAL_SOURCES",
    "acled_sub_event_type",
    "attributed_to_officials",
    "find_event_type",
    "find_target",
    "is_violent",
]


#: Event type -> trigger pattern (``lexicon/event_words.csv``), most specific first as in
#: ``lexicon/event_types.csv``: the first type whose trigger a sentence uses wins.
EVENT_TYPES: dict[str, str] = {name: lexicon_pattern("event_words", name) for name in TYPE_ORDER
                               if any(e.role == name for e in lexicon("event_words"))}
_COMPILED = {name: compile_prefiltered(rf"\b(?:{pattern})", re.IGNORECASE) for name, pattern in EVENT_TYPES.items()}
_CIVILIAN_TARGET = compile_prefiltered(r"civilian|passenger|labou?rer|worker|traveller|traveler|villager|resident|"
                                       r"student|teacher|journalist|shop|bus\b|vehicles?\s+on\s+the\s+highway|people|"
                                       r"facilitator|informant|non-local|settler|engineer|nationals|"
                                       r"office|company|bank|school|house|home", re.IGNORECASE)
_AIR = compile_prefiltered(r"air\s*strikes?|drone", re.IGNORECASE)
_VIOLENT = compile_prefiltered(rf"\b{lexicon_pattern('event_words', 'violent')}", re.IGNORECASE)


def is_violent(sentence: str) -> bool:
    """True when a sentence speaks of a violent act."""
    return bool(_VIOLENT.search(sentence))


_BLAST = compile_prefiltered(rf"\b{lexicon_pattern('event_words', 'blast')}", re.IGNORECASE)


def find_event_type(sentence: str) -> str | None:
    """The most specific event type a sentence's wording points to, or None; a blast of no stated kind
    ("a device exploded") is a bombing when no other word gives the type."""
    for name, pattern in _COMPILED.items():
        if pattern.search(sentence):
            return name
    return "bombing/IED" if _BLAST.search(sentence) else None


def acled_sub_event_type(event_type: str, target: str | None, sentence: str = "") -> str:
    """Map an event type to ACLED's sub-event type, given the target."""
    if event_type == "shelling/airstrike" and _AIR.search(sentence):
        return "Air/drone strike"
    if event_type in ("armed assault", "ambush") and target and _CIVILIAN_TARGET.search(target):
        return "Attack"
    return ACLED_SUB_EVENT.get(event_type) or "Other"


_TARGET = compile_prefiltered(
    r"\b(?:attack(?:ed|s)?\s+(?:on|against)?|targeting|targeted|ambush(?:ed)?|stormed|torching|torched|"
    r"raided|struck|hit|killing|killed|abducted|kidnapped|shelling|assault(?:ed)?\s+on|attack\s+on|"
    r"hurled\s+(?:a\s+)?(?:hand\s+)?grenade\s+(?:inside|into|at|on)|fire\s+on|fired\s+at|opened\s+fire\s+on|"
    r"clashed\s+with|blockade\s+on)\s+"
    r"(?P<t>(?!(?:in|at|by|on|with|for|from|to|them|him|her|it|us)\b)(?:(?:the|a|an|two|three|several|its)\s+)?"
    r"[\w'\u2019\"\u201c\u201d\-]+(?:\s+(?!in\b|at\b|near\b|on\b|after\b|"
    r"while\b|during\b|who\b|which\b|that\b|following\b|after\b|along\b|as\b|killed\b|killing\b|injured\b|"
    r"injuring\b|wounding\b|left\b|leaving\b|and\s+(?:killed|injured|wounded)\b)[\w'\u2019\"\-]+){0,6})",
    re.IGNORECASE)
#: Who gives a report's figures: officials and other sources, not the group that claimed the attack.
OFFICIAL_SOURCES = (r"(?:police|officials?|sources|army|military|levies|security\s+forces|ISPR|administration|"
                    r"hospital|doctors?|government)")
_SPEECH = lexicon_pattern("grammar_words", "speech_verb")
_SAID_BY = compile_prefiltered(rf"\b(?:according\s+to\s+(?:the\s+)?)?{OFFICIAL_SOURCES}"
                               rf"(?:\s+(?:officials?|sources|spokesm[ae]n|spokesperson))?\s*{_SPEECH}?\b"
                               rf"(?=\s*(?:{_SPEECH}|[,.]|$))|\baccording\s+to\s+(?:the\s+)?\w+", re.IGNORECASE)
#: A sentence whose figures an official source gives ("police officials in Turbat said", "according to ...").
_ATTRIBUTED = compile_prefiltered(rf"\b{OFFICIAL_SOURCES}\b[^.;]{{0,40}}?\b{_SPEECH}\b|\baccording\s+to\b",
                                  re.IGNORECASE)


def attributed_to_officials(sentence: str) -> bool:
    """True when officials, police or another source (not an armed group) are said to give the sentence."""
    return bool(_ATTRIBUTED.search(sentence))
_TARGET_WORDS = [
    ("police station", r"police\s+stations?"), ("checkpoint", r"check\s*posts?|checkpoints?"),
    ("military convoy", r"convoy"), ("security forces", r"security\s+forces|troops|soldiers|army|military"),
    ("police", r"police"), ("passengers", r"passengers?|bus(?:es)?\b|travell?ers"),
    ("civilians", r"civilians?|labou?rers?|workers?"), ("government installations", r"government|administrat"),
    ("infrastructure", r"railway|train|bridge|tower|gas\s+pipeline|power"),
]


def find_target(sentence: str) -> str | None:
    """A short phrase naming what was attacked, or None."""
    for match in _TARGET.finditer(sentence):
        target = match["t"].strip(" ,.;:\"'\u201c\u201d")
        words = target.split()
        while words and words[-1].lower() in {"the", "a", "an", "of", "and", "in", "with", "its", "their", "along"}:
            words.pop()
        if words and words[0].lower() in terms("grammar_words", "not_a_target_start") or \
                any(w.lower() in ("was", "were") for w in words):
            continue  # "killed and six others were hurt": a clause, not what was attacked
        if words:
            return " ".join(words)[:80]
    told = _SAID_BY.sub(" ", sentence)  # "police said" names a source, not a target
    for label, pattern in _TARGET_WORDS:
        if re.search(pattern, told, re.IGNORECASE):
            return label
    return None
