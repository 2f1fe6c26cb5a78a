"""Counts of events: the exact test of two Poisson counts, and confidence
intervals for a count and for a rate worked out from its count.

The test
--------
Two counts x1 (baseline) and x2 (latest), observed over exposures e1 and e2
(populations, or lengths of period; both 1 for plain counts), are compared by
the conditional test: given their total n = x1 + x2, the latest count is
Binomial(n, e2 / (e1 + e2)) when the two rates are equal, so the test of equal
rates is an exact binomial test (Przyborowski and Wilenski, "Homogeneity of
results in testing samples from Poisson series", Biometrika 31, 1940). It is
what R's ``poisson.test(c(x1, x2), c(e1, e2))`` does: ``binom.test(x1, n,
e1 / (e1 + e2))``.

The two-sided p-value is the *minimum-likelihood* ("minlike") rule: the sum of
the probabilities of every outcome no more likely than the one observed,
allowing a relative tolerance of 1e-7 so that outcomes of equal probability,
computed with rounding error, are counted alike. It is the default rule of R's
``binom.test`` and ``poisson.test`` and of scipy's ``binomtest``, so that anyone
can reproduce our p-values with either; Fay ("Two-sided exact tests and
matching confidence intervals for discrete data", R Journal 2(1), 2010) sets
out this rule beside the "central" rule (twice the smaller tail). With equal
exposures (two counts over periods of the same length) the binomial is
symmetric and the two rules give the same p-value; they differ only for
unequal exposures. The issue's five examples (35 -> 22: p = 0.111;
412 -> 371: 0.153; 1,203 -> 1,090: 0.0193; 57 -> 81: 0.0498; 6 -> 3: 0.508)
come out of both.

The intervals
-------------
- Exact (Garwood, "Fiducial limits for the Poisson distribution", Biometrika
  28, 1936): the lower limit is the mean whose P(X >= x) is alpha/2, the upper
  the mean whose P(X <= x) is alpha/2; equivalently chi-squared quantiles,
  chi2(alpha/2, 2x) / 2 and chi2(1 - alpha/2, 2x + 2) / 2.
- Byar's approximation (Breslow and Day, *Statistical Methods in Cancer
  Research* II, IARC 1987, p. 69): x (1 - 1/(9x) - z/(3 sqrt x))^3 and
  (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3; acceptable from a count of 10.
- A rate's interval is its count's interval divided by the exposure (the
  population), times the rate's multiplier (per 1,000 people).
"""

import enum
import math
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

from .distributions import (
    binomial_log_pmf,
    binomial_tails,
    gamma_density,
    gamma_tails,
    normal_quantile,
)

__all__ = [
    "BYAR_FROM",
    "CountComparison",
    "Interval",
    "IntervalMethod",
    "byar_interval",
    "compare_counts",
    "count_interval",
    "exact_interval",
    "rate_interval",
    "two_sided_binomial_p",
]

# R's binom.test and scipy's binomtest: outcomes whose probability is within
# this relative tolerance of the observed one count as "no more likely".
RELATIVE_TOLERANCE = 1e-7
LOG_TOLERANCE = math.log1p(RELATIVE_TOLERANCE)

# Byar's approximation is acceptable from this count up (the honest-numbers
# issue); below it ``count_interval`` uses the exact interval whatever it is asked.
BYAR_FROM = 10

Number = int | float | Decimal


class IntervalMethod(enum.StrEnum):
    EXACT = "exact"
    BYAR = "byar"


@dataclass(frozen=True)
class Interval:
    """A confidence interval, and the method that actually made it."""

    lower: float
    upper: float
    confidence: float
    method: IntervalMethod


@dataclass(frozen=True)
class CountComparison:
    """The exact conditional test of two Poisson counts.

    ``null_share`` is the latest count's expected share of the total when the
    two rates are equal: e2 / (e1 + e2). ``rate_ratio`` is the latest rate over
    the baseline rate (None when the baseline count is zero).
    """

    baseline: int
    latest: int
    baseline_exposure: float
    latest_exposure: float
    null_share: float
    p_value: float
    rate_ratio: float | None
    alpha: float

    @property
    def significant(self) -> bool:
        """Whether the difference counts at the test's level (p below alpha)."""
        return self.p_value < self.alpha


