"""ACLED's table layout: read ACLED exports, write incidents in ACLED's columns and vocabularies.

ACLED (Armed Conflict Location & Event Data) exports have one row per event
with, among others, ``event_id_cnty``, ``event_date``, ``year``,
``time_precision`` (1 day, 2 week, 3 month), ``disorder_type``,
``event_type``, ``sub_event_type``, ``actor1``, ``country``, ``admin1``,
``admin2``, ``admin3``, ``location``, ``latitude``, ``longitude``,
``geo_precision`` (1 town, 2 near a town or a part of a district, 3 district
or larger), ``source``, ``notes``, ``fatalities`` (0 when none are reported)
and ``timestamp`` (Unix time of the row's last change). Event dates come as
ISO dates or, in older exports, as "05 March 2024".

Written rows have every column of an ACLED export except the interaction
codes (``inter1``, ``inter2``, ``interaction``), in ACLED's order, so they
can be appended to an export. ``actor1`` is the group's name as geoconflict
knows it (no ACLED actor dictionary ids); ``actor2`` is ACLED's
"Civilians (Pakistan)" when civilians were the target (``civilian_targeting``
"Civilian targeting", as ACLED marks it) and empty otherwise, since ACLED names
state forces with the years of a government, which a report does not give;
``assoc_actor_1``, ``assoc_actor_2``, ``source_scale`` and ``tags`` are empty.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACLED_EXPORT_COLUMNS",
    "ACLED_REQUIRED_COLUMNS",
    "ACLED_SUB_EVENT_TYPES",
    "incidents_to_acled",
    "load_acled",
]

logger = logging.getLogger(__name__)

#: ACLED's event type of each sub-event type (ACLED codebook).
ACLED_SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
#: ACLED's disorder type of each event type.
ACLED_DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Strategic developments": "Strategic developments",
}
#: geoconflict date precision -> ACLED time_precision.
TIME_PRECISION = {"day": 1, "range": 2, "week": 2, "month": 3, "year": 3}
#: geoconflict actor -> actor1 as written.
ACTOR_NAMES = {
    "BLA": "BLA: Balochistan Liberation Army",
    "BLF": "BLF: Balochistan Liberation Front",
    "BRAS": "BRAS: Baloch Raaji Aajoi Sangar",
    "BRG": "BRG: Baloch Republican Guards",
    "UBA": "UBA: United Baloch Army",
    "TTP": "TTP: Tehreek-i-Taliban Pakistan",
    "ISKP": "ISKP: Islamic State Khorasan Province",
    "LeJ": "LeJ: Lashkar-e-Jhangvi",
    "BNA": "BNA: Baloch Nationalist Army",
    "SRA": "SRA: Sindhudesh Revolutionary Army",
    "IMP": "IMP: Ittehad-ul-Mujahideen Pakistan",
    "security forces": "Military Forces of Pakistan",
    "unknown": "Unidentified Armed Group (Pakistan)",
}

#: Columns written by :func:`incidents_to_acled`, in ACLED's order.
ACLED_EXPORT_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "civilian_targeting", "iso", "region", "country",
    "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
#: ACLED's country fields for Pakistan: ISO 3166 numeric code and ACLED region.
PAKISTAN = {"iso": 586, "region": "Southern Asia", "country": "Pakistan"}
#: ACLED's actor name for the civilians of Pakistan, and its mark for events that target civilians.
CIVILIANS = "Civilians (Pakistan)"
CIVILIAN_TARGETING = "Civilian targeting"
#: Columns an ACLED export must have to be compared.
ACLED_REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "admin1", "admin2", "fatalities")


def incidents_to_acled(incidents: pd.DataFrame, *, timestamp: int | None = None) -> pd.DataFrame:
    """Incidents in ACLED's layout, to append to an ACLED export.

    Parameters
    ----------
    incidents
        An incidents table (:func:`geoconflict.incidents_from_events`).
    timestamp
        Unix time written in ``timestamp`` (default: now).

    Returns
    -------
    pandas.DataFrame
        One row per dated incident with :data:`ACLED_EXPORT_COLUMNS`.
        ``event_id_cnty`` is ``GC-`` and the incident id, so it never collides
        with ACLED's ids; ``fatalities`` is 0 where no report gives a toll
        (ACLED's convention), which ``notes`` says. Undated incidents are
        left out (ACLED rows need a date) and counted in the log.

    Raises
    ------
    InputError
        When the table is not an incidents table.
    """
    import pandas as pd

    if "incident_id" not in incidents:
        raise InputError("ACLED export needs an incidents table (with incident_id); group events first")
    frame = pd.DataFrame(incidents.drop(columns="geometry", errors="ignore"))
    dated = frame["date_start"].astype("string").fillna("").str.len() >= 10
    if (~dated).any():
        logger.warning("%d undated incidents are not written in ACLED's layout (ACLED rows need a date)",
                       int((~dated).sum()))
    frame = frame[dated]
    sub = frame["acled_sub_event_type"].astype("string").fillna("Other")
    sub = sub.where(sub.isin(list(ACLED_SUB_EVENT_TYPES)), "Other")
    event_type = sub.map(ACLED_SUB_EVENT_TYPES)
    killed = pd.to_numeric(frame["killed"], errors="coerce")
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    civilian = _civilian_targeting(event_type, frame.get("target"))
    out = pd.DataFrame({
        "event_id_cnty": "GC-" + frame["incident_id"].astype(str),
        "event_date": frame["date_start"].astype(str).str.slice(0, 10),
        "year": frame["date_start"].astype(str).str.slice(0, 4).astype(int),
        "time_precision": frame["date_precision"].map(TIME_PRECISION).fillna(3).astype(int),
        "disorder_type": event_type.map(ACLED_DISORDER_TYPES),
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": frame["actor"].fillna("unknown").map(lambda a: ACTOR_NAMES.get(a, a)),
        "assoc_actor_1": "", "actor2": civilian.map({True: CIVILIANS, False: ""}), "assoc_actor_2": "",
        "civilian_targeting": civilian.map({True: CIVILIAN_TARGETING, False: ""}),
        **PAKISTAN,
        "admin1": frame["admin1"], "admin2": frame["admin2"], "admin3": frame["admin3"],
        "location": frame["location"],
        "latitude": pd.to_numeric(frame["latitude"], errors="coerce").round(4),
        "longitude": pd.to_numeric(frame["longitude"], errors="coerce").round(4),
        "geo_precision": pd.to_numeric(frame["geo_precision"], errors="coerce").clip(upper=3).astype("Int64"),
        "source": frame["sources"].fillna(""), "source_scale": "",
        "notes": [_notes({str(k): v for k, v in row.items()}) for row in frame.to_dict("records")],
        "fatalities": killed.fillna(0).astype(int), "tags": "",
        "timestamp": stamp,
    })
    return out[list(ACLED_EXPORT_COLUMNS)].reset_index(drop=True)


def _civilian_targeting(event_type: pd.Series, target: pd.Series | None) -> pd.Series:
    """True where civilians were the target: violence against civilians, or a target naming only civilians."""
    from .incidents import target_kinds

    against = event_type == "Violence against civilians"
    if target is None:
        return against
    only_civilians = target.map(lambda t: target_kinds(t) == frozenset({"civilians"}))
    return against | (only_civilians.astype(bool) & (event_type == "Explosions/Remote violence"))


def _when(start: str, end: str, precision: str) -> str:
    """The date as precisely as it is known: ``On 2025-10-05``, ``In October 2025``, ``Between ... and ...``."""
    import pandas as pd

    first = pd.to_datetime(start, errors="coerce")
    if precision == "month" and not pd.isna(first):
        return f"In {first.strftime('%B %Y')}"
    if precision == "year" and not pd.isna(first):
        return f"In {first.year}"
    if precision in ("week", "range") and end and end[:10] != start[:10]:
        return f"Between {start[:10]} and {end[:10]}"
    return f"On {start}"


def _notes(row: dict[str, object]) -> str:
    def text(key: str) -> str:
        value = row.get(key)
        return "" if value is None or value != value else str(value)  # noqa: PLR0124 - NaN check

    actor = text("actor")
    by = f" by {actor}" if actor and actor != "unknown" else " by an unidentified group"
    when = _when(text("date_start"), text("date_end"), text("date_precision"))
    parts = [f"{when}, {text('event_type') or 'attack'}{by}"]
    if text("target"):
        parts.append(f" on {text('target')}")
    parts.append(f" in {text('location') or text('admin2') or text('admin1')}")
    if text("admin2") and text("admin2") != text("location"):
        parts.append(f" ({text('admin2')})")
    parts.append(".")
    low, high = text("killed_min"), text("killed_max")
    if not low:
        parts.append(" [fatalities not reported]")
    elif low != high:
        parts.append(f" Reported tolls range from {low} to {high}; the lowest is coded.")
    parts.append(f" {text('n_reports') or 1} report(s): {text('article_ids')}.")
    return "".join(parts)


def load_acled(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an ACLED export (CSV) for comparison.

    Adds ``date`` (ISO string, empty when the row's ``event_date`` is not a
    date) and ``fatalities`` as numbers; keeps every row.

    Raises
    ------
    InputError
        When the file is missing, unreadable, or lacks
        :data:`ACLED_REQUIRED_COLUMNS`.
    """
    import pandas as pd

    file = Path(path)
    if not file.is_file():
        raise InputError(f"ACLED file {str(path)!r} does not exist")
    try:
        frame = pd.read_csv(file, dtype={"event_id_cnty": str, "admin1": str, "admin2": str, "admin3": str},
                            keep_default_na=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read ACLED file {str(path)!r}: {exc}") from exc
    missing = [c for c in ACLED_REQUIRED_COLUMNS if c not in frame]
    if missing:
        raise InputError(f"{str(path)!r} is not an ACLED export: it lacks the columns {', '.join(missing)}")
    frame["date"] = _acled_dates(frame["event_date"])
    frame["fatalities"] = pd.to_numeric(frame["fatalities"], errors="coerce")
    for column in ("latitude", "longitude", "geo_precision"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else float("nan")
    return frame


def _acled_dates(values: pd.Series) -> pd.Series:
    """ISO dates from ACLED's ``event_date`` (ISO or "05 March 2024"); empty when neither."""
    import pandas as pd

    text = values.astype("string").fillna("").str.strip()
    iso = pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")
    long = pd.to_datetime(text, errors="coerce", format="%d %B %Y")
    stamps = iso.fillna(long)
    return stamps.dt.strftime("%Y-%m-%d").fillna("")
