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
from datetime import date, timedelta

from ..config import PROVINCE
from ..resolver import Resolution
from ..schema import Event
from .actors import SECURITY_FORCES, UNKNOWN_ACTOR, claim_account_start, claimed_actor, find_actors, state_actor
from .articles import Article
from .casualties import Casualties, find_casualties
from .dates import UNKNOWN, DateSpan, dateline_length, find_event_date, strip_dateline
from .event_types import (
    TYPE_FAMILIES,
    TYPE_RANK,
    acled_sub_event_type,
    attributed_to_officials,
    find_event_type,
    find_target,
    is_violent,
)
from .lexicon import pattern, term_patterns, terms
from .mentions import Mention, MentionSpotter
from .prefilter import PrefilteredPattern, compile_any, compile_prefiltered
from .text import Sentence, split_furniture, split_sentences

__all__ = ["ArticleEvents", "MentionRecord", "extract_article"]

#: Sentence cues, from ``lexicon/sentence_cues.csv``: an earlier incident (background), a general
#: statement (rhetoric), violence stated for a whole province (wide), a new incident (separate).
_BACKGROUND = compile_any(term_patterns("sentence_cues", "background"), re.IGNORECASE)
_PAST_PERFECT = compile_prefiltered(pattern("sentence_cues", "past_perfect"), re.IGNORECASE)
#: A speaker telling of its own act in the past perfect: "the army said on Monday it had killed 12" is
#: reported speech about the report's own incident ("relatives said he had been kidnapped" is not).
_REPORTED = compile_prefiltered(rf"\b{pattern('grammar_words', 'speech_verb')}\b(?:\s+[\w'\u2019]+){{0,3}}?"
                                r"\s+(?:that\s+)?(?:it|they|(?:the\s+)?(?:security\s+forces|forces|troops|"
                                r"soldiers|army|police|personnel))\s*$", re.IGNORECASE)
_RHETORIC = compile_any(term_patterns("sentence_cues", "rhetoric"), re.IGNORECASE)
_WIDE = compile_any(term_patterns("sentence_cues", "wide"), re.IGNORECASE)
_SEPARATE = compile_any(term_patterns("sentence_cues", "separate"), re.IGNORECASE)
#: A report whose text never uses a word of armed violence (floods, accidents) has no event.
_ATTACK = compile_any(term_patterns("attack_cues", "attack"), re.IGNORECASE)
_DISASTER = compile_any(term_patterns("non_violent_causes", "disaster"), re.IGNORECASE)
_CRIME = compile_any(term_patterns("non_violent_causes", "crime"), re.IGNORECASE)
_FIGURATIVE = compile_prefiltered(pattern("non_violent_causes", "figurative"), re.IGNORECASE)
_ARMED_GROUP = compile_any(term_patterns("attack_cues", "armed_group"), re.IGNORECASE)
#: A dated incident this many days before publication is an earlier incident, not the report's own.
BACKGROUND_AFTER_DAYS = 4
#: An undated incident in a dated report lies in the week up to publication; its event_date is the
#: report's date, as coders date such incidents.
_WEEK = 6
_REPORT_WEEK = "the week up to the report"
_FOLLOWING = compile_prefiltered(pattern("sentence_cues", "following"), re.IGNORECASE)
# "the remaining two attackers were also shot dead": counts of more people, not another reading
_MORE = compile_prefiltered(pattern("sentence_cues", "more"), re.IGNORECASE)
_SPEECH_DAY = compile_prefiltered(
    rf"\b(?:{pattern('grammar_words', 'speech_verb')}|statement|press\s+release)\b"
    r"[^.;]{0,40}?\b(?:on|late|early|on\s+late)\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b", re.IGNORECASE)
#: A sentence that starts by going back in time ("Earlier, ...", "A day earlier, ...", "The previous night, ...").
_EARLIER_LEAD = re.compile(
    r"^\W*(?:earlier(?!\s+(?:to|than)\b)|(?:a|one|two|three|four|five|six|several|a\s+few|\d+)\s+(?:days?|nights?|"
    r"weeks?)\s+(?:earlier|before)|the\s+(?:previous|preceding)\s+(?:day|night|evening|week)|"
    r"the\s+(?:day|night)\s+before)\b", re.IGNORECASE)
_SAME_PLACE = compile_prefiltered(pattern("sentence_cues", "same_place"), re.IGNORECASE)
_DEATH_WORDS = compile_prefiltered(
    r"\b(?:bodies|body|deceased|dead|death|deaths|funeral|killed|burial)\b", re.IGNORECASE)


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
    reported_as: str = "main"
    separate: bool = False
    told: list[int] = field(default_factory=list)  # sentences that told of this incident (not as a list item)

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


