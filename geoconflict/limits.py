"""Limits that bound the work, memory and time one input can cost.

Every limit geoconflict applies to untrusted input lives here, so a reader can
see them together and a test can lower one with ``monkeypatch``. When a limit
cuts something, the cut is recorded (a manifest note or skip, a log warning),
never silent.

Articles
--------
MAX_ARTICLE_CHARS
    Longer article texts are cut to this many characters (noted in the manifest).
MAX_FILE_BYTES
    Plain-text files larger than this are read only up to their start.
MAX_RECORD_CHARS
    A JSON Lines line, JSON array element or CSV row longer than this is
    skipped with a manifest row; the rest of the file is read.
MAX_SENTENCE_CHARS
    Sentences longer than this (text with no punctuation) are split at the
    last space before the limit, so per-sentence work stays bounded.

Maps
----
MAX_PERIODS
    Most periods a time slider or period table holds. When the dates span
    more, empty periods are dropped first, then the earliest periods (logged).
MAX_COUNT
    Largest believable number killed or injured in one event row of an events
    file or ACLED export; larger values are rejected as bad input.

Downloads
---------
DOWNLOAD_MARGIN
    A download may exceed its expected size by this share (plus 64 KiB)
    before it is stopped.
DOWNLOAD_DEADLINE
    Seconds one file's download may take in all (the per-read timeout is
    separate).
"""

from __future__ import annotations

__all__ = [
    "DOWNLOAD_DEADLINE",
    "DOWNLOAD_MARGIN",
    "MAX_ARTICLE_CHARS",
    "MAX_COUNT",
    "MAX_FILE_BYTES",
    "MAX_PERIODS",
    "MAX_RECORD_CHARS",
    "MAX_SENTENCE_CHARS",
]

MAX_ARTICLE_CHARS = 200_000
MAX_FILE_BYTES = 50 * 2**20
MAX_RECORD_CHARS = 8 * MAX_ARTICLE_CHARS
MAX_SENTENCE_CHARS = 1_000
MAX_PERIODS = 1_000
MAX_COUNT = 100_000
DOWNLOAD_MARGIN = 0.10
DOWNLOAD_DEADLINE = 600.0
