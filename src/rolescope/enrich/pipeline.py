"""`rolescope enrich`: run enrichment steps over the postings in the store, incrementally.

A posting is processed again only when it is new or was processed by another version of the step
(a new extractor or a new taxonomy version). Each batch commits on its own, so a long run that is
interrupted keeps what it finished and the next run carries on from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from rolescope.errors import Interrupted
from rolescope.store import enrichment as store_enrichment
from rolescope.store.connection import on_interrupt

ProgressFn = Callable[[int, int], None]
SKILLS_STEP = "skills"
ROLES_STEP = "roles"


@dataclass(slots=True)
class EnrichSummary:
    step: str
    step_version: str
    pending: int = 0
    processed: int = 0
    mentions: int = 0


def no_progress(done: int, total: int) -> None:
    return None


def interrupted_after(summary: EnrichSummary, doing: str = "") -> Interrupted:
    """Ctrl-C in a step: how far it got ("after indexing 500 of 900 postings"), and that it resumes."""
    return Interrupted(
        f"interrupted after {doing + ' ' if doing else ''}{summary.processed:,} of {summary.pending:,} "
        "postings; those are saved and the next run continues with the rest"
    )


def skills_step_version(extractor_name: str, taxonomy_version: str) -> str:
    return f"{extractor_name}+taxonomy.{taxonomy_version}"


# The extractor's batch columns -> the skill_mentions table's column names.
_MENTION_COLUMNS = {"start": "start_offset", "end": "end_offset", "negated": "is_negated"}


def _as_store_columns(mentions: dict[str, list], version: str) -> dict[str, list]:
    renamed = {_MENTION_COLUMNS.get(name, name): values for name, values in mentions.items()}
    renamed["step_version"] = [version] * len(renamed["posting_id"])
    return renamed


def enrich_skills(
    con: duckdb.DuckDBPyConnection, *, batch_rows: int = 500, progress: ProgressFn = no_progress
) -> EnrichSummary:
    """Extract skill mentions for every posting not yet processed by this extractor and taxonomy."""
    from rolescope.enrich.skills.extract import EXTRACTOR_NAME, SkillExtractor
    from rolescope.knowledge.skills import load_taxonomy

    taxonomy = load_taxonomy()
    version = skills_step_version(EXTRACTOR_NAME, taxonomy.version)
    summary = EnrichSummary(SKILLS_STEP, version)
    summary.pending = store_enrichment.count_pending(con, SKILLS_STEP, version)
    if not summary.pending:
        return summary
    extractor = SkillExtractor(taxonomy)
    with on_interrupt(lambda: interrupted_after(summary)):
        for batch in store_enrichment.iter_pending(con, SKILLS_STEP, version, batch_rows):
            mentions = _as_store_columns(extractor(batch), version)
            ids = batch.column("posting_id").to_pylist()
            summary.mentions += store_enrichment.write_skill_mentions(
                con, ids, mentions, SKILLS_STEP, version
            )
            summary.processed += len(ids)
            progress(summary.processed, summary.pending)
    return summary


def enrich_roles(
    con: duckdb.DuckDBPyConnection,
    model: Any,
    *,
    batch_rows: int = 500,
    progress: ProgressFn = no_progress,
) -> EnrichSummary:
    """Store the role classifier's reading of every posting not yet read by this model version."""
    import json

    from rolescope.enrich.skills.extract import EXTRACTOR_NAME, SkillMention

    version = model.version
    summary = EnrichSummary(ROLES_STEP, version)
    summary.pending = store_enrichment.count_pending(con, ROLES_STEP, version)
    if not summary.pending:
        return summary
    # The skills step stored the very mentions the model's features need (same extractor, same
    # taxonomy, same text): reuse them instead of extracting every posting a second time.
    skills_version = skills_step_version(EXTRACTOR_NAME, model.featurizer.taxonomy_version)
    with on_interrupt(lambda: interrupted_after(summary)):
        for batch in store_enrichment.iter_pending(con, ROLES_STEP, version, batch_rows):
            columns: dict[str, list[Any]] = {name: [] for name in store_enrichment.ROLE_SCHEMA.names}
            ids = batch.column("posting_id").to_pylist()
            stored = store_enrichment.stored_mentions(con, ids, SKILLS_STEP, skills_version)
            for pid, title, text in zip(
                ids,
                batch.column("title").to_pylist(),
                batch.column("description").to_pylist(),
                strict=True,
            ):
                rows = stored.get(pid)
                mentions = None if rows is None else [SkillMention(*row.values()) for row in rows]
                found = model.predict(text or "", title, mentions)
                columns["posting_id"].append(pid)
                columns["role"].append(found.role)
                columns["probabilities"].append(
                    json.dumps({k: round(v, 5) for k, v in found.probabilities.items()})
                )
                columns["hybrid"].append(found.hybrid)
                columns["evidence"].append(json.dumps([e.as_dict() for e in found.evidence]))
                columns["title_role"].append(found.title_role)
                columns["title_disagrees"].append(found.title_disagrees)
                columns["step_version"].append(version)
            store_enrichment.write_posting_roles(con, columns, ROLES_STEP, version)
            summary.processed += batch.num_rows
            progress(summary.processed, summary.pending)
    return summary
