"""`rolescope db`: what the store holds."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from rolescope.cli._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    settings_for,
    stdout_console,
)
from rolescope.store import connect, describe_missing_store, describe_store
from rolescope.store.quarantine import list_quarantine

app = typer.Typer(
    help="Inspect the store: tables, row counts, sources loaded, quarantined rows.", no_args_is_help=True
)


@app.command("info")
def info(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """Show the store's location, schema version, tables with row counts and the sources loaded.

    Example: rolescope db info --format json
    """
    settings = settings_for(db)
    if settings.db_path.exists():
        con = connect(settings.db_path, read_only=True, memory_limit=settings.memory_limit)
        try:
            details = describe_store(con, settings.db_path)
        finally:
            con.close()
    else:
        details = describe_missing_store(settings.db_path)
    if output is OutputFormat.json:
        emit_json(details)
        return
    _render_info(details)


def _render_info(d: dict) -> None:
    console = stdout_console()
    if not d["exists"]:
        console.print(f"No store at {d['path']} yet. Load data with: rolescope ingest FILE")
        return
    console.print(f"Store {d['path']} ({d['bytes'] / 1e6:,.1f} MB), schema v{d['schema_version']}")
    table = Table("table", "rows", title="Tables", title_justify="left", box=box.SIMPLE_HEAD)
    for name, n in {**d["tables"], **d["views"]}.items():
        table.add_row(name + (" (view)" if name in d["views"] else ""), f"{n:,}")
    console.print(table)
    sources = Table(title="Sources loaded", title_justify="left", box=box.SIMPLE_HEAD)
    sources.add_column("file", overflow="fold")
    sources.add_column("loaded at")
    for col in ("read", "loaded", "dup", "reposts", "quarantined"):
        sources.add_column(col, justify="right")
    for s in d["sources"]:
        counts = ("rows_read", "rows_loaded", "rows_duplicate", "rows_near_duplicate", "rows_quarantined")
        sources.add_row(
            f"{s['file_name']} [dim]({s['format']})",
            str(s["finished_at"])[:16],
            *(f"{s[k]:,}" for k in counts),
        )
    console.print(sources)


@app.command("quarantine")
def quarantine(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many rows.")] = 20,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List quarantined rows: the file, the line and the reason each was set aside.

    Example: rolescope db quarantine --limit 50
    """
    settings = settings_for(db)
    con = connect(settings.db_path, read_only=True)
    try:
        rows = list_quarantine(con, limit)
    finally:
        con.close()
    if output is OutputFormat.json:
        emit_json(rows)
        return
    table = Table("file", "line", "reason", "raw (start)")
    for r in rows:
        table.add_row(r["source_path"].rsplit("/", 1)[-1], str(r["line"]), r["reason"], (r["raw"] or "")[:60])
    stdout_console().print(table)
