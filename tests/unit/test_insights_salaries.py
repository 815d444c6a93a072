"""Salary benchmark cells from a small hand-made table of pay observations.

The table has the columns of :func:`rolescope.store.market.pay_observations`; expected figures are
computed with numpy from the same hand-made values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from rolescope.errors import InvalidInput
from rolescope.insights.salaries import (
    PayObservations,
    SalaryCell,
    SalaryPolicy,
    prepare_observations,
    salary_cells,
)
from rolescope.knowledge.prices import load_cpi

SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("title", pa.string()),
        ("seniority", pa.string()),
        ("country", pa.string()),
        ("metro", pa.string()),
        ("remote", pa.string()),
        ("company_size", pa.string()),
        ("year", pa.int32()),
        ("salary_usd_annual", pa.float64()),
        ("employment_type", pa.string()),
    ]
)

ROLE_OF: dict[str, str | None] = {
    "Data Scientist": "data_scientist",
    "Senior Data Scientist": "data_scientist",
    "ML Engineer": "ml_engineer",
    "Data Analyst / Engineer": None,  # the title names no single role
}
Z95 = 1.959963984540054


def row(
    title: str,
    country: str | None,
    salary: float | None,
    *,
    seniority: str | None = "senior",
    year: int | None = 2024,
    employment: str | None = "full_time",
    source: str = "salary_survey",
) -> dict[str, Any]:
    return {
        "source": source,
        "title": title,
        "seniority": seniority,
        "country": country,
        "metro": None,
        "remote": "onsite",
        "company_size": "L",
        "year": year,
        "salary_usd_annual": salary,
        "employment_type": employment,
    }


def spread(centre: float, n: int, width: float = 0.3) -> list[float]:
    """n salaries evenly spaced on the log scale around ``centre``."""
    return [round(centre * math.exp(v), 2) for v in np.linspace(-width, width, n)]


def table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)


DS_US = spread(150_000, 40)
DS_DE = spread(80_000, 8)
DS_GB = spread(100_000, 3)
MLE_US = spread(170_000, 12)
MLE_DE = spread(90_000, 6)


def market_rows() -> list[dict[str, Any]]:
    rows = [
        row("Data Scientist", "US", s, seniority="mid" if i % 4 == 0 else "senior")
        for i, s in enumerate(DS_US)
    ]
    rows += [row("Senior Data Scientist", "DE", s) for s in DS_DE]
    rows += [row("Data Scientist", "GB", s, source="posting") for s in DS_GB]
    rows += [row("ML Engineer", "US", s) for s in MLE_US]
    rows += [row("ML Engineer", "DE", s) for s in MLE_DE]
    return rows


@pytest.fixture(scope="module")
def obs() -> PayObservations:
    return prepare_observations(table(market_rows()), ROLE_OF, SalaryPolicy())


def by_key(cells: list[SalaryCell]) -> dict[tuple, SalaryCell]:
    return {tuple(sorted(c.key.items())): c for c in cells}


def salaries_of(obs: PayObservations, role: str) -> np.ndarray:
    return np.sort(obs.salary[obs.codes["role"] == obs.code_of("role", role)])


# --- prepare_observations --------------------------------------------------------------------------


def test_prepare_excludes_part_time_and_titles_without_single_role() -> None:
    rows = [row("Data Scientist", "US", s) for s in (100_000, 110_000, 120_000)]
    rows += [
        row("Data Scientist", "US", 55_000, employment="part_time"),
        row("Data Scientist", "US", 56_000, employment="part_time"),
        row("Data Scientist", "US", 90_000, employment="contract"),
        row("Data Scientist", "US", 130_000, employment=None),  # states no type: benchmarked
        row("Data Analyst / Engineer", "US", 95_000),
        row("Data Analyst / Engineer", "US", 96_000),
        row("Data Analyst / Engineer", "US", 97_000, employment="part_time"),  # counted as part time only
        row("Barista", "US", 40_000),  # a title the mapping does not know
        row("ML Engineer", "US", 150_000),
    ]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="none"))
    assert obs.excluded == {"not_full_time": 4, "no_single_role": 3, "no_usable_pay": 0}
    assert len(obs) == 5
    assert sorted(obs.salary.tolist()) == [100_000, 110_000, 120_000, 130_000, 150_000]
    assert obs.labels["role"] == ["data_scientist", "ml_engineer"]
    assert obs.inflation is None


@pytest.mark.parametrize(
    ("seniority", "level"),
    [
        ("intern", "entry"),
        ("entry", "entry"),
        ("mid", "mid"),
        ("senior", "senior"),
        ("lead", "senior"),
        ("executive", "executive"),
        ("staff", None),
        (None, None),
        ("", None),
    ],
)
def test_prepare_unifies_levels(seniority: str | None, level: str | None) -> None:
    obs = prepare_observations(
        table([row("Data Scientist", "US", 100_000, seniority=seniority)]),
        ROLE_OF,
        SalaryPolicy(outliers="none"),
    )
    code = int(obs.codes["level"][0])
    assert (obs.labels["level"][code] if code >= 0 else None) == level


def test_prepare_encodes_dimensions_as_codes(obs: PayObservations) -> None:
    assert obs.labels["country"] == ["DE", "GB", "US"]
    assert obs.labels["level"] == ["mid", "senior"]
    assert obs.labels["year"] == [2024]
    de = obs.codes["country"] == obs.code_of("country", "DE")
    assert sorted(obs.salary[de].tolist()) == sorted(DS_DE + MLE_DE)
    assert obs.code_of("country", "FR") == -2
    assert sorted(set(obs.source.tolist())) == ["posting", "salary_survey"]


@pytest.mark.parametrize("absurd", [5.0, 50_000_000.0])
def test_iqr_policy_drops_absurd_pay_and_none_keeps_it(absurd: float) -> None:
    rows = [*market_rows(), row("Data Scientist", "US", absurd)]
    dropped = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="iqr"))
    kept = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="none"))
    assert absurd not in dropped.salary
    assert dropped.excluded["outliers"] == 1
    assert len(dropped) == len(rows) - 1
    assert absurd in kept.salary
    assert "outliers" not in kept.excluded
    assert len(kept) == len(rows)


def test_iqr_policy_keeps_ordinary_spread(obs: PayObservations) -> None:
    assert obs.excluded == {"not_full_time": 0, "no_single_role": 0, "no_usable_pay": 0, "outliers": 0}
    assert len(obs) == len(market_rows())


def test_outlier_fences_are_per_role() -> None:
    # 1.5M is absurd for the data scientists but ordinary for this (made-up) executive role.
    rows = [row("Data Scientist", "US", s) for s in spread(120_000, 20)]
    rows += [row("ML Engineer", "US", s) for s in spread(1_500_000, 20)]
    rows.append(row("Data Scientist", "US", 1_500_000))
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy())
    assert obs.excluded["outliers"] == 1
    assert len(salaries_of(obs, "ml_engineer")) == 20
    assert salaries_of(obs, "data_scientist").max() < 1_000_000


# --- inflation -------------------------------------------------------------------------------------


def test_inflation_adjusts_to_newest_cpi_year_and_counts_late_years() -> None:
    cpi = load_cpi()
    base = max(cpi)
    rows = [
        row("Data Scientist", "US", 100_000, year=2020),
        row("Data Scientist", "US", 100_000, year=base),
        row("Data Scientist", "US", 100_000, year=base + 1),
    ]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="none", inflation=True))
    assert base == 2024
    assert obs.salary.tolist() == pytest.approx([100_000 * cpi[2024] / cpi[2020], 100_000, 100_000])
    assert obs.salary[0] == pytest.approx(100_000 * 313.689 / 258.811)
    assert obs.inflation is not None
    assert obs.inflation["base_year"] == 2024
    assert obs.inflation["not_adjusted"] == 1


def test_inflation_off_leaves_nominal_pay() -> None:
    rows = [row("Data Scientist", "US", 100_000, year=2020), row("Data Scientist", "US", 90_000, year=2025)]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="none"))
    assert obs.salary.tolist() == [100_000, 90_000]
    assert obs.inflation is None


def test_inflation_counts_unknown_year_as_not_adjusted() -> None:
    rows = [row("Data Scientist", "US", 100_000, year=None), row("Data Scientist", "US", 100_000, year=2022)]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="none", inflation=True))
    cpi = load_cpi()
    assert obs.salary.tolist() == pytest.approx([100_000, 100_000 * cpi[2024] / cpi[2022]])
    assert obs.inflation["not_adjusted"] == 1


def test_inflation_counts_years_before_the_cpi_table_as_not_adjusted() -> None:
    # A year older than the CPI table cannot be adjusted either: it stays nominal and must be counted.
    first = min(load_cpi())
    rows = [
        row("Data Scientist", "US", 100_000, year=first - 1),
        row("Data Scientist", "US", 100_000, year=first),
    ]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy(outliers="none", inflation=True))
    assert obs.salary[0] == 100_000
    assert obs.inflation["not_adjusted"] == 1


# --- SalaryPolicy ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_n": 0},
        {"min_n": -5},
        {"min_n": 10, "shrink_below": 9},
        {"shrink_below": 4},
        {"outliers": "mad"},
        {"outliers": "IQR"},
        {"repeats": "unique"},
        {"level": 1.0},
        {"level": 0.5},
        {"level": 95},
    ],
)
def test_salary_policy_rejects_bad_values(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        SalaryPolicy(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"min_n": 1, "shrink_below": 1},
        {"min_n": 5, "shrink_below": 5},
        {"repeats": "all", "outliers": "none"},
        {"level": 0.9},
        {"inflation": True},
    ],
)
def test_salary_policy_accepts_good_values(kwargs: dict[str, Any]) -> None:
    policy = SalaryPolicy(**kwargs)
    assert policy.to_dict() == {**SalaryPolicy().to_dict(), **kwargs}


# --- salary_cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["data_scientist", "ml_engineer"])
def test_role_cells_match_numpy(obs: PayObservations, role: str) -> None:
    values = salaries_of(obs, role)
    (cell,) = [c for c in salary_cells(obs, ["role"]) if c.key == {"role": role}]
    assert cell.status == "ok"
    assert cell.n == len(values)
    assert cell.median == pytest.approx(float(np.median(values)))
    expected = dict(
        zip(("p10", "p25", "p50", "p75", "p90"), np.percentile(values, [10, 25, 50, 75, 90]), strict=True)
    )
    assert cell.percentiles == pytest.approx(expected)
    assert cell.mean == pytest.approx(float(values.mean()))
    half = Z95 * float(values.std(ddof=1)) / math.sqrt(len(values))
    assert (cell.mean_low, cell.mean_high) == pytest.approx((values.mean() - half, values.mean() + half))
    assert cell.median_low in values and cell.median_high in values
    assert cell.median_low <= cell.median <= cell.median_high


def test_role_cells_sources_and_order(obs: PayObservations) -> None:
    cells = salary_cells(obs, ["role"])
    assert [c.key for c in cells] == [{"role": "data_scientist"}, {"role": "ml_engineer"}]
    assert [c.n for c in cells] == [51, 18]
    assert cells[0].sources == {"posting": 3, "salary_survey": 48}
    assert cells[1].sources == {"salary_survey": 18}


@pytest.mark.parametrize("role", ["data_scientist", "ml_engineer"])
def test_role_cells_are_never_shrunk(obs: PayObservations, role: str) -> None:
    # ml_engineer has 18 observations, below shrink_below=30, and still is not shrunk.
    (cell,) = [c for c in salary_cells(obs, ["role"]) if c.key["role"] == role]
    assert cell.status == "ok"
    assert cell.median_raw is None and cell.shrink_weight is None and cell.parent is None
    assert cell.median == pytest.approx(float(np.median(salaries_of(obs, role))))


def test_role_cell_alone_in_data_is_not_shrunk() -> None:
    rows = [row("Data Scientist", "US", s) for s in spread(100_000, 6)]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy())
    (cell,) = salary_cells(obs, ["role"])
    assert (cell.status, cell.n, cell.median) == ("ok", 6, pytest.approx(float(np.median(obs.salary))))


def test_cell_below_min_n_is_suppressed(obs: PayObservations) -> None:
    cell = by_key(salary_cells(obs, ["role", "country"]))[(("country", "GB"), ("role", "data_scientist"))]
    assert cell.status == "suppressed"
    assert cell.n == 3
    assert cell.median is None and cell.percentiles is None and cell.mean is None
    assert cell.median_low is None and cell.median_high is None
    assert cell.to_dict() == {
        "key": {"role": "data_scientist", "country": "GB"},
        "n": 3,
        "status": "suppressed",
        "sources": {"posting": 3},
    }


@pytest.mark.parametrize(("min_n", "status"), [(3, "shrunk"), (4, "suppressed")])
def test_min_n_boundary(obs: PayObservations, min_n: int, status: str) -> None:
    cells = by_key(salary_cells(obs, ["role", "country"], policy=SalaryPolicy(min_n=min_n)))
    assert cells[(("country", "GB"), ("role", "data_scientist"))].status == status


@pytest.mark.parametrize(
    ("role", "country", "values"),
    [("data_scientist", "DE", DS_DE), ("ml_engineer", "DE", MLE_DE), ("ml_engineer", "US", MLE_US)],
)
def test_small_cell_is_shrunk_toward_parent(
    obs: PayObservations, role: str, country: str, values: list[float]
) -> None:
    cell = by_key(salary_cells(obs, ["role", "country"]))[(("country", country), ("role", role))]
    raw = float(np.median(values))
    parent = float(np.median(salaries_of(obs, role)))
    assert cell.status == "shrunk"
    assert cell.n == len(values)
    assert cell.median_raw == pytest.approx(raw)
    assert cell.parent == {"role": role}
    assert 0.0 <= cell.shrink_weight <= 1.0
    assert min(raw, parent) <= cell.median <= max(raw, parent)
    # The shrunk median is the weighted geometric mean of the raw and the parent's median.
    w = cell.shrink_weight
    assert cell.median == pytest.approx(math.exp(w * math.log(raw) + (1 - w) * math.log(parent)))
    assert cell.median_low < cell.median < cell.median_high
    assert set(cell.to_dict()) >= {"median_raw", "shrink_weight", "parent"}


def test_large_cell_keeps_its_own_median(obs: PayObservations) -> None:
    cell = by_key(salary_cells(obs, ["role", "country"]))[(("country", "US"), ("role", "data_scientist"))]
    assert cell.status == "ok"
    assert cell.n == 40
    assert cell.median == pytest.approx(float(np.median(DS_US)))
    assert cell.median_raw is None and cell.shrink_weight is None


def test_children_identical_to_parent_collapse_onto_it() -> None:
    # Every country looks exactly like the role: no between-cell spread (tau^2 = 0), full shrinkage.
    values = spread(120_000, 10)
    rows = [row("Data Scientist", c, s) for c in ("US", "DE", "FR") for s in values]
    obs = prepare_observations(table(rows), ROLE_OF, SalaryPolicy())
    cells = salary_cells(obs, ["role", "country"])
    assert [c.key["country"] for c in cells] == ["DE", "FR", "US"]
    for cell in cells:
        assert cell.status == "shrunk"
        assert cell.shrink_weight == 0.0
        assert cell.median == pytest.approx(float(np.median(values)))


def test_shrink_below_controls_which_cells_shrink(obs: PayObservations) -> None:
    cells = by_key(salary_cells(obs, ["role", "country"], policy=SalaryPolicy(shrink_below=7)))
    assert cells[(("country", "DE"), ("role", "data_scientist"))].status == "ok"  # n = 8
    assert cells[(("country", "DE"), ("role", "ml_engineer"))].status == "shrunk"  # n = 6
    assert cells[(("country", "US"), ("role", "ml_engineer"))].status == "ok"  # n = 12


@pytest.mark.parametrize(
    ("by", "where"),
    [
        (["role"], {"role": "data_scientist", "country": "DE"}),
        (["role"], {"role": "ml_engineer", "country": "US"}),
        (["role"], {"country": "DE"}),
        (["country"], {"role": "ml_engineer"}),
        (["role", "country"], {"role": "data_scientist"}),
        (["role", "country"], {"country": "GB"}),
        (["role", "level", "country"], {"level": "senior"}),
        (["role", "level", "country"], {"role": "data_scientist", "level": "mid"}),
        (["role", "level"], {"level": "mid"}),
    ],
)
def test_filters_never_change_figures(obs: PayObservations, by: list[str], where: dict[str, str]) -> None:
    filtered = salary_cells(obs, by, where)
    full = salary_cells(obs, sorted({*by, *where}))
    expected = [c for c in full if all(c.key[d] == v for d, v in where.items())]
    assert filtered, "the filter should match at least one cell"
    assert filtered == expected


def test_filter_on_absent_value_matches_nothing(obs: PayObservations) -> None:
    assert salary_cells(obs, ["role"], {"country": "FR"}) == []
    assert salary_cells(obs, ["role"], {"role": "astronaut"}) == []


def test_cells_are_sorted_by_dimension_order(obs: PayObservations) -> None:
    cells = salary_cells(obs, ["country", "role"])  # dimension order is role > country
    assert [(c.key["role"], c.key["country"]) for c in cells] == [
        ("data_scientist", "DE"),
        ("data_scientist", "GB"),
        ("data_scientist", "US"),
        ("ml_engineer", "DE"),
        ("ml_engineer", "US"),
    ]
    assert sum(c.n for c in cells) == len(obs)


@pytest.mark.parametrize(
    ("by", "where"),
    [
        (["role", "industry"], None),
        (["Role"], None),
        (["role"], {"city": "Berlin"}),
        ([], {"continent": "EU"}),
    ],
)
def test_unknown_dimension_raises(obs: PayObservations, by: list[str], where: dict[str, str] | None) -> None:
    with pytest.raises(InvalidInput, match="unknown dimension"):
        salary_cells(obs, by, where)
