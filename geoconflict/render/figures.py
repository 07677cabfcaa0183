"""Static figures for reports: a district choropleth and small multiples per period (matplotlib)."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Literal

from ..config import Settings
from ..districts import DistrictSource
from ..errors import InputError
from ._base import (
    Scene,
    check_value,
    class_colors,
    classify,
    date_range_text,
    left_out_notes,
    plural,
    scene,
    value_label,
)
from ._context import credits_text
from ._data import all_periods, district_totals, period_of

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as _Figure

__all__ = ["plot_choropleth", "plot_small_multiples"]

MAX_PANELS = 36


def _figure_class() -> type[_Figure]:
    from matplotlib.figure import Figure

    class InlineFigure(Figure):
        """A matplotlib figure that shows itself as a PNG in Jupyter without ``%matplotlib inline``."""

        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
            return buffer.getvalue()

    return InlineFigure


def _new_figure(figsize: tuple[float, float]) -> _Figure:
    return _figure_class()(figsize=figsize)


def _draw(ax: Axes, sc: Scene, classes: list[int], colors: list[str], *, labels: bool) -> None:
    """Districts in their class colour, other provinces in grey around them, district names."""
    import shapely

    minx, miny, maxx, maxy = sc.provinces.total_bounds
    padx, pady = (maxx - minx) * 0.04, (maxy - miny) * 0.04
    others = sc.all_provinces[~sc.all_provinces["admin1"].isin(sc.provinces["admin1"])] \
        if sc.all_provinces is not None else None
    if others is not None and len(others):
        others.plot(ax=ax, color="#ececec", edgecolor="#b5b5b5", linewidth=0.6)
    sc.districts.plot(ax=ax, color=[colors[k] for k in classes], edgecolor="#666", linewidth=0.4)
    sc.provinces.boundary.plot(ax=ax, color="#222", linewidth=1.0)
    if labels:
        for name, geom in zip(sc.districts["admin2"], sc.districts.geometry):
            if geom is None or geom.is_empty:
                continue
            point = shapely.Point(geom.representative_point())
            ax.annotate(str(name), (point.x, point.y), ha="center", va="center", fontsize=5.5, color="#222",
                        annotation_clip=True)
        if others is not None:
            for name, geom in zip(others["admin1"], others.geometry):
                point = geom.representative_point()
                if minx - padx <= point.x <= maxx + padx and miny - pady <= point.y <= maxy + pady:
                    ax.annotate(str(name), (point.x, point.y), ha="center", fontsize=8, color="#888")
    ax.set_xlim(minx - padx, maxx + padx)
    ax.set_ylim(miny - pady, maxy + pady)
    ax.set_axis_off()
    ax.set_aspect("equal")


def _legend(ax: Axes, items: list[dict[str, str]], title: str, *,
            loc: Literal["lower left", "center left"] = "lower left") -> None:
    """The class legend inside the map's frame, where the province leaves room (lower left)."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=i["color"], edgecolor="#666", label=i["label"]) for i in items]
    ax.legend(handles=handles, title=title, loc=loc, frameon=True, fontsize=8, title_fontsize=9)


def _footer(figure: _Figure, notes: list[str]) -> None:
    """The data note and the credits under the map."""
    import textwrap

    width = max(60, int(figure.get_figwidth() * 15))  # characters that fit the figure's width at this size
    text = "\n".join(textwrap.fill(n, width) for n in [*notes, credits_text()] if n)
    figure.text(0.01, 0.005, text, fontsize=6.5, color="#444", va="bottom", ha="left")


def _count_notes(sc: Scene) -> list[str]:
    placed = len(sc.events) - sc.province_only
    notes = [f"{plural(len(sc.events), *sc.unit)}: {placed} in a district and counted here"
             + (f"; {sc.province_only} known only to the province, not counted." if sc.province_only else ".")]
    return notes + left_out_notes(sc)


def plot_choropleth(events: pd.DataFrame, *, value: str = "events", provinces: list[str] | None = None,
                    district_source: DistrictSource | None = None, data_dir: str | os.PathLike[str] | None = None,
                    settings: Settings | None = None,
                    title: str | None = None, include_background: bool = False) -> _Figure:
    """A static district choropleth (same classes and colours as the HTML map).

    District names are always written; neighbouring provinces are drawn in
    grey; a note under the map says how many events are counted and why any
    are not, followed by the data credits.

    Returns
    -------
    matplotlib.figure.Figure
        Shows itself inline in Jupyter; write it with :func:`geoconflict.render.save_figure`.
    """
    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source,
               include_background=include_background, settings=settings)
    totals = district_totals(sc.events, sc.districts)
    classes, items = classify([float(v) for v in totals[value]])
    figure = _new_figure((8, 7.8))
    ax = figure.add_axes((0.01, 0.08, 0.98, 0.85))
    _draw(ax, sc, classes, class_colors(items), labels=True)
    when = date_range_text(sc.events["date"])
    ax.set_title(title or f"{sc.region}: {value_label(value, sc).lower()} per district"
                 + (f"\n{when}" if when else ""), fontsize=12)
    _legend(ax, items, f"{value_label(value, sc)} per district")
    _footer(figure, _count_notes(sc))
    return figure


def plot_small_multiples(events: pd.DataFrame, *, value: str = "events", period: str = "year",
                         provinces: list[str] | None = None, district_source: DistrictSource | None = None,
                         data_dir: str | os.PathLike[str] | None = None,
                         settings: Settings | None = None, title: str | None = None,
                         include_background: bool = False) -> _Figure:
    """One small district map per period, with one shared legend.

    Raises
    ------
    InputError
        If no event has a date, or there are more than 36 periods (use a longer period).
    """
    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source,
               include_background=include_background, settings=settings)
    periods = all_periods(sc.events["date"], period)
    if not periods:
        raise InputError("no event has a date: small multiples need dated events")
    if len(periods) > MAX_PANELS:
        raise InputError(f"{len(periods)} {period}s is too many panels (at most {MAX_PANELS}); "
                         "use a longer period, e.g. --period year")
    dated = sc.events[sc.events["date"].notna()].copy()
    dated["period"] = period_of(dated["date"], period)
    per_period = [district_totals(dated[dated["period"] == p], sc.districts)[value] for p in periods]
    flat = [float(v) for series in per_period for v in series]
    classes_flat, items = classify(flat)
    width = len(sc.districts)
    cols = min(4, len(periods))
    rows = math.ceil(len(periods) / cols)
    height = 2.8 * rows + 1.5
    figure = _new_figure((max(5.5, 3.2 * cols + 1.6), height))
    grid = figure.add_gridspec(rows, cols + 1, width_ratios=[*([1.0] * cols), 0.5], left=0.01, right=0.99,
                               top=1 - 0.45 / height, bottom=1.2 / height)
    for i, label in enumerate(periods):
        ax = figure.add_subplot(grid[i // cols, i % cols])
        _draw(ax, sc, classes_flat[i * width:(i + 1) * width], class_colors(items), labels=False)
        ax.set_title(f"{label} ({int(sum(per_period[i]))})", fontsize=9)
    key = figure.add_subplot(grid[:, cols])
    key.set_axis_off()
    _legend(key, items, value_label(value, sc), loc="center left")
    figure.suptitle(title or f"{sc.region}: {value_label(value, sc).lower()} per district by {period}")
    undated = int(sc.events["date"].isna().sum())
    _footer(figure, [*_count_notes(sc), f"{plural(undated, f'undated {sc.unit[0]}', f'undated {sc.unit[1]}')} not in any panel." if undated else ""])
    return figure
