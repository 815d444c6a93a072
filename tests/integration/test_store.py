"""The store on a real DuckDB file: migrations, refusals with one-line reasons, locking."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from rolescope.config import Settings
from rolescope.errors import DataError, InvalidInput, NotReady
from rolescope.store import SCHEMA_VERSION, connect, describe_store
from tests.conftest import run_cli


def test_new_store_gets_the_latest_schema(db_path: Path) -> None:
    con = connect(db_path)
    info = describe_store(con, db_path)
    con.close()
    assert info["schema_version"] == SCHEMA_VERSION
    assert set(info["tables"]) >= {"postings", "salary_records", "quarantine", "loads", "schema_migrations"}
    assert all(n == 0 for name, n in info["tables"].items() if name != "schema_migrations")


def test_reopening_does_not_migrate_twice(db_path: Path) -> None:
    connect(db_path).close()
    con = connect(db_path)
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_store_from_a_newer_release_is_refused(db_path: Path) -> None:
    connect(db_path).close()
    raw = duckdb.connect(str(db_path))
    raw.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', now())")
    raw.close()
    with pytest.raises(DataError, match="schema v99, newer than this rolescope supports"):
        connect(db_path)


def test_a_text_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes\n" * 100)
    with pytest.raises(InvalidInput):
        connect(path)
    assert path.read_text().startswith("just some notes")


def test_directory_and_missing_read_only(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="is a directory"):
        connect(tmp_path)
    with pytest.raises(NotReady, match="no store at"):
        connect(tmp_path / "missing.duckdb", read_only=True)


def test_store_held_by_another_process_gives_a_clear_error(db_path: Path) -> None:
    connect(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db_path)!r}); "
            "print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(NotReady, match="in use by another rolescope process"):
            connect(db_path)
    finally:
        holder.kill()
        holder.wait()


def test_db_info_on_a_missing_store_says_so(tmp_path: Path) -> None:
    db = tmp_path / "nothing-here.duckdb"
    result = run_cli("db", "info", "--format", "json", db=db)
    assert result.returncode == 0
    assert '"exists": false' in result.stdout and '"tables": {}' in result.stdout
    assert not db.exists()
    table = run_cli("db", "info", db=db)
    assert "No store at" in table.stdout


@pytest.mark.parametrize(
    ("env", "db", "expected"),
    [
        ({"ROLESCOPE_DB": "/x/a.duckdb"}, None, "/x/a.duckdb"),
        ({"ROLESCOPE_DB": "/x/a.duckdb"}, "/y/b.duckdb", "/y/b.duckdb"),
        ({"XDG_DATA_HOME": "/data"}, None, "/data/rolescope/rolescope.duckdb"),
        ({"ROLESCOPE_DATA_DIR": "/d"}, None, "/d/rolescope.duckdb"),
    ],
)
def test_settings_precedence(env: dict[str, str], db: str | None, expected: str) -> None:
    assert str(Settings.from_env(env, db=db).db_path) == expected


def test_cli_db_flag_beats_environment(fixtures: Path, tmp_path: Path) -> None:
    env_db, flag_db = tmp_path / "env.duckdb", tmp_path / "flag.duckdb"
    result = run_cli("ingest", str(fixtures / "lever_postings.json"), "--db", str(flag_db), db=env_db)
    assert result.returncode == 0, result.stderr
    assert flag_db.exists() and not env_db.exists()


def test_a_store_from_the_previous_schema_is_migrated_in_place(db_path: Path, fixtures: Path) -> None:
    from rolescope.store.schema import MIGRATIONS

    raw = duckdb.connect(str(db_path))
    raw.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    raw.execute(MIGRATIONS[0].sql)
    raw.execute("INSERT INTO schema_migrations VALUES (1, 'v1', now())")
    raw.execute(
        "INSERT INTO quarantine VALUES ('q1', 'l1', 'f.csv', 3, 'kept across the upgrade', NULL, now())"
    )
    raw.close()
    con = connect(db_path)
    info = describe_store(con, db_path)
    con.close()
    assert info["schema_version"] == SCHEMA_VERSION > 1
    assert {"skill_mentions", "posting_enrichments"} <= set(info["tables"])
    assert info["tables"]["quarantine"] == 1
