"""`rolescope compare`, `salaries`, `skills demand` and `snapshot`: market figures with n and intervals.

Each command answers from a store when one exists and holds data (or `--source store`), else from
the snapshot embedded in the package, and always says which.
"""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from rolescope.cli._common import DbOption, emit_json, stderr_console, stdout_console
from rolescope.cli._common import open_market_for as _market
from rolescope.cli._common import role_id as _role_id
from rolescope.errors import InvalidInput, NotFound
from rolescope.insights.salaries import DIMENSIONS, SalaryPolicy


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


class DataFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="Where figures come from: auto (the store if it holds data, else the embedded snapshot), "
        "store, or snapshot.",
    ),
]
DataFormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help="table, json or csv.")]

snapshot_app = typer.Typer(
    help="The embedded market snapshot: aggregates of ../shared/data shipped with rolescope.\n\n"
    "Example: rolescope snapshot build --data-dir ../shared/data",
    no_args_is_help=True,
)


def source_line(src: dict[str, Any]) -> str:
    counts = src.get("counts", {})
    what = (
        f"{counts.get('salary_records_distinct', 0):,} distinct salary records, "
        f"{counts.get('postings', 0):,} postings ({counts.get('postings_with_pay', 0):,} state pay)"
    )
    if src["kind"] == "store":
        return f"Source: store {src['path']} — {what}"
    return f"Source: embedded snapshot of ../shared/data — {what}"


def _write_csv(header: list[str], rows: list[list[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def compare_command(
    first: Annotated[
        str, typer.Argument(help="First role (id or alias), e.g. ai-engineer.", show_default=False)
    ],
    second: Annotated[str, typer.Argument(help="Second role, e.g. ml-engineer.", show_default=False)],
    output: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="table, json, csv, or html (a self-contained report)."),
    ] = ReportFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.", dir_okay=False)
    ] = None,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """Two roles side by side from data: pay, skills, premiums, and every article claim with a verdict.

    Each seed-article claim sits next to the measured figure, its n and interval, and a verdict:
    consistent, contradicted, or untestable (with the reason and the rule used).

    Example: rolescope compare ai-engineer ml-engineer

    Also: rolescope compare ai-engineer ml-engineer --format html --out report.html

    Also: rolescope compare ai-engineer ml-engineer --format json | jq .verdicts
    """
    from rolescope.insights.compare import compare_market

    market, close = _market(db, source)
    try:
        result = compare_market(market, first, second)
    finally:
        close()
    if output is ReportFormat.html:
        _write_html(result, out)
        return
    if out is not None:
        raise InvalidInput("--out is for --format html", hint="redirect stdout for table, json or csv")
    if output is ReportFormat.json:
        emit_json(result)
    elif output is ReportFormat.csv:
        from rolescope.cli.insights_render import comparison_rows

        header, rows = comparison_rows(result)
        _write_csv(header, rows)
    else:
        from rolescope.cli.insights_render import print_comparison

        stdout_console().print(source_line(result["source"]))
        print_comparison(result)


def _write_html(result: dict, out: Path | None) -> None:
    from rolescope.insights.report import render_comparison_html

    a, b = result["roles"]
    path = out or Path(f"{a}-vs-{b}.html")
    html = render_comparison_html(result)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(
            f"cannot write {path}: {exc.strerror}", hint="choose a writable --out path"
        ) from None
    stderr_console().print(
        f"Wrote {path} ({len(html.encode()) / 1e6:.1f} MB); open it in a browser (works offline)."
    )


def salaries_command(
    role: Annotated[str, typer.Argument(help="Role id or alias, e.g. ml-engineer.", show_default=False)],
    level: Annotated[str | None, typer.Option(help="entry, mid, senior or executive.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. US, GB, DE.")] = None,
    metro: Annotated[str | None, typer.Option(help="US city, e.g. 'San Francisco' (postings only).")] = None,
    remote: Annotated[str | None, typer.Option(help="onsite, hybrid or remote.")] = None,
    size: Annotated[str | None, typer.Option(help="Company size: small, medium or large.")] = None,
    year: Annotated[int | None, typer.Option(help="Work year (salary records) or posting year.")] = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help=f"Break down by a dimension: {', '.join(DIMENSIONS[1:])}."),
    ] = None,
    min_n: Annotated[int, typer.Option("--min-n", min=1, help="Suppress cells with fewer figures.")] = 5,
    shrink_below: Annotated[
        int, typer.Option("--shrink-below", min=1, help="Shrink medians of cells smaller than this.")
    ] = 30,
    repeats: Annotated[
        str, typer.Option(help="Repeated salary rows: distinct (count once) or all.")
    ] = "distinct",
    outliers: Annotated[str, typer.Option(help="iqr (drop beyond 3 IQR on the log scale) or none.")] = "iqr",
    inflation: Annotated[
        bool, typer.Option("--inflation", help="Express pay in dollars of the newest CPI year.")
    ] = False,
    output: DataFormatOption = DataFormat.table,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """Salary benchmark for a role: n, P10–P90, mean, and the median with its 95% interval.

    Cells below --min-n are suppressed; cells below --shrink-below have their median pulled toward
    their parent cell (empirical Bayes) and are marked shrunk. Pay is base salary in US dollars a year.

    Example: rolescope salaries ml-engineer --country US --by level

    Also: rolescope salaries ai-engineer --country US --level senior --format json

    Also: rolescope salaries data-scientist --by year --inflation --db market.duckdb
    """
    from rolescope.cli.insights_render import print_salaries, salary_rows

    role_id = _role_id(role)
    where = {
        k: v
        for k, v in (
            ("role", role_id),
            ("level", level),
            ("country", country and country.upper()),
            ("metro", metro),
            ("remote", remote),
            ("size", size),
            ("year", year),
        )
        if v is not None
    }
    policy = SalaryPolicy(min_n, shrink_below, repeats, outliers, inflation=inflation)
    default = policy == SalaryPolicy()
    market, close = _market(db, source)
    try:
        cells = market.salary_cells(list(by or []), where, None if default else policy)
        oews = market.extras().get("oews", []) if where.get("country", "US") == "US" else []
        origin = market.source
        adjusted = (
            market.observations(policy).inflation if inflation and hasattr(market, "observations") else None
        )
    finally:
        close()
    payload = {
        "role": role_id,
        "filters": where,
        "by": list(by or []),
        "policy": policy.to_dict(),
        "source": origin,
        "cells": [c.to_dict() for c in cells],
    }
    if adjusted:
        payload["inflation"] = adjusted
    if output is DataFormat.json:
        emit_json({**payload, "oews": _nearest_oews(role_id, oews)})
    elif output is DataFormat.csv:
        _write_csv(*salary_rows(cells))
    else:
        stdout_console().print(source_line(origin))
        print_salaries(payload, _nearest_oews(role_id, oews))


