"""Resolve place mentions to districts: exact names, aliases, then blocked fuzzy matching.

Steps for one mention (each step ends the search when it decides):

1. Reject what cannot be a name (empty, too long, no Latin letters, no letters)
   and common nouns alone (``"Killi"``, ``"Karez"``).
2. Exact match of the name with its admin words kept (``"Hazara Town"``).
3. Known non-places (groups, forces, newspapers, ethnonyms, tribes): unresolved;
   a census village of that name never wins, nor does a place that only
   matches through spelling folds ("Pathan" is not "Patan").
4. Exact match with admin words dropped (``"Mastung district"`` -> Mastung);
   an acronym (``"DIG"``) is not the census village it spells.
5. Initials and a last word (``"D.G. Khan"``) for a town, tehsil or district.
6. Name-shape rules for non-places (``"... Army"``, ``"Mr ..."``, ``"... Baloch"``),
   except where the surname-like word ends the outer place of a compound
   (``"Sui area of Dera Bugti"``).
7. Compound phrases: ``"Apsar, Turbat"``, ``"Chatkan area of Panjgoor"``,
   ``"Kalat's Manguchar area"`` -- the inner place is kept when it lies in the
   outer one; an unknown inner place inherits the outer place.
8. Fuzzy matching (rapidfuzz) over the candidates that share a blocking key
   (consonant skeleton within one edit), so the cost does not grow with the
   gazetteer; a name and its ``-i`` demonym (Dasht, Dashti) are not variants.
9. A qualifier word (``"Daraban Kalan"``): near the place named exactly without it.

Ties are broken by region bias (default Balochistan), then Pakistan over
abroad, then kind (district, province, town, tehsil, area). Candidates in
different districts that stay tied make the result ``ambiguous``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz

from .config import _UNSET, PROVINCE, Settings, resolve_settings
from .districts import read_gazetteer_table
from .gazetteer_index import KIND_RANK, Gazetteer, NameEntry, Place, load_gazetteer
from .normalize import (
    ADMIN_WORDS,
    CONNECTOR_WORDS,
    QUALIFIER_WORDS,
    clean_text,
    deletion_variants,
    is_generic,
    match_key,
    normalize_name,
    skeleton,
)

if TYPE_CHECKING:
    import pandas as pd

    from .districts import DistrictSource
    from .geocoder import GeocoderFallback

__all__ = ["RESOLUTION_COLUMNS", "Candidate", "Resolution", "Resolver", "resolutions_to_frame", "resolve_places"]

logger = logging.getLogger(__name__)

Status = Literal["resolved", "ambiguous", "unresolved"]

#: Columns of a resolution table, in order (``--format csv/json`` keys).
RESOLUTION_COLUMNS = (
    "query", "status", "admin1", "admin2", "admin2_id", "admin3", "geo_precision", "latitude",
    "longitude", "score", "method", "candidates", "matched_name", "kind", "country", "reason",
)

MAX_NAME_LENGTH = 120
FUZZY_THRESHOLD = 88.0
MIN_FUZZY_KEY = 5
TOP_CANDIDATES = 5
#: A tie between places in different districts goes to the most populous one only if it has at
#: least this many times the population of the next one.
POPULATION_MARGIN = 2.0
#: A census village never wins over a Pakistani town of at least this population.
VILLAGE_OUTRANKED_BY = 50_000
_OUTRANK_VILLAGES = frozenset({"province", "district", "division", "region", "country", "foreign"})
#: Kinds a qualified name ("X Kalan") can be placed near: settlements, not units or regions.
_SETTLEMENT_KINDS = frozenset({"town", "tehsil", "village", "area", "district"})
_LINK_WORDS = frozenset({"in", "of", "at", "near", "the", "on"})

_ORG_WORDS = frozenset({
    "army", "front", "liberation", "corps", "police", "levies", "post", "news", "times", "tribune",
    "party", "movement", "organisation", "organization", "group", "brigade", "squad", "forces",
    "force", "ministry", "minister", "government", "council", "committee", "company", "agency",
    "spokesman", "spokesperson", "militants", "insurgents", "soldiers", "security", "taliban",
    "islamic", "state", "guard", "guards", "tigers", "republican", "sangar",
})
_PERSON_TITLES = frozenset({"mr", "mrs", "ms", "dr", "sardar", "nawab", "maulana", "molana", "prof",
                            "minister", "chief", "president", "senator", "sahib"})
_PERSON_SURNAMES = frozenset({"khan", "baloch", "baluch", "bugti", "marri", "mengal", "shah", "jan"})
_PERSON_SHAPE = "looks like a person's name"
_TRAILING_ADMIN = re.compile(r"\s+(?:district|city|town|tehsil)$", re.IGNORECASE)
_ACRONYM = re.compile(r"(?:[Tt]he\s+)?[A-Z]{2,4}")
#: "D.G. Khan", "DG Khan", "D. I. Khan": one to three initials (dotted, spaced or as one capital run), one word.
_INITIALS = re.compile(r"(?P<initials>(?:[A-Z]\.?\s*){1,3}?|[A-Z]{2,3}\s+)(?P<last>[A-Z][a-z]+)")
#: Kinds a name followed by "province" can mean: a province, or a region (or province) abroad.
_PROVINCE_KINDS = frozenset({"province", "region", "foreign"})
_COMPOUND_SPLIT = re.compile(r"\s*,\s*|\s+(?:in|of|near|at|inside|outside|on)\s+(?:the\s+)?", re.IGNORECASE)
_POSSESSIVE_SPLIT = re.compile(r"(?<=\w)[\u2019']s\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A gazetteer place considered for a mention, with its score (0-100)."""

    name: str
    matched: str
    kind: str
    admin1: str | None
    admin2: str | None
    admin2_id: str | None
    country: str
    score: float
    method: str
    admin3: str | None = None
    population: int = 0


