"""The exact Poisson test and the intervals, against scipy and statsmodels
(independent implementations) and published values."""

import itertools
import math
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats
from statsmodels.stats import rates as statsmodels_rates

from measures.stats.poisson import (
    CountComparison,
    IntervalMethod,
    _gamma_quantile,
    byar_interval,
    compare_counts,
    count_interval,
    exact_interval,
    rate_interval,
    two_sided_binomial_p,
)

# The honest-numbers issue's examples, for a measure where down is better, with
# the p-values that scipy's binomtest gives (the issue: 0.11, 0.15, 0.02, 0.0498,
# and "no significant change" for 6 -> 3).
ISSUE_EXAMPLES = [
    (35, 22, 0.1112, False),
    (412, 371, 0.1528, False),
    (1203, 1090, 0.01932, True),
    (57, 81, 0.04985, True),
    (6, 3, 0.5078, False),
]


@pytest.mark.parametrize(("baseline", "latest", "p", "significant"), ISSUE_EXAMPLES)
def test_the_issues_examples(baseline, latest, p, significant):
    result = compare_counts(baseline, latest)
    assert result.p_value == pytest.approx(p, abs=5e-5)
    assert result.significant is significant


def test_both_two_sided_rules_give_the_issues_examples():
    """With equal exposures the null binomial is symmetric, so the minlike rule
    and the doubled smaller tail agree: the examples cannot tell them apart."""
    for baseline, latest, _, _ in ISSUE_EXAMPLES:
        n = baseline + latest
        doubled = min(1.0, 2 * stats.binom.cdf(min(baseline, latest), n, 0.5))
        assert compare_counts(baseline, latest).p_value == pytest.approx(doubled, rel=1e-9)


def test_unequal_exposures_follow_the_minlike_rule_not_the_doubled_tail():
    # 2 events over 1 unit against 20 over 3: the rules differ here.
    minlike = stats.binomtest(20, 22, 3 / 4).pvalue
    central = min(1.0, 2 * stats.binom.cdf(2, 22, 1 / 4))
    assert abs(minlike - central) > 0.01
    p = compare_counts(2, 20, baseline_exposure=1, latest_exposure=3).p_value
    assert p == pytest.approx(minlike, rel=1e-9)


COUNTS = [0, 1, 2, 3, 5, 9, 10, 11, 35, 100, 412, 1203, 5000, 200_000]


@pytest.mark.parametrize("baseline", COUNTS)
def test_equal_exposures_match_scipy_binomtest(baseline):
    for latest in COUNTS:
        if baseline + latest == 0:
            continue
        reference = stats.binomtest(latest, baseline + latest, 0.5).pvalue
        assert compare_counts(baseline, latest).p_value == pytest.approx(
            reference, rel=1e-9, abs=1e-12
        ), (baseline, latest)


@pytest.mark.parametrize(
    ("e1", "e2"), [(1, 2), (3, 1), (800, 3011), (1_500_000, 1_520_000), (0.25, 12)]
)
def test_exposures_match_scipy_and_statsmodels(e1, e2):
    for x1, x2 in itertools.product([0, 1, 4, 11, 57, 400], [0, 2, 9, 30, 81, 390]):
        if x1 + x2 == 0:
            continue
        p = compare_counts(x1, x2, baseline_exposure=e1, latest_exposure=e2).p_value
        assert p == pytest.approx(
            stats.binomtest(x2, x1 + x2, e2 / (e1 + e2)).pvalue, rel=1e-9, abs=1e-12
        )
        if x1 and x2:  # statsmodels divides by each count for its rate ratio
            exact_conditional = statsmodels_rates.test_poisson_2indep(
                x2, e2, x1, e1, method="exact-cond"
            ).pvalue
            assert p == pytest.approx(exact_conditional, rel=1e-6, abs=1e-10)


def test_r_documentation_example():
    """The example in R's ``poisson.test`` documentation: lung cancer in
    Fredericia against the three other cities of Andersen's 1977 study, ages
    55-59, ``poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))``,
    which is ``binom.test(11, 32, 800 / 3811)``; here with Fredericia as the
    latest, against scipy's binomtest of the same."""
    result = compare_counts(21, 11, baseline_exposure=1083 + 1050 + 878, latest_exposure=800)
    assert result.p_value == pytest.approx(stats.binomtest(11, 32, 800 / 3811).pvalue, rel=1e-9)
    assert result.rate_ratio == pytest.approx((11 / 800) / (21 / 3011), rel=1e-12)


