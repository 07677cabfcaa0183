"""Cut one large input file into parts that different workers read: the plan, made on the client.

An archive given as one big file would otherwise be one partition on one
worker. Two kinds of file can be cut without reading them whole:

- uncompressed JSON Lines (``.jsonl``, ``.ndjson``): at line starts, about
  ``part_bytes`` apart (one pass over the bytes counts the lines, so each
  part numbers its lines as a reading of the whole file does);
- Parquet: at row-group boundaries (a file of one row group stays whole).

Compressed files cannot be entered in the middle, and a CSV record may span
lines, so those stay whole. Reading the parts of a file in order yields
exactly what reading the whole file yields (same records, origins and
skips), so every article is accounted for once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FilePart", "split_file"]

logger = logging.getLogger(__name__)

_BLOCK = 1 << 20


@dataclass(frozen=True)
class FilePart:
    """A part of one input file.

    Attributes
    ----------
    start, stop
        Byte offsets (JSON Lines; ``stop`` excluded) or row-group indexes
        (Parquet; ``stop`` excluded).
    before
        Lines (JSON Lines) or rows (Parquet) of the file before this part, so
        the part's records are numbered as in a reading of the whole file.
    """

    start: int
    stop: int
    before: int

    def describe(self, kind: str) -> str:
        """``bytes 0-8388608`` or ``row groups 2-3``: where the part lies, for messages."""
        what = "row groups" if kind == "parquet" else "bytes"
        return f"{what} {self.start}-{self.stop - 1 if kind == 'parquet' else self.stop}"


def split_file(path: Path, part_bytes: int) -> list[FilePart]:
    """Parts of about ``part_bytes`` of a JSON Lines or Parquet file; ``[]`` when it is read whole.

    Parameters
    ----------
    path
        An input file.
    part_bytes
        About how many bytes of the file each part holds.

    Returns
    -------
    list of FilePart
        Two or more parts covering the file in order, or an empty list for a
        file that is not cut (small, compressed, CSV, text, unreadable).
    """
    from .articles import _table_kind

    kind, compression = _table_kind(path)
    try:
        if path.stat().st_size <= part_bytes or compression is not None:
            return []
        if kind == "jsonl":
            parts = _jsonl_parts(path, part_bytes)
        elif kind == "parquet":
            parts = _parquet_parts(path, part_bytes)
        else:
            return []
    except Exception as exc:  # noqa: BLE001 - the file is then read whole, and its reader records what is wrong
        logger.warning("cannot plan parts of %s (%s): it is read whole", path, exc)
        return []
    return parts if len(parts) > 1 else []


def _jsonl_parts(path: Path, part_bytes: int) -> list[FilePart]:
    parts: list[FilePart] = []
    start = lines = start_lines = pos = 0
    cut_at = part_bytes
    anything = False
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            anything = anything or bool(block.strip())
            done = 0  # bytes of this block whose newlines are counted
            while pos + len(block) > cut_at:
                newline = block.find(b"\n", max(cut_at - pos, done))
                if newline < 0:
                    break
                lines += block.count(b"\n", done, newline + 1)
                done = newline + 1
                start, start_lines = _cut(parts, start, pos + done, start_lines, lines)
                cut_at = pos + done + part_bytes
            lines += block.count(b"\n", done)
            pos += len(block)
    if not anything:  # only blank space: read whole, so its reader records "no records"
        return []
    if start < pos:
        parts.append(FilePart(start, pos, start_lines))
    return parts


def _cut(parts: list[FilePart], start: int, stop: int, start_lines: int, lines: int) -> tuple[int, int]:
    parts.append(FilePart(start, stop, start_lines))
    return stop, lines


def _parquet_parts(path: Path, part_bytes: int) -> list[FilePart]:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    if metadata.num_rows == 0:
        return []
    parts: list[FilePart] = []
    start = rows = start_rows = 0
    size = 0
    for group in range(metadata.num_row_groups):
        meta = metadata.row_group(group)
        size += sum(meta.column(c).total_compressed_size for c in range(meta.num_columns))
        rows += meta.num_rows
        if size >= part_bytes:
            parts.append(FilePart(start, group + 1, start_rows))
            start, start_rows, size = group + 1, rows, 0
    if start < metadata.num_row_groups:
        parts.append(FilePart(start, metadata.num_row_groups, start_rows))
    return parts
