"""`rolescope enrich` on a real store: skill mentions stored, incremental by extractor+taxonomy version."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.conftest import run_cli


def _enrich(db: Path) -> dict:
    result = run_cli("enrich", "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_enrich_stores_mentions_and_is_incremental(fixtures: Path, db_path: Path) -> None:
    assert (
        run_cli(
            "ingest", str(fixtures / "jobspy_sample.csv"), str(fixtures / "greenhouse_board.json"), db=db_path
        ).returncode
        == 0
    )
    first = _enrich(db_path)
    assert (first["pending"], first["processed"]) == (4, 4)
    assert first["mentions"] > 0
    con = duckdb.connect(str(db_path), read_only=True)
    found = {r[0] for r in con.execute("SELECT skill_id FROM skill_mentions").fetchall()}
    offsets_ok = con.execute(
        "SELECT bool_and(substr(p.description, m.start_offset + 1, m.end_offset - m.start_offset) = m.surface) "
        "FROM skill_mentions m JOIN postings p USING (posting_id)"
    ).fetchone()[0]
    con.close()
    assert {"python", "pytorch"} <= found
    assert offsets_ok

    assert _enrich(db_path)["pending"] == 0
    assert run_cli("ingest", str(fixtures / "lever_postings.json"), db=db_path).returncode == 0
    assert _enrich(db_path)["processed"] == 1

    con = duckdb.connect(str(db_path))
    con.execute("UPDATE posting_enrichments SET step_version = 'skills.extract.v0+taxonomy.0.0.1'")
    mentions_before = con.execute("SELECT count(*) FROM skill_mentions").fetchone()[0]
    con.close()
    redo = _enrich(db_path)
    assert redo["processed"] == 5
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT count(*) FROM skill_mentions").fetchone()[0] == mentions_before
    con.close()
