"""Every map type opened in real Chromium: what is drawn, what moves, what is asked of the network."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geoconflict.districts import load_districts
from geoconflict.extract import extract_events
from geoconflict.render import (
    render_choropleth,
    render_points,
    render_points_timeline,
    render_timeline,
    save_map,
)

RULES = Path(__file__).resolve().parents[1] / "data" / "articles"


@pytest.fixture(scope="module")
def events(resolver, seed_files):
    run = extract_events([*seed_files, RULES], resolver=resolver)
    return run.events


def _districts_in(provinces):
    return int(load_districts(provinces=provinces).shape[0])


def _fills(page):
    return page.eval_on_selector_all("path.gc-district", "els => els.map(e => e.getAttribute('fill'))")


def _clean(opened, *, offline=False):
    assert opened.errors == [], opened.errors
    assert opened.blocked == [], opened.blocked
    assert opened.dialogs == []
    if offline:
        assert opened.requests == [], opened.requests


@pytest.mark.parametrize("self_contained", [False, True])
def test_choropleth_draws_every_district(events, tmp_path, open_map, self_contained):
    path = save_map(render_choropleth(events, self_contained=self_contained), tmp_path / "choropleth.html")
    opened = open_map(path)
    page = opened.page
    provinces = sorted(set(events["admin1"].dropna()))
    assert page.locator("path.gc-district").count() == _districts_in(provinces)
    assert page.locator("path.gc-province").count() >= len(provinces)
    fills = _fills(page)
    assert len(set(fills)) >= 3  # zero and at least two classes
    legend = page.locator(".gc-legend").inner_text()
    assert "Events per district" in legend
    page.locator("path.gc-district").first.hover()
    assert "Province" in page.locator(".leaflet-tooltip").inner_text()
    _clean(opened, offline=self_contained)
    if not self_contained:
        assert any("leaflet@1.9.3" in url for url in opened.requests)


def test_timeline_slider_changes_colours(events, tmp_path, open_map):
    path = save_map(render_timeline(events, value="events", period="month"), tmp_path / "timeline.html")
    opened = open_map(path)
    page = opened.page
    assert page.locator("path.gc-district").count() == _districts_in(sorted(set(events["admin1"].dropna())))
    months = int(page.eval_on_selector(".gc-range", "e => Number(e.max)")) + 1
    assert months > 12
    seen = set()
    for index in range(months):
        page.eval_on_selector(".gc-range", f"e => {{ e.value = '{index}'; e.dispatchEvent(new Event('input')); }}")
        seen.add(tuple(_fills(page)))
        assert page.locator(".gc-period").inner_text()
    assert len(seen) >= 3  # different months colour districts differently
    undated = int(events["date_start"].isna().sum())
    assert f"{undated} undated events are shown as points" in page.locator(".gc-note").inner_text()
    assert page.locator("path.gc-event").count() == undated
    _clean(opened)


def test_points_one_marker_per_event_with_precision_styles(events, tmp_path, open_map):
    path = save_map(render_points(events, cluster=False), tmp_path / "points.html")
    opened = open_map(path)
    page = opened.page
    assert page.locator("path.gc-event").count() == len(events)
    for precision in (1, 2, 3, 4):
        expected = int((events["geo_precision"] == precision).sum())
        assert page.locator(f"path.gc-p{precision}").count() == expected
    dashed = page.eval_on_selector_all("path.gc-p3", "els => els.map(e => e.getAttribute('stroke-dasharray'))")
    assert dashed and all(d for d in dashed)
    page.locator("path.gc-p1").first.click(force=True)
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "Actor" in popup and "Article:" in popup
    _clean(opened)


def test_points_cluster_when_many(events, tmp_path, open_map):
    many = pd.concat([events] * 40, ignore_index=True).assign(event_id=lambda f: f.index.astype(str))
    path = save_map(render_points(many), tmp_path / "cluster.html")
    opened = open_map(path)
    assert opened.page.locator(".marker-cluster").count() > 0
    assert opened.page.evaluate("geoconflict.markers.length") == len(many)
    _clean(opened)


def test_points_timeline_slider_filters_markers(events, tmp_path, open_map):
    path = save_map(render_points_timeline(events, cluster=False, self_contained=True), tmp_path / "ptl.html")
    opened = open_map(path)
    page = opened.page
    undated = int(events["date_start"].isna().sum())
    counts = []
    months = int(page.eval_on_selector(".gc-range", "e => Number(e.max)")) + 1
    for index in range(months):
        page.eval_on_selector(".gc-range", f"e => {{ e.value = '{index}'; e.dispatchEvent(new Event('input')); }}")
        counts.append(page.locator("path.gc-event").count() - undated)
    assert sum(counts) == len(events) - undated
    assert len(set(counts)) >= 2
    assert str(undated) in page.locator(".gc-note").inner_text()
    _clean(opened, offline=True)


def test_acled_export_maps(tmp_path, open_map):
    acled = pd.DataFrame({
        "event_date": ["2024-08-26", "2024-08-26", "2024-09-02"], "admin1": ["Balochistan"] * 3,
        "admin2": ["Musakhel", "Kech", "Quetta"], "location": ["Rarasham", "Turbat", "Quetta"],
        "latitude": [30.86, 26.00122, 30.18414], "longitude": [69.82, 63.04849, 67.00141], "geo_precision": [2, 1, 1],
        "fatalities": [23, 1, 0], "actor1": ["BLA", "Unidentified Armed Group", "BLA"],
        "sub_event_type": ["Attack", "Attack", "Remote explosive/landmine/IED"],
    })
    path = save_map(render_choropleth(acled, value="killed", self_contained=True), tmp_path / "acled.html")
    opened = open_map(path)
    fills = _fills(opened.page)
    assert len(fills) == _districts_in(["Balochistan"]) and len(set(fills)) == 3  # 0, 1 and 23 killed
    _clean(opened, offline=True)


HOSTILE = [
    '<script>window.__pwned = 1</script>',
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "'; window.__pwned = 4; '",
    '</script><script>window.__pwned = 5</script>',
]


def test_hostile_article_text_is_shown_literally(tmp_path, open_map, resolver):
    feed = tmp_path / "hostile.jsonl"
    lines = []
    for i, payload in enumerate(HOSTILE):
        text = (f"Published: 1 March 2025\nGunmen attacked a checkpoint in Turbat {payload} on Monday, "
                f"killing two soldiers {payload}. The BLA claimed responsibility.")
        lines.append(json.dumps({"id": f"h{i}{payload}", "text": text, "title": f"Title {payload}",
                                 "url": "javascript:window.__pwned=9" if i % 2 else f"https://x/{payload}"}))
    feed.write_text("\n".join(lines), encoding="utf-8")
    events = extract_events([feed], resolver=resolver).events
    assert len(events) == len(HOSTILE)
    events.loc[0, "location"] = HOSTILE[0]
    events.loc[1, "target"] = HOSTILE[1]
    for kind, m in [("points", render_points(events, cluster=False)),
                    ("ptl", render_points_timeline(events, cluster=False)),
                    ("choropleth", render_choropleth(events)), ("timeline", render_timeline(events))]:
        path = save_map(m, tmp_path / f"{kind}.html")
        opened = open_map(path)
        page = opened.page
        if kind.startswith("p"):
            shown = ""
            for i in range(len(events)):
                page.evaluate(f"geoconflict.markers[{i}].fire('click', {{latlng: geoconflict.markers[{i}].getLatLng()}}, true)")
                shown += page.evaluate(
                    "Array.from(document.querySelectorAll('.leaflet-popup-content')).map(e => e.innerText).join()")
            assert "<script>window.__pwned = 1</script>" in shown
            assert '<img src=x onerror="window.__pwned = 2">' in shown
            assert page.locator(".leaflet-popup-content a[href^='javascript']").count() == 0
        else:
            page.locator("path.gc-district").first.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", kind
        assert page.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
        _clean(opened)
