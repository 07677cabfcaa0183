"""Writing tables: events as CSV, GeoJSON or GeoPackage; other tables as CSV."""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .schema import EVENT_COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["EventCsvWriter", "event_format", "load_events", "save_events", "save_table"]

logger = logging.getLogger(__name__)

_FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}


def event_format(path: str | os.PathLike[str]) -> str:
    """The events file format implied by a file name (csv, geojson or gpkg).

    Raises
    ------
    InputError
        For any other extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise InputError(f"cannot write events to {str(path)!r}: use a .csv, .geojson or .gpkg file name")
    return _FORMATS[suffix]


def save_events(events: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write an events table; the format follows the extension (.csv, .geojson, .gpkg).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    fmt = event_format(path)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        events.drop(columns="geometry", errors="ignore").to_csv(target, index=False)
    else:
        driver = "GeoJSON" if fmt == "geojson" else "GPKG"
        if target.exists():
            target.unlink()
        events.to_file(target, driver=driver, layer="events" if fmt == "gpkg" else None)
    logger.info("wrote %d events to %s", len(events), target)
    return target


def save_table(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a plain table (unresolved mentions, manifest) as CSV."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(target, index=False)
    return target


class EventCsvWriter:
    """Append events to a CSV file as they are extracted (constant memory)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("w", newline="", encoding="utf-8")
        self._writer = csv.DictWriter(self._handle, fieldnames=list(EVENT_COLUMNS))
        self._writer.writeheader()
        self.count = 0

    def write(self, rows: Iterable[dict[str, object]]) -> None:
        for row in rows:
            self._writer.writerow(row)
            self.count += 1

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> EventCsvWriter:  # noqa: PYI034 - final class
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_events(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Read an events table written by geoconflict (CSV, GeoJSON or GeoPackage).

    Raises
    ------
    InputError
        If the file is missing or lacks latitude/longitude.
    """
    import geopandas as gpd
    import pandas as pd

    file = Path(path)
    if not file.is_file():
        raise InputError(f"events file {str(path)!r} does not exist")
    if event_format(file) == "csv":
        frame = pd.read_csv(file)
        if not {"latitude", "longitude"} <= set(frame.columns):
            raise InputError(f"{str(path)!r} has no latitude/longitude columns")
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
                                crs="EPSG:4326")
    return gpd.read_file(file)
