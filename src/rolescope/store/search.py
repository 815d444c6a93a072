"""SQL for the lexical search index (posting_terms) and for loading what job matching ranks over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from rolescope.store.connection import fetch_arrow
from rolescope.store.loads import transaction

TERMS_SCHEMA = pa.schema(
    [
        ("posting_id", pa.string()),
        ("term_ids", pa.list_(pa.int32())),
        ("term_counts", pa.list_(pa.int32())),
        ("term_total", pa.int32()),
        ("step_version", pa.string()),
    ]
)
VOCABULARY_SCHEMA = pa.schema([("term_id", pa.int32()), ("term", pa.string())])


def term_vocabulary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every term the index has given an id: term -> term_id."""
    table = fetch_arrow(con, "SELECT term, term_id FROM search_terms")
    return dict(zip(table.column("term").to_pylist(), table.column("term_id").to_pylist(), strict=True))


def write_posting_terms(
    con: duckdb.DuckDBPyConnection,
    rows: dict[str, list[Any]],
    new_terms: dict[str, int],
    step: str,
    step_version: str,
) -> int:
    """Add ``new_terms`` to the vocabulary, replace these postings' rows and mark them done, atomically.

    Returns the rows written.
    """
    staged = pa.Table.from_pydict(rows, schema=TERMS_SCHEMA)  # noqa: F841 - DuckDB scans it
    vocabulary = pa.Table.from_pydict(  # noqa: F841 - DuckDB scans it
        {"term_id": list(new_terms.values()), "term": list(new_terms)}, schema=VOCABULARY_SCHEMA
    )
    with transaction(con):
        con.execute("INSERT INTO search_terms BY NAME SELECT * FROM vocabulary")
        con.execute("INSERT OR REPLACE INTO posting_terms BY NAME SELECT * FROM staged")
        con.execute(
            "INSERT OR REPLACE INTO posting_enrichments "
            "SELECT posting_id, ?, ?, now()::TIMESTAMP FROM staged",
            [step, step_version],
        )
    return len(rows["posting_id"])


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """How far the search index covers the canonical postings, and a fingerprint of what it reads.

    The fingerprint changes whenever any enrichment step writes (a new timestamp or row count) or the
    canonical postings change, so an in-memory copy keyed on it is never stale.
    """

    path: str
    postings: int
    pending: int
    fingerprint: tuple[Any, ...]


def index_status(con: duckdb.DuckDBPyConnection, step: str, step_version: str) -> IndexStatus:
    row = con.execute(
        "SELECT (SELECT coalesce(path, '') FROM duckdb_databases() "
        "        WHERE database_name = current_database()), "
        "(SELECT count(*) FROM postings_canonical), "
        "(SELECT count(*) FROM postings_canonical p LEFT JOIN posting_enrichments e "
        "  ON e.posting_id = p.posting_id AND e.step = ? WHERE e.step_version IS DISTINCT FROM ?), "
        "(SELECT count(*) FROM postings), "
        "(SELECT max(ingest_seq) FROM postings), "
        "(SELECT count(*) FROM posting_enrichments), "
        "(SELECT max(enriched_at) FROM posting_enrichments)",
        [step, step_version],
    ).fetchone()
    path, postings, pending, *rest = row
    return IndexStatus(path, postings, pending, (postings, *rest))


def indexed_postings(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Every canonical posting with its index row, the fields matching filters on, and its role."""
    return fetch_arrow(
        con,
        "SELECT p.posting_id, p.title, p.company, p.url, p.location_text, p.country_code, "
        "p.country_codes, p.region, p.city, p.location_scope, p.work_arrangement, "
        "p.salary_usd_annual_min, p.salary_usd_annual_max, r.role, r.title_role, "
        "t.term_ids, t.term_counts, t.term_total "
        "FROM postings_canonical p JOIN posting_terms t USING (posting_id) "
        "LEFT JOIN posting_roles r USING (posting_id) ORDER BY p.ingest_seq",
    )


def posting_skills(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """(posting_id, skill_id, requirement) once per canonical posting and skill it names unnegated.

    A skill mentioned several times keeps its strongest marking: required, else preferred, else
    NULL (named outside any requirements or nice-to-have section).
    """
    return fetch_arrow(
        con,
        "SELECT m.posting_id, m.skill_id, "
        "CASE max(CASE m.requirement WHEN 'required' THEN 2 WHEN 'preferred' THEN 1 ELSE 0 END) "
        "  WHEN 2 THEN 'required' WHEN 1 THEN 'preferred' END AS requirement "
        "FROM skill_mentions m SEMI JOIN postings_canonical p ON p.posting_id = m.posting_id "
        "WHERE NOT m.is_negated GROUP BY m.posting_id, m.skill_id",
    )
