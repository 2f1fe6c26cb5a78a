"""Funnel plots for rates per population: every unit's rate against its
population, with 95% and 99.8% control limits around a target rate (England
and Wales), adjusted for over-dispersion when the data call for it.

Source: Spiegelhalter, "Funnel plots for comparing institutional
performance", Statistics in Medicine 24 (2005), pp. 1185-1202.

Limits without over-dispersion: exact Poisson
----------------------------------------------
For a unit of population n, the count under the target rate theta is Poisson
with mean mu = theta n. The limit at probability p is the Poisson p-quantile
r_p, interpolated so that the limits form a smooth funnel (the paper's
appendix on discrete data): with F the Poisson distribution function,

    alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1)),   limit = (r_p - alpha) / n,

for p = 0.025 and 0.975 (95%) and 0.001 and 0.999 (99.8%).

Over-dispersion: additive random effects
----------------------------------------
Crime counts vary between forces more than a Poisson process allows, and
then almost every large force would sit outside exact limits. Following the
paper's section on over-dispersion, on the square-root scale it recommends
for Poisson counts (y = sqrt(O / E), target 1, s = 1 / (2 sqrt E), so that
z = 2 (sqrt O - sqrt E), with E = theta n the count the target expects):

1. z-scores are Winsorised at their 10th and 90th percentiles (linear
   interpolation between order statistics, as R's and numpy's defaults), so
   that the outliers being looked for do not inflate the estimate;
2. phi = (1 / I) sum z_w^2 is the over-dispersion factor of I units;
3. I phi is compared with a chi-squared distribution on I - 1 degrees of
   freedom (the target is the units' own total): the data call for an
   adjustment when I phi exceeds its 95th percentile (p < 0.05);
4. then the additive random-effects variance is
   tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1 / s^2
   (the paper's moment estimator, the DerSimonian-Laird form), and the limits
   are theta (1 +/- z_p sqrt(s^2 + tau^2))^2, the lower one 0 when
   1 - z_p sqrt(...) is negative.

Why additive rather than multiplicative (limits widened by sqrt(phi)): a
multiplicative factor widens every limit in proportion to its within-unit
spread, so the largest units, whose Poisson spread is smallest, would still be
called out for differences that are the same size as everyone else's; the
additive term is a real between-unit spread that does not shrink with size.
It is the choice of NHS England's Summary Hospital-level Mortality Indicator
and of the NHS-R FunnelPlotR package, and Spiegelhalter, Sherlaw-Johnson et al.
("Statistical methods for healthcare regulation: rating, screening and
surveillance", JRSS A 175, 2012) recommend it for this reason.
"""

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .distributions import (
    gamma_tails,
    normal_quantile,
    poisson_cdf,
    poisson_quantile,
)
from .poisson import Interval, _exposure, _whole_count, rate_interval

__all__ = [
    "LIMITS",
    "Funnel",
    "FunnelLimits",
    "FunnelPoint",
    "Overdispersion",
    "Position",
    "Unit",
    "funnel",
    "funnel_limits",
    "overdispersion",
]

Number = int | float | Decimal

# (lower probability, upper probability) of the 95% and 99.8% limits.
LIMITS = {"95": (0.025, 0.975), "99.8": (0.001, 0.999)}
WINSORISE_AT = 0.10
OVERDISPERSION_ALPHA = 0.05


class Position(enum.StrEnum):
    ABOVE = "above"
    WITHIN = "within"
    BELOW = "below"


class Method(enum.StrEnum):
    EXACT_POISSON = "exact-poisson"
    RANDOM_EFFECTS = "additive-random-effects"


@dataclass(frozen=True)
class Unit:
    """One force (or area): its count of events and its population."""

    name: str
    count: int
    population: float


@dataclass(frozen=True)
class FunnelLimits:
    """The limits at one population, as rates per ``per`` people."""

    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


@dataclass(frozen=True)
class FunnelPoint:
    name: str
    count: int
    population: float
    rate: float  # per ``per`` people
    per: float
    z: float  # 2 (sqrt O - sqrt E), before Winsorising
    limits: FunnelLimits
    position_95: Position
    position_998: Position

    @cached_property
    def interval(self) -> Interval:
        """The rate's exact 95% interval, from its count: worked out when first
        read, since it is the costliest part of a point (two gamma quantiles)
        and a page that ranks forces without showing intervals never reads it."""
        return rate_interval(self.count, self.population, per=self.per)


@dataclass(frozen=True)
class Overdispersion:
    phi: float
    statistic: float  # I phi
    degrees_of_freedom: int
    p_value: float  # of I phi against chi-squared on I - 1
    tau2: float  # 0 unless the data call for it

    @property
    def adjusted(self) -> bool:
        return self.tau2 > 0


@dataclass(frozen=True)
class Funnel:
    """The target, the method and the over-dispersion test, from every unit;
    each unit's limits and calls (its point) worked out when first read, since
    those of small counts cost four exact Poisson quantiles each and a page
    may show only one unit's (a force's own page shows only its own)."""

    target_rate: float  # per ``per`` people
    per: float
    method: Method
    overdispersion: Overdispersion | None  # None with fewer than 3 units
    # Each unit as (name, count, population, z), in the order given.
    units: tuple[tuple[str, int, float, float], ...] = field(repr=False)
    _worked_out: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def tau2(self) -> float:
        return self.overdispersion.tau2 if self.overdispersion else 0.0

    def point(self, index: int) -> FunnelPoint:
        """The point of the unit at ``index`` in the order the units were given."""
        if index not in self._worked_out:
            name, count, n, z = self.units[index]
            limits = funnel_limits(n, self.target_rate, per=self.per, tau2=self.tau2)
            rate = count / n * self.per
            self._worked_out[index] = FunnelPoint(
                name=name,
                count=count,
                population=n,
                rate=rate,
                per=self.per,
                z=z,
                limits=limits,
                position_95=_position(rate, limits.lower_95, limits.upper_95),
                position_998=_position(rate, limits.lower_998, limits.upper_998),
            )
        return self._worked_out[index]

    @property
    def points(self) -> tuple[FunnelPoint, ...]:
        """Every unit's point, in the order the units were given."""
        return tuple(self.point(i) for i in range(len(self.units)))


