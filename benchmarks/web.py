"""Load test of the web app on loopback: pages and API calls under concurrent clients. Writes
benchmarks/results/web.json.

A real ``rolescope serve --source snapshot`` (uvicorn, one worker) runs in a subprocess on a free
127.0.0.1 port. Each URL of the mix is requested once to warm the app's caches (those first
latencies are reported as ``warm_up_ms``). Then two phases of ``--seconds`` each, with ``--clients``
asyncio tasks sharing one ``httpx.AsyncClient`` (keep-alive, one connection per client); each task
picks a request from the weighted mix (seeded), sends it and reads the whole body:

- saturated: the next request goes out at once (a closed loop with no think time), so the server is
  never idle and latency includes queueing behind the other clients;
- paced: each client pauses ``--paced-think`` seconds on average (exponential) between requests,
  like people reading pages: the latency of a busy but not saturated server.

Every run is bounded in time and in requests (``--max-requests`` per phase) and sends traffic to
loopback only. Recorded per endpoint and phase: count, p50/p95/p99/max latency (ms, request sent to
body read) and errors (non-2xx or exceptions, with the first few messages); totals, throughput, and
the CPU seconds of the server and of this load generator (both share the machine's cores, so the
generator's share is CPU the server did not get).

Targets (from the issue): p95 under 300 ms for pages and under 100 ms for cached aggregates (API
answers from the service's cache, or static), 0 errors. Calls that compute on every request (the
growth simulation, role fit) have no target; their figures are shown beside the others.

Run: python benchmarks/web.py [--clients 20] [--seconds 60] [--paced-think 1.0] [--db STORE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "web.json"
RESUME = (
    "ML engineer, 4 years. Python, PyTorch and scikit-learn models for fraud detection; deployed on "
    "Kubernetes with MLflow and Docker; SQL, Airflow and Spark pipelines; a RAG prototype with LangChain."
)
TARGET_MS = {"page": 300.0, "cached": 100.0}


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # page, cached (aggregate answered from the cache), compute (work on every call)
    weight: int
    path: str
    method: str = "GET"
    form: dict[str, str] | None = None


MIX = (
    Endpoint("page /", "page", 3, "/"),
    Endpoint("page /salaries ml by level", "page", 3, "/salaries?role=ml_engineer&by=level"),
    Endpoint("page /skills", "page", 2, "/skills"),
    Endpoint("page /roles", "page", 1, "/roles"),
    Endpoint("page /quiz", "page", 1, "/quiz"),
    Endpoint("page /advisor", "page", 1, "/advisor"),
    Endpoint("api health", "cached", 1, "/api/v1/health"),
    Endpoint("api salaries ai by level", "cached", 3, "/api/v1/salaries?role=ai_engineer&by=level"),
    Endpoint("api skills ai vs ml", "cached", 2, "/api/v1/skills?role=ai_engineer&vs=ml_engineer"),
    Endpoint("api compare", "cached", 2, "/api/v1/compare?a=ai_engineer&b=ml_engineer"),
    Endpoint("api quiz", "cached", 1, "/api/v1/quiz"),
    Endpoint("api simulate ml mid", "compute", 1, "/api/v1/advise/simulate?role=ml_engineer&level=mid"),
    Endpoint("api advise/fit (POST)", "compute", 1, "/api/v1/advise/fit", "POST", {"text": RESUME}),
)


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(message[:300])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, args: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "ROLESCOPE_DB"}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "rolescope", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer within 120 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def send(client: httpx.AsyncClient, endpoint: Endpoint) -> httpx.Response:
    if endpoint.method == "POST":
        return await client.post(endpoint.path, data=endpoint.form)
    return await client.get(endpoint.path)


async def warm_up(client: httpx.AsyncClient) -> dict[str, float]:
    """Each URL once, in order: the first call fills the app's caches."""
    first: dict[str, float] = {}
    for endpoint in MIX:
        t0 = time.perf_counter()
        response = await send(client, endpoint)
        first[endpoint.name] = round((time.perf_counter() - t0) * 1000, 1)
        if response.status_code != 200:
            raise SystemExit(
                f"warm-up: {endpoint.name} answered {response.status_code}: {response.text[:300]}"
            )
    return first


