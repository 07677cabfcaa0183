"""One command from articles to everything: tables, maps, figures and an index page."""

from __future__ import annotations

import html
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
from .resolver import Resolver

if TYPE_CHECKING:
    import folium

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


def run_all(inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *,
            resolver: Resolver | None = None, published: date | None = None, self_contained: bool = False,
            progress: bool = False, data_dir: str | os.PathLike[str] | None = None,
            district_source: str = "current") -> RunOutputs:
    """Extract events from articles and write the tables, every map, the figures and ``index.html``.

    Parameters
    ----------
    inputs
        Article files or folders.
    out
        Output folder (created).
    self_contained
        Maps that work offline (Leaflet inlined, no basemap).
    data_dir, district_source
        Boundary folder and district layer of the maps (as for the resolver).

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
    outputs.files["events.csv"] = save_events(run.events, folder / "events.csv")
    outputs.files["events.geojson"] = save_events(run.events, folder / "events.geojson")
    outputs.files["unresolved.csv"] = save_table(run.unresolved, folder / "unresolved.csv")
    outputs.files["manifest.csv"] = save_table(run.manifest, folder / "manifest.csv")
    outputs.files["mentions.csv"] = save_table(run.mentions, folder / "mentions.csv")
    if run.events.empty:
        outputs.skipped["maps"] = "no events were found, so there is nothing to map"
    else:
        makers: dict[str, Callable[[], folium.Map]] = {
            "choropleth.html": lambda: render_choropleth(run.events, self_contained=self_contained, data_dir=data_dir, district_source=district_source),
            "killed.html": lambda: render_choropleth(run.events, value="killed", self_contained=self_contained,
                                                     data_dir=data_dir, district_source=district_source),
            "timeline.html": lambda: render_timeline(run.events, self_contained=self_contained, data_dir=data_dir, district_source=district_source),
            "points.html": lambda: render_points(run.events, self_contained=self_contained, data_dir=data_dir, district_source=district_source),
            "points-timeline.html": lambda: render_points_timeline(run.events, self_contained=self_contained,
                                                                   data_dir=data_dir, district_source=district_source),
        }
        for name, make in makers.items():
            outputs.files[name] = save_map(make(), folder / name)
        outputs.files["choropleth.png"] = save_figure(plot_choropleth(run.events, data_dir=data_dir, district_source=district_source),
                                                      folder / "choropleth.png")
        try:
            outputs.files["small-multiples.png"] = save_figure(plot_small_multiples(run.events, data_dir=data_dir, district_source=district_source),
                                                               folder / "small-multiples.png")
        except GeoconflictError as exc:
            outputs.skipped["small-multiples.png"] = str(exc)
    outputs.files["index.html"] = _write_index(outputs, run.unresolved)
    return outputs


def _write_index(outputs: RunOutputs, unresolved: object) -> Path:
    import pandas as pd

    assert isinstance(unresolved, pd.DataFrame)
    e = html.escape
    links = []
    for name, title in MAP_FILES.items():
        if name in outputs.files:
            links.append(f'<li><a href="{e(name)}">{e(title)}</a></li>')
    for name in ("choropleth.png", "small-multiples.png"):
        if name in outputs.files:
            links.append(f'<li><a href="{e(name)}">{e(name)}</a></li>')
    for name in ("events.csv", "events.geojson", "unresolved.csv", "manifest.csv", "mentions.csv"):
        links.append(f'<li><a href="{e(name)}">{e(name)}</a></li>')
    skipped = "".join(f"<li>{e(k)}: {e(v)}</li>" for k, v in outputs.skipped.items())
    top = (unresolved.groupby("mention").size().sort_values(ascending=False).head(15)
           if len(unresolved) else pd.Series(dtype=int))
    rows = "".join(f"<tr><td>{e(str(name))}</td><td>{int(count)}</td></tr>" for name, count in top.items())
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>geoconflict run</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em;color:#222}}
td,th{{padding:2px 10px;text-align:left}}</style></head><body>
<h1>geoconflict run</h1>
<p>{outputs.articles} articles ({outputs.processed} processed), {outputs.events} events,
{outputs.unresolved} unresolved place mentions.</p>
<h2>Maps and tables</h2><ul>{''.join(links)}</ul>
{f'<h2>Not produced</h2><ul>{skipped}</ul>' if skipped else ''}
<h2>Most frequent unresolved place names</h2>
{f'<table><tr><th>name</th><th>mentions</th></tr>{rows}</table>' if rows else '<p>None.</p>'}
<p>Add aliases for them in a CSV (alias,target) and run again with <code>--aliases FILE</code>.</p>
</body></html>
"""
    target = outputs.folder / "index.html"
    target.write_text(body, encoding="utf-8")
    return target
