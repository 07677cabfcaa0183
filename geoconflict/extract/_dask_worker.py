"""What runs on a Dask worker: one resolver per worker process, and the extraction of one partition.

Imported by :mod:`geoconflict.extract.dask` on the client and, by reference,
on the workers (every worker needs geoconflict installed, with the same
version and data as the client). Nothing here starts or manages a cluster:
that is Dask's job.
"""

from __future__ import annotations

import gc
import logging
import os
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from distributed import WorkerPlugin

from ..config import PROVINCE
from .articles import Skip, read_article_file
from .events import ArticleEvents
from .file_parts import FilePart
from .mentions import MentionSpotter
from .parallel import extract_one

if TYPE_CHECKING:
    from distributed import Worker

    from ..districts import DistrictSource

__all__ = ["PartitionResult", "ResolverPlugin", "ResolverSettings", "extract_partition", "worker_spotter"]

logger = logging.getLogger(__name__)

#: One unit of a partition: an input file as (path, source key), a part of one, or an input already skipped.
Unit = tuple[str, str] | tuple[str, str, FilePart] | Skip


@dataclass(frozen=True)
class ResolverSettings:
    """How to build the resolver, sent to the workers instead of the resolver itself."""

    data_dir: str | None = None
    aliases: str | None = None
    district_source: DistrictSource = "current"
    bias: str | None = PROVINCE


@lru_cache(maxsize=2)
def worker_spotter(settings: ResolverSettings) -> MentionSpotter:
    """The mention spotter of this process for ``settings``: built once (from the gazetteer cache), then reused."""
    from ..resolver import Resolver

    resolver = Resolver.from_gazetteer(data_dir=settings.data_dir, aliases=settings.aliases,
                                       district_source=settings.district_source, bias=settings.bias)
    logger.info("resolver ready in worker process %d", os.getpid())
    return MentionSpotter(resolver)


class ResolverPlugin(WorkerPlugin):
    """Builds the worker's resolver when the worker starts, before any partition arrives."""

    def __init__(self, settings: ResolverSettings) -> None:
        self.settings = settings

    def setup(self, worker: Worker) -> None:
        worker_spotter(self.settings)
        # the resolver lives as long as the worker: its garbage collector need never walk the gazetteer
        gc.freeze()


@dataclass(frozen=True)
class PartitionResult:
    """The results of one partition, in input order; article texts dropped (the client needs none)."""

    index: int
    items: list[ArticleEvents | Skip]


def _without_text(item: ArticleEvents | Skip) -> ArticleEvents | Skip:
    if isinstance(item, Skip):
        return item
    return replace(item, article=replace(item.article, text=""))


def extract_partition(partition: list[tuple[int, list[Unit]]], settings: ResolverSettings,
                      columns: dict[str, str], published: date | None,
                      parts_dir: str | None, partition_by: str | None) -> list[PartitionResult]:
    """Read and extract the files of a partition (a Dask bag partition holding one ``(index, units)``).

    When ``parts_dir`` is given the partition's events are written there as
    GeoParquet (``part-<index>.parquet``, or under ``year=YYYY/`` when
    ``partition_by="year"``).
    """
    spotter = worker_spotter(settings)
    results = []
    for index, units in partition:
        items: list[ArticleEvents | Skip] = []
        for unit in units:
            if isinstance(unit, Skip):
                items.append(unit)
                continue
            path, key, *part = unit
            for item in read_article_file(Path(path), key, columns, *part):
                items.append(_without_text(extract_one(item, spotter, published=published)))
        if parts_dir is not None:
            _write_part(items, Path(parts_dir), index, partition_by)
        results.append(PartitionResult(index, items))
    return results


def _write_part(items: list[ArticleEvents | Skip], folder: Path, index: int, partition_by: str | None) -> None:
    from ..io import write_event_parts
    from ..schema import events_to_frame

    events = [event for item in items if isinstance(item, ArticleEvents) for event in item.events]
    if events:
        write_event_parts(events_to_frame(events), folder, f"part-{index:06d}.parquet", partition_by=partition_by)
