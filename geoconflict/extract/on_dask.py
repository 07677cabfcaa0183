"""Extraction on a Dask cluster: one machine's cores or many machines.

The inputs are listed on the client (the same folder walk and skips as
:func:`~geoconflict.extract.articles.read_articles`) and grouped into
partitions of whole files, about :data:`PARTITION_BYTES` each; a larger
uncompressed JSON Lines file or Parquet file is cut into parts of about that
size (at line starts or row groups, see :mod:`~geoconflict.extract.file_parts`),
each a partition of its own, so several workers share one big file. The
partitions form a :mod:`dask.bag` whose ``map_partitions`` reads each file or
part with the same readers and runs the same extraction as a serial run, with
one resolver per worker process (built when the worker joins, from the
gazetteer cache). Compressed and CSV files are read whole by one worker.

Results come back to the client in input order, so event ids and tables are
those of a serial run; only a few partitions per worker thread are in flight
at a time, so finished results never pile up on the workers. A partition's
results are held whole until the client takes them: memory per worker grows
with the size of the largest input file, so cut an archive into files of a
few thousand articles. With ``parts_dir`` each worker writes its partition's
events as GeoParquet parts there. Dask retries a partition whose worker died;
a partition that still fails is recorded in the manifest (one skipped row per
file of it, with the error), and the rest of the run goes on.

Workers open the input paths as given (so the manifest's origins are those of
a serial run): on a cluster of several machines give absolute paths on a file
system every worker sees at the same path (and so for ``parts_dir``); the
workers of a LocalCluster share the client's working directory, so relative
paths work there. Dask is an optional dependency: ``pip install geoconflict[dask]``.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import PROVINCE
from ..errors import InputError
from .articles import Skip, _table_kind, article_files, parse_columns
from .file_parts import FilePart, split_file
from .events import ArticleEvents

if TYPE_CHECKING:
    from ..districts import DistrictSource

#: One unit of a partition: a whole input file as (path, source key), a part of one, or an input already skipped.
Unit = tuple[str, str] | tuple[str, str, FilePart] | Skip

__all__ = ["IN_FLIGHT_PER_THREAD", "PARTITION_BYTES", "RETRIES", "dask_client", "extract_events_dask", "iter_extractions_dask"]

logger = logging.getLogger(__name__)

#: Input bytes per partition (about a thousand news articles): small files are grouped, a larger JSON Lines
#: or Parquet file is cut into parts. A partition's results wait whole on its worker until the client takes
#: them, so small partitions keep workers' memory low and leave little work for one worker at the end
#: (bench_scale, 100,000 articles on 2 workers: 6 MB partitions 1.46x over one core, 400 MB per worker).
PARTITION_BYTES = 2**20
#: Partitions handed to the cluster ahead of the one the client waits for, per worker thread.
IN_FLIGHT_PER_THREAD = 2
#: Times Dask runs a partition again after its worker died before the partition is recorded as failed.
RETRIES = 1
_INSTALL = "the Dask path needs dask and distributed: pip install 'geoconflict[dask]'"


def _require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise InputError(_INSTALL) from exc


def dask_client(address: str, *, workers: int | None = None) -> Any:
    """A ``distributed.Client``: ``"local"`` starts a LocalCluster of worker processes on this machine.

    Parameters
    ----------
    address
        ``"local"``, or a scheduler address such as ``tcp://10.0.0.5:8786``.
    workers
        Worker processes of a local cluster (one thread each); default the
        cores this process may use. Ignored for a scheduler address.

    Returns
    -------
    distributed.Client
        Close it when done (``client.close()``; a local cluster closes with it).

    Raises
    ------
    InputError
        If Dask is not installed or the scheduler cannot be reached.
    """
    _require_dask()
    from distributed import Client, LocalCluster

    from .parallel import default_jobs

    if address == "local":
        cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
        client.close_cluster = True  # type: ignore[attr-defined]
        return client
    if "://" not in address:
        raise InputError(f"--dask takes 'local' or a scheduler address such as tcp://host:8786, not {address!r}")
    try:
        return Client(address, timeout="20s")
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from exc


def close_client(client: Any) -> None:
    """Close a client from :func:`dask_client` and, for ``"local"``, its cluster."""
    cluster = client.cluster if getattr(client, "close_cluster", False) else None
    client.close()
    if cluster is not None:
        cluster.close()


def _partitions(inputs: Iterable[str | os.PathLike[str]], partition_bytes: int,
                split_files: bool = True) -> list[list[Unit]]:
    """Whole files grouped to about ``partition_bytes``; a larger JSON Lines or Parquet file cut into parts."""
    parts: list[list[Unit]] = []
    current: list[Unit] = []
    size = 0
    for unit in article_files(inputs):
        if not isinstance(unit, Skip):
            try:
                file_size = Path(unit[0]).stat().st_size
            except OSError:
                file_size = 0  # the worker's reader records why it cannot be read
            pieces = split_file(Path(unit[0]), partition_bytes) if split_files and file_size > partition_bytes else []
            if pieces:  # each part of a large file is a partition of its own
                if current:
                    parts.append(current)
                    current, size = [], 0
                parts.extend([(unit[0], unit[1], piece)] for piece in pieces)
                continue
            size += file_size
        current.append(unit)
        if size >= partition_bytes:
            parts.append(current)
            current, size = [], 0
    if current:
        parts.append(current)
    return parts


def _failed(units: list[Unit], exc: BaseException) -> list[ArticleEvents | Skip]:
    reason = f"partition failed on the Dask cluster: {type(exc).__name__}: {str(exc)[:200]}; not extracted"
    return [unit if isinstance(unit, Skip) else _failed_unit(unit, reason) for unit in units]


def _failed_unit(unit: tuple[str, str] | tuple[str, str, FilePart], reason: str) -> Skip:
    path = Path(unit[0])
    if len(unit) == 2:
        return Skip(path.name, unit[0], reason)
    where = unit[2].describe(_table_kind(path)[0] or "")
    return Skip(f"{path.name} ({where})", f"{unit[0]} ({where})", reason)


def iter_extractions_dask(inputs: Iterable[str | os.PathLike[str]], *, client: Any,
                          published: date | None = None, data_dir: str | os.PathLike[str] | None = None,
                          aliases: str | os.PathLike[str] | None = None,
                          district_source: DistrictSource = "current", bias: str | None = PROVINCE,
                          columns: str | Mapping[str, str] | None = None,
                          parts_dir: str | os.PathLike[str] | None = None, partition_by: str | None = None,
                          partition_bytes: int = PARTITION_BYTES,
                          split_files: bool = True) -> Iterator[ArticleEvents | Skip]:
    """Yield one result per input article, in input order, extracted on a Dask cluster.

    Parameters
    ----------
    inputs
        As for :func:`~geoconflict.extract.pipeline.iter_extractions` (no ``-``).
    client
        A ``distributed.Client`` (see :func:`dask_client`).
    published, data_dir, aliases, district_source, columns
        As for :func:`~geoconflict.extract.pipeline.iter_extractions`; the
        resolver is built on each worker from these settings.
    bias
        Province preferred when names tie (default Balochistan; None for none).
    parts_dir
        A folder (``events.parquet``) the workers write the events into as
        GeoParquet parts; it must not exist or be empty. It appears only when
        every partition is done.
    partition_by
        ``"year"``: parts under ``year=YYYY/`` folders.
    partition_bytes
        Input bytes per partition.
    split_files
        Cut a JSON Lines or Parquet file larger than ``partition_bytes`` into
        parts (default); ``False`` keeps every file whole.

    Yields
    ------
    ArticleEvents or Skip
        As a serial run yields them, with the article texts left out.

    Raises
    ------
    InputError
        If Dask is not installed, an input is ``-`` or missing, or ``parts_dir`` is taken.
    """
    _require_dask()
    import dask.bag as db

    from ..io import PARTITIONS
    from ._dask_worker import ResolverPlugin, ResolverSettings, extract_partition

    inputs = list(inputs)
    if any(str(raw) == "-" for raw in inputs):
        raise InputError("the Dask path reads files, not standard input ('-')")
    if partition_by is not None and (partition_by not in PARTITIONS or parts_dir is None):
        raise InputError(f"partition_by must be one of {PARTITIONS} and needs parts_dir, not {partition_by!r}")
    mapping = parse_columns(columns)
    settings = ResolverSettings(data_dir=None if data_dir is None else str(Path(data_dir).resolve()),
                                aliases=None if aliases is None else str(Path(aliases).resolve()),
                                district_source=district_source, bias=bias)
    partitions = _partitions(inputs, partition_bytes, split_files)
    target = scratch = None
    if parts_dir is not None:
        target = Path(parts_dir)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise InputError(f"{str(target)!r} exists and is not an empty folder: remove it or choose another "
                             "name for the events")
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
        scratch.mkdir()
    client.register_plugin(ResolverPlugin(settings), name=f"geoconflict-resolver-{hash(settings) & 0xFFFFFFFF:x}")
    logger.info("extracting %d partition(s) on %s", len(partitions), client)
    try:
        bag = db.from_sequence(list(enumerate(partitions)), npartitions=max(1, len(partitions)))
        tasks = bag.map_partitions(extract_partition, settings, mapping, published,
                                   None if scratch is None else str(scratch), partition_by).to_delayed()
        # Partitions are handed to the cluster a few per worker thread ahead of the one the client waits
        # for: finished results wait on the workers only that long, so memory stays flat in the archive.
        ahead = max(2, IN_FLIGHT_PER_THREAD * sum(client.nthreads().values()))
        waiting: deque[Any] = deque()
        next_task = 0
        for units in partitions:
            while next_task < len(tasks) and len(waiting) < ahead:
                waiting.append(client.compute(tasks[next_task], retries=RETRIES))
                next_task += 1
            future = waiting.popleft()
            try:
                (result,) = future.result()
                items = result.items
            except Exception as exc:  # noqa: BLE001 - a failed partition is recorded, the rest goes on
                logger.error("a partition of %d input(s) starting at %s failed: %s", len(units),
                             units[0] if isinstance(units[0], Skip) else units[0][0], exc)
                items = _failed(units, exc)
            future.release()
            yield from items
        if target is not None and scratch is not None:
            if not any(scratch.iterdir()):  # no events at all: an empty table, so the folder reads back
                from ..io import write_event_parts
                from ..schema import events_to_frame

                write_event_parts(events_to_frame([]), scratch, "part-000000.parquet")
            os.replace(scratch, target)
            logger.info("wrote the events to %s", target)
    finally:
        if scratch is not None and scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)


def extract_events_dask(inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
                        client: Any = None, published: date | None = None,
                        data_dir: str | os.PathLike[str] | None = None,
                        aliases: str | os.PathLike[str] | None = None,
                        district_source: DistrictSource = "current",
                        columns: str | Mapping[str, str] | None = None,
                        parts_dir: str | os.PathLike[str] | None = None, partition_by: str | None = None,
                        partition_bytes: int = PARTITION_BYTES, split_files: bool = True) -> Any:
    """Extract events on a Dask cluster; the same :class:`~geoconflict.extract.pipeline.Extraction` as a serial run.

    Parameters
    ----------
    inputs
        A path or paths (files and folders; see :func:`iter_extractions_dask`).
    client
        A ``distributed.Client``; default a LocalCluster of this machine's
        cores, closed at the end.
    published, data_dir, aliases, district_source, columns, parts_dir, partition_by, partition_bytes, split_files
        See :func:`iter_extractions_dask`.

    Returns
    -------
    Extraction
        Events, unresolved mentions, manifest and mentions, equal to those of
        :func:`~geoconflict.extract.pipeline.extract_events` for the same inputs.
    """
    import pandas as pd

    from ..schema import ALL_MENTION_COLUMNS, MANIFEST_COLUMNS, MENTION_COLUMNS, events_to_frame
    from .pipeline import Extraction, manifest_row, mention_rows, unresolved_rows

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    with ExitStack() as stack:
        if client is None:
            client = dask_client("local")
            stack.callback(close_client, client)
        events, unresolved, manifest, mentions = [], [], [], []
        for item in iter_extractions_dask(inputs, client=client, published=published, data_dir=data_dir,
                                          aliases=aliases, district_source=district_source, columns=columns,
                                          parts_dir=parts_dir, partition_by=partition_by,
                                          partition_bytes=partition_bytes, split_files=split_files):
            manifest.append(manifest_row(item))
            if isinstance(item, ArticleEvents):
                events.extend(item.events)
                unresolved.extend(unresolved_rows(item))
                mentions.extend(mention_rows(item))
    return Extraction(events_to_frame(events), pd.DataFrame(unresolved, columns=list(MENTION_COLUMNS)),
                      pd.DataFrame(manifest, columns=list(MANIFEST_COLUMNS)),
                      pd.DataFrame(mentions, columns=list(ALL_MENTION_COLUMNS)))
