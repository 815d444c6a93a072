"""Draw the blind sample for the role classifier's content-labelled check (benchmarks/roles_gold.py).

The classifier's card scores it against labels read from titles. To see how far those labels can be
trusted, a stratified sample of the ``source_id`` test split is labelled again from the description
alone (title blanked, as the model sees it). This script draws that sample and writes it in batches
for the labeller; it writes nothing into the repository.

Strata are the title labels. Each stratum gives up to ``--per-role`` postings (``other`` gives
``--other``), drawn by a seeded hash of the posting id, so the same store always gives the same
sample. Descriptions are cut at ``--max-chars`` for reading.

Run:
    python scripts/roles_gold_sample.py --db STORE --out /tmp/gold [--batches 4]
Then label each batch (see benchmarks/data/roles_gold.README.md) and score with
    python benchmarks/roles_gold.py --db STORE
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from rolescope.enrich.roles.features import mask_title
from rolescope.enrich.roles.train import source_id_test_postings
from rolescope.store import connect
from rolescope.store.enrichment import canonical_postings

SEED = "roles-gold-2026-11-23"


def test_split(db: Path) -> list[dict[str, Any]]:
    """Labelled postings of the card's source_id test split, with their title label."""
    con = connect(db, read_only=True)
    try:
        return source_id_test_postings(canonical_postings(con).to_pylist())
    finally:
        con.close()


def draw(items: list[dict[str, Any]], per_role: int, other: int) -> list[dict[str, Any]]:
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_label[item["label"]].append(item)
    chosen = []
    for label, group in sorted(by_label.items()):
        group.sort(key=lambda r: hashlib.sha1(f"{SEED}:{r['posting_id']}".encode()).hexdigest())
        chosen += group[: other if label == "other" else per_role]
    chosen.sort(key=lambda r: hashlib.sha1(f"{SEED}:order:{r['posting_id']}".encode()).hexdigest())
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-role", type=int, default=40)
    parser.add_argument("--other", type=int, default=80)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--max-chars", type=int, default=6000)
    args = parser.parse_args()
    items = test_split(args.db)
    sample = draw(items, args.per_role, args.other)
    args.out.mkdir(parents=True, exist_ok=True)
    strata: dict[str, int] = defaultdict(int)
    for item in items:
        strata[item["label"]] += 1
    with (args.out / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["posting_id", "title_label", "stratum_size"])
        for item in sample:
            writer.writerow([item["posting_id"], item["label"], strata[item["label"]]])
    for b in range(args.batches):
        with (args.out / f"batch_{b + 1}.jsonl").open("w", encoding="utf-8") as handle:
            for k, item in enumerate(sample[b :: args.batches]):
                text = mask_title(item["description"], item["title"])[: args.max_chars]
                handle.write(json.dumps({"n": k + 1, "key": item["posting_id"], "text": text}) + "\n")
    print(f"{len(sample)} postings from a test split of {len(items)}; strata {dict(strata)}")


if __name__ == "__main__":
    main()
