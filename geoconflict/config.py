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
GEOCONFLICT_GEOCODE_URL
    Base address of the online geocoder used by ``--geocode`` (default: the
    public Nominatim service). Tests point it at a local stub.
GEOCONFLICT_LAYOUT
    The district layer the resolver places names in and ``run`` draws: ``current``
    (default), ``adm2`` (the ADM2 file as published) or a layout of
    :mod:`geoconflict.layouts` (``2023-census``, ``provisional``, a date).
GEOCONFLICT_PROVINCE
    The province preferred when names tie (region bias); ``none`` for no
    preference. Default :data:`PROVINCE`.

The settings object
-------------------
:class:`Settings` holds every setting above, resolved once by
:func:`resolve_settings` (environment first, then the caller's overrides such
as ``--data-dir``) and then passed whole to the functions that need them
(``load_admin_layers(settings=...)``, ``Resolver.from_gazetteer(settings=...)``,
``run_all(settings=...)``), so a folder given on the command line reaches the maps
as surely as the resolver. A function given no settings resolves them from the
environment at call time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["PROVINCE", "Settings", "boundary_base_url", "cache_dir", "census_base_url", "data_dir", "offline",
           "resolve_settings"]

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


def _census_dir() -> Path | None:
    value = os.environ.get("GEOCONFLICT_CENSUS_DIR", "").strip()
    return Path(value).expanduser() if value else None


def _province(value: str | None) -> str | None:
    """``None``, ``""`` and ``"none"`` mean no region bias."""
    value = (value or "").strip()
    return None if value.lower() in {"", "none"} else value


@dataclass(frozen=True)
class Settings:
    """Every setting geoconflict reads, resolved once (see :func:`resolve_settings`).

    Frozen and hashable, so it can key caches: equal settings mean equal
    layers and gazetteer.

    Attributes
    ----------
    data_dir
        Folder holding the boundary files; None: the cache (downloading when
        online). ``GEOCONFLICT_DATA_DIR`` or ``--data-dir``.
    cache_dir
        Where downloads and derived tables (census villages, built gazetteer)
        are kept. ``GEOCONFLICT_CACHE_DIR``.
    offline
        Never download. ``GEOCONFLICT_OFFLINE``.
    boundary_url, census_url
        Base addresses of the pinned files. ``GEOCONFLICT_BOUNDARY_URL``,
        ``GEOCONFLICT_CENSUS_URL``.
    census_dir
        Folder holding the census files; None: the data folder, a ``census``
        folder beside it, then the cache. ``GEOCONFLICT_CENSUS_DIR``.
    geocode_url
        Base address of the ``--geocode`` service; None: the public one.
        ``GEOCONFLICT_GEOCODE_URL``.
    district_source
        District layout (``--districts``/``--layout``): ``"current"``,
        ``"adm2"`` or a layout name or date. ``GEOCONFLICT_LAYOUT``.
    province
        Region bias: the province preferred when names tie, None for none
        (``--bias``). ``GEOCONFLICT_PROVINCE``.
    """

    data_dir: Path | None = None
    cache_dir: Path = field(default_factory=cache_dir)  # read when built, not at import
    offline: bool = False
    boundary_url: str = DEFAULT_BOUNDARY_URL
    census_url: str = DEFAULT_CENSUS_URL
    census_dir: Path | None = None
    geocode_url: str | None = None
    district_source: str = "current"
    province: str | None = PROVINCE

    def replace(self, **changes: object) -> Settings:
        """Return a copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


_UNSET: object = object()  # "not given": distinct from None, which means "no region bias"


def _from_environment() -> Settings:
    env_bias = os.environ.get("GEOCONFLICT_PROVINCE")
    return Settings(
        data_dir=data_dir(), cache_dir=cache_dir(), offline=offline(), boundary_url=boundary_base_url(),
        census_url=census_base_url(), census_dir=_census_dir(),
        geocode_url=os.environ.get("GEOCONFLICT_GEOCODE_URL", "").strip() or None,
        district_source=os.environ.get("GEOCONFLICT_LAYOUT", "").strip() or "current",
        province=PROVINCE if env_bias is None else _province(env_bias))


def resolve_settings(base: Settings | None = None, *, data_dir: str | os.PathLike[str] | None = None,
                     district_source: str | None = None, province: object = _UNSET) -> Settings:
    """Resolve the settings once: ``base`` (default: the environment), then the overrides given.

    Parameters
    ----------
    base
        Settings already resolved (passed whole by a caller); None reads the
        ``GEOCONFLICT_*`` environment variables now.
    data_dir, district_source
        Overrides from keyword arguments kept for backward compatibility
        (``load_gazetteer(data_dir=...)``) or from command-line flags; None
        keeps the base value.
    province
        Region bias override; None or ``"none"`` for no preference.

    Returns
    -------
    Settings
        Frozen settings with ``data_dir`` made absolute.
    """
    if base is None:
        base = _from_environment()
    changes: dict[str, object] = {}
    if data_dir is not None:
        changes["data_dir"] = Path(data_dir).expanduser()
    if district_source is not None:
        changes["district_source"] = district_source
    if province is not _UNSET:
        changes["province"] = _province(province if isinstance(province, str) else None)
    resolved = base.replace(**changes) if changes else base
    if resolved.data_dir is not None and not resolved.data_dir.is_absolute():
        resolved = resolved.replace(data_dir=resolved.data_dir.resolve())
    return resolved
