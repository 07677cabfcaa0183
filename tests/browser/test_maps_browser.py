"""Every map type and the run report opened in real Chromium with the network cut: what is drawn,
what moves, what can be clicked, and what is asked of the network (by default: nothing)."""

from __future__ import annotations

import json
import math
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
from geoconflict.render.points import unplaced_mask
from geoconflict.run import run_all

RULES = Path(__file__).resolve().parents[1] / "data" / "articles"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(scope="module")
def events(resolver, seed_files):
    run = extract_events([*seed_files, RULES], resolver=resolver)
    return run.events[run.events["reported_as"] == "main"].reset_index(drop=True)  # what maps draw by default


def _districts_in(provinces):
    return int(load_districts(provinces=provinces).shape[0])


def _fills(page):
    return page.eval_on_selector_all("path.gc-district", "els => els.map(e => e.getAttribute('fill'))")


def _clean(opened, *, offline=True):
    assert opened.errors == [], opened.errors
    assert opened.blocked == [], opened.blocked
    assert opened.dialogs == []
    if offline:
        assert opened.requests == [], opened.requests


def _set_slider(page, index):
    page.eval_on_selector(".gc-range", f"e => {{ e.value = '{index}'; e.dispatchEvent(new Event('input')); }}")


def _province_only(events):
    return int((events["admin2"].isna()).sum())


def test_choropleth_offline_explains_itself(events, tmp_path, open_map):
    path = save_map(render_choropleth(events), tmp_path / "choropleth.html")
    opened = open_map(path)
    page = opened.page
    provinces = sorted(set(events["admin1"].dropna()))
    districts = _districts_in(provinces)
    assert page.locator("path.gc-district").count() == districts
    assert page.locator("path.gc-province").count() >= len(provinces)
    assert len(set(_fills(page))) >= 3  # zero and at least two classes
    assert page.locator(".gc-district-label").count() == districts
    shown = page.locator(".gc-district-label:not(.gc-hidden)").count()
    assert 5 <= shown < districts  # names where they fit at this zoom
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(400)
    assert page.locator(".gc-district-label:not(.gc-hidden)").count() > shown  # more fit when zoomed in
    assert page.locator(".gc-town-label").count() >= 8
    regions = page.locator(".gc-region-label").all_inner_texts()
    assert "IRAN" in regions and "AFGHANISTAN" in regions
    assert "Balochistan" in page.locator(".gc-title").inner_text()
    assert "Events per district" in page.locator(".gc-legend").inner_text()
    unplaced = _province_only(events)
    assert unplaced and page.locator(".gc-unplaced-item").count() == unplaced
    page.locator(".gc-unplaced-item summary").first.click()
    assert "Actor" in page.locator(".gc-unplaced-item .gc-popup").first.inner_text()
    credits = page.locator(".gc-credits").inner_text()
    assert "geoBoundaries" in credits and "GeoNames" in credits
    page.locator("path.gc-district").first.hover()
    assert "Province" in page.locator(".leaflet-tooltip").inner_text()
    legend_box = page.locator(".gc-legend").bounding_box()
    map_box = page.locator(".folium-map").bounding_box()
    assert legend_box["x"] >= map_box["x"] + map_box["width"] - 1  # the legend is beside the map, not on it
    _clean(opened)


def test_cdn_map_loads_with_integrity_and_basemap(events, tmp_path, open_map):
    path = save_map(render_choropleth(events, self_contained=False), tmp_path / "cdn.html")
    opened = open_map(path)
    assert any("leaflet@1.9.3" in url for url in opened.requests)
    assert any("tile.openstreetmap.org" in url for url in opened.requests)  # basemap shown when linked
    _clean(opened, offline=False)


def test_cdn_map_without_network_says_why(events, tmp_path, open_map):
    path = save_map(render_choropleth(events, self_contained=False), tmp_path / "cdn.html")
    opened = open_map(path, ready=None, cdn=False)
    opened.page.wait_for_selector(".gc-no-leaflet", timeout=10_000)
    assert "could not load its map library" in opened.page.locator(".gc-no-leaflet").inner_text()


