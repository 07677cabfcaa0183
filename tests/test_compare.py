"""Comparison with ACLED exports, and incidents written in ACLED's layout (test files written by us in
ACLED's column layout, see tests/data/acled/README.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from geoconflict.acled import ACLED_EXPORT_COLUMNS, incidents_to_acled, load_acled
from geoconflict.cli import main
from geoconflict.compare import compare_with_acled, save_comparison
from geoconflict.errors import InputError
from geoconflict.incidents import incidents_from_events

DATA = Path(__file__).resolve().parent / "data"
ACLED_FILE = DATA / "acled" / "multi_report_acled.csv"
HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,country,"
          "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,notes,fatalities,timestamp")


def ev(event_id: str, date: str | None, admin2: str | None, **extra: object) -> dict:
    row = {"event_id": event_id, "article_id": f"art-{event_id}", "source": "Test Daily", "published": date,
           "event_date": date, "date_start": date, "date_end": date, "date_precision": "day" if date else "unknown",
           "location": admin2, "admin1": "Balochistan", "admin2": admin2, "admin2_id": admin2, "admin3": None,
           "geo_precision": 3 if admin2 else 4, "latitude": 29.0, "longitude": 66.0, "actor": "unknown",
           "event_type": "armed assault", "acled_sub_event_type": "Armed clash", "target": None, "killed": None,
           "injured": None, "evidence": "a sentence"}
    row.update(extra)
    return row


def incidents(*rows: dict) -> pd.DataFrame:
    return incidents_from_events(pd.DataFrame(list(rows)))


def acled(tmp_path: Path, *lines: str) -> pd.DataFrame:
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return load_acled(path)


def row(event_id: str, date: str, admin2: str, *, precision: int = 3, lat: float = 29.0, lon: float = 66.0,
        sub: str = "Armed clash", deaths: int = 0, admin1: str = "Balochistan", admin3: str = "") -> str:
    return (f"{event_id},{date},{date[-4:] if ' ' in date else date[:4]},1,Political violence,Battles,{sub},"
            f"Unidentified Armed Group (Pakistan),Pakistan,{admin1},{admin2},{admin3},{admin2},{lat},{lon},{precision},"
            f"Test Wire,a note,{deaths},1745000000")


@pytest.fixture(scope="module")
def districts(layers):
    return layers.districts


def test_multi_report_incidents_against_the_acled_file(districts):
    ours = incidents(
        ev("k", "2025-04-07", "Kech", event_type="bombing/IED", acled_sub_event_type="Remote explosive/landmine/IED",
           killed=5),
        ev("p", "2025-04-07", "Panjgur", acled_sub_event_type="Attack", killed=3),
        ev("q1", "2025-04-10", "Quetta", killed=2, target="police"), ev("q2", "2025-04-11", "Quetta", acled_sub_event_type="Attack",
                                                        killed=3, target="passengers"),
        ev("m", "2025-04-14", "Mastung", acled_sub_event_type="Suicide bomb", killed=4),
        ev("g", "2025-04-16", "Gwadar", killed=2), ev("d", "2025-04-18", "Dera Bugti"),
        ev("n", "2025-04-20", "Nushki", acled_sub_event_type="Abduction/forced disappearance"),
        ev("z", "2025-04-22", "Zhob", killed=3), ev("t", "2025-04-25", "Kalat"))
    result = compare_with_acled(ours, load_acled(ACLED_FILE), districts=districts)
    s = result.summary
    assert (s.matched, s.only_ours, s.only_acled) == (8, 2, 2)
    assert (s.recall, s.precision) == (0.8, 0.8)
    assert s.out_of_scope_acled == 2
    status = dict(zip(result.table["event_id_cnty"].fillna(result.table["incident_id"]), result.table["status"]))
    assert status["PAK90011"] == "outside_period" and status["PAK90012"] == "outside_area"
    matched = result.table[result.table["status"] == "matched"].set_index("event_id_cnty")
    assert matched.loc["PAK90005", "date_gap_days"] == 1  # ACLED coded the Mastung attack a day later
    assert matched.loc["PAK90007", "admin2"] == "Nushki"  # ACLED row spelt Noshki
    assert matched.loc["PAK90008", "acled_date"] == "2025-04-22"  # "22 April 2025"
    # Deaths on matched pairs where we state a toll (7 of 8; Nushki has none): Kech 5/7 and Zhob 3/8 differ.
    assert (s.deaths_pairs, s.deaths_exact, s.deaths_ours, s.deaths_acled) == (7, 5, 22, 29)
    assert s.deaths_mean_abs_diff == pytest.approx((2 + 5) / 7, abs=1e-3)


def test_district_split_since_acled_coded_it(tmp_path):
    ours = incidents(ev("h", "2021-10-10", "Hub"))
    result = compare_with_acled(ours, acled(tmp_path, row("A1", "2021-10-10", "Lasbela")))
    assert result.summary.matched == 1
    assert "split since" in result.table.loc[0, "match_reason"]
    other = compare_with_acled(ours, acled(tmp_path, row("A1", "2021-10-10", "Kalat")))
    assert other.summary.matched == 0


def test_acled_names_are_read_in_the_layout_of_the_event_date(tmp_path):
    # Chaman became a district in 2021; before, Chaman tehsil was part of Qilla Abdullah, which is what our
    # events table holds as admin2 (the district in force on the event date).
    old = incidents(ev("c", "2019-05-01", "Qilla Abdullah"))
    recoded = compare_with_acled(old, acled(tmp_path, row("A1", "2019-05-01", "Chaman")))
    assert recoded.summary.matched == 1
    assert "Chaman was in Qilla Abdullah on that date" in recoded.table.loc[0, "match_reason"]
    # In 2024 Chaman is its own district: ACLED's Chaman is not our Qilla Abdullah.
    assert compare_with_acled(incidents(ev("c", "2024-05-01", "Qilla Abdullah")),
                              acled(tmp_path, row("A1", "2024-05-01", "Chaman"))).summary.matched == 0
    # A tehsil in admin3 names its district of that day, whatever admin2 says (Gaddani: Lasbela until 2022).
    hub = incidents(ev("h", "2015-03-02", "Lasbela"))
    assert compare_with_acled(hub, acled(tmp_path, row("A1", "2015-03-02", "Hub"))).summary.matched == 1
    by_tehsil = compare_with_acled(hub, acled(tmp_path, row("A1", "2015-03-02", "Unknown Area", admin3="Gaddani")))
    assert by_tehsil.summary.matched == 1 and "admin3 Gaddani was in Lasbela" in by_tehsil.table.loc[0, "match_reason"]
    # Our table written in today's layout (Chaman on a 2019 date) meets ACLED's layout of the day too.
    today = incidents(ev("c", "2019-05-01", "Chaman"))
    assert compare_with_acled(today, acled(tmp_path, row("A1", "2019-05-01", "Killa Abdullah"))).summary.matched == 1
    assert compare_with_acled(today, acled(tmp_path, row("A1", "2019-05-01", "Pishin"))).summary.matched == 0


def test_precise_acled_points_are_placed_by_their_point_too(tmp_path, districts):
    quetta = districts[districts["admin2"] == "Quetta"].geometry.iloc[0].representative_point()
    ours = incidents(ev("q", "2025-01-05", "Quetta"))
    town = acled(tmp_path, row("A1", "2025-01-05", "Somewhere", precision=1, lat=quetta.y, lon=quetta.x))
    assert compare_with_acled(ours, town, districts=districts).summary.matched == 1
    area = acled(tmp_path, row("A1", "2025-01-05", "Somewhere", precision=3, lat=quetta.y, lon=quetta.x))
    assert compare_with_acled(ours, area, districts=districts).summary.matched == 0


def test_date_window_and_one_to_one(tmp_path):
    ours = incidents(ev("a", "2025-02-10", "Kech"))
    assert compare_with_acled(ours, acled(tmp_path, row("A1", "2025-02-11", "Kech"))).summary.matched == 1
    assert compare_with_acled(ours, acled(tmp_path, row("A1", "2025-02-12", "Kech"),
                                          row("A0", "2025-02-09", "Kech"))).summary.matched == 1
    two = compare_with_acled(ours, acled(tmp_path, row("A1", "2025-02-10", "Kech"), row("A2", "2025-02-10", "Kech")))
    assert (two.summary.matched, two.summary.only_acled) == (1, 1)
    far = compare_with_acled(incidents(ev("a", "2025-02-10", "Kech"), ev("b", "2025-02-20", "Quetta")),
                             acled(tmp_path, row("A1", "2025-02-12", "Kech"), row("A2", "2025-02-20", "Quetta")))
    assert far.summary.matched == 1 and far.summary.recall == 0.5
    wide = compare_with_acled(incidents(ev("a", "2025-02-10", "Kech")),
                              acled(tmp_path, row("A1", "2025-02-12", "Kech")), window_days=2)
    assert wide.summary.matched == 1


def test_province_only_and_undated_incidents_are_reported_not_matched(tmp_path):
    ours = incidents(ev("p", "2025-02-10", None), ev("u", None, "Kech"), ev("k", "2025-02-10", "Kech"))
    result = compare_with_acled(ours, acled(tmp_path, row("A1", "2025-02-10", "Kech")))
    statuses = sorted(result.table["status"])
    assert statuses == ["matched", "only_ours", "undated"]
    assert "province" in result.table[result.table["status"] == "only_ours"].iloc[0]["match_reason"]


def test_acled_files_are_checked(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("event_date,admin1\n2025-01-01,Balochistan\n", encoding="utf-8")
    with pytest.raises(InputError, match="event_id_cnty"):
        load_acled(bad)
    with pytest.raises(InputError, match="does not exist"):
        load_acled(tmp_path / "none.csv")
    table = acled(tmp_path, row("A1", "not a date", "Kech"))
    result = compare_with_acled(incidents(ev("k", "2025-02-10", "Kech")), table)
    assert result.table[result.table["event_id_cnty"] == "A1"].iloc[0]["status"] == "undated"


def test_acled_layout_export_reads_back_and_matches_itself(tmp_path):
    ours = incidents(
        ev("a", "2025-03-04", "Kech", acled_sub_event_type="Suicide bomb", killed=5, actor="BLA"),
        ev("b", "2025-03-05", "Kech", acled_sub_event_type="Suicide bomb", killed=7),
        ev("c", "2025-03-09", "Quetta", acled_sub_event_type="Attack"),
        ev("d", None, "Zhob"))
    exported = incidents_to_acled(ours, timestamp=1)
    assert tuple(exported.columns) == ACLED_EXPORT_COLUMNS
    assert len(exported) == 2  # the undated incident cannot be an ACLED row
    kech = exported[exported["admin2"] == "Kech"].iloc[0]
    assert (kech["event_type"], kech["disorder_type"]) == ("Explosions/Remote violence", "Political violence")
    assert kech["actor1"] == "BLA: Balochistan Liberation Army" and kech["fatalities"] == 5
    assert "range from 5 to 7" in kech["notes"] and kech["time_precision"] == 1
    quetta = exported[exported["admin2"] == "Quetta"].iloc[0]
    assert quetta["event_type"] == "Violence against civilians" and quetta["fatalities"] == 0
    assert "fatalities not reported" in quetta["notes"]
    # ACLED's other columns, without the interaction codes; civilians marked as ACLED marks them.
    assert not {"inter1", "inter2", "interaction"} & set(exported.columns)
    assert (quetta["civilian_targeting"], quetta["actor2"]) == ("Civilian targeting", "Civilians (Pakistan)")
    assert (kech["civilian_targeting"], kech["actor2"]) == ("", "")
    assert set(exported["iso"]) == {586} and set(exported["country"]) == {"Pakistan"}
    # The columns an ACLED export has, in its order: ours line up with a real export's header.
    acled_header = ACLED_FILE.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [c for c in acled_header if c in ACLED_EXPORT_COLUMNS] == list(ACLED_EXPORT_COLUMNS)
    assert set(acled_header) - set(ACLED_EXPORT_COLUMNS) == {"inter1", "inter2", "interaction"}
    exported.to_csv(tmp_path / "ours_acled.csv", index=False)
    back = compare_with_acled(ours, load_acled(tmp_path / "ours_acled.csv"))
    assert (back.summary.matched, back.summary.only_acled) == (2, 0)


def test_every_sub_event_type_geoconflict_writes_is_one_of_acleds():
    from geoconflict.acled import ACLED_DISORDER_TYPES, ACLED_SUB_EVENT_TYPES
    from geoconflict.extract.event_types import ACLED_SUB_EVENT

    assert set(ACLED_SUB_EVENT.values()) | {"Attack", "Air/drone strike"} <= set(ACLED_SUB_EVENT_TYPES)
    assert set(ACLED_SUB_EVENT_TYPES.values()) <= set(ACLED_DISORDER_TYPES)
    # A sub-event type ACLED does not have is written as ACLED's catch-all, never invented.
    odd = incidents(ev("x", "2025-03-04", "Kech", acled_sub_event_type="Bombing"))
    row = incidents_to_acled(odd, timestamp=1).iloc[0]
    assert (row["sub_event_type"], row["event_type"], row["disorder_type"]) == (
        "Other", "Strategic developments", "Strategic developments")


def test_comparison_files_and_map_escape_text(tmp_path):
    ours = incidents(ev("k", "2025-02-10", "Kech", location="<img src=x onerror=alert(1)>"))
    table = acled(tmp_path, row("A1", "2025-02-10", "Kech").replace("a note", "<script>alert(2)</script>"),
                  row("A2", "2025-02-11", "Quetta"))
    files = save_comparison(compare_with_acled(ours, table), tmp_path / "out", self_contained=True)
    assert set(files) == {"comparison.csv", "summary.csv", "map.html"}
    html = files["map.html"].read_text(encoding="utf-8")
    assert "<script>alert(2)" not in html and "<img src=x" not in html
    assert "only ACLED" in html and "in both" in html
    summary = pd.read_csv(files["summary.csv"], dtype=str).set_index("measure")["value"]
    assert summary["matched"] == "1" and summary["recall"] == "0.5"
    # ACLED's notes and our report text are untrusted: a formula cell is written inert, as in every CSV.
    formula = acled(tmp_path, row("A1", "2025-02-10", "Kech").replace("a note", "=HYPERLINK(\"http://x\")"))
    files = save_comparison(compare_with_acled(ours, formula), tmp_path / "out2")
    notes = pd.read_csv(files["comparison.csv"], dtype=str)["acled_notes"].dropna().tolist()
    assert notes == ["'=HYPERLINK(\"http://x\")"]
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["comparison.csv", "map.html", "summary.csv"]


def test_cli_compare_groups_an_events_table_first(tmp_path, capsys):
    pd.DataFrame([ev("k1", "2025-02-10", "Kech", killed=3), ev("k2", "2025-02-11", "Kech", killed=4)]).to_csv(
        tmp_path / "events.csv", index=False)
    acled(tmp_path, row("A1", "2025-02-10", "Kech", deaths=4))
    assert main(["compare", str(tmp_path / "events.csv"), str(tmp_path / "acled.csv"), "-o",
                 str(tmp_path / "cmp"), "--self-contained"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 matched, 0 only in geoconflict, 0 only in ACLED (recall 100%, precision 100%")
    assert "1 equal" not in out and "totals 3 (geoconflict) / 4 (ACLED)" in out
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", str(tmp_path / "a.csv"), "--format", "acled"]) == 0
    assert list(pd.read_csv(tmp_path / "a.csv").columns) == list(ACLED_EXPORT_COLUMNS)
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", str(tmp_path / "a.txt")]) == 1
    capsys.readouterr()
    assert main(["incidents", str(tmp_path / "events.csv"), "-o", "-", "--no-neighbours"]) == 0
    captured = capsys.readouterr()
    rows = pd.read_csv(io.StringIO(captured.out))
    assert len(rows) == 1 and rows.loc[0, "n_events"] == 2  # the two Kech reports are one incident
    assert "-> standard output" in captured.err


def test_nothing_in_common_is_said_not_divided_by_zero(tmp_path, capsys):
    ours = incidents(ev("k", "2025-02-10", "Kech"))
    result = compare_with_acled(ours, acled(tmp_path, row("A1", "2019-05-01", "Kech")))
    s = result.summary
    assert (s.recall, s.precision, s.out_of_scope_acled, s.out_of_scope_ours) == (None, None, 1, 1)
    files = save_comparison(result, tmp_path / "out")
    assert "map.html" not in files and files["summary.csv"].is_file()
    pd.DataFrame([ev("k", "2025-02-10", "Kech")]).to_csv(tmp_path / "events.csv", index=False)
    assert main(["compare", str(tmp_path / "events.csv"), str(tmp_path / "acled.csv"), "-o",
                 str(tmp_path / "cmp")]) == 0
    assert "recall n/a, precision n/a" in capsys.readouterr().out


def test_cli_compare_map_is_offline_by_default(tmp_path):
    pd.DataFrame([ev("k1", "2025-02-10", "Kech", killed=3)]).to_csv(tmp_path / "events.csv", index=False)
    acled(tmp_path, row("A1", "2025-02-10", "Kech", deaths=3))
    base = ["compare", str(tmp_path / "events.csv"), str(tmp_path / "acled.csv"), "--no-neighbours", "-o"]
    assert main([*base, str(tmp_path / "offline")]) == 0
    offline = (tmp_path / "offline" / "map.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in offline and "L.map" in offline
    assert main([*base, str(tmp_path / "cdn"), "--cdn"]) == 0
    assert 'integrity="sha384-' in (tmp_path / "cdn" / "map.html").read_text(encoding="utf-8")


def test_acled_notes_say_the_date_as_precisely_as_it_is_known():
    ours = incidents(
        ev("m", "2025-10-01", "Kech", date_end="2025-10-31", date_precision="month"),
        ev("w", "2025-11-03", "Quetta", date_end="2025-11-09", date_precision="week"),
        ev("d", "2025-12-05", "Zhob"))
    notes = incidents_to_acled(ours, timestamp=1).set_index("admin2")["notes"]
    assert notes["Kech"].startswith("In October 2025, ") and "2025-10-01" not in notes["Kech"]
    assert notes["Quetta"].startswith("Between 2025-11-03 and 2025-11-09, ")
    assert notes["Zhob"].startswith("On 2025-12-05, ")
