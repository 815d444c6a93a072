"""SQL for posting embeddings (posting_embeddings): writing a batch, and loading them for matching."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from rolescope.store.connection import fetch_arrow
from rolescope.store.loads import transaction

# The width of posting_embeddings.vector (migration 5).
STORED_DIMS = 256


def write_posting_embeddings(
    con: duckdb.DuckDBPyConnection,
    posting_ids: list[str],
    vectors: np.ndarray,
    step: str,
    step_version: str,
) -> int:
    """Replace these postings' vectors and mark them done, atomically; returns rows written."""
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel(), pa.float32())
    staged = pa.table(  # noqa: F841 - DuckDB scans it
        {
            "posting_id": pa.array(posting_ids, pa.string()),
            "vector": pa.FixedSizeListArray.from_arrays(flat, STORED_DIMS),
            "step_version": pa.array([step_version] * len(posting_ids), pa.string()),
        }
    )
    with transaction(con):
        con.execute("INSERT OR REPLACE INTO posting_embeddings BY NAME SELECT * FROM staged")
        con.execute(
            "INSERT OR REPLACE INTO posting_enrichments "
            "SELECT posting_id, ?, ?, now()::TIMESTAMP FROM staged",
            [step, step_version],
        )
    return len(posting_ids)


@dataclass(frozen=True, slots=True)
class CanonicalEmbeddings:
    """The vectors of the canonical postings embedded by ``step_version``, and how many are not.

    ``has_table`` is False for a store opened read-only before migration 5 was applied to it.
    """

    has_table: bool
    postings: int
    missing: int
    posting_ids: pa.Array
    vectors: np.ndarray


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name = 'posting_embeddings'"
        ).fetchone()[0]
    )


def canonical_embeddings(con: duckdb.DuckDBPyConnection, step_version: str) -> CanonicalEmbeddings:
    """Every canonical posting's vector stored by ``step_version`` (ingest order), and the count without."""
    postings = con.execute("SELECT count(*) FROM postings_canonical").fetchone()[0]
    empty = pa.array([], pa.string()), np.zeros((0, STORED_DIMS), dtype=np.float32)
    if not _has_table(con):
        return CanonicalEmbeddings(False, postings, postings, *empty)
    table = fetch_arrow(
        con,
        "SELECT p.posting_id, e.vector FROM postings_canonical p JOIN posting_embeddings e "
        "USING (posting_id) WHERE e.step_version = ? ORDER BY p.ingest_seq",
        [step_version],
    )
    vectors = table.column("vector").combine_chunks()
    flat = vectors.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    return CanonicalEmbeddings(
        True,
        postings,
        postings - table.num_rows,
        table.column("posting_id").combine_chunks(),
        flat.reshape(table.num_rows, STORED_DIMS),
    )