def test_timeline_chart_and_slider_agree(events, tmp_path, open_map):
    path = save_map(render_timeline(events, value="events", period="month"), tmp_path / "timeline.html")
    opened = open_map(path)
    page = opened.page
    bars = page.locator("rect.gc-bar")
    months = int(page.eval_on_selector(".gc-range", "e => Number(e.max)")) + 1
    assert months > 12 and bars.count() == months
    values = [int(v) for v in page.eval_on_selector_all("rect.gc-bar", "els => els.map(e => e.dataset.value)")]
    first = next(i for i, v in enumerate(values) if v > 0)
    assert int(page.eval_on_selector(".gc-range", "e => Number(e.value)")) == first  # opens on data
    seen = set()
    for index in range(months):
        _set_slider(page, index)
        current = page.eval_on_selector_all("rect.gc-bar-current", "els => els.map(e => Number(e.dataset.index))")
        assert current == [index]
        assert f"({values[index]} " in page.locator(".gc-period-value").inner_text()
        seen.add(tuple(_fills(page)))
    assert len(seen) >= 3  # different months colour districts differently
    page.locator("rect.gc-bar-hit").nth(first).click()
    assert int(page.eval_on_selector(".gc-range", "e => Number(e.value)")) == first  # the chart moves the slider
    page.locator(".gc-play").click()
    page.wait_for_function(f"Number(document.querySelector('.gc-range').value) !== {first}", timeout=5000)
    page.locator(".gc-play").click()
    main = events[events["reported_as"] != "background"]  # maps leave background rows off by default
    dated = main[main["date_start"].notna() & main["admin2"].notna()]
    assert sum(values) == len(dated)
    undated = int((main["date_start"].isna() & main["admin2"].notna()).sum())
    assert f"{undated} undated events are shown as points" in page.locator(".gc-note").inner_text()
    assert page.evaluate("geoconflict.markers.length") == undated
    _clean(opened)


def test_points_every_marker_opens(events, tmp_path, open_map):
    path = save_map(render_points(events, cluster=False), tmp_path / "points.html")
    opened = open_map(path)
    page = opened.page
    drawn = events[~unplaced_mask(events.assign(geo_precision=events["geo_precision"].astype(int)))]
    assert page.evaluate("geoconflict.layer.getLayers().length") == len(drawn)
    visible = page.locator("path.gc-event").count()
    in_clusters = page.evaluate("""Array.from(document.querySelectorAll('.marker-cluster span'))
                                   .reduce((s, e) => s + Number(e.textContent), 0)""")
    assert visible + in_clusters == len(drawn)
    assert page.locator(".gc-unplaced-item").count() == _province_only(events)
    district_only = int((drawn["geo_precision"].astype(int) == 3).sum())
    assert district_only and page.locator(".gc-district-only li").count() == district_only  # listed beside it
    page.locator(".gc-district-only button").first.click()
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)  # the list opens the event on the map
    for i in range(len(drawn)):
        page.evaluate("geoconflict.map.closePopup()")
        page.evaluate(f"geoconflict.open({i})")
        page.wait_for_selector(".leaflet-popup-content", timeout=5000)
        assert "Actor" in page.locator(".leaflet-popup-content").inner_text()
    sizes = page.locator(".gc-legend .gc-shape-size")
    assert sizes.count() == 3
    widths = [sizes.nth(i).bounding_box()["width"] for i in range(3)]
    assert widths == sorted(widths) and widths[0] < widths[-1]
    _clean(opened)


def test_markers_on_one_spot_spread_and_each_can_be_clicked(events, tmp_path, open_map):
    one = events[events["geo_precision"] == 1].head(1)
    pair = pd.concat([one, one], ignore_index=True).assign(event_id=["first", "second"], killed=[1, 9])
    path = save_map(render_points(pair), tmp_path / "pair.html")
    opened = open_map(path)
    page = opened.page
    assert page.locator("path.gc-event").count() == 0  # one numbered circle, nothing hidden under another
    shown = set()
    for i in range(2):
        if page.locator("path.gc-event").count() < 2:  # spread them (again, after a popup moved the map)
            page.locator(".marker-cluster").click()
            page.wait_for_function("document.querySelectorAll('path.gc-event').length === 2", timeout=5000)
        page.locator("path.gc-event").nth(i).click(force=True)
        page.wait_for_selector(".leaflet-popup-content", timeout=5000)
        shown.add(page.locator(".leaflet-popup-content tr:has(th:text('Killed')) td").inner_text())
    assert shown == {"1", "9"}
    center = page.evaluate("(() => { const m = Object.values(window).find(v => v && v._leaflet_id && v.getCenter);"
                           " const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; })()")
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in center)  # no NaN view for one spot
    _clean(opened)


