"""The incidents table: one row per incident, summarised from its member rows."""

from __future__ import annotations

import hashlib
from itertools import groupby
from typing import TYPE_CHECKING

from ._grouping import Incident, Rows, day_text
from .incidents import (
    DATE_RANK,
    GENERIC_TYPES,
    INCIDENT_COLUMNS,
    TYPE_ORDER,
    UNKNOWN_ACTORS,
    CasualtyRule,
    IncidentRules,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

def _incident_id(event_ids: list[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(event_ids)).encode("utf-8")).hexdigest()
    return f"inc-{digest[:12]}"


def _most_common(values: pd.Series, groups: pd.Series, order: pd.Series | None = None) -> pd.Series:
    """Per group, the most common value (ties: lowest ``order``, then first value)."""
    import pandas as pd

    frame = pd.DataFrame({"g": groups.to_numpy(), "v": values.to_numpy(),
                          "o": (order if order is not None else pd.Series(0, index=values.index)).to_numpy()})
    frame = frame[frame["v"].notna() & (frame["v"].astype(str) != "")]
    if frame.empty:
        return pd.Series(dtype=object)
    counts = frame.groupby(["g", "v"], sort=False).agg(n=("v", "size"), o=("o", "min")).reset_index()
    counts = counts.sort_values(["g", "n", "o", "v"], ascending=[True, False, True, True], kind="mergesort")
    return counts.drop_duplicates("g").set_index("g")["v"]



def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    import pandas as pd

    if column not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("").str.strip()


def summarise(frame: pd.DataFrame, rows: Rows, label: np.ndarray, incidents: list[Incident],
               rules: IncidentRules) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    g = pd.Series(label, index=frame.index, name="g")
    published = _text(frame, "published").str.slice(0, 10)
    pub_key = published.where(published != "", "9999-99-99")  # undated reports sort last
    background = pd.Series(rows.background, index=frame.index)
    main = ~background
    date_rank = pd.Series([DATE_RANK.get(p, 5) if d else 5 for p, d in zip(rows.precision_text, rows.dated)],
                          index=frame.index)
    geo = pd.Series(rows.geo, index=frame.index)
    event_id = pd.Series(rows.event_id, index=frame.index, dtype=object)
    article = pd.Series(rows.article_id, index=frame.index, dtype=object)
    source = _text(frame, "source")
    location = _text(frame, "location")
    # Report order inside an incident: main reports first, then by publication date, article, event.
    report_order = pd.DataFrame({"g": label, "bg": background.to_numpy(), "p": pub_key.to_numpy(),
                                 "a": article.to_numpy(), "e": event_id.to_numpy()}).sort_values(
        ["g", "bg", "p", "a", "e"], kind="mergesort")
    rank = pd.Series(np.arange(len(report_order)), index=report_order.index).sort_index()
    out = pd.DataFrame(index=pd.RangeIndex(len(incidents)))
    by = frame.groupby(g, sort=True)

    # The representative row for place: finest geo precision, most named place, main first, earliest report.
    place_count = location.groupby([g, location]).transform("size")
    loc_order = pd.DataFrame({"g": label, "geo": geo.to_numpy(), "n": -place_count.to_numpy(),
                              "rank": rank.to_numpy()}).sort_values(["g", "geo", "n", "rank"], kind="mergesort")
    first_rows = loc_order.drop_duplicates("g")
    place_row = pd.Series(first_rows.index.to_numpy(), index=first_rows["g"].to_numpy())
    for column in ("location", "admin1", "admin2", "admin2_id", "admin3", "latitude", "longitude", "evidence",
                   "title", "url"):
        values = frame[column] if column in frame else pd.Series(None, index=frame.index, dtype=object)
        out[column] = values.loc[place_row.to_numpy()].to_numpy()
    out["geo_precision"] = geo.loc[place_row.to_numpy()].to_numpy()

    # Date: the most common start among the reports with the finest date precision.
    best_rank = date_rank.groupby(g).transform("min")
    finest = date_rank == best_rank
    # A span as one integer (start day * 2**20 + length), so the most common span is found without strings.
    span = (np.array(rows.start, dtype=np.int64) << 20) + (np.array(rows.end, dtype=np.int64)
                                                          - np.array(rows.start, dtype=np.int64))
    dated_finest = finest & pd.Series(rows.dated, index=frame.index)
    chosen = _most_common(pd.Series(span, index=frame.index).where(dated_finest), g, rank).reindex(out.index)
    spans = [None if pd.isna(v) else int(v) for v in chosen.tolist()]
    out["date_start"] = [None if v is None else day_text(v >> 20) for v in spans]
    out["date_end"] = [None if v is None else day_text((v >> 20) + (v & (2**20 - 1))) for v in spans]
    out["event_date"] = out["date_start"]
    precision_names = {v: k for k, v in DATE_RANK.items()}
    out["date_precision"] = best_rank.groupby(g).first().map(precision_names).to_numpy()

    actor_text = pd.Series(rows.actor, index=frame.index, dtype=object)
    actor = actor_text.where(~actor_text.str.lower().isin(UNKNOWN_ACTORS), None)
    out["actor"] = _most_common(actor, g, rank).reindex(out.index).fillna("unknown").to_numpy()
    kind = pd.Series(rows.event_type, index=frame.index, dtype=object)
    type_order = kind.map({t: n for n, t in enumerate(TYPE_ORDER)}).fillna(len(TYPE_ORDER)) * 10**7 + rank
    kind_known = kind.where(~kind.str.lower().isin(GENERIC_TYPES), None)
    out["event_type"] = _most_common(kind_known, g, type_order).reindex(out.index).fillna("other").to_numpy()
    sub = _text(frame, "acled_sub_event_type")
    typed = pd.DataFrame({"g": label, "t": kind.to_numpy(), "s": sub.to_numpy(), "r": rank.to_numpy()})
    typed = typed.sort_values("r").drop_duplicates(["g", "t"])
    sub_of = dict(zip(zip(typed["g"].tolist(), typed["t"].tolist()), typed["s"].tolist()))
    out["acled_sub_event_type"] = [sub_of.get(p) or "Other" for p in zip(out.index.tolist(), out["event_type"])]
    target = pd.Series(rows.target, index=frame.index, dtype=object)
    out["target"] = _most_common(target.where(target != "", None), g, rank).reindex(out.index).to_numpy()

    # Casualties.
    counts = {c: pd.to_numeric(frame[c], errors="coerce") if c in frame else pd.Series(np.nan, index=frame.index)
              for c in ("killed", "injured", "killed_civilians", "killed_security", "killed_militants")}
    for column in ("killed", "injured"):
        values = counts[column]
        out[f"{column}_min"] = values.groupby(g).min().reindex(out.index).to_numpy()
        out[f"{column}_max"] = values.groupby(g).max().reindex(out.index).to_numpy()
    killed_row = _casualty_rows(counts["killed"], g, main, rank, rules.casualty_rule)
    injured_row = _casualty_rows(counts["injured"], g, main, rank, rules.casualty_rule)
    out["killed"] = counts["killed"].reindex(killed_row.reindex(out.index).to_numpy()).to_numpy()
    out["injured"] = counts["injured"].reindex(injured_row.reindex(out.index).to_numpy()).to_numpy()
    for column in ("killed_civilians", "killed_security", "killed_militants"):
        out[column] = counts[column].reindex(killed_row.reindex(out.index).to_numpy()).to_numpy()

    # Reports.
    ordered = report_order.index
    first_per_article = ~report_order.duplicated(["g", "a"])
    rep = pd.DataFrame({"g": label[ordered], "a": article.loc[ordered].to_numpy(),
                        "s": source.loc[ordered].to_numpy(), "p": published.loc[ordered].to_numpy(),
                        "bg": background.loc[ordered].to_numpy()})[first_per_article.to_numpy()]
    rep["text"] = (rep["a"] + " (" + rep["s"].where(rep["s"] != "", "source unknown") + ", "
                   + rep["p"].where(rep["p"] != "", "date unknown")
                   + np.where(rep["bg"], ", background", "") + ")")
    rep_by = rep.groupby("g", sort=True)
    out["n_reports"] = rep_by.size().reindex(out.index).to_numpy()
    out["n_events"] = by.size().reindex(out.index).to_numpy()
    out["article_ids"] = _joined(rep["g"], rep["a"], len(out))
    srcs = rep[rep["s"] != ""].drop_duplicates(["g", "s"])
    out["sources"] = _joined(srcs["g"], srcs["s"], len(out))
    out["reports"] = _joined(rep["g"], rep["text"], len(out))
    out["event_ids"] = _joined(pd.Series(label[ordered]), event_id.loc[ordered], len(out))
    dated = pd.DataFrame({"g": label, "p": published.to_numpy()})
    dated = dated[dated["p"] != ""].sort_values(["g", "p"], kind="mergesort")
    first = dated.drop_duplicates("g", keep="first").set_index("g")["p"]
    last = dated.drop_duplicates("g", keep="last").set_index("g")["p"]
    out["first_report"] = first.reindex(out.index).to_numpy()
    out["last_report"] = last.reindex(out.index).to_numpy()
    out["reported_as"] = np.where(main.groupby(g).any().reindex(out.index).to_numpy(), "main", "background")
    out["merge_reason"] = ["; ".join(inc.reasons) if len(inc.members) > 1 else inc.reasons[0] for inc in incidents]
    out["incident_id"] = [_incident_id(ids.split("; ")) for ids in out["event_ids"]]

    for column in ("killed", "killed_min", "killed_max", "injured", "injured_min", "injured_max",
                   "killed_civilians", "killed_security", "killed_militants", "geo_precision", "n_reports",
                   "n_events"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    return in_incident_order(out)


def in_incident_order(table: pd.DataFrame) -> pd.DataFrame:
    """The incidents table's columns and row order: by date, then province, district and id (unique)."""
    table = table.sort_values(["date_start", "admin1", "admin2", "incident_id"], na_position="last", kind="mergesort")
    return table[list(INCIDENT_COLUMNS)].reset_index(drop=True)


def _joined(groups: pd.Series, values: pd.Series, size: int) -> list[str | None]:
    """"; "-joined values per group 0..size-1 (rows already sorted by group); None for empty groups."""
    out: list[str | None] = [None] * size
    pairs = zip(groups.tolist(), values.tolist())
    for key, members in groupby(pairs, key=lambda pair: pair[0]):
        out[int(key)] = "; ".join(str(v) for _, v in members)
    return out


def _casualty_rows(values: pd.Series, groups: pd.Series, main: pd.Series, rank: pd.Series,
                   rule: CasualtyRule) -> pd.Series:
    """Per group, the index of the row whose figure the incident takes (missing when none states one)."""
    import pandas as pd

    frame = pd.DataFrame({"g": groups, "v": values, "bg": ~main, "r": rank})
    frame = frame[frame["v"].notna()]
    if rule == "lowest":
        # Main reports first; among them the lowest figure; ties: the earliest report.
        frame = frame.sort_values(["g", "bg", "v", "r"], kind="mergesort")
    else:
        # The latest report stating a figure (main reports first).
        frame = frame.sort_values(["g", "bg", "r"], ascending=[True, True, False], kind="mergesort")
    first = frame.drop_duplicates("g")
    return pd.Series(first.index.to_numpy(), index=first["g"].to_numpy())


