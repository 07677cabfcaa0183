"""The files the README's commands use exist and do what the README says."""

from __future__ import annotations

import re
from pathlib import Path

from geoconflict.extract import extract_events

REPO = Path(__file__).resolve().parents[1]


def test_every_example_path_in_the_readme_exists():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"\bexamples/[\w./-]+\w", readme))
    assert {"examples/names.txt", "examples/feed.jsonl", "examples/articles"} <= paths
    for path in paths:
        assert (REPO / path).exists(), path


def test_example_feed_needs_published_for_its_undated_report(resolver):
    from datetime import date

    feed = REPO / "examples" / "feed.jsonl"
    undated = extract_events([feed], resolver=resolver).events
    assert sorted(undated["admin2"]) == ["Kohlu", "Surab", "Washuk"]
    assert int(undated["date_start"].isna().sum()) == 1
    dated = extract_events([feed], resolver=resolver, published=date(2025, 11, 5)).events
    assert dated["date_start"].notna().all()
