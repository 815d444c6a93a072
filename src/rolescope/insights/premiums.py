"""Skill pay premiums: the pay uplift associated with asking for a skill, other things held equal.

Model (postings that state pay): log(pay) = controls + sum over skills of beta_s * asks_for_s, where
the controls are the posting's role (from its title), experience level, country (the largest ones,
the rest pooled) and work arrangement. Skill coefficients get a ridge penalty (``penalty``), the
controls almost none; a skill's premium is exp(beta_s) - 1. Its interval is a percentile bootstrap
over postings with a fixed seed, so the figures are reproducible. A skill is estimated only when at
least ``min_with`` paid postings ask for it and ``min_with`` do not; a premium whose interval spans
zero is reported as not distinguishable from no premium. Associations, not causes: a skill can stand
in for the kind of employer that asks for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from rolescope.insights.salaries import LEVEL_OF
from rolescope.insights.stats import ridge_fit


@dataclass(frozen=True, slots=True)
class PremiumOptions:
    min_with: int = 30
    penalty: float = 10.0
    bootstrap: int = 200
    level: float = 0.95
    top_countries: int = 6
    seed: int = 20261122


@dataclass(frozen=True, slots=True)
class SkillPremium:
    skill_id: str
    premium: float
    low: float
    high: float
    n_with: int
    n_without: int

    @property
    def distinguishable(self) -> bool:
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, Any]:
        out = {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}
        return {**out, "distinguishable": self.distinguishable}


@dataclass(frozen=True, slots=True)
class PremiumResult:
    premiums: list[SkillPremium]
    n_postings: int
    controls: list[str]
    options: PremiumOptions

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_postings": self.n_postings,
            "controls": self.controls,
            "options": asdict(self.options),
            "method": "ridge regression of log pay on skill indicators with role, level, country and "
            "work-arrangement controls; percentile bootstrap interval",
            "premiums": [p.to_dict() for p in self.premiums],
        }


def _postings(table: pa.Table, role_of: Callable[[str], str | None]) -> list[dict[str, Any]]:
    cols = table.to_pydict()
    postings: dict[str, dict[str, Any]] = {}
    for i, pid in enumerate(cols["posting_id"]):
        row = postings.get(pid)
        if row is None:
            role = role_of(cols["title"][i])
            salary = cols["salary_usd_annual"][i]
            if role is None or not salary or salary <= 0:
                postings[pid] = {"skip": True}
                continue
            seniority = cols["seniority"][i]
            row = postings[pid] = {
                "role": role,
                "level": LEVEL_OF.get(seniority, "unknown") if seniority else "unknown",
                "country": cols["country"][i] or "unknown",
                "remote": cols["remote"][i] or "unknown",
                "log_pay": math.log(salary),
                "skills": set(),
            }
        if not row.get("skip") and cols["skill_id"][i]:
            row["skills"].add(cols["skill_id"][i])
    kept = [p for p in postings.values() if not p.get("skip")]
    # Posting ids depend on how a file was loaded; the bootstrap must not, so order rows by content.
    return sorted(
        kept,
        key=lambda p: (p["role"], p["level"], p["country"], p["remote"], p["log_pay"], sorted(p["skills"])),
    )


def _design(postings: list[dict[str, Any]], options: PremiumOptions) -> tuple[np.ndarray, list[str], int]:
    """Intercept and one-hot controls (first category of each left out); returns (X, names, n_controls)."""
    countries: dict[str, int] = {}
    for p in postings:
        countries[p["country"]] = countries.get(p["country"], 0) + 1
    top = {c for c, _ in sorted(countries.items(), key=lambda t: (-t[1], t[0]))[: options.top_countries]}
    columns: list[np.ndarray] = [np.ones(len(postings))]
    names = ["intercept"]
    for field in ("role", "level", "country", "remote"):
        values = [p[field] if field != "country" or p[field] in top else "other" for p in postings]
        for category in sorted(set(values))[1:]:
            columns.append(np.array([v == category for v in values], dtype=float))
            names.append(f"{field}={category}")
    return np.column_stack(columns), names, len(names)


def estimate_premiums(
    table: pa.Table, role_of: Callable[[str], str | None], options: PremiumOptions | None = None
) -> PremiumResult:
    """Premiums for every skill with enough paid postings on both sides, largest first."""
    options = options or PremiumOptions()
    postings = _postings(table, role_of)
    n = len(postings)
    counts: dict[str, int] = {}
    for p in postings:
        for s in p["skills"]:
            counts[s] = counts.get(s, 0) + 1
    skills = sorted(s for s, k in counts.items() if k >= options.min_with and n - k >= options.min_with)
    if n < 2 * options.min_with or not skills:
        return PremiumResult([], n, [], options)
    controls, names, n_controls = _design(postings, options)
    indicators = np.array([[s in p["skills"] for s in skills] for p in postings], dtype=float)
    x = np.hstack([controls, indicators])
    y = np.array([p["log_pay"] for p in postings])
    penalty = np.concatenate([np.full(n_controls, 1e-6), np.full(len(skills), options.penalty)])
    beta = ridge_fit(x, y, penalty)[n_controls:]
    rng = np.random.default_rng(options.seed)
    draws = np.empty((options.bootstrap, len(skills)))
    for b in range(options.bootstrap):
        rows = rng.integers(0, n, n)
        draws[b] = ridge_fit(x[rows], y[rows], penalty)[n_controls:]
    alpha = (1 - options.level) / 2
    low, high = np.quantile(draws, [alpha, 1 - alpha], axis=0)
    premiums = [
        SkillPremium(
            s, math.expm1(beta[j]), math.expm1(low[j]), math.expm1(high[j]), counts[s], n - counts[s]
        )
        for j, s in enumerate(skills)
    ]
    premiums.sort(key=lambda p: -p.premium)
    return PremiumResult(premiums, n, names[1:], options)
