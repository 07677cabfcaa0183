"""Event extraction scored on the seed articles' gold annotations and on hand-annotated rule cases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from geoconflict.cli import main
from geoconflict.extract import events_from_articles, extract_events
from geoconflict.io import load_events, save_events
from geoconflict.schema import EVENT_COLUMNS, MANIFEST_COLUMNS, MENTION_COLUMNS

RULES = Path(__file__).parent / "data" / "articles"
RULES_EXPECTED = json.loads((Path(__file__).parent / "data" / "articles_expected.json").read_text())["articles"]


@pytest.fixture(scope="module")
def seed_run(resolver, seed_files):
    return extract_events(seed_files, resolver=resolver)


@pytest.fixture(scope="module")
def rules_run(resolver):
    return extract_events([RULES], resolver=resolver)


def _value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _match(gold_events, predicted):
    """One-to-one matches by district (province for province-level events), best agreement first."""
    pool = list(predicted.itertuples())
    pairs = []
    for gold in gold_events:
        key = gold["district"] or gold["province"]
        options = [p for p in pool if (p.admin2 if gold["district"] else (p.admin1 if pd.isna(p.admin2) else None))
                   == key]
        if not options:
            continue
        gold_start = (gold["date"] or "").partition("/")[0] or None
        best = max(options, key=lambda p: (_value(p.date_start) == gold_start, _value(p.killed) == gold["killed"],
                                           gold["location_text"] in p.location))
        pool.remove(best)
        pairs.append((gold, best))
    return pairs


def test_seed_recall_and_precision(seed_run, gold):
    matched = total_gold = total_pred = 0
    for name, entry in gold["articles"].items():
        predicted = seed_run.events[seed_run.events["article_id"] == name]
        pairs = _match(entry["events"], predicted)
        matched += len(pairs)
        total_gold += len(entry["events"])
        total_pred += len(predicted)
    recall, precision = matched / total_gold, matched / total_pred
    assert recall >= 0.9, (recall, matched, total_gold)
    assert precision >= 0.85, (precision, matched, total_pred)


def test_seed_killed_counts_exact_where_gold_states_them(seed_run, gold):
    checked = 0
    for name, entry in gold["articles"].items():
        predicted = seed_run.events[seed_run.events["article_id"] == name]
        for g, p in _match(entry["events"], predicted):
            for field in ("killed", "injured", "killed_civilians", "killed_security", "killed_militants"):
                if g[field] is not None:
                    assert _value(getattr(p, field)) == g[field], (name, g["location_text"], field)
                    checked += 1
    assert checked >= 12


def test_no_seed_event_sits_on_a_context_place(seed_run, gold, resolver):
    for name, entry in gold["articles"].items():
        predicted = seed_run.events[seed_run.events["article_id"] == name]
        gold_districts = {e["district"] for e in entry["events"]}
        gold_provinces = {e["province"] for e in entry["events"]}
        for place in entry["context_places"]:
            where = resolver.resolve(place)
            if where.admin2 and where.admin2 not in gold_districts:
                assert where.admin2 not in set(predicted["admin2"].dropna()), (name, place)
            elif where.admin1 and not where.admin2 and where.admin1 not in gold_provinces:
                assert where.admin1 not in set(predicted["admin1"].dropna()), (name, place)


def test_seed_dates_follow_the_text(seed_run, gold):
    """002 states its date; the others do not, so their events stay undated but are kept."""
    for name, entry in gold["articles"].items():
        predicted = seed_run.events[seed_run.events["article_id"] == name]
        for g, p in _match(entry["events"], predicted):
            if g["date"] is None:
                assert pd.isna(p.date_start) or p.date_start is None
            else:
                start, _, end = g["date"].partition("/")
                assert (p.date_start, p.date_end) == (start, end or start), (name, g["location_text"])


@pytest.mark.parametrize("name", sorted(RULES_EXPECTED))
def test_rule_cases(rules_run, resolver, name):
    expected = RULES_EXPECTED[name]
    predicted = rules_run.events[rules_run.events["article_id"] == name]
    manifest = rules_run.manifest.set_index("article_id").loc[name]
    assert _value(manifest["published"]) == expected["published"]
    assert len(predicted) == len(expected["events"]), predicted[["location", "admin2"]].to_string()
    remaining = list(predicted.itertuples())
    for want in expected["events"]:
        found = [p for p in remaining if p.admin1 == want["admin1"] and _value(p.admin2) == want["admin2"]]
        assert found, (name, want)
        event = found[0]
        remaining.remove(event)
        for field, value in want.items():
            assert _value(getattr(event, field)) == value, (name, field, getattr(event, field), value)
    for place in expected["context"]:
        where = resolver.resolve(place)
        if where.admin2:
            assert where.admin2 not in set(predicted["admin2"].dropna()), (name, place)
    unresolved = set(rules_run.unresolved.loc[rules_run.unresolved["article_id"] == name, "mention"])
    assert set(expected.get("unresolved", [])) <= unresolved


def test_events_table_schema(seed_run):
    events = seed_run.events
    assert list(events.columns) == [*EVENT_COLUMNS, "geometry"]
    assert events.crs.to_epsg() == 4326
    assert events["event_id"].is_unique
    assert events["geo_precision"].between(1, 4).all()
    assert events[["latitude", "longitude"]].notna().all().all()
    assert (events.geometry.x.round(5) == events["longitude"].round(5)).all()
    assert events["evidence"].str.len().gt(20).all()
    assert events["acled_sub_event_type"].notna().all()


def test_event_ids_are_stable_across_runs(seed_run, resolver, seed_files):
    again = extract_events(seed_files, resolver=resolver)
    assert list(again.events["event_id"]) == list(seed_run.events["event_id"])


def test_every_input_is_accounted_for(tmp_path, resolver):
    (tmp_path / "good.txt").write_text((RULES / "a3_list_details.txt").read_text(), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "page.html").write_text("<html><body><p>" + (RULES / "a7_conservative_counts.txt").read_text()
                                        + "</p></body></html>", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "J1", "text": (RULES / "a8_two_provinces.txt").read_text()}) + "\n{broken\n",
        encoding="utf-8")
    run = extract_events([tmp_path], resolver=resolver)
    manifest = run.manifest.set_index("article_id")
    assert list(run.manifest.columns) == list(MANIFEST_COLUMNS)
    assert set(manifest.index) == {"good.txt", "empty.txt", "page.html", "J1", "feed.jsonl:2"}
    assert manifest.loc["empty.txt", "status"] == "skipped" and manifest.loc["empty.txt", "reason"]
    assert manifest.loc["feed.jsonl:2", "status"] == "skipped"
    assert manifest.loc["good.txt", "events"] == 3 and manifest.loc["J1", "events"] == 2
    assert "HTML" in manifest.loc["page.html", "notes"]
    assert manifest["events"].sum() == len(run.events)
    assert list(run.unresolved.columns) == list(MENTION_COLUMNS)
    # every mention is in the full table with a role
    assert set(run.mentions["role"]) <= {"event", "province", "context"}
    assert run.mentions.groupby("article_id").size().sum() == manifest["mentions"].sum() + (
        run.mentions["method"] == "non-place").sum()


def test_published_option_dates_undated_articles(resolver, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("Militants attacked a Levies post in Mastung on Saturday, killing two Levies personnel.",
                    encoding="utf-8")
    events = events_from_articles(path, resolver=resolver, published="2025-09-07")
    assert list(events["date_start"]) == ["2025-09-06"] and list(events["published"]) == ["2025-09-07"]
    undated = events_from_articles(path, resolver=resolver)
    assert undated["date_start"].isna().all() and list(undated["date_precision"]) == ["unknown"]


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg"])
def test_exports_round_trip(seed_run, tmp_path, suffix):
    path = save_events(seed_run.events, tmp_path / f"events{suffix}")
    back = load_events(path)
    assert len(back) == len(seed_run.events)
    assert sorted(back["event_id"]) == sorted(seed_run.events["event_id"])
    assert back["killed"].fillna(-1).astype(int).tolist() == seed_run.events["killed"].fillna(-1).astype(int).tolist()


def test_cli_extract_writes_all_tables(tmp_path, capsys):
    out = tmp_path / "events.csv"
    code = main(["extract", str(RULES), "-o", str(out), "--unresolved", str(tmp_path / "u.csv"),
                 "--manifest", str(tmp_path / "m.csv"), "--mentions", str(tmp_path / "all.csv"), "--no-progress"])
    assert code == 0
    events = pd.read_csv(out)
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert len(events) == sum(len(v["events"]) for v in RULES_EXPECTED.values())
    assert len(pd.read_csv(tmp_path / "m.csv")) == len(RULES_EXPECTED)
    assert "Pelvarabad" in set(pd.read_csv(tmp_path / "u.csv")["mention"])
    assert "events" in capsys.readouterr().out


def test_cli_check_lists_article_mentions(capsys):
    assert main(["check", str(RULES), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert "Pelvarabad" in {r["name"] for r in rows}


def test_cli_extract_errors(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing"), "-o", str(tmp_path / "e.csv")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["extract", str(RULES), "-o", str(tmp_path / "e.xlsx")]) == 1
    assert ".csv, .geojson, .gpkg or .parquet" in capsys.readouterr().err
    assert main(["extract", str(RULES), "-o", str(tmp_path / "e.csv"), "--published", "soon"]) == 1
    assert "--published" in capsys.readouterr().err
