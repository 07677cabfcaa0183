"""From inputs to tables: stream articles, extract events, account for everything.

``iter_extractions`` streams one result per input article (memory stays flat
in the number of articles); ``extract_events`` collects them into an
:class:`Extraction` of three tables; ``events_from_articles`` returns just the
events GeoDataFrame.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..resolver import Resolver
from ..schema import ALL_MENTION_COLUMNS, MANIFEST_COLUMNS, MENTION_COLUMNS, Event, events_to_frame
from .articles import Skip, read_articles
from .events import ArticleEvents, MentionRecord
from .mentions import MentionSpotter

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from ..config import Settings
    from ..districts import DistrictSource

__all__ = [
    "Extraction",
    "SavedExtraction",
    "events_from_articles",
    "extract_events",
    "iter_extractions",
    "manifest_row",
    "mention_rows",
    "save_extraction",
    "unresolved_rows",
]

logger = logging.getLogger(__name__)


@dataclass
class Extraction:
    """The three tables of a run.

    Attributes
    ----------
    events
        GeoDataFrame, columns :data:`geoconflict.schema.EVENT_COLUMNS`, EPSG:4326 points.
    unresolved
        DataFrame, columns :data:`geoconflict.schema.MENTION_COLUMNS`: place
        mentions that did not resolve (or only in part), with reasons.
    manifest
        DataFrame, columns :data:`geoconflict.schema.MANIFEST_COLUMNS`: one row
        per input article, processed or skipped with a reason.
    mentions
        DataFrame, columns :data:`geoconflict.schema.ALL_MENTION_COLUMNS`: every
        place-like mention with its role (event place, province, or context
        and why) -- the full account behind ``unresolved``.
    """

    events: gpd.GeoDataFrame
    unresolved: pd.DataFrame
    manifest: pd.DataFrame
    mentions: pd.DataFrame


def _candidates(record: MentionRecord) -> str:
    parts = []
    for cand in record.mention.resolution.candidates[:3]:
        parts.append(f"{cand.name} ({cand.admin2 or cand.admin1 or cand.country}, {cand.score:.0f})")
    return "; ".join(parts)


def unresolved_rows(result: ArticleEvents) -> list[dict[str, object]]:
    """The unresolved place mentions of one article (non-places such as group names are not places)."""
    rows: list[dict[str, object]] = []
    for record in result.mentions:
        res = record.mention.resolution
        if res.method == "non-place" or res.kind == "country":
            continue  # group and newspaper names are not places; "Pakistan" names the country
        if res.status != "resolved":
            rows.append({"article_id": record.article_id, "mention": record.mention.text,
                         "sentence": record.sentence, "status": res.status,
                         "reason": record.mention.reason or res.reason, "candidates": _candidates(record)})
        for part in record.mention.parts:  # unknown inner places of a resolved compound
            rows.append({"article_id": record.article_id, "mention": part, "sentence": record.sentence,
                         "status": "unresolved",
                         "reason": f"not in the gazetteer; part of {record.mention.text!r}, placed at "
                                   f"{res.matched_name or res.admin2 or res.admin1}",
                         "candidates": ""})
    return rows


def mention_rows(result: ArticleEvents) -> list[dict[str, object]]:
    """Every mention of one article with its role and resolution."""
    rows = []
    for record in result.mentions:
        res = record.mention.resolution
        rows.append({"article_id": record.article_id, "sentence_index": record.sentence_index,
                     "mention": record.mention.text, "role": record.mention.role,
                     "reason": record.mention.reason or res.reason or "", "status": res.status,
                     "admin1": res.admin1, "admin2": res.admin2, "geo_precision": res.geo_precision,
                     "method": res.method})
    return rows


def manifest_row(item: ArticleEvents | Skip) -> dict[str, object]:
    """One manifest row for a processed article or a skipped input."""
    if isinstance(item, Skip):
        return {"article_id": item.article_id, "origin": item.origin, "status": "skipped", "reason": item.reason,
                "notes": "", "published": None, "published_from": None, "events": 0, "mentions": 0,
                "mentions_unresolved": 0}
    places = [r for r in item.mentions if r.mention.resolution.method != "non-place"]
    reason = "" if item.events else "no event found"
    return {"article_id": item.article.article_id, "origin": item.article.origin, "status": "processed",
            "reason": reason, "notes": "; ".join(item.article.notes),
            "published": item.published.isoformat() if item.published else None,
            "published_from": item.published_from, "events": len(item.events), "mentions": len(places),
            "mentions_unresolved": len(unresolved_rows(item))}


def iter_extractions(inputs: Iterable[str | os.PathLike[str]], *, resolver: Resolver | None = None,
                     published: date | None = None, data_dir: str | os.PathLike[str] | None = None,
                     aliases: str | os.PathLike[str] | None = None,
                     district_source: DistrictSource | None = None, settings: Settings | None = None,
                     jobs: int = 1, columns: Mapping[str, str] | None = None) -> Iterator[ArticleEvents | Skip]:
    """Yield one result per input article, in input order, without holding earlier ones.

    Parameters
    ----------
    inputs
        Text files, folders (recursive), JSON Lines or CSV files (columns id,
        text, and optionally published, title, url, source; also gzip- or
        zstd-compressed), and Parquet files.
    resolver
        Resolver to reuse; default one built from ``settings`` (default: the
        environment), ``aliases``, and ``data_dir`` and ``district_source``
        where given (they override the settings).
    published
        Publication date for articles whose metadata and text give none.
    jobs
        Worker processes (see :func:`~geoconflict.extract.parallel.extract_parallel`);
        1 extracts in this process. The results are the same either way.
    columns
        Column names of table inputs, e.g. ``{"id": "doc_id", "text": "body"}``
        (see :func:`~geoconflict.extract.articles.read_articles`).

    Yields
    ------
    ArticleEvents or Skip
        An article's events and mentions, or the reason it was skipped. An
        unexpected error in one article is logged and reported as a Skip.
    """
    from .parallel import extract_one, extract_parallel

    resolver = resolver or Resolver.from_gazetteer(data_dir=data_dir, aliases=aliases,
                                                   district_source=district_source, settings=settings)
    items = read_articles(inputs, columns=columns)
    if jobs > 1:
        if getattr(resolver, "geocoder", None) is not None:
            logger.warning("an online geocoder is rate-limited per process: extracting in one process")
        else:
            yield from extract_parallel(items, resolver, jobs=jobs, published=published)
            return
    spotter = MentionSpotter(resolver)
    for item in items:
        yield extract_one(item, spotter, published=published)


def with_source_ids(result: ArticleEvents) -> ArticleEvents:
    """Make event ids unique across input files: the article's source key joins the id."""
    key = result.article.source_key
    if not key or not result.events:
        return result
    events = [replace(e, event_id=hashlib.sha1(f"{key}|{e.event_id}".encode()).hexdigest()[:16])
              for e in result.events]
    return replace(result, events=events)


