"""Loading files into the store: detect, stream, normalize, stage, merge, all in one transaction.

Either every file of a run lands, or none does: a crash, Ctrl-C or an unreadable file mid-way
rolls the whole run back, and the store is as it was.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from rolescope import __version__
from rolescope.errors import Interrupted
from rolescope.ingest.rows import Rejected, posting_row, salary_row
from rolescope.models import BadRecord, LoadSummary, RawRecord
from rolescope.sources import SourceFile, detect_format
from rolescope.store import loads as store_loads
from rolescope.store.connection import on_interrupt

ProgressFn = Callable[[str, int, int], None]
BATCH_ROWS = 2_000


@dataclass(slots=True)
class IngestOptions:
    """How to read the inputs: --format, --map pairs, and whether to re-read files loaded before."""

    format: str = "auto"
    field_map: dict[str, str] = field(default_factory=dict)
    force: bool = False


def _no_progress(path: str, done: int, total: int) -> None:
    return None


def detect_all(paths: Iterable[Path], options: IngestOptions) -> list[SourceFile]:
    """Recognise every input before anything is written (so a bad one changes nothing)."""
    return [detect_format(Path(p), options.format, options.field_map) for p in paths]


def ingest_sources(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    options: IngestOptions,
    progress: ProgressFn = _no_progress,
) -> list[LoadSummary]:
    """Load every source in one transaction; returns one summary per source."""
    # The transaction rolls back first, then Ctrl-C becomes the one-line message.
    interrupted = on_interrupt(lambda: Interrupted("interrupted; the store was left as it was"))
    with interrupted, store_loads.transaction(con):
        return [_ingest_one(con, src, options, progress) for src in sources]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _ingest_one(
    con: duckdb.DuckDBPyConnection, src: SourceFile, options: IngestOptions, progress: ProgressFn
) -> LoadSummary:
    summary = LoadSummary(path=str(src.path), format=src.format.name, kind=src.kind)
    sha = file_sha256(src.path)
    if not options.force and store_loads.find_completed_load(con, sha, src.format.name, src.field_map):
        summary.skipped_file = True
        return summary
    load_id = uuid.uuid4().hex
    store_loads.start_load(
        con,
        load_id=load_id,
        source_path=str(src.path.resolve()),
        file_name=src.path.name,
        file_sha256=sha,
        file_bytes=src.path.stat().st_size,
        fmt=src.format.name,
        kind=src.kind,
        field_map=src.field_map,
        version=__version__,
    )
    store_loads.create_stage(con, src.kind)
    _stream_into_stage(con, src, load_id, sha, summary, progress)
    _merge(con, src.kind, load_id, summary)
    store_loads.drop_stage(con, src.kind)  # on failure the rollback discards the stage with everything else
    store_loads.finish_load(con, load_id, summary)
    return summary


def _stream_into_stage(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    load_id: str,
    sha: str,
    summary: LoadSummary,
    progress: ProgressFn,
) -> None:
    rows: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    reasons: Counter[str] = Counter()
    make_row = _row_maker(src.kind, load_id)
    for record in src.iter_records(lambda done, total: progress(str(src.path), done, total)):
        summary.read += 1
        outcome = _normalize(record, make_row)
        if isinstance(outcome, dict):
            rows.append(outcome)
        else:
            reasons[_reason_key(outcome.reason)] += 1
            bad.append(_quarantine_row(outcome, load_id, sha, src.path))
        if len(rows) >= BATCH_ROWS:
            store_loads.append_stage(con, src.kind, rows)
            rows = []
        if len(bad) >= BATCH_ROWS:
            store_loads.append_quarantine(con, bad)
            bad = []
    store_loads.append_stage(con, src.kind, rows)
    store_loads.append_quarantine(con, bad)
    summary.quarantined = sum(reasons.values())
    summary.quarantine_reasons = dict(reasons.most_common())


def _row_maker(kind: str, load_id: str) -> Callable[[RawRecord], dict[str, Any]]:
    if kind == "posting":
        return lambda r: posting_row(r.fields, load_id=load_id, line=r.line)
    max_year = date.today().year + 1
    return lambda r: salary_row(r.fields, load_id=load_id, line=r.line, max_year=max_year)


def _normalize(
    record: RawRecord | BadRecord, make_row: Callable[[RawRecord], dict[str, Any]]
) -> dict[str, Any] | BadRecord:
    if isinstance(record, BadRecord):
        return record
    try:
        row = make_row(record)
        _check_encodable(row)
    except Rejected as exc:
        return BadRecord(record.line, str(exc), _raw_preview(record.fields))
    except Exception as exc:  # a value no normalizer foresaw: set the row aside, never stop the load
        reason = f"cannot normalize ({type(exc).__name__}: {str(exc)[:200]})"
        return BadRecord(record.line, reason, _raw_preview(record.fields))
    return row


def _check_encodable(row: dict[str, Any]) -> None:
    """JSON escapes can smuggle lone surrogates ("\\ud800") past the reader's UTF-8 check."""
    for name, value in row.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise Rejected(f"{name} contains invalid Unicode (a lone surrogate)") from None


def _raw_preview(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=True, default=str)[:4000]


def _reason_key(reason: str) -> str:
    """Group reasons by the text before the quoted value ("work_year 'x' ..." -> "work_year")."""
    for marker in (" '", ' "', " ("):
        if marker in reason:
            return reason.split(marker, 1)[0]
    return reason


def _quarantine_row(bad: BadRecord, load_id: str, sha: str, path: Path) -> dict[str, Any]:
    return {
        "quarantine_id": hashlib.sha256(f"{sha}:{bad.line}".encode()).hexdigest()[:32],
        "load_id": load_id,
        "source_path": str(path),
        "line": bad.line,
        "reason": bad.reason,
        "raw": bad.raw,
    }


def _merge(con: duckdb.DuckDBPyConnection, kind: str, load_id: str, summary: LoadSummary) -> None:
    if kind == "posting":
        staged, summary.loaded = store_loads.merge_postings(con)
        summary.near_duplicates = store_loads.mark_near_duplicates(con, load_id)
    else:
        staged, summary.loaded = store_loads.merge_salary_records(con)
    summary.duplicates = staged - summary.loaded
