"""Choropleth over time: one class map per period, switched by a slider, geometry sent once."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..config import Settings
from ..districts import DistrictSource
from ._base import (
    add_call,
    check_value,
    class_colors,
    classify,
    date_range_text,
    district_features,
    frame_spec,
    left_out_notes,
    new_map,
    plural,
    province_features,
    scene,
    value_label,
)
from ._data import all_periods, period_of
from .choropleth import count_note, province_note, unplaced_spec
from .points import PRECISION_LEGEND, event_columns, size_legend

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["render_timeline"]


def render_timeline(events: pd.DataFrame, *, value: str = "events", period: str = "month",
                    provinces: list[str] | None = None, district_source: DistrictSource | None = None,
                    data_dir: str | os.PathLike[str] | None = None,
                    settings: Settings | None = None, self_contained: bool = True,
                    title: str | None = None, include_background: bool = False) -> folium.Map:
    """Map events, killed or injured per district and period, with a time slider.

    District geometry is simplified and written once; each period adds only a
    class per district, so three years of months stay small. One legend (breaks
    over all periods) keeps periods comparable. A bar chart of the value per
    period sits under the map, linked to the slider, which opens on the first
    period with data and can play. Undated events are drawn as points outside
    the time layer, and the map says how many there are.

    Parameters
    ----------
    events
        An events table (geoconflict's or an ACLED export).
    value
        ``"events"``, ``"killed"`` or ``"injured"``.
    period
        ``"week"``, ``"month"`` (default) or ``"year"``.
    provinces, district_source, data_dir, self_contained, title, include_background
        As for :func:`render_choropleth`.

    Returns
    -------
    folium.Map
    """
    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source,
               include_background=include_background, settings=settings)
    periods = all_periods(sc.events["date"], period)
    ids = list(sc.districts["admin2_id"])
    dated = sc.events[sc.events["date"].notna() & sc.events["admin2_id"].isin(ids)].copy()
    dated["period"] = period_of(dated["date"], period)
    grouped = dated.groupby(["period", "admin2_id"]).agg(
        events=("event_id", "size"), killed=("killed", "sum"), injured=("injured", "sum"))
    stats: list[list[list[int]]] = []
    flat: list[float] = []
    for label in periods:
        rows = []
        for district in ids:
            if (label, district) in grouped.index:
                r = grouped.loc[(label, district)]
                rows.append([int(r["events"]), int(r["killed"] or 0), int(r["injured"] or 0)])
            else:
                rows.append([0, 0, 0])
        stats.append(rows)
        flat.extend(float(r[("events", "killed", "injured").index(value)]) for r in rows)
    classes_flat, legend = classify(flat)
    width = len(ids)
    classes = [classes_flat[i * width:(i + 1) * width] for i in range(len(periods))]
    series = [int(sum(r[("events", "killed", "injured").index(value)] for r in rows)) for rows in stats]
    undated_events = sc.events[sc.events["date"].isna() & ~sc.outside_districts]
    label = value_label(value, sc).lower()
    spec = frame_spec(
        sc, title=title or f"{sc.region}: {label} per district by {period}",
        subtitle=" \u00b7 ".join(x for x in (f"{value_label(value, sc)} per district and {period}",
                                             date_range_text(sc.events["date"])) if x),
        notes=[count_note(sc),
               f"{plural(len(dated), *(f'dated {u}' for u in sc.unit))} in {plural(len(periods), period)}.",
               province_note(sc.province_only, unit=sc.unit),
               (f"{plural(len(undated_events), *(f'undated {u}' for u in sc.unit))} "
                f"{'are' if len(undated_events) != 1 else 'is'} "
                "shown as points outside the time slider." if len(undated_events) else ""),
               *left_out_notes(sc)],
        self_contained=self_contained)
    spec.update({
        "districts": district_features(sc.districts), "provinces": province_features(sc.provinces),
        "ids": ids, "periods": periods, "classes": classes, "stats": stats, "colors": class_colors(legend),
        "value": value, "series": series, "seriesUnit": [label.rstrip("s") if value == "events" else label, label],
        "sliderLabel": f"{value_label(value, sc)} by {period}", "chartLabel": f"{value_label(value, sc)} per {period}",
        "legend": {"title": f"{value_label(value, sc)} per district and {period}", "items": legend,
                   "notes": ["One scale for all periods, so they compare."]},
        **unplaced_spec(sc),
    })
    if len(undated_events):
        data, legend_items = event_columns(undated_events, "actor")
        spec["undated"] = {"events": data, "cluster": False, "legend": {
            "title": f"Undated {sc.unit[1]} (points)", "items": legend_items + PRECISION_LEGEND,
            "notes": size_legend()["notes"]}}
    m = new_map(self_contained=self_contained, cluster=bool(len(undated_events)))
    add_call(m, "timeline", spec)
    return m
