"""The status of a figure against its baseline, as the downloads give it."""

from decimal import Decimal

import pytest

from opendata.figures import change_status

D = Decimal


def status(
    value,
    baseline,
    *,
    lower=None,
    upper=None,
    direction="down",
    percentage=False,
    tolerance="5",
    series_break=False,
):
    return change_status(
        value=D(value),
        lower=None if lower is None else D(lower),
        upper=None if upper is None else D(upper),
        baseline=baseline,
        direction=direction,
        percentage=percentage,
        tolerance=D(tolerance),
        series_break=series_break,
    )


def test_no_baseline_is_not_enough_data():
    assert status("10", None) == "not enough data"


def test_a_series_break_makes_figures_not_comparable():
    assert status("10", (D("20"), None, None), series_break=True) == "not comparable"


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        ("94", "down", "improving"),  # -6% of 100
        ("95", "down", "improving"),  # exactly the tolerance counts
        ("96", "down", "no significant change"),
        ("106", "down", "worsening"),
        ("106", "up", "improving"),
        ("94", "up", "worsening"),
    ],
)
def test_counts_change_in_percent_of_the_baseline(value, direction, expected):
    assert status(value, (D("100"), None, None), direction=direction) == expected


def test_percentages_change_in_percentage_points():
    # 40% -> 44%: 10% more, but 4 points, under a 5-point tolerance
    assert status("44", (D("40"), None, None), percentage=True, direction="up") == (
        "no significant change"
    )
    assert status("45", (D("40"), None, None), percentage=True, direction="up") == "improving"


def test_with_intervals_only_non_overlapping_intervals_count():
    baseline = (D("60"), D("58"), D("62"))
    assert status("63", baseline, lower="61", upper="65", direction="up") == (
        "no significant change"
    )
    assert status("66", baseline, lower="63", upper="69", direction="up") == "improving"
    assert status("54", baseline, lower="51", upper="57", direction="up") == "worsening"


def test_a_zero_baseline_counts_any_rise():
    assert status("1", (D("0"), None, None)) == "worsening"
    assert status("0", (D("0"), None, None)) == "no significant change"
