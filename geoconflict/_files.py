"""Writing files so that a reader never sees half of one.

Every output is written to a hidden temporary file in the same folder
(``.NAME.PID.RANDOM.part``) and renamed over the final name only when complete;
``os.replace`` is atomic, so the final name holds the previous file or the new
one, never a mix. The rename also replaces a symbolic link planted at the
final name instead of writing through it. Temporary files left by a killed
process (its PID no longer runs) are removed the next time the same file is
written. :func:`folder_lock` keeps two runs out of one output folder.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

__all__ = ["atomic_path", "check_writable_file", "folder_lock", "remove_stale_parts"]

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"
LOCK_NAME = ".geoconflict.lock"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def remove_stale_parts(target: str | os.PathLike[str]) -> int:
    """Delete temporary files of ``target`` left by processes that no longer run.

    Returns
    -------
    int
        How many were removed.
    """
    path = Path(target)
    removed = 0
    pattern = f".{glob.escape(path.name)}.*{PART_SUFFIX}*"
    try:
        leftovers = list(path.parent.glob(pattern))
    except OSError:
        return 0
    for part in leftovers:
        pid_text = part.name[len(path.name) + 2:].split(".", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)) and not part.is_symlink():
            with contextlib.suppress(OSError):
                part.unlink()
                removed += 1
                logger.info("removed %s, left by an interrupted run", part)
    return removed


def check_writable_file(target: str | os.PathLike[str], what: str = "output") -> Path:
    """Return ``target`` as a Path after checking it can be a file (not a folder).

    Raises
    ------
    InputError
        If ``target`` is an existing folder, or its parent exists and is not a folder.
    """
    path = Path(target)
    if path.is_dir():
        raise InputError(f"{what} {str(target)!r} is a folder: give a file name")
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise InputError(f"{what} {str(target)!r} cannot be written: {str(parent)!r} is not a folder")
            break
    return path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, what: str = "output") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it to ``target`` when the block succeeds.

    The temporary name keeps the target's extension (writers that choose a
    format by extension still work). If the block raises, or the process is
    interrupted, the temporary file is removed and ``target`` is untouched.

    Raises
    ------
    InputError
        If ``target`` is a folder or its folder cannot be created.
    """
    path = check_writable_file(target, what)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder of {what} {str(target)!r}: {exc.strerror or exc}") from exc
    remove_stale_parts(path)
    part = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{PART_SUFFIX}{path.suffix}"
    try:
        yield part
        if not part.exists():
            raise InputError(f"nothing was written to {what} {str(target)!r}")
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive lock on an output folder for the duration of the block.

    The lock is an advisory ``flock`` on ``FOLDER/.geoconflict.lock``, released
    by the system when the process ends, however it ends. The file is removed
    when the block succeeds; a run that locked a file removed meanwhile fails.

    Raises
    ------
    InputError
        If another process holds the lock.
    """
    path = Path(folder) / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise InputError(f"cannot lock output folder {str(folder)!r}: {exc.strerror or exc}") from exc
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise InputError(f"another geoconflict run is writing into {str(folder)!r}; wait for it to "
                                 "finish or choose another --out folder") from exc
            try:  # the holder before us removed the file: its lock no longer guards the folder
                same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if not same:
                raise InputError(f"another geoconflict run has just used {str(folder)!r}; run again")
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
        if fcntl is not None:  # removed while still held, so no run can lock the removed file unnoticed
            with contextlib.suppress(OSError):
                path.unlink()
    finally:
        os.close(fd)
