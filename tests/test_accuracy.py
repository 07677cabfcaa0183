"""Accuracy floors on the shared gold sets: a regression in extraction or resolution fails the build.

The floors sit a little below what ``python bench/bench_accuracy.py`` measured when they were set
(see the closing notes); raise them when the numbers rise. They are measured on the development
corpus, which the rules were developed against, so they guard against regressions: they are not
a claim about accuracy on unseen reports.
"""

from __future__ import annotations

import pytest

from geoconflict.evaluate import evaluate
from geoconflict.extract import events_from_articles

from .conftest import SHARED

CORPUS = SHARED / "data" / "corpus"

#: Floors for the report's own (main) events of the corpus, Balochistan only.
CORPUS_FLOORS = {"recall": 0.90, "precision": 0.90, "f1": 0.90, "deaths_exact": 0.88, "injured_exact": 0.93,
                 "date_exact": 0.90, "actor_exact": 0.92, "type_exact": 0.70}
PLACES_FLOOR = 0.86
PLACES_IN_ARTICLES_FLOOR = 0.94
SEEDS_F1_FLOOR = 0.95


@pytest.fixture(scope="module")
def corpus_scores(resolver):
    if not (CORPUS / "gold").is_dir():
        pytest.skip(f"development corpus not found at {CORPUS}")
    return evaluate(CORPUS, [CORPUS / "articles"], places=CORPUS / "places.csv", resolver=resolver)


@pytest.mark.parametrize("measure", sorted(CORPUS_FLOORS))
def test_corpus_events_stay_above_their_floor(corpus_scores, measure):
    scores, _ = corpus_scores
    value = scores["main"].rates()[measure]
    assert value >= CORPUS_FLOORS[measure], (measure, value, scores["main"].misses, scores["main"].false_alarms)


def test_corpus_places_stay_above_their_floor(corpus_scores):
    _, places = corpus_scores
    assert places.accuracy >= PLACES_FLOOR, places.errors
    assert places.in_articles.accuracy >= PLACES_IN_ARTICLES_FLOOR, places.in_articles.errors


def test_seeds_stay_above_their_floor(resolver, seed_files):
    gold = seed_files[0].parent / "gold.json"
    scores, _ = evaluate(gold, seed_files, resolver=resolver)
    assert scores["main"].f1 >= SEEDS_F1_FLOOR, (scores["main"].misses, scores["main"].false_alarms)


def test_reports_without_a_balochistan_event_yield_none(resolver):
    """The corpus marks five reports as having no Balochistan event (a Karachi attack, floods, ...)."""
    import json

    empty = [CORPUS / "articles" / f"{p.stem}.txt" for p in sorted((CORPUS / "gold").glob("*.json"))
             if not any(e.get("province") == "Balochistan" for e in json.loads(p.read_text())["events"])]
    assert len(empty) >= 3
    events = events_from_articles(empty, resolver=resolver)
    main = events[(events["admin1"] == "Balochistan") & (events["reported_as"] == "main")]
    assert len(main) <= 1, main[["article_id", "location"]].to_string()


def test_places_are_also_scored_as_resolved_in_their_articles(resolver, tmp_path):
    """A name no gazetteer can place alone is right when its article placed it; names the extraction
    did not see are scored alone."""
    import pandas as pd

    from geoconflict.evaluate import score_places

    places = tmp_path / "places.csv"
    places.write_text("mention,district,province\nZorvatabad Bala,Kech,Balochistan\nTurbat,Kech,Balochistan\n",
                      encoding="utf-8")
    seen = pd.DataFrame([{"article_id": "a", "sentence_index": 0, "mention": "zorvatabad bala", "role": "event",
                          "reason": None, "status": "resolved", "admin1": "Balochistan", "admin2": "Kech",
                          "geo_precision": 1, "method": "context"}])
    score = score_places(places, resolver, mentions=seen)
    assert (score.correct, score.total) == (1, 2)
    assert (score.in_articles.correct, score.in_articles.total) == (2, 2)
    # read inside a phrase of several places, a name is where that phrase was placed; a longer name is not
    places.write_text("mention,district,province\nGorbat,Kech,Balochistan\nNorth Gorbat,Kech,Balochistan\n",
                      encoding="utf-8")
    seen["mention"] = ["the Gorbat area of Kech district"]
    assert score_places(places, resolver, mentions=seen).in_articles.correct == 1
    seen["mention"] = ["Upper North Gorbat"]
    assert score_places(places, resolver, mentions=seen).in_articles.correct == 0
    assert score_places(places, resolver).in_articles is None
