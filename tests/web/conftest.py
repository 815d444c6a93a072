"""A real ``rolescope serve`` on a free loopback port, as a user runs it: a subprocess with uvicorn.

``running_server`` starts one (with its own working folder and TMPDIR, so a test can check that
nothing was written there), waits until /api/v1/health answers and stops it at the end. The browser
tests import it from here.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

MATCH_BENCH_STORE = Path(os.environ.get("ROLESCOPE_WEB_TEST_STORE", "/tmp/match_bench.duckdb"))
START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class Server:
    """A running server: its base URL, working folder, TMPDIR, log file and process."""

    url: str
    cwd: Path
    tmpdir: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"the server did not answer within {START_TIMEOUT_S:.0f} s:\n{log.read_text()[-3000:]}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly (and the service closes)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextmanager
def running_server(folder: Path, *args: str) -> Iterator[Server]:
    """``python -m rolescope serve --port <free> *args`` with ``folder/cwd`` as its working folder and
    ``folder/tmp`` as its TMPDIR; yields once /api/v1/health answers."""
    cwd, tmpdir = folder / "cwd", folder / "tmp"
    cwd.mkdir(parents=True, exist_ok=True)
    tmpdir.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    env.pop("ROLESCOPE_DB", None)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "rolescope", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Server(url, cwd, tmpdir, log, process)
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on the embedded snapshot (no store), one per test module."""
    with running_server(tmp_path_factory.mktemp("web-snapshot"), "--source", "snapshot") as srv:
        yield srv


@pytest.fixture(scope="module")
def store_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on a copy of an enriched store with a search index (benchmarks/advisor_match.py builds
    /tmp/match_bench.duckdb); skips, saying so, when that store is absent."""
    if not MATCH_BENCH_STORE.is_file():
        pytest.skip(
            f"no enriched store at {MATCH_BENCH_STORE} (build it with benchmarks/advisor_match.py "
            "or set ROLESCOPE_WEB_TEST_STORE)"
        )
    folder = tmp_path_factory.mktemp("web-store")
    db = folder / "web_tests.duckdb"
    shutil.copyfile(MATCH_BENCH_STORE, db)
    with running_server(folder, "--db", str(db)) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.api, timeout=60) as client:
        yield client