@dataclass
class _Facts:
    """What one sentence states, before any event is assembled (pass 1)."""

    sentence: Sentence
    mentions: list[Mention]
    groups: list[str]
    claim: str | None
    casualties: Casualties
    violent: bool
    background: bool
    rhetoric: bool
    wide: bool
    separate: bool
    header: bool
    stated: DateSpan | None
    state: bool
    event_type: str | None
    target: str | None
    earlier_lead: bool = False  # "Earlier, on August 14, ...": earlier than the report's incident if so dated
    claim_account: bool = False  # a claim of responsibility with the group's account ("..., saying ...")
    claimed_toll: bool = False  # the figures are the group's: in its account, or the sentence after it

    @property
    def text(self) -> str:
        return self.sentence.text


_HEAD_SENTENCES = 12
_SENTENCE_END = ('.', '!', '?', '"', "'", "\u201d", "\u2019", ")")


def _header_indexes(sentences: list[Sentence]) -> set[int]:
    """Sentences of the page head: lone lines without end punctuation before the first real sentence
    (titles, bylines, date lines). Their places are the headline's, not events of their own."""
    header: set[int] = set()
    # a dateline further down ("QUETTA, Pakistan: Gunmen ...") starts the report: what stands above it is
    # the page head (titles, captions of other stories)
    for sentence in sentences[1:_HEAD_SENTENCES]:
        if dateline_length(sentence.text):
            return {s.index for s in sentences if s.index < sentence.index}
    per_paragraph = Counter(s.paragraph for s in sentences)
    for sentence in sentences[:-1]:
        if sentence.text.rstrip().endswith(_SENTENCE_END) or per_paragraph[sentence.paragraph] > 1:
            break
        header.add(sentence.index)
    return header


def _earlier_told(text: str) -> bool:
    """The sentence tells an earlier incident: a background cue, or a past perfect not in reported speech."""
    if _BACKGROUND.found(text):
        return True
    perfect = _PAST_PERFECT.search(text)
    return perfect is not None and not _REPORTED.search(text, max(0, perfect.start() - 80), perfect.start())


def _literal(text: str) -> str:
    """``text`` with figures of speech that use words of violence ("a heart attack", "attacked the
    government's policies") blanked out, character for character."""
    return _FIGURATIVE.sub(lambda match: " " * len(match[0]), text)


def _sentence_facts(sentence: Sentence, spotter: MentionSpotter, pub: date | None, *, header: bool,
                    deaths_nearby: bool, previous_group: str | None, article_violent: bool,
                    context: tuple[str, ...] = (), sites: dict[str, Resolution] | None = None,
                    after_claim: bool = False, told: date | None = None) -> _Facts:
    text = sentence.text
    dateline_end = dateline_length(text)
    # "the group claimed responsibility, saying its fighters had targeted ...": the group's account of the
    # attack being told is not an earlier incident; only the words before it can say so
    account = claim_account_start(text)
    background = _earlier_told(text if account is None else text[:account])
    separate = _SEPARATE.found(text)
    if sites is not None and (background or separate):
        sites.clear()  # another incident: its sites are not the ones placed before
    mentions = spotter.mentions(text, dateline_end=dateline_end, context=context, sites=sites)
    groups = find_actors(text)
    casualties = find_casualties(text, deaths_nearby=deaths_nearby)
    # "the toll later rose to 40" speaks of the violence told before it without a violence word;
    # "after the blast, power was cut": a back-reference to the incident is no new violence
    literal = _literal(text) if article_violent else text  # figures of speech blanked
    violent = article_violent and (is_violent(literal) or casualties.update) \
        and (not casualties.empty or is_violent(_FOLLOWING.sub(" ", literal))) \
        and not (_DISASTER.found(text) and not _ATTACK.found(literal)) \
        and not (_CRIME.found(text) and not _ARMED_GROUP.found(text) and not find_actors(text))
    # the date a sentence gives its incident: not the dateline's, nor the day a statement was made
    stated = None
    if violent:
        stated = find_event_date(_SPEECH_DAY.sub(" ", text[dateline_end:]), pub, told=told) or \
            find_event_date(text[dateline_end:], pub, told=told)
    # "Earlier, ..." starts another incident; with a date of its own it is an earlier one
    earlier = bool(_EARLIER_LEAD.match(text))
    return _Facts(
        sentence=sentence, mentions=mentions, groups=groups, claim=claimed_actor(text, previous=previous_group),
        casualties=casualties, violent=violent,
        background=background, earlier_lead=earlier and stated is not None,
        rhetoric=_RHETORIC.found(text), wide=_WIDE.found(text),
        separate=separate or (earlier and stated is None),
        header=header, stated=stated, state=state_actor(text) if violent else False,
        event_type=find_event_type(text) if violent else None, target=find_target(text) if violent else None,
        claim_account=account is not None,
        # "... claimed responsibility, saying its fighters killed six soldiers", or the next sentence going on
        # with the group's statement: the group's figures (coded only when no one else gives any)
        claimed_toll=account is not None or (after_claim and not attributed_to_officials(text)))


