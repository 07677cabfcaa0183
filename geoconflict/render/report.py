"""The run report: one self-contained HTML page that sums up a run for a reader or an editor.

Headline numbers, a chart of events per month by actor, the maps, a sortable
and filterable table of events with their evidence and sources, the place names
that did not resolve (with a ready-to-fill aliases CSV) and the manifest of
inputs. Article text reaches the page only as escaped text or as JSON read by
the page's script into ``textContent``; the page makes no network request.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ._base import CATEGORY_COLORS, OTHER_COLOR, date_range_text, main_reports, plural
from ._context import CREDITS
from ._data import all_periods, period_of, script_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Report", "aliases_template", "report_html"]

#: Event columns shown in the report's table, with their headings.
TABLE_COLUMNS = {
    "date_start": "Date", "admin2": "District", "location": "Place as written", "actor": "Actor",
    "event_type": "Type", "killed": "Killed", "injured": "Injured", "evidence": "Evidence",
    "reported_as": "Reported as",
}
EVIDENCE_CHARS = 600
CHART_ACTORS = 8


@dataclass
class Report:
    """What the report page shows, gathered by :func:`geoconflict.run.run_all`."""

    events: pd.DataFrame
    unresolved: pd.DataFrame
    manifest: pd.DataFrame
    maps: list[tuple[str, str]] = field(default_factory=list)  # (file, title), in the order shown
    figures: list[tuple[str, str]] = field(default_factory=list)  # (png file, caption)
    files: list[str] = field(default_factory=list)  # tables and other files written
    skipped: dict[str, str] = field(default_factory=dict)  # output -> why it was not written
    title: str = "Attacks reported in the news"
    include_background: bool = False  # count events reported only as background in the numbers and chart
    incidents: int | None = None  # incidents the events group into (reports of one attack merged)
    counted: pd.DataFrame | None = None  # what the numbers and chart count (the incidents); None: the events


@lru_cache(maxsize=1)
def _static() -> tuple[str, str]:
    folder = resources.files("geoconflict.render").joinpath("static")
    js = folder.joinpath("report.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = folder.joinpath("report.css").read_text(encoding="utf-8")
    return js, css


def _n(value: Any) -> int | None:
    import pandas as pd

    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else int(number)


def _text(value: Any, limit: int | None = None) -> str | None:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "\u2026"


def headline(events: pd.DataFrame, manifest: pd.DataFrame) -> dict[str, str]:
    """The report's headline numbers, as labelled strings."""
    import pandas as pd

    processed = int((manifest["status"] == "processed").sum()) if "status" in manifest else len(manifest)
    killed = pd.to_numeric(events.get("killed"), errors="coerce") if len(events) else pd.Series(dtype=float)
    injured = pd.to_numeric(events.get("injured"), errors="coerce") if len(events) else pd.Series(dtype=float)
    districts = events["admin2"].dropna().nunique() if "admin2" in events else 0
    when = date_range_text(events["date_start"]) if "date_start" in events else ""
    return {
        "Reports read": f"{processed} of {len(manifest)}",
        "Events": str(len(events)),
        "Killed": str(int(killed.sum(min_count=1))) if killed.notna().any() else "0",
        "Injured": str(int(injured.sum(min_count=1))) if injured.notna().any() else "0",
        "Dates": when or "none known",
        "Districts affected": str(districts),
    }


