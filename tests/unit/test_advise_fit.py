"""Profile guard, role fit and the roadmap, on the embedded snapshot (aggregates of the real data)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from rolescope.advise.fit import HYBRID_MARGIN, RoleFit, _verdict, role_fit, weighed_skills
from rolescope.advise.profile import Profile, find_evidence, level_for_years, load_profile, profile_from_text
from rolescope.advise.roadmap import learning_roadmap, missing_prerequisites, skill_gaps
from rolescope.errors import InvalidInput, NotFound
from rolescope.insights.market import load_snapshot
from rolescope.knowledge.skills import load_taxonomy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "profiles"


@pytest.fixture(scope="module")
def market():
    return load_snapshot()


# --- the guard: only skills the input shows, each with a span that reads back ---------------------


def test_every_credited_skill_quotes_its_span() -> None:
    text = "Built RAG services in Python with LangChain and pgvector; deployed with Docker on AWS."
    profile = profile_from_text(text)
    assert {"rag", "python", "langchain", "pgvector", "docker", "aws"} <= profile.skills
    for spans in profile.evidence.values():
        for ev in spans:
            assert text[ev.start : ev.end] == ev.text


def test_negated_and_hedged_mentions_are_not_credited() -> None:
    profile = profile_from_text(
        "Python developer. No experience with Kubernetes.\nCurious about MLOps and PyTorch. Apache Spark daily."
    )
    assert "python" in profile.skills and "apache_spark" in profile.skills
    assert not {"kubernetes", "mlops", "pytorch"} & profile.skills


def test_a_profile_cannot_be_handed_skills() -> None:
    with pytest.raises(TypeError):
        Profile(text="I write Python", skills=frozenset({"pytorch"}))  # type: ignore[call-arg]
    assert Profile(text="I write Python").skills == frozenset({"python"})


def test_fit_credits_nothing_the_text_lacks(market) -> None:
    text = "Seven years of Java and Spring Boot back ends. Some SQL."
    result = role_fit(profile_from_text(text), market)
    found = set(find_evidence(text))
    for role in result["roles"]:
        for ev in role["evidence"]:
            assert ev["skill_id"] in found
            assert text[ev["start"] : ev["end"]] == ev["text"]
        assert {c["skill_id"] for c in role["credited_skills"]} <= found


def test_years_and_level_come_from_the_text() -> None:
    profile = profile_from_text("Engineer with 7+ years of professional experience in Go.")
    assert profile.years == 7 and profile.effective_level == "senior"
    start, end = profile.years_evidence
    assert "7+ years" in profile.text[start:end]
    assert [level_for_years(y) for y in (0, 1.9, 2, 4.9, 5, 11.9, 12)] == [
        "entry",
        "entry",
        "mid",
        "mid",
        "senior",
        "senior",
        "executive",
    ]


def test_skills_list_becomes_text_with_offsets(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("skills: [Python, PyTorch, Underwater basket weaving]\nyears: 3\n")
    profile = load_profile(path)
    assert profile.text.endswith("Skills: Python, PyTorch, Underwater basket weaving")
    assert {"python", "pytorch"} <= profile.skills
    assert profile.unrecognised == ["Underwater basket weaving"]
    assert profile.effective_level == "mid"


@pytest.mark.parametrize(
    ("body", "suffix", "error", "words"),
    [
        ("skills: [Python]\nhobby: chess\n", ".yaml", InvalidInput, "unknown field 'hobby'"),
        ("skills: [Python\n", ".yaml", InvalidInput, "not valid YAML"),
        ('{"skills": ["Python"], "years": "many"}', ".json", InvalidInput, "years must be a number"),
        ("skills: [Python]\npreferences: {ship_fast: 7}\n", ".yaml", InvalidInput, "must be 1 to 5"),
        ("skills: [Python]\npreferences: {likes_cats: 5}\n", ".yaml", InvalidInput, "likes_cats"),
        ("skills: [Python]\ncountry: USA\n", ".yaml", InvalidInput, "two-letter"),
        ("years: 3\n", ".yaml", InvalidInput, "needs a resume, a text or a skills list"),
        ("- Python\n", ".yaml", InvalidInput, "must be a mapping"),
        ("x", ".rtf", InvalidInput, "unsupported profile file type"),
    ],
)
def test_bad_profiles_get_one_line_errors(tmp_path: Path, body, suffix, error, words) -> None:
    path = tmp_path / f"p{suffix}"
    path.write_text(body)
    with pytest.raises(error) as info:
        load_profile(path)
    assert words in info.value.one_line()
    assert "\n" not in info.value.one_line()


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_profile(tmp_path / "nope.yaml")


# --- fit ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "best", "below"),
    [
        ("backend-llm.yaml", "ai_engineer", "ml_engineer"),
        ("statistician.yaml", "data_scientist", "ai_engineer"),
        ("data-engineer.yaml", "data_engineer", "ai_engineer"),
    ],
)
def test_example_profiles_fit_where_a_person_would_expect(market, example, best, below) -> None:
    result = role_fit(load_profile(EXAMPLES / example), market)
    scores = {r["role"]: r["score"] for r in result["roles"]}
    assert result["roles"][0]["role"] == best
    assert scores[best] > scores[below] + 5
    assert [r["score"] for r in result["roles"]] == sorted(scores.values(), reverse=True)
    assert all(0 <= s <= 100 for s in scores.values())


def test_statistician_leans_ml_over_ai(market) -> None:
    scores = {
        r["role"]: r["score"] for r in role_fit(load_profile(EXAMPLES / "statistician.yaml"), market)["roles"]
    }
    assert scores["ml_engineer"] > scores["ai_engineer"]


def test_the_role_top_skills_score_full_skills_component(market) -> None:
    counts = market.skill_counts().role("ml_engineer")
    weighed = weighed_skills()
    shares = sorted(((k[0], s) for s, k in counts.skills.items() if s in weighed), reverse=True)
    typical = round(sum(k for k, _ in shares) / counts.n)
    taxonomy = load_taxonomy()
    names = [taxonomy.get(s).name for _, s in shares[:typical]]
    profile = profile_from_text("Skills: " + ", ".join(names))
    top = {s for _, s in shares[:typical]}
    assert top <= profile.skills, top - profile.skills
    fit = role_fit(profile, market, ["ml_engineer"])["roles"][0]
    assert fit["components"]["skills"]["value"] == 1.0


def test_missing_context_is_left_out_and_weights_renormalised(market) -> None:
    result = role_fit(profile_from_text("Python and PyTorch."), market)
    assert result["left_out"] == ["preferences", "experience"]
    assert result["weights"] == {"skills": 1.0}
    with_years = role_fit(profile_from_text("Python and PyTorch.", years=3), market)
    assert with_years["weights"] == {"skills": 0.8, "experience": 0.2}


def test_preferences_move_the_roles_they_lean_to(market) -> None:
    text = "Python, SQL and Docker."
    ai_minded = {"whole_systems": 5, "llm_applications": 5, "ship_fast": 5, "model_internals": 1}
    ml_minded = {"whole_systems": 1, "llm_applications": 1, "ship_fast": 1, "model_internals": 5}

    def pref(answers, role):
        result = role_fit(profile_from_text(text, preferences=answers), market, [role])
        return result["roles"][0]["components"]["preferences"]["value"]

    assert pref(ai_minded, "ai_engineer") > 0.8 > pref(ml_minded, "ai_engineer")
    assert pref(ml_minded, "ml_engineer") > 0.6 > pref(ai_minded, "ml_engineer")
    neutral = {k: 3 for k in ai_minded}
    assert pref(neutral, "ai_engineer") == pref(neutral, "ml_engineer") == 0.5


def test_close_scores_give_a_hybrid_verdict() -> None:
    def fit(role, score):
        return RoleFit(role, role, score, 100, {}, [], [], [])

    assert _verdict([fit("ai_engineer", 60), fit("ml_engineer", 60 - HYBRID_MARGIN)])["kind"] == "hybrid"
    assert _verdict([fit("ai_engineer", 60), fit("ml_engineer", 60 - HYBRID_MARGIN - 0.1)])["kind"] == "clear"


def test_unknown_role_is_named(market) -> None:
    with pytest.raises(NotFound):
        role_fit(profile_from_text("Python"), market, ["astronaut"])


# --- gaps and roadmap -----------------------------------------------------------------------------


def test_gaps_rank_by_value_and_exclude_what_you_have(market) -> None:
    profile = load_profile(EXAMPLES / "data-engineer.yaml")
    result = skill_gaps(profile, market, "mlops_engineer", top=50)
    values = [g["value"] for g in result["gaps"]]
    assert values == sorted(values, reverse=True)
    assert not {g["skill_id"] for g in result["gaps"]} & profile.skills
    top = result["gaps"][0]
    factor = top["pay_factor"]
    expected = (
        (top["match_after"] - top["match_before"]) * factor / (top["weeks"] + top["prerequisite_weeks"])
    )
    assert top["value"] == pytest.approx(expected, abs=1e-6)
    assert all(g["match_after"] >= g["match_before"] for g in result["gaps"])
    taxonomy = load_taxonomy()
    assert all(taxonomy.get(g["skill_id"]).category != "domain" for g in result["gaps"])


def test_roadmap_puts_prerequisites_first_and_raises_the_match(market) -> None:
    profile = load_profile(EXAMPLES / "backend-llm.yaml")
    result = learning_roadmap(profile, market, goal="become-ml-engineer", steps=8)
    assert result["role"] == "ml_engineer" and result["objective"] == "reach"
    order = [s["skill_id"] for stage in result["stages"] for s in stage["steps"]]
    assert len(order) == len(set(order)) >= 8
    taxonomy = load_taxonomy()
    for i, skill in enumerate(order):
        for pre in taxonomy.get(skill).prerequisites:
            assert pre in profile.skills or pre in order[:i], (skill, pre)
    assert result["match_share"]["after"] > result["match_share"]["before"]
    weeks = [(s["from_week"], s["to_week"]) for stage in result["stages"] for s in stage["steps"]]
    assert all(a[1] == b[0] for a, b in itertools.pairwise(weeks))
    assert result["total_weeks"] == weeks[-1][1]


def test_missing_prerequisites_are_transitive_and_ordered() -> None:
    taxonomy = load_taxonomy()
    skill = next(s for s in taxonomy.skills if any(taxonomy.get(p).prerequisites for p in s.prerequisites))
    chain = missing_prerequisites(skill.id, set())
    for i, pre in enumerate(chain):
        assert set(taxonomy.get(pre).prerequisites) <= set(chain[:i])
    assert missing_prerequisites(skill.id, set(chain)) == []


def test_roadmap_errors(market) -> None:
    profile = profile_from_text("Python")
    with pytest.raises(InvalidInput):
        learning_roadmap(profile, market)
    with pytest.raises(NotFound):
        learning_roadmap(profile, market, goal="become-astronaut")
    with pytest.raises(InvalidInput):
        skill_gaps(profile, market, "ml_engineer", threshold=0)
    with pytest.raises(InvalidInput):
        skill_gaps(profile, market, "ml_engineer", objective="fame")


def test_fit_json_is_serialisable(market) -> None:
    json.dumps(role_fit(load_profile(EXAMPLES / "backend-llm.yaml"), market))


# --- regressions from review ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "credited", "not_credited"),
    [
        ("I am curious about Node.js and Kubernetes.", set(), {"nodejs", "kubernetes"}),
        ("Interested in learning e.g. PyTorch and Kubernetes", set(), {"pytorch", "kubernetes"}),
        ("Want to learn: Apache Spark; Kubernetes", set(), {"apache_spark", "kubernetes"}),
        ("Built Docker images. Curious about MLOps", {"docker"}, {"mlops"}),
        ("Interested in PyTorch.\nDocker daily", {"docker"}, {"pytorch"}),
    ],
)
def test_hedges_last_to_the_end_of_the_sentence(text, credited, not_credited) -> None:
    skills = profile_from_text(text).skills
    assert credited <= skills and not (not_credited & skills)


def test_unrelated_skills_do_not_lower_fit(market) -> None:
    base = "Trained PyTorch models; Python, scikit-learn, pandas, MLflow, Docker, SQL, deep learning."
    extra = base + " Also PHP, Microsoft Excel, Figma, WordPress, jQuery."
    score = {
        t: role_fit(profile_from_text(t), market, ["ml_engineer"])["roles"][0]["score"] for t in (base, extra)
    }
    assert score[extra] >= score[base] - 0.5


def test_roadmap_does_not_charge_planned_prerequisites_twice(market) -> None:
    profile = load_profile(EXAMPLES / "statistician.yaml")
    plan = learning_roadmap(profile, market, goal="move-into-mlops", steps=12)
    steps = {s["skill_id"]: s for stage in plan["stages"] for s in stage["steps"]}
    for step in steps.values():
        for pre in step["missing_prerequisites"]:  # charged to this step only if learnt for it
            assert steps[pre]["prerequisite_of"] == step["name"], (step["skill_id"], pre)
    assert plan["total_weeks"] == sum(s["weeks"] for s in steps.values())


def test_goal_and_role_must_agree(market) -> None:
    with pytest.raises(InvalidInput, match="is about ai_engineer"):
        learning_roadmap(profile_from_text("Python"), market, "data_engineer", goal="become-ai-engineer")


def test_no_skills_is_an_error_not_a_score(market) -> None:
    with pytest.raises(InvalidInput, match="found no skill"):
        role_fit(profile_from_text("\x01\x02 lorem ipsum dolor"), market)


def test_implausible_years_in_text_are_ignored() -> None:
    assert profile_from_text("Our firm has 75 years of experience. I write Python.").years is None


def test_listed_skill_inside_another_is_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("skills: [LangChain, Lang]\n")
    assert load_profile(path).unrecognised == ["Lang"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("skills: [Python]\nmetro: 7\n", "metro must be text"),
        ("skills: [Python]\n1: x\n", "unknown field '1'"),
        ("skills: [Python]\nresume: 5\n", "resume must be text"),
        ("skills: [Python]\nlevel: wizard\n", "unknown level"),
    ],
)
def test_wrong_types_are_one_line_errors(tmp_path: Path, body, words) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(body)
    with pytest.raises(InvalidInput, match=words):
        load_profile(path)


def test_duplicate_roles_are_scored_once(market) -> None:
    result = role_fit(profile_from_text("Python and PyTorch"), market, ["ml-engineer", "ml_engineer"])
    assert [r["role"] for r in result["roles"]] == ["ml_engineer"]


def test_bare_years_count_only_in_the_opening_lines() -> None:
    assert profile_from_text("Senior ML engineer, 6 years.\nPython and PyTorch.").years == 6
    late = "ML engineer\nPython\nPyTorch\nSQL\nWorked at a bank founded 20 years."
    assert profile_from_text(late).years is None


def test_related_skills_name_only_what_the_profile_shows(market) -> None:
    profile = load_profile(EXAMPLES / "backend-llm.yaml")
    plan = learning_roadmap(profile, market, goal="become-ai-engineer")
    for stage in plan["stages"]:
        for step in stage["steps"]:
            assert set(step["related_skills_you_show"]) <= profile.skills, step["skill_id"]
