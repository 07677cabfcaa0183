"""Grouping events into incidents: the multi-report test set through the real extractor, and
hand-written events tables for each rule."""

from __future__ import annotations

import csv
import os
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

from geoconflict._grouping import Grouper
from geoconflict.cli import main
from geoconflict.errors import InputError
from geoconflict.extract import extract_events
from geoconflict.incidents import (
    INCIDENT_COLUMNS,
    IncidentRules,
    incidents_from_events,
    incidents_to_events,
    table_for_unit,
    tehsil_neighbours,
)

MULTI = Path(__file__).resolve().parent / "data" / "multi_report"


def ev(event_id: str, article_id: str, date: str | None, admin2: str = "Kech", **extra: object) -> dict:
    """One events-table row with sensible defaults; ``date`` is a day unless extra says otherwise."""
    row = {
        "event_id": event_id, "article_id": article_id, "source": f"outlet of {article_id}",
        "published": date, "event_date": date, "date_start": date, "date_end": date,
        "date_precision": "day" if date else "unknown", "location": admin2, "admin1": "Balochistan",
        "admin2": admin2, "admin2_id": f"ID-{admin2}", "admin3": None, "geo_precision": 3, "latitude": 26.0,
        "longitude": 63.0, "actor": "unknown", "event_type": "armed assault", "acled_sub_event_type": "Armed clash",
        "target": None, "killed": None, "injured": None, "killed_civilians": None, "killed_security": None,
        "killed_militants": None, "evidence": f"sentence of {article_id}",
    }
    row.update(extra)
    return row


def group(*rows: dict, **rules: object) -> pd.DataFrame:
    return incidents_from_events(pd.DataFrame(list(rows)), rules=IncidentRules(**rules) if rules else None)


def partition(incidents: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(ids.split("; ")) for ids in incidents["article_ids"]}


# --- the multi-report test set, through the real extractor ------------------------------------------------------

@pytest.fixture(scope="module")
def multi_events(resolver):
    return extract_events([MULTI / "reports.jsonl"], resolver=resolver).events


