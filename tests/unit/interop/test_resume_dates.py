"""Dates and date ranges as resumes print them (``find_range``, ``read_date``)."""

from __future__ import annotations

from datetime import date

import pytest

from jobwise.adapters.interop.resume_file.dates import DateSpan, find_range, read_date


def span(text: str) -> DateSpan:
    found = find_range(text)
    assert found is not None, text
    return found


# -- ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Sept. 2019 - May 2023", date(2019, 9, 1), date(2023, 5, 1)),
        ("06/2018 – 05/2020", date(2018, 6, 1), date(2020, 5, 1)),
        ("2019.06 ~ 2021.08", date(2019, 6, 1), date(2021, 8, 1)),
        ("Aug. 2018 -- May 2021", date(2018, 8, 1), date(2021, 5, 1)),
        ("January 2020 - Dec 2021", date(2020, 1, 1), date(2021, 12, 1)),
        ("2019-06 – 2021-08", date(2019, 6, 1), date(2021, 8, 1)),
        ("Fall 2019 – Spring 2021", date(2019, 9, 1), date(2021, 3, 1)),
        ("May 3, 2019 to June 30, 2020", date(2019, 5, 3), date(2020, 6, 30)),
    ],
)
def test_closed_ranges_read_both_ends(text: str, start: date, end: date) -> None:
    found = span(text)
    assert (found.start, found.end, found.current, found.precise) == (start, end, False, True)
    assert found.where == (0, len(text))


def test_years_alone_are_a_range_that_is_not_precise() -> None:
    found = span("2015 – 2019")
    assert (found.start, found.end, found.precise) == (date(2015, 1, 1), date(2019, 1, 1), False)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Jan 2020 – Present", date(2020, 1, 1)),
        ("2019年6月 – 至今", date(2019, 6, 1)),
        ("2020-03 to now", date(2020, 3, 1)),
        ("Mar 2021 - Current", date(2021, 3, 1)),
    ],
)
def test_open_ranges_are_current_with_no_end(text: str, start: date) -> None:
    found = span(text)
    assert (found.start, found.end, found.current) == (start, None, True)


def test_since_a_month_is_current_from_that_month() -> None:
    found = span("since January 2016")
    assert (found.start, found.end, found.current) == (date(2016, 1, 1), None, True)


def test_since_a_month_is_precise() -> None:
    assert span("since January 2016").precise is True


def test_a_range_inside_a_line_says_where_it_is() -> None:
    text = "Engineer, Acme\tBerlin · Jan 2020 – Mar 2022"
    found = span(text)
    assert text[found.where[0] : found.where[1]] == "Jan 2020 – Mar 2022"


def test_summer_of_two_years_ends_in_the_second_summer() -> None:
    # Not 1 January 2013, before the summer it names.
    found = span("Summer 2012 and 2013")
    assert found.start == date(2012, 6, 1)
    assert found.end is not None and found.end >= date(2013, 6, 1)


@pytest.mark.parametrize(
    "text",
    ["2021 – 2019", "May 2021 - Jan 2020", "05/2020 – 06/2018", "2021.08 ~ 2019.06"],
)
def test_an_end_before_its_start_is_no_range(text: str) -> None:
    assert find_range(text) is None


# -- single dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "when", "precise"),
    [
        ("May 2019", date(2019, 5, 1), True),
        ("2019", date(2019, 1, 1), False),
        ("06/2018", date(2018, 6, 1), True),
        ("2015 / 07", date(2015, 7, 1), True),
        ("'19", date(2019, 1, 1), True),
        ("BSc Physics, University of Leeds\tJune 2014", date(2014, 6, 1), True),
    ],
)
def test_a_single_date_is_an_end(text: str, when: date, precise: bool) -> None:
    found = span(text)
    assert (found.start, found.end, found.current, found.precise) == (None, when, False, precise)


def test_the_last_single_date_of_a_line_is_taken() -> None:
    assert span("Dean's list 2017, graduated 2019").end == date(2019, 1, 1)


def test_a_lone_season_is_marked_as_one() -> None:
    found = span("Summer 2022")
    assert (found.end, found.season) == (date(2022, 6, 1), True)
    assert span("June 2022").season is False


# -- read_date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("Sept. 2019", date(2019, 9, 1)),
        ("sep 2019", date(2019, 9, 1)),
        ("May 3, 2019", date(2019, 5, 3)),
        ("2019年6月", date(2019, 6, 1)),
        ("2019年", date(2019, 1, 1)),
        ("06/2018", date(2018, 6, 1)),
        ("2018.06", date(2018, 6, 1)),
        ("2018-6", date(2018, 6, 1)),
        ("'98", date(1998, 1, 1)),
        ("janvier 2020", date(2020, 1, 1)),
        ("Winter 2020", date(2020, 12, 1)),
    ],
)
def test_read_date_reads_printed_forms(text: str, when: date) -> None:
    assert read_date(text) == when


@pytest.mark.parametrize("text", ["13/2019", "2019.13", "Foo 2019", "Feb 30, 2020", "", "now"])
def test_read_date_refuses_what_is_no_date(text: str) -> None:
    assert read_date(text) is None


# -- what is not a date -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "GPA: 3.85/4.0",
        "GPA 3.9/4.0",
        "CGPA 8.7/10",
        "3.85/4.00",
        "+1 (512) 555-0199",
        "+44 20 7946 0000",
        "Phone: 512.555.2019",
        "Top 5% of 1200 students",
        "Version 3.11",
    ],
)
def test_scores_and_phone_numbers_are_no_dates(text: str) -> None:
    assert find_range(text) is None


@pytest.mark.parametrize(
    "text", ["512-555-2010", "(512) 555-1999", "+86 138 2019 0000", "Tel: +49 30 1998 2345"]
)
def test_phone_numbers_with_a_year_like_group_are_no_dates(text: str) -> None:
    # The last four digits after a hyphen, or a space-grouped "2019", are no year.
    assert find_range(text) is None
