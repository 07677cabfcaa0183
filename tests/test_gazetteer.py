"""The curated tables and the places built from them."""

from __future__ import annotations

import os

import pytest

from geoconflict._geonames import load_towns
from geoconflict.districts import read_gazetteer_table
from geoconflict.errors import InputError
from geoconflict.gazetteer_index import load_gazetteer
from geoconflict.resolver import Resolver


@pytest.mark.parametrize("table", ["districts.csv", "tehsils.csv", "places.csv", "aliases.csv", "foreign.csv"])
def test_every_curated_row_has_a_source(table):
    rows = read_gazetteer_table(table)
    assert rows
    assert all(row["source"].strip() for row in rows)


def test_non_places_have_reasons():
    assert all(row["reason"].strip() for row in read_gazetteer_table("non_places.csv"))


def test_geonames_towns_fall_in_the_province_geonames_gives_them(gazetteer):
    """Point-in-polygon against the boundary files agrees with GeoNames' own admin1 codes."""
    admin1_by_id = {str(t["geonameid"]): t["admin1code"] for t in load_towns() if t["countrycode"] == "PK"}
    towns = [p for p in gazetteer.places if p.kind == "town" and p.source.startswith("GeoNames ")]
    bal = [p for p in towns if admin1_by_id[p.source.split()[1]] == "02"]
    assert len(bal) >= 45
    agree = sum(p.admin1 == "Balochistan" for p in bal)
    assert agree / len(bal) >= 0.95


def test_curated_coordinates_are_never_invented(gazetteer):
    """A curated area sits at its parent's coordinates or at its district's representative point."""
    sources = {(p.latitude, p.longitude) for p in gazetteer.places if p.kind in ("town", "tehsil", "district")}
    curated = [p for p in gazetteer.places if p.kind == "area"]
    assert len(curated) >= 30
    for place in curated:
        assert (place.latitude, place.longitude) in sources, place


def test_curated_places_lie_in_their_district(gazetteer, layers):
    import geopandas as gpd

    districts = layers.districts.set_index("admin2")
    for place in gazetteer.places:
        if place.kind == "area" and place.geo_precision == 2:
            point = gpd.points_from_xy([place.longitude], [place.latitude])[0]
            assert districts.loc[place.admin2, "geometry"].buffer(0.02).contains(point), place


def test_user_aliases_extend_the_gazetteer(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,target\nKoh Pusht Giab,Mand\nXylozabad,Kech\n", encoding="utf-8")
    resolver = Resolver(load_gazetteer(aliases=aliases))
    mand = resolver.resolve("Koh Pusht Giab")
    assert (mand.status, mand.admin2, mand.admin3, mand.method) == ("resolved", "Kech", "Mand", "alias")
    assert resolver.resolve("Xylozabad").admin2 == "Kech"
    # the shared gazetteer is not changed by one caller's aliases
    assert Resolver(load_gazetteer()).resolve("Xylozabad").status == "unresolved"


@pytest.mark.parametrize("content, message", [
    ("alias,target\nFoo,Atlantis\n", "Atlantis"),
    ("alias,target\nonly-one-column\n", "line 2"),
    ("alias,district\nKoh Pusht Giab,Mand\n", r"line 1: the header must be 'alias,target'.*'alias,district'"),
    ("target,alias\nMand,Koh Pusht Giab\n", r"the header must be 'alias,target'"),
    ("name,district\nKoh Pusht Giab,Mand\n", r"line 1: target 'district'.*If line 1 is a header, it must read "
                                              r"'alias,target'"),
])
def test_bad_aliases_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "aliases.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_gazetteer(aliases=path)


def test_aliases_header_is_optional_and_any_case(tmp_path):
    for content in ("Alias , Target\nKoh Pusht Giab,Mand\n", "# my aliases\nKoh Pusht Giab,Mand\n"):
        path = tmp_path / "aliases.csv"
        path.write_text(content, encoding="utf-8")
        assert Resolver(load_gazetteer(aliases=path)).resolve("Koh Pusht Giab").admin3 == "Mand"


def test_missing_aliases_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_gazetteer(aliases=tmp_path / "nope.csv")


def test_built_gazetteer_is_saved_and_reloaded_equal(tmp_path, monkeypatch):
    from geoconflict import gazetteer_index
    from geoconflict.districts import layer_settings

    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path))
    settings = layer_settings()
    gazetteer_index._base_gazetteer.cache_clear()
    built = gazetteer_index._base_gazetteer(settings)
    saved = list((tmp_path / "derived").glob("gazetteer-*.pickle"))
    assert len(saved) == 1
    gazetteer_index._base_gazetteer.cache_clear()
    reloaded = gazetteer_index._base_gazetteer(settings)
    assert reloaded is not built
    assert reloaded.places == built.places and dict(reloaded.index) == dict(built.index)
    saved[0].write_bytes(b"not a pickle")  # a broken cache file is rebuilt, not an error
    gazetteer_index._base_gazetteer.cache_clear()
    assert gazetteer_index._base_gazetteer(settings).places == built.places
    gazetteer_index._base_gazetteer.cache_clear()


