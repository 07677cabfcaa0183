"""Benchmark: resolve 100,000 place mentions; compare with a naive rapidfuzz baseline.

Mentions are drawn from the gazetteer itself: repeats of known names, spelling
variants made by the transliteration changes reporters make (oo/u, ee/i, kh/k,
doubled letters, dropped vowels, admin words, case), and invented names that
must stay unresolved. The truth for a variant is the district of the name it
was made from.

The baseline is ``rapidfuzz.process.extractOne`` over all gazetteer names with
no normalisation (what a quick script would do); it is slow, so it runs on a
sample and its rate is per mention.

It also times gazetteer loads in fresh processes (census villages included):
the first with an empty cache (census R file parsed, GeoNames extracted), the
second reading the derived caches; and scores the resolver on a gold list of
real mentions (``mention,district,province``; default
``../shared/data/corpus/places.csv`` beside the checkout).

Targets (issue 8): places accuracy >= 0.95, >= 50,000 mentions/s on the first
pass with census places loaded, first load <= 10 s, later loads <= 2 s.

Usage: python bench/bench_resolver.py [--mentions 100000] [--baseline-sample 3000] [--seed 7]
                                      [--places FILE]
Needs GEOCONFLICT_DATA_DIR (or the boundary files in the user cache).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz, process

from geoconflict.evaluate import score_places
from geoconflict.gazetteer_index import load_gazetteer
from geoconflict.normalize import match_key, normalize_name
from geoconflict.resolver import Resolver

_SYLLABLES = ["ka", "ro", "zu", "mil", "tar", "pesh", "gho", "lan", "vir", "dun", "sab", "qim", "ore", "bex"]


def _mutate(name: str, rng: random.Random) -> str:
    swaps = [("u", "oo"), ("i", "ee"), ("a", "aa"), ("k", "kh"), ("kh", "k"), ("q", "k"), ("w", "v"),
             ("ai", "e"), ("e", "ai")]
    out = name
    for _ in range(rng.randint(1, 2)):
        choice = rng.random()
        if choice < 0.5:
            old, new = rng.choice(swaps)
            if old in out.lower():
                i = out.lower().index(old)
                out = out[:i] + new + out[i + len(old):]
        elif choice < 0.7 and len(out) > 4:
            i = rng.randrange(1, len(out) - 1)
            out = out[:i] + out[i] + out[i:]          # doubled letter
        elif choice < 0.85:
            out = rng.choice([out.upper(), out.lower(), f"{out} district", f"the {out} area", f"{out}'s"])
        elif len(out) > 6:
            vowels = [i for i, ch in enumerate(out) if ch in "aeiou" and 0 < i < len(out) - 1]
            if vowels:
                i = rng.choice(vowels)
                out = out[:i] + out[i + 1:]            # dropped vowel
    return out


def _invented(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def build_mentions(gazetteer, n: int, rng: random.Random) -> tuple[list[str], list[str | None]]:
    """Return mentions and the district each should resolve to (None: must not resolve)."""
    by_key: dict[str, set[str | None]] = {}
    for entry in gazetteer.names():
        place = gazetteer.places[entry.place_id]
        by_key.setdefault(match_key(normalize_name(entry.text)), set()).add(place.admin2)
    sources = []
    for entry in gazetteer.names():
        place = gazetteer.places[entry.place_id]
        key = match_key(normalize_name(entry.text))
        if place.in_pakistan and place.admin2 and len(key) >= 5 and by_key[key] == {place.admin2}:
            sources.append((entry.text, place.admin2))
    sources.sort()
    popular = rng.sample(sources, min(400, len(sources)))
    known_keys = set(by_key)
    mentions, truth = [], []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.6:
            text, district = popular[min(int(rng.paretovariate(1.2)) - 1, len(popular) - 1)]
        elif roll < 0.85:
            base, district = rng.choice(sources)
            text = _mutate(base, rng)
        else:
            text = _invented(rng)
            while match_key(normalize_name(text)) in known_keys:
                text = _invented(rng)
            district = None
        mentions.append(text)
        truth.append(district)
    return mentions, truth


def _accuracy(predicted: list[str | None], truth: list[str | None]) -> float:
    return sum(p == t for p, t in zip(predicted, truth)) / len(truth)


_LOAD = ("import time; t = time.perf_counter(); from geoconflict.gazetteer_index import load_gazetteer; "
         "g = load_gazetteer(); print(f'{time.perf_counter() - t:.2f}')")


def load_times() -> tuple[float, float]:
    """Seconds to load the gazetteer in a new process: empty cache, then warm cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "GEOCONFLICT_CACHE_DIR": cache}
        runs = [float(subprocess.run([sys.executable, "-c", _LOAD], env=env, check=True, capture_output=True,
                                     text=True).stdout.strip()) for _ in range(4)]
    return runs[0], min(runs[1:])  # best of three warm loads: the machine is shared


