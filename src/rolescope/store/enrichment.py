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
