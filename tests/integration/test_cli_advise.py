"""`rolescope advise` through the real CLI (a subprocess), on the embedded snapshot."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, run_cli

EXAMPLES = REPO / "examples" / "profiles"
RESUME = """Maya Chen - Machine Learning Engineer
5 years of experience training models.
Trained PyTorch models for demand forecasting; feature engineering with pandas; MLflow for experiment tracking.
Deployed models with Docker and Kubernetes on AWS SageMaker.
"""


def _snapshot(tmp_path: Path) -> dict[str, str]:
    """No store anywhere: the commands answer from the embedded snapshot."""
    return {"HOME": str(tmp_path), "ROLESCOPE_DB": ""}


def test_fit_json_contract(tmp_path: Path) -> None:
    resume = tmp_path / "cv.txt"
    resume.write_text(RESUME, encoding="utf-8")
    done = run_cli("advise", "fit", "--profile", str(resume), "--format", "json", "--source", "snapshot")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    text = result["profile"]["text"]
    assert text == RESUME.rstrip("\n")  # the reader trims trailing blank lines only
    scores = [r["score"] for r in result["roles"]]
    assert scores == sorted(scores, reverse=True)
    assert result["roles"][0]["role"] in {"ml_engineer", "mlops_engineer", "ml_platform_engineer"}
    for role in result["roles"]:
        assert set(role) >= {"role", "score", "evidence"}
        for ev in role["evidence"]:
            assert set(ev) == {"skill_id", "text", "start", "end"}
            assert text[ev["start"] : ev["end"]] == ev["text"]
    assert result["profile"]["years"] == 5


def test_fit_table_roadmap_and_gaps(tmp_path: Path) -> None:
    env = _snapshot(tmp_path)
    profile = str(EXAMPLES / "data-engineer.yaml")
    fit = run_cli("advise", "fit", "--profile", profile, env=env)
    assert fit.returncode == 0, fit.stderr
    assert "Verdict:" in fit.stdout and "Data engineer" in fit.stdout and "embedded snapshot" in fit.stdout
    gaps = run_cli("advise", "gaps", "--profile", profile, "--role", "mlops-engineer", env=env)
    assert gaps.returncode == 0, gaps.stderr
    assert "postings" in gaps.stdout
    roadmap = run_cli("advise", "roadmap", "--profile", profile, "--goal", "move-into-mlops", env=env)
    assert roadmap.returncode == 0, roadmap.stderr
    assert "Stage 1" in roadmap.stdout and "weeks" in roadmap.stdout


def test_save_writes_a_reusable_profile(tmp_path: Path) -> None:
    resume = tmp_path / "cv.md"
    resume.write_text(RESUME, encoding="utf-8")
    saved = tmp_path / "me.yaml"
    first = run_cli(
        "advise", "fit", "--profile", str(resume), "--save", str(saved), "-f", "json", env=_snapshot(tmp_path)
    )
    assert first.returncode == 0, first.stderr
    again = run_cli("advise", "fit", "--profile", str(saved), "-f", "json", env=_snapshot(tmp_path))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["roles"] == json.loads(first.stdout)["roles"]


def test_nothing_is_written_without_save(tmp_path: Path) -> None:
    resume = tmp_path / "cv.txt"
    resume.write_text(RESUME, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = run_cli("advise", "fit", "--profile", str(resume), env=_snapshot(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    env = _snapshot(tmp_path)
    missing = run_cli("advise", "fit", "--profile", str(tmp_path / "nope.pdf"), env=env)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().startswith("error:") and len(missing.stderr.strip().splitlines()) == 1
    odd = tmp_path / "cv.rtf"
    odd.write_text("{\\rtf1 Python}")
    bad = run_cli("advise", "fit", "--profile", str(odd), env=env)
    assert bad.returncode == 2 and "unsupported profile file type" in bad.stderr
    goal = run_cli(
        "advise", "roadmap", "--profile", str(EXAMPLES / "statistician.yaml"), "--goal", "x", env=env
    )
    assert goal.returncode != 0 and "unknown career goal" in goal.stderr and "Traceback" not in goal.stderr


def test_goals_and_questions_list(tmp_path: Path) -> None:
    goals = run_cli("advise", "goals", "-f", "json")
    assert goals.returncode == 0 and {g["id"] for g in json.loads(goals.stdout)} >= {"become-ai-engineer"}
    questions = run_cli("advise", "questions", "-f", "json")
    assert questions.returncode == 0 and len(json.loads(questions.stdout)["statements"]) >= 10


def test_review_regressions_are_one_line_errors(tmp_path: Path) -> None:
    env = _snapshot(tmp_path)
    profile = str(EXAMPLES / "backend-llm.yaml")
    binary = tmp_path / "answers.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    seed = run_cli("advise", "simulate", "--role", "ml-engineer", "--level", "mid", "--seed", "-1", env=env)
    assert seed.returncode == 2 and "Traceback" not in seed.stderr and "--seed" in seed.stderr
    cases = [
        ("advise", "fit", "--profile", profile, "--answers", str(binary)),
        ("advise", "fit", "--profile", profile, "--ask"),
        ("advise", "simulate", "--role", "ml-engineer", "--years", "-5"),
    ]
    for args in cases:
        done = run_cli(*args, env=env)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 2, done.stderr


def test_markup_in_user_text_is_printed_literally(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("skills: [Python, 'foo[/dim]', '[bold]x']\n")
    done = run_cli("advise", "fit", "--profile", str(path), env=_snapshot(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "foo[/dim]" in done.stdout


def test_simulate_finds_a_lowercase_metro(tmp_path: Path) -> None:
    args = ("advise", "simulate", "--role", "ml-engineer", "--level", "mid", "--metro", "san francisco")
    done = run_cli(*args, "-f", "json", "--runs", "2000", env=_snapshot(tmp_path))
    assert done.returncode == 0, done.stderr
    factors = {f["name"]: f for f in json.loads(done.stdout)["factors"]}
    assert factors["metro"]["used"] != "ignored" and factors["metro"]["value"] == "San Francisco"
