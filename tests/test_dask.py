"""Extraction on a Dask cluster of two worker processes gives the tables of a serial run."""

from __future__ import annotations

import sys

import geopandas as gpd
import pytest
from pandas.testing import assert_frame_equal

from geoconflict.cli import main
from geoconflict.errors import InputError
from geoconflict.extract.pipeline import extract_events

from .conftest import REPO, SHARED

distributed = pytest.importorskip("distributed")

CORPUS = SHARED / "data" / "corpus" / "articles"
INPUTS = [CORPUS, REPO / "examples" / "articles", REPO / "examples" / "feed.jsonl"]
TABLES = ("events", "unresolved", "manifest", "mentions")
SMALL_PARTITIONS = 16_000  # input bytes per partition: a dozen partitions, so both workers take part


@pytest.fixture(scope="module")
def serial(resolver):
    return extract_events(INPUTS, resolver=resolver, jobs=1)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  memory_limit="2GiB") as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as connected:
        yield connected


def test_two_dask_workers_give_the_serial_tables(client, serial, tmp_path):
    from geoconflict.extract._dask_worker import worker_spotter
    from geoconflict.extract.on_dask import extract_events_dask

    parts = tmp_path / "events.parquet"
    result = extract_events_dask(INPUTS, client=client, parts_dir=parts, partition_bytes=SMALL_PARTITIONS)
    assert len(serial.manifest) > 45 and len(serial.events) > 60
    for name in TABLES:
        assert_frame_equal(getattr(result, name), getattr(serial, name), obj=name)
    # the workers wrote the events as GeoParquet parts, which read back as the serial events, in order
    assert len(list(parts.glob("part-*.parquet"))) > 1
    written = gpd.read_parquet(parts)
    assert list(written["event_id"]) == list(serial.events["event_id"])
    assert written.crs == serial.events.crs and written.geometry.equals(serial.events.geometry)
    # each worker process built its resolver once, when it joined, and reused it for every partition
    built = client.run(lambda: worker_spotter.cache_info().misses)
    assert sorted(built.values()) == [1, 1]


def test_cli_extract_on_a_scheduler_address(cluster, serial, tmp_path):
    out, manifest = tmp_path / "events.parquet", tmp_path / "manifest.csv"
    args = ["extract", *map(str, INPUTS), "-o", str(out), "--manifest", str(manifest), "--dask",
            cluster.scheduler_address, "--partition-by", "year", "--no-progress"]
    assert main(args) == 0
    from geoconflict.io import load_events

    events = load_events(out)
    assert sorted(events["event_id"]) == sorted(serial.events["event_id"])
    assert {p.name.split("=")[0] for p in out.iterdir()} == {"year"}
    assert (out / "year=__HIVE_DEFAULT_PARTITION__").is_dir()  # undated events, which read back too
    assert len(manifest.read_text(encoding="utf-8").splitlines()) == len(serial.manifest) + 1


def test_a_failed_partition_is_recorded_and_the_rest_goes_on(serial, monkeypatch):
    from geoconflict.extract import _dask_worker
    from geoconflict.extract.on_dask import extract_events_dask

    original = _dask_worker.read_article_file

    def broken(path, key, columns, part=None):
        if path.name == "005.txt":
            raise MemoryError("as if this file blew up its worker")
        return original(path, key, columns, part)

    # threads in this process, so the patched reader is the one the workers run
    monkeypatch.setattr(_dask_worker, "read_article_file", broken)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as local:
        # one whole file per partition
        result = extract_events_dask(INPUTS, client=local, partition_bytes=1, split_files=False)
    manifest = result.manifest
    assert len(manifest) == len(serial.manifest)  # every article accounted for
    failed = manifest["reason"].str.contains("partition failed on the Dask cluster")
    assert list(manifest.loc[failed, "article_id"]) == ["005.txt"]
    assert manifest.loc[failed, "status"].eq("skipped").all()
    assert "MemoryError" in manifest.loc[failed, "reason"].iloc[0]
    kept = serial.manifest["article_id"] != "005.txt"
    assert_frame_equal(manifest[~failed].reset_index(drop=True), serial.manifest[kept].reset_index(drop=True))
    lost = set(serial.events.loc[serial.events["article_id"] == "005.txt", "event_id"])
    assert set(result.events["event_id"]) == set(serial.events["event_id"]) - lost


def test_without_dask_the_error_names_the_extra(monkeypatch):
    from geoconflict.extract.on_dask import dask_client

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(InputError, match=r"geoconflict\[dask\]"):
        dask_client("local")


def test_bad_dask_address_is_refused(capsys):
    assert main(["extract", str(CORPUS), "-o", "/tmp/never.csv", "--dask", "localhost:8786"]) == 1
    assert "tcp://" in capsys.readouterr().err


