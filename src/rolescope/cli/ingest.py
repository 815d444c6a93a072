"""`rolescope ingest` and `rolescope data`: loading files into the store, fetching public datasets."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from rolescope.cli._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    progress_bar,
    settings_for,
    stdout_console,
)
from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
from rolescope.models import LoadSummary
from rolescope.sources import FORMATS, resolve_field_map
from rolescope.sources.public import DATASETS, fetch_dataset
from rolescope.store import connect

FORMAT_HELP = "Input format: auto (detect) or one of " + ", ".join(FORMATS) + "."


def ingest_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Files to load: CSV, JSONL, JSON or Parquet, gzipped or not.")
    ],
    input_format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "auto",
    field_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="Map a rolescope field to a column of your file, FIELD=COLUMN (repeatable)."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Re-read files already loaded (rows are still deduplicated).")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--output", "-o", help="Summary as table or json.")
    ] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Load job postings and salary records into the store, deduplicated, bad rows quarantined.

    A run is all-or-nothing: if it is interrupted or an input cannot be read, the store is left as
    it was. Re-loading the same data adds nothing.

    Example: rolescope ingest salaries.csv postings.jsonl.gz --db market.duckdb
    """
    options = IngestOptions(format=input_format, field_map=resolve_field_map(field_map or []), force=force)
    sources = detect_all(paths, options)
    settings = settings_for(db)
    con = connect(settings.db_path, memory_limit=settings.memory_limit)
    started = time.perf_counter()
    try:
        columns = (TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[amount]}"))
        with progress_bar(*columns, TimeElapsedColumn()) as bar:
            tasks: dict[str, int] = {}

            row_counted = {str(src.path) for src in sources if src.container in ("parquet", "json")}

            def report(path: str, done: int, total: int) -> None:
                if path not in tasks:
                    tasks[path] = bar.add_task(Path(path).name, total=total, amount="")
                unit = (
                    f"{done:,}/{total:,} rows"
                    if path in row_counted
                    else f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB"
                )
                bar.update(tasks[path], completed=done, total=total, amount=unit)

            summaries = ingest_sources(con, sources, options, report)
    finally:
        con.close()
    _render_summary(summaries, time.perf_counter() - started, settings.db_path, output)


def _render_summary(
    summaries: list[LoadSummary], seconds: float, db_path: Path, output: OutputFormat
) -> None:
    totals = {
        k: sum(getattr(s, k) for s in summaries)
        for k in ("read", "loaded", "duplicates", "near_duplicates", "quarantined")
    }
    if output is OutputFormat.json:
        emit_json(
            {
                "db": str(db_path),
                "seconds": round(seconds, 3),
                "totals": totals,
                "rows_per_second": round(totals["read"] / seconds) if seconds else None,
                "files": [_summary_dict(s) for s in summaries],
            }
        )
        return
    console = stdout_console()
    read = [s for s in summaries if not s.skipped_file]
    if read:
        table = Table(title=f"Loaded into {db_path}", title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column("file", overflow="fold")
        for col in ("read", "loaded", "dup", "reposts", "quarantined"):
            table.add_column(col, justify="right")
        for s in read:
            table.add_row(f"{Path(s.path).name} [dim]({s.format})", *(f"{getattr(s, k):,}" for k in totals))
        if len(read) > 1:
            table.add_row("[bold]total", *(f"[bold]{v:,}" for v in totals.values()))
        console.print(table)
    skipped = [Path(s.path).name for s in summaries if s.skipped_file]
    if skipped:
        console.print(f"Already loaded, skipped (same bytes; --force re-reads): {', '.join(skipped)}")
    if not totals["read"]:
        console.print(f"{seconds:.1f} s, nothing new to read.")
        return
    console.print(
        f"{seconds:.1f} s, {totals['read'] / seconds:,.0f} rows/s. "
        "dup: exact repeats, not added; reposts: near-duplicates, kept and marked."
    )
    _render_reasons(console, summaries)


def _render_reasons(console, summaries: list[LoadSummary]) -> None:
    for s in summaries:
        if s.quarantine_reasons:
            top = ", ".join(f"{reason} ({n:,})" for reason, n in list(s.quarantine_reasons.items())[:5])
            console.print(f"Quarantined in {Path(s.path).name}: {top}. See them: rolescope db quarantine")


def _summary_dict(s: LoadSummary) -> dict[str, object]:
    return {
        "path": s.path,
        "format": s.format,
        "kind": s.kind,
        "read": s.read,
        "loaded": s.loaded,
        "duplicates": s.duplicates,
        "near_duplicates": s.near_duplicates,
        "quarantined": s.quarantined,
        "already_loaded": s.skipped_file,
        "quarantine_reasons": s.quarantine_reasons,
    }


data_app = typer.Typer(
    help="Public datasets: list them, fetch them (online) or register a local copy.", no_args_is_help=True
)


@data_app.command("list")
def data_list(output: FormatOption = OutputFormat.table) -> None:
    """List the public datasets rolescope can fetch.

    Example: rolescope data list
    """
    rows = [
        {"name": d.name, "url": d.url, "format": d.format, "licence": d.licence, "description": d.description}
        for d in DATASETS.values()
    ]
    if output is OutputFormat.json:
        emit_json(rows)
        return
    table = Table("name", "format", "licence", "description")
    for r in rows:
        table.add_row(r["name"], r["format"], r["licence"], r["description"])
    stdout_console().print(table)


@data_app.command("fetch")
def data_fetch(
    name: Annotated[str, typer.Argument(help="Dataset name, see: rolescope data list.")],
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Use this local copy instead of downloading.")
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Download from this URL instead of the dataset's own.")
    ] = None,
    ingest: Annotated[bool, typer.Option("--ingest", help="Load it into the store after fetching.")] = False,
    db: DbOption = None,
) -> None:
    """Download a public dataset into rolescope's data folder (and optionally load it).

    Example: rolescope data fetch aijobs-salaries --from ./salaries.csv --ingest
    """
    settings = settings_for(db)
    saved = fetch_dataset(name, settings.data_dir / "datasets", from_file=from_file, url=url)
    typer.echo(f"saved {name} to {saved}")
    if ingest:
        ingest_command([saved], db=db)
