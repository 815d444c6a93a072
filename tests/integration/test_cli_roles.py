"""`rolescope roles list|show|compare` through Typer's runner, in table and JSON modes."""

from __future__ import annotations

import importlib
import json

import pytest
from typer.testing import CliRunner

from rolescope.cli.roles import app
from rolescope.errors import InvalidInput, NotFound
from rolescope.knowledge.roles import NOTICE, ROLE_IDS

WIDTH = 100
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": str(WIDTH)})


def assert_fits(output: str) -> None:
    too_wide = [line for line in output.splitlines() if len(line.rstrip()) > WIDTH]
    assert too_wide == []


def test_list_table_shows_every_role_and_the_notice() -> None:
    result = invoke("list")
    assert result.exit_code == 0, result.output
    for role_id in ROLE_IDS:
        assert role_id in result.stdout
    assert "not figures measured by rolescope" in " ".join(result.stdout.split())
    assert_fits(result.stdout)


def test_list_json_is_one_array_in_stable_order() -> None:
    result = invoke("list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == list(ROLE_IDS)
    by_id = {row["id"]: row for row in rows}
    assert by_id["ai_ml_hybrid"]["name"] == "Hybrid AI/ML engineer"
    assert by_id["ai_engineer"]["claim_count"] > 20 and by_id["data_engineer"]["claim_count"] == 0


def test_show_table_has_work_claims_and_citations() -> None:
    result = invoke("show", "ml-engineer")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        "ML engineer (ml_engineer)",
        "System integration",
        "none",
        "classification models",
        "Kubeflow",
        r"\bmle\b",
        "median USD 149,136–159,000/yr",
        "median GBP 105,000/yr",
        "via Levels.fyi",
        "Where the sources disagree",
        "004_f4885b40147977ef.txt",
    ):
        assert expected in out, expected
    assert_fits(out)


def test_show_json_is_the_full_role() -> None:
    result = invoke("show", "AI-Engineer", "--format", "json")
    assert result.exit_code == 0, result.output
    role = json.loads(result.stdout)
    assert role["id"] == "ai_engineer"
    assert {"responsibilities", "deliverables", "tools", "title_patterns", "claims"} <= set(role)
    median = next(c for c in role["claims"] if c["id"] == "ai_median_base_us_2026")
    assert median["figure"]["low"] == 134023 and median["figure"]["unit"] == "USD"
    assert median["source"] == "002_30a74cf3a6851753.txt" and median["year"] == 2026


def test_compare_table_shows_both_sides_and_disagreements() -> None:
    result = invoke("compare", "ai-engineer", "ml-engineer")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        "AI engineer vs ML engineer",
        "Responsibilities, row by row",
        "only AI engineer",
        "Salary claims: AI engineer",
        "Salary claims: ML engineer",
        "2026 · US",
        "Where the sources disagree",
        "who earns more: AI or ML engineers (US, 2026)",
        "median GBP 75,000/yr",
        "median GBP 105,000/yr",
    ):
        assert expected in out, expected
    assert NOTICE.split(";")[0] in " ".join(out.split())
    assert_fits(out)


def test_compare_json_carries_both_sides_of_who_earns_more_with_sources() -> None:
    result = invoke("compare", "ai_engineer", "ML-Engineer", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    required = {"roles", "responsibilities", "tools", "salary_claims", "contradictions", "sources"}
    assert required <= set(payload)
    assert payload["roles"] == ["ai_engineer", "ml_engineer"]
    row = next(r for r in payload["responsibilities"] if r["id"] == "system_integration")
    assert row["by_role"]["ai_engineer"]["involvement"] == "primary"
    assert row["by_role"]["ml_engineer"]["involvement"] == "none"
    who = next(c for c in payload["contradictions"] if c["id"] == "who_earns_more_us_2026")
    sides = {claim["id"]: claim for claim in who["claims"]}
    assert sides["ai_earns_more_tldr_2026"]["role"] == "ai_engineer"
    assert sides["ml_median_base_us_2026"]["role"] == "ml_engineer"
    assert sides["ml_median_base_us_2026"]["figure"]["low"] == 149136
    assert all(claim["source"] in payload["sources"] for claim in who["claims"])
    years = [group["year"] for group in payload["salary_claims"]["ml_engineer"]]
    assert years[0] == 2026 and 2025 in years


def test_compare_roles_without_shared_disagreements_says_so() -> None:
    result = invoke("compare", "data-engineer", "mlops-engineer")
    assert result.exit_code == 0, result.output
    assert "No recorded disagreements" in result.stdout
    assert "No salary claims about Data engineer" in result.stdout


def test_unknown_role_raises_not_found_listing_valid_ids() -> None:
    result = invoke("show", "foo")
    assert isinstance(result.exception, NotFound)
    assert result.exception.message == "unknown role 'foo'"
    assert all(role_id in result.exception.hint for role_id in ROLE_IDS)
    compare = invoke("compare", "ai-engineer", "nope")
    assert isinstance(compare.exception, NotFound) and "'nope'" in compare.exception.message


def test_comparing_a_role_with_itself_is_invalid_input() -> None:
    result = invoke("compare", "ai-engineer", "AI_Engineer")
    assert isinstance(result.exception, InvalidInput)


@pytest.mark.parametrize("command", ["list", "show", "compare"])
def test_help_ends_with_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert f"Example: rolescope roles {command}" in " ".join(result.stdout.split())


def test_root_cli_turns_unknown_role_into_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    try:  # the root CLI also registers `db` and `ingest`, written in parallel by others
        importlib.import_module("rolescope.cli.db")
        importlib.import_module("rolescope.cli.ingest")
    except ImportError as exc:
        pytest.skip(f"root CLI cannot be assembled yet: {exc}")
    from rolescope.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["roles", "show", "foo"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: unknown role 'foo'. choose one of: {', '.join(ROLE_IDS)}."
