"""The exact statistics behind market insights: normal quantiles, the median's bootstrap interval,
Wilson intervals, DerSimonian-Laird variance, empirical-Bayes shrinkage, weighted log-odds, ridge.

Reference values are computed here independently (textbook formulas, brute-force resampling), never
by calling the code under test a second way.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from rolescope.insights.stats import (
    between_variance,
    median_interval,
    ridge_fit,
    shrink,
    weighted_log_odds,
    wilson_interval,
    z_for,
)

# Two-sided standard normal quantiles z(level) = Phi^-1(0.5 + level / 2), from published tables.
Z_TABLE = {
    0.80: 1.2815515655446004,
    0.90: 1.6448536269514722,
    0.95: 1.959963984540054,
    0.99: 2.5758293035489004,
}


def _phi(x: float) -> float:
    """Standard normal CDF, independent of the code under test."""
    return 0.5 * math.erfc(-x / math.sqrt(2))


# --- z_for -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [(0.95, 1.959964), (0.90, 1.644854), (0.99, 2.575829), (0.80, 1.281552)],
)
def test_z_for_known_levels(level: float, expected: float) -> None:
    assert round(z_for(level), 6) == expected


@pytest.mark.parametrize("level", [0.6, 0.75, 0.9, 0.95, 0.951, 0.952, 0.96, 0.975, 0.98, 0.99, 0.995, 0.999])
def test_z_for_inverts_the_normal_cdf(level: float) -> None:
    # Phi(z) must be 0.5 + level/2 on the whole allowed range, tails included.
    assert _phi(z_for(level)) == pytest.approx(0.5 + level / 2, abs=1e-9)


def test_z_for_increases_with_level() -> None:
    levels = [0.55, 0.7, 0.8, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999]
    zs = [z_for(level) for level in levels]
    assert all(a < b for a, b in itertools.pairwise(zs)), zs


@pytest.mark.parametrize("level", [0.5, 1.0, 0.0, -0.95, 1.5, 95.0, 0.3])
def test_z_for_rejects_levels_outside_half_to_one(level: float) -> None:
    with pytest.raises(ValueError, match="confidence level"):
        z_for(level)


# --- median_interval -------------------------------------------------------------------------------


def _rank_of(sorted_values: np.ndarray, value: float) -> int:
    """1-based order-statistic rank of a value (the first one at or above it)."""
    return int(np.searchsorted(sorted_values, value, side="left")) + 1


def _exact_binomial_sf(n: int, p: float, k: int) -> float:
    """P(Binomial(n, p) >= k), summed exactly from the pmf in log space."""
    ks = np.arange(k, n + 1)
    log_pmf = (
        np.array([math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) for i in ks])
        + ks * math.log(p)
        + (n - ks) * math.log1p(-p)
    )
    top = log_pmf.max()
    return float(math.exp(top) * np.exp(log_pmf - top).sum())


def _exact_ranks(n: int, level: float = 0.95) -> tuple[int, int]:
    """Ranks of the exact bootstrap percentile interval of the lower median, by linear scan from the middle."""
    m = (n + 1) // 2
    alpha = (1 - level) / 2
    cdf = {}

    def at(j: int) -> float:
        if j not in cdf:
            cdf[j] = _exact_binomial_sf(n, j / n, m)
        return cdf[j]

    low = m
    while low > 1 and at(low - 1) >= alpha:
        low -= 1
    high = m
    while at(high) < 1 - alpha:
        high += 1
    while high > 1 and at(high - 1) >= 1 - alpha:
        high -= 1
    return low, high


@pytest.mark.parametrize(("n", "seed"), [(5, 1), (11, 2), (40, 3)])
def test_median_interval_matches_monte_carlo_bootstrap(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = np.sort(rng.lognormal(mean=11.5, sigma=0.4, size=n))
    low, high = median_interval(values, 0.95)

    # Brute force: 20,000 resamples, the lower median (the ceil(n/2)-th order statistic) of each.
    m = math.ceil(n / 2)
    draws = np.sort(values[rng.integers(0, n, size=(20_000, n))], axis=1)[:, m - 1]
    mc_low, mc_high = np.quantile(draws, [0.025, 0.975])

    assert low in values and high in values  # ends are order statistics
    assert abs(_rank_of(values, low) - _rank_of(values, mc_low)) <= 1
    assert abs(_rank_of(values, high) - _rank_of(values, mc_high)) <= 1


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 10, 11, 40, 101, 500])
def test_median_interval_contains_the_sample_median(n: int) -> None:
    values = np.sort(np.random.default_rng(n).normal(100.0, 15.0, size=n))
    low, high = median_interval(values)
    assert low <= float(np.median(values)) <= high
    assert values[0] <= low <= high <= values[-1]


def test_median_interval_of_one_value_is_that_value() -> None:
    assert median_interval(np.array([42.0])) == (42.0, 42.0)


def test_median_interval_narrows_as_n_grows() -> None:
    # Evenly spaced quantiles of one distribution: only n changes.
    widths = []
    for n in (11, 41, 161, 641, 2561):
        values = (np.arange(n) + 0.5) / n
        low, high = median_interval(values)
        widths.append(high - low)
    assert all(a > b for a, b in itertools.pairwise(widths)), widths


def test_median_interval_wider_at_higher_level() -> None:
    values = (np.arange(101) + 0.5) / 101
    lo80, hi80 = median_interval(values, 0.80)
    lo95, hi95 = median_interval(values, 0.95)
    lo99, hi99 = median_interval(values, 0.99)
    assert lo99 <= lo95 < lo80 and hi80 < hi95 <= hi99


@pytest.mark.parametrize("n", [1000, 4000])
def test_median_interval_exact_branch_matches_reference(n: int) -> None:
    values = np.arange(1, n + 1, dtype=float)  # value == rank
    low, high = median_interval(values)
    assert (int(low), int(high)) == _exact_ranks(n)


@pytest.mark.parametrize("n", [4001, 6000, 12001])
def test_median_interval_normal_branch_close_to_exact(n: int) -> None:
    values = np.arange(1, n + 1, dtype=float)  # value == rank
    low, high = median_interval(values)
    exact_low, exact_high = _exact_ranks(n)
    assert abs(int(low) - exact_low) <= 1
    assert abs(int(high) - exact_high) <= 1


def test_median_interval_needs_values() -> None:
    with pytest.raises(ValueError):
        median_interval(np.array([], dtype=float))


# --- wilson_interval -------------------------------------------------------------------------------


def _wilson_reference(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return (centre - half) / denom, (centre + half) / denom


@pytest.mark.parametrize(("k", "n"), [(0, 10), (5, 10), (10, 10), (81, 263), (1, 1000), (999, 1000), (3, 7)])
def test_wilson_interval_matches_textbook_formula(k: int, n: int) -> None:
    low, high = wilson_interval(k, n)
    ref_low, ref_high = _wilson_reference(k, n, Z_TABLE[0.95])
    assert low == pytest.approx(max(0.0, ref_low), abs=1e-9)
    assert high == pytest.approx(min(1.0, ref_high), abs=1e-9)
    assert 0.0 <= low <= k / n <= high <= 1.0


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        (0, 10, (0.0, 0.277533)),
        (5, 10, (0.236593, 0.763407)),
        (81, 263, (0.255289, 0.36621)),
    ],
)
def test_wilson_interval_published_values(k: int, n: int, expected: tuple[float, float]) -> None:
    low, high = wilson_interval(k, n)
    assert (round(low, 6), round(high, 6)) == expected


@pytest.mark.parametrize("level", [0.80, 0.90, 0.99])
def test_wilson_interval_other_levels(level: float) -> None:
    low, high = wilson_interval(81, 263, level)
    ref_low, ref_high = _wilson_reference(81, 263, Z_TABLE[level])
    assert (low, high) == pytest.approx((ref_low, ref_high), abs=1e-9)


@pytest.mark.parametrize("n", [0, -3])
def test_wilson_interval_without_observations_is_uninformative(n: int) -> None:
    assert wilson_interval(0, n) == (0.0, 1.0)


# --- between_variance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("residuals", "variances"),
    [
        ([0.0, 0.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4]),
        ([0.001, -0.001], [1e-2, 1e-2]),
        ([0.5, -0.5, 0.2], [1.0, 1.0, 1.0]),  # spread well within sampling noise
    ],
)
def test_between_variance_is_zero_without_excess_spread(
    residuals: list[float], variances: list[float]
) -> None:
    assert between_variance(np.array(residuals), np.array(variances)) == 0.0


def test_between_variance_moment_value() -> None:
    # w = 100 each; Q = 100 * (1 + 0 + 1 + 4) = 600; tau^2 = (600 - 4) / 400.
    tau2 = between_variance(np.array([1.0, 0.0, -1.0, 2.0]), np.full(4, 0.01))
    assert tau2 == pytest.approx(596 / 400)


def test_between_variance_unequal_weights() -> None:
    res, var = np.array([2.0, -1.0, 4.0]), np.array([1.0, 2.0, 4.0])
    w = 1 / var
    expected = ((w * res**2).sum() - 3) / w.sum()
    assert expected > 0
    assert between_variance(res, var) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("residuals", "variances"),
    [
        ([], []),
        ([9.0], [0.0]),  # a zero variance is unusable
        ([9.0], [np.nan]),
        ([np.nan], [0.1]),
    ],
)
def test_between_variance_without_usable_cells_is_zero(
    residuals: list[float], variances: list[float]
) -> None:
    assert between_variance(np.array(residuals, dtype=float), np.array(variances, dtype=float)) == 0.0


def test_between_variance_one_far_cell_is_enough_with_known_parents() -> None:
    assert between_variance(np.array([3.0]), np.array([0.1])) == pytest.approx((90 - 1) / 10)


# --- shrink ----------------------------------------------------------------------------------------


def test_shrink_without_between_spread_collapses_onto_parent() -> None:
    post = shrink(estimate=12.0, variance=0.5, parent=10.0, tau2=0.0)
    assert (post.value, post.weight, post.variance) == (10.0, 0.0, 0.0)


def test_shrink_with_huge_between_spread_keeps_own_estimate() -> None:
    post = shrink(estimate=12.0, variance=0.5, parent=10.0, tau2=1e12)
    assert post.value == pytest.approx(12.0, abs=1e-9)
    assert post.weight == pytest.approx(1.0, abs=1e-9)
    assert post.variance == pytest.approx(0.5, rel=1e-9)


def test_shrink_half_way() -> None:
    post = shrink(estimate=10.0, variance=1.0, parent=0.0, tau2=1.0)
    assert (post.value, post.variance, post.weight) == (5.0, 0.5, 0.5)


@pytest.mark.parametrize("tau2", [0.0, 1e-6, 0.01, 0.3, 1.0, 7.0, 1e6])
@pytest.mark.parametrize("variance", [1e-4, 0.05, 1.0, 30.0])
def test_shrink_weight_in_unit_interval_and_value_between(tau2: float, variance: float) -> None:
    post = shrink(estimate=11.0, variance=variance, parent=10.5, tau2=tau2)
    assert 0.0 <= post.weight <= 1.0
    assert post.weight == pytest.approx(tau2 / (tau2 + variance))
    assert 10.5 <= post.value <= 11.0
    assert 0.0 <= post.variance <= variance


@pytest.mark.parametrize("variance", [0.0, -1.0, float("nan"), float("inf")])
def test_shrink_without_usable_variance_keeps_estimate(variance: float) -> None:
    post = shrink(estimate=3.0, variance=variance, parent=1.0, tau2=0.5)
    assert (post.value, post.variance, post.weight) == (3.0, 0.0, 1.0)


# --- weighted_log_odds -----------------------------------------------------------------------------

K_A = np.array([50.0, 10.0, 40.0])
K_B = np.array([5.0, 55.0, 40.0])
PRIOR = np.array([1.0, 1.0, 1.0])


def test_weighted_log_odds_textbook_value() -> None:
    delta, z = weighted_log_odds(K_A, 100, K_B, 100, PRIOR, 3.0)
    # Monroe et al. eq. 16: log((y_a + a) / (n_a + a0 - y_a - a)) - log(same for b).
    expected0 = math.log(51 / 52) - math.log(6 / 97)
    assert delta[0] == pytest.approx(expected0)
    assert z[0] == pytest.approx(expected0 / math.sqrt(1 / 51 + 1 / 6))


def test_weighted_log_odds_much_more_frequent_in_a_is_significant() -> None:
    delta, z = weighted_log_odds(K_A, 100, K_B, 100, PRIOR, 3.0)
    assert delta[0] > 0 and z[0] > 2
    assert delta[1] < 0 and z[1] < -2
    assert abs(z[2]) < 1


def test_weighted_log_odds_swapping_groups_flips_signs() -> None:
    delta_ab, z_ab = weighted_log_odds(K_A, 100, K_B, 100, PRIOR, 3.0)
    delta_ba, z_ba = weighted_log_odds(K_B, 100, K_A, 100, PRIOR, 3.0)
    np.testing.assert_allclose(delta_ba, -delta_ab, rtol=0, atol=1e-12)
    np.testing.assert_allclose(z_ba, -z_ab, rtol=0, atol=1e-12)


def test_weighted_log_odds_equal_rates_give_zero() -> None:
    # Same item rates (1:2:3) in both groups at different sizes, prior in the same proportions.
    k_a, k_b = np.array([10.0, 20.0, 30.0]), np.array([100.0, 200.0, 300.0])
    delta, z = weighted_log_odds(k_a, 60, k_b, 600, np.array([1.0, 2.0, 3.0]), 6.0)
    np.testing.assert_allclose(delta, 0.0, atol=1e-12)
    np.testing.assert_allclose(z, 0.0, atol=1e-12)


# --- ridge_fit -------------------------------------------------------------------------------------


def _design(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(60), rng.normal(size=(60, 3))])
    beta = np.array([11.2, 0.35, -0.8, 0.05])
    return x, beta


def test_ridge_fit_tiny_penalty_recovers_noiseless_coefficients() -> None:
    x, beta = _design()
    coef = ridge_fit(x, x @ beta, np.full(4, 1e-10))
    np.testing.assert_allclose(coef, beta, atol=1e-8)


def test_ridge_fit_large_penalty_shrinks_toward_zero() -> None:
    x, beta = _design()
    y = x @ beta
    norms = [float(np.linalg.norm(ridge_fit(x, y, np.full(4, lam)))) for lam in (0.0, 10.0, 1e3, 1e5, 1e9)]
    assert all(a > b for a, b in itertools.pairwise(norms)), norms
    assert norms[-1] < 1e-5


def test_ridge_fit_penalty_is_per_coefficient() -> None:
    # The unpenalised intercept absorbs the mean; the heavily penalised slopes go to ~0.
    x, beta = _design()
    y = x @ beta
    coef = ridge_fit(x, y, np.array([0.0, 1e12, 1e12, 1e12]))
    assert coef[0] == pytest.approx(float(y.mean()), rel=1e-6)
    np.testing.assert_allclose(coef[1:], 0.0, atol=1e-6)


def test_ridge_fit_matches_closed_form() -> None:
    x, beta = _design(11)
    y = x @ beta + np.random.default_rng(3).normal(0, 0.1, size=len(x))
    penalty = np.array([0.0, 2.0, 2.0, 2.0])
    expected = np.linalg.inv(x.T @ x + np.diag(penalty)) @ x.T @ y
    np.testing.assert_allclose(ridge_fit(x, y, penalty), expected, rtol=1e-9)
