"""`rolescope quiz`: JSON questions, graded answer files, and the interactive quiz on a real terminal.

The command is mounted on a local Typer app here; the root app registers it as `rolescope quiz`.
The interactive tests run the command in a subprocess attached to a pseudo-terminal, since it only
asks questions when standard input is a terminal.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from rolescope.advise.quiz import QuizQuestion, quiz_questions
from rolescope.cli.quiz import quiz_command
from rolescope.errors import InvalidInput, NotFound
from rolescope.knowledge.roles import load_roles

pty = pytest.importorskip("pty", reason="the interactive quiz is tested on a POSIX pseudo-terminal")

WIDTH = 100
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(quiz_command)
runner = CliRunner()


def invoke(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": str(WIDTH)})


def test_json_lists_the_questions_without_answers() -> None:
    result = invoke("--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    ids = [q["id"] for q in payload["questions"]]
    assert ids == [q.id for q in quiz_questions(load_roles())] and len(ids) == 12
    assert all(set(q) == {"id", "area", "prompt"} for q in payload["questions"])
    assert [c["value"] for c in payload["choices"]] == ["ai", "ml", "both"]
    assert {s["id"] for s in payload["skipped"]} >= {"feature_engineering", "ai_governance"}


def test_json_seed_and_limit_choose_the_same_questions_as_the_library() -> None:
    result = invoke("--format", "json", "--seed", "5", "--limit", "4")
    assert result.exit_code == 0, result.output
    expected = [q.id for q in quiz_questions(load_roles(), shuffle_seed=5, limit=4)]
    assert [q["id"] for q in json.loads(result.stdout)["questions"]] == expected


def test_answers_file_is_graded_in_a_table(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"system_integration": "ai", "iot_robotics": "ml"}), encoding="utf-8")
    result = invoke("--answers", str(answers))
    assert result.exit_code == 0, result.output
    out = result.stdout
    words = " ".join(out.split())
    assert "Score: 1 of 2" in out
    assert "Connects models with the surrounding software" in words and "Seldom works with IoT" in words
    assert "✓" in out and "✗" in out
    assert "004_f4885b40147977ef.txt" in out
    assert all(len(line.rstrip()) <= WIDTH for line in out.splitlines())


def test_answers_from_stdin_as_json() -> None:
    result = invoke("--answers", "-", "--format", "json", stdin='{"model_development_from_scratch": "M"}')
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["score"], data["total"]) == (1, 1)
    assert data["answers"][0]["correct"] == "ml" and data["answers"][0]["given"] == "ml"


def test_answers_graded_against_a_seeded_set_report_what_was_left(tmp_path: Path) -> None:
    chosen = quiz_questions(load_roles(), shuffle_seed=2, limit=3)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({chosen[0].id: chosen[0].answer}), encoding="utf-8")
    result = invoke("--answers", str(answers), "--seed", "2", "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "Score: 1 of 1 (2 of 3 questions not answered)" in result.stdout


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        ("{not json", InvalidInput, "are not valid JSON (Expecting property name enclosed in double quotes"),
        ('["ai"]', InvalidInput, "are a JSON list, not an object"),
        ('{"system_integration": "robot"}', InvalidInput, "answer 'robot' for question 'system_integration'"),
        ('{"made_up": "ai"}', InvalidInput, "unknown question id 'made_up'"),
        ("{}", InvalidInput, "no answers to grade"),
    ],
)
def test_bad_answer_files_are_one_error(tmp_path: Path, content: str, error: type, message: str) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    result = invoke("--answers", str(answers))
    assert isinstance(result.exception, error)
    assert message in result.exception.message
    assert result.exception.hint


def test_missing_answers_file_is_not_found(tmp_path: Path) -> None:
    result = invoke("--answers", str(tmp_path / "absent.json"))
    assert isinstance(result.exception, NotFound)
    assert result.exception.message == f"answers file {tmp_path / 'absent.json'} does not exist"


def test_without_a_terminal_the_table_mode_says_what_to_use_instead() -> None:
    result = invoke(stdin="a\n")
    assert isinstance(result.exception, InvalidInput)
    assert "needs a terminal" in result.exception.message
    assert "--answers" in result.exception.hint and "--format json" in result.exception.hint
    assert result.stdout == ""


# ---------------------------------------------------------------------------------------------
# Interactive, on a pseudo-terminal

_SCRIPT = """
import sys, typer
from rolescope.cli.quiz import quiz_command
from rolescope.errors import RolescopeError
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(quiz_command)
try:
    app(prog_name="rolescope quiz")
except RolescopeError as exc:
    print(f"error: {exc.one_line()}", file=sys.stderr)
    sys.exit(exc.exit_code)
"""
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_terminal(args: list[str], typed: bytes, timeout: float = 60) -> tuple[int, str]:
    """Run the quiz with stdin/stdout on a pseudo-terminal, type ``typed``, return (exit code, screen)."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": str(WIDTH), "LINES": "50", "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, *args], stdin=child, stdout=child, stderr=child, env=env
    )
    os.close(child)
    os.write(main, typed)
    screen, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    os.close(main)
    try:
        code = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"the quiz did not finish; it printed:\n{screen.decode(errors='replace')}")
    return code, _ANSI.sub("", screen.decode("utf-8", errors="replace")).replace("\r\n", "\n")


def _key(question: QuizQuestion, right: bool) -> bytes:
    keys = {"ai": "a", "ml": "m", "both": "b"}
    wrong = next(answer for answer in keys if answer != question.answer)
    return (keys[question.answer if right else wrong] + "\n").encode()


def test_interactive_quiz_checks_each_answer_and_scores() -> None:
    questions = quiz_questions(load_roles(), shuffle_seed=11, limit=3)
    typed = b"x\n" + _key(questions[0], True) + _key(questions[1], False) + _key(questions[2], True)
    code, screen = run_on_terminal(["--seed", "11", "--limit", "3"], typed)
    assert code == 0, screen
    assert "3 questions: for each area of work, answer a (AI engineer), m (ML engineer) or b (both)" in screen
    assert screen.count("Type a (AI engineer), m (ML engineer) or b (both); q quits.") == 1
    for number, question in enumerate(questions, start=1):
        assert f"[{number}/3] {question.prompt}" in screen
    assert screen.count("✓ right") == 2 and screen.count("✗ wrong") == 1
    assert "(you said" in screen
    assert questions[1].sides[0].text[:40] in screen  # the explanation follows the wrong answer
    assert "Score: 2 of 3" in screen and "not answered" not in screen
    assert "Sources" in screen


def test_interactive_quiz_quits_on_q_with_the_score_so_far() -> None:
    questions = quiz_questions(load_roles(), shuffle_seed=4, limit=3)
    code, screen = run_on_terminal(["--seed", "4", "--limit", "3"], _key(questions[0], True) + b"q\n")
    assert code == 0, screen
    assert "Score: 1 of 1 (2 of 3 questions not answered)" in screen
    assert f"[3/3] {questions[2].prompt}" not in screen


def test_interactive_quiz_ends_cleanly_at_end_of_input() -> None:
    code, screen = run_on_terminal(["--limit", "2"], b"\x04")
    assert code == 0, screen
    assert "No answers, so no score." in screen
    assert "Traceback" not in screen
