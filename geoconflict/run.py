"""One command from articles to everything: tables, maps, figures and an index page."""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._files import atomic_path, folder_lock
from .config import Settings, resolve_settings
from .districts import load_admin_layers
from .errors import GeoconflictError, InputError
from .extract.articles import count_articles
from .extract.pipeline import iter_extractions, save_extraction
from .incidents import incidents_from_events, incidents_to_events, tehsil_neighbours
from .io import save_events, save_table
from .render.report import Report, aliases_template, report_html
from .resolver import Resolver
from .schema import events_to_frame

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["RunOutputs", "run_all"]

logger = logging.getLogger(__name__)

#: Maps written by a run: file name -> title shown on the index page ({Unit}: Incidents or Events).
MAP_FILES = {
    "choropleth.html": "{Unit} per district",
    "killed.html": "Killed per district",
    "timeline.html": "{Unit} per district by month (time slider)",
    "points.html": "{Unit} as points",
    "points-timeline.html": "{Unit} as points by month (time slider)",
}
#: Figures written by a run: file name -> caption on the report page.
FIGURE_FILES = {
    "choropleth.png": "{Unit} per district (static figure for print)",
    "small-multiples.png": "{Unit} per district, one map per year",
}


@dataclass
class RunOutputs:
    """What a run wrote, by kind, and the counts it reports."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    articles: int = 0
    processed: int = 0
    events: int = 0
    unresolved: int = 0
    incidents: int = 0
    undated: int = 0  # events without a date (their articles gave none: see --published)
    skip_reasons: Counter[str] = field(default_factory=Counter)  # why inputs were skipped, with counts


#: Every file a run may write; files of an earlier run that this run did not write are removed.
RUN_FILES = ("events.csv", "events.geojson", "incidents.csv", "unresolved.csv", "manifest.csv", "mentions.csv",
             "aliases-to-fill.csv", *MAP_FILES, *FIGURE_FILES, "index.html", "run.json")


def run_all(inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *,
            resolver: Resolver | None = None, published: date | None = None, self_contained: bool = True,
            progress: bool = False, neutralize: bool = True, unit: str = "incidents",
            include_background: bool = False, data_dir: str | os.PathLike[str] | None = None,
            district_source: str | None = None, settings: Settings | None = None, jobs: int = 1,
            columns: Mapping[str, str] | None = None, client: Any = None,
            aliases: str | os.PathLike[str] | None = None) -> RunOutputs:
    """Extract events from articles and write the tables, every map, the figures and the report ``index.html``.

    The report is one page that works from disk with no network: headline
    numbers, events per month by actor, the maps, a sortable and filterable
    table of events, the unresolved names with an aliases CSV to fill in, and
    the manifest of inputs.

    The folder is locked for the run (a second run into it fails at once).
    ``run.json`` says ``"complete": false`` from the start and ``true`` only
    when every file is written; each file is written beside its name and
    renamed into place when complete, and files of an earlier run that this
    run does not produce (maps of a run that found no events) are removed.

    Parameters
    ----------
    inputs
        Article files or folders.
    out
        Output folder (created).
    self_contained
        Maps that work offline (Leaflet inlined; default). ``False`` links
        Leaflet from a CDN and shows a basemap.
    neutralize
        Prefix formula-like CSV text cells with ``'`` (see :mod:`geoconflict.io`).
    unit
        What the maps count: ``"incidents"`` (reports of one attack merged, the
        default) or ``"events"`` (one per report). Both tables are written.
    include_background
        Also map events reported only as background.
    settings
        Settings resolved once by the caller (default: the environment): the
        boundary folder and district layout used by the resolver (when none is
        given), the incidents and every map alike.
    data_dir, district_source
        Override those two settings (kept for backward compatibility).
    jobs, columns
        Worker processes and column names of table inputs (see
        :func:`~geoconflict.extract.pipeline.iter_extractions`); the tables
        are the same for any number of jobs.
    client
        A ``distributed.Client`` (see :func:`~geoconflict.extract.on_dask.dask_client`):
        extract on that Dask cluster instead, with the same tables and manifest;
        each worker builds its resolver from ``settings`` and ``aliases``
        (``resolver`` and ``jobs`` are not used for the extraction). The maps,
        incidents and report are made here, as in a serial run.
    aliases
        Aliases CSV for the workers' resolvers (with ``client`` only).

    Returns
    -------
    RunOutputs

    Raises
    ------
    InputError
        If ``out`` is a file, is one of the inputs or lies inside an input
        folder, or another run holds its lock.
    """
    from tqdm.auto import tqdm

    from .render import (
        plot_choropleth,
        plot_small_multiples,
        render_choropleth,
        render_points,
        render_points_timeline,
        render_timeline,
        save_figure,
        save_map,
    )

    if unit not in ("incidents", "events"):
        raise InputError(f"unit must be 'incidents' or 'events', not {unit!r}")
    settings = resolve_settings(settings, data_dir=data_dir, district_source=district_source)
    folder = Path(out)
    inputs = list(inputs)
    _check_folder(folder, inputs)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {str(out)!r}: {exc.strerror or exc}") from exc
    with folder_lock(folder):
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        _write_json(folder / "run.json", {"complete": False, "started": started})
        if client is not None:
            from .extract.on_dask import iter_extractions_dask

            stream = iter_extractions_dask(inputs, client=client, published=published, data_dir=settings.data_dir,
                                           aliases=aliases, district_source=settings.district_source,
                                           bias=settings.province, columns=columns)
        else:
            stream = iter_extractions(inputs, resolver=resolver, published=published, settings=settings,
                                      jobs=jobs, columns=columns)
        saved = save_extraction(tqdm(stream, desc="articles", unit="article", disable=not progress,
                                     total=count_articles(inputs) if progress else None),
                                events=folder / "events.csv", unresolved=folder / "unresolved.csv",
                                manifest=folder / "manifest.csv", mentions=folder / "mentions.csv",
                                keep_events=True, neutralize=neutralize)
        events = events_to_frame(saved.kept_events)
        saved.kept_events = []
        outputs = RunOutputs(folder, articles=saved.articles, processed=saved.processed, events=len(events),
                             unresolved=saved.unresolved, skip_reasons=Counter(saved.skip_reasons))
        outputs.files["events.csv"] = saved.files["events"]
        outputs.files["events.geojson"] = save_events(events, folder / "events.geojson")
        for name in ("unresolved", "manifest", "mentions"):
            outputs.files[f"{name}.csv"] = saved.files[name]
        # incidents: the reports of one attack merged; the maps count them unless unit="events"
        tehsils = load_admin_layers(settings=settings).tehsils
        incidents = incidents_from_events(events, neighbours=tehsil_neighbours(tehsils))
        outputs.incidents = len(incidents)
        outputs.files["incidents.csv"] = save_table(incidents, folder / "incidents.csv",
                                                    neutralize=neutralize)
        outputs.undated = int(events["date_start"].isna().sum()) if len(events) else 0
        drawn = events if unit == "events" else incidents_to_events(incidents)
        if events.empty:
            outputs.skipped["maps"] = "no events were found, so there is nothing to map"
        else:
            sc, bg = self_contained, include_background
            where = {"settings": settings}
            makers: dict[str, Callable[[], folium.Map]] = {
                "choropleth.html": lambda: render_choropleth(drawn, self_contained=sc, include_background=bg, **where),
                "killed.html": lambda: render_choropleth(drawn, value="killed", self_contained=sc,
                                                         include_background=bg, **where),
                "timeline.html": lambda: render_timeline(drawn, self_contained=sc, include_background=bg, **where),
                "points.html": lambda: render_points(drawn, self_contained=sc, include_background=bg, **where),
                "points-timeline.html": lambda: render_points_timeline(drawn, self_contained=sc,
                                                                       include_background=bg, **where),
            }
            for name, make in makers.items():
                with atomic_path(folder / name) as part:
                    save_map(make(), part)
                outputs.files[name] = folder / name
            with atomic_path(folder / "choropleth.png") as part:
                save_figure(plot_choropleth(drawn, include_background=bg, **where), part)
            outputs.files["choropleth.png"] = folder / "choropleth.png"
            try:
                figure = plot_small_multiples(drawn, include_background=bg, **where)
            except GeoconflictError as exc:
                outputs.skipped["small-multiples.png"] = str(exc)
            else:
                with atomic_path(folder / "small-multiples.png") as part:
                    save_figure(figure, part)
                outputs.files["small-multiples.png"] = folder / "small-multiples.png"
        unresolved = _read_table(folder / "unresolved.csv")
        manifest = _read_table(folder / "manifest.csv")
        if len(unresolved):
            with atomic_path(folder / "aliases-to-fill.csv") as part:
                part.write_text(aliases_template(unresolved), encoding="utf-8")
            outputs.files["aliases-to-fill.csv"] = folder / "aliases-to-fill.csv"
        outputs.files["index.html"] = _write_index(outputs, events, unresolved, manifest,
                                                   include_background=include_background,
                                                   counted=None if unit == "events" else incidents)
        for name in RUN_FILES:
            stale = folder / name
            if name not in outputs.files and name != "run.json" and (stale.exists() or stale.is_symlink()):
                stale.unlink()
                logger.info("removed %s, left by an earlier run", stale)
        outputs.files["run.json"] = _write_json(folder / "run.json", {
            "complete": True, "started": started,
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "articles": outputs.articles, "processed": outputs.processed, "events": outputs.events,
            "unresolved": outputs.unresolved, "files": sorted(outputs.files), "not_produced": outputs.skipped})
    return outputs


def _check_folder(folder: Path, inputs: list[str | os.PathLike[str]]) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {str(folder)!r} is a file, not a folder")
    resolved = folder.resolve()
    for raw in inputs:
        source = Path(raw).resolve()
        if source == resolved or (source.is_dir() and resolved.is_relative_to(source)):
            raise InputError(f"--out {str(folder)!r} is inside the input {str(raw)!r}: the next run would read "
                             "its tables as articles; choose another folder")
        if resolved != source and source.is_relative_to(resolved):
            raise InputError(f"input {str(raw)!r} lies inside --out {str(folder)!r}: choose another folder")


def _write_json(path: Path, data: dict[str, object]) -> Path:
    with atomic_path(path) as part:
        part.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def _read_table(path: Path) -> pd.DataFrame:
    """A table this run wrote, read back for the report (text as text, empty cells empty)."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _write_index(outputs: RunOutputs, events: pd.DataFrame, unresolved: pd.DataFrame,
                 manifest: pd.DataFrame, *, include_background: bool, counted: pd.DataFrame | None) -> Path:
    provinces = sorted(set(events["admin1"].dropna().astype(str))) if len(events) else []
    unit = "Events" if counted is None else "Incidents"  # what the maps count
    report = Report(
        events=events, unresolved=unresolved, manifest=manifest,
        maps=[(name, title.format(Unit=unit)) for name, title in MAP_FILES.items() if name in outputs.files],
        figures=[(name, caption.format(Unit=unit)) for name, caption in FIGURE_FILES.items()
                 if name in outputs.files],
        files=[name for name in outputs.files if name.endswith((".csv", ".geojson"))],
        skipped=dict(outputs.skipped),
        title=f"Attacks reported in {', '.join(provinces) or 'the news'}",
        include_background=include_background,
        incidents=outputs.incidents,
        counted=counted,
    )
    target = outputs.folder / "index.html"
    with atomic_path(target) as part:
        part.write_text(report_html(report), encoding="utf-8")
    return target
