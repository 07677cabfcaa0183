"""Place mentions in a sentence: spotting, compound phrases, and context roles.

Spotting is gazetteer-driven: runs of capitalised words whose normalised form
is a gazetteer name (or a known non-place, so "The Balochistan Post" is never
read as Balochistan). Capitalised words the gazetteer does not know count as
mentions only in a locative frame ("in the Chatkan area", "near Khadkucha").
Adjacent mentions joined by "'s", "of", "in", "near" or a comma form one
compound phrase ("Kalam Chowk in the Chatkan area of Panjgoor"), which the
resolver reads inner-to-outer.

Each mention then gets a role: ``event`` (may locate an event), ``province``
(names only a province), or ``context`` with a reason: dateline, where people
came from, where an official spoke, development-project background, a route
name, a place abroad, the whole country, or not a place at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..gazetteer_index import Gazetteer
from ..normalize import match_key, normalize_name, place_words
from ..resolver import Resolution, Resolver
from .lexicon import pattern, roles, terms
from .prefilter import compile_prefiltered

__all__ = ["Mention", "MentionSpotter"]

_TOKEN = compile_prefiltered(r"[A-Za-z][A-Za-z0-9\u2019'\-]*[A-Za-z0-9]|[A-Za-z]")
_ROAD_CODE = re.compile(r"^(?:[NMSE]|RCD)-?\d{1,3}$")  # N-25, M-8, N70: national highway and motorway codes
_COMPASS = frozenset({"southwestern", "south-western", "southwest", "south-west", "northwestern", "north-western",
                      "northwest", "southern", "northern", "eastern", "western", "central"})
_CONNECTORS = frozenset({"e", "i", "ul", "ud", "al", "el", "bin", "ki", "ka", "o"})
_LOCALITY = place_words("locality")
_ADMIN_SUFFIX = place_words("suffix")
_LOCATIVE = frozenset({"in", "at", "near", "of", "from", "outside", "inside", "around", "across", "to",
                       "towards", "into", "on", "between", "within"})
_OUTER_KINDS = frozenset({"district", "tehsil", "division", "town", "city"})
_VILLAGE_BEFORE = frozenset({"in", "at", "near", "outside", "inside", "around", "from", "to", "towards", "village",
                             "villages"})
_ROUTE_WORDS = place_words("route")
#: An en or em dash between two names before a route word ("the Turbat\u2013Gwadar road"): a hyphen's work.
_DASH_JOIN = re.compile(rf"(?<=[A-Za-z])[\u2013\u2014](?=[A-Z][A-Za-z'\-]*\s+(?:{'|'.join(sorted(_ROUTE_WORDS))})\b)",
                        re.IGNORECASE)
_FEATURE_BEFORE = compile_prefiltered(
    r"(?:\b(?:a|an|the)\s+)(?:[a-z\-]+\s+){0,2}(?:highway|road|checkpoint|check\s?post|camp|market|bazaar|"
    r"village|station|mountains?|outskirts|convoy|base|post)\s+(?:in|near|of|on|at)\s+(?:the\s+)?$")
#: "a dam site in", "the hotel near": a kind of site placed at the name that follows.
_SITE_BEFORE = compile_prefiltered(r"\b([A-Za-z]+)(?:\s+site)?\s+(?:in|near|at)\s+(?:the\s+)?$")
_PLURAL_LOCALITY = "|".join(sorted((re.escape(w) for w in _LOCALITY if w.endswith("s")), key=len, reverse=True))
_LISTED_BEFORE_LOCALITY = compile_prefiltered(
    rf"\s+and\s+(?:[A-Z][\w'\u2019\-]*\s+){{1,4}}(?:{_PLURAL_LOCALITY})\s+(?:of|in|near)\s")
_ADMIN_POSSESSIVE = compile_prefiltered(r"\s+(?:district|tehsil|area|city|town|division)['\u2019]s\s+", re.IGNORECASE)
_COMMA_GAP = re.compile(r"^\s*(?:area|district|town|village|city)?\s*,\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _facility_words() -> frozenset[str]:
    """Words naming a facility or locality, which a place name may follow ("Civil Hospital Quetta")."""
    return terms("context_cues", "care_place") | terms("context_cues", "care_after") | place_words("locality")


@lru_cache(maxsize=1)
def _site_words() -> frozenset[str]:
    """Facility words that finish a place's own name as an event site ("Mangi Dam", "Gwadar Port"), from
    ``gazetteer/landmark_words.csv``; places of care ("Civil Hospital") are left out: they are context."""
    from ..districts import read_gazetteer_table

    care = {w.lower() for w in terms("context_cues", "care_place") | terms("context_cues", "care_after")}
    return frozenset(r["word"].strip().lower() for r in read_gazetteer_table("landmark_words.csv")
                     if r["role"].strip() == "facility") - care


@lru_cache(maxsize=1)
def _compound_gap() -> re.Pattern[str]:
    """What may stand between an inner place and the outer one it lies in: a locality or site word and
    "of/in/near/at" ("the X area of Y", "the X and Z villages of Y", "the X outpost in Y", "the X hotel
    located on a hill in Y"); roads are joined only by "near"."""
    words = (_LOCALITY | _ADMIN_SUFFIX | _site_words()) - _ROUTE_WORDS - {"highway"}
    alternation = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"^\s*(?:(?:{alternation}|stop|check\s+post)\s+)?(?:of|in|near|at)\s+(?:the\s+)?$"
                      rf"|^\s*(?:{alternation})\s+(?:(?:which|that)\s+is\s+)?(?:located|situated)\s+"
                      r"(?:(?!of\b|north|south|east|west)[a-z]+\s+){0,3}?(?:in|near|at)\s+(?:the\s+)?$"
                      r"|^\s*(?:(?:highway|road)\s+)?near\s+(?:the\s+)?$", re.IGNORECASE)


