"""The test of the difference of two survey estimates, against scipy's normal
distribution, and the cases the honest-numbers issue names."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from measures.stats.survey import Estimate, compare_estimates, standard_error

D = Decimal


def estimate(value, lower=None, upper=None):
    return Estimate(
        D(value), None if lower is None else D(lower), None if upper is None else D(upper)
    )


def reference_p(b, b_low, b_up, x, x_low, x_up):
    """The textbook test for symmetric intervals, with scipy."""
    se1 = (b_up - b_low) / (2 * stats.norm.ppf(0.975))
    se2 = (x_up - x_low) / (2 * stats.norm.ppf(0.975))
    z = (x - b) / math.sqrt(se1**2 + se2**2)
    return z, 2 * stats.norm.sf(abs(z))


def test_neighbourhood_crime_intervals_overlap_but_the_change_is_significant():
    """The issue's example: 42.4 -> 33.5 per 1,000, with intervals (illustrative,
    of the CSEW's width) that overlap between 37.0 and 38.0."""
    baseline = estimate("42.4", "37.0", "47.8")
    latest = estimate("33.5", "29.0", "38.0")
    assert latest.upper > baseline.lower  # they overlap
    result = compare_estimates(baseline, latest)
    z, p = reference_p(42.4, 37.0, 47.8, 33.5, 29.0, 38.0)
    assert result.z == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.p_value == pytest.approx(0.0131, abs=5e-5)
    assert result.significant