@dataclass(frozen=True)
class Resolution:
    """The answer for one place mention.

    Attributes
    ----------
    query
        The mention as given.
    status
        ``resolved``, ``ambiguous`` (tied candidates in different districts) or
        ``unresolved`` (see ``reason``).
    admin1, admin2, admin2_id, admin3
        Province, district, district id (join key to the district layer), tehsil.
    geo_precision
        1 town or point, 2 tehsil or area, 3 district, 4 province only.
    latitude, longitude
        Point to draw the mention at (EPSG:4326).
    score
        Match score, 0-100 (100 for exact names and aliases).
    method
        How it was decided: exact, alias, fuzzy, compound, non-place, foreign,
        qualifier (``"Daraban Kalan"`` placed near Daraban), landmark, site (an unknown site name placed where
        its article placed that kind of site), geocoder, invalid or none.
    candidates
        The best candidates considered, best first.
    matched_name, kind, country
        The gazetteer place chosen, its kind and country.
    reason
        Why the mention is unresolved or ambiguous, or how a compound was read.
    """

    query: str
    status: Status
    admin1: str | None = None
    admin2: str | None = None
    admin2_id: str | None = None
    admin3: str | None = None
    geo_precision: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    score: float = 0.0
    method: str = "none"
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)
    matched_name: str | None = None
    kind: str | None = None
    country: str | None = None
    reason: str | None = None

    @property
    def resolved(self) -> bool:
        """True when the mention was placed on a district or province."""
        return self.status == "resolved"

    def to_dict(self) -> dict[str, object]:
        """Return the resolution as plain data (candidates as a list of dicts)."""
        data = asdict(self)
        data["candidates"] = [asdict(c) for c in self.candidates]
        return {key: data[key] for key in RESOLUTION_COLUMNS}


def _unresolved(query: str, reason: str, method: str = "none",
                candidates: tuple[Candidate, ...] = ()) -> Resolution:
    return Resolution(query=query, status="unresolved", method=method, reason=reason, candidates=candidates)


