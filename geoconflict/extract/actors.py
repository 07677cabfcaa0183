"""Armed actors: canonical group names from claims, attributions and aliases."""

from __future__ import annotations

import re

__all__ = ["ACTORS", "find_actors", "claimed_actor", "state_actor", "SECURITY_FORCES", "UNKNOWN_ACTOR"]

SECURITY_FORCES = "security forces"
UNKNOWN_ACTOR = "unknown"

_BALOCH = r"(?:baloch|baluch|balochistan|baluchistan|balochestan)"
#: Canonical actor -> patterns (case-insensitive, whole words). Order matters: longer names first.
ACTORS: dict[str, list[str]] = {
    "BRAS": [r"baloch\s+raji\s+aajoi\s+sangar", r"\bBRAS\b"],
    "BLA": [rf"{_BALOCH}\s+liberation\s+army", r"\bBLA(?:-J|-A)?\b", r"majeed\s+brigade", r"fateh\s+squad",
            r"\bSTOS\b"],
    "BLF": [rf"{_BALOCH}\s+liberation\s+front", r"\bBLF\b"],
    "BRG": [rf"{_BALOCH}\s+republican\s+guards?", r"\bBRG\b"],
    "BRA": [rf"{_BALOCH}\s+republican\s+army", r"\bBRA\b"],
    "BLT": [rf"{_BALOCH}\s+liberation\s+tigers", r"\bBLT\b"],
    "UBA": [r"united\s+baloch\s+army", r"\bUBA\b"],
    "TTP": [r"tehr[ie]e?k[-\s]+[ei][-\s]+taliban(?:[-\s]+pakistan)?", r"pakistani\s+taliban", r"\bTTP\b"],
    "ISKP": [r"islamic\s+state[-\s]+(?:khorasan|khurasan)(?:\s+province)?", r"\bISKP\b", r"\bIS-?K\b",
             r"\bdaesh\b", r"\bISIS-K\b"],
    "LeJ": [r"lashkar[-\s]+e[-\s]+jhangvi", r"\bLeJ\b"],
}
# Acronyms (upper-case patterns) match case-sensitively so "bla bla" or "Bra" do not count.
_COMPILED = {
    actor: [re.compile(p, 0 if any(c.isupper() for c in p.replace(r"\b", "")) else re.IGNORECASE)
            for p in patterns]
    for actor, patterns in ACTORS.items()
}
_CLAIM = re.compile(r"claim(?:ed|s|ing)?\s+(?:the\s+)?responsibility|owned\s+(?:up\s+)?(?:the\s+)?(?:attack|"
                    r"responsibility)|accepted\s+responsibility", re.IGNORECASE)
_FORCES_DOING = re.compile(
    r"\b(?:security\s+forces|pakistani\s+(?:forces|troops|army|military)|troops|the\s+army|the\s+military|"
    r"police|counter[-\s]terrorism\s+department|CTD|FC|frontier\s+corps|soldiers)\b"
    r"(?:(?!\b(?:were|was|been|being|are|is)\b)[^.;]){0,60}?\b(?:"
    r"retaliat\w*|neutrali[sz]\w*|kill\w*|shell\w*|launch\w*\s+(?:an?\s+)?(?:operation|offensive|strikes?)|"
    r"raid\w*|arrest\w*|bomb\w*|target\w*|conduct\w*\s+(?:an?\s+)?operation|opened\s+fire)", re.IGNORECASE)
_FORCES_ACCUSED = re.compile(r"\baccus\w+\s+(?:pakistani\s+|security\s+)?(?:forces|troops|army|military)\s+of\b|"
                             r"\b(?:shelling|airstrikes?|drone\s+strikes?|operation)\s+by\s+(?:pakistani\s+|"
                             r"security\s+)?(?:forces|troops|army|military)\b", re.IGNORECASE)


def find_actors(text: str) -> list[str]:
    """Return the canonical actors a text names, in order of first mention."""
    found: list[tuple[int, str]] = []
    for actor, patterns in _COMPILED.items():
        positions = [m.start() for p in patterns for m in p.finditer(text)]
        if positions:
            found.append((min(positions), actor))
    return [actor for _, actor in sorted(found)]


def claimed_actor(text: str) -> str | None:
    """The group a sentence says claimed responsibility, or None."""
    if not _CLAIM.search(text):
        return None
    actors = find_actors(text)
    return actors[0] if actors else None


def state_actor(text: str) -> bool:
    """True when a sentence has the state's forces doing the violence (not suffering it)."""
    return bool(_FORCES_DOING.search(text) or _FORCES_ACCUSED.search(text))