def _nearest_oews(role: str, rows: list[dict]) -> list[dict]:
    from rolescope.insights.oews import NEAREST

    socs = NEAREST.get(role, ())
    return [r for r in rows if r["soc_code"] in socs and r["area_code"] == "0000000"]


def demand_command(
    role: Annotated[str, typer.Argument(help="Role id or alias, e.g. ai-engineer.", show_default=False)],
    top: Annotated[int, typer.Option(min=1, max=500, help="How many skills.")] = 25,
    vs: Annotated[
        str | None, typer.Option("--vs", help="Also rank the skills that set ROLE apart from this role.")
    ] = None,
    trend: Annotated[str | None, typer.Option("--trend", help="A skill id: its share per quarter.")] = None,
    output: DataFormatOption = DataFormat.table,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """Which skills a role's postings ask for: share with a Wilson 95% interval, required vs preferred.

    A posting's role comes from its title. --vs ranks distinguishing skills by weighted log-odds
    with an informative Dirichlet prior (z-scores); --trend shows one skill's share per quarter.

    Example: rolescope skills demand ai-engineer --top 15

    Also: rolescope skills demand ai-engineer --vs ml-engineer

    Also: rolescope skills demand ml-engineer --trend pytorch --format json
    """
    from rolescope.cli.insights_render import print_demand
    from rolescope.insights.skills import distinguishing_skills, skill_demand, skill_trend

    role_id = _role_id(role)
    market, close = _market(db, source)
    try:
        counts = market.skill_counts()
        origin = market.source
    finally:
        close()
    payload: dict[str, Any] = {
        "role": role_id,
        "source": origin,
        "n_postings": counts.role(role_id).n,
        "skills": [s.to_dict() for s in skill_demand(counts, role_id, top=top)],
    }
    if vs:
        other = _role_id(vs)
        lean_a, lean_b = distinguishing_skills(counts, role_id, other, top=top)
        payload["versus"] = {
            "role": other,
            "n_postings": counts.role(other).n,
            role_id: [s.to_dict() for s in lean_a],
            other: [s.to_dict() for s in lean_b],
        }
    if trend:
        payload["trend"] = {"skill_id": trend, "periods": skill_trend(counts, role_id, trend)}
    if output is DataFormat.json:
        emit_json(payload)
    elif output is DataFormat.csv:
        _write_csv(
            ["skill_id", "k", "n", "share", "low", "high", "required", "preferred"],
            [list(s.values()) for s in payload["skills"]],
        )
    else:
        stdout_console().print(source_line(origin))
        print_demand(payload)


@snapshot_app.command("build")
def snapshot_build_command(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="The shared data folder (salaries/, postings/, wages/).", file_okay=False
        ),
    ] = None,
    from_db: Annotated[
        Path | None, typer.Option("--from-db", help="Build from this enriched store instead.", dir_okay=False)
    ] = None,
    oews: Annotated[
        Path | None, typer.Option("--oews", help="OEWS wage file (with --from-db).", dir_okay=False)
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file. Default: the package's own.")
    ] = None,
) -> None:
    """Rebuild the embedded market snapshot: aggregates only, no posting text.

    From the shared data (ingested into a throw-away store, skills extracted), or from a store you
    already enriched. The output is byte-for-byte reproducible for the same inputs.

    Example: rolescope snapshot build --data-dir ../shared/data

    Also: rolescope snapshot build --from-db market.duckdb --oews oews-2025.sqlite.gz --out snap.json.gz
    """
    from rolescope.insights.snapshot import (
        build_from_shared_data,
        build_from_store,
        packaged_snapshot_path,
        write_snapshot,
    )
    from rolescope.store import connect

    err = stderr_console()
    if (data_dir is None) == (from_db is None):
        raise InvalidInput(
            "give exactly one of --data-dir or --from-db", hint="e.g. --data-dir ../shared/data"
        )
    if from_db is not None and not from_db.is_file():
        raise NotFound(f"no store at {from_db}", hint="pass an enriched store, or --data-dir ../shared/data")
    path = out or packaged_snapshot_path()
    try:  # before minutes of work, not after
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot write the snapshot to {path}: {exc.strerror}", hint="choose a writable --out path"
        ) from None
    with err.status("building the market snapshot") as status:

        def progress(msg: str) -> None:
            status.update(f"snapshot: {msg}")

        if data_dir is not None:
            data = build_from_shared_data(data_dir, progress)
        else:
            con = connect(from_db, read_only=True)
            try:
                data = build_from_store(con, str(from_db), oews, progress)
            finally:
                con.close()
    try:
        size = write_snapshot(data, path)
    except OSError as exc:
        raise InvalidInput(
            f"cannot write the snapshot to {path}: {exc.strerror}", hint="choose a writable --out path"
        ) from None
    err.print(
        f"Wrote {path} ({size / 1024:.0f} KB): {len(data['salaries'])} salary cuts, "
        f"{len(data['skills'])} roles with skill counts, "
        f"{len(data['premiums'].get('premiums', []))} premiums."
    )


@snapshot_app.command("info")
def snapshot_info_command(output: DataFormatOption = DataFormat.table) -> None:
    """What the embedded snapshot was built from: files with SHA-256, row counts, versions.

    Example: rolescope snapshot info --format json
    """
    from rolescope.insights.market import load_snapshot

    snap = load_snapshot()
    prov = snap.data["provenance"]
    if output is not DataFormat.table:
        emit_json(prov)
        return
    table = Table(box=box.SIMPLE_HEAD, title="Embedded market snapshot")
    for col in ("file", "kind", "rows loaded", "sha256"):
        table.add_column(col)
    for f in prov["built_from"]:
        table.add_row(f["file"], f["kind"], f"{f['rows_loaded']:,}", f["sha256"][:16] + "…")
    stdout_console().print(table)
    stdout_console().print(
        f"rolescope {prov.get('rolescope_version')}, taxonomy {prov.get('taxonomy_version')}; "
        f"counts: {prov['counts']}"
    )