def _whole_count(value: Number, name: str) -> int:
    """A count as an int, refusing what cannot be a count of events."""
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    if value < 0:
        raise ValueError(f"{name} is a count of events, so it cannot be negative")
    if value != int(value):
        raise ValueError(f"{name} is a count of events, so it must be a whole number")
    return int(value)


def _exposure(value: Number, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    exposure = float(value)
    if not math.isfinite(exposure) or exposure <= 0:
        raise ValueError(f"{name} must be a positive number (a population or a period length)")
    return exposure


def _confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError("the confidence level must be between 0 and 1, such as 0.95")
    return confidence


def two_sided_binomial_p(successes: int, trials: int, probability: float) -> float:
    """The two-sided p-value of the exact binomial test, by the minlike rule.

    The sum of P(X = j) over every j with P(X = j) <= P(X = successes) * (1 + 1e-7),
    X ~ Binomial(trials, probability), worked out as two tails: the observed
    one, and the opposite one from the first outcome past the mean that is no
    more likely than the observed (found by bisection, since the probabilities
    fall steadily away from the mode). No trials at all is the one certain
    outcome: p = 1.
    """
    if not 0 < probability < 1:
        raise ValueError("the probability under test must be strictly between 0 and 1")
    if trials == 0:
        return 1.0
    mean = trials * probability
    if successes == mean:
        return 1.0
    threshold = binomial_log_pmf(successes, trials, probability) + LOG_TOLERANCE

    def no_more_likely(j: int) -> bool:
        # Ties are what the 1e-7 tolerance is for: "<" and "<=" agree.
        return binomial_log_pmf(j, trials, probability) <= threshold  # pragma: no mutate

    if successes < mean:  # pragma: no mutate (equal to the mean returned above)
        # The first j at or above the mean that is no more likely.
        low, high = math.ceil(mean), trials + 1
        while low < high:
            middle = (low + high) // 2
            if no_more_likely(middle):
                high = middle
            else:
                low = middle + 1
        near = binomial_tails(successes, trials, probability)[0]
        far = binomial_tails(low, trials, probability)[1]
    else:
        # The last j at or below the mean that is no more likely.
        low, high = -1, math.floor(mean)
        while low < high:
            middle = (low + high + 1) // 2  # pragma: no mutate
            if no_more_likely(middle):
                low = middle
            else:
                high = middle - 1
        near = binomial_tails(successes, trials, probability)[1]
        far = binomial_tails(low, trials, probability)[0]
    # The two tails are disjoint: only rounding could take their sum past 1.
    return min(1.0, near + far)  # pragma: no mutate


def compare_counts(
    baseline: Number,
    latest: Number,
    *,
    baseline_exposure: Number = 1,
    latest_exposure: Number = 1,
    alpha: float = 0.05,
) -> CountComparison:
    """The exact test that two counts (or two rates, with their populations as
    exposures) come from the same Poisson rate; two-sided, at level ``alpha``.

    Counts must be whole and not negative, exposures positive: anything else is
    refused with a ValueError that says which.
    """
    x1 = _whole_count(baseline, "the baseline count")
    x2 = _whole_count(latest, "the latest count")
    e1 = _exposure(baseline_exposure, "the baseline exposure")
    e2 = _exposure(latest_exposure, "the latest exposure")
    if not 0 < alpha < 1:
        raise ValueError("the significance level must be between 0 and 1, such as 0.05")
    share = e2 / (e1 + e2)
    return CountComparison(
        baseline=x1,
        latest=x2,
        baseline_exposure=e1,
        latest_exposure=e2,
        null_share=share,
        p_value=two_sided_binomial_p(x2, x1 + x2, share),
        rate_ratio=(x2 / e2) / (x1 / e1) if x1 else None,
        alpha=alpha,
    )


def _gamma_quantile(shape: float, probability: float, *, start: float | None = None) -> float:
    """The x with P(shape, x) = probability (the regularised lower incomplete
    gamma), by Newton's method kept inside a bracket that bisection narrows.

    Starts from ``start`` or, by default, from the Wilson-Hilferty cube-root
    approximation, which Byar's interval also rests on, so that a few steps
    reach full precision.
    """
    if start is None:
        z = normal_quantile(probability)
        cube = 1 - 1 / (9 * shape) + z / (3 * math.sqrt(shape))  # pragma: no mutate
        small = shape * probability ** (1 / shape)  # pragma: no mutate
        start = shape * cube**3 if cube > 0 else small  # pragma: no mutate
    low, high = 0.0, math.inf
    x = float(start)
    for _ in range(200):  # pragma: no mutate
        lower, upper = gamma_tails(shape, x)
        # The smaller tail keeps its digits: P - p, computed either way.
        below = probability < 0.5  # pragma: no mutate
        error = lower - probability if below else (1 - probability) - upper  # pragma: no mutate
        if error < 0:  # pragma: no mutate
            low = x
        else:
            high = x
        density = gamma_density(shape, x)
        step = error / density if density > 0 else math.copysign(math.inf, error)
        if abs(step) <= 1e-13 * x:  # pragma: no mutate
            return x - step  # pragma: no mutate
        x -= step
        # Safeguards for a poor start: while there is no upper end to the
        # bracket, grow at most by doubling; once there is, bisect whenever
        # Newton's step leaves it. Any variant that still converges gives the
        # same root, only in more steps.
        if high == math.inf:  # pragma: no mutate
            x = min(x, 2 * low)  # pragma: no mutate
        elif not low < x < high:  # pragma: no mutate
            x = (low + high) / 2  # pragma: no mutate
    return x


def exact_interval(count: Number, *, confidence: float = 0.95) -> Interval:
    """Garwood's exact interval for a Poisson count."""
    x = _whole_count(count, "the count")
    tail = (1 - _confidence(confidence)) / 2
    lower = 0.0 if x == 0 else _gamma_quantile(x, tail)
    upper = _gamma_quantile(x + 1, 1 - tail)
    return Interval(lower, upper, confidence, IntervalMethod.EXACT)


def byar_interval(count: Number, *, confidence: float = 0.95) -> Interval:
    """Byar's approximation to the exact interval; refused below a count of 10,
    where it is not acceptable (use ``count_interval``, which falls back)."""
    x = _whole_count(count, "the count")
    if x < BYAR_FROM:
        raise ValueError(f"Byar's approximation is acceptable from a count of {BYAR_FROM}")
    z = normal_quantile(1 - (1 - _confidence(confidence)) / 2)
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    y = x + 1
    upper = y * (1 - 1 / (9 * y) + z / (3 * math.sqrt(y))) ** 3
    return Interval(lower, upper, confidence, IntervalMethod.BYAR)


def count_interval(
    count: Number,
    *,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.EXACT,
) -> Interval:
    """A count's interval by ``method``; Byar's only from a count of 10, the
    exact one below (the result's ``method`` says which was used)."""
    if IntervalMethod(method) == IntervalMethod.BYAR and _whole_count(count, "the count") >= (
        BYAR_FROM
    ):
        return byar_interval(count, confidence=confidence)
    return exact_interval(count, confidence=confidence)


def rate_interval(
    count: Number,
    population: Number,
    *,
    per: Number = 1000,
    confidence: float = 0.95,
    method: IntervalMethod = IntervalMethod.EXACT,
) -> Interval:
    """A rate's interval (per ``per`` people) from its count's: the count's
    limits divided by the population."""
    scale = _exposure(per, "the rate's multiplier") / _exposure(population, "the population")
    interval = count_interval(count, confidence=confidence, method=method)
    return Interval(interval.lower * scale, interval.upper * scale, confidence, interval.method)
