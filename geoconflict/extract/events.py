"""Assemble events from one article's sentences.

Rules, in the order they apply:

- A sentence that speaks of violence and names a place (district or finer)
  proposes one event per place. Background sentences ("recently", "has led
  to", "a pattern of", "previously") propose none.
- A proposal merges into an earlier event of the same article when they are
  in the same district, their dates overlap, their actors do not conflict,
  and the places are the same or one is the whole district ("Mastung
  district" then "near Khadkucha"). "A separate attack" never merges. Two
  items of the same list never merge with each other.
- A list of districts ("in Quetta, Pasni, Mastung and Gwadar") makes one event
  per item; later sentences with details for an item merge into it.
- A sentence without a date takes the article's latest date expression;
  "following the clash" spans from that date to publication.
- Violence stated only for the province ("across Balochistan", "in
  southwestern Pakistan") is the wave. With no located event it becomes one
  province-level event. With located events and no list of districts, the
  counts the located events do not account for become a province event.
- Militants killed by security forces, when the attacks are located, form a
  separate province-level event of the security forces.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from ..resolver import Resolution
from ..schema import Event
from .actors import SECURITY_FORCES, UNKNOWN_ACTOR, claimed_actor, find_actors, state_actor
from .articles import Article
from .casualties import Casualties, find_casualties
from .dates import UNKNOWN, DateSpan, find_event_date, strip_dateline
from .event_types import TYPE_RANK, acled_sub_event_type, find_event_type, find_target, is_violent
from .mentions import Mention, MentionSpotter
from .text import split_sentences

__all__ = ["ArticleEvents", "MentionRecord", "extract_article"]

_BACKGROUND = re.compile(
    r"\brecently\b|\bin\s+recent\s+(?:years|months|weeks|times)\b|\bhistorically\b|\bover\s+the\s+(?:years|"
    r"decades|past)\b|\bfor\s+(?:years|decades)\b|\bdecades?\s+of\b|\bsurge\s+in\b|\bongoing\s+(?:conflict|"
    r"insurgency|rebellion|baloch)\b|\blong[-\s]simmering\b|\bpreviously\b|\bprevious\s+(?:major\s+)?(?:attacks?|"
    r"assaults?)\b|\bpattern\s+of\b|\bhas\s+led\s+to\b|\bcontributed\s+to\b|\bcontinues?\s+to\s+(?:plague|face|"
    r"monitor|be)\b|\bhas\s+been\s+(?:a|an|the)\b|\bhave\s+been\s+(?:a|an|the)\b|\bwas\s+formed\b|"
    r"\bdesignated\s+(?:as\s+)?a\s+terrorist\b|\bhotspot\b|\binception\b|\bwould\s+not\s+be\s+spared\b|"
    r"\bthreat(?:ened|s)?\b|\bwarn(?:ed|ing|s)?\b|\bvow(?:ed|s)?\b|\bpledged\b|\bcondemn\w*\b|\bechoes\b|"
    r"\bis\s+believed\s+to\s+be\s+aimed\b", re.IGNORECASE)
_SEPARATE = re.compile(r"\b(?:separate|another|second|third|different|fresh|new)\s+(?:attack|incident|"
                       r"development|assault|blast|explosion|ambush|clash)", re.IGNORECASE)
_FOLLOWING = re.compile(r"\b(?:following|after|in\s+the\s+aftermath\s+of)\s+the\s+(?:clash|attack|incident|"
                        r"assault|fighting|encounter|confrontation|ambush|blast|gunfight)", re.IGNORECASE)
_DEATH_WORDS = re.compile(r"\b(?:bodies|body|deceased|dead|death|deaths|funeral|killed|burial)\b", re.IGNORECASE)


@dataclass
class MentionRecord:
    """A place mention of an article, as accounted for in the output."""

    article_id: str
    sentence_index: int
    sentence: str
    mention: Mention


@dataclass
class _Draft:
    mention: Mention
    date: DateSpan
    actor: str | None
    event_type: str | None
    target: str | None
    casualties: Casualties
    evidence: list[str]
    from_list: bool
    sentence_index: int
    target_from_list: bool = False

    @property
    def result(self) -> Resolution:
        return self.mention.resolution

    @property
    def place_key(self) -> str:
        return f"{self.result.kind}:{self.result.matched_name}:{self.result.admin2}"


@dataclass
class _Wave:
    """Violence an article states for the province as a whole."""

    casualties: Casualties = field(default_factory=Casualties)
    total: int | None = None
    counter: Casualties = field(default_factory=Casualties)
    counter_by_state: bool = False  # "security forces killed 20 militants": an operation of its own
    sentences: list[str] = field(default_factory=list)
    counter_sentences: list[str] = field(default_factory=list)
    provinces: Counter[str] = field(default_factory=Counter)
    province_in_violence: bool = False
    types: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    date: DateSpan = UNKNOWN


@dataclass
class ArticleEvents:
    """What one article yielded."""

    article: Article
    published: date | None
    published_from: str | None
    events: list[Event]
    mentions: list[MentionRecord]


_LEAD_LINE = re.compile(r"^\s*(?:(?:published|posted|updated|dated)\b[^\n]{0,60}|date\s+(?:19|20)\d\d-\d\d-\d\d)"
                        r"\s*\n", re.IGNORECASE)


def _publication_line(text: str) -> tuple[str, str]:
    """Split a leading "Published: ..." line from the text (a dateline may follow it)."""
    match = _LEAD_LINE.match(text)
    return (text[:match.end()], text[match.end():]) if match else ("", text)


def _actors_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _nested(a: _Draft, b: _Draft) -> bool:
    """One place is the whole district of the other ("Panjgoor" and "the Chatkan area of Panjgoor")."""
    return (a.result.geo_precision == 3 or b.result.geo_precision == 3) and a.result.admin2 == b.result.admin2


def extract_article(article: Article, spotter: MentionSpotter, *, published: date | None = None) -> ArticleEvents:
    """Extract the events of one article.

    Parameters
    ----------
    article
        The article.
    spotter
        Finds and classifies place mentions (holds the resolver).
    published
        Publication date to use when neither the metadata nor the text gives one.

    Returns
    -------
    ArticleEvents
        The events and every place mention, each with its role.
    """
    from .dates import find_publication_date

    pub, pub_from = article.published, "metadata" if article.published else None
    if pub is None:
        pub, pub_from = find_publication_date(article.text)
    if pub is None and published is not None:
        pub, pub_from = published, "option"

    lead, text = _publication_line(article.text)
    dateline, body = strip_dateline(text)
    dateline = lead + dateline
    sentences = split_sentences(body)
    records: list[MentionRecord] = []
    if dateline.strip():
        for mention in spotter.mentions(dateline, dateline_end=len(dateline)):
            records.append(MentionRecord(article.article_id, -1, dateline.strip(), mention))

    drafts: list[_Draft] = []
    wave = _Wave()
    current: DateSpan | None = None
    claims: list[tuple[int, str]] = []
    named: Counter[str] = Counter()
    last_group: str | None = None
    has_list = False
    texts = [s.text for s in sentences]

    for position, sentence in enumerate(sentences):
        text = sentence.text
        mentions = spotter.mentions(text)
        records.extend(MentionRecord(article.article_id, sentence.index, text, m) for m in mentions)
        groups = find_actors(text)
        claim = claimed_actor(text, previous=last_group)
        if groups:
            last_group = groups[-1]
        deaths_nearby = "victim" in text and bool(_DEATH_WORDS.search(" ".join(texts[max(0, position - 1):
                                                                                      position + 2])))
        casualties = find_casualties(text, deaths_nearby=deaths_nearby)
        # background wording ("in recent times", "previously") does not hide concrete counts
        background = bool(_BACKGROUND.search(text)) and casualties.empty
        if claim:
            claims.append((position, claim))
        if not background:
            named.update(groups)
        for mention in mentions:
            if mention.role == "province" and mention.resolution.admin1:
                wave.provinces[mention.resolution.admin1] += 1
        if background or not is_violent(text):
            continue
        if any(m.role == "province" for m in mentions):
            wave.province_in_violence = True

        stated = find_event_date(text, pub)
        if stated is None and current is not None and current.known and _FOLLOWING.search(text):
            assert current.start is not None
            stated = DateSpan(current.start, pub or current.end, "range", _FOLLOWING.search(text)[0])  # type: ignore[index]
        if stated is not None:
            current = stated
        when = stated or current or UNKNOWN

        event_type = find_event_type(text)
        state = state_actor(text)
        actor = SECURITY_FORCES if state else (claim or (groups[0] if groups else None))
        target = find_target(text)
        places = [m for m in mentions if m.role == "event"]
        if not places:
            _add_to_wave(wave, text, casualties, event_type, target, actor, state, when)
            continue

        districts = {m.resolution.admin2 for m in places}
        is_list = any(m.list_item for m in places)
        has_list = has_list or is_list
        separate = bool(_SEPARATE.search(text))
        for mention in places:
            draft = _Draft(mention, when, actor, event_type, target,
                           casualties if len(districts) == 1 else Casualties(), [text], mention.list_item,
                           position, target_from_list=mention.list_item)
            _merge_or_add(drafts, draft, separate=separate)

    _fill_actors(drafts, claims, named)
    wave_events = _wave_events(article, pub, wave, drafts, has_list, claims, named, spotter, len(drafts))
    events = [_event(article, pub, d, i) for i, d in enumerate(drafts)] + wave_events
    return ArticleEvents(article, pub, pub_from, events, records)


def _add_to_wave(wave: _Wave, text: str, casualties: Casualties, event_type: str | None, target: str | None,
                 actor: str | None, state: bool, when: DateSpan) -> None:
    militants = casualties.killed_militants
    rest = replace(casualties, killed_militants=None,
                   killed=None if casualties.killed == militants and militants else casualties.killed)
    if militants:
        wave.counter = wave.counter.merge(Casualties(killed=militants, killed_militants=militants))
        wave.counter_sentences.append(text)
        wave.counter_by_state = wave.counter_by_state or state
    if not rest.empty:
        categories = [rest.killed_civilians, rest.killed_security]
        if rest.killed is not None and rest.killed != sum(c or 0 for c in categories):
            # a stated total ("more than 250 people"): the lowest stated total wins
            wave.total = rest.killed if wave.total is None else min(wave.total, rest.killed)
        wave.casualties = wave.casualties.merge(replace(rest, killed=None))
    if militants and rest.empty and state:
        return
    wave.sentences.append(text)
    if event_type:
        wave.types.append(event_type)
    if target:
        wave.targets.append(target)
    if actor and actor != SECURITY_FORCES:
        wave.actors.append(actor)
    if when.known and not wave.date.known:
        wave.date = when


def _merge_or_add(drafts: list[_Draft], new: _Draft, *, separate: bool) -> None:
    if not separate:
        pool = [d for d in drafts
                if d.result.admin2 == new.result.admin2 and d.date.compatible(new.date)
                and _actors_compatible(d.actor, new.actor) and not (d.from_list and new.from_list)]
        same = [d for d in pool if d.place_key == new.place_key]
        nested = [d for d in pool if _nested(d, new)]
        matches = same or nested
        if matches:
            _absorb(matches[-1], new)
            return
    drafts.append(new)


def _absorb(into: _Draft, new: _Draft) -> None:
    precision_new = new.result.geo_precision or 9
    precision_old = into.result.geo_precision or 9
    if precision_new < precision_old or (precision_new == precision_old and into.from_list and not new.from_list):
        into.mention = new.mention
        if new.target:  # the sentence that locates the event best also names its target best
            into.target, into.target_from_list = new.target, new.from_list
    into.date = into.date.narrower(new.date) if into.date.compatible(new.date) else into.date
    into.actor = into.actor or new.actor
    if new.event_type and (into.event_type is None or TYPE_RANK[new.event_type] < TYPE_RANK[into.event_type]):
        into.event_type = new.event_type
    if new.target and (into.target is None or (into.target_from_list and not new.from_list)):
        into.target, into.target_from_list = new.target, new.from_list
    into.casualties = into.casualties.merge(new.casualties)
    if new.evidence[0] not in into.evidence:
        into.evidence.extend(new.evidence)
    into.from_list = into.from_list and new.from_list


def _dominant(claims: list[tuple[int, str]], named: Counter[str]) -> str | None:
    if claims:
        return Counter(c for _, c in claims).most_common(1)[0][0]
    return named.most_common(1)[0][0] if named else None


def _fill_actors(drafts: list[_Draft], claims: list[tuple[int, str]], named: Counter[str]) -> None:
    """An event with no actor in its sentences takes the nearest later claim, else the article's claimant."""
    fallback = _dominant(claims, named)
    for draft in drafts:
        if draft.actor is None:
            later = [actor for pos, actor in claims if draft.sentence_index <= pos <= draft.sentence_index + 2]
            draft.actor = later[0] if later else fallback


