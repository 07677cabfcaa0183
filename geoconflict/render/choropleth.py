"""District choropleth: events, killed or injured per district."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..districts import DistrictSource
from ._base import (
    Scene,
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
from ._data import district_totals

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["render_choropleth"]


def _span(first: Any, last: Any) -> str:
    import pandas as pd

    if pd.isna(first):
        return ""
    a, b = pd.Timestamp(first).date().isoformat(), pd.Timestamp(last).date().isoformat()
    return a if a == b else f"{a} \u2013 {b}"


def province_note(count: int, undated: int | None = None, *, unit: tuple[str, str] = ("event", "events")) -> str:
    """Sentences about rows known only to the province and rows without a date, in the map's ``unit``."""
    parts = []
    if count:
        parts.append(f"{plural(count, *unit)} known only to the province "
                     f"{'are' if count != 1 else 'is'} not in the district counts (listed below).")
    if undated:
        parts.append(f"{plural(undated, *unit)} {'have' if undated != 1 else 'has'} no date.")
    return " ".join(parts)


def unplaced_spec(sc: Scene) -> dict[str, Any]:
    """The events in no mapped district, for the list beside a choropleth (first ones and the total)."""
    from .points import listed_columns

    columns, total = listed_columns(sc.events[sc.outside_districts.to_numpy()])
    return {"unplaced": columns, "unplacedTotal": total}


def count_note(sc: Scene) -> str:
    placed = len(sc.events) - sc.province_only
    return f"{plural(len(sc.events), *sc.unit)} in all, {placed} of them in a district."


def render_choropleth(events: pd.DataFrame, *, value: str = "events", provinces: list[str] | None = None,
                      district_source: DistrictSource | None = None, data_dir: str | os.PathLike[str] | None = None,
                      settings: Settings | None = None,
                      self_contained: bool = True, title: str | None = None,
                      include_background: bool = False) -> folium.Map:
    """Map events, killed or injured per district.

    Every district of the chosen provinces is drawn, including those with
    none. Counts are classed for skewed data (zero, then Fisher-Jenks breaks);
    tooltips give district, province, events, killed, injured and date span.

    Parameters
    ----------
    events
        An events table (geoconflict's or an ACLED export).
    value
        ``"events"``, ``"killed"`` or ``"injured"``.
    provinces
        Provinces to draw; default those the events are in.
    district_source
        ``"current"`` districts, the published ``"adm2"`` layer or a layout of
        :mod:`geoconflict.layouts`; default the settings' layout (``current``).
    data_dir
        Folder holding the boundary files; default the settings' data folder.
    settings
        Settings resolved once (:func:`geoconflict.config.resolve_settings`);
        default the ``GEOCONFLICT_*`` environment. ``data_dir`` and
        ``district_source``, when given, override them.
    self_contained
        Inline Leaflet (default) so the file works offline, with the
        OpenStreetMap basemap offered but off; ``False`` links Leaflet from a
        CDN (with integrity hashes) and shows the basemap.
    title
        Map title; default names the provinces and the value.
    include_background
        Also map events whose ``reported_as`` is ``background`` (earlier
        incidents an article recalls); by default only main reports are mapped.

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; write it with :func:`geoconflict.render.save_map`.
    """
    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source,
               include_background=include_background, settings=settings)
    totals = district_totals(sc.events, sc.districts)
    values = [float(v) for v in totals[value]]
    classes, legend = classify(values)
    ids = list(sc.districts["admin2_id"])
    stats = {i: [int(n), int(k), int(w), _span(a, b)] for i, n, k, w, a, b in zip(
        ids, totals["events"].tolist(), totals["killed"].tolist(), totals["injured"].tolist(),
        totals["first"].tolist(), totals["last"].tolist())}
    undated = int(sc.events["date"].isna().sum())
    spec = frame_spec(sc, title=title or f"{sc.region}: {value_label(value, sc).lower()} per district",
                      subtitle=" \u00b7 ".join(x for x in (f"{value_label(value, sc)} reported per district",
                                                           date_range_text(sc.events["date"])) if x),
                      notes=[count_note(sc), province_note(sc.province_only, undated, unit=sc.unit), *left_out_notes(sc)],
                      self_contained=self_contained)
    spec.update({
        "districts": district_features(sc.districts), "provinces": province_features(sc.provinces),
        "classes": dict(zip(ids, classes)), "stats": stats, "colors": class_colors(legend), "value": value,
        "legend": {"title": f"{value_label(value, sc)} per district", "items": legend},
        **unplaced_spec(sc),
    })
    m = new_map(self_contained=self_contained)
    add_call(m, "choropleth", spec)
    return m
