"""The title normalizer: role ids and seniority from raw titles and Hacker News style headers."""

from __future__ import annotations

import pytest

from rolescope.enrich.roles.titles import TitleNormalizer, normalize_title
from rolescope.knowledge.roles import load_roles


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior AI Engineer", "ai_engineer"),
        ("GenAI Engineer", "ai_engineer"),
        ("Generative AI Engineer", "ai_engineer"),
        ("LLM Engineer", "ai_engineer"),
        ("Prompt Engineer", "ai_engineer"),
        ("Software Engineer, AI", "ai_engineer"),
        ("Sr. Machine Learning Engineer", "ml_engineer"),
        ("ML Engineer II", "ml_engineer"),
        ("Software Engineer - Machine Learning", "ml_engineer"),
        ("Senior AI/ML Engineer", "ai_ml_hybrid"),
        ("ML / AI Engineer", "ai_ml_hybrid"),
        ("AI & Machine Learning Engineer", "ai_ml_hybrid"),
        ("Data Science AI Engineer", "ai_ml_hybrid"),
        ("Senior Data Scientist", "data_scientist"),
        ("Big Data Engineer", "data_engineer"),
        ("MLOps Engineer", "mlops_engineer"),
        ("LLMOps Engineer", "mlops_engineer"),
        ("Applied Scientist", "research_scientist"),
        ("Research Scientist, Machine Learning", "research_scientist"),
        ("AI Specialist", "ai_specialist"),
        ("ML Platform Engineer", "ml_platform_engineer"),
        ("AI Infrastructure Engineer", "ml_platform_engineer"),
        ("Senior Software Engineer", "other"),
        ("AI Engineering Manager", None),
        ("Machine Learning Ops Engineer at an image startup", "mlops_engineer"),
        ("Staff Software Engineer, AI Compute Platform", "ml_platform_engineer"),
        ("Staff / Senior Software Engineer, ML Frameworks", "ml_engineer"),
        ("ML Tech Lead", "ml_engineer"),
        ("NLP Algorithm Engineer / Software Engineer-NLP", "ml_engineer"),
        ("Machine Learning Engineer - AI", "ml_engineer"),
        ("Founding Engineer (AI/ML)", "ai_ml_hybrid"),
        ("Senior Data Analyst", "other"),
        ("Agent Test Automation Engineer", "other"),
        ("Registered Nurse, Intensive Care", "other"),
    ],
)
def test_titles_map_to_one_role(title: str, expected: str | None) -> None:
    assert normalize_title(title).role == expected


@pytest.mark.parametrize(
    ("header", "role", "candidates"),
    [
        ("Acme - Senior ML Engineer - Remote (US) - Full-time", "ml_engineer", ("ml_engineer",)),
        ("Acme - Data Scientist / ML Engineer - Remote", None, ("data_scientist", "ml_engineer")),
        ("Acme - Staff Fullstack Engineer & AI Product Engineer - SF", None, ("other", "ai_engineer")),
        ("Acme - AI Engineer, ML Engineer - NYC", "ai_ml_hybrid", ("ai_engineer", "ml_engineer")),
        ("Acme - ONSITE - San Francisco - Full-time - https://acme.ai", None, ()),
    ],
)
def test_headers_are_cut_into_jobs(header: str, role: str | None, candidates: tuple[str, ...]) -> None:
    result = normalize_title(header)
    assert (result.role, result.candidates) == (role, candidates)
    assert result.ambiguous == (role is None and len(candidates) > 1)


def test_management_titles_with_ai_words_stay_unlabelled() -> None:
    for title in ("AI/ML Engineering Manager", "Director, Data Science & Machine Learning", "Head of AI"):
        result = normalize_title(title)
        assert result.role is None and result.reason == "AI/ML management title", title


def test_seniority_and_reason_come_with_the_role() -> None:
    result = normalize_title("Sr. Machine Learning Engineer, Ads")
    assert (result.role, result.seniority) == ("ml_engineer", "senior")
    assert result.reason == "matched 'ml engineer'"
    assert normalize_title("Lead Data Engineer").seniority == "lead"
    assert normalize_title("").reason == "no title" and normalize_title(None).role is None


def test_normalizer_uses_the_catalog_it_is_given() -> None:
    catalog = load_roles()
    data = catalog.model_dump()
    for role in data["roles"]:
        if role["id"] == "ai_engineer":
            role["title_patterns"] = [r"\bwizard\b"]
    custom = TitleNormalizer(type(catalog).model_validate(data))
    assert custom("AI Wizard").role == "ai_engineer"
    assert custom("AI Engineer").role == "other"
