"""Settings, read from the environment (prefix ROLESCOPE_) when built, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Per-user data directory: $XDG_DATA_HOME/rolescope, else ~/.local/share/rolescope."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rolescope"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where rolescope keeps its store and downloaded datasets.

    Examples
    --------
    >>> Settings.from_env({"ROLESCOPE_DB": "/tmp/x.duckdb"}).db_path
    PosixPath('/tmp/x.duckdb')
    """

    db_path: Path
    data_dir: Path
    # DuckDB's working memory; beyond it DuckDB spills to disk, which keeps a large load's memory flat.
    memory_limit: str = "512MB"

    @classmethod
    def from_env(
        cls, environ: dict[str, str] | None = None, *, db: str | os.PathLike | None = None
    ) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env["ROLESCOPE_DATA_DIR"]) if env.get("ROLESCOPE_DATA_DIR") else default_data_dir(env)
        if db is not None:
            db_path = Path(db)
        elif env.get("ROLESCOPE_DB"):
            db_path = Path(env["ROLESCOPE_DB"])
        else:
            db_path = data_dir / "rolescope.duckdb"
        memory_limit = env.get("ROLESCOPE_MEMORY_LIMIT") or "512MB"
        return cls(db_path=db_path.expanduser(), data_dir=data_dir.expanduser(), memory_limit=memory_limit)
