"""One large JSON Lines or Parquet file cut into parts: the parts, read in order, are the whole file."""

from __future__ import annotations

import json

import pytest

from geoconflict.extract import file_parts
from geoconflict.extract.articles import read_article_file
from geoconflict.extract.file_parts import split_file

from .conftest import SHARED

CORPUS = SHARED / "data" / "corpus" / "articles"


def corpus_records() -> list[dict[str, str]]:
    return [{"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in sorted(CORPUS.glob("*.txt"))]


def write_feed(path, records):
    """A JSON Lines feed of the corpus with a blank line, a broken line and a non-object line among the records."""
    lines = [json.dumps(r) for r in records]
    lines[3:3] = ["", "{not json", "[1, 2]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path, part=None):
    return list(read_article_file(path, "feed", {}, part))


@pytest.mark.parametrize("block", [1 << 20, 97])  # 97-byte blocks: cuts and newlines fall across block edges
def test_jsonl_parts_read_in_order_are_the_whole_file(tmp_path, monkeypatch, block):
    monkeypatch.setattr(file_parts, "_BLOCK", block)
    feed = write_feed(tmp_path / "feed.jsonl", corpus_records())
    parts = split_file(feed, 10_000)
    assert len(parts) > 5
    assert parts[0].start == 0 and parts[-1].stop == feed.stat().st_size
    assert all(a.stop == b.start for a, b in zip(parts, parts[1:]))
    whole = read(feed)
    assert len(whole) == 42  # 40 articles, a broken line and a non-object line (the blank line is no record)
    assert [item for part in parts for item in read(feed, part)] == whole


def test_parquet_parts_follow_row_groups(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    path = tmp_path / "feed.parquet"
    pq.write_table(pa.Table.from_pylist(corpus_records()), path, row_group_size=6)  # 7 row groups
    parts = split_file(path, 1)
    assert [(p.start, p.stop, p.before) for p in parts] == [(g, g + 1, 6 * g) for g in range(7)]
    whole = read(path)
    assert len(whole) == 40 and whole[-1].origin == f"{path}:40"
    assert [item for part in parts for item in read(path, part)] == whole


def test_small_compressed_and_csv_files_are_read_whole(tmp_path):
    import gzip

    records = corpus_records()
    feed = write_feed(tmp_path / "feed.jsonl", records)
    assert split_file(feed, feed.stat().st_size) == []
    packed = tmp_path / "feed.jsonl.gz"
    packed.write_bytes(gzip.compress(feed.read_bytes()))
    assert split_file(packed, 1000) == []
    table = tmp_path / "feed.csv"
    table.write_text("id,text\n" + "".join(f'{r["id"]},"{r["text"][:50]}"\n' for r in records), encoding="utf-8")
    assert split_file(table, 100) == []
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n" * 5000, encoding="utf-8")
    assert split_file(blank, 100) == []  # read whole, so its one "no records" row is kept
