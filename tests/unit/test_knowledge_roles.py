"""The roles knowledge base: shipped data, validation errors, id lookup, title patterns, seed fidelity."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolescope.errors import DataError, InvalidInput, NotFound
from rolescope.knowledge.roles import (
    ROLE_IDS,
    Figure,
    RoleCatalog,
    canonical_title,
    compare_roles,
    load_roles,
    load_roles_from,
    normalize_role_id,
)
from tests.conftest import REPO

SEEDS_DIR = REPO.parent / "shared" / "seeds"
ROLES_YAML = REPO / "src" / "rolescope" / "knowledge" / "roles.yaml"
TABLE_SEED = "002_30a74cf3a6851753.txt"
TABLE_SEED_2025 = "004_f4885b40147977ef.txt"


@pytest.fixture(scope="module")
def catalog() -> RoleCatalog:
    return load_roles()


@pytest.fixture(scope="module")
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed articles folder {SEEDS_DIR} is absent; citations cannot be checked against files")
    return SEEDS_DIR


# ---------------------------------------------------------------------------------------------
# The shipped data


def test_shipped_yaml_loads_and_is_cached(catalog: RoleCatalog) -> None:
    assert catalog.version >= 1
    assert str(catalog.updated) == "2026-11-22"
    assert load_roles() is catalog


def test_all_required_roles_are_present_in_stable_order(catalog: RoleCatalog) -> None:
    assert catalog.ids == ROLE_IDS


def test_every_citation_names_an_existing_seed_file(catalog: RoleCatalog, seeds_dir: Path) -> None:
    cited = {claim.source for role in catalog.roles for claim in role.claims}
    for role in catalog.roles:
        cited |= role.citations()
    assert cited, "the catalog cites nothing"
    missing = sorted(file for file in cited | set(catalog.seeds) if not (seeds_dir / file).is_file())
    assert missing == []


def test_ai_and_ml_salary_figures_are_copied_exactly(catalog: RoleCatalog) -> None:
    def figure(claim_id: str) -> Figure:
        _, claim = catalog.claim(claim_id)
        assert claim.figure is not None
        return claim.figure

    assert (figure("ai_median_base_us_2026").low, figure("ai_median_base_us_2026").high) == (134023, 145080)
    assert (figure("ml_median_base_us_2026").low, figure("ml_median_base_us_2026").high) == (149136, 159000)
    assert figure("ml_builtin_base_2025").value == 158147
    uk_ml, uk_ai = figure("ml_levelsfyi_uk_median_2025"), figure("ai_levelsfyi_uk_median_2025")
    assert (uk_ml.value, uk_ml.unit, uk_ai.value, uk_ai.unit) == (105000, "GBP", 75000, "GBP")
    assert figure("ai_share_kubernetes_2025").value == 0.176
    assert figure("ds_share_java_2025").value == 0.13
    assert figure("ai_glassdoor_p25_p75_us_2025").percentiles == (25, 75)


def test_third_party_figures_keep_their_attribution(catalog: RoleCatalog) -> None:
    attributions = {claim.attribution for role in catalog.roles for claim in role.claims}
    for name in ("Glassdoor", "Built In", "Levels.fyi", "DataCamp", "Mason Alexander", "Business Insider"):
        assert name in attributions
    assert any(a and "Bureau of Labor Statistics" in a for a in attributions)
    assert any(a and "World Economic Forum" in a for a in attributions)


def test_who_earns_more_contradiction_holds_both_sides(catalog: RoleCatalog) -> None:
    contradiction = next(c for c in catalog.contradictions if c.id == "who_earns_more_us_2026")
    owners = {catalog.claim(claim_id)[0] for claim_id in contradiction.claims}
    assert owners == {"ai_engineer", "ml_engineer"}
    assert "ai_earns_more_tldr_2026" in contradiction.claims


def _ngrams(text: str, size: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_no_text_copies_a_seed_sentence(catalog: RoleCatalog, seeds_dir: Path) -> None:
    seed_grams: set[tuple[str, ...]] = set()
    for path in seeds_dir.glob("*.txt"):
        seed_grams |= _ngrams(path.read_text(encoding="utf-8"), 8)
    texts = [role.summary for role in catalog.roles]
    texts += [r.text for role in catalog.roles for r in role.responsibilities]
    texts += [c.text for role in catalog.roles for c in role.claims]
    texts += [c.note for c in catalog.contradictions]
    copied = [text for text in texts if _ngrams(text, 8) & seed_grams]
    assert copied == []


# ---------------------------------------------------------------------------------------------
# The seeds' "Core Responsibilities Compared" table

EXPECTED_TABLE = {
    "model_selection": ("shared", "shared"),
    "data_preprocessing": ("shared", "shared"),
    "model_training_tuning": ("shared", "primary"),
    "production_deployment": ("primary", "shared"),
    "system_integration": ("primary", "none"),
    "reinforcement_learning": ("shared", "rare"),
    "iot_robotics": ("shared", "rare"),
}
SEED_TASKS = {
    "Model Selection": "model_selection",
    "Data Preprocessing": "data_preprocessing",
    "Model Training & Tuning": "model_training_tuning",
    "Production Deployment": "production_deployment",
    "System Integration": "system_integration",
    "Use of Reinforcement Learning": "reinforcement_learning",
    "Interaction with IoT or Robotics": "iot_robotics",
}
SYMBOLS = {"✅ (Primary)": "primary", "✅": "shared", "Limited": "rare", "Rare": "rare", "❌": "none"}


@pytest.mark.parametrize(("responsibility_id", "expected"), EXPECTED_TABLE.items())
def test_ai_and_ml_responsibilities_match_the_seed_table(
    catalog: RoleCatalog, responsibility_id: str, expected: tuple[str, str]
) -> None:
    rows = [
        catalog.get(role_id).responsibility(responsibility_id) for role_id in ("ai_engineer", "ml_engineer")
    ]
    assert all(row is not None for row in rows)
    assert tuple(row.involvement for row in rows) == expected
    assert all(row.source == TABLE_SEED and TABLE_SEED_2025 in row.see_also for row in rows)


def _seed_table(path: Path) -> dict[str, tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    section = text.split("Core Responsibilities Compared", 1)[1].split("Do Companies Treat", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.split("|") if cell.strip()]
        if len(cells) == 3 and cells[0] in SEED_TASKS:
            table[SEED_TASKS[cells[0]]] = (SYMBOLS[cells[1]], SYMBOLS[cells[2]])
    return table


@pytest.mark.parametrize("seed", [TABLE_SEED, TABLE_SEED_2025])
def test_the_seed_files_really_say_what_the_table_encodes(seeds_dir: Path, seed: str) -> None:
    assert _seed_table(seeds_dir / seed) == EXPECTED_TABLE


# ---------------------------------------------------------------------------------------------
# Role ids and lookup


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ai_engineer", "ai_engineer"),
        ("AI-Engineer", "ai_engineer"),
        ("  ml engineer ", "ml_engineer"),
        ("Hybrid AI/ML engineer", "hybrid_ai_ml_engineer"),
        ("MLOps / LLMOps engineer", "mlops_llmops_engineer"),
    ],
)
def test_normalize_role_id(text: str, expected: str) -> None:
    assert normalize_role_id(text) == expected


@pytest.mark.parametrize(
    ("reference", "role_id"),
    [
        ("ai_engineer", "ai_engineer"),
        ("ai-engineer", "ai_engineer"),
        ("AI-Engineer", "ai_engineer"),
        ("GenAI engineer", "ai_engineer"),
        ("machine learning engineer", "ml_engineer"),
        ("data science AI engineer", "ai_ml_hybrid"),
        ("AI/ML engineer", "ai_ml_hybrid"),
        ("LLMOps engineer", "mlops_engineer"),
        ("applied scientist", "research_scientist"),
    ],
)
def test_get_accepts_ids_in_any_spelling_and_aliases(
    catalog: RoleCatalog, reference: str, role_id: str
) -> None:
    assert catalog.get(reference).id == role_id


def test_unknown_role_is_not_found_and_lists_valid_ids(catalog: RoleCatalog) -> None:
    with pytest.raises(NotFound) as caught:
        catalog.get("foo")
    assert caught.value.message == "unknown role 'foo'"
    assert caught.value.hint == f"choose one of: {', '.join(ROLE_IDS)}"
    assert caught.value.exit_code == 2


# ---------------------------------------------------------------------------------------------
# Title patterns (the normalizer that settles overlaps is tested in test_role_titles.py)


@pytest.mark.parametrize(
    ("title", "canonical"),
    [
        ("Sr. Artificial Intelligence (AI)/Machine Learning (ML) Engineer", "senior aiml engineer"),
        ("Machine Learning (ML) Engineer", "ml engineer"),
        ("AI & Machine-Learning Lead", "aiml lead"),
        ("Generative AI Engineer", "genai engineer"),
        ("Large Language Models Engineer", "llm engineer"),
        ("Deep Learning / NLP", "dl / nlp"),
    ],
)
def test_canonical_title_spells_each_field_one_way(title: str, canonical: str) -> None:
    assert canonical_title(title) == canonical


def test_ai_and_ml_patterns_do_not_cross(catalog: RoleCatalog) -> None:
    ai, ml = catalog.get("ai_engineer"), catalog.get("ml_engineer")
    assert ai.matches_title("Senior AI Engineer") and ai.matches_title("GenAI Engineer")
    assert not ai.matches_title("Machine Learning Engineer")
    assert ml.matches_title("Sr. Machine Learning Engineer")
    assert not ml.matches_title("AI Engineer")
    assert not ai.matches_title("AI/ML Engineer") and not ml.matches_title("AI/ML Engineer")


# ---------------------------------------------------------------------------------------------
# Validation errors from a deliberately broken file


def _role(data: dict[str, Any], role_id: str) -> dict[str, Any]:
    return next(role for role in data["roles"] if role["id"] == role_id)


def _claim(data: dict[str, Any], role_id: str, claim_id: str) -> dict[str, Any]:
    return next(claim for claim in _role(data, role_id)["claims"] if claim["id"] == claim_id)


def _set_unit(data: dict[str, Any]) -> None:
    _claim(data, "ml_engineer", "ml_median_base_us_2026")["figure"]["unit"] = "usd"


def _add_unknown_field(data: dict[str, Any]) -> None:
    _claim(data, "ml_engineer", "ml_median_base_us_2026")["figure"]["valu"] = 1


def _duplicate_claim_id(data: dict[str, Any]) -> None:
    _claim(data, "ai_engineer", "ai_median_base_us_2026")["id"] = "ml_median_base_us_2026"


def _bad_regex(data: dict[str, Any]) -> None:
    _role(data, "ai_engineer")["title_patterns"][1] = r"\bai (engineer"


def _dangling_contradiction(data: dict[str, Any]) -> None:
    data["contradictions"][0]["claims"].append("no_such_claim")


def _share_as_percent(data: dict[str, Any]) -> None:
    _claim(data, "ai_engineer", "ai_share_azure_2026")["figure"]["value"] = 33


def _low_above_high(data: dict[str, Any]) -> None:
    figure = _claim(data, "ml_engineer", "ml_mid_level_range_us_2026")["figure"]
    figure["low"], figure["high"] = 200, 100


def _unknown_source(data: dict[str, Any]) -> None:
    _claim(data, "ml_engineer", "ml_builtin_base_2025")["source"] = "999_nope.txt"


def _missing_role(data: dict[str, Any]) -> None:
    data["roles"] = [role for role in data["roles"] if role["id"] != "data_engineer"]


def _bad_involvement(data: dict[str, Any]) -> None:
    _role(data, "ml_engineer")["responsibilities"][0]["involvement"] = "major"


def _unlisted_responsibility(data: dict[str, Any]) -> None:
    _role(data, "ml_engineer")["responsibilities"][0]["id"] = "model_selektion"


def _not_snake_case(data: dict[str, Any]) -> None:
    _claim(data, "ai_engineer", "ai_remote_average_2026")["id"] = "AI-Remote"


def _money_without_year(data: dict[str, Any]) -> None:
    _claim(data, "ai_engineer", "ai_remote_average_2026")["year"] = None


BROKEN: list[tuple[Callable[[dict[str, Any]], None], list[str]]] = [
    (
        _set_unit,
        [
            "role 'ml_engineer', claim 'ml_median_base_us_2026': figure.unit 'usd' is not allowed "
            "(use an ISO currency code, 'share' or 'count')"
        ],
    ),
    (_add_unknown_field, ["role 'ml_engineer', claim 'ml_median_base_us_2026': unknown field 'figure.valu'"]),
    (_duplicate_claim_id, ["claim 'ml_median_base_us_2026': duplicate claim id", "role 'ai_engineer'"]),
    (_bad_regex, ["role 'ai_engineer': title_patterns[1]", "does not compile"]),
    (
        _dangling_contradiction,
        ["contradiction 'who_earns_more_us_2026': claim 'no_such_claim' does not exist"],
    ),
    (_share_as_percent, ["claim 'ai_share_azure_2026': figure: share 33 is outside 0-1"]),
    (_low_above_high, ["claim 'ml_mid_level_range_us_2026': figure: low 200 is greater than high 100"]),
    (
        _unknown_source,
        ["claim 'ml_builtin_base_2025': source '999_nope.txt' is not a seed listed in seeds.yaml"],
    ),
    (_missing_role, ["missing required role(s): data_engineer"]),
    (
        _bad_involvement,
        ["role 'ml_engineer', responsibility 'model_selection': involvement 'major' is not allowed"],
    ),
    (
        _unlisted_responsibility,
        ["responsibility 'model_selektion': id is not listed in responsibility_areas"],
    ),
    (_not_snake_case, ["role 'ai_engineer', claim 'AI-Remote': id 'AI-Remote' is not snake_case"]),
    (_money_without_year, ["claim 'ai_remote_average_2026': a money figure needs the year"]),
]


@pytest.fixture(scope="module")
def shipped_data() -> dict[str, Any]:
    return yaml.safe_load(ROLES_YAML.read_text(encoding="utf-8"))


def test_the_unbroken_copy_loads(shipped_data: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(shipped_data, allow_unicode=True), encoding="utf-8")
    assert load_roles_from(path).ids == ROLE_IDS


@pytest.mark.parametrize(("breakage", "expected"), BROKEN, ids=[b.__name__.strip("_") for b, _ in BROKEN])
def test_broken_file_raises_one_line_data_error_naming_file_and_row(
    shipped_data: dict[str, Any],
    tmp_path: Path,
    breakage: Callable[[dict[str, Any]], None],
    expected: list[str],
) -> None:
    data = copy.deepcopy(shipped_data)
    breakage(data)
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_roles_from(path)
    message = caught.value.message
    assert message.startswith(f"{path}: ")
    assert "\n" not in caught.value.one_line()
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nroles: [\n", "not valid YAML at line"),
        ("version: 1\nversion: 2\n", "duplicate key 'version'"),
        ("- just a list\n", "the top level must be a mapping"),
    ],
)
def test_unreadable_yaml_is_a_data_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(expected)) as caught:
        load_roles_from(path)
    assert caught.value.message.startswith(str(path))


def test_broken_seeds_file_is_named(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text("version: 1\nseeds:\n  a.txt: {title: x, publisher: null, author: null, covers: y}\n")
    with pytest.raises(DataError, match=r"seeds\.yaml: seed 'a\.txt': missing required field 'date'"):
        load_roles_from(ROLES_YAML, seeds_path=seeds)


# ---------------------------------------------------------------------------------------------
# Figures and comparison


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ({"statistic": "median", "low": 134023, "high": 145080, "unit": "USD", "period": "year"},
         "median USD 134,023–145,080/yr"),
        ({"statistic": "point", "value": 185709, "open_ended": True, "unit": "USD", "period": "year"},
         "USD 185,709+/yr"),
        ({"statistic": "mean", "value": 136000, "approximate": True, "unit": "USD", "period": "year"},
         "mean ~USD 136,000/yr"),
        ({"statistic": "percentile", "percentiles": [25, 75], "low": 108000, "high": 174000, "unit": "USD",
          "period": "year"}, "p25–p75 USD 108,000–174,000/yr"),
        ({"statistic": "share", "value": 0.176, "unit": "share"}, "17.6%"),
        ({"statistic": "median", "value": 105000, "unit": "GBP", "period": "year"}, "median GBP 105,000/yr"),
    ],
)  # fmt: skip
def test_figure_describe(figure: dict[str, Any], expected: str) -> None:
    assert Figure.model_validate(figure).describe() == expected


def test_compare_lines_up_rows_tools_and_disagreements(catalog: RoleCatalog) -> None:
    comparison = compare_roles(catalog, "ai-engineer", "ML Engineer")
    rows = {row.id: row.by_role for row in comparison.responsibilities}
    assert rows["system_integration"]["ai_engineer"].involvement == "primary"
    assert rows["system_integration"]["ml_engineer"].involvement == "none"
    assert rows["feature_engineering"]["ai_engineer"] is None
    assert "Python" in comparison.tools.shared and "LangChain" in comparison.tools.only_in["ai_engineer"]
    assert {"who_earns_more_us_2026", "who_earns_more_uk"} <= {c.id for c in comparison.contradictions}
    assert TABLE_SEED in comparison.sources


def test_compare_needs_two_different_roles(catalog: RoleCatalog) -> None:
    with pytest.raises(InvalidInput, match="cannot compare role 'ai_engineer' with itself"):
        compare_roles(catalog, "ai_engineer", "AI-Engineer")
