from __future__ import annotations

import pytest

from rolescope.ingest.identity import posting_id, salary_content_hash, simhash

BASE = (
    "We are looking for a machine learning engineer to design training pipelines, deploy models to "
    "production and monitor drift. You will work with PyTorch, Spark and Airflow on petabyte scale data, "
    "partner with data scientists and own the feature store. Requirements: five years of Python, strong "
    "statistics, experience with Kubernetes and cloud ML services such as SageMaker or Vertex AI."
)


def bits(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def test_posting_id_ignores_case_and_whitespace_only() -> None:
    a = posting_id("hn", "ML Engineer", "Acme", "Berlin", "Train  models")
    assert a == posting_id("hn", "ml engineer", "ACME", "berlin", "train models")
    assert a != posting_id("lever", "ML Engineer", "Acme", "Berlin", "Train models")
    assert len(a) == 32


def test_salary_hash_distinguishes_any_field() -> None:
    row = ("2024", "SE", "FT", "AI Engineer", "1", "USD", "1", "US", "0", "US", "M")
    assert salary_content_hash(row) == salary_content_hash(row)
    assert salary_content_hash(row) != salary_content_hash((*row[:-1], "L"))


def test_simhash_near_for_small_edits_far_for_other_text() -> None:
    edited = BASE.replace("five years", "six years").replace("petabyte", "terabyte") + " Apply by email."
    other = (
        "Our bakery is hiring a pastry chef for early shifts. You will laminate dough, proof croissants, "
        "manage ovens and keep the kitchen spotless. Experience with sourdough starters and wedding cakes "
        "is a plus; weekend availability required. We offer meals, a pension and paid holidays."
    )
    assert bits(simhash(BASE), simhash(edited)) <= 12
    assert bits(simhash(BASE), simhash(other)) >= 20


@pytest.mark.parametrize("text", [None, "", "too short to fingerprint"])
def test_simhash_skips_short_texts(text: str | None) -> None:
    assert simhash(text) is None


def test_simhash_same_ad_as_markdown_and_as_plain_text() -> None:
    markdown = (
        "## About the role\n\n**We are looking** for a *machine learning engineer* to design training "
        "pipelines, deploy models to production and monitor drift.\n\n- You will work with **PyTorch**, "
        "Spark and Airflow on petabyte scale data;\n- partner with data scientists and own the feature store.\n\n"
        "### Requirements\n\n- five years of Python,\n- strong statistics,\n- experience with Kubernetes "
        "and cloud ML services such as SageMaker or Vertex AI."
    )
    plain = (
        "About the role We are looking for a machine learning engineer to design training pipelines, deploy "
        "models to production and monitor drift. You will work with PyTorch, Spark and Airflow on petabyte "
        "scale data; partner with data scientists and own the feature store. Requirements five years of "
        "Python, strong statistics, experience with Kubernetes and cloud ML services such as SageMaker or "
        "Vertex AI."
    )
    assert bits(simhash(markdown), simhash(plain)) <= 3
