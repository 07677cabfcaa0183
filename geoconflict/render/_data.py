"""Events ready for mapping: one schema for our tables and ACLED exports, aggregates, periods."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Literal

from ..errors import InputError
from ..io import validate_event_numbers
from ..limits import MAX_PERIODS

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

logger = logging.getLogger(__name__)

Value = Literal["events", "killed", "injured"]
Freq = Literal["week", "month", "year"]
VALUES: tuple[str, ...] = ("events", "killed", "injured")
FREQS: tuple[str, ...] = ("week", "month", "year")

#: ACLED export column -> geoconflict column.
ACLED_COLUMNS = {"fatalities": "killed", "actor1": "actor", "sub_event_type": "acled_sub_event_type"}
#: ACLED sub-event type -> geoconflict event type.
ACLED_TYPES = {
    "Armed clash": "clash", "Attack": "armed assault", "Remote explosive/landmine/IED": "bombing/IED",
    "Suicide bomb": "suicide bombing", "Grenade": "grenade", "Shelling/artillery/missile attack": "shelling/airstrike",
    "Air/drone strike": "shelling/airstrike", "Abduction/forced disappearance": "abduction",
    "Looting/property destruction": "arson",
}
_TEXT_COLUMNS = ("event_id", "article_id", "title", "url", "location", "admin1", "admin2", "admin2_id", "admin3",
                 "actor", "event_type", "acled_sub_event_type", "target", "evidence", "date_precision")
_COUNT_COLUMNS = ("killed", "injured", "killed_civilians", "killed_security", "killed_militants")


def _is_acled(frame: pd.DataFrame) -> bool:
    return {"event_date", "fatalities", "actor1", "sub_event_type"} <= set(frame.columns)


def prepare_events(events: pd.DataFrame, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of an events table in the mapping schema.

    Accepts geoconflict event tables and ACLED exports (event_date, admin1,
    admin2, location, latitude, longitude, geo_precision, fatalities, actor1,
    sub_event_type). Adds ``date`` (datetime or NaT) and, where missing,
    ``admin2_id`` by point-in-polygon for events at district precision or finer.

    Raises
    ------
    InputError
        If the table has no latitude/longitude, or no rows.
    """
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(events.drop(columns="geometry", errors="ignore")).copy()
    if not {"latitude", "longitude"} <= set(frame.columns):
        raise InputError("events table needs latitude and longitude columns (geoconflict or ACLED format)")
    if _is_acled(frame):
        frame = frame.rename(columns=ACLED_COLUMNS)
        frame["event_type"] = frame["acled_sub_event_type"].map(ACLED_TYPES).fillna("other")
        frame["date_start"] = frame["event_date"]
        frame["date_end"] = frame["event_date"]
        frame["date_precision"] = "day"
        if "event_id" not in frame:
            frame["event_id"] = frame.get("event_id_cnty", pd.Series(range(len(frame)), index=frame.index)).astype(str)
        frame["evidence"] = frame.get("notes", "")
        frame["article_id"] = frame.get("source", "")
    frame = validate_event_numbers(frame)  # a bad number is a clear InputError, never a traceback later
    for column in _TEXT_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in _COUNT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else float("nan")
    frame["latitude"] = pd.to_numeric(frame["latitude"], errors="coerce")
    frame["longitude"] = pd.to_numeric(frame["longitude"], errors="coerce")
    located = frame["latitude"].notna() & frame["longitude"].notna()
    if (~located).any():
        logger.warning("%d events without coordinates are left off the maps", int((~located).sum()))
    frame = frame[located].copy()
    precision = frame["geo_precision"] if "geo_precision" in frame else pd.Series(1, index=frame.index)
    frame["geo_precision"] = pd.to_numeric(precision, errors="coerce").fillna(1).astype(int)
    start = frame["date_start"] if "date_start" in frame else frame.get("event_date")
    frame["date"] = pd.to_datetime(start, errors="coerce", format="mixed") if start is not None else pd.NaT
    frame["date_precision"] = frame["date_precision"].fillna("unknown")
    frame.loc[frame["date"].isna(), "date_precision"] = "unknown"
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=4326)
    missing = gdf["admin2_id"].isna() & (gdf["geo_precision"] <= 3)
    if missing.any():
        joined = gpd.sjoin(gdf.loc[missing, ["geometry"]], districts[["admin2_id", "admin2", "admin1", "geometry"]],
                           how="left", predicate="within")
        joined = joined[~joined.index.duplicated()]
        gdf.loc[missing, "admin2_id"] = joined["admin2_id"].values
        gdf.loc[missing & gdf["admin1"].isna(), "admin1"] = joined.loc[
            gdf.index[missing & gdf["admin1"].isna()], "admin1"].values
    return gdf


