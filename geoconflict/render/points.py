"""Point maps: one marker per event, coloured by actor or type, sized by killed, with popups."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..districts import DistrictSource
from ..errors import InputError
from ._base import (
    CATEGORY_COLORS,
    OTHER_COLOR,
    Scene,
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

logger = logging.getLogger(__name__)

CLUSTER_ABOVE = 300
CANVAS_ABOVE = 5000
#: Point maps drawing more events than this merge the events at one coordinate into one marker (their
#: count and combined toll), and keep the events' popup lines in a separate data block read on first click.
MERGE_ABOVE = 200_000
#: Zoom range of a merged map: markercluster clusters the markers once per zoom level, so fewer levels
#: cluster many places faster (5: all of Pakistan; 16: streets, finer than the places need).
MERGED_ZOOMS = (5, 16)
#: A merged marker's popup lists at most this many of its events (and says how many there are).
POPUP_LIMIT = 50
#: Digits of latitude/longitude kept for the browser; events equal at this rounding share a place.
COORD_DIGITS = 5
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
    return text.astype(object).where(text.notna(), None).tolist()


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


def _colors(events: pd.DataFrame, color_by: str) -> tuple[Any, list[str], list[dict[str, Any]]]:
    """Each event's colour index (numpy), the palette and the colour legend items.

    The most frequent categories get their own colour; the rest share the colour "other".
    """
    if color_by not in ("actor", "event_type"):
        raise InputError(f"color_by must be 'actor' or 'event_type', not {color_by!r}")
    categories = events[color_by].fillna("unknown").astype(str)
    ranked = list(categories.value_counts().index)
    shown = ranked[: len(CATEGORY_COLORS)]
    palette = [*CATEGORY_COLORS[: len(shown)], OTHER_COLOR]
    codes = categories.map({name: i for i, name in enumerate(shown)}).fillna(len(shown)).astype(int).to_numpy()
    legend = [{"color": c, "shape": "dot", "label": name} for c, name in zip(palette, shown)]
    if len(ranked) > len(shown):
        legend.append({"color": OTHER_COLOR, "shape": "dot", "label": "other"})
    return codes, palette, legend


def event_columns(events: pd.DataFrame, color_by: str, periods: list[str] | None = None,
                  freq: str = "month") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Columnar event data for the browser (one list per field, lookup tables for repeated values)
    and the colour legend items."""
    import pandas as pd

    codes, palette, legend = _colors(events, color_by)
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
        "lat": events["latitude"].astype(float).round(COORD_DIGITS).tolist(),
        "lon": events["longitude"].astype(float).round(COORD_DIGITS).tolist(),
        "prec": events["geo_precision"].astype(int).clip(1, 4).tolist(),
        "color": codes.tolist(),
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
        columns["period"] = _period_codes(events, periods, freq)
    data: dict[str, Any] = {**columns, "palette": palette, "actors": list(actors), "types": list(types),
                            "articles": [list(k) for k in article_keys], "precisionText": PRECISION_TEXT}
    return data, legend


def _period_codes(events: pd.DataFrame, periods: list[str], freq: str) -> list[int]:
    """Each event's index into the slider's ``periods`` (-1 when undated or outside them)."""
    labels = period_of(events["date"], freq)
    position = {p: i for i, p in enumerate(periods)}
    return [position.get(v, -1) if isinstance(v, str) else -1 for v in labels.tolist()]


def _timeline_spec(sc: Scene, codes: list[int], periods: list[str], freq: str) -> dict[str, Any]:
    """The slider and chart of a point map over time: its periods and the events in each."""
    series = [0] * len(periods)
    for index in codes:
        if index >= 0:
            series[index] += 1
    return {"periods": periods, "series": series, "seriesUnit": list(sc.unit),
            "sliderLabel": f"{sc.unit[1].capitalize()} by {freq}",
            "chartLabel": f"{sc.unit[1].capitalize()} per {freq}"}


def _undated_note(sc: Scene, shown: pd.DataFrame) -> str:
    undated = int(shown["date"].isna().sum())
    if not undated:
        return f"Every drawn {sc.unit[0]} has a date."
    return (f"{plural(undated, f'undated {sc.unit[0]}', f'undated {sc.unit[1]}')} "
            f"{'stay' if undated != 1 else 'stays'} visible at all times.")


def _ngroup(events: pd.DataFrame, columns: list[str]) -> tuple[Any, Any]:
    """A group code per row for the values of ``columns`` (missing values form groups too) and the
    position of each group's first row."""
    import numpy as np
    import pandas as pd

    codes = np.zeros(len(events), dtype=np.int64)
    for column in columns:
        values, distinct = pd.factorize(events[column], use_na_sentinel=False)
        codes, _ = pd.factorize(codes * (len(distinct) + 1) + values)
    _, first = np.unique(codes, return_index=True)
    return codes, first


