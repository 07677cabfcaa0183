"""The ``geoconflict`` command line.

Every subcommand is a thin layer over the library: it parses options, calls
one library function and prints. Library errors become a one-line message on
standard error and exit code 1; nothing else is printed by library code.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import logging
import re
import signal
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, config
from .errors import GeoconflictError, InputError

if TYPE_CHECKING:
    from .resolver import Resolution, Resolver

logger = logging.getLogger(__name__)

_EPILOG = """\
Boundary files are read from --data-dir, else GEOCONFLICT_DATA_DIR, else the
user cache (downloaded on first use; `geoconflict data fetch` does it up front).
On a machine without internet, point GEOCONFLICT_DATA_DIR at a folder holding
the geoBoundaries Pakistan files.
"""


_NAMES_FILE_HELP = ("text file with one place name per line, or a CSV file (its 'name' column, else its first; "
                    "the first row is the header)")


def _add_gazetteer_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("gazetteer")
    group.add_argument("--data-dir", metavar="DIR",
                       help="folder holding the geoBoundaries files (default: GEOCONFLICT_DATA_DIR or cache)")
    group.add_argument("--aliases", metavar="FILE",
                       help="your own aliases: CSV with columns alias,target (target = a district or place)")
    group.add_argument("--districts", choices=("current", "adm2"), default=None,
                       help="district layer: today's districts (default) or the old ADM2 file as published")
    group.add_argument("--bias", default=None, metavar="PROVINCE",
                       help=f"province preferred when names tie (default: {config.PROVINCE} or GEOCONFLICT_PROVINCE; "
                            "'none' for no preference)")
    group.add_argument("--geocode", choices=("nominatim",), metavar="SERVICE",
                       help="ask an online geocoder (nominatim) for names the gazetteer does not know; off by "
                            "default; rate-limited and cached on disk; only names are sent")


def _add_extract_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("extraction")
    group.add_argument("--published", metavar="DATE",
                       help="publication date (YYYY-MM-DD) for articles whose metadata and text give none")
    group.add_argument("--unresolved", metavar="FILE", help="write unresolved place mentions here (CSV)")
    group.add_argument("--manifest", metavar="FILE", help="write the run manifest here (CSV): one row per article")
    group.add_argument("--mentions", metavar="FILE", help="write every place mention and its role here (CSV)")
    group.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_scale_options(parser)
    _add_raw_csv_option(parser)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, 1 or more, not {value!r}")
    return jobs


def _add_scale_options(parser: argparse.ArgumentParser) -> None:
    from .extract.parallel import default_jobs

    group = parser.add_argument_group("archives and parallel extraction")
    group.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help=f"worker processes (default: the cores this process may use, here {default_jobs()}); "
                            "the tables are the same as with --jobs 1")
    group.add_argument("--columns", metavar="MAP",
                       help="column names of table inputs (JSON Lines, CSV, Parquet), e.g. id=doc_id,text=body; "
                            "article columns: id, text, published, title, url, source")


def _add_dask_option(parser: argparse.ArgumentParser, more: str = "") -> None:
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="extract on a Dask cluster: 'local' starts one on this machine (--jobs workers), "
                             f"tcp://HOST:PORT joins a running scheduler{more} "
                             "(needs pip install 'geoconflict[dask]')")


def _add_raw_csv_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw-csv", action="store_true",
                        help="write CSV cells exactly as extracted; by default text cells starting with = + - @ "
                             "(which spreadsheets run as formulas) get a leading apostrophe")


def _add_map_output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("maps")
    group.add_argument("--cdn", action="store_true",
                       help="link Leaflet from a CDN (smaller files, need internet) and show a basemap; by "
                            "default maps carry Leaflet inside and work offline")
    group.add_argument("--self-contained", action="store_true",
                       help="maps that work offline: the default now, kept for old scripts")
    group.add_argument("--include-background", action="store_true",
                       help="also map events reported only as background (reported_as=background)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geoconflict",
        description="Place news reports of militant attacks on Pakistan's districts.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"geoconflict {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log messages (-vv for debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    resolve = sub.add_parser(
        "resolve", help="resolve place names to provinces, districts and tehsils",
        description="Resolve place names (any spelling) to province, district and tehsil. "
                    "Prints one row per name, in input order.",
        epilog="Examples:\n  geoconflict resolve Panjgoor Musakhail \"Kalat's Manguchar area\"\n"
               "  geoconflict resolve --file names.txt --format json > resolved.json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    resolve.add_argument("names", nargs="*", metavar="NAME", help="place names to resolve")
    resolve.add_argument("--file", metavar="FILE", help=_NAMES_FILE_HELP)
    resolve.add_argument("--format", choices=("table", "json", "csv"), default="table",
                         help="output format (default: table)")
    _add_raw_csv_option(resolve)
    _add_gazetteer_options(resolve)

    extract = sub.add_parser(
        "extract", help="extract attack events from news articles into a table",
        description="Read news articles (text files, folders, JSON Lines or CSV with columns id,text and "
                    "optionally published,title,url,source) and write one row per event: when, where "
                    "(district), who, what, how many killed or injured. Every input article is accounted "
                    "for in the manifest; every place mention that did not resolve is listed.",
        epilog="Examples:\n  geoconflict extract articles/ -o events.csv\n"
               "  geoconflict extract feed.jsonl -o events.geojson --unresolved unresolved.csv "
               "--manifest manifest.csv --published 2025-09-07",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders; '-' reads standard input: JSON Lines "
                         "if every non-blank line is a JSON object, CSV if the first line is a header with a "
                         "'text' column, else one plain-text article")
    extract.add_argument("-o", "--output", required=True, metavar="FILE",
                         help="events file: .csv, .geojson, .gpkg or .parquet (GeoParquet); '-' for CSV on "
                              "standard output")
    extract.add_argument("--partition-by", choices=("year",), default=None,
                         help="GeoParquet output only: a folder with one part per year of the events")
    _add_dask_option(extract, "; with -o events.parquet the workers write the events as GeoParquet parts")
    _add_extract_options(extract)
    _add_gazetteer_options(extract)

    check = sub.add_parser(
        "check", help="list place names that do not resolve, with candidates and reasons",
        description="List the place names that did not resolve (unresolved or ambiguous), most frequent "
                    "first, with the reason and the best candidates, so you can add aliases "
                    "(--aliases FILE, columns alias,target). Give articles (INPUT...), a file of names "
                    "(--file, one per line) or names (--name).",
        epilog="Examples:\n  geoconflict check articles/\n  geoconflict check --file names.txt\n"
               "  geoconflict check articles/ --aliases my_aliases.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("inputs", nargs="*", metavar="INPUT", help="article files or folders")
    check.add_argument("--file", metavar="FILE", help=_NAMES_FILE_HELP)
    check.add_argument("--name", action="append", default=[], metavar="NAME", help="a place name (repeatable)")
    check.add_argument("--format", choices=("table", "json", "csv"), default="table",
                       help="table (default), json or csv on standard output")
    _add_raw_csv_option(check)
    check.add_argument("--published", metavar="DATE", help=argparse.SUPPRESS)
    _add_gazetteer_options(check)

    map_parser = sub.add_parser(
        "map", help="draw an events table as an HTML map or a PNG figure",
        description="Draw an events table (from `geoconflict extract`, or an ACLED export with event_date, "
                    "admin1, admin2, location, latitude, longitude, geo_precision, fatalities, actor1, "
                    "sub_event_type) as a map. Kinds: choropleth (per district), timeline (choropleth with a "
                    "time slider), points, points-timeline (points with a time slider), png (static "
                    "choropleth), multiples (small multiples per period, PNG).",
        epilog="Examples:\n  geoconflict map events.csv --kind choropleth -o maps/districts.html\n"
               "  geoconflict map events.csv --kind timeline --value killed --period month -o maps/killed.html\n"
               "  geoconflict map acled.csv --kind points --color-by event_type --cdn -o maps/p.html",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    map_parser.add_argument("events", metavar="EVENTS", help="events file (.csv, .geojson or .gpkg)")
    map_parser.add_argument("--kind", required=True,
                            choices=("choropleth", "timeline", "points", "points-timeline", "png", "multiples"))
    map_parser.add_argument("-o", "--output", required=True, metavar="FILE", help="map file (.html, or .png)")
    map_parser.add_argument("--value", choices=("events", "killed", "injured"), default="events",
                            help="what a choropleth counts (default: events)")
    map_parser.add_argument("--period", choices=("week", "month", "year"), default=None,
                            help="time step (default: month; year for multiples)")
    map_parser.add_argument("--color-by", choices=("actor", "event_type"), default="actor",
                            help="marker colour (default: actor)")
    map_parser.add_argument("--provinces", nargs="+", metavar="PROVINCE",
                            help="provinces to draw (default: those the events are in)")
    _add_map_output_options(map_parser)
    map_parser.add_argument("--title", help="map title")
    map_parser.add_argument("--data-dir", metavar="DIR", help="folder holding the geoBoundaries files")
    map_parser.add_argument("--districts", choices=("current", "adm2"), default=None,
                         help="district layer: today's districts (default, or GEOCONFLICT_LAYOUT) or the old ADM2 "
                              "file as published")
    map_parser.add_argument("--unit", choices=("incidents", "events"), default="incidents",
                            help="what is counted and drawn: incidents (reports of one attack merged; default) "
                                 "or events (one per report)")
    map_parser.add_argument("--layout", default="current", metavar="LAYOUT",
                            help="Balochistan districts to draw and count by: current (default), provisional, "
                                 "2017-census, 2023-census or a date YYYY-MM-DD (the layout in force then), so a "
                                 "time series is drawn on one consistent set of polygons")

    run = sub.add_parser(
        "run", help="articles -> events, unresolved names, manifest and every map, in one folder",
        description="Extract events from articles and write, into --out:\n"
                    "  events.csv, events.geojson  one row per event\n"
                    "  incidents.csv               events grouped into incidents (one attack, many reports)\n"
                    "  unresolved.csv              place mentions that did not resolve\n"
                    "  mentions.csv                every place mention and how it resolved\n"
                    "  manifest.csv                every input: processed or skipped, and why\n"
                    "  aliases-to-fill.csv         unresolved names with a blank target, for --aliases\n"
                    "  choropleth.html, killed.html, timeline.html, points.html, points-timeline.html  maps\n"
                    "  choropleth.png, small-multiples.png  figures\n"
                    "  index.html                  the report: numbers, chart, maps, events, names to check\n"
                    "  run.json                    what the run read and wrote\n"
                    "Everything opens from disk with no network.",
        epilog="Example:\n  geoconflict run examples/articles --out maps/example   (then open "
               "maps/example/index.html)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder")
    _add_map_output_options(run)
    run.add_argument("--published", metavar="DATE", help="publication date for articles that state none")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_scale_options(run)
    _add_dask_option(run, "; the maps and report are made here")
    _add_raw_csv_option(run)
    run.add_argument("--unit", choices=("incidents", "events"), default="incidents",
                     help="what the maps count: incidents (default) or events")
    _add_gazetteer_options(run)

    _add_incident_parsers(sub)

    evaluate = sub.add_parser(
        "evaluate", help="score an extraction against hand-made gold annotations",
        description="Extract events from ARTICLES and compare them with the gold events in GOLD (a folder of "
                    "gold/NNN.json files in the corpus format, or a gold.json in the seed format). Events match "
                    "by article and district (or province, for province-level events). Prints recall, "
                    "precision and F1, and on matched events how often deaths, injured, the date, the actor "
                    "and the type are exact; with --places, the share of a mention,district CSV resolved right.",
        epilog="Example:\n  geoconflict evaluate ../shared/data/corpus ../shared/data/corpus/articles "
               "--places ../shared/data/corpus/places.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("gold", metavar="GOLD", help="gold folder (gold/*.json) or gold.json file")
    evaluate.add_argument("articles", nargs="+", metavar="ARTICLES", help="article files or folders")
    evaluate.add_argument("--places", metavar="CSV", help="mention,district,province CSV to score the resolver on")
    evaluate.add_argument("--province", default=config.PROVINCE,
                          help=f"score events of this province only (default {config.PROVINCE}; 'all' for every one)")
    evaluate.add_argument("--details", action="store_true", help="list every miss, false alarm and wrong field")
    _add_gazetteer_options(evaluate)

    data = sub.add_parser("data", help="download or inspect the boundary files",
                          description="Manage the geoBoundaries Pakistan files geoconflict reads.")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION")
    fetch = data_sub.add_parser("fetch", help="download the pinned boundary files and verify their sha256")
    fetch.add_argument("--cache-dir", metavar="DIR", help="destination (default: GEOCONFLICT_CACHE_DIR or ~/.cache)")
    fetch.add_argument("--force", action="store_true", help="download again even if verified copies exist")
    status = data_sub.add_parser("status", help="say which boundary files are present and whether they verify")
    status.add_argument("--data-dir", metavar="DIR", help="folder to inspect (default: GEOCONFLICT_DATA_DIR or cache)")
    return parser


def _read_names(args: argparse.Namespace) -> list[str]:
    names = list(getattr(args, "names", None) or getattr(args, "name", None) or [])
    if args.file:
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {args.file!r}: {exc.strerror or exc}") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot read names from {args.file!r}: not UTF-8 text (bad byte at "
                             f"{exc.start}); give a text or CSV file, one name a line") from exc
        if "\x00" in text:
            raise InputError(f"cannot read names from {args.file!r}: a binary file, not text; "
                             "give a text or CSV file, one name a line")
        if path.suffix.lower() == ".csv":
            names.extend(_names_from_csv(text, args.file))
        else:
            names.extend(line.strip() for line in text.splitlines()
                         if line.strip() and not line.lstrip().startswith("#"))
    if not names:
        raise InputError("no place names given: pass names as arguments or --file FILE")
    return names


def _names_from_csv(text: str, file: str) -> list[str]:
    """The names of a CSV file: its ``name`` column, else its first; the first row is the header."""
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("name") if "name" in header else 0
    if "name" not in header:
        print(f"geoconflict: {_printable(file)!r} has no 'name' column: reading its first column, under the "
              f"header {_printable(rows[0][0])!r}", file=sys.stderr)
    return [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]


def _settings(args: argparse.Namespace) -> config.Settings:
    """The command's settings, resolved once: the environment, then its flags (passed whole from here on)."""
    flags: dict[str, object] = {"data_dir": getattr(args, "data_dir", None),
                                "district_source": getattr(args, "districts", None)}
    if getattr(args, "bias", None) is not None:
        flags["province"] = args.bias
    return config.resolve_settings(**flags)  # type: ignore[arg-type]


