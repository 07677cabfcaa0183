"""What every renderer shares: the map, its assets, district geometry, classes and colours."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from branca.element import Figure, MacroElement

from ..config import PROVINCE, Settings, resolve_settings
from ..districts import DistrictSource, load_admin_layers
from ..errors import InputError
from ._assets import AssetsElement, RawElement
from ._data import prepare_events, script_json

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

#: ColorBrewer YlOrRd (5 classes), with a light grey for zero.
CLASS_COLORS = ["#f2f2f2", "#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
#: Categorical colours (Tableau 10) for actors and event types; grey for the rest.
CATEGORY_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                   "#bcbd22"]
OTHER_COLOR = "#7f7f7f"
SIMPLIFY_DEGREES = 0.01
COORD_DECIMALS = 4


@lru_cache(maxsize=1)
def _library() -> tuple[str, str]:
    folder = resources.files("geoconflict.render").joinpath("static")
    js = folder.joinpath("geoconflict.js").read_text(encoding="utf-8")
    css = folder.joinpath("geoconflict.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css


class _Library(AssetsElement):
    """geoconflict's own map script and styles, always inlined (they are part of the product)."""

    def __init__(self) -> None:
        super().__init__([], self_contained=True)
        self._name = "GeoconflictLibrary"

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        js, css = _library()
        _figure(self).header.add_child(RawElement(f"<style>{css}</style><script>{js}</script>"),
                                         name="geoconflict_library")


def _figure(element: MacroElement) -> Figure:
    figure = element.get_root()
    assert isinstance(figure, Figure), "maps render inside a branca Figure"
    return figure


class _Call(MacroElement):
    """A call ``geoconflict.<function>(map, spec)`` placed in the map's script, never run through Jinja."""

    def __init__(self, function: str, spec: dict[str, Any], lazy: dict[str, Any] | None = None) -> None:
        super().__init__()
        self._name = "GeoconflictLayer"
        self.function = function
        self.lazy_block = f"gc-lazy-{self.get_name()}" if lazy is not None else None
        self.payload = script_json({**spec, "lazyBlock": self.lazy_block} if lazy is not None else spec)
        self.lazy_payload = script_json(lazy) if lazy is not None else None

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        # The spec travels as a JSON data block: JSON.parse reads large data far faster than the
        # JavaScript parser reads the same object literal (100,000 events: seconds saved).
        figure = _figure(self)
        block = f"gc-data-{self.get_name()}"
        figure.html.add_child(RawElement(f'<script type="application/json" id="{block}">{self.payload}</script>'),
                              name=block)
        if self.lazy_block is not None:
            # Parsed by the page only when first needed (geoconflict.lazy), e.g. on the first popup.
            figure.html.add_child(RawElement(f'<script type="application/json" id="{self.lazy_block}">'
                                             f'{self.lazy_payload}</script>'), name=self.lazy_block)
        assert self._parent is not None, "add the layer to a map first"
        code = (f"geoconflict.{self.function}({self._parent.get_name()}, "
                f"JSON.parse(document.getElementById('{block}').textContent));")
        figure.script.add_child(RawElement(code), name=self.get_name())


def new_map(*, self_contained: bool = True, cluster: bool = False, canvas: bool = False,
            zooms: tuple[int, int] = (3, 18)) -> folium.Map:
    """A folium map that loads only Leaflet (and markercluster): inlined by default, or linked from a CDN.

    ``zooms`` are the least and most zoom the map allows (markercluster builds its clusters for
    every zoom in between).

    No tiles are added here: the basemap is a layer of geoconflict's own script,
    shown at once in linked maps and offered (off) in self-contained ones, so a
    map opened offline makes no request at all.
    """
    import folium

    m = folium.Map(location=[28.5, 66.0], zoom_start=6, tiles=None, control_scale=True, prefer_canvas=canvas,
                   zoom_snap=0.25, zoom_delta=0.5)
    m.options.update({"minZoom": zooms[0], "maxZoom": zooms[1]})  # folium gives these to tiles only; clusters need them
    m.default_js = []  # folium's jQuery, Bootstrap and icon fonts are not used by these maps
    m.default_css = []
    names = ["leaflet_css", "leaflet_js"] + (["cluster_css", "cluster_default_css", "cluster_js"] if cluster else [])
    m.add_child(AssetsElement(names, self_contained=self_contained))
    m.add_child(_Library())
    return m


def add_call(m: folium.Map, function: str, spec: dict[str, Any], lazy: dict[str, Any] | None = None) -> None:
    """Add a ``geoconflict.<function>(map, spec)`` call to the map's script.

    ``lazy`` data goes in a JSON block of its own, which the page parses only when it is first
    needed; the spec gets its element id as ``lazyBlock``.
    """
    m.add_child(_Call(function, spec, lazy))


