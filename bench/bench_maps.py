"""Benchmark: a 100,000-event point map (build and open in Chromium) and a 36-month time-slider map.

Prints: seconds to build and save the point map (offline by default: Leaflet and markercluster
inside the file, towns, labels and outlines included), its size, seconds until it has drawn in
headless Chromium (Debian's /usr/bin/chromium through Playwright, every network request refused and
counted), the size and open time of a monthly time-slider choropleth over 36 months for all
Balochistan districts, with its per-month chart, and the build time of a weekly one over 3 years.

Targets (issues 8/9): point map built in <= 10 s and opened in <= 10 s; time map with chart <= 2 MB.

``--million`` (issue 11): 1,000,000 events at 250,000 distinct coordinates (``--places``; jittered up to
~3 km around Balochistan towns, tehsils and districts of the gazetteer, events spread over the places
at random), drawn as a merged point map (one marker per place, popup lines in a lazy data block).
Prints the build time, file size, peak memory of the build (resident memory sampled every 20 ms,
above what the process held before), the seconds until markercluster reports every marker added and
the cluster group holds them all in Chromium, and the first popup's time (it parses the lazy block).
Targets: built in <= 15 s, <= 60 MB, clustered in <= 10 s.

Usage: python bench/bench_maps.py [--events 100000] [--seed 5]
       python bench/bench_maps.py --million [--places 250000]
Needs GEOCONFLICT_DATA_DIR (or the boundary files in the user cache) and Chromium for the open time.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geoconflict.gazetteer_index import load_gazetteer
from geoconflict.render import render_points, render_timeline, save_map

ACTORS = ["BLA", "BLF", "BRAS", "BRG", "UBA", "TTP", "security forces", "unknown"]
TYPES = ["armed assault", "ambush", "bombing/IED", "grenade", "targeted killing", "arson", "clash"]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


def make_events(n: int, rng: random.Random) -> pd.DataFrame:
    places = [p for p in load_gazetteer().places if p.admin1 == "Balochistan" and p.latitude is not None
              and p.kind in ("town", "tehsil", "district", "area")]
    start = pd.Timestamp("2023-01-01")
    rows = []
    for i in range(n):
        place = rng.choice(places)
        day = start + pd.Timedelta(days=rng.randrange(3 * 365))
        killed = rng.choice([None, 0, 1, 2, 3, 5, 8, 14])
        rows.append({
            "event_id": f"e{i}", "article_id": f"article-{i // 3}.txt", "title": f"Report {i // 3}",
            "url": f"https://example.org/report/{i // 3}", "date_start": None if rng.random() < 0.05 else str(day.date()),
            "date_precision": "day", "location": place.name, "admin1": place.admin1, "admin2": place.admin2,
            "admin2_id": place.admin2_id, "admin3": place.admin3, "geo_precision": place.geo_precision,
            "latitude": place.latitude, "longitude": place.longitude, "actor": rng.choice(ACTORS),
            "event_type": rng.choice(TYPES), "target": "a checkpoint", "killed": killed,
            "injured": rng.choice([None, 0, 1, 4]), "evidence": f"Militants attacked a checkpoint in {place.name}, "
                                                                "killing two soldiers, officials said. " * 2,
        })
    return pd.DataFrame(rows)


def make_events_at_places(n: int, n_places: int, seed: int) -> pd.DataFrame:
    """``n`` events at ``n_places`` distinct coordinates (vectorised, for a million rows).

    Each place is a gazetteer place of Balochistan moved by up to 0.03 degrees (~3 km) in latitude
    and longitude, keeping that place's district; places are drawn with equal chance for each event.
    """
    gen = np.random.default_rng(seed)
    bases = [p for p in load_gazetteer().places if p.admin1 == "Balochistan" and p.latitude is not None
             and p.kind in ("town", "tehsil", "district", "area")]
    base = gen.integers(0, len(bases), n_places)
    lat = np.round(np.array([bases[b].latitude for b in base]) + gen.uniform(-0.03, 0.03, n_places), 5)
    lon = np.round(np.array([bases[b].longitude for b in base]) + gen.uniform(-0.03, 0.03, n_places), 5)
    key = pd.Series(lat * 1e6).round().astype(np.int64) * 10**9 + pd.Series(lon * 1e6).round().astype(np.int64)
    keep = ~key.duplicated().to_numpy()  # distinct coordinates only
    base, lat, lon = base[keep], lat[keep], lon[keep]
    at = gen.integers(0, len(base), n)
    article = np.arange(n) // 3
    days = gen.integers(0, 3 * 365, n)
    dates = (np.datetime64("2023-01-01") + days.astype("timedelta64[D]")).astype(str).astype(object)
    dates[gen.random(n) < 0.05] = None
    names = np.array([bases[b].name for b in base], dtype=object)[at]
    place_of = np.array(bases, dtype=object)[base[at]]
    killed = gen.choice(np.array([np.nan, 0, 1, 2, 3, 5, 8, 14]), n)
    return pd.DataFrame({
        "event_id": "e" + pd.Series(np.arange(n)).astype(str), "article_id": "article-" + pd.Series(article).astype(str) + ".txt",
        "title": "Report " + pd.Series(article).astype(str), "url": "https://example.org/report/" + pd.Series(article).astype(str),
        "date_start": dates, "date_precision": "day", "location": names,
        "admin1": "Balochistan", "admin2": [p.admin2 for p in place_of], "admin2_id": [p.admin2_id for p in place_of],
        "admin3": [p.admin3 for p in place_of], "geo_precision": 1, "latitude": lat[at], "longitude": lon[at],
        "actor": np.array(ACTORS, dtype=object)[gen.integers(0, len(ACTORS), n)],
        "event_type": np.array(TYPES, dtype=object)[gen.integers(0, len(TYPES), n)], "target": "a checkpoint",
        "killed": killed, "injured": gen.choice(np.array([np.nan, 0, 1, 4]), n),
        "evidence": "Militants attacked a checkpoint in " + pd.Series(names) + ", killing two soldiers, officials said.",
    })


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def with_peak_memory(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``work``; return its result, the resident memory before (MB) and the peak above it (MB),
    sampled every 20 ms (a peak shorter than that can be missed)."""
    before = _rss_mb()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        result = work()
    finally:
        done.set()
        thread.join()
    peak[0] = max(peak[0], _rss_mb())
    return result, before, peak[0] - before


