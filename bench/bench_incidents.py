"""Benchmark: group synthetic events into incidents; time, peak memory and growth from 10k to 1M events.

Synthetic data: attacks spread over ten years and 37 districts (more for larger tables, so that
incidents per district and day stay as dense as in one real province), each reported by 1 to 6 outlets
whose dates drift by up to a day, whose tolls rise, whose actor is often unknown and whose event
type varies within its family; one report in twenty is a later month-only background mention, one
in fifty is undated. Each size runs in a fresh process so its peak memory (ru_maxrss) is its own.
Printed: events, incidents found and true, grouping wall and CPU time (growth is given in CPU time,
which other processes on a shared machine disturb less), events per second, the process's RSS
with the synthetic table built (data MB) and its peak after grouping, and the share of true
incidents recovered exactly (same set of reports; splits come from undated reports and from
reports whose dates drift two days apart, which the one-day window keeps apart on purpose).

    python bench/bench_incidents.py            # 10k, 100k, 1M
    python bench/bench_incidents.py 10000      # one size
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from itertools import pairwise

SIZES = (10_000, 100_000, 1_000_000)
DISTRICTS = 37  # Balochistan; larger tables are drawn over more districts (see below)
DAYS = 3650
FAMILIES = {
    "gunfire": ("armed assault", "ambush", "targeted killing", "clash"),
    "explosion": ("bombing/IED", "suicide bombing", "grenade"),
    "arson": ("arson",),
    "abduction": ("abduction",),
}
ACTORS = ("BLA", "BLF", "BRAS", "TTP", "ISKP", "security forces")
TARGETS = ("police", "soldiers", "passengers", "labourers", "gas pipeline", "a checkpoint")


def synthetic_events(n: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """About ``n`` event rows and the true incident of each (numpy vectorised)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    reports = rng.integers(1, 7, size=n)  # reports per incident
    incidents = int(np.searchsorted(np.cumsum(reports), n)) + 1
    reports = reports[:incidents]
    rows = int(reports.sum())
    truth = np.repeat(np.arange(incidents), reports)
    # Keep the density of a real province (about 0.02 incidents per district-day) at every size: a
    # million events is a multi-country table, not ten years of one province.
    district = rng.integers(0, max(DISTRICTS, n // 300), size=incidents)
    day = rng.integers(0, DAYS, size=incidents)
    family = rng.integers(0, len(FAMILIES), size=incidents)
    actor = rng.integers(0, len(ACTORS), size=incidents)
    target = rng.integers(0, len(TARGETS), size=incidents)
    killed = rng.integers(0, 12, size=incidents)
    drift = rng.integers(-1, 2, size=rows) * (rng.random(rows) < 0.3)
    start = day[truth] + drift
    rise = rng.integers(0, 3, size=rows)
    names = list(FAMILIES)
    kinds = np.array([FAMILIES[names[f]][k % len(FAMILIES[names[f]])]
                      for f, k in zip(family[truth], rng.integers(0, 4, size=rows))], dtype=object)
    actors = np.where(rng.random(rows) < 0.5, np.array(ACTORS, dtype=object)[actor[truth]], "unknown")
    background = rng.random(rows) < 0.05
    undated = rng.random(rows) < 0.02
    dates = pd.to_datetime("2015-01-01") + pd.to_timedelta(start, unit="D")
    month_start = dates.to_period("M").to_timestamp()
    month_end = month_start + pd.offsets.MonthEnd(0)
    iso = dates.strftime("%Y-%m-%d").to_numpy(dtype=object)
    date_start = np.where(background, month_start.strftime("%Y-%m-%d"), iso)
    date_end = np.where(background, month_end.strftime("%Y-%m-%d"), iso)
    precision = np.where(background, "month", "day").astype(object)
    date_start = np.where(undated, None, date_start)
    date_end = np.where(undated, None, date_end)
    precision = np.where(undated, "unknown", precision)
    frame = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(rows)],
        "article_id": [f"a{i}" for i in range(rows)],
        "source": np.array(("Dawn", "The News", "Tribune", "Wire"), dtype=object)[rng.integers(0, 4, size=rows)],
        "published": iso, "event_date": date_start, "date_start": date_start, "date_end": date_end,
        "date_precision": precision, "location": [f"D{d}" for d in district[truth]],
        "admin1": "Balochistan", "admin2": [f"D{d}" for d in district[truth]],
        "admin2_id": [f"ID{d}" for d in district[truth]], "admin3": None, "geo_precision": 3,
        "latitude": 28.0, "longitude": 66.0, "actor": actors, "event_type": kinds,
        "acled_sub_event_type": "Armed clash", "target": np.array(TARGETS, dtype=object)[target[truth]],
        "killed": killed[truth] + rise, "injured": None, "evidence": "",
        "reported_as": np.where(background, "background", "main"),
    })
    return frame, truth


def one_size(n: int) -> dict[str, float]:
    from geoconflict.incidents import incidents_from_events

    events, truth = synthetic_events(n)
    data_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    incidents = incidents_from_events(events)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    true_sets = {}
    for article, label in zip(events["article_id"], truth):
        true_sets.setdefault(int(label), set()).add(article)
    found = {frozenset(ids.split("; ")) for ids in incidents["article_ids"]}
    exact = sum(frozenset(s) in found for s in true_sets.values()) / len(true_sets)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"events": len(events), "incidents": len(incidents), "true_incidents": len(true_sets),
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "events_per_s": round(len(events) / seconds),
            "data_rss_mb": round(data_mb), "peak_rss_mb": round(peak_mb), "exact_share": round(exact, 3)}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(one_size(int(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or list(SIZES)
    results = []
    print(f"{'events':>10} {'incidents':>10} {'true':>10} {'seconds':>8} {'cpu s':>8} {'events/s':>10} {'data MB':>8} "
          f"{'peak MB':>8} {'exact':>6}")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{r['events']:>10,} {r['incidents']:>10,} {r['true_incidents']:>10,} {r['seconds']:>8} {r['cpu_seconds']:>8} "
              f"{r['events_per_s']:>10,} {r['data_rss_mb']:>8} {r['peak_rss_mb']:>8} {r['exact_share']:>6}")
    for a, b in pairwise(results):
        growth = (b["cpu_seconds"] / a["cpu_seconds"]) / (b["events"] / a["events"])
        print(f"{a['events']:,} -> {b['events']:,}: CPU time x{b['cpu_seconds'] / a['cpu_seconds']:.1f} for "
              f"x{b['events'] / a['events']:.0f} the events ({growth:.2f} of linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
