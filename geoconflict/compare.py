"""Compare geoconflict's incidents with an ACLED export: what both found, what each has alone.

Matching
--------
An incident and an ACLED event match when their dates lie within
``window_days`` (the incident's date span widened by the window must hold
ACLED's day) and the incident's district is one ACLED's row can mean:

* ACLED's ``admin2`` and ``admin3`` names mapped to the district layout of
  the event's date (:func:`geoconflict.layouts.district_on`): ACLED's "Chaman"
  (a district since 2021) on a 2019 event means Qilla Abdullah, the district
  then in force, which is what our ``admin2`` holds; its ``admin3`` tehsil
  names the district that tehsil belonged to on that day;
* the ``admin2`` name also as written, spelt any way the gazetteer knows
  (Killa Abdullah, Lasbella): a district that has since been split also means
  the districts carved from it, for exports that keep an old layout (ACLED's
  "Lasbela" on a 2023 event includes Hub, a district since 2022);
* for rows with ``geo_precision`` 1 or 2 (a town, or near one), also the
  district its point lies in, when the district polygons are given. Rows at
  precision 3 carry a district's (or a larger area's) central point, which
  says nothing more than the name, so only the name is used.

Pairs are made one to one, best first: nearest in date, then same ACLED event
type, then nearest death toll, then by id (deterministic). Incidents known
only to a province are not matched (ACLED codes a district for every event).

Scope: only the period and the provinces both tables cover are scored.
ACLED rows and incidents outside them are kept in the table with the status
``outside_period`` or ``outside_area``; undated incidents and ACLED rows
without a readable date are kept as ``undated``. Recall is matched / ACLED
events in scope; precision is matched / incidents in scope.
"""

from __future__ import annotations

import logging
import math
import os
from bisect import bisect_right
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .acled import ACLED_SUB_EVENT_TYPES
from .errors import InputError

if TYPE_CHECKING:
    import folium

    from .config import Settings
    import geopandas as gpd
    import pandas as pd

__all__ = ["COMPARISON_COLUMNS", "Comparison", "ComparisonSummary", "compare_with_acled", "render_comparison",
           "save_comparison"]

logger = logging.getLogger(__name__)

#: Columns of the comparison table.
COMPARISON_COLUMNS = (
    "status", "incident_id", "event_id_cnty", "date", "acled_date", "date_gap_days", "admin1", "admin2",
    "acled_admin1", "acled_admin2", "geo_precision", "acled_geo_precision", "event_type", "acled_event_type",
    "acled_sub_event_type", "actor", "acled_actor1", "killed", "acled_fatalities", "deaths_diff", "location",
    "acled_location", "latitude", "longitude", "reports", "acled_notes", "match_reason",
)
#: Status -> label used in the map legend.
STATUS_LABELS = {"matched": "in both", "only_ours": "only geoconflict", "only_acled": "only ACLED"}


