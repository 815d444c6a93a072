"""Skill demand per role from a small hand-made posting/skill table.

The table has the columns of :func:`rolescope.store.market.posting_skill_table`: one row per
(posting, skill), and a row with a NULL skill for a posting that asks for none.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pyarrow as pa
import pytest

from rolescope.errors import NotFound
from rolescope.insights.skills import (
    RoleSkillCounts,
    SkillCounts,
    count_skills,
    distinguishing_skills,
    quarter_of,
    skill_demand,
    skill_share,
    skill_trend,
)

SCHEMA = pa.schema(
    [
        ("posting_id", pa.string()),
        ("title", pa.string()),
        ("posted_at", pa.date32()),
        ("skill_id", pa.string()),
        ("requirement", pa.string()),
    ]
)
ROLES = {"Data Scientist": "data_scientist", "ML Engineer": "ml_engineer"}
DS, MLE = "data_scientist", "ml_engineer"
Z95 = 1.959963984540054


def role_of(title: str) -> str | None:
    return ROLES.get(title)  # "Data Analyst / Engineer" and unknown titles: no single role


def table(rows: list[tuple[str, str, dt.date | None, str | None, str | None]]) -> pa.Table:
    names = SCHEMA.names
    return pa.Table.from_pylist([dict(zip(names, r, strict=True)) for r in rows], schema=SCHEMA)


D = dt.date
ROWS = [
    ("a1", "Data Scientist", D(2024, 1, 15), "python", "required"),
    ("a1", "Data Scientist", D(2024, 1, 15), "sql", "preferred"),
    ("a1", "Data Scientist", D(2024, 1, 15), "statistics", "unspecified"),
    ("a2", "Data Scientist", D(2024, 2, 1), "python", "required"),
    ("a2", "Data Scientist", D(2024, 2, 1), "statistics", "required"),
    ("a3", "Data Scientist", D(2024, 4, 10), None, None),  # asks for no skill
    ("a4", "Data Scientist", D(2024, 5, 20), "python", "preferred"),
    ("a4", "Data Scientist", D(2024, 5, 20), "r", "required"),
    ("a5", "Data Scientist", None, "sql", "required"),  # no posting date
    ("b1", "ML Engineer", D(2024, 1, 3), "python", "required"),
    ("b1", "ML Engineer", D(2024, 1, 3), "pytorch", "required"),
    ("b2", "ML Engineer", D(2024, 7, 9), "pytorch", "preferred"),
    ("b2", "ML Engineer", D(2024, 7, 9), "docker", "required"),
    ("b3", "ML Engineer", D(2024, 9, 30), "docker", "required"),
    ("x1", "Data Analyst / Engineer", D(2024, 1, 9), "python", "required"),
    ("x2", "Barista", D(2024, 1, 9), "coffee", "required"),
]


@pytest.fixture(scope="module")
def counts() -> SkillCounts:
    return count_skills(table(ROWS), role_of)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Textbook Wilson score interval, independent of the code under test."""
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


# --- quarter_of ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (D(2024, 1, 1), "2024Q1"),
        (D(2024, 3, 31), "2024Q1"),
        (D(2024, 4, 1), "2024Q2"),
        (D(2024, 6, 30), "2024Q2"),
        (D(2024, 7, 1), "2024Q3"),
        (D(2023, 12, 31), "2023Q4"),
        (None, None),
    ],
)
def test_quarter_of(day: dt.date | None, quarter: str | None) -> None:
    assert quarter_of(day) == quarter


# --- count_skills ----------------------------------------------------------------------------------


def test_count_skills_roles(counts: SkillCounts) -> None:
    # Postings whose title has no single role are left out entirely.
    assert sorted(counts.roles) == [DS, MLE]


@pytest.mark.parametrize(("role", "n"), [(DS, 5), (MLE, 3)])
def test_each_posting_counts_once_in_n(counts: SkillCounts, role: str, n: int) -> None:
    # a1 has three skills and counts once; a3 has none and still counts.
    assert counts.role(role).n == n


@pytest.mark.parametrize(
    ("role", "skills"),
    [
        (DS, {"python": [3, 2, 1], "sql": [2, 1, 1], "statistics": [2, 1, 0], "r": [1, 1, 0]}),
        (MLE, {"python": [1, 1, 0], "pytorch": [2, 1, 1], "docker": [2, 2, 0]}),
    ],
)
def test_any_required_preferred_counts(counts: SkillCounts, role: str, skills: dict[str, list[int]]) -> None:
    assert counts.role(role).skills == skills
    # "unspecified" counts in "any" but in neither required nor preferred.
    for any_, req, pref in counts.role(role).skills.values():
        assert req + pref <= any_