@dataclass
class SavedExtraction:
    """What :func:`save_extraction` wrote and counted.

    Attributes
    ----------
    files
        Table name (``events``, ``unresolved``, ``manifest``, ``mentions``) -> path written.
    articles, processed, events, unresolved
        Counts over the run.
    skip_reasons
        Reason -> number of skipped inputs.
    unresolved_names
        Unresolved mention text -> number of mentions.
    undated
        Events without a date (their article gave no publication date and the
        text none: ``--published`` supplies one).
    kept_events
        The events themselves when asked for (``keep_events=True``), else empty.
    """

    files: dict[str, Path] = field(default_factory=dict)
    articles: int = 0
    processed: int = 0
    events: int = 0
    unresolved: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    unresolved_names: Counter[str] = field(default_factory=Counter)
    undated: int = 0
    kept_events: list[Event] = field(default_factory=list)


def save_extraction(items: Iterable[ArticleEvents | Skip], *, events: str | os.PathLike[str] | None = None,
                    unresolved: str | os.PathLike[str] | None = None,
                    manifest: str | os.PathLike[str] | None = None,
                    mentions: str | os.PathLike[str] | None = None, keep_events: bool = False,
                    neutralize: bool = True, partition_by: str | None = None) -> SavedExtraction:
    """Stream extraction results into their tables; memory stays flat in the number of articles.

    Every table is written to a temporary file and renamed into place only
    when the whole input has been read, so an interrupted run leaves the
    previous files (or none), never a truncated one. Events go straight to
    a CSV; for GeoJSON, GeoPackage and GeoParquet they are held and written at the end.

    Parameters
    ----------
    items
        Results of :func:`iter_extractions` (possibly wrapped in a progress bar).
    events, unresolved, manifest, mentions
        Files to write; None for a table not wanted.
    keep_events
        Also return the events (for maps).
    neutralize
        Prefix formula-like CSV text cells with ``'`` (see :mod:`geoconflict.io`).
    partition_by
        GeoParquet events only: ``"year"`` (see :func:`geoconflict.io.save_events`).

    Returns
    -------
    SavedExtraction
    """
    from ..io import EventCsvWriter, TableWriter, event_format, save_events

    saved = SavedExtraction()
    held: list[Event] = []
    with ExitStack() as stack:
        event_csv = None
        if events is not None and event_format(events) == "csv":
            event_csv = stack.enter_context(EventCsvWriter(events, neutralize=neutralize))
        tables = {name: stack.enter_context(TableWriter(path, columns, neutralize=neutralize))
                  for name, path, columns in (("unresolved", unresolved, MENTION_COLUMNS),
                                              ("manifest", manifest, MANIFEST_COLUMNS),
                                              ("mentions", mentions, ALL_MENTION_COLUMNS)) if path is not None}
        for item in items:
            saved.articles += 1
            if "manifest" in tables:
                tables["manifest"].write([manifest_row(item)])
            if isinstance(item, Skip):
                saved.skip_reasons[item.reason] += 1
                continue
            saved.processed += 1
            saved.events += len(item.events)
            saved.undated += sum(1 for e in item.events if e.date_start is None)
            if event_csv is not None:
                event_csv.write(e.to_dict() for e in item.events)
            if (events is not None and event_csv is None) or keep_events:
                held.extend(item.events)
            rows = unresolved_rows(item)
            saved.unresolved += len(rows)
            saved.unresolved_names.update(str(r["mention"]) for r in rows)
            if "unresolved" in tables:
                tables["unresolved"].write(rows)
            if "mentions" in tables:
                tables["mentions"].write(mention_rows(item))
        if events is not None:
            if event_csv is not None:
                saved.files["events"] = event_csv.commit()
            else:
                saved.files["events"] = save_events(events_to_frame(held), events, neutralize=neutralize,
                                                    partition_by=partition_by)
        for name, writer in tables.items():
            saved.files[name] = writer.commit()
    if keep_events:
        saved.kept_events = held
    return saved


