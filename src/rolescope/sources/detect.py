"""Recognise a file: its container (JSONL, CSV, Parquet, JSON) and its format (which schema).

Everything here runs before anything is written, so an unreadable input fails with one line and
leaves the store untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolescope.errors import InvalidInput, NotFound
from rolescope.models import POSTING_FIELDS, SALARY_FIELDS, BadRecord, RawRecord, RecordKind
from rolescope.sources import readers
from rolescope.sources.formats import (
    DETECTION_ORDER,
    FORMATS,
    SourceFormat,
    get_path,
    json_document_records,
)

CONTAINERS = ("jsonl", "csv", "parquet", "json")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".json": "json"}


@dataclass(slots=True)
class SourceFile:
    """A readable input: where it is, its container and format, and any --map overrides."""

    path: Path
    container: str
    format: SourceFormat
    field_map: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> RecordKind:
        return self.format.kind

    def iter_records(self, progress: readers.Progress = readers._noop) -> Iterator[RawRecord | BadRecord]:
        """Stream the file's records as canonical raw fields, bad ones as BadRecord."""
        for number, obj in self._iter_objects(progress):
            if isinstance(obj, BadRecord):
                yield obj
                continue
            try:
                fields = self.format.to_fields(obj)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                yield BadRecord(number, str(exc) or type(exc).__name__, _preview(obj))
                continue
            for canonical, column in self.field_map.items():
                fields[canonical] = get_path(obj, column)
            yield RawRecord(number, fields)

    def _iter_objects(self, progress: readers.Progress) -> Iterator[tuple[int, Any]]:
        if self.container == "jsonl":
            return readers.iter_jsonl(self.path, progress)
        if self.container == "csv":
            return readers.iter_csv(self.path, progress)
        if self.container == "parquet":
            return readers.iter_parquet(self.path, progress)
        return self._iter_document(progress)

    def _iter_document(self, progress: readers.Progress) -> Iterator[tuple[int, Any]]:
        records = json_document_records(readers.load_json_document(self.path))
        for number, obj in enumerate(records, start=1):
            if not isinstance(obj, dict):
                yield (
                    number,
                    BadRecord(number, f"expected a JSON object, found {type(obj).__name__}", _preview(obj)),
                )
            else:
                yield number, obj
        progress(len(records), len(records))


def _preview(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)[: readers.RAW_PREVIEW_CHARS]


def sniff_container(path: Path) -> str:
    """Tell JSONL, CSV, Parquet and JSON apart by content (the extension only breaks ties)."""
    with open(path, "rb") as fh:
        if fh.read(4) == readers.PARQUET_MAGIC:
            return "parquet"
    head = readers.read_head(path)
    if not head.strip():
        raise InvalidInput(
            f"{path.name} is empty", hint="give a CSV, JSONL, JSON or Parquet file with records"
        )
    if b"\x00" in head:
        raise InvalidInput(
            f"{path.name} looks binary (it contains NUL bytes)",
            hint="rolescope reads CSV, JSONL, JSON and Parquet (optionally gzipped)",
        )
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return _json_or_jsonl(path, text)
    return "csv"


def _json_or_jsonl(path: Path, text: str) -> str:
    first_line = text.split("\n", 1)[0]
    try:
        obj = json.loads(first_line)
    except json.JSONDecodeError:
        return "json"  # a pretty-printed document, or a first line too long for the head
    if isinstance(obj, dict) and isinstance(obj.get("jobs"), list):
        return "json"
    return "jsonl" if _EXTENSIONS.get(_suffix(path)) != "json" else "json"


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return suffixes[-1] if suffixes else ""


def _first_keys(path: Path, container: str) -> set[str]:
    """Keys of the first record (a JSON document is read whole, then let go)."""
    if container == "json":
        first = next(iter(json_document_records(readers.load_json_document(path))), None)
        return set(first) if isinstance(first, dict) else set()
    readers_by_container = {
        "jsonl": readers.iter_jsonl,
        "csv": readers.iter_csv,
        "parquet": readers.iter_parquet,
    }
    records = readers_by_container[container](path)
    try:
        for _, obj in records:
            if isinstance(obj, dict):
                return set(obj)
    finally:
        records.close()  # run the reader's cleanup now, not at garbage collection
    return set()


def detect_format(path: Path, requested: str = "auto", field_map: dict[str, str] | None = None) -> SourceFile:
    """Open ``path`` far enough to know what it is; raise InvalidInput/NotFound with a fix if not."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"no such file: {path}")
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory", hint="give files, e.g. rolescope ingest data/*.csv")
    field_map = dict(field_map or {})
    try:
        container = sniff_container(path)
        keys = _first_keys(path, container)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path} ({exc.strerror or exc})") from None
    fmt = _choose_format(path, requested, keys | set(field_map.values()), field_map)
    missing = [c for c in field_map.values() if c.split(".")[0] not in keys]
    if missing and keys:
        raise InvalidInput(
            f"--map names column(s) {', '.join(missing)} that {path.name} does not have",
            hint=f"its columns are: {', '.join(sorted(keys)[:30])}",
        )
    return SourceFile(path, container, fmt, field_map)


def _choose_format(path: Path, requested: str, keys: set[str], field_map: dict[str, str]) -> SourceFormat:
    if requested != "auto":
        if requested not in FORMATS:
            raise InvalidInput(
                f"unknown --format '{requested}'", hint=f"choose auto or one of: {', '.join(FORMATS)}"
            )
        return FORMATS[requested]
    for name in DETECTION_ORDER:
        if FORMATS[name].matches(keys):
            return FORMATS[name]
    mapped = set(field_map)
    if "title" in mapped:
        return FORMATS["postings"]
    if {"job_title", "salary_in_usd"} <= mapped | keys:
        return FORMATS["aijobs-salaries"]
    shown = ", ".join(sorted(keys)[:20]) or "no columns"
    raise InvalidInput(
        f"could not recognise the format of {path.name} (found: {shown})",
        hint="pass --format (" + ", ".join(FORMATS) + ") or map columns, e.g. --map title=job_name "
        "--map description=body",
    )


def resolve_field_map(pairs: list[str]) -> dict[str, str]:
    """Parse ``--map field=column`` pairs, checking the field names against the canonical ones."""
    allowed = set(POSTING_FIELDS) | set(SALARY_FIELDS) | {"description_html"}
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not name or not column:
            raise InvalidInput(f"--map '{pair}' is not FIELD=COLUMN", hint="e.g. --map title=job_name")
        if name not in allowed:
            raise InvalidInput(
                f"--map field '{name}' is not a rolescope field", hint=f"fields: {', '.join(sorted(allowed))}"
            )
        result[name] = column
    return result