@pytest.mark.parametrize(
    ("role", "quarters", "quarter_skills"),
    [
        (
            DS,
            {"2024Q1": 2, "2024Q2": 2},  # a5 has no date: in n, in no quarter
            {"2024Q1": {"python": 2, "sql": 1, "statistics": 2}, "2024Q2": {"python": 1, "r": 1}},
        ),
        (
            MLE,
            {"2024Q1": 1, "2024Q3": 2},
            {"2024Q1": {"python": 1, "pytorch": 1}, "2024Q3": {"pytorch": 1, "docker": 2}},
        ),
    ],
)
def test_quarters(
    counts: SkillCounts, role: str, quarters: dict[str, int], quarter_skills: dict[str, dict[str, int]]
) -> None:
    assert counts.role(role).quarters == quarters
    assert counts.role(role).quarter_skills == quarter_skills


def test_role_with_only_skill_less_postings() -> None:
    rows = [
        ("p1", "Data Scientist", D(2024, 2, 2), None, None),
        ("p2", "Data Scientist", D(2024, 8, 2), None, None),
    ]
    data = count_skills(table(rows), role_of).role(DS)
    assert data == RoleSkillCounts(n=2, skills={}, quarters={"2024Q1": 1, "2024Q3": 1}, quarter_skills={})


def test_empty_table_has_no_roles() -> None:
    assert count_skills(table([]), role_of).roles == {}


# --- skill_demand / skill_share ---------------------------------------------------------------------


def test_skill_demand_order_and_intervals(counts: SkillCounts) -> None:
    demand = skill_demand(counts, DS)
    # By count, ties by skill id.
    assert [(s.skill_id, s.k) for s in demand] == [("python", 3), ("sql", 2), ("statistics", 2), ("r", 1)]
    for share in demand:
        assert share.n == 5
        assert share.share == pytest.approx(share.k / 5)
        assert (share.low, share.high) == pytest.approx(wilson(share.k, 5), abs=1e-9)
    python = demand[0]
    assert (python.required, python.preferred) == (2, 1)
    assert python.to_dict() == {
        "skill_id": "python",
        "k": 3,
        "n": 5,
        "share": 0.6,
        "low": round(wilson(3, 5)[0], 4),
        "high": round(wilson(3, 5)[1], 4),
        "required": 2,
        "preferred": 1,
    }


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"top": 2}, ["python", "sql"]),
        ({"min_k": 2}, ["python", "sql", "statistics"]),
        ({"min_k": 3}, ["python"]),
        ({"min_k": 4}, []),
        ({"top": 0}, []),
    ],
)
def test_skill_demand_top_and_min_k(counts: SkillCounts, kwargs: dict[str, int], expected: list[str]) -> None:
    assert [s.skill_id for s in skill_demand(counts, DS, **kwargs)] == expected


def test_skill_demand_other_level(counts: SkillCounts) -> None:
    (python,) = skill_demand(counts, DS, top=1, level=0.90)
    assert (python.low, python.high) == pytest.approx(wilson(3, 5, 1.6448536269514722), abs=1e-9)


@pytest.mark.parametrize(
    ("skills", "skill_id", "k", "required", "preferred"),
    [
        (["python"], "python", 3, 2, 1),
        (["sql", "statistics"], "sql+statistics", 2, 1, 1),  # ties: the first listed member
        (["statistics", "sql"], "statistics+sql", 2, 1, 0),
        (["r", "python"], "r+python", 3, 2, 1),  # the largest member is the lower bound
        (["cobol"], "cobol", 0, 0, 0),
        (["cobol", "r"], "cobol+r", 1, 1, 0),
    ],
)
def test_skill_share(
    counts: SkillCounts, skills: list[str], skill_id: str, k: int, required: int, preferred: int
) -> None:
    share = skill_share(counts, DS, skills)
    assert (share.skill_id, share.k, share.n, share.required, share.preferred) == (
        skill_id,
        k,
        5,
        required,
        preferred,
    )
    assert share.share == pytest.approx(k / 5)
    assert (share.low, share.high) == pytest.approx(wilson(k, 5), abs=1e-9)


# --- distinguishing_skills -------------------------------------------------------------------------


def contrast_rows() -> list[tuple[str, str, dt.date, str, str]]:
    """40 postings per role: both ask for python; statistics only A; pytorch only B; sql leans A."""
    rows = []
    for i in range(40):
        day = D(2024, 1 + i % 12, 1)
        rows.append((f"a{i}", "Data Scientist", day, "python", "required"))
        if i < 30:
            rows.append((f"a{i}", "Data Scientist", day, "sql", "required"))
        if i < 20:
            rows.append((f"a{i}", "Data Scientist", day, "statistics", "required"))
        rows.append((f"b{i}", "ML Engineer", day, "python", "required"))
        if i < 30:
            rows.append((f"b{i}", "ML Engineer", day, "pytorch", "required"))
        if i < 5:
            rows.append((f"b{i}", "ML Engineer", day, "sql", "preferred"))
    return rows


@pytest.fixture(scope="module")
def contrast() -> SkillCounts:
    return count_skills(table(contrast_rows()), role_of)


