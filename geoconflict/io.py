"""Writing tables: events as CSV, GeoJSON, GeoPackage or GeoParquet; other tables as CSV.

GeoParquet (``events.parquet``, needs pyarrow) keeps the column types (counts
stay nullable integers) and the geometry as WKB with the GeoParquet metadata,
so ``geopandas.read_parquet`` gives back the same table; with
``partition_by="year"`` the file is a folder of ``year=YYYY`` parts (Hive
style, read back whole by ``geopandas.read_parquet`` and by Dask).

Every file is written beside its final name and renamed into place only when
complete (see :mod:`geoconflict._files`), so an interrupted run leaves the
previous file or none, never a truncated one.

Spreadsheet formula injection: text from articles reaches CSV cells, and a
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice. As OWASP recommends, such text cells get a
leading apostrophe (``'=HYPERLINK(...)``); numbers, and text that is a plain
number such as ``-12.5``, are left alone. ``neutralize=False`` (``--raw-csv``)
writes cells exactly as extracted. Rows end in CRLF as RFC 4180 says, which also
makes pandas quote a lone carriage return inside a cell instead of breaking the row.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._files import atomic_path
from .errors import InputError
from .limits import MAX_COUNT
from .schema import EVENT_COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["EventCsvWriter", "TableWriter", "event_format", "load_events", "neutralize_cell", "save_events",
           "save_table", "validate_event_numbers"]

logger = logging.getLogger(__name__)

_FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".parquet": "parquet"}
#: How a GeoParquet events file may be partitioned.
PARTITIONS = ("year",)
#: Partition value of events without a date (Hive's name for a missing value; read back as missing).
_NO_PARTITION = "__HIVE_DEFAULT_PARTITION__"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralize_cell(value: object) -> object:
    """Return a CSV cell value that a spreadsheet will not run as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading ``'``; anything else (numbers, plain numeric text) is returned as is.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _neutral_frame(table: pd.DataFrame) -> pd.DataFrame:
    text_columns = [c for c in table.columns if table[c].dtype == object or str(table[c].dtype).startswith("str")]
    if not text_columns:
        return table
    table = table.copy()
    for column in text_columns:
        table[column] = table[column].map(neutralize_cell)
    return table


