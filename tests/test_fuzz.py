"""Fuzzing with hypothesis: random and adversarial input never escapes as an exception, and every input is
accounted for (issue 12). Examples are few and bounded so the file runs in seconds."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoconflict.errors import GeoconflictError
from geoconflict.extract.articles import Article, Skip, read_articles
from geoconflict.extract.pipeline import iter_extractions

FAST = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Pieces an adversary (or a messy feed) combines: place phrases, numbers, verbs, markup, controls, brackets.
PIECES = ["Turbat", "Quetta", "Kalat's Manguchar area", "the Chatkan area of Panjgoor", "Kech district",
          "Balochistan", "Kandahar", "BLA", "Baloch Liberation Army", "killed", "at least 17", "five soldiers",
          "injured", "attacked", "on Monday", "between 3 and 5 March", "in 2024", "=HYPERLINK(1)", "<script>",
          "</p>", "&amp;", "\x1b[31m", "\u202e", "\x00", "\ufffd", "'s", " area of", ",", ".", "?", "\n", "\n\n",
          "(", "[", "{", '"', "99999999999999999999", "-1", "1e400", "NaN", "\t"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=60).map(" ".join)


@pytest.fixture(scope="module")
def spotted(resolver):
    return resolver


@FAST
@given(records=st.lists(st.one_of(
    st.fixed_dictionaries({"id": st.one_of(st.text(max_size=10), st.integers(), st.none()), "text": texts},
                          optional={"published": st.text(max_size=12), "title": texts,
                                    "url": st.text(max_size=20)}),
    st.lists(st.integers(), max_size=3), st.text(max_size=20), st.none(), st.booleans()), max_size=6),
    junk=st.lists(st.binary(max_size=40), max_size=3))
def test_jsonl_every_line_is_one_article_or_one_skip(records, junk):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        lines = [json.dumps(r).encode() for r in records] + [j.replace(b"\n", b" ") for j in junk]
        path.write_bytes(b"\n".join(lines) + b"\n")
        items = list(read_articles([path]))
        # a byte-order mark opening the file marks its encoding; it is not a line of content
        content = [line.removeprefix(b"\xef\xbb\xbf") if i == 0 else line for i, line in enumerate(lines)]
        expected = sum(1 for line in content if line.decode("utf-8", "replace").strip())
        assert len(items) == max(expected, 1)  # a feed with no records is one Skip ("no records")
        assert all(isinstance(i, (Article, Skip)) for i in items)


@FAST
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".csv", ".json", ".html", ".jsonl"]))
def test_any_bytes_in_any_file_give_articles_or_skips(raw, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(raw)
        items = list(read_articles([path]))
        assert all(isinstance(i, (Article, Skip)) for i in items)
        if suffix in (".txt", ".html"):
            assert len(items) == 1


@FAST
@given(cells=st.lists(st.lists(st.one_of(texts, st.sampled_from(['"', '""', '"\n', "\r\n", ","])), min_size=1,
                                max_size=4), max_size=8))
def test_csv_with_random_cells_never_raises(cells):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.csv"
        path.write_text("id,text\n" + "\n".join(",".join(row) for row in cells) + "\n", encoding="utf-8")
        assert all(isinstance(i, (Article, Skip)) for i in read_articles([path]))


@FAST
@given(name=st.one_of(texts, st.text(max_size=80)))
def test_resolver_answers_every_name(spotted, name):
    result = spotted.resolve(name)
    assert result.status in {"resolved", "ambiguous", "unresolved"}
    assert result.query == name


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(articles=st.lists(texts, min_size=1, max_size=4))
def test_extractor_accounts_for_every_article(spotted, articles):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        path.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(articles)),
                        encoding="utf-8")
        items = list(iter_extractions([path], resolver=spotted))
        assert len(items) == len(articles)
        assert [getattr(i, "article_id", None) or i.article.article_id for i in items] == \
            [str(i) for i in range(len(articles))]


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10**6),
                    st.sampled_from(["26°N", "1e400", "inf", "", "  ", "12,5", "-0", None]))
rows = st.fixed_dictionaries({
    "event_date": st.one_of(st.sampled_from(["2025-03-01", "0001-01-01", "9999-12-31", "", "yesterday"]),
                            st.text(max_size=10)),
    "latitude": st.one_of(st.floats(24, 32), numbers), "longitude": st.one_of(st.floats(61, 71), numbers),
    "fatalities": numbers, "geo_precision": st.one_of(st.integers(0, 5), numbers),
    "admin1": st.sampled_from(["Balochistan", "Sindh", "", "=1+1"]), "admin2": st.sampled_from(["Kech", "", "X"]),
    "location": texts, "actor1": texts, "sub_event_type": st.sampled_from(["Attack", "Grenade", "?", ""]),
})


MAP_SETTINGS = settings(max_examples=10, deadline=None, derandomize=True,
                        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
BUILDERS = ("points", "points-timeline", "timeline", "choropleth")


def _build(kind: str, frame: pd.DataFrame):
    from geoconflict.render import (
        render_choropleth,
        render_points,
        render_points_timeline,
        render_timeline,
    )

    build = {"points": render_points, "points-timeline": render_points_timeline, "timeline": render_timeline,
             "choropleth": render_choropleth}[kind]
    return build(frame, self_contained=True).get_root().render()


@MAP_SETTINGS
@given(table=st.lists(rows, min_size=1, max_size=5), kind=st.sampled_from(BUILDERS))
def test_map_builders_take_any_acled_rows_or_say_why_not(layers, table, kind):
    try:
        html = _build(kind, pd.DataFrame(table))
    except GeoconflictError:
        return
    assert "<html" in html.lower()


valid_events = st.fixed_dictionaries({
    "event_id": st.text(max_size=8), "article_id": texts, "title": texts, "url": st.sampled_from(
        ["https://example.org/a", "javascript:alert(1)", "", "=HYPERLINK(1)"]),
    "event_date": st.sampled_from(["2025-03-01", "2024-12-31", "", "0001-01-01", "9999-12-31"]),
    "date_precision": st.sampled_from(["day", "month", "unknown", ""]),
    "location": texts, "admin1": st.sampled_from(["Balochistan", "Sindh", ""]),
    "admin2": st.sampled_from(["Kech", "Quetta", ""]), "geo_precision": st.sampled_from([1, 2, 3, 4, ""]),
    "latitude": st.floats(24.5, 31.5), "longitude": st.floats(61.5, 70.5),
    "actor": texts, "event_type": st.sampled_from(["armed assault", "bombing/IED", "other", "<b>x</b>"]),
    "killed": st.sampled_from(["", 0, 3, 17, 250]), "injured": st.sampled_from(["", 1, 40]), "evidence": texts,
}).map(lambda r: {**r, "date_start": r["event_date"], "date_end": r["event_date"]})


@MAP_SETTINGS
@given(table=st.lists(valid_events, min_size=1, max_size=6), kind=st.sampled_from(BUILDERS))
def test_map_builders_draw_any_well_formed_events(layers, tmp_path_factory, table, kind):
    folder = tmp_path_factory.mktemp("events")
    path = folder / "events.csv"
    from geoconflict.io import load_events, save_events

    save_events(pd.DataFrame(table), path)  # through the file, as `extract` writes and `map` reads it

    html = _build(kind, load_events(path))
    assert "<html" in html.lower() and "<script>alert" not in html
