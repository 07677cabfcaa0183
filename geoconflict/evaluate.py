"""Score an extraction against hand-made gold annotations.

Two gold layouts are read:

* a folder with ``gold/NNN.json`` files (one object per article with ``id``,
  ``article``, ``publication_date``, ``events``), the development-corpus format;
* a single ``gold.json`` with ``{"articles": {file name: {...}}}``, the seed format
  (``event_type`` instead of ``attack_type``, flat killed counts).

Events are matched per article: a predicted event matches a gold event of the
same article when both name the same district (the gold district on the event
date or today's), or both are province-level events of the same province. Each
gold event matches at most one predicted event; among candidates the one with
the same date is preferred. Background events (earlier incidents mentioned as
context: gold ``background: true``, extraction ``reported_as == "background"``)
are scored separately from the report's own events.

Place accuracy reads a ``mention,district,province`` CSV: a mention with a
district must resolve to that district; one with only a province must not be
put on a district of another province (province-level, or unresolved); one with
neither (groups, places abroad) must not resolve into Pakistan.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import PROVINCE
from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from .resolver import Resolution, Resolver

__all__ = [
    "EventScore",
    "GoldEvent",
    "PlaceScore",
    "evaluate",
    "load_gold",
    "score_events",
    "score_places",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldEvent:
    """One gold event, in the fields the scorer compares."""

    article_id: str
    date: str | None
    date_precision: str
    district: str | None
    district_today: str | None
    province: str | None
    precision: str
    actor: str
    attack_type: str
    killed: int | None
    injured: int | None
    background: bool
    location_text: str


@dataclass
class EventScore:
    """Counts and rates of an event comparison.

    ``matched`` pairs gold with predicted events; the exactness rates are over
    matched pairs where the gold value is stated (a toll, a day-precise date).
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    deaths_stated: int = 0
    deaths_exact: int = 0
    injured_stated: int = 0
    injured_exact: int = 0
    dates_stated: int = 0
    dates_exact: int = 0
    actors_exact: int = 0
    types_exact: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def rates(self) -> dict[str, float | int]:
        """The headline numbers as a flat dict."""

        def rate(hit: int, total: int) -> float:
            return hit / total if total else 1.0

        return {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "recall": self.recall, "precision": self.precision, "f1": self.f1,
            "deaths_exact": rate(self.deaths_exact, self.deaths_stated), "deaths_stated": self.deaths_stated,
            "injured_exact": rate(self.injured_exact, self.injured_stated),
            "date_exact": rate(self.dates_exact, self.dates_stated), "dates_stated": self.dates_stated,
            "actor_exact": rate(self.actors_exact, self.matched),
            "type_exact": rate(self.types_exact, self.matched),
        }


@dataclass
class PlaceScore:
    """Place-resolution accuracy on a gold mention list."""

    total: int = 0
    correct: int = 0
    errors: list[str] = field(default_factory=list)
    #: The same mentions as the extraction resolved them in their articles (with the article's other
    #: places as context); None when no articles were read. Names the extraction did not spot are
    #: resolved alone, as in the plain score.
    in_articles: PlaceScore | None = None

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def summary(self) -> str:
        """The printed lines: accuracy of each name alone, then as resolved in the articles."""
        lines = [f"places: {self.accuracy:.3f} ({self.correct}/{self.total}) each name alone"]
        if self.in_articles is not None:
            ctx = self.in_articles
            lines.append(f"places: {ctx.accuracy:.3f} ({ctx.correct}/{ctx.total}) as resolved in their articles")
        return "\n".join(lines)


def _int(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _gold_event(article_id: str, raw: Mapping[str, object]) -> GoldEvent:
    precision = str(raw.get("precision") or "")
    date = str(raw.get("date") or raw.get("start") or "") or None
    date_precision = str(raw.get("date_precision") or ("day" if date else "unknown"))
    if date and "/" in date:  # the seeds write a span as "first/last"
        first, last = date.split("/", 1)
        date, date_precision = first, ("day" if first == last else "week")
    return GoldEvent(
        article_id=article_id,
        date=date,
        date_precision=date_precision,
        district=str(raw["district"]) if raw.get("district") else None,
        district_today=str(raw.get("district_today") or raw.get("district") or "") or None,
        province=str(raw["province"]) if raw.get("province") else None,
        precision=precision,
        actor=str(raw.get("actor") or "unknown"),
        attack_type=str(raw.get("attack_type") or raw.get("event_type") or "unspecified"),
        killed=_int(raw.get("killed")),
        injured=_int(raw.get("injured")),
        background=bool(raw.get("background")),
        location_text=str(raw.get("location_text") or ""),
    )


def _article_key(name: str) -> str:
    """Match article ids with or without their file extension."""
    return Path(name).stem if name.endswith(".txt") else name


def load_gold(path: str | Path) -> dict[str, list[GoldEvent]]:
    """Read gold events, keyed by article id (file name without ``.txt``).

    Parameters
    ----------
    path
        A ``gold.json`` file (seed format), a folder holding one, or a folder
        holding ``gold/*.json`` (or ``*.json``) files in the corpus format.

    Raises
    ------
    InputError
        When no gold file is found or one does not parse.
    """
    root = Path(path)
    if root.is_dir() and (root / "gold.json").is_file():
        root = root / "gold.json"
    gold: dict[str, list[GoldEvent]] = {}
    if root.is_file():
        data = _read_json(root)
        articles = data.get("articles", {}) if isinstance(data, dict) else {}
        for name, article in articles.items():
            key = _article_key(name)
            gold[key] = [_gold_event(key, e) for e in article.get("events", [])]
        return gold
    folder = root / "gold" if (root / "gold").is_dir() else root
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"no gold annotations found at {str(path)!r}: expected gold.json or gold/*.json")
    for file in files:
        article = _read_json(file)
        key = _article_key(Path(str(article.get("article") or file.stem)).name)
        gold[key] = [_gold_event(key, e) for e in article.get("events", [])]
    return gold


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold file {str(path)!r}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"gold file {str(path)!r} is not a JSON object")
    return data


