"""Attacks on geoconflict as an attacker or a careless user would make them, and the fixes (issue 12).

Each test reproduces one attack: bad records, interruption, formula injection,
unbounded work, downloads without limits, bad numbers, identity and caches,
memory, and the small ones (oversized CSV rows, escape sequences, symlinks).
"""

from __future__ import annotations

import csv
import hashlib
import http.server
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from geoconflict import data, limits
from geoconflict._files import atomic_path, folder_lock
from geoconflict.cli import main
from geoconflict.errors import DownloadError, InputError
from geoconflict.extract.articles import Article, Skip, read_articles
from geoconflict.extract.text import split_sentences
from geoconflict.io import neutralize_cell, save_table

# Our own sentences (no text from the shared articles).
ATTACK = ("Gunmen on motorbikes fired at a police post in Turbat on Monday, killing two guards and wounding "
          "three others, officials said. The attackers escaped and a search of the area began.")
QUIET = ("The district council met on Tuesday to discuss water supply and school repairs, and the members "
         "agreed to meet again next month to review progress on the work.")


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# 1. One bad record ends the whole run --------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_line_is_one_skip_and_the_rest_is_read(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(DEEP + "\n" + json.dumps({"id": "ok", "text": ATTACK}) + "\n", encoding="utf-8")
    items = list(read_articles([feed]))
    assert [type(i) for i in items] == [Skip, Article]
    assert "nested too deeply" in items[0].reason and items[1].article_id == "ok"


def test_deeply_nested_json_file_is_a_skip_and_other_inputs_continue(tmp_path):
    (tmp_path / "bad.json").write_text('{"id": "x", "text": ' + DEEP + "}", encoding="utf-8")
    (tmp_path / "good.txt").write_text(ATTACK, encoding="utf-8")
    items = list(read_articles([tmp_path]))
    assert [type(i) for i in items] == [Skip, Article]
    assert "RecursionError" in items[0].reason


def test_cli_extract_and_check_survive_a_nested_line(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(DEEP + "\n" + json.dumps({"id": "ok", "text": ATTACK}) + "\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    assert main(["extract", str(feed), "-o", str(tmp_path / "events.csv"), "--manifest", str(manifest),
                 "--no-progress"]) == 0
    rows = _rows(manifest)
    assert [r["status"] for r in rows] == ["skipped", "processed"]
    assert main(["check", str(feed)]) == 0
    assert "Traceback" not in capsys.readouterr().err


# 2. Outputs that look complete but are not -----------------------------------------------------------

def _feed(path: Path, count: int) -> Path:
    places = ["Turbat", "Quetta", "Mastung", "Kalat", "Gwadar", "Khuzdar", "Panjgur", "Sibi"]
    records = [{"id": f"a{i}", "text": ATTACK.replace("Turbat", places[i % len(places)]) + " " + QUIET}
               for i in range(count)]
    return _jsonl(path, records)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_extract_leaves_the_previous_file_whole(tmp_path, sig):
    feed = _feed(tmp_path / "feed.jsonl", 4000)
    out = tmp_path / "events.csv"
    out.write_text("previous,complete\n1,2\n", encoding="utf-8")
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "geoconflict.cli", "extract", str(feed), "-o", str(out),
                             "--manifest", str(tmp_path / "manifest.csv"), "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".events.csv.*.part*")):  # writing has begun
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "extract did not start writing within 60 s"
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert out.read_bytes() == before  # the old file, whole: never a part of the new one
    assert not (tmp_path / "manifest.csv").exists()
    leftovers = list(tmp_path.glob(".events.csv.*"))
    if sig != signal.SIGKILL:
        assert leftovers == []  # TERM and INT clean up at once
    save_table(pd.DataFrame({"a": [1]}), out)  # the next write clears what a killed process left
    assert list(tmp_path.glob(".events.csv.*")) == []
    assert out.read_bytes() == b"a\r\n1\r\n"


