"""`rolescope quiz`: sort areas of work into AI engineer, ML engineer or both, checked against the sources.

Thin: build the questions and grade with :mod:`rolescope.advise.quiz`, then ask, print or render.
Interactive only on a terminal; without one the command says what to use instead rather than wait.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from rolescope.advise.quiz import (
    QuizQuestion,
    QuizResult,
    Source,
    choices,
    grade,
    grade_answer,
    parse_answer,
    quiz_payload,
    quiz_questions,
    skipped_areas,
)
from rolescope.cli._common import FormatOption, OutputFormat, emit_json, read_json_object, stdout_console
from rolescope.errors import InvalidInput
from rolescope.knowledge.roles import RoleCatalog, load_roles

AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Grade a JSON object of question id -> answer (ai, ml or both), "
        'e.g. {"system_integration": "ai"}; - reads standard input.',
        dir_okay=False,
        show_default=False,
    ),
]
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="Ask at most N questions.")]
SeedOption = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Shuffle the questions reproducibly. Without it an interactive quiz shuffles at random and "
        "the JSON list keeps the knowledge-base order.",
    ),
]

_EXAMPLE_ANSWERS = '{"system_integration": "ai", "model_selection": "both"}'
_QUIT = frozenset({"q", "quit", "exit"})
_MARK = {True: ("✓ right", "bold green"), False: ("✗ wrong", "bold red")}


def quiz_command(
    answers: AnswersOption = None,
    limit: LimitOption = None,
    seed: SeedOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Quiz: is each area of work the AI engineer's, the ML engineer's, or both? Checked against the sources.

    On a terminal the quiz asks each question (a, m or b; q quits) and explains every answer with
    the cited articles. --format json prints the questions for a program, without the answers;
    --answers grades a JSON object of question id -> answer.

    Example: rolescope quiz --limit 5
    """
    catalog = load_roles()
    if answers is not None:
        _grade_answers(catalog, answers, limit, seed, output)
    elif output is OutputFormat.json:
        emit_json(quiz_payload(catalog, quiz_questions(catalog, shuffle_seed=seed, limit=limit)))
    elif not sys.stdin.isatty():
        raise InvalidInput(
            "the interactive quiz needs a terminal, and standard input is not one",
            hint="grade a file with --answers FILE (or - for standard input), or list the questions with "
            "--format json",
        )
    else:
        shuffle = seed if seed is not None else random.randrange(2**32)
        questions = quiz_questions(catalog, shuffle_seed=shuffle, limit=limit)
        _run_interactive(stdout_console(), catalog, questions)


# ---------------------------------------------------------------------------------------------
# --answers


def _grade_answers(
    catalog: RoleCatalog, path: Path, limit: int | None, seed: int | None, output: OutputFormat
) -> None:
    # With --limit or --seed the answers are graded against that same question set, so its
    # unanswered questions are reported; without them, against every question.
    chosen = limit is not None or seed is not None
    questions = quiz_questions(catalog, shuffle_seed=seed, limit=limit) if chosen else catalog
    result = grade(questions, _read_answers(path))
    if output is OutputFormat.json:
        emit_json(result.to_dict())
        return
    console = stdout_console()
    console.print(_results_table(result))
    _print_score(console, result, asked=result.total + len(result.unanswered) if chosen else None)
    _print_sources(console, result.sources)


def _read_answers(path: Path) -> dict[str, Any]:
    return read_json_object(path, "answers", _EXAMPLE_ANSWERS)


def _results_table(result: QuizResult) -> Table:
    table = Table(title="Role-identity quiz", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("area", max_width=22)
    table.add_column("you", no_wrap=True)
    table.add_column("answer", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("why (the two roles as the sources describe them)")
    for item in result.answers:
        mark, style = _MARK[item.is_right]
        table.add_row(
            Text(item.question.area),
            item.given,
            Text(item.correct, style="bold"),
            Text(mark.split()[0], style=style),
            _explanation(item.question),
        )
    return table


# ---------------------------------------------------------------------------------------------
# Interactive


def _run_interactive(console: Console, catalog: RoleCatalog, questions: list[QuizQuestion]) -> None:
    skipped = len(skipped_areas(catalog))
    console.print(Text("Role-identity quiz", style="bold"))
    console.print(
        f"{len(questions)} questions: for each area of work, answer a (AI engineer), m (ML engineer) or "
        "b (both); q quits.",
        highlight=False,
    )
    console.print(
        Text(
            f"Answers come from the roles knowledge base; {skipped} areas it cannot decide are left out "
            "(see `rolescope quiz --format json`).",
            style="dim",
        )
    )
    labels = {choice["value"]: choice["label"] for choice in choices(catalog)}
    graded = []
    for number, question in enumerate(questions, start=1):
        console.print()
        given = _ask(console, f"[{number}/{len(questions)}] {question.prompt} ")
        if given is None:
            break
        item = grade_answer(question, given)
        graded.append(item)
        mark, style = _MARK[item.is_right]
        verdict = Text.assemble((mark, style), ": ", (labels[item.correct], "bold"))
        if not item.is_right:
            verdict.append(f" (you said {labels[item.given]})")
        console.print(verdict)
        console.print(_explanation(question))
    console.print()
    answered = {item.question.id for item in graded}
    unanswered = tuple(q.id for q in questions if q.id not in answered)
    result = QuizResult(answers=tuple(graded), unanswered=unanswered)
    _print_score(console, result, asked=len(questions))
    _print_sources(console, result.sources)


def _ask(console: Console, prompt: str) -> str | None:
    """The person's answer, or None when they quit (q, end of input or Ctrl-C)."""
    while True:
        try:
            reply = console.input(Text(prompt, style="bold"))
        except (EOFError, KeyboardInterrupt):
            console.print()
            return None
        if reply.strip().lower() in _QUIT:
            return None
        try:
            return parse_answer(reply)
        except InvalidInput:
            console.print(Text("Type a (AI engineer), m (ML engineer) or b (both); q quits.", style="yellow"))


# ---------------------------------------------------------------------------------------------
# shared pieces


def _explanation(question: QuizQuestion) -> Text:
    text = Text()
    for number, side in enumerate(question.sides):
        if number:
            text.append("\n")
        labels = ", ".join(s.label for s in side.sources) or "general knowledge"
        text.append(f"{side.name} ({side.involvement}): ", style="bold")
        text.append(side.text)
        text.append(f" [{labels}]", style="dim")
    return text


def _print_score(console: Console, result: QuizResult, *, asked: int | None) -> None:
    if not result.answers:
        console.print("No answers, so no score.")
        return
    line = Text.assemble("Score: ", (f"{result.score} of {result.total}", "bold"))
    if asked is not None and asked != result.total:
        line.append(f" ({asked - result.total} of {asked} questions not answered)", style="dim")
    console.print(line)


def _print_sources(console: Console, sources: tuple[Source, ...]) -> None:
    if not sources:
        return
    table = Table(title="Sources", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("src", no_wrap=True)
    table.add_column("file", no_wrap=True)
    table.add_column("title · publisher · date")
    for source in sources:
        parts = (source.title or "(no title printed)", source.publisher, source.date)
        table.add_row(source.label, source.file, Text(" · ".join(p for p in parts if p)))
    console.print(table)