def test_distinguishing_skills_sides(contrast: SkillCounts) -> None:
    lean_a, lean_b = distinguishing_skills(contrast, DS, MLE)
    by_id = {r.skill_id: r for r in lean_a + lean_b}
    statistics, pytorch = by_id["statistics"], by_id["pytorch"]
    assert statistics in lean_a and statistics.leans_to == DS
    assert statistics.delta > 0 and statistics.z > 2
    assert (statistics.k_a, statistics.k_b, statistics.share_a, statistics.share_b) == (20, 0, 0.5, 0.0)
    assert pytorch in lean_b and pytorch.leans_to == MLE
    assert pytorch.delta < 0 and pytorch.z < -2
    assert (pytorch.k_a, pytorch.k_b) == (0, 30)
    assert by_id["sql"] in lean_a
    assert all(r.z > 0 for r in lean_a) and all(r.z < 0 for r in lean_b)
    assert [r.z for r in lean_a] == sorted((r.z for r in lean_a), reverse=True)
    assert [r.z for r in lean_b] == sorted(r.z for r in lean_b)


def test_distinguishing_skills_swap_roles(contrast: SkillCounts) -> None:
    lean_a, lean_b = distinguishing_skills(contrast, DS, MLE)
    swap_a, swap_b = distinguishing_skills(contrast, MLE, DS)
    assert [r.skill_id for r in swap_a] == [r.skill_id for r in lean_b]
    assert [r.skill_id for r in swap_b] == [r.skill_id for r in lean_a]
    for mine, theirs in zip(lean_a, swap_b, strict=True):
        assert theirs.z == pytest.approx(-mine.z) and theirs.delta == pytest.approx(-mine.delta)
        assert theirs.leans_to == mine.leans_to


def test_distinguishing_skills_min_k_and_top(contrast: SkillCounts) -> None:
    lean_a, lean_b = distinguishing_skills(contrast, DS, MLE, min_k=21)  # statistics (20) drops out
    assert "statistics" not in {r.skill_id for r in lean_a + lean_b}
    lean_a, lean_b = distinguishing_skills(contrast, DS, MLE, top=1)
    assert len(lean_a) == 1 and len(lean_b) == 1
    assert distinguishing_skills(contrast, DS, MLE, min_k=1000) == ([], [])


# --- skill_trend -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "skill", "expected"),
    [
        (DS, "python", [("2024Q1", 2, 2), ("2024Q2", 1, 2)]),
        (DS, "r", [("2024Q1", 0, 2), ("2024Q2", 1, 2)]),
        (DS, "cobol", [("2024Q1", 0, 2), ("2024Q2", 0, 2)]),
        (MLE, "docker", [("2024Q1", 0, 1), ("2024Q3", 2, 2)]),
    ],
)
def test_skill_trend(
    counts: SkillCounts, role: str, skill: str, expected: list[tuple[str, int, int]]
) -> None:
    trend = skill_trend(counts, role, skill)
    assert [(p["period"], p["k"], p["n"]) for p in trend] == expected
    for point in trend:
        low, high = wilson(point["k"], point["n"])
        assert point["share"] == round(point["k"] / point["n"], 4)
        assert (point["low"], point["high"]) == (round(low, 4), round(high, 4))


def test_skill_trend_orders_quarters_across_years() -> None:
    rows = [
        ("p1", "Data Scientist", D(2025, 2, 1), "python", "required"),
        ("p2", "Data Scientist", D(2023, 11, 1), "python", "required"),
        ("p3", "Data Scientist", D(2024, 5, 1), None, None),
    ]
    trend = skill_trend(count_skills(table(rows), role_of), DS, "python")
    assert [(p["period"], p["k"], p["n"], p["share"]) for p in trend] == [
        ("2023Q4", 1, 1, 1.0),
        ("2024Q2", 0, 1, 0.0),
        ("2025Q1", 1, 1, 1.0),
    ]


# --- unknown roles and serialisation ---------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.role("astronaut"),
        lambda c: skill_demand(c, "astronaut"),
        lambda c: skill_share(c, "astronaut", ["python"]),
        lambda c: skill_trend(c, "astronaut", "python"),
        lambda c: distinguishing_skills(c, "astronaut", DS),
        lambda c: distinguishing_skills(c, DS, "astronaut"),
        lambda c: c.role(None),
    ],
)
def test_unknown_role_raises_not_found(counts: SkillCounts, call: Any) -> None:
    with pytest.raises(NotFound, match="no postings of role"):
        call(counts)


def test_not_found_hint_lists_known_roles(counts: SkillCounts) -> None:
    with pytest.raises(NotFound) as info:
        counts.role("astronaut")
    assert info.value.hint == f"roles with postings: {DS}, {MLE}"


def test_skill_counts_round_trip(counts: SkillCounts) -> None:
    data = counts.to_dict()
    assert list(data) == [DS, MLE]
    assert SkillCounts.from_dict(data) == counts
    # Also through JSON, as the embedded snapshot stores it.
    assert SkillCounts.from_dict(json.loads(json.dumps(data))) == counts
    assert data[DS]["n"] == 5
    assert data[MLE]["skills"]["docker"] == [2, 2, 0]
