"""Extraction on several cores: chunks of the article stream run in worker processes.

The article stream is read in the calling process and cut into chunks of
``chunk_size`` inputs; a :class:`concurrent.futures.ProcessPoolExecutor`
extracts the chunks, each worker holding one resolver handed to it once when
it starts (inherited on ``fork``, unpickled once on ``spawn``: about 0.1 s,
never rebuilt). Results come back in input order, so event ids, rows and
tables are those of a serial run. At most ``jobs * PREFETCH`` chunks are in
flight, so memory stays flat in the number of articles.

What crosses between processes is kept small, since pickling is the pool's
main cost over a serial run: a worker sends back each article's events and
mentions but not the article itself (the calling process still holds it and
puts it back), and freezes the objects it inherited (``gc.freeze``) so its
garbage collector never walks the resolver's gazetteer.

A worker that dies (killed, out of memory, a crash in a C library) breaks the
pool: the chunks that were in flight are run again one at a time in a fresh
pool, and the articles of the chunk that breaks it a second time are recorded
as skipped with the reason, never lost silently; the rest of the run goes on.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from itertools import islice
from typing import NamedTuple

from ..errors import InputError
from ..resolver import Resolver
from ..schema import Event
from .articles import Article, Skip
from .events import ArticleEvents, MentionRecord
from .mentions import MentionSpotter

__all__ = ["CHUNK_SIZE", "PREFETCH", "default_jobs", "extract_chunk", "extract_one", "extract_parallel"]

logger = logging.getLogger(__name__)

#: Inputs sent to a worker at a time: large enough that pickling is a small share of the work.
CHUNK_SIZE = 64
#: Chunks kept in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
PREFETCH = 3

_worker_spotter: MentionSpotter | None = None


def default_jobs() -> int:
    """The number of cores this process may use (``os.process_cpu_count`` or the scheduler's affinity)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def extract_one(item: Article | Skip, spotter: MentionSpotter, *,
                published: date | None = None) -> ArticleEvents | Skip:
    """Extract one input; an unexpected error becomes a Skip with its reason (logged)."""
    from .events import extract_article
    from .pipeline import with_source_ids

    if isinstance(item, Skip):
        return item
    try:
        return with_source_ids(extract_article(item, spotter, published=published))
    except Exception as exc:
        logger.exception("extraction failed for %s", item.origin)
        return Skip(item.article_id, item.origin, f"extraction error: {type(exc).__name__}: {str(exc)[:200]}")


#: Seconds between a worker's checks that the process that started it is still alive.
PARENT_CHECK_SECONDS = 1.0


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (killed with SIGKILL, it cannot stop its workers itself).

    The workers share the task pipe, so they would otherwise wait on it forever.
    """
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="geoconflict-parent-watch", daemon=True).start()


def _init_worker(resolver: Resolver, parent: int) -> None:
    global _worker_spotter
    _exit_with_parent(parent)
    _worker_spotter = MentionSpotter(resolver)
    # the resolver lives as long as the worker: keep the collector off its objects (and their pages shared)
    gc.freeze()


class _Extracted(NamedTuple):
    """An :class:`ArticleEvents` without its article, as a worker sends it back."""

    published: date | None
    published_from: str | None
    events: list[Event]
    mentions: list[MentionRecord]


def _without_article(item: Article | Skip, result: ArticleEvents | Skip) -> ArticleEvents | Skip | _Extracted:
    """What a worker sends back for ``item``: the article is left out when it is the one sent."""
    if isinstance(result, ArticleEvents) and result.article is item:
        return _Extracted(result.published, result.published_from, result.events, result.mentions)
    return result


def _with_article(item: Article | Skip, sent: ArticleEvents | Skip | _Extracted) -> ArticleEvents | Skip:
    """The result of ``item`` as the serial pipeline gives it (see :func:`_without_article`)."""
    if isinstance(sent, _Extracted):
        assert isinstance(item, Article)
        return ArticleEvents(item, sent.published, sent.published_from, sent.events, sent.mentions)
    return sent


def extract_chunk(chunk: list[Article | Skip],
                  published: date | None) -> list[ArticleEvents | Skip | _Extracted]:
    """Extract a chunk in a worker with the worker's resolver (see :func:`extract_parallel`)."""
    if _worker_spotter is None:  # pragma: no cover - only when called outside a worker
        raise RuntimeError("extract_chunk runs in a worker started by extract_parallel")
    return [_without_article(item, extract_one(item, _worker_spotter, published=published)) for item in chunk]


