"""The classifier's fast paths give exactly what the straightforward definitions give.

`predict` finds occupation lines with one scan, canonicalizes them in one pass and builds its
vector from token indices; training builds the same features as strings. These tests pin each fast
path to the plain definition on text written to hit the edge cases.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import numpy as np
import pytest

from rolescope.enrich.roles.features import (
    MAX_CUE_LINE,
    Featurizer,
    canonical_lines,
    mask_title,
    occupation_lines,
    skill_terms,
    text_terms,
)
from rolescope.enrich.roles.model import Vectorizer
from rolescope.knowledge.roles import canonical_title

_NOUN = re.compile(r"(?i)engineer|developer|scientist|programmer|ops\b|operations|specialist|lead\b")

TEXTS = [
    "We hire an ML Engineer. You will work with our DATA SCIENTISTS; lead the MLOps\nbuild.",
    "Nothing to see here",
    "DevOps. Ops! Operations? SPECIALIST\n\nlead",
    "misleading leader leads; a lead. ENGINEERING engineers",
    "İstanbul office: Senior AI Engineer wanted. Türkiye ops",  # "İ" lowercases to two characters
    "x" * (MAX_CUE_LINE + 5) + " engineer. short engineer line",
    "engineer" + "\n" * 3 + "developer...programmer",
    "ML researcher specıalist",  # dotless i: (?i) reads it as "i", .lower() leaves it, same length
    "ſcientist. DevOpſ! lead",  # long s, likewise
    "ops\n" * 3000 + "Our ML engineers. " * 3,  # thousands of short lines
]


def _plain_lines(text: str) -> list[str]:
    return [line for line in re.split(r"[\n.;!?]+", text) if len(line) <= MAX_CUE_LINE and _NOUN.search(line)]


@pytest.mark.parametrize("text", TEXTS)
def test_occupation_lines_match_splitting_then_searching(text: str) -> None:
    assert occupation_lines(text) == _plain_lines(text)


def test_canonical_lines_match_one_line_at_a_time() -> None:
    lines = [
        "  Sr. Artificial Intelligence (AI)/Machine Learning (ML) Engineer ",
        "machine\nlearning",
        "Generative AI and ML lead",
        "ＭＬ engineer",
        "",
    ]
    assert canonical_lines(lines) == [canonical_title(line) for line in lines]
    assert canonical_lines([]) == []
    with_nul = ["ai\x00ml engineer", "deep learning"]  # a NUL inside a line: done one by one
    assert canonical_lines(with_nul) == [canonical_title(line) for line in with_nul]


def test_role_cues_count_per_line_and_cap_at_five() -> None:
    featurizer = Featurizer()
    text = "Our ML engineers pair with ML engineers. " * 4 + "An AI engineer joins."
    cues = featurizer.role_cues(text)
    assert cues["kw:ml_engineer"] == 5 and cues["kw:ai_engineer"] == 1


def _vectorizer() -> Vectorizer:
    # "rare pair": a pair whose words are not both in the vocabulary (cut at the frequency edge).
    vocabulary = ["build", "rag", "build rag", "rag pipelines", "pipelines", "rare pair", "skill:python"]
    return Vectorizer(sorted(vocabulary), np.linspace(1.0, 2.0, len(vocabulary)))


@pytest.mark.parametrize(
    "text",
    [
        "build RAG pipelines, build rag, rare pair rare pair",
        "rare",
        "",
        "unknown words only",
    ],
)
def test_vector_from_tokens_equals_vector_from_term_counts(text: str) -> None:
    vec = _vectorizer()
    tagged = Counter({"skill:python": 1, "kw:unknown": 2})
    tokens = [t for t in text_terms(text) if " " not in t]
    counts = Counter(tokens) + Counter(f"{a} {b}" for a, b in itertools.pairwise(tokens)) + tagged
    idx_a, values_a = vec.sparse(counts)
    idx_b, values_b = vec.sparse_tokens(tokens, tagged)
    assert dict(zip(idx_a.tolist(), values_a.tolist(), strict=True)) == pytest.approx(
        dict(zip(idx_b.tolist(), values_b.tolist(), strict=True))
    )


def _plain_features(featurizer: Featurizer, text: str, title: str | None) -> Counter[str]:
    """The features as first defined: every line searched on its own, every word pair a string."""
    masked = mask_title(text, title)
    counts = Counter(text_terms(masked))
    counts.update(skill_terms(featurizer.extractor, masked, featurizer.categories))
    cues: Counter[str] = Counter()
    for line in _plain_lines(masked):
        canonical = canonical_title(line)
        for role, patterns in featurizer.role_patterns:
            hits = sum(len(p.findall(canonical)) for p in patterns)
            if hits:
                cues[f"kw:{role}"] = min(cues[f"kw:{role}"] + hits, 5)
    counts.update(cues)
    return counts


@pytest.mark.parametrize(
    "text", [*TEXTS, "Requirements:\n- PyTorch\nOur ML engineers build RAG. Apply: https://x.io/a"]
)
def test_features_equal_the_plain_definition(text: str) -> None:
    featurizer = Featurizer()
    for title in (None, "Staff Engineer"):
        assert featurizer(text, title) == _plain_features(featurizer, text, title)
