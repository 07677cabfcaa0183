"""geoconflict: news reports of militant attacks -> district-level events and maps.

Importing the package is cheap: the heavy modules (geopandas, folium) load
only when one of the names below is first used.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "BOUNDARY_FILES": "geoconflict.data",
    "Candidate": "geoconflict.resolver",
    "DataIntegrityError": "geoconflict.errors",
    "DataNotFoundError": "geoconflict.errors",
    "DownloadError": "geoconflict.errors",
    "Gazetteer": "geoconflict.gazetteer_index",
    "IncidentRules": "geoconflict.incidents",
    "compare_with_acled": "geoconflict.compare",
    "incidents_from_events": "geoconflict.incidents",
    "incidents_from_events_dask": "geoconflict.incidents_on_dask",
    "incidents_to_acled": "geoconflict.acled",
    "incidents_to_events": "geoconflict.incidents",
    "load_acled": "geoconflict.acled",
    "save_comparison": "geoconflict.compare",
    "Event": "geoconflict.schema",
    "Extraction": "geoconflict.extract",
    "GeoconflictError": "geoconflict.errors",
    "InputError": "geoconflict.errors",
    "Resolution": "geoconflict.resolver",
    "Resolver": "geoconflict.resolver",
    "Settings": "geoconflict.config",
    "resolve_settings": "geoconflict.config",
    "boundary_status": "geoconflict.data",
    "districts_at_points": "geoconflict.district_join",
    "districts_at_points_dask": "geoconflict.district_join",
    "evaluate": "geoconflict.evaluate",
    "events_from_articles": "geoconflict.extract",
    "extract_events": "geoconflict.extract",
    "extract_events_dask": "geoconflict.extract.on_dask",
    "fetch_boundaries": "geoconflict.data",
    "iter_extractions": "geoconflict.extract",
    "load_events": "geoconflict.io",
    "load_admin_layers": "geoconflict.districts",
    "load_boundaries": "geoconflict.data",
    "load_districts": "geoconflict.districts",
    "load_gazetteer": "geoconflict.gazetteer_index",
    "normalize_name": "geoconflict.normalize",
    "resolve_places": "geoconflict.resolver",
    "resolutions_to_frame": "geoconflict.resolver",
    "save_events": "geoconflict.io",
    "plot_choropleth": "geoconflict.render",
    "plot_small_multiples": "geoconflict.render",
    "render_choropleth": "geoconflict.render",
    "render_points": "geoconflict.render",
    "render_points_timeline": "geoconflict.render",
    "render_timeline": "geoconflict.render",
    "run_all": "geoconflict.run",
    "save_figure": "geoconflict.render",
    "save_map": "geoconflict.render",
}

__all__ = [
    "BOUNDARY_FILES",
    "Candidate",
    "DataIntegrityError",
    "DataNotFoundError",
    "DownloadError",
    "Event",
    "Extraction",
    "Gazetteer",
    "GeoconflictError",
    "IncidentRules",
    "InputError",
    "Resolution",
    "Resolver",
    "Settings",
    "boundary_status",
    "compare_with_acled",
    "districts_at_points",
    "districts_at_points_dask",
    "evaluate",
    "events_from_articles",
    "extract_events",
    "extract_events_dask",
    "fetch_boundaries",
    "incidents_from_events",
    "incidents_from_events_dask",
    "incidents_to_acled",
    "incidents_to_events",
    "iter_extractions",
    "load_acled",
    "load_admin_layers",
    "load_boundaries",
    "load_districts",
    "load_events",
    "load_gazetteer",
    "normalize_name",
    "plot_choropleth",
    "plot_small_multiples",
    "render_choropleth",
    "render_points",
    "render_points_timeline",
    "render_timeline",
    "resolutions_to_frame",
    "resolve_places",
    "run_all",
    "save_comparison",
    "save_events",
    "save_figure",
    "save_map",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geoconflict' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
