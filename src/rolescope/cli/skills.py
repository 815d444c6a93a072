"""`rolescope skills`: browse the skill taxonomy and extract skills from job-ad text.

Thin: load the taxonomy, call the extractor, render. Bad input raises InvalidInput / NotFound;
the root CLI turns that into one line and exit code 2.

``skills extract --format jsonl`` is a contract other tools rely on: one output line per input
record, in input order. A record with "text" gets ``{"skills": [{"skill_id", "name", "start",
"end", "text", "section", "required", ...}]}``; a record with "tokens" (a list of strings) gets
``{"tags": [...]}``, one B-SKILL / I-SKILL / O tag per token; a malformed line gets
``{"error": "..."}`` and the run goes on.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from rolescope.cli._common import FormatOption, OutputFormat, emit_json, stdout_console
from rolescope.enrich.skills.extract import SkillExtractor, SkillMention
from rolescope.errors import InvalidInput, NotFound
from rolescope.knowledge.skills import CATEGORIES, Skill, Taxonomy, load_taxonomy

app = typer.Typer(
    help="The AI/ML skill taxonomy, and the skills found in job-ad text.\n\n"
    "Example: rolescope skills extract --text 'Python and PyTorch required; Go is a plus'",
    no_args_is_help=True,
)


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


ExtractFormatOption = Annotated[
    ExtractFormat,
    typer.Option(
        "--format", "-f", help="table for people; json (one document) or jsonl (one line per record)."
    ),
]


def get_taxonomy() -> Taxonomy:
    """The taxonomy the commands use (a seam for tests)."""
    return load_taxonomy()


@app.command("list")
def list_command(
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help=f"Only this category: {', '.join(CATEGORIES)}."),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the skills of the taxonomy, optionally one category.

    Example: rolescope skills list --category vector_database
    """
    taxonomy = get_taxonomy()
    if category is not None and category not in CATEGORIES:
        raise InvalidInput(f"unknown category '{category}'", hint=f"use one of: {', '.join(CATEGORIES)}")
    skills = [s for s in taxonomy.skills if category is None or s.category == category]
    if output is OutputFormat.json:
        emit_json([_list_item(skill) for skill in skills])
        return
    table = Table(
        title=f"Skills ({len(skills)} of {len(taxonomy.skills)}, taxonomy v{taxonomy.version})",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    for column in ("id", "name", "category", "kind", "also matches"):
        table.add_column(column, overflow="fold")
    for skill in skills:
        others = [f for f in skill.surface_forms if f != skill.name]
        table.add_row(skill.id, skill.name, skill.category, skill.kind, ", ".join(others))
    stdout_console().print(table)


@app.command("show")
def show_command(
    skill_id: Annotated[str, typer.Argument(help="Skill id, e.g. pytorch (see `rolescope skills list`).")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show one skill: surface forms, category, prerequisites, learning effort and crosswalks.

    Example: rolescope skills show pytorch --format json
    """
    taxonomy = get_taxonomy()
    skill = taxonomy.get(skill_id.strip().replace("-", "_"))
    if output is OutputFormat.json:
        emit_json(skill.model_dump(mode="json"))
        return
    table = Table(title=f"{skill.name} ({skill.id})", box=box.SIMPLE, show_header=False, title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    table.add_row("category", f"{skill.category} · {skill.kind}")
    table.add_row("aliases", ", ".join(skill.aliases) or "-")
    table.add_row("exact case", ", ".join(skill.case_sensitive) or "-")
    table.add_row("parents", ", ".join(skill.parents) or "-")
    table.add_row("prerequisites", ", ".join(skill.prerequisites) or "-")
    table.add_row("effort", f"~{skill.effort.weeks:g} weeks: {skill.effort.rationale}")
    table.add_row("ESCO", "; ".join(skill.crosswalk.esco) or "-")
    table.add_row("O*NET", "; ".join(skill.crosswalk.onet) or "-")
    stdout_console().print(table)


@app.command("extract")
def extract_command(
    source: Annotated[
        str | None,
        typer.Argument(
            help='File to read: plain text (one ad), or JSONL with a "text" (and optional "id") '
            "or a \"tokens\" list per line; '-' reads standard input.",
            show_default=False,
        ),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", "-t", help="Extract from this text instead.")] = None,
    output: ExtractFormatOption = ExtractFormat.table,
) -> None:
    """Find taxonomy skills in job-ad text, with offsets, section and required / preferred.

    Example: rolescope skills extract postings.jsonl --format jsonl
    """
    records = _read_records(source, text)
    extractor = SkillExtractor(get_taxonomy())
    results = (_result(extractor, record) for record in records)
    if output is ExtractFormat.jsonl:
        for result in results:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    elif output is ExtractFormat.json:
        emit_json(list(results))
    else:
        _print_table(list(results))


# ---------------------------------------------------------------------------------------------
# list / show


def _list_item(skill: Skill) -> dict[str, Any]:
    return {
        "id": skill.id,
        "name": skill.name,
        "category": skill.category,
        "kind": skill.kind,
        "aliases": list(skill.aliases),
        "case_sensitive": list(skill.case_sensitive),
    }


# ---------------------------------------------------------------------------------------------
# extract


@dataclass(frozen=True, slots=True)
class _Record:
    line: int | None  # input line number for JSONL records
    id: Any = None
    text: str | None = None
    tokens: list[str] | None = None
    error: str | None = None


def _read_records(source: str | None, text: str | None) -> Iterator[_Record]:
    if source is not None and text is not None:
        raise InvalidInput("got both FILE and --text", hint="use just one of FILE, - (stdin) or --text")
    if text is not None:
        return iter([_Record(None, text=text)])
    if source is None:
        raise InvalidInput("nothing to read", hint="pass FILE, - for standard input, or --text TEXT")
    content = _read_source(source)
    if _is_jsonl(source, content):
        return _jsonl_records(content)
    return iter([_Record(None, text=content)])


def _read_source(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise NotFound(f"no file at {source}", hint="pass a text or JSONL file, or - for standard input")
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return handle.read()
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        raise InvalidInput(
            f"cannot read {source} as UTF-8 text ({exc})", hint="pass a text or JSONL file"
        ) from None


def _is_jsonl(source: str, content: str) -> bool:
    if source.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return True
    first = next((line.strip() for line in content.splitlines() if line.strip()), "")
    if not first.startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def _jsonl_records(content: str) -> Iterator[_Record]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Record(number, error=f"line {number} is not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            yield _Record(number, error=f"line {number} is not a JSON object")
        elif isinstance(row.get("text"), str):
            yield _Record(number, id=row.get("id"), text=row["text"])
        elif isinstance(row.get("tokens"), list) and all(isinstance(t, str) for t in row["tokens"]):
            yield _Record(number, id=row.get("id"), tokens=row["tokens"])
        else:
            yield _Record(
                number, id=row.get("id"), error=f'line {number} has no "text" string or "tokens" list'
            )


def _result(extractor: SkillExtractor, record: _Record) -> dict[str, Any]:
    head: dict[str, Any] = {"id": record.id} if record.id is not None else {}
    if record.error is not None:
        return {**head, "error": record.error}
    if record.tokens is not None:
        return {**head, "tags": tag_tokens(extractor, record.tokens)}
    names = {s.id: s.name for s in extractor.taxonomy.skills}
    return {**head, "skills": [_mention_item(m, names) for m in extractor.extract(record.text)]}


def _mention_item(mention: SkillMention, names: dict[str, str]) -> dict[str, Any]:
    return {
        "skill_id": mention.skill_id,
        "name": names.get(mention.skill_id, mention.skill_id),
        "start": mention.start,
        "end": mention.end,
        "text": mention.surface,
        "section": mention.section,
        # True = required, False = preferred, None = the ad does not say
        "required": None if mention.requirement is None else mention.requirement == "required",
        "requirement": mention.requirement,
        "negated": mention.negated,
    }


def tag_tokens(extractor: SkillExtractor, tokens: list[str]) -> list[str]:
    """BIO tags (B-SKILL / I-SKILL / O) for pre-split tokens, from the mentions in their joined text."""
    offsets, position = [], 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    tags = ["O"] * len(tokens)
    for mention in extractor.extract(" ".join(tokens)):
        covered = [i for i, (s, e) in enumerate(offsets) if s < mention.end and mention.start < e]
        for position, i in enumerate(covered):
            tags[i] = "B-SKILL" if position == 0 else "I-SKILL"
    return tags


def _print_table(results: list[dict[str, Any]]) -> None:
    console = stdout_console()
    table = Table(box=box.SIMPLE_HEAD)
    show_record = len(results) > 1
    if show_record:
        table.add_column("record", overflow="fold")
    for column in ("start", "end", "text", "skill", "section", "required"):
        table.add_column(column, justify="right" if column in ("start", "end") else "left", overflow="fold")
    count = 0
    for number, result in enumerate(results, start=1):
        label = str(result.get("id", number))
        if "error" in result:
            console.print(f"[red]record {label}: {result['error']}[/red]")
            continue
        for item in result.get("skills", []):
            count += 1
            requirement = item["requirement"] or "-"
            row = [
                str(item["start"]),
                str(item["end"]),
                item["text"],
                item["skill_id"],
                item["section"],
                f"{requirement} (negated)" if item["negated"] else requirement,
            ]
            table.add_row(*([label, *row] if show_record else row))
    console.print(table)
    console.print(f"{count} skill mention(s) in {len(results)} record(s).", style="dim")
