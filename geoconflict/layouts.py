"""District layouts by date: which district each tehsil belonged to, when.

The tehsil (the ADM3 unit of the boundary files) is the stable unit; a district
layout is a table tehsil -> district. Three curated tables hold them:

``gazetteer/tehsils.csv``
    The current layout (``district``: the districts in force at the end of
    2025, 36 in Balochistan) and the census frames (``census_2017``: 32
    districts of the 2017 census; ``census_2023``: 34 districts of the 2023
    census frame).
``gazetteer/layouts.csv``
    Every other period of a tehsil: ``adm3_id, tehsil, district, valid_from,
    valid_to, provisional, source``. ``valid_from`` is inclusive and
    ``valid_to`` exclusive; empty means open. Dates are ``YYYY-MM-DD`` or, where
    only the year of a notification is known, ``YYYY`` (read as 1 January).
    Notified but unverified changes (2026: Tump, Barshore, the renaming of
    Surab) are ``provisional`` and apply only when asked for.
``gazetteer/districts.csv``
    Every district that any layout uses, with its stable id.

Layout names accepted wherever a layout is chosen (``--layout``):

``current``
    Today's verified districts (the default).
``provisional``
    Today's districts with the notified, unverified changes applied.
``2017-census``, ``2023-census``
    The districts of the census frames.
a date
    ``YYYY-MM-DD`` or ``YYYY``: the verified layout in force on that day.

Districts whose split falls inside a tehsil cannot be drawn from tehsils and
are not guessed: Upper Dera Bugti (2026) has no tehsil rows until its
composition is verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping

from . import config
from .districts import read_gazetteer_table
from .errors import InputError
from .normalize import match_key, normalize_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LAYOUT_NAMES",
    "LayoutPeriod",
    "district_on",
    "events_in_layout",
    "layout_districts",
    "layout_periods",
    "parse_layout",
    "tehsil_districts",
]

#: Named layouts; any ISO date (or year) is accepted too.
LAYOUT_NAMES = ("current", "provisional", "2017-census", "2023-census")
_CENSUS_COLUMNS = {"2017-census": "census_2017", "2023-census": "census_2023"}
_DATE = re.compile(r"^\d{4}(?:-\d{2}-\d{2})?$")


@dataclass(frozen=True)
class LayoutPeriod:
    """One row of ``gazetteer/layouts.csv``: a tehsil's district over a period.

    Attributes
    ----------
    adm3_id, tehsil
        The ADM3 unit (boundary file ``shapeID``) and its readable name.
    district
        The district it belonged to (or, if ``provisional``, is notified to join).
    valid_from, valid_to
        First day and first day after the period; None for open ends.
    provisional
        True for notified changes that are not yet verified.
    source
        Evidence for the row.
    """

    adm3_id: str
    tehsil: str
    district: str
    valid_from: date | None
    valid_to: date | None
    provisional: bool
    source: str

    def covers(self, day: date) -> bool:
        """True when ``day`` falls inside the period."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


