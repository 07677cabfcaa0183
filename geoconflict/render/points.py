"""Point maps: one marker per event, coloured by actor or type, sized by killed, with popups."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

from ..districts import DistrictSource
from ..errors import InputError
from ._base import CATEGORY_COLORS, OTHER_COLOR, add_call, district_features, new_map, province_features, scene
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


def _text(value: Any, limit: int | None = None) -> str | None:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "\u2026"


def _count(value: Any) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)


def _date_text(row: Any) -> str:
    import pandas as pd

    precision = row.date_precision or "unknown"
    if pd.isna(row.date):
        return "unknown"
    start = pd.Timestamp(row.date).date().isoformat()
    end = _text(getattr(row, "date_end", None))
    if end and str(end)[:10] != start and precision != "day":
        return f"{start} \u2013 {str(end)[:10]} ({precision})"
    return start if precision == "day" else f"{start} ({precision})"


def event_columns(events: pd.DataFrame, color_by: str, periods: list[str] | None = None,
                  freq: str = "month") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Columnar event data for the browser, and the colour legend items."""
    import pandas as pd

    if color_by not in ("actor", "event_type"):
        raise InputError(f"color_by must be 'actor' or 'event_type', not {color_by!r}")
    categories = events[color_by].fillna("unknown").astype(str)
    ranked = list(categories.value_counts().index)
    shown = ranked[: len(CATEGORY_COLORS)]
    palette = [*CATEGORY_COLORS[: len(shown)], OTHER_COLOR]
    color_index = {name: i for i, name in enumerate(shown)}
    actors = sorted(events["actor"].fillna("unknown").astype(str).unique())
    types = sorted(events["event_type"].fillna("other").astype(str).unique())
    actor_index = {a: i for i, a in enumerate(actors)}
    type_index = {t: i for i, t in enumerate(types)}
    articles: list[list[str | None]] = []
    article_index: dict[tuple[str | None, str | None, str | None], int] = {}
    columns: dict[str, list[Any]] = {k: [] for k in ("lat", "lon", "prec", "color", "radius", "date", "where",
                                                     "location", "target", "killed", "injured", "breakdown",
                                                     "evidence", "article", "actor", "type", "period")}
    period_labels = period_of(events["date"], freq) if periods is not None else None
    period_position = {p: i for i, p in enumerate(periods or [])}
    for n, row in enumerate(events.itertuples()):
        killed = _count(row.killed)
        columns["lat"].append(round(float(row.latitude), 5))
        columns["lon"].append(round(float(row.longitude), 5))
        columns["prec"].append(min(4, max(1, int(row.geo_precision))))
        columns["color"].append(color_index.get(str(categories.iloc[n]), len(shown)))
        columns["radius"].append(round(min(18.0, 5 + 2.2 * math.sqrt(killed or 0)), 1))
        columns["date"].append(_date_text(row))
        names = [str(x) for x in (row.admin3, row.admin2, row.admin1) if _text(x)]
        columns["where"].append(", ".join(dict.fromkeys(names)) or None)  # "Kech, Kech" -> "Kech"
        columns["location"].append(_text(row.location, 200))
        columns["target"].append(_text(row.target, 200))
        columns["killed"].append(killed)
        columns["injured"].append(_count(row.injured))
        parts = [f"{label} {_count(v)}" for label, v in (("civilians", row.killed_civilians),
                                                           ("security forces", row.killed_security),
                                                           ("militants", row.killed_militants))
                 if _count(v) is not None]
        columns["breakdown"].append(", ".join(parts) or None)
        columns["evidence"].append(_text(row.evidence, EVIDENCE_CHARS))
        key = (_text(row.article_id), _text(row.title, 300), _text(row.url, 500))
        if key not in article_index:
            article_index[key] = len(articles)
            articles.append(list(key))
        columns["article"].append(article_index[key])
        columns["actor"].append(actor_index[str(row.actor) if _text(row.actor) else "unknown"])
        columns["type"].append(type_index[str(row.event_type) if _text(row.event_type) else "other"])
        if period_labels is not None:
            label = period_labels.iloc[n]
            columns["period"].append(period_position.get(label, -1) if isinstance(label, str) else -1)
    data: dict[str, Any] = {**columns, "palette": palette, "actors": actors, "types": types, "articles": articles,
                            "precisionText": PRECISION_TEXT}
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
