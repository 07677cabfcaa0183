"""Point maps: one marker per event, coloured by actor or type, sized by killed, with popups."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..districts import DistrictSource
from ..errors import InputError
from ._base import (
    CATEGORY_COLORS,
    OTHER_COLOR,
    add_call,
    district_features,
    new_map,
    province_features,
    scene,
)
from ._data import all_periods, period_of

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["render_points", "render_points_timeline"]

CLUSTER_ABOVE = 300
CANVAS_ABOVE = 5000
EVIDENCE_CHARS = 400
PRECISION_TEXT = ["", "town or exact point", "tehsil or area", "district only (drawn as a dashed circle)",
                  "province only (drawn as a large faint circle)"]
PRECISION_LEGEND = [
    {"color": "#444", "shape": "dot", "label": "town or exact point"},
    {"color": "#444", "shape": "ring", "fill": False, "label": "tehsil or area"},
    {"color": "#444", "shape": "dashed", "fill": False, "label": "district only"},
    {"color": "#444", "shape": "dotted", "fill": False, "label": "province only"},
]


def _texts(series: pd.Series, limit: int | None = None) -> list[str | None]:
    """Strings for the browser (None where missing), cut to ``limit`` characters."""
    import pandas as pd

    text = series.astype("string")
    if limit is not None:
        long = text.str.len() > limit
        text = text.where(~long.fillna(False), text.str.slice(0, limit - 1) + "\u2026")
    return [None if pd.isna(v) else str(v) for v in text.tolist()]


def _counts(series: pd.Series) -> list[int | None]:
    import pandas as pd

    values = pd.to_numeric(series, errors="coerce").astype("Int64")
    return [None if pd.isna(v) else int(v) for v in values.tolist()]


def _date_texts(events: pd.DataFrame) -> list[str]:
    import numpy as np
    import pandas as pd

    start = events["date"].dt.strftime("%Y-%m-%d").fillna("unknown")
    end = events["date_end"].astype("string").str.slice(0, 10).fillna("") if "date_end" in events else start
    precision = events["date_precision"].fillna("unknown").astype(str)
    ranged = (end != "") & (end != start) & (precision != "day")
    text = np.where(ranged, start + " \u2013 " + end + " (" + precision + ")",
                    np.where(precision == "day", start, start + " (" + precision + ")"))
    return [("unknown" if d is pd.NaT or s == "unknown" else t)
            for s, t, d in zip(start.tolist(), text.tolist(), events["date"].tolist())]


def event_columns(events: pd.DataFrame, color_by: str, periods: list[str] | None = None,
                  freq: str = "month") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Columnar event data for the browser (one list per field, lookup tables for repeated values)
    and the colour legend items."""
    import numpy as np
    import pandas as pd

    if color_by not in ("actor", "event_type"):
        raise InputError(f"color_by must be 'actor' or 'event_type', not {color_by!r}")
    categories = events[color_by].fillna("unknown").astype(str)
    ranked = list(categories.value_counts().index)
    shown = ranked[: len(CATEGORY_COLORS)]
    palette = [*CATEGORY_COLORS[: len(shown)], OTHER_COLOR]
    actor_codes, actors = pd.factorize(events["actor"].fillna("unknown").astype(str), sort=True)
    type_codes, types = pd.factorize(events["event_type"].fillna("other").astype(str), sort=True)
    keys = list(zip(_texts(events["article_id"]), _texts(events["title"], 300), _texts(events["url"], 500)))
    article_codes, article_keys = pd.factorize(pd.Series(keys, dtype=object))
    killed = pd.to_numeric(events["killed"], errors="coerce")
    names = zip(_texts(events["admin3"]), _texts(events["admin2"]), _texts(events["admin1"]))
    breakdown = []
    for civ, sec, mil in zip(_counts(events["killed_civilians"]), _counts(events["killed_security"]),
                             _counts(events["killed_militants"])):
        parts = [f"{label} {v}" for label, v in (("civilians", civ), ("security forces", sec), ("militants", mil))
                 if v is not None]
        breakdown.append(", ".join(parts) or None)
    columns: dict[str, Any] = {
        "lat": events["latitude"].astype(float).round(5).tolist(),
        "lon": events["longitude"].astype(float).round(5).tolist(),
        "prec": events["geo_precision"].astype(int).clip(1, 4).tolist(),
        "color": categories.map({name: i for i, name in enumerate(shown)}).fillna(len(shown)).astype(int).tolist(),
        "radius": np.minimum(18.0, 5 + 2.2 * np.sqrt(killed.fillna(0).clip(lower=0))).round(1).tolist(),
        "date": _date_texts(events),
        "where": [", ".join(dict.fromkeys(n for n in trio if n)) or None for trio in names],  # no "Kech, Kech"
        "location": _texts(events["location"], 200),
        "target": _texts(events["target"], 200),
        "killed": _counts(events["killed"]),
        "injured": _counts(events["injured"]),
        "breakdown": breakdown,
        "evidence": _texts(events["evidence"], EVIDENCE_CHARS),
        "article": article_codes.tolist(),
        "actor": actor_codes.tolist(),
        "type": type_codes.tolist(),
        "period": [],
    }
    if periods is not None:
        labels = period_of(events["date"], freq)
        position = {p: i for i, p in enumerate(periods)}
        columns["period"] = [position.get(v, -1) if isinstance(v, str) else -1 for v in labels.tolist()]
    data: dict[str, Any] = {**columns, "palette": palette, "actors": list(actors), "types": list(types),
                            "articles": [list(k) for k in article_keys], "precisionText": PRECISION_TEXT}
    legend = [{"color": c, "shape": "dot", "label": name} for c, name in zip(palette, shown)]
    if len(ranked) > len(shown):
        legend.append({"color": OTHER_COLOR, "shape": "dot", "label": "other"})
    return data, legend


