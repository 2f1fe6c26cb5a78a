"""Funnel plot limits and calls against an independent computation with scipy
and numpy, on generated figures for every force (illustrative, not official)."""

import math

import numpy as np
import pytest
from scipy import stats

from measures.stats.funnel import (
    FunnelPoint,
    Method,
    Position,
    Unit,
    funnel,
    funnel_limits,
    overdispersion,
)
from measures.stats.poisson import rate_interval

# England and Wales, illustratively: 80 offences per 1,000 people.
TARGET = 80.0


def interpolated(probability, mu):
    """Spiegelhalter's (2005) interpolated Poisson quantile, with scipy."""
    r = stats.poisson.ppf(probability, mu)
    at, below = stats.poisson.cdf(r, mu), stats.poisson.cdf(r - 1, mu)
    return r - (at - probability) / (at - below)


def scipy_limit(probability, mu):
    """The limit: the interpolated quantile, never below zero."""
    return max(0.0, interpolated(probability, mu))


def generated_forces(seed=16, forces=43, spread=0.15):
    """A population and a count for each of 43 forces, rates spread around the
    target by a log-normal between-force effect, plus Poisson noise."""
    rng = np.random.default_rng(seed)
    units = []
    for i in range(forces):
        population = int(rng.integers(500_000, 3_000_000))
        mean = population * TARGET / 1000 * math.exp(rng.normal(0, spread))
        units.append(Unit(f"force-{i}", int(rng.poisson(mean)), population))
    return units


@pytest.mark.parametrize("population", [50, 1_000, 20_000, 600_000, 3_000_000])
def test_exact_limits_match_scipy(population):
    limits = funnel_limits(population, TARGET, per=1000)
    mu = TARGET / 1000 * population
    expected = [scipy_limit(p, mu) / population * 1000 for p in (0.025, 0.975, 0.001, 0.999)]
    got = [limits.lower_95, limits.upper_95, limits.lower_998, limits.upper_998]
    assert got == pytest.approx(expected, rel=1e-9)
    assert limits.lower_998 < limits.lower_95 < TARGET < limits.upper_95 < limits.upper_998


def test_exact_lower_limits_stop_at_zero():
    """With 0.8 events expected, no event at all (P = 0.45) is above every
    lower probability: the interpolation would give a negative limit."""
    limits = funnel_limits(10, TARGET)
    assert limits.lower_95 == limits.lower_998 == 0
    assert interpolated(0.025, 0.8) < 0
    assert limits.upper_95 == pytest.approx(scipy_limit(0.975, 0.8) / 10 * 1000, rel=1e-9)


def test_exact_limits_narrow_with_population_towards_the_normal_approximation():
    widths = [funnel_limits(n, TARGET).upper_95 - TARGET for n in (1000, 10_000, 100_000)]
    assert widths[0] > widths[1] > widths[2]
    large = funnel_limits(10_000_000, TARGET)
    normal = 1.959964 * math.sqrt(TARGET / 1000 / 10_000_000) * 1000
    assert large.upper_95 - TARGET == pytest.approx(normal, rel=0.01)


def test_adjusted_limits_match_the_square_root_formula():
    tau2 = 0.004
    limits = funnel_limits(250_000, TARGET, per=1000, tau2=tau2)
    expected_count = TARGET / 1000 * 250_000
    for z, lower, upper in (
        (stats.norm.ppf(0.975), limits.lower_95, limits.upper_95),
        (stats.norm.ppf(0.999), limits.lower_998, limits.upper_998),
    ):
        spread = z * math.sqrt(1 / (4 * expected_count) + tau2)
        assert lower == pytest.approx(TARGET * (1 - spread) ** 2, rel=1e-12)
        assert upper == pytest.approx(TARGET * (1 + spread) ** 2, rel=1e-12)


def test_an_adjusted_lower_limit_never_turns_back_up():
    # So wide a spread that 1 - z sqrt(...) is negative: the limit is 0.
    limits = funnel_limits(100, TARGET, tau2=1.0)
    assert limits.lower_95 == limits.lower_998 == 0


