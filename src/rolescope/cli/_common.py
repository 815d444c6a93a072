"""Conventions every command shares: output formats, JSON and table rendering, the --db option."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, ProgressColumn

from rolescope.config import Settings


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table for people, json for programs.")
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB store file. Default: $ROLESCOPE_DB, else ~/.local/share/rolescope/rolescope.duckdb.",
        dir_okay=False,
    ),
]


def stdout_console() -> Console:
    return Console(soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True)


def progress_bar(*columns: ProgressColumn) -> Progress:
    """A transient progress bar on stderr, shown only on a terminal (pipes and CI logs stay clean)."""
    console = stderr_console()
    return Progress(*columns, console=console, transient=True, disable=not console.is_terminal)


def emit_json(payload: Any) -> None:
    """Print one JSON document to stdout (no rich markup, stable key order)."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


def settings_for(db: Path | None) -> Settings:
    return Settings.from_env(db=db)


def open_market_for(db: Path | None, source: str) -> tuple[Any, Any]:
    """The market a command answers from (store or embedded snapshot) and a function closing it."""
    import os

    from rolescope.insights.market import open_market

    settings = settings_for(db)
    explicit = db is not None or bool(os.environ.get("ROLESCOPE_DB"))
    return open_market(settings.db_path, explicit=explicit, source=source)


def role_id(text: str) -> str:
    """A role as typed (id, hyphenated id or alias) -> its catalog id; unknown roles are NotFound."""
    from rolescope.knowledge.roles import load_roles

    return load_roles().get(text).id


def read_json_object(path: Path, what: str, example: str) -> dict[str, Any]:
    """One JSON object from ``path`` (``-`` = standard input), with one-line errors naming ``what``."""
    from rolescope.errors import InvalidInput, NotFound

    name = "standard input" if str(path) == "-" else str(path)
    if str(path) == "-":
        text = sys.stdin.read()
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise NotFound(f"{what} file {name} does not exist", hint="check the path") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"could not read {what} file {name}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{what} in {name} are not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            hint=f"write one object, e.g. {example}",
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{what} in {name} are a JSON {type(data).__name__}, not an object",
            hint=f"write one object, e.g. {example}",
        )
    return data
