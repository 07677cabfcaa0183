"""Administrative layers: provinces, districts and tehsils, joined by stable ids.

The geoBoundaries ADM2 file holds an old set of districts (27 in Balochistan).
Today's Balochistan districts are built by dissolving ADM3 tehsils with the
curated table ``gazetteer/tehsils.csv`` (tehsil -> current district); the other
provinces keep their ADM2 polygons. ``district_source="adm2"`` gives the
unchanged ADM2 layer instead.

The levels come from different surveys and disagree along borders, so every
assignment between them is by majority of overlapping area (in an equal-area
projection), never by a representative point.
"""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .data import load_boundaries
from .errors import DataIntegrityError, DataNotFoundError, InputError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["AdminLayers", "DistrictSource", "layer_settings", "load_admin_layers", "load_districts",
           "read_gazetteer_table"]

logger = logging.getLogger(__name__)

#: ``"current"``, ``"adm2"`` (the ADM2 file as published) or a district layout of
#: :mod:`geoconflict.layouts` (``"2023-census"``, ``"provisional"``, ``"2019-06-01"``, ...).
DistrictSource = str
CURATED_PROVINCE = config.PROVINCE
_EQUAL_AREA = "EPSG:6933"


@dataclass(frozen=True, eq=False)
class AdminLayers:
    """The three administrative layers, in EPSG:4326.

    Attributes
    ----------
    provinces
        Columns ``admin1``, ``admin1_id``, ``geometry``.
    districts
        Columns ``admin2``, ``admin2_id``, ``admin1``, ``rep_lon``, ``rep_lat``,
        ``source``, ``geometry``; one row per district.
    tehsils
        Columns ``admin3``, ``admin3_id``, ``adm3_name``, ``admin2``,
        ``admin2_id``, ``admin1``, ``rep_lon``, ``rep_lat``, ``basis``, ``geometry``.
    district_source
        ``"current"`` (today's Balochistan districts), ``"adm2"`` or a layout.
    key
        What the layers were built from (``(settings,)``: data folder, cache,
        district source); equal keys mean equal layers, so derived tables (the
        gazetteer) can be cached by it.
    """

    provinces: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    tehsils: gpd.GeoDataFrame
    district_source: DistrictSource
    key: tuple[object, ...] = ()

    def __hash__(self) -> int:
        return hash(self.key) if self.key else id(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AdminLayers):
            return NotImplemented
        return self is other or (bool(self.key) and self.key == other.key)

    def copy(self) -> AdminLayers:
        """The same layers with frames of their own, so a caller's changes stay its own."""
        return AdminLayers(self.provinces.copy(), self.districts.copy(), self.tehsils.copy(),
                           self.district_source, self.key)


def read_gazetteer_table(name: str) -> list[dict[str, str]]:
    """Read one CSV table of the curated gazetteer shipped with the package.

    Parameters
    ----------
    name
        File name inside ``gazetteer/``, e.g. ``"tehsils.csv"``.

    Returns
    -------
    list of dict
        One dict per row, keyed by the header.
    """
    return [dict(row) for row in _parsed_table(name)]


@cache
def _parsed_table(name: str) -> tuple[dict[str, str], ...]:
    """Each curated table is read and parsed once per process; callers get fresh dicts."""
    text = _gazetteer_folder().joinpath(name).read_text(encoding="utf-8")
    return tuple(dict(row) for row in csv.DictReader(text.splitlines()))


def _gazetteer_folder() -> Traversable:
    """The curated tables: installed as ``geoconflict.gazetteer``, or the repository's
    top-level ``gazetteer/`` when the package is imported from a source checkout."""
    try:
        return resources.files("geoconflict.gazetteer")
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parent.parent / "gazetteer"
        if not (folder / "tehsils.csv").is_file():
            raise DataNotFoundError(
                f"the curated gazetteer is missing (looked for the geoconflict.gazetteer package and {folder}); "
                "reinstall geoconflict with `pip install .`") from None
        return folder


def _majority(left: gpd.GeoDataFrame, left_id: str, right: gpd.GeoDataFrame,
              right_id: str) -> dict[str, str]:
    """Map each ``left`` feature to the ``right`` feature it overlaps most by area."""
    import geopandas as gpd

    lhs = left[[left_id, "geometry"]].rename(columns={left_id: "_left"}).to_crs(_EQUAL_AREA)
    rhs = right[[right_id, "geometry"]].rename(columns={right_id: "_right"}).to_crs(_EQUAL_AREA)
    pieces = gpd.overlay(lhs, rhs, how="intersection", keep_geom_type=False)
    pieces["area"] = pieces.geometry.area
    best = pieces.sort_values("area", ascending=False).drop_duplicates("_left")
    mapping = dict(zip(best["_left"], best["_right"]))
    missing = lhs[~lhs["_left"].isin(mapping)]
    if len(missing):  # no overlap at all: fall back to the nearest feature
        near = gpd.sjoin_nearest(missing, rhs)
        mapping.update(dict(zip(near["_left"], near["_right"])))
    return mapping


