"""Dates: publication dates, and the date of an event as a sentence states it.

Event dates are :class:`DateSpan` values with ACLED-like precision: ``day``,
``range`` (several days), ``week``, ``month``, ``year`` or ``unknown``.
Relative expressions ("on Saturday", "Tuesday night", "yesterday") are
resolved against the publication date ("a day earlier" against the incident
told before it, when its day is known); a day and month
without a year take the year that puts them on or before publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .prefilter import compile_prefiltered

__all__ = ["UNKNOWN", "DateSpan", "dateline_length", "find_event_date", "find_publication_date", "parse_date",
           "strip_dateline"]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH = r"(?P<{}>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"


def _m(name: str) -> str:
    return _MONTH.format(name)


def _d(name: str) -> str:
    return _DAY.format(name)


def _y(name: str) -> str:
    return _YEAR.format(name)


@dataclass(frozen=True)
class DateSpan:
    """A date or date range and how precise it is."""

    start: date | None
    end: date | None
    precision: str
    text: str | None = None

    @property
    def known(self) -> bool:
        """True when at least a start date is known."""
        return self.start is not None

    def contains(self, other: DateSpan) -> bool:
        """True when ``other`` lies within this span (unknown spans contain nothing)."""
        if not (self.known and other.known):
            return False
        assert self.start and self.end and other.start and other.end
        return self.start <= other.start and other.end <= self.end

    def compatible(self, other: DateSpan) -> bool:
        """True when the two spans could describe the same event (overlap, or one unknown)."""
        if not (self.known and other.known):
            return True
        assert self.start and self.end and other.start and other.end
        return self.start <= other.end and other.start <= self.end

    def narrower(self, other: DateSpan) -> DateSpan:
        """Return the more precise of two compatible spans."""
        if not other.known:
            return self
        if not self.known:
            return other
        assert self.start and self.end and other.start and other.end
        return self if (self.end - self.start) <= (other.end - other.start) else other


UNKNOWN = DateSpan(None, None, "unknown")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_ISO = compile_prefiltered(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_DMY = compile_prefiltered(rf"\b{_d('d')}\s+(?:of\s+)?{_m('m')},?\s+{_y('y')}\b", re.IGNORECASE)
_MDY = compile_prefiltered(rf"\b{_m('m')}\s+{_d('d')},?\s+{_y('y')}\b", re.IGNORECASE)


def parse_date(value: str) -> date | None:
    """Parse a metadata date (ISO, "April 9, 2014", "9 April 2014"); None if it is not one."""
    value = value.strip()
    match = _ISO.search(value)
    if match:
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    for pattern in (_MDY, _DMY):
        match = pattern.search(value)
        if match:
            return _safe_date(int(match["y"]), _MONTHS[match["m"].lower().rstrip(".")], int(match["d"]))
    return None


_DATE_LINE = re.compile(r"^\s*date[:\s]+((?:19|20)\d\d-\d\d-\d\d)\b", re.IGNORECASE)
_PUBLISHED = compile_prefiltered(r"\b(?:published|posted|dated)\b(?:\s+on)?(?P<rest>[^\n]{0,70})", re.IGNORECASE)
_UPDATED = compile_prefiltered(r"\b(?:updated|last\s+updated)\b(?:\s+on)?(?P<rest>[^\n]{0,40})", re.IGNORECASE)
_DATELINE = compile_prefiltered(
    rf"^\s*(?:date\s+\S+\s+)?[A-Z][A-Za-z .'/\-]{{1,40}}(?:\s*\[[A-Za-z .]+\])?(?:\s*,\s*[A-Z][A-Za-z]+)?\s*,\s*"
    rf"(?:{_m('m')}\s+{_d('d')}|{_d('d2')}\s+{_m('m2')})"
    rf"(?:,?\s+{_y('y')})?\s*(?:\([A-Za-z][A-Za-z .&'-]{{1,30}}\))?\s*[:\-\u2013\u2014]")
_FULL_DATE = compile_prefiltered(rf"{_m('m')}\s+{_d('d')}(?:st|nd|rd|th)?,?\s+{_y('y')}|"
                                 rf"{_d('d2')}(?:st|nd|rd|th)?\s+(?:of\s+)?{_m('m2')},?\s+{_y('y2')}")
_HEAD_LINES = 12  # dates on short lines this near the top are the page's own (header, byline)
_SHORT_LINE_WORDS = 8


def _full_date(text: str) -> date | None:
    match = _FULL_DATE.search(text)
    if not match:
        return None
    if match["m"]:
        return _safe_date(int(match["y"]), _month(match["m"]), int(match["d"]))
    return _safe_date(int(match["y2"]), _month(match["m2"]), int(match["d2"]))


def _head_line_dates(text: str) -> list[date]:
    """Dates standing on short lines at the top (page header, byline): "Saturday, May 4, 2019", "By X | May 4, 2019"."""
    found = []
    for line in text.splitlines()[:_HEAD_LINES]:
        match = _FULL_DATE.search(line)
        if not match or re.search(r"today'?s\s+paper", line, re.IGNORECASE):
            continue
        rest = (line[:match.start()] + " " + line[match.end():]).split()
        if len(rest) <= _SHORT_LINE_WORDS:
            value = _full_date(line)
            if value:
                found.append(value)
    return found


def find_publication_date(text: str) -> tuple[date | None, str | None]:
    """Find the publication date an article states about itself.

    In order: a leading ``date YYYY-MM-DD`` line; a "Published ..." line with a
    full date (anywhere near the top or at the end, as newspapers print it); a
    dateline with a year ("KARACHI, 4 May 2004 -"); a date standing on a short
    line among the first lines (page header or byline; where there are several,
    the earliest, since a page is crawled after it is published); an "Updated"
    line among the first lines. A dateline without a year takes the year of
    another anchor, never a year merely mentioned in the text. Failing all
    these, a photo caption's full date with a weekday that fits it.

    Returns
    -------
    (date or None, str or None)
        The date and how it was found (``"date line"``, ``"published line"``,
        ``"dateline"``, ``"header line"``, ``"updated line"``, ``"caption"``).
    """
    head = text[:6000]
    match = _DATE_LINE.match(head)
    if match:
        found = parse_date(match[1])
        if found:
            return found, "date line"
    for match in _PUBLISHED.finditer(head):
        found = _full_date(match["rest"]) or parse_date(match["rest"])
        if found:
            return found, "published line"
    header = _head_line_dates(head)
    match = _DATELINE.match(head)
    if not match:  # a dateline on one of the first lines, after a title or a byline
        for line in head.splitlines()[1:_HEAD_LINES]:
            match = _DATELINE.match(line)
            if match:
                break
    if match:
        month = _month(match["m"] or match["m2"])
        day = int(match["d"] or match["d2"])
        year = int(match["y"]) if match["y"] else (min(header).year if header else None)
        if year:
            found = _safe_date(year, month, day)
            if found:
                return found, "dateline"
    if header:
        return min(header), "header line"
    top = "\n".join(head.splitlines()[:_HEAD_LINES])
    for match in _UPDATED.finditer(top):
        found = _full_date(match["rest"]) or parse_date(match["rest"])
        if found:
            return found, "updated line"
    return _caption_date(head[:_CAPTION_CHARS])


#: How far into a report a dated photo caption is taken as its anchor.
_CAPTION_CHARS = 2000
_WEEKDAY_DATE = compile_prefiltered(
    rf"\b[A-Z][a-z]+,\s+(?:Pakistan|Balochistan|Baluchistan),\s+(?:on\s+)?"
    rf"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    rf"(?:{_m('m')}\s+{_d('d')}|{_d('d2')}\s+{_m('m2')}),?\s+{_y('y')}\b", re.IGNORECASE)


def _caption_date(text: str) -> tuple[date | None, str | None]:
    """A full date with its weekday after a place and its country, as a photo caption of the event gives it
    ("in Quetta, Pakistan, Tuesday, Oct. 25, 2016"): an anchor when nothing else dates the report. The
    weekday must fit the date, and a file photo's date is no anchor."""
    for match in _WEEKDAY_DATE.finditer(text):
        if re.search(r"\bfile\b", text[max(0, match.start() - 60):match.start()], re.IGNORECASE):
            continue
        found = _safe_date(int(match["y"]), _month(match["m"] or match["m2"]), int(match["d"] or match["d2"]))
        if found and found.weekday() == _WEEKDAYS[match["w"].lower()]:
            return found, "caption"
    return None, None


