"""Shared fixtures: real boundary files and seed articles from ../shared, one gazetteer per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GEOCONFLICT_SHARED_DIR", REPO.parent / "shared"))
BOUNDARIES = SHARED / "data" / "boundaries"
SEEDS = SHARED / "data" / "seeds"
TEST_DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    if not BOUNDARIES.is_dir():
        raise pytest.UsageError(
            f"boundary files not found at {BOUNDARIES}; the tests need ../shared beside the repo "
            "(or GEOCONFLICT_SHARED_DIR pointing at it)")
    os.environ["GEOCONFLICT_DATA_DIR"] = str(BOUNDARIES)
    os.environ.setdefault("GEOCONFLICT_OFFLINE", "1")
    if "GEOCONFLICT_CACHE_DIR" not in os.environ:
        cache = REPO / ".pytest_cache" / "geoconflict-cache"
        cache.mkdir(parents=True, exist_ok=True)
        os.environ["GEOCONFLICT_CACHE_DIR"] = str(cache)


@pytest.fixture(scope="session")
def boundaries_dir() -> Path:
    return BOUNDARIES


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def layers():
    from geoconflict.districts import load_admin_layers

    return load_admin_layers()


@pytest.fixture(scope="session")
def gazetteer():
    from geoconflict.gazetteer_index import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def resolver(gazetteer):
    from geoconflict.resolver import Resolver

    return Resolver(gazetteer)


@pytest.fixture(scope="session")
def dask_client():
    """One 2-process Dask LocalCluster shared by the modules that only compute on it."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  memory_limit="2GiB") as local, distributed.Client(local) as connected:
        yield connected