async def one_client(
    client: httpx.AsyncClient,
    rng: random.Random,
    deadline: float,
    think: float,
    budget: list[int],
    tallies: dict[str, Tally],
) -> None:
    weights = [e.weight for e in MIX]
    while time.perf_counter() < deadline and budget[0] > 0:
        budget[0] -= 1
        endpoint = rng.choices(MIX, weights)[0]
        tally = tallies[endpoint.name]
        t0 = time.perf_counter()
        try:
            response = await send(client, endpoint)
            elapsed = (time.perf_counter() - t0) * 1000
            if 200 <= response.status_code < 300:
                tally.latencies_ms.append(elapsed)
            else:
                tally.error(f"HTTP {response.status_code}: {response.text[:200]}")
        except httpx.HTTPError as exc:
            tally.error(f"{type(exc).__name__}: {exc}")
        if think:
            await asyncio.sleep(rng.expovariate(1 / think))


async def run_phase(
    client: httpx.AsyncClient, opts: argparse.Namespace, think: float, server_pid: int
) -> dict[str, Any]:
    """``opts.clients`` closed-loop clients for ``opts.seconds``, pausing ``think`` s on average."""
    tallies = {e.name: Tally() for e in MIX}
    budget = [opts.max_requests]
    server0, client0 = cpu_seconds(server_pid), resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    deadline = started + opts.seconds
    await asyncio.gather(
        *(
            one_client(client, random.Random(opts.seed + i), deadline, think, budget, tallies)
            for i in range(opts.clients)
        )
    )
    wall = time.perf_counter() - started
    client1 = resource.getrusage(resource.RUSAGE_SELF)
    used = client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime
    return {
        "tallies": tallies,
        "wall_seconds": wall,
        "think_seconds": think,
        "cpu_seconds": {
            "server": round(cpu_seconds(server_pid) - server0, 1),
            "load_generator": round(used, 1),
        },
    }