class Resolver:
    """Resolve place mentions against a :class:`~geoconflict.gazetteer_index.Gazetteer`.

    Parameters
    ----------
    gazetteer
        The gazetteer to search.
    bias
        Province preferred when candidates tie (default ``"Balochistan"``);
        ``None`` for no preference.
    fuzzy_threshold
        Minimum fuzzy score (0-100) to accept a spelling variant.
    cache_size
        Number of distinct mentions whose result is remembered.

    Examples
    --------
    >>> resolver = Resolver.from_gazetteer()                  # doctest: +SKIP
    >>> resolver.resolve("Panjgoor").admin2                   # doctest: +SKIP
    'Panjgur'
    """

    def __init__(self, gazetteer: Gazetteer, *, bias: str | None = PROVINCE,
                 fuzzy_threshold: float = FUZZY_THRESHOLD, cache_size: int = 200_000,
                 geocoder: GeocoderFallback | None = None) -> None:
        self.gazetteer = gazetteer
        self.geocoder = geocoder
        self.bias = bias
        self.fuzzy_threshold = fuzzy_threshold
        self._cache: dict[str | tuple[str, tuple[str, ...]], Resolution] = {}
        self._units: dict[tuple[str, ...], frozenset[str]] = {}
        self._place_by_candidate: dict[Candidate, Place] = {}
        self._skeletons: dict[str, str] = {}
        self._initials_by: dict[tuple[str, str], list[Candidate]] | None = None
        self._depth = 0
        self._cache_size = cache_size

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer | None = None, *,
                       data_dir: str | os.PathLike[str] | None = None,
                       district_source: DistrictSource | None = None,
                       aliases: str | os.PathLike[str] | None = None,
                       bias: object = _UNSET, settings: Settings | None = None) -> Resolver:
        """Build a resolver, loading the gazetteer when none is given.

        Parameters
        ----------
        gazetteer
            A gazetteer; default :func:`~geoconflict.gazetteer_index.load_gazetteer`.
        data_dir, district_source, aliases
            Passed to ``load_gazetteer`` when ``gazetteer`` is None.
        bias
            Province preferred on ties (None for none); default ``settings.province``.
        settings
            Settings resolved once by the caller (default: the environment);
            ``data_dir``, ``district_source`` and ``bias`` override them.
        """
        settings = resolve_settings(settings, data_dir=data_dir, district_source=district_source, province=bias)
        if gazetteer is None:
            gazetteer = load_gazetteer(aliases=aliases, settings=settings)
        return cls(gazetteer, bias=settings.province)

    # ------------------------------------------------------------------ public

    def resolve(self, name: object, *, context: Iterable[str] | None = None) -> Resolution:
        """Resolve one mention; never raises for bad input.

        Parameters
        ----------
        name
            The place phrase as written. Non-strings are unresolved.
        context
            Districts or tehsils named near the mention (same phrase or
            article), e.g. ``["Tump"]`` for "Gomazi". When several places
            match equally well, one lying in a context district or tehsil
            wins; then a place at least twice as populous as every rival
            (census or GeoNames population); otherwise the result is
            ``ambiguous`` with the candidates.

        Returns
        -------
        Resolution
        """
        if not isinstance(name, str):
            return _unresolved(str(name), f"not text ({type(name).__name__})", "invalid")
        ctx = tuple(sorted({c for c in context if isinstance(c, str) and c.strip()})) if context else ()
        key: str | tuple[str, tuple[str, ...]] = (name, ctx) if ctx else name
        result = self._cache.get(key)
        if result is None:
            self._depth += 1
            try:
                result = self._resolve(name, ctx)
            finally:
                self._depth -= 1
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
                self._place_by_candidate.clear()
            self._cache[key] = result
        # only whole mentions go to the geocoder (it caches its own answers), not the parts tried
        # while reading a phrase
        if self.geocoder is not None and self._depth == 0 and result.status == "unresolved" \
                and result.method == "none":
            return self._geocode(name, result)
        return result

    def resolve_many(self, names: Iterable[object]) -> list[Resolution]:
        """Resolve several mentions, in input order."""
        return [self.resolve(name) for name in names]

    def candidates(self, name: str, *, limit: int = TOP_CANDIDATES) -> list[Candidate]:
        """Return the best candidates for a name (exact and fuzzy), best first."""
        normalized = normalize_name(name)
        key = match_key(normalized)
        found = self._exact(key, self.gazetteer.index, name) or self._fuzzy(key, name)
        return self._rank(found)[:limit]

    # ------------------------------------------------------------------ steps

    def _geocode(self, query: str, unresolved: Resolution) -> Resolution:
        """Ask the optional online geocoder for a name the gazetteer does not know."""
        assert self.geocoder is not None
        answer = self.geocoder.geocode(clean_text(query))
        if answer is None:
            return _replace(unresolved, reason=f"{unresolved.reason}; the geocoder knows no such place in Pakistan")
        where = self.geocoder.place(answer)
        if where is None:
            return _replace(unresolved, reason=f"{unresolved.reason}; the geocoder's point "
                                               f"({answer['latitude']}, {answer['longitude']}) is in no district")
        return Resolution(query=query, status="resolved", latitude=answer["latitude"],
                          longitude=answer["longitude"], score=0.0, method="geocoder",
                          matched_name=answer["name"], kind=answer.get("type") or "geocoded", country="Pakistan",
                          reason=f"from the {self.geocoder.service} geocoder", **where)

    def _context_units(self, context: tuple[str, ...]) -> frozenset[str]:
        """Districts and tehsils the context names resolve to."""
        units = self._units.get(context)
        if units is None:
            found: set[str] = set()
            for name in context:
                result = self.resolve(name)
                if result.resolved and result.kind in ("district", "tehsil", "town"):
                    found.update(u for u in (result.admin2, result.admin3) if u)
            units = self._units[context] = frozenset(found)
        return units

    def _resolve(self, query: str, context: tuple[str, ...] = ()) -> Resolution:
        text = clean_text(query)
        if not text:
            reason = "empty name" if not query.strip() else "only control characters"
            return _unresolved(query, reason, "invalid")
        if len(text) > MAX_NAME_LENGTH:
            return _unresolved(query, f"too long to be a place name ({len(text)} characters)", "invalid")
        full_norm = normalize_name(text, keep_admin_words=True)
        if not full_norm:
            if any(ch.isalpha() for ch in text):
                return _unresolved(query, "no Latin-script letters (only names in Latin script are supported)",
                                   "invalid")
            return _unresolved(query, "no letters", "invalid")
        if not any(ch.isalpha() for ch in full_norm):
            return _unresolved(query, "no letters (digits or symbols only)", "invalid")

        normalized = " ".join(w for w in full_norm.split() if w not in ADMIN_WORDS)
        non_place = self.gazetteer.non_places.get(full_norm) or self.gazetteer.non_places.get(normalized)
        shape = _non_place_shape(full_norm)
        acronym = _acronym_shape(text)
        if shape == _PERSON_SHAPE and self._names_outer_place(text):
            shape = None  # "Sui area of Dera Bugti": the surname-like word ends a place, not a person
        key = match_key(normalized)
        if is_generic(key):
            return _unresolved(query, f"not a place: {normalized!r} is a common noun (village, channel, ...), "
                                      "not a name", "non-place")
        full_key = key if full_norm == normalized else match_key(full_norm)
        exact = self._exact(full_key, self.gazetteer.full_index, text)
        # "Pathan" (an ethnonym) is not the town "Patan": a non-place spelt as written beats a place
        # that only matches through spelling folds
        if non_place:
            exact = [c for c in exact if normalize_name(c.matched, keep_admin_words=True) == full_norm]
        if exact and not ((non_place or shape or acronym) and all(c.kind == "village" for c in exact)):
            return self._decide(query, exact, context)
        if non_place:
            return _unresolved(query, f"not a place: {non_place}", "non-place")
        if not normalized:
            return _unresolved(query, "only admin words (district, area, ...), no name", "invalid")
        exact = self._exact(key, self.gazetteer.index, text)
        if exact and full_norm.split()[-1] == "province":
            # "Khost province" is the Afghan province, not the Harnai tehsil of that name
            exact = [c for c in exact if c.kind in _PROVINCE_KINDS] or exact
        if exact and not ((shape or acronym) and all(c.kind == "village" for c in exact)):
            return self._decide(query, exact, context)
        if exact and acronym:  # "DIG" is a rank, not the census village Deegh
            return _unresolved(query, f"not a place: {acronym}, not the census village "
                                      f"{exact[0].name!r}", "non-place")
        initials = self._initials(query, text, context)
        if initials is not None:
            return initials
        outer_foreign = self._foreign_outer(query, text)
        if outer_foreign is not None:
            return outer_foreign
        landmark = self._landmark(query, full_norm, context)
        if landmark is not None:
            return landmark
        if shape:
            fuzzy = self._fuzzy(key, text)
            last = full_norm.split()[-1]
            # "Dera Ismial Khan": a misspelt place whose own name ends in the surname-like word
            # (or a census village so named, "Duba Noor Khan"; but a title alone, "Sardar", names no place)
            confident = [c for c in fuzzy if c.score >= self.fuzzy_threshold
                         and len(normalize_name(c.name).split()) >= 2
                         and normalize_name(c.name).split()[-1:] == [last]]
            if confident:
                return self._decide(query, confident, context)
            return _unresolved(query, f"not a place: {shape}", "non-place")
        compound = self._compound(query, text)
        if compound is not None:
            return compound
        fuzzy = self._fuzzy(key, text)
        decided = self._decide(query, fuzzy, context) if fuzzy else None
        if decided is None or decided.method == "none":
            qualified = self._without_qualifier(query, normalized, context)
            if qualified is not None:
                return qualified
        if decided is not None:
            return decided
        return _unresolved(query, "not in the gazetteer and no close spelling; add an alias with --aliases")

    def _without_qualifier(self, query: str, normalized: str, context: tuple[str, ...]) -> Resolution | None:
        """ "Daraban Kalan", "Khurd Chamalang": an unknown name with a qualifier word is placed near the
        settlement named exactly so without it, never more precisely than an area (precision 2)."""
        words = normalized.split()
        if len(words) < 2 or not (words[-1] in QUALIFIER_WORDS or words[0] in QUALIFIER_WORDS):
            return None
        dropped, rest = (words[-1], words[:-1]) if words[-1] in QUALIFIER_WORDS else (words[0], words[1:])
        if all(w in QUALIFIER_WORDS for w in rest):
            return None
        result = self.resolve(" ".join(rest), context=context)
        if not result.resolved or result.kind not in _SETTLEMENT_KINDS or result.method not in ("exact", "alias"):
            return None  # a guess on a guess (a misspelt name after a dropped word) is no answer
        return _replace(result, query=query, method="qualifier", geo_precision=max(result.geo_precision or 2, 2),
                        reason=f"qualifier {dropped!r} dropped; placed near "
                               f"{result.matched_name!r}")

    def _initials(self, query: str, text: str, context: tuple[str, ...]) -> Resolution | None:
        """ "D.G. Khan", "DI Khan", "R.Y. Khan": initials and a last word, for a town, tehsil or district
        whose name has those initials and that last word (Dera Ghazi Khan)."""
        match = _INITIALS.fullmatch(_TRAILING_ADMIN.sub("", text))
        if match is None:
            return None
        letters = "".join(ch for ch in match.group("initials").lower() if ch.isalpha())
        last = normalize_name(match.group("last"))
        found = self._initials_index().get((letters, match_key(last)), [])
        if not found:
            return None
        result = self._decide(query, found, context)
        if result.status == "resolved":
            return _replace(result, method="initials", reason=f"initials {match.group('initials').strip()!r} "
                                                              f"read as {result.matched_name!r}")
        return result

    def _initials_index(self) -> dict[tuple[str, str], list[Candidate]]:
        """(initials of all words but the last, match key of the last word) -> places with such a name."""
        if self._initials_by is None:
            index: dict[tuple[str, str], list[Candidate]] = {}
            for entry in self.gazetteer.names():
                place = self.gazetteer.places[entry.place_id]
                words = normalize_name(entry.text).split()
                if len(words) < 3 or place.kind not in ("town", "tehsil", "district"):
                    continue
                letters = "".join(w[0] for w in words[:-1])
                index.setdefault((letters, match_key(words[-1])), []).append(
                    self._candidate(place, entry, 100.0, "exact" if entry.via == "name" else "alias"))
            self._initials_by = index
        return self._initials_by

    def _names_outer_place(self, text: str) -> bool:
        """True when ``text`` is a compound ("inner of outer", "inner, outer") whose outer part is a place."""
        parts = [p for p in _COMPOUND_SPLIT.split(text) if p.strip()]
        return len(parts) >= 2 and self.resolve(parts[-1]).resolved

    def _foreign_outer(self, query: str, text: str) -> Resolution | None:
        """ "Qalat, Afghanistan", "Afghanistan's Khost province": when the outermost part is abroad, the
        mention is abroad."""
        possessive = _POSSESSIVE_SPLIT.split(text, maxsplit=1)
        if len(possessive) == 2:  # "outer's inner"
            outer_text = possessive[0]
        else:
            parts = [p for p in _COMPOUND_SPLIT.split(text) if p.strip()]
            if len(parts) < 2:
                return None
            outer_text = parts[-1]
        outer = self.resolve(outer_text)
        if outer.method == "foreign" and outer.country and outer.country != "Pakistan":
            return _replace(outer, query=query, method="foreign",
                            reason=f"outside Pakistan: the outer place {outer_text.strip()!r} is in {outer.country}")
        return None

    def _landmark(self, query: str, full_norm: str, context: tuple[str, ...]) -> Resolution | None:
        """ "Pasni hospital", "DHA Quetta", "Police Training College in Quetta": the place the landmark is in.

        Landmark words (``gazetteer/landmark_words.csv``) are dropped as whole
        words; the rest must resolve on its own. The result keeps the place's
        precision (a landmark is no more precise than the place named with it).
        """
        words = full_norm.split()
        roles = _landmark_words()
        if not any(roles.get(w) == "facility" for w in words):
            return None
        kept = [w for w in words if w not in roles]
        if not kept:
            return None
        while kept and kept[0] in _LINK_WORDS:
            kept = kept[1:]
        while kept and kept[-1] in _LINK_WORDS:
            kept = kept[:-1]
        if not kept:
            return None
        rest = self.resolve(" ".join(kept), context=context)
        if not rest.resolved and rest.status != "ambiguous":
            return None  # an ambiguous name stays ambiguous as a landmark, with its candidates
        dropped = " ".join(w for w in words if w in roles)
        if not rest.resolved:
            return _replace(rest, query=query, method="landmark",
                            reason=f"landmark words {dropped!r} dropped; {rest.reason}")
        return _replace(rest, query=query, method="landmark",
                        reason=f"landmark words {dropped!r} dropped; placed at {rest.matched_name!r}")

    def _exact(self, key: str, index: dict[str, list[NameEntry]], text: str) -> list[Candidate]:
        entries = index.get(key, [])
        return [self._candidate(self.gazetteer.places[e.place_id], e, 100.0,
                                "exact" if e.via == "name" else "alias") for e in entries]

    def _fuzzy(self, key: str, text: str) -> list[Candidate]:
        if len(key) < MIN_FUZZY_KEY:
            return []
        keys: set[str] = set()
        for variant in deletion_variants(skeleton(key)):
            keys |= self.gazetteer.blocks.get(variant, set())
        query_skeleton = skeleton(key)
        scored = []
        for other in sorted(keys):  # sorted: set order follows the hash seed, and ties keep it
            if other == key + "i" or key == other + "i":
                continue  # "Dasht" / "Dashti": a place and the demonym or surname made from it (-i suffix)
            # Half spelling, half consonant shape: vowels vary most between transliterations.
            other_skeleton = self._skeletons.get(other)
            if other_skeleton is None:
                other_skeleton = self._skeletons[other] = skeleton(other)
            score = 0.5 * fuzz.ratio(key, other) + 0.5 * fuzz.ratio(query_skeleton, other_skeleton)
            if score >= self.fuzzy_threshold - 10:
                for entry in self.gazetteer.index[other]:
                    scored.append(self._candidate(self.gazetteer.places[entry.place_id], entry,
                                                  round(score, 1), "fuzzy"))
        return scored

    def _compound(self, query: str, text: str) -> Resolution | None:
        """Read "inner, outer", "inner in X of outer" and "outer's inner"; None if not a compound.

        The outermost part that resolves is the anchor. The innermost part that
        resolves inside the anchor's district wins; when none does, the mention
        is placed at the anchor.
        """
        parts = _POSSESSIVE_SPLIT.split(text, maxsplit=1)
        hierarchical = len(parts) == 2  # "Kalat's Manguchar area": outer first
        if hierarchical:
            parts = [parts[1], parts[0]]
        else:
            parts = [p for p in _COMPOUND_SPLIT.split(text) if p.strip()]
            hierarchical = bool(re.search(r"\s(?:in|of|near|at|inside|outside|on)\s", text, re.IGNORECASE))
        if len(parts) < 2:
            return None
        results = [self.resolve(part) for part in parts]
        anchor = next((r for r in reversed(results) if r.resolved), None)
        if anchor is not None:
            anchor_units = tuple(u for u in (anchor.admin3, anchor.admin2) if u)
            results = [r if r is anchor or r.status != "ambiguous" else self.resolve(p, context=anchor_units)
                       for p, r in zip(parts, results)]
        if anchor is None:  # "China's Xinjiang region": say it is abroad if a part is
            foreign = next((r for r in results if r.method == "foreign"), None)
            return _replace(foreign, query=query) if foreign else None
        for part, result in zip(parts, results):
            if result is anchor:
                break
            if result.resolved and (result.admin2 == anchor.admin2 or
                                    (anchor.admin2 is None and result.admin1 == anchor.admin1)):
                return _replace(result, query=query, method="compound",
                                reason=f"{result.matched_name!r} lies in {anchor.matched_name!r}")
            if result.resolved and hierarchical:
                # "Karachi's Lyari area": the outer place is explicit; a same-named place elsewhere
                # (Liari, Lasbela) is not the one meant
                return _replace(anchor, query=query, method="compound",
                                reason=f"{part.strip()!r} is not known inside {anchor.matched_name!r} (a place of "
                                       f"that name lies in {result.admin2 or result.admin1}); placed at "
                                       f"{anchor.matched_name!r}")
            if result.resolved:
                return Resolution(query=query, status="ambiguous", method="compound",
                                  admin1=anchor.admin1 if result.admin1 == anchor.admin1 else None,
                                  candidates=result.candidates + anchor.candidates,
                                  reason=f"{result.matched_name!r} ({result.admin2}) does not lie in "
                                         f"{anchor.matched_name!r} ({anchor.admin2})")
        inner = parts[0].strip()
        return _replace(anchor, query=query, method="compound",
                        reason=f"inner place {inner!r} not in the gazetteer; placed at {anchor.matched_name!r}")

    # ------------------------------------------------------------------ ranking

    def _candidate(self, place: Place, entry: NameEntry, score: float, method: str) -> Candidate:
        candidate = Candidate(place.name, entry.text, place.kind, place.admin1, place.admin2, place.admin2_id,
                         place.country, score, method, place.admin3, place.population)
        self._place_by_candidate.setdefault(candidate, place)
        return candidate

    def _order(self, candidate: Candidate) -> tuple[float, int, int, int]:
        return (-candidate.score, 0 if self.bias and candidate.admin1 == self.bias else 1,
                0 if candidate.country == "Pakistan" else 1, KIND_RANK[candidate.kind])

    def _rank(self, candidates: list[Candidate]) -> list[Candidate]:
        best: dict[tuple[str, str | None, str | None], Candidate] = {}
        for cand in sorted(candidates, key=self._order):
            best.setdefault((cand.name, cand.kind, cand.admin2), cand)
        return list(best.values())

    def _place_of(self, candidate: Candidate) -> Place:
        known = self._place_by_candidate.get(candidate)
        if known is not None:
            return known
        for place in self.gazetteer.find(candidate.name):
            if place.kind == candidate.kind and place.admin2 == candidate.admin2 and place.name == candidate.name:
                return place
        raise LookupError(candidate)  # pragma: no cover - candidates always come from the gazetteer

    def _decide(self, query: str, found: list[Candidate], context: tuple[str, ...] = ()) -> Resolution:
        ranked = self._rank(self._drop_outranked_villages(found))
        top = ranked[0]
        shown = tuple(ranked[:TOP_CANDIDATES])
        if top.score < self.fuzzy_threshold:
            return _unresolved(query, f"no confident match (best: {top.name!r}, score {top.score:.0f})",
                               "none", shown)
        rival_rank = max(KIND_RANK["area"], KIND_RANK[top.kind])
        rivals = [c for c in ranked[1:] if c.admin2 != top.admin2 and self._order(c)[:3] == self._order(top)[:3]
                  and KIND_RANK[c.kind] <= rival_rank and top.kind not in ("province", "district")]
        if top.method == "fuzzy":
            rivals = [c for c in ranked[1:] if c.admin2 != top.admin2 and c.score >= top.score - 2
                      and self._order(c)[1:3] == self._order(top)[1:3]]
        tie_reason = None
        if rivals:
            top, rivals, tie_reason = self._break_tie(top, rivals, context)
        if top.kind == "foreign":
            top = self._as_written(query, top, ranked)
        place = self._place_of(top)
        if rivals:
            admin1 = top.admin1 if all(r.admin1 == top.admin1 for r in rivals) else None
            names = ", ".join(sorted({f"{c.name} ({c.admin2 or c.country})" for c in [top, *rivals]}))
            province = self.gazetteer.find(admin1)[0] if admin1 else None
            return Resolution(query=query, status="ambiguous", admin1=admin1,
                              geo_precision=4 if province else None,
                              latitude=province.latitude if province else None,
                              longitude=province.longitude if province else None,
                              score=top.score, method=top.method, candidates=shown,
                              reason=f"several places match equally well: {names}")
        if not place.in_pakistan or place.kind == "country":
            if place.kind == "country":
                reason = "names the whole country: no province or district"
            elif place.name == place.country:
                reason = f"outside Pakistan: {place.name}"
            else:
                reason = f"outside Pakistan: {place.name} ({place.country})"
            return Resolution(query=query, status="unresolved", score=top.score, method="foreign",
                              candidates=shown, matched_name=place.name, kind=place.kind, country=place.country,
                              latitude=place.latitude, longitude=place.longitude, reason=reason)
        return Resolution(query=query, status="resolved", admin1=place.admin1, admin2=place.admin2,
                          admin2_id=place.admin2_id, admin3=place.admin3, geo_precision=place.geo_precision,
                          latitude=place.latitude, longitude=place.longitude, score=top.score,
                          method=top.method, candidates=shown, matched_name=place.name, kind=place.kind,
                          country=place.country, reason=tie_reason)

    def _as_written(self, query: str, top: Candidate, ranked: list[Candidate]) -> Candidate:
        """Of places abroad that match equally well, the one spelt as written: "Zabul" (the Afghan
        province) and "Zābol" (a town in Iran) fold to one key."""
        written = normalize_name(query)
        if normalize_name(top.matched) == written:
            return top
        same = self._order(top)
        for cand in ranked[1:]:
            if self._order(cand) != same:
                break
            if normalize_name(cand.matched) == written:
                return cand
        return top

    def _drop_outranked_villages(self, found: list[Candidate]) -> list[Candidate]:
        """Census villages are the last resort: a name that is also a place of the preferred province,
        a country, a foreign town or a Pakistani town of 50,000+ means that place."""
        if not any(c.kind == "village" for c in found):
            return found
        others = [c for c in found if c.kind != "village"]
        strong = any((self.bias and c.admin1 == self.bias) or c.kind in _OUTRANK_VILLAGES
                     or c.population >= VILLAGE_OUTRANKED_BY for c in others)
        return others if strong else found

    def _break_tie(self, top: Candidate, rivals: list[Candidate],
                   context: tuple[str, ...]) -> tuple[Candidate, list[Candidate], str | None]:
        """Break a tie between places in different districts: context, then population."""
        group = [top, *rivals]
        if context:
            units = self._context_units(context)
            near = [c for c in group if c.admin2 in units or (c.admin3 and c.admin3 in units)]
            if near and len({c.admin2 for c in near}) == 1:
                return near[0], [], f"{len(group)} places match; the one in {near[0].admin2} named in the context"
        by_population = sorted(group, key=lambda c: -c.population)
        first, second = by_population[0], by_population[1]
        if first.population > 0 and first.population >= POPULATION_MARGIN * second.population:
            return first, [], (f"{len(group)} places match; {first.name} ({first.admin2}) is the most populous "
                               f"({first.population:,} against {second.population:,})")
        return top, rivals, None


