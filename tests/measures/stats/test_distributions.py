"""The special functions against scipy.special and scipy.stats, computed
independently (Cephes and Boost), on grids that cross every switch between
series, continued fraction and quadrature."""

import math

import mpmath
import numpy as np
import pytest
from scipy import special, stats

from measures.stats import distributions as dist

SHAPES = [0.5, 1, 2, 5, 9.5, 10, 10.5, 50, 99, 100, 101, 1000, 10_000, 500_000, 2_000_000]
BETAS = [1, 2, 5, 10, 11, 50, 99, 100, 101, 3000, 100_000, 2_000_000]


def close(mine, reference, *, rel=1e-9, abs_=1e-13):
    return mine == pytest.approx(float(reference), rel=rel, abs=abs_)


@pytest.mark.parametrize("a", SHAPES)
def test_gamma_tails_match_scipy(a):
    for spread in (-6, -3, -1, 0, 0.5, 1, 3, 6):
        x = max(1e-6, a + spread * math.sqrt(a))
        lower, upper = dist.gamma_tails(a, x)
        assert close(lower, special.gammainc(a, x))
        assert close(upper, special.gammaincc(a, x))


@pytest.mark.parametrize("a", [0.5, 5, 150, 10_000])
def test_gamma_tails_far_from_the_mean(a):
    for fraction in (0.01, 0.3, 3, 10):
        lower, upper = dist.gamma_tails(a, a * fraction)
        assert close(lower, special.gammainc(a, a * fraction))
        assert close(upper, special.gammaincc(a, a * fraction))


def test_gamma_tails_at_and_below_zero():
    assert dist.gamma_tails(3, 0) == (0.0, 1.0)
    assert dist.gamma_tails(3, -1) == (0.0, 1.0)
    with pytest.raises(ValueError, match="positive"):
        dist.gamma_tails(0, 1)


@pytest.mark.parametrize("a", [0.5, 3, 10, 150, 10_000])
def test_gamma_density_matches_scipy(a):
    for x in (a / 2, a, 2 * a):
        assert close(dist.gamma_density(a, x), stats.gamma.pdf(x, a))
    assert dist.gamma_density(a, 0) == 0


@pytest.mark.parametrize("a", BETAS)
def test_beta_tails_match_scipy(a):
    for b in BETAS:
        mean = a / (a + b)
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        for spread in (-5, -2, 0, 1, 4):
            x = min(max(mean + spread * sd, 1e-12), 1 - 1e-12)
            lower, upper = dist.beta_tails(a, b, x)
            assert close(lower, special.betainc(a, b, x), rel=1e-8, abs_=1e-12), (a, b, x)
            assert close(upper, special.betaincc(a, b, x), rel=1e-8, abs_=1e-12), (a, b, x)


def test_beta_tails_at_the_ends():
    assert dist.beta_tails(2, 3, 0) == (0.0, 1.0)
    assert dist.beta_tails(2, 3, 1) == (1.0, 0.0)
    with pytest.raises(ValueError, match="positive"):
        dist.beta_tails(0, 3, 0.5)
    with pytest.raises(ValueError, match="positive"):
        dist.beta_tails(3, -1, 0.5)


@pytest.mark.parametrize(
    ("n", "p"), [(1, 0.5), (9, 0.5), (57, 0.3), (783, 0.5), (2293, 0.47), (1_000_000, 0.5)]
)
def test_binomial_tails_and_pmf_match_scipy(n, p):
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        at_most, at_least = dist.binomial_tails(k, n, p)
        assert close(at_most, stats.binom.cdf(k, n, p), rel=1e-8, abs_=1e-12)
        assert close(at_least, stats.binom.sf(k - 1, n, p), rel=1e-8, abs_=1e-12)
        assert math.exp(dist.binomial_log_pmf(k, n, p)) == pytest.approx(
            stats.binom.pmf(k, n, p), rel=1e-9, abs=1e-300
        )
    assert dist.binomial_tails(-1, n, p) == (0.0, 1.0)
    assert dist.binomial_tails(n + 1, n, p) == (1.0, 0.0)