def test_points_timeline_slider_filters_markers(events, tmp_path, open_map):
    path = save_map(render_points_timeline(events, cluster=False), tmp_path / "ptl.html")
    opened = open_map(path)
    page = opened.page
    drawn = events[~unplaced_mask(events.assign(geo_precision=events["geo_precision"].astype(int)))]
    undated = int(drawn["date_start"].isna().sum())
    counts = []
    months = int(page.eval_on_selector(".gc-range", "e => Number(e.max)")) + 1
    values = [int(v) for v in page.eval_on_selector_all("rect.gc-bar", "els => els.map(e => e.dataset.value)")]
    first = next(i for i, v in enumerate(values) if v > 0)
    assert int(page.eval_on_selector(".gc-range", "e => Number(e.value)")) == first  # opens on data
    assert page.evaluate("geoconflict.layer.getLayers().length") == values[first]
    last = max(i for i, v in enumerate(values) if v > 0)
    page.locator("rect.gc-bar-hit").nth(last).click()  # a bar moves the slider and the markers
    assert int(page.eval_on_selector(".gc-range", "e => Number(e.value)")) == last
    assert page.evaluate("geoconflict.layer.getLayers().length") == values[last]
    page.locator(".gc-play").click()
    page.wait_for_function(f"Number(document.querySelector('.gc-range').value) !== {last}", timeout=5000)
    page.locator(".gc-play").click()
    for index in range(months):
        _set_slider(page, index)
        counts.append(page.evaluate("geoconflict.layer.getLayers().length"))
    assert counts == values  # the chart counts what the slider shows
    assert sum(counts) == len(drawn) - undated
    assert len(set(counts)) >= 2
    assert page.evaluate("geoconflict.undated.getLayers().length") == undated
    _clean(opened)


def test_merged_points_timeline_slider_shows_each_periods_events(events, tmp_path, open_map):
    drawn = events[~unplaced_mask(events.assign(geo_precision=events["geo_precision"].astype(int)))]
    many = pd.concat([drawn] * 3, ignore_index=True).assign(event_id=lambda f: f.index.astype(str))
    opened = open_map(save_map(render_points_timeline(many, merge=True), tmp_path / "merged-ptl.html"))
    page = opened.page
    assert "merged" in page.locator(".gc-merged-note").inner_text()
    values = [int(v) for v in page.eval_on_selector_all("rect.gc-bar", "els => els.map(e => e.dataset.value)")]
    counted = "geoconflict.layer.getLayers().reduce((n, m) => n + m.options.gcCount, 0)"
    shown = []
    for index in range(len(values)):
        _set_slider(page, index)
        shown.append(page.evaluate(counted))
    assert shown == values and sum(values) == 3 * int(drawn["date_start"].notna().sum())
    undated = page.evaluate("geoconflict.undated.getLayers().reduce((n, m) => n + m.options.gcCount, 0)")
    assert undated == 3 * int(drawn["date_start"].isna().sum())
    _clean(opened)


def test_points_cluster_when_many(events, tmp_path, open_map):
    many = pd.concat([events] * 40, ignore_index=True).assign(event_id=lambda f: f.index.astype(str))
    path = save_map(render_points(many), tmp_path / "cluster.html")
    opened = open_map(path)
    assert opened.page.locator(".marker-cluster").count() > 0
    drawn = many[~unplaced_mask(many.assign(geo_precision=many["geo_precision"].astype(int)))]
    assert opened.page.evaluate("geoconflict.markers.length") == len(drawn)
    _clean(opened)


def test_acled_export_maps(tmp_path, open_map):
    acled = pd.DataFrame({
        "event_date": ["2024-08-26", "2024-08-26", "2024-09-02"], "admin1": ["Balochistan"] * 3,
        "admin2": ["Musakhel", "Kech", "Quetta"], "location": ["Rarasham", "Turbat", "Quetta"],
        "latitude": [30.86, 26.00122, 30.18414], "longitude": [69.82, 63.04849, 67.00141], "geo_precision": [2, 1, 1],
        "fatalities": [23, 1, 0], "actor1": ["BLA", "Unidentified Armed Group", "BLA"],
        "sub_event_type": ["Attack", "Attack", "Remote explosive/landmine/IED"],
    })
    path = save_map(render_choropleth(acled, value="killed"), tmp_path / "acled.html")
    opened = open_map(path)
    fills = _fills(opened.page)
    assert len(fills) == _districts_in(["Balochistan"]) and len(set(fills)) == 3  # 0, 1 and 23 killed
    _clean(opened)