def _stable_id(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _event(article: Article, pub: date | None, draft: _Draft, order: int) -> Event:
    result = draft.result
    event_type = draft.event_type or "other"
    return _make_event(article, pub, order, draft.mention.text, result, draft.date, draft.actor or UNKNOWN_ACTOR,
                       event_type, draft.target, draft.casualties, draft.evidence)


def _make_event(article: Article, pub: date | None, order: int, location: str, result: Resolution, when: DateSpan,
                actor: str, event_type: str, target: str | None, casualties: Casualties,
                evidence: list[str]) -> Event:
    key = result.admin2_id or result.admin1
    return Event(
        event_id=_stable_id(article.article_id, key, location, _iso(when.start), order),
        article_id=article.article_id, title=article.title, url=article.url, source=article.source,
        published=_iso(pub), event_date=_iso(when.start), date_start=_iso(when.start), date_end=_iso(when.end),
        date_precision=when.precision if when.known else "unknown", location=location,
        admin1=result.admin1, admin2=result.admin2, admin2_id=result.admin2_id, admin3=result.admin3,
        geo_precision=result.geo_precision, latitude=result.latitude, longitude=result.longitude,
        actor=actor, event_type=event_type,
        acled_sub_event_type=acled_sub_event_type(event_type, target, " ".join(evidence)),
        target=target, killed=casualties.killed, injured=casualties.injured,
        killed_civilians=casualties.killed_civilians, killed_security=casualties.killed_security,
        killed_militants=casualties.killed_militants, evidence=" ".join(evidence))


def _residual(wave: Casualties, drafts: list[_Draft]) -> Casualties:
    """The wave's counts by category, less what located events account for.

    A located count stated without a category ("14 individuals ... and nine
    Baluch individuals") takes the wave category it matches exactly ("23
    civilians and 14 security officials"), and the event records it.
    """
    located = {"civilians": 0, "security": 0}
    generic = []
    for d in drafts:
        c = d.casualties
        located["civilians"] += c.killed_civilians or 0
        located["security"] += c.killed_security or 0
        if c.killed and not (c.killed_civilians or c.killed_security or c.killed_militants):
            generic.append(d)
    for draft in generic:
        count = draft.casualties.killed or 0
        if wave.killed_civilians == count + located["civilians"]:
            located["civilians"] += count
            draft.casualties = replace(draft.casualties, killed_civilians=count)
        elif wave.killed_security == count + located["security"]:
            located["security"] += count
            draft.casualties = replace(draft.casualties, killed_security=count)
    civ = (wave.killed_civilians or 0) - located["civilians"] if wave.killed_civilians else None
    sec = (wave.killed_security or 0) - located["security"] if wave.killed_security else None
    civ = civ if civ and civ > 0 else None
    sec = sec if sec and sec > 0 else None
    if civ is None and sec is None:
        return Casualties()
    return Casualties(killed=(civ or 0) + (sec or 0), killed_civilians=civ, killed_security=sec)


def _wave_events(article: Article, pub: date | None, wave: _Wave, drafts: list[_Draft], has_list: bool,
                 claims: list[tuple[int, str]], named: Counter[str], spotter: MentionSpotter,
                 order: int) -> list[Event]:
    if not wave.sentences and not wave.counter_sentences:
        return []
    province = wave.provinces.most_common(1)[0][0] if wave.provinces else None
    if province is None and not drafts:
        return []  # violence with no place at all: nothing to map
    province = province or (drafts[0].result.admin1 if drafts else None)
    if province is None:
        return []
    where = spotter.resolver.resolve(province)
    if not where.resolved:
        return []
    actor = (wave.actors[0] if wave.actors else None) or _dominant(claims, named) or UNKNOWN_ACTOR
    # the wave's kind of violence: its first stated type other than the fighting that followed it
    event_type = next((t for t in wave.types if t != "clash"), wave.types[0] if wave.types else "armed assault")
    events: list[Event] = []
    if not drafts:
        # militants "neutralized" in the wave's own toll belong to it; an operation the security
        # forces are said to have carried out is an event of its own
        folded = None if wave.counter_by_state else wave.counter.killed_militants
        casualties = replace(wave.casualties, killed_militants=folded)
        parts = (casualties.killed_civilians, casualties.killed_security, casualties.killed_militants)
        known = sum(v or 0 for v in parts) if any(v is not None for v in parts) else None
        killed = wave.total if wave.total is not None else known
        casualties = replace(casualties, killed=killed)
        if not casualties.empty:
            events.append(_make_event(article, pub, order, province, where, wave.date, actor, event_type,
                                      wave.targets[0] if wave.targets else None, casualties,
                                      wave.sentences + ([] if folded is None else wave.counter_sentences)))
        if folded is None and not wave.counter.empty:
            events.append(_make_event(article, pub, order + len(events), province, where, wave.date,
                                      SECURITY_FORCES, "clash", "militants", wave.counter, wave.counter_sentences))
        return events
    if len({d.result.admin2 for d in drafts}) == 1 and not has_list and not wave.province_in_violence:
        # one attack, its toll stated apart ("At least nine people were killed, police said")
        stated = replace(wave.casualties, killed=wave.total if wave.total is not None else wave.casualties.killed)
        for draft in drafts[:1]:
            merged = draft.casualties.merge(stated) if not draft.casualties.empty else stated
            counts = [merged.killed_civilians, merged.killed_security, merged.killed_militants]
            if any(c is not None for c in counts):  # "five militants ..." then "two soldiers were martyred"
                merged = replace(merged, killed=max(merged.killed or 0, sum(c or 0 for c in counts)))
            draft.casualties = merged
            draft.evidence.extend(s for s in wave.sentences if s not in draft.evidence)
    elif not has_list:
        residual = _residual(wave.casualties, drafts)
        if not residual.empty:
            events.append(_make_event(article, pub, order, province, where, wave.date, actor, event_type,
                                      wave.targets[0] if wave.targets else "security forces", residual,
                                      wave.sentences))
    if not wave.counter.empty:
        events.append(_make_event(article, pub, order + len(events), province, where, wave.date, SECURITY_FORCES,
                                  "clash", "militants", wave.counter, wave.counter_sentences))
    return events
