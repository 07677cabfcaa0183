"""Incidents of an events table held as a Dask DataFrame: one district per partition after a shuffle.

:func:`~geoconflict.incidents.incidents_from_events` compares only rows of
the same block: a district (``admin2_id``, else ``admin2``), a province for
rows placed only in one, or no block for rows that can be compared with
nothing. So a table of any size is shuffled on that block key (Dask's own
shuffle: every row of a block lands in the same partition), each partition is
grouped with the same function on a worker, and the partitions' incidents,
small beside the events, are gathered and put in the serial table's order.
Incident ids hash their member event ids, so they do not depend on the
partitions: the table equals the serial one.

Not here: ``neighbours`` (incidents of neighbouring tehsils merged across a
district border) crosses blocks, so it needs the serial function.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from .incidents import IncidentRules

__all__ = ["incidents_from_events_dask"]

logger = logging.getLogger(__name__)

_BLOCK = "_geoconflict_block"


def _with_block(part: pd.DataFrame) -> pd.DataFrame:
    """The partition with the block key of each row, as the grouping computes it."""
    from ._grouping import Rows

    return part.assign(**{_BLOCK: Rows(part.reset_index(drop=True)).block})


def _incidents_of(part: pd.DataFrame, rules: IncidentRules | None) -> pd.DataFrame:
    from .incidents import incidents_from_events

    return incidents_from_events(part.drop(columns=_BLOCK), rules=rules)


def incidents_from_events_dask(events: Any, *, rules: IncidentRules | None = None,
                               npartitions: int | None = None) -> pd.DataFrame:
    """Group the events of a Dask (Geo)DataFrame into incidents, block by block on the cluster.

    Parameters
    ----------
    events
        A Dask DataFrame or ``dask_geopandas.GeoDataFrame`` with the columns of
        an events table (see :func:`~geoconflict.incidents.incidents_from_events`).
    rules
        Window, toll and casualty settings (default
        :class:`~geoconflict.incidents.IncidentRules`).
    npartitions
        Partitions after the shuffle (default: those of ``events``); a
        partition holds whole districts.

    Returns
    -------
    pandas.DataFrame
        The incidents table, equal to ``incidents_from_events(events.compute(), rules=rules)``.

    Raises
    ------
    InputError
        If Dask is not installed, or the table lacks ``event_id`` or
        ``article_id``, or has empty or repeated event ids.
    """
    try:
        import dask
        import pandas as pd
    except ImportError as exc:
        raise InputError("incidents on Dask need dask: pip install 'geoconflict[dask]'") from exc
    from ._incident_table import in_incident_order
    from .incidents import INCIDENT_COLUMNS

    missing = [c for c in ("event_id", "article_id") if c not in events.columns]
    if missing:
        raise InputError(f"an events table needs the columns {', '.join(missing)} to be grouped into incidents")
    frame = events.drop(columns=[c for c in ("geometry",) if c in events.columns])
    ids = frame["event_id"]
    rows, distinct, empty = dask.compute(ids.size, ids.nunique(), ids.isna().sum())
    if empty or distinct != rows:
        raise InputError(f"event ids must be present and unique to group events: {int(empty)} empty, "
                         f"{int(rows - empty - distinct)} repeated")
    keyed = frame.map_partitions(_with_block, meta=frame._meta.assign(**{_BLOCK: pd.Series([], dtype=object)}))
    shuffled = keyed.shuffle(on=_BLOCK, npartitions=npartitions or keyed.npartitions)
    tables = dask.compute(*[dask.delayed(_incidents_of)(part, rules) for part in shuffled.to_delayed()])
    tables = [table for table in tables if len(table)]
    logger.info("%d events -> incidents in %d partition(s)", rows, len(tables))
    if not tables:
        return pd.DataFrame(columns=list(INCIDENT_COLUMNS))
    return in_incident_order(pd.concat(tables, ignore_index=True))