#: Event types of the extractor that count as the same as a gold attack type.
_TYPE_EQUIVALENTS = {
    "bombing/IED": {"IED", "explosion", "landmine"},
    "shelling/airstrike": {"rocket attack"},
    "abduction": {"kidnapping"},
    "other": {"unspecified"},
}


def _same_type(predicted: str, gold: str) -> bool:
    return predicted == gold or gold in _TYPE_EQUIVALENTS.get(predicted, set())


def _province_level(event: Mapping[str, object]) -> bool:
    precision = _int(event.get("geo_precision"))
    return precision == 4 or not event.get("admin2")


def _matches(pred: Mapping[str, object], gold: GoldEvent) -> bool:
    if gold.precision == "province" or not gold.district:
        return _province_level(pred) and pred.get("admin1") == gold.province
    return not _province_level(pred) and pred.get("admin2") in {gold.district, gold.district_today}


def _describe(event: Mapping[str, object] | GoldEvent) -> str:
    if isinstance(event, GoldEvent):
        place = event.district_today or event.province
        return f"{event.article_id}: {place} {event.date or '-'} {event.attack_type} k={event.killed}"
    place = event.get("admin2") or event.get("admin1")
    return (f"{event.get('article_id')}: {place} {event.get('event_date') or '-'} {event.get('event_type')} "
            f"k={event.get('killed')} [{event.get('location')}]")


def score_events(predicted: Iterable[Mapping[str, object]], gold: Mapping[str, Sequence[GoldEvent]], *,
                 province: str | None = PROVINCE, background: bool = False) -> EventScore:
    """Compare predicted event rows with gold events.

    Parameters
    ----------
    predicted
        Event rows (dicts with the events-table columns), e.g. ``frame.to_dict("records")``.
    gold
        Gold events by article id, from :func:`load_gold`.
    province
        Score only events in this province (gold ``province``, predicted
        ``admin1``); None scores every event.
    background
        Score background events (earlier incidents) instead of the reports' own.

    Returns
    -------
    EventScore
    """
    score = EventScore()
    by_article: dict[str, list[Mapping[str, object]]] = {}
    for event in predicted:
        key = _article_key(str(event.get("article_id")))
        if key not in gold:
            continue
        if province is not None and event.get("admin1") != province:
            continue
        is_background = event.get("reported_as") == "background"
        if is_background != background:
            continue
        by_article.setdefault(key, []).append(event)
    for article_id, gold_events in gold.items():
        wanted = [g for g in gold_events if g.background == background
                  and (province is None or g.province == province)]
        left = list(by_article.get(article_id, []))
        score.gold += len(wanted)
        score.predicted += len(left)
        for g in wanted:
            options = [p for p in left if _matches(p, g)]
            if not options:
                score.misses.append(_describe(g))
                continue
            options.sort(key=lambda p: p.get("event_date") != g.date)
            best = options[0]
            left.remove(best)
            score.matched += 1
            _compare(score, best, g)
        score.false_alarms.extend(_describe(p) for p in left)
    return score


def _compare(score: EventScore, pred: Mapping[str, object], gold: GoldEvent) -> None:
    problems = []
    for column, want, counter in (("killed", gold.killed, "deaths"), ("injured", gold.injured, "injured")):
        if want is None:
            continue
        setattr(score, f"{counter}_stated", getattr(score, f"{counter}_stated") + 1)
        if _int(pred.get(column)) == want:
            setattr(score, f"{counter}_exact", getattr(score, f"{counter}_exact") + 1)
        else:
            problems.append(f"{column} {pred.get(column)} != {want}")
    if gold.date and gold.date_precision == "day":
        score.dates_stated += 1
        if pred.get("event_date") == gold.date:
            score.dates_exact += 1
        else:
            problems.append(f"date {pred.get('event_date')} != {gold.date}")
    if pred.get("actor") == gold.actor:
        score.actors_exact += 1
    else:
        problems.append(f"actor {pred.get('actor')} != {gold.actor}")
    if _same_type(str(pred.get("event_type")), gold.attack_type):
        score.types_exact += 1
    else:
        problems.append(f"type {pred.get('event_type')} != {gold.attack_type}")
    if problems:
        score.wrong.append(f"{_describe(gold)}: " + "; ".join(problems))


