"""Place-name normalisation and transliteration-aware matching keys.

Three forms of a name are used by the resolver:

``normalize_name``
    Lower case, no accents or punctuation, possessive ``'s`` removed, and the
    admin words (district, tehsil, area, city, ...) dropped as whole words:
    ``"Quetta's Sariab area"`` -> ``"quetta sariab"``.
``match_key``
    The normalised name with the spelling variants common in English
    transliterations of South Asian names folded together (Baluch/Baloch, kh/k,
    q/k, oo/u, o/u, ee/i, aa/a, w/v, dh/d, ai/e, y/i, doubled letters, spaces,
    an "h" after a vowel before a consonant, and the Pashto village word
    killi/kili/kali/kalay, the Persian connector -i-/-e-): ``"Musakhail"`` and ``"Musa Khel"`` both give
    ``"musakel"``; the census's ``"DERA ALLAH YAR"`` and the press's
    ``"Dera Allayar"`` give one key, as do ``"Othal"`` and ``"Uthal"``.
``skeleton``
    The match key without vowels after the first letter, the blocking key that
    narrows fuzzy matching (``"noshki"`` and ``"nushki"`` -> ``"nshk"``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["ADMIN_WORDS", "CONNECTOR_WORDS", "GENERIC_WORDS", "QUALIFIER_WORDS", "clean_text", "deletion_variants", "is_generic",
           "match_key", "normalize_name", "place_words", "skeleton"]


def place_words(role: str) -> frozenset[str]:
    """Words of ``gazetteer/place_words.csv`` with a role: ``admin`` (a unit's type, dropped when names are
    matched), ``suffix`` (belongs to the mention it follows), ``locality`` (makes the capitalised name before
    it a place), ``route`` (makes the names before it a route), ``generic`` (a settlement noun that alone names
    nothing), ``qualifier`` (tells same-named settlements apart). One table for the normalizer, the resolver
    and the mention spotter."""
    return _place_words().get(role, frozenset())


@lru_cache(maxsize=1)
def _place_words() -> dict[str, frozenset[str]]:
    from .districts import read_gazetteer_table  # finds the tables installed or in a source checkout

    table: dict[str, set[str]] = {}
    for row in read_gazetteer_table("place_words.csv"):
        table.setdefault(row["role"].strip(), set()).add(row["term"].strip().lower())
    return {role: frozenset(words) for role, words in table.items()}


#: Words that describe a unit's type rather than name it; dropped as whole words.
ADMIN_WORDS = place_words("admin")

#: Common nouns for a settlement or a water channel in the region's languages ("killi" village in Pashto and
#: Brahui, "goth" in Sindhi and Balochi, "basti", "deh", "dhok", "mohalla" neighbourhood, "karez" an underground
#: channel): they start many names ("Killi Luqman") but alone name nothing. Normalised spellings; the
#: village word's other spellings (kili, kalay, ...) share its match key.
GENERIC_WORDS = place_words("generic")

#: Words that tell same-named settlements apart ("Daraban Kalan" is the larger village by Daraban, "Kili
#: Khurd" the smaller; old/new, upper/lower, east/west/north/south, inner/outer in Urdu, Persian and
#: Sindhi as the census and the press write them). A name that is unknown with one of them is placed
#: near the place named without it. Normalised spellings.
QUALIFIER_WORDS = place_words("qualifier")

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Ordered rewrites: digraphs first, then vowels, then single letters.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("baluch", "baloch"), ("qu", "kw"), ("q", "k"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("bh", "b"), ("th", "t"),
    ("ph", "f"), ("jh", "j"), ("zh", "z"), ("ck", "k"), ("w", "v"),
    ("ee", "i"), ("oo", "u"), ("ou", "u"), ("aa", "a"), ("ai", "e"), ("ay", "e"), ("ey", "e"),
    ("y", "i"), ("o", "u"),
)
#: Spellings of the Pashto word for village ("Killi Luqman", "Nawa Kali", "Kalay"), folded as whole words.
_VILLAGE_WORD = re.compile(r"\b(?:killi|kili|kelay|kalay|kallay|killay|kali|kille)\b")
#: The Persian connector between two words, written "-i-", "-e-", "-ee-", "-y-" or joined to the first word
#: ("Dasht-i-Goran", "Dasht-e-Goran", "Dashte Goran"): folded to a joined "e".
CONNECTOR_WORDS = frozenset({"i", "e", "ee", "y", "ye"})
_CONNECTOR = re.compile(r"(?<=[a-z]) (?:" + "|".join(sorted(CONNECTOR_WORDS)) + r") (?=[a-z])")
#: An "h" after a vowel and before a consonant or the end is often dropped ("Allah Yar" / "Allayar").
_SILENT_H = re.compile(r"(?<=[aeiou])h(?![aeiou])")
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")


def clean_text(text: str) -> str:
    """Return ``text`` with control characters replaced by spaces and spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def normalize_name(name: str, *, keep_admin_words: bool = False) -> str:
    """Normalise a place name for comparison.

    Parameters
    ----------
    name
        A place name or phrase as written, e.g. ``"Kalat's Manguchar area"``.
    keep_admin_words
        Keep words such as "town" and "district" (``"Hazara Town"`` is a name); a leading
        "the" is dropped all the same.

    Returns
    -------
    str
        Lower-case ASCII words separated by single spaces, with accents,
        punctuation, possessives and admin words removed. Letters of other
        scripts are dropped, so the result may be empty.
    """
    text = unicodedata.normalize("NFKD", clean_text(name).translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _POSSESSIVE.sub("", text)
    text = text.encode("ascii", "ignore").decode("ascii")
    words = [w for w in _NON_ALNUM.sub(" ", text).split() if keep_admin_words or w not in ADMIN_WORDS]
    if words[:1] == ["the"] and len(words) > 1:  # "the Marri area" is the place called "Marri area"
        words = words[1:]
    return " ".join(words)


def match_key(normalized: str) -> str:
    """Fold transliteration variants of an already normalised name.

    Parameters
    ----------
    normalized
        Output of :func:`normalize_name`.

    Returns
    -------
    str
        The key, without spaces: equal keys mean "the same name, spelt another way".
    """
    key = _CONNECTOR.sub("e ", _VILLAGE_WORD.sub("kili", normalized)).replace(" ", "")
    key = _SILENT_H.sub("", key)
    for old, new in _FOLDS:
        key = key.replace(old, new)
    return _DOUBLED.sub(_first, key)


def is_generic(key: str) -> bool:
    """True when a match key is that of a common noun of :data:`GENERIC_WORDS` (in any spelling)."""
    return key in _GENERIC_KEYS


def _first(match: re.Match[str]) -> str:
    return match.group(1)


def skeleton(key: str) -> str:
    """Return the consonant skeleton of a match key: its first letter, then no vowels."""
    return key[:1] + _VOWELS.sub("", key[1:]) if key else ""


def deletion_variants(text: str) -> set[str]:
    """Return ``text`` and every string made by deleting one of its characters.

    Two strings within one insertion, deletion or substitution of each other
    share at least one variant, which makes this a blocking key whose cost
    does not grow with the gazetteer.
    """
    variants = {text}
    variants.update(text[:i] + text[i + 1:] for i in range(len(text)))
    return variants


_GENERIC_KEYS = frozenset(match_key(w) for w in GENERIC_WORDS)