@pytest.mark.parametrize("mu", [0.3, 4, 35, 150, 80_000])
def test_poisson_cdf_sf_and_quantile_match_scipy(mu):
    for k in sorted({0, 1, int(mu) // 2, int(mu), int(2 * mu) + 1}):
        assert close(dist.poisson_cdf(k, mu), stats.poisson.cdf(k, mu), abs_=1e-12)
        assert close(dist.poisson_sf(k, mu), stats.poisson.sf(k - 1, mu), abs_=1e-12)
    for probability in (0.001, 0.025, 0.5, 0.975, 0.999):
        assert dist.poisson_quantile(probability, mu) == stats.poisson.ppf(probability, mu)


def test_poisson_edges():
    assert dist.poisson_cdf(-1, 3) == 0
    assert dist.poisson_cdf(2, 0) == 1
    assert dist.poisson_sf(0, 3) == 1
    assert dist.poisson_sf(2, 0) == 0
    assert dist.poisson_quantile(0.5, 0) == 0
    for bad in (0, 1, -0.1):
        with pytest.raises(ValueError, match="between 0 and 1"):
            dist.poisson_quantile(bad, 3)


def test_normal_functions_match_scipy():
    assert dist.normal_quantile(0.975) == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)
    for z in (0, 0.5, -1.96, 2.48, 8.5, -40):
        assert close(dist.normal_two_sided_p(z), 2 * stats.norm.sf(abs(z)), abs_=1e-300)


@pytest.mark.parametrize("points", [1, 2, 5, 24])
def test_gauss_legendre_matches_numpy(points):
    nodes, weights = dist._gauss_legendre(points)
    reference_nodes, reference_weights = np.polynomial.legendre.leggauss(points)
    # numpy's are on [-1, 1]; ours on [0, 1] (t = (1 - x) / 2), in increasing order.
    assert nodes == pytest.approx(sorted((1 - x) / 2 for x in reference_nodes), abs=1e-15)
    assert weights == pytest.approx([w / 2 for w in reference_weights[::-1]], abs=1e-15)


def test_quadrature_nodes_integrate_polynomials_exactly():
    # 24-point Gauss-Legendre is exact for polynomials up to degree 47.
    for degree in (0, 1, 10, 47):
        total = sum(w * x**degree for x, w in zip(dist.NODES, dist.WEIGHTS, strict=True))
        assert total == pytest.approx(1 / (degree + 1), rel=1e-13)


# Precision where the large terms cancel: 40-digit references from mpmath.


def forty_digits(compute):
    with mpmath.workdps(40):
        return float(compute())


@pytest.mark.parametrize(
    ("a", "b"), [(1, 100_000), (2, 500_000), (3, 1_000_000), (100_000, 1), (12, 40), (40, 500_000)]
)
def test_beta_prefactor_keeps_its_digits(a, b):
    """ln(x^a (1-x)^b / B(a, b)) to 1e-12, where lgamma differences lose 1e-10."""
    mean = a / (a + b)
    for x in (mean * 0.7, mean, min(mean * 1.5, (1 + mean) / 2)):
        exact = forty_digits(
            lambda x=x: mpmath.log(
                mpmath.mpf(x) ** a * (1 - mpmath.mpf(x)) ** b / mpmath.beta(a, b)
            )
        )
        assert dist._log_beta_front(a, b, x) == pytest.approx(exact, rel=1e-14, abs=1e-12)


@pytest.mark.parametrize("a", [10, 10.5, 99, 5000, 500_000])
def test_gamma_prefactor_keeps_its_digits(a):
    for x in (a * 0.9, a, a * 1.1, a / 100):
        exact = forty_digits(
            lambda x=x: mpmath.log(
                mpmath.mpf(x) ** a * mpmath.exp(-mpmath.mpf(x)) / mpmath.gamma(a)
            )
        )
        assert dist._log_gamma_front(a, x) == pytest.approx(exact, rel=1e-14, abs=1e-12)


@pytest.mark.parametrize("x", [10, 10.5, 20, 100, 1e4])
def test_stirling_remainder(x):
    exact = forty_digits(
        lambda: mpmath.loggamma(x) - ((x - 0.5) * mpmath.log(x) - x + mpmath.log(2 * mpmath.pi) / 2)
    )
    assert dist._stirling_remainder(x) == pytest.approx(exact, rel=1e-14)


def test_tails_stay_probabilities_far_out():
    for a in (150, 10_000):
        for x in (a / 50, a * 5, a * 20):
            lower, upper = dist.gamma_tails(a, x)
            assert 0 <= lower <= 1 and 0 <= upper <= 1
            assert lower + upper == pytest.approx(1, abs=1e-12)
    for a, b in ((150, 300), (5000, 20)):
        for x in (1e-9, 0.01, 0.99, 1 - 1e-9):
            lower, upper = dist.beta_tails(a, b, x)
            assert 0 <= lower <= 1 and 0 <= upper <= 1
            assert lower + upper == pytest.approx(1, abs=1e-12)


def test_bad_parameters_are_refused_with_their_message():
    with pytest.raises(ValueError, match=r"^the shape of a gamma distribution must be positive$"):
        dist.gamma_tails(-1, 1)
    for a, b in ((0, 3), (3, 0)):
        with pytest.raises(
            ValueError, match=r"^the parameters of a beta distribution must be positive$"
        ):
            dist.beta_tails(a, b, 0.5)
    with pytest.raises(
        ValueError, match=r"^a quantile needs a probability strictly between 0 and 1$"
    ):
        dist.poisson_quantile(1, 3)


@pytest.mark.parametrize("mu", [0.01, 0.8, 4, 60, 12_345])
def test_poisson_quantile_from_any_start(mu):
    for probability in (0.001, 0.025, 0.3, 0.975, 0.999):
        expected = stats.poisson.ppf(probability, mu)
        starts = (None, -5, 0, 1, 2, int(expected) + 40, 10 * int(expected) + 100)
        if mu > 100:
            # Stepping from far off costs a Poisson tail a step: from 40 either side.
            starts = (None, int(expected) - 40, int(expected) + 40)
        for start in starts:
            assert dist.poisson_quantile(probability, mu, start=start) == expected


def test_a_probability_exactly_at_a_step_is_reached_there():
    """The smallest r with P(X <= r) >= p: at p = P(X <= 3) exactly, r is 3."""
    for mu in (0.8, 4.0, 60.0):
        for r in (0, 3, int(mu)):
            probability = dist.poisson_cdf(r, mu)
            for start in (None, 0, r + 5):
                assert dist.poisson_quantile(probability, mu, start=start) == r


def test_poisson_with_no_mean():
    assert dist.poisson_cdf(0, 0) == 1
    assert dist.poisson_sf(1, 0) == 0
    assert dist.poisson_quantile(0.9, 0) == 0
