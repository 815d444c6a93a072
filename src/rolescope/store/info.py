"""What is in the store: tables, row counts, schema version and the sources loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from rolescope.store.connection import schema_version
from rolescope.store.schema import SCHEMA_VERSION


def describe_store(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, Any]:
    """A JSON-ready description of the store; ``tables`` maps each table name to its row count."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    views = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'VIEW' ORDER BY table_name"
        ).fetchall()
    ]
    count = lambda name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: E731
    return {
        "path": str(path),
        "exists": True,
        "bytes": path.stat().st_size if path.exists() else 0,
        "schema_version": schema_version(con),
        "supported_schema_version": SCHEMA_VERSION,
        "tables": {name: count(name) for name in tables},
        "views": {name: count(name) for name in views},
        "sources": _sources(con),
        "postings_by_source": dict(
            con.execute(
                "SELECT coalesce(source, '(none)'), count(*) FROM postings GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        ),
    }


def _sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cursor = con.execute(
        "SELECT file_name, source_path, format, record_kind, file_sha256, finished_at, rows_read, "
        "rows_loaded, "
        "rows_duplicate, rows_near_duplicate, rows_quarantined FROM loads WHERE finished_at IS NOT NULL "
        "ORDER BY started_at"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def describe_missing_store(path: Path) -> dict[str, Any]:
    return {
        "path": str(path),
        "exists": False,
        "bytes": 0,
        "schema_version": 0,
        "supported_schema_version": SCHEMA_VERSION,
        "tables": {},
        "views": {},
        "sources": [],
        "postings_by_source": {},
    }
