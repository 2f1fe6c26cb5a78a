"""The rules of ``measures.comparisons`` on plain values."""

import datetime
from collections import namedtuple
from dataclasses import replace
from decimal import Decimal

import pytest

from measures.comparisons import (
    Rules,
    against_a_year_earlier,
    equal_length,
    parse_period,
    period_value,
    year_earlier,
)
from measures.status import Status

d = datetime.date
Row = namedtuple("Row", "period_start period_end value lower upper series_break")


@pytest.mark.parametrize(
    ("period", "earlier"),
    [
        ((d(2023, 10, 1), d(2024, 9, 30)), (d(2022, 10, 1), d(2023, 9, 30))),
        ((d(2024, 2, 1), d(2024, 2, 29)), (d(2023, 2, 1), d(2023, 2, 28))),
        ((d(2023, 3, 1), d(2024, 2, 29)), (d(2022, 3, 1), d(2023, 2, 28))),
        ((d(2024, 1, 15), d(2024, 2, 14)), (d(2023, 1, 15), d(2023, 2, 14))),
        ((d(2024, 2, 29), d(2024, 2, 29)), (d(2023, 2, 28), d(2023, 2, 28))),
    ],
)
def test_the_same_period_a_year_earlier(period, earlier):
    assert year_earlier(period) == earlier


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2023-10-01..2024-09-30", (d(2023, 10, 1), d(2024, 9, 30))),
        ("2024-01-01..2024-01-01", (d(2024, 1, 1), d(2024, 1, 1))),
        ("2024-09-30..2023-10-01", None),
        ("2023-10-01", None),
        ("2023-10-01...2024-09-30", None),
        ("20231001..20240930", None),
        ("2023-02-30..2024-01-31", None),
        ("", None),
    ],
)
def test_a_period_in_an_address(text, period):
    assert parse_period(text) == period
    if period:
        assert period_value(period) == text


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ((d(2024, 2, 1), d(2024, 2, 29)), (d(2024, 3, 1), d(2024, 3, 31)), True),
        ((d(2023, 4, 1), d(2024, 3, 31)), (d(2023, 1, 1), d(2023, 12, 31)), True),
        ((d(2023, 4, 1), d(2024, 3, 31)), (d(2024, 1, 1), d(2024, 3, 31)), False),
        ((d(2024, 1, 1), d(2024, 3, 31)), (d(2024, 1, 1), d(2024, 4, 30)), False),
        ((d(2024, 1, 1), d(2024, 3, 31)), (d(2024, 1, 2), d(2024, 4, 1)), False),
        ((d(2024, 1, 2), d(2024, 1, 8)), (d(2024, 2, 2), d(2024, 2, 8)), True),
        ((d(2024, 1, 2), d(2024, 1, 8)), (d(2024, 2, 2), d(2024, 2, 18)), False),
    ],
)
def test_periods_of_equal_length(a, b, equal):
    assert equal_length(a, b) is equal
    assert equal_length(b, a) is equal


COUNTS = Rules(
    unit="count", direction="down", smallest_change=Decimal(5), is_survey=False, places=0
)


def year(end_year, value, series_break=False):
    return Row(d(end_year - 1, 4, 1), d(end_year, 3, 31), Decimal(value), None, None, series_break)


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        (35, 22, Status.NO_CHANGE),  # p = 0.11
        (1203, 1090, Status.IMPROVING),  # p = 0.02
        (57, 81, Status.WORSENING),  # p = 0.0498
    ],
)
def test_the_year_earlier_comparison_uses_the_exact_test(before, after, status):
    rows = [year(2023, before), year(2024, after)]
    comparison = against_a_year_earlier(COUNTS, rows, (rows[1].period_start, rows[1].period_end))
    assert comparison.status == status
    assert comparison.earlier is rows[0]


def test_nothing_to_compare_without_the_year_before():
    rows = [year(2022, 10), year(2024, 12)]
    assert against_a_year_earlier(COUNTS, rows, (rows[1].period_start, rows[1].period_end)) is None
    assert against_a_year_earlier(COUNTS, rows, None) is None


def test_a_break_in_between_makes_them_not_comparable():
    rows = [year(2023, 35), year(2024, 22, series_break=True)]
    comparison = against_a_year_earlier(COUNTS, rows, (rows[1].period_start, rows[1].period_end))
    assert comparison.status == Status.NOT_COMPARABLE
    assert comparison.change_display == "Not comparable"
    assert comparison.break_label == "12 months to March 2024"


def test_a_measure_judged_by_the_fixed_tolerance_keeps_it_in_a_chosen_comparison():
    # 35 -> 22 is -37%: far beyond a 5% tolerance, though the exact test calls it chance.
    rows = [year(2023, 35), year(2024, 22)]
    latest = (rows[1].period_start, rows[1].period_end)
    by_tolerance = replace(COUNTS, method="fixed-tolerance")
    assert against_a_year_earlier(by_tolerance, rows, latest).status == Status.IMPROVING
    by_test = replace(COUNTS, method="poisson-exact-test")
    assert against_a_year_earlier(by_test, rows, latest).status == Status.NO_CHANGE


def test_a_survey_method_tests_the_intervals_even_of_a_count_unit():
    def estimate(end_year, value, lower, upper):
        return Row(
            d(end_year - 1, 4, 1), d(end_year, 3, 31), *map(Decimal, (value, lower, upper)), False
        )

    rows = [estimate(2023, 42.4, 40.0, 44.8), estimate(2024, 33.5, 31.2, 35.8)]
    latest = (rows[1].period_start, rows[1].period_end)
    comparison = against_a_year_earlier(
        replace(COUNTS, method="survey-difference-test"), rows, latest
    )
    assert comparison.verdict.method == "survey-difference-test"
    assert comparison.status == Status.IMPROVING
