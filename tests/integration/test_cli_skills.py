"""`rolescope skills list | show | extract` through Typer's runner, on a small fixed taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rolescope.cli import skills as skills_cli
from rolescope.errors import InvalidInput, NotFound
from rolescope.knowledge.skills import parse_taxonomy
from tests.unit.test_skill_extract import TAXONOMY_YAML

runner = CliRunner()


@pytest.fixture(autouse=True)
def small_taxonomy(monkeypatch: pytest.MonkeyPatch) -> None:
    taxonomy = parse_taxonomy(TAXONOMY_YAML, file="test_taxonomy.yaml")
    monkeypatch.setattr(skills_cli, "get_taxonomy", lambda: taxonomy)


def _ok(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(skills_cli.app, list(args), input=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_list_json_filters_by_category() -> None:
    items = json.loads(_ok("list", "--category", "cloud", "--format", "json"))
    assert [i["id"] for i in items] == ["aws", "gcp", "azure", "azure_ml"]
    assert items[0]["case_sensitive"] == ["AWS"]


def test_list_table_names_the_taxonomy_version() -> None:
    out = _ok("list")
    assert "31 of 31" in out and "v0.0.1" in out and "scikit_learn" in out


def test_show_accepts_hyphenated_ids() -> None:
    item = json.loads(_ok("show", "azure-ml", "--format", "json"))
    assert (item["id"], item["name"], item["aliases"]) == ("azure_ml", "Azure Machine Learning", ["Azure ML"])
    assert "Azure Machine Learning" in _ok("show", "azure_ml")


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (["show", "cobol"], NotFound, "unknown skill 'cobol'"),
        (["list", "--category", "cooking"], InvalidInput, "unknown category 'cooking'"),
        (["extract"], InvalidInput, "nothing to read"),
        (["extract", "a.txt", "--text", "Python"], InvalidInput, "both FILE and --text"),
        (["extract", "/no/such/file.txt"], NotFound, "no file at /no/such/file.txt"),
    ],
)
def test_bad_input_raises_a_domain_error(args: list[str], error: type, message: str) -> None:
    result = runner.invoke(skills_cli.app, args)
    assert isinstance(result.exception, error) and message in str(result.exception)


def test_extract_text_json_has_offsets_section_and_requirement() -> None:
    text = "Requirements:\n- Python and R\nNice to have: Go services, no Java required"
    (record,) = json.loads(_ok("extract", "--text", text, "--format", "json"))
    rows = [(s["skill_id"], s["text"], s["section"], s["required"], s["negated"]) for s in record["skills"]]
    assert rows == [
        ("python", "Python", "requirements", True, False),
        ("r", "R", "requirements", True, False),
        ("go", "Go", "nice_to_have", False, False),
        ("java", "Java", "nice_to_have", None, True),
    ]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in record["skills"])
    assert record["skills"][0]["name"] == "Python"


def test_extract_table_prints_each_mention() -> None:
    out = _ok("extract", "--text", "Must have: PyTorch/TensorFlow")
    assert "pytorch" in out and "tensorflow" in out and "required" in out
    assert "2 skill mention(s) in 1 record(s)" in out


def test_extract_jsonl_contract_keeps_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "CI/CD with Docker"}),
        "not json",
        json.dumps({"tokens": ["Experience", "with", "scikit-learn", "and", "vector", "databases"]}),
        json.dumps({"id": 7}),
        "",
        json.dumps({"text": "Go to our site"}),
    ]
    out = _ok("extract", "-", "--format", "jsonl", stdin="\n".join(lines) + "\n").splitlines()
    results = [json.loads(line) for line in out]
    assert len(results) == 5
    assert results[0]["id"] == "a"
    assert [s["skill_id"] for s in results[0]["skills"]] == ["ci_cd", "docker"]
    assert set(results[0]["skills"][0]) >= {"skill_id", "name", "start", "end", "text", "section", "required"}
    assert "error" in results[1] and "line 2" in results[1]["error"]
    assert results[2] == {"tags": ["O", "O", "B-SKILL", "O", "B-SKILL", "I-SKILL"]}
    assert results[3]["id"] == 7 and 'no "text"' in results[3]["error"]
    assert results[4] == {"skills": []}


def test_extract_reads_a_plain_text_file(tmp_path: Path) -> None:
    ad = tmp_path / "ad.txt"
    ad.write_text("## Requirements\n- Kubernetes\n- SQL\n", encoding="utf-8")
    (record,) = json.loads(_ok("extract", str(ad), "--format", "json"))
    assert [(s["skill_id"], s["section"]) for s in record["skills"]] == [
        ("kubernetes", "requirements"),
        ("sql", "requirements"),
    ]


def test_extract_reads_a_jsonl_file_by_content(tmp_path: Path) -> None:
    rows = tmp_path / "rows.txt"
    rows.write_text('{"id": 1, "text": "Python"}\n{"id": 2, "text": "Rust programming"}\n', encoding="utf-8")
    results = [json.loads(line) for line in _ok("extract", str(rows), "--format", "jsonl").splitlines()]
    assert [(r["id"], [s["skill_id"] for s in r["skills"]]) for r in results] == [
        (1, ["python"]),
        (2, ["rust"]),
    ]


def test_every_command_help_ends_with_an_example() -> None:
    for command in ("list", "show", "extract"):
        out = _ok(command, "--help")
        assert "Example: rolescope skills" in out, command


def test_shipped_taxonomy_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real package data
    items = json.loads(_ok("list", "--format", "json"))
    assert {"python", "pytorch"} <= {i["id"] for i in items}


def test_evaluate_paths_through_the_real_cli(shared_data) -> None:
    import json

    from tests.conftest import run_cli

    data = str(shared_data / "skill_gold" / "skillspan")
    merged = {}
    for path in ("dictionary", "tagger", "both"):
        result = run_cli("skills", "evaluate", "--path", path, "--data", data, "--format", "json")
        assert result.returncode == 0, result.stderr
        payload = json.loads(result.stdout)
        assert payload["path"] == path and payload["sentences"] == 3174
        merged[path] = next(
            s["f1"] for s in payload["scores"] if (s["type"], s["matching"]) == ("merged", "strict")
        )
    # Measured when this was written: dictionary 0.287, tagger 0.414, both 0.417.
    assert merged["tagger"] > merged["dictionary"] + 0.08
    assert merged["both"] >= merged["tagger"] - 0.005
    bad = run_cli("skills", "evaluate", "--path", "magic", "--data", data)
    assert bad.returncode == 2 and "unknown path 'magic'" in bad.stderr


def test_discover_lists_unmapped_spans(db_path, tmp_path) -> None:
    import json

    from tests.conftest import run_cli

    ad = "You will handle procurement audits. Python is a plus."
    path = tmp_path / "ads.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "source": "t",
                    "source_id": str(i),
                    "title": f"Buyer {i}",
                    "company": f"Co {i}",
                    "description": ad,
                }
            )
            + "\n"
            for i in range(3)
        )
    )
    assert run_cli("ingest", str(path), db=db_path).returncode == 0
    result = run_cli("skills", "discover", "--min-postings", "2", "--format", "json", db=db_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["postings_scanned"] == 3
    found = {row["candidate"]: row for row in payload["candidates"]}
    assert "python" not in found  # mapped to the taxonomy, so not a candidate
    row = found["handle procurement audits"]
    assert (row["postings"], row["mentions"]) == (3, 3)
