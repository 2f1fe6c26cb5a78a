"""Survey estimates: the test of the difference of two estimates from their
published 95% confidence intervals, not from whether the intervals overlap.

Why not overlap
---------------
Two 95% intervals can overlap while the difference between the estimates is
significant at 5%: requiring no overlap is a far stricter test than a test of
the difference (Schenker and Gentleman, "On judging the significance of
differences by examining the overlap between confidence intervals", The
American Statistician 55(3), 2001: "rejection of the null hypothesis by the
method of examining overlap implies rejection by the standard method, whereas
failure to reject by the method of examining overlap does not imply failure to
reject by the standard method"). The Office for National Statistics describes
standard errors, confidence intervals and statistical significance as its
measures of a survey's uncertainty ("Uncertainty and how we measure it for our
surveys"), and its crime bulletins state that "unless stated otherwise, all
changes in CSEW estimates described in the main text are statistically
significant at the 95 per cent level", with the method in the "User guide to
crime statistics for England and Wales"; the Government Statistical Service's
"Which differences in ethnic group data are real?" (Race Disparity Unit, 2021)
compares these ways of telling a real difference from sampling variation.
The standard errors are recovered from the published intervals, so whatever
the publisher allowed for in them (a complex survey's design effect) is
carried into the test.

The test
--------
For a symmetric interval, SE = (upper - lower) / (2 x 1.96); the difference
d = latest - baseline has SE_d = sqrt(SE1^2 + SE2^2); z = d / SE_d; the
two-sided p-value is P(|Z| >= |z|).

Asymmetric intervals (a percentage near 0 or 100 often has a Wilson or logit
interval) are handled by the "method of variance estimates recovery" (Zou and
Donner, "Construction of confidence limits about effect measures: a general
approach", Statistics in Medicine 27, 2008; Newcombe, "Interval
estimation for the difference between independent proportions", Statistics in
Medicine 17, 1998, method 10): each estimate's standard error is taken from the
half of its interval that faces the other estimate - for a rise, the upper half
of the baseline's interval and the lower half of the latest's - so that the
test asks whether the gap is wide compared with the uncertainty *in that
direction*. For symmetric intervals this is exactly the formula above, and
p < 0.05 exactly when the recovered 95% interval of the difference excludes 0.
When the two estimates are equal, the two halves are averaged.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from .distributions import normal_quantile, normal_two_sided_p

__all__ = ["Estimate", "SurveyComparison", "compare_estimates", "standard_error"]

Number = int | float | Decimal

# The intervals are 95% intervals: each half is 1.96 standard errors.
Z_95 = normal_quantile(0.975)


@dataclass(frozen=True)
class Estimate:
    """A survey estimate and its 95% confidence interval, when it has one."""

    value: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None

    def __post_init__(self):
        if (self.lower is None) != (self.upper is None):
            raise ValueError("an interval needs both its lower and its upper bound")
        if self.lower is not None and not self.lower <= self.value <= self.upper:
            raise ValueError("the interval must surround the estimate")

    @property
    def has_interval(self) -> bool:
        return self.lower is not None


@dataclass(frozen=True)
class SurveyComparison:
    """The test of the difference of two survey estimates."""

    difference: float  # latest - baseline, in the estimates' own unit
    baseline_se: float  # each from the half of its interval that faces the other
    latest_se: float
    z: float
    p_value: float
    alpha: float

    @property
    def standard_error(self) -> float:
        return math.hypot(self.baseline_se, self.latest_se)

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha


def standard_error(lower: Number, upper: Number, confidence: float = 0.95) -> float:
    """The standard error a symmetric interval implies: its width over 2 z."""
    z = normal_quantile(1 - (1 - confidence) / 2)
    return (float(upper) - float(lower)) / (2 * z)


def compare_estimates(
    baseline: Estimate, latest: Estimate, *, alpha: float = 0.05
) -> SurveyComparison | None:
    """The two-sided test of latest - baseline, from the two 95% intervals.

    None when either estimate has no interval: the change cannot be tested.
    """
    if not (baseline.has_interval and latest.has_interval):
        return None
    if not 0 < alpha < 1:
        raise ValueError("the significance level must be between 0 and 1, such as 0.05")
    b, b_low, b_up = float(baseline.value), float(baseline.lower), float(baseline.upper)
    x, x_low, x_up = float(latest.value), float(latest.lower), float(latest.upper)
    difference = x - b
    if difference > 0:
        baseline_se, latest_se = (b_up - b) / Z_95, (x - x_low) / Z_95
    elif difference < 0:
        baseline_se, latest_se = (b - b_low) / Z_95, (x_up - x) / Z_95
    else:
        baseline_se, latest_se = (b_up - b_low) / (2 * Z_95), (x_up - x_low) / (2 * Z_95)
    spread = math.hypot(baseline_se, latest_se)
    if spread == 0:
        # Both intervals have no width: the estimates are exact, and any
        # difference at all is real.
        z = 0.0 if difference == 0 else math.copysign(math.inf, difference)
        p_value = 1.0 if difference == 0 else 0.0
    else:
        z = difference / spread
        p_value = normal_two_sided_p(z)
    return SurveyComparison(
        difference=difference,
        baseline_se=baseline_se,
        latest_se=latest_se,
        z=z,
        p_value=p_value,
        alpha=alpha,
    )
