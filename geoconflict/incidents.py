"""One incident, many reports: group the events of an events table into incidents.

Several outlets report the same attack, and later reports mention it again as
background. Each report yields its own event row; this module groups the rows
that describe one incident, so that maps and counts count attacks, not reports.

How rows are grouped (every rule is in :class:`IncidentRules`)
-------------------------------------------------------------
Rows are *blocked*: only rows of the same district (``admin2_id``, else
``admin2``) are ever compared; rows known only to a province are compared with
other province-only rows of that province. Within a block the rows are sorted
by date and swept once; a row is compared only with the incidents still
"open" (whose dates lie within ``window_days`` of it), never with all pairs.

A row joins an open incident when all of these hold, against every report
already in it:

* it comes from another article (one article's separate events stay apart);
* its date span lies within ``window_days`` of every member's span;
* its event type is compatible (same family: shootings, explosions, ...;
  ``other`` is compatible with anything);
* its actor is the same, or one of them is unknown;
* its death toll is compatible: the larger figure is at most
  ``3 * smaller + 3`` (tolls rise from "at least 5" to 7, not from 1 to 30);
* its target kind (security forces, police, civilians, infrastructure...)
  overlaps, when both name one;
* when both are placed in a tehsil (area precision or better), it is the
  same tehsil, or a neighbouring one when a neighbours table is given.

When several open incidents fit, the one agreeing on most of type, actor,
tehsil and target wins, then the nearest in date, then the oldest. Rows whose
date is only a month or a year (background mentions, typically) are placed
after the sweep: they join the one compatible incident of their block whose
date lies in their span, and stay apart, with the reason, when there is none
or more than one. Undated rows cannot be compared and stay single.

Each incident records why its reports were merged (``merge_reason``); the
result depends on the events table alone and on nothing else (not on row
order), so the incidents table can be regenerated from the events table.

Incident figures
----------------
Location: the most precise among its reports (lowest ``geo_precision``, then
the place most reports name, then the earliest report). Date: the most
common date among the reports with the finest date precision. Actor and type:
the most common known value. Casualties follow ``casualty_rule``:
``"lowest"`` (default, ACLED's conservative rule: the lowest figure any report
of the incident itself states; background mentions count only when no
main report gives one) or ``"latest"`` (the figure of the latest report that
states one). ``killed_min``/``killed_max`` always record the full range.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from .errors import InputError
from .event_vocabulary import TYPE_FAMILIES, TYPE_ORDER

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "INCIDENT_COLUMNS",
    "IncidentRules",
    "family_of",
    "incidents_from_events",
    "incidents_to_events",
    "table_for_unit",
    "target_kinds",
    "tehsil_neighbours",
]

logger = logging.getLogger(__name__)

CasualtyRule = Literal["lowest", "latest"]

#: Columns of the incidents table, in order.
INCIDENT_COLUMNS = (
    "incident_id", "n_reports", "n_events", "article_ids", "sources", "reports", "event_ids",
    "first_report", "last_report", "event_date", "date_start", "date_end", "date_precision", "location",
    "admin1", "admin2", "admin2_id", "admin3", "geo_precision", "latitude", "longitude", "actor", "event_type",
    "acled_sub_event_type", "target", "killed", "killed_min", "killed_max", "injured", "injured_min",
    "injured_max", "killed_civilians", "killed_security", "killed_militants", "reported_as", "title", "url",
    "evidence", "merge_reason",
)

#: Types that say nothing about the incident (compatible with every type).
GENERIC_TYPES = frozenset({"other", "", "unknown"})
#: Actors that say nothing (compatible with every actor).
UNKNOWN_ACTORS = frozenset({"", "unknown"})
#: Target kind -> words of a target phrase that name it. A phrase may name several kinds; a phrase
#: naming none ("a checkpoint", "the area") constrains nothing. A checkpoint is a place that police,
#: Levies, FC or army may hold, so it names no kind by itself.
TARGET_KINDS: dict[str, str] = {
    "security forces": r"security|soldier|troop|army|military|\bfc\b|frontier\s+corps|convoy|levies|cantonment|"
                       r"personnel|\bctd\b|coast\s*guard",
    "police": r"police|policem[ae]n|constable|\bctd\b|levies",
    "civilians": r"civilian|passenger|\bbus\b|labou?rer|worker|villager|resident|student|teacher|journalist|"
                 r"shop|market|bazaar|traveller|traveler|pilgrim|people|family|house|home|school|mosque",
    "infrastructure": r"pipeline|railway|rail\s+track|train|bridge|tower|pylon|power|electric|gas\b|"
                      r"infrastructure|\bdam\b",
    "government": r"government|office|official|administration|election|polling|court",
}
_FAMILY_OF = {kind.lower(): family for kind, family in TYPE_FAMILIES.items()}
_TARGET_PATTERNS = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in TARGET_KINDS.items()}
#: Date precision -> rank (lower is finer).
DATE_RANK = {"day": 0, "range": 1, "week": 2, "month": 3, "year": 4, "unknown": 5}

@dataclass(frozen=True)
class IncidentRules:
    """The settings of the grouping, in one place.

    Attributes
    ----------
    window_days
        Two reports' date spans may be this many days apart (default 1: "last
        night" and "on Tuesday" in reports published a day apart).
    max_precise_span
        Rows whose date span is at most this many days are swept; longer spans
        (month, year) are placed afterwards.
    toll_factor, toll_slack
        Two death tolls a and b (a <= b) are compatible when
        ``b <= toll_factor * a + toll_slack``.
    casualty_rule
        ``"lowest"`` (ACLED's conservative rule) or ``"latest"``; see the module docstring.
    """

    window_days: int = 1
    max_precise_span: int = 7
    toll_factor: float = 3.0
    toll_slack: int = 3
    casualty_rule: CasualtyRule = "lowest"

    def __post_init__(self) -> None:
        if self.window_days < 0:
            raise InputError(f"window_days must be 0 or more, not {self.window_days!r}")
        if self.casualty_rule not in ("lowest", "latest"):
            raise InputError(f"casualty_rule must be 'lowest' or 'latest', not {self.casualty_rule!r}")


@lru_cache(maxsize=65536)
def _kinds_of(target: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _TARGET_PATTERNS.items() if pattern.search(target))


def family_of(event_type: str) -> str | None:
    """The family of an event type (None for types that say nothing, such as ``other``).

    Examples
    --------
    >>> family_of("suicide bombing"), family_of("other")
    ('explosion', None)
    """
    kind = event_type.strip().lower()
    return None if kind in GENERIC_TYPES else _FAMILY_OF.get(kind, kind)


def target_kinds(target: object) -> frozenset[str]:
    """The kinds of target a target phrase names (empty when it names none).

    Examples
    --------
    >>> sorted(target_kinds("an FC convoy"))
    ['security forces']
    """
    if not isinstance(target, str) or not target.strip():
        return frozenset()
    return _kinds_of(target)



def incidents_from_events(events: pd.DataFrame, *, rules: IncidentRules | None = None,
                          neighbours: Mapping[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """Group the events of an events table into incidents.

    Parameters
    ----------
    events
        An events table (``geoconflict extract`` output, or any frame with its
        columns; ``reported_as`` is optional and missing or empty means
        ``main``).
    rules
        Window, toll and casualty settings (default :class:`IncidentRules`).
    neighbours
        Optional ``"District/Tehsil"`` -> neighbouring ``"District/Tehsil"``
        keys (see :func:`tehsil_neighbours`). With it, rows of neighbouring
        tehsils can be one incident, across a district border too when every
        report of both is placed in a tehsil; without it, rows placed in
        different tehsils stay apart.

    Returns
    -------
    pandas.DataFrame
        One row per incident with :data:`INCIDENT_COLUMNS`, ordered by date
        then district. ``incident_id`` is a hash of the member event ids.

    Raises
    ------
    InputError
        When the table lacks ``event_id`` or ``article_id``, or has duplicate event ids.
    """
    import numpy as np
    import pandas as pd

    rules = rules or IncidentRules()
    missing = [c for c in ("event_id", "article_id") if c not in events]
    if missing:
        raise InputError(f"an events table needs the columns {', '.join(missing)} to be grouped into incidents")
    frame = pd.DataFrame(events.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=list(INCIDENT_COLUMNS))
    ids = frame["event_id"].astype("string")
    if ids.isna().any() or ids.duplicated().any():
        bad = ids[ids.isna() | ids.duplicated()].head(3).tolist()
        raise InputError(f"event ids must be present and unique to group events; repeated or empty: {bad!r}")
    from ._grouping import Grouper, Rows, sort_order
    from ._incident_table import summarise

    # The sweep and the summary build millions of small containers and no reference cycles; the cyclic
    # garbage collector would rescan all of them again and again (half the time of a million-event table).
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = Rows(frame)
        grouper = Grouper(rows, rules, neighbours)
        grouper.run(sort_order(rows, frame))
        label = np.array(grouper.label)
        logger.info("%d events -> %d incidents", len(frame), len(grouper.incidents))
        return summarise(frame, rows, label, grouper.incidents, rules)
    finally:
        if collecting:
            gc.enable()



def incidents_to_events(incidents: pd.DataFrame) -> pd.DataFrame:
    """An events-like table of incidents, for the renderers: one row per incident.

    ``event_id`` is the incident id and ``article_id`` lists every report
    behind the incident (so map popups show them all); the other columns keep
    the event table's names.

    Raises
    ------
    InputError
        When the table is not an incidents table.
    """
    import pandas as pd

    if "incident_id" not in incidents:
        raise InputError("not an incidents table: it has no incident_id column")
    frame = pd.DataFrame(incidents.drop(columns="geometry", errors="ignore")).copy()
    count = frame["n_reports"] if "n_reports" in frame else pd.Series(1, index=frame.index)
    n = pd.to_numeric(count, errors="coerce").fillna(1).astype(int)
    column = "reports" if "reports" in frame else "article_ids"
    reports = frame[column].astype("string").fillna("")
    frame["event_id"] = frame["incident_id"]
    frame["article_id"] = (n.astype(str) + " report" + n.map(lambda k: "" if k == 1 else "s").astype(str) + ": "
                           + reports).where(n > 1, reports)
    return frame


def table_for_unit(table: pd.DataFrame, unit: str, *,
                   neighbours: Mapping[str, frozenset[str]] | None = None) -> pd.DataFrame:
    """The rows maps and counts use: one per incident (``"incidents"``) or per event (``"events"``).

    An events table is grouped into incidents for ``"incidents"`` (with
    ``neighbours`` as in :func:`incidents_from_events`); an
    incidents table is drawn as it is; an ACLED export (already one row per
    event as ACLED coded it) is returned unchanged for either unit.

    Raises
    ------
    InputError
        For another unit, or ``"events"`` asked of an incidents table.
    """
    if unit not in ("incidents", "events"):
        raise InputError(f"unit must be 'incidents' or 'events', not {unit!r}")
    if "event_id_cnty" in table or "fatalities" in table:
        return table
    if "incident_id" in table:
        if unit == "events":
            raise InputError("this is an incidents table: map its events table for --unit events")
        return incidents_to_events(table)
    if unit == "events" or not {"event_id", "article_id"} <= set(table.columns):
        return table
    return incidents_to_events(incidents_from_events(table, neighbours=neighbours))


def tehsil_neighbours(tehsils: gpd.GeoDataFrame, *, tolerance_m: float = 100.0) -> dict[str, frozenset[str]]:
    """Which tehsils border which, as ``"District/Tehsil"`` keys (the form rows are compared in).

    Parameters
    ----------
    tehsils
        The tehsil layer (``load_admin_layers().tehsils``: columns ``admin2``, ``admin3``, ``geometry``).
    tolerance_m
        Polygons closer than this many metres count as neighbours (the boundary
        files leave small gaps along shared borders).

    Returns
    -------
    dict of str to frozenset of str
    """
    import geopandas as gpd

    layer = tehsils[["admin2", "admin3", "geometry"]].dropna(subset=["admin2", "admin3"]).copy()
    layer["key"] = layer["admin2"].astype(str) + "/" + layer["admin3"].astype(str)
    layer = layer.dissolve(by="key", as_index=False)[["key", "geometry"]].to_crs("EPSG:6933")
    grown = gpd.GeoDataFrame(layer[["key"]], geometry=layer.buffer(tolerance_m), crs=layer.crs)
    pairs = gpd.sjoin(grown, layer, how="inner", predicate="intersects")
    out: dict[str, set[str]] = {}
    for left, right in zip(pairs["key_left"], pairs["key_right"]):
        if left != right:
            out.setdefault(left, set()).add(right)
    return {key: frozenset(value) for key, value in out.items()}
