"""Salary benchmarks: percentiles, an exact interval for the median, shrinkage and suppression per cell.

A cell is a set of observations sharing values on some dimensions (role x level x country x ...).
Policies are explicit and reported with every result:

- repeats: salary rows repeated verbatim count once ("distinct", the default) or every time ("all");
- outliers: pay outside Tukey's far fences on the log scale (Q1 - 3 IQR, Q3 + 3 IQR), computed within
  each role, is dropped ("iqr", the default) or kept ("none");
- employment: only full-time pay (and postings that state no employment type) is benchmarked;
- small cells: below ``min_n`` a cell is suppressed (only its n is shown); below ``shrink_below`` its
  median is pulled toward its parent cell by normal-normal empirical Bayes, with the between-cell
  variance estimated from its siblings (DerSimonian-Laird), and marked "shrunk";
- inflation: optional, to dollars of the newest year in the CPI table.

The hierarchy runs role > level > country > metro > remote > size > year: a cell's parent drops its
most specific dimension. Role cells are never shrunk: roles are what gets compared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa

from rolescope.errors import InvalidInput
from rolescope.insights.stats import between_variance, median_interval, quantiles, shrink, z_for
from rolescope.knowledge.prices import load_cpi

DIMENSIONS = ("role", "level", "country", "metro", "remote", "size", "year")
PERCENTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
LEVELS = ("entry", "mid", "senior", "executive")
# Posting seniority words onto the survey's four experience levels.
LEVEL_OF = {
    "intern": "entry",
    "entry": "entry",
    "mid": "mid",
    "senior": "senior",
    "lead": "senior",
    "executive": "executive",
}
_FULL_TIME = ("full_time", None)


@dataclass(frozen=True, slots=True)
class SalaryPolicy:
    """How observations become benchmark cells; every result reports the policy it used."""

    min_n: int = 5
    shrink_below: int = 30
    repeats: str = "distinct"
    outliers: str = "iqr"
    iqr_k: float = 3.0
    inflation: bool = False
    level: float = 0.95

    def __post_init__(self) -> None:
        if self.min_n < 1 or self.shrink_below < self.min_n:
            raise InvalidInput(
                f"min_n must be >= 1 and shrink_below >= min_n, got {self.min_n}/{self.shrink_below}"
            )
        if self.outliers not in ("iqr", "none"):
            raise InvalidInput(f"outlier policy must be 'iqr' or 'none', got {self.outliers!r}")
        if self.repeats not in ("distinct", "all"):
            raise InvalidInput(f"repeat policy must be 'distinct' or 'all', got {self.repeats!r}")
        if not 0.5 < self.level < 1.0:
            raise InvalidInput(f"confidence level must be between 0.5 and 1, got {self.level}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class PayObservations:
    """Pay figures in US dollars a year, with each dimension as integer codes (-1 = unknown)."""

    salary: np.ndarray
    codes: dict[str, np.ndarray]
    labels: dict[str, list[Any]]
    source: np.ndarray
    excluded: dict[str, int] = field(default_factory=dict)
    inflation: dict[str, Any] | None = None

    def __len__(self) -> int:
        return len(self.salary)

    def code_of(self, dim: str, value: Any) -> int:
        try:
            return self.labels[dim].index(value)
        except ValueError:
            return -2  # a value no observation has: matches nothing

    def subset(self, mask: np.ndarray) -> PayObservations:
        return replace(
            self,
            salary=self.salary[mask],
            codes={d: c[mask] for d, c in self.codes.items()},
            source=self.source[mask],
        )


def _encode(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    labels = sorted({v for v in values if v is not None}, key=str)
    index = {v: i for i, v in enumerate(labels)}
    return np.array([index.get(v, -1) for v in values], dtype=np.int32), labels


def prepare_observations(
    table: pa.Table, role_of: Mapping[str, str | None], policy: SalaryPolicy
) -> PayObservations:
    """Observations ready to benchmark: roles from titles, levels unified, policies applied.

    ``table`` has the columns of :func:`rolescope.store.market.pay_observations`; ``role_of`` maps
    each title to a role id (``None``: the title says no single role).
    """
    cols = table.to_pydict()
    n = table.num_rows
    keep = np.array([t in _FULL_TIME for t in cols["employment_type"]], dtype=bool)
    excluded = {"not_full_time": int(n - keep.sum())}
    roles = [role_of.get(t) for t in cols["title"]]
    excluded["no_single_role"] = int(sum(1 for r, k in zip(roles, keep, strict=True) if k and r is None))
    keep &= np.array([r is not None for r in roles], dtype=bool)
    values = {
        "role": roles,
        "level": [LEVEL_OF.get(s) if s else None for s in cols["seniority"]],
        "country": cols["country"],
        "metro": cols["metro"],
        "remote": cols["remote"],
        "size": cols["company_size"],
        "year": cols["year"],
    }
    salary = np.array([np.nan if v is None else v for v in cols["salary_usd_annual"]], dtype=float)
    usable = np.isfinite(salary) & (salary > 0)
    excluded["no_usable_pay"] = int((keep & ~usable).sum())
    keep &= usable
    idx = np.flatnonzero(keep)
    codes, labels = {}, {}
    for dim in DIMENSIONS:
        codes[dim], labels[dim] = _encode([values[dim][i] for i in idx])
    obs = PayObservations(salary[idx], codes, labels, np.asarray(cols["source"], dtype=object)[idx], excluded)
    if policy.inflation:
        obs = _adjust_inflation(obs)
    return _drop_outliers(obs, policy) if policy.outliers == "iqr" else obs


def _adjust_inflation(obs: PayObservations) -> PayObservations:
    cpi = load_cpi()
    base = max(cpi)
    years = np.array([obs.labels["year"][c] if c >= 0 else -1 for c in obs.codes["year"]])
    factor = np.array([cpi[base] / cpi[y] if y in cpi else 1.0 for y in years])
    late = int(sum(1 for y in years if y not in cpi))
    info = {"base_year": base, "series": "CPI-U CUUR0000SA0 annual average", "not_adjusted": late}
    return replace(obs, salary=obs.salary * factor, inflation=info)


def _drop_outliers(obs: PayObservations, policy: SalaryPolicy) -> PayObservations:
    logs = np.log(obs.salary)
    keep = np.ones(len(obs), dtype=bool)
    for code in np.unique(obs.codes["role"]):
        rows = obs.codes["role"] == code
        q1, q3 = np.quantile(logs[rows], [0.25, 0.75])
        spread = policy.iqr_k * (q3 - q1)
        keep[rows] = (logs[rows] >= q1 - spread) & (logs[rows] <= q3 + spread)
    result = obs.subset(keep)
    result.excluded = {**obs.excluded, "outliers": int((~keep).sum())}
    return result


@dataclass(slots=True)
class SalaryCell:
    """One benchmark cell. ``status``: "ok", "shrunk" (median pulled toward the parent) or "suppressed"."""

    key: dict[str, Any]
    n: int
    status: str
    median: float | None = None
    median_low: float | None = None
    median_high: float | None = None
    mean: float | None = None
    mean_low: float | None = None
    mean_high: float | None = None
    percentiles: dict[str, float] | None = None
    median_raw: float | None = None
    shrink_weight: float | None = None
    parent: dict[str, Any] | None = None
    sources: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        for name in ("median", "median_low", "median_high", "mean", "mean_low", "mean_high", "median_raw"):
            if name in out:
                out[name] = round(out[name], 0)
        if "percentiles" in out:
            out["percentiles"] = {k: round(v, 0) for k, v in out["percentiles"].items()}
        if "shrink_weight" in out:
            out["shrink_weight"] = round(out["shrink_weight"], 3)
        return out


def _summarize(
    key: dict[str, Any], values: np.ndarray, sources: np.ndarray, policy: SalaryPolicy
) -> SalaryCell:
    n = len(values)
    names, counts = np.unique(sources, return_counts=True)
    by_source = {str(s): int(c) for s, c in zip(names, counts, strict=True)}
    if n < policy.min_n:
        return SalaryCell(key, n, "suppressed", sources=by_source)
    ordered = np.sort(values)
    p = quantiles(ordered, PERCENTILES)
    low, high = median_interval(ordered, policy.level)
    pct = {f"p{round(q * 100)}": v for q, v in zip(PERCENTILES, p, strict=True)}
    mean = float(ordered.mean())
    half = z_for(policy.level) * float(ordered.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return SalaryCell(key, n, "ok", p[2], low, high, mean, mean - half, mean + half, pct, sources=by_source)


def _log_spread(values: np.ndarray) -> float:
    """Robust standard deviation of log pay (IQR / 1.349)."""
    q1, q3 = np.quantile(np.log(values), [0.25, 0.75])
    return float((q3 - q1) / 1.349)


def _group(obs: PayObservations, dims: Sequence[str]) -> dict[tuple[int, ...], np.ndarray]:
    """Row indices of each combination of codes over ``dims`` (rows unknown on any dim left out)."""
    if not dims:
        return {(): np.arange(len(obs))}
    stacked = np.stack([obs.codes[d] for d in dims], axis=1)
    known = np.flatnonzero((stacked >= 0).all(axis=1))
    if len(known) == 0:
        return {}
    keys, inverse = np.unique(stacked[known], axis=0, return_inverse=True)
    order = np.argsort(inverse.ravel(), kind="stable")
    bounds = np.cumsum(np.bincount(inverse.ravel(), minlength=len(keys)))[:-1]
    return {
        tuple(int(v) for v in k): rows for k, rows in zip(keys, np.split(known[order], bounds), strict=True)
    }


def order_dimensions(by: Sequence[str]) -> tuple[str, ...]:
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise InvalidInput(f"unknown dimension {unknown[0]!r}", hint=f"use any of {', '.join(DIMENSIONS)}")
    return tuple(d for d in DIMENSIONS if d in by)


def matching_cells(cells: Sequence[SalaryCell], where: Mapping[str, Any]) -> list[SalaryCell]:
    """The cells whose key has every value in ``where``."""
    return [c for c in cells if all(c.key.get(d) == v for d, v in where.items())]


def salary_cells(
    obs: PayObservations,
    by: Sequence[str],
    where: Mapping[str, Any] | None = None,
    policy: SalaryPolicy | None = None,
) -> list[SalaryCell]:
    """Every cell of the grouping ``by`` that matches ``where``, small ones shrunk toward their parent.

    ``where`` fixes values of dimensions (they join ``by``). How much cells differ from their parents
    is estimated within each role over the whole grouping, so a filter other than the role never
    changes a cell's figures.
    """
    policy = policy or SalaryPolicy()
    where = dict(where or {})
    by = order_dimensions(list(by) + list(where))
    scope = obs
    if "role" in where:
        scope = obs.subset(obs.codes["role"] == obs.code_of("role", where["role"]))
    cells: list[SalaryCell] = []
    for role_rows in _group(scope, by[:1]).values():
        role_obs = scope.subset(role_rows)
        family = [
            cell
            for key, rows in _group(role_obs, by[:-1]).items()
            for cell in _children(role_obs, by, key, rows, policy)
        ]
        cells.extend(cell for cell, _ in family)
        if len(by) > 1:
            _shrink_small(family, policy)
    cells = matching_cells(cells, where)
    return sorted(cells, key=lambda c: tuple(str(c.key[d]) for d in by))


@dataclass(slots=True)
class _Parent:
    key: dict[str, Any]
    log_median: float
    log_variance: float
    spread: float


def _children(
    obs: PayObservations,
    by: tuple[str, ...],
    parent_key: tuple[int, ...],
    parent_rows: np.ndarray,
    policy: SalaryPolicy,
) -> list[tuple[SalaryCell, _Parent | None]]:
    parent = obs.subset(parent_rows)
    label = {d: obs.labels[d][c] for d, c in zip(by[:-1], parent_key, strict=True)}
    info = None
    if len(parent) >= policy.min_n:
        spread = _log_spread(parent.salary)
        variance = math.pi / 2 * spread**2 / len(parent)
        info = _Parent(label, math.log(float(np.median(parent.salary))), variance, spread)
    out = []
    for (code,), rows in _group(parent, by[-1:]).items():
        key = {**label, by[-1]: parent.labels[by[-1]][code]}
        out.append((_summarize(key, parent.salary[rows], parent.source[rows], policy), info))
    return out


def _shrink_small(family: list[tuple[SalaryCell, _Parent | None]], policy: SalaryPolicy) -> None:
    """Pull the medians of small cells toward their parents', as far as the spread between cells says.

    The between-cell variance tau^2 is pooled over every shown cell of the family (one role, one
    grouping), with parents taken as known (:func:`between_variance`).
    """
    shown = [(c, p) for c, p in family if c.status != "suppressed" and p is not None and p.spread > 0]
    if not shown:
        return
    resid = np.array([math.log(c.median) - p.log_median for c, p in shown])
    var = np.array([math.pi / 2 * p.spread**2 / c.n for c, p in shown])
    tau2 = between_variance(resid, var)
    z = z_for(policy.level)
    for (cell, parent), v in zip(shown, var, strict=True):
        cell.parent = parent.key
        if cell.n >= policy.shrink_below:
            continue
        post = shrink(math.log(cell.median), float(v), parent.log_median, tau2)
        # The parent's own uncertainty carries over in proportion to how far the cell leans on it.
        half = z * math.sqrt(post.variance + (1 - post.weight) ** 2 * parent.log_variance)
        cell.median_raw, cell.shrink_weight, cell.status = cell.median, post.weight, "shrunk"
        cell.median = math.exp(post.value)
        cell.median_low, cell.median_high = math.exp(post.value - half), math.exp(post.value + half)
