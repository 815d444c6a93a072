"""Growth simulation checked against the data it is built from, and timed.

For AI engineers and ML engineers (US, embedded snapshot):

(a) pay step at promotion: the simulated median of (pay just after / pay just before) over everyone
    promoted from a level, against the observed ratio of the two levels' benchmark medians (with the
    cells' n and a log-normal 95% interval). Two runs: "mechanism" (no raises, no market drift, no
    benchmark uncertainty: only the same-rank rule, so it should land inside the observed interval)
    and "defaults" (the shipped settings: one year of market drift and the floor ride on top);
(b) level mix: the Monte Carlo share at each level in years 1..N against the exact Markov chain
    (the start row of the transition matrix to the power N), in standard errors sqrt(p(1-p)/runs);
(c) time for one 10,000-run simulation: the Monte Carlo alone and the whole simulate_growth call
    (benchmarks, skills, summaries) on a loaded snapshot; the first (cold) call is reported apart.

It also gathers the evidence the promotion priors are set against (see advise/simulate.py): the
years of experience postings ask for at each title level (``years_required`` over ../shared/data
postings), the survey's level mix, and same-level US medians year over year.

Run: python benchmarks/advisor_simulation.py [--shared ../shared/data] [--runs 20]
Writes benchmarks/results/advisor_simulation.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from rolescope.advise.simulate import (
    PROMOTION_PRIORS,
    Place,
    SimulationSettings,
    resolve_benchmarks,
    simulate_growth,
    simulate_paths,
)
from rolescope.insights.market import load_snapshot
from rolescope.insights.salaries import LEVELS

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "advisor_simulation.json"
ROLES = ("ai_engineer", "ml_engineer")
MECHANISM = {"raise_mean": 0.0, "raise_sd": 0.0, "market_drift": 0.0, "benchmark_uncertainty": False}


def machine() -> dict[str, Any]:
    from machine import machine as describe

    return describe("numpy")


def step_check(market: Any, role: str, runs: int) -> list[dict[str, Any]]:
    """(a) For each level with a next one: simulated median step of those promoted vs the observed ratio."""
    rows = []
    for level in LEVELS[:-1]:
        row: dict[str, Any] = {"role": role, "from": level, "to": LEVELS[LEVELS.index(level) + 1]}
        for name, extra in (("mechanism", MECHANISM), ("defaults", {})):
            result = simulate_growth(market, role, level, settings=SimulationSettings(runs=runs, **extra))
            promo = result.promotions[0]
            row["observed"] = promo.get("observed")
            row[name] = {
                "promotions": promo["promotions"],
                "median_step": promo.get("simulated_median_step"),
                "mc_interval_95": promo.get("simulated_mc_interval_95"),
                "floored_share": promo.get("floored_share"),
            }
            obs = promo.get("observed")
            if obs and promo["promotions"]:
                low, high = obs["interval_95"]
                row[name]["inside_observed_interval"] = low <= promo["simulated_median_step"] <= high
                row[name]["ratio_to_observed"] = round(
                    promo["simulated_median_step"] / obs["median_ratio"], 4
                )
        rows.append(row)
    return rows


def markov_check(market: Any, role: str, runs: int, years: int = 5) -> dict[str, Any]:
    """(b) Monte Carlo level shares vs the exact matrix power, from entry (every transition in play).

    Level paths do not depend on pay, so with one seed every role draws the same paths: the check is
    of the chain, and the roles' figures agree.
    """
    settings = SimulationSettings(runs=runs, years=years)
    result = simulate_growth(market, role, "entry", settings=settings)
    chance = np.array([settings.probability(lv) for lv in LEVELS])
    matrix = np.diag(1 - chance) + np.diag(chance[:-1], k=1)
    state = np.eye(len(LEVELS))[0]
    worst, per_year = 0.0, []
    for summary in result.years[1:]:
        state = state @ matrix
        simulated = np.array([summary.level_shares[lv] for lv in LEVELS])
        se = np.sqrt(np.maximum(state * (1 - state), 1e-12) / runs)
        z = np.abs(simulated - state) / se
        worst = max(worst, float(z[state > 0].max()))
        per_year.append(
            {
                "year": summary.year,
                "exact": [round(float(x), 5) for x in state],
                "simulated": [round(float(x), 5) for x in simulated],
                "max_abs_z": round(float(z[state > 0].max()), 2),
            }
        )
    return {"role": role, "start": "entry", "runs": runs, "years": per_year, "max_abs_z": round(worst, 2)}


def timing(market: Any, role: str, repeats: int) -> dict[str, Any]:
    """(c) Milliseconds for one 10,000-run simulation: the Monte Carlo alone and the whole call."""
    settings = SimulationSettings(runs=10_000)
    t0 = time.perf_counter()
    simulate_growth(market, role, "mid", settings=settings)
    cold = (time.perf_counter() - t0) * 1000
    bench = resolve_benchmarks(market, role, Place())
    curves, sds = [lv.curve for lv in bench.levels], [lv.log_sd for lv in bench.levels]

    def timed(fn: Any) -> dict[str, Any]:
        fn()
        samples = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        ms = np.array(samples)
        return {
            "runs": repeats,
            "p50_ms": round(float(np.median(ms)), 2),
            "p95_ms": round(float(np.quantile(ms, 0.95)), 2),
        }

    return {
        "role": role,
        "first_call_ms": round(cold, 1),
        "monte_carlo": timed(lambda: simulate_paths(curves, sds, 1, settings)),
        "simulate_growth_warm": timed(lambda: simulate_growth(market, role, "mid", settings=settings)),
    }


def posting_years(shared: Path) -> dict[str, Any]:
    """Years of experience asked for, by the level a posting's title states (title only: no circularity)."""
    from rolescope.enrich.roles.titles import default_normalizer
    from rolescope.ingest.normalize.seniority import infer_seniority, years_required

    normalizer = default_normalizer()
    years: dict[str, dict[str, list[float]]] = {
        "all_roles": defaultdict(list),
        "ai_ml_engineers": defaultdict(list),
    }
    for path in sorted((shared / "postings").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                post = json.loads(line)
                level = infer_seniority(post.get("title"))
                asked = years_required(post.get("description"))
                if level is None or asked is None:
                    continue
                years["all_roles"][level].append(asked)
                if normalizer(post.get("title")).role in ("ai_engineer", "ml_engineer", "ai_ml_hybrid"):
                    years["ai_ml_engineers"][level].append(asked)
    order = ("intern", "entry", "mid", "senior", "lead", "executive")
    return {
        group: {
            lv: {
                "n": len(v),
                "median": float(np.median(v)),
                "p25": float(np.quantile(v, 0.25)),
                "p75": float(np.quantile(v, 0.75)),
            }
            for lv in order
            if (v := by_level.get(lv))
        }
        for group, by_level in years.items()
    }


def survey_evidence(market: Any) -> dict[str, Any]:
    """Level mix of the benchmark rows (every role), and same-level US medians 2023 -> 2024.

    Year-over-year changes use cells with 30+ rows in both years, leaving out role "other" (titles of
    no AI/ML role, whose mix changed between the years).
    """
    mix = defaultdict(int)
    for cell in market.salary_cells(("role", "level")):
        mix[cell.key["level"]] += cell.n
    total = sum(mix.values())
    moves = []
    cells = {
        (c.key["role"], c.key["level"], c.key["year"]): c
        for c in market.salary_cells(("role", "level", "year"), {"country": "US"})
    }
    for (role, level, year), cell in sorted(cells.items()):
        before = cells.get((role, level, year - 1))
        if (
            role != "other"
            and year == 2024
            and before
            and cell.status == "ok"
            and before.status == "ok"
            and min(cell.n, before.n) >= 30
        ):
            moves.append(
                {
                    "role": role,
                    "level": level,
                    "n": [before.n, cell.n],
                    "change": round(cell.median / before.median - 1, 4),
                }
            )
    changes = [m["change"] for m in moves]
    return {
        "level_mix": {lv: {"n": mix[lv], "share": round(mix[lv] / total, 4)} for lv in LEVELS},
        "same_level_us_median_change_2023_2024": moves,
        "median_of_changes": round(float(np.median(changes)), 4) if changes else None,
    }


def prior_implications(level_mix: dict[str, Any]) -> dict[str, Any]:
    """What the priors imply: mean years from entry to each level; yearly promotion rate at the survey mix."""
    mean_years, total = {"entry": 0.0}, 0.0
    for i, level in enumerate(LEVELS[:-1]):
        total += 1 / PROMOTION_PRIORS[level]
        mean_years[LEVELS[i + 1]] = round(total, 2)
    rate = sum(level_mix[lv]["share"] * PROMOTION_PRIORS.get(lv, 0.0) for lv in LEVELS)
    return {
        "priors": PROMOTION_PRIORS,
        "mean_years_from_entry": mean_years,
        "yearly_promotion_rate_at_survey_mix": round(rate, 4),
        "external_reference": (
            "WorldatWork 2017-2018 Salary Budget Survey: 7.9% of US employees promoted in 2016 (within "
            "one employer, all occupations), median promotional increase 8.0%; not in this data"
        ),
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{'role':12} {'step':20} {'observed [95%] (n)':34} {'mechanism':>10} {'defaults':>10} {'floored':>8}"
    ]
    lines.append("-" * len(lines[0]))
    for row in report["step_check"]:
        obs = row["observed"]
        if not obs:
            continue
        (low, high), (n_from, n_to) = obs["interval_95"], obs["n"]
        observed = f"{obs['median_ratio']:.3f} [{low:.3f}-{high:.3f}] ({n_from}/{n_to})"
        mech, dflt = row["mechanism"], row["defaults"]
        mark = "" if mech.get("inside_observed_interval") else " *"
        lines.append(
            f"{row['role']:12} {row['from'] + ' -> ' + row['to']:20} {observed:34} "
            f"{mech['median_step']:>10.3f}{mark} {dflt['median_step']:>9.3f} {dflt['floored_share']:>8.0%}"
        )
    lines.append("")
    for check in report["markov_check"]:
        lines.append(
            f"Markov check {check['role']}: max |MC - exact| = {check['max_abs_z']} standard errors, "
            f"{len(check['years'])} years, {check['runs']:,} runs"
        )
    for t in report["timing"]:
        mc, whole = t["monte_carlo"], t["simulate_growth_warm"]
        lines.append(
            f"10,000 runs {t['role']}: Monte Carlo {mc['p50_ms']} ms, whole call {whole['p50_ms']} ms "
            f"(p50 of {mc['runs']}), first call {t['first_call_ms']} ms"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=20, help="timed repeats per figure after one warm-up")
    parser.add_argument(
        "--sim-runs", type=int, default=100_000, help="runs per simulation in checks (a) and (b)"
    )
    opts = parser.parse_args()
    started = time.perf_counter()
    report: dict[str, Any] = {"machine": machine()}
    market = load_snapshot()
    report["inputs"] = {
        "source": "embedded snapshot",
        "country": "US",
        "roles": list(ROLES),
        "simulation_runs_for_checks": opts.sim_runs,
        "timed_repeats": opts.runs,
        "default_settings": SimulationSettings().to_dict(),
        "mechanism_settings": MECHANISM,
    }
    report["timing"] = [timing(market, role, opts.runs) for role in ROLES]
    report["step_check"] = [row for role in ROLES for row in step_check(market, role, opts.sim_runs)]
    report["markov_check"] = [markov_check(market, role, opts.sim_runs) for role in ROLES]
    survey = survey_evidence(market)
    report["prior_evidence"] = {
        "posting_years_required": posting_years(opts.shared) if opts.shared.is_dir() else None,
        "survey": survey,
        "implied_by_priors": prior_implications(survey["level_mix"]),
    }
    steps = [
        row[name] for row in report["step_check"] for name in ("mechanism", "defaults") if row["observed"]
    ]
    report["summary"] = {
        "steps_checked": len(steps) // 2,
        "mechanism_inside_observed_interval": sum(
            1 for row in report["step_check"] if row["mechanism"].get("inside_observed_interval")
        ),
        "defaults_inside_observed_interval": sum(
            1 for row in report["step_check"] if row["defaults"].get("inside_observed_interval")
        ),
        "markov_max_abs_z": max(check["max_abs_z"] for check in report["markov_check"]),
    }
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(table(report))
    print(
        f"(* outside the observed interval)\nwrote {RESULTS.relative_to(REPO)} in {report['total_seconds']} s"
    )


if __name__ == "__main__":
    main()