def score_places(path: str | Path, resolver: Resolver, *, mentions: pd.DataFrame | None = None) -> PlaceScore:
    """Resolve every mention of a ``mention,district,province`` CSV and count the right ones.

    Each mention is resolved alone. With ``mentions`` (the ``mentions`` table of an extraction of the
    articles the names come from), :attr:`PlaceScore.in_articles` also scores each name as the
    extraction resolved it in its article, where the article's other places break ties.

    Raises
    ------
    InputError
        When the file cannot be read or lacks a ``mention`` column.
    """
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read places file {str(path)!r}: {exc}") from exc
    if rows and "mention" not in rows[0]:
        raise InputError(f"places file {str(path)!r} needs a 'mention' column (and 'district', 'province')")
    alone = _score_rows(rows, lambda name: _Placed.of(resolver.resolve(name)))
    if mentions is None or mentions.empty:
        return alone
    found: dict[str, _Placed] = {}
    for rec in mentions.astype(object).where(mentions.notna(), None).to_dict("records"):
        found.setdefault(str(rec["mention"]).casefold(), _Placed(
            rec["status"] == "resolved" and rec["admin1"] is not None, rec["admin1"], rec["admin2"],
            _int(rec["geo_precision"]), str(rec["method"]), str(rec["status"])))
    def in_article(name: str) -> _Placed:
        key = name.casefold()
        if key in found:
            return found[key]
        # a name the extraction read inside a longer phrase ("the Dasht tehsil of Mastung district") is placed
        # where that phrase was
        words = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
        inside = next((placed for text, placed in found.items()
                       if placed.placed and _COMPOUND.search(text) and words.search(text)), None)
        return inside or _Placed.of(resolver.resolve(name))

    in_articles = _score_rows(rows, in_article)
    return replace(alone, in_articles=in_articles)


#: A phrase of several places ("the X area of Y district", "Y's X"), not one longer name ("South X").
_COMPOUND = re.compile(r"\s(?:of|in|near)\s|['\u2019]s\s|,\s")


@dataclass(frozen=True)
class _Placed:
    """What a place mention was resolved to, alone or in its article."""

    placed: bool
    admin1: str | None
    admin2: str | None
    geo_precision: int | None
    method: str
    status: str

    @classmethod
    def of(cls, result: Resolution) -> _Placed:
        return cls(result.resolved and result.admin1 is not None, result.admin1, result.admin2,
                   result.geo_precision, result.method, result.status)


def _score_rows(rows: list[dict[str, str]], place: Callable[[str], _Placed]) -> PlaceScore:
    score = PlaceScore()
    for row in rows:
        mention = row["mention"]
        district = (row.get("district") or "").strip() or None
        province = (row.get("province") or "").strip() or None
        result = place(mention)
        if district:
            ok = result.placed and result.admin2 == district
        elif province:
            ok = not result.placed or (result.admin1 == province and (result.geo_precision or 0) >= 4)
        else:
            ok = not result.placed
        score.total += 1
        if ok:
            score.correct += 1
        else:
            got = f"{result.admin2 or result.admin1} ({result.method})" if result.placed else result.status
            score.errors.append(f"{mention!r}: want {district or province or 'not placed'}, got {got}")
    return score


def evaluate(gold: str | Path, articles: Sequence[str | Path], *, places: str | Path | None = None,
             resolver: Resolver | None = None, province: str | None = PROVINCE,
             ) -> tuple[dict[str, EventScore], PlaceScore | None]:
    """Extract events from ``articles`` and score them against ``gold``.

    Returns
    -------
    (scores, places)
        ``scores["main"]`` for the reports' own events and ``scores["background"]``
        for earlier incidents; ``places`` is the :func:`score_places` result when
        a places CSV is given, else None.
    """
    from .extract import extract_events
    from .resolver import Resolution, Resolver

    resolver = resolver or Resolver.from_gazetteer()
    gold_events = load_gold(gold)
    run = extract_events([str(a) for a in articles], resolver=resolver, progress=False)
    rows = run.events.drop(columns="geometry").astype(object).where(run.events.notna(), None).to_dict("records")
    scores = {kind: score_events(rows, gold_events, province=province, background=kind == "background")
              for kind in ("main", "background")}
    place_score = score_places(places, resolver, mentions=run.mentions) if places else None
    return scores, place_score


def scores_frame(scores: Mapping[str, EventScore]) -> pd.DataFrame:
    """The headline numbers of :func:`evaluate`, one row per kind of event."""
    import pandas as pd

    return pd.DataFrame({kind: s.rates() for kind, s in scores.items()}).T
