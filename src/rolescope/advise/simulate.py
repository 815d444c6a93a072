"""Growth simulation: pay and level over the next few years, from the salary benchmarks and stated priors.

A Monte Carlo over simulated people who start in one role at one level (in a country; optionally a
metro, a company size and a work arrangement). Each person keeps a latent pay rank ``z`` (a normal
score) for the whole run. Each year a person is promoted one level with the prior probability for
their level, or else stays and gets a raise:

- **pay at a level** is the benchmark cell's distribution: log pay interpolated linearly in the normal
  score between the cell's P10, P25, P50, P75 and P90 (a piecewise log-normal), with log-normal tails
  beyond P10 and P90 at the slopes of the outer segments (:class:`PayCurve`). A shrunk cell's curve
  is centred on its shrunk median, its spread blended with its parent's by the same weight. A level
  whose cell is suppressed or missing falls back to the country's cell, then to all countries', with
  each dropped filter applied as a role-wide pay ratio (:func:`resolve_benchmarks`); every fall-back
  is named in the result's notes. Industry is in no benchmark, and the result says so;
- **staying**: pay grows by a raise drawn from Normal(``raise_mean``, ``raise_sd``), floored at 0 (no
  nominal pay cuts);
- **promotion**: pay moves to the next level's pay at the same rank, with the benchmarks moved on by
  ``market_drift`` a year (``promotion_gap_share`` of that log gap is closed; 1 = all of it), and is
  never less than pay before the promotion times (1 + max(raise, ``promotion_min_raise``));
- **benchmark uncertainty**: each person draws one factor per level from the level median's 95%
  interval (log-normal), so the P10-P90 band also carries what the benchmarks do not pin down. The
  Monte Carlo error of each percentile is reported on its own (a distribution-free order-statistic
  95% interval over the runs).

Year 0 is the benchmarks as they are (base salary, US dollars a year, mostly the survey's 2024 rows);
later years are nominal.

Priors (:data:`PROMOTION_PRIORS`, a year, from the level named) are priors, not measurements: the
data follows no person over time, so transition rates cannot be estimated from it. What they are set
against (figures in benchmarks/results/advisor_simulation.json, "prior_evidence"):

- entry -> mid 0.40 (mean 2.5 years at entry) and mid -> senior 0.30 (mean 3.3 years at mid): on
  average senior 5.8 years after starting. Postings ask for a median of 3 years of experience in
  mid-level titles (n=304) and 5 in senior ones (n=3,401): ``years_required`` over the shared
  postings, by the level the title states. The priors are a little slower because a requirement is
  a floor, and not everyone is promoted once they meet it.
- senior -> executive 0.05: executive (the survey's director-and-above level) is 3% of the benchmark
  rows against 56% senior, fewer still under an engineering title (US ML engineers: 33 against
  1,293), and executive postings ask for a median of 8 years. Most seniors never get there.
- At the benchmark rows' level mix the priors promote 16% of people a year, twice the 7.9% of US
  employees employers report promoting (WorldatWork 2017-2018 Salary Budget Survey, all occupations,
  within one employer): these are careers in a growing field, counted across job changes.
- raises: mean 3.5%, sd 2%; benchmarks drift 3% a year. US employers budgeted 3.3-3.9% for 2025
  (Mercer 3.3% merit / 3.6% total, WorldatWork 3.8%, Conference Board 3.9%, Payscale 3.5%: Workspan
  Daily, August 2024; not in this data). In the survey, same-level US medians moved a median 3.6%
  from 2023 to 2024 (13 role-level cells with 30+ rows in both years; -9% to +11%).
- promotion pay: the benchmarks' gap between adjacent levels (about 20% at the median for US ML
  engineers, mid to senior) is wider than the 8% median promotional increase employers report (same
  WorldatWork survey): a promotion inside one company often pays less, and people close the gap when
  they change jobs. ``promotion_gap_share`` < 1 models the former; the default closes all of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from itertools import combinations
from statistics import NormalDist
from typing import Any

import numpy as np

from rolescope.errors import InvalidInput, NotFound, NotReady
from rolescope.insights.market import Market
from rolescope.insights.salaries import LEVEL_OF, LEVELS, SalaryCell
from rolescope.insights.stats import Z95, wilson_interval
from rolescope.knowledge.roles import load_roles
from rolescope.knowledge.skills import load_taxonomy

PROMOTION_PRIORS = {"entry": 0.40, "mid": 0.30, "senior": 0.05}
PERCENTILE_KEYS = ("p10", "p25", "p50", "p75", "p90")
_SCORES = np.array([NormalDist().inv_cdf(p) for p in (0.10, 0.25, 0.50, 0.75, 0.90)])
MIN_TAIL_SLOPE = 0.05  # log pay per unit of normal score: a flat outer segment still gets a tail
MAX_YEARS = 10
MIN_RUNS, MAX_RUNS = 1_000, 1_000_000
MIN_SKILL_POSTINGS = 20  # postings at a level below this give no skill list


@dataclass(frozen=True, slots=True)
class SimulationSettings:
    """How the simulation runs; every field is reported with the result.

    ``promotion`` maps a level to the probability a year of moving up from it; levels left out keep
    their prior (see the module doc for where the priors come from). ``skill_min_share``: a skill is
    typical at the next level when at least this share of its postings ask for it.
    """

    years: int = 3
    runs: int = 10_000
    seed: int | None = 2026
    promotion: Mapping[str, float] = field(default_factory=lambda: dict(PROMOTION_PRIORS))
    raise_mean: float = 0.035
    raise_sd: float = 0.02
    market_drift: float = 0.03
    promotion_gap_share: float = 1.0
    promotion_min_raise: float = 0.0
    benchmark_uncertainty: bool = True
    skill_min_share: float = 0.20
    top_skills: int = 10

    def __post_init__(self) -> None:
        if not isinstance(self.years, int) or not 1 <= self.years <= MAX_YEARS:
            raise InvalidInput(f"years must be a whole number from 1 to {MAX_YEARS}, got {self.years!r}")
        if not isinstance(self.runs, int) or not MIN_RUNS <= self.runs <= MAX_RUNS:
            raise InvalidInput(
                f"runs must be from {MIN_RUNS:,} to {MAX_RUNS:,}, got {self.runs!r}",
                hint="fewer runs leave the P10 and P90 too noisy to read",
            )
        unknown = sorted(set(self.promotion) - set(LEVELS[:-1]))
        if unknown:
            raise InvalidInput(
                f"no promotion from level {unknown[0]!r}",
                hint=f"levels with a next level: {', '.join(LEVELS[:-1])}",
            )
        for level, p in self.promotion.items():
            if not 0.0 <= p <= 1.0:
                raise InvalidInput(f"promotion probability from {level} must be in [0, 1], got {p!r}")
        for name in ("raise_mean", "market_drift", "promotion_min_raise"):
            if not -0.5 < getattr(self, name) < 1.0:
                raise InvalidInput(f"{name} is a yearly fraction (0.035 = 3.5%), got {getattr(self, name)!r}")
        if not 0.0 <= self.raise_sd < 1.0:
            raise InvalidInput(f"raise_sd must be in [0, 1), got {self.raise_sd!r}")
        if not 0.0 <= self.promotion_gap_share <= 1.0:
            raise InvalidInput(f"promotion_gap_share must be in [0, 1], got {self.promotion_gap_share!r}")

    def probability(self, level: str) -> float:
        if level == LEVELS[-1]:
            return 0.0
        return float(self.promotion.get(level, PROMOTION_PRIORS[level]))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["promotion"] = {lv: self.probability(lv) for lv in LEVELS[:-1]}
        return out


@dataclass(frozen=True, slots=True)
class PayCurve:
    """Pay quantile function of one level: log pay piecewise linear in the normal score.

    Knots at the scores of P10, P25, P50, P75 and P90; beyond them log-normal tails at the outer
    segments' slopes (at least :data:`MIN_TAIL_SLOPE`).
    """

    log_knots: tuple[float, ...]

    @classmethod
    def from_percentiles(cls, percentiles: Mapping[str, float], scale: float = 1.0) -> PayCurve:
        values = [float(percentiles[k]) for k in PERCENTILE_KEYS]
        if min(values) <= 0 or scale <= 0:
            raise InvalidInput(f"pay percentiles must be positive, got {values}")
        logs = [math.log(v * scale) for v in values]
        for i in range(1, len(logs)):  # ties would make the curve uninvertible
            logs[i] = max(logs[i], logs[i - 1] + 1e-9)
        return cls(tuple(logs))

    def _slopes(self) -> tuple[float, float]:
        y = self.log_knots
        low = (y[1] - y[0]) / (_SCORES[1] - _SCORES[0])
        high = (y[-1] - y[-2]) / (_SCORES[-1] - _SCORES[-2])
        return max(low, MIN_TAIL_SLOPE), max(high, MIN_TAIL_SLOPE)

    def log_pay(self, z: np.ndarray | float) -> np.ndarray:
        z = np.asarray(z, dtype=float)
        y = np.asarray(self.log_knots)
        low, high = self._slopes()
        out = np.interp(z, _SCORES, y)
        out = np.where(z < _SCORES[0], y[0] + (z - _SCORES[0]) * low, out)
        return np.where(z > _SCORES[-1], y[-1] + (z - _SCORES[-1]) * high, out)

    def pay(self, z: np.ndarray | float) -> np.ndarray:
        return np.exp(self.log_pay(z))

    def score(self, pay: float) -> float:
        """The normal score (latent rank) at which this curve pays ``pay``: the inverse of :meth:`pay`."""
        y = np.asarray(self.log_knots)
        x = math.log(pay)
        low, high = self._slopes()
        if x < y[0]:
            return float(_SCORES[0] + (x - y[0]) / low)
        if x > y[-1]:
            return float(_SCORES[-1] + (x - y[-1]) / high)
        return float(np.interp(x, y, _SCORES))


@dataclass(slots=True)
class LevelPay:
    """The benchmark behind one level: the cell used, how it was found, and the curve built from it."""

    level: str
    cell: SalaryCell | None
    tier: str | None = None  # which cut answered: "requested", "country", "all countries"
    multiplier: float = 1.0
    factors: list[str] = field(default_factory=list)
    curve: PayCurve | None = None
    log_sd: float = 0.0  # sampling sd of the log median (and of the multipliers), for uncertainty
    spread_weight: float | None = None  # shrunk cells: weight of their own spread against the parent's

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"level": self.level, "tier": self.tier}
        if self.cell is not None:
            out["cell"] = self.cell.to_dict()
        out["multiplier"] = round(self.multiplier, 4)
        out["multiplied_by"] = self.factors
        out["log_sd"] = round(self.log_sd, 4)
        if self.spread_weight is not None:
            out["spread_weight"] = round(self.spread_weight, 3)
        if self.curve is not None:
            out["curve_pay"] = dict(
                zip(PERCENTILE_KEYS, (round(math.exp(v)) for v in self.curve.log_knots), strict=True)
            )
        return out


@dataclass(frozen=True, slots=True)
class Place:
    """Where the person works: a country (ISO code) and, optionally, a metro, company size and arrangement."""

    country: str = "US"
    metro: str | None = None
    size: str | None = None
    remote: str | None = None

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in (("remote", self.remote), ("metro", self.metro), ("size", self.size)) if v}


def _usable(cell: SalaryCell | None) -> bool:
    return (
        cell is not None
        and cell.status != "suppressed"
        and bool(cell.percentiles)
        and cell.median is not None
    )


def _log_sd(cell: SalaryCell) -> float:
    if not cell.median_low or not cell.median_high or cell.median_low <= 0:
        return 0.0
    return max(0.0, math.log(cell.median_high / cell.median_low) / (2 * Z95))


def _one(market: Market, where: Mapping[str, Any]) -> SalaryCell | None:
    cells = market.salary_cells((), where)
    return cells[0] if cells else None


@dataclass(slots=True)
class Factor:
    """One requested filter (country, metro, size, remote, industry) and what the data says about it."""

    name: str
    value: str | None
    used: str  # "direct" (cells cut by it), "ratio" (a role-wide pay ratio), "ignored", "not in the data"
    ratio: float = 1.0
    log_sd: float = 0.0
    cell: SalaryCell | None = None
    parent: SalaryCell | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "value": self.value, "used": self.used, "note": self.note}
        if self.used in ("direct", "ratio"):
            out["ratio"] = round(self.ratio, 4)
        for name in ("cell", "parent"):
            cell = getattr(self, name)
            if cell is not None:
                out[name] = cell.to_dict()
        return out


def _ratio_factor(market: Market, role: str, name: str, value: str, place: Place) -> Factor:
    """Pay with ``name=value`` over pay without it, role-wide (all levels): the fall-back multiplier."""
    base = {"role": role} if name == "country" else {"role": role, "country": place.country}
    try:
        cell, parent = _one(market, {**base, name: value}), _one(market, base)
    except InvalidInput:
        return Factor(name, value, "ignored", note=f"this data source has no pay cut by {name}; ignored")
    if not (_usable(cell) and _usable(parent)):
        n = cell.n if cell is not None else 0
        why = f"too few pay records for {name}={value} (n={n})" if n else f"no pay records for {name}={value}"
        return Factor(name, value, "ignored", cell=cell, note=f"{why}; ignored")
    ratio = cell.median / parent.median
    sd = math.hypot(_log_sd(cell), _log_sd(parent))
    note = f"pay with {name}={value} is {ratio:.3f}x pay without it ({role}, all levels, n={cell.n})"
    if cell.status == "shrunk":
        note += f", shrunk toward the parent (weight {cell.shrink_weight:.2f})"
    return Factor(name, value, "ratio", ratio, sd, cell, parent, note)


def _level_cells(market: Market, where: Mapping[str, Any]) -> dict[str, SalaryCell]:
    return {c.key["level"]: c for c in market.salary_cells(("level",), where)}


def _requested_cut(market: Market, role: str, place: Place) -> tuple[dict[str, SalaryCell], tuple[str, ...]]:
    """Level cells cut by as many of the requested filters as the source can (most specific dropped first)."""
    filters = place.filters()
    names = tuple(filters)
    for k in range(len(names), -1, -1):
        for kept in combinations(names, k):
            where = {"role": role, "country": place.country, **{n: filters[n] for n in kept}}
            try:
                return _level_cells(market, where), kept
            except InvalidInput:
                continue
    return {}, ()


@dataclass(slots=True)
class Benchmarks:
    """The pay curve of each level and the factors (filters) behind them."""

    levels: list[LevelPay]
    factors: list[Factor]
    notes: list[str]


def resolve_benchmarks(market: Market, role: str, place: Place) -> Benchmarks:
    """Each level's benchmark cell: the requested cut, else the country's, else all countries'.

    A filter the cell is not cut by (a metro on the snapshot, or every filter after a fall-back) is
    applied as a role-wide pay ratio (:func:`_ratio_factor`), assumed the same at every level.
    """
    filters = place.filters()
    requested, kept = _requested_cut(market, role, place)
    ratios: dict[str, Factor] = {}

    def ratio(name: str) -> Factor:
        if name not in ratios:
            value = place.country if name == "country" else filters[name]
            ratios[name] = _ratio_factor(market, role, name, value, place)
        return ratios[name]

    tiers = [("requested", requested, [n for n in filters if n not in kept])]
    if kept:
        country = _level_cells(market, {"role": role, "country": place.country})
        tiers.append(("country", country, list(filters)))
    tiers.append(("all countries", _level_cells(market, {"role": role}), ["country", *filters]))
    levels, notes = [], []
    for level in LEVELS:
        found = next(((t, cells[level], drop) for t, cells, drop in tiers if _usable(cells.get(level))), None)
        if found is None:
            levels.append(LevelPay(level, requested.get(level)))
            notes.append(f"{level}: every {role} pay cut at this level is suppressed or empty; no pay for it")
            continue
        tier, cell, dropped = found
        used = [ratio(n) for n in dropped if ratio(n).used == "ratio"]
        levels.append(_level_pay(market, level, tier, cell, used))
        if tier != "requested":
            notes.append(
                f"{level}: {_why_not(requested.get(level))}; used {_describe(cell)} instead{_times(used)}"
            )
    return Benchmarks(levels, _factors(place, kept, {lv.tier for lv in levels}, ratios), notes)


def _why_not(cell: SalaryCell | None) -> str:
    return f"the requested cut has n={cell.n} ({cell.status})" if cell else "the requested cut has no rows"


def _factors(
    place: Place, kept: tuple[str, ...], tiers_used: set[str | None], ratios: dict[str, Factor]
) -> list[Factor]:
    """How each requested filter was used in the end: by the cells themselves, as a ratio, or not at all."""
    out = []
    for name, value in [("country", place.country), *place.filters().items()]:
        if name == "country":
            direct = bool(tiers_used & {"requested", "country"})
        else:
            direct = name in kept and "requested" in tiers_used
        out.append(_factor_summary(name, value, direct, ratios.get(name)))
    return out


def _times(used: list[Factor]) -> str:
    return "".join(f" x {f.name} ratio {f.ratio:.3f}" for f in used)


def _describe(cell: SalaryCell) -> str:
    key = ", ".join(f"{k}={v}" for k, v in cell.key.items())
    return f"{key} (n={cell.n}, {cell.status})"


def _level_pay(market: Market, level: str, tier: str, cell: SalaryCell, used: list[Factor]) -> LevelPay:
    multiplier = math.prod(f.ratio for f in used)
    percentiles, weight = dict(cell.percentiles), None
    if cell.status == "shrunk" and cell.median_raw:
        parent = _parent_cell(market, cell)
        percentiles, weight = shrunk_percentiles(cell, parent), cell.shrink_weight if parent else 1.0
    curve = PayCurve.from_percentiles(percentiles, scale=multiplier)
    sd = math.sqrt(_log_sd(cell) ** 2 + sum(f.log_sd**2 for f in used))
    return LevelPay(level, cell, tier, multiplier, [f.name for f in used], curve, sd, weight)


def _parent_cell(market: Market, cell: SalaryCell) -> SalaryCell | None:
    if not cell.parent:
        return None
    try:
        parent = _one(market, cell.parent)
    except InvalidInput:
        return None
    return parent if _usable(parent) else None


def shrunk_percentiles(cell: SalaryCell, parent: SalaryCell | None) -> dict[str, float]:
    """A shrunk cell's percentiles: centred on its shrunk median, its spread pulled toward its parent's.

    The spread (each percentile's log distance from the median) is blended with the parent's by the
    cell's shrinkage weight, as its median was: a P90 from 8 rows is no firmer than their median.
    """
    own = np.log([cell.percentiles[k] / cell.median_raw for k in PERCENTILE_KEYS])
    if parent is not None and cell.shrink_weight is not None:
        theirs = np.log([parent.percentiles[k] / parent.percentiles["p50"] for k in PERCENTILE_KEYS])
        own = cell.shrink_weight * own + (1 - cell.shrink_weight) * theirs
    return {k: cell.median * math.exp(v) for k, v in zip(PERCENTILE_KEYS, own, strict=True)}


def _factor_summary(name: str, value: str, direct: bool, fallback: Factor | None) -> Factor:
    """How a requested filter was used in the end: by the cells themselves, as a ratio, or not at all."""
    if direct:
        note = f"benchmark cells cut by {name}"
        if fallback is not None and fallback.used == "ratio":
            note += f"; levels that fell back to a wider cut use its role-wide ratio ({fallback.ratio:.3f})"
        return Factor(name, value, "direct", note=note)
    return fallback or Factor(name, value, "ignored", note=f"no level could use {name}")


@dataclass(slots=True)
class Paths:
    """Simulated people: pay and level index per year (rows: years 0..N, columns: runs), and promotions."""

    pay: np.ndarray
    level: np.ndarray
    steps: dict[int, list[np.ndarray]]  # from-level index -> pay after / pay before, per promotion
    floored: dict[int, int]  # from-level index -> promotions where the floor set the pay


def simulate_paths(
    curves: list[PayCurve | None],
    log_sd: list[float],
    start: int,
    settings: SimulationSettings,
    start_pay: float | None = None,
) -> Paths:
    """Run the Monte Carlo (see the module doc); every draw comes from one generator seeded by ``seed``."""
    s, runs = settings, settings.runs
    rng = np.random.default_rng(s.seed)
    z = rng.standard_normal(runs) if start_pay is None else np.full(runs, curves[start].score(start_pay))
    noise = rng.standard_normal((runs, len(LEVELS))) * np.asarray(log_sd) if s.benchmark_uncertainty else None
    factor = np.exp(noise) if noise is not None else np.ones((runs, len(LEVELS)))
    pay = curves[start].pay(z) * factor[:, start] if start_pay is None else np.full(runs, float(start_pay))
    level = np.full(runs, start, dtype=np.int8)
    chance = np.array([s.probability(lv) for lv in LEVELS])
    pays, levels = [pay], [level]
    steps: dict[int, list[np.ndarray]] = {i: [] for i in range(len(LEVELS) - 1)}
    floored = dict.fromkeys(steps, 0)
    for year in range(1, s.years + 1):
        raises = np.maximum(rng.normal(s.raise_mean, s.raise_sd, runs), 0.0)
        up = rng.random(runs) < chance[level]
        new = pay * (1 + raises)
        for i in steps:
            idx = np.flatnonzero(up & (level == i))
            if len(idx) == 0:
                continue
            floor = pay[idx] * (1 + np.maximum(raises[idx], s.promotion_min_raise))
            target = (
                floor
                if curves[i + 1] is None
                else _promoted_pay(curves[i + 1], z[idx], factor[idx, i + 1], pay[idx], year, s)
            )
            new[idx] = np.maximum(target, floor)
            floored[i] += int((target < floor).sum())
            steps[i].append(new[idx] / pay[idx])
        pay, level = new, level + up.astype(np.int8)
        pays.append(pay)
        levels.append(level)
    return Paths(np.vstack(pays), np.vstack(levels), steps, floored)


def _promoted_pay(
    curve: PayCurve, z: np.ndarray, factor: np.ndarray, before: np.ndarray, year: int, s: SimulationSettings
) -> np.ndarray:
    target = curve.pay(z) * factor * (1 + s.market_drift) ** year
    return np.exp(np.log(before) + s.promotion_gap_share * (np.log(target) - np.log(before)))


def quantile_with_interval(values: np.ndarray, q: float) -> tuple[float, float, float]:
    """The q-quantile of ``values`` and a distribution-free 95% interval (order statistics, binomial)."""
    ordered = np.sort(values)
    n = len(ordered)
    half = Z95 * math.sqrt(n * q * (1 - q))
    low = min(max(math.floor(n * q - half), 0), n - 1)
    high = min(max(math.ceil(n * q + half), 0), n - 1)
    return float(np.quantile(ordered, q)), float(ordered[low]), float(ordered[high])


@dataclass(slots=True)
class YearSummary:
    """One year of the simulation: pay percentiles (with Monte Carlo intervals) and where people are."""

    year: int
    p10: float
    p50: float
    p90: float
    intervals: dict[str, tuple[float, float]]
    level_shares: dict[str, float]
    reached_next: float | None
    reached_next_se: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "p10": round(self.p10),
            "p50": round(self.p50),
            "p90": round(self.p90),
            "mc_interval_95": {k: [round(lo), round(hi)] for k, (lo, hi) in self.intervals.items()},
            "level_shares": {k: round(v, 4) for k, v in self.level_shares.items()},
            "reached_next": None if self.reached_next is None else round(self.reached_next, 4),
            "reached_next_se": None if self.reached_next_se is None else round(self.reached_next_se, 4),
        }


def summarize_years(paths: Paths, start: int) -> list[YearSummary]:
    runs = paths.pay.shape[1]
    out = []
    for year, (pay, level) in enumerate(zip(paths.pay, paths.level, strict=True)):
        pct = {f"p{round(q * 100)}": quantile_with_interval(pay, q) for q in (0.10, 0.50, 0.90)}
        shares = np.bincount(level, minlength=len(LEVELS)) / runs
        reached = se = None
        if start < len(LEVELS) - 1:
            reached = float((level > start).mean())
            se = math.sqrt(reached * (1 - reached) / runs)
        out.append(
            YearSummary(
                year,
                pct["p10"][0],
                pct["p50"][0],
                pct["p90"][0],
                {k: (v[1], v[2]) for k, v in pct.items()},
                {lv: float(x) for lv, x in zip(LEVELS, shares, strict=True)},
                reached,
                se,
            )
        )
    return out


def promotion_steps(paths: Paths, levels: list[LevelPay]) -> list[dict[str, Any]]:
    """Per transition: the simulated pay step of those promoted beside the benchmark's median ratio."""
    out = []
    for i, chunks in paths.steps.items():
        ratios = np.concatenate(chunks) if chunks else np.array([])
        row: dict[str, Any] = {"from": LEVELS[i], "to": LEVELS[i + 1], "promotions": len(ratios)}
        if len(ratios):
            median, low, high = quantile_with_interval(ratios, 0.5)
            row["simulated_median_step"] = round(median, 4)
            row["simulated_mc_interval_95"] = [round(low, 4), round(high, 4)]
            row["floored_share"] = round(paths.floored[i] / len(ratios), 4)
        observed = observed_step(levels[i], levels[i + 1])
        if observed:
            row["observed"] = observed
        out.append(row)
    return out


def observed_step(lower: LevelPay, upper: LevelPay) -> dict[str, Any] | None:
    """Ratio of adjacent levels' benchmark medians (after any multipliers), with a log-normal 95% interval."""
    if lower.curve is None or upper.curve is None:
        return None
    ratio = math.exp(upper.curve.log_knots[2] - lower.curve.log_knots[2])
    half = Z95 * math.hypot(lower.log_sd, upper.log_sd)
    return {
        "median_ratio": round(ratio, 4),
        "interval_95": [round(ratio * math.exp(-half), 4), round(ratio * math.exp(half), 4)],
        "n": [lower.cell.n, upper.cell.n],
        "status": [lower.cell.status, upper.cell.status],
    }


def difference_interval(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """95% interval for p1 - p2 from the two Wilson intervals (Newcombe 1998, method 10)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1)
    l2, u2 = wilson_interval(k2, n2)
    d = p1 - p2
    return d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)


def next_level_skills(market: Market, role: str, level: str, settings: SimulationSettings) -> dict[str, Any]:
    """Skills typical at the level above ``level`` in the role's postings, against their share at ``level``.

    Typical: at least ``skill_min_share`` of the next level's postings ask for it. Listed by how much
    more often the next level asks for it (largest first), at most ``top_skills``; ``higher`` marks
    skills whose share is higher at the next level beyond doubt (the 95% interval of the difference,
    Newcombe's method 10, lies above 0).
    """
    if level == LEVELS[-1]:
        return {"level": None, "skills": [], "note": f"{level} is the top level: there is no next level"}
    nxt = LEVELS[LEVELS.index(level) + 1]
    try:
        profiles = market.posting_profiles()
        n_next, next_counts = profiles.level_skill_counts(role, nxt)
        n_cur, cur_counts = profiles.level_skill_counts(role, level)
    except (NotFound, NotReady) as exc:
        return {"level": nxt, "skills": [], "note": f"no posting skills: {exc.message}"}
    out: dict[str, Any] = {"level": nxt, "n_next": n_next, "n_current": n_cur, "skills": []}
    if n_next < MIN_SKILL_POSTINGS or n_cur < MIN_SKILL_POSTINGS:
        thin = nxt if n_next < MIN_SKILL_POSTINGS else level
        n = min(n_next, n_cur)
        out["note"] = (
            f"too few {role} postings at {thin} (n={n}, need {MIN_SKILL_POSTINGS}) to compare skills"
        )
        return out
    rows = [
        _skill_row(skill, k, n_next, cur_counts.get(skill, 0), n_cur)
        for skill, k in next_counts.items()
        if k / n_next >= settings.skill_min_share
    ]
    rows.sort(key=lambda r: (-r["difference"], -r["share_next"], r["skill_id"]))
    out["skills"] = rows[: settings.top_skills]
    out["rule"] = (
        f"asked for by >= {settings.skill_min_share:.0%} of {nxt} postings; ordered by the share's rise from "
        f"{level}; 'higher' when the 95% interval of the rise is above 0"
    )
    return out


def _skill_row(skill: str, k_next: int, n_next: int, k_cur: int, n_cur: int) -> dict[str, Any]:
    taxonomy = load_taxonomy()
    low, high = difference_interval(k_next, n_next, k_cur, n_cur)
    nl, nh = wilson_interval(k_next, n_next)
    cl, ch = wilson_interval(k_cur, n_cur)
    return {
        "skill_id": skill,
        "name": taxonomy.get(skill).name if skill in taxonomy else skill,
        "share_next": round(k_next / n_next, 4),
        "share_next_interval": [round(nl, 4), round(nh, 4)],
        "k_next": k_next,
        "share_current": round(k_cur / n_cur, 4),
        "share_current_interval": [round(cl, 4), round(ch, 4)],
        "k_current": k_cur,
        "difference": round(k_next / n_next - k_cur / n_cur, 4),
        "difference_interval": [round(low, 4), round(high, 4)],
        "higher": low > 0,
    }


REMOTE_VALUES = ("onsite", "hybrid", "remote")
SIZE_VALUES = {
    "s": "small",
    "m": "medium",
    "l": "large",
    "small": "small",
    "medium": "medium",
    "large": "large",
}
INDUSTRY_NOTE = (
    "industry is not in the data: no pay benchmark is cut by industry (the salary survey records none and "
    "few postings name one), so the simulation is the same for every industry"
)


@dataclass(slots=True)
class GrowthResult:
    """A growth simulation: pay percentiles and level mix per year, the benchmarks and priors behind them."""

    role: str
    role_name: str
    start_level: str
    next_level: str | None
    place: dict[str, Any]
    current_pay: float | None
    start_percentile: float | None
    settings: SimulationSettings
    years: list[YearSummary]
    promotions: list[dict[str, Any]]
    levels: list[LevelPay]
    factors: list[Factor]
    next_skills: dict[str, Any]
    assumptions: list[str]
    notes: list[str]
    source: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "start_level": self.start_level,
            "next_level": self.next_level,
            "place": self.place,
            "current_pay": self.current_pay,
            "start_percentile": None if self.start_percentile is None else round(self.start_percentile, 4),
            "unit": "base salary, US dollars a year (year 0: the benchmarks' dollars; later years nominal)",
            "settings": self.settings.to_dict(),
            "years": [y.to_dict() for y in self.years],
            "promotions": self.promotions,
            "benchmarks": [lv.to_dict() for lv in self.levels],
            "factors": [f.to_dict() for f in self.factors],
            "next_skills": self.next_skills,
            "assumptions": self.assumptions,
            "notes": self.notes,
            "source": self.source,
        }


def simulate_growth(
    market: Market,
    role: str,
    level: str,
    *,
    country: str = "US",
    metro: str | None = None,
    size: str | None = None,
    remote: str | None = None,
    industry: str | None = None,
    current_pay: float | None = None,
    settings: SimulationSettings | None = None,
) -> GrowthResult:
    """Simulate pay and level over ``settings.years`` for someone in ``role`` at ``level``.

    Examples
    --------
    >>> from rolescope.insights.market import load_snapshot
    >>> quick = SimulationSettings(runs=2000)
    >>> result = simulate_growth(load_snapshot(), "ml_engineer", "mid", settings=quick)
    >>> [y.year for y in result.years], result.next_level
    ([0, 1, 2, 3], 'senior')
    """
    settings = settings or SimulationSettings()
    role_id, role_name = _check_role(role)
    start_level = _check_level(level)
    place = _check_place(country, metro, size, remote)
    pay = _check_pay(current_pay)
    bench = resolve_benchmarks(market, role_id, place)
    start = LEVELS.index(start_level)
    curve = bench.levels[start].curve
    if curve is None:
        raise NotFound(
            f"no pay benchmark for {role_id} at {start_level} in {place.country} or across countries",
            hint="try another level or role (rolescope salaries shows the cells)",
        )
    paths = simulate_paths(
        [lv.curve for lv in bench.levels], [lv.log_sd for lv in bench.levels], start, settings, pay
    )
    factors = bench.factors + (
        [Factor("industry", industry, "not in the data", note=INDUSTRY_NOTE)] if industry else []
    )
    return GrowthResult(
        role=role_id,
        role_name=role_name,
        start_level=start_level,
        next_level=LEVELS[start + 1] if start + 1 < len(LEVELS) else None,
        place={**asdict(place), "industry": industry},
        current_pay=pay,
        start_percentile=None if pay is None else NormalDist().cdf(curve.score(pay)),
        settings=settings,
        years=summarize_years(paths, start),
        promotions=promotion_steps(paths, bench.levels)[start:],
        levels=bench.levels,
        factors=factors,
        next_skills=next_level_skills(market, role_id, start_level, settings),
        assumptions=assumptions(settings, start_level, pay),
        notes=bench.notes + [f.note for f in factors if f.used in ("ignored", "not in the data")],
        source=_source(market),
    )


def _check_role(role: str) -> tuple[str, str]:
    catalog = load_roles()
    try:
        found = catalog.get(role)
    except NotFound:
        raise InvalidInput(f"unknown role {role!r}", hint=f"use one of {', '.join(catalog.ids)}") from None
    return found.id, found.name


def _check_level(level: str) -> str:
    found = LEVEL_OF.get(str(level).strip().lower())
    if found is None:
        raise InvalidInput(f"unknown level {level!r}", hint=f"use one of {', '.join(LEVELS)}")
    return found


def _check_place(country: str, metro: str | None, size: str | None, remote: str | None) -> Place:
    code = str(country).strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InvalidInput(
            f"country must be a two-letter ISO code, got {country!r}", hint="for example US, GB, DE"
        )
    if remote is not None and remote not in REMOTE_VALUES:
        raise InvalidInput(
            f"unknown work arrangement {remote!r}", hint=f"use one of {', '.join(REMOTE_VALUES)}"
        )
    if size is not None and str(size).strip().lower() not in SIZE_VALUES:
        raise InvalidInput(f"unknown company size {size!r}", hint="use small, medium or large")
    sized = SIZE_VALUES[str(size).strip().lower()] if size is not None else None
    return Place(code, metro.strip() if metro else None, sized, remote)


def _check_pay(pay: float | None) -> float | None:
    if pay is None:
        return None
    if not isinstance(pay, int | float) or not math.isfinite(pay) or not 1_000 <= pay <= 10_000_000:
        raise InvalidInput(
            f"current pay must be a yearly base salary in US dollars, got {pay!r}", hint="for example 150000"
        )
    return float(pay)


def _source(market: Market) -> dict[str, Any]:
    source = market.source
    return {k: source[k] for k in ("kind", "path", "counts") if k in source}


def assumptions(settings: SimulationSettings, level: str, current_pay: float | None) -> list[str]:
    """Every assumption of a run, in words (see the module doc for where the numbers come from)."""
    s = settings
    odds = ", ".join(f"{lv} -> {LEVELS[i + 1]} {s.probability(lv):.0%}" for i, lv in enumerate(LEVELS[:-1]))
    out = [
        f"promotion chances a year are priors, not measured ({odds}); at most one a year, no demotions",
        f"yearly raise ~ Normal({s.raise_mean:.1%}, {s.raise_sd:.1%}), floored at 0",
        f"benchmarks move {s.market_drift:.1%} a year; a promotion closes {s.promotion_gap_share:.0%} of "
        "the log gap to the next level's pay at the same rank, never paying less than staying "
        f"(min raise {s.promotion_min_raise:.0%})",
        "within a level, log pay is linear in the normal score between the cell's P10..P90; log-normal tails",
        f"{s.runs:,} runs, seed {s.seed}; P10/P50/P90 carry 95% Monte Carlo intervals",
        "base salary only: bonus and equity are not in the data",
    ]
    if s.benchmark_uncertainty:
        out.append(
            "each run draws every level's median from its 95% interval, so the band includes benchmark error"
        )
    if current_pay is not None:
        out.append(f"starts at ${current_pay:,.0f}, at that pay's rank in the {level} benchmark")
    return out


def growth_chart_data(result: GrowthResult) -> dict[str, Any]:
    """The fan chart's series (years, P10, P50, P90, chance of the next level) for a terminal or the web."""
    return {
        "title": f"{result.role_name} from {result.start_level}: base pay, {result.settings.years} years",
        "unit": "USD a year",
        "runs": result.settings.runs,
        "years": [y.year for y in result.years],
        "p10": [round(y.p10) for y in result.years],
        "p50": [round(y.p50) for y in result.years],
        "p90": [round(y.p90) for y in result.years],
        "next_level": result.next_level,
        "reached_next": [None if y.reached_next is None else round(y.reached_next, 4) for y in result.years],
    }
