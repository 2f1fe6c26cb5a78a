"""The distribution functions behind the tests: binomial and Poisson tails,
their quantiles, and the normal distribution, in pure Python.

Every tail is computed directly (never as one minus the other side), from the
regularised incomplete gamma and beta functions:

- P(X <= k) for X ~ Poisson(mu) is Q(k + 1, mu), and P(X >= k) is P(k, mu),
  where P and Q are the regularised lower and upper incomplete gamma functions;
- P(X >= k) for X ~ Binomial(n, p) is I_p(k, n - k + 1), the regularised
  incomplete beta function.

These identities and the evaluation methods are the standard ones: the series
and Lentz's continued fractions of Press, Teukolsky, Vetterling and Flannery,
*Numerical Recipes*, 3rd edition (2007), sections 6.2 and 6.4, and, for large
parameters, where those take a number of steps that grows with the square root
of the parameter, Gauss-Legendre quadrature of the integrand over the few
standard deviations where it is not negligible (the same book's
``gammpapprox`` and ``betaiapprox``), so that a count of a million costs no
more than a count of a thousand. ``tests/measures/stats/test_distributions.py``
checks every function against scipy.special on a grid of parameters.

Lines marked ``pragma: no mutate`` change only *how* the same number is
computed: where one algorithm hands over to another, how far a negligible tail
is integrated, when an iteration stops, a guard that the callers' ranges never
reach. A mutant there gives the same results to the tests' precision, so
mutation testing (see the README) leaves them alone.
"""

import math
from statistics import NormalDist

__all__ = [
    "beta_tails",
    "binomial_log_pmf",
    "binomial_tails",
    "gamma_density",
    "gamma_tails",
    "normal_quantile",
    "normal_two_sided_p",
    "poisson_cdf",
    "poisson_quantile",
    "poisson_sf",
]

# Relative precision the series and continued fractions stop at.
EPSILON = 1e-15
# The smallest number the continued fractions divide by instead of zero.
TINY = 1e-300
MAX_STEPS = 10_000

# From these parameters on, the quadrature is used: below them the series and
# continued fractions converge in a few dozen steps, above them they take more
# and more (a beta of 3,000 and 3,000 took 74 us against the quadrature's 12).
# The 24-point quadrature agrees with scipy to 2e-13 from 100 on.
GAMMA_QUADRATURE_FROM = 100.0
BETA_QUADRATURE_FROM = 100.0