@pytest.mark.parametrize(
    "case",
    [
        (66.5, 64.9, 68.1, 68.9, 67.3, 70.5),  # victim satisfaction, a rise
        (31, 29, 33, 36, 34, 38),
        (31, 29, 33, 32, 30, 34),  # overlapping, not significant
        (50, 40, 60, 50, 45, 55),  # equal estimates
        (10.2, 9.9, 10.5, 10.1, 9.8, 10.4),
        (0.4, 0.1, 0.7, 1.9, 1.1, 2.7),
    ],
)
def test_symmetric_intervals_match_the_textbook_test(case):
    result = compare_estimates(estimate(*case[:3]), estimate(*case[3:]))
    z, p = reference_p(*case)
    assert result.z == pytest.approx(z, rel=1e-12, abs=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.difference == pytest.approx(case[3] - case[0], rel=1e-12, abs=1e-12)
    assert result.standard_error == pytest.approx(
        math.hypot(case[2] - case[1], case[5] - case[4]) / (2 * stats.norm.ppf(0.975)), rel=1e-12
    )


def test_standard_error_of_an_interval():
    assert standard_error(29, 38) == pytest.approx(9 / (2 * stats.norm.ppf(0.975)), rel=1e-12)
    assert standard_error(D("29.0"), D("38.0"), 0.9) == pytest.approx(
        9 / (2 * stats.norm.ppf(0.95)), rel=1e-12
    )


def test_asymmetric_intervals_use_the_halves_that_face_each_other():
    """A rise from 2% (0.5 to 6) to 9% (5.5 to 13.5): the baseline's upper half
    (4) and the latest's lower half (3.5) carry the test, as the MOVER interval
    for a difference does (Newcombe 1998, Zou and Donner 2008)."""
    z95 = stats.norm.ppf(0.975)
    rise = compare_estimates(estimate(2, "0.5", 6), estimate(9, "5.5", "13.5"))
    assert rise.baseline_se == pytest.approx(4 / z95)
    assert rise.latest_se == pytest.approx(3.5 / z95)
    assert rise.z == pytest.approx(7 / math.hypot(4 / z95, 3.5 / z95))
    fall = compare_estimates(estimate(9, "5.5", "13.5"), estimate(2, "0.5", 6))
    assert fall.baseline_se == pytest.approx(3.5 / z95)
    assert fall.latest_se == pytest.approx(4 / z95)
    assert fall.p_value == pytest.approx(rise.p_value, rel=1e-12)
    level = compare_estimates(estimate(5, 1, 6), estimate(5, 4, 13))
    assert level.baseline_se == pytest.approx(2.5 / z95)
    assert level.latest_se == pytest.approx(4.5 / z95)
    assert level.p_value == 1.0
    # Any rise at all, even one smaller than 1, reads the facing halves.
    small = compare_estimates(estimate("2", "0.5", "6"), estimate("2.5", "1", "4"))
    assert small.baseline_se == pytest.approx(4 / z95)
    assert small.latest_se == pytest.approx(1.5 / z95)
    small_fall = compare_estimates(estimate("2.5", "1", "4"), estimate("2", "0.5", "6"))
    assert small_fall.baseline_se == pytest.approx(1.5 / z95)
    assert small_fall.latest_se == pytest.approx(4 / z95)


def test_significant_exactly_when_the_recovered_interval_excludes_zero():
    """MOVER: lower limit of the difference d - sqrt((x - x_low)^2 + (b_up - b)^2)."""
    for latest in (7, 8, 8.5, 9, 9.5, 10, 12):
        base, base_up = 5.0, 7.0
        x_low = latest - 1.5
        lower_limit = (latest - base) - math.hypot(latest - x_low, base_up - base)
        result = compare_estimates(estimate(5, 4, 7), estimate(latest, x_low, latest + 2))
        assert result.significant == (lower_limit > 0)


def test_without_both_intervals_the_change_cannot_be_tested():
    assert compare_estimates(estimate(31), estimate(36, 33, 39)) is None
    assert compare_estimates(estimate(31, 29, 33), estimate(36)) is None
    assert compare_estimates(estimate(31), estimate(36)) is None


def test_intervals_with_no_width():
    level = compare_estimates(estimate(5, 5, 5), estimate(5, 5, 5))
    assert (level.p_value, level.z, level.significant) == (1.0, 0.0, False)
    rise = compare_estimates(estimate(5, 5, 5), estimate(6, 6, 6))
    assert (rise.p_value, rise.z, rise.significant) == (0.0, math.inf, True)
    assert compare_estimates(estimate(6, 6, 6), estimate(5, 5, 5)).z == -math.inf


def test_bad_estimates_are_refused():
    with pytest.raises(ValueError, match="both its lower and its upper"):
        estimate(5, 4)
    with pytest.raises(ValueError, match="both its lower and its upper"):
        Estimate(D(5), None, D(6))
    with pytest.raises(ValueError, match="surround"):
        estimate(5, 6, 7)
    with pytest.raises(ValueError, match="surround"):
        estimate(8, 6, 7)
    for alpha in (0, 1):
        with pytest.raises(ValueError, match="significance level"):
            compare_estimates(estimate(5, 4, 6), estimate(6, 5, 7), alpha=alpha)


def test_boundary_values_of_an_interval_are_accepted():
    assert compare_estimates(estimate(4, 4, 6), estimate(6, 5, 6)).significant is False


@given(
    st.floats(0, 100),
    st.floats(0.01, 10),
    st.floats(0.01, 10),
    st.floats(0, 100),
    st.floats(0.01, 10),
    st.floats(0.01, 10),
)
def test_p_value_properties(b, b_down, b_up, x, x_down, x_up):
    first = Estimate(D(b), D(b) - D(b_down), D(b) + D(b_up))
    second = Estimate(D(x), D(x) - D(x_down), D(x) + D(x_up))
    result = compare_estimates(first, second)
    assert 0 <= result.p_value <= 1
    assert compare_estimates(second, first).p_value == pytest.approx(result.p_value, rel=1e-9)
    assert (result.p_value < 0.05) == result.significant
    # Widening both intervals never makes a difference more significant.
    wider = compare_estimates(
        Estimate(D(b), D(b) - 2 * D(b_down), D(b) + 2 * D(b_up)),
        Estimate(D(x), D(x) - 2 * D(x_down), D(x) + 2 * D(x_up)),
    )
    assert wider.p_value >= result.p_value * (1 - 1e-9)


def test_refusals_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"^an interval needs both its lower and its upper bound$"):
        estimate(5, 4)
    with pytest.raises(ValueError, match=r"^the interval must surround the estimate$"):
        estimate(5, 6, 7)
    with pytest.raises(
        ValueError, match=r"^the significance level must be between 0 and 1, such as 0.05$"
    ):
        compare_estimates(estimate(5, 4, 6), estimate(6, 5, 7), alpha=1)


def test_the_level_is_the_callers():
    result = compare_estimates(estimate(31, 29, 33), estimate(33, 31, 35), alpha=0.2)
    assert result.alpha == 0.2
    assert result.p_value == pytest.approx(0.166, abs=1e-3)
    assert result.significant
    assert not compare_estimates(estimate(31, 29, 33), estimate(33, 31, 35)).significant
