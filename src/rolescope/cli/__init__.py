"""The `rolescope` command line: a thin shell over the library.

Domain errors become one-line messages here and nowhere else (exit 2 for bad input).
"""

from __future__ import annotations

import sys

import typer

from rolescope import __version__
from rolescope.errors import RolescopeError

app = typer.Typer(
    name="rolescope",
    help="Career intelligence for AI and ML engineering, from real postings and salaries.\n\n"
    "Example: rolescope roles compare ai-engineer ml-engineer",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rolescope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Career intelligence for AI and ML engineering, from real postings and salaries."""


_REGISTERED: list[bool] = []


def _register() -> None:
    from rolescope.cli import (
        advise,
        classify,
        db,
        enrich,
        ingest,
        insights,
        quiz,
        roles,
        serve,
        skills,
        skills_eval,
        skills_train,
    )

    if _REGISTERED:
        return
    _REGISTERED.append(True)
    app.add_typer(roles.app, name="roles")
    roles.app.command("train")(classify.train_command)
    app.command("classify")(classify.classify_command)
    app.add_typer(skills.app, name="skills")
    skills.app.command("evaluate")(skills_eval.evaluate_command)
    skills.app.command("train")(skills_train.train_command)
    skills.app.command("discover")(skills_train.discover_command)
    app.add_typer(db.app, name="db")
    app.add_typer(ingest.data_app, name="data")
    app.command("ingest")(ingest.ingest_command)
    app.command("enrich")(enrich.enrich_command)
    app.command("compare")(insights.compare_command)
    app.command("salaries")(insights.salaries_command)
    skills.app.command("demand")(insights.demand_command)
    app.add_typer(insights.snapshot_app, name="snapshot")
    app.add_typer(advise.app, name="advise")
    advise.app.command("fit")(advise.fit_command)
    advise.app.command("gaps")(advise.gaps_command)
    advise.app.command("roadmap")(advise.roadmap_command)
    advise.app.command("simulate")(advise.simulate_command)
    advise.app.command("match")(advise.match_command)
    advise.app.command("goals")(advise.goals_command)
    advise.app.command("questions")(advise.questions_command)
    app.command("quiz")(quiz.quiz_command)
    app.command("serve")(serve.serve_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning domain errors into one line on stderr and an exit code.

    Usage errors, --help and exit codes of the command parser are handled by Typer itself.
    """
    _register()
    try:
        app(args=argv, prog_name="rolescope")
    except RolescopeError as exc:
        typer.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(exc.exit_code)
