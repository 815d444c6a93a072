"""`rolescope snapshot build`: the embedded market snapshot, rebuilt from ../shared/data or a store.

The snapshot holds aggregates only (salary cells, skill counts per role and quarter, premiums,
OEWS anchors, the role model's held-out metrics) and no posting text or single salary row. Its
bytes are deterministic for the same inputs (sorted keys, gzip without a timestamp), so a rebuild
can be compared with the committed file.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from rolescope import __version__
from rolescope.enrich.pipeline import enrich_skills
from rolescope.errors import NotFound
from rolescope.ingest.pipeline import IngestOptions, detect_all, ingest_sources
from rolescope.insights.market import SNAPSHOT_FILE, StoreMarket, build_snapshot_data
from rolescope.insights.oews import read_anchor_wages
from rolescope.knowledge.skills import load_taxonomy
from rolescope.store import connect

Progress = Callable[[str], None]
SALARY_FILE = Path("salaries/aijobs_salaries.csv")
POSTINGS_GLOB = "postings/*.jsonl.gz"
OEWS_FILE = Path("wages/oews-2025.sqlite.gz")


def packaged_snapshot_path() -> Path:
    """Where the snapshot lives inside the installed package (the default output of a build)."""
    return Path(str(resources.files("rolescope.insights").joinpath(SNAPSHOT_FILE)))


def shared_inputs(data_dir: Path) -> tuple[list[Path], Path]:
    """The files a snapshot is built from: salary survey + postings, and the OEWS wage file."""
    inputs = [data_dir / SALARY_FILE, *sorted(data_dir.glob(POSTINGS_GLOB))]
    oews = data_dir / OEWS_FILE
    missing = [str(p) for p in [*inputs, oews] if not p.is_file()]
    if missing or len(inputs) < 2:
        raise NotFound(
            f"the snapshot inputs are not all in {data_dir} (missing: {', '.join(missing) or POSTINGS_GLOB})",
            hint="pass --data-dir pointing at the shared data folder (with salaries/, postings/, wages/)",
        )
    return inputs, oews


def role_model_metrics() -> dict[str, Any] | None:
    """Held-out metrics of the shipped role classifier, from its card (scalars only)."""
    from rolescope.enrich.roles.model import DEFAULT_MODEL, card_path_for

    card_path = card_path_for(DEFAULT_MODEL)
    if not card_path.is_file():
        return None
    card = json.loads(card_path.read_text(encoding="utf-8"))
    splits = {}
    for name, split in card.get("metrics", {}).get("splits", {}).items():
        model = split.get("model", {})
        splits[name] = {k: v for k, v in model.items() if isinstance(v, int | float)}
    return {"version": card.get("version"), "splits": splits}


def build_from_store(
    con: duckdb.DuckDBPyConnection, label: str, oews: Path | None, progress: Progress
) -> dict:
    """The snapshot's content computed from an existing store (which must be enriched)."""
    extras: dict[str, Any] = {
        "provenance": {"rolescope_version": __version__, "taxonomy_version": load_taxonomy().version},
        "role_model": role_model_metrics(),
    }
    if oews is not None:
        progress("OEWS wages")
        extras["oews"] = read_anchor_wages(oews)
    return build_snapshot_data(StoreMarket(con, label), extras, progress)


def build_from_shared_data(data_dir: Path, progress: Progress) -> dict:
    """Ingest the shared data into a throw-away store, extract skills, and aggregate."""
    inputs, oews = shared_inputs(data_dir)
    with tempfile.TemporaryDirectory(prefix="rolescope-snapshot-") as tmp:
        con = connect(Path(tmp) / "snapshot.duckdb")
        try:
            progress(f"ingesting {len(inputs)} files")
            ingest_sources(con, detect_all(inputs, IngestOptions()), IngestOptions())
            progress("extracting skills")
            enrich_skills(con)
            return build_from_store(con, "shared data", oews, progress)
        finally:
            con.close()


def encode_snapshot(data: dict) -> bytes:
    """Deterministic bytes: sorted keys, no whitespace, gzip with mtime 0."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write_snapshot(data: dict, out: Path) -> int:
    """Write atomically (temp file + rename); returns the size in bytes."""
    blob = encode_snapshot(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".snapshot-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(blob)
