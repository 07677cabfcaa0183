"""The command line, called through main(argv) and once as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from geoconflict.cli import main
from geoconflict.resolver import RESOLUTION_COLUMNS


def test_resolve_json_is_one_array_in_input_order(capsys):
    names = ["Panjgoor", "FC", "Kalat's Manguchar area", "Dasht", "Panjgoor"]
    assert main(["resolve", *names, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["query"] for r in rows] == names
    assert all(list(r) == list(RESOLUTION_COLUMNS) for r in rows)
    assert [r["status"] for r in rows] == ["resolved", "unresolved", "resolved", "ambiguous", "resolved"]
    assert rows[2]["admin2"] == "Kalat" and rows[2]["admin3"] == "Mango Char"


def test_resolve_reads_a_file_and_writes_csv(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("# mentions\nNoshki\n\nMusakhail district\nAtlantis\n", encoding="utf-8")
    assert main(["resolve", "--file", str(names), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["query"], r["admin2"]) for r in rows] == [("Noshki", "Nushki"), ("Musakhail district", "Musakhel"),
                                                         ("Atlantis", "")]
    assert rows[2]["status"] == "unresolved" and rows[2]["reason"]


def test_resolve_reads_the_name_column_of_a_csv(tmp_path, capsys):
    names = tmp_path / "names.csv"
    names.write_text('id,name,note\n1,Noshki,x\n\n2,"Kalat\'s Manguchar area",y\n3,,blank\n', encoding="utf-8")
    assert main(["resolve", "--file", str(names), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert [(r["query"], r["admin2"]) for r in json.loads(captured.out)] == [
        ("Noshki", "Nushki"), ("Kalat's Manguchar area", "Kalat")]  # the header is not a name
    assert captured.err == ""


def test_csv_without_a_name_column_is_read_from_its_first_and_says_so(tmp_path, capsys):
    names = tmp_path / "places.csv"
    names.write_text("place,district\nTurbat,Kech\nXylozabad,\n", encoding="utf-8")
    assert main(["check", "--file", str(names), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert [r["name"] for r in json.loads(captured.out)] == ["Xylozabad"]
    assert "no 'name' column" in captured.err and "'place'" in captured.err


FEED = Path(__file__).resolve().parents[1] / "examples" / "feed.jsonl"


def test_extract_to_stdout_writes_csv_there_and_the_summary_to_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(FEED), "-o", "-", "--no-progress"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert sorted(r["article_id"] for r in rows) == ["feed-001", "feed-002", "feed-003"]
    assert {r["admin2"] for r in rows} >= {"Surab", "Kohlu"}
    assert "events -> standard output" in captured.err
    assert "1 event has no date" in captured.err and "--published" in captured.err  # feed-003 is undated
    assert list(tmp_path.iterdir()) == []  # no file named '-' or left-over temporary file


def test_extract_hints_at_published_only_while_events_lack_a_date(tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["extract", str(FEED), "-o", str(out), "--no-progress"]) == 0
    assert "1 event has no date: give the publication date" in capsys.readouterr().out
    assert main(["extract", str(FEED), "-o", str(out), "--no-progress", "--published", "2025-11-05"]) == 0
    assert "no date" not in capsys.readouterr().out
    dated = {r["article_id"]: r["date_start"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert dated["feed-003"] and dated["feed-003"] <= "2025-11-05"


def test_resolve_table_has_a_summary(capsys):
    assert main(["resolve", "Turbat", "Baloch"]) == 0
    out = capsys.readouterr().out
    assert "Kech" in out and "2 names: 1 resolved, 0 ambiguous, 1 unresolved" in out


def test_check_lists_unresolved_names_most_frequent_first(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("Quetta\nXylozabad\nDasht\nXylozabad\nBLA\nXylozabad\n", encoding="utf-8")
    assert main(["check", "--file", str(names), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["Xylozabad", "Dasht", "BLA"]
    assert rows[0]["count"] == 3 and rows[0]["reason"]
    assert "Kech" in rows[1]["candidates"] and "Mastung" in rows[1]["candidates"]


def test_check_with_aliases_closes_the_loop(tmp_path, capsys):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,target\nXylozabad,Kech\n", encoding="utf-8")
    assert main(["check", "--name", "Xylozabad"]) == 0
    assert "1 distinct place name did not resolve" in capsys.readouterr().out
    assert main(["check", "--name", "Xylozabad", "--aliases", str(aliases)]) == 0
    assert "0 distinct place names did not resolve" in capsys.readouterr().out


def test_errors_are_one_line_and_exit_1(tmp_path, capsys):
    assert main(["resolve", "--file", str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("geoconflict: error:") and "missing.txt" in err
    assert main(["resolve"]) == 1
    assert "no place names given" in capsys.readouterr().err
    assert main(["resolve", "Quetta", "--data-dir", str(tmp_path)]) == 1
    assert "geoconflict data fetch" in capsys.readouterr().err


def test_installed_entry_point_runs(tmp_path):
    script = Path(sys.executable).with_name("geoconflict")
    proc = subprocess.run([str(script), "resolve", "Panjgoor", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["admin2"] == "Panjgur"
    help_text = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60, check=False).stdout
    assert "resolve" in help_text and "GEOCONFLICT_DATA_DIR" in help_text


def test_source_checkout_finds_the_gazetteer_too():
    """`python -m` from the repository root imports the source tree, as a notebook there would."""
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "geoconflict.cli", "resolve", "Noshki", "--format", "json"],
                          cwd=repo, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["admin2"] == "Nushki"


def test_run_with_data_dir_writes_tables_and_maps(tmp_path, monkeypatch, boundaries_dir):
    """`run --data-dir DIR` must use DIR for the maps too, not only for the resolver."""
    monkeypatch.delenv("GEOCONFLICT_DATA_DIR")
    monkeypatch.setenv("GEOCONFLICT_OFFLINE", "1")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path / "empty-cache"))
    article = tmp_path / "a.txt"
    article.write_text("QUETTA, 3 March 2024: Two soldiers were killed when militants attacked a check post "
                       "in Mastung district on Sunday, officials said.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(article), "--out", str(out), "--data-dir", str(boundaries_dir), "--no-progress"]) == 0
    assert (out / "events.csv").is_file() and (out / "choropleth.html").is_file()


def test_adm2_districts_option_works_for_resolve_and_check(capsys):
    """Aliases to districts the ADM2 layer lacks point at the district they were carved from."""
    assert main(["resolve", "Hub", "Sheerani", "Chaman", "--districts", "adm2", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["admin2"] for r in rows] == ["Lasbela", "Zhob", "Qilla Abdullah"]
    assert main(["check", "--name", "Hub", "--districts", "adm2"]) == 0


def test_adm2_districts_option_works_for_extract_and_run(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("QUETTA, 3 March 2024: Militants fired at a Levies post in Chaman on Sunday, killing two "
                       "guards, officials said.\n", encoding="utf-8")
    events = tmp_path / "events.csv"
    assert main(["extract", str(article), "-o", str(events), "--districts", "adm2"]) == 0
    rows = list(csv.DictReader(events.open(encoding="utf-8")))
    # the district drawn is the ADM2 file's, which predates Chaman district; admin2 stays the one of the date
    assert [(r["admin2"], r["admin2_today"]) for r in rows] == [("Chaman", "Qilla Abdullah")]
    out = tmp_path / "out"
    assert main(["run", str(article), "--out", str(out), "--districts", "adm2", "--no-progress"]) == 0
    assert (out / "choropleth.html").is_file() and (out / "points.html").is_file()


def test_incidents_refuses_an_incidents_table_given_back_and_writes_nothing(tmp_path, capsys):
    events = tmp_path / "events.csv"
    assert main(["extract", str(FEED), "-o", str(events), "--no-progress"]) == 0
    first = tmp_path / "incidents.csv"
    assert main(["incidents", str(events), "-o", str(first), "--no-neighbours"]) == 0
    capsys.readouterr()
    again = tmp_path / "again.csv"
    assert main(["incidents", str(first), "-o", str(again), "--no-neighbours"]) == 1
    err = capsys.readouterr().err
    assert "incidents table already" in err and "give the events table" in err and "Traceback" not in err
    assert not again.exists()


def test_reading_a_file_of_the_wrong_kind_says_read_not_write(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["incidents", str(empty), "-o", str(tmp_path / "x.csv"), "--no-neighbours"]) == 1
    err = capsys.readouterr().err
    assert "cannot read events from" in err and "empty.txt" in err and "cannot write" not in err


def test_resolve_refuses_a_binary_or_undecodable_names_file(tmp_path, capsys):
    binary = tmp_path / "bin.dat"
    binary.write_bytes(bytes(range(256)) * 4)
    assert main(["resolve", "--file", str(binary)]) == 1
    captured = capsys.readouterr()
    assert "cannot read names from" in captured.err and captured.out == ""
    latin = tmp_path / "names.txt"
    latin.write_bytes("Quetta\nKhuzd\xe2r\n".encode("latin-1"))
    assert main(["check", "--file", str(latin)]) == 1
    assert "not UTF-8 text" in capsys.readouterr().err
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"Quetta\x00\x00\x01\n")
    assert main(["resolve", "--file", str(nul)]) == 1
    assert "binary file" in capsys.readouterr().err


def test_extract_reads_json_lines_on_stdin_record_by_record(tmp_path, capsys, monkeypatch):
    feed = (
        '{"id": "r1", "published": "2024-03-02", "text": "Gunmen shot dead two labourers in Turbat on Friday."}\n'
        '\n'
        '{"id": "r2", "published": "2024-03-05", "text": "A roadside bomb wounded three soldiers in Kohlu."}\n'
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed.encode("utf-8"))))
    events, manifest = tmp_path / "events.csv", tmp_path / "manifest.csv"
    assert main(["extract", "-", "-o", str(events), "--manifest", str(manifest), "--no-progress"]) == 0
    rows = list(csv.DictReader(events.open(encoding="utf-8")))
    # each record is its own report: its id, its place, a date from its own 'published' (Friday before 2 March)
    assert sorted((r["article_id"], r["admin2"], r["event_date"]) for r in rows) == [
        ("r1", "Kech", "2024-03-01"), ("r2", "Kohlu", "2024-03-05")]
    origins = [r["origin"] for r in csv.DictReader(manifest.open(encoding="utf-8"))]
    assert origins == ["stdin:1", "stdin:3"]


def test_extract_reads_a_csv_with_a_text_column_on_stdin(tmp_path, monkeypatch):
    table = 'id,text\nc1,"Militants attacked a police post in Mastung, killing one constable."\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(table.encode("utf-8"))))
    events = tmp_path / "events.csv"
    assert main(["extract", "-", "-o", str(events), "--no-progress", "--published", "2024-01-10"]) == 0
    rows = list(csv.DictReader(events.open(encoding="utf-8")))
    assert [(r["article_id"], r["admin2"]) for r in rows] == [("c1", "Mastung")]


def test_plain_text_on_stdin_stays_one_article(tmp_path, monkeypatch):
    text = "text, said the officer\n{not json} Gunmen killed a shopkeeper in Nushki on Monday.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    events, manifest = tmp_path / "events.csv", tmp_path / "manifest.csv"
    assert main(["extract", "-", "-o", str(events), "--manifest", str(manifest), "--no-progress",
                 "--published", "2024-01-10"]) == 0
    assert [(r["article_id"], r["origin"]) for r in csv.DictReader(manifest.open(encoding="utf-8"))] == [
        ("stdin", "stdin")]


def test_records_without_an_id_on_stdin_are_named_after_stdin(tmp_path, monkeypatch):
    feed = '{"text": "Gunmen killed a shopkeeper in Nushki on Monday."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed.encode("utf-8"))))
    manifest = tmp_path / "manifest.csv"
    assert main(["extract", "-", "-o", str(tmp_path / "e.csv"), "--manifest", str(manifest), "--no-progress",
                 "--published", "2024-01-10"]) == 0
    assert [r["article_id"] for r in csv.DictReader(manifest.open(encoding="utf-8"))] == ["stdin:1"]


def test_run_prints_why_inputs_were_skipped(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("QUETTA, 3 March 2024: Two soldiers were killed when militants attacked a check "
                                  "post in Mastung district on Sunday, officials said.\n", encoding="utf-8")
    (folder / "table.csv").write_text("headline,body\nx,y\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "skipped 1: CSV without a 'text' column" in printed


def test_empty_feeds_are_recorded_as_skipped_with_no_records(tmp_path, capsys):
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "header.csv").write_text("id,text,published\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    assert main(["extract", str(tmp_path / "empty.jsonl"), str(tmp_path / "header.csv"), "-o",
                 str(tmp_path / "e.csv"), "--manifest", str(manifest), "--no-progress"]) == 0
    rows = [(r["article_id"], r["status"], r["reason"]) for r in csv.DictReader(manifest.open(encoding="utf-8"))]
    assert rows == [("empty.jsonl", "skipped", "no records"), ("header.csv", "skipped", "no records")]
    assert "skipped 2: no records" in capsys.readouterr().out


def test_evaluate_table_prints_counts_as_integers_and_no_rate_for_nothing():
    from geoconflict.cli import _scores_text
    from geoconflict.evaluate import EventScore, scores_frame

    scores = {"main": EventScore(gold=17, predicted=16, matched=15, deaths_stated=4, deaths_exact=3),
              "background": EventScore()}
    lines = _scores_text(scores_frame(scores), scores).splitlines()
    main_row, empty_row = lines[1].split(), lines[2].split()
    assert main_row[:4] == ["main", "17", "16", "15"] and main_row[4] == f"{15 / 17:.3f}"
    assert empty_row[:4] == ["background", "0", "0", "0"] and empty_row[4:7] == ["n/a", "n/a", "n/a"]
    assert "1.0" not in lines[2] and "17.0" not in lines[1]


def test_summaries_say_one_name_not_one_names(capsys):
    assert main(["resolve", "Noshki"]) == 0
    assert "\n1 name: 1 resolved" in capsys.readouterr().out
    assert main(["check", "--name", "Xylozabad"]) == 0
    assert "\n1 distinct place name did not resolve." in capsys.readouterr().out


def test_help_lists_what_run_writes_and_explains_every_option(capsys):
    import pytest

    from geoconflict.run import RUN_FILES

    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = capsys.readouterr().out
    assert [name for name in RUN_FILES if name not in text] == []
    for command in (["check"], ["map", "x.csv", "-o", "y.html"], ["incidents", "x", "-o", "y"],
                    ["compare", "x", "y", "-o", "z"]):
        with pytest.raises(SystemExit):
            main([command[0], "--help"])
        text = " ".join(capsys.readouterr().out.split())
        option = "--format" if command[0] == "check" else "--districts"
        after = text.rsplit(f"{option} {{", 1)[1].split("}", 1)[1].lstrip()  # in the options list
        assert not after.startswith("-"), f"{command[0]} {option} has no help"


def test_map_accepts_province_spellings_the_resolver_knows(tmp_path, capsys):
    events = tmp_path / "events.csv"
    assert main(["extract", str(FEED), "-o", str(events), "--no-progress"]) == 0
    out = tmp_path / "m.html"
    assert main(["map", str(events), "--kind", "points", "-o", str(out), "--provinces", "Baluchistan"]) == 0
    assert out.is_file()
    capsys.readouterr()
    assert main(["map", str(events), "--kind", "points", "-o", str(out), "--provinces", "Atlantis"]) == 1
    assert "unknown province" in capsys.readouterr().err
