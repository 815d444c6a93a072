"""Writing a load: the load log, staging tables, merges that skip what is already stored, quarantine.

Everything here runs inside the caller's transaction; the caller commits or rolls back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from rolescope.models import LoadSummary

# Columns the ingest stage fills for each staged posting (the rest are set at merge time).
POSTING_STAGE_SCHEMA = pa.schema(
    [
        ("posting_id", pa.string()),
        ("load_id", pa.string()),
        ("source_line", pa.int64()),
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("company", pa.string()),
        ("location_text", pa.string()),
        ("country_code", pa.string()),
        ("country_codes", pa.list_(pa.string())),
        ("region", pa.string()),
        ("city", pa.string()),
        ("location_scope", pa.string()),
        ("work_arrangement", pa.string()),
        ("posted_at", pa.date32()),
        ("posted_at_precision", pa.string()),
        ("description", pa.string()),
        ("salary_text", pa.string()),
        ("salary_min", pa.float64()),
        ("salary_max", pa.float64()),
        ("salary_currency", pa.string()),
        ("salary_period", pa.string()),
        ("salary_usd_annual_min", pa.float64()),
        ("salary_usd_annual_max", pa.float64()),
        ("seniority", pa.string()),
        ("employment_type", pa.string()),
        ("company_size", pa.string()),
        ("company_industry", pa.string()),
        ("extra", pa.string()),
        ("simhash", pa.uint64()),
    ]
)
SALARY_STAGE_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("load_id", pa.string()),
        ("source_line", pa.int64()),
        ("work_year", pa.int16()),
        ("seniority", pa.string()),
        ("employment_type", pa.string()),
        ("job_title", pa.string()),
        ("salary_amount", pa.float64()),
        ("salary_currency", pa.string()),
        ("salary_usd_annual", pa.float64()),
        ("employee_country", pa.string()),
        ("company_country", pa.string()),
        ("remote_ratio", pa.int16()),
        ("work_arrangement", pa.string()),
        ("company_size", pa.string()),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        ("quarantine_id", pa.string()),
        ("load_id", pa.string()),
        ("source_path", pa.string()),
        ("line", pa.int64()),
        ("reason", pa.string()),
        ("raw", pa.string()),
    ]
)
STAGE_TABLES = {"posting": "stage_postings", "salary": "stage_salary_records"}
# Two postings whose 64-bit SimHash differ in at most this many bits are near-duplicates. Four
# 16-bit bands guarantee every such pair shares at least one band (pigeonhole), so the band join
# finds all of them.
NEAR_DUPLICATE_MAX_BITS = 3


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit what the block wrote, or roll all of it back on any exception (Ctrl-C included)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def find_completed_load(
    con: duckdb.DuckDBPyConnection, file_sha256: str, fmt: str, field_map: dict[str, str]
) -> dict[str, Any] | None:
    """The earlier finished load of these exact bytes with the same format and mapping, if any."""
    row = con.execute(
        "SELECT load_id, finished_at, rows_loaded FROM loads WHERE file_sha256 = ? AND format = ? "
        "AND coalesce(field_map::VARCHAR, '{}') = ? AND finished_at IS NOT NULL ORDER BY finished_at LIMIT 1",
        [file_sha256, fmt, json.dumps(field_map, sort_keys=True)],
    ).fetchone()
    return None if row is None else {"load_id": row[0], "finished_at": row[1], "rows_loaded": row[2]}


def start_load(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: str,
    source_path: str,
    file_name: str,
    file_sha256: str,
    file_bytes: int,
    fmt: str,
    kind: str,
    field_map: dict[str, str],
    version: str,
) -> None:
    con.execute(
        "INSERT INTO loads (load_id, source_path, file_name, file_sha256, file_bytes, format, record_kind, "
        "field_map, rolescope_version, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            source_path,
            file_name,
            file_sha256,
            file_bytes,
            fmt,
            kind,
            json.dumps(field_map, sort_keys=True),
            version,
            datetime.now(),
        ],
    )


def finish_load(con: duckdb.DuckDBPyConnection, load_id: str, summary: LoadSummary) -> None:
    con.execute(
        "UPDATE loads SET finished_at = ?, rows_read = ?, rows_loaded = ?, rows_duplicate = ?, "
        "rows_near_duplicate = ?, rows_quarantined = ? WHERE load_id = ?",
        [
            datetime.now(),
            summary.read,
            summary.loaded,
            summary.duplicates,
            summary.near_duplicates,
            summary.quarantined,
            load_id,
        ],
    )


def create_stage(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    table = STAGE_TABLES[kind]
    schema = POSTING_STAGE_SCHEMA if kind == "posting" else SALARY_STAGE_SCHEMA
    empty = schema.empty_table()  # noqa: F841 - read by DuckDB's replacement scan below
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM empty")


def drop_stage(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    con.execute(f"DROP TABLE IF EXISTS {STAGE_TABLES[kind]}")


def append_stage(con: duckdb.DuckDBPyConnection, kind: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    schema = POSTING_STAGE_SCHEMA if kind == "posting" else SALARY_STAGE_SCHEMA
    batch = pa.Table.from_pylist(rows, schema=schema)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(f"INSERT INTO {STAGE_TABLES[kind]} SELECT * FROM batch")


def append_quarantine(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    batch = pa.Table.from_pylist(rows, schema=QUARANTINE_SCHEMA)  # noqa: F841
    con.execute(
        "INSERT OR IGNORE INTO quarantine BY NAME SELECT *, now()::TIMESTAMP AS quarantined_at FROM batch"
    )


def merge_postings(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Insert staged postings whose content id is new; returns (staged, inserted)."""
    staged = con.execute("SELECT count(*) FROM stage_postings").fetchone()[0]
    return staged, con.execute(
        "INSERT OR IGNORE INTO postings BY NAME "
        "SELECT s.*, (SELECT coalesce(max(ingest_seq), 0) FROM postings) "
        "  + row_number() OVER (ORDER BY s.source_line) AS ingest_seq, "
        "  now()::TIMESTAMP AS ingested_at FROM stage_postings s"
    ).fetchone()[0]


