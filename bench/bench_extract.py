"""Benchmark: memory and speed of `geoconflict extract` with every table written, and one run-on article.

Articles are assembled from sentence templates in the shapes real reports use
(datelines, claims, lists of districts, casualty statements, background
paragraphs, context places), with place names drawn from the gazetteer in the
spellings reporters use. They are written to JSON Lines files of 10,000 and
100,000 articles (``--sizes``), and each is run through the real command line
in a child process with events, unresolved, manifest and mentions tables all
written; the child reports its peak resident memory. If the pipeline streams,
the peak stays flat as the number of articles grows (target: <= 300 MB).

Last, one article of 200,000 characters with no punctuation is extracted in
this process (target: <= 2 s).

Usage: python bench/bench_extract.py [--sizes 10000 100000] [--seed 3]
Needs GEOCONFLICT_DATA_DIR (or the boundary files in the user cache).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

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


_CHILD = """
import resource, sys
from geoconflict.cli import main
code = main(sys.argv[1:])
print("peak_rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def _extract(feed: Path, folder: Path) -> tuple[float, float, str]:
    """Run `geoconflict extract` with all tables in a child; return (seconds, peak MB, summary line)."""
    args = [sys.executable, "-c", _CHILD, "extract", str(feed), "-o", str(folder / "events.csv"),
            "--unresolved", str(folder / "unresolved.csv"), "--manifest", str(folder / "manifest.csv"),
            "--mentions", str(folder / "mentions.csv"), "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"extract failed:\n{proc.stderr}")
    peak = [line for line in proc.stderr.splitlines() if line.startswith("peak_rss_kb")][-1]
    return seconds, int(peak.split()[1]) / 1024, proc.stdout.splitlines()[0]


def _run_on_article_seconds() -> float:
    """Seconds to extract one article of 200,000 characters with no punctuation (warm resolver)."""
    from geoconflict.extract.articles import Article
    from geoconflict.extract.events import extract_article
    from geoconflict.extract.mentions import MentionSpotter
    from geoconflict.resolver import Resolver

    spotter = MentionSpotter(Resolver.from_gazetteer())
    rng = random.Random(7)
    words = ["militants", "attacked", "the", "camp", "near", "Turbat", "and", "killed", "two", "soldiers", "in",
             "Kalat's", "Manguchar", "area", "of", "Panjgoor", "while", "police", "said", "Quetta"]
    parts: list[str] = []
    size = 0
    while size < 200_000:
        parts.append(rng.choice(words))
        size += len(parts[-1]) + 1
    text = " ".join(parts)[:200_000]
    extract_article(Article("warm", "Militants attacked a post in Turbat, killing two.", "warm"), spotter)
    start = time.perf_counter()
    extract_article(Article("run-on", text, "run-on"), spotter)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed = folder / "feed.jsonl"
        written = 0
        with feed.open("w", encoding="utf-8") as handle:
            for size in sorted(args.sizes):
                while written < size:  # each feed is the previous one plus more articles
                    handle.write(json.dumps(_article(rng, written)) + "\n")
                    written += 1
                handle.flush()
                part = folder / f"feed-{size}.jsonl"
                part.write_bytes(feed.read_bytes())
                seconds, peak, summary = _extract(part, folder)
                part.unlink()
                peaks.append((size, peak))
                print(f"{size:,} articles ({feed.stat().st_size / 2**20:.0f} MB JSON Lines), all four tables: "
                      f"peak RSS {peak:.0f} MB, {seconds:.0f} s ({size / seconds:,.0f} articles/s)  [{summary}]",
                      flush=True)
    if len(peaks) > 1:
        (n1, p1), (n2, p2) = peaks[0], peaks[-1]
        print(f"peak memory x{p2 / p1:.2f} for x{n2 / n1:.0f} articles")
    print(f"one article of 200,000 characters without punctuation: {_run_on_article_seconds():.2f} s")


if __name__ == "__main__":
    main()