# ----------------------------------------------------------------------------- event dates

_RANGE_PATTERNS = [
    re.compile(rf"\b(?:between|from)\s+{_d('d1')}\s+{_m('m')}\s+(?:and|to|until|till)\s+{_d('d2')}\s+{_m('m2')}"
               rf"(?:,?\s+{_y('y')})?", re.IGNORECASE),
    re.compile(rf"\bbetween\s+{_d('d1')}\s+and\s+{_d('d2')}\s+{_m('m')}(?:,?\s+{_y('y')})?", re.IGNORECASE),
    re.compile(rf"\bbetween\s+{_m('m')}\s+{_d('d1')}\s+and\s+(?:{_m('m2')}\s+)?{_d('d2')}(?:,?\s+{_y('y')})?",
               re.IGNORECASE),
    re.compile(rf"\bfrom\s+{_d('d1')}\s+(?:to|until|till)\s+{_d('d2')}\s+{_m('m')}(?:,?\s+{_y('y')})?", re.IGNORECASE),
    re.compile(rf"\bfrom\s+{_m('m')}\s+{_d('d1')}\s+(?:to|until|till)\s+(?:{_m('m2')}\s+)?{_d('d2')}"
               rf"(?:,?\s+{_y('y')})?", re.IGNORECASE),
    re.compile(rf"\b{_d('d1')}\s*[-\u2013]\s*{_d('d2')}\s+{_m('m')}(?:,?\s+{_y('y')})?", re.IGNORECASE),
    re.compile(rf"\b{_m('m')}\s+{_d('d1')}\s*[-\u2013]\s*{_d('d2')}(?:,?\s+{_y('y')})?", re.IGNORECASE),
]
_DAY_PATTERNS = [
    re.compile(rf"\b{_d('d')}\s+(?:of\s+)?{_m('m')}(?:,?\s+{_y('y')})?(?![\w-])", re.IGNORECASE),
    re.compile(rf"\b{_m('m')}\s+{_d('d')}(?!\d)(?:,?\s+{_y('y')})?", re.IGNORECASE),
]
_ISO_IN_TEXT = compile_prefiltered(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_WEEKDAY = compile_prefiltered(
    r"\b(?:(?P<since>since)\s+|on\s+|late\s+|early\s+|last\s+)?(?P<w>monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)(?:'s)?\b", re.IGNORECASE)
#: Days back from publication ("yesterday", "two days ago"), or, for "earlier" and "before", from the
#: incident the report told just before ("a day earlier", "the previous day") when that date is known.
_RELATIVE = [
    (re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.IGNORECASE), 2),
    (re.compile(r"\b(?:a|one)\s+day\s+(?P<back>earlier|before|ago)\b|\bthe\s+(?P<back2>previous|preceding)\s+"
                r"(?:day|night)\b|\byesterday\b|\blast\s+night\b|\bthe\s+(?:day|night)\s+(?P<back3>before)\b",
                re.IGNORECASE), 1),
    (re.compile(r"\btwo\s+days\s+(?P<back>earlier|before|ago)\b", re.IGNORECASE), 2),
    (re.compile(r"\bthree\s+days\s+(?P<back>earlier|before|ago)\b", re.IGNORECASE), 3),
    (re.compile(r"\b(?:today|tonight|this\s+morning|earlier\s+today|this\s+evening|this\s+afternoon)\b",
                re.IGNORECASE), 0),
]

