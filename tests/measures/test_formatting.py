from decimal import Decimal

import pytest

from measures.formatting import (
    chart_number,
    format_change,
    format_interval,
    format_number,
    format_short,
    format_value,
    quantize,
)

D = Decimal
# The true minus sign (U+2212), written out here rather than taken from the
# module: a test that reads the module's own constant cannot see it change.
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (D("1234"), 0, "1,234"),
        (D("1234567.891"), 2, "1,234,567.89"),
        (D("2.5"), 0, "3"),  # half up, as people round, not to even
        (D("0.05"), 1, "0.1"),
        (D("-1234.5"), 1, f"{MINUS}1,234.5"),
        (D("-0.01"), 1, "0.0"),  # never minus zero
        (D("0"), 0, "0"),
        (D("-0.5"), 0, f"{MINUS}1"),  # half up, away from zero
        (D("1"), 0, "1"),
        (7, 0, "7"),
        (None, 0, "No figure"),
    ],
)
def test_format_number(value, places, text):
    assert format_number(value, places) == text


def test_the_minus_sign_is_the_true_minus_sign_not_a_hyphen():
    assert format_number(D("-3"), 0).encode() == b"\xe2\x88\x923"
    assert format_change(D("-3"), "count", 0).encode() == b"\xe2\x88\x923%"


def test_quantize_rounds_half_up_at_any_number_of_places():
    assert quantize(D("2.5"), 0) == D("3")
    assert quantize(D("1.23456"), 4) == D("1.2346")
    # Beyond the table of the usual steps, the step is worked out.
    assert str(quantize(D("1.234565"), 5)) == "1.23457"


def test_whole_numbers_are_the_default():
    assert format_number(D("2.5")) == "3"
    assert format_value(D("64.46"), "percentage") == "64%"
    assert format_short(D("38.25"), "rate-per-1000") == "38"
    assert format_change(D("12.4"), "count") == "+12%"


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (D("21000"), "count", 0, "21,000"),
        (D("64.46"), "percentage", 1, "64.5%"),
        (D("38.25"), "rate-per-1000", 1, "38.3 per 1,000 people"),
        (D("1520"), "rate-per-100000", 0, "1,520 per 100,000 people"),
        (None, "percentage", 1, "No figure"),
    ],
)
def test_format_value_carries_the_unit(value, unit, places, text):
    assert format_value(value, unit, places) == text


@pytest.mark.parametrize(
    ("change", "unit", "places", "text"),
    [
        (D("12.4"), "count", 0, "+12%"),
        (D("-12.5"), "count", 0, f"{MINUS}13%"),
        (D("1234.5"), "rate-per-1000", 1, "+1,234.5%"),
        (D("-2.5"), "percentage", 1, f"{MINUS}2.5 percentage points"),
        (D("4"), "percentage", 1, "+4.0 percentage points"),
        (D("0"), "count", 0, "±0%"),
        # Any change that rounds to more than zero is a rise, even +1%.
        (D("1"), "count", 0, "+1%"),
        (D("0.5"), "count", 0, "+1%"),
        (D("0.4"), "count", 0, "±0%"),
        (D("-0.4"), "count", 0, "±0%"),
        (D("-0.04"), "percentage", 1, "±0.0 percentage points"),
        (D("-1"), "count", 0, f"{MINUS}1%"),
        (D("1"), "percentage", 0, "+1 percentage points"),
        (None, "count", 0, "Not available"),
    ],
)
def test_format_change_is_always_signed(change, unit, places, text):
    assert format_change(change, unit, places) == text


def test_format_interval():
    assert format_interval(D("60.1"), D("64.34"), "percentage", 1) == "60.1% to 64.3%"
    # The unit once, after the upper bound, for any other unit.
    assert format_interval(D("29"), D("38"), "rate-per-1000", 1) == (
        "29.0 to 38.0 per 1,000 people"
    )
    assert format_interval(D("-1.25"), D("2"), "count", 1) == f"{MINUS}1.3 to 2.0"
    assert format_interval(None, None, "percentage", 1) == ""


@pytest.mark.parametrize(("lower", "upper"), [(D("60.1"), None), (None, D("64.3"))])
def test_half_an_interval_is_no_interval(lower, upper):
    from measures.formatting import format_short_interval

    assert format_interval(lower, upper, "percentage", 1) == ""
    assert format_short_interval(lower, upper, "percentage", 1) == ""


def test_chart_number_is_rounded_as_the_page_rounds():
    assert chart_number(D("64.45"), 1) == 64.5
    assert chart_number(None, 1) is None


def test_format_date():
    import datetime

    from measures.formatting import format_date

    assert format_date(datetime.date(2026, 3, 3)) == "3 March 2026"
    assert format_date(None) == ""


def test_short_forms_leave_the_unit_to_the_heading_except_for_percentages():
    from measures.formatting import format_short, format_short_interval

    assert format_short(D("38.25"), "rate-per-1000", 1) == "38.3"
    assert format_short(D("64.46"), "percentage", 1) == "64.5%"
    assert format_short(None, "count", 0) == "No figure"
    assert format_short_interval(D("29"), D("38"), "rate-per-1000", 1) == "29.0 to 38.0"
    assert format_short_interval(D("60.1"), D("64.34"), "percentage", 1) == "60.1% to 64.3%"
    assert format_short_interval(None, None, "count", 0) == ""
