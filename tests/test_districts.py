"""The district layer users see: today's Balochistan districts dissolved from tehsils."""

from __future__ import annotations

import pytest

from geoconflict.data import load_boundaries
from geoconflict.districts import _majority, load_admin_layers, load_districts, read_gazetteer_table
from geoconflict.errors import InputError

CARVED_LATER = {"Washuk", "Sherani", "Harnai", "Duki", "Sohbatpur", "Hub", "Chaman", "Surab", "Usta Muhammad"}


def test_every_tehsil_lands_in_exactly_one_district_and_province(layers):
    adm3 = load_boundaries("ADM3")
    tehsils = layers.tehsils
    assert sorted(tehsils["admin3_id"]) == sorted(adm3["shapeID"])
    assert tehsils["admin3_id"].is_unique
    assert tehsils[["admin2", "admin2_id", "admin1"]].notna().all().all()
    districts = layers.districts.set_index("admin2_id")
    # the province of a tehsil is the province of its district
    assert (tehsils["admin1"].values == districts.loc[tehsils["admin2_id"], "admin1"].values).all()
    assert set(tehsils["admin1"]) <= set(layers.provinces["admin1"])


def test_balochistan_has_130_tehsils_and_36_current_districts(layers):
    bal = layers.districts[layers.districts["admin1"] == "Balochistan"]
    assert (layers.tehsils["admin1"] == "Balochistan").sum() == 130
    assert len(bal) == 36
    assert CARVED_LATER <= set(bal["admin2"])
    assert "Lehri" not in set(bal["admin2"])  # abolished in 2018
    current = {row["district"] for row in read_gazetteer_table("districts.csv")
               if not row["valid_to"] and row["provisional"] == "no"}
    assert set(bal["admin2"]) == current
    assert layers.districts["admin2_id"].is_unique


def test_border_tehsils_are_not_pulled_into_balochistan(layers):
    """Sindh tehsils whose area mostly falls inside the ADM1 Balochistan polygon stay in Sindh."""
    adm1 = load_boundaries("ADM1")
    adm3 = load_boundaries("ADM3")
    by_area = _majority(adm3, "shapeID", adm1, "shapeName")
    pulled = [sid for sid, prov in by_area.items() if prov == "Balochistan"
              and sid not in {r["adm3_id"] for r in read_gazetteer_table("tehsils.csv")}]
    assert pulled, "the ADM3/ADM1 disagreement this test guards against has disappeared"
    tehsils = layers.tehsils.set_index("admin3_id")
    assert (tehsils.loc[pulled, "admin1"] == "Sindh").all()


def test_table_rows_marked_overlap_agree_with_the_boundary_files():
    """A row whose basis is 'overlap' must name the ADM2 district the tehsil mostly lies in."""
    adm2 = load_boundaries("ADM2")
    adm3 = load_boundaries("ADM3")
    majority = _majority(adm3, "shapeID", adm2, "shapeName")
    rows = read_gazetteer_table("tehsils.csv")
    assert len(rows) == 130
    for row in rows:
        assert row["source"].strip(), row
        assert row["basis"] in {"overlap", "census", "notification"}, row
        if row["basis"] == "overlap":
            assert majority[row["adm3_id"]] == row["district"], row


def test_current_districts_cover_balochistan(layers):
    bal_province = layers.provinces[layers.provinces["admin1"] == "Balochistan"].to_crs(6933).area.sum()
    bal_districts = layers.districts[layers.districts["admin1"] == "Balochistan"].to_crs(6933)
    assert bal_districts.area.sum() == pytest.approx(bal_province, rel=0.03)
    # districts do not overlap each other beyond border noise
    assert bal_districts.union_all().area == pytest.approx(bal_districts.area.sum(), rel=0.001)


def test_representative_points_lie_in_their_district(layers):
    import geopandas as gpd

    points = gpd.points_from_xy(layers.districts["rep_lon"], layers.districts["rep_lat"], crs=4326)
    inside = [geom.buffer(1e-4).contains(pt) for geom, pt in zip(layers.districts.geometry, points)]
    assert all(inside)


def test_adm2_option_keeps_the_published_layer(layers):
    old = load_admin_layers(district_source="adm2")
    assert len(old.districts) == 126
    assert (old.districts["admin1"] == "Balochistan").sum() == 27
    assert not CARVED_LATER & set(old.districts["admin2"])
    # the 2019 layer's Kharan includes today's Washuk
    washuk = old.tehsils[old.tehsils["adm3_name"] == "WASHUK"].iloc[0]
    assert washuk["admin2"] == "Kharan"


def test_load_districts_filters_provinces_and_rejects_unknown():
    bal = load_districts(provinces=["Balochistan"])
    assert set(bal["admin1"]) == {"Balochistan"} and len(bal) == 36
    with pytest.raises(InputError, match="Baluchistan"):
        load_districts(provinces=["Baluchistan"])


def test_cached_layers_are_not_shared_between_callers():
    first = load_admin_layers()
    first.districts.loc[:, "admin2"] = "changed"
    first.tehsils.loc[:, "admin3"] = "changed"
    again = load_admin_layers()
    assert "changed" not in set(again.districts["admin2"])
    assert "changed" not in set(again.tehsils["admin3"])
    assert again == first  # same inputs: still one cache entry for derived tables


def test_load_districts_returns_a_frame_of_the_callers_own():
    first = load_districts()
    first.loc[:, "admin2"] = "changed"
    del first["rep_lon"]
    again = load_districts()
    assert "changed" not in set(again["admin2"]) and "rep_lon" in again and len(again) == len(first)
    bal = load_districts(provinces=["Balochistan"])
    bal.loc[:, "admin1"] = "changed"
    assert set(load_districts(provinces=["Balochistan"])["admin1"]) == {"Balochistan"}


@pytest.mark.parametrize("adm3_name, district", [
    ("GIRSANI SUB", "Kohlu"), ("SINJAWI SUB", "Ziarat"), ("KUT MANDAI", "Sibi"), ("HURAMZAI", "Pishin"),
    ("LEHRI", "Sibi"), ("Ghandakha", "Usta Muhammad"),
])
def test_six_tehsils_corrected_from_the_census(layers, adm3_name, district):
    row = layers.tehsils[layers.tehsils["adm3_name"] == adm3_name].iloc[0]
    assert row["admin2"] == district
    source = next(r["source"] for r in read_gazetteer_table("tehsils.csv") if r["adm3_name"] == adm3_name)
    assert "census 2017" in source and "census 2023" in source