def test_overdispersion_matches_numpy_and_scipy():
    units = generated_forces()
    result = funnel(units, target_rate=TARGET)
    counts = np.array([u.count for u in units], dtype=float)
    expected = np.array([u.population for u in units]) * TARGET / 1000
    z = 2 * (np.sqrt(counts) - np.sqrt(expected))
    low, high = np.percentile(z, [10, 90])
    phi = np.mean(np.clip(z, low, high) ** 2)
    k = len(units)
    assert [p.z for p in result.points] == pytest.approx(list(z), rel=1e-12)
    dispersion = result.overdispersion
    assert dispersion.phi == pytest.approx(phi, rel=1e-12)
    assert dispersion.statistic == pytest.approx(k * phi, rel=1e-12)
    assert dispersion.degrees_of_freedom == k - 1
    assert dispersion.p_value == pytest.approx(stats.chi2.sf(k * phi, k - 1), rel=1e-9, abs=1e-300)
    w = 4 * expected
    tau2 = (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())
    assert dispersion.tau2 == pytest.approx(tau2, rel=1e-9)
    assert dispersion.adjusted
    assert result.method == Method.RANDOM_EFFECTS


def test_calls_agree_with_an_independent_computation():
    units = generated_forces()
    result = funnel(units, target_rate=TARGET)
    tau2 = result.overdispersion.tau2
    for unit, point in zip(units, result.points, strict=True):
        rate = unit.count / unit.population * 1000
        e = TARGET / 1000 * unit.population
        spread = stats.norm.ppf(0.975) * math.sqrt(1 / (4 * e) + tau2)
        lower, upper = TARGET * max(0, 1 - spread) ** 2, TARGET * (1 + spread) ** 2
        expected = "above" if rate > upper else "below" if rate < lower else "within"
        assert point.position_95 == expected
        assert point.rate == pytest.approx(rate, rel=1e-12)
        assert point.interval == rate_interval(unit.count, unit.population, per=1000)


def test_a_force_far_out_is_called_out_and_a_force_on_the_mean_is_not():
    units = [
        *generated_forces(),
        Unit("far-out", 40_000, 1_000_000),
        Unit("on-the-mean", 80_000, 1_000_000),
    ]
    result = funnel(units, target_rate=TARGET)
    far, mean = result.points[-2], result.points[-1]
    assert far.position_95 == far.position_998 == Position.BELOW
    assert mean.position_95 == mean.position_998 == Position.WITHIN
    high = funnel([*units, Unit("high", 160_000, 1_000_000)], target_rate=TARGET).points[-1]
    assert high.position_998 == Position.ABOVE


def test_no_adjustment_when_the_data_do_not_call_for_it():
    """Pure Poisson counts: the test of phi does not reject, so the limits stay exact."""
    rng = np.random.default_rng(5)
    units = [
        Unit(f"f{i}", int(rng.poisson(TARGET / 1000 * n)), n)
        for i, n in enumerate(range(200_000, 2_000_000, 45_000))
    ]
    result = funnel(units, target_rate=TARGET)
    assert result.overdispersion.p_value >= 0.05
    assert result.overdispersion.tau2 == 0
    assert not result.overdispersion.adjusted
    assert result.method == Method.EXACT_POISSON
    for unit, point in zip(units, result.points, strict=True):
        assert point.limits == funnel_limits(unit.population, TARGET)


def test_without_adjustment_exact_limits_call_most_over_dispersed_forces_out():
    units = generated_forces()
    exact = funnel(units, target_rate=TARGET, adjust=False)
    adjusted = funnel(units, target_rate=TARGET)
    assert exact.overdispersion is None
    assert exact.method == Method.EXACT_POISSON
    outside = sum(p.position_998 != Position.WITHIN for p in exact.points)
    outside_adjusted = sum(p.position_998 != Position.WITHIN for p in adjusted.points)
    assert outside > outside_adjusted


def test_the_default_target_is_the_pooled_rate():
    units = [Unit("a", 30, 1000), Unit("b", 50, 1000), Unit("c", 100, 2000)]
    assert funnel(units).target_rate == pytest.approx(180 / 4000 * 1000)
    assert funnel(units, per=100_000).target_rate == pytest.approx(180 / 4000 * 100_000)