def extract_events(inputs: Iterable[str | os.PathLike[str]], *, resolver: Resolver | None = None,
                   published: date | None = None, data_dir: str | os.PathLike[str] | None = None,
                   aliases: str | os.PathLike[str] | None = None, district_source: DistrictSource | None = None,
                   progress: bool = False, settings: Settings | None = None, jobs: int = 1,
                   columns: Mapping[str, str] | None = None) -> Extraction:
    """Extract events from articles and return the events, unresolved mentions and manifest.

    Parameters are those of :func:`iter_extractions`; ``progress`` shows a
    progress bar on standard error.

    Returns
    -------
    Extraction
    """
    import pandas as pd

    events: list[Event] = []
    unresolved: list[dict[str, object]] = []
    manifest: list[dict[str, object]] = []
    mentions: list[dict[str, object]] = []
    stream = iter_extractions(inputs, resolver=resolver, published=published, data_dir=data_dir,
                              aliases=aliases, district_source=district_source, settings=settings, jobs=jobs,
                              columns=columns)
    if progress:  # tqdm.auto is imported only when asked for: in Jupyter it warns without ipywidgets
        from tqdm.auto import tqdm

        stream = tqdm(stream, desc="articles", unit="article")
    for item in stream:
        manifest.append(manifest_row(item))
        if isinstance(item, ArticleEvents):
            events.extend(item.events)
            unresolved.extend(unresolved_rows(item))
            mentions.extend(mention_rows(item))
    return Extraction(events_to_frame(events), pd.DataFrame(unresolved, columns=list(MENTION_COLUMNS)),
                      pd.DataFrame(manifest, columns=list(MANIFEST_COLUMNS)),
                      pd.DataFrame(mentions, columns=list(ALL_MENTION_COLUMNS)))


def events_from_articles(inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
                         resolver: Resolver | None = None, published: date | str | None = None,
                         data_dir: str | os.PathLike[str] | None = None,
                         aliases: str | os.PathLike[str] | None = None,
                         district_source: DistrictSource | None = None, progress: bool = False,
                         settings: Settings | None = None, jobs: int = 1,
                         columns: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """Extract events from news articles: one row per event, placed on its district.

    Parameters
    ----------
    inputs
        A path or paths: text files, folders, JSON Lines or CSV files.
    published
        Publication date (``date`` or ``"YYYY-MM-DD"``) for articles that state none.
    resolver, data_dir, aliases, district_source, progress, settings, jobs, columns
        See :func:`iter_extractions` and :func:`extract_events`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`geoconflict.schema.EVENT_COLUMNS`, points in EPSG:4326.
        Use :func:`extract_events` to get the unresolved mentions and the
        manifest as well.
    """
    from ..errors import InputError
    from .dates import parse_date

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if isinstance(published, str):
        parsed = parse_date(published)
        if parsed is None:
            raise InputError(f"published must be a date such as 2025-09-07, not {published!r}")
        published = parsed
    return extract_events(inputs, resolver=resolver, published=published, data_dir=data_dir, aliases=aliases,
                          district_source=district_source, progress=progress, settings=settings, jobs=jobs,
                          columns=columns).events



