"""Renderers as HTML strings and figures (the browser tests live in tests/browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from pathlib import Path

import folium
import numpy as np
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
from geoconflict.render._assets import ASSETS, asset_path
from geoconflict.render._base import classify, jenks_breaks
from geoconflict.render._data import all_periods, prepare_events, script_json
from geoconflict.render.points import marker_radius
from geoconflict.render.report import Report, aliases_template, report_html

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


def _spec(m):
    """The spec a map's script is called with (the JSON data block)."""
    page = m.get_root().render()
    block = re.search(r'<script type="application/json" id="gc-data-[^"]+">(.*?)</script>', page, re.DOTALL)
    return json.loads(block.group(1))


def test_default_maps_work_offline(events):
    for m in (render_choropleth(events), render_points(events), render_timeline(events),
              render_points_timeline(events)):
        page = m.get_root().render()
        assert not re.search(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?https?://""", page)
        assert "L.map" in page
        basemap = _spec(m)["context"]["basemap"]
        assert basemap["on"] is False and basemap["url"].startswith("https://tile.openstreetmap.org/")


def test_cdn_maps_link_pinned_leaflet_with_integrity(events):
    page = render_points(events, self_contained=False).get_root().render()
    tags = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']https?://[^>]*>""", page)
    links = {re.search(r'(?:src|href)="([^"]+)"', t).group(1): t for t in tags}
    assert set(links) == {ASSETS[n].url for n in ("leaflet_js", "leaflet_css", "cluster_js")}
    for name in ("leaflet_js", "leaflet_css", "cluster_js"):
        digest = hashlib.sha384(asset_path(ASSETS[name]).read_bytes()).digest()
        tag = links[ASSETS[name].url]
        assert f'integrity="sha384-{base64.b64encode(digest).decode()}"' in tag
        assert 'crossorigin="anonymous"' in tag
    assert ".marker-cluster" in page  # the two small cluster stylesheets are inlined
    assert "could not load its map library" in page
    assert _spec(render_points(events, self_contained=False))["context"]["basemap"]["on"] is True


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


def _squared_deviations(values, bins):
    values, total, lower = np.sort(np.asarray(values, dtype=float)), 0.0, -np.inf
    for upper in bins:
        group = values[(values > lower) & (values <= upper)]
        total += float(((group - group.mean()) ** 2).sum()) if len(group) else 0.0
        lower = upper
    return total


def test_jenks_breaks_are_as_good_as_mapclassify_and_fast_on_many_ties():
    import warnings

    import mapclassify

    assert jenks_breaks([1, 1, 1, 2, 10, 11, 50], 3) == [2.0, 11.0, 50.0]
    rng = np.random.default_rng(7)
    for trial in range(60):
        values = list((rng.poisson(3, 40) if trial % 2 else rng.lognormal(1, 1.2, 40).round(1)) + 1.0)
        k = 2 + trial % 4
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = [float(b) for b in mapclassify.FisherJenks(np.asarray(values), k=k).bins]
        ours = jenks_breaks(values, k)
        assert len(ours) == k and ours == sorted(ours) and ours[-1] == max(values)
        assert _squared_deviations(values, ours) == pytest.approx(_squared_deviations(values, reference))
    counts = list(rng.poisson(3, 6000).astype(float))  # a weekly map: 3 years x 37 districts
    classes, legend = classify(counts)
    assert len(legend) == 6 and max(classes) == 5


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
    panels = [ax for ax in multiples.axes if ax.get_title()]
    assert len(panels) == len(all_periods(pd.to_datetime(events["date_start"]), "month"))
    assert sum(ax.get_legend() is not None for ax in multiples.axes) == 1  # one shared legend
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
    assert main(["map", str(out / "events.csv"), "--kind", "points", "--cdn", "-o", str(tmp_path / "cdn.html")]) == 0
    assert 'integrity="sha384-' in (tmp_path / "cdn.html").read_text()
    assert main(["map", str(out / "events.csv"), "--kind", "points", "-o", str(tmp_path / "offline.html")]) == 0
    assert "https://cdn.jsdelivr" not in (tmp_path / "offline.html").read_text()


def test_cli_run_hints_at_published_for_undated_articles(tmp_path, capsys):
    feed = Path(__file__).resolve().parents[1] / "examples" / "feed.jsonl"
    assert main(["run", str(feed), "--out", str(tmp_path / "run")]) == 0
    captured = capsys.readouterr()
    assert "1 event has no date" in captured.out
    assert "3/3" in captured.err  # the progress bar knows the feed's size
    assert "--published" in (tmp_path / "run" / "index.html").read_text()


def test_province_only_events_are_listed_not_drawn(events):
    spec = _spec(render_points(events))
    province_only = int((events["geo_precision"] == 4).sum())
    assert province_only == 2  # the example province-wide wave
    assert len(spec["events"]["lat"]) == len(events) - province_only
    assert len(spec["unplaced"]["lat"]) == province_only and set(spec["unplaced"]["prec"]) == {4}
    choropleth = _spec(render_choropleth(events))
    assert sorted(choropleth["unplaced"]["killed"]) == sorted(
        int(k) for k in events.loc[events["geo_precision"] == 4, "killed"])
    assert any("2 events known only to the province" in n for n in choropleth["notes"])


def test_titles_name_the_province_measure_and_dates(events):
    spec = _spec(render_choropleth(events, value="killed"))
    assert spec["title"] == "Balochistan: killed per district"
    first, last = min(events["date_start"].dropna()), max(events["date_start"].dropna())
    assert first in spec["subtitle"] and last in spec["subtitle"] and "Killed" in spec["subtitle"]


def test_orientation_layers(events, layers):
    context = _spec(render_choropleth(events))["context"]
    balochistan = layers.districts[layers.districts["admin1"] == "Balochistan"]
    assert sorted(label[0] for label in context["labels"]) == sorted(balochistan["admin2"])
    names = {r[0] for r in context["regions"]}
    assert {"Sindh", "Punjab", "IRAN", "AFGHANISTAN", "Arabian Sea"} <= names and "Balochistan" not in names
    towns = {t[0] for t in context["towns"]}
    assert {"Quetta", "Turbat", "Khuzdar"} <= towns and "Arif Wala" not in towns and "Karachi" not in towns
    assert context["country"]["features"] and context["others"]["features"]
    credits = " ".join(c[0] for c in context["credits"])
    assert "geoBoundaries" in credits and "ODbL" in credits and "GeoNames" in credits and "census" in credits


def test_size_legend_matches_marker_sizes(events):
    spec = _spec(render_points(events))
    legend = {item["label"]: item["radius"] for item in spec["sizeLegend"]["items"]}
    assert legend["20 killed"] == float(marker_radius([20])[0]) > legend["5 killed"] > legend["none or not reported"]
    radius = dict(zip(spec["events"]["killed"], spec["events"]["radius"]))
    assert radius[None] == legend["none or not reported"]  # unknown counts are drawn as the smallest size
    assert radius[4] > radius[1]


def test_one_event_or_one_spot_gives_a_finite_view(events):
    one = events[events["admin2"] == "Kech"]
    same_spot = pd.concat([one] * 3, ignore_index=True).assign(event_id=["a", "b", "c"])
    for frame in (one, same_spot):
        for m in (render_points(frame), render_points_timeline(frame)):
            (south, west), (north, east) = _spec(m)["bounds"]
            assert all(math.isfinite(v) for v in (south, west, north, east))
            assert north - south > 1 and east - west > 1  # framed on the province, not on one point


def test_background_reports_are_left_off_unless_asked(events):
    marked = events.assign(reported_as=["main", "background", None, "", "main", "main", "main", "BACKGROUND",
                                        "main"])
    shown = _spec(render_points(marked))
    assert len(shown["events"]["lat"]) + len(shown["unplaced"]["lat"]) == len(events) - 2
    assert any("2 events reported only as background" in n for n in shown["notes"])
    everything = _spec(render_points(marked, include_background=True))
    assert len(everything["events"]["lat"]) + len(everything["unplaced"]["lat"]) == len(events)
    assert len(_spec(render_choropleth(events))["stats"]) > 0  # no reported_as column at all: every row


def test_time_maps_carry_a_chart_per_period(events):
    spec = _spec(render_timeline(events, value="events"))
    dated_in_districts = events[events["date_start"].notna() & events["admin2"].notna()]
    assert sum(spec["series"]) == len(dated_in_districts)
    assert len(spec["series"]) == len(spec["periods"])
    assert [sum(row[0] for row in period) for period in spec["stats"]] == spec["series"]
    points = _spec(render_points_timeline(events))
    assert sum(points["series"]) == sum(1 for p in points["events"]["period"] if p >= 0)


def test_figures_show_inline_and_name_districts(events, layers):
    figure = plot_choropleth(events)
    assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert set(layers.districts.loc[layers.districts["admin1"] == "Balochistan", "admin2"]) <= texts
    footer = " ".join(t.get_text() for t in figure.texts)
    assert "9 events: 7 in a district" in footer and "2 known only to the province" in footer
    assert "geoBoundaries" in footer and "GeoNames" in footer
    assert figure.axes[0].get_legend() is not None  # the legend sits in the map's frame


def test_report_page(events, resolver):
    run = extract_events([EXAMPLES], resolver=resolver)
    hostile = run.events.copy()
    hostile.loc[0, "evidence"] = '<script>alert("x")</script>'
    hostile.loc[1, "location"] = "</script><img src=x onerror=alert(1)>"
    unresolved = run.unresolved.copy()
    unresolved.loc[len(unresolved)] = {"article_id": "a<b>", "mention": 'Evil "<i>"', "sentence": "<b>bold</b>",
                                       "status": "unresolved", "reason": "x", "candidates": ""}
    page = report_html(Report(events=hostile, unresolved=unresolved, manifest=run.manifest,
                              maps=[("choropleth.html", "Events per district")], files=["events.csv"]))
    for section in ('id="numbers"', 'id="chart"', 'id="maps"', 'id="events"', 'id="unresolved"', 'id="manifest"'):
        assert section in page
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert page.count("<script") == 2  # the data block and the page's own script
    assert aliases_template(unresolved) == 'alias,target\nPelvarabad,\n"Evil ""<i>""",\n'
    assert ">45<" in page  # killed: 3 + 4 + 15 + 20 + 2 + 1


def test_report_of_a_run_without_events(tmp_path, resolver):
    from geoconflict.run import run_all

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "calm.txt").write_text("Published: 2 May 2025. Markets in Quetta were busy and the weather mild.",
                                     encoding="utf-8")
    outputs = run_all([folder], tmp_path / "out", resolver=resolver)
    page = outputs.files["index.html"].read_text(encoding="utf-8")
    assert "No maps were made" in page and "no events were found" in page
    assert "No event has a date" in page and "Every place name resolved" in page


