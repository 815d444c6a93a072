"""Growth simulation: the pay curve, the Monte Carlo's rules, the Markov check, inputs, and the real snapshot."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from rich.console import Console

from rolescope.advise.simulate import (
    PROMOTION_PRIORS,
    PayCurve,
    SimulationSettings,
    difference_interval,
    growth_chart_data,
    quantile_with_interval,
    simulate_growth,
    simulate_paths,
)
from rolescope.cli.advise_simulate import render_growth
from rolescope.errors import InvalidInput
from rolescope.insights.market import load_snapshot
from rolescope.insights.salaries import LEVELS

Z_KNOTS = (-1.2815515655446004, -0.6744897501960817, 0.0, 0.6744897501960817, 1.2815515655446004)
ML_MID = {"p10": 98220, "p25": 129300, "p50": 165400, "p75": 216738, "p90": 260100}
NO_NOISE = {"raise_sd": 0.0, "benchmark_uncertainty": False}


@pytest.fixture(scope="module")
def market():
    return load_snapshot()


def curves(*levels: dict[str, float]) -> list[PayCurve]:
    return [PayCurve.from_percentiles(p) for p in levels]


LADDER = curves(
    {"p10": 60e3, "p25": 75e3, "p50": 90e3, "p75": 110e3, "p90": 130e3},
    ML_MID,
    {"p10": 120e3, "p25": 150e3, "p50": 200e3, "p75": 250e3, "p90": 300e3},
    {"p10": 150e3, "p25": 180e3, "p50": 220e3, "p75": 260e3, "p90": 320e3},
)


@pytest.mark.parametrize(
    "percentiles",
    [
        ML_MID,
        {"p10": 56500, "p25": 75950, "p50": 106700, "p75": 119019, "p90": 129481},
        {"p10": 100e3, "p25": 100e3, "p50": 120e3, "p75": 150e3, "p90": 150e3},  # ties
    ],
)
def test_pay_curve_hits_the_cell_percentiles_and_is_monotone(percentiles):
    curve = PayCurve.from_percentiles(percentiles)
    hit = curve.pay(np.array(Z_KNOTS))
    assert hit == pytest.approx([percentiles[k] for k in ("p10", "p25", "p50", "p75", "p90")], rel=1e-6)
    grid = np.linspace(-4, 4, 801)
    pay = curve.pay(grid)
    assert np.all(np.diff(pay) > 0)  # strictly increasing, tails included
    assert pay[0] > 0
    back = np.array([curve.score(float(p)) for p in pay])
    assert back == pytest.approx(grid, abs=1e-6)


def test_pay_curve_tails_follow_the_outer_segments():
    curve = PayCurve.from_percentiles(ML_MID)
    slope = (math.log(260100) - math.log(216738)) / (Z_KNOTS[4] - Z_KNOTS[3])
    assert math.log(curve.pay(3.0)) == pytest.approx(math.log(260100) + slope * (3.0 - Z_KNOTS[4]))


def test_same_seed_same_result_other_seed_differs(market):
    a = simulate_growth(market, "ml_engineer", "mid", settings=SimulationSettings(runs=2000, seed=7))
    b = simulate_growth(market, "ml_engineer", "mid", settings=SimulationSettings(runs=2000, seed=7))
    c = simulate_growth(market, "ml_engineer", "mid", settings=SimulationSettings(runs=2000, seed=8))
    assert a.to_dict() == b.to_dict()
    assert a.to_dict()["years"] != c.to_dict()["years"]


def test_promotion_never_cuts_pay():
    # The next level pays a third of the current one: every promotion must be floored at staying.
    low_next = [LADDER[1], PayCurve.from_percentiles({k: v / 3 for k, v in ML_MID.items()}), None, None]
    settings = SimulationSettings(runs=5000, promotion={"entry": 0.9, "mid": 0.0, "senior": 0.0})
    paths = simulate_paths(low_next, [0.05] * 4, 0, settings)
    steps = np.concatenate(paths.steps[0])
    assert len(steps) > 4000
    assert steps.min() >= 1.0
    assert paths.floored[0] == len(steps)
    assert np.all(np.diff(paths.pay, axis=0) >= 0)  # raises are floored at 0 too


def test_promotion_moves_to_the_next_level_at_the_same_rank():
    settings = SimulationSettings(runs=3000, raise_mean=0.0, market_drift=0.0, **NO_NOISE)
    settings = SimulationSettings(
        **{**settings.to_dict(), "promotion": {"entry": 1.0, "mid": 0.0, "senior": 0.0}}
    )
    paths = simulate_paths(LADDER, [0.0] * 4, 0, settings)
    assert np.all(paths.level[1] == 1)
    z = np.array([LADDER[0].score(float(p)) for p in paths.pay[0]])
    assert paths.pay[1] == pytest.approx(np.maximum(LADDER[1].pay(z), paths.pay[0]), rel=1e-9)


def test_zero_promotion_probability_grows_pay_only_by_raises(market):
    never = {"entry": 0.0, "mid": 0.0, "senior": 0.0}
    settings = SimulationSettings(runs=3000, years=4, promotion=never, raise_mean=0.04, raise_sd=0.0)
    result = simulate_growth(market, "ml_engineer", "mid", settings=settings)
    for year in result.years:
        assert year.level_shares["mid"] == 1.0
        assert year.reached_next == 0.0
        assert year.p50 == pytest.approx(result.years[0].p50 * 1.04**year.year, rel=1e-9)
    assert result.promotions[0]["promotions"] == 0


def test_executive_start_has_no_next_level(market):
    result = simulate_growth(market, "ml_engineer", "executive", settings=SimulationSettings(runs=2000))
    assert result.next_level is None
    assert result.promotions == []
    assert result.next_skills["level"] is None and result.next_skills["skills"] == []
    assert all(y.reached_next is None and y.level_shares["executive"] == 1.0 for y in result.years)
    assert result.years[-1].p50 > result.years[0].p50


@pytest.mark.parametrize("start", ["entry", "mid"])
def test_level_mix_matches_the_markov_chain(market, start):
    runs, years = 20_000, 5
    settings = SimulationSettings(runs=runs, years=years)
    result = simulate_growth(market, "ai_engineer", start, settings=settings)
    chance = np.array([settings.probability(lv) for lv in LEVELS])
    matrix = np.diag(1 - chance) + np.diag(chance[:-1], k=1)
    for summary in result.years:
        exact = np.linalg.matrix_power(matrix, summary.year)[LEVELS.index(start)]
        simulated = np.array([summary.level_shares[lv] for lv in LEVELS])
        se = np.sqrt(exact * (1 - exact) / runs)
        assert np.all(np.abs(simulated - exact) <= 3 * se + 1e-12), (summary.year, simulated, exact)


@pytest.mark.parametrize(
    ("kwargs", "settings"),
    [
        ({"role": "astronaut"}, {}),
        ({"level": "wizard"}, {}),
        ({"country": "USA"}, {}),
        ({"remote": "sometimes"}, {}),
        ({"size": "huge"}, {}),
        ({"current_pay": -5}, {}),
        ({"current_pay": float("nan")}, {}),
        ({}, {"years": 0}),
        ({}, {"years": 11}),
        ({}, {"runs": 10}),
        ({}, {"promotion": {"mid": 1.5}}),
        ({}, {"promotion": {"executive": 0.1}}),
        ({}, {"raise_sd": -0.01}),
        ({}, {"promotion_gap_share": 2.0}),
    ],
)
def test_bad_inputs_are_invalid_input(market, kwargs, settings):
    args = {"role": "ml_engineer", "level": "mid", **kwargs}
    with pytest.raises(InvalidInput) as err:
        simulate_growth(
            market, args.pop("role"), args.pop("level"), settings=SimulationSettings(**settings), **args
        )
    assert "\n" not in err.value.one_line()


def test_real_snapshot_ml_engineer_from_mid(market):
    result = simulate_growth(market, "ml_engineer", "mid")
    p50 = [y.p50 for y in result.years]
    assert all(b > a for a, b in itertools.pairwise(p50))
    assert all(y.p10 < y.p50 < y.p90 for y in result.years)
    assert result.years[0].p50 == pytest.approx(165_400, rel=0.02)  # the US mid cell's median
    one = result.years[1]
    assert abs(one.reached_next - PROMOTION_PRIORS["mid"]) <= 3 * one.reached_next_se
    lo, hi = one.intervals["p50"]
    assert lo <= one.p50 <= hi
    used = {lv.level: lv for lv in result.levels}
    assert used["senior"].cell.n == 1293 and used["senior"].tier == "requested"
    assert result.notes == []


def test_simulated_step_matches_the_observed_level_ratio(market):
    mechanism = SimulationSettings(runs=20_000, raise_mean=0.0, market_drift=0.0, **NO_NOISE)
    result = simulate_growth(market, "ml_engineer", "mid", settings=mechanism)
    step = result.promotions[0]
    low, high = step["observed"]["interval_95"]
    assert step["from"] == "mid" and step["to"] == "senior"
    assert low <= step["simulated_median_step"] <= high


def test_current_pay_sets_the_start_rank(market):
    result = simulate_growth(
        market, "ml_engineer", "mid", current_pay=165_400, settings=SimulationSettings(runs=2000)
    )
    first = result.years[0]
    assert first.p10 == first.p50 == first.p90 == 165_400
    assert result.start_percentile == pytest.approx(0.5, abs=1e-6)
    low = simulate_growth(
        market, "ml_engineer", "mid", current_pay=90_000, settings=SimulationSettings(runs=2000)
    )
    assert low.start_percentile < 0.1
    assert low.years[-1].p50 < result.years[-1].p50


def test_sparse_cells_fall_back_and_say_so(market):
    result = simulate_growth(
        market, "research_scientist", "mid", country="DE", settings=SimulationSettings(runs=2000)
    )
    mid = result.levels[LEVELS.index("mid")]
    assert mid.tier == "all countries" and mid.factors == ["country"]
    assert mid.multiplier < 1  # German pay below the all-country figure
    assert any(note.startswith("mid: the requested cut has n=") for note in result.notes)


def test_unsupported_factors_are_named(market):
    result = simulate_growth(
        market,
        "ml_engineer",
        "senior",
        metro="Springfield",
        industry="finance",
        settings=SimulationSettings(runs=2000),
    )
    used = {f.name: f.used for f in result.factors}
    assert used == {"country": "direct", "metro": "ignored", "industry": "not in the data"}
    assert any("metro=Springfield" in note for note in result.notes)
    assert any(note.startswith("industry is not in the data") for note in result.notes)


def test_next_level_skills_from_postings(market):
    result = simulate_growth(market, "ml_engineer", "mid", settings=SimulationSettings(runs=2000))
    info = result.next_skills
    n_next, counts = market.posting_profiles().level_skill_counts("ml_engineer", "senior")
    assert info["level"] == "senior" and info["n_next"] == n_next
    assert 0 < len(info["skills"]) <= 10
    rises = [row["difference"] for row in info["skills"]]
    assert rises == sorted(rises, reverse=True)
    for row in info["skills"]:
        assert row["k_next"] == counts[row["skill_id"]] and row["share_next"] >= 0.20
        low, high = row["difference_interval"]
        assert low <= row["difference"] <= high
        assert row["higher"] == (low > 0)


def test_newcombe_difference_interval():
    # Newcombe (1998), Statistics in Medicine 17:873, table II example (56/70 vs 48/80), method 10.
    low, high = difference_interval(56, 70, 48, 80)
    assert (low, high) == pytest.approx((0.0524, 0.3339), abs=5e-4)


def test_quantile_interval_covers_the_true_quantile():
    rng = np.random.default_rng(1)
    misses = 0
    for _ in range(200):
        _, low, high = quantile_with_interval(rng.random(2000), 0.9)
        misses += not low <= 0.9 <= high
    assert misses <= 25  # a 95% interval: about 10 misses in 200 expected


def test_chart_data_and_terminal_rendering(market):
    result = simulate_growth(market, "ai_engineer", "mid", settings=SimulationSettings(runs=2000))
    chart = growth_chart_data(result)
    assert chart["years"] == [0, 1, 2, 3]
    assert all(a <= b <= c for a, b, c in zip(chart["p10"], chart["p50"], chart["p90"], strict=True))
    console = Console(record=True, width=140)
    render_growth(result, console)
    text = console.export_text()
    assert "year  3" in text and f"${result.years[3].p50:,.0f}" in text
    assert "priors, not measured" in text


def test_promotion_overrides_keep_the_other_priors():
    settings = SimulationSettings(promotion={"mid": 0.5})
    assert [settings.probability(lv) for lv in LEVELS] == [
        PROMOTION_PRIORS["entry"],
        0.5,
        PROMOTION_PRIORS["senior"],
        0.0,
    ]
    assert settings.to_dict()["promotion"] == {"entry": 0.4, "mid": 0.5, "senior": 0.05}