_OF_LAST_WEEK = re.compile(r"\s+(?:of\s+)?(?:last|the\s+previous|the\s+past)\s+week\b", re.IGNORECASE)
_WEEK = compile_prefiltered(r"\b(?:last|past|this|earlier\s+this)\s+week\b", re.IGNORECASE)
_MONTH_ONLY = compile_prefiltered(rf"\b(?:in|during|since|early|late|mid)[\s-]+{_m('m')}(?:\s+{_y('y')})?\b(?!\s+\d)",
                                  re.IGNORECASE)
_THIS_MONTH = compile_prefiltered(r"\b(?:earlier\s+this|this|last)\s+month\b", re.IGNORECASE)
_YEAR_ONLY = compile_prefiltered(r"\bin\s+((?:19|20)\d\d)\b", re.IGNORECASE)


# Cheap gate: a sentence without a digit or any date word has no date expression.
_MAY_HAVE_DATE = compile_prefiltered(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"yesterday|today|tonight|last\s+night|this\s+(?:morning|evening|afternoon)|week|"
    r"month|earlier|ago|before|previous|preceding)", re.IGNORECASE)


def _month(value: str) -> int:
    return _MONTHS[value.lower().rstrip(".")]


def _infer_year(month: int, day: int, published: date | None, explicit: str | None) -> int | None:
    if explicit:
        return int(explicit)
    if published is None:
        return None
    candidate = _safe_date(published.year, month, day)
    if candidate and candidate > published + timedelta(days=1):
        return published.year - 1
    return published.year


