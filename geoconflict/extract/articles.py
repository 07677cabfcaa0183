"""Read articles from text files, folders, JSON Lines, CSV and Parquet, one at a time.

Every input yields either an :class:`Article` or a :class:`Skip` saying why it
could not be used, so a run can account for everything it was given.

Archives: JSON Lines, JSON and CSV files may be compressed with gzip
(``feed.jsonl.gz``) or zstd (``feed.csv.zst``, needs the ``zstandard``
package: ``pip install geoconflict[archives]``); they are decompressed as a
stream. Parquet files (``.parquet``, or a folder of them) are read in batches
of rows with pyarrow (``pip install geoconflict[parquet]``). Table columns
are named as in :data:`ARTICLE_COLUMNS`; other names map onto them with
``columns={"id": "doc_id", "text": "body"}``.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError
from ..limits import MAX_ARTICLE_CHARS, MAX_FILE_BYTES, MAX_RECORD_CHARS
from .dates import parse_date
from .text import english_share, html_to_text, latin_share, looks_like_html

if TYPE_CHECKING:
    from .file_parts import FilePart

__all__ = ["ARTICLE_COLUMNS", "COMPRESSED_SUFFIXES", "MAX_ARTICLE_CHARS", "TABLE_SUFFIXES", "Article", "Skip",
           "article_files", "count_articles", "parse_columns", "read_article_file", "read_articles"]

logger = logging.getLogger(__name__)

TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
#: Compression suffixes of table files (``feed.jsonl.gz``) -> compression.
COMPRESSED_SUFFIXES = {".gz": "gzip", ".zst": "zstd"}
#: Columns of a table of articles; only ``text`` is required.
ARTICLE_COLUMNS = ("id", "text", "published", "title", "url", "source")
#: Rows read from a Parquet file at a time.
PARQUET_BATCH_ROWS = 1024
# system files, and the marker and metadata files Spark and Dask write beside Parquet parts
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "_SUCCESS", "_metadata", "_common_metadata"}


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
    source_key
        Identifies the article among all inputs: the file (under the input
        folder's name) and, for table rows, the id. Part of every event_id,
        so two files that both use id ``1`` give different events.
    """

    article_id: str
    text: str
    origin: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    source_key: str = ""


@dataclass(frozen=True)
class Skip:
    """An input that yields no article, and why."""

    article_id: str
    origin: str
    reason: str


