"""`rolescope enrich`: skills (and later roles) for the postings in the store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

from rolescope.cli._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    progress_bar,
    settings_for,
    stdout_console,
)
from rolescope.enrich.pipeline import enrich_skills
from rolescope.store import connect


def enrich_command(
    batch_rows: Annotated[
        int, typer.Option("--batch-size", min=1, max=100_000, help="Postings per committed batch.")
    ] = 500,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Find skill mentions in every posting not yet processed by this extractor and taxonomy version.

    Incremental: a second run only touches new postings, or all of them after a taxonomy update.
    Each batch is committed, so an interrupted run keeps its progress.

    Example: rolescope enrich --db market.duckdb
    """
    settings = settings_for(db)
    con = connect(settings.db_path, memory_limit=settings.memory_limit)
    bar = progress_bar(TextColumn("[bold]skills"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with bar:
            task = bar.add_task("skills", total=None)
            summary = enrich_skills(
                con,
                batch_rows=batch_rows,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        con.close()
    if output is OutputFormat.json:
        emit_json(
            {
                "step": summary.step,
                "version": summary.step_version,
                "pending": summary.pending,
                "processed": summary.processed,
                "mentions": summary.mentions,
            }
        )
        return
    if not summary.pending:
        stdout_console().print(
            f"Nothing to do: every posting already has skills from {summary.step_version}."
        )
        return
    stdout_console().print(
        f"Skills: {summary.processed:,} postings processed, {summary.mentions:,} mentions "
        f"stored ({summary.step_version})."
    )