async def load(base: str, opts: argparse.Namespace, server_pid: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=opts.clients, max_keepalive_connections=opts.clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        first = await warm_up(client)
        phases = {"saturated": await run_phase(client, opts, 0.0, server_pid)}
        if opts.paced_think > 0:
            phases["paced"] = await run_phase(client, opts, opts.paced_think, server_pid)
    return {"warm_up_ms": first, "phases": phases}


def summarize(latencies: list[float]) -> dict[str, Any]:
    if not latencies:
        return {"count": 0}
    ms = np.array(latencies)
    return {
        "count": len(latencies),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "p99_ms": round(float(np.percentile(ms, 99)), 1),
        "max_ms": round(float(ms.max()), 1),
        "mean_ms": round(float(ms.mean()), 1),
    }


def figures(phase: dict[str, Any], warm_up_ms: dict[str, float]) -> dict[str, Any]:
    endpoints: dict[str, Any] = {}
    by_kind: dict[str, list[float]] = {}
    tallies: dict[str, Tally] = phase["tallies"]
    for e in MIX:
        stats = summarize(tallies[e.name].latencies_ms)
        target = TARGET_MS.get(e.kind)
        endpoints[e.name] = {
            "kind": e.kind,
            **stats,
            "errors": tallies[e.name].errors,
            "error_examples": tallies[e.name].error_examples,
            "warm_up_ms": warm_up_ms[e.name],
            "target_p95_ms": target,
            "meets_target": None if target is None or not stats["count"] else stats["p95_ms"] < target,
        }
        by_kind.setdefault(e.kind, []).extend(tallies[e.name].latencies_ms)
    ok = sum(len(t.latencies_ms) for t in tallies.values())
    errors = sum(t.errors for t in tallies.values())
    everything = [x for t in tallies.values() for x in t.latencies_ms]
    missed = [n for n, e in endpoints.items() if e["meets_target"] is False]
    return {
        "think_seconds": phase["think_seconds"],
        "endpoints": endpoints,
        "kinds": {kind: summarize(values) for kind, values in by_kind.items()},
        "totals": {
            "requests": ok + errors,
            "ok": ok,
            "errors": errors,
            "wall_seconds": round(phase["wall_seconds"], 1),
            "requests_per_second": round((ok + errors) / phase["wall_seconds"], 1),
            **{k: v for k, v in summarize(everything).items() if k != "count"},
        },
        "cpu_seconds": phase["cpu_seconds"],
        "verdict": {"targets_met": not missed and errors == 0, "missed": missed, "errors": errors},
    }


def machine() -> dict[str, Any]:
    from machine import machine as describe

    return describe("fastapi", "uvicorn", "httpx")


def table(name: str, phase: dict[str, Any]) -> str:
    head = (
        f"{'endpoint':30}{'kind':>8}{'n':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'err':>5}"
        f"{'warm-up':>9}  target"
    )
    rule = "-" * (len(head) + 12)
    lines = [f"{name}: think time {phase['think_seconds']} s", head, rule]
    for label, e in phase["endpoints"].items():
        if not e["count"]:
            lines.append(f"{label:30}{e['kind']:>8}{0:>7}{'':>32}{e['errors']:>5}")
            continue
        verdict = "-"
        if e["target_p95_ms"] is not None:
            verdict = f"p95<{e['target_p95_ms']:.0f} {'ok' if e['meets_target'] else 'MISSED'}"
        lines.append(
            f"{label:30}{e['kind']:>8}{e['count']:>7}{e['p50_ms']:>8.1f}{e['p95_ms']:>8.1f}"
            f"{e['p99_ms']:>8.1f}{e['max_ms']:>8.1f}{e['errors']:>5}{e['warm_up_ms']:>9.1f}  {verdict}"
        )
    lines.append(rule)
    for kind, k in phase["kinds"].items():
        if k["count"]:
            lines.append(
                f"{'all ' + kind:30}{'':>8}{k['count']:>7}{k['p50_ms']:>8.1f}{k['p95_ms']:>8.1f}"
                f"{k['p99_ms']:>8.1f}{k['max_ms']:>8.1f}"
            )
    t, cpu, verdict = phase["totals"], phase["cpu_seconds"], phase["verdict"]
    lines.append(
        f"total {t['requests']:,} requests in {t['wall_seconds']} s ({t['requests_per_second']}/s), "
        f"{t['errors']} errors; CPU s: server {cpu['server']}, load generator {cpu['load_generator']}"
    )
    missed = f" (missed: {', '.join(verdict['missed'])})" if verdict["missed"] else ""
    lines.append(f"targets met: {verdict['targets_met']}{missed}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (closed loop)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each phase runs")
    parser.add_argument(
        "--paced-think", type=float, default=1.0, help="mean pause (s) of the paced phase; 0 skips it"
    )
    parser.add_argument("--max-requests", type=int, default=500_000, help="a hard cap per phase")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", type=Path, help="serve this store instead of the embedded snapshot")
    parser.add_argument("--out", type=Path, default=RESULTS)
    opts = parser.parse_args()
    if not 1 <= opts.clients <= 200 or not 0 < opts.seconds <= 600 or opts.paced_think < 0:
        parser.error("--clients must be 1..200, --seconds 0..600 and --paced-think >= 0 (runs are bounded)")
    server_args = ["--db", str(opts.db)] if opts.db else ["--source", "snapshot"]
    port = free_port()
    report: dict[str, Any] = {"machine": machine()}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rolescope-web-bench-") as folder:
        server = start_server(port, server_args, Path(folder) / "server.log")
        startup = time.perf_counter() - started
        try:
            run = asyncio.run(load(f"http://127.0.0.1:{port}", opts, server.pid))
            server_rss = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report["inputs"] = {
        "server": ["rolescope", "serve", *server_args],
        "address": "127.0.0.1 (loopback)",
        "clients": opts.clients,
        "seconds_per_phase": opts.seconds,
        "phases": {"saturated": 0.0, **({"paced": opts.paced_think} if opts.paced_think > 0 else {})},
        "seed": opts.seed,
        "mix": [
            {"name": e.name, "kind": e.kind, "weight": e.weight, "method": e.method, "path": e.path}
            for e in MIX
        ],
        "targets_p95_ms": TARGET_MS,
    }
    report["phases"] = {name: figures(phase, run["warm_up_ms"]) for name, phase in run["phases"].items()}
    report["server"] = {"startup_seconds": round(startup, 1), "rss_mb_at_end": server_rss}
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    for name, phase in report["phases"].items():
        print(table(name, phase))
        print()
    print(f"wrote {opts.out}")


if __name__ == "__main__":
    main()