def test_multi_report_set_gives_exactly_its_ten_incidents(multi_events):
    truth: dict[str, set[str]] = {}
    with (MULTI / "truth.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth.setdefault(row["incident"], set()).add(row["article_id"])
    assert len(truth) == 10 and sum(map(len, truth.values())) >= 30
    incidents = incidents_from_events(multi_events)
    assert len(incidents) == 10
    # Exactly the true grouping: nothing split, and no two real incidents merged (the Kech bombing and the
    # Panjgur shooting share a day; the Quetta checkpoint and the Quetta van are a day apart).
    assert partition(incidents) == {frozenset(v) for v in truth.values()}


def test_multi_report_toll_that_rises_is_kept_as_a_range(multi_events):
    incidents = incidents_from_events(multi_events)
    convoy = incidents[incidents["article_ids"].str.contains("r31")].iloc[0]
    assert convoy["admin2"] == "Kech" and convoy["date_start"] == "2025-04-07"
    assert (convoy["killed"], convoy["killed_min"], convoy["killed_max"]) == (5, 5, 7)
    assert convoy["n_reports"] == 4 and convoy["actor"] == "BLA"
    assert "r31 joins" in convoy["merge_reason"] and "(month)" in convoy["merge_reason"]
    latest = incidents_from_events(multi_events, rules=IncidentRules(casualty_rule="latest"))
    assert latest[latest["article_ids"].str.contains("r31")].iloc[0]["killed"] == 7


# --- rules on hand-written tables --------------------------------------------------------------------------------

def test_reports_of_one_attack_merge_and_say_why():
    inc = group(ev("e1", "a1", "2025-03-04", target="an FC convoy", killed=5, event_type="bombing/IED"),
                ev("e2", "a2", "2025-03-05", target="soldiers", killed=7, event_type="suicide bombing"))
    assert len(inc) == 1
    row = inc.iloc[0]
    assert row["n_reports"] == 2 and row["article_ids"] == "a1; a2"
    assert row["first_report"] == "2025-03-04" and row["last_report"] == "2025-03-05"
    assert "same district Kech" in row["merge_reason"] and "1 day(s)" in row["merge_reason"]
    assert row["event_type"] == "suicide bombing"  # equally common: the more specific type


def test_same_day_in_two_districts_stays_two():
    assert len(group(ev("e1", "a1", "2025-03-04", "Kech"), ev("e2", "a2", "2025-03-04", "Panjgur"))) == 2


def test_consecutive_days_same_district_different_targets_stay_two():
    inc = group(ev("e1", "a1", "2025-04-10", "Quetta", target="a police checkpoint", killed=2),
                ev("e2", "a2", "2025-04-11", "Quetta", target="a passenger van", killed=3))
    assert len(inc) == 2


def test_dates_beyond_the_window_stay_apart_and_the_window_is_a_setting():
    rows = (ev("e1", "a1", "2025-03-01"), ev("e2", "a2", "2025-03-03"))
    assert len(group(*rows)) == 2
    assert len(group(*rows, window_days=2)) == 1


def test_no_chaining_across_the_window():
    # Day 1 and day 3 are each within a day of day 2, but not of each other: one of them stays apart.
    inc = group(ev("e1", "a1", "2025-03-01"), ev("e2", "a2", "2025-03-02"), ev("e3", "a3", "2025-03-03"))
    assert len(inc) == 2


def test_events_of_one_article_never_merge():
    assert len(group(ev("e1", "a1", "2025-03-04"), ev("e2", "a1", "2025-03-04"))) == 2


@pytest.mark.parametrize(("first", "second", "merged"), [
    ({"killed": 5}, {"killed": 7}, True),
    ({"killed": 1}, {"killed": 30}, False),
    ({"killed": 0}, {"killed": 3}, True),
    ({"actor": "BLA"}, {"actor": "TTP"}, False),
    ({"actor": "BLA"}, {"actor": "unknown"}, True),
    ({"event_type": "bombing/IED"}, {"event_type": "abduction"}, False),
    ({"event_type": "ambush"}, {"event_type": "armed assault"}, True),
    ({"event_type": "other"}, {"event_type": "arson"}, True),
    ({"target": "police"}, {"target": "labourers"}, False),
    ({"target": "a checkpoint"}, {"target": "two policemen"}, True),
    ({"geo_precision": 2, "admin3": "Tump"}, {"geo_precision": 2, "admin3": "Buleda"}, False),
])
def test_compatibility_rules(first, second, merged):
    inc = group(ev("e1", "a1", "2025-03-04", **first), ev("e2", "a2", "2025-03-04", **second))
    assert len(inc) == (1 if merged else 2)


def test_neighbouring_tehsils_merge_when_a_neighbours_table_is_given():
    rows = [ev("e1", "a1", "2025-03-04", geo_precision=2, admin3="Tump"),
            ev("e2", "a2", "2025-03-04", geo_precision=2, admin3="Turbat")]
    assert len(incidents_from_events(pd.DataFrame(rows))) == 2
    near = {"Kech/Tump": frozenset({"Kech/Turbat"}), "Kech/Turbat": frozenset({"Kech/Tump"})}
    assert len(incidents_from_events(pd.DataFrame(rows), neighbours=near)) == 1


def test_neighbouring_tehsils_across_a_district_border(layers):
    near = tehsil_neighbours(layers.tehsils)
    # Pick a real pair of bordering tehsils of two districts from the boundary files.
    left, right = next((a, b) for a, nbrs in sorted(near.items()) for b in sorted(nbrs)
                       if a.split("/")[0] != b.split("/")[0] and a.split("/")[0] in {"Kech", "Panjgur", "Awaran"})
    (d1, t1), (d2, t2) = left.split("/", 1), right.split("/", 1)
    rows = [ev("e1", "a1", "2025-03-04", d1, geo_precision=2, admin3=t1, killed=4),
            ev("e2", "a2", "2025-03-05", d2, geo_precision=2, admin3=t2, killed=5)]
    assert len(incidents_from_events(pd.DataFrame(rows))) == 2
    merged = incidents_from_events(pd.DataFrame(rows), neighbours=near)
    assert len(merged) == 1 and "across the district border" in merged.iloc[0]["merge_reason"]
    # A district-precision report is not an area: it does not cross the border.
    rows[1] = ev("e2", "a2", "2025-03-05", d2, killed=5)
    assert len(incidents_from_events(pd.DataFrame(rows), neighbours=near)) == 2
    # Kech tehsil (Turbat) borders Tump, not Zhob hundreds of kilometres away.
    assert "Kech/Tump" in near["Kech/Kech"] and "Zhob/Zhob" not in near["Kech/Kech"]


def test_background_month_row_joins_the_one_incident_of_that_month():
    inc = group(ev("e1", "a1", "2025-03-04", killed=5),
                ev("e2", "a2", "2025-03-01", date_end="2025-03-31", date_precision="month", killed=7,
                   reported_as="background"))
    assert len(inc) == 1
    row = inc.iloc[0]
    assert row["date_start"] == "2025-03-04" and row["date_precision"] == "day"
    assert row["reported_as"] == "main" and "background" in row["reports"]
    assert "only compatible incident" in row["merge_reason"]


def test_background_month_row_with_two_candidates_stays_apart():
    inc = group(ev("e1", "a1", "2025-03-04", target="police"), ev("e2", "a2", "2025-03-20", target="police"),
                ev("e3", "a3", "2025-03-01", date_end="2025-03-31", date_precision="month", reported_as="background"))
    assert len(inc) == 3
    alone = inc[inc["article_ids"] == "a3"].iloc[0]
    assert alone["reported_as"] == "background" and "2 compatible incidents" in alone["merge_reason"]


def test_month_rows_without_a_dated_report_group_with_each_other():
    month = {"date_end": "2025-03-31", "date_precision": "month", "reported_as": "background"}
    inc = group(ev("e1", "a1", "2025-03-01", **month), ev("e2", "a2", "2025-03-01", **month))
    assert len(inc) == 1 and "no dated report" in inc.iloc[0]["merge_reason"]


def test_background_toll_counts_only_when_no_main_report_gives_one():
    inc = group(ev("e1", "a1", "2025-03-04", killed=6),
                ev("e2", "a2", "2025-03-04", killed=4, reported_as="background"))
    assert (inc.iloc[0]["killed"], inc.iloc[0]["killed_min"]) == (6, 4)


def test_missing_or_empty_reported_as_means_main():
    rows = [ev("e1", "a1", "2025-03-04", reported_as=""), ev("e2", "a2", "2025-05-04", reported_as=None)]
    assert set(group(*rows)["reported_as"]) == {"main"}
    assert set(group(ev("e1", "a1", "2025-03-04"))["reported_as"]) == {"main"}


def test_undated_and_province_rows_are_not_merged_with_others():
    inc = group(ev("e1", "a1", None), ev("e2", "a2", None),
                ev("e3", "a3", "2025-03-04"), ev("e4", "a4", "2025-03-04", admin2=None, admin2_id=None,
                                                  geo_precision=4))
    assert len(inc) == 4
    assert inc["merge_reason"].str.contains("no date, not compared").sum() == 2


def test_most_precise_location_and_breakdown_of_the_chosen_toll():
    inc = group(ev("e1", "a1", "2025-03-04", location="Kech district", killed=7, killed_security=7),
                ev("e2", "a2", "2025-03-04", location="Hoshab", geo_precision=1, latitude=26.1, longitude=63.5,
                   killed=5, killed_security=3, killed_civilians=2))
    row = inc.iloc[0]
    assert row["location"] == "Hoshab" and row["geo_precision"] == 1 and row["longitude"] == 63.5
    assert (row["killed"], row["killed_security"], row["killed_civilians"]) == (5, 3, 2)


def test_result_does_not_depend_on_row_order_and_ids_are_stable():
    rows = [ev(f"e{i}", f"a{i}", f"2025-03-0{1 + i % 4}", admin2=("Kech", "Quetta")[i % 2], killed=i % 3)
            for i in range(12)]
    one = incidents_from_events(pd.DataFrame(rows))
    two = incidents_from_events(pd.DataFrame(rows[::-1]))
    pd.testing.assert_frame_equal(one, two)
    assert one["incident_id"].str.fullmatch(r"inc-[0-9a-f]{12}").all() and one["incident_id"].is_unique


def test_incidents_regenerate_from_the_events_csv_alone(tmp_path):
    rows = [ev("e1", "a1", "2025-03-04", killed=5), ev("e2", "a2", "2025-03-05", killed=7),
            ev("e3", "a3", "2025-03-09", admin2="Quetta")]
    pd.DataFrame(rows).to_csv(tmp_path / "events.csv", index=False)
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", str(tmp_path / "incidents.csv")]) == 0
    written = pd.read_csv(tmp_path / "incidents.csv", dtype=str, keep_default_na=False)
    again = incidents_from_events(pd.read_csv(tmp_path / "events.csv")).astype("string").fillna("")
    assert list(written.columns) == list(INCIDENT_COLUMNS)
    assert written["incident_id"].tolist() == again["incident_id"].tolist()
    assert written["merge_reason"].tolist() == again["merge_reason"].tolist()


def test_the_sweep_does_not_compare_all_pairs(monkeypatch):
    calls = 0
    original = Grouper._fits

    def counting(self, i, inc, dated_check=True):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(self, i, inc, dated_check)

    monkeypatch.setattr(Grouper, "_fits", counting)
    districts = [f"D{k}" for k in range(20)]
    rows = [ev(f"e{i}", f"a{i}", str(pd.Timestamp("2024-01-01") + pd.Timedelta(days=i % 300))[:10],
               admin2=districts[i % 20], actor=("BLA", "TTP")[i % 2]) for i in range(3000)]
    incidents_from_events(pd.DataFrame(rows))
    assert calls < 10 * len(rows)  # all pairs would be about 4.5 million


def test_sparse_tables_are_read_as_far_as_they_go():
    # No geo_precision column, and an event date without date_start / date_end.
    rows = [{"event_id": "e1", "article_id": "a1", "event_date": "2025-03-04", "admin2": "Kech"},
            {"event_id": "e2", "article_id": "a2", "event_date": "2025-03-04", "date_start": "", "admin2": "Kech"},
            {"event_id": "e3", "article_id": "a3", "event_date": "2025-03-04", "admin2": "Quetta"}]
    inc = incidents_from_events(pd.DataFrame(rows))
    assert sorted(inc["n_events"].tolist()) == [1, 2]
    assert set(inc["geo_precision"]) == {3} and set(inc["date_start"]) == {"2025-03-04"}


def test_bad_tables_are_refused_with_a_clear_error():
    with pytest.raises(InputError, match="event_id"):
        incidents_from_events(pd.DataFrame([{"article_id": "a"}]))
    with pytest.raises(InputError, match="unique"):
        group(ev("e1", "a1", "2025-03-04"), ev("e1", "a2", "2025-03-04"))
    with pytest.raises(InputError, match="casualty_rule"):
        IncidentRules(casualty_rule="highest")  # type: ignore[arg-type]
    assert incidents_from_events(pd.DataFrame(columns=["event_id", "article_id"])).empty


def test_maps_get_one_row_per_incident_listing_every_report():
    events = pd.DataFrame([ev("e1", "a1", "2025-03-04"), ev("e2", "a2", "2025-03-04"),
                           ev("e3", "a3", "2025-03-09", admin2="Quetta")])
    drawn = table_for_unit(events, "incidents")
    assert len(drawn) == 2
    assert drawn["article_id"].str.startswith("2 reports: a1 (outlet of a1, 2025-03-04); a2").any()
    assert table_for_unit(events, "events") is events
    assert len(incidents_to_events(incidents_from_events(events))) == 2
    with pytest.raises(InputError):
        table_for_unit(events, "reports")


def test_cli_map_counts_incidents_by_default(tmp_path, capsys):
    events = pd.DataFrame([ev("e1", "a1", "2025-03-04", latitude=26.0, longitude=63.05),
                           ev("e2", "a2", "2025-03-05", latitude=26.0, longitude=63.05)])
    events.to_csv(tmp_path / "events.csv", index=False)
    assert main(["map", str(tmp_path / "events.csv"), "--kind", "points", "-o", str(tmp_path / "m.html")]) == 0
    assert capsys.readouterr().out.startswith("1 incidents ->")
    assert main(["map", str(tmp_path / "events.csv"), "--kind", "points", "--unit", "events",
                 "-o", str(tmp_path / "e.html")]) == 0
    assert capsys.readouterr().out.startswith("2 events ->")


# --- the development corpus and the run command ------------------------------------------------------------------

CORPUS = Path(os.environ.get("GEOCONFLICT_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")) / "data" / \
    "corpus"


def test_corpus_merges_only_reports_that_gold_calls_one_incident(resolver):
    import json

    corpus = CORPUS
    events = extract_events([corpus / "articles"], resolver=resolver).events
    incidents = incidents_from_events(events)
    assert incidents["n_events"].sum() == len(events)
    gold = {}
    for path in (corpus / "gold").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[f"{data['id']}.txt"] = [(e.get("district_today"), e.get("date")) for e in data["events"]]
    def same_incident(a: str, b: str) -> bool:  # gold: same district, dates a day apart at most
        return any(da == db and ta and tb and abs(pd.Timestamp(ta) - pd.Timestamp(tb)).days <= 1
                   for da, ta in gold[a] for db, tb in gold[b])

    merged = {frozenset(pair) for ids in incidents.loc[incidents["n_reports"] > 1, "article_ids"]
              for pair in combinations(ids.split("; "), 2)}
    # Every pair of merged articles shares a gold incident ...
    assert all(same_incident(*sorted(pair)) for pair in merged), merged
    # ... and every pair of articles the gold calls one incident is merged (in this corpus there is none:
    # its forty reports are of different incidents, so the grouping must merge nothing).
    expected = {frozenset((a, b)) for a, b in combinations(sorted(gold), 2) if same_incident(a, b)}
    assert merged == expected


def test_run_writes_both_tables_and_maps_incidents(tmp_path, resolver):
    from geoconflict.run import run_all

    out = run_all([MULTI / "reports.jsonl"], tmp_path / "run", resolver=resolver, self_contained=True)
    assert (out.events, out.incidents) == (31, 10)
    assert {"events.csv", "incidents.csv", "points.html"} <= set(out.files)
    assert len(pd.read_csv(out.files["incidents.csv"])) == 10
    html = out.files["points.html"].read_text(encoding="utf-8")
    assert "4 reports: r01" in html  # one marker for the convoy bombing, listing its four reports
    page = out.files["index.html"].read_text(encoding="utf-8")
    assert "10 incidents" in page and "Incidents per month, by actor" in page
    # The killed figure counts each attack once: the incidents' tolls, not every report's.
    incidents = pd.read_csv(out.files["incidents.csv"])
    events = pd.read_csv(out.files["events.csv"])
    main_events = events[events["reported_as"].fillna("main") == "main"]
    once, per_report = int(incidents["killed"].sum()), int(main_events["killed"].sum())
    assert once < per_report
    assert f'<div class="gc-number-value">{once}</div><div class="gc-number-label">Killed</div>' in page
    assert f'<div class="gc-number-value">{len(main_events)}</div><div class="gc-number-label">Events</div>' in page
    by_event = run_all([MULTI / "reports.jsonl"], tmp_path / "by-event", resolver=resolver, unit="events")
    page = by_event.files["index.html"].read_text(encoding="utf-8")
    assert "Events per month, by actor" in page
    assert f'<div class="gc-number-value">{per_report}</div><div class="gc-number-label">Killed</div>' in page


def test_cli_incidents_options_and_errors(tmp_path, capsys):
    rows = [ev("e1", "a1", "2025-03-04", killed=5, published="2025-03-04"),
            ev("e2", "a2", "2025-03-05", killed=7, published="2025-03-06"),
            ev("e3", "a3", "2025-03-20", geo_precision=2, admin3="Tump"),
            ev("e4", "a4", "2025-03-20", geo_precision=2, admin3="Kech", target="police")]
    pd.DataFrame(rows).to_csv(tmp_path / "events.csv", index=False)
    out = tmp_path / "latest.csv"
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", str(out), "--casualties", "latest"]) == 0
    latest = pd.read_csv(out)
    assert latest.loc[latest["killed_max"] == 7, "killed"].tolist() == [7]
    capsys.readouterr()
    # Tump and Kech (Turbat) tehsils border each other: with the tehsil layer e3 and e4 are one incident.
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith("4 events -> 2 incidents")
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", str(out), "--no-neighbours"]) == 0
    assert capsys.readouterr().out.startswith("4 events -> 3 incidents")
    acled = tmp_path / "acled.csv"
    acled.write_text("event_id_cnty,event_date,latitude,longitude\nPAK1,2025-03-04,26,63\n", encoding="utf-8")
    assert main(["incidents", str(acled), "-o", str(out)]) == 1
    assert "event_id" in capsys.readouterr().err