@dataclass(frozen=True)
class ComparisonSummary:
    """The numbers of a comparison.

    Attributes
    ----------
    acled_in_scope, incidents_in_scope
        ACLED events and incidents in the common period and provinces.
    matched, only_ours, only_acled
        Counts by status (in scope).
    recall, precision
        matched / acled_in_scope and matched / incidents_in_scope (None when the denominator is 0).
    out_of_scope_acled, out_of_scope_ours
        Rows outside the common period or provinces, or undated.
    deaths_pairs
        Matched pairs where geoconflict states a toll (ACLED always does; 0 can mean unknown).
    deaths_exact, deaths_within_one
        Of those, pairs with equal tolls, and with tolls at most 1 apart.
    deaths_mean_abs_diff
        Mean absolute difference of the tolls over ``deaths_pairs``.
    deaths_ours, deaths_acled
        Sum of the tolls over ``deaths_pairs``.
    """

    acled_in_scope: int
    incidents_in_scope: int
    matched: int
    only_ours: int
    only_acled: int
    recall: float | None
    precision: float | None
    out_of_scope_acled: int
    out_of_scope_ours: int
    deaths_pairs: int
    deaths_exact: int
    deaths_within_one: int
    deaths_mean_abs_diff: float | None
    deaths_ours: int
    deaths_acled: int

    def to_dict(self) -> dict[str, object]:
        """The summary as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    """A comparison: one row per pair or unmatched event (:data:`COMPARISON_COLUMNS`) and its summary."""

    table: pd.DataFrame
    summary: ComparisonSummary


def _key(name: object) -> str:
    from .normalize import match_key, normalize_name

    if not isinstance(name, str) or not name.strip():
        return ""
    return match_key(normalize_name(name))


@cache
def _district_keys() -> dict[str, frozenset[str]]:
    """Name key (any spelling the gazetteer knows) -> keys of today's districts it can mean."""
    from .districts import read_gazetteer_table

    rows = read_gazetteer_table("districts.csv")
    children: dict[str, set[str]] = {}
    canonical: dict[str, str] = {}
    for row in rows:
        canonical[_key(row["district"])] = row["district"]
        if row.get("adm2_name"):
            canonical.setdefault(_key(row["adm2_name"]), row["district"])
        if row.get("carved_from"):
            children.setdefault(row["carved_from"], set()).add(row["district"])
    for alias in read_gazetteer_table("aliases.csv"):
        target = canonical.get(_key(alias["target"]))
        if target is not None:
            canonical.setdefault(_key(alias["alias"]), target)
    return {key: frozenset(_key(d) for d in {name, *children.get(name, ())}) for key, name in canonical.items()}


@cache
def _district_then(name: str, day: int) -> str | None:
    """The district a tehsil or district name meant on a day (days since 1970), or None."""
    from datetime import date, timedelta

    from .layouts import district_on

    return district_on(name, date(1970, 1, 1) + timedelta(days=day))


def _layout_keys(names: list[object], days: list[int | None]) -> list[tuple[set[str], list[str]]]:
    """For each row: keys of the districts in force on its day that its names mean, and how."""
    out: list[tuple[set[str], list[str]]] = []
    for name, day in zip(names, days):
        keys: set[str] = set()
        how: list[str] = []
        if isinstance(name, str) and name.strip() and day is not None:
            then = _district_then(name.strip(), day)
            if then is not None:
                keys.add(_key(then))
                if _key(then) != _key(name):
                    how.append(f"{name.strip()} was in {then} on that date")
        out.append((keys, how))
    return out


def _acled_keys(acled: pd.DataFrame, districts: gpd.GeoDataFrame | None,
                days: list[int | None]) -> list[tuple[frozenset[str], str]]:
    """For each ACLED row: the district keys it can mean, and how they were found."""
    import geopandas as gpd
    import pandas as pd

    table = _district_keys()
    admin3 = acled["admin3"].tolist() if "admin3" in acled else [None] * len(acled)
    by_admin2 = _layout_keys(acled["admin2"].tolist(), days)
    by_admin3 = _layout_keys(admin3, days)
    out: list[tuple[frozenset[str], str]] = []
    for name, (keys2, how2), (keys3, how3) in zip(acled["admin2"].tolist(), by_admin2, by_admin3):
        key = _key(name)
        if not key:
            keys, how = set(), "no admin2"
        elif key in table:
            keys = set(table[key])
            how = "admin2 name" + (" (split since: also its new districts)" if len(keys) > 1 else "")
        else:
            keys, how = {key}, "admin2 name as written"
        extra = [f"admin2 {h}" for h in how2 if not keys2 <= keys]
        keys |= keys2
        extra += [f"admin3 {h}" for h in how3 if not keys3 <= keys]
        keys |= keys3
        out.append((frozenset(keys), "; ".join([how, *extra])))
    if districts is not None and len(acled):
        point = (acled["geo_precision"].isin([1, 2]) & acled["latitude"].notna() & acled["longitude"].notna())
        if point.any():
            pts = gpd.GeoDataFrame(index=acled.index[point], crs="EPSG:4326",
                                   geometry=gpd.points_from_xy(acled.loc[point, "longitude"],
                                                               acled.loc[point, "latitude"]))
            joined = gpd.sjoin(pts, districts[["admin2", "geometry"]].to_crs("EPSG:4326"), how="left",
                               predicate="within")
            joined = joined[~joined.index.duplicated()]
            position = {label: n for n, label in enumerate(acled.index)}
            for label, name in joined["admin2"].items():
                if isinstance(name, str) and not pd.isna(name):
                    n = position[label]
                    known, said = out[n]
                    if _key(name) not in known:
                        out[n] = (known | {_key(name)}, said + f"; point lies in {name}")
    return out


