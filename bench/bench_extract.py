"""Benchmark: extract events from 10,000 generated articles; print articles/second and memory.

Articles are assembled from sentence templates in the shapes real reports use
(datelines, claims, lists of districts, casualty statements, background
paragraphs, context places), with place names drawn from the gazetteer in the
spellings reporters use. They are written to a JSON Lines file and streamed
through ``iter_extractions`` into a CSV, as ``geoconflict extract`` does.

Memory is measured twice, for a small and for the full run: if the pipeline
streams, the peak stays flat as the number of articles grows.

Usage: python bench/bench_extract.py [--articles 10000] [--seed 3]
Needs GEOCONFLICT_DATA_DIR (or the boundary files in the user cache).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from geoconflict.extract.pipeline import iter_extractions, manifest_row
from geoconflict.io import EventCsvWriter
from geoconflict.resolver import Resolver

PLACES = ["Turbat", "Panjgoor", "Mastung", "Kalat", "Quetta", "Noshki", "Gwadar", "Pasni", "Khuzdar", "Kech",
          "Awaran", "Dera Bughti", "Sui", "Kohlu", "Zhob", "Musakhail district", "Kharan", "Washuk", "Chagai",
          "Dalbandin", "Sibi", "Bolan", "Hub", "Lasbela", "Tump", "Mand", "Buleda", "Jiwani", "Ormara", "Chaman"]
AREAS = ["Kalat's Manguchar area", "the Chatkan area of Panjgoor", "Quetta's Sariab area", "Kahan area of Kohlu",
         "Gwadar's Pishukan area", "Mand's Gwarkop area", "the Zamuran area of Kech"]
GROUPS = ["Baloch Liberation Army", "Baluchistan Liberation Front", "BLA", "BLF", "Baloch Republican Guards",
          "United Baloch Army", "Tehreek-e-Taliban Pakistan"]
VICTIMS = ["soldiers", "policemen", "Levies personnel", "labourers", "passengers", "civilians", "FC personnel"]
NUMBERS = ["two", "three", "four", "five", "at least six", "seven", "more than 10", "12", "at least 15"]
VERBS = ["attacked a checkpoint in {p}", "ambushed a convoy near {p}", "hurled a grenade at a police station in {p}",
         "planted a roadside bomb that struck a vehicle in {p}", "set fire to trucks in {p}",
         "shot dead a man accused of spying in {p}", "abducted four labourers from a site in {p}",
         "clashed with security forces in {p}"]
DATES = ["on Saturday", "on Tuesday night", "a day earlier", "on {d}", "between {d1} and {d2} {m}", "late on Monday"]
BACKGROUND = [
    "Balochistan has faced an insurgency for decades, with groups demanding a greater share of its resources.",
    "The province borders Afghanistan and Iran and hosts projects of the China-Pakistan Economic Corridor.",
    "Officials addressing a news conference in Quetta vowed to continue operations against militants.",
    "Rights groups have previously raised concerns about enforced disappearances in the region.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _article(rng: random.Random, number: int) -> dict[str, str]:
    published = date(2023, 1, 1) + timedelta(days=rng.randrange(900))
    paragraphs = []
    if rng.random() < 0.4:
        paragraphs.append(f"{rng.choice(['QUETTA', 'TURBAT', 'GWADAR'])}, {MONTHS[published.month - 1][:3]} "
                          f"{published.day} (Reuters) - ")
    for _ in range(rng.randint(1, 4)):
        place = rng.choice(PLACES + AREAS)
        when = rng.choice(DATES).format(d=f"{rng.randint(1, 28)} {MONTHS[rng.randrange(12)]}", d1=3, d2=5,
                                        m=MONTHS[rng.randrange(12)])
        verb = rng.choice(VERBS).format(p=place)
        group = rng.choice(GROUPS)
        sentence = f"Militants {verb} {when}, killing {rng.choice(NUMBERS)} {rng.choice(VICTIMS)}, officials said."
        claim = f"The {group} claimed responsibility for the attack in a statement to The Balochistan Post."
        paragraphs.append(sentence + " " + claim)
    if rng.random() < 0.3:
        listed = rng.sample(PLACES, 4)
        paragraphs.append(f"The group said its fighters carried out attacks in {', '.join(listed[:3])} and "
                          f"{listed[3]}, and that {rng.choice(NUMBERS)} soldiers were killed.")
    paragraphs.extend(rng.sample(BACKGROUND, rng.randint(1, 3)))
    text = "\n\n".join(paragraphs) * (1 if rng.random() < 0.9 else 3)
    return {"id": f"gen-{number:05d}", "text": text, "published": published.isoformat()}


def _run(path: Path, out: Path, resolver: Resolver) -> tuple[int, int, float]:
    articles = events = 0
    start = time.perf_counter()
    with EventCsvWriter(out) as writer:
        for item in iter_extractions([path], resolver=resolver):
            manifest_row(item)
            articles += 1
            if hasattr(item, "events"):
                writer.write(e.to_dict() for e in item.events)
                events += len(item.events)
    return articles, events, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    resolver = Resolver.from_gazetteer()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small, full = folder / "small.jsonl", folder / "full.jsonl"
        records = [_article(rng, i) for i in range(args.articles)]
        with full.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")
        with small.open("w", encoding="utf-8") as handle:
            for record in records[: max(1, args.articles // 10)]:
                handle.write(json.dumps(record) + "\n")
        size_mb = full.stat().st_size / 2**20
        del records
        _run(small, folder / "warm.csv", resolver)  # warm the resolver cache, as a long run would be

        articles, events, seconds = _run(full, folder / "events.csv", resolver)
        print(f"articles: {articles:,} ({size_mb:.1f} MB of JSON Lines), events: {events:,}")
        print(f"speed: {articles / seconds:,.0f} articles/s on one core ({seconds:.1f} s)")

        peaks = []
        for path in (small, full):
            tracemalloc.start()
            count, _, _ = _run(path, folder / "mem.csv", resolver)
            peaks.append((count, tracemalloc.get_traced_memory()[1] / 2**20))
            tracemalloc.stop()
        (n1, p1), (n2, p2) = peaks
        print(f"peak traced memory: {p1:.1f} MB for {n1:,} articles, {p2:.1f} MB for {n2:,} articles "
              f"(x{p2 / p1:.2f} for x{n2 / n1:.0f} articles)")


if __name__ == "__main__":
    main()