def _gauss_legendre(points: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Nodes and weights of Gauss-Legendre quadrature on [0, 1].

    Worked out once, at import, by Newton's method on the Legendre polynomial
    (Numerical Recipes section 4.6), rather than copied in as constants.
    """
    nodes, weights = [], []
    for i in range(1, points + 1):
        x = math.cos(math.pi * (i - 0.25) / (points + 0.5))  # pragma: no mutate
        for _ in range(100):  # pragma: no mutate
            before, current = 1.0, x
            for k in range(2, points + 1):
                before, current = current, ((2 * k - 1) * x * current - (k - 1) * before) / k
            slope = points * (x * current - before) / (x * x - 1)
            step = current / slope
            x -= step
            if abs(step) < 1e-16:  # pragma: no mutate
                break
        nodes.append((1 - x) / 2)
        weights.append(1 / ((1 - x * x) * slope * slope))
    return tuple(nodes), tuple(weights)


NODES, WEIGHTS = _gauss_legendre(24)
QUADRATURE = tuple(zip(NODES, WEIGHTS, strict=True))


# Stable prefactors -----------------------------------------------------------
#
# x^a e^-x / Gamma(a) and x^a (1-x)^b / B(a, b) are ratios of numbers that each
# overflow, and their logarithms, taken as differences of lgamma values near a
# million, lose ten digits to cancellation. Written with Stirling's series and
# its remainder delta(x) = lgamma(x) - ((x - 1/2) ln x - x + ln(2 pi) / 2), as
# DiDonato and Morris do in "Algorithm 708: significant digit computation of
# the incomplete beta function ratios" (ACM TOMS 18, 1992: their BRCOMP and
# ALGDIV), every large term cancels on paper instead.

HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def _stirling_remainder(x: float) -> float:
    """delta(x) = lgamma(x) - ((x - 1/2) ln x - x + ln(2 pi) / 2), by its
    asymptotic series, for x of 10 or more (where every caller uses it)."""
    inverse_square = 1 / (x * x)
    # The series' last term is under 1e-10 from x = 10 on: a change to its
    # coefficient moves the result by less than a double can show.
    last = inverse_square / 1680  # pragma: no mutate
    return (1 / 12 - inverse_square * (1 / 360 - inverse_square * (1 / 1260 - last))) / x


def _log_ratio(value: float, reference: float, gap: float) -> float:
    """ln(value / reference), where gap = value - reference is known more
    precisely than the difference of the two: to full precision when it is small."""
    if abs(gap) < 0.5 * reference:  # pragma: no mutate
        return math.log1p(gap / reference)
    return math.log(value) - math.log(reference)


def _log_gamma_front(a: float, x: float) -> float:
    """ln(x^a e^-x / Gamma(a))."""
    if a < 10:  # pragma: no mutate
        return a * math.log(x) - x - math.lgamma(a)
    return (
        a * _log_ratio(x, a, x - a)
        - (x - a)
        + 0.5 * math.log(a)
        - HALF_LOG_TWO_PI
        - _stirling_remainder(a)
    )


def _log_beta_front(a: float, b: float, x: float) -> float:
    """ln(x^a (1 - x)^b / B(a, b))."""
    if a < 10 and b < 10:  # pragma: no mutate
        return (
            a * math.log(x)
            + b * math.log1p(-x)
            - math.lgamma(a)
            - math.lgamma(b)
            + math.lgamma(a + b)
        )
    total = a + b
    if a >= 10 and b >= 10:  # pragma: no mutate
        mean = a / total
        return (
            a * _log_ratio(x, mean, x - mean)  # pragma: no mutate
            + b * _log_ratio(1 - x, b / total, mean - x)
            + 0.5 * math.log(a * b / total)
            - HALF_LOG_TWO_PI
            - _stirling_remainder(a)
            - _stirling_remainder(b)
            + _stirling_remainder(total)
        )
    # One parameter small, the other large: lgamma(large) - lgamma(a + b)
    # by Stirling, the small one's lgamma as it is.
    if a < b:  # pragma: no mutate
        small, large, log_small_side, log_large_side = a, b, math.log(x), math.log1p(-x)
    else:
        small, large, log_small_side, log_large_side = b, a, math.log1p(-x), math.log(x)
    return (
        small * (log_small_side + math.log(total))
        + large * log_large_side
        - math.lgamma(small)
        + (large - 0.5) * math.log1p(small / large)
        - small
        - _stirling_remainder(large)
        + _stirling_remainder(total)
    )


# Incomplete gamma ------------------------------------------------------------


def _gamma_series(a: float, x: float) -> float:
    """P(a, x) by its power series; converges fast for x < a + 1."""
    term = total = 1 / a
    denominator = a
    for _ in range(MAX_STEPS):
        denominator += 1
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * EPSILON:  # pragma: no mutate
            break
    return total * math.exp(_log_gamma_front(a, x))


def _gamma_continued_fraction(a: float, x: float) -> float:
    """Q(a, x) by its continued fraction (modified Lentz); for x >= a + 1."""
    b = x + 1 - a
    c = 1 / TINY  # pragma: no mutate
    d = 1 / b
    h = d
    for i in range(1, MAX_STEPS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        if abs(d) < TINY:  # pragma: no mutate
            d = TINY  # pragma: no mutate
        c = b + an / c
        if abs(c) < TINY:  # pragma: no mutate
            c = TINY  # pragma: no mutate
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < EPSILON:  # pragma: no mutate
            break
    return math.exp(_log_gamma_front(a, x)) * h


def _gamma_quadrature(a: float, x: float) -> tuple[float, float]:
    """(P, Q) for large a: the density t^(a-1) e^(-t) / Gamma(a) integrated
    over the tail that x cuts off, as far as it is not negligible."""
    peak = a - 1  # pragma: no mutate
    width = math.sqrt(peak)
    if x > peak:
        end = max(peak + 11.5 * width, x + 6 * width)  # pragma: no mutate
    else:
        end = max(0.0, min(peak - 7.5 * width, x - 5 * width))  # pragma: no mutate
    constant = 0.5 * math.log(a) - HALF_LOG_TWO_PI - _stirling_remainder(a)
    total = 0.0
    for node, weight in QUADRATURE:
        t = x + (end - x) * node
        total += weight * math.exp(a * _log_ratio(t, a, t - a) - (t - a) + constant) / t
    tail = total * (end - x)
    if x > peak:
        return 1 - tail, tail
    return -tail, 1 + tail


def gamma_density(a: float, x: float) -> float:
    """The gamma density x^(a-1) e^(-x) / Gamma(a)."""
    if x <= 0:
        return 0.0
    return math.exp(_log_gamma_front(a, x)) / x


def gamma_tails(a: float, x: float) -> tuple[float, float]:
    """(P(a, x), Q(a, x)): the regularised lower and upper incomplete gamma
    functions, each computed directly so that a small one keeps its digits."""
    if a <= 0:
        raise ValueError("the shape of a gamma distribution must be positive")
    if x <= 0:
        return 0.0, 1.0
    if a >= GAMMA_QUADRATURE_FROM:  # pragma: no mutate
        return _gamma_quadrature(a, x)
    if x < a + 1:  # pragma: no mutate
        lower = _gamma_series(a, x)
        return lower, 1 - lower
    upper = _gamma_continued_fraction(a, x)
    return 1 - upper, upper


# Incomplete beta -------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) (modified Lentz), without its
    prefactor; converges fast for x < (a + 1) / (a + b + 2)."""
    c = 1.0
    d = 1 - (a + b) * x / (a + 1)
    if abs(d) < TINY:  # pragma: no mutate
        d = TINY  # pragma: no mutate
    d = 1 / d
    h = d
    for m in range(1, MAX_STEPS):
        m2 = 2 * m
        even = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1 + even * d
        if abs(d) < TINY:  # pragma: no mutate
            d = TINY  # pragma: no mutate
        c = 1 + even / c
        if abs(c) < TINY:  # pragma: no mutate
            c = TINY  # pragma: no mutate
        d = 1 / d
        h *= d * c
        odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1 + odd * d
        if abs(d) < TINY:  # pragma: no mutate
            d = TINY  # pragma: no mutate
        c = 1 + odd / c
        if abs(c) < TINY:  # pragma: no mutate
            c = TINY  # pragma: no mutate
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < EPSILON:  # pragma: no mutate
            break
    return h


def _beta_quadrature(a: float, b: float, x: float) -> tuple[float, float]:
    """(I, 1 - I) for large a and b: the density t^(a-1) (1-t)^(b-1) / B(a, b)
    integrated over the tail that x cuts off, as far as it is not negligible.

    The density is x^(a-1) (1-x)^(b-1) / B(a-1, b-1) times
    B(a-1, b-1) / B(a, b) = (a+b-1)(a+b-2) / ((a-1)(b-1)).
    """
    a1, b1 = a - 1, b - 1
    mean = a / (a + b)
    spread = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))  # pragma: no mutate
    if x > mean:
        end = min(1.0, max(mean + 10 * spread, x + 5 * spread))  # pragma: no mutate
    else:
        end = max(0.0, min(mean - 10 * spread, x - 5 * spread))  # pragma: no mutate
    total1 = a1 + b1
    centre = a1 / total1
    constant = (
        0.5 * math.log(a1 * b1 / total1)
        - HALF_LOG_TWO_PI
        - _stirling_remainder(a1)
        - _stirling_remainder(b1)
        + _stirling_remainder(total1)
        + math.log((a + b - 1) * (a + b - 2) / (a1 * b1))
    )
    total = 0.0
    for node, weight in QUADRATURE:
        gap = x + (end - x) * node - centre
        total += weight * math.exp(
            a1 * math.log1p(gap / centre) + b1 * math.log1p(-gap / (1 - centre)) + constant
        )
    tail = total * (end - x)
    if x > mean:
        return 1 - tail, tail
    return -tail, 1 + tail


