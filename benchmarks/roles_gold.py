"""How far title labels can be trusted, and the role classifier against content labels.

Reads ``benchmarks/data/roles_gold.csv`` (content labels for a stratified sample of the model
card's ``source_id`` test split; how they were made: ``roles_gold.README.md``), finds those
postings in the store, and scores three readers against the content labels, weighted back to the
whole test split with bootstrap 95% intervals:

- the title normalizer (the labels the card trains and scores on);
- the shipped classifier (title blanked from the text, as in the card);
- the keyword rule baseline from the card.

It also scores the classifier against the title labels on the same sample, which should land near
the card's figure, so the two tables can be read side by side. Rows labelled ``unclear`` are
left out and counted.

Run: python benchmarks/roles_gold.py --db STORE [--model PATH]   (writes benchmarks/results/roles_gold.json)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "benchmarks" / "data" / "roles_gold.csv"
RESULTS = REPO / "benchmarks" / "results" / "roles_gold.json"


def read_gold(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {row["posting_id"]: row for row in csv.DictReader(lines)}


def keyword_role(text: str, title: str) -> tuple[str, float]:
    """The card's keyword-rule baseline for one posting: (role, AI-minus-ML hits)."""
    import re

    from rolescope.enrich.roles.features import mask_title
    from rolescope.knowledge.roles import canonical_title, load_roles

    roles = [r for r in load_roles().roles if r.title_patterns]
    canonical = canonical_title(mask_title(text, title))
    hits = {r.id: sum(len(re.findall(p, canonical)) for p in r.title_patterns) for r in roles}
    best = max(hits, key=lambda r: hits[r])  # first in knowledge-base order on a tie, like argmax
    return (best if hits[best] else "other"), float(hits["ai_engineer"] - hits["ml_engineer"])


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="store holding the shared postings")
    parser.add_argument("--model", type=Path, help="role model to score (default: the shipped one)")
    parser.add_argument("--reps", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import numpy as np

    from rolescope.enrich.roles.audit import SampleRow, bootstrap, weighted_scores
    from rolescope.enrich.roles.model import DEFAULT_MODEL, RoleModel, softmax
    from rolescope.enrich.roles.train import source_id_test_postings
    from rolescope.store import connect
    from rolescope.store.enrichment import canonical_postings

    gold = read_gold(GOLD)
    con = connect(args.db, read_only=True)
    rows = canonical_postings(con).to_pylist()
    con.close()
    model = RoleModel.load(args.model or DEFAULT_MODEL)
    strata: Counter[str] = Counter()
    found: dict[str, dict[str, Any]] = {}
    for row in source_id_test_postings(rows):
        strata[row["label"]] += 1
        if row["posting_id"] in gold:
            found[row["posting_id"]] = row
    missing = sorted(set(gold) - set(found))
    if missing:
        raise SystemExit(
            f"{len(missing)} labelled postings are not in the store's test split (e.g. {missing[0]}); "
            "ingest ../shared/data/postings/*.jsonl.gz into it"
        )

    sample: list[SampleRow] = []
    by_model, by_title, by_rule = {}, {}, {}
    lean_model, lean_title, lean_rule = {}, {}, {}
    unclear = 0
    classes = model.classes
    for key, g in sorted(gold.items()):
        row = found[key]
        if g["role"] == "unclear":
            unclear += 1
            continue
        sample.append(SampleRow(key, row["label"], g["role"], strata[row["label"]]))
        idx, values = model.vectorizer.sparse(model.featurizer(row["description"], row["title"]))
        probs = softmax(model.logits(idx, values))
        by_model[key] = classes[int(np.argmax(probs))]
        lean_model[key] = float(probs[classes.index("ai_engineer")] - probs[classes.index("ml_engineer")])
        by_title[key] = row["label"]
        lean_title[key] = {"ai_engineer": 1.0, "ml_engineer": -1.0}.get(row["label"], 0.0)
        by_rule[key], lean_rule[key] = keyword_role(row["description"], row["title"])

    roles = list(classes)  # the card's scored roles
    report: dict[str, Any] = {
        "model": model.card["version"],
        "sample": {
            "labelled": len(gold),
            "unclear_left_out": unclear,
            "scored": len(sample),
            "high_confidence": sum(1 for r in sample if gold[r.key]["confidence"] == "high"),
            "test_split_strata": dict(strata.most_common()),
            "content_labels": dict(Counter(r.gold for r in sample).most_common()),
        },
        "roles": roles,
        "against_content_labels": {},
    }
    confident = [r for r in sample if gold[r.key]["confidence"] == "high"]
    for name, predicted, lean in (
        ("title_labels", by_title, lean_title),
        ("model", by_model, lean_model),
        ("keyword_rule", by_rule, lean_rule),
    ):
        result = weighted_scores(sample, roles, predicted, lean)
        result["interval_95"] = bootstrap(sample, roles, predicted, lean, reps=args.reps)
        result["high_confidence_only"] = {
            k: v for k, v in weighted_scores(confident, roles, predicted, lean).items() if k != "per_role"
        }
        report["against_content_labels"][name] = result
    as_title = [SampleRow(r.key, r.stratum, r.stratum, r.stratum_size) for r in sample]
    versus_title = weighted_scores(as_title, roles, by_model, lean_model)
    versus_title["interval_95"] = bootstrap(as_title, roles, by_model, lean_model, reps=args.reps)
    report["model_against_title_labels_same_sample"] = versus_title
    report["title_vs_content_confusion"] = {
        t: dict(Counter(r.gold for r in sample if r.stratum == t).most_common()) for t in sorted(strata)
    }
    report = rounded(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    for name, result in report["against_content_labels"].items():
        lo, hi = result["interval_95"]["macro_f1"]
        print(
            f"{name:13s} vs content: macro-F1 {result['macro_f1']:.3f} [{lo:.3f}, {hi:.3f}]  "
            f"agreement {result['agreement']:.3f}  AI-vs-ML {result['ai_vs_ml']}"
        )
    lo, hi = versus_title["interval_95"]["macro_f1"]
    print(f"model         vs title:   macro-F1 {versus_title['macro_f1']:.3f} [{lo:.3f}, {hi:.3f}]")


if __name__ == "__main__":
    main()
