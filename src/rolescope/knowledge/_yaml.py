"""Generic loading of curated YAML package data: strict parsing and one-line, located errors.

Every knowledge file (roles, seeds, skills) is read with :func:`parse_yaml`, which refuses
duplicate keys, and validated with :func:`validate`, which turns the first pydantic error into a
one-line :class:`~rolescope.errors.DataError` naming the file, the row (by its ``id``) and the
field. ``row_kinds`` maps a list or mapping key (``"roles"``) to the label of its rows (``"role"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from rolescope.errors import DataError, NotFound

_M = TypeVar("_M", bound=BaseModel)


def read_text(path: Path) -> str:
    """The file's text; a missing or unreadable file is a NotFound with the path."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise NotFound(f"cannot read {path}: {exc.strerror}", hint="check the path") from None


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, file: str) -> dict[str, Any]:
    """Parse ``text`` (named ``file`` in errors); the top level must be a mapping."""
    try:
        data = yaml.load(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "unknown line"
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(f"{file}: not valid YAML at {where}: {problem}") from None
    if not isinstance(data, dict):
        raise DataError(f"{file}: the top level must be a mapping, got {type(data).__name__}")
    return data


def validate(model: type[_M], data: Any, raw: Any, file: str, row_kinds: Mapping[str, str]) -> _M:
    """``model`` validated from ``data``; errors are located in ``raw`` (the rows as written)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where, field = locate(raw, error["loc"], row_kinds)
        raise DataError(f"{file}: {where}: {describe(error, field)}") from None


def locate(raw: Any, loc: tuple[Any, ...], row_kinds: Mapping[str, str]) -> tuple[str, str]:
    """Turn a pydantic location into ("role 'x', claim 'y'", "figure.unit") using the raw rows' ids."""
    rows: list[str] = []
    field = ""
    node, i = raw, 0
    while i < len(loc):
        key = loc[i]
        if key in row_kinds and not field and i + 1 < len(loc):
            index = loc[i + 1]
            node = _child(_child(node, key), index)
            rows.append(_row_label(row_kinds[key], node, index))
            i += 2
            continue
        if key == "[key]":
            field = field or "id"
        elif isinstance(key, int):
            field += f"[{key}]"
        else:
            field = f"{field}.{key}" if field else str(key)
        node, i = _child(node, key), i + 1
    return ", ".join(rows) or "top level", field


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _row_label(kind: str, row: Any, index: Any) -> str:
    if isinstance(index, str):
        return f"{kind} {index!r}"
    if isinstance(row, dict) and isinstance(row.get("id"), str):
        return f"{kind} {row['id']!r}"
    return f"{kind} #{index + 1}"


def describe(error: dict[str, Any], field: str) -> str:
    """One readable clause for one pydantic error on ``field``."""
    kind, value = error["type"], error.get("input")
    message = error["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return f"unknown field {field!r} (check the spelling; the fields are fixed)"
    if kind == "missing":
        return f"missing required field {field!r}" if field else "missing required fields"
    if kind == "literal_error":
        return f"{field} {_quote(value)} is not allowed (use {error['ctx']['expected']})"
    if not field or isinstance(value, dict | list):
        return f"{field}: {message}" if field else message
    joiner = " " if kind == "value_error" else ": "
    return f"{field} {_quote(value)}{joiner}{message[:1].lower()}{message[1:]}"


def _quote(value: Any) -> str:
    # Regexes read better unescaped: '\bml\b' rather than repr's doubled backslashes.
    return f"'{value}'" if isinstance(value, str) else repr(value)