@contextmanager
def _offline_page(path: Path, timeout_ms: int, polling: int | str = "raf") -> Iterator[tuple[Any, list[str], float, float]]:
    """Open a map in headless Chromium with every network request refused (and counted); yield the
    page, the refused requests, the clock reading when it began loading and the seconds until geoconflict
    said it was ready."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        if r.request.url.startswith("file://"):
            return r.continue_()
        requests.append(r.request.url)
        return r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/*", route)
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), timeout=timeout_ms)
            page.wait_for_function("window.geoconflict && geoconflict.ready === true", timeout=timeout_ms,
                                   polling=polling)
            yield page, requests, start, time.perf_counter() - start
        finally:
            browser.close()


def open_seconds(path: Path, drawn: str) -> tuple[float, float, int] | None:
    """Seconds until the map is ready and until ``drawn`` (a JS condition) holds; network requests made."""
    if not CHROMIUM.exists():
        return None
    with _offline_page(path, 120_000) as (page, requests, start, ready):
        page.wait_for_function(drawn, timeout=120_000)
        done = time.perf_counter() - start
    return ready, done, len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=None, help="default 100,000 (1,000,000 with --million)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--periods", type=int, nargs="+", default=[36],
                        help="months of the time-slider choropleth, e.g. 36 120 (target: 120 built in <= 5 s)")
    parser.add_argument("--no-points", action="store_true", help="only the time-slider maps")
    parser.add_argument("--million", action="store_true",
                        help="only the merged point map of 1,000,000 events at --places distinct coordinates")
    parser.add_argument("--places", type=int, default=250_000, help="distinct coordinates for --million")
    args = parser.parse_args()
    if args.million:
        _million(args.events or 1_000_000, args.places, args.seed)
        return
    args.events = args.events or 100_000
    rng = random.Random(args.seed)
    events = make_events(args.events, rng)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        render_points(events.head(10))  # load boundary layers once, as a running session would have
        if not args.no_points:
            _point_map(events, folder)
        for periods in args.periods:
            _time_map(events, folder, periods, rng)


def _point_map(events: pd.DataFrame, folder: Path) -> None:
    start = time.perf_counter()
    path = save_map(render_points(events), folder / "points.html")
    build = time.perf_counter() - start
    print(f"point map, {len(events):,} events: built and saved in {build:.1f} s "
          f"({path.stat().st_size / 2**20:.1f} MB)")
    opened = open_seconds(path, "geoconflict.clustered === true && "
                                "document.querySelectorAll('.marker-cluster').length > 0")
    if opened is None:
        print("Chromium not found at /usr/bin/chromium: open time not measured")
    else:
        print(f"opened in Chromium: ready after {opened[0]:.1f} s, every marker clustered and drawn after "
              f"{opened[1]:.1f} s, {opened[2]} network requests")


def _million(n: int, n_places: int, seed: int) -> None:
    start = time.perf_counter()
    events = make_events_at_places(n, n_places, seed)
    distinct = len(events[["latitude", "longitude"]].drop_duplicates())
    print(f"generated {n:,} events at {distinct:,} distinct coordinates in {time.perf_counter() - start:.1f} s")
    render_points(events.head(10))  # load boundary layers once, as a running session would have
    with tempfile.TemporaryDirectory() as tmp:
        def build() -> Path:
            return save_map(render_points(events, merge=True), Path(tmp) / "million.html")

        start = time.perf_counter()
        path, before, peak = with_peak_memory(build)
        built = time.perf_counter() - start
        print(f"merged point map, {n:,} events: built and saved in {built:.1f} s, "
              f"{path.stat().st_size / 2**20:.1f} MB; peak memory of the build {peak:,.0f} MB above the "
              f"{before:,.0f} MB held before (process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")
        del events
        opened = _open_clustered(path)
        if opened is None:
            print("Chromium not found at /usr/bin/chromium: cluster time not measured")
        else:
            ready, clustered, markers, popup_ms, requests = opened
            print(f"Chromium: ready after {ready:.1f} s; all {markers:,} markers clustered after {clustered:.1f} s; "
                  f"first popup (parses the lazy event lines) {popup_ms:.0f} ms; {requests} network requests")


def _open_clustered(path: Path) -> tuple[float, float, int, float, int] | None:
    """Open a point map; seconds until ready and until every marker is in the cluster group."""
    if not CHROMIUM.exists():
        return None
    with _offline_page(path, 300_000, polling=50) as (page, requests, start, ready):
        # markercluster's chunkProgress says every marker was added; the group then holds them all
        page.wait_for_function("geoconflict.clustered === true && "
                               "geoconflict.layer.getLayers().length === geoconflict.markers.length && "
                               "document.querySelectorAll('.marker-cluster').length > 0",
                               timeout=300_000, polling=100)
        clustered = time.perf_counter() - start
        markers = page.evaluate("geoconflict.markers.length")
        popup_ms = page.evaluate("(() => { const t = performance.now(); geoconflict.open(0); "
                                 "return performance.now() - t; })()")
    return ready, clustered, markers, popup_ms, len(requests)


def _time_map(events: pd.DataFrame, folder: Path, periods: int, rng: random.Random) -> None:
    months = pd.date_range("2010-01-01", periods=periods, freq="MS")
    monthly = events.dropna(subset=["admin2_id"]).sample(min(len(events), 140 * periods), random_state=1).copy()
    monthly["date_start"] = [str(rng.choice(months).date()) for _ in range(len(monthly))]
    start = time.perf_counter()
    timeline = save_map(render_timeline(monthly, provinces=["Balochistan"]), folder / f"timeline-{periods}.html")
    built = time.perf_counter() - start
    print(f"monthly time-slider choropleth with chart, {periods} months x 37 Balochistan districts, "
          f"{len(monthly):,} events: {timeline.stat().st_size / 2**20:.2f} MB, built in {built:.1f} s")
    opened = open_seconds(timeline, f"document.querySelectorAll('rect.gc-bar').length === {periods}")
    if opened is not None:
        print(f"  opened in Chromium: ready after {opened[0]:.1f} s, {opened[2]} network requests")

        weekly = events.dropna(subset=["admin2_id", "date_start"])
        start = time.perf_counter()
        path = save_map(render_timeline(weekly, period="week", provinces=["Balochistan"]), folder / "weekly.html")
        print(f"weekly time-slider choropleth, {len(weekly):,} events over 3 years: "
              f"{path.stat().st_size / 2**20:.2f} MB, built in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