def _from_told(match: re.Match[str]) -> bool:
    """The relative expression counts back from the incident told before it, not from publication."""
    back = next((value for name, value in match.groupdict().items() if name.startswith("back") and value), None)
    return back is not None and back.lower() != "ago"


def find_event_date(sentence: str, published: date | None, *, told: date | None = None) -> DateSpan | None:
    """Return the date an event sentence states, or None if it states none.

    Parameters
    ----------
    sentence
        One sentence of an article.
    published
        Publication date, to resolve relative expressions and missing years.
    told
        The day of the incident the report told just before this sentence, if known: "a day earlier",
        "two days before" and "the previous day" count back from it ("ago" and "yesterday" always count
        back from publication).

    Returns
    -------
    DateSpan or None
        None when the sentence has no date expression; a span with precision
        ``unknown`` when it has one that cannot be resolved (e.g. "on
        Saturday" without a publication date).
    """
    if not _MAY_HAVE_DATE.search(sentence):
        return None
    for pattern in _RANGE_PATTERNS:
        match = pattern.search(sentence)
        if match:
            month = _month(match["m"])
            groups = match.groupdict()
            month2 = _month(groups["m2"]) if groups.get("m2") else month
            year = _infer_year(month2, int(match["d2"]), published, match["y"])
            if year is None:
                return DateSpan(None, None, "unknown", match[0])
            start = _safe_date(year if month <= month2 else year - 1, month, int(match["d1"]))
            end = _safe_date(year, month2, int(match["d2"]))
            if start and end and start <= end:
                return DateSpan(start, end, "range", match[0])
    match = _ISO_IN_TEXT.search(sentence)
    if match:
        found = _safe_date(int(match[1]), int(match[2]), int(match[3]))
        if found:
            return DateSpan(found, found, "day", match[0])
    for pattern in _DAY_PATTERNS:
        for match in pattern.finditer(sentence):
            day = int(match["d"])
            if not 1 <= day <= 31:
                continue
            month = _month(match["m"])
            year = _infer_year(month, day, published, match["y"])
            if year is None:
                return DateSpan(None, None, "unknown", match[0])
            found = _safe_date(year, month, day)
            if found:
                return DateSpan(found, found, "day", match[0])
    match = _WEEKDAY.search(sentence)
    if match:
        if published is None:
            return DateSpan(None, None, "unknown", match[0])
        back = (published.weekday() - _WEEKDAYS[match["w"].lower()]) % 7
        if match[0].lower().startswith("last ") and back == 0:
            back = 7
        if _OF_LAST_WEEK.match(sentence, match.end()):
            back += 7  # "on Wednesday last week": the Wednesday of the week before the report's
        weekday = published - timedelta(days=back)
        if match["since"]:
            return DateSpan(weekday, published, "range", match[0])
        return DateSpan(weekday, weekday, "day", match[0])
    for pattern, days in _RELATIVE:
        match = pattern.search(sentence)
        if match:
            since = told if told is not None and _from_told(match) else published
            if since is None:
                return DateSpan(None, None, "unknown", match[0])
            relative = since - timedelta(days=days)
            return DateSpan(relative, relative, "day", match[0])
    match = _WEEK.search(sentence)
    if match:
        if published is None:
            return DateSpan(None, None, "unknown", match[0])
        start = published - timedelta(days=7 if "last" in match[0].lower() or "past" in match[0].lower()
                                      else published.weekday())
        return DateSpan(start, published, "week", match[0])
    match = _MONTH_ONLY.search(sentence)
    if match:
        month = _month(match["m"])
        year = _infer_year(month, 1, published, match["y"])
        if year is None:
            return DateSpan(None, None, "unknown", match[0])
        start = date(year, month, 1)
        end = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
        return DateSpan(start, end, "month", match[0])
    match = _THIS_MONTH.search(sentence)
    if match:
        if published is None:
            return DateSpan(None, None, "unknown", match[0])
        anchor = published if "last" not in match[0].lower() else published.replace(day=1) - timedelta(days=1)
        start = anchor.replace(day=1)
        end = min(published, date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1))
        return DateSpan(start, end, "month", match[0])
    match = _YEAR_ONLY.search(sentence)
    if match:
        year = int(match[1])
        return DateSpan(date(year, 1, 1), date(year, 12, 31), "year", match[0])
    return None