def test_report_page_offline(tmp_path, open_map, resolver):
    outputs = run_all([EXAMPLES], tmp_path / "run", resolver=resolver)
    opened = open_map(outputs.files["index.html"], ready="window.geoconflictReport && geoconflictReport.ready")
    page = opened.page
    for section in ("#numbers", "#chart svg", "#maps iframe", "#events table", "#unresolved", "#manifest"):
        assert page.locator(section).count() >= 1, section
    numbers = page.locator("#numbers").inner_text()
    assert "Killed" in numbers and "Districts affected" in numbers and "2025-03-16" in numbers
    rows = page.locator("#gc-events tbody tr")
    assert rows.count() == outputs.events
    page.fill("#gc-filter", "Kech")
    assert rows.count() == 1 and "Kech" in rows.first.inner_text()
    page.fill("#gc-filter", "")
    page.select_option("#gc-actor", "BLA")
    assert 0 < rows.count() < outputs.events
    page.select_option("#gc-actor", "")
    page.locator("#gc-events th button", has_text="Killed").click()
    page.locator("#gc-events th button", has_text="Killed").click()  # descending
    assert rows.first.locator("td.gc-num").first.inner_text() == "20"
    # the whole heading cell sorts, not just its text: click the cell's far corner
    cell = page.locator("#gc-events th", has_text="Injured")
    box = cell.bounding_box()
    cell.click(position={"x": box["width"] - 2, "y": box["height"] - 2})
    assert cell.get_attribute("aria-sort") == "ascending"
    cell.click(position={"x": box["width"] - 2, "y": box["height"] - 2})
    assert cell.get_attribute("aria-sort") == "descending"
    assert "Pelvarabad," in page.locator("#gc-aliases").input_value()
    for frame in page.frames[1:]:  # the embedded maps draw too
        frame.wait_for_function("window.geoconflict && geoconflict.ready === true", timeout=30_000)
    _clean(opened)


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
    outputs = run_all([feed], tmp_path / "run", resolver=resolver)
    events = extract_events([feed], resolver=resolver).events
    assert len(events) == len(HOSTILE)
    events.loc[0, "location"] = HOSTILE[0]
    events.loc[1, "target"] = HOSTILE[1]
    events.loc[2, "location"] = "\u202eevil\u202c Turbat"  # right-to-left override must stay inside its cell
    for kind, m in [("points", render_points(events, cluster=False)),
                    ("ptl", render_points_timeline(events, cluster=False)),
                    ("choropleth", render_choropleth(events)), ("timeline", render_timeline(events))]:
        path = save_map(m, tmp_path / f"{kind}.html")
        opened = open_map(path)
        page = opened.page
        if kind.startswith("p"):
            shown = ""
            for i in range(len(events)):
                page.evaluate(f"geoconflict.open({i})")
                page.wait_for_selector(".leaflet-popup-content", timeout=5000)
                shown += page.evaluate(
                    "Array.from(document.querySelectorAll('.leaflet-popup-content')).map(e => e.innerText).join()")
                if i == 2:
                    title = page.locator(".leaflet-popup-content .gc-popup-title").last
                    assert title.get_attribute("dir") == "auto"
                    assert title.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
            assert "<script>window.__pwned = 1</script>" in shown
            assert '<img src=x onerror="window.__pwned = 2">' in shown
            assert page.locator(".leaflet-popup-content a[href^='javascript']").count() == 0
        else:
            page.locator("path.gc-district").first.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", kind
        assert page.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
        _clean(opened)
    opened = open_map(outputs.files["index.html"], ready="window.geoconflictReport && geoconflictReport.ready")
    page = opened.page
    table = page.locator("#gc-events").inner_text()
    assert "window.__pwned = 1" in table  # shown as text
    assert page.locator("#gc-events script, #gc-events img, #gc-events svg").count() == 0
    assert page.locator("#gc-events a[href^='javascript']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    _clean(opened)


def test_popup_says_who_was_killed_not_who_killed(events, tmp_path, open_map):
    drawn = events[~unplaced_mask(events.assign(geo_precision=events["geo_precision"].astype(int)))]
    two = drawn.head(2).copy().reset_index(drop=True)
    two["killed"] = [1, 7]
    two["killed_civilians"] = [None, 4]
    two["killed_security"] = [1, 2]
    two["killed_militants"] = [None, 1]
    opened = open_map(save_map(render_points(two, cluster=False), tmp_path / "points.html"))
    page = opened.page
    shown = []
    for i in range(2):
        page.evaluate("geoconflict.map.closePopup()")
        page.evaluate(f"geoconflict.open({i})")
        page.wait_for_selector(".leaflet-popup-content", timeout=5000)
        text = page.locator(".leaflet-popup-content").inner_text()
        assert "Killed by" not in text
        shown.append(page.locator(".leaflet-popup-content tr:has(th:text-is('Killed')) td").inner_text())
    assert sorted(shown) == ["1 (security forces 1)", "7 (civilians 4, security forces 2, militants 1)"]
    _clean(opened)


def test_incident_maps_say_incidents_in_the_page_too(events, tmp_path, open_map):
    from geoconflict.incidents import incidents_from_events, incidents_to_events

    table = incidents_to_events(incidents_from_events(events))
    opened = open_map(save_map(render_choropleth(table), tmp_path / "choropleth.html"))
    page = opened.page
    assert "Incidents per district" in page.locator(".gc-legend").inner_text()
    intro = page.locator(".gc-unplaced-intro").inner_text()
    assert "incident" in intro and "event" not in intro
    page.locator("path.gc-district").first.hover()
    tip = page.locator(".leaflet-tooltip").inner_text()
    assert "Incidents" in tip and "Events" not in tip
    _clean(opened)


def test_merged_point_map_counts_events_and_builds_popups_on_click(events, tmp_path, open_map):
    main = events[events["geo_precision"] <= 2].reset_index(drop=True)
    hostile = "</script><img src=x onerror=alert(1)> {{ 7*7 }}"
    again = pd.concat([main.head(1)] * 3, ignore_index=True).assign(
        killed=[7, None, 2], title=hostile, url=["javascript:alert(1)", "https://example.org/a", None])
    frame = pd.concat([main, again], ignore_index=True).assign(event_id=lambda f: [f"e{i}" for i in f.index])
    at_first = (frame["latitude"].round(5) == round(main["latitude"][0], 5)) & (
        frame["longitude"].round(5) == round(main["longitude"][0], 5))
    n_places = len(frame[["latitude", "longitude"]].round(5).drop_duplicates())
    opened = open_map(save_map(render_points(frame, merge=True), tmp_path / "merged.html"))
    page = opened.page
    page.wait_for_function("geoconflict.clustered === true", timeout=10_000)
    note = page.locator(".gc-merged-note")
    assert note.is_visible()
    assert note.inner_text() == (f"{len(frame)} events at {n_places} places; events at the same place are merged.")
    assert page.evaluate("geoconflict.markers.length") == n_places
    # clusters count events: what the group draws now (numbered clusters and lone markers) adds up to all
    shown = page.evaluate("""(() => { let n = 0;
        geoconflict.layer._featureGroup.eachLayer(l => {
            n += l._icon ? Number(l._icon.textContent) : l.options.gcCount; });
        return n; })()""")
    assert shown == len(frame)
    # the first place's popup, built when its marker is clicked
    index = page.evaluate(f"geoconflict.markers.findIndex(m => m.options.gcCount === {int(at_first.sum())} && "
                          f"Math.abs(m.getLatLng().lat - {main['latitude'][0]}) < 1e-5 && "
                          f"Math.abs(m.getLatLng().lng - {main['longitude'][0]}) < 1e-5)")
    assert index >= 0
    assert page.locator(".leaflet-popup-content").count() == 0
    page.evaluate(f"geoconflict.map.setView(geoconflict.markers[{index}].getLatLng(), geoconflict.map.getMaxZoom(), "
                  "{animate: false})")
    page.wait_for_function(f"geoconflict.map.hasLayer(geoconflict.markers[{index}])", timeout=5000)
    x, y = page.evaluate(f"""(() => {{ const r = geoconflict.markers[{index}]._path.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
    page.mouse.click(x, y)
    page.wait_for_selector(".gc-place-popup", timeout=5000)
    popup = page.locator(".gc-place-popup")
    assert popup.locator(".gc-place-event").count() == int(at_first.sum())
    killed = pd.to_numeric(frame.loc[at_first, "killed"]).dropna()
    assert popup.locator("tr:has(th:text('Killed (all)')) td").inner_text() == str(int(killed.sum()))
    assert popup.locator(f"text={hostile}").count() == 3  # the three repeats name the hostile title, as text
    assert popup.locator("img").count() == 0
    hrefs = popup.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "https://example.org/a" in hrefs and not any(h.startswith("javascript") for h in hrefs)
    _clean(opened)