def beta_tails(a: float, b: float, x: float) -> tuple[float, float]:
    """(I_x(a, b), 1 - I_x(a, b)): the regularised incomplete beta function
    and its complement, each computed directly."""
    if a <= 0 or b <= 0:
        raise ValueError("the parameters of a beta distribution must be positive")
    if x <= 0:
        return 0.0, 1.0
    if x >= 1:
        return 1.0, 0.0
    if a >= BETA_QUADRATURE_FROM and b >= BETA_QUADRATURE_FROM:  # pragma: no mutate
        return _beta_quadrature(a, b, x)
    front = math.exp(_log_beta_front(a, b, x))
    if x < (a + 1) / (a + b + 2):  # pragma: no mutate
        lower = front * _beta_continued_fraction(a, b, x) / a
        return lower, 1 - lower
    upper = front * _beta_continued_fraction(b, a, 1 - x) / b
    return 1 - upper, upper


# Binomial --------------------------------------------------------------------


def binomial_log_pmf(k: int, n: int, p: float) -> float:
    """log P(X = k) for X ~ Binomial(n, p), 0 < p < 1."""
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_tails(k: int, n: int, p: float) -> tuple[float, float]:
    """(P(X <= k), P(X >= k)) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0, 1.0
    if k > n:
        return 1.0, 0.0
    # P(X <= k) = 1 - I_p(k + 1, n - k); P(X >= k) = I_p(k, n - k + 1).
    at_most = 1.0 if k == n else beta_tails(k + 1, n - k, p)[1]
    at_least = 1.0 if k == 0 else beta_tails(k, n - k + 1, p)[0]
    return at_most, at_least


# Poisson ---------------------------------------------------------------------


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu)."""
    if k < 0:
        return 0.0
    return gamma_tails(k + 1, mu)[1]