_PLACE_DATELINE = compile_prefiltered(
    r"^\s*(?:date\s+(?:19|20)\d\d-\d\d-\d\d\s+)?"
    r"(?:[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,3}(?:\s*\[[A-Za-z .]+\])?"
    r"(?:\s*,\s*[A-Z][A-Za-z]+)?"
    rf"(?:\s*,\s*(?:{_m('m')}\s+{_d('d')}|{_d('d2')}\s+{_m('m2')})(?:,?\s+{_y('y')})?)?"
    # "Gwadar, 14 July 2023" alone on its line is a dateline too
    r"\s*(?:\([A-Za-z][A-Za-z .&'-]{1,30}\))?(?:\s*[:\-\u2013\u2014]\s+|(?<=\d)[ \t]*\n))")


_SENTENCE_DATELINE = compile_prefiltered(
    
    r"^\s*(?:(?P<caps>[A-Z][A-Z.'\-]{2,}(?:[\s/]+[A-Z][A-Z.'\-]+){0,3}|[A-Z][A-Za-z]+(?:/[A-Z][A-Za-z]+)+)|(?P<mixed>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}))"
    r"(?P<country>\s*,\s*(?:Pakistan|Balochistan|Baluchistan))?"
    rf"(?P<date>\s*,?\s*(?:{_m('m')}\s+{_d('d')}|{_d('d2')}\s+{_m('m2')})(?:,?\s+{_y('y')})?)?"
    r"(?P<agency>\s*\([A-Za-z][A-Za-z .&'-]{1,30}\))?\s*(?P<sep>:|-{1,2}|\u2013|\u2014)\s+")


def dateline_length(sentence: str) -> int:
    """Length of a dateline opening a sentence or line ("QUETTA:", "Quetta, Pakistan (AP) -"), else 0.

    A city in capitals before a colon or dash is a dateline; a city in mixed
    case is one only with a country, a date or an agency ("Turbat, May 2 (AFP) -").
    """
    match = _SENTENCE_DATELINE.match(sentence)
    if not match:
        return 0
    if match["caps"] or match["country"] or match["date"] or match["agency"]:
        return match.end()
    return 0


def strip_dateline(text: str) -> tuple[str, str]:
    """Split an article's leading dateline ("QUETTA, Aug 26 (Reuters) -", "Baluchistan:") from its text.

    Returns
    -------
    (str, str)
        The dateline (empty when there is none) and the rest of the text.
    """
    match = _PLACE_DATELINE.match(text)
    if not match:
        lead = _DATE_LINE.match(text)
        return (text[: lead.end()], text[lead.end():]) if lead else ("", text)
    head = match[0]
    # A real dateline is short and ends in a separator; "The attack: ..." is not one.
    if len(head) > 80 or head.split()[0].lower() in {"the", "a", "an", "in", "on"}:
        return "", text
    return head, text[match.end():]
