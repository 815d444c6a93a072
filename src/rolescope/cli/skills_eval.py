"""`rolescope skills evaluate`: span precision / recall / F1 on SkillSpan."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from rolescope.cli._common import FormatOption, OutputFormat, emit_json, stdout_console
from rolescope.enrich.evaluation import evaluate, read_skillspan
from rolescope.errors import NotFound

SPLITS = ("dev", "train")
PATHS = ("dictionary", "tagger", "both")


def default_skillspan_dir() -> Path | None:
    env = os.environ.get("ROLESCOPE_SKILLSPAN")
    candidates = [Path(env)] if env else [Path("../shared/data/skill_gold/skillspan")]
    return next((c for c in candidates if (c / "json").is_dir()), None)


def evaluate_command(
    split: Annotated[str, typer.Option(help="SkillSpan split to score on: dev (tune) or train.")] = "dev",
    path: Annotated[
        str,
        typer.Option("--path", help="What to score: dictionary, tagger (the CRF), or both (their union)."),
    ] = "both",
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="SkillSpan folder (with json/dev.json). Default: $ROLESCOPE_SKILLSPAN, "
            "else ../shared/data/skill_gold/skillspan.",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Score the skill extractor on SkillSpan's human-annotated spans (strict and partial matching).

    Reports precision, recall and F1 for skill spans, knowledge spans and both merged, with the
    number of gold and predicted spans. The published state of the art on SkillSpan is 62.6
    span-F1 (ESCOXLM-R, 2023).

    Example: rolescope skills evaluate --data ../shared/data/skill_gold/skillspan
    """
    if path not in PATHS:
        raise NotFound(f"unknown path '{path}'", hint=f"choose one of: {', '.join(PATHS)}")
    if split not in SPLITS:
        raise NotFound(f"unknown split '{split}'", hint=f"choose one of: {', '.join(SPLITS)}")
    folder = data or default_skillspan_dir()
    if folder is None:
        raise NotFound("no SkillSpan data found", hint="pass --data DIR (the folder holding json/dev.json)")
    from rolescope.enrich.skills.extract import EXTRACTOR_NAME
    from rolescope.enrich.skills.tagger import predictor_for
    from rolescope.knowledge.skills import load_taxonomy

    sentences = read_skillspan(folder / "json" / f"{split}.json")
    taxonomy = load_taxonomy()
    scores = evaluate(sentences, predictor_for(path, taxonomy=taxonomy))
    if output is OutputFormat.json:
        emit_json(
            {
                "split": split,
                "path": path,
                "sentences": len(sentences),
                "extractor": EXTRACTOR_NAME,
                "taxonomy_version": taxonomy.version,
                "scores": [s.as_dict() for s in scores],
            }
        )
        return
    table = Table(
        title=f"SkillSpan {split}: {len(sentences):,} sentences, path {path}, {EXTRACTOR_NAME}, "
        f"taxonomy {taxonomy.version}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for col in ("spans", "matching", "precision", "recall", "F1", "gold", "predicted"):
        table.add_column(col, justify="left" if col in ("spans", "matching") else "right")
    for s in scores:
        table.add_row(
            s.span_type,
            s.matching,
            f"{s.precision:.1%}",
            f"{s.recall:.1%}",
            f"{100 * s.f1:.1f}",
            f"{s.n_gold:,}",
            f"{s.n_predicted:,}",
        )
    stdout_console().print(table)
    stdout_console().print(
        "Published state of the art on SkillSpan: 62.6 span-F1 (ESCOXLM-R, 2023). The "
        "tagger was tuned on dev, so dev scores of the tagger are not held-out figures."
    )