def test_comparison_fields():
    result = compare_counts(Decimal(35), Decimal("22.0"), baseline_exposure=2, latest_exposure=3)
    assert result == CountComparison(
        baseline=35,
        latest=22,
        baseline_exposure=2.0,
        latest_exposure=3.0,
        null_share=0.6,
        p_value=result.p_value,
        rate_ratio=(22 / 3) / (35 / 2),
        alpha=0.05,
    )
    assert compare_counts(0, 5).rate_ratio is None
    assert compare_counts(0, 0).p_value == 1.0


def test_significance_is_strictly_below_alpha():
    p = compare_counts(57, 81).p_value
    assert compare_counts(57, 81, alpha=p).significant is False
    assert compare_counts(57, 81, alpha=p * (1 + 1e-12)).significant is True


def test_equal_counts_have_p_one():
    for count in (0, 1, 35, 500_000):
        assert compare_counts(count, count).p_value == 1.0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"baseline": -1, "latest": 3}, "negative"),
        ({"baseline": 2.5, "latest": 3}, "whole"),
        ({"baseline": Decimal("2.5"), "latest": 3}, "whole"),
        ({"baseline": 2, "latest": math.nan}, "finite"),
        ({"baseline": 2, "latest": 3, "baseline_exposure": 0}, "positive"),
        ({"baseline": 2, "latest": 3, "latest_exposure": -5}, "positive"),
        ({"baseline": 2, "latest": 3, "latest_exposure": math.inf}, "positive"),
        ({"baseline": 2, "latest": 3, "alpha": 0}, "significance level"),
        ({"baseline": 2, "latest": 3, "alpha": 1}, "significance level"),
    ],
)
def test_bad_input_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        compare_counts(**arguments)


@pytest.mark.parametrize("bad", [True, "3", None])
def test_a_count_must_be_a_number(bad):
    with pytest.raises(TypeError, match="must be a number"):
        compare_counts(bad, 3)
    with pytest.raises(TypeError, match="must be a number"):
        compare_counts(3, 3, latest_exposure=bad)


def test_binomial_p_edges():
    assert two_sided_binomial_p(0, 0, 0.3) == 1.0
    assert two_sided_binomial_p(3, 10, 0.3) == 1.0  # exactly the mean
    for bad in (0, 1):
        with pytest.raises(ValueError, match="strictly between"):
            two_sided_binomial_p(1, 2, bad)


