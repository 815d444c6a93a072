"""Reading the quarantine table."""

from __future__ import annotations

from typing import Any

import duckdb


def list_quarantine(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    cursor = con.execute(
        "SELECT source_path, line, reason, raw, quarantined_at FROM quarantine "
        "ORDER BY quarantined_at DESC, source_path, line LIMIT ?",
        [limit],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
