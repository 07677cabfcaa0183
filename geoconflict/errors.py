"""The one error hierarchy of geoconflict.

Every error the library raises on purpose is a :class:`GeoconflictError`. The
subclasses also derive from the built-in exception that fits, so callers can
catch either. Messages quote the bad input with ``!r`` and say what to do.
"""

from __future__ import annotations

__all__ = [
    "DataIntegrityError",
    "DataNotFoundError",
    "DownloadError",
    "GeoconflictError",
    "InputError",
]


class GeoconflictError(Exception):
    """Base class of every error raised by geoconflict."""


class DataNotFoundError(GeoconflictError, FileNotFoundError):
    """A boundary or gazetteer file is missing from the data folder."""


class DataIntegrityError(GeoconflictError, ValueError):
    """A data file is present but corrupt: wrong checksum or unreadable."""


class DownloadError(GeoconflictError, OSError):
    """A boundary file could not be downloaded."""


class InputError(GeoconflictError, ValueError):
    """User input (a file, an option, an aliases table) cannot be used."""