def test_dask_loads_only_when_used():
    import subprocess

    code = ("import sys, geoconflict, geoconflict.extract.on_dask; geoconflict.extract_events_dask; "
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_relative_inputs_keep_their_origins(resolver, monkeypatch):
    from geoconflict.extract.on_dask import extract_events_dask

    monkeypatch.chdir(REPO)  # the workers below are threads of this process, in this folder
    serial = extract_events(["examples/articles"], resolver=resolver, jobs=1)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as local:
        result = extract_events_dask(["examples/articles"], client=local)
    assert serial.manifest["origin"].str.startswith("examples/articles/").all()
    assert_frame_equal(result.manifest, serial.manifest)
    assert list(result.events["event_id"]) == list(serial.events["event_id"])


def test_cli_run_on_a_scheduler_address_writes_the_serial_tables(cluster, tmp_path):
    """`run --dask` extracts on the cluster; its tables, manifest and incidents are those of a serial run."""
    inputs = [*map(str, INPUTS), "--no-progress", "--cdn"]
    assert main(["run", *inputs, "--out", str(tmp_path / "serial"), "--jobs", "1"]) == 0
    assert main(["run", *inputs, "--out", str(tmp_path / "dask"), "--dask", cluster.scheduler_address]) == 0
    for name in ("events.csv", "manifest.csv", "unresolved.csv", "mentions.csv", "incidents.csv"):
        serial_text = (tmp_path / "serial" / name).read_text(encoding="utf-8")
        assert (tmp_path / "dask" / name).read_text(encoding="utf-8") == serial_text, name
    assert len((tmp_path / "dask" / "manifest.csv").read_text(encoding="utf-8").splitlines()) > 46
    assert (tmp_path / "dask" / "index.html").is_file() and (tmp_path / "dask" / "choropleth.html").is_file()


def test_cli_run_on_dask_refuses_an_online_geocoder(capsys, tmp_path):
    assert main(["run", str(CORPUS), "--out", str(tmp_path / "out"), "--dask", "local", "--geocode", "nominatim"]) == 1
    assert "not with --dask" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_one_large_file_is_shared_by_both_workers(client, resolver, tmp_path):
    """A single JSON Lines feed and a single Parquet file are cut into parts that both workers extract."""
    from geoconflict.extract._dask_worker import worker_spotter
    from geoconflict.extract.on_dask import extract_events_dask

    from .test_file_parts import corpus_records, write_feed

    records = corpus_records()
    feed = write_feed(tmp_path / "feed.jsonl", records)
    inputs = [feed]
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        pass
    else:
        pq.write_table(pa.Table.from_pylist(records[::-1]), tmp_path / "feed.parquet", row_group_size=5)
        inputs.append(tmp_path / "feed.parquet")
    serial = extract_events(inputs, resolver=resolver, jobs=1)
    before = client.run(lambda: worker_spotter.cache_info().hits)
    result = extract_events_dask(inputs, client=client, partition_bytes=SMALL_PARTITIONS)
    after = client.run(lambda: worker_spotter.cache_info().hits)
    assert len(serial.manifest) == 42 + 40 * (len(inputs) - 1) and len(serial.events) > 60
    for name in TABLES:
        assert_frame_equal(getattr(result, name), getattr(serial, name), obj=name)
    # one spotter look-up per partition: both workers extracted parts of the inputs
    assert all(after[worker] > before[worker] for worker in after)


def test_a_failed_part_of_a_file_is_recorded_and_the_other_parts_go_on(resolver, tmp_path, monkeypatch):
    from geoconflict.extract import _dask_worker
    from geoconflict.extract.on_dask import extract_events_dask

    from .test_file_parts import corpus_records, write_feed

    feed = write_feed(tmp_path / "feed.jsonl", corpus_records())
    serial = extract_events([feed], resolver=resolver, jobs=1)
    original = _dask_worker.read_article_file

    def broken(path, key, columns, part=None):
        if part is not None and part.start == 0:
            raise MemoryError("as if the first part blew up its worker")
        return original(path, key, columns, part)

    monkeypatch.setattr(_dask_worker, "read_article_file", broken)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0") as local:
        result = extract_events_dask([feed], client=local, partition_bytes=SMALL_PARTITIONS)
    failed = result.manifest["reason"].str.contains("partition failed on the Dask cluster")
    assert failed.sum() == 1  # the lost part is one row that says which bytes of the file
    assert result.manifest.loc[failed, "origin"].iloc[0].startswith(f"{feed} (bytes 0-")
    kept = result.manifest[~failed]
    assert 0 < len(kept) < len(serial.manifest)
    assert list(kept["origin"]) == list(serial.manifest["origin"].iloc[-len(kept):])
