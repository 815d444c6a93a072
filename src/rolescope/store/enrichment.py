"""SQL for enrichment steps: which postings need a step, and writing a step's output per batch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa

from rolescope.store.connection import fetch_arrow
from rolescope.store.loads import transaction

MENTION_SCHEMA = pa.schema(
    [
        ("posting_id", pa.string()),
        ("skill_id", pa.string()),
        ("start_offset", pa.int32()),
        ("end_offset", pa.int32()),
        ("surface", pa.string()),
        ("section", pa.string()),
        ("requirement", pa.string()),
        ("is_negated", pa.bool_()),
        ("step_version", pa.string()),
    ]
)


def count_pending(con: duckdb.DuckDBPyConnection, step: str, step_version: str) -> int:
    """Postings the step has not processed, or processed with another version."""
    return con.execute(
        "SELECT count(*) FROM postings p LEFT JOIN posting_enrichments e "
        "ON e.posting_id = p.posting_id AND e.step = ? WHERE e.step_version IS DISTINCT FROM ?",
        [step, step_version],
    ).fetchone()[0]


def _arrow_batches(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], batch_rows: int
) -> Iterator[pa.Table]:
    """Run ``sql`` once, materialised, and hand its rows out as Arrow slices of ``batch_rows``."""
    table = fetch_arrow(con, sql, params)
    for offset in range(0, table.num_rows, batch_rows):
        yield table.slice(offset, batch_rows)


def iter_pending(
    con: duckdb.DuckDBPyConnection, step: str, step_version: str, batch_rows: int
) -> Iterator[pa.Table]:
    """Pending postings (posting_id, title, description) as Arrow batches.

    The pending set is materialised first, so writing results while iterating cannot change it.
    """
    return _arrow_batches(
        con,
        "SELECT p.posting_id, p.title, p.description FROM postings p LEFT JOIN posting_enrichments e "
        "ON e.posting_id = p.posting_id AND e.step = ? WHERE e.step_version IS DISTINCT FROM ? "
        "ORDER BY p.ingest_seq",
        [step, step_version],
        batch_rows,
    )


def write_skill_mentions(
    con: duckdb.DuckDBPyConnection,
    posting_ids: list[str],
    mentions: dict[str, list[Any]],
    step: str,
    step_version: str,
) -> int:
    """Replace these postings' mentions and mark them done, atomically; returns mentions written."""
    ids = pa.table({"posting_id": pa.array(posting_ids, pa.string())})  # noqa: F841 - DuckDB scans it
    rows = pa.Table.from_pydict(mentions, schema=MENTION_SCHEMA)  # noqa: F841 - DuckDB scans it
    with transaction(con):
        con.execute("DELETE FROM skill_mentions WHERE posting_id IN (SELECT posting_id FROM ids)")
        con.execute("INSERT INTO skill_mentions BY NAME SELECT * FROM rows")
        con.execute(
            "INSERT OR REPLACE INTO posting_enrichments SELECT posting_id, ?, ?, now()::TIMESTAMP FROM ids",
            [step, step_version],
        )
    return len(mentions["posting_id"])


def stored_mentions(
    con: duckdb.DuckDBPyConnection, posting_ids: list[str], step: str, step_version: str
) -> dict[str, list[dict[str, Any]]]:
    """The skill mentions stored for these postings by ``step`` at ``step_version``, per posting.

    Each mention is a dict in ``SkillMention`` field order (skill_id, start, end, surface, section,
    requirement, negated). A posting that step processed and found nothing in maps to an empty
    list; a posting it has not processed at that version is absent, so the caller extracts it.
    """
    # A cursor of its own: registering a table needs a connection with no result left open.
    cursor = con.cursor()
    try:
        cursor.register("_role_step_ids", pa.table({"posting_id": pa.array(posting_ids, pa.string())}))
        done = cursor.execute(
            "SELECT e.posting_id FROM posting_enrichments e JOIN _role_step_ids USING (posting_id) "
            "WHERE e.step = ? AND e.step_version = ?",
            [step, step_version],
        ).fetchall()
        found: dict[str, list[dict[str, Any]]] = {pid: [] for (pid,) in done}
        if not found:
            return found
        rows = fetch_arrow(
            cursor,
            "SELECT m.posting_id, m.skill_id, m.start_offset, m.end_offset, m.surface, m.section, "
            "m.requirement, m.is_negated FROM skill_mentions m JOIN _role_step_ids USING (posting_id) "
            "WHERE m.step_version = ? ORDER BY m.posting_id, m.start_offset",
            [step_version],
        ).to_pylist()
    finally:
        cursor.close()
    for row in rows:
        pid = row.pop("posting_id")
        if pid in found:
            found[pid].append(row)
    return found


ROLE_SCHEMA = pa.schema(
    [
        ("posting_id", pa.string()),
        ("role", pa.string()),
        ("probabilities", pa.string()),
        ("hybrid", pa.bool_()),
        ("evidence", pa.string()),
        ("title_role", pa.string()),
        ("title_disagrees", pa.bool_()),
        ("step_version", pa.string()),
    ]
)


def write_posting_roles(
    con: duckdb.DuckDBPyConnection, roles: dict[str, list[Any]], step: str, step_version: str
) -> int:
    """Replace these postings' role readings and mark them done, atomically; returns rows written."""
    rows = pa.Table.from_pydict(roles, schema=ROLE_SCHEMA)  # noqa: F841 - DuckDB scans it
    with transaction(con):
        con.execute("INSERT OR REPLACE INTO posting_roles BY NAME SELECT * FROM rows")
        con.execute(
            "INSERT OR REPLACE INTO posting_enrichments SELECT posting_id, ?, ?, now()::TIMESTAMP FROM rows",
            [step, step_version],
        )
    return len(roles["posting_id"])


def iter_posting_texts(con: duckdb.DuckDBPyConnection, batch_rows: int) -> Iterator[pa.Table]:
    """(posting_id, description) of every posting that is not a repost, as Arrow batches."""
    return _arrow_batches(
        con,
        "SELECT posting_id, description FROM postings_canonical WHERE description IS NOT NULL "
        "ORDER BY ingest_seq",
        [],
        batch_rows,
    )


def canonical_postings(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Every non-repost posting with text: id, source, source_id, company, title, description, posted_at."""
    return fetch_arrow(
        con,
        "SELECT posting_id, source, source_id, company, title, description, posted_at "
        "FROM postings_canonical WHERE description IS NOT NULL ORDER BY ingest_seq",
    )
