"""Districts of points: the serial join and the dask-geopandas join on two worker processes agree."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geoconflict.district_join import districts_at_points, districts_at_points_dask
from geoconflict.errors import InputError
from geoconflict.extract.pipeline import extract_events

from .conftest import SHARED

distributed = pytest.importorskip("distributed")
dask_geopandas = pytest.importorskip("dask_geopandas")


@pytest.fixture(scope="module")
def client(dask_client):
    return dask_client


@pytest.fixture(scope="module")
def districts(layers):
    return layers.districts


@pytest.fixture(scope="module")
def table(districts, resolver):
    """The corpus events, then one point inside each district (its representative point), then points on none."""
    events = extract_events([SHARED / "data" / "corpus" / "articles"], resolver=resolver, jobs=1).events
    inside = gpd.GeoDataFrame({"event_id": "rep-" + districts["admin2_id"].astype(str), "admin2": "wrong",
                               "latitude": districts["rep_lat"], "longitude": districts["rep_lon"]},
                              geometry=gpd.points_from_xy(districts["rep_lon"], districts["rep_lat"]),
                              crs="EPSG:4326")
    nowhere = gpd.GeoDataFrame({"event_id": ["sea", "no-point"], "latitude": [20.0, None],
                                "longitude": [60.0, None]}, geometry=[gpd.points_from_xy([60.0], [20.0])[0], None],
                               crs="EPSG:4326")
    return pd.concat([events[["event_id", "admin2", "latitude", "longitude", "geometry"]], inside, nowhere],
                     ignore_index=True)


def test_a_point_gets_the_district_it_lies_in(table, districts):
    joined = districts_at_points(table, districts=districts)
    assert list(joined.index) == list(table.index) and list(joined["event_id"]) == list(table["event_id"])
    reps = joined[joined["event_id"].str.startswith("rep-")]
    assert list(reps["admin2_id"]) == list(districts["admin2_id"])  # each representative point in its own district
    assert list(reps["admin2"]) == list(districts["admin2"])
    assert joined.loc[joined["event_id"].isin(["sea", "no-point"]), DISTRICT].isna().all().all()
    events = joined[~joined["event_id"].str.startswith("rep-") & ~joined["event_id"].isin(["sea", "no-point"])]
    # extracted events are drawn at a point of the district they were placed in, nearly always
    assert (events["admin2"] == table.loc[events.index, "admin2"]).mean() > 0.9


DISTRICT = ["admin1", "admin2", "admin2_id"]


def test_dask_geopandas_join_on_two_workers_equals_the_serial_join(client, table, districts):
    serial = districts_at_points(table, districts=districts)
    frame = dask_geopandas.from_geopandas(table, npartitions=4)
    result = districts_at_points_dask(frame, districts=districts).compute()
    # Dask keeps text as its own string dtype (missing values pd.NA): the values are compared, not the dtypes
    assert_frame_equal(pd.DataFrame(result), pd.DataFrame(serial), check_dtype=False)
    assert result.crs == serial.crs
    assert len(table) > 200 and len(client.nthreads()) == 2


def test_a_dask_dataframe_of_coordinates_is_joined_too(client, table, districts):
    import dask.dataframe as dd

    plain = pd.DataFrame(table.drop(columns="geometry"))
    result = districts_at_points_dask(dd.from_pandas(plain, npartitions=3), districts=districts).compute()
    serial = districts_at_points(table, districts=districts)
    assert list(result["event_id"]) == list(serial["event_id"]) and result.crs == "EPSG:4326"
    assert result["admin2_id"].fillna("-").tolist() == serial["admin2_id"].fillna("-").tolist()
    with pytest.raises(InputError, match="coordinate columns"):
        districts_at_points_dask(dd.from_pandas(plain, npartitions=1), districts=districts, x="lon")
