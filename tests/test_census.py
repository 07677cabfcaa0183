"""Census files: pinned like the boundary files, read once, derived table cached."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from geoconflict import census
from geoconflict.cli import main
from geoconflict.errors import DataIntegrityError, DataNotFoundError


@pytest.fixture(scope="module")
def census_dir(boundaries_dir) -> Path:
    folder = boundaries_dir.parent / "census"
    if not folder.is_dir():
        pytest.skip(f"census files not found at {folder}")
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def census_server(tmp_path, census_dir):
    """Serve the census files on 127.0.0.1 under the upstream layout: /{repo}/{commit}/{path}."""
    root = tmp_path / "server"
    for spec in census.CENSUS_FILES:
        target = root / spec.repo / spec.commit / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(census_dir / spec.name, target)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_census_files_beside_the_boundary_folder_are_found_and_verified(census_dir):
    statuses = census.census_status()
    assert [s.file.name for s in statuses] == ["PakPop2017.RData", "TABLE_01.RData"]
    assert all(s.verified for s in statuses)
    assert all(s.path.parent == census_dir for s in statuses)


def test_fetch_downloads_verifies_and_feeds_the_loader(census_server, tmp_path):
    _, url = census_server
    cache = tmp_path / "cache"
    paths = census.fetch_census(cache_dir=cache, base_url=url, progress=False)
    assert sorted(p.name for p in paths) == ["PakPop2017.RData", "TABLE_01.RData"]
    assert all(s.verified for s in census.census_status(data_dir=cache))
    table = census.load_census_table1(data_dir=cache)
    assert set(table.loc[table["province"] == "BALOCHISTAN", "district"]) >= {"CHAMAN", "DUKI", "SURAB"}


def test_corrupted_download_is_rejected_and_not_kept(census_server, tmp_path):
    root, url = census_server
    spec = census.census_file("2023-table1")
    served = root / spec.repo / spec.commit / spec.path
    data = bytearray(served.read_bytes())
    data[100] ^= 0xFF
    served.write_bytes(bytes(data))
    cache = tmp_path / "cache"
    with pytest.raises(DataIntegrityError, match="corrupt"):
        census.fetch_census(cache_dir=cache, base_url=url, files=[spec], progress=False)
    assert list(cache.iterdir()) == []


def test_missing_file_is_downloaded_into_the_cache_on_first_use(census_server, tmp_path, monkeypatch):
    _, url = census_server
    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "0")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "user-cache"))
    monkeypatch.setenv("GEOCONFLICT_CENSUS_URL", url)
    path = census.locate_census_file("2023-table1")
    assert path == tmp_path / "user-cache" / "TABLE_01.RData"


def test_offline_cache_miss_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "1")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path))
    with pytest.raises(DataNotFoundError, match="geoconflict data fetch"):
        census.locate_census_file("2017-blocks")


def test_corrupt_local_file_names_the_file(tmp_path, census_dir):
    bad = tmp_path / "PakPop2017.RData"
    bad.write_bytes((census_dir / "PakPop2017.RData").read_bytes()[:-10])
    with pytest.raises(DataIntegrityError, match="PakPop2017.RData"):
        census.load_census_villages(data_dir=tmp_path, use_cache=False)


def test_villages_are_derived_once_and_read_back_from_the_cache(tmp_path, monkeypatch, census_dir):
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path))
    census._villages_from.cache_clear()
    first = census.load_census_villages(data_dir=census_dir)
    cached = list((tmp_path / "derived").glob("census-villages-*.csv"))
    assert len(cached) == 1
    census._villages_from.cache_clear()
    again = census.load_census_villages(data_dir=census_dir)
    assert again.equals(first)
    bal = first[first["province"] == "BALOCHISTAN"]
    assert bal["blocks"].sum() == 10_207  # every Balochistan block of the 2017 list, once
    assert bal["village"].nunique() > 6_000
    census._villages_from.cache_clear()


@pytest.mark.parametrize("raw, names", [
    ("CIRCLE NO 01", []),
    ("CHAK NO 054", []),
    ("BABARI ABU SAR (ABU SAR)", ["Babari Abu Sar", "Abu Sar"]),
    ("SIMSOORI/SAMUNDRI", ["Simsoori", "Samundri"]),
    ("NOKAJO NO 2", ["Nokajo"]),
    ("ALANGI GHARBI-I", ["Alangi Gharbi"]),
    ("KAMULA (KAMLU IN G-2)", ["Kamula", "Kamlu"]),
    ("GOMAZI", ["Gomazi"]),
])
def test_village_names_drop_numbered_units_and_split_alternatives(raw, names):
    assert census.village_names(raw) == names


def test_cli_data_status_lists_census_files(capsys):
    assert main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert "PakPop2017.RData" in out and "TABLE_01.RData" in out


def test_loaded_villages_are_the_callers_own(census_dir):
    first = census.load_census_villages()
    first.loc[:, "village"] = "CHANGED"
    del first["population"]
    again = census.load_census_villages()
    assert "CHANGED" not in set(again["village"]) and "population" in again
