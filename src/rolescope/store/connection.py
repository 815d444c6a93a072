"""Opening the DuckDB store and bringing its schema up to date."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from rolescope.errors import DataError, InvalidInput, NotReady
from rolescope.store.schema import MIGRATIONS, SCHEMA_VERSION

_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B)", re.IGNORECASE)


def connect(path: Path, *, read_only: bool = False, memory_limit: str = "512MB") -> duckdb.DuckDBPyConnection:
    """Open (creating when writable) the store at ``path`` with the schema migrated to the latest.

    Raises InvalidInput when the path is not a DuckDB file, NotReady when a read-only open finds no
    store or another process holds the write lock, DataError when the store is from a newer release.
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidInput(
            f"store path {path} is a directory", hint="give a file path, e.g. --db ./rolescope.duckdb"
        )
    if read_only and not path.exists():
        raise NotReady(f"no store at {path} yet", hint="load data first: rolescope ingest FILE")
    if not _MEMORY_SIZE.fullmatch(memory_limit.strip()):
        raise InvalidInput(
            f"memory limit {memory_limit!r} is not a size",
            hint="use a value like 512MB or 2GB (ROLESCOPE_MEMORY_LIMIT)",
        )
    config = {"memory_limit": memory_limit, "preserve_insertion_order": False}
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise _open_error(path, exc) from None
    except duckdb.Error as exc:
        raise InvalidInput(f"{path} is not a rolescope store ({str(exc).splitlines()[0]})") from None
    except OSError as exc:
        raise InvalidInput(f"cannot create the store at {path} ({exc.strerror or exc})") from None
    # DuckDB draws its own progress bar on stdout for slow queries; it would corrupt --format json.
    con.execute("SET enable_progress_bar = false")
    try:
        _check_and_migrate(con, path, read_only)
    except BaseException:
        con.close()
        raise
    return con


def _open_error(path: Path, exc: Exception) -> Exception:
    text = str(exc)
    if "lock" in text.lower():
        return NotReady(
            f"the store {path} is in use by another rolescope process",
            hint="wait for it to finish, or use another --db",
        )
    return InvalidInput(f"cannot open {path} as a DuckDB store ({text.splitlines()[0]})")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] > 0


def _check_and_migrate(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
    version = schema_version(con)
    if version == 0 and _has_tables(con):
        raise InvalidInput(
            f"{path} is a DuckDB database but not a rolescope store",
            hint="give a new file or an existing rolescope store with --db",
        )
    if version > SCHEMA_VERSION:
        raise DataError(
            f"the store {path} has schema v{version}, newer than this rolescope supports (v{SCHEMA_VERSION})",
            hint="upgrade rolescope: pip install -U rolescope",
        )
    if version == SCHEMA_VERSION or read_only:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        for migration in MIGRATIONS:
            if migration.version > version:
                con.execute(migration.sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.description, datetime.now()],
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def fetch_arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pa.Table:
    """Run ``sql`` and return its rows as one materialised Arrow table.

    DuckDB 2 warns that Arrow output from execute() copies the rows once; that copy is wanted:
    callers may write on this same connection, which must not hold an open result meanwhile.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
        return con.execute(sql, params or []).to_arrow_table()


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C, wherever it landed: in Python (KeyboardInterrupt) or inside a DuckDB
    query (an InterruptException, or a plain RuntimeError "Query interrupted" when it lands while
    DuckDB scans a Python object such as an Arrow batch)."""
    if isinstance(exc, KeyboardInterrupt | duckdb.InterruptException):
        return True
    return type(exc) is RuntimeError and str(exc).strip().lower() == "query interrupted"


@contextmanager
def on_interrupt(error: Callable[[], Exception]) -> Iterator[None]:
    """Raise ``error()`` (built when it happens, so it can say how far the work got) on Ctrl-C."""
    try:
        yield
    except BaseException as exc:
        if is_interrupt(exc):
            raise error() from None
        raise
