"""What lets a reader find their way on a map with no basemap: outlines, names, towns and credits.

Everything here is drawn from the files geoconflict already reads: Pakistan's
outline (geoBoundaries ADM0), the provinces (ADM1), the districts being
mapped, and GeoNames towns. The only hand-written positions are the anchor
points of the neighbouring countries' and the sea's names, each well inside
the area it names.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .. import config

if TYPE_CHECKING:
    import geopandas as gpd

logger = logging.getLogger(__name__)

#: Names of what lies beyond Pakistan's border, at (latitude, longitude) well inside each area.
NEIGHBOUR_LABELS: tuple[tuple[str, float, float], ...] = (
    ("IRAN", 28.3, 60.2),
    ("AFGHANISTAN", 31.8, 64.6),
    ("Arabian Sea", 23.9, 63.5),
    ("INDIA", 26.8, 72.6),
)
#: How many towns (largest GeoNames population first) are drawn in the mapped provinces.
MAIN_TOWNS = 12
#: Towns closer than this (degrees) to a larger drawn town are left out, so names do not pile up.
TOWN_SPACING_DEGREES = 0.35
#: GeoNames admin1 codes of Pakistan's provinces (checked on Quetta, Karachi, Lahore, Peshawar,
#: Muzaffarabad, Gilgit and Islamabad), keyed by the province names of the ADM1 boundary file.
GEONAMES_PROVINCE_CODES = {"Balochistan": "02", "Khyber Pakhtunkhwa": "03", "Punjab": "04", "Sindh": "05",
                           "Azad Kashmir": "06", "Gilgit-Baltistan": "07", "Islamabad Capital Territory": "08"}
#: GeoNames entries placed in the wrong province: "Arif Wala" (a town of Punjab's Pakpattan
#: district) carries Balochistan's code and a point in Khuzdar.
MISPLACED_TOWNS = frozenset({"Arif Wala"})
#: Credits every map and figure carries (the ODbL requires attribution for ADM0 and ADM3).
CREDITS: tuple[tuple[str, str], ...] = (
    ("Boundaries: geoBoundaries gbOpen PAK (ADM0 and ADM3 tehsils: ODbL 1.0; ADM1/ADM2: public domain)",
     "https://www.geoboundaries.org"),
    ("Tehsils and villages: Pakistan Bureau of Statistics, population census 2017 / 2023, via PakPC2017 / "
     "PakPC2023 (M. Yaseen)", "https://www.pbs.gov.pk"),
    ("Towns: GeoNames (CC BY 4.0)", "https://www.geonames.org"),
)
#: Basemap used when online (off by default in self-contained maps: tiles are network requests).
BASEMAP = {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
           "attribution": "\u00a9 OpenStreetMap contributors", "name": "OpenStreetMap basemap (needs internet)"}
CONTEXT_SIMPLIFY_DEGREES = 0.02


def credits_text() -> str:
    """The credits as one line (for figures)."""
    return "; ".join(text for text, _ in CREDITS)


@lru_cache(maxsize=4)
def _country_outline(settings: config.Settings) -> dict[str, Any] | None:
    from ..data import load_boundaries
    from ..errors import GeoconflictError
    from ._base import feature_collection

    try:
        country = load_boundaries("ADM0", settings=settings)
    except GeoconflictError as exc:  # the map is still readable without it; say so in the log
        logger.warning("Pakistan's outline is left off the map: %s", exc)
        return None
    country = country.assign(name="Pakistan")
    return feature_collection(country, {"name": "name"}, tolerance=CONTEXT_SIMPLIFY_DEGREES)


def _label_point(geometry: Any) -> tuple[float, float]:
    point = geometry.representative_point()
    return round(float(point.y), 4), round(float(point.x), 4)


def main_towns(provinces: gpd.GeoDataFrame, limit: int = MAIN_TOWNS) -> list[list[Any]]:
    """The largest GeoNames towns inside the provinces: ``[name, lat, lon]``, largest first."""
    import shapely

    from .._geonames import load_towns

    area = shapely.union_all(provinces.geometry.values)
    if area.is_empty:
        return []
    shapely.prepare(area)
    codes = {GEONAMES_PROVINCE_CODES.get(str(name)) for name in provinces["admin1"]}
    towns = sorted((t for t in load_towns() if t["countrycode"] == "PK" and t.get("admin1code") in codes
                    and t["name"] not in MISPLACED_TOWNS), key=lambda t: -int(t.get("population") or 0))
    found: list[list[Any]] = []
    for town in towns:
        lat, lon = float(town["latitude"]), float(town["longitude"])
        if not area.contains(shapely.Point(lon, lat)):
            continue
        if any(abs(lat - f[1]) < TOWN_SPACING_DEGREES and abs(lon - f[2]) < TOWN_SPACING_DEGREES for f in found):
            continue  # a second GeoNames entry for the same town, or a suburb
        found.append([str(town["name"]), round(lat, 4), round(lon, 4)])
        if len(found) >= limit:
            break
    return found


def context_spec(all_provinces: gpd.GeoDataFrame, chosen: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, *,
                 settings: config.Settings | None, self_contained: bool) -> dict[str, Any]:
    """Orientation for a map: the layers and labels drawn in grey under the data.

    Returns
    -------
    dict
        ``country`` (Pakistan's outline or None), ``others`` (the other
        provinces), ``labels`` (district names at a point inside each),
        ``regions`` (names of the other provinces and the neighbours),
        ``towns``, ``credits``, ``basemap`` and whether it starts shown.
    """
    from ._base import feature_collection

    others = all_provinces[~all_provinces["admin1"].isin(chosen["admin1"])]
    regions = [[str(name), *_label_point(geom)] for name, geom in zip(others["admin1"], others.geometry)
               if geom is not None and not geom.is_empty]
    regions += [[name, lat, lon] for name, lat, lon in NEIGHBOUR_LABELS]
    # Largest districts first: where names collide on screen, the larger district keeps its name.
    import numpy as np
    import shapely

    order = np.argsort(-shapely.area(np.asarray(districts.geometry.values)), kind="stable")
    by_size = districts.iloc[order]
    labels = [[str(name), str(i), *_label_point(geom)]
              for name, i, geom in zip(by_size["admin2"], by_size["admin2_id"], by_size.geometry)
              if geom is not None and not geom.is_empty]
    try:
        towns = main_towns(chosen)
    except (OSError, ValueError, KeyError, ImportError) as exc:  # towns help reading; never fail a map for them
        logger.warning("towns are left off the map: %s", exc)
        towns = []
    return {
        "country": _country_outline(config.resolve_settings(settings).replace(province=None)),
        "others": feature_collection(others, {"name": "admin1"}, tolerance=CONTEXT_SIMPLIFY_DEGREES),
        "regions": regions,
        "labels": labels,
        "towns": towns,
        "credits": [list(c) for c in CREDITS],
        "basemap": {**BASEMAP, "on": not self_contained},
    }
