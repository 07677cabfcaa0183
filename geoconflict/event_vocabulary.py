"""The event-type vocabulary, read from one table: ``extract/lexicon/event_types.csv``.

Each row is a type (``term``), its family (``role``: types of one family can be
one incident told in different words, e.g. a "bombing/IED" and a "sabotage" of
a railway track), and ACLED's sub-event type for it. Rows run from the most
specific type to the least, so the order ranks types too. Extraction, incident
grouping and the ACLED export all read it from here; it is small and read
without importing the extraction package.
"""

from __future__ import annotations

import csv
from importlib import resources

__all__ = ["ACLED_SUB_EVENT", "TYPE_FAMILIES", "TYPE_ORDER", "TYPE_RANK"]


def _rows() -> tuple[dict[str, str], ...]:
    source = resources.files("geoconflict").joinpath("extract", "lexicon", "event_types.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        return tuple(row for row in csv.DictReader(handle) if row["term"].strip())


_TYPES = _rows()
#: Every event type, most specific first ("other" last).
TYPE_ORDER: tuple[str, ...] = tuple(row["term"] for row in _TYPES)
#: Event type -> rank (lower is more specific).
TYPE_RANK: dict[str, int] = {name: rank for rank, name in enumerate(TYPE_ORDER)}
#: Event type -> family; types of one family can be the same incident told by different outlets.
TYPE_FAMILIES: dict[str, str] = {row["term"]: row["role"] for row in _TYPES if row["role"]}
#: Event type -> ACLED sub-event type (for armed assault and ambush ACLED's depends on the target:
#: see :func:`geoconflict.extract.event_types.acled_sub_event_type`).
ACLED_SUB_EVENT: dict[str, str] = {row["term"]: row["acled_sub_event_type"] for row in _TYPES}