def test_long_lists_beside_the_map_are_capped_with_their_total(events):
    from geoconflict.render.points import LIST_LIMIT

    wave = events[events["geo_precision"] == 4]
    many = pd.concat([wave] * 80, ignore_index=True).assign(event_id=lambda f: f.index.astype(str))
    for m in (render_points(many), render_choropleth(many)):
        spec = _spec(m)
        assert len(spec["unplaced"]["lat"]) == LIST_LIMIT and spec["unplacedTotal"] == len(many)


def test_report_counts_main_reports_and_lists_background_ones(events, resolver):
    run = extract_events([EXAMPLES], resolver=resolver)
    marked = run.events.assign(reported_as=["main"] * (len(run.events) - 1) + ["background"])
    page = report_html(Report(events=marked, unresolved=run.unresolved, manifest=run.manifest))
    assert f'<div class="gc-number-value">{len(marked) - 1}</div><div class="gc-number-label">Events' in page
    assert "1 event reported only as background" in page
    data = json.loads(re.search(r'id="gc-report-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert len(data["rows"]) == len(marked) and "Reported as" in data["columns"]


def test_report_headline_incidents_leave_out_background_ones(resolver):
    from geoconflict.incidents import incidents_from_events, incidents_to_events

    run = extract_events([EXAMPLES], resolver=resolver)
    marked = run.events.assign(reported_as=["main"] * (len(run.events) - 1) + ["background"])
    incidents = incidents_from_events(marked)
    counted = incidents_to_events(incidents)
    main = int((counted["reported_as"].astype("string").str.lower() != "background").sum())
    assert main < len(counted)  # one incident is background only
    page = report_html(Report(events=marked, unresolved=run.unresolved, manifest=run.manifest,
                              incidents=len(incidents), counted=counted))
    tile = re.search(r'<div class="gc-number-value">([^<]*)</div><div class="gc-number-label">Incidents', page)
    assert tile is not None and tile.group(1) == plural_text(main, "incident")
    assert "1 event reported only as background (earlier incidents an article recalls) is in the table" in page


def plural_text(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@pytest.mark.parametrize("unit", ["incidents", "events"])
def test_every_label_names_the_unit_mapped(events, unit):
    from geoconflict.incidents import incidents_from_events, incidents_to_events

    table = incidents_to_events(incidents_from_events(events)) if unit == "incidents" else events
    one, other = unit[:-1], ("events" if unit == "incidents" else "incidents")
    points = _spec(render_points(table))
    assert points["title"].endswith(f": {unit} by actor") and f"one marker per {one}" in points["subtitle"]
    assert points["notes"][0].startswith(f"{len(table)} {unit}: ")
    moving = _spec(render_points_timeline(table))
    assert moving["seriesUnit"] == [one, unit] and moving["chartLabel"] == f"{unit.capitalize()} per month"
    choropleth = _spec(render_choropleth(table))
    assert choropleth["legend"]["title"] == f"{unit.capitalize()} per district"
    timeline = _spec(render_timeline(table))
    assert timeline["legend"]["title"].startswith(f"{unit.capitalize()} per district")
    for spec in (points, moving, choropleth, timeline):
        words = " ".join([spec["title"], spec["subtitle"], *spec["notes"], spec.get("chartLabel", ""),
                          spec.get("sliderLabel", ""), spec.get("legend", {}).get("title", "")])
        assert not re.search(rf"\b{other[:-1]}s?\b", words, re.IGNORECASE), words
    figure = plot_choropleth(table)
    footer = " ".join(t.get_text() for t in figure.texts)
    assert footer.startswith(f"{len(table)} {unit}: ") and unit in figure.axes[0].get_title()


def test_report_chart_and_date_hint_name_the_unit_counted(resolver):
    from geoconflict.incidents import incidents_from_events, incidents_to_events

    run = extract_events([EXAMPLES], resolver=resolver)
    undated = run.events.assign(event_date=None, date_start=None, date_end=None)
    counted = incidents_to_events(incidents_from_events(undated))
    page = report_html(Report(events=undated, unresolved=run.unresolved, manifest=run.manifest,
                              incidents=len(counted), counted=counted))
    assert f"<p>{len(counted)} incidents have no date" in page and "events have no date" not in page
    dated = report_html(Report(events=run.events, unresolved=run.unresolved, manifest=run.manifest,
                               counted=incidents_to_events(incidents_from_events(run.events))))
    assert 'aria-label="Incidents per month by actor"' in dated


def _merged_blocks(m):
    """The page, the spec and the lazy event lines of a merged point map."""
    page = m.get_root().render()
    lazy = re.search(r'<script type="application/json" id="(gc-lazy-[^"]+)">(.*?)</script>', page, re.DOTALL)
    spec = _spec(m)
    assert spec["lazyBlock"] == lazy.group(1)
    return page, spec, json.loads(lazy.group(2))


@pytest.fixture
def placed(events):
    """Events drawn at a point (town or area), three of them repeated with other tolls and hostile text."""
    main = events[(events["reported_as"] == "main") & (events["geo_precision"] <= 2)].reset_index(drop=True)
    assert len(main) >= 3
    again = main.head(3).assign(killed=[7, None, 2], injured=[None, 1, None],
                                title="</script><img src=x onerror=alert(1)> {{ 7*7 }}",
                                url=["javascript:alert(1)", "https://example.org/a", None])
    return pd.concat([main, again], ignore_index=True).assign(event_id=lambda f: [f"e{i}" for i in f.index])


def test_merged_point_map_has_one_marker_per_coordinate_with_its_count_and_toll(placed):
    page, spec, lines = _merged_blocks(render_points(placed, merge=True))
    places = spec["events"]
    expected = placed.assign(lat=placed["latitude"].astype(float).round(5),
                             lon=placed["longitude"].astype(float).round(5)).groupby(["lat", "lon"])
    assert len(places["lat"]) == expected.ngroups < len(placed)
    got = {(lat, lon): (n, k, i) for lat, lon, n, k, i in zip(places["lat"], places["lon"], places["count"],
                                                           places["killed"], places["injured"])}
    for (lat, lon), group in expected:
        killed = pd.to_numeric(group["killed"]).dropna()
        injured = pd.to_numeric(group["injured"]).dropna()
        assert got[(lat, lon)] == (len(group), int(killed.sum()) if len(killed) else None,
                                   int(injured.sum()) if len(injured) else None)
    # the popup lines: place i's events follow those of the places before it, earliest first
    assert len(lines["date"]) == len(placed)
    start = 0
    for i, n in enumerate(places["count"]):
        tolls = [lines["tolls"][lines["toll"][j]] for j in range(start, start + n)]
        group = expected.get_group((places["lat"][i], places["lon"][i]))
        assert sorted(t[0] for t in tolls if t[0] is not None) == sorted(
            int(v) for v in pd.to_numeric(group["killed"]).dropna())
        dates = [lines["dates"][lines["date"][j]] for j in range(start, start + n)]
        known = [d for d in dates if d != "unknown"]
        assert known == sorted(known) and dates[len(known):] == ["unknown"] * (len(dates) - len(known))
        start += n
    assert "evidence" not in lines  # the sentences stay in the events table (the note says so)


def test_merged_point_map_says_so_and_escapes_popup_text(placed):
    page, spec, lines = _merged_blocks(render_points(placed, merge=True))
    n_places = len(spec["events"]["lat"])
    said = f"{len(placed)} events at {n_places} places; events at the same place are merged"
    assert spec["mergedNote"].startswith(said)
    assert any(note.startswith(said) for note in spec["notes"])
    assert "one marker per place" in spec["subtitle"]
    assert "<img src=x" not in page and "</script><img" not in page
    assert "{{ 7*7 }}" in page  # not run through a template engine
    titles = [a[1] for a in lines["articles"]]
    assert "</script><img src=x onerror=alert(1)> {{ 7*7 }}" in titles  # kept as text, shown as text


def test_merged_points_over_time_have_a_marker_per_place_and_period(placed):
    """Over time a place has one merged marker per period, so the slider shows only a period's events and
    the chart counts events (as the unmerged timeline does), not markers."""
    page, spec, lines = _merged_blocks(render_points_timeline(placed, merge=True))
    assert spec["merged"] is True and "one marker per place and period" in spec["subtitle"]
    places, periods = spec["events"], spec["periods"]
    month = pd.to_datetime(placed["date_start"], errors="coerce", format="mixed").dt.strftime("%Y-%m")
    expected = placed.assign(lat=placed["latitude"].astype(float).round(5),
                             lon=placed["longitude"].astype(float).round(5),
                             period=[periods.index(m) if isinstance(m, str) else -1 for m in month])
    groups = expected.groupby(["lat", "lon", "period"])
    got = {(la, lo, p): n for la, lo, p, n in zip(places["lat"], places["lon"], places["period"], places["count"])}
    assert got == {key: len(group) for key, group in groups}
    assert expected["period"].nunique() >= 2  # the test data span several months
    unmerged = _spec(render_points_timeline(placed))
    assert spec["series"] == unmerged["series"] and spec["periods"] == unmerged["periods"]
    assert len(lines["date"]) == len(placed)


def test_point_maps_merge_above_the_threshold_only(placed, monkeypatch):
    from geoconflict.render import points

    assert "merged" not in _spec(render_points(placed))  # well under MERGE_ABOVE: a marker per event
    monkeypatch.setattr(points, "MERGE_ABOVE", len(placed) - 1)
    spec = _spec(render_points(placed))
    assert spec["merged"] is True and sum(spec["events"]["count"]) == len(placed)
    assert "merged" not in _spec(render_points(placed, merge=False))
