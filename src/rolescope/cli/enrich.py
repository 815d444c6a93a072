"""`rolescope enrich`: skills, roles and the search index for the postings in the store."""

from __future__ import annotations

from typing import Annotated, Any

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
from rolescope.enrich.pipeline import EnrichSummary, enrich_roles, enrich_skills
from rolescope.enrich.search_index import enrich_search_index
from rolescope.errors import NotReady
from rolescope.store import connect


def enrich_command(
    batch_rows: Annotated[
        int, typer.Option("--batch-size", min=1, max=100_000, help="Postings per committed batch.")
    ] = 500,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Find skill mentions, read the role and index the terms of every posting not yet processed.

    Three steps: skills (dictionary extractor + taxonomy version), roles (the role classifier's
    probabilities, hybrid flag and evidence) and search (the term index job matching ranks with).
    Incremental: a second run only touches new postings, or all of them after a taxonomy, model or
    tokenizer update. Each batch is committed, so an interrupted run keeps its progress.

    Example: rolescope enrich --db market.duckdb
    """
    settings = settings_for(db)
    con = connect(settings.db_path, memory_limit=settings.memory_limit)
    roles: EnrichSummary | None = None
    skipped: str | None = None
    try:
        summary = _run_step(
            "skills", lambda progress: enrich_skills(con, batch_rows=batch_rows, progress=progress)
        )
        try:
            from rolescope.enrich.roles.model import default_model

            model = default_model()
        except NotReady as exc:
            skipped = exc.one_line()
        else:
            roles = _run_step(
                "roles", lambda progress: enrich_roles(con, model, batch_rows=batch_rows, progress=progress)
            )
        search = _run_step(
            "search", lambda progress: enrich_search_index(con, batch_rows=batch_rows, progress=progress)
        )
    finally:
        con.close()
    if output is OutputFormat.json:
        payload = _summary_dict(summary)
        payload["roles"] = _summary_dict(roles) if roles else {"skipped": skipped}
        payload["search"] = _summary_dict(search)
        emit_json(payload)
        return
    _print_summaries(summary, roles, skipped, search)


def _print_summaries(
    skills: EnrichSummary, roles: EnrichSummary | None, skipped: str | None, search: EnrichSummary
) -> None:
    console = stdout_console()
    if not skills.pending:
        console.print(f"Skills: nothing to do, every posting already has skills from {skills.step_version}.")
    else:
        console.print(
            f"Skills: {skills.processed:,} postings processed, {skills.mentions:,} mentions "
            f"stored ({skills.step_version})."
        )
    if roles is None:
        console.print(f"Roles: skipped ({skipped}).")
    elif not roles.pending:
        console.print(f"Roles: nothing to do, every posting already has a role from {roles.step_version}.")
    else:
        console.print(f"Roles: {roles.processed:,} postings read by {roles.step_version}.")
    if not search.pending:
        console.print(f"Search index: nothing to do, every posting is indexed by {search.step_version}.")
    else:
        console.print(
            f"Search index: {search.processed:,} postings indexed, {search.mentions:,} term counts "
            f"stored ({search.step_version})."
        )


def _run_step(name: str, run: Any) -> EnrichSummary:
    bar = progress_bar(TextColumn(f"[bold]{name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with bar:
        task = bar.add_task(name, total=None)
        return run(lambda done, total: bar.update(task, completed=done, total=total))


def _summary_dict(summary: EnrichSummary) -> dict[str, Any]:
    out: dict[str, Any] = {
        "step": summary.step,
        "version": summary.step_version,
        "pending": summary.pending,
        "processed": summary.processed,
    }
    if summary.step == "skills":
        out["mentions"] = summary.mentions
    elif summary.step == "search":
        out["term_counts"] = summary.mentions
    return out
