"""What every benchmark result records about the run: the machine, the versions, the code's state."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine(*packages: str) -> dict[str, Any]:
    """Python, platform, cores, memory, the named packages' versions, the git head, the files under
    src/ that differ from it (a result measured on uncommitted code says so) and the load average."""
    mem_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    git = ["git", "-C", str(REPO)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True
    ).stdout
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        **{name: _version(name) for name in packages},
        "git_head": head or None,
        "uncommitted_in_src": [line[3:] for line in dirty.splitlines()],
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
