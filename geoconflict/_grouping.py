"""The sweep that groups event rows into incidents (see :mod:`geoconflict.incidents` for the rules).

Rows are read once into plain lists, sorted by block (district) and date, and swept once; each row
is tested only against the incidents still open in its block. An open incident keeps a summary of
its members, so a test costs the same whatever the incident's size.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .incidents import (
    UNKNOWN_ACTORS,
    IncidentRules,
    family_of,
    target_kinds,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass
class Incident:
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


class Rows:
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
        self.admin2 = text("admin2_today") if "admin2_today" in events else text("admin2")  # one layout
        self.admin3 = text("admin3")
        self.actor = text("actor")
        self.event_type = text("event_type")
        self.target = text("target")
        self.precision_text = [p.lower() or "unknown" for p in text("date_precision")]
        admin2_id = text("admin2_id")
        geo = (pd.to_numeric(events["geo_precision"], errors="coerce") if "geo_precision" in events
               else pd.Series(float("nan"), index=events.index))
        # Precision not stated: district level when a district is named, else province level.
        self.geo = [int(g) if not math.isnan(g) else (3 if (a2 or a2i) else 4) for g, a2, a2i in zip(geo.astype("float64").tolist(), self.admin2, admin2_id)]
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
        if fallback and fallback in events:  # a row without a start uses its event date
            values = values.where(values.notna() & (values.astype("string") != ""), events[fallback])
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
def day_text(day: int) -> str:
    from datetime import date, timedelta

    return (date(1970, 1, 1) + timedelta(days=int(day))).isoformat()


class Grouper:
    """The sweep: assigns every row an incident and records why rows were merged."""

    def __init__(self, rows: Rows, rules: IncidentRules, neighbours: Mapping[str, frozenset[str]] | None) -> None:
        self.rows = rows
        self.rules = rules
        self.neighbours = neighbours
        self.incidents: list[Incident] = []
        self.label = [-1] * rows.n

    # -- compatibility ------------------------------------------------------------------------
    def _family(self, i: int) -> str | None:
        return family_of(self.rows.event_type[i])

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

    def _fits(self, i: int, inc: Incident, dated_check: bool = True) -> tuple[int, ...] | None:
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
    def _open(self, i: int, reason: str) -> Incident:
        r = self.rows
        tehsil = self._tehsil(i)
        kinds = target_kinds(r.target[i])
        inc = Incident(index=len(self.incidents), block=r.block[i], members=[i], articles={r.article_id[i]},
                        min_end=r.end[i], max_start=r.start[i], anchor=r.start[i], family=self._family(i),
                        actor=self._actor(i), killed_low=r.killed[i], killed_high=r.killed[i],
                        tehsils={tehsil} if tehsil else set(), kinds=[kinds] if kinds else [], reasons=[reason],
                        area_only=tehsil is not None)
        self.incidents.append(inc)
        self.label[i] = inc.index
        return inc

    def _join(self, i: int, inc: Incident, why: str) -> None:
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
        by_block: dict[str, list[Incident]] = {}
        active: list[Incident] = []
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
                inc = self._open(i, f"{rows.article_id[i]}: first report ({day_text(start)}, {where})")
                active.append(inc)
                by_block.setdefault(block, []).append(inc)
            else:
                gap = abs(start - best.anchor)
                self._join(i, best, f"{self._where(i)}, date {day_text(start)} "
                                    f"{'same day' if gap == 0 else f'{gap} day(s) from'} {day_text(best.anchor)}")
        self._place_vague(vague, by_block)
        if self.neighbours:
            self._merge_across_borders()
        self._compact()

    def _incidents_fit(self, a: Incident, b: Incident) -> bool:
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
        by_tehsil: dict[str, list[Incident]] = {}
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

    def _place_vague(self, vague: list[int], by_block: dict[str, list[Incident]]) -> None:
        rows, w = self.rows, self.rules.window_days
        starts = {block: [inc.anchor for inc in incs] for block, incs in by_block.items()}  # sorted by the sweep
        loose: dict[tuple[str, int, int], list[Incident]] = {}
        for i in vague:
            block = rows.block[i]
            incs = by_block.get(block, [])
            keys = starts.get(block, [])
            lo, hi = bisect_left(keys, rows.start[i] - w), bisect_right(keys, rows.end[i] + w)
            fits = [(score, inc) for inc in incs[lo:hi] if (score := self._fits(i, inc, dated_check=False))]
            span = f"{day_text(rows.start[i])}..{day_text(rows.end[i])} ({rows.precision_text[i]})"
            if len(fits) == 1:
                self._join(i, fits[0][1], f"{self._where(i)}, its {span} holds the only compatible incident "
                                          f"of {day_text(fits[0][1].anchor)}")
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


def sort_order(rows: Rows, events: pd.DataFrame) -> list[int]:
    """Rows by block, date, span, then ids: independent of the input row order."""
    import numpy as np

    keys = (np.array(rows.event_id, dtype=object), np.array(rows.article_id, dtype=object),
            np.array(rows.end), np.array(rows.start), np.array(rows.block, dtype=object))
    order: list[int] = np.lexsort(keys).tolist()
    return order