@pytest.mark.parametrize("n", [1, 2, 7, 10, 31, 500])
@pytest.mark.parametrize("probability", [0.01, 0.3, 0.5, 0.77])
def test_binomial_p_every_outcome_matches_scipy(n, probability):
    for k in range(0, n + 1, max(1, n // 40)):
        assert two_sided_binomial_p(k, n, probability) == pytest.approx(
            stats.binomtest(k, n, probability).pvalue, rel=1e-9, abs=1e-13
        ), (k, n, probability)


@given(
    st.integers(0, 3000),
    st.integers(0, 3000),
    st.floats(0.01, 100),
    st.floats(0.01, 100),
)
def test_p_value_properties(x1, x2, e1, e2):
    p = compare_counts(x1, x2, baseline_exposure=e1, latest_exposure=e2).p_value
    assert 0 <= p <= 1
    swapped = compare_counts(x2, x1, baseline_exposure=e2, latest_exposure=e1).p_value
    assert swapped == pytest.approx(p, rel=1e-9, abs=1e-12)
    scaled = compare_counts(x1, x2, baseline_exposure=e1 * 7, latest_exposure=e2 * 7).p_value
    assert scaled == pytest.approx(p, rel=1e-6, abs=1e-12)


@given(st.integers(0, 2000), st.integers(1, 400))
def test_p_value_falls_as_the_latest_count_moves_away(baseline, step):
    """With equal exposures and the total held, a more lopsided split is never
    more likely to be chance."""
    n = 2 * baseline + 2 * step
    middle = n // 2
    nearer = two_sided_binomial_p(middle + step - 1, n, 0.5)
    further = two_sided_binomial_p(middle + step, n, 0.5)
    assert further <= nearer * (1 + 1e-9)


# Intervals ---------------------------------------------------------------------


# Garwood's limits, from the chi-squared distribution (scipy), and the values
# every table of them prints: 0 -> (0, 3.689), 1 -> (0.0253, 5.572),
# 10 -> (4.795, 18.39).
@pytest.mark.parametrize("count", [0, 1, 2, 5, 9, 10, 11, 35, 100, 1203, 50_000, 500_000])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_interval_matches_chi_squared(count, confidence):
    tail = (1 - confidence) / 2
    interval = exact_interval(count, confidence=confidence)
    lower = stats.chi2.ppf(tail, 2 * count) / 2 if count else 0.0
    assert interval.lower == pytest.approx(lower, rel=1e-10, abs=1e-12)
    assert interval.upper == pytest.approx(stats.chi2.ppf(1 - tail, 2 * count + 2) / 2, rel=1e-10)
    assert interval.method == IntervalMethod.EXACT
    assert interval.confidence == confidence


def test_exact_interval_printed_values():
    assert exact_interval(0).upper == pytest.approx(3.689, abs=5e-4)
    one = exact_interval(1)
    assert (one.lower, one.upper) == (
        pytest.approx(0.0253, abs=5e-5),
        pytest.approx(5.572, abs=5e-4),
    )
    ten = exact_interval(10)
    assert (ten.lower, ten.upper) == (
        pytest.approx(4.795, abs=5e-4),
        pytest.approx(18.39, abs=5e-3),
    )


@pytest.mark.parametrize("count", [10, 11, 35, 1203, 500_000])
def test_byar_interval_matches_its_formula(count):
    z = stats.norm.ppf(0.975)
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    interval = byar_interval(count)
    assert interval.lower == pytest.approx(lower, rel=1e-12)
    assert interval.upper == pytest.approx(upper, rel=1e-12)
    assert interval.method == IntervalMethod.BYAR
    # Byar's is close to the exact interval from 10 up.
    exact = exact_interval(count)
    assert interval.lower == pytest.approx(exact.lower, rel=0.01)
    assert interval.upper == pytest.approx(exact.upper, rel=0.01)


def test_byar_is_refused_below_ten_and_count_interval_falls_back():
    with pytest.raises(ValueError, match="from a count of 10"):
        byar_interval(9)
    assert count_interval(9, method=IntervalMethod.BYAR) == exact_interval(9)
    assert count_interval(10, method=IntervalMethod.BYAR) == byar_interval(10)
    assert count_interval(10, method="byar").method == IntervalMethod.BYAR
    assert count_interval(10) == exact_interval(10)


def test_rate_interval_is_the_counts_over_the_population():
    count = exact_interval(412)
    rate = rate_interval(412, 1_500_000, per=1000)
    assert rate.lower == pytest.approx(count.lower / 1500, rel=1e-14)
    assert rate.upper == pytest.approx(count.upper / 1500, rel=1e-14)
    byar = rate_interval(412, Decimal(1_500_000), per=100_000, method=IntervalMethod.BYAR)
    assert byar.upper == pytest.approx(byar_interval(412).upper / 15, rel=1e-14)
    assert byar.method == IntervalMethod.BYAR
    with pytest.raises(ValueError, match="population"):
        rate_interval(3, 0)
    with pytest.raises(ValueError, match="multiplier"):
        rate_interval(3, 100, per=0)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.2])
def test_bad_confidence_is_refused(confidence):
    with pytest.raises(ValueError, match="confidence level"):
        exact_interval(3, confidence=confidence)
    with pytest.raises(ValueError, match="confidence level"):
        byar_interval(30, confidence=confidence)


@given(st.integers(0, 100_000))
def test_intervals_surround_the_count_and_grow_with_it(count):
    interval = exact_interval(count)
    following = exact_interval(count + 1)
    assert interval.lower <= count <= interval.upper
    assert following.lower > interval.lower
    assert following.upper > interval.upper