def test_bad_options_or_inputs_do_not_touch_an_existing_output(tmp_path, capsys):
    feed = _jsonl(tmp_path / "feed.jsonl", [{"id": "1", "text": ATTACK}])
    out = tmp_path / "events.csv"
    out.write_text("keep me\n", encoding="utf-8")
    assert main(["extract", str(feed), "-o", str(out), "--published", "garbage"]) == 1
    assert main(["extract", str(tmp_path / "missing.txt"), "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert "garbage" in capsys.readouterr().err


def test_output_that_is_an_input_is_refused(tmp_path, capsys):
    feed = tmp_path / "feed.csv"
    feed.write_text("id,text\n1," + ATTACK.replace(",", " ") + "\n", encoding="utf-8")
    before = feed.read_bytes()
    assert main(["extract", str(feed), "-o", str(feed)]) == 1
    assert "is one of the inputs" in capsys.readouterr().err
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ATTACK, encoding="utf-8")
    assert main(["extract", str(folder), "-o", str(folder / "events.csv")]) == 1
    assert main(["run", str(folder), "--out", str(folder / "maps")]) == 1
    assert feed.read_bytes() == before and not (folder / "events.csv").exists()


def test_run_is_complete_last_locked_and_leaves_no_stale_maps(tmp_path):
    from geoconflict.run import run_all

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "attack.txt").write_text(ATTACK, encoding="utf-8")
    (articles / "nested.jsonl").write_text(DEEP + "\n", encoding="utf-8")
    out = tmp_path / "out"
    first = run_all([articles], out)
    assert first.events >= 1 and (out / "points.html").is_file()
    status = json.loads((out / "run.json").read_text())
    assert status["complete"] is True and "points.html" in status["files"]
    assert [r["status"] for r in _rows(out / "manifest.csv")] == ["processed", "skipped"]

    with folder_lock(out), pytest.raises(InputError, match="another geoconflict run"):
        run_all([articles], out)

    (articles / "attack.txt").write_text(QUIET, encoding="utf-8")  # now no event at all
    second = run_all([articles], out)
    assert second.events == 0 and "maps" in second.skipped
    assert not (out / "points.html").exists() and not (out / "choropleth.png").exists()
    assert _rows(out / "events.csv") == []
    assert json.loads((out / "run.json").read_text())["complete"] is True


# 3. Spreadsheet formula injection ------------------------------------------------------------------

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
            "\tTAB", "\rCR"]


