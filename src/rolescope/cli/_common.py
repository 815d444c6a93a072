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
