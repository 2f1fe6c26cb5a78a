"""The rules of ``measures.comparisons`` on plain values."""

import datetime
from collections import namedtuple
from dataclasses import replace
from decimal import Decimal

import pytest

from measures.comparisons import (
    Rules,
    against_a_year_earlier,
    compare,
    equal_length,
    length_in_words,
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
        ((d(2024, 12, 1), d(2024, 12, 31)), (d(2023, 12, 1), d(2023, 12, 31))),
        ((d(2025, 1, 1), d(2025, 2, 28)), (d(2024, 1, 1), d(2024, 2, 29))),
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
        # Each half must be a date written in full, not only the first.
        ("2023-10-01..20240930", None),
        ("20231001..2024-09-30", None),
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


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ((d(2023, 10, 1), d(2024, 9, 30)), "12 months"),
        ((d(2024, 2, 1), d(2024, 2, 29)), "1 month"),
        ((d(2024, 1, 2), d(2024, 1, 8)), "7 days"),
        ((d(2024, 1, 2), d(2024, 1, 2)), "1 day"),
    ],
)
def test_a_period_s_length_in_words(period, words):
    assert length_in_words(period) == words


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


def with_interval(end_year, value, lower=None, upper=None):
    return Row(
        d(end_year - 1, 4, 1),
        d(end_year, 3, 31),
        Decimal(value),
        None if lower is None else Decimal(lower),
        None if upper is None else Decimal(upper),
        False,
    )


def method_for(rules, earlier, later):
    rows = [earlier, later]
    return against_a_year_earlier(
        rules, rows, (later.period_start, later.period_end)
    ).verdict.method


def test_the_figures_choose_the_method_when_the_measure_does_not():
    both = (with_interval(2023, 40, 38, 42), with_interval(2024, 30, 28, 32))
    assert method_for(COUNTS, *both) == "survey-difference-test"
    # Intervals on one figure only are no test of a difference: counts are counted.
    assert method_for(COUNTS, with_interval(2023, 40, 38, 42), with_interval(2024, 30)) == (
        "poisson-exact-test"
    )
    assert method_for(COUNTS, with_interval(2023, 40), with_interval(2024, 30, 28, 32)) == (
        "poisson-exact-test"
    )
    # A survey measure is judged by the survey test even without intervals.
    survey = replace(COUNTS, is_survey=True)
    neither = (with_interval(2023, 40), with_interval(2024, 30))
    assert method_for(survey, *neither) == "survey-difference-test"
    # An XmR measure (a series, not two figures) lets the figures choose too.
    assert method_for(replace(COUNTS, method="xmr-control-chart"), *both) == (
        "survey-difference-test"
    )


def test_a_measure_s_own_method_overrides_the_figures():
    both = (with_interval(2023, 40, 38, 42), with_interval(2024, 30, 28, 32))
    assert method_for(replace(COUNTS, method="poisson-exact-test"), *both) == ("poisson-exact-test")
    assert method_for(replace(COUNTS, method="fixed-tolerance"), *both) == "fixed-tolerance"
    neither = (with_interval(2023, 40), with_interval(2024, 30))
    chosen = against_a_year_earlier(
        replace(COUNTS, method="survey-difference-test"),
        list(neither),
        (neither[1].period_start, neither[1].period_end),
    )
    assert chosen.verdict.method == "survey-difference-test"
    assert chosen.status == Status.NOT_ENOUGH_DATA  # no intervals to test


@pytest.mark.parametrize("method", [None, "fixed-tolerance"])
def test_a_percentage_changes_in_points_by_either_method(method):
    rules = replace(
        COUNTS, unit="percentage", direction="up", method=method, is_survey=method is None
    )
    earlier, later = with_interval(2023, 31, 29, 33), with_interval(2024, 36, 34, 38)
    comparison = against_a_year_earlier(
        rules, [earlier, later], (later.period_start, later.period_end)
    )
    assert comparison.verdict.change == Decimal(5)
    assert comparison.verdict.change_unit == "percentage points"


def test_a_break_on_the_earlier_figure_itself_does_not_divide_them():
    rows = [year(2023, 35, series_break=True), year(2024, 22)]
    comparison = against_a_year_earlier(COUNTS, rows, (rows[1].period_start, rows[1].period_end))
    assert comparison.status == Status.NO_CHANGE
    assert comparison.break_label is None


def test_a_comparison_keeps_its_title_figures_and_rules():
    rows = [year(2023, 35), year(2024, 22)]
    comparison = against_a_year_earlier(COUNTS, rows, (rows[1].period_start, rows[1].period_end))
    assert comparison.title == "Against the same period a year earlier"
    assert (comparison.earlier, comparison.later, comparison.rules) == (rows[0], rows[1], COUNTS)
    chosen = compare("12 months to March 2024 against 2023", COUNTS, rows, *rows)
    assert chosen.title == "12 months to March 2024 against 2023"
    assert chosen.later_display == "22"


def test_the_break_named_is_the_one_between_not_the_earlier_figure_s_own():
    rows = [year(2022, 35, series_break=True), year(2023, 30, series_break=True), year(2024, 22)]
    comparison = compare("2022 against 2024", COUNTS, rows, rows[0], rows[2])
    assert comparison.status == Status.NOT_COMPARABLE
    assert comparison.break_label == "12 months to March 2023"
