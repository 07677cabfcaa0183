"""Benchmark: a 100,000-event point map (build and open in Chromium) and a 36-month time-slider map.

Prints: seconds to build and save the point map (offline by default: Leaflet and markercluster
inside the file, towns, labels and outlines included), its size, seconds until it has drawn in
headless Chromium (Debian's /usr/bin/chromium through Playwright, every network request refused and
counted), the size and open time of a monthly time-slider choropleth over 36 months for all
Balochistan districts, with its per-month chart, and the build time of a weekly one over 3 years.

Targets (issues 8/9): point map built in <= 10 s and opened in <= 10 s; time map with chart <= 2 MB.

Usage: python bench/bench_maps.py [--events 100000] [--seed 5]
Needs GEOCONFLICT_DATA_DIR (or the boundary files in the user cache) and Chromium for the open time.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pandas as pd

from geoconflict.gazetteer_index import load_gazetteer
from geoconflict.render import render_points, render_timeline, save_map

ACTORS = ["BLA", "BLF", "BRAS", "BRG", "UBA", "TTP", "security forces", "unknown"]
TYPES = ["armed assault", "ambush", "bombing/IED", "grenade", "targeted killing", "arson", "clash"]
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


def open_seconds(path: Path, drawn: str) -> tuple[float, float, int] | None:
    """Seconds until the map is ready and until ``drawn`` (a JS condition) holds; network requests made."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    requests: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        if r.request.url.startswith("file://"):
            return r.continue_()
        requests.append(r.request.url)
        return r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.route("**/*", route)
        start = time.perf_counter()
        page.goto(path.resolve().as_uri(), timeout=120_000)
        page.wait_for_function("window.geoconflict && geoconflict.ready === true", timeout=120_000)
        ready = time.perf_counter() - start
        page.wait_for_function(drawn, timeout=120_000)
        done = time.perf_counter() - start
        browser.close()
    return ready, done, len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--periods", type=int, nargs="+", default=[36],
                        help="months of the time-slider choropleth, e.g. 36 120 (target: 120 built in <= 5 s)")
    parser.add_argument("--no-points", action="store_true", help="only the time-slider maps")
    args = parser.parse_args()
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
