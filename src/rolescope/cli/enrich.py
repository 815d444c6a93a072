"""`rolescope enrich`: skills, roles, the search index and (with the extra) embeddings for the postings."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
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
from rolescope.enrich import embeddings
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
    """Find skill mentions, read the role, index the terms and embed every posting not yet processed.

    Four steps: skills (dictionary extractor + taxonomy version), roles (the role classifier's
    probabilities, hybrid flag and evidence), search (the term index job matching ranks with) and
    embeddings (static MiniLM vectors for semantic matching; only with the optional extra,
    pip install "rolescope[semantic]", and skipped with a note otherwise). Incremental: a second run
    only touches new postings, or all of them after a taxonomy, model or tokenizer update. Each
    batch is committed, so an interrupted run keeps its progress.

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
        vectors, no_vectors = _embed(con, batch_rows)
    finally:
        con.close()
    if output is OutputFormat.json:
        payload = _summary_dict(summary)
        payload["roles"] = _summary_dict(roles) if roles else {"skipped": skipped}
        payload["search"] = _summary_dict(search)
        payload["embeddings"] = _summary_dict(vectors) if vectors else {"skipped": no_vectors}
        emit_json(payload)
        return
    _print_summaries(summary, roles, skipped, search)
    _print_embeddings(vectors, no_vectors)


def _embed(con: Any, batch_rows: int) -> tuple[EnrichSummary | None, str | None]:
    """The embeddings step's summary, or None and why it was skipped (the extra is optional)."""
    if not embeddings.available():
        return None, (
            "semantic matching is optional and its model2vec package is not installed; "
            f"{embeddings.INSTALL_HINT}"
        )
    from rolescope.enrich.embedding_index import enrich_embeddings

    return _run_step(
        "embeddings", lambda progress: enrich_embeddings(con, batch_rows=batch_rows, progress=progress)
    ), None


def _print_embeddings(vectors: EnrichSummary | None, skipped: str | None) -> None:
    console = stdout_console()
    if vectors is None:
        console.print(f"Embeddings: skipped ({escape(skipped or '')}).")  # keeps "[semantic]" as written
    elif not vectors.pending:
        console.print(f"Embeddings: nothing to do, every posting is embedded by {vectors.step_version}.")
    else:
        console.print(f"Embeddings: {vectors.processed:,} postings embedded ({vectors.step_version}).")


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