def _main_date(facts: list[_Facts]) -> DateSpan | None:
    """The report's own incident date: the first date stated in a sentence about it."""
    for fact in facts:
        if fact.violent and not fact.background and not fact.header and fact.stated is not None \
                and fact.stated.known and not (fact.rhetoric and fact.casualties.empty):
            return fact.stated
    return None


def _mark_earlier(facts: list[_Facts], main_date: DateSpan | None) -> None:
    """A sentence dated days before the report's own incident tells an earlier one."""
    for fact in facts:
        stated = fact.stated
        if fact.earlier_lead and stated is not None and (
                not stated.known or main_date is None or main_date.start is None
                or (stated.end is not None and stated.end < main_date.start)):
            fact.background = True
    if main_date is None or main_date.start is None:
        return
    for fact in facts:
        stated = fact.stated
        if stated is not None and stated.end is not None and \
                (main_date.start - stated.end).days > BACKGROUND_AFTER_DAYS:
            fact.background = True


def extract_article(article: Article, spotter: MentionSpotter, *, published: date | None = None) -> ArticleEvents:
    """Extract the events of one article.

    Pass 1 reads each sentence's facts (places with roles, date, casualties,
    actors, cues); pass 2 assembles events: located violence proposes events
    that merge by place and date, unlocated tolls join the incident being
    told, earlier incidents become ``background`` rows, and violence stated
    only for the province becomes a province event.

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
    if (pub is None or pub_from == "caption") and published is not None:
        pub, pub_from = published, "option"  # a photo caption's date is the weakest anchor: the option wins

    lead, text = _publication_line(article.text)
    dateline, body = strip_dateline(text)
    dateline = lead + dateline
    body, furniture = split_furniture(body)
    sentences = split_sentences(body)
    records: list[MentionRecord] = []
    if dateline.strip():
        for mention in spotter.mentions(dateline, dateline_end=len(dateline)):
            records.append(MentionRecord(article.article_id, -1, dateline.strip(), mention))
    for piece in split_sentences(furniture):  # other stories' teasers: their places are accounted for as context
        for mention in spotter.mentions(piece.text):
            records.append(MentionRecord(article.article_id, -1, piece.text, replace(
                mention, role="context", reason="page furniture: another story's heading or teaser")))

    header = _header_indexes(sentences)
    # a report about an attack uses a word of armed violence, or names an armed group ("the BLA claimed it had
    # killed six soldiers"); floods and road accidents do neither
    literal_body = _literal(body)
    article_violent = _ATTACK.found(literal_body) or bool(find_actors(literal_body))
    texts = [s.text for s in sentences]
    facts: list[_Facts] = []
    last_group: str | None = None
    told: date | None = None  # the day of the incident told last
    seen: dict[str, None] = {}  # districts of the article's event places so far, in order
    sites: dict[str, Resolution] = {}  # kinds of site the article placed ("a dam in Zehri"), for later names
    for position, sentence in enumerate(sentences):
        nearby = " ".join(texts[max(0, position - 1):position + 2])
        fact = _sentence_facts(sentence, spotter, pub, header=sentence.index in header,
                               deaths_nearby="victim" in sentence.text and bool(_DEATH_WORDS.search(nearby)),
                               previous_group=last_group, article_violent=article_violent,
                               context=tuple(seen), sites=sites,
                               after_claim=bool(facts) and facts[-1].claim_account, told=told)
        if fact.violent and fact.stated is not None and fact.stated.precision == "day":
            told = fact.stated.start  # "a day earlier" in a later sentence counts back from this day
        seen.update((m.resolution.admin2, None) for m in fact.mentions
                    if m.role == "event" and m.resolution.admin2)
        if fact.groups:
            last_group = fact.groups[-1]
        facts.append(fact)

    main_date = _main_date(facts)
    _mark_earlier(facts, main_date)
    state = _Assembly(pub, main_date, wide=any(f.wide and f.violent and not f.background and not f.header
                                               for f in facts))
    body_facts = [f for f in facts if not f.header]
    for position, fact in enumerate(body_facts):
        state.add(fact, position)
    state.flush()
    if not any(d.reported_as == "main" for d in state.drafts):
        _detached_events(article, pub, state, spotter, 0)  # no located event: they are the wave's
        state.detached = []
    def unplaced() -> bool:
        return not any(d.reported_as == "main" for d in state.drafts) and not state.wide and \
            bool(state.wave.sentences or state.wave.counter_sentences)

    # violence the body tells without a place: the one district the body names elsewhere, else the
    # headline's place, else a small town's dateline
    if unplaced():
        _place_from_report(state, body_facts, None)
    if not any(d.reported_as == "main" for d in state.drafts):
        for position, fact in enumerate(f for f in facts if f.header):
            state.add(fact, -1 - position)
        state.flush()
    if unplaced():
        datelines = [r.mention for r in records if r.mention.reason == "dateline" and r.mention.resolution.resolved]
        datelines += [m for f in facts for m in f.mentions if m.reason == "dateline" and m.resolution.resolved]
        _place_from_report(state, [], datelines[0] if len(datelines) == 1 else None)
    used_header = {d.sentence_index for d in state.drafts if d.sentence_index < 0}
    for fact in facts:
        for mention in fact.mentions:
            if fact.header and mention.role == "event" and not used_header:
                mention = replace(mention, role="context", reason="headline: the body places the incident")
            records.append(MentionRecord(article.article_id, fact.sentence.index, fact.text, mention))

    drafts = state.drafts
    detached_events = _detached_events(article, pub, state, spotter, len(drafts))
    _fill_actors(drafts, state.claims, state.named)
    main = [d for d in drafts if d.reported_as == "main"]
    wave_events = _wave_events(article, pub, state.wave, main, state.has_list, state.claims, state.named,
                               spotter, len(drafts), wide=state.wide)
    events = [_event(article, pub, d, i) for i, d in enumerate(drafts)] + wave_events + detached_events
    return ArticleEvents(article, pub, pub_from, events, records)


def _place_from_report(state: _Assembly, facts: list[_Facts], dateline: Mention | None) -> None:
    """Unlocated violence in a report that names one district, and no other, as a possible
    event place ("the attack ..." and, elsewhere, "police in Turbat said"): the event is there."""
    province = state.wave.provinces.most_common(1)[0][0] if state.wave.provinces else PROVINCE
    places = [m for f in facts for m in f.mentions
              if m.role == "event" and m.resolution.admin2 and m.resolution.admin1 == province]
    if not places and dateline is not None and dateline.resolution.admin1 == province \
            and (dateline.resolution.matched_name or "").lower() not in terms("dateline_hubs"):
        places = [replace(dateline, role="event", reason=None)]  # "HARNAI: Terrorists blew up a tower"
    if not places or len({m.resolution.admin2 for m in places}) != 1:
        return
    best = min(places, key=lambda m: m.resolution.geo_precision or 9)
    wave = state.wave
    stated = replace(wave.casualties, killed=wave.total if wave.total is not None else wave.casualties.killed)
    casualties = stated.merge(wave.counter) if not wave.counter.empty else stated
    actor = wave.actors[0] if wave.actors else None
    event_type = next((t for t in wave.types if t != "clash"), wave.types[0] if wave.types else None)
    state.drafts.append(_Draft(best, wave.date if wave.date.known else state._undated("main"), actor, event_type,
                               wave.targets[0] if wave.targets else None, casualties,
                               wave.sentences + wave.counter_sentences, False, 0))
    state.wave = _Wave(provinces=wave.provinces)


@dataclass
class _Open:
    """Sentences of an incident told without a place so far."""

    start: int
    facts: list[tuple[_Facts, DateSpan, str | None]]


class _Assembly:
    """Pass 2: events from sentence facts, in reading order."""

    def __init__(self, pub: date | None, main_date: DateSpan | None, *, wide: bool) -> None:
        self.pub = pub
        self.main_date = main_date
        self.wide = wide
        self.drafts: list[_Draft] = []
        self.wave = _Wave()
        self.claims: list[tuple[int, str]] = []
        self.named: Counter[str] = Counter()
        self.has_list = False
        self.current: _Draft | None = None
        self.last_date: DateSpan | None = None
        self.open: _Open | None = None  # an incident told without a place, after "In another incident"
        self.in_background = False  # the last located sentence told an earlier incident
        self.last_background: _Draft | None = None
        self.last_named: Mention | None = None  # the last event place named, in any sentence
        self.detached: list[_Open] = []

    def _undated(self, reported_as: str) -> DateSpan:
        if reported_as == "background":
            return UNKNOWN
        if self.main_date is not None:
            return self.main_date
        if self.pub is not None:
            return DateSpan(self.pub - timedelta(days=_WEEK), self.pub, "week", _REPORT_WEEK)
        return UNKNOWN

    def _dated_before(self, fact: _Facts) -> bool:
        """The sentence gives a day some days before the report's incident already told."""
        stated, main = fact.stated, self.main_date
        if self.current is None or self.current.reported_as != "main" or stated is None or main is None \
                or not stated.known or not main.known or stated.precision != "day":
            return False
        assert stated.end is not None and main.start is not None
        return (main.start - stated.end).days > MERGE_DAYS

    def _dated_apart(self, fact: _Facts) -> bool:
        """The sentence gives its incident a day other than the day of the incident being told."""
        stated, current = fact.stated, self.current
        return current is not None and current.reported_as == "main" and stated is not None \
            and stated.precision == "day" and current.date.precision == "day" and stated.start != current.date.start

    def add(self, fact: _Facts, position: int) -> None:
        text = fact.text
        current = self.current
        if fact.claimed_toll and not fact.casualties.empty and current is not None \
                and current.reported_as == "main" and not current.casualties.empty:
            fact.casualties = Casualties()  # a group's claim does not replace the figures reported before it
        if fact.claim:
            self.claims.append((position, fact.claim))
        rhetoric = fact.rhetoric and fact.casualties.empty
        if not rhetoric and not fact.background:
            self.named.update(fact.groups)
        for mention in fact.mentions:
            if mention.role == "province" and mention.resolution.admin1:
                self.wave.provinces[mention.resolution.admin1] += 1
        self.last_named = next((m for m in reversed(fact.mentions) if m.role == "event"), self.last_named)
        if rhetoric or not fact.violent:
            return
        reported_as = "background" if fact.background else "main"
        if reported_as == "main" and any(m.role == "province" for m in fact.mentions):
            self.wave.province_in_violence = True

        stated = fact.stated
        following = _FOLLOWING.search(text)
        if stated is None and following and self.last_date is not None and self.last_date.known:
            assert self.last_date.start is not None
            stated = DateSpan(self.last_date.start, self.pub or self.last_date.end, "range", following[0])
        if stated is not None and reported_as == "main":
            self.last_date = stated
        when = stated or self._undated(reported_as)

        actor = SECURITY_FORCES if fact.state else (fact.claim or (fact.groups[0] if fact.groups else None))
        places = [m for m in fact.mentions if m.role == "event"]
        if not places:
            self._unlocated(fact, reported_as, when, actor, position)
            return
        if not any(m.list_item for m in places):
            # places of one district in one sentence are one incident ("the two villages of one clash")
            first: dict[str | None, Mention] = {}
            for mention in places:
                first.setdefault(mention.resolution.admin2, mention)
            places = list(first.values())
        districts = {m.resolution.admin2 for m in places}
        is_list = any(m.list_item for m in places)
        self.has_list = self.has_list or is_list
        tolls = _clause_tolls(text, places, fact.casualties)
        for mention in places:
            draft = _Draft(mention, when, actor, fact.event_type, fact.target,
                           tolls.get(mention.resolution.admin2, Casualties()), [text], mention.list_item,
                           position, target_from_list=mention.list_item, reported_as=reported_as,
                           separate=fact.separate, told=[] if mention.list_item else [position])
            placed = _merge_or_add(self.drafts, draft, separate=fact.separate)
            if reported_as == "background":
                self.last_background = placed
            else:
                self.current = placed
        self.in_background = reported_as == "background"
        if reported_as == "main" and self.current is not None and len(districts) == 1:
            self.place_open(self.current, position)
        else:
            self.flush()

    def _unlocated(self, fact: _Facts, reported_as: str, when: DateSpan, actor: str | None,
                   position: int) -> None:
        """Violence without a place: the incident being told, else the province's wave."""
        referred = _SAME_PLACE.search(fact.text)
        if reported_as == "main" and referred and self._dated_before(fact):
            reported_as, when = "background", fact.stated  # "On May 2, a blast wounded five there"
        elif reported_as == "main" and referred and self.last_named is not None and self._dated_apart(fact) \
                and (not fact.casualties.empty or fact.event_type not in (None, "armed assault")):
            # "On Monday, a bomb went off near the same post" after Sunday's attack: another incident there
            self.current = _Draft(self.last_named, when, actor, fact.event_type, fact.target, fact.casualties,
                                  [fact.text], False, fact.sentence.index, reported_as="main", separate=True,
                                  told=[position])
            self.drafts.append(self.current)
            return
        if reported_as == "background":
            # an earlier incident "in the very same area", "there" is placed at the last place named
            if self.last_named is not None and referred:
                draft = _Draft(self.last_named, when, actor, fact.event_type, fact.target, fact.casualties,
                               [fact.text], False, fact.sentence.index, reported_as="background")
                self.drafts.append(draft)
            return  # an earlier incident with no place is not coded
        if self.in_background and not fact.separate:
            # the report is recalling earlier incidents: a toll told without a place belongs to the last one
            previous = self.last_background
            if previous is not None and not fact.casualties.empty:
                previous.casualties = previous.casualties.merge(fact.casualties)
                previous.evidence.append(fact.text)
            return
        current = self.current
        joins = (current is not None and current.reported_as == "main" and not fact.separate and not self.wide
                 and not (fact.state and fact.casualties.killed_militants and not fact.casualties.killed_security))
        if joins:
            assert current is not None
            more = _MORE.search(fact.text) and not current.casualties.empty and not fact.casualties.update
            current.casualties = (current.casualties.add(fact.casualties) if more
                                  else current.casualties.merge(fact.casualties))
            current.event_type = _refined_type(current.event_type, fact.event_type)
            current.actor = current.actor or (None if fact.state else actor)
            if not fact.casualties.empty and fact.text not in current.evidence:
                current.evidence.append(fact.text)
            current.told.append(position)
            return
        if fact.separate and not self.wide:
            # "In another incident, ..." with no place yet: a new incident whose place may follow
            # ("Earlier, 12 people died in a blast." then "The office in Killa Saifullah was targeted")
            self.current = None
            self.flush()
            self.open = _Open(position, [(fact, when, actor)])
            return
        if self.open is not None and not self.wide:
            self.open.facts.append((fact, when, actor))
            return
        _add_to_wave(self.wave, fact.text, fact.casualties, fact.event_type, fact.target, actor, fact.state, when)

    def flush(self) -> None:
        """Close the incident told without a place: kept apart, it becomes a province-level event."""
        if self.open is not None and any(not f.casualties.empty for f, _, _ in self.open.facts):
            self.detached.append(self.open)
        self.open = None

    def place_open(self, draft: _Draft, position: int) -> None:
        """A place told just after an unplaced incident is its place."""
        if self.open is None:
            return
        if position - self.open.start <= PENDING_SENTENCES and draft.reported_as == "main":
            for fact, _, actor in self.open.facts:
                draft.casualties = draft.casualties.merge(fact.casualties)
                draft.evidence.insert(0, fact.text) if fact.text not in draft.evidence else None
                draft.actor = draft.actor or actor
                if fact.event_type and draft.event_type is None:
                    draft.event_type = fact.event_type
            self.open = None
        else:
            self.flush()


