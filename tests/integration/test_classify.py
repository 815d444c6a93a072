"""`rolescope classify`, `rolescope roles train` and the roles step of `rolescope enrich`, end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from rolescope.enrich.roles.model import DEFAULT_MODEL, card_path_for
from rolescope.knowledge.roles import ROLE_IDS
from tests.conftest import run_cli

ML_TEXT = (
    "You will train and tune deep learning models in PyTorch, build feature engineering pipelines, "
    "run experiments, evaluate model accuracy and deploy models with MLflow and Kubeflow. "
    "Requirements: statistics, scikit-learn, XGBoost, model training at scale, Spark."
)
AI_TEXT = (
    "Build LLM-powered product features: retrieval-augmented generation over our documents, agents "
    "that call tools, prompt engineering and evaluation of LLM outputs. You will use LangChain, "
    "OpenAI and Anthropic APIs, a vector database (Pinecone or pgvector) and ship with TypeScript."
)


def _classify(stdin: str, *args: str) -> list[dict]:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "rolescope", "classify", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_contract_keeps_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"text": AI_TEXT, "title": "Senior AI Engineer"}),
        "this is not json",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": ML_TEXT}),
        json.dumps(["a", "list"]),
    ]
    out = _classify("\n".join(lines) + "\n", "-", "--format", "jsonl")
    assert len(out) == 5
    assert "error" in out[1] and "line 2" in out[1]["error"]
    assert out[2] == {"error": 'line 3: missing "text" (a non-empty string)'}
    assert out[4] == {"error": "line 5: not a JSON object"}
    for result in (out[0], out[3]):
        assert result["role"] in ROLE_IDS
        assert set(result["probabilities"]) == set(ROLE_IDS)
        assert sum(result["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
        assert isinstance(result["hybrid"], bool)
        assert result["evidence"] and {"role", "kind", "text", "weight"} <= set(result["evidence"][0])
    assert out[0]["role"] in ("ai_engineer", "ai_ml_hybrid")
    assert out[3]["role"] in ("ml_engineer", "ai_ml_hybrid", "data_scientist")
    assert "title_role" not in out[3]  # no title: only the text decides, nothing is said about titles


def test_several_workers_give_the_same_lines_in_the_same_order(real_postings: list[dict]) -> None:
    from rolescope.cli import classify as cli_classify

    lines = [json.dumps({"text": p["description"], "title": p.get("title")}) for p in real_postings[:150]]
    lines[3], lines[70] = "not json", ""  # errors keep their place too
    stdin = "\n".join(lines) + "\n"
    one = _classify(stdin, "-")
    # Rounds of 16 lines in chunks of 4: several rounds, several chunks per round, all interleaved.
    rounds, chunks = cli_classify._ROUND_LINES, cli_classify._CHUNK_LINES
    try:
        cli_classify._ROUND_LINES, cli_classify._CHUNK_LINES = 16, 4
        import io
        from contextlib import redirect_stdout

        buffer = io.StringIO()
        with redirect_stdout(buffer):
            cli_classify._classify_lines(
                None, io.StringIO(stdin), cli_classify.ClassifyFormat.jsonl, workers=2
            )
    finally:
        cli_classify._ROUND_LINES, cli_classify._CHUNK_LINES = rounds, chunks
    many = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert many == one and len(one) == 150
    assert one[3] == {"error": "line 4: not JSON (Expecting value at column 1)"}
    assert one[70] == {"error": "line 71: empty line"}
    default = _classify(stdin, "-", "--workers", "0")  # one per core, through the real CLI
    assert default == one


def test_title_never_changes_the_probabilities_but_disagreement_is_reported() -> None:
    text = "Machine Learning Engineer. " + ML_TEXT + " As a Machine Learning Engineer you own models."
    lines = [
        {"text": text},
        {"text": text, "title": "Machine Learning Engineer"},
        {"text": ML_TEXT, "title": "Prompt Engineer"},
    ]
    untitled, titled, prompt = _classify("".join(json.dumps(line) + "\n" for line in lines))
    # The title is in the text itself: giving it must still not move a single probability.
    assert untitled["probabilities"] == titled["probabilities"]
    assert titled["title_role"] == "ml_engineer" and not titled["title_disagrees"]
    assert prompt["title_role"] == "ai_engineer"
    assert prompt["probabilities"]["ai_engineer"] < 0.2  # this text is squarely ML engineering
    assert prompt["title_disagrees"] and prompt["note"].startswith("titled AI engineer, reads as")


def test_a_title_the_model_does_not_score_is_not_a_disagreement() -> None:
    (result,) = _classify(json.dumps({"text": ML_TEXT, "title": "Research Scientist"}) + "\n")
    assert result["title_role"] == "research_scientist"
    assert result["probabilities"]["research_scientist"] == 0
    assert not result["title_disagrees"] and "does not score" in result["note"]


def test_every_input_line_gets_one_output_line_whatever_its_bytes() -> None:
    import os
    import subprocess
    import sys

    good = json.dumps({"text": AI_TEXT}).encode()
    latin1 = b'{"text": "Caf\xe9 teams build LLM apps with RAG"}'  # not UTF-8
    payload = good + b"\n\n   \n" + latin1 + b"\n" + good  # blank lines, bad bytes, no final newline
    result = subprocess.run(
        [sys.executable, "-m", "rolescope", "classify", "-"],
        input=payload,
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(out) == 5
    assert out[1] == {"error": "line 2: empty line"} and out[2] == {"error": "line 3: empty line"}
    assert all("role" in out[k] for k in (0, 3, 4))


def test_wrong_fields_and_a_missing_store_are_one_line_errors(tmp_path: Path) -> None:
    lines = [json.dumps({"text": AI_TEXT, "title": 42}), json.dumps({"text": "   "}), "\x00\x01binary"]
    out = _classify("\n".join(lines) + "\n")
    assert out[0] == {"error": 'line 1: "title" must be a string'}
    assert out[1] == {"error": 'line 2: missing "text" (a non-empty string)'}
    assert out[2]["error"].startswith("line 3: not JSON")
    missing = run_cli("roles", "train", "--out", str(tmp_path / "m.npz"), db=tmp_path / "none.duckdb")
    assert missing.returncode == 2 and missing.stderr.startswith("error: no store at")
    assert len(missing.stderr.strip().splitlines()) == 1


def test_a_huge_single_line_stays_fast() -> None:
    import time

    text = ("we build machine learning platform infrastructure for engineers, " * 4000).strip()  # ~260 KB
    started = time.perf_counter()
    (result,) = _classify(json.dumps({"text": text}) + "\n")
    assert time.perf_counter() - started < 60 and result["role"] in ROLE_IDS


def test_single_text_as_a_table(tmp_path: Path) -> None:
    result = run_cli("classify", "--text", AI_TEXT, "--title", "AI Engineer", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert "probability" in result.stdout and "AI engineer" in result.stdout
    line = run_cli("classify", "--text", AI_TEXT)  # jsonl by default: one compact line
    assert line.returncode == 0 and len(line.stdout.splitlines()) == 1 and json.loads(line.stdout)["role"]
    missing = run_cli("classify", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: no such file")


def test_a_model_from_another_taxonomy_says_how_to_retrain(tmp_path: Path) -> None:
    model = tmp_path / "old.npz"
    shutil.copyfile(DEFAULT_MODEL, model)
    card = json.loads(card_path_for(DEFAULT_MODEL).read_text())
    card["taxonomy_version"] = "0.0.1"
    card_path_for(model).write_text(json.dumps(card))
    result = run_cli("classify", "--text", AI_TEXT, "--model", str(model))
    assert result.returncode == 1
    assert "trained with skill taxonomy 0.0.1" in result.stderr and "rolescope roles train" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_enrich_stores_roles_incrementally(fixtures: Path, db_path: Path) -> None:
    assert run_cli("ingest", str(fixtures / "greenhouse_board.json"), db=db_path).returncode == 0
    first = json.loads(run_cli("enrich", "--format", "json", db=db_path).stdout)
    assert first["roles"]["processed"] == first["roles"]["pending"] > 0
    con = duckdb.connect(str(db_path), read_only=True)
    rows = con.execute("SELECT role, probabilities, hybrid, evidence FROM posting_roles").fetchall()
    con.close()
    assert len(rows) == first["roles"]["processed"]
    for role, probabilities, hybrid, evidence in rows:
        assert role in ROLE_IDS and isinstance(hybrid, bool)
        assert sum(json.loads(probabilities).values()) == pytest.approx(1.0, abs=1e-3)
        assert isinstance(json.loads(evidence), list)
    again = json.loads(run_cli("enrich", "--format", "json", db=db_path).stdout)
    assert again["roles"]["pending"] == 0


@pytest.mark.slow
def test_roles_train_on_real_postings_writes_a_model_and_card(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "kaggle.duckdb"
    source = shared_data / "postings" / "kaggle_kanchana_aiml_linkedin.jsonl.gz"
    assert run_cli("ingest", str(source), db=db).returncode == 0
    out = tmp_path / "model.npz"
    result = run_cli("roles", "train", "--out", str(out), "--format", "json", db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    card = json.loads(card_path_for(out).read_text())
    assert card["classes"] and "ml_engineer" in card["classes"]
    assert set(report["metrics"]["splits"]) == {"source_id", "company", "time"}  # one source: no source split
    split = report["metrics"]["splits"]["source_id"]
    assert split["model"]["macro_f1"] > split["baselines"]["majority"]["macro_f1"]
    classified = run_cli("classify", "--text", ML_TEXT, "--model", str(out), "--format", "json")
    assert classified.returncode == 0, classified.stderr
    assert json.loads(classified.stdout)["role"] in card["classes"]
