"""Small, exact statistics every insight uses: quantiles, intervals, shrinkage, log-odds, ridge.

numpy only: the embedded snapshot and a store must give the same figures on any machine, so nothing
here draws random numbers. The median's interval is the *exact* bootstrap percentile interval
(the bootstrap distribution of a sample median has a closed form, so no resampling is needed and the
result is reproducible to the last digit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

Z95 = 1.959963984540054


def z_for(level: float) -> float:
    """Two-sided normal quantile for a confidence level (0.90 -> 1.645, 0.95 -> 1.960, 0.99 -> 2.576)."""
    if not 0.5 < level < 1.0:
        raise ValueError(f"confidence level must be between 0.5 and 1, got {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def quantiles(sorted_values: np.ndarray, probs: tuple[float, ...]) -> list[float]:
    """Linear-interpolation quantiles (Hyndman-Fan type 7, numpy's default) of sorted values."""
    return [float(v) for v in np.quantile(sorted_values, probs)]


def _binomial_sf(n: int, p: float, k: int) -> float:
    """P(X >= k) for X ~ Binomial(n, p), exact via log-pmf sums (normal approximation beyond n=4000)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if n > 4000:
        mean, sd = n * p, math.sqrt(n * p * (1 - p))
        return 0.5 * math.erfc((k - 0.5 - mean) / (sd * math.sqrt(2)))
    ks = np.arange(k, n + 1)
    log_pmf = (
        math.lgamma(n + 1)
        - np.array([math.lgamma(i + 1) for i in ks])
        - np.array([math.lgamma(n - i + 1) for i in ks])
        + ks * math.log(p)
        + (n - ks) * math.log1p(-p)
    )
    top = log_pmf.max()
    return float(min(1.0, math.exp(top) * np.exp(log_pmf - top).sum()))


def median_interval(sorted_values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Exact bootstrap percentile interval for the median of sorted values.

    The median of a bootstrap resample is at most the j-th order statistic exactly when at least
    m = ceil(n/2) of the n draws are among the j smallest values, which happens with probability
    P(Binomial(n, j/n) >= m). The interval's ends are the order statistics where that distribution
    crosses (1-level)/2 and (1+level)/2; found by bisection.
    """
    n = len(sorted_values)
    if n == 0:
        raise ValueError("median_interval needs at least one value")
    m = (n + 1) // 2
    alpha = (1 - level) / 2

    def first_rank(target: float) -> int:
        lo, hi = 1, n
        while lo < hi:
            mid = (lo + hi) // 2
            if _binomial_sf(n, mid / n, m) >= target:
                hi = mid
            else:
                lo = mid + 1
        return lo

    return float(sorted_values[first_rank(alpha) - 1]), float(sorted_values[first_rank(1 - alpha) - 1])


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n; (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    z = z_for(level)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if k == 0 else max(0.0, centre - half)  # exact ends: no rounding residue at 0 or n
    return low, 1.0 if k == n else min(1.0, centre + half)


def between_variance(residuals: np.ndarray, variances: np.ndarray) -> float:
    """Moment estimate of the spread tau^2 of cells around their (known) parents.

    ``residuals`` are cell estimates minus their parent's; with sampling variances v_i,
    E[sum w_i r_i^2] = k + tau^2 sum w_i for w_i = 1 / v_i, so tau^2 = (Q - k) / sum w, floored at 0.
    """
    keep = np.isfinite(residuals) & np.isfinite(variances) & (variances > 0)
    if not keep.any():
        return 0.0
    weights = 1.0 / variances[keep]
    q = float((weights * residuals[keep] ** 2).sum())
    return max(0.0, (q - int(keep.sum())) / float(weights.sum()))


@dataclass(frozen=True, slots=True)
class Shrunk:
    """An estimate pulled toward its parent: weight 1 keeps the cell's own value, 0 the parent's."""

    value: float
    variance: float
    weight: float


def shrink(estimate: float, variance: float, parent: float, tau2: float) -> Shrunk:
    """Normal-normal empirical Bayes: posterior mean and variance of a cell given its parent.

    With no between-cell spread (tau^2 = 0) the cell collapses onto its parent.
    """
    if not math.isfinite(variance) or variance <= 0:
        return Shrunk(estimate, 0.0, 1.0)
    weight = tau2 / (tau2 + variance)
    return Shrunk(weight * estimate + (1 - weight) * parent, weight * variance, weight)


def weighted_log_odds(
    k_a: np.ndarray, n_a: int, k_b: np.ndarray, n_b: int, prior: np.ndarray, prior_total: float
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16-22).

    ``k_a``/``k_b`` are per-item counts in each group (totals ``n_a``/``n_b``), ``prior`` the prior
    pseudo-counts per item (summing to ``prior_total``). Returns (delta, z): delta > 0 leans to group a.
    """
    a0 = prior_total
    la = np.log((k_a + prior) / (n_a + a0 - k_a - prior))
    lb = np.log((k_b + prior) / (n_b + a0 - k_b - prior))
    delta = la - lb
    variance = 1.0 / (k_a + prior) + 1.0 / (k_b + prior)
    return delta, delta / np.sqrt(variance)


def ridge_fit(x: np.ndarray, y: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """Ridge regression coefficients: argmin |y - Xb|^2 + sum(penalty * b^2), solved exactly."""
    gram = x.T @ x + np.diag(penalty)
    return np.linalg.solve(gram, x.T @ y)
