"""`rolescope classify` and `rolescope roles train`: which role a posting reads as, and the model behind it.

Contract for other tools: ``rolescope classify [FILE|-] --format jsonl`` reads JSON lines with
"text" (required) and "title" (optional) and writes one JSON object per input line, in order:
{"role", "probabilities", "hybrid", "evidence", ...}. A line that is not a JSON object with a
string "text" (an empty line included) gets {"error": "line N: ..."} and the run goes on, so the
output has exactly one line per input line. The title is compared with the result; it never changes
a probability.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.table import Table

from rolescope.cli._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    settings_for,
    stderr_console,
    stdout_console,
)
from rolescope.errors import InvalidInput, NotFound


class ClassifyFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


def _lines(source: TextIO) -> Iterator[tuple[int, str]]:
    """Numbered lines; a final newline does not make an extra empty line."""
    yield from enumerate(source, 1)


def _parse(line: str) -> tuple[str, str | None] | str:
    """(text, title) from one JSON line, or the one-line reason it cannot be read."""
    if not line.strip():
        return "empty line"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return "not a JSON object"
    text, title = record.get("text"), record.get("title")
    if not isinstance(text, str) or not text.strip():
        return 'missing "text" (a non-empty string)'
    if title is not None and not isinstance(title, str):
        return '"title" must be a string'
    return text, title


def classify_command(
    file: Annotated[
        str | None,
        typer.Argument(help='JSONL file with {"text", "title"?} per line; \'-\' or nothing reads stdin.'),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Classify this one text instead of a file.")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Title for --text (checked against the content).")
    ] = None,
    output: Annotated[
        ClassifyFormat,
        typer.Option(
            "--format", "-f", help="jsonl: one object per line (files); json: one array; table: people."
        ),
    ] = ClassifyFormat.jsonl,
    model_path: Annotated[
        Path | None, typer.Option("--model", help="A model trained with `rolescope roles train --out`.")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-j",
            min=0,
            help="Processes reading a file at once (0: one per core). Output keeps the input's order.",
        ),
    ] = 1,
) -> None:
    """Which role a posting reads as, from its text alone: probabilities, hybrid flag and evidence.

    The title never feeds the prediction; given one, rolescope says whether title and content
    disagree ("titled AI engineer, reads as ML engineer").

    Example: rolescope classify postings.jsonl --format jsonl --workers 0 > roles.jsonl
    """
    from rolescope.enrich.roles.model import RoleModel, default_model, model_file

    model = RoleModel.load(model_file(model_path)) if model_path else default_model()
    if text is not None:
        if file is not None:
            raise InvalidInput("give either a FILE or --text, not both")
        if not text.strip():
            raise InvalidInput("--text is empty")
        result = model.predict(text, title).as_dict()
        if output is ClassifyFormat.table:
            _render(result)
        elif output is ClassifyFormat.jsonl:
            _write_line(result)
        else:
            emit_json(result)
        return
    if title is not None:
        raise InvalidInput('--title goes with --text; in a file, put "title" on each line')
    count = workers or os.cpu_count() or 1
    results = _classify_stream(model, file, output, count, model_file(model_path) if model_path else None)
    if output is ClassifyFormat.json:
        emit_json(results)
    elif output is ClassifyFormat.table:
        for result in results:
            _render(result)


def _classify_stream(
    model: Any, file: str | None, output: ClassifyFormat, workers: int, model_path: Path | None
) -> list[dict[str, Any]]:
    if file in (None, "-"):
        # Bytes decoded here, not by the locale: invalid UTF-8 becomes U+FFFD instead of a crash.
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
        return _classify_lines(model, stdin, output, workers, model_path)
    path = Path(file)
    if not path.is_file():
        raise NotFound(f"no such file: {file}")
    with open(path, encoding="utf-8", errors="replace") as fh:
        return _classify_lines(model, fh, output, workers, model_path)


# Lines read ahead per round when several processes share the work, and handed out in chunks.
_ROUND_LINES = 1024
_CHUNK_LINES = 32


def _classify_lines(
    model: Any, source: TextIO, output: ClassifyFormat, workers: int = 1, model_path: Path | None = None
) -> list[dict[str, Any]]:
    """Classify each line; JSONL is written as it goes (a long file streams), other formats collect.

    With ``workers`` > 1 the lines are read a round at a time and the round's postings are shared
    among that many processes; results are written in input order, one round at a time, so memory
    stays bounded whatever the file's size.
    """
    collected: list[dict[str, Any]] = []
    errors = 0

    def emit(result: dict[str, Any]) -> None:
        if output is ClassifyFormat.jsonl:
            _write_line(result)
        else:
            collected.append(result)

    rounds = _rounds(_lines(source), _ROUND_LINES if workers > 1 else 1)
    with _pool(workers, model_path) as pool:
        for batch in rounds:
            parsed = [(number, _parse(line)) for number, line in batch]
            postings = [p for _, p in parsed if not isinstance(p, str)]
            if pool is None:
                read = [model.predict(*p).as_dict() for p in postings]
            else:
                chunks = [postings[i : i + _CHUNK_LINES] for i in range(0, len(postings), _CHUNK_LINES)]
                read = [r for chunk in pool.map(_predict_chunk, chunks) for r in chunk]
            answers = iter(read)
            for number, p in parsed:
                if isinstance(p, str):
                    errors += 1
                    emit({"error": f"line {number}: {p}"})
                else:
                    emit(next(answers))
    if errors:
        stderr_console().print(f'{errors:,} line(s) could not be read; each got an "error" object.')
    return collected


def _rounds(lines: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for item in lines:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _NoPool:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _pool(workers: int, model_path: Path | None) -> Any:
    if workers <= 1:
        return _NoPool()
    import multiprocessing

    return multiprocessing.get_context().Pool(workers, initializer=_load_worker_model, initargs=(model_path,))


_worker_model: Any = None


def _load_worker_model(model_path: Path | None) -> None:
    global _worker_model
    import signal

    from rolescope.enrich.roles.model import RoleModel, default_model

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_model = RoleModel.load(model_path) if model_path else default_model()


def _predict_chunk(postings: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    return [_worker_model.predict(text, title).as_dict() for text, title in postings]


def _write_line(result: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


def _render(result: dict[str, Any]) -> None:
    console = stdout_console()
    if "error" in result:
        console.print(f"[red]{result['error']}[/red]")
        return
    from rolescope.enrich.roles.model import role_name

    head = f"[bold]{role_name(result['role'])}[/bold]" + ("  (hybrid AI/ML)" if result["hybrid"] else "")
    console.print(head)
    if result.get("note"):
        console.print(f"  {result['note']}")
    table = Table("role", "probability", "evidence (what pushed it there)", box=None)
    ranked = sorted(result["probabilities"].items(), key=lambda kv: -kv[1])
    for role, p in ranked[:4]:
        said = [e["text"] for e in result["evidence"] if e["role"] == role]
        table.add_row(role_name(role), f"{p:.0%}", ", ".join(said) or "-")
    console.print(table)


def train_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write the model (.npz; the card goes beside it).")
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Train the role classifier on the store's postings (labels from their titles) and score it.

    Held-out scores on four splits (by source_id, company, time and source) with baselines go into the
    model card. Needs the train extra (scikit-learn): pip install "rolescope[train]".

    Example: rolescope roles train --db market.duckdb
    """
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise InvalidInput("training needs scikit-learn", hint='pip install "rolescope[train]"') from None
    from datetime import date

    from rolescope.enrich.roles.model import DEFAULT_MODEL, model_file, save_model
    from rolescope.enrich.roles.train import train_and_evaluate
    from rolescope.store import connect
    from rolescope.store.enrichment import canonical_postings

    target = model_file(out or DEFAULT_MODEL)
    writable = next((p for p in (target.parent, *target.parent.parents) if p.exists()), Path("."))
    if not os.access(writable, os.W_OK):
        raise InvalidInput(
            f"cannot write the model under {writable}",
            hint="pass --out PATH to a writable place, then classify with --model PATH",
        )
    settings = settings_for(db)
    if not settings.db_path.exists():
        raise NotFound(
            f"no store at {settings.db_path}", hint="ingest postings first: rolescope ingest FILE..."
        )
    con = connect(settings.db_path, read_only=True, memory_limit=settings.memory_limit)
    try:
        rows = canonical_postings(con).to_pydict()
    finally:
        con.close()
    console = stderr_console()
    with console.status("training") as status:
        fitted, report, _ = train_and_evaluate(rows, progress=lambda message: status.update(message))
    sources = sorted({s for s in rows["source"] if s})
    try:
        card = save_model(
            fitted,
            report,
            target,
            {
                "trained_on": date.today().isoformat(),
                "data": {"store_sources": sources},
                "rebuild": (
                    "rolescope ingest ../shared/data/postings/*.jsonl.gz --db S && "
                    "rolescope roles train --db S"
                ),
            },
        )
    except OSError as exc:
        raise InvalidInput(
            f"cannot write the model to {target.parent}: {exc.strerror}",
            hint="pass --out PATH to a writable place, then classify with --model PATH",
        ) from None
    if output is OutputFormat.json:
        emit_json({"model": str(target), "card": str(card), "metrics": report})
        return
    _render_metrics(report)
    stdout_console().print(f"Wrote {target} and {card.name}.")


def _render_metrics(report: dict[str, Any]) -> None:
    table = Table(
        "split",
        "test n",
        "macro-F1",
        "AI-vs-ML bal. acc.",
        "ECE",
        "keyword rule F1",
        "skill centroids F1",
        "majority F1",
        title="Held-out scores (title hidden)",
    )
    for name, split in report["splits"].items():
        model, base = split["model"], split["baselines"]
        table.add_row(
            name,
            f"{split['n_test']:,}",
            f"{model['macro_f1']:.3f}",
            f"{model['ai_vs_ml']['balanced_accuracy']} (n={model['ai_vs_ml']['n']})",
            f"{model['ece']:.3f}",
            f"{base['keyword_rule']['macro_f1']:.3f}",
            f"{base['skill_centroids']['macro_f1']:.3f}",
            f"{base['majority']['macro_f1']:.3f}",
        )
    stdout_console().print(table)
    stdout_console().print(
        f"Macro-F1 is over roles with at least 50 labelled postings: {', '.join(report['scored_roles'])}."
    )