@dataclass
class Scene:
    """Events prepared for mapping, with the districts and provinces to draw."""

    events: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    province_only: int  # events known only to their province
    all_provinces: gpd.GeoDataFrame = field(default=None)
    unlocated: int = 0  # rows without coordinates, left off
    background: int = 0  # rows reported as background (history), left off unless asked for
    unit: tuple[str, str] = ("event", "events")  # what a row is, singular and plural (see unit_words)
    settings: Settings | None = None  # the settings the layers were read with; orientation layers use them too

    @property
    def outside_districts(self) -> pd.Series:
        """True for events in no mapped district (known only to the province)."""
        return self.events["admin2_id"].isna() | ~self.events["admin2_id"].isin(self.districts["admin2_id"])

    @property
    def region(self) -> str:
        """The mapped provinces' names, for titles."""
        return ", ".join(self.provinces["admin1"].astype(str))


def unit_words(table: pd.DataFrame) -> tuple[str, str]:
    """What one row of a table to map is, singular and plural: the one place map labels take it from.

    ``("incident", "incidents")`` for an incidents table (it has ``incident_id``:
    reports of one attack merged), else ``("event", "events")``.
    """
    return ("incident", "incidents") if "incident_id" in table.columns else ("event", "events")


def main_reports(events: pd.DataFrame, *, include_background: bool) -> tuple[pd.DataFrame, int]:
    """Rows to map: those ``reported_as`` main (or with no such column or value), unless background is asked for.

    Returns
    -------
    (DataFrame, int)
        The rows kept and how many background rows were left out.
    """
    if include_background or "reported_as" not in events.columns:
        return events, 0
    kind = events["reported_as"].astype("string").str.strip().str.lower()
    keep = kind.isna() | (kind == "") | (kind == "main")
    return events[keep.to_numpy()], int((~keep).sum())


def scene(events: pd.DataFrame, *, provinces: list[str] | None, data_dir: str | os.PathLike[str] | None,
          district_source: DistrictSource | None, include_background: bool = False,
          settings: Settings | None = None) -> Scene:
    """Prepare events and pick the provinces to draw (default: those the events are in).

    ``settings`` (default: the environment) is resolved once here, with ``data_dir`` and
    ``district_source`` as overrides, and kept on the scene for every layer the map draws.

    Raises
    ------
    InputError
        If the events table is empty or unusable, or a province name is unknown.
    """
    settings = resolve_settings(settings, data_dir=data_dir, district_source=district_source)
    layers = load_admin_layers(settings=settings)
    main, background = main_reports(events, include_background=include_background)
    prepared = prepare_events(main, layers.districts)
    known = set(layers.provinces["admin1"])
    if provinces:
        unknown = sorted(set(provinces) - known)
        if unknown:
            raise InputError(f"unknown province(s) {unknown!r}; expected some of {sorted(known)!r}")
        chosen = list(provinces)
    else:
        chosen = sorted(set(prepared["admin1"].dropna()) & known) or [PROVINCE]
    districts = layers.districts[layers.districts["admin1"].isin(chosen)].reset_index(drop=True)
    outlines = layers.provinces[layers.provinces["admin1"].isin(chosen)].reset_index(drop=True)
    in_scope = prepared[prepared["admin1"].isin(chosen) | prepared["admin1"].isna()]
    province_only = int((in_scope["admin2_id"].isna() | ~in_scope["admin2_id"].isin(districts["admin2_id"])).sum())
    return Scene(in_scope, districts, outlines, province_only, all_provinces=layers.provinces,
                 unlocated=len(main) - len(prepared), background=background,
                 unit=unit_words(events), settings=settings)


def date_range_text(dates: pd.Series) -> str:
    """``2025-03-16 – 2025-09-02`` for the known dates (empty when none is known)."""
    import pandas as pd

    known = pd.to_datetime(dates, errors="coerce").dropna()
    if known.empty:
        return ""
    first, last = known.min().date().isoformat(), known.max().date().isoformat()
    return first if first == last else f"{first} – {last}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 event``, ``2 events``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def left_out_notes(sc: Scene) -> list[str]:
    """Sentences for the data note about rows that are in the table but not on the map."""
    notes = []
    if sc.unlocated:
        notes.append(f"{plural(sc.unlocated, *sc.unit)} without coordinates left off.")
    if sc.background:
        notes.append(f"{plural(sc.background, *sc.unit)} reported only as background (earlier incidents "
                     "recalled in an article) left off.")
    return notes


