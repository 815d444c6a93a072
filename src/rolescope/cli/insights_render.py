"""Tables and CSV rows for the market commands (rendering only: every figure comes from the library)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from rolescope.cli._common import stdout_console
from rolescope.insights.salaries import SalaryCell

_VERDICT_STYLE = {"consistent": "green", "contradicted": "bold red", "untestable": "dim"}


def _money(value: float | None) -> str:
    return "–" if value is None else f"${value:,.0f}"


def _median(cell: dict | None) -> str:
    if not cell:
        return "no data (n=0)"
    if cell["status"] == "suppressed":
        return f"suppressed (n={cell['n']})"
    mark = " shrunk" if cell["status"] == "shrunk" else ""
    return (
        f"{_money(cell['median'])} [{cell['median_low']:,.0f}–{cell['median_high']:,.0f}] n={cell['n']}{mark}"
    )


def _k(value: float) -> str:
    return f"{value / 1000:,.0f}k"


def _band(cell: dict | None, lo: str = "p25", hi: str = "p75") -> str:
    if not cell or cell["status"] == "suppressed":
        return "–"
    pct = cell["percentiles"]
    return f"${_k(pct[lo])}–{_k(pct[hi])}"


def _key(cell: dict, skip: tuple[str, ...] = ("role",)) -> str:
    return ", ".join(f"{v}" for k, v in cell["key"].items() if k not in skip) or "all"


def _share(row: dict) -> str:
    return f"{row['share']:.1%} [{row['low']:.1%}–{row['high']:.1%}] {row['k']}/{row['n']}"


def print_comparison(result: dict[str, Any]) -> None:
    console = stdout_console()
    a, b = result["roles"]
    names = result["names"]
    pay = Table(box=box.SIMPLE_HEAD, title="Base pay, US dollars a year: median [95% interval] n")
    pay.add_column("cut")
    for role in (a, b):
        pay.add_column(names[role])
    sa, sb = result["salaries"][a], result["salaries"][b]
    pay.add_row("US", _median(sa["us"]), _median(sb["us"]))
    pay.add_row("US, P25–P75", _band(sa["us"]), _band(sb["us"]))
    for level in ("entry", "mid", "senior", "executive"):
        ca = next((c for c in sa["us_by_level"] if c["key"]["level"] == level), None)
        cb = next((c for c in sb["us_by_level"] if c["key"]["level"] == level), None)
        pay.add_row(f"US {level}", _median(ca), _median(cb))
    for mode in ("onsite", "hybrid", "remote"):
        ca = next((c for c in sa["us_remote"] if c["key"]["remote"] == mode), None)
        cb = next((c for c in sb["us_remote"] if c["key"]["remote"] == mode), None)
        pay.add_row(f"US {mode}", _median(ca), _median(cb))
    pay.add_row("all countries", _median(sa["all_countries"]), _median(sb["all_countries"]))
    console.print(pay)
    _print_oews(result)
    _print_skills(result)
    _print_premiums(result)
    _print_claims(result)


def _print_oews(result: dict[str, Any]) -> None:
    oews = result["oews"]
    national = [w for w in oews["wages"] if w["area_code"] == "0000000"]
    if not national:
        return
    table = Table(
        box=box.SIMPLE_HEAD, title=f"Official US wages, BLS OEWS {oews['release']} (nearest occupations)"
    )
    for col in ("occupation", "employment", "median", "P25–P75", "P90"):
        table.add_column(col)
    for w in national:
        p90 = f"≥{_money(w['p90'])}" if "p90" in w["top_coded"] else _money(w["p90"])
        table.add_row(
            f"{w['soc_code']} {w['title']}",
            f"{w['employment']:,}",
            _money(w["median"]),
            f"{_money(w['p25'])}–{_money(w['p75'])}",
            p90,
        )
    stdout_console().print(table)


def _print_skills(result: dict[str, Any]) -> None:
    skills = result["skills"]
    if "unavailable" in skills:
        stdout_console().print(f"Skills: {skills['unavailable']}")
        return
    a, b = result["roles"]
    n = skills["n_postings"]
    stack = Table(
        box=box.SIMPLE_HEAD,
        title=f"Tech stack: share of postings [95% interval] (role from title; n={n[a]:,} and {n[b]:,})",
    )
    stack.add_column("skill")
    stack.add_column(result["names"][a])
    stack.add_column(result["names"][b])
    for row in skills["stack"]:
        stack.add_row(row["label"], _share(row[a]), _share(row[b]))
    stdout_console().print(stack)
    dist = Table(box=box.SIMPLE_HEAD, title="Skills that most set each role apart (weighted log-odds z)")
    dist.add_column(f"leans {result['names'][a]}")
    dist.add_column(f"leans {result['names'][b]}")
    left, right = skills["distinguishing"][a][:10], skills["distinguishing"][b][:10]
    for i in range(max(len(left), len(right))):
        cells = [
            f"{r['skill_id']} z={r['z']:+.1f} ({r['share_a']:.0%} vs {r['share_b']:.0%})" if r else ""
            for r in (left[i] if i < len(left) else None, right[i] if i < len(right) else None)
        ]
        dist.add_row(*cells)
    stdout_console().print(dist)


def _print_premiums(result: dict[str, Any]) -> None:
    prem = result["premiums"]
    rows = prem.get("premiums", [])
    title = (
        f"Pay premiums linked to a skill ({prem.get('n_postings', 0):,} postings with pay; "
        f"{len(rows)} of {prem['tested']} skills clear their 95% interval, "
        f"~{prem['expected_by_chance']} would by chance)"
    )
    table = Table(box=box.SIMPLE_HEAD, title=title)
    for col in ("skill", "premium [95% interval]", "postings with / without"):
        table.add_column(col)
    for p in rows[:8] + rows[-4:] if len(rows) > 12 else rows:
        table.add_row(
            p["skill_id"],
            f"{p['premium']:+.1%} [{p['low']:+.1%}, {p['high']:+.1%}]",
            f"{p['n_with']:,} / {p['n_without']:,}",
        )
    stdout_console().print(table)


def _claimed(claim: dict) -> str:
    fig = claim.get("claimed") or {}
    unit = fig.get("unit", "")
    if fig.get("statistic") == "share":
        return f"{fig['value']:.0%}"
    fmt = (lambda v: f"${v:,.0f}") if unit == "USD" else (lambda v: f"{v:,.0f} {unit}")
    if "value" in fig:
        return fmt(fig["value"]) + ("+" if fig.get("open_ended") else "")
    if "low" in fig:
        return f"{fmt(fig['low'])}–{fmt(fig['high'])}" + ("+" if fig.get("open_ended") else "")
    return "–"


def _measured(claim: dict) -> str:
    m = claim.get("measured") or {}
    if "share" in m:
        return _share(m)
    if "median" in m:
        stat = (claim.get("claimed") or {}).get("statistic")
        if stat == "mean":
            return f"mean {_money(m['mean'])} [{m['mean_low']:,.0f}–{m['mean_high']:,.0f}] n={m['n']}"
        return (
            f"median {_money(m['median'])} [{m['median_low']:,.0f}–{m['median_high']:,.0f}] "
            f"P25–P75 {_money(m['percentiles']['p25'])}–{_money(m['percentiles']['p75'])} n={m['n']}"
        )
    return f"n={claim['n']}" if claim["n"] else "–"


def _print_claims(result: dict[str, Any]) -> None:
    table = Table(box=box.SIMPLE_HEAD, title="The articles' claims against the data", show_lines=False)
    for col in ("verdict", "role", "claim (source)", "claimed", "measured"):
        table.add_column(col, overflow="fold")
    for claim in result["claims"]:
        verdict = Text(claim["verdict"], style=_VERDICT_STYLE[claim["verdict"]])
        source = claim["source"].split("_")[0]
        text = f"{claim['text']} (seed {source}, {claim['year'] or 'n.d.'})"
        measured = _measured(claim) if claim["verdict"] != "untestable" else claim["rule"]
        table.add_row(verdict, claim["role"], text, _claimed(claim), measured)
    console = stdout_console()
    console.print(table)
    v = result["verdicts"]
    console.print(
        f"Verdicts: {v['consistent']} consistent, {v['contradicted']} contradicted, "
        f"{v['untestable']} untestable. Rules per claim: --format json."
    )


def comparison_rows(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """A long CSV: one row per figure (salary cell, skill share, premium, claim)."""
    header = ["section", "role", "cut", "statistic", "value", "low", "high", "n", "status", "note"]
    rows: list[list[Any]] = []
    for role, views in result["salaries"].items():
        for name, view in views.items():
            for cell in view if isinstance(view, list) else [view]:
                if cell:
                    rows.append(
                        [
                            "salary",
                            role,
                            f"{name}:{_key(cell)}",
                            "median",
                            cell.get("median"),
                            cell.get("median_low"),
                            cell.get("median_high"),
                            cell["n"],
                            cell["status"],
                            "",
                        ]
                    )
    skills = result["skills"]
    for row in skills.get("stack", []):
        for role in result["roles"]:
            s = row[role]
            rows.append(
                [
                    "skill_share",
                    role,
                    row["label"],
                    "share",
                    s["share"],
                    s["low"],
                    s["high"],
                    s["n"],
                    "ok",
                    "",
                ]
            )
    for p in result["premiums"].get("premiums", []):
        rows.append(
            [
                "premium",
                "",
                p["skill_id"],
                "premium",
                p["premium"],
                p["low"],
                p["high"],
                p["n_with"],
                "ok",
                "",
            ]
        )
    for c in result["claims"]:
        rows.append(
            [
                "claim",
                c["role"],
                c["claim_id"],
                (c.get("claimed") or {}).get("statistic", ""),
                _claimed(c),
                "",
                "",
                c["n"],
                c["verdict"],
                c["rule"],
            ]
        )
    return header, rows


def print_salaries(payload: dict[str, Any], oews: list[dict]) -> None:
    filters = ", ".join(f"{k}={v}" for k, v in payload["filters"].items())
    table = Table(box=box.SIMPLE_HEAD, title=f"Base pay, US dollars a year — {filters}")
    for col in ("cell", "n", "median", "95% interval", "P25–P75", "P10–P90", "status"):
        table.add_column(col, justify="right" if col in ("n", "median") else "left")
    for cell in payload["cells"]:
        shown = cell["status"] != "suppressed"
        interval = f"{_k(cell['median_low'])}–{_k(cell['median_high'])}" if shown else "–"
        table.add_row(
            _key(cell),
            f"{cell['n']:,}",
            _money(cell.get("median")),
            interval,
            _band(cell),
            _band(cell, "p10", "p90"),
            cell["status"],
        )
    console = stdout_console()
    console.print(table)
    if not payload["cells"]:
        console.print("No pay figures match these filters (n=0).")
    if any(c["status"] == "shrunk" for c in payload["cells"]):
        console.print(
            f"shrunk: n < {payload['policy']['shrink_below']}, median pulled toward its parent cell "
            "(empirical Bayes); suppressed: n < {}.".format(payload["policy"]["min_n"])
        )
    for w in oews:
        console.print(
            f"Official: {w['title']} ({w['soc_code']}), BLS OEWS {w['release']}, US: median "
            f"{_money(w['median'])}, P10–P90 {_money(w['p10'])}–{_money(w['p90'])}, "
            f"employment {w['employment']:,}" + (" (top-coded)" if w["top_coded"] else "")
        )


def salary_rows(cells: list[SalaryCell]) -> tuple[list[str], list[list[Any]]]:
    dims = sorted({d for c in cells for d in c.key})
    header = [*dims, "n", "status", "median", "median_low", "median_high", "p10", "p25", "p75", "p90", "mean"]
    rows = []
    for cell in cells:
        d = cell.to_dict()
        pct = d.get("percentiles") or {}
        rows.append(
            [cell.key.get(k) for k in dims]
            + [
                d["n"],
                d["status"],
                d.get("median"),
                d.get("median_low"),
                d.get("median_high"),
                *(pct.get(p) for p in ("p10", "p25", "p75", "p90")),
                d.get("mean"),
            ]
        )
    return header, rows


def print_demand(payload: dict[str, Any]) -> None:
    console = stdout_console()
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"Skills in {payload['role']} postings (n={payload['n_postings']:,}, role from title)",
    )
    for col in ("skill", "share [95% interval]", "postings", "required", "preferred"):
        table.add_column(col)
    for s in payload["skills"]:
        table.add_row(
            s["skill_id"],
            f"{s['share']:.1%} [{s['low']:.1%}–{s['high']:.1%}]",
            f"{s['k']}/{s['n']}",
            str(s["required"]),
            str(s["preferred"]),
        )
    console.print(table)
    if "versus" in payload:
        vs = payload["versus"]
        for role in (payload["role"], vs["role"]):
            rows = ", ".join(f"{r['skill_id']} (z={r['z']:+.1f})" for r in vs[role][:12])
            console.print(f"Leans {role}: {rows or 'none'}")
    if "trend" in payload:
        t = payload["trend"]
        for p in t["periods"]:
            console.print(
                f"{p['period']}: {p['share']:.1%} [{p['low']:.1%}–{p['high']:.1%}] {p['k']}/{p['n']}"
            )
