"""Streaming readers for the containers rolescope accepts: JSONL, CSV, Parquet and JSON documents.

Each reader yields ``(record_number, obj)`` where ``obj`` is a dict or a :class:`BadRecord`, and
reports progress through a callback taking ``(done, total)`` in bytes (rows for Parquet).
Undecodable bytes are kept with ``surrogateescape`` so one bad line is quarantined, not fatal.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from rolescope.errors import InvalidInput
from rolescope.models import BadRecord

Progress = Callable[[int, int], None]
RAW_PREVIEW_CHARS = 4000
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"

CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)  # descriptions can be far longer than csv's 128 KB default


def _noop(done: int, total: int) -> None:
    return None


def open_binary(path: Path) -> tuple[BinaryIO, BinaryIO]:
    """Open a file, transparently gunzipping; returns (stream, raw file) for progress by raw position."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through the returned pair
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    raw.seek(0)
    return raw, raw


def read_head(path: Path, size: int = 64 * 1024) -> bytes:
    """The first ``size`` bytes of the (decompressed) file; raises InvalidInput on a corrupt gzip."""
    stream, raw = open_binary(path)
    try:
        return stream.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise InvalidInput(f"{path.name} is not a readable gzip file ({exc})") from None
    finally:
        raw.close()


def has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _text_stream(stream: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _corrupt(path: Path, exc: BaseException) -> InvalidInput:
    return InvalidInput(
        f"{path.name} is truncated or corrupt ({type(exc).__name__}: {exc})",
        hint="nothing was written; re-download or repair the file and run again",
    )


def iter_jsonl(path: Path, progress: Progress = _noop) -> Iterator[tuple[int, dict[str, Any] | BadRecord]]:
    total = path.stat().st_size
    stream, raw = open_binary(path)
    try:
        for number, line in enumerate(_text_stream(stream), start=1):
            if number % 2000 == 0:
                progress(raw.tell(), total)
            if not line.strip():
                continue
            yield number, _parse_json_line(number, line)
    except (OSError, EOFError, zlib.error) as exc:
        raise _corrupt(path, exc) from None
    finally:
        raw.close()
    progress(total, total)


def _parse_json_line(number: int, line: str) -> dict[str, Any] | BadRecord:
    preview = line[:RAW_PREVIEW_CHARS]
    if has_surrogates(line):
        return BadRecord(number, "invalid UTF-8 bytes", preview.encode("utf-8", "replace").decode())
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadRecord(number, f"not valid JSON ({exc.msg} at column {exc.colno})", preview)
    if not isinstance(obj, dict):
        return BadRecord(number, f"expected a JSON object, found {type(obj).__name__}", preview)
    return obj


def iter_csv(path: Path, progress: Progress = _noop) -> Iterator[tuple[int, dict[str, Any] | BadRecord]]:
    total = path.stat().st_size
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    stream, raw = open_binary(path)
    try:
        reader = csv.reader(_text_stream(stream))
        header = next(reader, None)
        if not header:
            return
        header = [h.strip() for h in header]
        start = reader.line_num + 1
        for count, row in enumerate(reader, start=1):
            if count % 2000 == 0:
                progress(raw.tell(), total)
            line, start = start, reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield line, _csv_record(line, header, row)
    except (OSError, EOFError, zlib.error, csv.Error) as exc:
        raise _corrupt(path, exc) from None
    finally:
        raw.close()
    progress(total, total)


def _csv_record(line: int, header: list[str], row: list[str]) -> dict[str, Any] | BadRecord:
    preview = ",".join(row)[:RAW_PREVIEW_CHARS]
    if len(row) != len(header):
        return BadRecord(line, f"expected {len(header)} fields, found {len(row)}", _printable(preview))
    if any(has_surrogates(v) for v in row):
        return BadRecord(line, "invalid UTF-8 bytes", _printable(preview))
    return dict(zip(header, row, strict=True))


def _printable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def iter_parquet(path: Path, progress: Progress = _noop) -> Iterator[tuple[int, dict[str, Any] | BadRecord]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InvalidInput(f"{path.name} is not a readable Parquet file ({exc})") from None
    total, number = pf.metadata.num_rows, 0
    try:
        for batch in pf.iter_batches(batch_size=4096):
            for obj in batch.to_pylist():
                number += 1
                yield number, obj
            progress(number, total)
    except OSError as exc:
        raise _corrupt(path, exc) from None
    finally:
        pf.close()


def load_json_document(path: Path) -> Any:
    """Read a whole JSON document (a board's jobs). Raises InvalidInput when it is not JSON."""
    stream, raw = open_binary(path)
    try:
        data = stream.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise _corrupt(path, exc) from None
    finally:
        raw.close()
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path.name} is not valid JSON ({exc})") from None