def _title(name: str) -> str:
    """Readable tehsil name from an ADM3 ``shapeName`` (``'QUETTA SADDAR'`` -> ``'Quetta Saddar'``)."""
    import re

    cleaned = re.sub(r"\s+", " ", name.replace("_", " ")).strip(" -")
    cleaned = re.sub(r"\s+SUB(\s+DIVISION)?-?$", "", cleaned, flags=re.IGNORECASE).strip(" -")
    return cleaned.title() if cleaned.isupper() else cleaned


def _with_rep_points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    points = frame.geometry.representative_point()
    frame = frame.copy()
    frame["rep_lon"] = points.x.round(5)
    frame["rep_lat"] = points.y.round(5)
    return frame


def load_admin_layers(*, data_dir: str | os.PathLike[str] | None = None,
                      district_source: DistrictSource | None = None,
                      settings: config.Settings | None = None) -> AdminLayers:
    """Build the province, district and tehsil layers from the boundary files.

    Parameters
    ----------
    data_dir
        Folder holding the boundary files; default ``settings.data_dir``,
        else the user cache (see :mod:`geoconflict.data`).
    district_source
        Default ``settings.district_source`` (``"current"``). ``"current"``: today's Balochistan districts dissolved from tehsils,
        ADM2 elsewhere. ``"adm2"``: the ADM2 file as published. A layout of
        :mod:`geoconflict.layouts` (``"2023-census"``, ``"provisional"``, a
        date): the Balochistan districts of that layout, dissolved from tehsils.
    settings
        Settings resolved once by the caller (default: the environment);
        ``data_dir`` and ``district_source`` override them.

    Returns
    -------
    AdminLayers
        The layers, built once per data folder and source; every call returns
        its own copies of the frames.

    Raises
    ------
    DataNotFoundError, DataIntegrityError
        If a boundary file is missing or corrupt, or the curated tehsil table
        names a tehsil the ADM3 file does not have.
    """
    settings = layer_settings(settings, data_dir=data_dir, district_source=district_source)
    return _build_layers(settings).copy()


def layer_settings(settings: config.Settings | None = None, *,
                   data_dir: str | os.PathLike[str] | None = None,
                   district_source: DistrictSource | None = None) -> config.Settings:
    """The settings that determine the layers: district source spelt one way, no region bias.

    Equal results mean equal layers (and an equal gazetteer), so they key the
    layer cache and the saved gazetteer without building any geometry.

    Raises
    ------
    InputError
        If the district source is neither ``"current"``, ``"adm2"`` nor a layout.
    """
    settings = config.resolve_settings(settings, data_dir=data_dir, district_source=district_source)
    district_source = settings.district_source
    if district_source not in ("current", "adm2"):
        from .layouts import parse_layout

        try:
            choice = parse_layout(district_source)
        except InputError:
            raise InputError(f"district_source must be 'current', 'adm2' or a district layout, not "
                             f"{district_source!r}") from None
        district_source = choice if isinstance(choice, str) else choice.isoformat()
    # the region bias does not change the layers: one cache entry whatever it is
    return settings.replace(district_source=district_source, province=None)