_DEFAULT_PLACES = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "places.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--baseline-sample", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--places", type=Path, default=_DEFAULT_PLACES,
                        help="gold mention,district,province CSV to score (default: %(default)s)")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    start = time.perf_counter()
    gazetteer = load_gazetteer()
    print(f"gazetteer: {len(gazetteer.places):,} places, {len(gazetteer.index):,} keys, "
          f"built in {time.perf_counter() - start:.1f} s")
    kinds = Counter(p.kind for p in gazetteer.places)
    print("  by kind: " + ", ".join(f"{k} {n:,}" for k, n in kinds.most_common()))
    cold, warm = load_times()
    print(f"load in a new process: {cold:.1f} s with an empty cache (census parsed), {warm:.1f} s from the "
          "derived caches (best of 3)")
    mentions, truth = build_mentions(gazetteer, args.mentions, rng)
    distinct = len(set(mentions))
    print(f"mentions: {len(mentions):,} ({distinct:,} distinct; 60% repeats, 25% variants, 15% invented)")

    resolver = Resolver(gazetteer)
    start, cpu_start = time.perf_counter(), time.process_time()
    results = [resolver.resolve(m) for m in mentions]
    first = time.perf_counter() - start
    first_cpu = time.process_time() - cpu_start
    start = time.perf_counter()
    for m in mentions:
        resolver.resolve(m)
    repeat = time.perf_counter() - start
    ours = [r.admin2 if r.resolved else None for r in results]

    tracemalloc.start()
    fresh = Resolver(gazetteer)
    for m in mentions:
        fresh.resolve(m)
    _, peak_resolve = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Baseline: extractOne over every gazetteer name, raw strings, same acceptance threshold.
    names, owners = [], []
    for entry in gazetteer.names():
        names.append(entry.text)
        owners.append(gazetteer.places[entry.place_id])
    sample_idx = rng.sample(range(len(mentions)), min(args.baseline_sample, len(mentions)))
    start = time.perf_counter()
    baseline = []
    for i in sample_idx:
        match = process.extractOne(mentions[i], names, scorer=fuzz.WRatio)
        place = owners[match[2]] if match and match[1] >= 88 else None
        baseline.append(place.admin2 if place is not None and place.in_pakistan else None)
    base_time = time.perf_counter() - start
    sample_truth = [truth[i] for i in sample_idx]
    sample_ours = [ours[i] for i in sample_idx]

    rate_first = len(mentions) / first
    rate_repeat = len(mentions) / repeat
    rate_base = len(sample_idx) / base_time
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"{'':34}{'geoconflict':>14}{'baseline':>14}")
    print(f"{'mentions/s (mixed, first pass)':34}{rate_first:>14,.0f}{rate_base:>14,.0f}")
    print(f"{'mentions/s (first pass, CPU time)':34}{len(mentions) / first_cpu:>14,.0f}{'-':>14}")
    print(f"{'mentions/s (repeats, cached)':34}{rate_repeat:>14,.0f}{'-':>14}")
    print(f"{'accuracy on baseline sample':34}{_accuracy(sample_ours, sample_truth):>14.3f}"
          f"{_accuracy(baseline, sample_truth):>14.3f}")
    print(f"{'accuracy on all mentions':34}{_accuracy(ours, truth):>14.3f}{'-':>14}")
    print(f"{'throughput ratio (first pass)':34}{rate_first / rate_base:>14.1f}x")
    if args.places.is_file():
        places = score_places(args.places, Resolver(gazetteer))
        print(f"places accuracy on {args.places.name}: {places.accuracy:.3f} ({places.correct}/{places.total}; "
              "target >= 0.95)")
        for error in places.errors:
            print(f"  miss: {error}")
    else:
        print(f"places accuracy: skipped, {args.places} not found")
    print(f"gazetteer size: {len(gazetteer.places):,} places, {len(gazetteer.index):,} keys")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(wall-clock rates fall when other work shares the machine; the CPU-time rate does not)")
    print(f"peak memory: {rss_mb:,.0f} MB process RSS; {peak_resolve / 2**20:,.1f} MB traced while resolving "
          f"{len(mentions):,} mentions with a fresh cache")


if __name__ == "__main__":
    main()
