"""One incident, many reports: group the events of an events table into incidents.

Several outlets report the same attack, and later reports mention it again as
background. Each report yields its own event row; this module groups the rows
that describe one incident, so that maps and counts count attacks, not reports.

How rows are grouped (every rule is in :class:`IncidentRules`)
-------------------------------------------------------------
Rows are *blocked*: only rows of the same district (``admin2_id``, else
``admin2``) are ever compared; rows known only to a province are compared with
other province-only rows of that province. Within a block the rows are sorted
by date and swept once; a row is compared only with the incidents still
"open" (whose dates lie within ``window_days`` of it), never with all pairs.

A row joins an open incident when all of these hold, against every report
already in it:

* it comes from another article (one article's separate events stay apart);
* its date span lies within ``window_days`` of every member's span;
* its event type is compatible (same family: shootings, explosions, ...;
  ``other`` is compatible with anything);
* its actor is the same, or one of them is unknown;
* its death toll is compatible: the larger figure is at most
  ``3 * smaller + 3`` (tolls rise from "at least 5" to 7, not from 1 to 30);
* its target kind (security forces, police, civilians, infrastructure...)
  overlaps, when both name one;
* when both are placed in a tehsil (area precision or better), it is the
  same tehsil, or a neighbouring one when a neighbours table is given.

When several open incidents fit, the one agreeing on most of type, actor,
tehsil and target wins, then the nearest in date, then the oldest. Rows whose
date is only a month or a year (background mentions, typically) are placed
after the sweep: they join the one compatible incident of their block whose
date lies in their span, and stay apart, with the reason, when there is none
or more than one. Undated rows cannot be compared and stay single.

Each incident records why its reports were merged (``merge_reason``); the
result depends on the events table alone and on nothing else (not on row
order), so the incidents table can be regenerated from the events table.

Incident figures
----------------
Location: the most precise among its reports (lowest ``geo_precision``, then
the place most reports name, then the earliest report). Date: the most
common date among the reports with the finest date precision. Actor and type:
the most common known value. Casualties follow ``casualty_rule``:
``"lowest"`` (default, ACLED's conservative rule: the lowest figure any report
of the incident itself states; background mentions count only when no
main report gives one) or ``"latest"`` (the figure of the latest report that
states one). ``killed_min``/``killed_max`` always record the full range.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING, Literal

from .errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

__all__ = [
    "INCIDENT_COLUMNS",
    "IncidentRules",
    "incidents_from_events",
    "incidents_to_events",
    "table_for_unit",
    "tehsil_neighbours",
]

logger = logging.getLogger(__name__)

CasualtyRule = Literal["lowest", "latest"]

#: Columns of the incidents table, in order.
INCIDENT_COLUMNS = (
    "incident_id", "n_reports", "n_events", "article_ids", "sources", "reports", "event_ids",
    "first_report", "last_report", "event_date", "date_start", "date_end", "date_precision", "location",
    "admin1", "admin2", "admin2_id", "admin3", "geo_precision", "latitude", "longitude", "actor", "event_type",
    "acled_sub_event_type", "target", "killed", "killed_min", "killed_max", "injured", "injured_min",
    "injured_max", "killed_civilians", "killed_security", "killed_militants", "reported_as", "title", "url",
    "evidence", "merge_reason",
)

#: Event type -> family; types of one family can be the same incident told by different outlets.
TYPE_FAMILIES: dict[str, str] = {
    "armed assault": "gunfire", "ambush": "gunfire", "targeted killing": "gunfire", "clash": "gunfire",
    "bombing/IED": "explosion", "suicide bombing": "explosion", "grenade": "explosion",
    "shelling/airstrike": "shelling", "arson": "arson", "abduction": "abduction",
}
#: Types that say nothing about the incident (compatible with every type).
GENERIC_TYPES = frozenset({"other", "", "unknown"})
#: Actors that say nothing (compatible with every actor).
UNKNOWN_ACTORS = frozenset({"", "unknown"})
#: Target kind -> words of a target phrase that name it. A phrase may name several kinds; a phrase
#: naming none ("a checkpoint", "the area") constrains nothing. A checkpoint is a place that police,
#: Levies, FC or army may hold, so it names no kind by itself.
TARGET_KINDS: dict[str, str] = {
    "security forces": r"security|soldier|troop|army|military|\bfc\b|frontier\s+corps|convoy|levies|cantonment|"
                       r"personnel|\bctd\b|coast\s*guard",
    "police": r"police|policem[ae]n|constable|\bctd\b|levies",
    "civilians": r"civilian|passenger|\bbus\b|labou?rer|worker|villager|resident|student|teacher|journalist|"
                 r"shop|market|bazaar|traveller|traveler|pilgrim|people|family|house|home|school|mosque",
    "infrastructure": r"pipeline|railway|rail\s+track|train|bridge|tower|pylon|power|electric|gas\b|"
                      r"infrastructure|\bdam\b",
    "government": r"government|office|official|administration|election|polling|court",
}
_FAMILY_OF = {kind.lower(): family for kind, family in TYPE_FAMILIES.items()}
_TARGET_PATTERNS = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in TARGET_KINDS.items()}
#: Date precision -> rank (lower is finer).
DATE_RANK = {"day": 0, "range": 1, "week": 2, "month": 3, "year": 4, "unknown": 5}
#: More specific types first, to break ties between equally common types.
TYPE_ORDER = ("suicide bombing", "bombing/IED", "grenade", "ambush", "targeted killing", "abduction", "arson",
              "shelling/airstrike", "clash", "armed assault", "other")


@dataclass(frozen=True)
class IncidentRules:
    """The settings of the grouping, in one place.

    Attributes
    ----------
    window_days
        Two reports' date spans may be this many days apart (default 1: "last
        night" and "on Tuesday" in reports published a day apart).
    max_precise_span
        Rows whose date span is at most this many days are swept; longer spans
        (month, year) are placed afterwards.
    toll_factor, toll_slack
        Two death tolls a and b (a <= b) are compatible when
        ``b <= toll_factor * a + toll_slack``.
    casualty_rule
        ``"lowest"`` (ACLED's conservative rule) or ``"latest"``; see the module docstring.
    """

    window_days: int = 1
    max_precise_span: int = 7
    toll_factor: float = 3.0
    toll_slack: int = 3
    casualty_rule: CasualtyRule = "lowest"

    def __post_init__(self) -> None:
        if self.window_days < 0:
            raise InputError(f"window_days must be 0 or more, not {self.window_days!r}")
        if self.casualty_rule not in ("lowest", "latest"):
            raise InputError(f"casualty_rule must be 'lowest' or 'latest', not {self.casualty_rule!r}")


@lru_cache(maxsize=65536)
def _kinds_of(target: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _TARGET_PATTERNS.items() if pattern.search(target))


def target_kinds(target: object) -> frozenset[str]:
    """The kinds of target a target phrase names (empty when it names none).

    Examples
    --------
    >>> sorted(target_kinds("an FC convoy"))
    ['security forces']
    """
    if not isinstance(target, str) or not target.strip():
        return frozenset()
    return _kinds_of(target)


@dataclass
class _Incident:
    """An open incident during the sweep: a summary of its members, enough to test a new row in O(1)."""

    index: int
    block: str
    members: list[int]
    articles: set[str]
    min_end: int
    max_start: int
    anchor: int
    family: str | None
    actor: str | None
    killed_low: int | None
    killed_high: int | None
    tehsils: set[str]
    kinds: list[frozenset[str]]
    reasons: list[str] = field(default_factory=list)
    area_only: bool = False  # every member placed in a tehsil (area precision or finer)
    swept: bool = True  # opened by the date sweep (its anchor is a precise date)


class _Rows:
    """The columns the grouping reads, as plain Python lists (fast to index in a loop)."""

    def __init__(self, events: pd.DataFrame) -> None:
        import numpy as np
        import pandas as pd

        n = len(events)

        def text(column: str) -> list[str]:
            if column not in events:
                return [""] * n
            values = events[column].astype("string").fillna("").str.strip()
            return values.tolist()

        self.n = n
        self.event_id = text("event_id")
        self.article_id = text("article_id")
        self.admin1 = text("admin1")
        self.admin2 = text("admin2")
        self.admin3 = text("admin3")
        self.actor = text("actor")
        self.event_type = text("event_type")
        self.target = text("target")
        self.precision_text = [p.lower() or "unknown" for p in text("date_precision")]
        admin2_id = text("admin2_id")
        geo = pd.to_numeric(events["geo_precision"], errors="coerce") if "geo_precision" in events else None
        self.geo = ([4] * n if geo is None else geo.fillna(4).astype(int).tolist())
        killed = (pd.to_numeric(events["killed"], errors="coerce").astype("float64") if "killed" in events
                  else None)
        self.killed = [None] * n if killed is None else [None if math.isnan(v) else int(v) for v in killed.tolist()]
        reported = text("reported_as")
        self.background = [r.lower() == "background" for r in reported]
        start = _day_numbers(events, "date_start", fallback="event_date")
        end = _day_numbers(events, "date_end", fallback=None)
        precision = np.array(self.precision_text, dtype=object)
        end = np.where(np.isnan(end), _implied_end(start, precision), end)
        end = np.maximum(end, start)
        self.dated = ~np.isnan(start)
        self.start = np.where(self.dated, start, 0).astype(np.int64).tolist()
        self.end = np.where(self.dated, end, 0).astype(np.int64).tolist()
        self.dated = self.dated.tolist()
        blocks = []
        for a2id, a2, a1, g in zip(admin2_id, self.admin2, self.admin1, self.geo):
            if g <= 3 and (a2id or a2):
                blocks.append("D:" + (a2id or a2))
            elif a1:
                blocks.append("P:" + a1)
            else:
                blocks.append("")
        self.block = blocks


def _day_numbers(events: pd.DataFrame, column: str, fallback: str | None) -> np.ndarray:
    """Days since 1970 as floats (NaN when missing or not a date)."""
    import numpy as np
    import pandas as pd

    if column in events:
        values = events[column]
    elif fallback and fallback in events:
        values = events[fallback]
    else:
        return np.full(len(events), np.nan)
    text = values.astype("string").str.slice(0, 10)
    stamps = pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")
    days = (stamps - pd.Timestamp("1970-01-01")) // pd.Timedelta(days=1)
    return pd.to_numeric(days, errors="coerce").astype("float64").to_numpy()


def _implied_end(start: np.ndarray, precision: np.ndarray) -> np.ndarray:
    """Last day of a row's span when the table gives only its first day."""
    import numpy as np
    import pandas as pd

    safe = np.where(np.isnan(start), 0, start)
    stamps = pd.to_datetime(safe, unit="D")
    month_end = ((stamps + pd.offsets.MonthEnd(0)) - pd.Timestamp("1970-01-01")).days.to_numpy(dtype="float64")
    year_end = ((stamps + pd.offsets.YearEnd(0)) - pd.Timestamp("1970-01-01")).days.to_numpy(dtype="float64")
    end = np.where(precision == "month", month_end, np.where(precision == "year", year_end, start))
    return np.where(np.isnan(start), np.nan, end)


@lru_cache(maxsize=100_000)
def _day_text(day: int) -> str:
    from datetime import date, timedelta

    return (date(1970, 1, 1) + timedelta(days=int(day))).isoformat()


class _Grouper:
    """The sweep: assigns every row an incident and records why rows were merged."""

    def __init__(self, rows: _Rows, rules: IncidentRules, neighbours: Mapping[str, frozenset[str]] | None) -> None:
        self.rows = rows
        self.rules = rules
        self.neighbours = neighbours
        self.incidents: list[_Incident] = []
        self.label = [-1] * rows.n

    # -- compatibility ------------------------------------------------------------------------
    def _family(self, i: int) -> str | None:
        kind = self.rows.event_type[i].lower()
        return None if kind in GENERIC_TYPES else _FAMILY_OF.get(kind, kind)

    def _actor(self, i: int) -> str | None:
        actor = self.rows.actor[i]
        return None if actor.lower() in UNKNOWN_ACTORS else actor

    def _tehsil(self, i: int) -> str | None:
        """``"District/Tehsil"`` for rows placed in a tehsil (tehsil names repeat across districts)."""
        r = self.rows
        return f"{r.admin2[i]}/{r.admin3[i]}" if r.admin3[i] and r.geo[i] <= 2 else None

    def _tolls_fit(self, low: int, high: int) -> bool:
        return high <= self.rules.toll_factor * low + self.rules.toll_slack

    def _tehsils_fit(self, tehsil: str, known: set[str]) -> bool:
        for other in known:
            if other == tehsil:
                continue
            if self.neighbours is None or other not in self.neighbours.get(tehsil, frozenset()):
                return False
        return True

    def _fits(self, i: int, inc: _Incident, dated_check: bool = True) -> tuple[int, ...] | None:
        """None when row i cannot join ``inc``; else its agreement score (higher is better)."""
        r = self.rows
        if r.article_id[i] in inc.articles:
            return None
        w = self.rules.window_days
        if dated_check and (r.start[i] > inc.min_end + w or r.end[i] < inc.max_start - w):
            return None
        family = self._family(i)
        if family is not None and inc.family is not None and family != inc.family:
            return None
        actor = self._actor(i)
        if actor is not None and inc.actor is not None and actor != inc.actor:
            return None
        killed = r.killed[i]
        if killed is not None and inc.killed_low is not None:
            assert inc.killed_high is not None
            if not self._tolls_fit(min(killed, inc.killed_low), max(killed, inc.killed_high)):
                return None
        kinds = target_kinds(r.target[i])
        if kinds and any(k and not (k & kinds) for k in inc.kinds):
            return None
        tehsil = self._tehsil(i)
        if tehsil is not None and inc.tehsils and not self._tehsils_fit(tehsil, inc.tehsils):
            return None
        agree = ((family is not None and family == inc.family) + (actor is not None and actor == inc.actor)
                 + (tehsil is not None and tehsil in inc.tehsils) + bool(kinds and any(k & kinds for k in inc.kinds)))
        return (agree, -abs(r.start[i] - inc.anchor), -inc.index)

    # -- building -----------------------------------------------------------------------------
    def _open(self, i: int, reason: str) -> _Incident:
        r = self.rows
        tehsil = self._tehsil(i)
        kinds = target_kinds(r.target[i])
        inc = _Incident(index=len(self.incidents), block=r.block[i], members=[i], articles={r.article_id[i]},
                        min_end=r.end[i], max_start=r.start[i], anchor=r.start[i], family=self._family(i),
                        actor=self._actor(i), killed_low=r.killed[i], killed_high=r.killed[i],
                        tehsils={tehsil} if tehsil else set(), kinds=[kinds] if kinds else [], reasons=[reason],
                        area_only=tehsil is not None)
        self.incidents.append(inc)
        self.label[i] = inc.index
        return inc

    def _join(self, i: int, inc: _Incident, why: str) -> None:
        r = self.rows
        first = inc.members[0]
        parts = [f"{r.article_id[i]} joins {r.article_id[first]}: {why}"]
        family, actor = self._family(i), self._actor(i)
        if family is not None and family == inc.family:
            parts.append(f"type {r.event_type[i]} ~ {r.event_type[first] or 'other'}")
        if actor is not None and actor == inc.actor:
            parts.append(f"actor {actor}")
        killed = r.killed[i]
        if killed is not None and inc.killed_low is not None:
            parts.append(f"killed {killed} fits {inc.killed_low}"
                         + (f"-{inc.killed_high}" if inc.killed_high != inc.killed_low else ""))
        tehsil = self._tehsil(i)
        if tehsil and tehsil in inc.tehsils:
            parts.append(f"tehsil {tehsil}")
        inc.reasons.append(", ".join(parts))
        inc.members.append(i)
        inc.articles.add(r.article_id[i])
        if self.rules.max_precise_span >= r.end[i] - r.start[i]:
            inc.min_end = min(inc.min_end, r.end[i])
            inc.max_start = max(inc.max_start, r.start[i])
        inc.family = inc.family or family
        inc.actor = inc.actor or actor
        if killed is not None:
            inc.killed_low = killed if inc.killed_low is None else min(inc.killed_low, killed)
            inc.killed_high = killed if inc.killed_high is None else max(inc.killed_high, killed)
        if tehsil:
            inc.tehsils.add(tehsil)
        inc.area_only = inc.area_only and tehsil is not None
        kinds = target_kinds(r.target[i])
        if kinds:
            inc.kinds.append(kinds)
        self.label[i] = inc.index

    def _where(self, i: int) -> str:
        r = self.rows
        return (f"same district {r.admin2[i]}" if r.block[i].startswith("D:")
                else f"both known only as {r.admin1[i]}")

    def run(self, order: list[int]) -> None:
        """Group the rows, visiting them in ``order`` (sorted by block, then date)."""
        r = self.rules
        rows = self.rows
        precise: list[int] = []
        vague: list[int] = []
        for i in order:
            if not rows.block[i]:
                self._open(i, f"{rows.article_id[i]}: no district or province, not compared")
            elif not rows.dated[i]:
                self._open(i, f"{rows.article_id[i]}: no date, not compared")
            elif rows.end[i] - rows.start[i] <= r.max_precise_span:
                precise.append(i)
            else:
                vague.append(i)
        by_block: dict[str, list[_Incident]] = {}
        active: list[_Incident] = []
        block = ""
        for i in precise:
            if rows.block[i] != block:
                block, active = rows.block[i], []
            start = rows.start[i]
            active = [inc for inc in active if inc.min_end + r.window_days >= start]
            best, best_score = None, None
            for inc in active:
                score = self._fits(i, inc)
                if score is not None and (best_score is None or score > best_score):
                    best, best_score = inc, score
            if best is None:
                where = rows.admin2[i] or rows.admin1[i]
                inc = self._open(i, f"{rows.article_id[i]}: first report ({_day_text(start)}, {where})")
                active.append(inc)
                by_block.setdefault(block, []).append(inc)
            else:
                gap = abs(start - best.anchor)
                self._join(i, best, f"{self._where(i)}, date {_day_text(start)} "
                                    f"{'same day' if gap == 0 else f'{gap} day(s) from'} {_day_text(best.anchor)}")
        self._place_vague(vague, by_block)
        if self.neighbours:
            self._merge_across_borders()
        self._compact()

    def _incidents_fit(self, a: _Incident, b: _Incident) -> bool:
        """Whether two incidents of neighbouring tehsils in different districts can be one."""
        w = self.rules.window_days
        if a.articles & b.articles or a.max_start > b.min_end + w or b.max_start > a.min_end + w:
            return False
        if a.family is not None and b.family is not None and a.family != b.family:
            return False
        if a.actor is not None and b.actor is not None and a.actor != b.actor:
            return False
        lows = [v for v in (a.killed_low, b.killed_low) if v is not None]
        highs = [v for v in (a.killed_high, b.killed_high) if v is not None]
        if lows and not self._tolls_fit(min(lows), max(highs)):
            return False
        if any(not (ka & kb) for ka in a.kinds for kb in b.kinds):
            return False
        return all(self._tehsils_fit(t, a.tehsils) for t in b.tehsils)

    def _merge_across_borders(self) -> None:
        """Merge area-precision incidents of neighbouring tehsils that lie in different districts."""
        assert self.neighbours is not None
        rows, w = self.rows, self.rules.window_days
        by_tehsil: dict[str, list[_Incident]] = {}
        for inc in self.incidents:
            if inc.area_only and inc.swept:
                for tehsil in inc.tehsils:
                    by_tehsil.setdefault(tehsil, []).append(inc)  # sweep order: by date within a tehsil
        anchors = {t: [inc.anchor for inc in incs] for t, incs in by_tehsil.items()}
        for inc in self.incidents:
            if not (inc.area_only and inc.swept and inc.members):
                continue
            for tehsil in sorted(inc.tehsils):
                for near in sorted(self.neighbours.get(tehsil, ())):
                    keys = anchors.get(near, [])
                    lo = bisect_left(keys, inc.max_start - w - self.rules.max_precise_span)
                    hi = bisect_right(keys, inc.min_end + w)
                    for other in by_tehsil.get(near, [])[lo:hi]:
                        if (other is inc or not other.members or other.index < inc.index
                                or other.block == inc.block or not self._incidents_fit(inc, other)):
                            continue
                        first, joining = inc.members[0], other.members[0]
                        inc.reasons.append(
                            f"{rows.article_id[joining]} joins {rows.article_id[first]}: neighbouring tehsils "
                            f"{near} and {tehsil} across the district border, dates within {w} day(s)")
                        inc.reasons.extend(other.reasons[1:])
                        for i in other.members:
                            self.label[i] = inc.index
                        inc.members.extend(other.members)
                        inc.articles |= other.articles
                        inc.min_end, inc.max_start = min(inc.min_end, other.min_end), max(inc.max_start,
                                                                                          other.max_start)
                        inc.family, inc.actor = inc.family or other.family, inc.actor or other.actor
                        lows = [v for v in (inc.killed_low, other.killed_low) if v is not None]
                        highs = [v for v in (inc.killed_high, other.killed_high) if v is not None]
                        inc.killed_low, inc.killed_high = (min(lows), max(highs)) if lows else (None, None)
                        inc.tehsils |= other.tehsils
                        inc.kinds.extend(other.kinds)
                        other.members = []

    def _compact(self) -> None:
        """Drop incidents merged into others and number the rest 0..n-1."""
        kept = [inc for inc in self.incidents if inc.members]
        if len(kept) == len(self.incidents):
            return
        new = {inc.index: n for n, inc in enumerate(kept)}
        self.label = [new[label] for label in self.label]
        for n, inc in enumerate(kept):
            inc.index = n
        self.incidents = kept

    def _place_vague(self, vague: list[int], by_block: dict[str, list[_Incident]]) -> None:
        rows, w = self.rows, self.rules.window_days
        starts = {block: [inc.anchor for inc in incs] for block, incs in by_block.items()}  # sorted by the sweep
        loose: dict[tuple[str, int, int], list[_Incident]] = {}
        for i in vague:
            block = rows.block[i]
            incs = by_block.get(block, [])
            keys = starts.get(block, [])
            lo, hi = bisect_left(keys, rows.start[i] - w), bisect_right(keys, rows.end[i] + w)
            fits = [(score, inc) for inc in incs[lo:hi] if (score := self._fits(i, inc, dated_check=False))]
            span = f"{_day_text(rows.start[i])}..{_day_text(rows.end[i])} ({rows.precision_text[i]})"
            if len(fits) == 1:
                self._join(i, fits[0][1], f"{self._where(i)}, its {span} holds the only compatible incident "
                                          f"of {_day_text(fits[0][1].anchor)}")
                continue
            same = loose.setdefault((block, rows.start[i], rows.end[i]), [])
            match = next((inc for inc in same if self._fits(i, inc, dated_check=False)), None)
            if match is not None and not fits:
                self._join(i, match, f"{self._where(i)}, same {span}, no dated report of it")
                continue
            why = (f"{len(fits)} compatible incidents in its {span}, left apart" if fits
                   else f"date only {span}, no compatible dated incident")
            opened = self._open(i, f"{rows.article_id[i]}: {why}")
            opened.swept = False
            same.append(opened)


def _sort_order(rows: _Rows, events: pd.DataFrame) -> list[int]:
    """Rows by block, date, span, then ids: independent of the input row order."""
    import numpy as np

    keys = (np.array(rows.event_id, dtype=object), np.array(rows.article_id, dtype=object),
            np.array(rows.end), np.array(rows.start), np.array(rows.block, dtype=object))
    order: list[int] = np.lexsort(keys).tolist()
    return order


def _incident_id(event_ids: list[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(event_ids)).encode("utf-8")).hexdigest()
    return f"inc-{digest[:12]}"


def _most_common(values: pd.Series, groups: pd.Series, order: pd.Series | None = None) -> pd.Series:
    """Per group, the most common value (ties: lowest ``order``, then first value)."""
    import pandas as pd

    frame = pd.DataFrame({"g": groups.to_numpy(), "v": values.to_numpy(),
                          "o": (order if order is not None else pd.Series(0, index=values.index)).to_numpy()})
    frame = frame[frame["v"].notna() & (frame["v"].astype(str) != "")]
    if frame.empty:
        return pd.Series(dtype=object)
    counts = frame.groupby(["g", "v"], sort=False).agg(n=("v", "size"), o=("o", "min")).reset_index()
    counts = counts.sort_values(["g", "n", "o", "v"], ascending=[True, False, True, True], kind="mergesort")
    return counts.drop_duplicates("g").set_index("g")["v"]


def incidents_from_events(events: pd.DataFrame, *, rules: IncidentRules | None = None,
                          neighbours: Mapping[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """Group the events of an events table into incidents.

    Parameters
    ----------
    events
        An events table (``geoconflict extract`` output, or any frame with its
        columns; ``reported_as`` is optional and missing or empty means
        ``main``).
    rules
        Window, toll and casualty settings (default :class:`IncidentRules`).
    neighbours
        Optional ``"District/Tehsil"`` -> neighbouring ``"District/Tehsil"``
        keys (see :func:`tehsil_neighbours`). With it, rows of neighbouring
        tehsils can be one incident, across a district border too when every
        report of both is placed in a tehsil; without it, rows placed in
        different tehsils stay apart.

    Returns
    -------
    pandas.DataFrame
        One row per incident with :data:`INCIDENT_COLUMNS`, ordered by date
        then district. ``incident_id`` is a hash of the member event ids.

    Raises
    ------
    InputError
        When the table lacks ``event_id`` or ``article_id``, or has duplicate event ids.
    """
    import numpy as np
    import pandas as pd

    rules = rules or IncidentRules()
    missing = [c for c in ("event_id", "article_id") if c not in events]
    if missing:
        raise InputError(f"an events table needs the columns {', '.join(missing)} to be grouped into incidents")
    frame = pd.DataFrame(events.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=list(INCIDENT_COLUMNS))
    ids = frame["event_id"].astype("string")
    if ids.isna().any() or ids.duplicated().any():
        bad = ids[ids.isna() | ids.duplicated()].head(3).tolist()
        raise InputError(f"event ids must be present and unique to group events; repeated or empty: {bad!r}")
    rows = _Rows(frame)
    grouper = _Grouper(rows, rules, neighbours)
    grouper.run(_sort_order(rows, frame))
    label = np.array(grouper.label)
    logger.info("%d events -> %d incidents", len(frame), len(grouper.incidents))
    return _summarise(frame, rows, label, grouper.incidents, rules)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    import pandas as pd

    if column not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("").str.strip()


def _summarise(frame: pd.DataFrame, rows: _Rows, label: np.ndarray, incidents: list[_Incident],
               rules: IncidentRules) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    g = pd.Series(label, index=frame.index, name="g")
    published = _text(frame, "published").str.slice(0, 10)
    pub_key = published.where(published != "", "9999-99-99")  # undated reports sort last
    background = pd.Series(rows.background, index=frame.index)
    main = ~background
    date_rank = pd.Series([DATE_RANK.get(p, 5) if d else 5 for p, d in zip(rows.precision_text, rows.dated)],
                          index=frame.index)
    geo = pd.Series(rows.geo, index=frame.index)
    event_id = pd.Series(rows.event_id, index=frame.index, dtype=object)
    article = pd.Series(rows.article_id, index=frame.index, dtype=object)
    source = _text(frame, "source")
    location = _text(frame, "location")
    # Report order inside an incident: main reports first, then by publication date, article, event.
    report_order = pd.DataFrame({"g": label, "bg": background.to_numpy(), "p": pub_key.to_numpy(),
                                 "a": article.to_numpy(), "e": event_id.to_numpy()}).sort_values(
        ["g", "bg", "p", "a", "e"], kind="mergesort")
    rank = pd.Series(np.arange(len(report_order)), index=report_order.index).sort_index()
    out = pd.DataFrame(index=pd.RangeIndex(len(incidents)))
    by = frame.groupby(g, sort=True)

    # The representative row for place: finest geo precision, most named place, main first, earliest report.
    place_count = location.groupby([g, location]).transform("size")
    loc_order = pd.DataFrame({"g": label, "geo": geo.to_numpy(), "n": -place_count.to_numpy(),
                              "rank": rank.to_numpy()}).sort_values(["g", "geo", "n", "rank"], kind="mergesort")
    first_rows = loc_order.drop_duplicates("g")
    place_row = pd.Series(first_rows.index.to_numpy(), index=first_rows["g"].to_numpy())
    for column in ("location", "admin1", "admin2", "admin2_id", "admin3", "latitude", "longitude", "evidence",
                   "title", "url"):
        values = frame[column] if column in frame else pd.Series(None, index=frame.index, dtype=object)
        out[column] = values.loc[place_row.to_numpy()].to_numpy()
    out["geo_precision"] = geo.loc[place_row.to_numpy()].to_numpy()

    # Date: the most common start among the reports with the finest date precision.
    best_rank = date_rank.groupby(g).transform("min")
    finest = date_rank == best_rank
    # A span as one integer (start day * 2**20 + length), so the most common span is found without strings.
    span = (np.array(rows.start, dtype=np.int64) << 20) + (np.array(rows.end, dtype=np.int64)
                                                          - np.array(rows.start, dtype=np.int64))
    dated_finest = finest & pd.Series(rows.dated, index=frame.index)
    chosen = _most_common(pd.Series(span, index=frame.index).where(dated_finest), g, rank).reindex(out.index)
    spans = [None if pd.isna(v) else int(v) for v in chosen.tolist()]
    out["date_start"] = [None if v is None else _day_text(v >> 20) for v in spans]
    out["date_end"] = [None if v is None else _day_text((v >> 20) + (v & (2**20 - 1))) for v in spans]
    out["event_date"] = out["date_start"]
    precision_names = {v: k for k, v in DATE_RANK.items()}
    out["date_precision"] = best_rank.groupby(g).first().map(precision_names).to_numpy()

    actor_text = pd.Series(rows.actor, index=frame.index, dtype=object)
    actor = actor_text.where(~actor_text.str.lower().isin(UNKNOWN_ACTORS), None)
    out["actor"] = _most_common(actor, g, rank).reindex(out.index).fillna("unknown").to_numpy()
    kind = pd.Series(rows.event_type, index=frame.index, dtype=object)
    type_order = kind.map({t: n for n, t in enumerate(TYPE_ORDER)}).fillna(len(TYPE_ORDER)) * 10**7 + rank
    kind_known = kind.where(~kind.str.lower().isin(GENERIC_TYPES), None)
    out["event_type"] = _most_common(kind_known, g, type_order).reindex(out.index).fillna("other").to_numpy()
    sub = _text(frame, "acled_sub_event_type")
    typed = pd.DataFrame({"g": label, "t": kind.to_numpy(), "s": sub.to_numpy(), "r": rank.to_numpy()})
    typed = typed.sort_values("r").drop_duplicates(["g", "t"])
    sub_of = dict(zip(zip(typed["g"].tolist(), typed["t"].tolist()), typed["s"].tolist()))
    out["acled_sub_event_type"] = [sub_of.get(p) or "Other" for p in zip(out.index.tolist(), out["event_type"])]
    target = pd.Series(rows.target, index=frame.index, dtype=object)
    out["target"] = _most_common(target.where(target != "", None), g, rank).reindex(out.index).to_numpy()

    # Casualties.
    counts = {c: pd.to_numeric(frame[c], errors="coerce") if c in frame else pd.Series(np.nan, index=frame.index)
              for c in ("killed", "injured", "killed_civilians", "killed_security", "killed_militants")}
    for column in ("killed", "injured"):
        values = counts[column]
        out[f"{column}_min"] = values.groupby(g).min().reindex(out.index).to_numpy()
        out[f"{column}_max"] = values.groupby(g).max().reindex(out.index).to_numpy()
    killed_row = _casualty_rows(counts["killed"], g, main, rank, rules.casualty_rule)
    injured_row = _casualty_rows(counts["injured"], g, main, rank, rules.casualty_rule)
    out["killed"] = counts["killed"].reindex(killed_row.reindex(out.index).to_numpy()).to_numpy()
    out["injured"] = counts["injured"].reindex(injured_row.reindex(out.index).to_numpy()).to_numpy()
    for column in ("killed_civilians", "killed_security", "killed_militants"):
        out[column] = counts[column].reindex(killed_row.reindex(out.index).to_numpy()).to_numpy()

    # Reports.
    ordered = report_order.index
    first_per_article = ~report_order.duplicated(["g", "a"])
    rep = pd.DataFrame({"g": label[ordered], "a": article.loc[ordered].to_numpy(),
                        "s": source.loc[ordered].to_numpy(), "p": published.loc[ordered].to_numpy(),
                        "bg": background.loc[ordered].to_numpy()})[first_per_article.to_numpy()]
    rep["text"] = (rep["a"] + " (" + rep["s"].where(rep["s"] != "", "source unknown") + ", "
                   + rep["p"].where(rep["p"] != "", "date unknown")
                   + np.where(rep["bg"], ", background", "") + ")")
    rep_by = rep.groupby("g", sort=True)
    out["n_reports"] = rep_by.size().reindex(out.index).to_numpy()
    out["n_events"] = by.size().reindex(out.index).to_numpy()
    out["article_ids"] = _joined(rep["g"], rep["a"], len(out))
    srcs = rep[rep["s"] != ""].drop_duplicates(["g", "s"])
    out["sources"] = _joined(srcs["g"], srcs["s"], len(out))
    out["reports"] = _joined(rep["g"], rep["text"], len(out))
    out["event_ids"] = _joined(pd.Series(label[ordered]), event_id.loc[ordered], len(out))
    dated = pd.DataFrame({"g": label, "p": published.to_numpy()})
    dated = dated[dated["p"] != ""].sort_values(["g", "p"], kind="mergesort")
    first = dated.drop_duplicates("g", keep="first").set_index("g")["p"]
    last = dated.drop_duplicates("g", keep="last").set_index("g")["p"]
    out["first_report"] = first.reindex(out.index).to_numpy()
    out["last_report"] = last.reindex(out.index).to_numpy()
    out["reported_as"] = np.where(main.groupby(g).any().reindex(out.index).to_numpy(), "main", "background")
    out["merge_reason"] = ["; ".join(inc.reasons) if len(inc.members) > 1 else inc.reasons[0] for inc in incidents]
    out["incident_id"] = [_incident_id(ids.split("; ")) for ids in out["event_ids"]]

    for column in ("killed", "killed_min", "killed_max", "injured", "injured_min", "injured_max",
                   "killed_civilians", "killed_security", "killed_militants", "geo_precision", "n_reports",
                   "n_events"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    out = out.sort_values(["date_start", "admin1", "admin2", "incident_id"], na_position="last", kind="mergesort")
    return out[list(INCIDENT_COLUMNS)].reset_index(drop=True)


def _joined(groups: pd.Series, values: pd.Series, size: int) -> list[str | None]:
    """"; "-joined values per group 0..size-1 (rows already sorted by group); None for empty groups."""
    out: list[str | None] = [None] * size
    pairs = zip(groups.tolist(), values.tolist())
    for key, members in groupby(pairs, key=lambda pair: pair[0]):
        out[int(key)] = "; ".join(str(v) for _, v in members)
    return out


def _casualty_rows(values: pd.Series, groups: pd.Series, main: pd.Series, rank: pd.Series,
                   rule: CasualtyRule) -> pd.Series:
    """Per group, the index of the row whose figure the incident takes (missing when none states one)."""
    import pandas as pd

    frame = pd.DataFrame({"g": groups, "v": values, "bg": ~main, "r": rank})
    frame = frame[frame["v"].notna()]
    if rule == "lowest":
        # Main reports first; among them the lowest figure; ties: the earliest report.
        frame = frame.sort_values(["g", "bg", "v", "r"], kind="mergesort")
    else:
        # The latest report stating a figure (main reports first).
        frame = frame.sort_values(["g", "bg", "r"], ascending=[True, True, False], kind="mergesort")
    first = frame.drop_duplicates("g")
    return pd.Series(first.index.to_numpy(), index=first["g"].to_numpy())


def incidents_to_events(incidents: pd.DataFrame) -> pd.DataFrame:
    """An events-like table of incidents, for the renderers: one row per incident.

    ``event_id`` is the incident id and ``article_id`` lists every report
    behind the incident (so map popups show them all); the other columns keep
    the event table's names.

    Raises
    ------
    InputError
        When the table is not an incidents table.
    """
    import pandas as pd

    if "incident_id" not in incidents:
        raise InputError("not an incidents table: it has no incident_id column")
    frame = pd.DataFrame(incidents.drop(columns="geometry", errors="ignore")).copy()
    count = frame["n_reports"] if "n_reports" in frame else pd.Series(1, index=frame.index)
    n = pd.to_numeric(count, errors="coerce").fillna(1).astype(int)
    column = "reports" if "reports" in frame else "article_ids"
    reports = frame[column].astype("string").fillna("")
    frame["event_id"] = frame["incident_id"]
    frame["article_id"] = (n.astype(str) + " report" + n.map(lambda k: "" if k == 1 else "s") + ": "
                           + reports).where(n > 1, reports)
    return frame


def table_for_unit(table: pd.DataFrame, unit: str, *,
                   neighbours: Mapping[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """The rows maps and counts use: one per incident (``"incidents"``) or per event (``"events"``).

    An events table is grouped into incidents for ``"incidents"`` (with
    ``neighbours`` as in :func:`incidents_from_events`); an
    incidents table is drawn as it is; an ACLED export (already one row per
    event as ACLED coded it) is returned unchanged for either unit.

    Raises
    ------
    InputError
        For another unit, or ``"events"`` asked of an incidents table.
    """
    if unit not in ("incidents", "events"):
        raise InputError(f"unit must be 'incidents' or 'events', not {unit!r}")
    if "event_id_cnty" in table or "fatalities" in table:
        return table
    if "incident_id" in table:
        if unit == "events":
            raise InputError("this is an incidents table: map its events table for --unit events")
        return incidents_to_events(table)
    if unit == "events" or not {"event_id", "article_id"} <= set(table.columns):
        return table
    return incidents_to_events(incidents_from_events(table, neighbours=neighbours))


def tehsil_neighbours(tehsils: gpd.GeoDataFrame, *, tolerance_m: float = 100.0) -> dict[str, frozenset[str]]:
    """Which tehsils border which, as ``"District/Tehsil"`` keys (the form rows are compared in).

    Parameters
    ----------
    tehsils
        The tehsil layer (``load_admin_layers().tehsils``: columns ``admin2``, ``admin3``, ``geometry``).
    tolerance_m
        Polygons closer than this many metres count as neighbours (the boundary
        files leave small gaps along shared borders).

    Returns
    -------
    dict of str to frozenset of str
    """
    import geopandas as gpd

    layer = tehsils[["admin2", "admin3", "geometry"]].dropna(subset=["admin2", "admin3"]).copy()
    layer["key"] = layer["admin2"].astype(str) + "/" + layer["admin3"].astype(str)
    layer = layer.dissolve(by="key", as_index=False)[["key", "geometry"]].to_crs("EPSG:6933")
    grown = gpd.GeoDataFrame(layer[["key"]], geometry=layer.buffer(tolerance_m), crs=layer.crs)
    pairs = gpd.sjoin(grown, layer, how="inner", predicate="intersects")
    out: dict[str, set[str]] = {}
    for left, right in zip(pairs["key_left"], pairs["key_right"]):
        if left != right:
            out.setdefault(left, set()).add(right)
    return {key: frozenset(value) for key, value in out.items()}
