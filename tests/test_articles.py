"""Reading articles: formats, bad input, and accounting for every input."""

from __future__ import annotations

import json
from datetime import date

import pytest

from geoconflict.errors import InputError
from geoconflict.extract.articles import MAX_ARTICLE_CHARS, Article, Skip, count_articles, read_articles

ENGLISH = ("Gunmen opened fire on a checkpoint in Turbat on Monday, killing two soldiers, police said. "
           "The attackers fled in the dark and a search operation was launched in the area.")


def _read(*paths):
    return list(read_articles(paths))


def test_text_file_id_is_the_file_name(tmp_path):
    path = tmp_path / "report-1.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Article) and item.article_id == "report-1.txt" and item.text == ENGLISH


def test_folders_are_read_recursively_in_order_and_hidden_files_are_skips(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b" / "c.txt").write_text(ENGLISH)
    (tmp_path / ".hidden.txt").write_text(ENGLISH)
    items = _read(tmp_path)
    assert [i.article_id for i in items if isinstance(i, Article)] == ["a.txt", "c.txt"]
    (hidden,) = [i for i in items if isinstance(i, Skip)]
    assert hidden.article_id == ".hidden.txt" and "hidden" in hidden.reason


def test_jsonl_rows_with_metadata_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "A1", "text": ENGLISH, "published": "2025-03-04", "title": "T", "url": "https://x",
                    "source": "S"}),
        "{not json",
        json.dumps({"id": "A3", "title": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": ENGLISH, "published": "someday"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path)
    assert len(items) == 5
    first = items[0]
    assert isinstance(first, Article) and first.article_id == "A1" and first.published == date(2025, 3, 4)
    assert (first.title, first.url, first.source) == ("T", "https://x", "S")
    assert isinstance(items[1], Skip) and "invalid JSON" in items[1].reason
    assert isinstance(items[2], Skip) and items[2].article_id == "A3" and "text" in items[2].reason
    assert isinstance(items[3], Skip) and "not a JSON object" in items[3].reason
    assert isinstance(items[4], Article) and items[4].article_id == "feed.jsonl:5"
    assert items[4].published is None and "not a date" in items[4].notes[0]


def test_csv_rows(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text('id,text,published\nC1,"' + ENGLISH + '",2024-01-02\nC2,,\n', encoding="utf-8")
    items = _read(path)
    assert isinstance(items[0], Article) and items[0].published == date(2024, 1, 2)
    assert isinstance(items[1], Skip) and items[1].article_id == "C2"


def test_csv_without_text_column_is_skipped(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Skip) and "'text' column" in item.reason


def test_json_file_that_is_not_articles_is_skipped(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"about": "not an article"}), encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Skip)


def test_undecodable_bytes_are_replaced_and_noted(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(ENGLISH.encode() + b" \xff\xfe\xfa broken " + ENGLISH.encode())
    (item,) = _read(path)
    assert isinstance(item, Article) and "undecodable" in item.notes[0]


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes((ENGLISH + " \u201cquoted\u201d ") .encode("cp1252") * 30)
    (item,) = _read(path)
    assert isinstance(item, Article) and "Windows-1252" in item.notes[0] and "\u201cquoted\u201d" in item.text


def test_html_page_is_converted(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>Attack in Turbat</title><script>var x = 'Quetta';</script></head>"
                    f"<body><div><p>{ENGLISH}</p></div></body></html>", encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Article) and item.title == "Attack in Turbat"
    assert "var x" not in item.text and "Gunmen opened fire" in item.text
    assert "HTML" in item.notes[0]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"), (b"   \n\n  ", "empty"), (b"\x00\x01\x02binary\x00" * 10, "binary"),
    ("\u06a9\u0648\u0626\u0679\u06c1 \u0645\u06cc\u06ba \u062d\u0645\u0644\u06c1 " * 40, "Latin"),
    ("Die Angreifer haben die Polizeistation in der Stadt angegriffen und zwei Polizisten getötet, "
     "sagte ein Sprecher der Behörden am Montag gegenüber Journalisten vor Ort." * 3, "English"),
])
def test_unusable_files_are_skipped_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "input.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (item,) = _read(path)
    assert isinstance(item, Skip) and reason in item.reason


def test_five_megabyte_file_is_cut_and_noted(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text((ENGLISH + "\n") * (5 * 2**20 // len(ENGLISH)), encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Article) and len(item.text) == MAX_ARTICLE_CHARS
    assert any("cut" in note for note in item.notes)


def test_missing_input_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        _read(tmp_path / "nope")


def test_count_articles_matches_what_is_read(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ENGLISH)
    (folder / ".hidden.txt").write_text(ENGLISH)
    (folder / "sub" / "feed.jsonl").write_text(
        json.dumps({"id": "1", "text": ENGLISH}) + "\n\n   \nnot json\n" + json.dumps({"id": "2", "text": ""}) + "\n")
    (folder / "sub" / "rows.csv").write_text(f'id,text\n1,"{ENGLISH}\n\nsecond paragraph"\n\n2,{ENGLISH}\n')
    (folder / "sub" / "no_text.csv").write_text("id,body\n1,x\n2,y\n")
    (folder / "sub" / "empty.jsonl").write_text("")
    assert count_articles([folder]) == len(_read(folder)) == 9  # the empty feed is one Skip
    single = folder / "a.txt"
    assert count_articles([single, folder / "sub" / "rows.csv"]) == len(_read(single, folder / "sub" / "rows.csv"))


def test_count_articles_is_unknown_for_stdin_and_json_arrays(tmp_path):
    array = tmp_path / "articles.json"
    array.write_text(json.dumps([{"id": "1", "text": ENGLISH}, {"id": "2", "text": ENGLISH}]))
    assert count_articles([array]) is None
    assert count_articles(["-"]) is None
