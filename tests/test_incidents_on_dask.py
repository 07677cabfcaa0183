"""Incidents of a Dask DataFrame of events, grouped per district partition on two workers, equal the serial ones."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geoconflict.errors import InputError
from geoconflict.extract.pipeline import extract_events
from geoconflict.incidents import IncidentRules, incidents_from_events

from .conftest import REPO, SHARED

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def client(dask_client):
    return dask_client


@pytest.fixture(scope="module")
def events(resolver):
    # the corpus, the examples, and the multi-report set (many outlets telling the same attacks)
    inputs = [SHARED / "data" / "corpus" / "articles", REPO / "examples" / "articles",
              REPO / "tests" / "data" / "multi_report" / "reports.jsonl"]
    return extract_events(inputs, resolver=resolver, jobs=1).events


def same_table(result: pd.DataFrame, serial: pd.DataFrame) -> None:
    # Dask keeps text as its own string dtype (missing values pd.NA): the values are compared, not the dtypes
    assert_frame_equal(result.astype(object).where(result.notna(), None),
                       serial.astype(object).where(serial.notna(), None), check_dtype=False)


@pytest.mark.parametrize("rules", [None, IncidentRules(window_days=3, casualty_rule="latest")])
def test_incidents_per_district_partition_equal_the_serial_incidents(client, events, rules):
    from geoconflict.incidents_on_dask import incidents_from_events_dask

    serial = incidents_from_events(events, rules=rules)
    assert len(events) > 60 and (serial["n_events"] > 1).sum() > 5  # reports were merged: a real test
    assert serial["admin2"].nunique() > 8
    shuffled = dd.from_pandas(pd.DataFrame(events.drop(columns="geometry")), npartitions=5)
    same_table(incidents_from_events_dask(shuffled, rules=rules, npartitions=3), serial)


def test_a_dask_geodataframe_of_events_is_grouped_too(client, events):
    dask_geopandas = pytest.importorskip("dask_geopandas")
    from geoconflict.incidents_on_dask import incidents_from_events_dask

    same_table(incidents_from_events_dask(dask_geopandas.from_geopandas(events, npartitions=4)),
               incidents_from_events(events))


def test_repeated_or_missing_ids_are_refused(client, events):
    from geoconflict.incidents_on_dask import incidents_from_events_dask

    frame = pd.DataFrame(events.drop(columns="geometry"))
    repeated = pd.concat([frame, frame.iloc[:2]], ignore_index=True)
    with pytest.raises(InputError, match="2 repeated"):
        incidents_from_events_dask(dd.from_pandas(repeated, npartitions=3))
    with pytest.raises(InputError, match="article_id"):
        incidents_from_events_dask(dd.from_pandas(frame.drop(columns="article_id"), npartitions=2))