def _quantile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between order statistics (R's type 7, numpy's default)."""
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    # A fraction below 1 never reaches the last value: low + 1 is always there.
    return sorted_values[low] + (sorted_values[low + 1] - sorted_values[low]) * (position - low)


def _poisson_limit(probability: float, mu: float) -> float:
    """Spiegelhalter's interpolated Poisson quantile, as a count; never below
    zero (when even no event at all is more likely than ``probability``, the
    interpolation would go below it)."""
    r = poisson_quantile(probability, mu)
    at = poisson_cdf(r, mu)
    below = poisson_cdf(r - 1, mu)
    return max(0.0, r - (at - probability) / (at - below))


def funnel_limits(
    population: Number, target_rate: Number, *, per: Number = 1000, tau2: float = 0.0
) -> FunnelLimits:
    """The 95% and 99.8% limits at ``population``, as rates per ``per``
    people around ``target_rate`` (also per ``per``): exact Poisson when
    ``tau2`` is 0, otherwise the random-effects limits on the square-root scale."""
    n = _exposure(population, "the population")
    scale = _exposure(per, "the rate's multiplier")
    theta = float(target_rate) / scale
    if not math.isfinite(theta) or theta <= 0:
        raise ValueError("the target rate must be a positive number")
    if tau2 < 0:
        raise ValueError("a variance cannot be negative")
    expected = theta * n
    limits = []
    for low, high in LIMITS.values():
        if tau2 == 0:
            pair = (_poisson_limit(low, expected) / n, _poisson_limit(high, expected) / n)
        else:
            spread = normal_quantile(high) * math.sqrt(1 / (4 * expected) + tau2)
            pair = (theta * max(0.0, 1 - spread) ** 2, theta * (1 + spread) ** 2)
        limits.extend(value * scale for value in pair)
    return FunnelLimits(*limits)


def overdispersion(
    z_scores: Sequence[float], expected: Sequence[float], *, alpha: float = OVERDISPERSION_ALPHA
) -> Overdispersion:
    """phi from Winsorised z-scores, its test against chi-squared on I - 1
    degrees of freedom, and tau^2 when the test says the data are over-dispersed."""
    units = len(z_scores)
    if units < 3:
        raise ValueError("over-dispersion needs at least three units")
    ordered = sorted(z_scores)
    floor, ceiling = _quantile(ordered, WINSORISE_AT), _quantile(ordered, 1 - WINSORISE_AT)
    phi = sum(min(max(z, floor), ceiling) ** 2 for z in z_scores) / units
    statistic = units * phi
    degrees = units - 1
    p_value = gamma_tails(degrees / 2, statistic / 2)[1]
    tau2 = 0.0
    if p_value < alpha:  # pragma: no mutate
        weights = [4 * e for e in expected]  # 1 / s^2, s = 1 / (2 sqrt E)
        total = sum(weights)
        tau2 = max(0.0, (statistic - degrees) / (total - sum(w * w for w in weights) / total))
    return Overdispersion(phi, statistic, degrees, p_value, tau2)


def _position(rate: float, lower: float, upper: float) -> Position:
    if rate > upper:
        return Position.ABOVE
    if rate < lower:
        return Position.BELOW
    return Position.WITHIN


def funnel(
    units: Sequence[Unit],
    *,
    target_rate: Number | None = None,
    per: Number = 1000,
    adjust: bool = True,
) -> Funnel:
    """Every unit's rate, limits and calls around ``target_rate`` (per ``per``
    people; by default the units' pooled rate).

    With ``adjust`` (the default) the limits allow for over-dispersion when
    the test of phi says the data call for it; without, they are exact Poisson.
    """
    if not units:
        raise ValueError("a funnel plot needs at least one unit")
    scale = _exposure(per, "the rate's multiplier")
    counts = [_whole_count(unit.count, f"the count of {unit.name}") for unit in units]
    populations = [_exposure(unit.population, f"the population of {unit.name}") for unit in units]
    if target_rate is None:
        if not sum(counts):
            raise ValueError("with no events at all there is no rate to compare with")
        theta = sum(counts) / sum(populations)
    else:
        theta = float(target_rate) / scale
    if not math.isfinite(theta) or theta <= 0:
        # As ``funnel_limits`` says, but now rather than when a point is read.
        raise ValueError("the target rate must be a positive number")
    expected = [theta * n for n in populations]
    z_scores = [2 * (math.sqrt(counts[i]) - math.sqrt(expected[i])) for i in range(len(units))]
    dispersion = overdispersion(z_scores, expected) if adjust and len(units) >= 3 else None
    tau2 = dispersion.tau2 if dispersion else 0.0
    return Funnel(
        target_rate=theta * scale,
        per=scale,
        method=Method.RANDOM_EFFECTS if tau2 > 0 else Method.EXACT_POISSON,
        overdispersion=dispersion,
        units=tuple(
            (unit.name, counts[i], populations[i], z_scores[i]) for i, unit in enumerate(units)
        ),
    )