def _days(values: pd.Series) -> list[int | None]:
    import pandas as pd

    stamps = pd.to_datetime(values.astype("string").str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    days = (stamps - pd.Timestamp("1970-01-01")) // pd.Timedelta(days=1)
    return [None if pd.isna(d) else int(d) for d in days.tolist()]


def compare_with_acled(incidents: pd.DataFrame, acled: pd.DataFrame, *, window_days: int = 1,
                       districts: gpd.GeoDataFrame | None = None) -> Comparison:
    """Match incidents with the events of an ACLED export.

    Parameters
    ----------
    incidents
        An incidents table (:func:`geoconflict.incidents_from_events`).
    acled
        An ACLED export as read by :func:`geoconflict.acled.load_acled`.
    window_days
        Largest date difference of a match (default 1).
    districts
        Today's district polygons (column ``admin2``), to place ACLED rows of
        ``geo_precision`` 1-2 by their point as well as by name; optional.

    Returns
    -------
    Comparison

    Raises
    ------
    InputError
        When a table lacks the columns a comparison needs.
    """
    import pandas as pd

    if window_days < 0:
        raise InputError(f"window_days must be 0 or more, not {window_days!r}")
    if "incident_id" not in incidents:
        raise InputError("compare needs an incidents table (with incident_id); group events first")
    if "date" not in acled:
        raise InputError("compare needs an ACLED table read with geoconflict.acled.load_acled")
    ours = pd.DataFrame(incidents.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    theirs = acled.reset_index(drop=True)
    w = window_days
    o_start = _days(ours["date_start"])
    o_end = [e if e is not None else s for s, e in zip(o_start, _days(ours["date_end"].fillna(ours["date_start"])))]
    o_dated_rows = [s is not None for s in o_start]
    s0 = [s or 0 for s in o_start]  # day numbers; only read for dated incidents
    e0 = [e or 0 for e in o_end]
    a_day = _days(theirs["date"])
    o_area, a_area = [_key(v) for v in ours["admin1"]], [_key(v) for v in theirs["admin1"]]
    o_geo = pd.to_numeric(ours["geo_precision"], errors="coerce").fillna(4).astype(int).tolist()
    # Our district as written (the district in force on the date, for geoconflict's tables) and the
    # district its names meant on the date (for tables written in another layout).
    o_dist: list[set[str]] = []
    own3 = ours["admin3"].tolist() if "admin3" in ours else [None] * len(ours)
    then2, then3 = _layout_keys(ours["admin2"].tolist(), o_start), _layout_keys(own3, o_start)
    for v, g, (k2, _), (k3, _) in zip(ours["admin2"], o_geo, then2, then3):
        o_dist.append(({_key(v)} | k2 | (k3 if g <= 2 else set())) - {""} if g <= 3 and _key(v) else set())
    a_keys = _acled_keys(theirs, districts, a_day)
    o_rec, a_rec = _records(ours, _OUR_COLUMNS), _records(theirs, _ACLED_COLUMNS)

    a_dated = [d for d in a_day if d is not None]
    o_dated = [d for d in o_start if d is not None]
    a_span = (min(a_dated), max(a_dated)) if a_dated else None
    o_span = (min(o_dated), max(e for e, d in zip(e0, o_dated_rows) if d)) if o_dated else None
    a_areas, o_areas = set(a_area), set(o_area)
    o_status: list[str] = []
    for dated, s, e, area in zip(o_dated_rows, s0, e0, o_area):
        if not dated:
            o_status.append("undated")
        elif area not in a_areas:
            o_status.append("outside_area")
        elif a_span is None or e < a_span[0] - w or s > a_span[1] + w:
            o_status.append("outside_period")
        else:
            o_status.append("in")
    a_status: list[str] = []
    for d, area in zip(a_day, a_area):
        if d is None:
            a_status.append("undated")
        elif area not in o_areas:
            a_status.append("outside_area")
        elif o_span is None or d < o_span[0] - w or d > o_span[1] + w:
            a_status.append("outside_period")
        else:
            a_status.append("in")

    # Index our in-scope incidents by district key, sorted by start.
    index: dict[str, list[tuple[int, int]]] = {}
    for i, status in enumerate(o_status):
        if status == "in":
            for key in o_dist[i]:
                index.setdefault(key, []).append((s0[i], i))
    longest = {k: max(e0[i] - s0[i] for _, i in v) for k, v in index.items()}
    for entries in index.values():
        entries.sort()
    o_kind = ours["acled_sub_event_type"].map(ACLED_SUB_EVENT_TYPES).tolist()
    a_kind = theirs["sub_event_type"].map(ACLED_SUB_EVENT_TYPES).tolist() if "sub_event_type" in theirs else [
        None] * len(theirs)
    o_killed = pd.to_numeric(ours["killed"], errors="coerce").astype("float64").tolist()
    a_killed = pd.to_numeric(theirs["fatalities"], errors="coerce").astype("float64").tolist()
    candidates = []
    for j, status in enumerate(a_status):
        if status != "in":
            continue
        day = a_day[j]
        assert day is not None
        for key in a_keys[j][0]:
            entries = index.get(key, [])
            hi = bisect_right(entries, (day + w, len(ours)))
            lo = bisect_right(entries, (day - w - longest.get(key, 0) - 1, len(ours)))
            for start, i in entries[lo:hi]:
                if e0[i] + w < day:
                    continue
                gap = _gap(day, start, e0[i])
                same_kind = 0 if (o_kind[i] is not None and o_kind[i] == a_kind[j]) else 1
                deaths = (abs(o_killed[i] - a_killed[j]) if o_killed[i] == o_killed[i] and a_killed[j] == a_killed[j]
                          else 10**6)
                candidates.append((gap, same_kind, deaths, str(o_rec[i]["incident_id"]),
                                   str(a_rec[j]["event_id_cnty"]), i, j))
    candidates.sort()
    taken_o: dict[int, int] = {}
    taken_a: set[int] = set()
    for *_, oi, aj in candidates:
        if oi in taken_o or aj in taken_a:
            continue
        taken_o[oi] = aj
        taken_a.add(aj)

    rows: list[dict[str, object]] = []
    for i in range(len(ours)):
        pair = taken_o.get(i)
        status = "matched" if pair is not None else ("only_ours" if o_status[i] == "in" else o_status[i])
        row = _our_fields(o_rec[i])
        row["status"] = status
        if pair is not None:
            j = pair
            row.update(_acled_fields(a_rec[j]))
            gap = _gap(a_day[j] or 0, s0[i], e0[i])
            row["date_gap_days"] = gap
            if row["killed"] is not None and row["acled_fatalities"] is not None:  # both ints
                row["deaths_diff"] = int(row["killed"]) - int(row["acled_fatalities"])  # type: ignore[call-overload]
            row["match_reason"] = (f"district {o_rec[i]['admin2']!s} is what ACLED's {a_rec[j]['admin2']!s} "
                                   f"can mean ({a_keys[j][1]}); dates {gap} day(s) apart"
                                   + ("; same ACLED event type" if o_kind[i] == a_kind[j] else
                                      f"; event types differ ({o_kind[i]} / {a_kind[j]})"))
        elif status == "only_ours":
            row["match_reason"] = ("known only to the province: not matched" if not o_dist[i]
                                   else "no ACLED event in its district within the date window")
        rows.append(row)
    for j in range(len(theirs)):
        if j in taken_a:
            continue
        row = _acled_fields(a_rec[j])
        row["status"] = "only_acled" if a_status[j] == "in" else a_status[j]
        row["latitude"], row["longitude"] = _number(a_rec[j]["latitude"]), _number(a_rec[j]["longitude"])
        if row["status"] == "only_acled":
            row["match_reason"] = (f"no incident in {a_rec[j]['admin2']!s} ({a_keys[j][1]}) within the "
                                   "date window")
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    for column in ("date_gap_days", "killed", "acled_fatalities", "deaths_diff", "geo_precision",
                   "acled_geo_precision"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    order = {"matched": 0, "only_acled": 1, "only_ours": 2}
    table["_o"] = table["status"].map(order).fillna(3)
    table["_d"] = table["date"].astype(object).fillna(table["acled_date"].astype(object)).astype(str)
    table = table.sort_values(["_o", "_d", "incident_id", "event_id_cnty"], kind="mergesort", na_position="last")
    table = table.drop(columns=["_o", "_d"]).reset_index(drop=True)
    return Comparison(table, _summary(table))


def _gap(day: int, start: int, end: int) -> int:
    """Days between a day and a span (0 inside it)."""
    return 0 if start <= day <= end else min(abs(day - start), abs(day - end))


_OUR_COLUMNS = ("incident_id", "date_start", "admin1", "admin2", "event_type", "actor", "killed", "location",
                "geo_precision", "latitude", "longitude", "reports")
_ACLED_COLUMNS = ("event_id_cnty", "date", "admin1", "admin2", "geo_precision", "event_type", "sub_event_type",
                  "actor1", "fatalities", "location", "notes", "latitude", "longitude")


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """One dict per row with exactly ``columns`` (None where missing or NA)."""
    import pandas as pd

    table = pd.DataFrame({c: frame.get(c) for c in columns}, index=frame.index).astype(object)
    return [{str(k): v for k, v in r.items()} for r in table.where(table.notna(), None).to_dict("records")]


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _our_fields(r: dict[str, object]) -> dict[str, object]:
    killed = _number(r["killed"])
    return {
        "incident_id": r["incident_id"], "date": r["date_start"], "admin1": r["admin1"], "admin2": r["admin2"],
        "event_type": r["event_type"], "actor": r["actor"], "killed": None if killed is None else int(killed),
        "location": r["location"], "geo_precision": r["geo_precision"], "latitude": _number(r["latitude"]),
        "longitude": _number(r["longitude"]), "reports": r["reports"],
    }


def _acled_fields(r: dict[str, object]) -> dict[str, object]:
    deaths = _number(r["fatalities"])
    return {
        "event_id_cnty": r["event_id_cnty"], "acled_date": r["date"] or None, "acled_admin1": r["admin1"],
        "acled_admin2": r["admin2"], "acled_geo_precision": r["geo_precision"], "acled_event_type": r["event_type"],
        "acled_sub_event_type": r["sub_event_type"], "acled_actor1": r["actor1"],
        "acled_fatalities": None if deaths is None else int(deaths), "acled_location": r["location"],
        "acled_notes": r["notes"],
    }


def _summary(table: pd.DataFrame) -> ComparisonSummary:
    status = table["status"]
    matched = int((status == "matched").sum())
    only_ours = int((status == "only_ours").sum())
    only_acled = int((status == "only_acled").sum())
    ours_rows = table["incident_id"].notna()
    acled_rows = table["event_id_cnty"].notna()
    scored = ~status.isin(["matched", "only_ours", "only_acled"])
    pairs = table[(status == "matched") & table["killed"].notna() & table["acled_fatalities"].notna()]
    diff = (pairs["killed"].astype(int) - pairs["acled_fatalities"].astype(int)).abs()
    acled_in, ours_in = matched + only_acled, matched + only_ours
    return ComparisonSummary(
        acled_in_scope=acled_in, incidents_in_scope=ours_in, matched=matched, only_ours=only_ours,
        only_acled=only_acled, recall=round(matched / acled_in, 4) if acled_in else None,
        precision=round(matched / ours_in, 4) if ours_in else None,
        out_of_scope_acled=int((scored & acled_rows).sum()), out_of_scope_ours=int((scored & ours_rows).sum()),
        deaths_pairs=len(pairs), deaths_exact=int((diff == 0).sum()), deaths_within_one=int((diff <= 1).sum()),
        deaths_mean_abs_diff=round(float(diff.mean()), 3) if len(pairs) else None,
        deaths_ours=int(pairs["killed"].sum()), deaths_acled=int(pairs["acled_fatalities"].sum()))


def comparison_to_events(table: pd.DataFrame) -> pd.DataFrame:
    """The matched / only-ours / only-ACLED rows as an events-like table for the point renderer.

    The status goes into ``event_type`` (so the map colours by it) and the
    reports, or the ACLED id and source, into ``article_id`` (shown in popups).
    """
    import pandas as pd

    shown = table[table["status"].isin(list(STATUS_LABELS))].copy()
    frame = pd.DataFrame({
        "event_id": shown["incident_id"].fillna(shown["event_id_cnty"]),
        "article_id": shown["reports"].where(shown["reports"].notna(), "ACLED " + shown["event_id_cnty"].astype(str)),
        "event_type": shown["status"].map(STATUS_LABELS),
        "actor": shown["actor"].fillna(shown["acled_actor1"]),
        "date_start": shown["date"].fillna(shown["acled_date"]),
        "date_precision": "day",
        "location": shown["location"].fillna(shown["acled_location"]),
        "admin1": shown["admin1"].fillna(shown["acled_admin1"]),
        "admin2": shown["admin2"].fillna(shown["acled_admin2"]),
        "geo_precision": shown["geo_precision"].fillna(shown["acled_geo_precision"]).fillna(3),
        "latitude": shown["latitude"], "longitude": shown["longitude"],
        "killed": shown["killed"].fillna(shown["acled_fatalities"]),
        "target": None,
        "evidence": shown["match_reason"].fillna("") + " " + shown["acled_notes"].fillna(""),
    })
    return frame


def render_comparison(comparison: Comparison, *, self_contained: bool = True,
                      data_dir: str | os.PathLike[str] | None = None,
                      settings: Settings | None = None) -> folium.Map:
    """A point map of the comparison, coloured by status (in both, only geoconflict, only ACLED).

    Like every map, it carries Leaflet inside and opens offline unless
    ``self_contained=False`` (Leaflet linked from a CDN). ``data_dir`` and
    ``settings`` are as for :func:`geoconflict.render_choropleth`.

    Returns
    -------
    folium.Map
    """
    from .render import render_points

    s = comparison.summary
    title = (f"geoconflict and ACLED: {s.matched} in both, {s.only_ours} only geoconflict, "
             f"{s.only_acled} only ACLED")
    return render_points(comparison_to_events(comparison.table), color_by="event_type", title=title,
                         self_contained=self_contained, data_dir=data_dir, settings=settings)


def save_comparison(comparison: Comparison, folder: str | os.PathLike[str], *, self_contained: bool = True,
                    data_dir: str | os.PathLike[str] | None = None, settings: Settings | None = None,
                    neutralize: bool = True) -> dict[str, Path]:
    """Write ``comparison.csv``, ``summary.csv`` and ``map.html`` into a folder (created).

    Each file appears under its name only when complete. The CSV files carry
    text from articles and from ACLED's notes: ``neutralize`` (default) writes
    formula-like cells with a leading apostrophe, as every geoconflict CSV
    (see :mod:`geoconflict.io`).

    Returns
    -------
    dict of str to pathlib.Path
        File name -> written path.
    """
    import pandas as pd

    from ._files import atomic_path
    from .io import save_table
    from .render import save_map

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    files = {"comparison.csv": save_table(comparison.table, target / "comparison.csv", neutralize=neutralize)}
    summary = comparison.summary.to_dict()
    files["summary.csv"] = save_table(pd.DataFrame({"measure": list(summary), "value": [
        "" if v is None else str(v) for v in summary.values()]}), target / "summary.csv", neutralize=neutralize)
    if len(comparison.table[comparison.table["status"].isin(list(STATUS_LABELS))]):
        with atomic_path(target / "map.html", what="map") as part:
            save_map(render_comparison(comparison, self_contained=self_contained, data_dir=data_dir,
                                                settings=settings), part)
        files["map.html"] = target / "map.html"
    else:
        logger.warning("nothing in the common period and provinces: no comparison map written")
    return files
