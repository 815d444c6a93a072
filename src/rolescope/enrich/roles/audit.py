"""Scores against a stratified sample of content labels, weighted back to the population sampled.

The role classifier's card scores it against labels read from titles. ``benchmarks/roles_gold.py``
also scores it, the title labels themselves and a keyword rule against a second reading of a
sample of the same held-out postings (``benchmarks/data/roles_gold.csv``). That sample is
stratified by title label (up to 40 per role, 80 "other" out of 2,436), so a plain count would
overstate the small roles; each posting is weighted by its stratum's size over its sample size
(Horvitz-Thompson), and intervals come from resampling postings within each stratum.

>>> rows = [SampleRow("a", "x", "x", 10), SampleRow("b", "x", "y", 10)]
>>> round(weighted_scores(rows, ["x", "y"], {"a": "x", "b": "x"})["agreement"], 2)
0.5
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class SampleRow:
    key: str
    stratum: str  # the title label it was drawn under
    gold: str  # the content label
    stratum_size: int  # postings in its stratum in the population sampled


def _weights(rows: Sequence[SampleRow]) -> np.ndarray:
    drawn: dict[str, int] = defaultdict(int)
    for row in rows:
        drawn[row.stratum] += 1
    return np.array([row.stratum_size / drawn[row.stratum] for row in rows], dtype=float)


def weighted_scores(
    rows: Sequence[SampleRow],
    roles: Sequence[str],
    predicted: dict[str, str],
    ai_ml: dict[str, float] | None = None,
    weights: np.ndarray | None = None,
) -> dict[str, Any]:
    """Weighted agreement, per-role precision / recall / F1, macro-F1 over ``roles``, AI-vs-ML.

    ``predicted`` maps each key to a role. ``ai_ml`` maps a key to a score that is positive when the
    method leans AI engineering over ML engineering, negative for ML and 0 for no lean; AI-vs-ML
    balanced accuracy is computed on postings whose content label is one of the two, with a tie
    worth half a point.
    """
    w = _weights(rows) if weights is None else weights
    gold = [row.gold for row in rows]
    said = [predicted[row.key] for row in rows]
    per_role: dict[str, dict[str, float]] = {}
    for role in roles:
        tp = sum(wi for wi, g, p in zip(w, gold, said, strict=True) if g == role and p == role)
        fp = sum(wi for wi, g, p in zip(w, gold, said, strict=True) if g != role and p == role)
        fn = sum(wi for wi, g, p in zip(w, gold, said, strict=True) if g == role and p != role)
        per_role[role] = {
            "precision": float(tp / (tp + fp)) if tp + fp else 0.0,
            "recall": float(tp / (tp + fn)) if tp + fn else 0.0,
            "f1": float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0,
            "support": sum(1 for g in gold if g == role),
        }
    agree = float(sum(wi for wi, g, p in zip(w, gold, said, strict=True) if g == p) / w.sum())
    out: dict[str, Any] = {
        "agreement": agree,
        "macro_f1": float(np.mean([per_role[r]["f1"] for r in roles])),
        "per_role": per_role,
    }
    if ai_ml is not None:
        out["ai_vs_ml"] = _ai_vs_ml(rows, w, ai_ml)
    return out


def _ai_vs_ml(rows: Sequence[SampleRow], w: np.ndarray, lean: dict[str, float]) -> float | None:
    recalls = []
    for role, sign in (("ai_engineer", 1.0), ("ml_engineer", -1.0)):
        picked = [(wi, lean[row.key]) for wi, row in zip(w, rows, strict=True) if row.gold == role]
        if not picked:
            continue
        total = sum(wi for wi, _ in picked)
        recalls.append(sum(wi * (0.5 if s == 0 else float(s * sign > 0)) for wi, s in picked) / total)
    return float(np.mean(recalls)) if recalls else None


def bootstrap(
    rows: Sequence[SampleRow],
    roles: Sequence[str],
    predicted: dict[str, str],
    ai_ml: dict[str, float] | None = None,
    reps: int = 1000,
    seed: int = 7,
) -> dict[str, list[float]]:
    """95% percentile intervals of agreement, macro-F1 and AI-vs-ML, resampling within strata."""
    rng = np.random.default_rng(seed)
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_stratum[row.stratum].append(i)
    draws: dict[str, list[float]] = defaultdict(list)
    for _ in range(reps):
        picked = [int(i) for members in by_stratum.values() for i in rng.choice(members, len(members))]
        sample = [rows[i] for i in picked]
        result = weighted_scores(sample, roles, predicted, ai_ml)
        for name in ("agreement", "macro_f1", "ai_vs_ml"):
            if result.get(name) is not None:
                draws[name].append(result[name])
    return {name: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for name, v in draws.items()}
