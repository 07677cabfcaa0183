"""Pakistan census tables: pinned files, their download, and the village list derived from them.

Two files of the Pakistan Bureau of Statistics (PBS) census, as packaged in R
data files by M. Yaseen (R packages PakPC2017 and PakPC2023), are pinned by
commit and sha256 exactly like the boundary files:

``PakPop2017.RData``
    The 2017 census block list of Pakistan (province, division, district,
    tehsil, qanungo halqa, patwar circle, village, population, households).
``TABLE_01.RData``
    The 2023 census Table 1: one row per province, division, district and
    tehsil with area and population (the administrative frame of March 2023).

The files are looked for, in order, in

1. the ``data_dir`` argument, else ``GEOCONFLICT_CENSUS_DIR``;
2. the boundary data folder (``GEOCONFLICT_DATA_DIR``) and a ``census`` folder
   beside it (``data/boundaries`` + ``data/census``);
3. the per-user cache, where missing files are downloaded on first use unless
   ``GEOCONFLICT_OFFLINE=1``.

Reading an R data file takes about a second; :func:`load_census_villages`
keeps the derived village table as a small CSV in the user cache, keyed by the
source file's sha256 and the derivation version, so later loads take
milliseconds. ``pyreadr`` (a compiled reader of R data files, no R needed) is
imported only when a file is actually parsed.

Attribution: Pakistan Bureau of Statistics, Population Census 2017 / 2023, via
PakPC2017 / PakPC2023 (GPL-2 packages).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .data import FileStatus, _download, _sha256
from .errors import DataIntegrityError, DataNotFoundError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CENSUS_FILES",
    "CensusFile",
    "census_file",
    "census_status",
    "fetch_census",
    "load_census_table1",
    "load_census_villages",
    "locate_census_file",
    "village_names",
]

logger = logging.getLogger(__name__)

#: Version of the derivation below; bump it when the derived table changes.
_DERIVED_VERSION = 2
VILLAGE_COLUMNS = ("province", "division", "district", "tehsil", "village", "population", "households",
                   "blocks")


@dataclass(frozen=True)
class CensusFile:
    """One pinned census file.

    Attributes
    ----------
    key
        Short name: ``"2017-blocks"`` or ``"2023-table1"``.
    name
        File name, as upstream and as expected in a data folder.
    repo, commit, path
        Public source: repository, commit and path of the file in it.
    sha256, size
        Expected checksum and size in bytes.
    frame
        Name of the data frame inside the R data file.
    """

    key: str
    name: str
    repo: str
    commit: str
    path: str
    sha256: str
    size: int
    frame: str

    @property
    def level(self) -> str:
        """Label shown by ``geoconflict data status``."""
        return f"census {self.key}"

    def url(self, base: str | None = None) -> str:
        """Download address, ``{base}/{repo}/{commit}/{path}``."""
        return f"{(base or config.census_base_url()).rstrip('/')}/{self.repo}/{self.commit}/{self.path}"


#: The pinned census files (public sources on GitHub, raw-file addresses under the base URL).
CENSUS_FILES: tuple[CensusFile, ...] = (
    CensusFile("2017-blocks", "PakPop2017.RData", "MYaseen208/PakPC2017",
               "eb4eb2ed5264339473efc3bb0e8c28bc2ff4fe73", "data/PakPop2017.RData",
               "dd3be26bfdb016c5e9d9aa5dde2386813dfa5e9aced13cc646fb714fccdad501", 946312, "PakPop2017"),
    CensusFile("2023-table1", "TABLE_01.RData", "myaseen208/PakPC2023",
               "d4bfdf8268e673b064e8d058924c1b999b48e4cd", "data/TABLE_01.RData",
               "b9ccd9500280517de92fd1ad0880f6bd83e495a4994c64e33221e33bc04bd683", 35784, "TABLE_01"),
)


def census_file(key: str) -> CensusFile:
    """Return the pinned census file called ``key`` (``"2017-blocks"`` or ``"2023-table1"``).

    Raises
    ------
    ValueError
        If ``key`` names no pinned file.
    """
    for spec in CENSUS_FILES:
        if key in (spec.key, spec.name):
            return spec
    raise ValueError(f"unknown census file {key!r}; expected one of {', '.join(s.key for s in CENSUS_FILES)}")


def _fix_hint() -> str:
    return ("Run `geoconflict data fetch` to download the pinned files, or set GEOCONFLICT_CENSUS_DIR "
            "(or GEOCONFLICT_DATA_DIR) to a folder holding them (see the README).")


def _candidate_dirs(data_dir: str | os.PathLike[str] | None,
                    boundary_dir: str | os.PathLike[str] | None = None,
                    settings: config.Settings | None = None) -> tuple[list[Path], Path | None]:
    """Folders to look in, and the folder a missing file may be downloaded to (or None)."""
    settings = config.resolve_settings(settings, data_dir=boundary_dir)
    census_dir = Path(data_dir).expanduser() if data_dir is not None else settings.census_dir
    if census_dir is not None:
        return [census_dir], None
    folders = []
    if settings.data_dir is not None:
        folders += [settings.data_dir, settings.data_dir.parent / "census"]
    folders.append(settings.cache_dir)
    return folders, (None if settings.offline else settings.cache_dir)


def locate_census_file(key: str, *, data_dir: str | os.PathLike[str] | None = None,
                       boundary_dir: str | os.PathLike[str] | None = None,
                       settings: config.Settings | None = None) -> Path:
    """Return the path of a verified census file, downloading it into the cache if allowed.

    Parameters
    ----------
    key
        ``"2017-blocks"`` or ``"2023-table1"`` (or the file name).
    data_dir
        Folder to read from; default: see the module docstring.
    boundary_dir
        The boundary data folder in use (``--data-dir``), searched with the
        ``census`` folder beside it before the cache; default
        ``settings.data_dir``.
    settings
        Settings resolved once by the caller (default: the environment).

    Returns
    -------
    pathlib.Path
        A file whose sha256 matches the pinned one.

    Raises
    ------
    DataNotFoundError
        If the file is nowhere and cannot be downloaded.
    DataIntegrityError
        If the file found is corrupt or another version.
    DownloadError
        If the download fails.
    """
    spec = census_file(key)
    settings = config.resolve_settings(settings, data_dir=boundary_dir)
    folders, download_to = _candidate_dirs(data_dir, settings=settings)
    for folder in folders:
        path = folder / spec.name
        if path.is_file():
            _verify(path, spec)
            return path
    if download_to is None:
        raise DataNotFoundError(f"census file {spec.name!r} not found in "
                                f"{', '.join(str(f) for f in folders)}. {_fix_hint()}")
    logger.info("%s is not in the cache yet; downloading it", spec.name)
    return fetch_census(cache_dir=download_to, files=[spec], progress=False, base_url=settings.census_url)[0]


_VERIFIED: set[tuple[str, int, int]] = set()


def _verify(path: Path, spec: CensusFile) -> None:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _VERIFIED:
        return
    actual = _sha256(path)
    if actual != spec.sha256:
        raise DataIntegrityError(
            f"{path} does not match the pinned census file {spec.name!r} (sha256 {actual[:12]}..., "
            f"expected {spec.sha256[:12]}...): it is corrupt or another version. Delete it, then: {_fix_hint()}")
    _VERIFIED.add(key)


def census_status(*, data_dir: str | os.PathLike[str] | None = None,
                  boundary_dir: str | os.PathLike[str] | None = None,
                  settings: config.Settings | None = None) -> list[FileStatus]:
    """Report, for every pinned census file, where it is and whether it verifies.

    ``data_dir``, ``boundary_dir`` and ``settings`` choose the folders as for
    :func:`locate_census_file`.

    Returns
    -------
    list of FileStatus
        One entry per file of :data:`CENSUS_FILES`; ``file`` is the :class:`CensusFile`.
    """
    folders, _ = _candidate_dirs(data_dir, boundary_dir, settings)
    statuses = []
    for spec in CENSUS_FILES:
        path = next((f / spec.name for f in folders if (f / spec.name).is_file()), folders[0] / spec.name)
        statuses.append(FileStatus.check(spec, path))
    return statuses


def fetch_census(*, cache_dir: str | os.PathLike[str] | None = None, files: list[CensusFile] | None = None,
                 force: bool = False, base_url: str | None = None, timeout: float = 60.0,
                 progress: bool = True) -> list[Path]:
    """Download the pinned census files and verify their sha256.

    Uses the same download routine as :func:`geoconflict.data.fetch_boundaries`:
    a file gets its final name only after its checksum matched.

    Parameters
    ----------
    cache_dir
        Destination folder; default the user cache.
    files
        Which files; default all of :data:`CENSUS_FILES`.
    force
        Download again even when a verified copy is present.
    base_url
        Override of ``GEOCONFLICT_CENSUS_URL``.
    timeout
        Seconds to wait for the server on each request.
    progress
        Show a progress bar on standard error.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    DownloadError, DataIntegrityError
        If a download fails or is corrupt (the bad file is discarded).
    """
    folder = Path(cache_dir).expanduser() if cache_dir is not None else config.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in (list(files) if files is not None else list(CENSUS_FILES)):
        target = folder / spec.name
        if not force and target.is_file() and _sha256(target) == spec.sha256:
            paths.append(target)
            continue
        _download(spec, target, base_url=base_url, timeout=timeout,
                  progress=progress)
        paths.append(target)
    return paths


# --------------------------------------------------------------------------- reading


def _read_frame(spec: CensusFile, path: Path) -> pd.DataFrame:
    try:
        import pyreadr
    except ImportError as exc:  # pragma: no cover - pyreadr is a dependency
        raise DataNotFoundError("reading census files needs pyreadr: pip install pyreadr") from exc
    try:
        frames = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own types for unreadable files
        raise DataIntegrityError(f"cannot read census file {path}: {exc}. {_fix_hint()}") from exc
    if spec.frame not in frames:
        raise DataIntegrityError(f"census file {path} holds no data frame {spec.frame!r}")
    frame: pd.DataFrame = frames[spec.frame]
    return frame


_SUFFIX = re.compile(r"\s+(DISTRICT|DIVISION|TEHSIL|SUB-TEHSIL|SUB TEHSIL|SUB-DIVISION|TALUKA)$", re.IGNORECASE)


def _strip_unit(name: str) -> str:
    """``"KECH (TURBAT) TEHSIL"`` -> ``"KECH (TURBAT)"``; ``"SUB TEHSIL TOHMULK"`` -> ``"TOHMULK"``."""
    name = " ".join(str(name).split())
    name = re.sub(r"^SUB[- ]TEHSIL\s+", "", name, flags=re.IGNORECASE)
    return _SUFFIX.sub("", name).strip()


def _derive_villages(blocks: pd.DataFrame) -> pd.DataFrame:
    """One row per (province, district, tehsil, village), summing population over blocks."""
    import pandas as pd

    frame = pd.DataFrame({
        "province": blocks["Province"].astype(str).str.strip(),
        "division": blocks["Division"].astype(str).map(_strip_unit),
        "district": blocks["District"].astype(str).map(_strip_unit),
        "tehsil": blocks["Tehsil"].astype(str).map(_strip_unit),
        "village": blocks["Village"].astype(str).str.strip(),
        "population": pd.to_numeric(blocks["Pop2017"], errors="coerce").fillna(0).astype("int64"),
        "households": pd.to_numeric(blocks["HH2017"], errors="coerce").fillna(0).astype("int64"),
    })
    grouped = (frame.groupby(["province", "division", "district", "tehsil", "village"], sort=True)
               .agg(population=("population", "sum"), households=("households", "sum"),
                    blocks=("population", "size"))
               .reset_index())
    return grouped[list(VILLAGE_COLUMNS)]


def load_census_villages(*, data_dir: str | os.PathLike[str] | None = None,
                         boundary_dir: str | os.PathLike[str] | None = None,
                         use_cache: bool = True, settings: config.Settings | None = None) -> pd.DataFrame:
    """Return the villages of the 2017 census block list, one row per village and tehsil.

    Parameters
    ----------
    data_dir, boundary_dir
        Where to look; see :func:`locate_census_file`.
    use_cache
        Read and write the derived CSV in the user cache.
    settings
        Settings resolved once by the caller (default: the environment).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VILLAGE_COLUMNS`: names as in the census (capitals,
        unit words such as "DISTRICT" removed), population and households
        summed over the village's blocks, and the number of blocks. Numbered
        urban circles are rows too; :func:`village_names` says which names are
        names.

    Raises
    ------
    DataNotFoundError, DataIntegrityError
        If the census file is missing, corrupt or unreadable.
    """
    spec = census_file("2017-blocks")
    settings = config.resolve_settings(settings, data_dir=boundary_dir)
    path = locate_census_file(spec.key, data_dir=data_dir, settings=settings)
    return _villages_from(str(path), spec.sha256, use_cache, settings.cache_dir).copy()


@lru_cache(maxsize=2)
def _villages_from(path: str, sha256: str, use_cache: bool, cache_dir: Path) -> pd.DataFrame:
    import pandas as pd

    cache_file = cache_dir / "derived" / f"census-villages-{sha256[:16]}-v{_DERIVED_VERSION}.csv"
    if use_cache and cache_file.is_file():
        try:
            frame = pd.read_csv(cache_file, dtype={c: "str" for c in VILLAGE_COLUMNS[:5]},
                                keep_default_na=False)
            if tuple(frame.columns) == VILLAGE_COLUMNS:
                return frame
        except (OSError, ValueError) as exc:
            logger.debug("derived census cache %s unreadable (%s); rebuilding", cache_file, exc)
    logger.info("reading %s (once; the derived table is cached in %s)", Path(path).name, cache_file.parent)
    frame = _derive_villages(_read_frame(census_file("2017-blocks"), Path(path)))
    if use_cache:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            frame.to_csv(tmp, index=False)
            os.replace(tmp, cache_file)
        except OSError as exc:  # a read-only cache still works, only slower
            logger.debug("cannot write derived census cache: %s", exc)
    return frame


def load_census_table1(*, data_dir: str | os.PathLike[str] | None = None,
                       boundary_dir: str | os.PathLike[str] | None = None,
                       settings: config.Settings | None = None) -> pd.DataFrame:
    """Return the 2023 census Table 1 (province, division, district, tehsil rows; overall only).

    Parameters
    ----------
    data_dir, boundary_dir
        Where to look; see :func:`locate_census_file`.

    Returns
    -------
    pandas.DataFrame
        Columns ``province``, ``division``, ``district``, ``tehsil``,
        ``admin_unit`` (TEHSIL, SUB-TEHSIL, SUB-DIVISION, ...), ``area_sqkm``,
        ``population`` (2023) and ``population_2017``.

    Raises
    ------
    DataNotFoundError, DataIntegrityError
        If the census file is missing, corrupt or unreadable.
    """
    import pandas as pd

    spec = census_file("2023-table1")
    raw = _read_frame(spec, locate_census_file(spec.key, data_dir=data_dir, boundary_dir=boundary_dir,
                                               settings=settings))
    raw = raw[raw["REGION"].astype(str).str.upper() == "OVERALL"]
    return pd.DataFrame({
        "province": raw["PROVINCE"].astype(str).str.strip(),
        "division": raw["DIVISION"].astype(str).str.strip(),
        "district": raw["DISTRICT"].astype(str).str.strip(),
        "tehsil": raw["TEHSIL"].astype(str).str.strip(),
        "admin_unit": raw["ADMIN_UNIT"].astype(str).str.strip(),
        "area_sqkm": pd.to_numeric(raw["AREA_SQKM"], errors="coerce"),
        "population": pd.to_numeric(raw["ALL_SEXES"], errors="coerce"),
        "population_2017": pd.to_numeric(raw["POP_2017"], errors="coerce"),
    }).reset_index(drop=True)


# --------------------------------------------------------------------------- names

#: Numbered units that are not names: urban circles, canal colonies (chaks), wards, blocks.
_NUMBERED = re.compile(r"^(?:CIRCLE|CHAK|WARD|BLOCK|CHARGE|SECTOR)\b[\s.\-]*(?:NO\b)?[\s.\-]*\d+\b", re.IGNORECASE)
_NOTE = re.compile(r"\b(?:IN|OF)\s+G-?\d+\b.*$", re.IGNORECASE)  # "(KAMLU IN G-2)": a map-sheet note
_SERIAL = re.compile(r"(?:[\s\-]+(?:NO\.?\s*)?(?:\d+|I{1,3}|IV|V))+$", re.IGNORECASE)
_MIN_LETTERS = 3


def village_names(raw: str) -> list[str]:
    """Return the names a census village entry gives, readable case, first the main one.

    ``"BABARI ABU SAR (ABU SAR)"`` -> ``["Babari Abu Sar", "Abu Sar"]``;
    ``"SIMSOORI/SAMUNDRI"`` -> ``["Simsoori", "Samundri"]``;
    ``"NOKAJO NO 2"`` -> ``["Nokajo"]``; ``"CIRCLE NO 01"`` -> ``[]``.

    Parameters
    ----------
    raw
        The census ``Village`` value.

    Returns
    -------
    list of str
        Distinct names with at least three letters; empty for numbered units.
    """
    text = " ".join(str(raw).split())
    if not text or _NUMBERED.match(text):
        return []
    parts = re.split(r"[()/]", text)
    names: list[str] = []
    for part in parts:
        part = _NOTE.sub("", part).strip(" -.,&")
        part = _SERIAL.sub("", part).strip(" -.,&")
        if sum(ch.isalpha() for ch in part) < _MIN_LETTERS or _NUMBERED.match(part):
            continue
        name = part.title() if part.isupper() else part
        if name not in names:
            names.append(name)
    return names
