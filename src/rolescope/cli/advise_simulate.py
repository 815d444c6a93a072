"""Terminal rendering of a growth simulation (``rolescope advise simulate``): tables and a fan chart.

Rendering only: every figure comes from :mod:`rolescope.advise.simulate`; the fan chart draws the
same series the web page plots (:func:`growth_chart_data`).
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rolescope.advise.simulate import GrowthResult, growth_chart_data
from rolescope.insights.salaries import LEVELS

CHART_WIDTH = 48


def _k(value: float) -> str:
    return f"${value / 1000:,.0f}k"


def _pct(value: float | None, se: float | None = None) -> str:
    if value is None:
        return "–"
    return f"{value:.0%}" if se is None else f"{value:.0%} ±{1.96 * se:.1%}"


def fan_lines(chart: dict[str, Any], width: int = CHART_WIDTH) -> list[Text]:
    """One bar a year: blank up to P10, a shaded band to P90, the median marked; scaled to the largest P90."""
    top = max(chart["p90"]) or 1.0
    lines = []
    for year, lo, mid, hi in zip(chart["years"], chart["p10"], chart["p50"], chart["p90"], strict=True):
        a, m, b = (min(width - 1, round(v / top * (width - 1))) for v in (lo, mid, hi))
        line = Text(f"year {year:>2} │")
        line.append(" " * a)
        line.append("░" * (m - a), style="cyan")
        line.append("┃", style="bold cyan")
        line.append("░" * max(0, b - m), style="cyan")
        line.append(" " * (width - b - 1) + f"│ {_k(lo)} · {_k(mid)} · {_k(hi)}")
        lines.append(line)
    return lines


def _pay_table(result: GrowthResult) -> Table:
    nxt, runs = result.next_level, result.settings.runs
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"Base pay, US dollars a year: P10 / P50 [95% Monte Carlo interval] / P90 ({runs:,} runs)",
    )
    for name in ("year", "P10", "P50", "P90", f"reached {nxt}" if nxt else "next level", "level mix"):
        table.add_column(name, justify="right" if name != "level mix" else "left")
    for y in result.years:
        lo, hi = y.intervals["p50"]
        mix = ", ".join(f"{lv} {y.level_shares[lv]:.0%}" for lv in LEVELS if y.level_shares[lv] >= 0.005)
        table.add_row(
            str(y.year),
            f"${y.p10:,.0f}",
            f"${y.p50:,.0f} [{lo:,.0f}–{hi:,.0f}]",
            f"${y.p90:,.0f}",
            _pct(y.reached_next, y.reached_next_se) if nxt else "top level",
            mix,
        )
    return table


def _ratio(obs: dict[str, Any]) -> str:
    low, high = obs["interval_95"]
    return f"{obs['median_ratio'] - 1:+.1%} [{low - 1:+.0%}, {high - 1:+.0%}]"


def _promotions_table(result: GrowthResult) -> Table | None:
    if not result.promotions:
        return None
    table = Table(
        box=box.SIMPLE_HEAD, title="Pay step at promotion: simulated vs the benchmarks' median ratio"
    )
    for name in ("step", "promotions", "simulated median", "floored", "benchmark ratio [95%]", "cells n"):
        table.add_column(name, justify="left" if name == "step" else "right")
    for row in result.promotions:
        obs = row.get("observed")
        done = row["promotions"] > 0
        table.add_row(
            f"{row['from']} → {row['to']}",
            f"{row['promotions']:,}",
            f"{row['simulated_median_step'] - 1:+.1%}" if done else "–",
            f"{row['floored_share']:.0%}" if done else "–",
            _ratio(obs) if obs else "no benchmark",
            " / ".join(str(n) for n in obs["n"]) if obs else "–",
        )
    return table


def _benchmarks_table(result: GrowthResult) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title="Benchmark cells behind each level")
    for name in ("level", "cell", "n", "status", "median [95%]", "× factor"):
        table.add_column(name, justify="right" if name in ("n", "× factor") else "left")
    for lv in result.levels:
        cell = lv.cell
        if lv.curve is None or cell is None:
            table.add_row(lv.level, "none usable", str(cell.n if cell else 0), "no pay", "–", "–")
            continue
        key = ", ".join(f"{v}" for k, v in cell.key.items() if k != "role")
        factor = f"{lv.multiplier:.3f} ({', '.join(lv.factors)})" if lv.factors else "1"
        table.add_row(
            lv.level,
            f"{key} ({lv.tier})",
            f"{cell.n:,}",
            cell.status,
            f"${cell.median:,.0f} [{cell.median_low:,.0f}–{cell.median_high:,.0f}]",
            factor,
        )
    return table


def _skills_table(result: GrowthResult) -> Table | None:
    info = result.next_skills
    if not info.get("skills"):
        return None
    title = (
        f"Skills typical at {info['level']}: share of postings [95%] (n={info['n_next']}) "
        f"vs {result.start_level} (n={info['n_current']})"
    )
    table = Table(box=box.SIMPLE_HEAD, title=title)
    for name in ("skill", info["level"], result.start_level, "rise [95%]"):
        table.add_column(name, justify="left" if name == "skill" else "right")
    for row in info["skills"]:
        lo, hi = row["share_next_interval"]
        dlo, dhi = row["difference_interval"]
        rise = f"{row['difference']:+.0%} [{dlo:+.0%}, {dhi:+.0%}]"
        table.add_row(
            row["name"],
            f"{row['share_next']:.0%} [{lo:.0%}–{hi:.0%}]",
            f"{row['share_current']:.0%}",
            Text(rise, style="bold green") if row["higher"] else rise,
        )
    return table


def render_growth(result: GrowthResult, console: Console) -> None:
    """Print a growth simulation: the pay table, a fan chart, promotions, cells, skills and assumptions."""
    place = ", ".join(f"{k} {v}" for k, v in result.place.items() if v)
    console.print(Text(f"{result.role_name}, from {result.start_level} ({place})", style="bold"))
    if result.current_pay is not None:
        console.print(
            f"Starting at ${result.current_pay:,.0f}: P{100 * result.start_percentile:.0f} "
            f"of the {result.start_level} benchmark"
        )
    console.print(_pay_table(result))
    chart = growth_chart_data(result)
    console.print(Text("P10 ░ P50 ┃ P90, scaled to the highest P90", style="dim"))
    for line in fan_lines(chart):
        console.print(line)
    for table in (_promotions_table(result), _benchmarks_table(result), _skills_table(result)):
        if table is not None:
            console.print(table)
    if result.next_skills.get("note"):
        console.print(Text(f"Skills: {result.next_skills['note']}."))
    elif result.next_skills.get("rule"):
        console.print(Text(f"Skills listed: {result.next_skills['rule']}.", style="dim"))
    for note in result.notes:
        console.print(Text.assemble(("Note: ", "yellow"), f"{note}."))
    console.print(Text("Assumptions:", style="bold"))
    for line in result.assumptions:
        console.print(Text(f"  - {line}"))
    console.print(Text(f"Source: {result.source.get('kind', 'unknown')}", style="dim"))