def _cues(role: str) -> str:
    """The alternation of one role of ``lexicon/context_cues.csv`` (where people came from, went, spoke or were
    treated; organisations and projects named after places)."""
    return pattern("context_cues", role)


_ORIGIN = compile_prefiltered(rf"\b{_cues('origin')}\s+(?:the\s+)?(?:\w+\s+){{0,1}}$", re.IGNORECASE)
# "kidnapped from the Warchoom area": where people were taken from is where the event happened
# "Naik Abdul Raheem of Badin district": a person's name, then the place he came from
_PERSON_OF = compile_prefiltered(r"\b([A-Z][a-z]+)\s+of\s+(?:the\s+)?$")
_TAKEN_FROM = compile_prefiltered(
    rf"\b{_cues('taken_from')}\s+(?:[\w\u2019']+\s+){{0,3}}?from\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE)
_DESTINATION = compile_prefiltered(
    rf"\b{_cues('destination')}\s+(?:[\w\u2019']+\s+){{0,4}}?(?:to|towards|for)\s+(?:the\s+)?$",
    re.IGNORECASE)
_SPEECH = compile_prefiltered(
    rf"\b{_cues('speech')}\b(?:(?!attack|kill|blast|bomb|fire|clash)[^.]){{0,60}}$", re.IGNORECASE)
# commas and "and" between list items; an unknown capitalised name may stand between them
_LIST_GAP = compile_prefiltered(
    r"\s*(?:,\s*(?:[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*)?\s*,\s*)*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
_DISTANCE = compile_prefiltered(
    r"\b\d+(?:\.\d+)?\s*(?:km|kms|kilometres?|kilometers?|miles?)\s+(?:\w+\s+){0,2}(?:of|from)\s+"
    r"(?:the\s+)?$", re.IGNORECASE)
_ORGANISATION_AFTER = re.compile(rf"^\s+(?:[A-Z][\w&\-]*\s+){{0,3}}?{_cues('organisation')}\b")
# where the injured were treated or the dead taken: "shifted to CMH Quetta", "the hospital of Zhob"
_CARE_VERB = compile_prefiltered(rf"\b{_cues('care_verb')}\b", re.IGNORECASE)
_CARE_BEFORE = compile_prefiltered(
    rf"\b{_cues('care_place')}\b[^.]{{0,25}}$|\b(?:to|at)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){{1,4}}$",
    re.IGNORECASE)
_CARE_AFTER = re.compile(rf"^['\u2019]?s?\s+(?:{_cues('care_after_kind')}\s+)?{_cues('care_after')}\b")
_LIST_DESTINATION = compile_prefiltered(
    r"\b(?:to|from|for|towards)\s+(?:the\s+)?(?:districts?\s+of\s+)?$", re.IGNORECASE)
_BACKGROUND_AFTER = re.compile(rf"^\W{{0,3}}(?:[a-z\-]+\s+){{0,2}}{_cues('background_after')}\b", re.IGNORECASE)
_BACKGROUND_SENTENCE = compile_prefiltered(_cues("background_sentence"), re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One place phrase in a sentence and what it means for event extraction.

    Attributes
    ----------
    text
        The phrase as written (a compound phrase when parts were joined).
    start, end
        Character offsets in the sentence.
    resolution
        What the resolver made of ``text``.
    role
        ``event``, ``province`` or ``context``.
    reason
        Why a context mention is not an event place.
    parts
        Parts of a compound phrase that did not resolve on their own.
    list_item
        True when the mention is one item of a list of places ("in Quetta, Pasni and Gwadar").
    """

    text: str
    start: int
    end: int
    resolution: Resolution
    role: str
    reason: str | None = None
    parts: tuple[str, ...] = field(default_factory=tuple)
    list_item: bool = False


@dataclass
class _Spot:
    start: int
    end: int
    kind: str  # place, non-place, unknown, route
    possessive: bool = False
    tokens: int = 1


def people_roles() -> dict[str, str]:
    """Words that mark a person's name or a tribe around a place word (``lexicon/people_words.csv``)."""
    return roles("people_words")


@lru_cache(maxsize=1024)
def _background_sentence(sentence: str) -> bool:
    """True when a sentence speaks of development projects or borders (read once per sentence)."""
    return bool(_BACKGROUND_SENTENCE.search(sentence))


@lru_cache(maxsize=200_000)
def _keys(phrase: str) -> tuple[str, str]:
    """Match keys of a phrase without and with admin words (cached: phrases repeat across articles)."""
    return match_key(normalize_name(phrase)), match_key(normalize_name(phrase, keep_admin_words=True))


def _possessive(token: str) -> bool:
    return token.endswith(("'s", "\u2019s"))


def _bare(token: str) -> str:
    return token[:-2] if _possessive(token) else token


class MentionSpotter:
    """Find and classify place mentions using one gazetteer and resolver.

    Parameters
    ----------
    resolver
        The resolver; its gazetteer supplies the names to spot.
    """

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        gazetteer: Gazetteer = resolver.gazetteer
        self.place_keys = set(gazetteer.index) | set(gazetteer.full_index)
        self.other_keys = {match_key(n) for n in gazetteer.non_places}
        self.max_tokens = 5
        #: Whether any name has "and" inside it ("Sistan and Baluchestan"): then a run may go on over "and".
        self.and_names = any(" and " in place.name.lower() for place in gazetteer.places)

    # ---------------------------------------------------------------- spotting

    def _cap(self, token: str) -> bool:
        return token[0].isupper() or token.lower() in _COMPASS

    def spots(self, sentence: str, *, dateline_end: int = 0) -> list[_Spot]:
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
        caps = [self._cap(token) for token, _, _ in tokens]  # read once: every window below looks at them
        found: list[_Spot] = []
        i = 0
        while i < len(tokens):
            token, start, end = tokens[i]
            if _ROAD_CODE.match(token):
                found.append(_Spot(start, end, "route", False, 1))
                i += 1
                continue
            if not caps[i]:
                i += 1
                continue
            spot = self._longest_known(sentence, tokens, caps, i, in_dateline=start < dateline_end)
            spot = self._with_site_word(tokens, i, spot)
            spot = self._misspelt_name(sentence, tokens, i, spot) or spot
            if spot is None:
                spot = self._unknown_run(sentence, tokens, i)
            if spot is None:
                i += 1
                continue
            found.append(spot)
            i += spot.tokens
        return found

    def _longest_known(self, sentence: str, tokens: list[tuple[str, int, int]], caps: list[bool], i: int, *,
                       in_dateline: bool = False) -> _Spot | None:
        # a name is a run of capitalised words, with connectors such as "e" or "ul" only inside it
        limit, run = min(self.max_tokens, len(tokens) - i), 1
        # "and" only inside a known name that has it ("Sistan and Baluchestan"), tried longest first below
        while run < limit and (caps[i + run] or tokens[i + run][0].lower() in _CONNECTORS
                               or tokens[i + run][0] == "and" and self.and_names):
            run += 1
        for n in range(run, 0, -1):
            if not caps[i + n - 1]:
                continue
            window = tokens[i:i + n]
            if any(_possessive(t) for t, _, _ in window[:-1]):
                continue
            last, _, last_end = window[-1]
            end = last_end - (2 if _possessive(last) else 0)
            phrase = sentence[window[0][1]:end]
            key, full_key = _keys(phrase)
            if not key:
                continue
            if full_key in self.other_keys or key in self.other_keys:
                return _Spot(window[0][1], end, "non-place", _possessive(last), n)
            if "-" in phrase and n == 1 and self._is_route(sentence, tokens, i, phrase):
                return _Spot(window[0][1], end, "route", False, 1)
            if key in self.place_keys or full_key in self.place_keys:
                if n == 1 and len(key) <= 4 and not in_dateline and not self._locative(sentence, tokens, i):
                    continue
                return _Spot(window[0][1], end, "place", _possessive(last), n)
        return None

    def _with_site_word(self, tokens: list[tuple[str, int, int]], i: int, spot: _Spot | None) -> _Spot | None:
        """A known name and one capitalised site word after it are one mention ("the Mangi Dam"): the
        resolver places the site near the name, and the name's ties are broken as the site's."""
        j = i + (spot.tokens if spot else 0)
        if spot is None or spot.kind != "place" or spot.possessive or j >= len(tokens):
            return spot
        word, _, end = tokens[j]
        if not word[0].isupper() or word.lower() not in _site_words() or (
                j + 1 < len(tokens) and tokens[j + 1][0][0].isupper()):
            return spot
        return _Spot(spot.start, end, "place", False, spot.tokens + 1)

    def _misspelt_name(self, sentence: str, tokens: list[tuple[str, int, int]], i: int,
                       known: _Spot | None) -> _Spot | None:
        """A capitalised run longer than the known name inside it that is a misspelt district, tehsil or
        town: "Dera Ismial Khan" is one place, not the village "Dera" followed by a person "Ismial Khan"."""
        j = i
        while j < len(tokens) and j - i < self.max_tokens and tokens[j][0][0].isupper():
            j += 1
            if _possessive(tokens[j - 1][0]):
                break
        if j - i < 2 or (known is not None and known.tokens >= j - i):
            return None  # the name below has at most j - i words
        words = [t for t, _, _ in tokens[i:j]]
        while words and _bare(words[-1]).lower() in _ADMIN_SUFFIX:
            words.pop()  # "Dera Ismial Khan District": the name is the words before the admin word
        n = len(words)
        if n < 2 or (known is not None and known.tokens >= n):
            return None
        last_end = tokens[i + n - 1][2]
        end = last_end - (2 if _possessive(words[-1]) else 0)
        phrase = sentence[tokens[i][1]:end]
        key, full_key = _keys(phrase)
        if key in self.other_keys or full_key in self.other_keys:
            return None
        result = self.resolver.resolve(phrase)
        if not (result.resolved and result.method == "fuzzy" and result.kind in _OUTER_KINDS
                and result.matched_name and len(result.matched_name.split()) == n):
            return None
        # a typo in one word of the name ("Dera Ismial Khan"), not a person who shares a word with it
        # ("Dost Muhammad" is not "Usta Muhammad"): the other words are the place's own
        same = sum(match_key(normalize_name(_bare(a))) == match_key(normalize_name(b))
                   for a, b in zip(words, result.matched_name.split()))
        if same < n - 1 or n == 2 and match_key(normalize_name(_bare(words[0]))) != match_key(
                normalize_name(result.matched_name.split()[0])):
            return None
        return _Spot(tokens[i][1], end, "place", _possessive(words[-1]), n)

    def _is_route(self, sentence: str, tokens: list[tuple[str, int, int]], i: int, phrase: str) -> bool:
        parts = [p for p in phrase.split("-") if p]
        nxt = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
        known = sum(match_key(normalize_name(p)) in self.place_keys for p in parts)
        return len(parts) >= 2 and known >= 2 and nxt in _ROUTE_WORDS

    def _locative(self, sentence: str, tokens: list[tuple[str, int, int]], i: int) -> bool:
        """A short name counts only where the sentence uses it as a place."""
        prev = tokens[i - 1][0].lower() if i > 0 else ""
        nxt = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
        if prev in _LOCATIVE or nxt in _LOCALITY or _possessive(tokens[i][0]):
            return True
        # an item of a list of places ("Quetta, Kech and Tump")
        return i > 0 and (prev in ("and", "or") or sentence[tokens[i - 1][2]:tokens[i][1]].strip() == ",")

    def _unknown_run(self, sentence: str, tokens: list[tuple[str, int, int]], i: int) -> _Spot | None:
        if not tokens[i][0][0].isupper():
            return None
        j = i
        while j < len(tokens) and j - i < 4 and (self._cap(tokens[j][0]) or
                                                 (j > i and tokens[j][0].lower() in _CONNECTORS and
                                                  j + 1 < len(tokens) and self._cap(tokens[j + 1][0]))):
            if _possessive(tokens[j][0]):
                j += 1
                break
            j += 1
        n = j - i
        if n == 0:
            return None
        prev = tokens[i - 1][0].lower() if i > 0 else ""
        prev2 = tokens[i - 2][0].lower() if i > 1 else ""
        nxt = tokens[j][0].lower() if j < len(tokens) else ""
        prev_possessive = i > 0 and _possessive(tokens[i - 1][0])
        end_offset = tokens[j - 1][2]
        leads_on = bool(re.match(r"\s+(?:in|of|near)\s+(?:the\s+)?[A-Z]", sentence[end_offset:]))
        framed = (nxt in _LOCALITY and nxt not in ("road", "highway", "station")) or nxt in _site_words() or (
            prev_possessive) or (
            prev == "of" and prev2 in _LOCALITY and people_roles().get(tokens[i][0].lower()) not in (
                "title_before", "rank")) or self._listed_before_locality(sentence, end_offset) or (
            (prev in ("near", "in", "at", "on") or (prev == "the" and prev2 in ("near", "in", "at", "of", "on")))
            and (nxt in _LOCALITY or leads_on))
        if not framed:
            return None
        end = tokens[j - 1][2] - (2 if _possessive(tokens[j - 1][0]) else 0)
        return _Spot(tokens[i][1], end, "unknown", _possessive(tokens[j - 1][0]), n)

    @staticmethod
    def _listed_before_locality(sentence: str, end: int) -> bool:
        """The first of names listed before a plural locality word: "the X and Y villages of Z"."""
        return bool(_LISTED_BEFORE_LOCALITY.match(sentence[end:]))

    # ---------------------------------------------------------------- mentions

    def mentions(self, sentence: str, *, dateline_end: int = 0, context: tuple[str, ...] = (),
                 sites: dict[str, Resolution] | None = None) -> list[Mention]:
        """Return the place mentions of a sentence with their roles, in order.

        ``context`` names districts the article has already placed events in: a name that
        matches places in several districts equally well takes the one in those districts.
        ``sites``, kept by the caller for one article, remembers where a site was placed ("a dam in
        Zehri"), so a later unknown name of the same kind of site ("the Sohndah dam") lies there too.
        """
        # "the Turbat\u2013Gwadar road": a dash written as en or em dash joins a route's names as a hyphen does
        if "\u2013" in sentence or "\u2014" in sentence:
            sentence = _DASH_JOIN.sub("-", sentence)  # one character for one: offsets stay the same
        spots = self._run_together(sentence, self.spots(sentence, dateline_end=dateline_end))
        groups: list[list[_Spot]] = []
        for spot in spots:
            if groups and self._joins(sentence, groups[-1][-1], spot):
                groups[-1].append(spot)
            else:
                groups.append([spot])
        mentions: list[Mention] = []
        for group in groups:
            mention = self._mention(sentence, group, dateline_end, context)
            if mention is not None:
                mentions.append(mention)
        mentions = self._share_outer(sentence, mentions)
        if sites is not None:
            mentions = self._known_sites(sentence, mentions, sites)
        return self._mark_lists(sentence, self._settle_ties(sentence, mentions, context))

    def _known_sites(self, sentence: str, mentions: list[Mention], sites: dict[str, Resolution]) -> list[Mention]:
        """Place an unknown site name ("the Sohndah dam") where the article placed that kind of site before
        ("a dam site in Zehri"), and remember the sites this sentence places."""
        from dataclasses import replace

        out = []
        for m in mentions:
            result = m.resolution
            if result.status == "unresolved" and result.method == "none":
                after = re.match(r"\s+([a-z]+)\b", sentence[m.end:])
                last = m.text.split()[-1].lower()
                word = after.group(1) if after and after.group(1) in _site_words() else last
                earlier = sites.get(word)
                if earlier is not None:
                    result = replace(earlier, query=result.query, method="site",
                                     geo_precision=max(earlier.geo_precision or 2, 2),
                                     reason=f"the {word} the article placed at {earlier.matched_name!r}")
                    end = m.end + after.end() if after and after.group(1) == word else m.end
                    role, reason = self._role(sentence, m.start, end, result)
                    m = replace(m, text=sentence[m.start:end].strip(), end=end, resolution=result, role=role,
                                reason=reason, parts=m.parts or (result.query,))
            elif result.resolved and result.admin2:
                told = _SITE_BEFORE.search(sentence[max(0, m.start - 40):m.start])
                word = told.group(1).lower() if told else ""
                word = word[:-1] if word not in _site_words() and word[:-1] in _site_words() else word
                if word in _site_words():
                    sites[word] = result
            out.append(m)
        return out

    def _share_outer(self, sentence: str, mentions: list[Mention]) -> list[Mention]:
        """ "the X and Y villages of Z": X lies in Z as Y does."""
        from dataclasses import replace

        out = list(mentions)
        for k in range(len(out) - 2, -1, -1):
            first, second = out[k], out[k + 1]
            # only a name the gazetteer does not know (not a place abroad, a force or a tribe)
            if first.resolution.method != "none" or first.resolution.status != "unresolved" \
                    or not re.fullmatch(r"\s+and\s+", sentence[first.end:second.start]):
                continue
            if not (second.parts and second.resolution.resolved and _LISTED_BEFORE_LOCALITY.match(
                    sentence[first.end:])):
                continue
            core = sentence[first.start:first.end]
            out[k] = replace(first, resolution=replace(second.resolution, query=core), role=second.role,
                             reason=second.reason, parts=(core,))
        return out

    def _settle_ties(self, sentence: str, mentions: list[Mention], context: tuple[str, ...]) -> list[Mention]:
        """A name several districts share takes the one another place of the same sentence lies in
        ("hideouts near the Mangi Dam, north of Ziarat")."""
        from dataclasses import replace

        near = tuple(m.resolution.admin2 for m in mentions
                     if m.role == "event" and m.resolution.resolved and m.resolution.admin2)
        if not near or all(m.resolution.status != "ambiguous" for m in mentions):
            return mentions
        out = []
        for m in mentions:
            if m.resolution.status == "ambiguous":
                settled = self.resolver.resolve(m.resolution.query, context=context + near)
                if settled.resolved:
                    role, reason = self._role(sentence, m.start, m.end, settled)
                    m = replace(m, resolution=settled, role=role, reason=reason)
            out.append(m)
        return out

    def _run_together(self, sentence: str, spots: list[_Spot]) -> list[_Spot]:
        """Two known names side by side with nothing between them ("Gulistan Karez areas") are one name
        the gazetteer does not know, not two places."""
        out: list[_Spot] = []
        for spot in spots:
            prev = out[-1] if out else None
            if prev is not None and prev.kind == "place" and spot.kind == "place" and not prev.possessive \
                    and sentence[prev.end:spot.start] == " " and sentence[spot.start:spot.end][:1].isupper():
                out[-1] = _Spot(prev.start, spot.end, "unknown", spot.possessive, prev.tokens + spot.tokens)
                continue
            out.append(spot)
        return out

    def _joins(self, sentence: str, left: _Spot, right: _Spot) -> bool:
        gap = sentence[left.end:right.start]
        if left.kind == "non-place" or right.kind == "non-place":
            return False
        if left.possessive and gap.strip() in ("", "'s", "\u2019s"):
            return True
        if _ADMIN_POSSESSIVE.fullmatch(gap):  # "Kalat district's Mangochar area"
            return left.kind == "place" and right.kind in ("place", "unknown")
        if _compound_gap().match(gap):
            if left.kind == "place" and left.tokens == 1 and not self._village_framed(sentence, left, left.end) \
                    and self.resolver.resolve(sentence[left.start:left.end]).kind == "village":
                return False  # "Havildar Ali Bilawal of Naseerabad": a name, then where he came from
            if left.kind == "place" and right.kind == "place" and gap.split() == ["near"]:
                inner = self.resolver.resolve(sentence[left.start:left.end])
                outer = self.resolver.resolve(sentence[right.start:right.end])
                if inner.kind == "district" and inner.admin2 and outer.admin2 and inner.admin2 != outer.admin2:
                    return False  # "(from Quetta to) Karachi near Khuzdar": a district lies in no other one
            return right.kind in ("place", "unknown") and left.kind in ("place", "unknown", "route")
        if _COMMA_GAP.match(gap) and left.kind == "place" and right.kind == "place":
            a = self.resolver.resolve(sentence[left.start:left.end])
            b = self.resolver.resolve(sentence[right.start:right.end])
            if b.method == "foreign" and b.country and b.matched_name \
                    and match_key(normalize_name(b.matched_name)) == match_key(normalize_name(b.country)) \
                    and not re.match(r"\s*(?:,\s*[A-Z]|and\b|or\b)", sentence[right.end:]):
                return True  # "Qalat, Afghanistan": a place abroad named with its country, not a list item
            # "Apsar, Turbat", "Pasni, Gwadar": the second place contains the first
            return bool(a.resolved and b.resolved and a.admin2 and a.admin2 == b.admin2 and
                        a.matched_name != b.matched_name and
                        ((b.geo_precision or 0) >= (a.geo_precision or 0) or a.kind == "area"))
        return False

    def _mention(self, sentence: str, group: list[_Spot], dateline_end: int,
                 context: tuple[str, ...] = ()) -> Mention | None:
        start, end = group[0].start, group[-1].end
        if group[-1].possessive:
            end += 2
        # include a trailing admin word: "Musakhail district", "the Chatkan area"
        tail = re.match(r"\s+([a-z\-]+)\b", sentence[end:])
        if tail and tail.group(1) in _ADMIN_SUFFIX and not group[-1].possessive:
            end += tail.end()
        window = max(0, start - 80)  # a bounded window keeps the cost per mention constant
        lead = _FEATURE_BEFORE.search(sentence[window:start])
        display_start = window + lead.start() if lead else start
        text = sentence[display_start:end].strip()
        core = sentence[start:end].strip()
        kinds = {s.kind for s in group}
        if kinds == {"non-place"}:
            result = self.resolver.resolve(core)
            return Mention(text, display_start, end, result, "context", result.reason or "not a place")
        if kinds <= {"route"}:
            return Mention(text, display_start, end, self.resolver.resolve(core), "context",
                           "names a route between places, not one place")
        result = self.resolver.resolve(core)
        if result.status == "ambiguous" and context:
            result = self.resolver.resolve(core, context=context)
        if len(group) == 1 and result.kind == "village" and not self._village_framed(sentence, group[0], end):
            return None  # thousands of village names are also given names ("Bilawal", "Muhammad")
        outer_spot = group[0] if group[0].possessive else group[-1]  # "Kalat's X" or "X in Kalat"
        if len(group) > 1 and outer_spot.kind == "place":
            # "Spezand town in the Dasht tehsil of Mastung district": the inner place lies in the outer one
            outer = self.resolver.resolve(sentence[outer_spot.start:outer_spot.end])
            if outer.resolved and outer.admin2 and outer.kind in _OUTER_KINDS and result.resolved \
                    and result.admin2 and result.admin2 != outer.admin2:
                result = outer
        parts = tuple(sentence[s.start:s.end] for s in group
                      if s.kind == "unknown" and not self.resolver.resolve(sentence[s.start:s.end]).resolved)
        if start < dateline_end:
            return Mention(text, display_start, end, result, "context", "dateline", parts)
        role, reason = self._role(sentence, display_start, end, result)
        return Mention(text, display_start, end, result, role, reason, parts)

    def _village_framed(self, sentence: str, spot: _Spot, end: int) -> bool:
        """A village name counts as a place only where the sentence uses it as one: "in Killi Norak",
        "near Gomazi", "the Gomazi area", "Tump's Gomazi"; never an acronym ("DIG")."""
        word = sentence[spot.start:spot.end]
        if word.isupper() or re.match(r"\s+[A-Z]", sentence[end:]) and not re.match(
                r"\s+(?:Area|Village|Town|Bazaar|Bazar|Valley)\b", sentence[end:]):
            return False  # an acronym ("DIG"), or the start of a longer name ("Killi Norak")
        before = re.findall(r"[A-Za-z\u2019']+", sentence[max(0, spot.start - 40):spot.start])
        after = re.match(r"\s+([a-z\-]+)", sentence[end:])
        prev = before[-1].lower() if before else ""
        prev2 = before[-2].lower() if len(before) > 1 else ""
        if after and after.group(1) in _LOCALITY:
            return True
        if prev.endswith(("'s", "\u2019s")):
            return True
        return prev in _VILLAGE_BEFORE or (prev == "the" and prev2 in _VILLAGE_BEFORE) or (
            prev == "of" and prev2 in _LOCALITY)

    def _person_or_tribe(self, sentence: str, start: int, end: int, before: str, after: str) -> str | None:
        """Baloch surnames and tribes are also place names: "Sarfraz Bugti said", "a Zehri tribal elder",
        "Marri tribesmen". A one-word place inside a person's name or a tribe is not a place."""
        words = people_roles()
        phrase = sentence[start:end]
        if " " in phrase.strip() or phrase.strip().endswith(("'s", "\u2019s")):
            return None  # "Dera Bugti", "Zehri tehsil", "Kalat's": the phrase itself is a place
        nxt = re.match(r"\s+([A-Za-z\-]+)", after)
        if nxt and words.get(nxt.group(1).lower()) == "tribe_after":
            return "a tribe or family name, not a place"
        prev = re.search(r"([A-Z][A-Za-z\u2019'\-]+)\.?\s+$", before)
        if prev is None:
            return None
        word = prev.group(1)
        if words.get(word.lower()) == "title_before":
            return "a person's name, not a place"
        if word.lower() in _facility_words():
            return None  # "Teaching Hospital Turbat", "Bus Stand Hub": a facility named after the place
        if words.get(word.lower()) == "not_a_name" or word.isupper():
            return None
        key = match_key(normalize_name(word))
        if key in self.place_keys or key in self.other_keys:
            return None
        return "a person's name, not a place"

    def _role(self, sentence: str, start: int, end: int, result: Resolution) -> tuple[str, str | None]:
        before = sentence[max(0, start - 120):start]
        after = sentence[end:end + 120]
        last = re.search(r"([A-Za-z]+)\W*$", sentence[start:end])
        if last and last.group(1).lower() in _site_words():  # "Gwadar Port": the port word is read as after it
            after = " " + last.group(1) + after
        if result.status == "unresolved":
            if result.method == "foreign":
                return "context", result.reason
            if result.method == "non-place":
                return "context", result.reason
            return "context", result.reason or "unresolved"
        words = people_roles()
        if any(words.get(w.lower()) == "rank" for w in re.findall(r"[A-Za-z\-]+", sentence[start:end])[1:]):
            return "context", "where a person came from (a soldier's or officer's home)"
        person = self._person_or_tribe(sentence, start, end, before, after)
        if person:
            return "context", person
        person_of = _PERSON_OF.search(before)
        if person_of and person_of.group(1).lower() not in _LOCALITY and (
                match_key(normalize_name(person_of.group(1))) not in self.place_keys
                or self.resolver.resolve(person_of.group(1)).kind == "village"):
            return "context", "where a person came from, not where the event happened"
        if _ORIGIN.search(before) and not _TAKEN_FROM.search(before):
            return "context", "where people came from, not where the event happened"
        if _DISTANCE.search(before):
            return "context", "a distance reference, not where the event happened"
        if _ORGANISATION_AFTER.match(after):
            return "context", "part of an organisation's name"
        if _CARE_VERB.search(sentence) and (_CARE_AFTER.match(after) or _CARE_BEFORE.search(before[-60:])):
            return "context", "where the injured were treated or the dead were taken"
        if _DESTINATION.search(before):
            return "context", "where a route or journey leads, not where the event happened"
        if _BACKGROUND_AFTER.match(after) or (_background_sentence(sentence) and
                                               re.search(r"\bport\b", after[:20], re.IGNORECASE)):
            return "context", "development project or port in background"
        if _SPEECH.search(before[-80:]) and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", before):
            return "context", "where an official spoke or met, not an event place"
        if result.status == "ambiguous":
            return ("province" if result.admin1 else "context"), result.reason
        if result.geo_precision == 4:
            return "province", None
        return "event", None

    def _mark_lists(self, sentence: str, mentions: list[Mention]) -> list[Mention]:
        """Flag runs of 3+ places joined by commas / 'and' ("Quetta, Pasni, Mastung and Gwadar").

        A run after "to" or "from" ("power was cut to Quetta, Kalat, Zhob and Sibi") names where
        something goes or comes from: its places are context. Unresolved names in a run keep it going.
        """
        from dataclasses import replace

        runs: list[list[int]] = []
        for i, mention in enumerate(mentions):
            if runs:
                prev = mentions[runs[-1][-1]]
                gap = sentence[prev.end:mention.start]
                if _LIST_GAP.fullmatch(gap):
                    runs[-1].append(i)
                    continue
            runs.append([i])
        listed: set[int] = set()
        elsewhere: set[int] = set()
        for run in runs:
            events = [i for i in run if mentions[i].role == "event"]
            if len(run) < 3 or len(events) < 2:
                continue
            first = mentions[run[0]]
            if _LIST_DESTINATION.search(sentence[max(0, first.start - 40):first.start]):
                elsewhere.update(events)
            elif len(events) >= 3:
                listed.update(events)
        reason = "a list of places something goes to or comes from, not event places"
        return [replace(m, role="context", reason=reason) if i in elsewhere else
                replace(m, list_item=True) if i in listed else m for i, m in enumerate(mentions)]
