"""Market-insight query latency: the real store, the same store scaled to ~10 million salary records,
and the embedded snapshot. Writes benchmarks/results/insights.json.

Queries, each called through the library as the CLI calls it (rolescope/cli/insights.py):

- cell_cold: open_market(store) + salary_cells([], role=ml_engineer, country=US, level=senior) + close,
  a fresh market every run (the first call on a market loads every pay observation);
- cell_warm: the same call again on a market whose observations are loaded;
- by_level_warm: salary_cells(["level"], role=ai_engineer, country=US) on that loaded market;
- compare_cold: open_market + compare_market(market, "ai-engineer", "ml-engineer") + close;
- skills_cold: open_market + skill_demand(market.skill_counts(), "ai_engineer", top=25) + close
  (top=25 is the CLI's default); skills_warm: skill_demand again on that market.

On the snapshot "cold" means load_snapshot() inside the timed call, "warm" reuses the loaded one.
Each group of queries runs in its own spawned process, so peak RSS (getrusage) is per phase.
Timing: one warm-up, then --runs runs; a query whose first run takes longer than --slow seconds has
that run counted (no warm-up) and repeats only while they fit in --budget seconds: the run count
is reported with every figure. The scaled store is for timing only (see "scaled.method").
compare_cold runs with the market's methods wrapped in timers (same code path) to split its time into
salary cells / observation loading / skill counts / premiums. On the scaled store one cold and one
warm salary cell also run under cProfile (the profiler inflates the Python-heavy load: its wall time
is reported next to the hot spots).

Run: python benchmarks/insights.py [--db STORE] [--rows 10000000] [--runs 20] [--keep]
Without --db a store is built in a temp dir from ../shared/data (rolescope ingest + enrich).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "insights.json"
SENIOR_US_ML = {"role": "ml_engineer", "country": "US", "level": "senior"}
US_AI = {"role": "ai_engineer", "country": "US"}
TOP = 25  # `rolescope skills demand`'s default --top


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def repeat(fn: Callable[[], Any], runs: int, budget: float, slow: float) -> dict[str, Any]:
    """Time ``fn``: a warm-up then ``runs`` runs, or, if the first run is slow, as many as fit."""
    started = time.perf_counter()
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    gc.collect()
    samples = [] if first <= slow else [first]
    while len(samples) < runs:
        expected = max(samples) if samples else first
        if samples and time.perf_counter() - started + expected > budget:
            break
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
        gc.collect()
    import numpy as np

    ms = np.array(samples) * 1000
    return {
        "runs": len(samples),
        "warm_up_ms": round(first * 1000, 2) if first <= slow else None,
        "warm_up_counted": first > slow,
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "min_ms": round(float(ms.min()), 2),
        "max_ms": round(float(ms.max()), 2),
    }


def profile(fn: Callable[[], Any], top: int = 12) -> dict[str, Any]:
    """One run under cProfile: its wall time and the functions with the most self and total time."""
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.runcall(fn)
    seconds = time.perf_counter() - t0
    stats = pstats.Stats(prof, stream=io.StringIO())

    def name(func: tuple[str, int, str]) -> str:
        path, line, fname = func
        for marker in ("site-packages/", "src/"):
            if marker in path:
                path = path.split(marker, 1)[1]
        return f"{path}:{line}({fname})" if line else fname

    def rows(key: int, only_rolescope: bool) -> list[dict[str, Any]]:
        items = [(f, v) for f, v in stats.stats.items() if not only_rolescope or "rolescope" in f[0]]
        items.sort(key=lambda fv: fv[1][key], reverse=True)
        return [
            {"function": name(f), "calls": v[1], "self_s": round(v[2], 3), "total_s": round(v[3], 3)}
            for f, v in items[:top]
        ]

    return {
        "seconds_under_profiler": round(seconds, 2),
        "by_self_time": rows(2, False),
        "rolescope_by_total_time": rows(3, True),
    }


# --- children: each runs in a fresh spawned process ---------------------------------------------


def store_queries(db: str, runs: int, budget: float, slow: float, do_profile: bool) -> dict[str, Any]:
    from rolescope.insights.market import open_market
    from rolescope.insights.salaries import SalaryPolicy

    path = Path(db)
    out: dict[str, Any] = {"rss_after_imports_mb": rss_mb()}
    last: list[Any] = []  # the last cold run's market (connection closed, observations loaded)

    def cell_cold() -> None:
        last.clear()  # free the previous run's observations before loading again
        gc.collect()
        market, close = open_market(path, explicit=True)
        try:
            market.salary_cells([], SENIOR_US_ML)
        finally:
            close()
        last.append(market)

    out["cell_cold"] = repeat(cell_cold, runs, budget, slow)
    market = last.pop()
    out["rss_observations_loaded_mb"] = rss_mb()
    cell = market.salary_cells([], SENIOR_US_ML)[0]
    out["cell_warm"] = repeat(lambda: market.salary_cells([], SENIOR_US_ML), runs, budget, slow)
    by_level = market.salary_cells(["level"], US_AI)
    out["by_level_warm"] = repeat(lambda: market.salary_cells(["level"], US_AI), runs, budget, slow)
    out["check"] = {
        "observations": len(market.observations(SalaryPolicy())),
        "excluded": market.observations(SalaryPolicy()).excluded,
        "cell": {"n": cell.n, "median": round(cell.median or 0), "status": cell.status},
        "by_level": {c.key["level"]: c.n for c in by_level},
    }
    if do_profile:
        out["profile_cell_warm"] = profile(lambda: market.salary_cells([], SENIOR_US_ML))
    out["peak_rss_cells_mb"] = rss_mb()
    if do_profile:
        market = None
        gc.collect()
        out["profile_cell_cold"] = profile(cell_cold)
    return out


def instrument(market: Any) -> dict[str, list[float]]:
    """Wall time and calls spent in the market's methods (the code path is unchanged)."""
    spent: dict[str, list[float]] = {}
    for name in ("salary_cells", "observations", "skill_counts", "premiums", "extras"):
        method = getattr(market, name)
        spent[name] = [0.0, 0]

        def wrapper(*args: Any, _method: Any = method, _name: str = name, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                spent[_name][0] += time.perf_counter() - t0
                spent[_name][1] += 1

        setattr(market, name, wrapper)
    return spent


def store_compare(db: str, runs: int, budget: float, slow: float) -> dict[str, Any]:
    from rolescope.insights.compare import compare_market
    from rolescope.insights.market import open_market

    path = Path(db)
    out: dict[str, Any] = {"rss_after_imports_mb": rss_mb()}
    last: dict[str, Any] = {}

    def compare_cold() -> None:
        t0 = time.perf_counter()
        market, close = open_market(path, explicit=True)
        spent = instrument(market)
        try:
            result = compare_market(market, "ai-engineer", "ml-engineer")
        finally:
            close()
        total = time.perf_counter() - t0
        parts = {
            f"{name} ({int(calls)} calls)": round(seconds * 1000, 1)
            for name, (seconds, calls) in spent.items()
        }
        direct = sum(spent[n][0] for n in ("salary_cells", "skill_counts", "premiums", "extras"))
        parts["everything else (open, views, claims)"] = round((total - direct) * 1000, 1)
        last.update(verdicts=result["verdicts"], breakdown_ms=parts)

    out["compare_cold"] = repeat(compare_cold, runs, budget, slow)
    out["check"] = {
        "verdicts": last["verdicts"],
        "compare_breakdown_ms (last run; observations is within salary_cells)": last["breakdown_ms"],
    }
    out["peak_rss_compare_mb"] = rss_mb()
    return out


def store_skills(db: str, runs: int, budget: float, slow: float) -> dict[str, Any]:
    from rolescope.insights.market import open_market
    from rolescope.insights.skills import skill_demand

    path = Path(db)
    out: dict[str, Any] = {"rss_after_imports_mb": rss_mb()}

    def skills_cold() -> None:
        market, close = open_market(path, explicit=True)
        try:
            skill_demand(market.skill_counts(), "ai_engineer", top=TOP)
        finally:
            close()

    out["skills_cold"] = repeat(skills_cold, runs, budget, slow)
    market, close = open_market(path, explicit=True)
    try:
        counts = market.skill_counts()
        out["skills_warm"] = repeat(lambda: skill_demand(counts, "ai_engineer", top=TOP), runs, budget, slow)
        top = skill_demand(counts, "ai_engineer", top=TOP)
        out["check"] = {
            "counts": market.source["counts"],
            "n_postings": counts.role("ai_engineer").n,
            "top3": [s.skill_id for s in top[:3]],
        }
    finally:
        close()
    out["peak_rss_skills_mb"] = rss_mb()
    return out


def snapshot_queries(runs: int, budget: float, slow: float) -> dict[str, Any]:
    from rolescope.insights.compare import compare_market
    from rolescope.insights.market import load_snapshot
    from rolescope.insights.skills import skill_demand

    out: dict[str, Any] = {"rss_after_imports_mb": rss_mb()}
    out["cell_cold"] = repeat(lambda: load_snapshot().salary_cells([], SENIOR_US_ML), runs, budget, slow)
    snap = load_snapshot()
    out["cell_warm"] = repeat(lambda: snap.salary_cells([], SENIOR_US_ML), runs, budget, slow)
    out["by_level_warm"] = repeat(lambda: snap.salary_cells(["level"], US_AI), runs, budget, slow)
    out["compare_cold"] = repeat(
        lambda: compare_market(load_snapshot(), "ai-engineer", "ml-engineer"), runs, budget, slow
    )
    out["skills_cold"] = repeat(
        lambda: skill_demand(load_snapshot().skill_counts(), "ai_engineer", top=TOP), runs, budget, slow
    )
    counts = snap.skill_counts()
    out["skills_warm"] = repeat(lambda: skill_demand(counts, "ai_engineer", top=TOP), runs, budget, slow)
    cell = snap.salary_cells([], SENIOR_US_ML)[0]
    out["check"] = {
        "counts": snap.source["counts"],
        "cell": {"n": cell.n, "median": round(cell.median or 0), "status": cell.status},
        "verdicts": compare_market(snap, "ai-engineer", "ml-engineer")["verdicts"],
    }
    out["peak_rss_mb"] = rss_mb()
    return out


def build_scaled(src: str, dst: str, rows: int) -> dict[str, Any]:
    """Copy the store, then replicate its salary rows until ~``rows`` (timing only)."""
    import duckdb

    started = time.perf_counter()
    shutil.copy(src, dst)
    copied = time.perf_counter() - started
    con = duckdb.connect(dst)
    con.execute("SET enable_progress_bar = false")
    base = con.execute("SELECT count(*) FROM salary_records").fetchone()[0]
    copies = max(0, round(rows / base) - 1)
    t0 = time.perf_counter()
    # Each copy k: ids and content hashes suffixed "~xk", repeat_index 0 (so every row counts as
    # distinct), and pay scaled by a factor in [0.98, 1.02] from a hash of (id, k): reproducible.
    con.execute(
        """
        INSERT INTO salary_records
        SELECT s.* REPLACE (
            s.salary_record_id || '~x' || k AS salary_record_id,
            s.content_hash || '~x' || k AS content_hash,
            0 AS repeat_index,
            s.salary_usd_annual * (1 + 0.02 * ((hash(s.salary_record_id, k) % 20001)::DOUBLE / 10000 - 1))
                AS salary_usd_annual
        )
        FROM salary_records s CROSS JOIN range(1, ? + 1) r(k)
        """,
        [copies],
    )
    inserted = time.perf_counter() - t0
    con.execute("CHECKPOINT")
    total, distinct = con.execute(
        "SELECT (SELECT count(*) FROM salary_records), (SELECT count(*) FROM salary_records_distinct)"
    ).fetchone()
    con.close()
    return {
        "base_rows": base,
        "copies": copies,
        "salary_records": total,
        "salary_records_distinct": distinct,
        "copy_seconds": round(copied, 2),
        "insert_seconds": round(inserted, 2),
        "build_seconds": round(time.perf_counter() - started, 2),
        "size_mb": round(os.path.getsize(dst) / 2**20, 1),
        "peak_rss_mb": rss_mb(),
    }


def in_child(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` in a fresh spawned process (so its peak RSS is its own); add wall seconds."""
    started = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        result = pool.submit(fn, *args).result()
    result["phase_seconds"] = round(time.perf_counter() - started, 1)
    return result


# --- driver -----------------------------------------------------------------------------------------


def build_real_store(shared: Path, workdir: Path) -> Path:
    db = workdir / "real.duckdb"
    postings = sorted(str(p) for p in (shared / "postings").glob("*.jsonl.gz"))
    salaries = str(shared / "salaries" / "aijobs_salaries.csv")
    for args in (["ingest", salaries, *postings, "--db", str(db)], ["enrich", "--db", str(db)]):
        print("rolescope", " ".join(args[:1] + args[-2:]), flush=True)
        subprocess.run([sys.executable, "-m", "rolescope", *args], check=True, stdout=subprocess.DEVNULL)
    return db


def store_phase(db: Path, opts: argparse.Namespace, budget: float, do_profile: bool) -> dict[str, Any]:
    args = (str(db), opts.runs, budget, opts.slow)
    print(f"  cells on {db.name} ...", flush=True)
    cells = in_child(store_queries, *args, do_profile)
    print(f"  compare on {db.name} ...", flush=True)
    compare = in_child(store_compare, *args)
    print(f"  skills on {db.name} ...", flush=True)
    skills = in_child(store_skills, *args)
    return {
        "path": str(db),
        "size_mb": round(os.path.getsize(db) / 2**20, 1),
        "queries": {k: cells[k] for k in ("cell_cold", "cell_warm", "by_level_warm")}
        | {"compare_cold": compare["compare_cold"]}
        | {k: skills[k] for k in ("skills_cold", "skills_warm")},
        "peak_rss_mb": {
            "cells (cold, warm, by level)": cells["peak_rss_cells_mb"],
            "with observations loaded": cells["rss_observations_loaded_mb"],
            "compare": compare["peak_rss_compare_mb"],
            "skills": skills["peak_rss_skills_mb"],
            "after imports": cells["rss_after_imports_mb"],
        },
        "phase_seconds": {
            "cells": cells["phase_seconds"],
            "compare": compare["phase_seconds"],
            "skills": skills["phase_seconds"],
        },
        "check": {**cells["check"], **compare["check"], "skills": skills["check"]},
        "profile": {
            k: v
            for k, v in (
                ("cell_cold", cells.get("profile_cell_cold")),
                ("cell_warm", cells.get("profile_cell_warm")),
            )
            if v
        },
    }


def machine() -> dict[str, Any]:
    from machine import machine as describe

    return describe("duckdb", "numpy")


LABELS = {
    "cell_cold": "salary cell, cold (open + load + 1 cell)",
    "cell_warm": "salary cell, warm (loaded market)",
    "by_level_warm": "by level, AI eng US (warm)",
    "compare_cold": "compare ai vs ml, cold",
    "skills_cold": "skill demand, cold (open + counts)",
    "skills_warm": "skill demand, warm (counts loaded)",
}


def table(report: dict[str, Any]) -> str:
    stores = [(k, report[k]["queries"]) for k in ("real", "scaled", "snapshot") if report.get(k)]
    head = f"{'query':42}" + "".join(f"{name + ' p50/p95 ms (n)':>34}" for name, _ in stores)
    lines = [head, "-" * len(head)]
    for key, label in LABELS.items():
        row = f"{label:42}"
        for _, queries in stores:
            q = queries.get(key)
            row += f"{q['p50_ms']:>14,.1f} /{q['p95_ms']:>12,.1f} ({q['runs']:>2})" if q else f"{'-':>34}"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an enriched store (default: build one from --shared)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--rows", type=int, default=10_000_000, help="salary records in the scaled store")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query after one warm-up")
    parser.add_argument("--slow", type=float, default=20.0, help="a first run slower than this is counted")
    parser.add_argument("--budget", type=float, default=150.0, help="seconds per slow query (see --slow)")
    parser.add_argument("--no-scaled", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--scaled", type=Path, help="where to build the scaled store (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scaled store (path in the results)")
    opts = parser.parse_args()
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="rolescope-insights-"))
    report: dict[str, Any] = {"machine": machine()}
    try:
        db = opts.db or build_real_store(opts.shared, workdir)
        if not db.exists():
            parser.error(f"no store at {db}")
        report["inputs"] = {
            "store": str(db),
            "store_built_by_script": opts.db is None,
            "runs": opts.runs,
            "slow_seconds": opts.slow,
            "budget_seconds": opts.budget,
            "queries": {
                "cell": {"by": [], "where": SENIOR_US_ML},
                "by_level": {"by": ["level"], "where": US_AI},
                "compare": ["ai-engineer", "ml-engineer"],
                "skills": {"role": "ai_engineer", "top": TOP},
            },
        }
        print(f"real store {db}", flush=True)
        report["real"] = store_phase(db, opts, budget=opts.budget, do_profile=False)
        print("snapshot", flush=True)
        snap = in_child(snapshot_queries, opts.runs, opts.budget, opts.slow)
        report["snapshot"] = {
            "queries": {k: snap[k] for k in LABELS},
            "peak_rss_mb": snap["peak_rss_mb"],
            "check": snap["check"],
            "phase_seconds": snap["phase_seconds"],
        }
        if not opts.no_scaled:
            scaled = opts.scaled or workdir / "scaled.duckdb"
            if opts.keep and not opts.scaled:
                scaled = Path(tempfile.gettempdir()) / "rolescope-insights-scaled.duckdb"
            print(f"building the scaled store ({opts.rows:,} salary records) ...", flush=True)
            build = in_child(build_scaled, str(db), str(scaled), opts.rows)
            print(f"  built in {build['build_seconds']} s, {build['size_mb']} MB", flush=True)
            report["scaled"] = {
                "method": (
                    f"scaled by replicating the {build['base_rows']:,} survey rows {build['copies']} times "
                    "(copy of the real store, then INSERT ... SELECT in DuckDB) with salary_record_id and "
                    "content_hash suffixed '~x<copy>', repeat_index 0 (every copy counts as distinct) and "
                    "±2% salary jitter (a factor in [0.98, 1.02] from hash(id, copy)); postings unchanged; "
                    "figures are for timing only"
                ),
                "build": build,
                **store_phase(scaled, opts, budget=opts.budget, do_profile=not opts.no_profile),
            }
            if opts.keep:
                report["scaled"]["kept_at"] = str(scaled)
            else:
                scaled.unlink(missing_ok=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print()
    print(table(report))
    for name in ("real", "scaled", "snapshot"):
        if report.get(name):
            print(f"peak RSS {name}: {report[name]['peak_rss_mb']}")
    if report.get("scaled"):
        print(f"scaled build: {report['scaled']['build']}")
        for what, prof in report["scaled"]["profile"].items():
            print(f"hot spots, {what} on the scaled store ({prof['seconds_under_profiler']} s profiled):")
            for row in prof["by_self_time"][:6]:
                print(f"  {row['self_s']:>8.2f} s self  {row['total_s']:>8.2f} s total  {row['function']}")
    print(f"wrote {RESULTS.relative_to(REPO)} in {report['total_seconds']} s")


if __name__ == "__main__":
    main()
