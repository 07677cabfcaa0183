"""Read articles from text files, folders, JSON Lines and CSV, one at a time.

Every input yields either an :class:`Article` or a :class:`Skip` saying why it
could not be used, so a run can account for everything it was given.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import InputError
from .dates import parse_date
from .text import english_share, html_to_text, latin_share, looks_like_html

__all__ = ["MAX_ARTICLE_CHARS", "TABLE_SUFFIXES", "Article", "Skip", "read_articles"]

logger = logging.getLogger(__name__)

#: Longer texts are cut to this many characters (and the cut is recorded).
MAX_ARTICLE_CHARS = 200_000
_MAX_FILE_BYTES = 50 * 2**20
TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
_IGNORED_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass(frozen=True)
class Article:
    """One article to extract events from.

    Attributes
    ----------
    article_id
        The file name for a text file; the ``id`` column for JSON Lines and CSV.
    text
        Plain text (HTML already converted).
    origin
        Where it came from: a path, or ``path:line`` for table rows.
    title, url, source
        Optional metadata.
    published
        Publication date from the metadata, or None (found later in the text).
    notes
        What was done to make the input usable (decoding repairs, truncation...).
    """

    article_id: str
    text: str
    origin: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Skip:
    """An input that yields no article, and why."""

    article_id: str
    origin: str
    reason: str


def read_articles(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Article | Skip]:
    """Yield the articles of files, folders (recursively), JSON Lines and CSV files.

    Parameters
    ----------
    inputs
        Paths. ``-`` reads one article from standard input.

    Yields
    ------
    Article or Skip
        In input order; folders in sorted path order.

    Raises
    ------
    InputError
        If an input path does not exist (nothing has been read from it).
    """
    for raw in inputs:
        if str(raw) == "-":
            yield _article_from_bytes("stdin", "stdin", sys.stdin.buffer.read())
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.name not in _IGNORED_NAMES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            for file in files:
                yield from _read_file(file)
        elif path.is_file():
            yield from _read_file(path)
        else:
            raise InputError(f"input {str(raw)!r} does not exist (expected a file or a folder of articles)")


def _read_file(path: Path) -> Iterator[Article | Skip]:
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    try:
        size = path.stat().st_size
        if size > _MAX_FILE_BYTES and kind is None:
            with path.open("rb") as handle:
                data = handle.read(MAX_ARTICLE_CHARS * 4)
            article = _article_from_bytes(path.name, str(path), data)
            if isinstance(article, Article):
                article = _with_note(article, f"file of {size:,} bytes: only its start was read")
            yield article
            return
        if kind == "jsonl":
            yield from _read_jsonl(path)
        elif kind == "json":
            yield from _read_json(path)
        elif kind == "csv":
            yield from _read_csv(path)
        else:
            yield _article_from_bytes(path.name, str(path), path.read_bytes())
    except OSError as exc:
        yield Skip(path.name, str(path), f"cannot read file: {exc.strerror or exc}")


def _decode(data: bytes) -> tuple[str, list[str]]:
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), ["decoded as UTF-16"]
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad > max(20, len(text) // 100):  # not UTF-8 at all: most likely Windows-1252
            text = data.decode("cp1252", errors="replace")
            notes.append(f"not UTF-8 (first bad byte at {exc.start}); decoded as Windows-1252")
        else:
            notes.append(f"{bad} undecodable byte(s) replaced")
        return text, notes


def _article_from_bytes(article_id: str, origin: str, data: bytes) -> Article | Skip:
    if b"\x00" in data[:4096] and not data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return Skip(article_id, origin, "binary file, not text")
    text, notes = _decode(data)
    return _article_from_text(article_id, origin, text, notes=notes)


def _article_from_text(article_id: str, origin: str, text: str, *, title: str | None = None,
                       url: str | None = None, source: str | None = None, published: date | None = None,
                       notes: list[str] | None = None) -> Article | Skip:
    notes = list(notes or [])
    if looks_like_html(text):
        text, html_title = html_to_text(text)
        title = title or html_title
        notes.append("HTML page converted to text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", " ")
    if not text.strip():
        return Skip(article_id, origin, "empty: no text")
    if len(text) > MAX_ARTICLE_CHARS:
        notes.append(f"text of {len(text):,} characters cut to the first {MAX_ARTICLE_CHARS:,}")
        text = text[:MAX_ARTICLE_CHARS]
    latin = latin_share(text)
    if latin < 0.5:
        return Skip(article_id, origin, f"not in English: only {latin:.0%} of letters are Latin script")
    words = len(text.split())
    if words >= 30 and english_share(text) < 0.08:
        return Skip(article_id, origin, "not in English: too few common English words")
    return Article(article_id, text, origin, title, url, source, published, tuple(notes))


def _with_note(article: Article, note: str) -> Article:
    from dataclasses import replace

    return replace(article, notes=(*article.notes, note))


def _row_article(row: dict[str, object], origin: str, fallback_id: str) -> Article | Skip:
    article_id = str(row.get("id") or "").strip() or fallback_id
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return Skip(article_id, origin, "no 'text' value")
    published = None
    notes = []
    raw_date = row.get("published")
    if raw_date not in (None, ""):
        published = parse_date(str(raw_date))
        if published is None:
            notes.append(f"published value {str(raw_date)[:40]!r} is not a date; ignored")

    def opt(key: str) -> str | None:
        value = row.get(key)
        return str(value).strip() or None if value not in (None, "") else None

    return _article_from_text(article_id, origin, text, title=opt("title"), url=opt("url"), source=opt("source"),
                              published=published, notes=notes)


def _read_json(path: Path) -> Iterator[Article | Skip]:
    """A .json file: an array of article records, or one record."""
    text, _ = _decode(path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:  # JSON Lines saved as .json
            yield from _read_jsonl(path)
            return
        yield Skip(path.name, str(path), f"invalid JSON: {exc.msg} at line {exc.lineno}")
        return
    if isinstance(data, dict) and "text" in data:
        data = [data]
    if not isinstance(data, list):
        yield Skip(path.name, str(path), "JSON file is neither an article record nor a list of them "
                                         "(expected objects with 'id' and 'text')")
        return
    yield from _records(path, list(enumerate(data, start=1)))


def _read_jsonl(path: Path) -> Iterator[Article | Skip]:
    with path.open("rb") as handle:  # line by line: a large feed is never held whole
        for number, raw in enumerate(handle, start=1):
            line, _ = _decode(raw)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skip(f"{path.name}:{number}", f"{path}:{number}", f"invalid JSON on this line: {exc.msg}")
                continue
            yield from _records(path, [(number, record)])


def _records(path: Path, lines: list[tuple[int, object]]) -> Iterator[Article | Skip]:
    for number, record in lines:
        origin = f"{path}:{number}"
        if not isinstance(record, dict):
            yield Skip(f"{path.name}:{number}", origin, "record is not a JSON object")
            continue
        yield _row_article(record, origin, f"{path.name}:{number}")


def _read_csv(path: Path) -> Iterator[Article | Skip]:
    text, _ = _decode(path.read_bytes())
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS * 8))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        yield Skip(path.name, str(path), f"CSV without a 'text' column (columns: {reader.fieldnames})")
        return
    try:
        for number, row in enumerate(reader, start=2):
            clean = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
            yield _row_article(clean, f"{path}:{number}", f"{path.name}:{number}")
    except csv.Error as exc:
        yield Skip(path.name, f"{path}:{reader.line_num}", f"CSV error: {exc}")
