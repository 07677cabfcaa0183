"""Optional online fallback for names the gazetteer does not know, through geopy.

Off by default. When switched on (``--geocode nominatim`` on the command line,
or ``Resolver(..., geocoder=GeocoderFallback(...))``), a mention that the
gazetteer leaves unresolved for want of a match -- never a non-place, a
foreign place or bad input -- is sent to an online geocoder restricted to
Pakistan. The answer:

- is cached on disk (``{cache}/geocode/{service}.json``, misses included), so a
  name is asked for once;
- is rate-limited to the service's policy (Nominatim: one request a second);
- is placed in its district and tehsil by point-in-polygon on the district
  layer in use, and marked ``method="geocoder"``;
- gets its precision from the result type (village/town/suburb 1, county or
  district 3, state 4; other types 2).

Only names are sent to the service: no article text.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import config
from .errors import InputError

if TYPE_CHECKING:
    from .districts import AdminLayers

__all__ = ["GEOCODERS", "GeocodedPlace", "GeocoderFallback"]

logger = logging.getLogger(__name__)

#: Supported services and their minimum seconds between requests (usage policies).
GEOCODERS: dict[str, float] = {"nominatim": 1.0}
USER_AGENT = "geoconflict (conflict-event geocoding research)"

_POINT_TYPES = frozenset({"city", "town", "village", "hamlet", "suburb", "neighbourhood", "quarter",
                          "locality", "isolated_dwelling", "square", "building", "amenity", "railway"})
_DISTRICT_TYPES = frozenset({"county", "state_district", "district", "municipality"})
_PROVINCE_TYPES = frozenset({"state", "province", "region"})


class GeocodedPlace(dict[str, Any]):
    """One cached geocoder answer: ``latitude``, ``longitude``, ``name``, ``type`` (a plain dict)."""


def _precision(kind: str) -> int:
    if kind in _POINT_TYPES:
        return 1
    if kind in _DISTRICT_TYPES:
        return 3
    if kind in _PROVINCE_TYPES:
        return 4
    return 2


class GeocoderFallback:
    """Ask an online geocoder for names the gazetteer does not know.

    Parameters
    ----------
    service
        A key of :data:`GEOCODERS` (``"nominatim"``).
    layers
        The administrative layers the answers are placed in (point-in-polygon).
    url
        Base address of the service (``"http://127.0.0.1:8080"``); default the
        public service, or ``settings.geocode_url`` (``GEOCONFLICT_GEOCODE_URL``).
    min_delay
        Seconds between requests; default the service's policy.
    cache_file
        Where answers are kept; default ``{settings.cache_dir}/geocode/{service}.json``.
    timeout
        Seconds to wait for one answer.
    settings
        Settings resolved once by the caller (default: the environment).

    Raises
    ------
    InputError
        If the service is not supported.
    """

    def __init__(self, service: str, layers: AdminLayers, *, url: str | None = None,
                 min_delay: float | None = None, cache_file: str | os.PathLike[str] | None = None,
                 timeout: float = 10.0, settings: config.Settings | None = None) -> None:
        if service not in GEOCODERS:
            raise InputError(f"unknown geocoder {service!r}; expected one of {', '.join(GEOCODERS)}")
        self.service = service
        self.layers = layers
        settings = config.resolve_settings(settings)
        self.url = url or settings.geocode_url
        self.min_delay = GEOCODERS[service] if min_delay is None else min_delay
        self.cache_file = Path(cache_file) if cache_file else settings.cache_dir / "geocode" / f"{service}.json"
        self.timeout = timeout
        self._cache: dict[str, GeocodedPlace | None] | None = None
        self._lookup: Callable[[str], Any] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ cache

    def _load_cache(self) -> dict[str, GeocodedPlace | None]:
        if self._cache is None:
            try:
                raw = json.loads(self.cache_file.read_text(encoding="utf-8"))
                self._cache = {k: (GeocodedPlace(v) if v else None) for k, v in raw.items()}
            except (OSError, ValueError, AttributeError):
                self._cache = {}
        return self._cache

    def _save_cache(self) -> None:
        cache = self._load_cache()
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(cache, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.cache_file)
        except OSError as exc:
            logger.warning("cannot save the geocoder cache %s: %s", self.cache_file, exc)

    # ------------------------------------------------------------------ service

    def _service(self) -> Callable[[str], Any]:
        if self._lookup is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            scheme, domain = None, "nominatim.openstreetmap.org"
            if self.url:
                scheme, _, domain = self.url.partition("://")
                domain = domain.rstrip("/")
            geocoder = Nominatim(user_agent=USER_AGENT, domain=domain, scheme=scheme, timeout=self.timeout)

            def ask(name: str) -> Any:
                return geocoder.geocode(name, exactly_one=True, country_codes="pk")

            self._lookup = RateLimiter(ask, min_delay_seconds=self.min_delay, max_retries=0,
                                       swallow_exceptions=False)
        return self._lookup

    def geocode(self, name: str) -> GeocodedPlace | None:
        """Return the service's answer for ``name`` (cached), or None when it knows none.

        A failed request (network, service error) is logged and gives None
        without being cached, so it is asked again next time.
        """
        key = " ".join(name.lower().split())
        with self._lock:
            cache = self._load_cache()
            if key in cache:
                return cache[key]
            try:
                location = self._service()(name)
            except Exception as exc:  # noqa: BLE001 - geopy raises many types; a fallback must not crash
                logger.warning("geocoder %s failed for %r: %s", self.service, name, exc)
                return None
            if location is None:
                answer = None
            else:
                raw = getattr(location, "raw", {}) or {}
                answer = GeocodedPlace(latitude=float(location.latitude), longitude=float(location.longitude),
                                       name=str(raw.get("display_name") or location.address),
                                       type=str(raw.get("addresstype") or raw.get("type") or ""))
            cache[key] = answer
            self._save_cache()
            return answer

    def place(self, answer: GeocodedPlace) -> dict[str, Any] | None:
        """Province, district (id) and tehsil of an answer's point; None when it lies outside the layers."""
        from shapely.geometry import Point

        point = Point(answer["longitude"], answer["latitude"])
        districts = self.layers.districts
        hit = districts[districts.geometry.covers(point)]
        if hit.empty:
            return None
        district = hit.iloc[0]
        tehsils = self.layers.tehsils
        in_tehsil = tehsils[(tehsils["admin2_id"] == district["admin2_id"]) & tehsils.geometry.covers(point)]
        return {"admin1": district["admin1"], "admin2": district["admin2"], "admin2_id": district["admin2_id"],
                "admin3": None if in_tehsil.empty else in_tehsil.iloc[0]["admin3"],
                "geo_precision": _precision(answer.get("type", ""))}
