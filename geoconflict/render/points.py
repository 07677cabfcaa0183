"""Point maps: one marker per event, coloured by actor or type, sized by killed, with popups."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..districts import DistrictSource
from ..errors import InputError
from ._base import (
    CATEGORY_COLORS,
    OTHER_COLOR,
    add_call,
    date_range_text,
    district_features,
    frame_spec,
    left_out_notes,
    new_map,
    plural,
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
#: At most this many events are listed beside a map (the note gives the total).
LIST_LIMIT = 100
PRECISION_TEXT = ["", "town or exact point", "tehsil or area", "district only (dashed ring at the district's centre)",
                  "province only (listed beside the map, not drawn)"]
PRECISION_LEGEND = [
    {"color": "#444", "shape": "dot", "label": "town or exact point"},
    {"color": "#444", "shape": "ring", "fill": False, "label": "tehsil or area"},
    {"color": "#444", "shape": "dashed", "fill": False, "label": "district only (at its centre)"},
]
#: Killed counts shown in the size legend.
SIZE_LEGEND_KILLED = (0, 5, 20)
MAX_RADIUS = 18.0


def marker_radius(killed: Any) -> Any:
    """Marker radius in pixels for a number killed (unknown counts as 0); the size legend uses it too."""
    import numpy as np

    values = np.nan_to_num(np.asarray(killed, dtype=float), nan=0.0).clip(min=0)
    return np.minimum(MAX_RADIUS, 5 + 2.2 * np.sqrt(values)).round(1)


def size_legend() -> dict[str, Any]:
    """The marker sizes as drawn, for a few numbers killed."""
    items = [{"shape": "size", "color": "#bbb", "radius": float(marker_radius(k)),
              "label": "none or not reported" if k == 0 else f"{k} killed"} for k in SIZE_LEGEND_KILLED]
    return {"title": "Size: number killed", "items": items,
            "notes": [f"The largest marker stands for {int(((MAX_RADIUS - 5) / 2.2) ** 2)} or more killed."]}


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
        "radius": marker_radius(killed).tolist(),
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


def listed_columns(events: pd.DataFrame, color_by: str = "actor") -> tuple[dict[str, Any] | None, int]:
    """Columns of the first :data:`LIST_LIMIT` events, for a list beside a map, and how many there are."""
    if not len(events):
        return None, 0
    return event_columns(events.head(LIST_LIMIT), color_by)[0], len(events)


def unplaced_mask(events: pd.DataFrame) -> pd.Series:
    """Events a point map does not draw: known only to the province (or to no mapped district)."""
    prec = events["geo_precision"]
    return (prec >= 4) | ((prec == 3) & events["admin2_id"].isna())


def _points_map(events: pd.DataFrame, *, function: str, color_by: str, cluster: bool | None,
                provinces: list[str] | None, district_source: DistrictSource | None,
                data_dir: str | os.PathLike[str] | None,
                settings: Settings | None, self_contained: bool, title: str | None,
                freq: str | None, include_background: bool) -> folium.Map:
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source,
               include_background=include_background, settings=settings)
    unplaced = unplaced_mask(sc.events)
    shown = sc.events[~unplaced]
    hidden = sc.events[unplaced]
    cluster = len(shown) > CLUSTER_ABOVE if cluster is None else cluster
    periods = all_periods(shown["date"], freq) if freq else None
    data, legend = event_columns(shown, color_by, periods, freq or "month")
    undated = int(shown["date"].isna().sum())
    label = "actor" if color_by == "actor" else "event type"
    notes = [f"{plural(len(sc.events), *sc.unit)}: {len(shown)} drawn on the map"
             + (f", {len(hidden)} known only to the province listed beside it." if len(hidden) else ".")]
    if freq:
        notes.append(f"{plural(undated, f'undated {sc.unit[0]}', f'undated {sc.unit[1]}')} {'stay' if undated != 1 else 'stays'} visible at all times."
                     if undated else f"Every drawn {sc.unit[0]} has a date.")
    notes.append("Markers on the same spot are merged into a numbered circle: click it to spread them out.")
    notes += left_out_notes(sc)
    when = date_range_text(sc.events["date"])
    spec = frame_spec(sc, title=title or f"{sc.region}: {sc.unit[1]}{' over time' if freq else ''} by {label}",
                      subtitle=" · ".join(x for x in (f"one marker per {sc.unit[0]}", when) if x), notes=notes,
                      self_contained=self_contained)
    district_only = [i for i, p in enumerate(data["prec"]) if p == 3]
    spec.update({
        "events": data, "cluster": cluster, "provinces": province_features(sc.provinces),
        "outlines": district_features(sc.districts),
        "legend": {"title": f"Colour: {label}", "items": legend}, "sizeLegend": size_legend(),
        "precisionLegend": {"title": "Outline: how precisely the place is known", "items": PRECISION_LEGEND},
        "unplaced": listed_columns(hidden, color_by)[0], "unplacedTotal": len(hidden),
        "districtOnly": district_only[:LIST_LIMIT], "districtOnlyTotal": len(district_only),
    })
    if freq:
        assert periods is not None
        series = [0] * len(periods)
        for index in data["period"]:
            if index >= 0:
                series[index] += 1
        spec.update({"periods": periods, "series": series, "seriesUnit": list(sc.unit),
                     "sliderLabel": f"{sc.unit[1].capitalize()} by {freq}",
                     "chartLabel": f"{sc.unit[1].capitalize()} per {freq}"})
    m = new_map(self_contained=self_contained, cluster=True, canvas=len(shown) > CANVAS_ABOVE)
    add_call(m, function, spec)
    return m


def render_points(events: pd.DataFrame, *, color_by: str = "actor", cluster: bool | None = None,
                  provinces: list[str] | None = None, district_source: DistrictSource | None = None,
                  data_dir: str | os.PathLike[str] | None = None,
                  settings: Settings | None = None, self_contained: bool = True,
                  title: str | None = None, include_background: bool = False) -> folium.Map:
    """Map one marker per event.

    Markers are coloured by actor or event type and sized by the number
    killed (the size legend shows the same sizes). Precision is visible: towns
    and exact points are solid dots, tehsils and areas rings, district-only
    events dashed rings at the district's centre. Events known only to the
    province are listed beside the map, never drawn at a false spot. Markers
    on the same spot merge into a numbered circle that spreads out on click.
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
    provinces, district_source, data_dir, self_contained, title, include_background
        As for :func:`render_choropleth`.

    Returns
    -------
    folium.Map
    """
    return _points_map(events, function="points", color_by=color_by, cluster=cluster, provinces=provinces,
                       district_source=district_source, data_dir=data_dir,
                       settings=settings, self_contained=self_contained,
                       title=title, freq=None, include_background=include_background)


def render_points_timeline(events: pd.DataFrame, *, period: str = "month", color_by: str = "actor",
                           cluster: bool | None = None, provinces: list[str] | None = None,
                           district_source: DistrictSource | None = None,
                           data_dir: str | os.PathLike[str] | None = None,
                           settings: Settings | None = None, self_contained: bool = True,
                           title: str | None = None, include_background: bool = False) -> folium.Map:
    """Map events with a time slider and a chart of events per period; undated events stay visible throughout.

    The slider opens on the first period with events and can play.

    Parameters are those of :func:`render_points`, plus ``period``: ``"week"``,
    ``"month"`` (default) or ``"year"``.
    """
    return _points_map(events, function="pointsTimeline", color_by=color_by, cluster=cluster,
                       provinces=provinces, district_source=district_source, data_dir=data_dir, settings=settings,
                       self_contained=self_contained, title=title, freq=period,
                       include_background=include_background)
