"""Writing maps and figures: the only functions in ``geoconflict.render`` that touch files."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import folium
    from matplotlib.figure import Figure

__all__ = ["save_figure", "save_map"]

logger = logging.getLogger(__name__)


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as a standalone HTML file (parent folders are created).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    m.save(str(target))
    logger.info("wrote %s (%.1f KB)", target, target.stat().st_size / 1024)
    return target


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Write a matplotlib figure (PNG by extension) and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=dpi, bbox_inches="tight")
    return target