def exactly(message):
    """A ``match`` pattern for the whole of ``message``."""
    return "^" + re.escape(message) + "$"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"baseline": -1, "latest": 3},
            "the baseline count is a count of events, so it cannot be negative",
        ),
        (
            {"baseline": 1, "latest": 2.5},
            "the latest count is a count of events, so it must be a whole number",
        ),
        ({"baseline": math.inf, "latest": 3}, "the baseline count must be a finite number"),
        (
            {"baseline": 2, "latest": 3, "baseline_exposure": 0},
            "the baseline exposure must be a positive number (a population or a period length)",
        ),
        (
            {"baseline": 2, "latest": 3, "latest_exposure": 0},
            "the latest exposure must be a positive number (a population or a period length)",
        ),
        (
            {"baseline": 2, "latest": 3, "alpha": 2},
            "the significance level must be between 0 and 1, such as 0.05",
        ),
    ],
)
def test_refusals_say_what_is_wrong(arguments, message):
    with pytest.raises(ValueError, match=exactly(message)):
        compare_counts(**arguments)


def test_type_refusals_name_the_type():
    with pytest.raises(TypeError, match=exactly("the baseline count must be a number, not str")):
        compare_counts("3", 3)
    with pytest.raises(
        TypeError, match=exactly("the latest exposure must be a number, not NoneType")
    ):
        compare_counts(3, 3, latest_exposure=None)
    with pytest.raises(TypeError, match=exactly("the baseline exposure must be a number, not str")):
        compare_counts(3, 3, baseline_exposure="2")
    with pytest.raises(
        ValueError, match=exactly("the probability under test must be strictly between 0 and 1")
    ):
        two_sided_binomial_p(1, 2, 1.5)
    with pytest.raises(
        ValueError, match=exactly("the count is a count of events, so it cannot be negative")
    ):
        exact_interval(-1)
    with pytest.raises(
        ValueError, match=exactly("the count is a count of events, so it must be a whole number")
    ):
        byar_interval(10.5)
    with pytest.raises(
        ValueError, match=exactly("the count is a count of events, so it cannot be negative")
    ):
        count_interval(-1, method=IntervalMethod.BYAR)
    with pytest.raises(
        ValueError, match=exactly("the confidence level must be between 0 and 1, such as 0.95")
    ):
        exact_interval(1, confidence=1)
    with pytest.raises(
        ValueError,
        match=exactly("the population must be a positive number (a population or a period length)"),
    ):
        rate_interval(3, 0)
    with pytest.raises(
        ValueError,
        match=exactly(
            "the rate's multiplier must be a positive number (a population or a period length)"
        ),
    ):
        rate_interval(3, 10, per=-1)


def test_intervals_carry_their_confidence_through():
    assert count_interval(30, confidence=0.998) == exact_interval(30, confidence=0.998)
    assert count_interval(30, confidence=0.998, method=IntervalMethod.BYAR) == byar_interval(
        30, confidence=0.998
    )
    assert byar_interval(30, confidence=0.998).confidence == 0.998
    assert byar_interval(30, confidence=0.998).upper > byar_interval(30).upper
    rate = rate_interval(30, 2000, confidence=0.998)
    assert rate.confidence == 0.998
    assert rate.upper == pytest.approx(exact_interval(30, confidence=0.998).upper / 2, rel=1e-14)
    # per 1,000 people unless told otherwise
    assert rate_interval(30, 2000).upper == pytest.approx(exact_interval(30).upper / 2, rel=1e-14)


@pytest.mark.parametrize("shape", [0.5, 1, 3, 10, 200, 100_000])
def test_gamma_quantile_from_any_start(shape):
    """The root-finder's safeguards: from a start far too low or far too high,
    Newton's steps are kept in the bracket and reach scipy's answer."""
    for probability in (0.001, 0.025, 0.5, 0.975, 0.999):
        expected = float(special.gammaincinv(shape, probability))
        for start in (None, 1e-9, expected / 100, expected * 100, 1e12):
            assert _gamma_quantile(shape, probability, start=start) == pytest.approx(
                expected, rel=1e-10
            )