def _lookup(values: list[Any]) -> tuple[list[int], list[Any]]:
    """Codes into a table of the distinct values, in order of first appearance (repeated text sent once)."""
    table: dict[Any, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    return codes, list(table)


def _counts_or_none(values: Any) -> list[int | None]:
    """Whole numbers for the browser, None where unknown (NaN)."""
    import numpy as np

    known = ~np.isnan(values)
    whole = np.where(known, values, 0).astype(np.int64).tolist()
    return [v if k else None for v, k in zip(whole, known.tolist())]


def merged_columns(events: pd.DataFrame, color_by: str, periods: Any = None
                   ) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """One marker per distinct place (coordinates rounded to :data:`COORD_DIGITS` digits) and the events'
    popup lines, for point maps too large for a marker per event.

    With ``periods`` (an index into the slider's periods per event, -1 for undated events), a place
    has one marker per period it has events in, and the places carry a ``period`` column.

    Returns
    -------
    places
        Columns per place: ``lat``, ``lon``, ``count`` (events), ``killed`` and ``injured`` (sums of the
        known tolls, None when no event there has one), ``prec`` (the finest precision there),
        ``color`` (the most frequent category there), ``radius`` (from the combined killed),
        ``name`` (the earliest event's location phrase) and ``where`` (its admin names) as indexes
        into ``names`` and ``wheres``, and the palette.
    lines
        Columns per event, grouped by place in the order of the places (so place ``i``'s events
        start at the sum of the counts before it) and dated in order: ``date`` (index into
        ``dates``), ``actor``, ``type``, ``toll`` (index into ``tolls``: killed, injured),
        ``article`` (index into ``articles``: id, title, url), with their lookup tables.
    legend
        The colour legend items.
    """
    import numpy as np
    import pandas as pd

    colors, palette, legend = _colors(events, color_by)
    scale = 10 ** COORD_DIGITS
    lat_i = np.rint(events["latitude"].to_numpy(float) * scale).astype(np.int64)
    lon_i = np.rint(events["longitude"].to_numpy(float) * scale).astype(np.int64)
    key = (lat_i + 90 * scale) * (400 * scale) + (lon_i + 180 * scale)
    if periods is None:
        place, _ = pd.factorize(key)
    else:  # one marker per place and period, so the slider shows a place's events of that period only
        place = pd.DataFrame({"key": key, "period": periods}).groupby(["key", "period"], sort=False).ngroup()
        place = place.to_numpy(np.int64)
    n_places = int(place.max()) + 1 if len(place) else 0
    stamp = events["date"].to_numpy("datetime64[ns]").view(np.int64)
    stamp = np.where(events["date"].isna().to_numpy(), np.iinfo(np.int64).max, stamp)  # undated last
    order = np.lexsort((stamp, place))
    count = np.bincount(place, minlength=n_places)
    head = order[np.cumsum(count) - count]  # each place's earliest event

    def toll(column: str) -> tuple[Any, list[int | None]]:
        values = pd.to_numeric(events[column], errors="coerce").to_numpy(float)
        known = ~np.isnan(values)
        total = np.bincount(place, weights=np.where(known, values, 0.0), minlength=n_places)
        reported = np.bincount(place, weights=known.astype(float), minlength=n_places) > 0
        return values[order], _counts_or_none(np.where(reported, total, np.nan))

    killed, killed_total = toll("killed")
    injured, injured_total = toll("injured")
    k = len(palette)
    dominant = np.bincount(place * k + colors, minlength=n_places * k).reshape(n_places, k).argmax(axis=1)
    prec = pd.Series(events["geo_precision"].to_numpy()).clip(1, 4).groupby(place).min().to_numpy()
    heads = pd.DataFrame(events[["admin3", "admin2", "admin1", "location"]]).iloc[head]
    trios = zip(_texts(heads["admin3"]), _texts(heads["admin2"]), _texts(heads["admin1"]))
    name_codes, names = _lookup(_texts(heads["location"], 200))
    where_codes, wheres = _lookup([", ".join(dict.fromkeys(n for n in trio if n)) or None for trio in trios])
    places: dict[str, Any] = {
        "lat": np.round(lat_i[head] / scale, COORD_DIGITS).tolist(),
        "lon": np.round(lon_i[head] / scale, COORD_DIGITS).tolist(),
        "count": count.tolist(), "killed": killed_total, "injured": injured_total,
        "prec": prec.astype(int).tolist(), "color": dominant.tolist(),
        "radius": marker_radius(np.array([np.nan if v is None else v for v in killed_total], dtype=float)).tolist(),
        "name": name_codes, "names": names, "where": where_codes, "wheres": wheres,
        "palette": palette, "precisionText": PRECISION_TEXT,
    }
    if periods is not None:
        places["period"] = np.asarray(periods, dtype=np.int64)[head].tolist()
    date_columns = ["date", "date_precision"] + (["date_end"] if "date_end" in events else [])
    ordered = pd.DataFrame(events[[*date_columns, "article_id", "title", "url", "actor", "event_type"]]).iloc[order]
    date_codes, date_first = _ngroup(ordered, date_columns)
    article_codes, article_first = _ngroup(ordered, ["article_id", "title", "url"])
    articles = ordered.iloc[article_first]
    actor_codes, actors = pd.factorize(ordered["actor"].fillna("unknown").astype(str), sort=True)
    type_codes, types = pd.factorize(ordered["event_type"].fillna("other").astype(str), sort=True)
    whole = [np.where(np.isnan(v), -1, v).astype(np.int64) + 1 for v in (killed, injured)]  # 0: unknown
    toll_codes, _ = pd.factorize(whole[0] * 2**32 + whole[1])
    _, toll_first = np.unique(toll_codes, return_index=True)
    tolls = list(zip(_counts_or_none(killed[toll_first]), _counts_or_none(injured[toll_first])))
    lines: dict[str, Any] = {
        "date": date_codes.tolist(), "dates": _date_texts(ordered.iloc[date_first]),
        "actor": actor_codes.tolist(), "actors": list(actors),
        "type": type_codes.tolist(), "types": list(types),
        "toll": toll_codes.tolist(), "tolls": [list(t) for t in tolls],
        "article": article_codes.tolist(),
        "articles": [list(a) for a in zip(_texts(articles["article_id"]), _texts(articles["title"], 200),
                                           _texts(articles["url"], 500))],
    }
    return places, lines, legend


def listed_columns(events: pd.DataFrame, color_by: str = "actor") -> tuple[dict[str, Any] | None, int]:
    """Columns of the first :data:`LIST_LIMIT` events, for a list beside a map, and how many there are."""
    if not len(events):
        return None, 0
    return event_columns(events.head(LIST_LIMIT), color_by)[0], len(events)


def unplaced_mask(events: pd.DataFrame) -> pd.Series:
    """Events a point map does not draw: known only to the province (or to no mapped district)."""
    prec = events["geo_precision"]
    return (prec >= 4) | ((prec == 3) & events["admin2_id"].isna())


def _merged_map(sc: Scene, shown: pd.DataFrame, hidden: pd.DataFrame, *, function: str, color_by: str,
                label: str, title: str | None, self_contained: bool, freq: str | None) -> folium.Map:
    """A point map with one marker per place (per place and period over time): see :data:`MERGE_ABOVE`."""
    periods = all_periods(shown["date"], freq) if freq else None
    codes = _period_codes(shown, periods, freq) if freq and periods is not None else None
    places, lines, legend = merged_columns(shown, color_by, codes)
    n_places = len(places["lat"])
    unit = sc.unit
    where = "place and period" if freq else "place"
    noun = "marker" if freq else "place"  # over time, a place has a marker per period
    notes = [f"{plural(len(shown), *unit)} at {plural(n_places, noun)}; {unit[1]} at the same {where} are "
             f"merged into one marker, sized by their combined number killed and coloured by the most frequent "
             f"{label} there. Its popup lists the first {POPUP_LIMIT} {unit[1]} there by date (with actor, type, "
             f"toll and article); the evidence sentences are in the events table.",
             f"{plural(len(sc.events), *unit)}: {len(shown)} drawn on the map"
             + (f", {len(hidden)} known only to the province listed beside it." if len(hidden) else "."),
             f"Numbers on clusters count {unit[1]}."]
    if freq:
        notes.append(_undated_note(sc, shown))
    notes += left_out_notes(sc)
    when = date_range_text(sc.events["date"])
    spec = frame_spec(sc, title=title or f"{sc.region}: {unit[1]}{' over time' if freq else ''} by {label}",
                      subtitle=" · ".join(x for x in (f"one marker per {where} ({unit[1]} merged)", when) if x),
                      notes=notes, self_contained=self_contained)
    spec.update({
        "events": places, "merged": True, "popupLimit": POPUP_LIMIT, "cluster": True,
        "mergedNote": f"{plural(len(shown), *unit)} at {plural(n_places, noun)}; {unit[1]} at the same "
                      f"{where} are merged.",
        "provinces": province_features(sc.provinces), "outlines": district_features(sc.districts),
        "legend": {"title": f"Colour: most frequent {label} at the place", "items": legend},
        "sizeLegend": size_legend(),
        "precisionLegend": {"title": "Outline: how precisely the place is known", "items": PRECISION_LEGEND},
        "unplaced": listed_columns(hidden, color_by)[0], "unplacedTotal": len(hidden),
    })
    if freq and codes is not None and periods is not None:
        spec.update(_timeline_spec(sc, codes, periods, freq))
    logger.info("point map: %d events merged into %d markers", len(shown), n_places)
    m = new_map(self_contained=self_contained, cluster=True, canvas=n_places > CANVAS_ABOVE, zooms=MERGED_ZOOMS)
    add_call(m, function, spec, lazy=lines)
    return m


def _points_map(events: pd.DataFrame, *, function: str, color_by: str, cluster: bool | None,
                provinces: list[str] | None, district_source: DistrictSource | None,
                data_dir: str | os.PathLike[str] | None,
                settings: Settings | None, self_contained: bool, title: str | None,
                freq: str | None, include_background: bool, merge: bool | None = False) -> folium.Map:
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source,
               include_background=include_background, settings=settings)
    unplaced = unplaced_mask(sc.events)
    shown = sc.events[~unplaced]
    hidden = sc.events[unplaced]
    label = "actor" if color_by == "actor" else "event type"
    if len(shown) and (merge or (merge is None and len(shown) > MERGE_ABOVE)):
        return _merged_map(sc, shown, hidden, function=function, color_by=color_by, label=label,
                           title=title, self_contained=self_contained, freq=freq)
    cluster = len(shown) > CLUSTER_ABOVE if cluster is None else cluster
    periods = all_periods(shown["date"], freq) if freq else None
    data, legend = event_columns(shown, color_by, periods, freq or "month")
    notes = [f"{plural(len(sc.events), *sc.unit)}: {len(shown)} drawn on the map"
             + (f", {len(hidden)} known only to the province listed beside it." if len(hidden) else ".")]
    if freq:
        notes.append(_undated_note(sc, shown))
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
        spec.update(_timeline_spec(sc, data["period"], periods, freq))
    m = new_map(self_contained=self_contained, cluster=True, canvas=len(shown) > CANVAS_ABOVE)
    add_call(m, function, spec)
    return m