@cache
def _landmark_words() -> dict[str, str]:
    """Words naming a facility (``"hospital"``) or qualifying one (``"civil"``), from
    ``gazetteer/landmark_words.csv``: word -> role."""
    return {normalize_name(r["word"], keep_admin_words=True): r["role"]
            for r in read_gazetteer_table("landmark_words.csv")}


def _replace(result: Resolution, **changes: object) -> Resolution:
    from dataclasses import replace

    return replace(result, **changes)  # type: ignore[arg-type]


def _acronym_shape(text: str) -> str | None:
    """ "DIG", "the JUI": two to four capitals are an acronym (a rank, party or agency), not a village."""
    return "an acronym (rank, party or agency)" if _ACRONYM.fullmatch(text) else None


def _non_place_shape(normalized: str) -> str | None:
    """Say why a normalised phrase looks like an organisation or a person, or None."""
    words = normalized.split()
    if any(w in _ORG_WORDS for w in words):
        return "names an organisation, force or publication"
    if words and words[0] in _PERSON_TITLES:
        return "a person's title and name"
    if len(words) >= 2 and words[-1] in _PERSON_SURNAMES and words[-2] not in CONNECTOR_WORDS:
        return _PERSON_SHAPE  # (but "Kohistan-e-Marri", with the Persian connector, names a region)
    return None


def resolve_places(names: Iterable[object], *, resolver: Resolver | None = None,
                   data_dir: str | os.PathLike[str] | None = None,
                   aliases: str | os.PathLike[str] | None = None,
                   settings: Settings | None = None) -> pd.DataFrame:
    """Resolve place names and return a table, one row per name in input order.

    Parameters
    ----------
    names
        Place mentions.
    resolver
        A resolver to reuse; default one built from ``data_dir`` and ``aliases``.
    data_dir, aliases, settings
        See :func:`~geoconflict.gazetteer_index.load_gazetteer`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RESOLUTION_COLUMNS`.
    """
    resolver = resolver or Resolver.from_gazetteer(data_dir=data_dir, aliases=aliases, settings=settings)
    return resolutions_to_frame(resolver.resolve_many(names))


def resolutions_to_frame(results: Iterable[Resolution]) -> pd.DataFrame:
    """Turn resolutions into a DataFrame with columns :data:`RESOLUTION_COLUMNS`."""
    import pandas as pd

    rows = [r.to_dict() for r in results]
    return pd.DataFrame(rows, columns=list(RESOLUTION_COLUMNS))