def _detached_events(article: Article, pub: date | None, state: _Assembly, spotter: MentionSpotter,
                     order: int) -> list[Event]:
    """Separate incidents told without a place: beside located events, each is a province-level event
    of its own (an unlocated village); in a report with none, they join the province's wave."""
    if not any(d.reported_as == "main" for d in state.drafts):
        for bucket in state.detached:
            for fact, when, actor in bucket.facts:
                _add_to_wave(state.wave, fact.text, fact.casualties, fact.event_type, fact.target, actor,
                             fact.state, when)
        return []
    province = state.wave.provinces.most_common(1)[0][0] if state.wave.provinces else PROVINCE
    where = spotter.resolver.resolve(province)
    if not where.resolved:
        return []
    events = []
    for bucket in state.detached:
        casualties = Casualties()
        for fact, _, _ in bucket.facts:
            casualties = casualties.merge(fact.casualties)
        first, when, actor = bucket.facts[0]
        event_type = next((f.event_type for f, _, _ in bucket.facts if f.event_type), None) or "armed assault"
        events.append(_make_event(article, pub, order + len(events), province, where, when, actor or UNKNOWN_ACTOR,
                                  event_type, first.target, casualties, [f.text for f, _, _ in bucket.facts]))
    return events


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
            # a stated total ("more than 250 people"): the lowest stated total wins, unless it is an update
            wave.total = rest.killed if wave.total is None or rest.update else min(wave.total, rest.killed)
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