def test_formula_cells_are_neutralised_and_numbers_left_alone():
    assert [neutralize_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert [neutralize_cell(v) for v in ("-12.5", "+3", "1e5", -4, 2.5, None, "Turbat")] == \
        ["-12.5", "+3", "1e5", -4, 2.5, None, "Turbat"]


def test_extract_tables_carry_no_formulas_unless_raw(tmp_path):
    feed = _jsonl(tmp_path / "feed.jsonl", [{"id": PAYLOADS[1], "title": PAYLOADS[0], "url": "=1+1",
                                             "source": "@x", "text": ATTACK + " Later the =Zorkabad post fell."}])
    paths = {name: tmp_path / f"{name}.csv" for name in ("events", "unresolved", "manifest", "mentions")}
    args = ["extract", str(feed), "-o", str(paths["events"]), "--unresolved", str(paths["unresolved"]),
            "--manifest", str(paths["manifest"]), "--mentions", str(paths["mentions"]), "--no-progress"]
    assert main(args) == 0
    cells = [v for p in paths.values() for row in _rows(p) for v in row.values() if v]
    assert cells and not [c for c in cells if c[0] in "=+@\t\r" or (c[0] == "-" and not c[1:2].isdigit())]
    events = _rows(paths["events"])
    assert events[0]["article_id"] == "'" + PAYLOADS[1] and events[0]["title"] == "'" + PAYLOADS[0]
    assert float(events[0]["latitude"]) > 0 and events[0]["killed"] == "2"
    assert main([*args, "--raw-csv"]) == 0
    assert _rows(paths["events"])[0]["article_id"] == PAYLOADS[1]


def test_resolve_and_check_csv_are_neutralised(capsys):
    assert main(["resolve", "=SUM(1,2)", "Quetta", "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows[0]["query"] == "'=SUM(1,2)" and rows[1]["query"] == "Quetta"
    assert main(["check", "--name", "@evil", "--format", "csv"]) == 0
    assert next(iter(csv.DictReader(capsys.readouterr().out.splitlines())))["name"] == "'@evil"


# 4. Unbounded work from small inputs ----------------------------------------------------------------

def test_absurd_date_span_gives_a_bounded_timeline_and_says_what_was_cut(caplog):
    from geoconflict.render._data import all_periods

    dates = pd.to_datetime(pd.Series(["0001-01-01", "9999-12-31", "2025-03-02"]), errors="coerce", format="mixed")
    with caplog.at_level(logging.WARNING):
        periods = all_periods(dates, "week")
    assert len(periods) == 3 and "have events" in caplog.text


def test_too_many_non_empty_periods_keep_the_latest(monkeypatch, caplog):
    from geoconflict.render import _data

    monkeypatch.setattr(_data, "MAX_PERIODS", 5)
    dates = pd.Series(pd.date_range("2000-01-01", periods=40, freq="YS"))
    with caplog.at_level(logging.WARNING):
        periods = _data.all_periods(dates, "year")
    assert periods == ["2035", "2036", "2037", "2038", "2039"]
    assert "35 earlier years (2000 to 2034) with 35 events are left out" in caplog.text


def test_run_on_text_is_cut_into_bounded_sentences_with_words_whole():
    words = ["Kalat's", "Manguchar", "area", "of", "Turbat", "militants", "attacked"]
    text = " ".join(words[i % len(words)] for i in range(40_000))
    sentences = split_sentences(text)
    assert len(sentences) > 100
    assert max(len(s.text) for s in sentences) <= limits.MAX_SENTENCE_CHARS
    assert " ".join(s.text for s in sentences) == text


# 5. Downloads without limits -------------------------------------------------------------------------

class _Hostile(http.server.BaseHTTPRequestHandler):
    mode = "endless"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        if self.mode == "announced":
            self.send_header("Content-Length", str(10 * 2**30))
        self.end_headers()
        try:
            if self.mode == "trickle":
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            else:
                block = b"x" * 65536
                for _ in range(100_000):
                    self.wfile.write(block)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def hostile_server():
    servers = []

    def start(mode: str) -> str:
        handler = type("Handler", (_Hostile,), {"mode": mode})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("mode", ["endless", "announced"])
def test_download_stops_at_the_expected_size(hostile_server, tmp_path, mode):
    spec = data.boundary_file("ADM1")
    started = time.monotonic()
    with pytest.raises(DownloadError, match="bytes"):
        data.fetch_boundaries(cache_dir=tmp_path, files=[spec], base_url=hostile_server(mode), progress=False,
                              timeout=5)
    assert time.monotonic() - started < 20
    assert list(tmp_path.iterdir()) == []


def test_download_has_an_overall_deadline(hostile_server, tmp_path):
    spec = data.boundary_file("ADM1")
    started = time.monotonic()
    with pytest.raises(DownloadError, match="not finished after 2 s"):
        data.fetch_boundaries(cache_dir=tmp_path, files=[spec], base_url=hostile_server("trickle"),
                              progress=False, timeout=5, deadline=2)
    assert time.monotonic() - started < 6
    assert list(tmp_path.iterdir()) == []


def test_fetch_clears_parts_of_a_killed_fetch_and_reports_an_unwritable_cache(hostile_server, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    spec = data.boundary_file("ADM1")
    leftover = tmp_path / f".{spec.name}.{dead.stdout.strip()}.abcd1234.part"
    leftover.write_bytes(b"half a file")
    with pytest.raises(DownloadError):
        data.fetch_boundaries(cache_dir=tmp_path, files=[spec], base_url=hostile_server("endless"),
                              progress=False, timeout=5)
    assert not leftover.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DownloadError, match="cannot create the download folder"):
        data.fetch_boundaries(cache_dir=blocker / "cache", files=[spec], progress=False)


# 7. Tracebacks instead of messages --------------------------------------------------------------------

@pytest.mark.parametrize("column,value", [("latitude", "26°N"), ("latitude", "inf"), ("longitude", "1e400"),
                                          ("latitude", "1e30"), ("fatalities", "inf"), ("fatalities", "1e30"),
                                          ("fatalities", "many")])
def test_bad_numbers_in_an_events_file_are_one_clear_line(tmp_path, capsys, column, value):
    row = {"event_date": "2025-03-01", "admin1": "Balochistan", "admin2": "Kech", "location": "Turbat",
           "latitude": "26.0", "longitude": "63.05", "geo_precision": "1", "fatalities": "2", "actor1": "BLA",
           "sub_event_type": "Attack"}
    row[column] = value
    path = tmp_path / "acled.csv"
    pd.DataFrame([row, {**row, column: row[column] if value != row[column] else "1"}]).to_csv(path, index=False)
    out = tmp_path / "map.html"
    assert main(["map", str(path), "--kind", "points", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("geoconflict: error:") and column in err and "row 1" in err
    assert not out.exists() and not list(tmp_path.glob(".map.html*"))


def test_truncated_geojson_and_bad_destinations_are_clear_errors(tmp_path, capsys):
    broken = tmp_path / "events.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "geom', encoding="utf-8")
    assert main(["map", str(broken), "--kind", "points", "-o", str(tmp_path / "m.html")]) == 1
    assert "cannot read events file" in capsys.readouterr().err
    feed = _jsonl(tmp_path / "feed.jsonl", [{"id": "1", "text": ATTACK}])
    (tmp_path / "folder.csv").mkdir()
    assert main(["extract", str(feed), "-o", str(tmp_path / "folder.csv")]) == 1
    assert "is a folder" in capsys.readouterr().err
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["run", str(feed), "--out", str(afile)]) == 1
    assert "is a file" in capsys.readouterr().err
    assert main(["extract", str(feed), "-o", str(afile / "events.csv")]) == 1
    assert "not a folder" in capsys.readouterr().err


# 8. Identity and caches -------------------------------------------------------------------------------

def test_same_id_in_two_files_gives_different_event_ids(tmp_path, resolver):
    from geoconflict.extract.pipeline import extract_events

    one = _jsonl(tmp_path / "one.jsonl", [{"id": "1", "text": ATTACK}])
    two = _jsonl(tmp_path / "two.jsonl", [{"id": "1", "text": ATTACK}])
    events = extract_events([one, two], resolver=resolver).events
    assert len(events) == 2 and events["event_id"].is_unique
    again = extract_events([one, two], resolver=resolver).events
    assert list(again["event_id"]) == list(events["event_id"])


def test_edited_geonames_cache_is_detected_and_rebuilt(tmp_path, monkeypatch, caplog):
    from geoconflict import _geonames

    real = next(t for t in _geonames.load_towns() if t["name"] == "Turbat")
    monkeypatch.setenv("GEOCONFLICT_CACHE_DIR", str(tmp_path))
    _geonames.load_towns.cache_clear()
    try:
        towns = _geonames.load_towns()  # builds the extract in the empty cache
        (cache,) = tmp_path.glob("geonames-*.json")
        edited = [dict(t, latitude=30.18, longitude=66.99) if t["name"] == "Turbat" else t for t in towns]
        cache.write_text(json.dumps(edited), encoding="utf-8")
        _geonames.load_towns.cache_clear()
        with caplog.at_level(logging.WARNING):
            again = _geonames.load_towns()
        turbat = next(t for t in again if t["name"] == "Turbat")
        assert (turbat["latitude"], turbat["longitude"]) == (real["latitude"], real["longitude"])
        assert "does not match its checksum" in caplog.text
        assert hashlib.sha256(cache.read_bytes()).hexdigest() != hashlib.sha256(
            json.dumps(edited).encode()).hexdigest()
    finally:
        _geonames.load_towns.cache_clear()


# 9. Memory: inputs read incrementally ----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_table_inputs_are_read_one_record_at_a_time(tmp_path, suffix):
    text = (ATTACK + " ") * 500  # about 100 KB per record, 80 records: 8 MB
    path = tmp_path / f"feed{suffix}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        if suffix == ".csv":
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            writer.writerows([f"r{i}", text] for i in range(80))
        else:
            handle.write("[" + ",".join(json.dumps({"id": f"r{i}", "text": text}) for i in range(80)) + "]")
    tracemalloc.start()
    try:
        count = sum(1 for item in read_articles([path]) if isinstance(item, Article))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 80
    assert peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MB for a {path.stat().st_size / 2**20:.0f} MB file"


# 10. Small ones ----------------------------------------------------------------------------------------

def test_oversized_csv_row_is_skipped_and_later_rows_kept(tmp_path, monkeypatch):
    from geoconflict.extract import articles

    monkeypatch.setattr(articles, "MAX_RECORD_CHARS", 2000)
    huge = ('"' + ("word, " * 600) + '\nwith a "" quote\n' + ("more " * 200) + '"')
    path = tmp_path / "feed.csv"
    path.write_text(f"id,text\n1,{ATTACK.replace(',', ' ')}\n2,{huge}\n3,\"{QUIET}\"\n", encoding="utf-8")
    items = list(read_articles([path]))
    assert [type(i) for i in items] == [Article, Skip, Article]
    assert items[1].origin.endswith(":3") and "longer than" in items[1].reason
    assert items[2].article_id == "3"


def test_terminal_output_has_no_escape_sequences(tmp_path, capsys):
    names = tmp_path / "names.txt"
    names.write_text("\x1b[2J\x1b]0;owned\x07Quetta\nAbc\u202edef\x9b31m\n", encoding="utf-8")
    assert main(["resolve", "--file", str(names)]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    assert main(["resolve", "--file", str(names), "--format", "json"]) == 0
    raw = capsys.readouterr().out
    assert not any(ch in raw for ch in "\x1b\x07\x9b\u202e")
    assert json.loads(raw)[1]["query"] == "Abc\u202edef\x9b31m"


def test_folder_inputs_account_for_links_and_hidden_files(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret " * 50, encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ATTACK, encoding="utf-8")
    (folder / ".hidden.txt").write_text(ATTACK, encoding="utf-8")
    (folder / "escape.txt").symlink_to(outside)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "inside.txt").symlink_to(folder / "a.txt")
    (folder / "loop").symlink_to(folder)
    os.mkfifo(folder / "pipe.txt")
    items = {i.article_id: i for i in read_articles([folder])}
    assert isinstance(items["a.txt"], Article) and isinstance(items["inside.txt"], Article)
    reasons = {k: v.reason for k, v in items.items() if isinstance(v, Skip)}
    assert set(reasons) == {".hidden.txt", "escape.txt", "dangling.txt", "loop", "pipe.txt"}
    assert "outside the input folder" in reasons["escape.txt"] and "broken" in reasons["dangling.txt"]
    assert all("secret" not in getattr(i, "text", "") for i in items.values())


def test_writes_replace_a_planted_symlink_instead_of_following_it(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "events.csv").symlink_to(victim)
    (out / "index.html").symlink_to(victim)
    save_table(pd.DataFrame({"a": [1]}), out / "events.csv")
    with atomic_path(out / "index.html") as part:
        part.write_text("<p>new</p>", encoding="utf-8")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (out / "events.csv").is_symlink() and (out / "events.csv").read_bytes() == b"a\r\n1\r\n"


def test_stray_quote_in_an_unquoted_csv_cell_loses_no_row(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(f'id,text\n1,He said "stop and left\n2,{QUIET.replace(",", " ")}\n3,"{ATTACK}"\n',
                    encoding="utf-8")
    items = list(read_articles([path]))
    assert [i.article_id for i in items] == ["1", "2", "3"]


def test_folder_lock_is_removed_when_the_run_ends_and_a_removed_lock_is_not_trusted(tmp_path, monkeypatch):
    with folder_lock(tmp_path) as lock:
        assert lock.is_file()
    assert not lock.exists()
    # a run that opened the lock file just before its holder removed it must not go on under it
    real_fstat = os.fstat

    def fstat_of_a_removed_file(fd):  # type: ignore[no-untyped-def]
        result = real_fstat(fd)
        (tmp_path / ".geoconflict.lock").unlink(missing_ok=True)
        return result

    monkeypatch.setattr(os, "fstat", fstat_of_a_removed_file)
    with pytest.raises(InputError, match="another geoconflict run"), folder_lock(tmp_path):
        pass
