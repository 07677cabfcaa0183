"""Renderers as HTML strings and figures (the browser tests live in tests/browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pandas as pd
import pytest

from geoconflict.cli import main
from geoconflict.errors import InputError
from geoconflict.extract import extract_events
from geoconflict.render import (
    plot_choropleth,
    plot_small_multiples,
    render_choropleth,
    render_points,
    render_points_timeline,
    render_timeline,
    save_figure,
)
from geoconflict.render._base import classify
from geoconflict.render._data import all_periods, prepare_events, script_json

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


@pytest.fixture(scope="module")
def events(resolver):
    return extract_events([EXAMPLES], resolver=resolver).events


def test_renderers_return_maps_and_write_nothing(events, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    maps = [render_choropleth(events), render_timeline(events), render_points(events),
            render_points_timeline(events)]
    assert all(isinstance(m, folium.Map) for m in maps)
    assert list(tmp_path.iterdir()) == []
    assert "<iframe" in maps[0]._repr_html_()  # displays inline in Jupyter


def test_self_contained_maps_have_no_external_reference(events):
    for m in (render_choropleth(events, self_contained=True), render_points(events, self_contained=True),
              render_timeline(events, self_contained=True), render_points_timeline(events, self_contained=True)):
        page = m.get_root().render()
        assert not re.search(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?https?://""", page)
        assert "tile.openstreetmap" not in page
        assert "L.map" in page or "L.map(" in page


def test_default_maps_link_only_pinned_leaflet(events):
    page = render_points(events).get_root().render()
    links = set(re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["'](https?://[^"']+)""", page))
    assert links == {"https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
                     "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"}


def test_script_json_cannot_close_the_script():
    text = script_json({"a": "</script><script>alert(1)</script>", "b": "x & y", "c": "\u2028"})
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "x & y", "c": "\u2028"}


def test_hostile_text_never_appears_as_markup(events):
    hostile = events.copy()
    hostile["evidence"] = '<script>alert("x")</script>'
    hostile["title"] = '<img src=x onerror=alert(1)>'
    page = render_points(hostile).get_root().render()
    assert "<script>alert" not in page and "<img src=x" not in page


def test_template_syntax_in_article_text_is_not_evaluated(events):
    """Jinja syntax in article text stays text: maps are never run through a template engine."""
    tricky = events.copy()
    tricky["evidence"] = "{{ 7 * 7 }} {% for x in y %} {# note #}"
    tricky["location"] = "{{ config }}"
    page = render_points(tricky).get_root().render()
    block = re.search(r'<script type="application/json" id="gc-data-[^"]+">(.*?)</script>', page, re.DOTALL)
    data = json.loads(block.group(1))
    assert data["events"]["evidence"][0] == "{{ 7 * 7 }} {% for x in y %} {# note #}"
    assert data["events"]["location"][0] == "{{ config }}"
    assert "49" not in data["events"]["evidence"][0]


def test_classify_skewed_counts():
    classes, legend = classify([0, 0, 1, 1, 2, 3, 40, 250])
    assert classes[:2] == [0, 0] and classes[-1] == max(classes) and legend[0]["label"] == "0"
    assert len(legend) <= 6 and classes[-2] > classes[2]
    assert classify([0, 0]) == ([0, 0], [{"color": "#f2f2f2", "label": "0"}])


def test_periods_include_empty_months(events):
    dates = pd.Series(pd.to_datetime(["2025-01-15", "2025-04-02", None]))
    assert all_periods(dates, "month") == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert all_periods(dates, "year") == ["2025"]
    assert len(all_periods(dates, "week")) >= 11


def test_acled_export_is_understood(layers):
    acled = pd.DataFrame({"event_date": ["2024-08-26"], "admin1": ["Balochistan"], "admin2": ["Musakhel"],
                          "location": ["Rarasham"], "latitude": [30.86], "longitude": [69.82], "geo_precision": [2],
                          "fatalities": [23], "actor1": ["BLA"], "sub_event_type": ["Attack"]})
    prepared = prepare_events(acled, layers.districts)
    row = prepared.iloc[0]
    assert (row["killed"], row["actor"], row["event_type"]) == (23, "BLA", "armed assault")
    assert row["admin2_id"] == "PAK-BA-MUSAKHEL" and str(row["date"].date()) == "2024-08-26"


def test_bad_options_are_clear_errors(events):
    with pytest.raises(InputError, match="value"):
        render_choropleth(events, value="deaths")
    with pytest.raises(InputError, match="Baluchistan"):
        render_choropleth(events, provinces=["Baluchistan"])
    with pytest.raises(InputError, match="latitude"):
        render_points(pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="period"):
        render_timeline(events, period="decade")


def test_figures(events, tmp_path):
    path = save_figure(plot_choropleth(events, value="killed"), tmp_path / "c.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    multiples = plot_small_multiples(events, period="month")
    assert len(multiples.axes) == len(all_periods(pd.to_datetime(events["date_start"]), "month"))
    undated = events.assign(date_start=None)
    with pytest.raises(InputError, match="no event has a date"):
        plot_small_multiples(undated)


def test_timeline_html_stays_small_for_36_months(events):
    base = events[events["admin2_id"].notna()]
    months = pd.date_range("2022-01-01", periods=36, freq="MS")
    many = pd.concat([base.assign(date_start=str(m.date()), event_id=f"{m:%Y%m}-" + base["event_id"])
                      for m in months], ignore_index=True)
    m = render_timeline(many, provinces=["Balochistan"])
    size = len(m.get_root().render().encode("utf-8"))
    assert size <= 2 * 2**20, size


def test_cli_map_and_run(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", str(EXAMPLES), "--out", str(out), "--self-contained", "--no-progress"]) == 0
    for name in ("events.csv", "events.geojson", "unresolved.csv", "manifest.csv", "choropleth.html",
                 "timeline.html", "points.html", "points-timeline.html", "choropleth.png", "small-multiples.png",
                 "index.html"):
        assert (out / name).stat().st_size > 0, name
    index = (out / "index.html").read_text()
    assert "Pelvarabad" in index and 'href="choropleth.html"' in index
    assert main(["map", str(out / "events.csv"), "--kind", "timeline", "--value", "killed",
                 "-o", str(tmp_path / "t.html")]) == 0
    assert main(["map", str(out / "events.csv"), "--kind", "multiples", "-o", str(tmp_path / "m.png")]) == 0
    assert main(["map", str(out / "events.csv"), "--kind", "points", "-o", str(tmp_path / "p.png")]) == 1
    assert "ending in .html" in capsys.readouterr().err