#: A toll told without a place waits this many sentences for the place that follows it.
PENDING_SENTENCES = 2
#: Two sentences about one place whose dates differ by at most this many days tell one incident
#: ("on Tuesday" and, from a statement issued the next day, "earlier this afternoon").
MERGE_DAYS = 1


#: Where a sentence joins two incidents' clauses ("two died in A, while three were hurt in B").
_CLAUSE_BREAK = compile_prefiltered(r",?\s+(?:while|whereas)\s+|;\s+")
_AND_BREAK = compile_prefiltered(r",?\s+and\s+")
_TOLL_ROLES = ("killed", "killed_militant", "killed_not_militant", "injured")
#: The passive verb of a toll ("were killed", "was injured"), which a later clause may leave out.
_PASSIVE_OUTCOME = compile_prefiltered(
    rf"\b(?:were|was)\s+(?P<participle>{'|'.join(pattern('casualty_words', role) for role in _TOLL_ROLES)})\b",
    re.IGNORECASE)
#: The preposition that leads a place at the end of a clause ("... in Zhob").
_PLACE_LEAD = re.compile(r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?[\w'\u2019-]*\s*$", re.IGNORECASE)


def _clause_tolls(text: str, places: list[Mention], casualties: Casualties) -> dict[str | None, Casualties]:
    """The toll of each district a sentence places violence in. One district takes the sentence's toll;
    several take the toll of their own clause when each clause names one district ("four were shot dead
    in Quetta, while the bodies of six were found in Kech"); a toll that cannot be split is nobody's."""
    districts = {m.resolution.admin2 for m in places}
    if len(districts) == 1:
        return {next(iter(districts)): casualties}
    split = _tolls_by_clause(text, places, _CLAUSE_BREAK)
    if split is None:
        # "two soldiers were killed in Kohlu and three militants in Sibi": clauses joined by "and", each
        # with a toll of its own (a list such as "a soldier and a civilian ... in Kohlu and Sibi" has none)
        split = _tolls_by_clause(text, places, _AND_BREAK, gapped=True)
        if split is not None and any(toll.empty for toll in split.values()):
            split = None
    return split or {}


def _tolls_by_clause(text: str, places: list[Mention], breaks: re.Pattern[str] | PrefilteredPattern, *,
                     gapped: bool = False) -> dict[str | None, Casualties] | None:
    """Each district's toll from its own clause, or None unless every district lies in one clause of its own.
    With ``gapped``, a clause that leaves out the verb of the first ("three soldiers were killed in Kohlu and
    two militants in Zhob") takes that verb."""
    bounds = [0] + [b.end() for b in breaks.finditer(text)] + [len(text) + 1]
    if len(bounds) < 3:
        return None
    clause_of: dict[str | None, set[int]] = {}
    for mention in places:
        k = next(i for i in range(len(bounds) - 1) if bounds[i] <= mention.start < bounds[i + 1])
        clause_of.setdefault(mention.resolution.admin2, set()).add(k)
    clauses = [k for ks in clause_of.values() for k in ks]
    if any(len(ks) != 1 for ks in clause_of.values()) or len(set(clauses)) != len(clauses):
        return None
    verb = _PASSIVE_OUTCOME.search(text, 0, bounds[1]) if gapped else None
    first = {m.resolution.admin2: m.start for m in reversed(places)}  # each district's first mention
    tolls = {}
    for district, (k,) in clause_of.items():
        clause = text[bounds[k]:bounds[k + 1]]
        toll = find_casualties(clause)
        if toll.empty and verb is not None and k > 0:
            # the verb goes back where it was left out, before the place: "two policemen [were martyred] in Zhob"
            at = first[district] - bounds[k]
            lead = _PLACE_LEAD.search(clause, 0, at)
            at = lead.start() if lead else at
            toll = find_casualties(f"{clause[:at].rstrip()} were {verb['participle']} {clause[at:]}")
        tolls[district] = toll
    return tolls


def _same_toll(a: Casualties, b: Casualties) -> bool:
    return a.killed is not None and a.killed == b.killed and a.injured in (None, b.injured)


def _close_dates(a: DateSpan, b: DateSpan) -> bool:
    if a.compatible(b):
        return True
    assert a.start and a.end and b.start and b.end
    return abs((a.start - b.start).days) <= MERGE_DAYS and a.precision == b.precision == "day"


def _merge_or_add(drafts: list[_Draft], new: _Draft, *, separate: bool) -> _Draft:
    """Merge ``new`` into an earlier draft of the same incident, or add it; return the draft it lives in."""
    if separate:
        # "In another incident ... in Mashkai" details an item of an earlier list of places
        listed = [d for d in drafts if d.from_list and d.reported_as == new.reported_as
                  and d.result.admin2 == new.result.admin2 and not new.from_list]
        if listed:
            _absorb(listed[-1], new)
            return listed[-1]
    else:
        pool = [d for d in drafts
                if d.reported_as == new.reported_as
                and d.result.admin2 == new.result.admin2 and _close_dates(d.date, new.date)
                and _actors_compatible(d.actor, new.actor) and not (d.from_list and new.from_list)]
        same = [d for d in pool if d.place_key == new.place_key]
        nested = [d for d in pool if _nested(d, new)]
        # another place of the same district, told later with no toll or date of its own and no word of a
        # separate incident, is the incident being told ("the compound near the Saindak project"); so is a
        # toll told later for an incident first named without one, or the same toll told again
        loose = [d for d in pool[-1:] if (new.casualties.empty or d.casualties.empty
                                          or _same_toll(new.casualties, d.casualties))
                 and not new.from_list and not d.from_list
                 and new.sentence_index > d.sentence_index and (not new.date.known or new.date == d.date)]
        matches = same or nested or loose
        if matches:
            _absorb(matches[-1], new)
            return matches[-1]
    drafts.append(new)
    return new


def _refined_type(told: str | None, new: str | None) -> str | None:
    """The type of an incident told so far, given a further sentence about it.

    The further sentence sets a type the incident lacks, and refines one of the same family into a more
    specific one ("a blast ..." then "the blast was a suicide attack"); a different kind of violence told
    afterwards (gunfire after a blast) does not change what the incident was, nor does the fighting of a
    security operation, or the exchange of fire or operation that answers an attack.
    """
    if told is None or new is None:
        return told or new
    same_family = TYPE_FAMILIES.get(told) is not None and TYPE_FAMILIES.get(told) == TYPE_FAMILIES.get(new)
    # an operation stays one, whatever fighting it is told to have involved; an operation or an exchange of
    # fire told after an attack is the response to it
    response = told == "security operation" or new in ("security operation", "clash")
    refines = same_family and not response and TYPE_RANK[new] < TYPE_RANK[told]
    return new if refines else told


def _absorb(into: _Draft, new: _Draft) -> None:
    precision_new = new.result.geo_precision or 9
    precision_old = into.result.geo_precision or 9
    if precision_new < precision_old or (precision_new == precision_old and into.from_list and not new.from_list):
        into.mention = new.mention
        if new.target:  # the sentence that locates the event best also names its target best
            into.target, into.target_from_list = new.target, new.from_list
    into.date = into.date.narrower(new.date) if into.date.compatible(new.date) else into.date
    into.actor = into.actor or new.actor
    # an operation told after an attack is the response to it, not what the incident was
    response = new.event_type == "security operation" and into.event_type is not None
    if new.event_type and not response and (into.event_type is None
                                            or TYPE_RANK[new.event_type] < TYPE_RANK[into.event_type]):
        into.event_type = new.event_type
    if new.target and (into.target is None or (into.target_from_list and not new.from_list)):
        into.target, into.target_from_list = new.target, new.from_list
    into.casualties = into.casualties.merge(new.casualties)
    if new.evidence[0] not in into.evidence:
        into.evidence.extend(new.evidence)
    into.from_list = into.from_list and new.from_list
    if not new.from_list:
        into.told.append(new.sentence_index)


def _dominant(claims: list[tuple[int, str]], named: Counter[str]) -> str | None:
    if claims:
        return Counter(c for _, c in claims).most_common(1)[0][0]
    return named.most_common(1)[0][0] if named else None


def _fill_actors(drafts: list[_Draft], claims: list[tuple[int, str]], named: Counter[str]) -> None:
    """An event with no actor in its sentences takes a claim made within two sentences of the last one
    telling of it; else, when the report tells of one district only, the report's claimant."""
    one_place = len({d.result.admin2 for d in drafts if d.reported_as == "main"}) <= 1
    one_group = len({actor for _, actor in claims} | set(named)) == 1
    fallback = _dominant(claims, named) if one_place or one_group else None
    for draft in drafts:
        if draft.actor is None:
            told = draft.told if draft.told else ([] if draft.from_list else [draft.sentence_index])
            later = [actor for pos, actor in claims if any(k <= pos <= k + 2 for k in told)]
            # a separate or earlier incident does not take the report's claimant
            own = draft.reported_as == "main" and not draft.separate
            draft.actor = later[0] if later else (fallback if own else None)


def _stable_id(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _event(article: Article, pub: date | None, draft: _Draft, order: int) -> Event:
    result = draft.result
    event_type = draft.event_type or "other"
    location = _POSSESSIVE_END.sub("", draft.mention.text)  # "in Turbat's main bazaar": the place is Turbat
    return _make_event(article, pub, order, location, result, draft.date, draft.actor or UNKNOWN_ACTOR,
                       event_type, draft.target, draft.casualties, draft.evidence, reported_as=draft.reported_as)


_POSSESSIVE_END = compile_prefiltered(r"['\u2019]s?$")


def _district_then(result: Resolution, when: DateSpan) -> str | None:
    """The district in force on the event's date (the resolver gives today's)."""
    if result.admin2 is None or result.admin1 != PROVINCE or when.start is None:
        return result.admin2
    from ..layouts import district_on

    return district_on(result.admin3 or result.admin2, when.start) or result.admin2


def _make_event(article: Article, pub: date | None, order: int, location: str, result: Resolution, when: DateSpan,
                actor: str, event_type: str, target: str | None, casualties: Casualties,
                evidence: list[str], *, reported_as: str = "main") -> Event:
    key = result.admin2_id or result.admin1
    return Event(
        event_id=_stable_id(article.article_id, key, location, _iso(when.start), order),
        article_id=article.article_id, title=article.title, url=article.url, source=article.source,
        published=_iso(pub), event_date=_iso(when.end if when.text == _REPORT_WEEK else when.start), date_start=_iso(when.start), date_end=_iso(when.end),
        date_precision=when.precision if when.known else "unknown", location=location,
        admin1=result.admin1, admin2=_district_then(result, when), admin2_today=result.admin2,
        admin2_id=result.admin2_id, admin3=result.admin3,
        geo_precision=result.geo_precision, latitude=result.latitude, longitude=result.longitude,
        actor=actor, event_type=event_type,
        acled_sub_event_type=acled_sub_event_type(event_type, target, " ".join(evidence)),
        target=target, killed=casualties.killed, injured=casualties.injured,
        killed_civilians=casualties.killed_civilians, killed_security=casualties.killed_security,
        killed_militants=casualties.killed_militants, evidence=" ".join(evidence), reported_as=reported_as)


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
                 order: int, *, wide: bool) -> list[Event]:
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
    if not wide:
        # located events and no violence stated for the whole province: tolls told apart from the
        # place ("At least nine people were killed, police said") belong to the one located incident
        if len({d.result.admin2 for d in drafts}) == 1:
            stated = replace(wave.casualties, killed=wave.total if wave.total is not None else wave.casualties.killed)
            first = drafts[0]
            # the toll told apart is usually the report's lead ("At least 10 people were killed"): it reads first
            first.casualties = stated.merge(first.casualties).merge(wave.counter)
            first.evidence.extend(s for s in wave.sentences + wave.counter_sentences if s not in first.evidence)
            if first.event_type is None and wave.types:  # the toll's sentence also says what happened
                first.event_type = min(wave.types, key=TYPE_RANK.__getitem__)
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
            if draft.event_type is None and wave.types:
                draft.event_type = min(wave.types, key=TYPE_RANK.__getitem__)
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
