"""`rolescope skills train` and `rolescope skills discover`: the learned span tagger.

``train`` rebuilds the CRF (and its model card) from SkillSpan train, scored on dev; ``discover``
runs the tagger over the store's postings and lists frequent spans the taxonomy lacks.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from rolescope.cli._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit_json,
    settings_for,
    stdout_console,
)
from rolescope.cli.skills_eval import default_skillspan_dir
from rolescope.enrich.evaluation import Score, read_skillspan
from rolescope.errors import NotFound


def _score_dict(scores: list[Score]) -> dict[str, float]:
    return {f"{s.span_type}_{s.matching}_f1": round(100 * s.f1, 2) for s in scores}


def train_command(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help="SkillSpan folder (json/train.json, json/dev.json). Default as evaluate."
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Where to write the model. Default: the shipped model.")
    ] = None,
    c1: Annotated[float, typer.Option(help="L1 penalty (ignored with --grid).")] = 0.6,
    c2: Annotated[float, typer.Option(help="L2 penalty (ignored with --grid).")] = 0.01,
    grid: Annotated[bool, typer.Option("--grid/--no-grid", help="Tune c1, c2 and features on dev.")] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Train the CRF span tagger on SkillSpan train, score it on dev, write it with its model card.

    Dev is used for tuning, so its scores are not a held-out figure.

    Example: rolescope skills train --data ../shared/data/skill_gold/skillspan --grid
    """
    from rolescope.enrich.skills import tagger as crf
    from rolescope.knowledge.skills import load_taxonomy

    folder = data or default_skillspan_dir()
    if folder is None:
        raise NotFound("no SkillSpan data found", hint="pass --data DIR (the folder holding json/train.json)")
    train = read_skillspan(folder / "json" / "train.json")
    dev = read_skillspan(folder / "json" / "dev.json")
    target = model or crf.MODEL_PATH
    taxonomy = load_taxonomy()
    with tempfile.TemporaryDirectory() as work:
        points = crf.default_grid() if grid else [crf.TrainOptions(c1=c1, c2=c2)]
        results = crf.tune_tagger(train, dev, points, Path(work), workers=2 if grid else 1)
        best = results[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(best["model"], target)
    options = crf.TrainOptions(
        c1=best["c1"], c2=best["c2"], features=crf.FeatureOptions.from_card(best["features"])
    )
    both, in_spans = crf.double_labelled(train)
    card = crf.write_card(
        target,
        options,
        taxonomy.version,
        {
            "train_sentences": len(train),
            "double_labelled_tokens": {"both": both, "in_any_span": in_spans},
            "dev_sentences": len(dev),
            "dev_note": "dev.json was used to tune c1, c2 and features: not a held-out figure",
            "dev_scores": best["dev"],
            "tuning": [{k: v for k, v in r.items() if k != "model"} for r in results],
        },
    )
    _render_training(target, card, results, output)


def _render_training(target: Path, card: Path, results: list[dict[str, Any]], output: OutputFormat) -> None:
    tried = [{k: v for k, v in r.items() if k != "model"} for r in results]
    if output is OutputFormat.json:
        emit_json({"model": str(target), "card": str(card), "bytes": target.stat().st_size, "tuning": tried})
        return
    table = Table(title=f"Tagger written to {target}", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("c1", "c2", "features", "merged strict F1", "merged partial F1"):
        table.add_column(col)
    for r in tried:
        features = ", ".join(f"{k}={v}" for k, v in r["features"].items())
        table.add_row(
            str(r["c1"]),
            str(r["c2"]),
            features,
            f"{r['dev']['merged_strict_f1']:.1f}",
            f"{r['dev']['merged_partial_f1']:.1f}",
        )
    stdout_console().print(table)
    stdout_console().print("Scores are on SkillSpan dev, which was used for tuning (not held out).")


def discover_command(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many candidates to list.")] = 50,
    min_postings: Annotated[
        int, typer.Option("--min-postings", min=1, help="Seen in at least this many.")
    ] = 3,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List frequent tagger spans in the store's postings that map to no taxonomy skill: candidates.

    Example: rolescope skills discover --db market.duckdb --limit 30
    """
    from rolescope.enrich.skills.discover import discover_candidates
    from rolescope.enrich.skills.tagger import SpanTagger
    from rolescope.store import connect
    from rolescope.store.enrichment import iter_posting_texts

    settings = settings_for(db)
    con = connect(settings.db_path, read_only=True, memory_limit=settings.memory_limit)
    try:
        rows, scanned = discover_candidates(
            iter_posting_texts(con, batch_rows=500), SpanTagger(), min_postings=min_postings, limit=limit
        )
    finally:
        con.close()
    _render_candidates(rows, scanned, output)


def _render_candidates(rows: list[dict[str, Any]], scanned: int, output: OutputFormat) -> None:
    if output is OutputFormat.json:
        emit_json({"postings_scanned": scanned, "candidates": rows})
        return
    table = Table(
        title=f"Taxonomy candidates: tagger spans matching no skill ({scanned:,} postings scanned)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for col in ("candidate", "type", "postings", "mentions"):
        table.add_column(col, justify="right" if col in ("postings", "mentions") else "left")
    for r in rows:
        table.add_row(r["candidate"], r["type"], f"{r['postings']:,}", f"{r['mentions']:,}")
    stdout_console().print(table)
