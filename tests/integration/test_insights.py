"""Market insights end to end: the embedded snapshot rebuilds byte for byte from ../shared/data, and the
compare / salaries / skills demand commands answer from the snapshot or a real store, saying which."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import duckdb
import pytest

from rolescope.enrich.pipeline import enrich_skills
from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
from rolescope.insights.snapshot import (
    build_from_store,
    encode_snapshot,
    packaged_snapshot_path,
    shared_inputs,
)
from rolescope.store import connect
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def market_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store holding the shared salary survey and postings, with skills extracted."""
    path = tmp_path_factory.mktemp("market") / "market.duckdb"
    inputs, _ = shared_inputs(shared_data)
    con = connect(path)
    try:
        ingest_sources(con, detect_all(inputs, IngestOptions()), IngestOptions())
        enrich_skills(con)
    finally:
        con.close()
    return path


def _json(*args: str, db: Path | None = None) -> dict:
    result = run_cli(*args, "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_snapshot_rebuilds_byte_for_byte_from_shared_data(market_store: Path, shared_data: Path) -> None:
    con = duckdb.connect(str(market_store), read_only=True)
    try:
        rebuilt = build_from_store(con, "test", shared_inputs(shared_data)[1], lambda _: None)
    finally:
        con.close()
    committed = json.loads(gzip.decompress(packaged_snapshot_path().read_bytes()))
    differing = sorted(k for k in set(rebuilt) | set(committed) if rebuilt.get(k) != committed.get(k))
    assert differing == [], (
        f"snapshot sections differ from a rebuild: {differing}; run rolescope snapshot build"
    )
    assert encode_snapshot(rebuilt) == packaged_snapshot_path().read_bytes()
    assert committed["provenance"]["counts"]["salary_records"] == 73148
    # Aggregates only: no posting text and no single salary row.
    blob = json.dumps(committed)
    assert "description" not in blob and "salary_text" not in blob


def test_compare_json_contract_from_snapshot() -> None:
    result = _json("compare", "ai-engineer", "ml-engineer", "--source", "snapshot")
    assert result["roles"] == ["ai_engineer", "ml_engineer"]
    assert result["source"]["kind"] == "snapshot"
    for role in result["roles"]:
        us = result["salaries"][role]["us"]
        assert us["n"] > 100
        assert us["median_low"] <= us["median"] <= us["median_high"]
        for cell in result["salaries"][role]["us_by_level"]:
            assert "n" in cell
            if cell["status"] != "suppressed":
                assert cell["median_low"] <= cell["median"] <= cell["median_high"]
    # The measured facts the seeds disagree about: ML engineers out-earn AI engineers in this data.
    assert (
        result["salaries"]["ml_engineer"]["us"]["median_low"]
        > result["salaries"]["ai_engineer"]["us"]["median_high"]
    )
    verdicts = [c["verdict"] for c in result["claims"]]
    assert sum(result["verdicts"].values()) == len(verdicts) > 50
    assert set(verdicts) == {"consistent", "contradicted", "untestable"}
    tldr = next(c for c in result["claims"] if c["claim_id"] == "ai_earns_more_tldr_2025")
    assert tldr["verdict"] == "contradicted" and tldr["n"] > 1000
    total = next(c for c in result["claims"] if c["claim_id"] == "ml_builtin_total_2025")
    assert total["verdict"] == "untestable" and "base salary" in total["rule"]
    stack = {row["label"]: row for row in result["skills"]["stack"]}
    assert stack["Spark"]["ml_engineer"]["share"] > stack["Spark"]["ai_engineer"]["share"]
    assert result["oews"]["wages"] and result["oews"]["release"] == "May 2025"


def test_compare_from_a_store_says_so_and_matches_the_snapshot(market_store: Path) -> None:
    from_store = _json("compare", "ai-engineer", "ml-engineer", db=market_store)
    from_snapshot = _json("compare", "ai-engineer", "ml-engineer", "--source", "snapshot")
    assert from_store["source"]["kind"] == "store"
    assert from_store["source"]["path"] == str(market_store)
    assert from_store["claims"] == from_snapshot["claims"]
    assert from_store["salaries"] == from_snapshot["salaries"]


def test_compare_csv_and_table() -> None:
    result = run_cli("compare", "ai-engineer", "ml-engineer", "--source", "snapshot", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["section"] for r in rows} == {"salary", "skill_share", "premium", "claim"}
    assert all(r["n"] for r in rows)
    table = run_cli("compare", "ai-engineer", "ml-engineer", "--source", "snapshot")
    assert table.returncode == 0, table.stderr
    assert "Source: embedded snapshot" in table.stdout
    assert "contradicted" in table.stdout and "Verdicts:" in table.stdout


def test_salaries_cells_carry_n_and_small_cells_are_marked() -> None:
    result = _json("salaries", "ai-engineer", "--country", "US", "--by", "level", "--source", "snapshot")
    cells = {c["key"]["level"]: c for c in result["cells"]}
    assert set(cells) == {"entry", "mid", "senior", "executive"}
    assert cells["entry"]["status"] == "shrunk" and cells["entry"]["n"] < 30
    assert cells["entry"]["median"] != cells["entry"]["median_raw"]
    assert cells["senior"]["status"] == "ok" and cells["senior"]["n"] > 200
    countries = _json("salaries", "ai-engineer", "--by", "country", "--source", "snapshot")["cells"]
    assert any(c["status"] == "suppressed" and "median" not in c for c in countries)


def test_salaries_policies_need_a_store(market_store: Path) -> None:
    refused = run_cli("salaries", "ai-engineer", "--inflation", "--source", "snapshot")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "--db" in refused.stderr
    adjusted = _json("salaries", "ai-engineer", "--by", "year", "--inflation", db=market_store)
    nominal = _json("salaries", "ai-engineer", "--by", "year", db=market_store)
    assert adjusted["inflation"]["base_year"] == 2024 and adjusted["inflation"]["not_adjusted"] > 0
    by_year = {c["key"]["year"]: c for c in adjusted["cells"]}
    plain = {c["key"]["year"]: c for c in nominal["cells"]}
    assert by_year[2023]["percentiles"]["p50"] > plain[2023]["percentiles"]["p50"]
    assert by_year[2024]["percentiles"] == plain[2024]["percentiles"]


def test_skills_demand_and_distinguishing_skills() -> None:
    result = _json(
        "skills", "demand", "ai-engineer", "--vs", "ml-engineer", "--top", "10", "--source", "snapshot"
    )
    assert result["n_postings"] > 200
    for skill in result["skills"]:
        assert skill["low"] <= skill["share"] <= skill["high"] and skill["n"] == result["n_postings"]
    versus = result["versus"]
    assert "pytorch" in {s["skill_id"] for s in versus["ml_engineer"]}
    assert all(s["z"] > 0 for s in versus["ai_engineer"]) and all(s["z"] < 0 for s in versus["ml_engineer"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("compare", "ai-engineer", "astronaut"), "astronaut"),
        (("compare", "ai-engineer", "ai-engineer"), "itself"),
        (("salaries", "ai-engineer", "--by", "planet", "--source", "snapshot"), "planet"),
        (("salaries", "ai-engineer", "--outliers", "maybe"), "outlier policy"),
        (("salaries", "ai-engineer", "--db", "/nonexistent/x.duckdb"), "no store"),
        (
            ("skills", "demand", "ai-engineer", "--source", "store", "--db", "/nonexistent/x.duckdb"),
            "no store",
        ),
        (("compare", "ai-engineer", "ml-engineer", "--source", "cloud"), "unknown source"),
        (("compare", "ai-engineer", "ml-engineer", "--source", "snapshot", "--out", "x.txt"), "--out is for"),
        (("snapshot", "build"), "exactly one"),
        (("snapshot", "build", "--data-dir", "/nonexistent", "--from-db", "x.duckdb"), "exactly one"),
        (("snapshot", "build", "--data-dir", "/nonexistent"), "not all in"),
        (("snapshot", "build", "--from-db", "/nonexistent/x.duckdb"), "x.duckdb"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: tuple[str, ...], needle: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and result.stderr.count("\n") == 1
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_compare_html_report_is_written_whole_and_offline(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli(
        "compare", "ai-engineer", "ml-engineer", "--source", "snapshot", "--format", "html", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Plotly" in html and "<script src" not in html and '<link rel="stylesheet" href' not in html
    assert "ai_earns_more_tldr_2025" in html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left behind
    unwritable = run_cli(
        "compare",
        "ai-engineer",
        "ml-engineer",
        "--source",
        "snapshot",
        "--format",
        "html",
        "--out",
        str(tmp_path / "missing" / "r.html"),
    )
    assert unwritable.returncode == 2 and unwritable.stderr.count("\n") == 1


def test_snapshot_build_refuses_an_unwritable_out_before_working(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli(
        "snapshot", "build", "--data-dir", "/nonexistent", "--out", str(blocker / "snap.json.gz")
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "cannot write the snapshot" in result.stderr
    assert blocker.read_text() == "not a folder"
