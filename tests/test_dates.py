from datetime import date

import pytest

from geoconflict.extract.dates import (
    find_event_date,
    find_publication_date,
    parse_date,
    strip_dateline,
)

PUB = date(2025, 9, 7)  # a Sunday


@pytest.mark.parametrize("text, expected", [
    (" date 2025-09-07 Kalat [Pakistan], September 7 : Gunmen fired", (date(2025, 9, 7), "date line")),
    ("Published: April 9, 2014\nQuetta police said", (date(2014, 4, 9), "published line")),
    ("Posted on 12 January 2023 | Gunmen attacked", (date(2023, 1, 12), "published line")),
    # a year merely mentioned in the text is no anchor for a dateline without one
    ("QUETTA, Aug 26 (Reuters) - Gunmen killed nine passengers, the worst attack since 2019.", (None, None)),
    ("TURBAT, 3 May 2021 \u2014 A bomb went off", (date(2021, 5, 3), "dateline")),
    ("Militants storm a post\nBy Staff Reporter | March 2, 2020\nQUETTA: Gunmen", (date(2020, 3, 2), "header line")),
    # a crawl date on top of the page comes after the byline's date: the earliest wins
    ("close\nFriday June 6, 2025\nBlast in Sibi\nBy Desk\nMarch 3, 2018\nSIBI: A blast", (date(2018, 3, 3),
                                                                                     "header line")),
    ("Gunmen struck a bus. Published in The Daily, March 4th, 2016", (date(2016, 3, 4), "published line")),
    ("QUETTA, Aug 26, 2023 (Reuters) - Gunmen killed nine passengers.", (date(2023, 8, 26), "dateline")),
    ("Balochistan [Pakistan], September 7 (ANI): an attack with no year anywhere", (None, None)),
    ("Nothing dated here at all.", (None, None)),
    ("Turbat, Pakistan, June 4, 2022 (AP) - A bomb went off", (date(2022, 6, 4), "dateline")),
])
def test_publication_date(text, expected):
    assert find_publication_date(text) == expected


@pytest.mark.parametrize("value, expected", [
    ("2025-09-07", date(2025, 9, 7)), ("2025-09-07T10:20:00Z", date(2025, 9, 7)),
    ("April 9, 2014", date(2014, 4, 9)), ("9 April 2014", date(2014, 4, 9)), ("yesterday", None),
    ("2025-02-30", None),
])
def test_parse_metadata_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("sentence, start, end, precision", [
    ("operations between 13 and 15 August in Mastung", date(2025, 8, 13), date(2025, 8, 15), "range"),
    ("between August 13 and 15", date(2025, 8, 13), date(2025, 8, 15), "range"),
    ("from 28 August to 2 September", date(2025, 8, 28), date(2025, 9, 2), "range"),
    ("between 30 December and 2 January", date(2024, 12, 30), date(2025, 1, 2), "range"),
    ("On August 15, the group said", date(2025, 8, 15), date(2025, 8, 15), "day"),
    ("on the night of 3 September", date(2025, 9, 3), date(2025, 9, 3), "day"),
    ("on 20 December the convoy was hit", date(2024, 12, 20), date(2024, 12, 20), "day"),  # year before pub
    ("on 2 March 2021 gunmen", date(2021, 3, 2), date(2021, 3, 2), "day"),
    ("on Saturday", date(2025, 9, 6), date(2025, 9, 6), "day"),
    ("Tuesday night", date(2025, 9, 2), date(2025, 9, 2), "day"),
    ("on Sunday", date(2025, 9, 7), date(2025, 9, 7), "day"),
    ("on Wednesday last week", date(2025, 8, 27), date(2025, 8, 27), "day"),
    ("a day earlier", date(2025, 9, 6), date(2025, 9, 6), "day"),
    ("yesterday", date(2025, 9, 6), date(2025, 9, 6), "day"),
    ("since Saturday", date(2025, 9, 6), date(2025, 9, 7), "range"),
    ("in August 2024", date(2024, 8, 1), date(2024, 8, 31), "month"),
    ("earlier this month", date(2025, 9, 1), date(2025, 9, 7), "month"),
    ("in 2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
])
def test_event_dates_against_publication(sentence, start, end, precision):
    span = find_event_date(sentence, PUB)
    assert (span.start, span.end, span.precision) == (start, end, precision)


@pytest.mark.parametrize("text, expected", [
    ("Rescuers search the market in Turbat, Pakistan, Monday, March 4, 2024. A bomb killed six people.",
     (date(2024, 3, 4), "caption")),
    ("Police guard a market in Turbat, Pakistan, on Monday, March 4, 2024. A bomb killed six people.",
     (date(2024, 3, 4), "caption")),
    # the weekday does not fit the date: no anchor
    ("Rescuers in Turbat, Pakistan, Sunday, March 4, 2024. A bomb killed six people.", (None, None)),
    # a date mentioned in the story is no caption
    ("The attack was the deadliest since Monday, March 4, 2024, when a bomb killed six.", (None, None)),
    # a file photo is no anchor
    ("A file photo of Turbat taken Monday, March 4, 2024. A bomb killed six people.", (None, None)),
])
def test_a_photo_caption_dates_a_report_that_is_otherwise_undated(text, expected):
    assert find_publication_date(text) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("A day earlier, gunmen torched a truck", date(2025, 9, 1)),
    ("two days before, a bomb hit a van", date(2025, 8, 31)),
    ("The previous night, rockets hit the camp", date(2025, 9, 1)),
    ("the day before the attack", date(2025, 9, 1)),
    # "ago" and "yesterday" stay with the publication date
    ("two days ago, a bomb hit a van", date(2025, 9, 5)),
    ("the day before yesterday a bomb hit a van", date(2025, 9, 5)),
    ("yesterday a bomb hit a van", date(2025, 9, 6)),
])
def test_earlier_counts_back_from_the_incident_told_before(sentence, expected):
    span = find_event_date(sentence, PUB, told=date(2025, 9, 2))  # the incident told before: Tuesday 2 September
    assert (span.start, span.precision) == (expected, "day")


def test_earlier_counts_from_publication_when_no_day_was_told():
    assert find_event_date("A day earlier, gunmen torched a truck", PUB).start == date(2025, 9, 6)


@pytest.mark.parametrize("sentence", ["on Saturday", "a day earlier", "August 15", "between 13 and 15 August"])
def test_relative_dates_without_publication_are_unknown(sentence):
    span = find_event_date(sentence, None)
    assert span is not None and span.precision == "unknown" and span.start is None


def test_no_date_expression():
    assert find_event_date("Gunmen attacked a checkpoint in Turbat.", PUB) is None
    assert find_event_date("a deadly two-day siege", PUB) is None


@pytest.mark.parametrize("text, dateline", [
    ("QUETTA, Aug 26 (Reuters) - Gunmen", "QUETTA, Aug 26 (Reuters) - "),
    ("Baluchistan: The Baluchistan Liberation Army", "Baluchistan: "),
    ("TURBAT, Pakistan (AP) \u2014 Gunmen", "TURBAT, Pakistan (AP) \u2014 "),
    ("The attack: gunmen fled", ""),
    ("More than 250 people killed in attacks: Official", ""),
])
def test_strip_dateline(text, dateline):
    head, rest = strip_dateline(text)
    assert head == dateline and head + rest == text


def test_dateline_with_any_agency_name():
    text = "TURBAT, March 18, 2025 (Example Wire) - Gunmen attacked a checkpoint"
    assert find_publication_date(text) == (date(2025, 3, 18), "dateline")
    assert strip_dateline(text)[0] == "TURBAT, March 18, 2025 (Example Wire) - "
