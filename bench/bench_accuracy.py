"""Accuracy of event extraction and place resolution on the shared gold sets.

Run from the repository root with the shared data beside it::

    GEOCONFLICT_DATA_DIR=../shared/data/boundaries python bench/bench_accuracy.py [--details]

Prints event recall / precision / F1 (in Balochistan, and in every province), deaths, date, actor and type exactness on
matched events for the development corpus and the seed articles, and place
accuracy on the corpus mention list. ``--details`` lists every miss, false alarm
and wrong field.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from geoconflict.evaluate import evaluate, scores_frame

SHARED = Path(os.environ.get("GEOCONFLICT_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list misses, false alarms and wrong fields")
    args = parser.parse_args()
    import pandas as pd

    pd.set_option("display.width", 160)
    sets = {
        "corpus": (SHARED / "data/corpus", [SHARED / "data/corpus/articles"], SHARED / "data/corpus/places.csv"),
        "seeds": (SHARED / "data/seeds/gold.json", sorted((SHARED / "data/seeds").glob("*.txt")), None),
    }
    for name, (gold, articles, places) in sets.items():
        start = time.perf_counter()
        scores, place_score = evaluate(gold, articles, places=places)
        print(f"== {name} ({time.perf_counter() - start:.1f} s)")
        print(scores_frame(scores).round(3).to_string())
        # events placed in other provinces count too: a false one there is on the map all the same
        everywhere, _ = evaluate(gold, articles, province=None)
        main_everywhere = everywhere["main"]
        print(f"every province: main recall {main_everywhere.recall:.3f}, precision {main_everywhere.precision:.3f}, "
              f"F1 {main_everywhere.f1:.3f} ({main_everywhere.gold} gold, {main_everywhere.predicted} predicted)")
        if place_score is not None:
            print(place_score.summary())
        if args.details:
            for row in main_everywhere.false_alarms:
                if row not in scores["main"].false_alarms:
                    print(f"  main FALSE (other province) {row}")
            for kind, score in scores.items():
                for label, rows in (("MISS", score.misses), ("FALSE", score.false_alarms), ("WRONG", score.wrong)):
                    for row in rows:
                        print(f"  {kind} {label} {row}")
            if place_score is not None:
                for row in place_score.errors:
                    print(f"  PLACE {row}")
                for row in (place_score.in_articles.errors if place_score.in_articles else []):
                    print(f"  IN-ARTICLE PLACE {row}")


if __name__ == "__main__":
    main()
