"""Boundary files: where they are, whether they verify, and how to get them.

geoconflict uses the geoBoundaries Pakistan files (gbOpen release, pinned
commits, sha256-checked). They are looked for, in order, in

1. the ``data_dir`` argument (``--data-dir`` on the command line),
2. the folder named by ``GEOCONFLICT_DATA_DIR``,
3. the per-user cache (``GEOCONFLICT_CACHE_DIR``), where missing files are
   downloaded on first use unless ``GEOCONFLICT_OFFLINE=1``.

``load_*`` functions only read local files (downloading into the cache at most);
``fetch_boundaries`` is the one function that always touches the network.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from . import config, limits
from .errors import DataIntegrityError, DataNotFoundError, DownloadError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "BOUNDARY_FILES",
    "BoundaryFile",
    "FileStatus",
    "boundary_file",
    "boundary_status",
    "fetch_boundaries",
    "load_boundaries",
    "locate_boundary_file",
    "require_data_dir_files",
]

logger = logging.getLogger(__name__)

Level = Literal["ADM0", "ADM1", "ADM2", "ADM3"]
LEVELS: tuple[Level, ...] = ("ADM0", "ADM1", "ADM2", "ADM3")
_RELEASE_DIR = "releaseData/gbOpen/PAK/{level}"


@dataclass(frozen=True)
class BoundaryFile:
    """One pinned file of the geoBoundaries Pakistan release.

    Attributes
    ----------
    level
        Administrative level: ADM0 country, ADM1 provinces, ADM2 districts,
        ADM3 tehsils.
    name
        File name, as upstream and as expected in a data folder.
    commit
        Commit of the geoBoundaries repository the file is taken from.
    sha256
        Expected checksum of the file's bytes.
    size
        Expected size in bytes.
    kind
        ``"geometry"`` or ``"metadata"``.
    """

    level: Level
    name: str
    commit: str
    sha256: str
    size: int
    kind: Literal["geometry", "metadata"]

    @property
    def release_path(self) -> str:
        """Path of the file inside the geoBoundaries repository."""
        return f"{_RELEASE_DIR.format(level=self.level)}/{self.name}"

    def url(self, base: str | None = None) -> str:
        """Download address of the file, ``{base}/{commit}/{release path}``."""
        return f"{(base or config.boundary_base_url()).rstrip('/')}/{self.commit}/{self.release_path}"


_ADM0 = "4f0078ff7564e097abf369468c9d1b964c2fddad"
_ADM1 = "dad1bd2f93aa5d782a109e45057cfcc8c520038c"
_ADM2 = "0b9bae0e073a431092e89063f986089404b0ff47"
_ADM3 = "37f099d1671d127bde505b5959c2554816f99a86"

#: The pinned files: public source github.com/wmgeolab/geoBoundaries at the commits below.
BOUNDARY_FILES: tuple[BoundaryFile, ...] = (
    BoundaryFile("ADM0", "geoBoundaries-PAK-ADM0_simplified.geojson", _ADM0,
                 "18b267cfbabb535228d5a342e12e4f867f39214b37adf7230d6ca7a2783fadbb", 350654, "geometry"),
    BoundaryFile("ADM0", "geoBoundaries-PAK-ADM0-metaData.json", _ADM0,
                 "ea8a08adec9202812b861f3c5b98340b34e435b9bd9c929a753e5ad6ac369929", 633, "metadata"),
    BoundaryFile("ADM1", "geoBoundaries-PAK-ADM1_simplified.geojson", _ADM1,
                 "5b5a45d30e2d30e708525612ecaa072301797fedb36901c9fd26d52bed9775af", 139286, "geometry"),
    BoundaryFile("ADM1", "geoBoundaries-PAK-ADM1-metaData.json", _ADM1,
                 "29522741eb481a8d3f864ec2f725a85b64694a5df07b055a00baf503c20e4f02", 582, "metadata"),
    BoundaryFile("ADM2", "geoBoundaries-PAK-ADM2_simplified.geojson", _ADM2,
                 "81b3ec0517295ed4fd37de49d01f187d8c866a0d489a5d89e6a1f368c787f793", 807294, "geometry"),
    BoundaryFile("ADM2", "geoBoundaries-PAK-ADM2-metaData.json", _ADM2,
                 "041ff8f24adfc98bb1bb80696d18e0d08a2a41cd10408821a70c992c6bb722a4", 583, "metadata"),
    BoundaryFile("ADM3", "geoBoundaries-PAK-ADM3_simplified.topojson", _ADM3,
                 "c3f75b4ea035d024bd77a0981fde098a2ff5f5c0a0e716c0acc8ebac4ca18098", 473267, "geometry"),
    BoundaryFile("ADM3", "geoBoundaries-PAK-ADM3-metaData.json", _ADM3,
                 "3fae923a5c8e9c903d35f317f3d51f4503a0fb131c1fae30b344bbb5db03d09f", 675, "metadata"),
)


class PinnedFile(Protocol):
    """What the download routine needs of a pinned file (boundary or census file)."""

    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def level(self) -> str: ...
    def url(self, base: str | None = None) -> str: ...


@dataclass(frozen=True)
class FileStatus:
    """What ``boundary_status`` (or ``census_status``) found for one pinned file."""

    file: PinnedFile
    path: Path
    present: bool
    verified: bool
    detail: str

    @classmethod
    def check(cls, spec: PinnedFile, path: Path) -> FileStatus:
        """Whether ``path`` is there and matches the pinned sha256 of ``spec``."""
        if not path.is_file():
            return cls(spec, path, False, False, "missing")
        actual = _sha256(path)
        ok = actual == spec.sha256
        detail = "sha256 ok" if ok else f"sha256 mismatch: {actual[:12]}... != {spec.sha256[:12]}..."
        return cls(spec, path, True, ok, detail)


def boundary_file(level: str) -> BoundaryFile:
    """Return the pinned geometry file of an administrative level.

    Raises
    ------
    ValueError
        If ``level`` is not one of ADM0, ADM1, ADM2, ADM3.
    """
    for spec in BOUNDARY_FILES:
        if spec.level == level.upper() and spec.kind == "geometry":
            return spec
    raise ValueError(f"unknown boundary level {level!r}; expected one of {', '.join(LEVELS)}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fix_hint() -> str:
    return (
        "Run `geoconflict data fetch` to download the pinned files, or set "
        "GEOCONFLICT_DATA_DIR to a folder holding them (see the README)."
    )


def _verify(path: Path, spec: BoundaryFile) -> None:
    actual = _sha256(path)
    if actual != spec.sha256:
        raise DataIntegrityError(
            f"{path} does not match the pinned geoBoundaries file {spec.name!r} "
            f"(sha256 {actual[:12]}..., expected {spec.sha256[:12]}...): it is corrupt or "
            f"another version. Delete it, then: {_fix_hint()}"
        )


def _search_dirs(settings: config.Settings) -> tuple[Path, bool]:
    """Return the folder to read from and whether missing files may be downloaded there."""
    if settings.data_dir is not None:
        return settings.data_dir, False
    return settings.cache_dir, not settings.offline


def locate_boundary_file(level: str, *, data_dir: str | os.PathLike[str] | None = None,
                         settings: config.Settings | None = None) -> Path:
    """Return the path of a level's verified geometry file, downloading it if allowed.

    Parameters
    ----------
    level
        ``"ADM0"``, ``"ADM1"``, ``"ADM2"`` or ``"ADM3"``.
    data_dir
        Folder to read from; default ``settings.data_dir``, else the user cache.
    settings
        Settings resolved once by the caller (default: the environment).

    Returns
    -------
    pathlib.Path
        Path of the file, whose sha256 matches the pinned one.

    Raises
    ------
    DataNotFoundError
        If the file is missing and cannot be downloaded into that folder.
    DataIntegrityError
        If the file is present but its checksum differs.
    """
    spec = boundary_file(level)
    settings = config.resolve_settings(settings, data_dir=data_dir)
    folder, may_download = _search_dirs(settings)
    path = folder / spec.name
    if not path.is_file():
        if not may_download:
            raise DataNotFoundError(
                f"Boundary file {spec.name!r} ({spec.level}) not found in {folder}. {_fix_hint()}"
            )
        logger.info("%s is not in the cache yet; downloading it", spec.name)
        fetch_boundaries(cache_dir=folder, files=[spec], progress=False, base_url=settings.boundary_url)
    _verify_cached(path, spec)
    return path


def require_data_dir_files(levels: tuple[str, ...], settings: config.Settings) -> None:
    """Fail at once when an explicit data folder lacks the geometry file of one of ``levels``.

    Only presence is checked (the checksum is read when the file is loaded): a
    process that finds its gazetteer in the derived cache never loads the
    boundary files, and would otherwise run a whole extraction before a map
    found the folder wrong.

    Raises
    ------
    DataNotFoundError
        If ``settings.data_dir`` is set and a file is not in it.
    """
    if settings.data_dir is None:
        return
    for level in levels:
        spec = boundary_file(level)
        if not (settings.data_dir / spec.name).is_file():
            raise DataNotFoundError(
                f"Boundary file {spec.name!r} ({spec.level}) not found in {settings.data_dir}. {_fix_hint()}"
            )


_VERIFIED: dict[tuple[str, int, int], bool] = {}


def _verify_cached(path: Path, spec: BoundaryFile) -> None:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if not _VERIFIED.get(key):
        _verify(path, spec)
        _VERIFIED[key] = True


def boundary_status(*, data_dir: str | os.PathLike[str] | None = None,
                    settings: config.Settings | None = None) -> list[FileStatus]:
    """Report, for every pinned file, whether it is present and verifies.

    Parameters
    ----------
    data_dir
        Folder to inspect; default ``settings.data_dir``, else the user cache.
    settings
        Settings resolved once by the caller (default: the environment).

    Returns
    -------
    list of FileStatus
        One entry per pinned file, in ``BOUNDARY_FILES`` order.
    """
    folder, _ = _search_dirs(config.resolve_settings(settings, data_dir=data_dir))
    return [FileStatus.check(spec, folder / spec.name) for spec in BOUNDARY_FILES]


def fetch_boundaries(
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    files: list[BoundaryFile] | None = None,
    force: bool = False,
    base_url: str | None = None,
    timeout: float = 60.0,
    deadline: float | None = None,
    progress: bool = True,
) -> list[Path]:
    """Download the pinned boundary files and verify their sha256.

    A file is written under its final name only after its checksum matched, so
    an interrupted or corrupted download never leaves a bad file behind.

    Parameters
    ----------
    cache_dir
        Destination folder; default the user cache (``GEOCONFLICT_CACHE_DIR``).
    files
        Which files; default all of ``BOUNDARY_FILES``.
    force
        Download again even when a verified copy is present.
    base_url
        Override of ``GEOCONFLICT_BOUNDARY_URL``.
    timeout
        Seconds to wait for the server on each read.
    deadline
        Seconds one file may take in all; default ``limits.DOWNLOAD_DEADLINE``.
        A download also stops when it exceeds the pinned size by more than
        ``limits.DOWNLOAD_MARGIN``.
    progress
        Show a progress bar on standard error.

    Returns
    -------
    list of pathlib.Path
        The verified local files.

    Raises
    ------
    DownloadError
        If a file cannot be downloaded.
    DataIntegrityError
        If a downloaded file's checksum differs from the pinned one; the
        download is discarded.
    """
    folder = Path(cache_dir).expanduser() if cache_dir is not None else config.cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create the download folder {folder}: {exc.strerror or exc}. Set "
                            "GEOCONFLICT_CACHE_DIR to a writable folder.") from exc
    wanted = list(files) if files is not None else list(BOUNDARY_FILES)
    paths: list[Path] = []
    for spec in wanted:
        target = folder / spec.name
        if not force and target.is_file() and _sha256(target) == spec.sha256:
            logger.info("%s already present and verified", spec.name)
            paths.append(target)
            continue
        _download(spec, target, base_url=base_url, timeout=timeout, progress=progress, deadline=deadline)
        paths.append(target)
    return paths


def _download(spec: PinnedFile, target: Path, *, base_url: str | None, timeout: float,
              progress: bool, deadline: float | None = None) -> None:
    """Download one pinned file into ``target`` through a temporary file, checking size, time and sha256.

    The download stops as soon as it exceeds the pinned size by more than
    ``DOWNLOAD_MARGIN`` (a server that never stops), or when it has taken
    longer than ``deadline`` seconds in all (a server that trickles bytes;
    ``timeout`` bounds each read). Temporary files of an earlier, killed
    fetch are removed first.
    """
    from tqdm.auto import tqdm

    from ._files import PART_SUFFIX, remove_stale_parts

    url = spec.url(base_url)
    deadline = limits.DOWNLOAD_DEADLINE if deadline is None else deadline
    limit = int(spec.size * (1 + limits.DOWNLOAD_MARGIN)) + 65536
    logger.info("downloading %s", url)
    digest = hashlib.sha256()
    try:
        remove_stale_parts(target)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.{os.getpid()}.", suffix=PART_SUFFIX,
                                        dir=target.parent)
    except OSError as exc:
        raise DownloadError(f"cannot write into {target.parent}: {exc.strerror or exc}. Set "
                            "GEOCONFLICT_CACHE_DIR to a writable folder, or GEOCONFLICT_DATA_DIR to a folder "
                            "holding the geoBoundaries files.") from exc
    tmp = Path(tmp_name)
    started = time.monotonic()
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=min(timeout, deadline)) as response:
            announced = int(response.headers.get("Content-Length") or 0)
            if announced > limit:
                raise DownloadError(f"could not download {spec.name!r} from {url}: the server announces "
                                    f"{announced:,} bytes, expected {spec.size:,}; nothing was kept")
            written = 0
            with tqdm(total=announced or spec.size, unit="B", unit_scale=True, desc=spec.name,
                      disable=not progress, leave=False) as bar:
                while True:
                    block = response.read1(1 << 16)
                    if not block:
                        break
                    written += len(block)
                    if written > limit:
                        raise DownloadError(f"could not download {spec.name!r} from {url}: the server sent "
                                            f"more than {limit:,} bytes for a file of {spec.size:,}; stopped "
                                            "and discarded")
                    if time.monotonic() - started > deadline:
                        raise DownloadError(f"could not download {spec.name!r} from {url}: not finished after "
                                            f"{deadline:.0f} s ({written:,} of {spec.size:,} bytes); stopped "
                                            "and discarded")
                    out.write(block)
                    digest.update(block)
                    bar.update(len(block))
        actual = digest.hexdigest()
        if actual != spec.sha256:
            raise DataIntegrityError(
                f"download of {spec.name!r} from {url} is corrupt: sha256 {actual[:12]}..., "
                f"expected {spec.sha256[:12]}.... The file was discarded; try again later or "
                "set GEOCONFLICT_DATA_DIR to a folder holding verified copies."
            )
        os.replace(tmp, target)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if isinstance(exc, (DataIntegrityError, DownloadError)):
            raise
        raise DownloadError(
            f"could not download {spec.name!r} from {url}: {exc}. Check the network, or set "
            "GEOCONFLICT_DATA_DIR to a folder holding the geoBoundaries files."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def load_boundaries(level: str, *, data_dir: str | os.PathLike[str] | None = None,
                    settings: config.Settings | None = None) -> gpd.GeoDataFrame:
    """Read one level of the pinned geoBoundaries Pakistan files.

    Parameters
    ----------
    level
        ``"ADM0"``, ``"ADM1"``, ``"ADM2"`` or ``"ADM3"``.
    data_dir
        Folder to read from; default ``settings.data_dir``, else the user cache.
    settings
        Settings resolved once by the caller (default: the environment).

    Returns
    -------
    geopandas.GeoDataFrame
        The file's features (``shapeName``, ``shapeID``, ...) in EPSG:4326, with
        invalid polygons repaired by ``make_valid``.

    Raises
    ------
    DataNotFoundError, DataIntegrityError
        If the file is missing, fails its checksum or cannot be read.
    """
    import geopandas as gpd

    path = locate_boundary_file(level, data_dir=data_dir, settings=settings)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own types for unreadable files
        raise DataIntegrityError(f"cannot read boundary file {path}: {exc}. {_fix_hint()}") from exc
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame.loc[invalid, "geometry"] = [_polygonal(g)
                                          for g in frame.geometry[invalid].make_valid()]
    return frame


def _polygonal(geometry: object) -> object:
    """Keep only the polygon parts of a repaired geometry (make_valid may add lines)."""
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if isinstance(geometry, GeometryCollection) and not isinstance(geometry, MultiPolygon):
        parts = [g for g in geometry.geoms if isinstance(g, (Polygon, MultiPolygon))]
        polys = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
        return MultiPolygon(polys) if len(polys) > 1 else polys[0]
    return geometry
