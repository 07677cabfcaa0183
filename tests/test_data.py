"""Boundary data layer: local folders, checksums, and real downloads from a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

from geoconflict import data
from geoconflict.census import CENSUS_FILES
from geoconflict.cli import main
from geoconflict.errors import DataIntegrityError, DataNotFoundError, DownloadError


def test_status_of_shared_folder_is_all_verified(boundaries_dir):
    statuses = data.boundary_status(data_dir=boundaries_dir)
    assert len(statuses) == 8
    assert all(s.present and s.verified for s in statuses)


@pytest.mark.parametrize("level, count", [("ADM0", 1), ("ADM1", 7), ("ADM2", 126), ("ADM3", 554)])
def test_load_boundaries_reads_every_level(level, count, boundaries_dir):
    frame = data.load_boundaries(level, data_dir=boundaries_dir)
    assert len(frame) == count
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    assert frame["shapeID"].is_unique


def test_missing_file_error_names_file_and_fix(tmp_path):
    with pytest.raises(DataNotFoundError) as info:
        data.load_boundaries("ADM2", data_dir=tmp_path)
    message = str(info.value)
    assert "geoBoundaries-PAK-ADM2_simplified.geojson" in message
    assert "geoconflict data fetch" in message and "GEOCONFLICT_DATA_DIR" in message


def test_corrupt_file_is_rejected_with_its_name(tmp_path, boundaries_dir):
    name = "geoBoundaries-PAK-ADM1_simplified.geojson"
    raw = bytearray((boundaries_dir / name).read_bytes())
    raw[100] = ord("X") if raw[100] != ord("X") else ord("Y")
    (tmp_path / name).write_bytes(bytes(raw))
    with pytest.raises(DataIntegrityError) as info:
        data.load_boundaries("ADM1", data_dir=tmp_path)
    assert name in str(info.value)


def test_unknown_level_is_a_value_error():
    with pytest.raises(ValueError, match="ADM9"):
        data.boundary_file("ADM9")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def file_server(tmp_path, boundaries_dir):
    """Serve the shared files on 127.0.0.1 under the upstream layout: /{commit}/{release path}."""
    root = tmp_path / "server"
    for spec in data.BOUNDARY_FILES:
        target = root / spec.commit / spec.release_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(boundaries_dir / spec.name, target)
    for census_spec in CENSUS_FILES:  # census files under /{repo}/{commit}/{path}, as on GitHub
        target = root / census_spec.repo / census_spec.commit / census_spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(boundaries_dir.parent / "census" / census_spec.name, target)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_downloads_and_verifies_every_file(file_server, tmp_path):
    _, url = file_server
    cache = tmp_path / "cache"
    paths = data.fetch_boundaries(cache_dir=cache, base_url=url, progress=False)
    assert sorted(p.name for p in paths) == sorted(s.name for s in data.BOUNDARY_FILES)
    assert all(s.verified for s in data.boundary_status(data_dir=cache))
    assert len(data.load_boundaries("ADM3", data_dir=cache)) == 554


def test_corrupted_download_is_rejected_and_not_kept(file_server, tmp_path):
    root, url = file_server
    spec = data.boundary_file("ADM2")
    served = root / spec.commit / spec.release_path
    served.write_bytes(served.read_bytes().replace(b"Quetta", b"Qwetta", 1))
    cache = tmp_path / "cache"
    with pytest.raises(DataIntegrityError, match="corrupt"):
        data.fetch_boundaries(cache_dir=cache, base_url=url, files=[spec], progress=False)
    assert list(cache.iterdir()) == []


def test_unreachable_server_is_a_download_error(tmp_path):
    with pytest.raises(DownloadError, match="GEOCONFLICT_DATA_DIR"):
        data.fetch_boundaries(cache_dir=tmp_path, base_url="http://127.0.0.1:9", files=[data.boundary_file("ADM1")],
                              progress=False, timeout=5)


def test_cache_is_filled_on_first_use(file_server, tmp_path, monkeypatch):
    _, url = file_server
    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "0")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "user-cache"))
    monkeypatch.setenv("GEOCONFLICT_BOUNDARY_URL", url)
    assert len(data.load_boundaries("ADM1")) == 7
    assert (tmp_path / "user-cache" / "geoBoundaries-PAK-ADM1_simplified.geojson").is_file()


def test_offline_cache_miss_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "1")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path))
    with pytest.raises(DataNotFoundError, match="geoconflict data fetch"):
        data.load_boundaries("ADM1")


def test_cli_data_fetch_and_status(file_server, tmp_path, monkeypatch, capsys):
    _, url = file_server
    monkeypatch.setenv("GEOCONFLICT_BOUNDARY_URL", url)
    monkeypatch.setenv("GEOCONFLICT_CENSUS_URL", url)
    cache = tmp_path / "cli-cache"
    assert main(["data", "status", "--data-dir", str(cache)]) == 1
    assert "missing" in capsys.readouterr().out
    assert main(["data", "fetch", "--cache-dir", str(cache)]) == 0
    assert main(["data", "status", "--data-dir", str(cache)]) == 0
    assert "All files present and verified" in capsys.readouterr().out


def test_a_data_folder_without_the_boundary_files_is_told_at_once_even_with_a_warm_cache(tmp_path, resolver):
    """The session's resolver saved the derived gazetteer, which needs no boundary file to load; a folder
    that lacks them is still an error when the gazetteer is loaded, not later when a map reads it."""
    from geoconflict.gazetteer_index import load_gazetteer

    with pytest.raises(DataNotFoundError, match=r"geoBoundaries-PAK-ADM1_simplified\.geojson.*not found in"):
        load_gazetteer(data_dir=tmp_path)