def actor_chart_svg(events: pd.DataFrame, unit: str = "Events") -> str:
    """An SVG bar chart of ``unit`` (rows of ``events``) per month, stacked by actor (escaped, no script)."""
    import pandas as pd

    dates = pd.to_datetime(events.get("date_start"), errors="coerce") if len(events) else pd.Series(dtype="datetime64[ns]")
    months = all_periods(dates, "month")
    if not months:
        return "<p>No event has a date, so there is no chart over time.</p>"
    actors = events["actor"].fillna("unknown").astype(str)
    ranked = list(actors.value_counts().index)
    shown = ranked[:CHART_ACTORS]
    group = actors.where(actors.isin(shown), "other")
    order = shown + (["other"] if len(ranked) > len(shown) else [])
    colors = dict(zip(order, [*CATEGORY_COLORS[: len(shown)], OTHER_COLOR]))
    table = pd.crosstab(period_of(dates, "month"), group).reindex(index=months, columns=order, fill_value=0)
    width, height, left, bottom = 760, 220, 34, 34
    top = max(1, int(table.sum(axis=1).max()))
    step = (width - left - 8) / len(months)
    opening = (f'<svg class="gc-actor-chart" viewBox="0 0 {width} {height + 30}" role="img" '
               f'aria-label="{html.escape(unit)} per month by actor">')
    parts = [opening]
    for tick in sorted({0, top // 2, top}):
        y = height - bottom - (height - bottom - 10) * tick / top
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    every = max(1, len(months) // 12)
    for i, month in enumerate(months):
        base = float(height - bottom)
        x = left + i * step + step * 0.1
        for actor in order:
            count = int(table.loc[month, actor])
            if not count:
                continue
            h = (height - bottom - 10) * count / top
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" '
                         f'fill="{colors[actor]}"><title>{html.escape(month)}: {count} '
                         f'{html.escape(actor)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + step * 0.4:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                         f'{html.escape(month)}</text>')
    x = float(left)
    for actor in order:
        label = html.escape(actor)
        parts.append(f'<rect x="{x}" y="{height + 8}" width="10" height="10" fill="{colors[actor]}"/>'
                     f'<text x="{x + 14}" y="{height + 17}">{label}</text>')
        x += 24 + 7 * len(actor)
    parts.append("</svg>")
    return "".join(parts)


def aliases_template(unresolved: pd.DataFrame) -> str:
    """A CSV (``alias,target``) with one row per unresolved name and the target left to fill in."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["alias", "target"])
    if len(unresolved):
        for name in dict.fromkeys(str(n) for n in unresolved["mention"].dropna()):
            writer.writerow([name, ""])
    return out.getvalue()


def _event_rows(events: pd.DataFrame) -> dict[str, Any]:
    columns = [c for c in TABLE_COLUMNS if c in events.columns]
    rows = []
    for record in events.to_dict("records"):
        row: list[Any] = []
        for column in columns:
            value = record.get(column)
            if column in ("killed", "injured"):
                row.append(_n(value))
            elif column == "admin2":
                row.append(_text(value) or (_text(record.get("admin1")) and f"{record.get('admin1')} (province only)"))
            else:
                row.append(_text(value, EVIDENCE_CHARS if column == "evidence" else 300))
        row.append([_text(record.get("article_id"), 200), _text(record.get("title"), 300),
                    _text(record.get("url"), 500)])
        rows.append(row)
    return {"columns": [TABLE_COLUMNS[c] for c in columns] + ["Source"], "numeric": ["Killed", "Injured"],
            "rows": rows}


def _table(frame: pd.DataFrame, columns: dict[str, str], cls: str) -> str:
    e = html.escape
    head = "".join(f"<th>{e(label)}</th>" for label in columns.values())
    body = []
    for record in frame.to_dict("records"):
        cells = "".join(f'<td dir="auto">{e(_text(record.get(c)) or "")}</td>' for c in columns)
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def report_html(report: Report) -> str:
    """The report page as one HTML string (styles, script and data inline).

    Returns
    -------
    str
        A complete HTML document; it loads only the sibling map and figure files.
    """
    import pandas as pd

    e = html.escape
    js, css = _static()
    events, unresolved, manifest = report.events, report.unresolved, report.manifest
    main_events, background = main_reports(events, include_background=report.include_background)
    # Killed, injured and the chart count incidents when given: one attack told by five outlets is counted once.
    unit = "Events" if report.counted is None else "Incidents"
    counted = main_events if report.counted is None else main_reports(
        report.counted, include_background=report.include_background)[0]
    figures = {**headline(counted, manifest), "Events": str(len(main_events))}
    if report.incidents is not None:
        # the counted incidents without the background-only ones, like the chart and the maps
        shown = len(counted) if report.counted is not None else report.incidents
        figures = {**figures, "Incidents": plural(shown, "incident")}
    numbers = "".join(f'<div class="gc-number"><div class="gc-number-value">{e(v)}</div>'
                      f'<div class="gc-number-label">{e(k)}</div></div>' for k, v in figures.items())
    background_note = (f'<p class="gc-note">{plural(background, "event")} reported only as background (earlier '
                       f"incidents an article recalls) {'is' if background == 1 else 'are'} in the table below but not "
                       "in these numbers, the chart or the maps.</p>" if background else "")
    maps = []
    for i, (file, title) in enumerate(report.maps):
        if i < 2:
            maps.append(f'<figure class="gc-map"><iframe src="{e(file)}" title="{e(title)}" loading="lazy"></iframe>'
                        f'<figcaption><a href="{e(file)}">{e(title)}</a> (open full page)</figcaption></figure>')
    more = "".join(f'<li><a href="{e(file)}">{e(title)}</a></li>' for file, title in report.maps[2:])
    figures = "".join(f'<figure class="gc-figure"><a href="{e(file)}"><img src="{e(file)}" alt="{e(caption)}"></a>'
                      f"<figcaption>{e(caption)}</figcaption></figure>" for file, caption in report.figures)
    files = "".join(f'<li><a href="{e(name)}">{e(name)}</a></li>' for name in report.files)
    skipped_outputs = "".join(f"<li>{e(k)}: {e(v)}</li>" for k, v in report.skipped.items())
    if len(unresolved):
        unresolved_table = _table(unresolved, {"mention": "Name", "article_id": "Article", "sentence": "Sentence",
                                               "reason": "Why not resolved", "candidates": "Closest candidates"},
                                  "gc-unresolved")
        aliases = aliases_template(unresolved)
        unresolved_block = (
            f"<p>{plural(len(unresolved), 'place mention')} ({plural(unresolved['mention'].nunique(), 'name')}) "
            "did not resolve. Their events may be placed only on a district or the province. Fill in the "
            "<code>target</code> column (a district or a place geoconflict knows) and run again with "
            "<code>--aliases aliases.csv</code>.</p>" + unresolved_table +
            '<h3>Aliases to fill in</h3><textarea id="gc-aliases" rows="6" readonly spellcheck="false">'
            f"{e(aliases)}</textarea>"
            '<p><button type="button" id="gc-copy-aliases">Copy</button> '
            f'<a download="aliases.csv" href="data:text/csv;charset=utf-8,{e(_uri(aliases))}">Save as aliases.csv</a>'
            ' <span id="gc-copy-status" role="status"></span></p>')
    else:
        unresolved_block = "<p>Every place name resolved.</p>"
    skipped_inputs = manifest[manifest["status"] != "processed"] if "status" in manifest else manifest.iloc[0:0]
    manifest_block = (f"<p>{plural(len(manifest), 'input')}: "
                      f"{len(manifest) - len(skipped_inputs)} processed, {len(skipped_inputs)} skipped.</p>")
    if len(skipped_inputs):
        manifest_block += _table(skipped_inputs, {"article_id": "Input", "origin": "From", "reason": "Why skipped",
                                                  "notes": "Notes"}, "gc-manifest")
    undated = int(pd.to_datetime(counted.get("date_start"), errors="coerce").isna().sum()) if len(counted) else 0
    published_hint = (f"<p>{plural(undated, unit.lower()[:-1], unit.lower())} {'have' if undated != 1 else 'has'} no date: give the "
                      "publication date of undated articles with <code>--published YYYY-MM-DD</code>.</p>"
                      if undated else "")
    credits = "".join(f'<li><a href="{e(url)}">{e(text)}</a></li>' for text, url in CREDITS)
    when = headline(counted, manifest)["Dates"]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(report.title)}</title><style>{css}</style></head><body>
<header><h1>{e(report.title)}</h1><p class="gc-sub">{e(when)} \u00b7 made with geoconflict from the reports listed below</p></header>
<section id="numbers" class="gc-numbers">{numbers}</section>{background_note}
<section id="chart"><h2>{unit} per month, by actor</h2>{actor_chart_svg(counted, unit)}{published_hint}</section>
<section id="maps"><h2>Maps</h2><div class="gc-maps">{''.join(maps) or '<p>No maps were made.</p>'}</div>
{f'<ul>{more}</ul>' if more else ''}<div class="gc-figures">{figures}</div>
{f'<h3>Not produced</h3><ul>{skipped_outputs}</ul>' if skipped_outputs else ''}</section>
<section id="events"><h2>Events</h2>
<div class="gc-filters"><label>Filter <input type="search" id="gc-filter" placeholder="any word: district, actor, text"></label>
<label>Actor <select id="gc-actor"><option value="">all</option></select></label>
<label>District <select id="gc-district"><option value="">all</option></select></label>
<span id="gc-count" role="status"></span></div>
<div class="gc-table-wrap"><table id="gc-events"><thead></thead><tbody></tbody></table></div>
<p>Click a column heading to sort. Download: <a href="events.csv">events.csv</a>, <a href="events.geojson">events.geojson</a>.</p></section>
<section id="unresolved"><h2>Place names to check</h2>{unresolved_block}</section>
<section id="manifest"><h2>Inputs (manifest)</h2>{manifest_block}</section>
<section id="files"><h2>Files</h2><ul>{files}</ul></section>
<footer><h2>Sources</h2><ul>{credits}</ul></footer>
<script type="application/json" id="gc-report-data">{script_json(_event_rows(events))}</script>
<script>{js}</script>
</body></html>
"""


def _uri(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
