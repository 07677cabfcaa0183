"""Choropleth over time: one class map per period, switched by a slider, geometry sent once."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..districts import DistrictSource
from ._base import (
    VALUE_LABELS,
    add_call,
    check_value,
    class_colors,
    classify,
    district_features,
    new_map,
    province_features,
    scene,
)
from ._data import all_periods, period_of
from .choropleth import province_note
from .points import event_columns

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["render_timeline"]


def render_timeline(events: pd.DataFrame, *, value: str = "events", period: str = "month",
                    provinces: list[str] | None = None, district_source: DistrictSource = "current",
                    data_dir: str | os.PathLike[str] | None = None, self_contained: bool = False,
                    title: str | None = None) -> folium.Map:
    """Map events, killed or injured per district and period, with a time slider.

    District geometry is simplified and written once; each period adds only a
    class per district, so three years of months stay small. One legend (breaks
    over all periods) keeps periods comparable. Undated events are drawn as
    points outside the time layer, and the map says how many there are.

    Parameters
    ----------
    events
        An events table (geoconflict's or an ACLED export).
    value
        ``"events"``, ``"killed"`` or ``"injured"``.
    period
        ``"week"``, ``"month"`` (default) or ``"year"``.
    provinces, district_source, data_dir, self_contained, title
        As for :func:`render_choropleth`.

    Returns
    -------
    folium.Map
    """
    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source)
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
    undated_events = sc.events[sc.events["date"].isna()]
    m = new_map(self_contained=self_contained)
    add_call(m, "timeline", {
        "districts": district_features(sc.districts), "provinces": province_features(sc.provinces),
        "ids": ids, "periods": periods, "classes": classes, "stats": stats, "colors": class_colors(legend),
        "value": value, "sliderLabel": f"{VALUE_LABELS[value]} by {period}",
        "legend": {"title": f"{VALUE_LABELS[value]} per district and {period}", "items": legend,
                   "notes": [f"{len(dated)} dated events in {len(periods)} {period}s"]},
        "note": province_note(sc.province_only) + (
            f" {len(undated_events)} undated event{'s are' if len(undated_events) != 1 else ' is'} shown as points "
            "outside the time slider." if len(undated_events) else ""),
        "title": title or f"{VALUE_LABELS[value]} per district by {period}",
    })
    if len(undated_events):
        data, legend_items = event_columns(undated_events, "actor")
        add_call(m, "points", {"events": data, "cluster": False, "legend": {
            "title": "Undated events", "items": legend_items, "notes": []}, "note": "", "title": ""})
    return m
