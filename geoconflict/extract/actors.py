"""Armed actors: canonical group names from claims, attributions and aliases."""

from __future__ import annotations

import re

from .lexicon import lexicon
from .lexicon import pattern as lexicon_pattern
from .prefilter import compile_prefiltered

__all__ = [
    "ACTOR_ACRONYMS",
    "ACTOR_NAMES",
    "SECURITY_FORCES",
    "UNKNOWN_ACTOR",
    "claim_account_start",
    "claimed_actor",
    "find_actors",
    "state_actor",
]

SECURITY_FORCES = "security forces"
UNKNOWN_ACTOR = "unknown"

#: Canonical actor -> name patterns (case-insensitive regular expressions), from ``lexicon/group_names.csv``.
ACTOR_NAMES: dict[str, list[str]] = {}
for _entry in lexicon("group_names"):
    ACTOR_NAMES.setdefault(_entry.role, []).append(_entry.term[1:-1] if _entry.term.startswith("/") else
                                                   re.escape(_entry.term))
#: Acronyms, matched as whole tokens and case-sensitively ("bla bla" and "Bra" are no group),
#: from ``lexicon/group_acronyms.csv``.
ACTOR_ACRONYMS: dict[str, str] = {e.term: e.role for e in lexicon("group_acronyms")}
_NAMES = compile_prefiltered(
    "|".join(f"(?P<a{i}>{'|'.join(patterns)})" for i, patterns in enumerate(ACTOR_NAMES.values())),
    re.IGNORECASE)
_NAME_ORDER = list(ACTOR_NAMES)
_ACRONYM_TOKEN = compile_prefiltered(r"\b[A-Z][A-Za-z]{1,3}(?:-[A-Z])?\b")
#: Any acronym as written: a sentence without one has no acronym token worth looking up.
_ANY_ACRONYM = compile_prefiltered("|".join(re.escape(term) for term in sorted(ACTOR_ACRONYMS, key=len,
                                                                                reverse=True)))

_CLAIM = compile_prefiltered(
    r"claim(?:ed|s|ing)?\s+(?:the\s+)?responsibility|owned\s+(?:up\s+)?(?:the\s+)?(?:attack|"
    r"responsibility)|accepted\s+responsibility|claim(?:ed|s|ing)?\s+(?:the|this|that|\w+['\u2019]s)\s+"
    r"(?:\w+\s+)?(?:attacks?|bombings?|blasts?|assaults?|ambush|raids?|killings?)\b",
    re.IGNORECASE)
#: The state's forces as a sentence names them.
_FORCES = (r"(?:security\s+forces|forces|troops|the\s+army|army|military|police|policemen|soldiers|FC|CTD|ISPR|"
           r"frontier\s+corps|levies|counter[-\s]terrorism\s+department)")
# The state's forces as the subject of a violent verb: at the start of a clause ("Security forces
# retaliated", "..., troops killed five militants"), never as an object ("attacked a Frontier Corps
# checkpoint ..., killing three soldiers") or in the passive ("forces were targeted").
_FORCES_DOING = compile_prefiltered(
    r"(?:^|[,;:]\s*|\b(?:when|as|after|and|but|while|then|later|meanwhile)\s+)(?:the\s+)?(?:pakistani\s+)?"
    r"(?:paramilitary\s+|elite\s+)?"
    rf"{_FORCES}\s+(?:(?!(?:were|was|been|being|are|is)\b)[\w-]+\s+){{0,3}}?"
    r"(?:retaliated|neutrali[sz]ed|killed|shelled|launched|raided|bombed|targeted|conducted|"
    r"opened\s+fire|struck|pounded|gunned\s+down|shot\s+dead|carried\s+out)\b", re.IGNORECASE)
#: "the military said on Wednesday it had killed 12 militants": the forces tell of their own violence.
_FORCES_SAID_DOING = compile_prefiltered(
    rf"\b{_FORCES}\b(?:['\u2019]s?)?\s+(?:\w+\s+){{0,3}}?{lexicon_pattern('grammar_words', 'speech_verb')}\b"
    r"[^.;]{0,40}?\b(?:it|they)\s+(?:had\s+|have\s+)?"
    r"(?:killed|neutrali[sz]ed|shot\s+dead|raided|destroyed|conducted|launched)\b", re.IGNORECASE)
_FORCES_ACCUSED = compile_prefiltered(
    r"\baccus\w+\s+(?:pakistani\s+|security\s+)?(?:forces|troops|army|military)\s+of\b|"
    r"\b(?:shelling|airstrikes?|drone\s+strikes?|operation)\s+by\s+(?:pakistani\s+|"
    r"security\s+)?(?:forces|troops|army|military)\b", re.IGNORECASE)


def find_actors(text: str) -> list[str]:
    """Return the canonical actors a text names, in order of first mention."""
    first: dict[str, int] = {}
    for match in _ACRONYM_TOKEN.finditer(text) if _ANY_ACRONYM.search(text) else ():
        actor = ACTOR_ACRONYMS.get(match.group())
        if actor and actor not in first:
            first[actor] = match.start()
    for match in _NAMES.finditer(text):  # pre-tested for the words the names contain (see prefilter.py)
        actor = _NAME_ORDER[int(str(match.lastgroup)[1:])]
        if actor not in first or match.start() < first[actor]:
            first[actor] = match.start()
    return sorted(first, key=first.__getitem__)


_REFERENCE = compile_prefiltered(r"\b(?:the|a|this)\s+(?:banned|proscribed|outlawed|separatist|militant|insurgent)?\s*"
                                 r"(?:outfit|group|organi[sz]ation)\b", re.IGNORECASE)


def claimed_actor(text: str, *, previous: str | None = None) -> str | None:
    """The group a sentence says claimed responsibility, or None.

    Parameters
    ----------
    text
        One sentence.
    previous
        The group the article named last: a claim by reference ("the banned
        outfit claimed responsibility") is that group's.
    """
    if not _CLAIM.search(text):
        return None
    actors = find_actors(text)
    if actors:
        return actors[0]
    return previous if previous and _REFERENCE.search(text) else None


_SPEECH_AFTER_CLAIM = compile_prefiltered(r"\b(?:saying|said|stating|adding|claiming)\b", re.IGNORECASE)


def claim_account_start(text: str) -> int | None:
    """Where a claim's own account of the attack begins ("... claimed responsibility, saying its fighters
    had targeted a convoy": at "saying"), or None when the sentence makes no claim or gives no account."""
    claim = _CLAIM.search(text)
    if claim is None:
        return None
    speech = _SPEECH_AFTER_CLAIM.search(text, claim.end())
    return speech.start() if speech else None


def state_actor(text: str) -> bool:
    """True when a sentence has the state's forces doing the violence (not suffering it)."""
    return bool(_FORCES_DOING.search(text) or _FORCES_SAID_DOING.search(text) or _FORCES_ACCUSED.search(text))