def merge_salary_records(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Insert staged salary rows. The k-th repeat of identical content within one file gets
    repeat_index k, and its id is (content, k): re-reading a file adds nothing, while the store
    keeps as many copies of a row as the most any single file held."""
    staged = con.execute("SELECT count(*) FROM stage_salary_records").fetchone()[0]
    return staged, con.execute(
        "INSERT OR IGNORE INTO salary_records BY NAME "
        "SELECT *, content_hash || ':' || repeat_index AS salary_record_id, now()::TIMESTAMP AS ingested_at "
        "FROM (SELECT s.*, (row_number() OVER (PARTITION BY content_hash ORDER BY source_line) - 1)::INTEGER "
        "      AS repeat_index FROM stage_salary_records s)"
    ).fetchone()[0]


# A repost keeps its title: compare titles folded to lowercase words, with bracketed qualifiers such as
# "(Remote, Spain)" or "[28309]" dropped, and count one title containing the other as the same.
_TITLE_KEY = (
    "' ' || trim(regexp_replace(regexp_replace(lower(title), '\\([^)]*\\)|\\[[^\\]]*\\]', ' ', 'g'), "
    "'[^\\pL\\pN]+', ' ', 'g')) || ' '"
)


def mark_near_duplicates(con: duckdb.DuckDBPyConnection, load_id: str) -> int:
    """Point each new posting that reposts an earlier one at the earliest such posting.

    A repost: description SimHash within NEAR_DUPLICATE_MAX_BITS bits, and the same title (see
    _TITLE_KEY). Same-template ads for different jobs ("iOS" vs "Android" engineer) stay apart.
    """
    bands = " UNION ALL ".join(
        f"SELECT n.posting_id, o.posting_id AS other_id, o.ingest_seq AS other_seq FROM n JOIN o "
        f"ON ((n.simhash >> {shift}) & 65535) = ((o.simhash >> {shift}) & 65535) "
        f"AND o.ingest_seq < n.ingest_seq "
        f"WHERE bit_count(xor(n.simhash, o.simhash)) <= {NEAR_DUPLICATE_MAX_BITS} "
        f"AND n.title_key <> '  ' AND o.title_key <> '  ' "
        f"AND (strpos(n.title_key, o.title_key) > 0 OR strpos(o.title_key, n.title_key) > 0)"
        for shift in (0, 16, 32, 48)
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE near_dups AS "
        f"WITH n AS (SELECT posting_id, ingest_seq, simhash, {_TITLE_KEY} AS title_key FROM postings "
        "          WHERE load_id = ? AND simhash IS NOT NULL), "
        f"o AS (SELECT posting_id, ingest_seq, simhash, {_TITLE_KEY} AS title_key FROM postings "
        "      WHERE simhash IS NOT NULL) "
        f"SELECT posting_id, arg_min(other_id, other_seq) AS canonical_id FROM ({bands}) GROUP BY posting_id",
        [load_id],
    )
    marked = con.execute("SELECT count(*) FROM near_dups").fetchone()[0]
    con.execute(
        "UPDATE postings SET near_duplicate_of = d.canonical_id FROM near_dups d "
        "WHERE postings.posting_id = d.posting_id"
    )
    _flatten_near_duplicate_chains(con)
    con.execute("DROP TABLE near_dups")
    return marked


def _flatten_near_duplicate_chains(con: duckdb.DuckDBPyConnection) -> None:
    """A reposts B which reposts C: make A point at C, so every group has one canonical posting."""
    for _ in range(32):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE chain_fix AS SELECT p.posting_id, c.near_duplicate_of AS root_id "
            "FROM postings p JOIN postings c ON p.near_duplicate_of = c.posting_id "
            "WHERE c.near_duplicate_of IS NOT NULL"
        )
        if con.execute("SELECT count(*) FROM chain_fix").fetchone()[0] == 0:
            break
        con.execute(
            "UPDATE postings SET near_duplicate_of = f.root_id FROM chain_fix f "
            "WHERE postings.posting_id = f.posting_id"
        )
    con.execute("DROP TABLE IF EXISTS chain_fix")