def poisson_sf(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu)."""
    if k <= 0:
        return 1.0
    return gamma_tails(k, mu)[0]


def poisson_quantile(probability: float, mu: float, *, start: int | None = None) -> int:
    """The smallest r with P(X <= r) >= probability, X ~ Poisson(mu).

    Steps from ``start`` to the exact answer; by default it starts from the
    Cornish-Fisher approximation, which is at most a step or two away.
    """
    if not 0 < probability < 1:
        raise ValueError("a quantile needs a probability strictly between 0 and 1")
    if start is None:
        z = NormalDist().inv_cdf(probability)
        spread = math.sqrt(max(mu, 0.0))  # pragma: no mutate
        start = math.floor(mu + z * spread + (z * z - 1) / 6)  # pragma: no mutate
    # Where the search starts and how it steps down change only how many steps
    # it takes: the last loop always ends on the smallest r.
    r = max(0, start)  # pragma: no mutate
    while r > 0 and poisson_cdf(r - 1, mu) >= probability:  # pragma: no mutate
        r -= 1  # pragma: no mutate
    while poisson_cdf(r, mu) < probability:
        r += 1
    return r


# Normal ----------------------------------------------------------------------

STANDARD_NORMAL = NormalDist()


def normal_quantile(probability: float) -> float:
    """The standard normal quantile: 1.959964 for 0.975."""
    return STANDARD_NORMAL.inv_cdf(probability)


def normal_two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z, without cancellation in the tail."""
    return math.erfc(abs(z) / math.sqrt(2))
