"""Weighted scores against a stratified sample of content labels."""

from __future__ import annotations

import pytest

from rolescope.enrich.roles.audit import SampleRow, bootstrap, weighted_scores


def _rows() -> list[SampleRow]:
    # Stratum "ai" (10 in the population, 2 drawn): both read as ai.
    # Stratum "other" (100 in the population, 4 drawn): one reads as ai, three as other.
    return [
        SampleRow("a1", "ai", "ai", 10),
        SampleRow("a2", "ai", "ai", 10),
        SampleRow("o1", "other", "ai", 100),
        SampleRow("o2", "other", "other", 100),
        SampleRow("o3", "other", "other", 100),
        SampleRow("o4", "other", "other", 100),
    ]


def test_each_row_stands_for_its_stratum() -> None:
    rows = _rows()
    said_by_title = {r.key: r.stratum for r in rows}
    result = weighted_scores(rows, ["ai", "other"], said_by_title)
    # Weights: ai rows 10/2 = 5 each, other rows 100/4 = 25 each.
    # ai: tp 10, fn 25 (the "other"-titled ai posting), fp 0 -> recall 10/35, F1 20/45.
    ai = result["per_role"]["ai"]
    assert ai["precision"] == 1.0 and ai["recall"] == pytest.approx(10 / 35)
    assert ai["f1"] == pytest.approx(20 / 45)
    # other: tp 75, fp 25, fn 0 -> F1 150/175.
    assert result["per_role"]["other"]["f1"] == pytest.approx(150 / 175)
    assert result["agreement"] == pytest.approx(85 / 110)
    assert result["macro_f1"] == pytest.approx((20 / 45 + 150 / 175) / 2)
    # Unweighted, the same sample would claim ai recall 2/3: the weights are what make it honest.
    assert ai["recall"] < 2 / 3


def test_ai_vs_ml_counts_a_tie_as_half() -> None:
    rows = [
        SampleRow("x", "s", "ai_engineer", 2),
        SampleRow("y", "s", "ml_engineer", 2),
        SampleRow("z", "s", "ml_engineer", 2),
    ]
    lean = {"x": 0.4, "y": -0.1, "z": 0.0}
    result = weighted_scores(rows, ["ai_engineer"], {k: "ai_engineer" for k in lean}, lean)
    assert result["ai_vs_ml"] == pytest.approx((1.0 + (1.0 + 0.5) / 2) / 2)


def test_bootstrap_interval_brackets_the_estimate_and_is_reproducible() -> None:
    rows = _rows() * 5
    rows = [SampleRow(f"{r.key}{i}", r.stratum, r.gold, r.stratum_size) for i, r in enumerate(rows)]
    said = {r.key: r.stratum for r in rows}
    point = weighted_scores(rows, ["ai", "other"], said)["macro_f1"]
    low, high = bootstrap(rows, ["ai", "other"], said, reps=200)["macro_f1"]
    assert low <= point <= high and low < high
    assert bootstrap(rows, ["ai", "other"], said, reps=200)["macro_f1"] == [low, high]