def parse_columns(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Check a column mapping; return it as a dict from article column to input column.

    Parameters
    ----------
    spec
        ``"id=doc_id,text=body"``, a mapping such as ``{"id": "doc_id"}``, or
        None (the columns are named as in :data:`ARTICLE_COLUMNS`).

    Raises
    ------
    InputError
        For a part without ``=``, an unknown article column, or one named twice.
    """
    if spec is None:
        return {}
    pairs: list[tuple[str, str]] = []
    if isinstance(spec, str):
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            key, sep, value = part.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise InputError(f"column mapping {part!r} must look like id=doc_id")
            pairs.append((key.strip(), value.strip()))
    else:
        pairs = [(str(k), str(v)) for k, v in spec.items()]
    mapping: dict[str, str] = {}
    for key, value in pairs:
        if key not in ARTICLE_COLUMNS:
            raise InputError(f"unknown article column {key!r} in the column mapping; use one of "
                             f"{', '.join(ARTICLE_COLUMNS)}")
        if key in mapping:
            raise InputError(f"article column {key!r} is mapped twice")
        mapping[key] = value
    return mapping


def _mapped(row: Mapping[str, object], columns: Mapping[str, str]) -> dict[str, object]:
    """A row with its columns renamed to the article columns."""
    if not columns:
        return dict(row)
    return {key: row.get(columns.get(key, key)) for key in ARTICLE_COLUMNS}


def read_articles(inputs: Iterable[str | os.PathLike[str]], *,
                  columns: str | Mapping[str, str] | None = None) -> Iterator[Article | Skip]:
    """Yield the articles of files, folders (recursively), JSON Lines, CSV and Parquet files.

    Parameters
    ----------
    inputs
        Paths. ``-`` reads standard input: JSON Lines when every non-blank
        line is a JSON object, CSV when the first line is a header with a
        ``text`` column, else one plain-text article.
    columns
        Names of the table columns holding the article columns, e.g.
        ``"id=doc_id,text=body"`` (see :func:`parse_columns`).

    Yields
    ------
    Article or Skip
        In input order; folders in sorted path order. Every entry of a folder
        yields something: hidden files and folders, broken links, links out of
        the folder and special files are Skips with the reason. An error in
        one record (a line of JSON nested too deep, an oversized CSV row) is a
        Skip for that record; reading goes on.

    Raises
    ------
    InputError
        If an input path does not exist (nothing has been read from it), or
        the column mapping is not valid.
    """
    mapping = parse_columns(columns)
    for unit in article_files(inputs):
        if isinstance(unit, Skip):
            yield unit
        elif unit[0] == "-":
            yield from _read_stdin(sys.stdin.buffer.read(MAX_FILE_BYTES), mapping)
        else:
            yield from _read_file(Path(unit[0]), unit[1], mapping)


def article_files(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, str] | Skip]:
    """The files that :func:`read_articles` reads, in its order, each with its source key; or why not.

    Parameters
    ----------
    inputs
        As for :func:`read_articles`.

    Yields
    ------
    (path, source key) or Skip
        ``("-", "stdin")`` for standard input. Read a file with :func:`read_article_file`.

    Raises
    ------
    InputError
        If an input path does not exist.
    """
    for raw in inputs:
        if str(raw) == "-":
            yield ("-", "stdin")
            continue
        path = Path(raw)
        if path.is_dir():
            for entry in _folder_entries(path):
                if isinstance(entry, Skip):
                    yield entry
                else:
                    yield (str(entry), f"{path.resolve().name}/{entry.relative_to(path).as_posix()}")
        elif path.is_file():
            yield (str(path), path.name)
        elif path.exists():
            yield Skip(path.name, str(path), "not a regular file (a pipe, socket or device): not read")
        else:
            raise InputError(f"input {str(raw)!r} does not exist (expected a file or a folder of articles)")


def count_articles(inputs: Iterable[str | os.PathLike[str]]) -> int | None:
    """How many results :func:`read_articles` will yield, for a progress bar; None when unknown.

    Files and folder entries count one each; JSON Lines files their non-blank
    lines, CSV files their records after the header. The count is read
    without parsing any article; standard input and ``.json`` files (an
    array is only known once parsed) make it unknown.
    """
    total = 0
    for raw in inputs:
        if str(raw) == "-":
            return None
        path = Path(raw)
        entries: list[Path | Skip] = _folder_entries(path) if path.is_dir() else [path]
        for entry in entries:
            count = 1 if isinstance(entry, Skip) else _count_file(entry)
            if count is None:
                return None
            total += count
    return total


def _count_file(path: Path) -> int | None:
    """Records of one input file, counted without parsing; None for compressed and Parquet files."""
    if path.suffix.lower() in COMPRESSED_SUFFIXES or path.suffix.lower() == ".parquet":
        return None
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    try:
        if kind == "jsonl":
            with path.open("rb") as handle:
                return max(1, sum(1 for _, line in _lines(handle, MAX_RECORD_CHARS)
                                  if line is None or line.strip()))  # no records: one Skip
        if kind == "csv":
            with _open_text(path) as text:
                records = (record for _, record in _csv_records(text) if record is None or record.strip())
                header = next(records, "")
                if header is None or "text" not in header.lower():
                    return 1  # a file without a usable header (or empty) is one Skip
                return max(1, sum(1 for _ in records))  # header only: one Skip
    except OSError:
        return 1  # reading it will fail the same way: one Skip
    return None if kind == "json" else 1


def read_article_file(path: Path, source_key: str, columns: Mapping[str, str] | None = None,
                      part: FilePart | None = None) -> Iterator[Article | Skip]:
    """The articles of one file from :func:`article_files`; what cannot be read becomes a Skip.

    With ``part`` (from :func:`~geoconflict.extract.file_parts.split_file`)
    only that part of the file is read, its records numbered as in the whole
    file; the parts of a file, read in order, yield what the whole file does.
    """
    yield from _read_file(path, source_key, columns or {}, part)


def _folder_entries(root: Path) -> list[Path | Skip]:
    """Every entry under ``root``, sorted by path: a file to read, or a Skip saying why not.

    Symbolic links are followed only to files inside ``root``; links to
    folders are not descended (their files are read where they really are).
    """
    real_root = root.resolve()
    found: list[tuple[str, Path | Skip]] = []

    def skip(path: Path, reason: str) -> None:
        found.append((path.as_posix(), Skip(path.name, str(path), reason)))

    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            sub = here / name
            if name.startswith("."):
                skip(sub, "hidden folder: not read")
                dirs.remove(name)
            elif sub.is_symlink():
                dirs.remove(name)
                skip(sub, "link to a folder: not followed")
        for name in files:
            file = here / name
            if name.startswith(".") or name in _IGNORED_NAMES:
                skip(file, "hidden or system file: not read")
            elif file.is_symlink():
                target = file.resolve()
                if not target.exists():
                    skip(file, "broken symbolic link")
                elif not target.is_relative_to(real_root):
                    skip(file, "symbolic link to a file outside the input folder: not followed")
                elif not target.is_file():
                    skip(file, "not a regular file: not read")
                else:
                    found.append((file.as_posix(), file))
            elif not file.is_file():
                skip(file, "not a regular file (a pipe, socket or device): not read")
            else:
                found.append((file.as_posix(), file))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


#: A CSV column name in a header read from standard input: one word.
_COLUMN_NAME = re.compile(r"[a-z_][a-z0-9_\-]*")


def stdin_format(data: bytes) -> str:
    """The format of standard input's bytes: ``jsonl``, ``csv`` or ``text``.

    JSON Lines when every non-blank line is a JSON object; CSV when the first
    line is a header of two or more column names (one word each), one of them
    ``text``; else text.
    """
    if b"\x00" in data[:4096] and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        return "text"  # binary: read as text, which skips it
    text, _ = _decode(data)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "text"
    if all(line.lstrip().startswith("{") for line in lines):
        try:
            if all(isinstance(json.loads(line), dict) for line in lines):
                return "jsonl"
        except (json.JSONDecodeError, RecursionError):
            pass
    try:
        header = next(csv.reader([lines[0]]))
    except csv.Error:
        return "text"
    names = [cell.strip().lower() for cell in header]
    if len(names) >= 2 and "text" in names and all(_COLUMN_NAME.fullmatch(name) for name in names):
        return "csv"
    return "text"


def _read_stdin(data: bytes, columns: Mapping[str, str] | None = None) -> Iterator[Article | Skip]:
    """Standard input read like a file of its format (see :func:`stdin_format`); origins say ``stdin``."""
    import tempfile
    from dataclasses import replace

    kind = stdin_format(data)
    if kind == "text":
        yield _keyed(_article_from_bytes("stdin", "stdin", data), "stdin")
        return
    logger.info("standard input read as %s", kind)
    with tempfile.TemporaryDirectory(prefix="geoconflict-stdin-") as folder:
        path = Path(folder) / f"stdin.{kind}"
        path.write_bytes(data)
        for item in _read_file(path, "stdin", columns or {}):
            fallback = item.article_id.startswith(f"{path.name}:")
            yield replace(item, origin=item.origin.replace(str(path), "stdin"),
                          article_id=item.article_id.replace(path.name, "stdin", 1) if fallback else item.article_id)


def _keyed(item: Article | Skip, key: str) -> Article | Skip:
    from dataclasses import replace

    return replace(item, source_key=key) if isinstance(item, Article) else item


def _read_file(path: Path, file_key: str, columns: Mapping[str, str],
               part: FilePart | None = None) -> Iterator[Article | Skip]:
    """Read one file (or one part of it); no error escapes: what cannot be read becomes a Skip."""
    count = 0
    try:
        for item in _read_file_items(path, columns, part):
            count += 1
            if isinstance(item, Article):
                key = file_key if item.origin == str(path) else f"{file_key}#{item.article_id}"
                item = _keyed(item, key)
            yield item
        if not count and part is None:  # an empty feed or a header-only CSV: recorded, not silently nothing
            yield Skip(path.name, str(path), "no records")
    except OSError as exc:
        yield Skip(path.name, str(path), f"cannot read file: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one bad file must not end the run
        logger.warning("cannot read %s: %s: %s", path, type(exc).__name__, exc)
        where = "file" if not count else f"rest of the file after {count} record(s)"
        yield Skip(path.name, str(path), f"cannot read the {where}: {type(exc).__name__}: {str(exc)[:200]}")


def _table_kind(path: Path) -> tuple[str | None, str | None]:
    """(table kind, compression) from a file name: ``feed.jsonl.gz`` -> ("jsonl", "gzip")."""
    suffixes = [s.lower() for s in path.suffixes]
    compression = COMPRESSED_SUFFIXES.get(suffixes[-1]) if suffixes else None
    if compression:
        inner = suffixes[-2] if len(suffixes) > 1 else ""
        kind = TABLE_SUFFIXES.get(inner)
        return (kind, compression) if kind and kind != "parquet" else (None, compression)
    return TABLE_SUFFIXES.get(path.suffix.lower()), None


def _open_binary(path: Path, compression: str | None) -> BinaryIO:
    """Open a file for reading bytes, decompressing it as a stream when it is compressed."""
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "zstd":
        try:
            import zstandard
        except ImportError as exc:
            raise _MissingPackage("zstd-compressed file: install the zstandard package "
                                  "(pip install geoconflict[archives]) to read it") from exc
        raw = path.open("rb")
        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        return io.BufferedReader(reader)  # type: ignore[arg-type]
    return path.open("rb")


class _MissingPackage(Exception):
    """An optional package needed for one file is not installed (the file becomes a Skip)."""


def _read_file_items(path: Path, columns: Mapping[str, str],
                     part: FilePart | None = None) -> Iterator[Article | Skip]:
    kind, compression = _table_kind(path)
    size = path.stat().st_size
    if kind is None and compression is not None:
        yield Skip(path.name, str(path), f"{compression}-compressed file that is not a table of articles "
                                         "(expected .jsonl, .json or .csv before the compression suffix)")
        return
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path, columns, compression, part)
        elif kind == "json":
            yield from _read_json(path, columns, compression)
        elif kind == "csv":
            yield from _read_csv(path, columns, compression)
        elif kind == "parquet":
            yield from _read_parquet(path, columns, part)
        else:
            yield from _read_text_file(path, size)
    except _MissingPackage as exc:
        yield Skip(path.name, str(path), str(exc))
    except (EOFError, gzip.BadGzipFile) as exc:
        yield Skip(path.name, str(path), f"damaged {compression or kind} file: {exc}")


def _read_text_file(path: Path, size: int) -> Iterator[Article | Skip]:
    with path.open("rb") as handle:
        data = handle.read(MAX_ARTICLE_CHARS * 4 if size > MAX_FILE_BYTES else MAX_FILE_BYTES + 1)
    big = size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES
    article = _article_from_bytes(path.name, str(path), data[: MAX_ARTICLE_CHARS * 4] if big else data)
    if isinstance(article, Article) and big:
        article = _with_note(article, f"file of {max(size, len(data)):,} bytes: only its start was read")
    yield article


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


def _row_article(row: dict[str, object], origin: str, fallback_id: str,
                 columns: Mapping[str, str] | None = None) -> Article | Skip:
    if columns:
        row = _mapped(row, columns)
    article_id = str(row.get("id") or "").strip() or fallback_id
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return Skip(article_id, origin, "no 'text' value")
    published = None
    notes = []
    raw_date = row.get("published")
    if isinstance(raw_date, (date, datetime)):  # Parquet date and timestamp columns
        raw_date = raw_date.date().isoformat() if isinstance(raw_date, datetime) else raw_date.isoformat()
    if raw_date not in (None, ""):
        published = parse_date(str(raw_date))
        if published is None:
            notes.append(f"published value {str(raw_date)[:40]!r} is not a date; ignored")

    def opt(key: str) -> str | None:
        value = row.get(key)
        return str(value).strip() or None if value not in (None, "") else None

    return _article_from_text(article_id, origin, text, title=opt("title"), url=opt("url"), source=opt("source"),
                              published=published, notes=notes)


def _open_text(path: Path, compression: str | None = None) -> io.TextIOWrapper:
    """Open a table file as text, choosing the encoding from its start (UTF-8, UTF-16 or Windows-1252)."""
    with _open_binary(path, compression) as handle:
        head = handle.read(1 << 16)
    if head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        decoded = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(head, final=False)
        bad = decoded.count("\ufffd")
        encoding = "cp1252" if bad > max(20, len(decoded) // 100) else "utf-8"
    return io.TextIOWrapper(_open_binary(path, compression), encoding=encoding,  # type: ignore[arg-type]
                            errors="replace", newline="")


def _read_json(path: Path, columns: Mapping[str, str], compression: str | None) -> Iterator[Article | Skip]:
    """A .json file: an array of article records (read one record at a time), or one record."""
    text_column = columns.get("text", "text")
    with _open_text(path, compression) as handle:
        reader = _JsonArrayReader(handle)
        first = reader.start()
        if first == "{":
            record, rest = reader.single()
            if rest:  # JSON Lines saved as .json
                yield from _read_jsonl(path, columns, compression)
                return
            if isinstance(record, dict) and text_column in record:
                yield from _records(path, [(1, record)], columns)
                return
            yield Skip(path.name, str(path), "JSON file is neither an article record nor a list of them "
                                             "(expected objects with 'id' and 'text')")
            return
        if first != "[":
            yield Skip(path.name, str(path), "JSON file is neither an article record nor a list of them "
                                             "(expected objects with 'id' and 'text')")
            return
        number = 0
        for number, record in enumerate(reader.elements(), start=1):
            yield from _records(path, [(number, record)], columns)
        if reader.error:
            after = f" after record {number}" if number else ""
            yield Skip(f"{path.name}:{number + 1}", f"{path}:{number + 1}",
                       f"invalid JSON{after}: {reader.error}; the rest of the file was not read")


class _JsonArrayReader:
    """Read the elements of a JSON array one at a time from a text stream.

    The buffer grows (doubling) only while one element is incomplete, so a
    file is parsed in linear time and memory stays bounded by the largest
    element (at most ``MAX_RECORD_CHARS``).
    """

    def __init__(self, handle: io.TextIOBase) -> None:
        self._handle = handle
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder()
        self.error: str | None = None

    def _more(self, at_least: int) -> bool:
        if self._eof:
            return False
        chunk = self._handle.read(max(at_least, 1 << 16))
        if not chunk:
            self._eof = True
            return False
        self._buf = self._buf[self._pos:] + chunk
        self._pos = 0
        return True

    def _skip_space(self) -> str:
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more(1 << 16):
                return ""

    def start(self) -> str:
        """Return the first significant character (``[`` or ``{`` for usable files)."""
        char = self._skip_space()
        if char == "[":
            self._pos += 1
        return char

    def single(self) -> tuple[object, bool]:
        """Parse a whole-file object; return it and whether more content follows."""
        while self._more(1 << 20):
            if len(self._buf) > MAX_RECORD_CHARS * 2:
                break
        record, end = self._decoder.raw_decode(self._buf, self._pos)
        return record, bool(self._buf[end:].strip())

    def elements(self) -> Iterator[object]:
        while True:
            char = self._skip_space()
            if char == "]":
                return
            if not char:
                self.error = "the file ends before the closing ]"
                return
            record = self._element()
            if self.error:
                return
            yield record
            char = self._skip_space()
            if char == ",":
                self._pos += 1
            elif char != "]":
                self.error = f"expected ',' or ']', found {char[:1]!r}" if char else "the file ends before ]"
                return

    def _element(self) -> object:
        while True:
            try:
                record, end = self._decoder.raw_decode(self._buf, self._pos)
                if end < len(self._buf) or self._eof:
                    self._pos = end
                    return record
            except json.JSONDecodeError as exc:
                if self._eof:
                    self.error = f"{exc.msg}"
                    return None
            except RecursionError:
                self.error = "a record is nested too deeply"
                return None
            if len(self._buf) - self._pos > MAX_RECORD_CHARS:
                self.error = f"a record is longer than {MAX_RECORD_CHARS:,} characters"
                return None
            self._more(len(self._buf) - self._pos)  # double the buffer: linear time overall


def _lines(handle: BinaryIO, limit: int, *, number: int = 0,
           stop: int | None = None) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) per line; None for a line longer than ``limit`` (its bytes are dropped).

    Lines are numbered from ``number + 1``; with ``stop``, reading ends at that
    byte offset (a line start).
    """
    while stop is None or handle.tell() < stop:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of the long line
                line = handle.readline(1 << 20)
            yield number, None
            continue
        yield number, line


def _read_jsonl(path: Path, columns: Mapping[str, str], compression: str | None,
                part: FilePart | None = None) -> Iterator[Article | Skip]:
    with _open_binary(path, compression) as handle:  # line by line: a large feed is never held whole
        if part is not None:
            handle.seek(part.start)
        lines = (_lines(handle, MAX_RECORD_CHARS) if part is None
                 else _lines(handle, MAX_RECORD_CHARS, number=part.before, stop=part.stop))
        for number, raw in lines:
            if raw is None:
                yield Skip(f"{path.name}:{number}", f"{path}:{number}",
                           f"line longer than {MAX_RECORD_CHARS:,} bytes: not read")
                continue
            line, _ = _decode(raw)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skip(f"{path.name}:{number}", f"{path}:{number}", f"invalid JSON on this line: {exc.msg}")
                continue
            except RecursionError:
                yield Skip(f"{path.name}:{number}", f"{path}:{number}", "JSON on this line is nested too deeply")
                continue
            yield from _records(path, [(number, record)], columns)


def _records(path: Path, lines: list[tuple[int, object]],
             columns: Mapping[str, str]) -> Iterator[Article | Skip]:
    for number, record in lines:
        origin = f"{path}:{number}"
        if not isinstance(record, dict):
            yield Skip(f"{path.name}:{number}", origin, "record is not a JSON object")
            continue
        yield _row_article(record, origin, f"{path.name}:{number}", columns)


def _csv_records(handle: io.TextIOBase) -> Iterator[tuple[int, str | None]]:
    """Split CSV text into records (quoted fields may span lines), one at a time.

    Yields (first line number, record text), or None as text for a record
    longer than ``MAX_RECORD_CHARS``, which is skipped to its end so the next
    record starts cleanly.
    """
    line_number = 0
    start = 1
    parts: list[str] = []
    size = 0
    quotes = 0
    oversized = False
    while True:
        piece = handle.readline(1 << 16)
        if not piece:
            break
        if piece.endswith("\n"):
            line_number += 1
        quotes += piece.count('"')
        if not oversized:
            parts.append(piece)
            size += len(piece)
            if size > MAX_RECORD_CHARS:
                oversized, parts = True, []
        if piece.endswith("\n") and quotes % 2 == 0:
            yield start, None if oversized else "".join(parts)
            start, parts, size, quotes, oversized = line_number + 1, [], 0, 0, False
    if parts or oversized:
        yield start, None if oversized else "".join(parts)


def _read_csv(path: Path, columns: Mapping[str, str], compression: str | None) -> Iterator[Article | Skip]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_CHARS + 1))
    columns = {key: value.strip().lower() for key, value in columns.items()}  # headers are read lower-case
    text_column = columns.get("text", "text")
    with _open_text(path, compression) as handle:
        records = _csv_records(handle)
        header: list[str] | None = None
        for number, record in records:
            if record is None:
                if header is None:
                    yield Skip(path.name, str(path), "CSV header row is too long: file not read")
                    return
                yield Skip(f"{path.name}:{number}", f"{path}:{number}",
                           f"CSV row longer than {MAX_RECORD_CHARS:,} characters: not read")
                continue
            try:  # usually one row; more when a stray quote in an unquoted cell joined lines
                rows = list(csv.reader(io.StringIO(record, newline="")))
            except csv.Error as exc:
                if header is None:
                    yield Skip(path.name, str(path), f"CSV error in the header: {exc}")
                    return
                yield Skip(f"{path.name}:{number}", f"{path}:{number}", f"CSV error in this row: {exc}")
                continue
            for offset, cells in enumerate(rows):
                if header is None:
                    header = [c.strip().lower() for c in cells]
                    if text_column not in header:
                        yield Skip(path.name, str(path), f"CSV without a {text_column!r} column (columns: {cells})")
                        return
                    continue
                if not any(c.strip() for c in cells):
                    continue
                at = number + offset if len(rows) > 1 else number
                clean: dict[str, object] = dict(zip(header, cells))
                yield _row_article(clean, f"{path}:{at}", f"{path.name}:{at}", columns)


def _read_parquet(path: Path, columns: Mapping[str, str], part: FilePart | None = None) -> Iterator[Article | Skip]:
    """A Parquet file (or the row groups of ``part``), read in batches of rows; row numbers (from 1) make the origins."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise _MissingPackage("Parquet file: install pyarrow (pip install geoconflict[parquet]) to read it") from exc
    with path.open("rb") as raw:
        parquet = pq.ParquetFile(raw)
        names = parquet.schema_arrow.names
        wanted = [columns.get(key, key) for key in ARTICLE_COLUMNS]
        if wanted[1] not in names:
            if part is None or part.start == 0:  # said once for a file read in parts
                yield Skip(path.name, str(path),
                           f"Parquet file without a {wanted[1]!r} column (columns: {names[:20]})")
            return
        number = 0 if part is None else part.before
        groups = None if part is None else list(range(part.start, part.stop))
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=groups,
                                          columns=[name for name in dict.fromkeys(wanted) if name in names]):
            for row in batch.to_pylist():
                number += 1
                yield _row_article(row, f"{path}:{number}", f"{path.name}:{number}", columns)
