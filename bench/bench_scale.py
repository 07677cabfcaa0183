"""Benchmark: articles per second on 1 and 2 processes (--jobs) and on a 2-worker Dask LocalCluster.

Generated articles (the generator of ``bench_extract.py``) are written to JSON
Lines shards (``--shards``, one Dask partition each). Each configuration runs
in a fresh child process that extracts every shard and writes the events and
manifest tables, and reports its time, events and peak memory:

- ``jobs 1``: the serial pipeline, in the child itself;
- ``jobs 2``: ``--jobs 2``, a process pool forked from the child;
- ``dask 2``: a LocalCluster of 2 worker processes (one thread each), with
  the Dask path's default partitions (``PARTITION_BYTES``: shards larger than
  that are cut at line starts); the cluster's start-up (and the workers'
  resolvers) are timed apart from the run;
- ``dask 2, one file``: the same articles as one JSON Lines file, which the
  Dask path cuts into parts the same way (no resharding by hand).

Also measured (median of 5 fresh processes, cache warm): the start-up until
the resolver is ready from the gazetteer cache (the cost every worker pays
once), and the start-up of a process that only extracts (the extraction
pipeline imported and the resolver ready), with whether it imported geopandas.

Targets (issue 11): >= 300 articles/s serial; >= 1.8x for --jobs 2 and
>= 1.6x for Dask on 2 cores; start-up <= 0.3 s from the cache. The numbers are
only meaningful on an otherwise idle machine.

Usage: python bench/bench_scale.py [--n 100000] [--shards 16] [--seed 5]
Needs GEOCONFLICT_DATA_DIR (or the boundary files in the user cache).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import _article

from geoconflict.extract.on_dask import PARTITION_BYTES, _partitions

_STARTUP = """
import time
start = time.perf_counter()
from geoconflict.resolver import Resolver
imported = time.perf_counter()
Resolver.from_gazetteer()
ready = time.perf_counter()
print(f"{imported - start:.3f} {ready - start:.3f}")
"""

_EXTRACT_STARTUP = """
import sys, time
start = time.perf_counter()
from geoconflict.extract.pipeline import iter_extractions, save_extraction
from geoconflict.resolver import Resolver
imported = time.perf_counter()
Resolver.from_gazetteer()
ready = time.perf_counter()
print(f"{imported - start:.3f} {ready - start:.3f} {int('geopandas' in sys.modules)}")
"""

_CHILD = """
import json, resource, sys, time
from pathlib import Path
mode, workers, shards, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
from geoconflict.extract.pipeline import iter_extractions, save_extraction
from geoconflict.resolver import Resolver
report = {}
files = sorted(shards.glob("*.jsonl"))
if mode == "jobs":
    resolver = Resolver.from_gazetteer()
    start = time.perf_counter()
    stream = iter_extractions(files, resolver=resolver, jobs=workers)
else:
    import distributed
    from geoconflict.extract.on_dask import iter_extractions_dask
    begin = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    list(iter_extractions_dask([], client=client))  # no articles: registers the plugin, resolvers get built
    report["cluster_ready_s"] = time.perf_counter() - begin
    start = time.perf_counter()
    stream = iter_extractions_dask(files, client=client)  # the default partitions, as a user gets them