def _bounds(events: pd.DataFrame, provinces: Any) -> list[list[float]]:
    if len(events):
        return [[float(events["latitude"].min()), float(events["longitude"].min())],
                [float(events["latitude"].max()), float(events["longitude"].max())]]
    minx, miny, maxx, maxy = provinces.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _points_map(events: pd.DataFrame, *, function: str, color_by: str, cluster: bool | None,
                provinces: list[str] | None, district_source: DistrictSource,
                data_dir: str | os.PathLike[str] | None, self_contained: bool, title: str | None,
                freq: str | None) -> folium.Map:
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source)
    shown = sc.events
    cluster = len(shown) > CLUSTER_ABOVE if cluster is None else cluster
    periods = all_periods(shown["date"], freq) if freq else None
    data, legend = event_columns(shown, color_by, periods, freq or "month")
    undated = int(shown["date"].isna().sum())
    label = "actor" if color_by == "actor" else "event type"
    notes = [f"{len(shown)} events; marker size grows with the number killed."]
    if freq:
        notes.append(f"{undated} undated event{'s stay' if undated != 1 else ' stays'} visible at all times."
                     if undated else "Every event has a date.")
    spec = {"events": data, "cluster": cluster, "provinces": province_features(sc.provinces),
            "outlines": district_features(sc.districts),
            "bounds": _bounds(shown, sc.provinces),
            "legend": {"title": f"Colour: {label}", "items": legend + PRECISION_LEGEND, "notes": notes},
            "note": (f"{undated} event{'s have' if undated != 1 else ' has'} no date and "
                     f"{'are' if undated != 1 else 'is'} shown outside the time slider." if freq and undated
                     else ""),
            "title": title or ("Events over time" if freq else "Events")}
    if freq:
        spec.update({"periods": periods, "sliderLabel": f"Events by {freq}"})
    m = new_map(self_contained=self_contained, cluster=cluster, canvas=len(shown) > CANVAS_ABOVE)
    add_call(m, function, spec)
    return m


def render_points(events: pd.DataFrame, *, color_by: str = "actor", cluster: bool | None = None,
                  provinces: list[str] | None = None, district_source: DistrictSource = "current",
                  data_dir: str | os.PathLike[str] | None = None, self_contained: bool = False,
                  title: str | None = None) -> folium.Map:
    """Map one marker per event.

    Markers are coloured by actor or event type and sized by the number
    killed. Precision is visible: towns and exact points are solid dots,
    tehsils and areas rings, district-only events dashed circles (12 km) and
    province-only events large faint circles, never a pin at a false spot.
    Popups give date and its precision, actor, type, target, casualties, the
    location phrase, the evidence sentence and the article id, title and url.

    Parameters
    ----------
    events
        An events table (geoconflict's or an ACLED export).
    color_by
        ``"actor"`` or ``"event_type"``.
    cluster
        Cluster markers; default when there are more than 300.
    provinces, district_source, data_dir, self_contained, title
        As for :func:`render_choropleth`.

    Returns
    -------
    folium.Map
    """
    return _points_map(events, function="points", color_by=color_by, cluster=cluster, provinces=provinces,
                       district_source=district_source, data_dir=data_dir, self_contained=self_contained,
                       title=title, freq=None)


def render_points_timeline(events: pd.DataFrame, *, period: str = "month", color_by: str = "actor",
                           cluster: bool | None = None, provinces: list[str] | None = None,
                           district_source: DistrictSource = "current",
                           data_dir: str | os.PathLike[str] | None = None, self_contained: bool = False,
                           title: str | None = None) -> folium.Map:
    """Map events with a time slider (one period at a time); undated events stay visible throughout.

    Parameters are those of :func:`render_points`, plus ``period``: ``"week"``,
    ``"month"`` (default) or ``"year"``.
    """
    return _points_map(events, function="pointsTimeline", color_by=color_by, cluster=cluster,
                       provinces=provinces, district_source=district_source, data_dir=data_dir,
                       self_contained=self_contained, title=title, freq=period)
