"""Ingestion through the real CLI (a subprocess) into a real DuckDB file."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rolescope.store import SCHEMA_VERSION
from tests.conftest import run_cli

FIXTURE_FILES = (
    "jobspy_sample.csv",
    "greenhouse_board.json",
    "lever_postings.json",
    "salaries_bad_rows.csv",
    "postings_mixed.jsonl",
)


def db_info(db: Path) -> dict:
    result = run_cli("db", "info", "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def ingest_json(db: Path, *paths: Path, extra: tuple[str, ...] = ()) -> dict:
    result = run_cli("ingest", *map(str, paths), "--output", "json", *extra, db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_fixtures_load_with_quarantine_and_second_run_adds_nothing(fixtures: Path, db_path: Path) -> None:
    first = ingest_json(db_path, *(fixtures / f for f in FIXTURE_FILES))
    by_file = {Path(f["path"]).name: f for f in first["files"]}
    assert by_file["jobspy_sample.csv"]["loaded"] == 2
    assert by_file["jobspy_sample.csv"]["quarantine_reasons"] == {"missing title": 1}
    assert by_file["greenhouse_board.json"]["loaded"] == 2
    assert (by_file["lever_postings.json"]["loaded"], by_file["lever_postings.json"]["quarantined"]) == (1, 1)
    salaries = by_file["salaries_bad_rows.csv"]
    # 9 data rows: 2 identical (both kept: repeat policy), 1 GBP, 1 EUR, 5 broken.
    assert (salaries["read"], salaries["loaded"], salaries["quarantined"]) == (9, 4, 5)
    postings = by_file["postings_mixed.jsonl"]
    assert (postings["read"], postings["loaded"], postings["quarantined"]) == (6, 2, 4)

    info = db_info(db_path)
    assert info["tables"]["postings"] == 7
    assert info["tables"]["salary_records"] == 4
    assert info["views"]["salary_records_distinct"] == 3
    assert info["tables"]["quarantine"] == 11
    assert info["schema_version"] == SCHEMA_VERSION
    assert {s["format"] for s in info["sources"]} == {
        "jobspy",
        "greenhouse",
        "lever",
        "aijobs-salaries",
        "postings",
    }

    again = ingest_json(db_path, *(fixtures / f for f in FIXTURE_FILES))
    assert all(f["already_loaded"] for f in again["files"])
    forced = ingest_json(db_path, *(fixtures / f for f in FIXTURE_FILES), extra=("--force",))
    assert forced["totals"]["loaded"] == 0
    assert db_info(db_path)["tables"] | {"loads": 0} == info["tables"] | {"loads": 0}


def test_quarantine_lists_file_line_and_reason(fixtures: Path, db_path: Path) -> None:
    ingest_json(db_path, fixtures / "salaries_bad_rows.csv")
    result = run_cli("db", "quarantine", "--format", "json", db=db_path)
    rows = {r["line"]: r["reason"] for r in json.loads(result.stdout)}
    assert rows[5] == "work_year '20x4' is not a whole number from 2000 to " + str(
        time.localtime().tm_year + 1
    )
    assert rows[6].startswith("experience_level 'ZZ' is not one of EN, MI, SE, EX")
    assert rows[8] == "employee_residence 'XX' is not an ISO 3166 country code"
    assert rows[9] == "expected 11 fields, found 6"


def test_normalized_values_of_structured_sources(fixtures: Path, db_path: Path) -> None:
    import duckdb

    ingest_json(db_path, fixtures / "jobspy_sample.csv", fixtures / "greenhouse_board.json")
    con = duckdb.connect(str(db_path), read_only=True)
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT title, salary_period, salary_usd_annual_min, work_arrangement, employment_type, "
            "company_size, "
            "country_code FROM postings"
        ).fetchall()
    }
    con.close()
    assert rows["Senior AI Engineer"] == ("year", 150000.0, "onsite", "full_time", "medium", "US")
    assert rows["Machine Learning Engineer II"][0] == "hour"
    assert rows["Machine Learning Engineer II"][1] == pytest.approx(70 * 2080)
    assert rows["Machine Learning Engineer II"][2:] == ("remote", "contract", "large", None)
    assert rows["ML Platform Engineer"][1] == 175000.0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\x00\x01\x02binary", "looks binary"), (b"x,y\n1,2\n", "could not recognise")],
)
def test_unreadable_input_exits_2_and_changes_nothing(
    fixtures: Path, db_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    ingest_json(db_path, fixtures / "postings_mixed.jsonl")
    before = db_info(db_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = run_cli("ingest", str(fixtures / "jobspy_sample.csv"), str(bad), db=db_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert db_info(db_path) == before


def test_file_corrupt_midway_rolls_back_the_whole_run(fixtures: Path, db_path: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"source": "t", "source_id": str(i), "title": f"Engineer {i}", "description": "text " * 60}
        )
        for i in range(5000)
    ]
    data = gzip.compress("\n".join(lines).encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    result = run_cli("ingest", str(fixtures / "jobspy_sample.csv"), str(cut), db=db_path)
    assert result.returncode == 2
    assert "truncated or corrupt" in result.stderr
    info = db_info(db_path)
    assert info["tables"].get("postings", 0) == 0 and info["sources"] == []


def _big_salary_file(shared_data: Path, tmp_path: Path, copies: int) -> Path:
    """The real survey repeated ``copies`` times, so the load is still running when signalled."""
    source = (shared_data / "salaries" / "aijobs_salaries.csv").read_text()
    header, _, body = source.partition("\n")
    big = tmp_path / "big_salaries.csv"
    big.write_text(header + "\n" + "\n".join([body.rstrip("\n")] * copies) + "\n")
    return big


def _wait_until_reading(proc: subprocess.Popen, path: Path, timeout: float = 60.0) -> None:
    """Block until ``proc`` has ``path`` open, so a signal lands in the load, not in start-up.

    A fixed sleep raced with a slow interpreter start on a busy machine.
    """
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(Path(os.readlink(fd)) == path for fd in fd_dir.iterdir()):
                return
        except OSError:
            pass  # a descriptor closed while we looked
        time.sleep(0.05)
    time.sleep(4.0)  # no /proc (not Linux) or never seen: fall back to the old fixed wait


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_load_leaves_store_as_it_was(
    shared_data: Path, fixtures: Path, db_path: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    ingest_json(db_path, fixtures / "postings_mixed.jsonl")
    before = db_info(db_path)
    big = _big_salary_file(shared_data, tmp_path, copies=4)
    env = {**os.environ, "ROLESCOPE_DB": str(db_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolescope", "ingest", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A test run started in the background (`cmd &` in a script) inherits SIGINT as ignored,
        # and Python then never turns it into KeyboardInterrupt; give the child the default back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    _wait_until_reading(proc, big)
    time.sleep(1.0)
    assert proc.poll() is None, "the load finished before it could be interrupted; make the file bigger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "left as it was" in err and "Traceback" not in err
    assert db_info(db_path) == before


def test_all_real_data_in_one_command_then_nothing_new(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "real.duckdb"
    inputs = [
        shared_data / "salaries" / "aijobs_salaries.csv",
        *sorted((shared_data / "postings").glob("*.jsonl.gz")),
    ]
    first = ingest_json(db, *inputs)
    totals = first["totals"]
    assert totals["read"] == 73_148 + 17_164
    assert totals["quarantined"] == 0
    by_file = {Path(f["path"]).name: f for f in first["files"]}
    # Repeat policy: all 73,148 survey rows are kept, 39,124 of them as repeats.
    assert by_file["aijobs_salaries.csv"]["loaded"] == 73_148
    info = db_info(db)
    assert info["tables"]["salary_records"] == 73_148
    assert info["views"]["salary_records_distinct"] == 73_148 - 39_124
    assert info["tables"]["postings"] == 17_164 - totals["duplicates"]
    assert 0 < totals["duplicates"] < 200
    assert 100 < totals["near_duplicates"] < 2_000
    assert info["views"]["postings_canonical"] == info["tables"]["postings"] - totals["near_duplicates"]
    second = ingest_json(db, *inputs, extra=("--force",))
    assert second["totals"]["loaded"] == 0 and second["totals"]["near_duplicates"] == 0
    assert db_info(db)["tables"]["postings"] == info["tables"]["postings"]


def test_rows_no_normalizer_foresaw_are_quarantined_not_fatal(db_path: Path, tmp_path: Path) -> None:
    good = {"source": "t", "title": "AI Engineer", "description": "Build RAG systems."}
    lines = [
        json.dumps({**good, "source_id": "1"}),
        '{"source": "t", "source_id": "2", "title": "a\\ud800b", "description": "lone surrogate"}',
        json.dumps({**good, "source_id": "3", "title": "Data Engineer", "salary_min": 10**400}),
        json.dumps({**good, "source_id": "4", "title": "ML Engineer"}),
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = ingest_json(db_path, path)["files"][0]
    assert (out["read"], out["loaded"], out["quarantined"]) == (4, 2, 2)
    reasons = {
        r["line"]: r["reason"]
        for r in json.loads(run_cli("db", "quarantine", "-f", "json", db=db_path).stdout)
    }
    assert reasons[2] == "title contains invalid Unicode (a lone surrogate)"
    assert reasons[3].startswith("cannot normalize (")


def test_greenhouse_markup_html_parser_rejects_still_loads(db_path: Path, tmp_path: Path) -> None:
    board = {
        "jobs": [
            {
                "id": 1,
                "title": "ML Engineer",
                "absolute_url": "https://boards.greenhouse.io/x/jobs/1",
                "updated_at": "2025-01-02T00:00:00Z",
                "content": "<p>Train models</p><![foo bar",
            }
        ]
    }
    path = tmp_path / "board.json"
    path.write_text(json.dumps(board))
    assert ingest_json(db_path, path)["totals"]["loaded"] == 1


def test_a_duckdb_file_that_is_not_a_store_is_refused(tmp_path: Path, fixtures: Path) -> None:
    import duckdb

    other = tmp_path / "analytics.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE loads (x INTEGER)")
    con.close()
    for args in (("db", "info"), ("ingest", str(fixtures / "lever_postings.json"))):
        result = run_cli(*args, db=other)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ") and "not a rolescope store" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_bad_memory_limit_and_bad_url_are_one_line_errors(tmp_path: Path, fixtures: Path) -> None:
    result = run_cli(
        "ingest",
        str(fixtures / "lever_postings.json"),
        db=tmp_path / "s.duckdb",
        env={"ROLESCOPE_MEMORY_LIMIT": "lots"},
    )
    assert result.returncode == 2 and "memory limit 'lots' is not a size" in result.stderr
    fetch = run_cli(
        "data",
        "fetch",
        "aijobs-salaries",
        "--url",
        "notaurl",
        env={"ROLESCOPE_DATA_DIR": str(tmp_path / "d")},
    )
    assert fetch.returncode == 2 and "is not a URL" in fetch.stderr and "Traceback" not in fetch.stderr
