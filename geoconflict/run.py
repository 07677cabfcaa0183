"""One command from articles to everything: tables, maps, figures and an index page."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GeoconflictError
from .extract.pipeline import extract_events
from .io import save_events, save_table
from .render.report import Report, aliases_template, report_html
from .resolver import Resolver

if TYPE_CHECKING:
    import folium
    import pandas as pd

__all__ = ["RunOutputs", "run_all"]

logger = logging.getLogger(__name__)

#: Maps written by a run: file name -> title shown on the index page.
MAP_FILES = {
    "choropleth.html": "Events per district",
    "killed.html": "Killed per district",
    "timeline.html": "Events per district by month (time slider)",
    "points.html": "Events as points",
    "points-timeline.html": "Events as points by month (time slider)",
}
#: Figures written by a run: file name -> caption on the report page.
FIGURE_FILES = {
    "choropleth.png": "Events per district (static figure for print)",
    "small-multiples.png": "Events per district, one map per year",
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
    undated: int = 0  # events without a date (their articles gave none: see --published)


def run_all(inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *,
            resolver: Resolver | None = None, published: date | None = None, self_contained: bool = True,
            progress: bool = False, include_background: bool = False) -> RunOutputs:
    """Extract events from articles and write the tables, every map, the figures and the report ``index.html``.

    The report is one page that works from disk with no network: headline
    numbers, events per month by actor, the maps, a sortable and filterable
    table of events, the unresolved names with an aliases CSV to fill in, and
    the manifest of inputs.

    Parameters
    ----------
    inputs
        Article files or folders.
    out
        Output folder (created).
    self_contained
        Maps that work offline (Leaflet inlined; default). ``False`` links
        Leaflet from a CDN and shows a basemap.
    include_background
        Also map events reported only as background.

    Returns
    -------
    RunOutputs
    """
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

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    run = extract_events(inputs, resolver=resolver, published=published, progress=progress)
    outputs = RunOutputs(folder)
    outputs.articles = len(run.manifest)
    outputs.processed = int((run.manifest["status"] == "processed").sum())
    outputs.events = len(run.events)
    outputs.unresolved = len(run.unresolved)
    outputs.undated = int(run.events["date_start"].isna().sum()) if len(run.events) else 0
    outputs.files["events.csv"] = save_events(run.events, folder / "events.csv")
    outputs.files["events.geojson"] = save_events(run.events, folder / "events.geojson")
    outputs.files["unresolved.csv"] = save_table(run.unresolved, folder / "unresolved.csv")
    outputs.files["manifest.csv"] = save_table(run.manifest, folder / "manifest.csv")
    outputs.files["mentions.csv"] = save_table(run.mentions, folder / "mentions.csv")
    if run.events.empty:
        outputs.skipped["maps"] = "no events were found, so there is nothing to map"
    else:
        sc, bg = self_contained, include_background
        makers: dict[str, Callable[[], folium.Map]] = {
            "choropleth.html": lambda: render_choropleth(run.events, self_contained=sc, include_background=bg),
            "killed.html": lambda: render_choropleth(run.events, value="killed", self_contained=sc,
                                                     include_background=bg),
            "timeline.html": lambda: render_timeline(run.events, self_contained=sc, include_background=bg),
            "points.html": lambda: render_points(run.events, self_contained=sc, include_background=bg),
            "points-timeline.html": lambda: render_points_timeline(run.events, self_contained=sc,
                                                                   include_background=bg),
        }
        for name, make in makers.items():
            outputs.files[name] = save_map(make(), folder / name)
        outputs.files["choropleth.png"] = save_figure(
            plot_choropleth(run.events, include_background=include_background), folder / "choropleth.png")
        try:
            outputs.files["small-multiples.png"] = save_figure(
                plot_small_multiples(run.events, include_background=include_background), folder / "small-multiples.png")
        except GeoconflictError as exc:
            outputs.skipped["small-multiples.png"] = str(exc)
    if len(run.unresolved):
        aliases = folder / "aliases-to-fill.csv"
        aliases.write_text(aliases_template(run.unresolved), encoding="utf-8")
        outputs.files["aliases-to-fill.csv"] = aliases
    outputs.files["index.html"] = _write_index(outputs, run.events, run.unresolved, run.manifest,
                                               include_background=include_background)
    return outputs


def _write_index(outputs: RunOutputs, events: pd.DataFrame, unresolved: pd.DataFrame,
                 manifest: pd.DataFrame, *, include_background: bool) -> Path:
    provinces = sorted(set(events["admin1"].dropna().astype(str))) if len(events) else []
    report = Report(
        events=events, unresolved=unresolved, manifest=manifest,
        maps=[(name, title) for name, title in MAP_FILES.items() if name in outputs.files],
        figures=[(name, caption) for name, caption in FIGURE_FILES.items() if name in outputs.files],
        files=[name for name in outputs.files if name.endswith((".csv", ".geojson"))],
        skipped=dict(outputs.skipped),
        title=f"Attacks reported in {', '.join(provinces) or 'the news'}",
        include_background=include_background,
    )
    target = outputs.folder / "index.html"
    target.write_text(report_html(report), encoding="utf-8")
    return target
