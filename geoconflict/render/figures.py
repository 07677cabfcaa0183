"""Static figures for reports: a district choropleth and small multiples per period (matplotlib)."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING

from ..districts import DistrictSource
from ..errors import InputError
from ._base import VALUE_LABELS, check_value, class_colors, classify, scene
from ._data import all_periods, district_totals, period_of

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_choropleth", "plot_small_multiples"]

MAX_PANELS = 36


def _draw(ax: Axes, districts: pd.DataFrame, provinces: pd.DataFrame, classes: list[int], colors: list[str]) -> None:
    districts.plot(ax=ax, color=[colors[k] for k in classes], edgecolor="#666", linewidth=0.4)
    provinces.boundary.plot(ax=ax, color="#222", linewidth=1.0)
    ax.set_axis_off()
    ax.set_aspect("equal")


def _legend(figure: Figure, items: list[dict[str, str]], title: str) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=i["color"], edgecolor="#666", label=i["label"]) for i in items]
    figure.legend(handles=handles, title=title, loc="lower right", frameon=True, fontsize=8, title_fontsize=9)


def plot_choropleth(events: pd.DataFrame, *, value: str = "events", provinces: list[str] | None = None,
                    district_source: DistrictSource = "current", data_dir: str | os.PathLike[str] | None = None,
                    title: str | None = None) -> Figure:
    """A static district choropleth (same classes and colours as the HTML map).

    Returns
    -------
    matplotlib.figure.Figure
        Write it with :func:`geoconflict.render.save_figure`.
    """
    from matplotlib.figure import Figure

    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source)
    totals = district_totals(sc.events, sc.districts)
    classes, items = classify([float(v) for v in totals[value]])
    figure = Figure(figsize=(8, 8))
    ax = figure.add_subplot()
    _draw(ax, sc.districts, sc.provinces, classes, class_colors(items))
    ax.set_title(title or f"{VALUE_LABELS[value]} per district ({len(sc.events)} events)")
    _legend(figure, items, VALUE_LABELS[value])
    return figure


def plot_small_multiples(events: pd.DataFrame, *, value: str = "events", period: str = "year",
                         provinces: list[str] | None = None, district_source: DistrictSource = "current",
                         data_dir: str | os.PathLike[str] | None = None, title: str | None = None) -> Figure:
    """One small district map per period, with one shared legend.

    Raises
    ------
    InputError
        If no event has a date, or there are more than 36 periods (use a longer period).
    """
    from matplotlib.figure import Figure

    value = check_value(value)
    sc = scene(events, provinces=provinces, data_dir=data_dir, district_source=district_source)
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
    figure = Figure(figsize=(3.2 * cols, 3.4 * rows + 0.6))
    for i, label in enumerate(periods):
        ax = figure.add_subplot(rows, cols, i + 1)
        _draw(ax, sc.districts, sc.provinces, classes_flat[i * width:(i + 1) * width], class_colors(items))
        ax.set_title(f"{label} ({int(sum(per_period[i]))})", fontsize=9)
    figure.suptitle(title or f"{VALUE_LABELS[value]} per district by {period}")
    _legend(figure, items, VALUE_LABELS[value])
    return figure
