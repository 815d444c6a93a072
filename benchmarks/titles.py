"""Title normalizer: coverage on real title lists and accuracy on a hand-checked sample.

Coverage: the share of titles given a role, ``other``, or left unlabelled (ambiguous / no job
named), on the three posting sets in ../shared/data/postings, the LinkedIn data-science titles in
../shared/data/titles, and O*NET 29.2 Alternate Titles (../shared/data/taxonomies/onet). For O*NET
it also counts AI/ML roles given to titles of occupations outside SOC group 15 (computer and
mathematical): those are almost surely wrong, so the count bounds a kind of false positive.

Accuracy: ``benchmarks/data/titles_checked.csv`` holds fixed random samples (seeded; half titles
the normalizer gives an AI/ML role, half the rest) of posting and titles-file rows, each with the
role a person assigned after reading the title. Sample 1 led to pattern fixes, so only sample 2,
drawn after them, is a blind figure. Only the row
key (set, row number) and the label are stored, never the title itself: the data stays in
../shared. The script re-derives each title, runs the normalizer and reports accuracy with the
list of errors. ``--draw N`` prints a fresh sample to label.

Run: python benchmarks/titles.py [--shared ../shared/data]   (writes benchmarks/results/titles.json)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

from rolescope.enrich.roles.titles import normalize_title

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "titles.json"
CHECKED = REPO / "benchmarks" / "data" / "titles_checked.csv"
POSTING_SETS = ("kaggle_kanchana_aiml_linkedin", "remotewlb_remote_jobs", "hn_whoishiring_angjobs")
AI_ML = {
    "ai_engineer",
    "ml_engineer",
    "ai_ml_hybrid",
    "mlops_engineer",
    "research_scientist",
    "ai_specialist",
    "ml_platform_engineer",
}


def load_titles(shared: Path) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for name in POSTING_SETS:
        with gzip.open(shared / "postings" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            sets[name] = [json.loads(line).get("title") or "" for line in fh]
    with open(shared / "titles" / "job_postings.csv", encoding="utf-8", newline="") as fh:
        sets["titles_linkedin_ds_2024"] = [row["job_title"] for row in csv.DictReader(fh)]
    return sets


def load_onet(shared: Path) -> list[tuple[str, str]]:
    path = shared / "taxonomies" / "onet" / "Alternate_Titles.txt"
    with open(path, encoding="utf-8", newline="") as fh:
        return [(row["O*NET-SOC Code"], row["Alternate Title"]) for row in csv.DictReader(fh, delimiter="\t")]


def coverage(titles: list[str]) -> dict[str, object]:
    roles = Counter(normalize_title(t).role or "unlabelled" for t in titles)
    total = len(titles)
    return {
        "n": total,
        "role_share": round(sum(v for k, v in roles.items() if k not in ("other", "unlabelled")) / total, 4),
        "other_share": round(roles["other"] / total, 4),
        "unlabelled_share": round(roles["unlabelled"] / total, 4),
        "counts": dict(roles.most_common()),
    }


def onet_report(rows: list[tuple[str, str]]) -> dict[str, object]:
    results = [(soc, title, normalize_title(title).role) for soc, title in rows]
    outside = [(soc, t, r) for soc, t, r in results if r in AI_ML and not soc.startswith("15-")]
    by_role = Counter(r or "unlabelled" for _, _, r in results)
    data_sci = [r for soc, _, r in results if soc == "15-2051.00"]
    return {
        "n": len(results),
        "counts": dict(by_role.most_common()),
        "ai_ml_roles_outside_soc_15": len(outside),
        "ai_ml_roles_outside_soc_15_by_role": dict(Counter(r for _, _, r in outside).most_common()),
        "data_scientists_15_2051_00": dict(Counter(r or "unlabelled" for r in data_sci).most_common()),
    }


def checked_accuracy(sets: dict[str, list[str]]) -> dict[str, object]:
    with open(CHECKED, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(row for row in fh if not row.startswith("#")))
    report: dict[str, object] = {}
    for sample in sorted({row["sample"] for row in rows}):
        chosen = [row for row in rows if row["sample"] == sample]
        errors = []
        for row in chosen:
            title = sets[row["set"]][int(row["row"])]
            got = normalize_title(title).role or ""
            if got != row["expected"]:
                # Keys only: the titles stay in ../shared (print them with --show-errors).
                errors.append(
                    {
                        "set": row["set"],
                        "row": int(row["row"]),
                        "expected": row["expected"] or None,
                        "got": got or None,
                    }
                )
        n = len(chosen)
        report[f"sample_{sample}"] = {
            "n": n,
            "correct": n - len(errors),
            "accuracy": round((n - len(errors)) / n, 4),
            "errors": errors,
        }
    return report


def draw(sets: dict[str, list[str]], size: int, seed: int) -> None:
    """Print a stratified sample to label: half predicted AI/ML roles, half everything else."""
    rng = random.Random(seed)
    keyed = [(name, i, t) for name, titles in sets.items() for i, t in enumerate(titles)]
    ai_ml = [k for k in keyed if normalize_title(k[2]).role in AI_ML]
    rest = [k for k in keyed if normalize_title(k[2]).role not in AI_ML]
    writer = csv.writer(sys.stdout)
    writer.writerow(["set", "row", "predicted", "title"])
    for name, i, title in rng.sample(ai_ml, size // 2) + rng.sample(rest, size - size // 2):
        writer.writerow([name, i, normalize_title(title).role or "", title[:140]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--draw", type=int, default=0, help="print a fresh sample of N titles to label")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    sets = load_titles(args.shared)
    if args.draw:
        draw(sets, args.draw, args.seed)
        return
    report = {
        "coverage": {name: coverage(titles) for name, titles in sets.items()},
        "onet_alternate_titles": onet_report(load_onet(args.shared)),
        "hand_checked_sample": checked_accuracy(sets),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for name, sample in report["hand_checked_sample"].items():
        print(f"hand-checked {name}: {sample['correct']}/{sample['n']} = {sample['accuracy']:.1%}")
    for name, cov in report["coverage"].items():
        print(
            f"{name}: n={cov['n']} role {cov['role_share']:.1%} other {cov['other_share']:.1%} "
            f"unlabelled {cov['unlabelled_share']:.1%}"
        )
    print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