def render_points(events: pd.DataFrame, *, color_by: str = "actor", cluster: bool | None = None,
                  provinces: list[str] | None = None, district_source: DistrictSource | None = None,
                  data_dir: str | os.PathLike[str] | None = None,
                  settings: Settings | None = None, self_contained: bool = True,
                  title: str | None = None, include_background: bool = False,
                  merge: bool | None = None) -> folium.Map:
    """Map one marker per event (or, for very many events, one per place).

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
        Cluster markers; default when there are more than 300 (merged maps always cluster).
    provinces, district_source, data_dir, self_contained, title, include_background
        As for :func:`render_choropleth`.
    merge
        Merge the events at one coordinate into one marker carrying their count and
        combined toll; its popup, built on click from a data block the page reads
        only then, lists the events there (date, actor, type, toll, article; no
        evidence sentence), and the map says how many events are at how many
        places. Default: when more than :data:`MERGE_ABOVE` events are drawn.

    Returns
    -------
    folium.Map
    """
    return _points_map(events, function="points", color_by=color_by, cluster=cluster, provinces=provinces,
                       district_source=district_source, data_dir=data_dir,
                       settings=settings, self_contained=self_contained,
                       title=title, freq=None, include_background=include_background, merge=merge)


def render_points_timeline(events: pd.DataFrame, *, period: str = "month", color_by: str = "actor",
                           cluster: bool | None = None, provinces: list[str] | None = None,
                           district_source: DistrictSource | None = None,
                           data_dir: str | os.PathLike[str] | None = None,
                           settings: Settings | None = None, self_contained: bool = True,
                           title: str | None = None, include_background: bool = False,
                           merge: bool | None = None) -> folium.Map:
    """Map events with a time slider and a chart of events per period; undated events stay visible throughout.

    The slider opens on the first period with events and can play.

    Parameters are those of :func:`render_points`, plus ``period``: ``"week"``,
    ``"month"`` (default) or ``"year"``. A merged map (``merge``) has one marker
    per place and period, so the slider still shows only a period's events.
    """
    return _points_map(events, function="pointsTimeline", color_by=color_by, cluster=cluster,
                       provinces=provinces, district_source=district_source, data_dir=data_dir, settings=settings,
                       self_contained=self_contained, title=title, freq=period,
                       include_background=include_background, merge=merge)
