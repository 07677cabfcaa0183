"""The event record and the columns of geoconflict's tables.

Events table (one row per event: one place, one date or date range)
--------------------------------------------------------------------
event_id             stable id (hash of source file, article, place, date and order)
article_id           file name, or the id column of JSON Lines / CSV input
title, url, source   article metadata when given
published            publication date (ISO) or empty
event_date           ISO date: the day, or the first day of a range; empty when unknown
date_start, date_end the span the event lies in (ISO)
date_precision       day, range, week, month, year or unknown
location             the place phrase as written ("Kalat's Manguchar area")
admin1, admin2       province, district in force on the event date (Chaman in 2019: Qilla Abdullah)
admin2_today         district in today's layout (the layout maps are drawn on; admin2_id is its id)
admin2_id            district id, the join key to the district layer
admin3               tehsil, when known
geo_precision        1 town or point, 2 tehsil or area, 3 district, 4 province only
latitude, longitude  point the event is drawn at (EPSG:4326)
actor                BLA, BLF, BRAS, BRG, BLT, UBA, TTP, ISKP, LeJ, Baloch separatists, security forces,
                     unknown... (extract/lexicon/group_names.csv and group_acronyms.csv)
event_type           suicide bombing, cross-border fire, sabotage, bombing/IED, grenade, ambush, abduction,
                     arson, targeted killing, shelling/airstrike, clash, security operation, armed assault,
                     other (the table extract/lexicon/event_types.csv, most specific first)
acled_sub_event_type the matching ACLED sub-event type
target               short phrase naming what was attacked
killed, injured      counts as stated (conservative); empty when the text is vague
killed_civilians, killed_security, killed_militants
evidence             the sentence(s) the event came from
reported_as          main (the report's own incident) or background (an earlier incident the report
                     mentions as context); maps and counts use main rows by default
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["ALL_MENTION_COLUMNS", "COUNT_COLUMNS", "EVENT_COLUMNS", "MANIFEST_COLUMNS", "MENTION_COLUMNS", "Event", "events_to_frame"]

EVENT_COLUMNS = (
    "event_id", "article_id", "title", "url", "source", "published", "event_date", "date_start", "date_end",
    "date_precision", "location", "admin1", "admin2", "admin2_today", "admin2_id", "admin3", "geo_precision", "latitude",
    "longitude", "actor", "event_type", "acled_sub_event_type", "target", "killed", "injured",
    "killed_civilians", "killed_security", "killed_militants", "evidence", "reported_as",
)
COUNT_COLUMNS = ("killed", "injured", "killed_civilians", "killed_security", "killed_militants")

#: Unresolved place mentions table.
MENTION_COLUMNS = ("article_id", "mention", "sentence", "status", "reason", "candidates")

#: Every place-like mention of a run, with its role.
ALL_MENTION_COLUMNS = ("article_id", "sentence_index", "mention", "role", "reason", "status", "admin1", "admin2",
                       "geo_precision", "method")

#: Run manifest: one row per input article.
MANIFEST_COLUMNS = ("article_id", "origin", "status", "reason", "notes", "published", "published_from", "events",
                    "mentions", "mentions_unresolved")


@dataclass(frozen=True)
class Event:
    """One event; fields as in :data:`EVENT_COLUMNS` (dates as ISO strings)."""

    event_id: str
    article_id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    event_date: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str
    location: str
    admin1: str | None
    admin2: str | None
    admin2_id: str | None
    admin3: str | None
    geo_precision: int | None
    latitude: float | None
    longitude: float | None
    actor: str
    event_type: str
    acled_sub_event_type: str
    target: str | None
    killed: int | None
    injured: int | None
    killed_civilians: int | None
    killed_security: int | None
    killed_militants: int | None
    evidence: str
    reported_as: str = "main"
    admin2_today: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The event as a plain dict in column order."""
        return {name: getattr(self, name) for name in EVENT_COLUMNS}


def events_to_frame(events: Iterable[Event]) -> gpd.GeoDataFrame:
    """Build the events GeoDataFrame (points, EPSG:4326) with :data:`EVENT_COLUMNS`.

    Counts are nullable integers (``Int64``) so "not stated" stays distinct from 0.
    """
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame([e.to_dict() for e in events], columns=list(EVENT_COLUMNS))
    for column in (*COUNT_COLUMNS, "geo_precision"):
        frame[column] = frame[column].astype("Int64")
    for column in ("latitude", "longitude"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
