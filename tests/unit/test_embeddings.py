"""The shipped static embedding model (rolescope.enrich.embeddings), through the optional extra."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rolescope.enrich.embeddings import (
    MAX_TOKENS,
    MODEL_DIR,
    available,
    default_embedder,
    embed,
    posting_text,
)
from rolescope.store.embeddings import STORED_DIMS

pytestmark = pytest.mark.skipif(
    not available(), reason='semantic matching is an optional extra: pip install "rolescope[semantic]"'
)


def test_rows_are_unit_float32_vectors_as_wide_as_the_store_column() -> None:
    vectors = embed(["LLM engineer building retrieval over documents", "Spark ETL", "SQL"])
    assert vectors.shape == (3, STORED_DIMS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_a_text_without_tokens_embeds_as_zeros_not_nan(text: str) -> None:
    vectors = embed(["Python developer", text])
    assert np.array_equal(vectors[1], np.zeros(STORED_DIMS, dtype=np.float32))
    assert np.isfinite(vectors).all()


def test_no_texts_give_an_empty_matrix() -> None:
    assert embed([]).shape == (0, STORED_DIMS)


def test_a_text_embeds_the_same_alone_or_in_a_batch() -> None:
    texts = ["Computer vision with PyTorch", "Data engineer, Airflow and dbt", "Frontend, React"]
    batch = embed(texts)
    for i, text in enumerate(texts):
        assert np.allclose(embed([text])[0], batch[i], atol=1e-6)


@pytest.mark.parametrize(
    ("anchor", "near", "far"),
    [
        ("machine learning engineer", "builds and deploys ML models", "pastry chef baking bread"),
        (
            "data pipelines with Apache Spark",
            "ETL jobs that move data into the warehouse",
            "nurse on a hospital ward",
        ),
        (
            "frontend developer writing React components",
            "web UI engineer, TypeScript and CSS",
            "forklift driver",
        ),
        ("speech recognition", "transcribing spoken audio into text", "tax accounting and payroll"),
        ("large language models", "LLM chatbots and prompt engineering", "plumbing repairs"),
    ],
)
def test_texts_with_close_meanings_are_closer_than_unrelated_ones(anchor: str, near: str, far: str) -> None:
    a, b, c = embed([anchor, near, far])
    assert float(a @ b) > float(a @ c) + 0.05


def test_text_past_the_token_window_is_not_read() -> None:
    head = " ".join(["python"] * (MAX_TOKENS + 10))
    same = embed([head, head + " pastry chef baking croissants in a French bakery"])
    assert np.allclose(same[0], same[1], atol=1e-6)
    short = " ".join(["python"] * 5)
    differs = embed([short, short + " pastry chef baking croissants in a French bakery"])
    assert not np.allclose(differs[0], differs[1], atol=1e-3)


@pytest.mark.parametrize(
    ("title", "description", "text"),
    [
        ("ML Engineer", "Train models.", "ML Engineer\n\nTrain models."),
        ("ML Engineer", None, "ML Engineer"),
        (None, "Train models.", "Train models."),
        (None, None, ""),
    ],
)
def test_posting_text_is_title_then_description(
    title: str | None, description: str | None, text: str
) -> None:
    assert posting_text(title, description) == text


def test_the_model_is_loaded_once() -> None:
    assert default_embedder() is default_embedder()


def test_shipped_files_are_small_and_their_card_states_their_sizes() -> None:
    card = (MODEL_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "Apache-2.0" in card and "scripts/distill_static_model.py" in card
    stated = dict(re.findall(r"^\| `([^`]+)` \| ([\d,]+) \|$", card, flags=re.MULTILINE))
    files = {p.name: p.stat().st_size for p in MODEL_DIR.iterdir() if p.name != "SOURCE.md"}
    assert set(stated) == set(files)
    for name, size in files.items():
        assert int(stated[name].replace(",", "")) == size, f"{name}: SOURCE.md is stale, rebuild it"
        assert size < 20 * 2**20
