"""Seniority from titles, level labels and years of experience; titles taken from the shared data."""

from __future__ import annotations

import csv

import pytest

from rolescope.ingest.normalize import infer_seniority, map_level_label, seniority_from_years, years_required

# Every title below occurs in shared/data (titles file, LinkedIn, remotewlb or HN postings).
TITLE_CASES = [
    ("Senior Machine Learning Engineer", "senior"),
    ("Sr. Data Engineer", "senior"),
    ("Database Administrator Sr", "senior"),
    ("Senior Data Warehouse Developer / Architect", "senior"),
    ("AI Architect", "senior"),
    ("Principal Software Engineer, ML Accelerators", "lead"),
    ("Staff Platform Engineer - NodeJS/DevOps (Remote within EMEA)", "lead"),
    ("Senior Staff Engineer", "lead"),
    ("Distinguished Engineer – Database Platform", "lead"),
    ("Technical Data Lead", "lead"),
    ("Software Engineering LMTS", "lead"),
    ("Software Engineering SMTS", "senior"),
    ("AMTS Software Engineer", "entry"),
    ("Director of Data Science (Life Sciences)", "executive"),
    ("Head of Machine Learning", "executive"),
    ("Senior Director, Software Engineering", "executive"),
    ("Chief Technology Officer (AI Product)", "executive"),
    ("CTO Founding Engineer", "executive"),
    ("Vice President - Cloud Engineering - Technology", "executive"),
    ("Assistant Vice President, Data Governance", None),
    ("Data Analyst Intern", "intern"),
    ("Fall 2024 Software Engineering Internship/Co-op", "intern"),
    ("Data Controller Trainee", "intern"),
    ("Junior Data Engineer", "entry"),
    ("Entry Level Data Analyst/Management Consultant - Nationwide (US Based Candidates Only)", "entry"),
    ("Associate Software Engineer", "entry"),
    ("Associate Director, Data & Specimen Governance", "executive"),
    ("Research Associate in Machine Learning", None),
    ("Data Analyst I", "entry"),
    ("Software Engineer II", "mid"),
    ("Software Development Engineer II (NodeJS)", "mid"),
    ("Data Analyst III with Security Clearance", "senior"),
    ("IT - Database Developer 3", "senior"),
    ("Data Engineer 2", "mid"),
    ("Mid-Level Go Developer - Remote - Latin America", "mid"),
    ("Intermediate Software Engineer (Java) - OP01265", "mid"),
    ("Software Engineer (L2)", "mid"),
    ("Software Engineer TVUI (L4) - Consumer Engineering", "mid"),
    ("Distributed Systems Engineer (L5), Content Engineering", "senior"),
    ("Software Engineer - Cloud Ops [IC3]", "mid"),
    ("Machine Learning Engineer", None),
    ("Data Scientist", None),
    ("Engineering Manager", None),
    ("Postdoctoral Fellow", None),
    ("Staff Accountant", None),
    ("Powertools Technologies - Junior/Senior Engineer - Lisbon, Portugal - Full-time - ONSITE", "senior"),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("title", "expected"), TITLE_CASES)
def test_infer_seniority_from_real_titles(title, expected):
    assert infer_seniority(title) == expected


@pytest.mark.parametrize(
    ("description", "years"),
    [
        ("You have 5+ years of experience building ML systems.", 5.0),
        ("3-5 years of professional experience with Python", 3.0),
        ("At least 7 years in software development", 7.0),
        ("Requires a minimum of two years in a similar role.", 2.0),
        ("Minimum of two (2) years of relevant experience", 2.0),
        ("Experience: 4+ yrs working with Spark", 4.0),
        ("Founded 20 years ago, we now serve 10 years of history.", None),
        ("Bachelor's degree; 8 or more years of industry experience", 8.0),
        ("We have been profitable for 12 years. Salary $150,000 per year.", None),
        ("", None),
        (None, None),
    ],
)
def test_years_required(description, years):
    assert years_required(description) == years


@pytest.mark.parametrize(
    ("years", "level"),
    [
        (0, "entry"),
        (1, "entry"),
        (1.5, "entry"),
        (2, "mid"),
        (4, "mid"),
        (5, "senior"),
        (7, "senior"),
        (8, "lead"),
        (15, "lead"),
    ],
)
def test_seniority_from_years_thresholds(years, level):
    assert seniority_from_years(years) == level


@pytest.mark.parametrize("years", [-1, float("nan")])
def test_seniority_from_years_rejects_bad_input(years):
    with pytest.raises(ValueError, match="years must be a number"):
        seniority_from_years(years)


def test_description_decides_only_when_title_is_silent():
    description = "Requirements: 8+ years of experience with distributed systems."
    assert infer_seniority("Machine Learning Engineer", description) == "lead"
    assert infer_seniority("Junior Machine Learning Engineer", description) == "entry"


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("EN", "entry"),
        ("MI", "mid"),
        ("SE", "senior"),
        ("EX", "executive"),
        ("Internship", "intern"),
        ("Entry level", "entry"),
        ("Associate", "mid"),
        ("Mid-Senior level", "senior"),
        ("Mid senior", "senior"),
        ("Director", "executive"),
        ("Executive", "executive"),
        ("mid-senior level", "senior"),
        ("entry_level", "entry"),
        ("Not Applicable", None),
        ("", None),
        (None, None),
    ],
)
def test_map_level_label(label, level):
    assert map_level_label(label) == level


# --- all real values -------------------------------------------------------------------------------


@pytest.mark.slow
def test_seniority_coverage_on_real_titles(shared_data, real_postings):
    """Measured: titles file 50.5% from the title alone (the rest carry no level word); remote-board
    postings 61% from the title, 84.8% with the description's years-of-experience fallback."""
    with open(shared_data / "titles" / "job_postings.csv", encoding="utf-8") as handle:
        titles = [row["job_title"] for row in csv.DictReader(handle)]
    assert sum(infer_seniority(t) is not None for t in titles) / len(titles) >= 0.49
    board = [p for p in real_postings if p["source"].startswith("remotewlb")]
    with_title = sum(infer_seniority(p["title"]) is not None for p in board) / len(board)
    with_description = sum(infer_seniority(p["title"], p["description"]) is not None for p in board) / len(
        board
    )
    assert with_title >= 0.60
    assert with_description >= 0.84


@pytest.mark.slow
def test_every_real_level_label_maps(shared_data, real_postings):
    labels = {p["extra"].get("experienceLevel") for p in real_postings if p.get("extra")}
    with open(shared_data / "titles" / "job_postings.csv", encoding="utf-8") as handle:
        labels |= {row["job_level"] for row in csv.DictReader(handle)}
    with open(shared_data / "salaries" / "aijobs_salaries.csv", encoding="utf-8") as handle:
        labels |= {row["experience_level"] for row in csv.DictReader(handle)}
    unmapped = {label for label in labels - {None, "Not Applicable"} if map_level_label(label) is None}
    assert not unmapped