def _as_date(value: str | date | datetime, *, what: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not _DATE.match(text):
        raise InputError(f"{what} {value!r} is not a date: use YYYY-MM-DD or YYYY")
    try:
        return date(int(text), 1, 1) if len(text) == 4 else date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{what} {value!r} is not a valid date: {exc}") from exc


def parse_layout(layout: str | date) -> str | date:
    """Check a layout choice and return it as a layout name or a date.

    Raises
    ------
    InputError
        If ``layout`` is neither a layout name nor a date.
    """
    if isinstance(layout, date):
        return layout
    text = str(layout).strip().lower()
    if text in LAYOUT_NAMES:
        return text
    if _DATE.match(text):
        return _as_date(text, what="layout date")
    raise InputError(f"unknown district layout {layout!r}; expected one of {', '.join(LAYOUT_NAMES)} "
                     "or a date (YYYY-MM-DD)")


@cache
def layout_periods() -> tuple[LayoutPeriod, ...]:
    """All rows of ``gazetteer/layouts.csv``, in file order."""
    rows = []
    for row in read_gazetteer_table("layouts.csv"):
        rows.append(LayoutPeriod(
            row["adm3_id"], row["tehsil"], row["district"],
            _as_date(row["valid_from"], what="layouts.csv valid_from") if row["valid_from"] else None,
            _as_date(row["valid_to"], what="layouts.csv valid_to") if row["valid_to"] else None,
            row["provisional"].strip().lower() == "yes", row["source"]))
    return tuple(rows)


def _on(day: date, *, provisional: bool) -> Mapping[str, str]:
    """ADM3 id -> district on ``day`` (read-only: one mapping per set of changes in force, shared)."""
    in_force = tuple(k for k, period in enumerate(layout_periods())
                     if period.covers(day) and (provisional or not period.provisional))
    return _with_changes(in_force)


@cache
def _with_changes(in_force: tuple[int, ...]) -> Mapping[str, str]:
    """Today's tehsil -> district mapping with the changes of ``layout_periods()[k]`` for ``k`` in ``in_force``
    (built once per set: every event of an archive asks for the layout on its own day)."""
    mapping = {row["adm3_id"]: row["district"] for row in read_gazetteer_table("tehsils.csv")}
    periods = layout_periods()
    for k in in_force:
        mapping[periods[k].adm3_id] = periods[k].district
    return MappingProxyType(mapping)


def tehsil_districts(layout: str | date = "current") -> dict[str, str]:
    """Return the layout as a mapping ADM3 ``shapeID`` -> district name (Balochistan tehsils).

    Parameters
    ----------
    layout
        A name of :data:`LAYOUT_NAMES` or a date (see the module docstring).

    Raises
    ------
    InputError
        If the layout is unknown.
    """
    choice = parse_layout(layout)
    return dict(_tehsil_districts(choice))


@cache
def _tehsil_districts(choice: str | date) -> tuple[tuple[str, str], ...]:
    rows = read_gazetteer_table("tehsils.csv")
    if choice == "current":
        mapping = {row["adm3_id"]: row["district"] for row in rows}
    elif isinstance(choice, str) and choice in _CENSUS_COLUMNS:
        mapping = {row["adm3_id"]: row[_CENSUS_COLUMNS[choice]] for row in rows}
    elif choice == "provisional":
        mapping = _on(date.today(), provisional=True)
    else:
        assert isinstance(choice, date)
        mapping = _on(choice, provisional=False)
    return tuple(sorted(mapping.items()))


def layout_districts(layout: str | date = "current") -> list[str]:
    """Return the names of the Balochistan districts of a layout, sorted."""
    return sorted(set(tehsil_districts(layout).values()))


@cache
def _names() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Match keys of tehsil names (-> ADM3 ids) and of district names ever used."""
    tehsils: dict[str, set[str]] = {}

    def add(name: str, adm3_id: str) -> None:
        key = match_key(normalize_name(name))
        if key:
            tehsils.setdefault(key, set()).add(adm3_id)

    by_name: dict[str, str] = {}
    for row in read_gazetteer_table("tehsils.csv"):
        add(row["tehsil"], row["adm3_id"])
        add(row["adm3_name"], row["adm3_id"])
        add(row["adm3_id"], row["adm3_id"])
        by_name.setdefault(row["tehsil"], row["adm3_id"])
    for row in read_gazetteer_table("census_tehsils.csv"):
        if row["adm3_id"]:
            add(row["census_tehsil"], row["adm3_id"])
    for row in read_gazetteer_table("aliases.csv"):  # renamed or respelt tehsils (Sanjawi, Kot Mandai, ...)
        if row["target"] in by_name:
            add(row["alias"], by_name[row["target"]])
    districts = {match_key(normalize_name(r["district"])) for r in read_gazetteer_table("districts.csv")}
    return {k: frozenset(v) for k, v in tehsils.items()}, frozenset(districts)


@cache
def _district_names() -> dict[str, str]:
    return {match_key(normalize_name(r["district"])): r["district"] for r in read_gazetteer_table("districts.csv")}


def district_on(place: str, on: str | date | datetime, *, provisional: bool = False) -> str | None:
    """Return the district a tehsil or district belonged to on a date.

    This is what an event's ``admin2`` (the district in force at the event's
    date) is computed with; ``admin2_today`` is the resolver's current
    district (``district_on(place, date.today())`` gives the same).

    Parameters
    ----------
    place
        A Balochistan tehsil (``"Chaman"``, ``"Gandakha"``, an ADM3 ``shapeID``,
        a census spelling such as ``"Kot Mandai"``) or a district name
        (``"Hub"``, ``"Qilla Abdullah"``); spelling variants are matched like
        the resolver does. A name that is both a tehsil and a district
        (``"Chaman"``) is read as the tehsil: the district of the same name is
        that tehsil's district or was carved around it.
    on
        The date (``date``, ``datetime`` or ``"YYYY-MM-DD"``).
    provisional
        Apply notified but unverified changes (Tump, Barshore, Shaheed
        Sikandarabad from 2026).

    Returns
    -------
    str or None
        The district name, or None when ``place`` is not a Balochistan tehsil
        or district, or is a district whose tehsils were then split between
        several districts (an answer would be a guess).

    Raises
    ------
    InputError
        If ``on`` is not a date.

    Notes
    -----
    Changes known only by year take effect on 1 January of that year, so
    dates inside such a year may be wrong by a few months.

    Examples
    --------
    >>> district_on("Chaman", "2019-05-01")
    'Qilla Abdullah'
    >>> district_on("Chaman", "2024-05-01")
    'Chaman'
    >>> district_on("Hub", "2015-01-01")
    'Lasbela'
    """
    day = _as_date(on)
    mapping = _on(day, provisional=provisional)
    tehsil_keys, district_keys = _names()
    key = match_key(normalize_name(str(place)))
    if not key:
        return None
    units = tehsil_keys.get(key)
    if units:
        found = {mapping[u] for u in units}
        return found.pop() if len(found) == 1 else None
    if key not in district_keys:
        return None
    name = _district_names()[key]
    if name in mapping.values():
        return name
    # the district did not exist then: the district its tehsils (today's, or while it existed) were in
    members = {a for a, d in _on(date.today(), provisional=provisional).items() if d == name}
    members |= {p.adm3_id for p in layout_periods() if p.district == name}
    found = {mapping[u] for u in members}
    return found.pop() if len(found) == 1 else None


def events_in_layout(events: pd.DataFrame, layout: str | date) -> pd.DataFrame:
    """Return a copy of an events table whose Balochistan events are ready for another layout's polygons.

    The events' ``admin2_id`` belongs to the current districts; for another
    layout it is cleared on Balochistan rows, so the map placing step
    assigns each event to the layout's district by point-in-polygon (events
    are drawn at their own point or their tehsil's, which lie inside one
    district of every layout; an event known only at district level is
    drawn at that district's representative point). ``admin2`` is set to the
    layout's district where the tehsil (``admin3``) names one unit.

    Raises
    ------
    InputError
        If the layout is unknown.
    """
    choice = parse_layout(layout)
    frame = events.copy()
    if choice == "current" or "admin2_id" not in frame:
        return frame
    if "admin1" not in frame.columns:
        return frame
    in_province = frame["admin1"] == config.PROVINCE
    frame.loc[in_province, "admin2_id"] = None
    if "admin3" in frame and "admin2" in frame:
        mapping = tehsil_districts(choice)
        tehsil_keys, _ = _names()

        def layout_district(tehsil: object) -> object:
            units = tehsil_keys.get(match_key(normalize_name(str(tehsil)))) if isinstance(tehsil, str) else None
            found = {mapping[u] for u in units} if units else set()
            return found.pop() if len(found) == 1 else None

        mapped = frame.loc[in_province, "admin3"].map(layout_district)
        frame.loc[in_province & mapped.reindex(frame.index).notna(), "admin2"] = mapped.dropna()
    return frame