def _results(chunk: list[Article | Skip],
             sent: list[ArticleEvents | Skip | _Extracted]) -> Iterator[ArticleEvents | Skip]:
    """A chunk's results as the serial pipeline gives them, in input order."""
    return (_with_article(item, result) for item, result in zip(chunk, sent, strict=True))


def _chunks(items: Iterable[Article | Skip], size: int) -> Iterator[list[Article | Skip]]:
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk


def _died(chunk: list[Article | Skip]) -> list[ArticleEvents | Skip]:
    reason = ("worker process died twice while extracting this chunk (killed, out of memory or a crash); "
              "not extracted")
    return [item if isinstance(item, Skip) else Skip(item.article_id, item.origin, reason) for item in chunk]


def _submit(pool: ProcessPoolExecutor, chunk: list[Article | Skip],
            published: date | None) -> Future[list[ArticleEvents | Skip | _Extracted]]:
    """Send ``chunk`` to ``pool``; a pool that broke meanwhile gives a future that fails as its tasks do."""
    try:
        return pool.submit(extract_chunk, chunk, published)
    except BrokenProcessPool as error:  # a worker died between two submissions
        failed: Future[list[ArticleEvents | Skip | _Extracted]] = Future()
        failed.set_exception(error)
        return failed


def extract_parallel(items: Iterable[Article | Skip], resolver: Resolver, *, jobs: int,
                     published: date | None = None,
                     chunk_size: int | None = None) -> Iterator[ArticleEvents | Skip]:
    """Extract articles in ``jobs`` worker processes; yield one result per input, in input order.

    Parameters
    ----------
    items
        Articles and Skips (:func:`~geoconflict.extract.articles.read_articles`);
        Skips pass through in their place.
    resolver
        Given to each worker once, when it starts.
    jobs
        Worker processes (at least 1).
    published
        As for :func:`~geoconflict.extract.pipeline.iter_extractions`.
    chunk_size
        Inputs per task (default :data:`CHUNK_SIZE`).

    Yields
    ------
    ArticleEvents or Skip
        Exactly what the serial pipeline yields for the same inputs.

    Raises
    ------
    InputError
        If ``jobs`` or ``chunk_size`` is below 1.
    """
    chunk_size = CHUNK_SIZE if chunk_size is None else chunk_size
    if jobs < 1 or chunk_size < 1:
        raise InputError(f"jobs and chunk size must be at least 1, not {jobs!r} and {chunk_size!r}")
    context = multiprocessing.get_context()
    chunks = _chunks(items, chunk_size)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                                   initargs=(resolver, os.getpid()))

    pool = new_pool()
    pending: deque[tuple[list[Article | Skip], Future[list[ArticleEvents | Skip | _Extracted]]]] = deque()
    try:
        while True:
            while len(pending) < jobs * PREFETCH:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append((chunk, _submit(pool, chunk, published)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                logger.warning("a worker process died; running the %d unfinished chunk(s) again one at a time",
                               len(pending) + 1)
                retry = [chunk, *(c for c, _ in pending)]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)  # a broken pool has nothing left to wait for
                pool = new_pool()
                for again in retry:
                    try:
                        yield from _results(again, _submit(pool, again, published).result())
                    except BrokenProcessPool:
                        logger.error("a worker died twice on a chunk of %d inputs starting at %s; recorded as "
                                     "skipped", len(again), again[0].origin)
                        pool.shutdown(wait=False, cancel_futures=True)
                        yield from _died(again)
                        pool = new_pool()
                continue
            yield from _results(chunk, results)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
