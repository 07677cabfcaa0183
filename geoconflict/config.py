"""Settings, read from ``GEOCONFLICT_*`` environment variables at call time.

Settings are read when a function needs them, never cached at import, so a
test or a notebook can change the environment and see the change at once.

Environment variables
---------------------
GEOCONFLICT_DATA_DIR
    A folder holding the geoBoundaries Pakistan files (named as upstream, e.g.
    ``geoBoundaries-PAK-ADM2_simplified.geojson``). When set, boundaries are
    read from there and nothing is downloaded. Use it on machines without
    internet.
GEOCONFLICT_CACHE_DIR
    Where downloaded boundary files are kept. Default: ``$XDG_CACHE_HOME/geoconflict``
    or ``~/.cache/geoconflict``.
GEOCONFLICT_BOUNDARY_URL
    Base address the boundary files are downloaded from. Default: the public
    geoBoundaries repository's raw-file address; a file's URL is
    ``{base}/{commit}/{release path}``. Tests point it at a local server.
GEOCONFLICT_CENSUS_DIR
    A folder holding the pinned census files (``PakPop2017.RData``,
    ``TABLE_01.RData``). Default: the data folder, a ``census`` folder beside
    it, then the cache (see :mod:`geoconflict.census`).
GEOCONFLICT_CENSUS_URL
    Base address the census files are downloaded from; a file's URL is
    ``{base}/{repository}/{commit}/{path}``. Default: GitHub's raw-file address.
GEOCONFLICT_OFFLINE
    Set to ``1`` to never download: a missing file is an error instead.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROVINCE", "boundary_base_url", "cache_dir", "census_base_url", "data_dir", "offline"]

#: The province geoconflict is curated for: its districts are built from tehsils, its census villages
#: are loaded, and the resolver prefers it when names tie (``--bias``).
PROVINCE = "Balochistan"
DEFAULT_BOUNDARY_URL = "https://raw.githubusercontent.com/wmgeolab/geoBoundaries"
DEFAULT_CENSUS_URL = "https://raw.githubusercontent.com"


def data_dir() -> Path | None:
    """Return the folder named by ``GEOCONFLICT_DATA_DIR``, or None when unset."""
    value = os.environ.get("GEOCONFLICT_DATA_DIR", "").strip()
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """Return the per-user cache folder for downloaded boundary files."""
    value = os.environ.get("GEOCONFLICT_CACHE_DIR", "").strip()
    if value:
        return Path(value).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "geoconflict"


def boundary_base_url() -> str:
    """Return the base address boundary files are downloaded from."""
    return os.environ.get("GEOCONFLICT_BOUNDARY_URL", "").strip().rstrip("/") or DEFAULT_BOUNDARY_URL


def census_base_url() -> str:
    """Return the base address census files are downloaded from."""
    return os.environ.get("GEOCONFLICT_CENSUS_URL", "").strip().rstrip("/") or DEFAULT_CENSUS_URL


def offline() -> bool:
    """Return True when downloads are switched off with ``GEOCONFLICT_OFFLINE=1``."""
    return os.environ.get("GEOCONFLICT_OFFLINE", "").strip().lower() in {"1", "true", "yes"}
