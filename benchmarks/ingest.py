"""Ingest benchmark: the real shared data in one command, a second run, a forced re-read, memory on a
scaled file, and what a corrupted file does. Writes benchmarks/results/ingest.json.

Run: python benchmarks/ingest.py [--shared ../shared/data] [--scale 8]
Every figure comes from running the real CLI in a subprocess on this machine; peak memory is the
child's max RSS (getrusage). Absolute times drift on shared machines: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "ingest.json"


def run(args: list[str], db: Path, memory_limit: str | None = None) -> dict:
    """Run `rolescope ARGS` in a fresh process; return exit code, seconds, peak RSS and parsed output."""
    env = {**os.environ, "ROLESCOPE_DB": str(db)}
    if memory_limit:
        env["ROLESCOPE_MEMORY_LIMIT"] = memory_limit
    code = (
        f"import resource, runpy, sys; sys.argv = ['rolescope'] + {args!r}\n"
        "try:\n    runpy.run_module('rolescope', run_name='__main__')\n"
        "finally:\n    print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    rss_kb = max(
        (int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS")), default=0
    )
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("MAXRSS")]
    try:
        output = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        output = {"unparsed_stdout_head": proc.stdout[:2000]}
    return {
        "exit": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "stderr": errors,
        "output": output,
    }


def tables(db: Path) -> dict:
    return run(["db", "info", "--format", "json"], db)["output"]["tables"]


def scaled_copy(src: Path, copies: int, out: Path) -> Path:
    header, _, body = src.read_text().partition("\n")
    body = body.rstrip("\n")
    with open(out, "w") as fh:
        fh.write(header + "\n")
        for _ in range(copies):
            fh.write(body + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--scale", type=int, default=16, help="copies of the salary survey for the memory check"
    )
    opts = parser.parse_args()
    salaries = opts.shared / "salaries" / "aijobs_salaries.csv"
    postings = sorted((opts.shared / "postings").glob("*.jsonl.gz"))
    inputs = [salaries, *postings]
    result: dict = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "inputs": {p.name: p.stat().st_size for p in inputs},
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        db = tmpdir / "bench.duckdb"
        first = run(["ingest", *map(str, inputs), "--output", "json"], db)
        result["first_run"] = first
        if first["exit"] != 0:
            raise SystemExit(f"the first ingest failed (exit {first['exit']}): {first['stderr'][-3:]}")
        result["tables_after_first_run"] = tables(db)
        result["second_run"] = run(["ingest", *map(str, inputs), "--output", "json"], db)
        result["forced_reread"] = run(["ingest", *map(str, inputs), "--output", "json", "--force"], db)
        result["tables_after_reruns"] = tables(db)
        result["corrupted_file"] = corrupted(tmpdir, db, postings[0])
        result["memory"] = memory_scaling(tmpdir, salaries, opts.scale)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    report(result)


def corrupted(tmpdir: Path, db: Path, good_gz: Path) -> dict:
    """A gzip cut in half (found mid-read, after other files loaded in the same run) and a binary file."""
    cut = tmpdir / "cut.jsonl.gz"
    data = good_gz.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    binary = tmpdir / "photo.jsonl"
    binary.write_bytes(bytes(range(256)) * 64)
    before = tables(db)
    fresh = tmpdir / "fresh.duckdb"
    out = {"truncated_gzip": run(["ingest", str(cut)], fresh), "binary": run(["ingest", str(binary)], db)}
    out["existing_store_unchanged"] = tables(db) == before
    out["fresh_store_tables_after_truncated"] = tables(fresh) if fresh.exists() else {}
    return out


def memory_scaling(tmpdir: Path, salaries: Path, scale: int) -> list[dict]:
    """Peak RSS as the input grows, with the default DuckDB memory limit and with 256MB."""
    rows = []
    for copies in (1, scale // 2, scale):
        path = scaled_copy(salaries, copies, tmpdir / f"salaries_x{copies}.csv")
        for limit in (None, "256MB"):
            db = tmpdir / f"mem_x{copies}_{limit}.duckdb"
            r = run(["ingest", str(path), "--output", "json"], db, memory_limit=limit)
            read = (r["output"] or {}).get("totals", {}).get("read")
            rows.append(
                {
                    "copies": copies,
                    "memory_limit": limit or "default (512MB)",
                    "file_mb": round(path.stat().st_size / 1e6, 1),
                    "rows": read,
                    "seconds": r["seconds"],
                    "rows_per_second": round(read / r["seconds"]) if read else None,
                    "peak_rss_mb": r["peak_rss_mb"],
                    "exit": r["exit"],
                }
            )
            db.unlink(missing_ok=True)
        path.unlink()
    return rows


def report(r: dict) -> None:
    first = r["first_run"]
    totals = first["output"]["totals"] if isinstance(first["output"], dict) else {}
    print(
        f"first run: {first['seconds']} s, {totals.get('read', 0) / first['seconds']:,.0f} rows/s, "
        f"peak RSS {first['peak_rss_mb']} MB, totals {totals}"
    )
    for f in first["output"]["files"] if isinstance(first["output"], dict) else []:
        print(
            f"  {Path(f['path']).name}: read {f['read']:,} loaded {f['loaded']:,} dup {f['duplicates']:,} "
            f"near-dup {f['near_duplicates']:,} quarantined {f['quarantined']:,} {f['quarantine_reasons']}"
        )
    print("tables:", r["tables_after_first_run"])
    second, forced = r["second_run"], r["forced_reread"]
    print(
        f"second run: {second['seconds']} s, loaded {second['output']['totals']['loaded']}; "
        f"forced re-read: {forced['seconds']} s, loaded {forced['output']['totals']['loaded']}"
    )
    print("tables after re-runs:", r["tables_after_reruns"])
    c = r["corrupted_file"]
    print(
        f"truncated gzip: exit {c['truncated_gzip']['exit']} {c['truncated_gzip']['stderr']}; "
        f"binary: exit {c['binary']['exit']} {c['binary']['stderr']}; existing store unchanged: "
        f"{c['existing_store_unchanged']}"
    )
    for m in r["memory"]:
        print(
            f"memory: x{m['copies']} ({m['file_mb']} MB, {m['rows']} rows), "
            f"DuckDB limit {m['memory_limit']}: {m['seconds']} s, {m['rows_per_second']} rows/s, "
            f"peak RSS {m['peak_rss_mb']} MB, exit {m['exit']}"
        )
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
