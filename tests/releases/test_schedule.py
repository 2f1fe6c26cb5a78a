"""The release time rule: 09:30 UK time on a weekday, through British Summer Time."""

import datetime

import pytest

from releases.schedule import (
    at_uk_time,
    format_release_day,
    format_release_time,
    next_release_time,
    not_a_release_day,
)

UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Winter (GMT): 09:30 UK is 09:30 UTC.
        (utc(2026, 12, 1, 9, 0), utc(2026, 12, 1, 9, 30)),  # a Tuesday, before 09:30
        (utc(2026, 12, 1, 9, 30), utc(2026, 12, 2, 9, 30)),  # at 09:30: the next day
        (utc(2026, 12, 4, 10, 0), utc(2026, 12, 7, 9, 30)),  # Friday after: Monday
        (utc(2026, 12, 5, 8, 0), utc(2026, 12, 7, 9, 30)),  # Saturday: Monday
        # Summer (BST, UTC+1): 09:30 UK is 08:30 UTC.
        (utc(2026, 7, 1, 8, 0), utc(2026, 7, 1, 8, 30)),
        (utc(2026, 7, 1, 8, 45), utc(2026, 7, 2, 8, 30)),
        # The clocks go forward on Sunday 29 March 2026: Friday 27 is GMT, Monday 30 BST.
        (utc(2026, 3, 27, 10, 0), utc(2026, 3, 30, 8, 30)),
        # and back on Sunday 25 October 2026.
        (utc(2026, 10, 23, 9, 0), utc(2026, 10, 26, 9, 30)),
    ],
)
def test_the_next_release_time_is_0930_uk_time_on_a_weekday(now, expected):
    assert next_release_time(now) == expected


def test_uk_time_follows_british_summer_time():
    assert at_uk_time(datetime.date(2026, 6, 15)).astimezone(UTC) == utc(2026, 6, 15, 8, 30)
    assert at_uk_time(datetime.date(2027, 1, 26)).astimezone(UTC) == utc(2027, 1, 26, 9, 30)


def test_times_are_written_in_uk_time():
    assert format_release_time(utc(2026, 6, 15, 8, 30)) == "9:30am on Monday 15 June 2026"
    assert format_release_time(utc(2027, 1, 26, 13, 5)) == "1:05pm on Tuesday 26 January 2027"
    assert format_release_day(utc(2027, 1, 26, 9, 30)) == "26 January 2027"
    # 23:30 UTC in summer is the next day in the UK.
    assert format_release_day(utc(2026, 6, 15, 23, 30)) == "16 June 2026"


def test_the_short_form_for_lists():
    from releases.schedule import format_release_short

    assert format_release_short(utc(2026, 6, 15, 8, 30)) == "Mon 15 Jun 2026, 09:30"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Christmas 2026 (GOV.UK, England and Wales): Friday 25 December, and
        # Monday 28 December for Boxing Day, which falls on a Saturday.
        (utc(2026, 12, 24, 10, 0), utc(2026, 12, 29, 9, 30)),
        # Good Friday 3 April and Easter Monday 6 April 2026 (BST from 29 March).
        (utc(2026, 4, 2, 9, 0), utc(2026, 4, 7, 8, 30)),
        # The late summer bank holiday, Monday 31 August 2026.
        (utc(2026, 8, 28, 9, 0), utc(2026, 9, 1, 8, 30)),
    ],
)
def test_the_next_release_time_skips_bank_holidays(now, expected):
    assert next_release_time(now) == expected


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (datetime.date(2026, 12, 5), "Choose a weekday: releases are not made at weekends."),
        (
            datetime.date(2026, 12, 28),
            "28 December 2026 is a bank holiday in England and Wales (Boxing Day (observed)): "
            "choose a working day.",
        ),
        (datetime.date(2026, 5, 25), "25 May 2026 is a bank holiday in England and Wales"),
        (datetime.date(2026, 12, 29), None),
    ],
)
def test_a_day_without_releases_says_why(day, problem):
    found = not_a_release_day(day)
    assert found == problem if problem is None else found.startswith(problem)
