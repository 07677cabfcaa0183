"""The extraction lexicon: every cue word list, read from small CSV files.

Each file in ``geoconflict/extract/lexicon/`` has the columns ``term, role, note,
example``: a word or phrase, what it signals, why, and a sentence written for
the project that shows it. Rules in the extraction modules read their word lists
from here, so a list is changed in one place and reviewed as data.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["LexiconEntry", "lexicon", "pattern", "roles", "term_patterns", "terms"]


@dataclass(frozen=True)
class LexiconEntry:
    """One row of a lexicon file."""

    term: str
    role: str
    note: str
    example: str


@lru_cache(maxsize=None)
def lexicon(name: str) -> tuple[LexiconEntry, ...]:
    """Return the rows of lexicon file ``name`` (without ``.csv``), in file order.

    Raises
    ------
    FileNotFoundError
        When no such lexicon file is installed.
    """
    source = resources.files("geoconflict.extract").joinpath("lexicon", f"{name}.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        return tuple(LexiconEntry(row["term"].strip(), row["role"].strip(), row.get("note") or "",
                                  row.get("example") or "")
                     for row in csv.DictReader(handle) if row.get("term", "").strip())


@lru_cache(maxsize=None)
def terms(name: str, role: str | None = None) -> frozenset[str]:
    """The terms of a lexicon file (lower case), optionally only those with ``role``."""
    return frozenset(e.term.lower() for e in lexicon(name) if role is None or e.role == role)


@lru_cache(maxsize=None)
def roles(name: str) -> dict[str, str]:
    """Term (lower case) -> role of a lexicon file; the first row of a term wins."""
    table: dict[str, str] = {}
    for entry in lexicon(name):
        table.setdefault(entry.term.lower(), entry.role)
    return table


@lru_cache(maxsize=None)
def term_patterns(name: str, role: str | None = None) -> tuple[str, ...]:
    """The regular expression of each of a lexicon's terms (longest first).

    Terms are literal phrases: spaces match any run of white space; a term
    written between slashes (``/shot\\s+dead/``) is used as a regular expression.
    """
    parts = []
    for entry in lexicon(name):
        if role is not None and entry.role != role:
            continue
        term = entry.term
        if len(term) > 2 and term.startswith("/") and term.endswith("/"):
            parts.append(term[1:-1])
        else:
            parts.append(r"\s+".join(re.escape(word) for word in term.split()))
    parts.sort(key=len, reverse=True)
    return tuple(parts)


@lru_cache(maxsize=None)
def pattern(name: str, role: str | None = None) -> str:
    """A regular-expression alternation of a lexicon's terms (longest first; see :func:`term_patterns`)."""
    parts = term_patterns(name, role)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"
