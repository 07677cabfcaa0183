"""District layouts by date, checked against the census frames and the dissolved polygons."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geoconflict.census import load_census_table1, load_census_villages
from geoconflict.districts import load_admin_layers, read_gazetteer_table
from geoconflict.errors import InputError
from geoconflict.layouts import (
    district_on,
    events_in_layout,
    layout_districts,
    layout_periods,
    parse_layout,
    tehsil_districts,
)
from geoconflict.normalize import match_key, normalize_name


def _keys(names) -> set[str]:
    return {match_key(normalize_name(n)) for n in names}


@pytest.mark.parametrize("place, day, district", [
    ("Chaman", "2019-06-01", "Qilla Abdullah"),      # a tehsil of Killa Abdullah until 2021
    ("Chaman", "2024-06-01", "Chaman"),
    ("Hub", "2015-03-01", "Lasbela"),
    ("Hub district", "2023-06-01", "Hub"),
    ("Gandakha", "2021-06-01", "Jafarabad"),
    ("Gandakha", "2023-06-01", "Usta Muhammad"),
    ("Lehri", "2010-06-01", "Sibi"),
    ("Lehri", "2015-06-01", "Lehri"),
    ("Bhag", "2015-06-01", "Lehri"),
    ("Bhag", "2020-06-01", "Kachhi"),
    ("Kot Mandai", "2024-06-01", "Sibi"),            # census spelling of the ADM3 unit Kut Mandai
    ("Washuk", "2001-06-01", "Kharan"),
    ("Tump", "2027-06-01", "Kech"),                  # 2026 notification is provisional
    ("Quetta", date(2012, 1, 5), "Quetta"),
])
def test_district_on_dates(place, day, district):
    assert district_on(place, day) == district


def test_provisional_changes_apply_only_when_asked():
    assert district_on("Tump", "2027-01-10", provisional=True) == "Tump"
    assert district_on("Surab", "2027-01-10", provisional=True) == "Shaheed Sikandarabad"
    assert district_on("Surab", "2027-01-10") == "Surab"
    assert all(p.provisional for p in layout_periods() if p.valid_from and p.valid_from.year >= 2026)


def test_unknown_or_split_places_are_not_guessed():
    assert district_on("Atlantis", "2020-01-01") is None
    assert district_on("Dasht", "2020-01-01") is None  # a tehsil of Kech and one of Mastung
    with pytest.raises(InputError, match="not a date"):
        district_on("Chaman", "yesterday")


def test_layout_district_counts():
    assert len(layout_districts("current")) == 36
    assert len(layout_districts("2017-census")) == 32
    assert len(layout_districts("2023-census")) == 34
    assert len(layout_districts("2025-12-31")) == 36
    assert len(layout_districts("2019-06-01")) == 33   # before Chaman, Hub and Usta Muhammad
    assert "Lehri" in layout_districts("2015-06-01")
    assert set(layout_districts("provisional")) - set(layout_districts("current")) == {
        "Tump", "Barshore", "Shaheed Sikandarabad"}


def test_census_layouts_match_the_census_tables():
    villages = load_census_villages()
    in_2017 = set(villages.loc[villages["province"] == "BALOCHISTAN", "district"])
    table = load_census_table1()
    in_2023 = set(table.loc[table["province"] == "BALOCHISTAN", "district"])
    assert _keys(layout_districts("2017-census")) == _keys(in_2017)
    assert _keys(layout_districts("2023-census")) == _keys(in_2023)


def test_every_layout_district_is_known_and_every_tehsil_assigned():
    known = {r["district"] for r in read_gazetteer_table("districts.csv")}
    tehsils = {r["adm3_id"] for r in read_gazetteer_table("tehsils.csv")}
    for layout in ("current", "provisional", "2017-census", "2023-census", "2010-01-01", "2016-01-01"):
        mapping = tehsil_districts(layout)
        assert set(mapping) == tehsils
        assert set(mapping.values()) <= known, layout
    assert {p.adm3_id for p in layout_periods()} <= tehsils


@pytest.mark.parametrize("layout", ["current", "2017-census", "2023-census", "provisional"])
def test_every_district_is_one_connected_piece(layout):
    """The census lists each district as one area; dissolved tehsils must give one polygon each."""
    layers = load_admin_layers(district_source=layout)
    bal = layers.districts[layers.districts["admin1"] == "Balochistan"]
    assert len(bal) == len(layout_districts(layout))
    pieces = {row.admin2: row.geometry.geom_type for row in bal.itertuples()}
    assert set(pieces.values()) == {"Polygon"}, {d: g for d, g in pieces.items() if g != "Polygon"}


def test_layout_names_are_checked():
    assert parse_layout("2023-census") == "2023-census"
    assert parse_layout("2019-06-01") == date(2019, 6, 1)
    with pytest.raises(InputError, match="unknown district layout"):
        parse_layout("1900s")
    with pytest.raises(InputError):
        load_admin_layers(district_source="sometime")


def test_events_are_rekeyed_for_another_layout():
    events = pd.DataFrame({"admin1": ["Balochistan", "Balochistan", "Sindh"], "admin2": ["Chaman", "Kech", "Karachi"],
                           "admin2_id": ["PAK-BA-CHAMAN", "PAK-BA-KECH", "X"], "admin3": ["Chaman", None, None]})
    old = events_in_layout(events, "2019-06-01")
    assert list(old["admin2"]) == ["Qilla Abdullah", "Kech", "Karachi"]
    assert old["admin2_id"].isna().tolist() == [True, True, False]
    assert events["admin2_id"].notna().all()  # the input is not changed


def test_map_layout_option_draws_that_layouts_districts(tmp_path, layers):
    from geoconflict.cli import main

    chaman = layers.tehsils[layers.tehsils["adm3_name"] == "CHAMAN"].iloc[0]
    events = pd.DataFrame({
        "event_id": ["e1"], "date_start": ["2019-05-01"], "date_end": ["2019-05-01"], "date_precision": ["day"],
        "location": ["Chaman"], "admin1": ["Balochistan"], "admin2": ["Chaman"], "admin2_id": ["PAK-BA-CHAMAN"],
        "admin3": ["Chaman"], "geo_precision": [2], "latitude": [chaman["rep_lat"]],
        "longitude": [chaman["rep_lon"]], "event_type": ["armed assault"], "killed": [1], "injured": [0]})
    path = tmp_path / "events.csv"
    events.to_csv(path, index=False)
    for layout, present, absent in (("current", "PAK-BA-CHAMAN", "PAK-BA-LEHRI"),
                                    ("2015-06-01", "PAK-BA-LEHRI", "PAK-BA-CHAMAN")):
        out = tmp_path / f"{layout}.html"
        assert main(["map", str(path), "--kind", "choropleth", "--layout", layout, "-o", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        assert present in page and absent not in page, layout
    assert main(["map", str(path), "--kind", "choropleth", "--layout", "someday", "-o",
                 str(tmp_path / "x.html")]) == 1