def period_of(dates: pd.Series, freq: str) -> pd.Series:
    """Period labels (``2025-08``, ``2025-W33``, ``2025``) for datetimes; missing for NaT."""
    import pandas as pd

    if freq not in FREQS:
        raise InputError(f"period must be one of {', '.join(FREQS)}, not {freq!r}")
    if freq in ("month", "year"):
        return pd.Series(dates.dt.strftime("%Y-%m" if freq == "month" else "%Y"), index=dates.index)
    iso = dates.dt.isocalendar()
    labels = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
    return pd.Series(labels.where(dates.notna(), pd.NA), index=dates.index)


def all_periods(dates: pd.Series, freq: str) -> list[str]:
    """Every period from the first to the last date, including empty ones.

    When the dates span more than ``limits.MAX_PERIODS`` periods, only periods
    with events are returned, at most the latest ``MAX_PERIODS`` (a warning
    says what was left out).
    """
    import pandas as pd

    if freq not in FREQS:
        raise InputError(f"period must be one of {', '.join(FREQS)}, not {freq!r}")
    known = dates.dropna()
    if known.empty:
        return []
    days = (known.max() - known.min()).days
    if days / {"week": 7, "month": 28, "year": 365}[freq] + 2 > MAX_PERIODS:
        return _capped_periods(known, freq)
    code = {"month": "MS", "year": "YS", "week": "W-MON"}[freq]
    start = known.min().normalize()
    if freq == "week":
        start = start - pd.Timedelta(days=start.weekday())
    stamps = list(pd.date_range(start, known.max(), freq=code))
    if not stamps or stamps[0] > known.min():
        stamps.insert(0, known.min())
    return list(dict.fromkeys(period_of(pd.Series(stamps), freq).tolist()))


def _capped_periods(known: pd.Series, freq: str) -> list[str]:
    """Periods for dates spanning more than ``MAX_PERIODS``: only those with events, at most the latest ``MAX_PERIODS``.

    What is left out is logged: the empty periods, and the earliest periods
    with their number of events when even the non-empty ones are too many.
    """
    labels = period_of(known, freq)
    firsts = known.groupby(labels).min().sort_values()
    ordered = list(firsts.index)
    logger.warning("dates from %s to %s span more than %d %ss: the time slider shows only the %d %ss that "
                   "have events", known.min().date(), known.max().date(), MAX_PERIODS, freq,
                   min(len(ordered), MAX_PERIODS), freq)
    if len(ordered) > MAX_PERIODS:
        cut = ordered[:-MAX_PERIODS]
        lost = int(labels.isin(cut).sum())
        logger.warning("%d earlier %ss (%s to %s) with %d events are left out of the time slider: at most %d "
                       "%ss are shown", len(cut), freq, cut[0], cut[-1], lost, MAX_PERIODS, freq)
        ordered = ordered[-MAX_PERIODS:]
    return [str(label) for label in ordered]


def district_totals(events: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Events, killed and injured per district (zero where none), with the date span of its events."""
    import pandas as pd

    by = events[events["admin2_id"].isin(districts["admin2_id"])].groupby("admin2_id")
    table = pd.DataFrame({
        "events": by.size(),
        "killed": by["killed"].sum(min_count=1),
        "injured": by["injured"].sum(min_count=1),
        "first": by["date"].min(),
        "last": by["date"].max(),
    })
    table = table.reindex(districts["admin2_id"])
    table["events"] = table["events"].fillna(0).astype(int)
    table["killed"] = table["killed"].fillna(0).astype(int)
    table["injured"] = table["injured"].fillna(0).astype(int)
    return table


def script_json(data: object) -> str:
    """JSON safe to place inside a <script> element (no "</script>", no HTML-significant characters)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