def event_format(path: str | os.PathLike[str], *, reading: bool = False) -> str:
    """The events file format implied by a file name (csv, geojson, gpkg or parquet).

    ``reading`` words the error for a file being read rather than written.

    Raises
    ------
    InputError
        For any other extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        if reading:
            raise InputError(f"cannot read events from {str(path)!r}: give an events table "
                             "(a .csv, .geojson, .gpkg or .parquet file written by geoconflict)")
        raise InputError(f"cannot write events to {str(path)!r}: use a .csv, .geojson, .gpkg or .parquet file name")
    return _FORMATS[suffix]


def save_events(events: gpd.GeoDataFrame, path: str | os.PathLike[str], *, neutralize: bool = True,
                partition_by: str | None = None) -> Path:
    """Write an events table; the format follows the extension (.csv, .geojson, .gpkg, .parquet).

    The file appears under its name only when completely written.

    Parameters
    ----------
    neutralize
        CSV only: prefix text cells that a spreadsheet would run as a formula
        with ``'`` (see the module docstring).
    partition_by
        GeoParquet only: ``"year"`` writes a folder with one ``year=YYYY``
        part per year of ``date_start`` (undated events in Hive's missing-value part).

    Returns
    -------
    pathlib.Path
        The written file (or folder).

    Raises
    ------
    InputError
        For an unknown extension or partition, a partition asked for another
        format than GeoParquet, a partitioned target that exists and is not
        empty, or pyarrow missing for GeoParquet.
    """
    fmt = event_format(path)
    target = Path(path)
    if partition_by is not None:
        if fmt != "parquet" or partition_by not in PARTITIONS:
            raise InputError(f"events can be partitioned by {', '.join(PARTITIONS)} in a .parquet file only, "
                             f"not by {partition_by!r} in {str(path)!r}")
        return _save_partitioned(events, target)
    if fmt == "parquet":
        _require_pyarrow()
    with atomic_path(target, what="events file") as part:
        if fmt == "csv":
            table = events.drop(columns="geometry", errors="ignore")
            (_neutral_frame(table) if neutralize else table).to_csv(part, index=False, lineterminator="\r\n")
        elif fmt == "parquet":
            events.to_parquet(part, index=False)
        else:
            driver = "GeoJSON" if fmt == "geojson" else "GPKG"
            events.to_file(part, driver=driver, layer="events" if fmt == "gpkg" else None)
    logger.info("wrote %d events to %s", len(events), target)
    return target


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise InputError("writing GeoParquet needs pyarrow: pip install geoconflict[parquet]") from exc


def _save_partitioned(events: gpd.GeoDataFrame, target: Path) -> Path:
    """One GeoParquet part per year, written in a hidden folder beside ``target`` and renamed into place."""
    import secrets


    _require_pyarrow()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(f"{str(target)!r} exists and is not an empty folder: remove it or choose another name "
                         "for the partitioned events")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
    try:
        scratch.mkdir()
        write_event_parts(events, scratch, "part-0.parquet", partition_by="year")
        os.replace(scratch, target)  # replaces an empty folder too
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    logger.info("wrote %d events to %s, partitioned by year", len(events), target)
    return target


def write_event_parts(events: gpd.GeoDataFrame, folder: Path, name: str, *, partition_by: str | None = None) -> None:
    """Write events as GeoParquet ``folder/name``, or one ``folder/year=YYYY/name`` per year.

    The building block of partitioned events folders: :func:`save_events`
    writes one part per year, the Dask path one part per partition (and year).
    Events without a date go under the Hive default partition.
    """
    import pandas as pd

    _require_pyarrow()
    # A text column empty in one part would be typed null there and string in another, and the parts
    # would not read back as one table: empty text columns are written as text.
    text = pd.Series(["text"]).dtype
    empty = [c for c in events.columns if c != events.geometry.name and events[c].dtype == object
             and events[c].isna().all()]
    if empty:
        events = events.astype(dict.fromkeys(empty, text))
    if partition_by is None:
        events.to_parquet(folder / name, index=False)
        return
    if partition_by not in PARTITIONS:
        raise InputError(f"events can be partitioned by {', '.join(PARTITIONS)}, not by {partition_by!r}")
    years = pd.to_datetime(events["date_start"], errors="coerce").dt.year
    labels = years.map(lambda y: _NO_PARTITION if pd.isna(y) else str(int(y)))
    for label in sorted(set(labels)):
        part = folder / f"year={label}"
        part.mkdir(exist_ok=True)
        events[(labels == label).to_numpy()].to_parquet(part / name, index=False)


def save_table(table: pd.DataFrame, path: str | os.PathLike[str], *, neutralize: bool = True) -> Path:
    """Write a plain table (unresolved mentions, manifest) as CSV, atomically.

    ``neutralize`` as for :func:`save_events`.
    """
    target = Path(path)
    with atomic_path(target, what="table") as part:
        (_neutral_frame(table) if neutralize else table).to_csv(part, index=False, lineterminator="\r\n")
    return target


class TableWriter:
    """Stream rows into a CSV file that appears under its name only on :meth:`commit`.

    Used as a context manager, a writer that was not committed when the block
    ends (an error, an interruption) is discarded and the previous file, if
    any, is left as it was.

    Parameters
    ----------
    path
        Final file name.
    columns
        Column names, in order.
    neutralize
        Prefix formula-like text cells with ``'`` (see the module docstring).
    """

    def __init__(self, path: str | os.PathLike[str], columns: Sequence[str], *, neutralize: bool = True) -> None:
        self.path = Path(path)
        self.count = 0
        self._neutralize = neutralize
        self._context = atomic_path(self.path, what="output")
        self._part = self._context.__enter__()
        self._handle = self._part.open("x", newline="", encoding="utf-8")
        self._writer = csv.DictWriter(self._handle, fieldnames=list(columns), extrasaction="ignore")
        self._writer.writeheader()
        self._done = False

    def write(self, rows: Iterable[Mapping[str, object]]) -> None:
        """Append rows (dicts keyed by column)."""
        for row in rows:
            if self._neutralize:
                row = {k: neutralize_cell(v) for k, v in row.items()}
            self._writer.writerow(row)
            self.count += 1

    def commit(self) -> Path:
        """Close the file and rename it into place; return the final path."""
        if not self._done:
            self._done = True
            self._handle.close()
            self._context.__exit__(None, None, None)
        return self.path

    def abort(self) -> None:
        """Discard what was written; the final name is left untouched."""
        if not self._done:
            self._done = True
            self._handle.close()
            self._context.__exit__(_Aborted, _Aborted(), None)  # removes the temporary file

    def __enter__(self) -> TableWriter:  # noqa: PYI034 - final class
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.abort()


class _Aborted(Exception):
    """Raised into the atomic-write context to discard a file."""


class EventCsvWriter(TableWriter):
    """Stream events into a CSV file (constant memory); committed when the block ends without error."""

    def __init__(self, path: str | os.PathLike[str], *, neutralize: bool = True) -> None:
        super().__init__(path, EVENT_COLUMNS, neutralize=neutralize)

    def close(self) -> None:
        """Commit the file (kept for callers of the earlier API)."""
        self.commit()

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


#: Numeric columns of events files and ACLED exports, with the range of a valid value.
_NUMBER_RANGES = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0), "geo_precision": (1.0, 4.0)}
_COUNT_NAMES = ("killed", "injured", "killed_civilians", "killed_security", "killed_militants", "fatalities")


def validate_event_numbers(frame: pd.DataFrame, source: str = "events table") -> pd.DataFrame:
    """Check the numeric columns of an events table; return it with those columns as floats.

    Empty cells stay missing (an event without coordinates is left off maps);
    anything else must be a finite number in range: latitude -90..90,
    longitude -180..180, geo_precision 1..4, counts 0..``MAX_COUNT``.

    Raises
    ------
    InputError
        Naming the first bad cell (row number counted from 1 after the header)
        and the value, e.g. ``latitude '26°N'``.
    """
    import numpy as np
    import pandas as pd

    frame = frame.copy()
    ranges = dict(_NUMBER_RANGES)
    ranges.update({name: (0.0, float(MAX_COUNT)) for name in _COUNT_NAMES})
    for column, (low, high) in ranges.items():
        if column not in frame.columns:
            continue
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        blank = raw.isna()
        if not pd.api.types.is_numeric_dtype(raw):  # text: a cell of spaces is blank too (numbers never are)
            blank = blank | raw.astype("string").str.strip().fillna("").eq("")
        bad = ~blank & ~(np.isfinite(values) & (values >= low) & (values <= high))
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            shown = str(raw.iloc[position])[:40]
            raise InputError(f"{source}: row {position + 1}: {column} {shown!r} is not a number from "
                             f"{low:g} to {high:g}; fix or empty that cell")
        frame[column] = values.where(~blank)
    return frame


def _read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    """A GeoParquet file or folder of parts; ``year=`` folders read as text, so undated events read too.

    (Inferred, the year is a dictionary column, which pyarrow cannot yet unify with the null year
    of the ``__HIVE_DEFAULT_PARTITION__`` folder of undated events.)
    """
    import geopandas as gpd

    if path.is_dir():
        import pyarrow as pa
        import pyarrow.dataset as ds

        return gpd.read_parquet(path, partitioning=ds.partitioning(pa.schema([("year", pa.string())]),
                                                                   flavor="hive"))
    return gpd.read_parquet(path)


def load_events(path: str | os.PathLike[str]) -> gpd.GeoDataFrame:
    """Read an events table written by geoconflict (CSV, GeoJSON, GeoPackage or GeoParquet, partitioned or not).

    Raises
    ------
    InputError
        If the file is missing or lacks latitude/longitude.
    """
    import geopandas as gpd
    import pandas as pd

    file = Path(path)
    if not (file.is_file() or (file.is_dir() and file.suffix.lower() == ".parquet")):
        raise InputError(f"events file {str(path)!r} does not exist")
    try:
        if event_format(file, reading=True) == "csv":
            frame = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
        elif event_format(file) == "parquet":
            frame = pd.DataFrame(_read_geoparquet(file).drop(columns=["geometry", "year"], errors="ignore"))
        else:
            frame = pd.DataFrame(gpd.read_file(file).drop(columns="geometry", errors="ignore"))
    except InputError:
        raise
    except Exception as exc:  # pandas and pyogrio raise many types for damaged files
        raise InputError(f"cannot read events file {str(path)!r}: {type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else 'unreadable'}") from exc
    if not {"latitude", "longitude"} <= set(frame.columns):
        raise InputError(f"{str(path)!r} has no latitude/longitude columns")
    frame = validate_event_numbers(frame, str(path))
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
                            crs="EPSG:4326")