def _resolver(args: argparse.Namespace) -> Resolver:
    from .resolver import Resolver

    settings = _settings(args)
    resolver = Resolver.from_gazetteer(aliases=args.aliases, settings=settings)
    if getattr(args, "geocode", None):
        from .districts import load_admin_layers
        from .geocoder import GeocoderFallback

        layers = load_admin_layers(settings=settings)
        resolver.geocoder = GeocoderFallback(args.geocode, layers, settings=settings)
    return resolver


def _candidates_text(candidates: Sequence[object], limit: int = 3) -> str:
    parts = []
    for cand in list(candidates)[:limit]:
        where = getattr(cand, "admin2", None) or getattr(cand, "admin1", None) or getattr(cand, "country", "")
        parts.append(f"{cand.name} ({where}, {cand.score:.0f})")  # type: ignore[attr-defined]
    return "; ".join(parts)


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    widths = [min(w, 48) for w in widths[:-1]] + [0]  # the last column (notes) is never cut
    lines = ["  ".join(_printable(str(h)).ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * max(w, len(h)) for h, w in zip(header, widths)))
    for row in rows:
        cells = [_clip(str(c), w) if w else _printable(str(c)) for c, w in zip(row, widths)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    text = _printable(text)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


#: What json.dumps(ensure_ascii=False) leaves raw but a terminal acts on: C1 controls, bidi overrides.
_JSON_UNESCAPED = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """Text safe to show in a terminal: control characters (escape sequences, bidi overrides) become spaces."""
    return _CONTROL.sub(" ", text)


def _json_out(data: object) -> None:
    """Write JSON to standard output with every control character escaped (C1 ones included)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    sys.stdout.write(_JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def _csv_out(rows: Iterable[Sequence[object]], header: Sequence[str], *, raw: bool) -> None:
    """Write CSV to standard output; unless ``raw``, formula-like cells are neutralised and controls removed."""
    from .io import neutralize_cell

    writer = csv.writer(sys.stdout)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row if raw else [neutralize_cell(_printable(c) if isinstance(c, str) else c) for c in row])


def _flat(result: Resolution) -> dict[str, object]:
    data = result.to_dict()
    data["candidates"] = _candidates_text(result.candidates)
    return data


def _cmd_resolve(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from .resolver import RESOLUTION_COLUMNS

    names = _read_names(args)
    resolver = _resolver(args)
    results = [resolver.resolve(n) for n in tqdm(names, desc="resolving", unit="name",
                                                  disable=None if len(names) > 2000 else True)]
    if args.format == "json":
        _json_out([r.to_dict() for r in results])
    elif args.format == "csv":
        columns = list(RESOLUTION_COLUMNS)
        _csv_out(([_flat(r).get(c) for c in columns] for r in results), columns, raw=args.raw_csv)
    else:
        rows = [[r.query, r.status, r.admin1 or "", r.admin2 or "", r.admin3 or "",
                 "" if r.geo_precision is None else str(r.geo_precision), r.method,
                 f"{r.score:.0f}", r.reason or ""] for r in results]
        print(_table(rows, ["query", "status", "province", "district", "tehsil", "prec", "method", "score",
                            "note"]))
        counts = Counter(r.status for r in results)
        print(f"\n{len(results)} name{'' if len(results) == 1 else 's'}: {counts['resolved']} resolved, {counts['ambiguous']} ambiguous, "
              f"{counts['unresolved']} unresolved")
    return 0


def _published(args: argparse.Namespace) -> date | None:
    from .extract.dates import parse_date

    if not args.published:
        return None
    value = parse_date(args.published)
    if value is None:
        raise InputError(f"--published must be a date such as 2025-09-07, not {args.published!r}")
    return value


def _count_inputs(inputs: Sequence[str]) -> int | None:
    """Number of articles and skips the inputs will give, for the progress bar (None when unknown)."""
    from .extract.articles import count_articles

    return count_articles(inputs)


def _stream(args: argparse.Namespace, resolver: Resolver):  # type: ignore[no-untyped-def]
    from tqdm.auto import tqdm

    from .extract.pipeline import iter_extractions

    for raw in args.inputs:
        if raw != "-" and not Path(raw).exists():
            raise InputError(f"input {raw!r} does not exist (expected a file or a folder of articles)")
    stream = iter_extractions(args.inputs, resolver=resolver, published=_published(args), jobs=_job_count(args),
                              columns=_columns(args))
    show = not getattr(args, "no_progress", False)
    return tqdm(stream, desc="articles", unit="article", total=_count_inputs(args.inputs) if show else None,
                disable=None if show else True)


def _job_count(args: argparse.Namespace) -> int:
    from .extract.parallel import default_jobs

    jobs = getattr(args, "jobs", None)
    return default_jobs() if jobs is None else int(jobs)


def _columns(args: argparse.Namespace) -> dict[str, str]:
    from .extract.articles import parse_columns

    return parse_columns(getattr(args, "columns", None))


def _check_outputs(inputs: Sequence[str], outputs: dict[str, str | None]) -> None:
    """Refuse outputs that are inputs, lie inside an input folder, are folders, or repeat.

    Runs before anything is written, so a refused run changes no file.
    """
    from ._files import check_writable_file

    given = {flag: Path(path) for flag, path in outputs.items() if path}
    seen: dict[Path, str] = {}
    for flag, path in given.items():
        check_writable_file(path, flag)
        resolved = path.resolve()
        if resolved in seen:
            raise InputError(f"{flag} and {seen[resolved]} name the same file {str(path)!r}")
        seen[resolved] = flag
        for raw in inputs:
            if raw == "-":
                continue
            source = Path(raw).resolve()
            if resolved == source:
                raise InputError(f"{flag} {str(path)!r} is one of the inputs: it would be overwritten")
            if source.is_dir() and resolved.is_relative_to(source):
                raise InputError(f"{flag} {str(path)!r} is inside the input folder {raw!r}: the next run "
                                 "would read it as an article; write it elsewhere")


def _csv_to_stdout(args: argparse.Namespace, command: Any) -> int:
    """``-o -``: run ``command`` with its CSV on standard output and its summary on standard error.

    The CSV is written to a temporary file first (as for any output), then copied out.
    """
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="geoconflict-") as folder:
        args.output = str(Path(folder) / "table.csv")
        args.output_shown = "standard output"
        with contextlib.redirect_stdout(sys.stderr):
            code = command(args)
        with open(args.output, encoding="utf-8", newline="") as handle:
            shutil.copyfileobj(handle, sys.stdout)
        sys.stdout.flush()
    return int(code)


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract.pipeline import save_extraction
    from .io import event_format

    if args.output == "-":
        return _csv_to_stdout(args, _cmd_extract)
    event_format(args.output)
    if args.partition_by and event_format(args.output) != "parquet":
        raise InputError("--partition-by needs a GeoParquet events file (-o events.parquet)")
    _columns(args)  # a bad mapping fails before the resolver is built
    outputs = {"-o": args.output, "--unresolved": args.unresolved, "--manifest": args.manifest,
               "--mentions": args.mentions}
    _check_outputs(args.inputs, outputs)
    if args.dask:
        saved = _extract_on_dask(args)
    else:
        resolver = _resolver(args)
        saved = save_extraction(_stream(args, resolver), events=args.output, unresolved=args.unresolved,
                                manifest=args.manifest, mentions=args.mentions, neutralize=not args.raw_csv,
                                partition_by=args.partition_by)
    skipped = saved.articles - saved.processed
    print(f"{saved.articles} articles: {saved.processed} processed, {skipped} skipped; {saved.events} events "
          f"-> {getattr(args, 'output_shown', args.output)}")
    print(f"{saved.unresolved} place mentions unresolved"
          + (f" -> {args.unresolved}" if args.unresolved else " (see them with --unresolved FILE or "
             "`geoconflict check`)"))
    if saved.undated:
        print(_undated_hint(saved.undated))
    if skipped:
        _print_skips(saved.skip_reasons)
        if not args.manifest:
            print("  (write every skip and its reason with --manifest FILE)")
    return 0


def _print_skips(reasons: Counter[str]) -> None:
    """The most common reasons inputs were skipped, with their counts (extract and run)."""
    for reason, count in reasons.most_common(5):
        print(f"  skipped {count}: {_printable(reason)}")


def _undated_hint(undated: int) -> str:
    """The summary line for events without a date: how to give their articles' publication date."""
    many = undated != 1
    return (f"{undated} event{'s' if many else ''} {'have' if many else 'has'} no date: give the publication date "
            "of undated articles with --published YYYY-MM-DD")


def _extract_on_dask(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """``extract --dask``: the same tables, extracted on a Dask cluster; GeoParquet events written by the workers."""
    from tqdm.auto import tqdm

    from .extract.on_dask import close_client, iter_extractions_dask
    from .extract.pipeline import save_extraction
    from .io import event_format

    parquet = event_format(args.output) == "parquet"
    settings = _settings(args)
    client = _dask_client(args)
    try:
        stream = iter_extractions_dask(args.inputs, client=client, published=_published(args),
                                       data_dir=settings.data_dir, aliases=args.aliases,
                                       district_source=settings.district_source, bias=settings.province,
                                       columns=_columns(args), parts_dir=args.output if parquet else None,
                                       partition_by=args.partition_by)
        show = not getattr(args, "no_progress", False)
        saved = save_extraction(tqdm(stream, desc="articles", unit="article", disable=None if show else True),
                                events=None if parquet else args.output, unresolved=args.unresolved,
                                manifest=args.manifest, mentions=args.mentions, neutralize=not args.raw_csv)
    finally:
        close_client(client)
    if parquet:
        saved.files["events"] = Path(args.output)
    return saved


def _dask_client(args: argparse.Namespace) -> Any:
    """The client for ``--dask`` (extract and run), after the checks that need no cluster."""
    from .extract.on_dask import dask_client

    if getattr(args, "geocode", None):
        raise InputError("--geocode asks an online service at a limited rate from one process: not with --dask")
    for raw in args.inputs:
        if raw == "-":
            raise InputError("--dask reads files (each worker opens its own), not standard input ('-')")
        if not Path(raw).exists():
            raise InputError(f"input {raw!r} does not exist (expected a file or a folder of articles)")
    return dask_client(args.dask, workers=getattr(args, "jobs", None))


def _cmd_check(args: argparse.Namespace) -> int:
    from .extract.events import ArticleEvents
    from .extract.pipeline import unresolved_rows

    if not (args.inputs or args.file or args.name):
        raise InputError("nothing to check: give article files or folders, --file NAMES.txt, or --name NAME")
    resolver = _resolver(args)
    rows: list[tuple[str, int, str, str, str]] = []  # name, count, status, candidates, reason
    names = _read_names(args) if (args.file or args.name) else []
    frequency = Counter(names)
    for name, count in frequency.most_common():
        result = resolver.resolve(name)
        if result.status != "resolved":
            rows.append((name, count, result.status, _candidates_text(result.candidates), result.reason or ""))
    distinct = len(frequency)
    if args.inputs:
        seen: Counter[str] = Counter()
        first: dict[str, dict[str, object]] = {}
        for item in _stream(args, resolver):
            if isinstance(item, ArticleEvents):
                for row in unresolved_rows(item):
                    key = str(row["mention"])
                    seen[key] += 1
                    first.setdefault(key, row)
        distinct += len(seen)
        for key, count in seen.most_common():
            row = first[key]
            rows.append((key, count, str(row["status"]), str(row["candidates"]), str(row["reason"])))
        rows.sort(key=lambda r: -r[1])
    if args.format == "json":
        _json_out([{"name": n, "count": c, "status": st, "candidates": cand, "reason": why}
                   for n, c, st, cand, why in rows])
    elif args.format == "csv":
        _csv_out(rows, ["name", "count", "status", "candidates", "reason"], raw=args.raw_csv)
    else:
        if rows:
            print(_table([[n, str(c), st, cand or "-", why] for n, c, st, cand, why in rows],
                         ["name", "count", "status", "best candidates", "reason"]))
        print(f"\n{len(rows)} distinct place name{' did' if len(rows) == 1 else 's did'} not resolve."
              + (" Add aliases in a CSV (alias,target) and pass it with --aliases." if rows else ""))
    return 0


def _province_names(names: Sequence[str] | None, args: argparse.Namespace) -> list[str] | None:
    """Province names as the boundary file spells them, read through the resolver (Baluchistan, KPK ...).

    A name that does not resolve to a province is passed on as given, for the map to reject by name.
    """
    if not names:
        return None
    from .resolver import Resolver

    resolver = Resolver.from_gazetteer(settings=_settings(args))
    spelled = []
    for name in names:
        found = resolver.resolve(name)
        province = found.status == "resolved" and found.admin1 and not found.admin2
        spelled.append(found.admin1 if province else name)
    return spelled


def _cmd_map(args: argparse.Namespace) -> int:
    from ._files import atomic_path, check_writable_file
    from .io import load_events
    from .render import (
        plot_choropleth,
        plot_small_multiples,
        render_choropleth,
        render_points,
        render_points_timeline,
        render_timeline,
        save_figure,
        save_map,
    )

    check_writable_file(args.output, "-o")
    events = load_events(args.events)
    word = "rows" if ("event_id_cnty" in events or "fatalities" in events) else (
        "incidents" if args.unit == "incidents" else "events")
    events = _map_unit(events, args)
    settings = _settings(args)
    source = settings.district_source
    if args.layout != "current":
        from .layouts import events_in_layout

        if args.districts == "adm2":
            raise InputError("--layout chooses Balochistan districts from tehsils; it cannot be combined with "
                             "--districts adm2")
        events = events_in_layout(events, args.layout)
        source = args.layout
    common = {"provinces": _province_names(args.provinces, args),
              "settings": settings.replace(district_source=source),
              "title": args.title, "include_background": args.include_background}
    suffix = Path(args.output).suffix.lower()
    if args.kind in ("png", "multiples"):
        if suffix != ".png":
            raise InputError(f"--kind {args.kind} writes a PNG: give an -o file ending in .png, not {args.output!r}")
        if args.kind == "png":
            figure = plot_choropleth(events, value=args.value, **common)
        else:
            figure = plot_small_multiples(events, value=args.value, period=args.period or "year", **common)
        with atomic_path(args.output, what="-o") as part:
            save_figure(figure, part)
    else:
        if suffix != ".html":
            raise InputError(f"--kind {args.kind} writes an HTML map: give an -o file ending in .html, "
                             f"not {args.output!r}")
        extra = {"self_contained": not args.cdn, **common}
        period = args.period or "month"
        if args.kind == "choropleth":
            m = render_choropleth(events, value=args.value, **extra)
        elif args.kind == "timeline":
            m = render_timeline(events, value=args.value, period=period, **extra)
        elif args.kind == "points":
            m = render_points(events, color_by=args.color_by, **extra)
        else:
            m = render_points_timeline(events, period=period, color_by=args.color_by, **extra)
        with atomic_path(args.output, what="-o") as part:
            save_map(m, part)
    path = Path(args.output)
    print(f"{len(events)} {word} -> {path} ({path.stat().st_size / 1024:,.0f} KB)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from .run import run_all

    for raw in args.inputs:
        if not Path(raw).exists():
            raise InputError(f"input {raw!r} does not exist (expected a file or a folder of articles)")
    _columns(args)  # a bad mapping fails before the resolver is built
    with contextlib.ExitStack() as stack:
        client = resolver = None
        if args.dask:  # each worker builds its own resolver
            from .extract.on_dask import close_client

            client = _dask_client(args)
            stack.callback(close_client, client)
        else:
            resolver = _resolver(args)
        outputs = run_all(args.inputs, args.out, resolver=resolver, published=_published(args),
                          self_contained=not args.cdn, progress=not args.no_progress,
                          neutralize=not args.raw_csv, unit=args.unit, include_background=args.include_background,
                          settings=_settings(args), jobs=_job_count(args), columns=_columns(args), client=client,
                          aliases=args.aliases)
    print(f"{outputs.articles} articles ({outputs.processed} processed), {outputs.events} events in "
          f"{outputs.incidents} incidents, "
          f"{outputs.unresolved} unresolved place mentions")
    for name, path in outputs.files.items():
        print(f"  {name:22} {path}")
    for name, why in outputs.skipped.items():
        print(f"  {name:22} not written: {why}")
    if outputs.skip_reasons:
        _print_skips(outputs.skip_reasons)
        print(f"  (every skip and its reason: {outputs.files.get('manifest.csv', 'manifest.csv')})")
    if outputs.undated:
        print(_undated_hint(outputs.undated))
    print(f"Open {outputs.files['index.html']} in a browser: the report works offline.")
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from .census import census_status, fetch_census
    from .data import boundary_status, fetch_boundaries

    if args.data_command == "fetch":
        paths = fetch_boundaries(cache_dir=args.cache_dir, force=args.force)
        paths += fetch_census(cache_dir=args.cache_dir, force=args.force)
        for path in paths:
            print(f"ok  {path}")
        print(f"\n{len(paths)} files verified in {paths[0].parent}")
        return 0
    if args.data_command == "status":
        statuses = boundary_status(data_dir=args.data_dir)
        folder = statuses[0].path.parent
        print(f"boundary files in {folder}:")
        census_statuses = census_status(boundary_dir=args.data_dir)
        statuses += census_statuses
        print(_table([[s.file.level, s.file.name, "yes" if s.present else "no", s.detail,
                       str(s.path.parent) if s.path.parent != folder else ""] for s in statuses],
                     ["level", "file", "present", "check", "other folder"]))
        bad = [s for s in statuses if not s.verified]
        if bad:
            print("\nMissing or unverified files: run `geoconflict data fetch`, or set GEOCONFLICT_DATA_DIR "
                  "to a folder holding the pinned files.")
            return 1
        print("\nAll files present and verified.")
        return 0
    print("usage: geoconflict data {fetch,status}; see `geoconflict data --help`", file=sys.stderr)
    return 2


# --- incidents and ACLED comparison -------------------------------------------------------------------

def _add_incident_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    incidents = sub.add_parser(
        "incidents", help="merge the reports of one attack into incidents",
        description="Group an events table into incidents: events of the same district whose dates lie within "
                    "--window days, with compatible types, actors, tolls and targets, from different articles. "
                    "Each incident lists every report behind it and why they were merged (merge_reason). "
                    "Casualties: the lowest figure of the incident's own reports (ACLED's conservative rule; "
                    "--casualties latest takes the latest report's), with the range in killed_min/killed_max.",
        epilog="Examples:\n  geoconflict incidents events.csv -o incidents.csv\n"
               "  geoconflict incidents events.csv -o incidents_acled.csv --format acled",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    incidents.add_argument("events", metavar="EVENTS", help="events file (.csv, .geojson or .gpkg)")
    incidents.add_argument("-o", "--output", required=True, metavar="FILE",
                           help="incidents table (.csv; '-' for standard output)")
    incidents.add_argument("--format", choices=("geoconflict", "acled"), default="geoconflict",
                           help="columns: geoconflict's incidents table (default) or ACLED's layout")
    incidents.add_argument("--window", type=int, default=1, metavar="DAYS",
                           help="largest date difference between reports of one incident (default 1)")
    incidents.add_argument("--casualties", choices=("lowest", "latest"), default="lowest",
                           help="which report's toll an incident takes (default: lowest)")
    incidents.add_argument("--no-neighbours", action="store_true",
                           help="do not read the tehsil layer: reports in different tehsils stay apart")
    incidents.add_argument("--data-dir", metavar="DIR", help="folder holding the geoBoundaries files")
    incidents.add_argument("--districts", choices=("current", "adm2"), default=None,
                         help="district layer: today's districts (default, or GEOCONFLICT_LAYOUT) or the old ADM2 "
                              "file as published")

    compare = sub.add_parser(
        "compare", help="compare incidents with an ACLED export",
        description="Match incidents (or an events table, grouped first) with the events of an ACLED export "
                    "by district and date window, and write comparison.csv (matched, only_ours, only_acled and "
                    "out-of-scope rows), summary.csv (recall and precision against ACLED, deaths on matched "
                    "pairs) and map.html.",
        epilog="Example:\n  geoconflict compare incidents.csv acled.csv -o compare/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("incidents", metavar="INCIDENTS", help="incidents (or events) table")
    compare.add_argument("acled", metavar="ACLED", help="ACLED export (.csv)")
    compare.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    compare.add_argument("--window", type=int, default=1, metavar="DAYS",
                         help="largest date difference of a match (default 1)")
    compare.add_argument("--cdn", action="store_true",
                         help="link Leaflet from a CDN (needs internet); by default the map works offline")
    compare.add_argument("--self-contained", action="store_true", help="a map that works offline: the default now")
    compare.add_argument("--data-dir", metavar="DIR", help="folder holding the geoBoundaries files")
    compare.add_argument("--districts", choices=("current", "adm2"), default=None,
                         help="district layer: today's districts (default, or GEOCONFLICT_LAYOUT) or the old ADM2 "
                              "file as published")
    compare.add_argument("--no-neighbours", action="store_true",
                         help="when grouping an events table, keep reports in different tehsils apart")


def _map_unit(table: object, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The table the maps draw: incidents (default) or events as they are."""
    from .districts import load_admin_layers
    from .incidents import table_for_unit, tehsil_neighbours

    neighbours = None
    if args.unit == "incidents" and "incident_id" not in table and "event_id" in table:  # type: ignore[operator]
        neighbours = tehsil_neighbours(load_admin_layers(data_dir=args.data_dir,
                                                         district_source=args.districts).tehsils)
    return table_for_unit(table, args.unit, neighbours=neighbours)  # type: ignore[arg-type]


def _load_incidents(path: str, args: argparse.Namespace, *, casualties: str = "lowest",  # type: ignore[no-untyped-def]
                    events_only: bool = False):
    """An incidents table: read as it is, or grouped from an events table (with the tehsil neighbours).

    With ``events_only``, an incidents table given back raises InputError.
    """
    from .districts import load_admin_layers
    from .incidents import IncidentRules, incidents_from_events, tehsil_neighbours
    from .io import load_events

    table = load_events(path)
    if "incident_id" in table:
        if events_only:
            raise InputError(f"{path!r} looks like an incidents table already (it has an incident_id column): "
                             "give the events table")
        return table
    rules = IncidentRules(window_days=args.window, casualty_rule=casualties)  # type: ignore[arg-type]
    neighbours = None if args.no_neighbours else tehsil_neighbours(
        load_admin_layers(data_dir=args.data_dir, district_source=args.districts).tehsils)
    return incidents_from_events(table, rules=rules, neighbours=neighbours)


def _cmd_incidents(args: argparse.Namespace) -> int:
    from .acled import incidents_to_acled
    from .io import save_table

    if args.output == "-":
        return _csv_to_stdout(args, _cmd_incidents)
    if Path(args.output).suffix.lower() != ".csv":
        raise InputError(f"incidents are written as CSV: give an -o file ending in .csv, not {args.output!r}")
    incidents = _load_incidents(args.events, args, casualties=args.casualties, events_only=True)
    table = incidents_to_acled(incidents) if args.format == "acled" else incidents
    save_table(table, args.output)
    merged = int((incidents["n_events"] > 1).sum())
    events = int(incidents["n_events"].sum())
    print(f"{events} events -> {len(incidents)} incidents ({merged} merged from several reports) -> "
          f"{getattr(args, 'output_shown', args.output)}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from .acled import load_acled
    from .compare import compare_with_acled, save_comparison
    from .districts import load_districts

    incidents = _load_incidents(args.incidents, args)
    acled = load_acled(args.acled)
    settings = _settings(args)
    districts = load_districts(settings=settings)
    comparison = compare_with_acled(incidents, acled, window_days=args.window, districts=districts)
    files = save_comparison(comparison, args.output, self_contained=not args.cdn, settings=settings)
    s = comparison.summary
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.0f}%"

    print(f"{s.matched} matched, {s.only_ours} only in geoconflict, {s.only_acled} only in ACLED "
          f"(recall {pct(s.recall)}, precision {pct(s.precision)} against ACLED); "
          f"{s.out_of_scope_acled} ACLED rows and {s.out_of_scope_ours} incidents outside the common scope")
    if s.deaths_pairs:
        print(f"deaths on {s.deaths_pairs} matched pairs: {s.deaths_exact} equal, mean difference "
              f"{s.deaths_mean_abs_diff}, totals {s.deaths_ours} (geoconflict) / {s.deaths_acled} (ACLED)")
    for name, path in files.items():
        print(f"  {name:16} {path}")
    return 0


#: For each rate printed by evaluate, the count it is a share of: with none, the rate is "n/a".
_RATE_BASES = {"recall": ("gold",), "precision": ("predicted",), "f1": ("gold", "predicted"),
               "deaths_exact": ("deaths_stated",), "injured_exact": ("injured_stated",),
               "date_exact": ("dates_stated",), "actor_exact": ("matched",), "type_exact": ("matched",)}


def _scores_text(frame: Any, scores: Any) -> str:
    """The scores table as text: counts as integers, a rate of nothing as "n/a", other rates to 3 places."""
    text = frame.astype(object)
    for kind in frame.index:
        score = scores[kind]
        for column in frame.columns:
            value = frame.at[kind, column]
            if column in _RATE_BASES:
                bases = [getattr(score, name) for name in _RATE_BASES[column]]
                text.at[kind, column] = "n/a" if not any(bases) else f"{value:.3f}"
            else:
                text.at[kind, column] = str(int(value))
    return str(text.to_string())


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, scores_frame

    for raw in [args.gold, *args.articles]:
        if not Path(raw).exists():
            raise InputError(f"{raw!r} does not exist")
    province = None if args.province.lower() == "all" else args.province
    scores, places = evaluate(args.gold, args.articles, places=args.places, resolver=_resolver(args),
                              province=province)
    print(_scores_text(scores_frame(scores), scores))
    if places is not None:
        print(places.summary())
    if args.details:
        for kind, score in scores.items():
            for label, rows in (("missed", score.misses), ("not in gold", score.false_alarms),
                                ("wrong", score.wrong)):
                for row in rows:
                    print(f"  {kind:10} {label:11} {_printable(row)}")
        for row in places.errors if places is not None else []:
            print(f"  place      wrong       {_printable(row)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv
        Arguments without the program name; default ``sys.argv[1:]``.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    commands = {"resolve": _cmd_resolve, "extract": _cmd_extract, "check": _cmd_check, "map": _cmd_map,
                "run": _cmd_run, "data": _cmd_data, "incidents": _cmd_incidents, "compare": _cmd_compare,
                "evaluate": _cmd_evaluate}
    if args.command not in commands:
        parser.print_help()
        return 2
    previous = _exit_on_sigterm()
    try:
        return commands[args.command](args)
    except GeoconflictError as exc:
        print(f"geoconflict: error: {_printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("geoconflict: interrupted; no output file was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a read-only folder, a full disk...
        where = f" {str(exc.filename)!r}" if exc.filename else ""
        print(f"geoconflict: error:{_printable(where)} {exc.strerror or exc}", file=sys.stderr)
        return 1
    except RecursionError as exc:
        print(f"geoconflict: error: input nested too deeply to process ({exc})", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm() -> Any:
    """Turn SIGTERM into KeyboardInterrupt, so temporary files are removed as for Ctrl-C.

    Returns the previous handler (None when handlers cannot be set here).
    """
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (e.g. called from a test runner thread)
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
