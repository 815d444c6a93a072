"""Shared fixtures. Real data from ../shared/data comes through `shared_data` only."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("ROLESCOPE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder; tests that need it skip (with the reason) only where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (set ROLESCOPE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_postings(shared_data: Path) -> list[dict]:
    """Every record of the shared postings files, read once per test session."""
    rows: list[dict] = []
    for path in sorted((shared_data / "postings").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle]
    return rows


@pytest.fixture()
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


def run_cli(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (python -m rolescope), as a user would."""
    full_env = {**os.environ, "COLUMNS": "120", **(env or {})}
    if db is not None:
        full_env["ROLESCOPE_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "rolescope", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
