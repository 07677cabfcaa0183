"""Maps of events: each ``render_*`` returns a ``folium.Map``; only ``save_*`` writes files."""

from __future__ import annotations

from .choropleth import render_choropleth
from .figures import plot_choropleth, plot_small_multiples
from .points import render_points, render_points_timeline
from .save import save_figure, save_map
from .timeline import render_timeline

__all__ = ["plot_choropleth", "plot_small_multiples", "render_choropleth", "render_points",
           "render_points_timeline", "render_timeline", "save_figure", "save_map"]
