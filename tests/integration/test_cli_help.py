"""Every command explains itself: help text with an example, and errors as one line."""

from __future__ import annotations

import pytest
import typer.main

from rolescope.cli import _register, app
from tests.conftest import run_cli


def _commands() -> list[tuple[str, object]]:
    _register()
    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(prefix: str, cmd: object) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, cmd))

    walk("", root)
    return found


def test_every_command_has_help_with_an_example() -> None:
    commands = _commands()
    assert {
        "ingest",
        "db info",
        "db quarantine",
        "data fetch",
        "data list",
        "roles list",
        "roles show",
        "roles compare",
    } <= {name for name, _ in commands}
    missing = [name for name, cmd in commands if "Example: rolescope" not in (cmd.help or "")]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text()
    absent = [name for name, _ in _commands() if f"rolescope {name.split()[0]}" not in readme]
    assert absent == []


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["db", "info", "--help"]])
def test_help_runs(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("rolescope ")


def test_unknown_option_is_a_usage_error_not_a_traceback() -> None:
    result = run_cli("ingest", "--no-such-flag")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_missing_file_is_one_line_exit_2(tmp_path) -> None:
    result = run_cli("ingest", str(tmp_path / "nope.csv"), db=tmp_path / "s.duckdb")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: no such file: {tmp_path / 'nope.csv'}."
    assert not (tmp_path / "s.duckdb").exists()


def test_data_fetch_from_local_copy_and_offline_failure(shared_data, tmp_path) -> None:
    env = {"ROLESCOPE_DATA_DIR": str(tmp_path / "data")}
    ok = run_cli(
        "data",
        "fetch",
        "aijobs-salaries",
        "--from",
        str(shared_data / "salaries" / "aijobs_salaries.csv"),
        env=env,
        db=tmp_path / "s.duckdb",
    )
    assert ok.returncode == 0, ok.stderr
    saved = tmp_path / "data" / "datasets" / "aijobs_salaries.csv"
    assert saved.stat().st_size == (shared_data / "salaries" / "aijobs_salaries.csv").stat().st_size
    offline = run_cli("data", "fetch", "aijobs-salaries", "--url", "http://127.0.0.1:9/salaries.csv", env=env)
    assert offline.returncode == 2 and "could not download" in offline.stderr
    assert saved.stat().st_size > 0  # the good copy was not replaced by the failed download
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"title": "x", "description": "y", "source_id": "1"}\n')
    bad = run_cli("data", "fetch", "aijobs-salaries", "--from", str(wrong), env=env)
    assert bad.returncode == 2 and "not aijobs-salaries" in bad.stderr
    assert [p.name for p in saved.parent.iterdir()] == ["aijobs_salaries.csv"]
