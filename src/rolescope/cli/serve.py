"""`rolescope serve`: the web app and REST API on uvicorn."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Annotated

import typer

from rolescope.cli._common import DbOption, settings_for
from rolescope.cli.insights import SourceOption


def serve_command(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    source: SourceOption = "auto",
    db: DbOption = None,
) -> None:
    """Start the web app: the AI-vs-ML overview, salaries, skills, roles, the advisor and the quiz, with
    the REST API under /api/v1 (OpenAPI at /api/v1/docs). Answers from the store when it holds data,
    else from the embedded snapshot.

    Example: rolescope serve

    Also: rolescope serve --db jobs.duckdb --port 8080
    """
    import uvicorn

    from rolescope.web.app import create_app
    from rolescope.web.service import Service

    settings = settings_for(db)
    explicit = db is not None or bool(os.environ.get("ROLESCOPE_DB"))
    service = Service.open(Path(settings.db_path), explicit=explicit, source=source)
    app = create_app(service)
    threading.Thread(target=service.warm, name="rolescope-warm", daemon=True).start()
    kind = service.source().get("kind")
    typer.echo(f"rolescope: serving http://{host}:{port} from the {kind} (Ctrl-C stops)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5)
    finally:
        service.close()