def frame_spec(sc: Scene, *, title: str, subtitle: str, notes: list[str], self_contained: bool) -> dict[str, Any]:
    """What every map shares: title, subtitle, data note, orientation layers and credits."""
    from ._context import context_spec

    return {"title": title, "subtitle": subtitle, "notes": [n for n in notes if n], "unit": list(sc.unit),
            "context": context_spec(sc.all_provinces, sc.provinces, sc.districts, settings=sc.settings,
                                    self_contained=self_contained),
            "bounds": province_bounds(sc.provinces)}


def province_bounds(provinces: gpd.GeoDataFrame) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the mapped provinces: maps open framed on them."""
    minx, miny, maxx, maxy = (float(v) for v in provinces.total_bounds)
    return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


def feature_collection(frame: gpd.GeoDataFrame, properties: dict[str, str], *,
                       tolerance: float = SIMPLIFY_DEGREES) -> dict[str, Any]:
    """GeoJSON of simplified polygons with coordinates rounded once (used for every time step)."""
    import shapely

    geometry = shapely.set_precision(frame.geometry.simplify(tolerance, preserve_topology=True).values,
                                     10 ** -COORD_DECIMALS)
    features = []
    for i, geom in enumerate(geometry):
        if geom is None or geom.is_empty:
            continue
        props = {key: (None if frame[column].iloc[i] is None else str(frame[column].iloc[i]))
                 for key, column in properties.items()}
        features.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def district_features(districts: gpd.GeoDataFrame) -> dict[str, Any]:
    return feature_collection(districts, {"id": "admin2_id", "name": "admin2", "province": "admin1"})


def province_features(provinces: gpd.GeoDataFrame) -> dict[str, Any]:
    return feature_collection(provinces, {"name": "admin1"})


def classify(values: list[float], k: int = 5) -> tuple[list[int], list[dict[str, str]]]:
    """Classes for skewed counts: 0 for zero, then Fisher-Jenks breaks over the positive values.

    The breaks are computed over the distinct positive values weighted by how
    often each occurs (:mod:`._jenks`): the optimum of Fisher-Jenks over every
    value, at a cost that grows with the distinct values only, so a slider of
    hundreds of periods classifies in milliseconds.

    Returns
    -------
    (list of int, list of dict)
        The class of each value (0..k) and the legend items (colour, label), zero first.
    """
    import numpy as np

    from ._jenks import fisher_jenks_breaks

    positive = np.asarray([v for v in values if v > 0], dtype=float)
    unique, counts = np.unique(positive, return_counts=True)
    if not len(unique):
        return [0] * len(values), [{"color": CLASS_COLORS[0], "label": "0"}]
    k = min(k, len(unique))
    bins = [float(u) for u in unique] if k == len(unique) else fisher_jenks_breaks(unique, counts, k)
    classes = []
    for value in values:
        if value <= 0:
            classes.append(0)
            continue
        classes.append(next((i + 1 for i, b in enumerate(bins) if value <= b), len(bins)))
    items = [{"color": CLASS_COLORS[0], "label": "0"}]
    lower = min(positive)
    palette = CLASS_COLORS[1:] if len(bins) == 5 else CLASS_COLORS[1:][:: max(1, 5 // len(bins))][:len(bins)]
    for i, upper in enumerate(bins):
        low, high = int(np.ceil(lower)), int(upper)
        items.append({"color": palette[i], "label": f"{low}" if low >= high else f"{low}\u2013{high}"})
        lower = upper + 1
    return classes, items


def jenks_breaks(values: list[float], k: int) -> list[float]:
    """Fisher-Jenks natural breaks: the upper bound of each of ``k`` classes of ``values``.

    The optimum mapclassify's ``FisherJenks`` finds, searched over the distinct values weighted by how often
    they occur (:func:`._jenks.fisher_jenks_breaks`), so many ties cost nothing.
    """
    import numpy as np

    from ._jenks import fisher_jenks_breaks

    unique, counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    return fisher_jenks_breaks(unique, counts, min(k, len(unique)))


def class_colors(items: list[dict[str, str]]) -> list[str]:
    return [item["color"] for item in items]


VALUE_LABELS = {"events": "Events", "killed": "Killed", "injured": "Injured"}


def value_label(value: str, sc: Scene) -> str:
    """``Incidents``, ``Events``, ``Killed`` or ``Injured``: what a map of ``value`` counts, in the scene's unit."""
    return sc.unit[1].capitalize() if value == "events" else VALUE_LABELS[value]


def check_value(value: str) -> str:
    if value not in VALUE_LABELS:
        raise InputError(f"value must be one of events, killed, injured, not {value!r}")
    return value