def test_extraction_from_a_warm_cache_imports_no_geometry_library(tmp_path):
    """A process that only extracts loads the saved gazetteer, not geopandas or the boundary layers."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from geoconflict.extract.pipeline import iter_extractions, save_extraction\n"
        "from geoconflict.resolver import Resolver\n"
        "resolver = Resolver.from_gazetteer()\n"
        "if sys.argv[1] == 'extract':\n"
        "    out = Path(sys.argv[2])\n"
        "    text = 'Two soldiers were killed when gunmen fired on a checkpoint in Panjgur on Monday.'\n"
        "    (out / 'one.txt').write_text(text, encoding='utf-8')\n"
        "    saved = save_extraction(iter_extractions([out / 'one.txt'], resolver=resolver,\n"
        "                            published=__import__('datetime').date(2024, 5, 6)),\n"
        "                            events=out / 'events.csv', manifest=out / 'manifest.csv')\n"
        "    assert saved.events >= 1, saved\n"
        "    assert 'Panjgur' in (out / 'events.csv').read_text(encoding='utf-8')\n"
        "heavy = sorted(m for m in ('geopandas', 'shapely', 'pandas', 'pyogrio') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    env = {**os.environ, "GEOCONFLICT_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", script, "build"], env=env, capture_output=True, text=True,
                           check=True)  # builds the boundary layers and saves the gazetteer
    assert "geopandas" in first.stdout
    warm = subprocess.run([sys.executable, "-c", script, "extract", str(tmp_path)], env=env, capture_output=True,
                          text=True, check=True)
    assert warm.stdout.strip() == ""


def test_each_caller_gets_its_own_indexes():
    first = load_gazetteer()
    first.add_name("Qwertabad", 0, "user alias")
    assert load_gazetteer().find("Qwertabad") == []


def test_without_census_files_the_gazetteer_loads_and_says_why(tmp_path, monkeypatch, caplog):
    from geoconflict import gazetteer_index

    monkeypatch.setenv("GEOCONFLICT_CENSUS_DIR", str(tmp_path))  # holds no census file
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "cache"))
    gazetteer_index._base_gazetteer.cache_clear()
    gazetteer_index._base_places.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="geoconflict.gazetteer_index"):
            gazetteer = load_gazetteer()
        assert not any(p.kind == "village" for p in gazetteer.places)
        assert any(p.kind == "district" for p in gazetteer.places)
        assert "census villages not loaded" in caplog.text
    finally:
        gazetteer_index._base_gazetteer.cache_clear()
        gazetteer_index._base_places.cache_clear()


def test_aliases_to_fill_rows_with_a_blank_target_are_skipped_and_counted(tmp_path, caplog):
    path = tmp_path / "aliases-to-fill.csv"
    path.write_text("alias,target\nXylozabad,Kech\nQorvandabad,\nPelvarabad, \n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="geoconflict.gazetteer_index"):
        resolver = Resolver(load_gazetteer(aliases=path))
    assert resolver.resolve("Xylozabad").admin2 == "Kech"
    assert resolver.resolve("Qorvandabad").status == "unresolved"
    assert "2 row(s) with an empty target skipped" in caplog.text
    # the header check stays
    path.write_text("alias,district\nQorvandabad,\n", encoding="utf-8")
    with pytest.raises(InputError, match="the header must be 'alias,target'"):
        load_gazetteer(aliases=path)
