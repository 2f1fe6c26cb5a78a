"""The comparison's rules against an independent computation (scipy and
numpy, written from Spiegelhalter 2005 here, not from our code), with
generated figures for all 43 forces."""

import datetime
import math
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats

from compare.rules import (
    Missing,
    Observed,
    PeriodChoice,
    compare_forces,
    default_period,
    funnel_curve,
    population_year,
)
from measures.stats.funnel import Position

FAR_OUT, ON_MEAN = 1, 2


def generated(
    *, spread: float, far_out: float = 0.015, seed: int = 16
) -> tuple[list[Observed], Observed]:
    """43 forces: populations of 0.3 to 8 million, Poisson counts around 5 per
    1,000 with a between-force spread (none: plain Poisson variation); force 1
    (600,000 people) at three times the rate, force 2 exactly on England and Wales's rate.
    England and Wales is their total."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(1, 44):
        people = int(np.exp(rng.uniform(np.log(300_000), np.log(8_000_000))))
        if i == FAR_OUT:
            people = 600_000  # small enough not to move England and Wales's rate much
        rate = far_out if i == FAR_OUT else 0.005 * np.exp(rng.normal(0, spread))
        rows.append(
            Observed(
                i, f"Force {i:02d}", Decimal(int(rng.poisson(people * rate))), population=people
            )
        )
    others = [r for r in rows if r.area_id != ON_MEAN]
    people = rows[ON_MEAN - 1].population
    # On the others' rate, so on England and Wales's once it is added in.
    on_mean = sum(int(r.value) for r in others) * people / sum(r.population for r in others)
    rows[ON_MEAN - 1] = Observed(ON_MEAN, "Force 02", Decimal(round(on_mean)), population=people)
    national_count = sum(int(r.value) for r in rows)
    total_people = sum(r.population for r in rows)
    return rows, Observed(0, "England and Wales", Decimal(national_count), population=total_people)


def reference_calls(rows: list[Observed], target_per_1000: float):
    """Spiegelhalter's limits, independently: numpy's percentiles, scipy's
    chi-squared, normal and Poisson distributions."""
    theta = target_per_1000 / 1000
    counts = np.array([float(r.value) for r in rows])
    people = np.array([float(r.population) for r in rows])
    expected = theta * people
    z = 2 * (np.sqrt(counts) - np.sqrt(expected))
    low, high = np.percentile(z, [10, 90])
    phi = np.mean(np.clip(z, low, high) ** 2)
    units = len(rows)
    p_value = stats.chi2.sf(units * phi, units - 1)
    tau2 = 0.0
    if p_value < 0.05:
        w = 4 * expected
        tau2 = max(0.0, (units * phi - (units - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    calls = {}
    for r, count, n, e in zip(rows, counts, people, expected, strict=True):
        rate = count / n
        limits = {}
        for name, (pl, ph) in {"95": (0.025, 0.975), "99.8": (0.001, 0.999)}.items():
            if tau2 > 0:
                spread = stats.norm.ppf(ph) * math.sqrt(1 / (4 * e) + tau2)
                lo, hi = theta * max(0.0, 1 - spread) ** 2, theta * (1 + spread) ** 2
            else:
                lo, hi = (poisson_limit(p, e) / n for p in (pl, ph))
            limits[name] = (lo * 1000, hi * 1000)
            call = "above" if rate > hi else "below" if rate < lo else "within"
            calls[(r.area_id, name)] = call
        calls[(r.area_id, "limits")] = limits
    return calls, tau2


def poisson_limit(p: float, mu: float) -> float:
    r = stats.poisson.ppf(p, mu)
    at, below = stats.poisson.cdf(r, mu), stats.poisson.cdf(r - 1, mu)
    return max(0.0, r - (at - p) / (at - below))


@pytest.mark.parametrize(
    ("spread", "far_out", "adjusted"),
    [
        (0.0, 0.005, False),  # plain Poisson variation: exact Poisson limits
        (0.0, 0.015, True),  # one force far out moves the target enough to tell
        (0.25, 0.015, True),  # forces that really differ: random-effects limits
    ],
)
def test_funnel_limits_and_calls_agree_with_an_independent_computation(spread, far_out, adjusted):
    rows, national = generated(spread=spread, far_out=far_out)
    result = compare_forces(unit="count", forces=rows, national=national)
    target = float(national.value) / national.population * 1000
    assert result.national_rate == pytest.approx(target, rel=1e-12)
    reference, tau2 = reference_calls(rows, target)
    assert result.funnel.overdispersion.tau2 == pytest.approx(tau2, rel=1e-9, abs=1e-15)
    assert bool(tau2 > 0) is adjusted
    for force in result.results:
        assert force.position_95.value == reference[(force.area_id, "95")], force.name
        assert force.position_998.value == reference[(force.area_id, "99.8")], force.name
        limits = reference[(force.area_id, "limits")]
        assert force.limits.lower_95 == pytest.approx(limits["95"][0], rel=1e-6, abs=1e-9)
        assert force.limits.upper_95 == pytest.approx(limits["95"][1], rel=1e-6)
        assert force.limits.lower_998 == pytest.approx(limits["99.8"][0], rel=1e-6, abs=1e-9)
        assert force.limits.upper_998 == pytest.approx(limits["99.8"][1], rel=1e-6)
    by_id = {r.area_id: r for r in result.results}
    if far_out > 0.005:
        assert by_id[FAR_OUT].position_998 == Position.ABOVE
    assert by_id[ON_MEAN].position_95 == Position.WITHIN
    assert by_id[ON_MEAN].position_998 == Position.WITHIN


def test_rates_and_intervals_per_1000_people_from_the_count():
    rows = [Observed(1, "A", Decimal(50), population=100_000)]
    force = compare_forces(unit="count", forces=rows, national=None).results[0]
    assert force.rate == pytest.approx(0.5)
    # Garwood's exact interval of 50, from the chi-squared distribution, per 1,000 of 100,000.
    assert force.lower == pytest.approx(stats.chi2.ppf(0.025, 100) / 2 / 100, rel=1e-9)
    assert force.upper == pytest.approx(stats.chi2.ppf(0.975, 102) / 2 / 100, rel=1e-9)


def test_forces_without_a_comparable_figure_are_listed_not_dropped():
    rows = [
        Observed(1, "A", Decimal(50), population=100_000),
        Observed(2, "B", None, population=100_000),
        Observed(3, "C", Decimal(40), series_break=True, population=100_000),
        Observed(4, "D", Decimal(40)),
        Observed(5, "E", Decimal("40.5"), population=100_000),
    ]
    result = compare_forces(unit="count", forces=rows, national=None, focus_id=2)
    assert [r.name for r in result.results] == ["A"]
    assert [(m.name, m.reason, m.is_focus) for m in result.missing] == [
        ("B", Missing.NO_FIGURE, True),
        ("C", Missing.SERIES_BREAK, False),
        ("D", Missing.NO_POPULATION, False),
        ("E", Missing.NOT_A_COUNT, False),
    ]
    # No England and Wales figure: the forces' own pooled rate, and it says so.
    assert result.national_from_forces and result.national_rate == pytest.approx(0.5)


def test_sorted_by_rate_and_the_group_rate_is_the_groups_pooled_rate():
    rows = [
        Observed(1, "A", Decimal(30), population=10_000),  # 3 per 1,000
        Observed(2, "B", Decimal(10), population=10_000),  # 1
        Observed(3, "C", Decimal(40), population=20_000),  # 2
        Observed(4, "D", Decimal(90), population=10_000),  # 9, not in the group
    ]
    result = compare_forces(
        unit="count", forces=rows, national=None, focus_id=1, group_ids=frozenset({2, 3})
    )
    assert [r.name for r in result.results] == ["B", "C", "A", "D"]
    assert result.group_rate == pytest.approx((30 + 10 + 40) / 40_000 * 1000)
    assert result.group_size == 3
    assert result.focus.name == "A"
    assert [r.in_group for r in result.results] == [True, True, False, False]


def test_a_percentage_is_compared_as_given_without_a_funnel():
    rows = [
        Observed(1, "A", Decimal("70"), Decimal("65"), Decimal("75")),
        Observed(2, "B", Decimal("60")),
    ]
    national = Observed(0, "E&W", Decimal("66"))
    result = compare_forces(unit="percentage", forces=rows, national=national)
    assert [(r.name, r.rate, r.lower) for r in result.results] == [
        ("B", 60.0, None),
        ("A", 70.0, 65.0),
    ]
    assert result.funnel is None and result.national_rate == 66.0


def test_the_funnel_curve_spans_the_forces():
    rows, national = generated(spread=0.25)
    drawn = compare_forces(unit="count", forces=rows, national=national).funnel
    curve = funnel_curve(drawn)
    smallest = min(r.population for r in rows)
    largest = max(r.population for r in rows)
    assert curve[0][0] < smallest and curve[-1][0] > largest
    # The funnel narrows as the population grows.
    assert curve[0][1].upper_998 > curve[-1][1].upper_998


@pytest.mark.parametrize(
    ("start", "end", "year"),
    [
        (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31), 2023),
        (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), 2023),
        (datetime.date(2023, 7, 1), datetime.date(2024, 6, 30), 2023),
        (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31), 2023),
    ],
)
def test_population_year(start, end, year):
    assert population_year(start, end) == year


def test_the_default_period_prefers_the_baseline_length_then_most_forces_then_latest():
    d = datetime.date
    periods = [
        PeriodChoice(d(2024, 3, 1), d(2024, 3, 31), 43),
        PeriodChoice(d(2023, 7, 1), d(2024, 6, 30), 30),
        PeriodChoice(d(2023, 4, 1), d(2024, 3, 31), 43),
        PeriodChoice(d(2022, 4, 1), d(2023, 3, 31), 43),
    ]
    assert default_period(periods, 364, 3) == periods[2]
    assert default_period(periods[:1], 364, 3) == periods[0]
    assert default_period([], 364, 3) is None


def test_a_rare_event_is_given_per_100000_people():
    rows = [Observed(1, "A", Decimal(12), population=1_500_000)]
    national = Observed(0, "E&W", Decimal(600), population=60_000_000)
    result = compare_forces(unit="count", forces=rows, national=national)
    assert result.per == 100_000
    assert result.national_rate == pytest.approx(1.0)
    assert result.results[0].rate == pytest.approx(0.8)
    common = compare_forces(
        unit="count", forces=rows, national=Observed(0, "E&W", Decimal(6000), population=1000)
    )
    assert common.per == 1000
