"""Which district each point lies in: a spatial join of an events table against the district polygons.

:func:`districts_at_points` joins a GeoDataFrame in this process;
:func:`districts_at_points_dask` joins a Dask (Geo)DataFrame of any size with
:func:`dask_geopandas.sjoin`, partition by partition, against the one small
district layer (about 160 polygons, sent whole to every partition). Both give
each point the district whose polygon contains it (``predicate="within"``):
a point on no polygon, or with no geometry, gets none; a point in two
overlapping polygons gets the one with the smallest ``admin2_id``, so the two
give the same table. The district columns a table had are replaced.

dask-geopandas is an optional dependency: ``pip install 'geoconflict[dask]'``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd

    from .config import Settings

__all__ = ["DISTRICT_COLUMNS", "districts_at_points", "districts_at_points_dask"]

logger = logging.getLogger(__name__)

#: Columns a join sets, from the district layer (see :func:`~geoconflict.districts.load_districts`).
DISTRICT_COLUMNS = ("admin1", "admin2", "admin2_id")
_ROW = "_geoconflict_row"
_INSTALL = "spatial joins on Dask need dask-geopandas: pip install 'geoconflict[dask]'"


def _layer(districts: gpd.GeoDataFrame | None, settings: Settings | None, crs: Any) -> gpd.GeoDataFrame:
    from .districts import load_districts

    if districts is None:
        districts = load_districts(settings=settings)
    missing = [c for c in (*DISTRICT_COLUMNS, "geometry") if c not in districts]
    if missing:
        raise InputError(f"the district layer lacks the column(s) {missing!r}")
    layer = districts[[*DISTRICT_COLUMNS, "geometry"]]
    return layer if crs is None or layer.crs == crs else layer.to_crs(crs)


def _join_partition(points: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The join of one frame, in its row order (the serial path and each Dask partition)."""
    import geopandas as gpd
    import numpy as np

    kept = points.drop(columns=[c for c in DISTRICT_COLUMNS if c in points.columns])
    marked = gpd.GeoDataFrame({_ROW: np.arange(len(kept))}, geometry=kept.geometry.to_numpy(), crs=kept.crs)
    pairs = gpd.sjoin(marked, layer, how="inner", predicate="within")
    return _with_districts(kept, pairs)


def _with_districts(kept: Any, pairs: Any) -> Any:
    """``kept`` with the district of each row from the (row, district) ``pairs``: the smallest admin2_id wins."""
    import pandas as pd

    pairs = pd.DataFrame(pairs[[_ROW, *DISTRICT_COLUMNS]]).sort_values([_ROW, "admin2_id"], kind="mergesort")
    pairs = pairs.drop_duplicates(_ROW).set_index(_ROW)
    out = kept.copy()
    for column in DISTRICT_COLUMNS:
        values = pairs[column].reindex(range(len(kept)))
        out[column] = values.astype(object).where(values.notna(), None).to_numpy()
    return out


def districts_at_points(points: gpd.GeoDataFrame, *, districts: gpd.GeoDataFrame | None = None,
                        settings: Settings | None = None) -> gpd.GeoDataFrame:
    """Set ``admin1``, ``admin2`` and ``admin2_id`` of each point from the district polygon it lies in.

    Parameters
    ----------
    points
        A GeoDataFrame of points (an events table), in any CRS.
    districts
        District polygons with :data:`DISTRICT_COLUMNS`; default
        :func:`~geoconflict.districts.load_districts` for ``settings``.
    settings
        Settings for the default layer (default: the environment).

    Returns
    -------
    geopandas.GeoDataFrame
        ``points`` in the same row order and index, its district columns
        replaced (None where no polygon holds the point).

    Raises
    ------
    InputError
        If the district layer lacks a column.
    """
    return _join_partition(points, _layer(districts, settings, points.crs))


def districts_at_points_dask(points: Any, *, districts: gpd.GeoDataFrame | None = None,
                             settings: Settings | None = None, x: str = "longitude", y: str = "latitude",
                             crs: str = "EPSG:4326") -> Any:
    """The join of :func:`districts_at_points` for a Dask (Geo)DataFrame, partition by partition, lazily.

    Parameters
    ----------
    points
        A ``dask_geopandas.GeoDataFrame`` of points, or a Dask DataFrame with
        coordinate columns ``x`` and ``y`` (longitude and latitude in ``crs``).
    districts, settings
        See :func:`districts_at_points`.
    x, y, crs
        Coordinate columns and their CRS, for a Dask DataFrame without geometry.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy: the same partitions as ``points``, each with its district
        columns replaced; ``.compute()`` equals :func:`districts_at_points` of
        the whole table.

    Raises
    ------
    InputError
        If dask-geopandas is not installed, or the columns ``x``/``y`` are missing.
    """
    try:
        import dask_geopandas
    except ImportError as exc:
        raise InputError(_INSTALL) from exc
    if not isinstance(points, dask_geopandas.GeoDataFrame):
        missing = [c for c in (x, y) if c not in points.columns]
        if missing:
            raise InputError(f"a Dask DataFrame of points needs the coordinate columns {missing!r} (see x=, y=)")
        points = dask_geopandas.from_dask_dataframe(
            points, geometry=dask_geopandas.points_from_xy(points, x, y, crs=crs))
        if points.crs is None:  # the points' CRS does not reach the frame's metadata
            points = points.set_crs(crs)
    layer = _layer(districts, settings, points.crs)
    kept = points.drop(columns=[c for c in DISTRICT_COLUMNS if c in points.columns])
    marked = kept[[kept.geometry.name]].map_partitions(_mark_rows)
    # one partition of districts: every partition of points is joined against the whole (small) layer
    pairs = dask_geopandas.sjoin(marked, dask_geopandas.from_geopandas(layer, npartitions=1), how="inner",
                                 predicate="within")
    meta = _with_districts(kept._meta, layer.iloc[:0].assign(**{_ROW: []}))
    return kept.map_partitions(_with_districts, pairs, meta=meta, align_dataframes=False)


def _mark_rows(part: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    import numpy as np

    return part.assign(**{_ROW: np.arange(len(part))})
