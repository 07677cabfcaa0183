"""Regular expressions that skip text lacking a word every match needs.

The cue lists of the extraction (``lexicon/*.csv``) compile to long
alternations such as ``\\bhad\\s+(?:also\\s+)?(?:killed|attacked)\\b|...``.
Python's ``re`` tries each alternative at each position of a sentence, so most
of their cost is spent on sentences where nothing matches. Every match of such
a pattern contains some literal run of characters (``"had"`` above); a C-speed
substring test for those runs tells, before the regex runs, that it cannot
match. :func:`compile_prefiltered` finds the runs from the parsed pattern and
answers exactly as the compiled pattern would: a pattern it cannot reason
about, or text it cannot fold safely, goes straight to the regex.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

try:  # Python 3.11+
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

__all__ = ["AnyPattern", "PrefilteredPattern", "compile_any", "compile_prefiltered", "fold_case"]

#: The shortest run worth testing for: shorter runs are in nearly every sentence.
MIN_NEEDLE = 3
#: Characters that ``re.IGNORECASE`` matches to an ASCII letter but ``str.lower`` does not fold to it.
_FOLDS = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0307": None})  # "İ".lower() is "i" and a combining dot


#: The last text folded and its fold: the patterns of one sentence are tested one after the other on it.
_last_fold: tuple[str, str] = ("", "")


def fold_case(text: str) -> str:
    """Lower-case ``text`` so that a run an IGNORECASE pattern matches is in it as its lower-case form."""
    global _last_fold
    last = _last_fold  # one read of one tuple: safe when threads share it
    if last[0] is text:
        return last[1]
    lowered = text.lower()
    folded = lowered if lowered.isascii() else lowered.translate(_FOLDS)
    _last_fold = (text, folded)
    return folded


def _needles(items: Any, ignore_case: bool) -> frozenset[str] | None:
    """Runs of which at least one occurs in every match of the parsed sequence ``items``, or None."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, value in items:
        if op is _sre.LITERAL and chr(value).isascii():
            run.append(chr(value).lower() if ignore_case else chr(value))
            continue
        close_run()
        found: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, inner = value
            if not (add_flags | del_flags) & re.IGNORECASE:
                found = _needles(inner, ignore_case)
        elif op is _sre.BRANCH:
            union: set[str] = set()
            for alternative in value[1]:
                part = _needles(alternative, ignore_case)
                if part is None:
                    union = set()
                    break
                union |= part
            found = frozenset(union) or None
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            found = _needles(value[2], ignore_case)
        elif getattr(_sre, "ATOMIC_GROUP", None) is op:
            found = _needles(value, ignore_case)
        elif getattr(_sre, "POSSESSIVE_REPEAT", None) is op and value[0] >= 1:
            found = _needles(value[2], ignore_case)
        if found is not None:
            candidates.append(found)
    close_run()
    if not candidates:
        return None
    # the set whose shortest run is longest (fewest sets on a tie) rejects the most text
    return max(candidates, key=lambda needles: (min(map(len, needles)), -len(needles)))


class PrefilteredPattern:
    """A compiled pattern that first tests the text for a run every match contains.

    Behaves as the :class:`re.Pattern` it wraps for ``search``, ``match``,
    ``fullmatch``, ``finditer``, ``findall`` and ``sub``; other attributes are
    the pattern's own.
    """

    __slots__ = ("compiled", "needles", "_ignore_case", "_tests")

    def __init__(self, compiled: re.Pattern[str], needles: frozenset[str] | None) -> None:
        self.compiled = compiled
        self.needles = needles
        self._ignore_case = bool(compiled.flags & re.IGNORECASE)
        # shortest first: a short run is the likeliest to be found, and a plain loop that stops at the
        # first one found is twice as fast as any() over a generator
        self._tests: tuple[str, ...] = tuple(sorted(needles, key=lambda run: (len(run), run))) if needles else ()

    def __repr__(self) -> str:
        return f"PrefilteredPattern({self.compiled.pattern[:60]!r}, needles={sorted(self.needles or ())[:5]})"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)

    def could_match(self, text: str) -> bool:
        """False when ``text`` lacks every needle, so that the pattern cannot match anywhere in it."""
        if self.needles is None:
            return True
        probe = fold_case(text) if self._ignore_case else text
        for needle in self._tests:
            if needle in probe:
                return True
        return False

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos) if self.could_match(string) else None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos) if self.could_match(string) else None

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos) if self.could_match(string) else None

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos) if self.could_match(string) else iter(())

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos) if self.could_match(string) else []

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count) if self.could_match(string) else string


def compile_prefiltered(pattern: str, flags: int = 0) -> PrefilteredPattern | re.Pattern[str]:
    """Compile ``pattern`` (as :func:`re.compile`) with a substring pre-test of the runs every match needs.

    A pattern with no run of at least :data:`MIN_NEEDLE` characters that every
    match contains is returned as the plain compiled pattern.
    """
    compiled = re.compile(pattern, flags)
    try:
        needles = _needles(_sre_parse.parse(pattern, flags).data, bool(compiled.flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - a parser detail we do not know: no pre-test, same answers
        needles = None
    if needles is None or min(map(len, needles)) < MIN_NEEDLE:
        return compiled
    return PrefilteredPattern(compiled, needles)


class AnyPattern:
    """Several patterns asked one question: does any of them match? Each is pre-tested on its own runs,
    so a long list of cues costs about as much as the few whose words a text holds (one alternation of
    them all is tried at every position of the text, whatever its words)."""

    __slots__ = ("patterns",)

    def __init__(self, patterns: tuple[PrefilteredPattern | re.Pattern[str], ...]) -> None:
        self.patterns = patterns

    def found(self, string: str) -> bool:
        """Whether any of the patterns matches somewhere in ``string`` (as their alternation would)."""
        for pattern in self.patterns:
            if pattern.search(string):
                return True
        return False


def compile_any(patterns: tuple[str, ...], flags: int = 0) -> AnyPattern:
    """Compile each of ``patterns`` (see :func:`compile_prefiltered`) for :meth:`AnyPattern.found`."""
    return AnyPattern(tuple(compile_prefiltered(pattern, flags) for pattern in patterns))