saved = save_extraction(stream, events=out / "events.csv", manifest=out / "manifest.csv")
report["seconds"] = time.perf_counter() - start
report["articles"], report["events"] = saved.articles, saved.events
report["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if mode == "jobs":
    report["worker_rss_mb"] = (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024) if workers > 1 else None
else:
    peaks = client.run(lambda: __import__("resource").getrusage(0).ru_maxrss / 1024)
    report["worker_rss_mb"] = max(peaks.values())
    client.close()
    cluster.close()
print(json.dumps(report))
"""


def _write_shards(folder: Path, n: int, shards: int, seed: int) -> tuple[float, float]:
    """Write ``n`` generated articles round-robin into ``shards`` JSON Lines files; return MB written and
    the mean words per article."""
    rng = random.Random(seed)
    handles = [(folder / f"shard-{i:03d}.jsonl").open("w", encoding="utf-8") for i in range(shards)]
    words = 0
    try:
        for number in range(n):
            article = _article(rng, number)
            words += len(article["text"].split())
            handles[number % shards].write(json.dumps(article) + "\n")
    finally:
        for handle in handles:
            handle.close()
    return sum(p.stat().st_size for p in folder.iterdir()) / 2**20, words / max(n, 1)


def _startup(script: str, runs: int = 5) -> list[float]:
    """The numbers ``script`` prints in a fresh process, each the median over ``runs`` processes."""
    outs = [[float(x) for x in subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                               check=True).stdout.split()] for _ in range(runs)]
    return [statistics.median(column) for column in zip(*outs)]


def _run(mode: str, workers: int, shards: Path, out: Path) -> dict[str, float]:
    out.mkdir()
    proc = subprocess.run([sys.executable, "-c", _CHILD, mode, str(workers), str(shards), str(out)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} {workers} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="generated articles (default 100,000)")
    parser.add_argument("--shards", type=int, default=16, help="JSON Lines files (Dask partitions)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    subprocess.run([sys.executable, "-c", _STARTUP], capture_output=True, check=True)  # build the cache once
    imported, ready = _startup(_STARTUP)
    print(f"start-up of a fresh process (median of 5): imports {imported:.2f} s, resolver ready from the "
          f"gazetteer cache {ready:.2f} s (target <= 0.3 s)")
    imported, ready, geopandas = _startup(_EXTRACT_STARTUP)
    print(f"start-up of an extraction-only process (median of 5): pipeline imported {imported:.2f} s, resolver "
          f"ready {ready:.2f} s; geopandas {'imported' if geopandas else 'not imported'}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shards = root / "shards"
        shards.mkdir()
        size, words = _write_shards(shards, args.n, args.shards, args.seed)
        print(f"{args.n:,} generated articles ({words:.0f} words each on average) in {args.shards} JSON Lines "
              f"shards, {size:.0f} MB")
        whole = root / "one-file"
        whole.mkdir()
        with (whole / "all.jsonl").open("wb") as joined:
            for shard in sorted(shards.iterdir()):
                joined.write(shard.read_bytes())
        parts = {"dask": len(_partitions([shards], PARTITION_BYTES)),
                 "dask-one-file": len(_partitions([whole], PARTITION_BYTES))}
        results = {}
        for mode, workers in (("jobs", 1), ("jobs", 2), ("dask", 2), ("dask-one-file", 2)):
            if mode == "dask-one-file":
                report = _run("dask", workers, whole, root / mode)
            else:
                report = _run(mode, workers, shards, root / f"{mode}-{workers}")
            results[(mode, workers)] = report
            rate = report["articles"] / report["seconds"]
            extra = f", cluster start-up {report['cluster_ready_s']:.1f} s" if "cluster_ready_s" in report else ""
            worker = f"{report['worker_rss_mb']:.0f} MB" if report.get("worker_rss_mb") else "-"
            name = {"jobs": "--jobs", "dask": f"dask LocalCluster ({args.shards} files in {parts.get('dask')} partitions)",
                    "dask-one-file": f"dask LocalCluster (one file in {parts.get('dask-one-file')} partitions)"}[mode]
            print(f"{name} {workers}: {report['articles']:,} "
                  f"articles in {report['seconds']:.1f} s = {rate:.0f} articles/s; {report['events']:,} events; "
                  f"peak memory: client {report['rss_mb']:.0f} MB, per worker {worker}{extra}")
        base = results[("jobs", 1)]
        base_rate = base["articles"] / base["seconds"]
        for key, target in ((("jobs", 2), 1.8), (("dask", 2), 1.6), (("dask-one-file", 2), 1.6)):
            report = results[key]
            ratio = report["articles"] / report["seconds"] / base_rate
            same = "same events" if report["events"] == base["events"] else "DIFFERENT event count"
            print(f"speed-up {key[0]} {key[1]} over --jobs 1: {ratio:.2f}x (target >= {target}x); {same}")
        print(f"serial rate {base_rate:.0f} articles/s per core (target >= 300), "
              f"{base_rate * words:,.0f} words/s")


if __name__ == "__main__":
    main()