def test_overdispersion_boundary_and_small_groups():
    two = funnel([Unit("a", 30, 1000), Unit("b", 50, 1000)])
    assert two.overdispersion is None
    with pytest.raises(ValueError, match="three units"):
        overdispersion([1.0, 2.0], [10.0, 10.0])
    # Just over-dispersed enough: I phi at the chi-squared 95th percentile.
    k = 10
    critical = stats.chi2.ppf(0.95, k - 1)
    z = [math.sqrt(critical / k)] * k
    below = overdispersion([v * 0.999 for v in z], [100.0] * k)
    above = overdispersion([v * 1.001 for v in z], [100.0] * k)
    assert below.tau2 == 0 and not below.adjusted
    assert above.tau2 > 0 and above.adjusted


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([], "at least one unit"),
        ([Unit("a", 3, 0)], "population of a"),
        ([Unit("a", -3, 10)], "count of a"),
        ([Unit("a", 2.5, 10)], "count of a"),
        ([Unit("a", 0, 10), Unit("b", 0, 10)], "no events"),
    ],
)
def test_bad_input_is_refused(units, message):
    with pytest.raises(ValueError, match=message):
        funnel(units)


def test_bad_limits_input_is_refused():
    with pytest.raises(ValueError, match="target rate"):
        funnel_limits(1000, 0)
    with pytest.raises(ValueError, match="negative"):
        funnel_limits(1000, TARGET, tau2=-0.1)
    with pytest.raises(ValueError, match="population"):
        funnel_limits(0, TARGET)


def test_positions_at_the_limits_are_within():
    from measures.stats.funnel import _position

    assert _position(5.0, 1.0, 5.0) == Position.WITHIN
    assert _position(1.0, 1.0, 5.0) == Position.WITHIN
    assert _position(5.000001, 1.0, 5.0) == Position.ABOVE
    assert _position(0.999999, 1.0, 5.0) == Position.BELOW


def test_winsorising_quantiles_match_numpy():
    from measures.stats.funnel import _quantile

    values = sorted([3.0, -1.0, 7.5, 2.0, 0.0, 11.0, -4.0])
    for fraction in (0.0, 0.1, 0.5, 0.9):
        assert _quantile(values, fraction) == pytest.approx(np.percentile(values, fraction * 100))


def test_three_units_are_enough_for_the_overdispersion_test():
    units = [Unit("a", 30, 1000), Unit("b", 50, 1000), Unit("c", 100, 2000)]
    assert funnel(units).overdispersion is not None


def test_every_field_of_a_point_and_another_multiplier():
    units = [*generated_forces(forces=5), Unit("x", 900, 1_000_000)]
    result = funnel(units, target_rate=8000, per=100_000)
    assert result.per == 100_000
    assert result.target_rate == pytest.approx(8000)
    tau2 = result.overdispersion.tau2
    last = result.points[-1]
    expected = 8000 / 100_000 * 1_000_000
    assert last == FunnelPoint(
        name="x",
        count=900,
        population=1_000_000.0,
        rate=90.0,
        per=100_000.0,
        z=pytest.approx(2 * (math.sqrt(900) - math.sqrt(expected))),
        limits=funnel_limits(1_000_000, 8000, per=100_000, tau2=tau2),
        position_95=Position.BELOW,
        position_998=Position.BELOW,
    )
    assert last.interval == rate_interval(900, 1_000_000, per=100_000)


MULTIPLIER = (
    r"^the rate's multiplier must be a positive number \(a population or a period length\)$"
)


def test_refusals_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"^a funnel plot needs at least one unit$"):
        funnel([])
    with pytest.raises(
        ValueError, match=r"^with no events at all there is no rate to compare with$"
    ):
        funnel([Unit("a", 0, 10)])
    with pytest.raises(
        ValueError,
        match=MULTIPLIER,
    ):
        funnel([Unit("a", 3, 10)], per=0)
    with pytest.raises(
        ValueError,
        match=MULTIPLIER,
    ):
        funnel_limits(10, 5, per=0)
    with pytest.raises(
        ValueError,
        match=r"^the population must be a positive number \(a population or a period length\)$",
    ):
        funnel_limits(0, 5)
    with pytest.raises(ValueError, match=r"^the target rate must be a positive number$"):
        funnel_limits(10, -5)
    with pytest.raises(ValueError, match=r"^a variance cannot be negative$"):
        funnel_limits(10, 5, tau2=-1)
    with pytest.raises(ValueError, match=r"^over-dispersion needs at least three units$"):
        overdispersion([1.0], [1.0])
