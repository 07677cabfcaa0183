"""The ``geoconflict`` command line.

Every subcommand is a thin layer over the library: it parses options, calls
one library function and prints. Library errors become a one-line message on
standard error and exit code 1; nothing else is printed by library code.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

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


def _add_gazetteer_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("gazetteer")
    group.add_argument("--data-dir", metavar="DIR",
                       help="folder holding the geoBoundaries files (default: GEOCONFLICT_DATA_DIR or cache)")
    group.add_argument("--aliases", metavar="FILE",
                       help="your own aliases: CSV with columns alias,target (target = a district or place)")
    group.add_argument("--districts", choices=("current", "adm2"), default="current",
                       help="district layer: today's districts (default) or the old ADM2 file as published")
    group.add_argument("--bias", default=config.PROVINCE, metavar="PROVINCE",
                       help="province preferred when names tie (default: Balochistan; 'none' for no preference)")
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
    resolve.add_argument("--file", metavar="FILE", help="text file with one place name per line")
    resolve.add_argument("--format", choices=("table", "json", "csv"), default="table",
                         help="output format (default: table)")
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
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders ('-' for stdin)")
    extract.add_argument("-o", "--output", required=True, metavar="FILE",
                         help="events file: .csv, .geojson or .gpkg")
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
    check.add_argument("--file", metavar="FILE", help="text file with one place name per line")
    check.add_argument("--name", action="append", default=[], metavar="NAME", help="a place name (repeatable)")
    check.add_argument("--format", choices=("table", "json", "csv"), default="table")
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
               "  geoconflict map acled.csv --kind points --color-by event_type --self-contained -o maps/p.html",
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
    map_parser.add_argument("--self-contained", action="store_true",
                            help="inline every script and style, no basemap: the file works offline")
    map_parser.add_argument("--title", help="map title")
    map_parser.add_argument("--data-dir", metavar="DIR", help="folder holding the geoBoundaries files")
    map_parser.add_argument("--districts", choices=("current", "adm2"), default="current")
    map_parser.add_argument("--layout", default="current", metavar="LAYOUT",
                            help="Balochistan districts to draw and count by: current (default), provisional, "
                                 "2017-census, 2023-census or a date YYYY-MM-DD (the layout in force then), so a "
                                 "time series is drawn on one consistent set of polygons")

    run = sub.add_parser(
        "run", help="articles -> events, unresolved names, manifest and every map, in one folder",
        description="Extract events from articles and write, into --out: events.csv and .geojson, "
                    "unresolved.csv, manifest.csv, mentions.csv, five HTML maps, two PNG figures and an "
                    "index.html linking them.",
        epilog="Example:\n  geoconflict run examples/articles --out maps/example   (then open "
               "maps/example/index.html)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder")
    run.add_argument("--self-contained", action="store_true", help="maps that work offline (no CDN, no basemap)")
    run.add_argument("--published", metavar="DATE", help="publication date for articles that state none")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    _add_gazetteer_options(run)

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
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError as exc:
            raise InputError(f"cannot read {args.file!r}: {exc.strerror or exc}") from exc
        names.extend(line.strip() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))
    if not names:
        raise InputError("no place names given: pass names as arguments or --file FILE")
    return names


def _resolver(args: argparse.Namespace) -> Resolver:
    from .resolver import Resolver

    bias = None if str(args.bias).lower() == "none" else args.bias
    resolver = Resolver.from_gazetteer(data_dir=args.data_dir, aliases=args.aliases,
                                       district_source=args.districts, bias=bias)
    if getattr(args, "geocode", None):
        from .districts import load_admin_layers
        from .geocoder import GeocoderFallback

        layers = load_admin_layers(data_dir=args.data_dir, district_source=args.districts)
        resolver.geocoder = GeocoderFallback(args.geocode, layers)
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
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * max(w, len(h)) for h, w in zip(header, widths)))
    for row in rows:
        cells = [_clip(str(c), w) if w else str(c) for c, w in zip(row, widths)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "\u2026"


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
        json.dump([r.to_dict() for r in results], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(RESOLUTION_COLUMNS))
        writer.writeheader()
        writer.writerows(_flat(r) for r in results)
    else:
        rows = [[r.query, r.status, r.admin1 or "", r.admin2 or "", r.admin3 or "",
                 "" if r.geo_precision is None else str(r.geo_precision), r.method,
                 f"{r.score:.0f}", r.reason or ""] for r in results]
        print(_table(rows, ["query", "status", "province", "district", "tehsil", "prec", "method", "score",
                            "note"]))
        counts = Counter(r.status for r in results)
        print(f"\n{len(results)} names: {counts['resolved']} resolved, {counts['ambiguous']} ambiguous, "
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
    """Number of files under the inputs, for the progress bar (None when unknown)."""
    total = 0
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file())
        elif path.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".json") or raw == "-":
            return None
        else:
            total += 1
    return total


def _stream(args: argparse.Namespace, resolver: Resolver):  # type: ignore[no-untyped-def]
    from tqdm.auto import tqdm

    from .extract.pipeline import iter_extractions

    for raw in args.inputs:
        if raw != "-" and not Path(raw).exists():
            raise InputError(f"input {raw!r} does not exist (expected a file or a folder of articles)")
    stream = iter_extractions(args.inputs, resolver=resolver, published=_published(args))
    show = not getattr(args, "no_progress", False)
    return tqdm(stream, desc="articles", unit="article", total=_count_inputs(args.inputs),
                disable=None if show else True)


def _cmd_extract(args: argparse.Namespace) -> int:
    import pandas as pd

    from .extract.events import ArticleEvents
    from .extract.pipeline import manifest_row, mention_rows, unresolved_rows
    from .io import EventCsvWriter, event_format, save_events, save_table
    from .schema import ALL_MENTION_COLUMNS, MANIFEST_COLUMNS, MENTION_COLUMNS, events_to_frame

    fmt = event_format(args.output)
    resolver = _resolver(args)
    manifest: list[dict[str, object]] = []
    unresolved: list[dict[str, object]] = []
    mentions: list[dict[str, object]] = []
    kept = []
    writer = EventCsvWriter(args.output) if fmt == "csv" else None
    try:
        for item in _stream(args, resolver):
            manifest.append(manifest_row(item))
            if isinstance(item, ArticleEvents):
                if writer is not None:
                    writer.write(e.to_dict() for e in item.events)
                else:
                    kept.extend(item.events)
                unresolved.extend(unresolved_rows(item))
                if args.mentions:
                    mentions.extend(mention_rows(item))
    finally:
        if writer is not None:
            writer.close()
    events_written = writer.count if writer is not None else len(kept)
    if writer is None:
        save_events(events_to_frame(kept), args.output)
    if args.unresolved:
        save_table(pd.DataFrame(unresolved, columns=list(MENTION_COLUMNS)), args.unresolved)
    if args.manifest:
        save_table(pd.DataFrame(manifest, columns=list(MANIFEST_COLUMNS)), args.manifest)
    if args.mentions:
        save_table(pd.DataFrame(mentions, columns=list(ALL_MENTION_COLUMNS)), args.mentions)
    processed = sum(1 for m in manifest if m["status"] == "processed")
    skipped = len(manifest) - processed
    print(f"{len(manifest)} articles: {processed} processed, {skipped} skipped; {events_written} events "
          f"-> {args.output}")
    print(f"{len(unresolved)} place mentions unresolved"
          + (f" -> {args.unresolved}" if args.unresolved else " (see them with --unresolved FILE or "
             "`geoconflict check`)"))
    if skipped:
        reasons = Counter(str(m["reason"]) for m in manifest if m["status"] == "skipped")
        for reason, count in reasons.most_common(5):
            print(f"  skipped {count}: {reason}")
        if not args.manifest:
            print("  (write every skip and its reason with --manifest FILE)")
    return 0


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
        json.dump([{"name": n, "count": c, "status": st, "candidates": cand, "reason": why}
                   for n, c, st, cand, why in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "count", "status", "candidates", "reason"])
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
    else:
        if rows:
            print(_table([[n, str(c), st, cand or "-", why] for n, c, st, cand, why in rows],
                         ["name", "count", "status", "best candidates", "reason"]))
        print(f"\n{len(rows)} distinct place names did not resolve."
              + (" Add aliases in a CSV (alias,target) and pass it with --aliases." if rows else ""))
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
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

    events = load_events(args.events)
    source = args.districts
    if args.layout != "current":
        from .layouts import events_in_layout

        if args.districts == "adm2":
            raise InputError("--layout chooses Balochistan districts from tehsils; it cannot be combined with "
                             "--districts adm2")
        events = events_in_layout(events, args.layout)
        source = args.layout
    common = {"provinces": args.provinces, "data_dir": args.data_dir, "district_source": source,
              "title": args.title}
    suffix = Path(args.output).suffix.lower()
    if args.kind in ("png", "multiples"):
        if suffix != ".png":
            raise InputError(f"--kind {args.kind} writes a PNG: give an -o file ending in .png, not {args.output!r}")
        if args.kind == "png":
            figure = plot_choropleth(events, value=args.value, **common)
        else:
            figure = plot_small_multiples(events, value=args.value, period=args.period or "year", **common)
        path = save_figure(figure, args.output)
    else:
        if suffix != ".html":
            raise InputError(f"--kind {args.kind} writes an HTML map: give an -o file ending in .html, "
                             f"not {args.output!r}")
        extra = {"self_contained": args.self_contained, **common}
        period = args.period or "month"
        if args.kind == "choropleth":
            m = render_choropleth(events, value=args.value, **extra)
        elif args.kind == "timeline":
            m = render_timeline(events, value=args.value, period=period, **extra)
        elif args.kind == "points":
            m = render_points(events, color_by=args.color_by, **extra)
        else:
            m = render_points_timeline(events, period=period, color_by=args.color_by, **extra)
        path = save_map(m, args.output)
    print(f"{len(events)} events -> {path} ({path.stat().st_size / 1024:,.0f} KB)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from .run import run_all

    for raw in args.inputs:
        if not Path(raw).exists():
            raise InputError(f"input {raw!r} does not exist (expected a file or a folder of articles)")
    outputs = run_all(args.inputs, args.out, resolver=_resolver(args), published=_published(args),
                      self_contained=args.self_contained, progress=not args.no_progress,
                      data_dir=args.data_dir, district_source=args.districts)
    print(f"{outputs.articles} articles ({outputs.processed} processed), {outputs.events} events, "
          f"{outputs.unresolved} unresolved place mentions")
    for name, path in outputs.files.items():
        print(f"  {name:22} {path}")
    for name, why in outputs.skipped.items():
        print(f"  {name:22} not written: {why}")
    print(f"Open {outputs.files['index.html']} in a browser.")
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
        census_statuses = census_status(data_dir=args.data_dir)
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
                "run": _cmd_run, "data": _cmd_data}
    if args.command not in commands:
        parser.print_help()
        return 2
    try:
        return commands[args.command](args)
    except GeoconflictError as exc:
        print(f"geoconflict: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("geoconflict: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