@lru_cache(maxsize=8)
def _build_layers(settings: config.Settings) -> AdminLayers:
    import geopandas as gpd
    import pandas as pd

    district_source = settings.district_source
    adm1 = load_boundaries("ADM1", settings=settings)
    adm2 = load_boundaries("ADM2", settings=settings)
    adm3 = load_boundaries("ADM3", settings=settings)

    provinces = gpd.GeoDataFrame(
        {"admin1": adm1["shapeName"], "admin1_id": adm1["shapeID"]}, geometry=adm1.geometry.values,
        crs="EPSG:4326")
    adm2_province = _majority(adm2, "shapeID", adm1, "shapeName")
    adm2 = adm2.assign(admin1=adm2["shapeID"].map(adm2_province))
    adm2_name = dict(zip(adm2["shapeID"], adm2["shapeName"]))

    curated = read_gazetteer_table("tehsils.csv")
    district_rows = {row["district"]: row for row in read_gazetteer_table("districts.csv")}
    known_ids = set(adm3["shapeID"])
    unknown = [row["adm3_id"] for row in curated if row["adm3_id"] not in known_ids]
    if unknown:
        raise DataIntegrityError(
            f"gazetteer/tehsils.csv names tehsils absent from the ADM3 boundary file: {unknown!r}. "
            "The boundary file is not the pinned version; run `geoconflict data status`.")
    curated_by_id = {row["adm3_id"]: row for row in curated}
    layout: dict[str, str] = {}
    if district_source not in ("current", "adm2"):
        from .layouts import tehsil_districts

        layout = tehsil_districts(district_source)

    in_curated = adm3["shapeID"].isin(curated_by_id)
    # Tehsils outside the curated province go to the ADM2 district (of another
    # province) they overlap most.
    others = adm2[adm2["admin1"] != CURATED_PROVINCE]
    other_map = _majority(adm3[~in_curated], "shapeID", others, "shapeID")
    if district_source == "adm2":
        curated_map = _majority(adm3[in_curated], "shapeID", adm2[adm2["admin1"] == CURATED_PROVINCE], "shapeID")
    else:
        curated_map = {}

    records = []
    for shape_id, name in zip(adm3["shapeID"], adm3["shapeName"]):
        row = curated_by_id.get(shape_id)
        if row is None:
            district_id = other_map[shape_id]
            records.append((_title(name), adm2_name[district_id], district_id,
                            adm2_province[district_id], "overlap"))
        elif district_source == "adm2":
            district_id = curated_map[shape_id]
            records.append((row["tehsil"], adm2_name[district_id], district_id, CURATED_PROVINCE, "overlap"))
        else:
            district = layout.get(shape_id, row["district"])
            meta = district_rows.get(district)
            if meta is None:
                raise DataIntegrityError(
                    f"gazetteer/tehsils.csv or layouts.csv assigns {name!r} to {district!r}, which is not in "
                    "gazetteer/districts.csv")
            records.append((row["tehsil"], district, meta["district_id"], meta["province"],
                            row["basis"] if district == row["district"] else "layout"))
    table = pd.DataFrame(records, columns=["admin3", "admin2", "admin2_id", "admin1", "basis"])
    tehsils = gpd.GeoDataFrame(
        table.assign(admin3_id=adm3["shapeID"].values, adm3_name=adm3["shapeName"].values),
        geometry=adm3.geometry.values, crs="EPSG:4326")
    tehsils = _with_rep_points(tehsils)

    if district_source == "adm2":
        districts = gpd.GeoDataFrame(
            {"admin2": adm2["shapeName"], "admin2_id": adm2["shapeID"], "admin1": adm2["admin1"],
             "source": "ADM2"}, geometry=adm2.geometry.values, crs="EPSG:4326")
    else:
        dissolved = (tehsils[tehsils["admin1"] == CURATED_PROVINCE]
                     .dissolve(by=["admin2_id", "admin2", "admin1"], as_index=False)[
                         ["admin2", "admin2_id", "admin1", "geometry"]]
                     .assign(source="ADM3 dissolved"))
        kept = gpd.GeoDataFrame(
            {"admin2": others["shapeName"], "admin2_id": others["shapeID"], "admin1": others["admin1"],
             "source": "ADM2"}, geometry=others.geometry.values, crs="EPSG:4326")
        districts = gpd.GeoDataFrame(pd.concat([dissolved, kept], ignore_index=True), crs="EPSG:4326")
    districts = _with_rep_points(districts.sort_values(["admin1", "admin2"]).reset_index(drop=True))
    logger.debug("built %d districts and %d tehsils (%s)", len(districts), len(tehsils), district_source)
    return AdminLayers(provinces, districts, tehsils, district_source, (settings,))


def load_districts(*, data_dir: str | os.PathLike[str] | None = None,
                   district_source: DistrictSource | None = None,
                   provinces: list[str] | None = None,
                   settings: config.Settings | None = None) -> gpd.GeoDataFrame:
    """Return the district polygons users see, optionally for some provinces only.

    Parameters
    ----------
    data_dir
        Folder holding the boundary files (see :func:`load_admin_layers`).
    district_source
        ``"current"``, ``"adm2"`` or a district layout (see :func:`load_admin_layers`).
    provinces
        Keep only districts of these provinces (names as in the ADM1 file).
    settings
        Settings resolved once by the caller (see :func:`load_admin_layers`).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``admin2``, ``admin2_id``, ``admin1``, ``source``, ``rep_lon``,
        ``rep_lat``, ``geometry`` (EPSG:4326).
    """
    districts = load_admin_layers(data_dir=data_dir, district_source=district_source, settings=settings).districts
    if provinces:
        unknown = sorted(set(provinces) - set(districts["admin1"]))
        if unknown:
            raise InputError(f"unknown province(s) {unknown!r}; expected some of "
                             f"{sorted(set(districts['admin1']))!r}")
        districts = districts[districts["admin1"].isin(provinces)]
    return districts.copy()
