"""Extraction in worker processes gives exactly the tables of a serial run, and survives a dying worker."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geoconflict.cli import main
from geoconflict.extract import parallel
from geoconflict.extract.articles import Skip
from geoconflict.extract.pipeline import extract_events, iter_extractions, manifest_row

from .conftest import REPO, SHARED

CORPUS = SHARED / "data" / "corpus" / "articles"
EXAMPLES = REPO / "examples" / "articles"
INPUTS = [CORPUS, EXAMPLES, REPO / "examples" / "feed.jsonl"]

needs_fork = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="the dying-worker test patches the worker code before a fork")


@pytest.fixture(scope="module")
def serial(resolver):
    return extract_events(INPUTS, resolver=resolver, jobs=1)


def test_two_jobs_give_the_same_tables_as_one(resolver, serial, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 5)  # many chunks, so both workers take part and order matters
    result = extract_events(INPUTS, resolver=resolver, jobs=2)
    assert len(serial.manifest) > 45 and len(serial.events) > 60  # the corpus, examples and feed were read
    for name in ("events", "unresolved", "manifest", "mentions"):
        assert_frame_equal(getattr(result, name), getattr(serial, name), obj=name)
    assert list(result.events["event_id"]) == list(serial.events["event_id"])


@needs_fork
def test_workers_each_get_chunks(resolver, monkeypatch):
    # extract_one is looked up in the worker's copy of the module, which the fork gives the patched one
    # (a patched extract_chunk would have to be pickled by name, and a local function cannot be)
    original = parallel.extract_one

    def tagged(item, spotter, *, published=None):
        return (os.getpid(), original(item, spotter, published=published))

    monkeypatch.setattr(parallel, "extract_one", tagged)
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 2)
    from geoconflict.extract.articles import read_articles

    pool_results = list(parallel.extract_parallel(read_articles([CORPUS]), resolver, jobs=2))
    seen = {pid for pid, _ in pool_results}
    assert len(pool_results) == len(list(CORPUS.iterdir()))
    assert os.getpid() not in seen and len(seen) == 2


@needs_fork
def test_a_worker_that_dies_costs_only_its_chunk(resolver, serial, monkeypatch):
    original = parallel.extract_one

    def fatal(item, spotter, *, published=None):
        if item.article_id == "005.txt":
            os._exit(3)  # as if the kernel killed the worker
        return original(item, spotter, published=published)

    monkeypatch.setattr(parallel, "extract_one", fatal)
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 4)
    rows = [manifest_row(item) for item in iter_extractions(INPUTS, resolver=resolver, jobs=2)]
    manifest = pd.DataFrame(rows)
    assert len(manifest) == len(serial.manifest)  # every article accounted for
    died = manifest["reason"].str.contains("worker process died")
    assert manifest.loc[died, "status"].eq("skipped").all()
    assert "005.txt" in set(manifest.loc[died, "article_id"])
    assert died.sum() == 4  # the chunk holding 005.txt (001-004 are the chunk before it), nothing else
    kept = manifest[~died].reset_index(drop=True)
    expected = serial.manifest[~died.to_numpy()].reset_index(drop=True)
    assert list(kept["article_id"]) == list(expected["article_id"])
    assert list(kept["events"]) == list(expected["events"])


def test_a_pool_that_breaks_between_submissions_retries_the_chunks(resolver, serial, monkeypatch):
    # A worker can die while the next chunks are being sent: submit() itself then raises.
    class BreaksOnce(parallel.ProcessPoolExecutor):
        submitted = 0

        def submit(self, fn, /, *args, **kwargs):
            BreaksOnce.submitted += 1
            if BreaksOnce.submitted == 3:
                raise parallel.BrokenProcessPool("a child process terminated abruptly")
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", BreaksOnce)
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 4)
    manifest = pd.DataFrame([manifest_row(item) for item in iter_extractions(INPUTS, resolver=resolver, jobs=2)])
    assert BreaksOnce.submitted > 3  # the break happened and the run went on
    assert_frame_equal(manifest, serial.manifest)  # nothing lost: the broken chunk ran again


def test_cli_jobs_two_writes_the_same_files_as_jobs_one(tmp_path, capsys):
    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        code = main(["extract", str(CORPUS), str(EXAMPLES), "-o", str(out / "events.csv"), "--manifest",
                     str(out / "manifest.csv"), "--mentions", str(out / "mentions.csv"), "--unresolved",
                     str(out / "unresolved.csv"), "--jobs", jobs, "--no-progress"])
        assert code == 0
        written[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert written["1"].keys() == {"events.csv", "manifest.csv", "mentions.csv", "unresolved.csv"}
    assert written["1"] == written["2"]


def test_workers_send_back_results_without_the_article_text(resolver):
    import pickle

    from geoconflict.extract.articles import read_articles
    from geoconflict.extract.mentions import MentionSpotter

    spotter = MentionSpotter(resolver)
    items = list(read_articles([EXAMPLES]))
    assert items and not any(isinstance(item, Skip) for item in items)
    for item in items:
        result = parallel.extract_one(item, spotter)
        sent = pickle.dumps(parallel._without_article(item, result))
        assert item.text[:200].encode() not in sent  # the parent holds the article already
        back = parallel._with_article(item, pickle.loads(sent))
        assert back == result and back.article is item
    skip = Skip("x", "x.txt", "empty: no text")
    assert parallel._with_article(skip, parallel._without_article(skip, skip)) is skip


def test_bad_jobs_value_is_refused(capsys):
    with pytest.raises(SystemExit):
        main(["extract", str(EXAMPLES), "-o", "x.csv", "--jobs", "0"])
    assert "1 or more" in capsys.readouterr().err


def test_skips_keep_their_place(resolver, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Gunmen opened fire on a checkpost in Turbat on Monday, killing two guards.",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("", encoding="utf-8")
    (folder / "c.txt").write_text("A bomb went off near a market in Khuzdar on Friday, injuring five people.",
                                  encoding="utf-8")
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 1)
    items = list(iter_extractions([folder], resolver=resolver, jobs=2))
    assert [type(i).__name__ for i in items] == ["ArticleEvents", "Skip", "ArticleEvents"]
    assert isinstance(items[1], Skip) and items[1].reason == "empty: no text"


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
def test_a_killed_extract_leaves_no_worker_behind(tmp_path):
    lines = (REPO / "examples" / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    with (tmp_path / "feed.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(3000):
            handle.write(json.dumps({**records[i % len(records)], "id": f"copy-{i}"}) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "geoconflict.cli", "extract", str(tmp_path / "feed.jsonl"),
                             "-o", str(tmp_path / "events.csv"), "--jobs", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(proc.pid)) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "no worker processes started"
            time.sleep(0.05)
        proc.kill()  # SIGKILL: the parent cannot stop its workers itself
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while alive := {pid for pid in workers if Path(f"/proc/{pid}").exists()
                        and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]}:
            assert time.monotonic() < deadline, f"worker processes {alive} outlived the killed extract"
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_one_spotter_shared_by_threads_reads_each_article_as_alone(resolver):
    """Dask workers run tasks in threads over one resolver and spotter: no per-call state may leak."""
    from concurrent.futures import ThreadPoolExecutor

    from geoconflict.extract.articles import read_articles
    from geoconflict.extract.mentions import MentionSpotter
    from geoconflict.extract.parallel import extract_one

    from .conftest import SHARED

    articles = list(read_articles([SHARED / "data" / "corpus" / "articles"]))
    spotter = MentionSpotter(resolver)

    def events(item):
        return [(e.event_id, e.admin2, e.killed) for e in extract_one(item, spotter).events]

    alone = [events(a) for a in articles]
    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(events, articles)) == alone
