"""Archive inputs (gzip, zstd, Parquet, column mapping) and GeoParquet events round-trip."""

from __future__ import annotations

import gzip
import json

import geopandas as gpd
import pytest
from pandas.testing import assert_frame_equal

from geoconflict.errors import InputError
from geoconflict.extract.articles import Article, Skip, read_articles
from geoconflict.extract.pipeline import extract_events
from geoconflict.io import save_events

from .conftest import REPO

ROWS = [
    {"doc_id": "r1", "body": "Gunmen fired on a police post in Turbat on Monday and wounded three constables.",
     "published": "2024-03-04"},
    {"doc_id": "r2", "body": "A roadside bomb hit a lorry near Khuzdar on Friday, killing its driver.",
     "published": "2025-07-11"},
]


def _plain(items):
    return [(i.article_id, i.text, i.published) for i in items if isinstance(i, Article)]


def test_gzip_zstd_and_parquet_read_like_plain_jsonl(tmp_path):
    plain = tmp_path / "feed.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    expected = _plain(read_articles([plain], columns="id=doc_id,text=body"))
    assert [e[0] for e in expected] == ["r1", "r2"]
    gz = tmp_path / "feed.jsonl.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    zstandard = pytest.importorskip("zstandard")
    zst = tmp_path / "feed.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(plain.read_bytes()))
    csv_gz = tmp_path / "feed.csv.gz"
    csv_gz.write_bytes(gzip.compress(("doc_id,body,published\n" + "".join(
        f'{r["doc_id"]},"{r["body"]}",{r["published"]}\n' for r in ROWS)).encode()))
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    parquet = tmp_path / "feed.parquet"
    pq.write_table(pa.table({"doc_id": [r["doc_id"] for r in ROWS], "body": [r["body"] for r in ROWS],
                             "published": pa.array([r["published"] for r in ROWS]).cast(pa.date32())}), parquet)
    for path in (gz, zst, csv_gz, parquet):
        assert _plain(read_articles([path], columns={"id": "doc_id", "text": "body"})) == expected, path


def test_bad_archives_are_recorded_skips(tmp_path):
    broken = tmp_path / "cut.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"id": "a", "text": "x"}\n' * 50)[:30])
    parquet = tmp_path / "no_text.parquet"
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"]}), parquet)
    items = list(read_articles([broken, parquet]))
    assert all(isinstance(i, Skip) for i in items) and len(items) == 2
    assert "text" in items[1].reason
    with pytest.raises(InputError, match="unknown article column"):
        list(read_articles([parquet], columns="body=text"))


def test_geoparquet_round_trips(resolver, tmp_path):
    pytest.importorskip("pyarrow")
    events = extract_events([REPO / "examples" / "articles"], resolver=resolver).events
    assert len(events) > 5
    path = save_events(events, tmp_path / "events.parquet")
    back = gpd.read_parquet(path)
    assert back.crs == events.crs
    assert_frame_equal(back, events, check_dtype=False)
    folder = save_events(events, tmp_path / "by_year.parquet", partition_by="year")
    parts = gpd.read_parquet(folder)
    assert len(parts) == len(events)
    assert set(parts["event_id"]) == set(events["event_id"])
