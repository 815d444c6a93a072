"""The search index's pure parts: tokenizer, term ids for a batch, BM25 and skill overlap in memory."""

from __future__ import annotations

import math
from collections import Counter

import pyarrow as pa
import pytest

from rolescope.advise.match import BM25_B, BM25_K1, build_match_index
from rolescope.enrich.search_index import TITLE_WEIGHT, index_rows, posting_term_counts, tokenize


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("C++ and C# on .NET", ["c++", "c#", ".net"]),
        ("Node.js, Vue.js and ASP.NET Core", ["node.js", "vue.js", "asp.net", "core"]),
        ("We use R, C and Go", ["use", "r", "c", "go"]),
        ("Models, pipelines, libraries, companies", ["model", "pipeline", "library", "company"]),
        (
            "analysis business status devops analytics",
            ["analysis", "business", "status", "devops", "analytics"],
        ),
        ("AWS GCS ETL", ["aws", "gcs", "etl"]),
        ("fine-tuning CI/CD scikit-learn", ["fine", "tuning", "ci", "cd", "scikit", "learn"]),
        ("Experience.Requirements: Python.", ["experience", "requirement", "python"]),
        ("5+ years, $150,000, Python 3.11, 24/7", ["year", "python"]),
        ("GPT-4o and LLaMA-3 e.g. for RAG", ["gpt", "4o", "llama", "rag"]),
        ("The team is a group of the best", ["team", "group", "best"]),
        ("São Paulo, Zürich", ["são", "paulo", "zürich"]),
        ("", []),
        (None, []),
    ],
)
def test_tokenize(text: str | None, terms: list[str]) -> None:
    assert tokenize(text) == terms


def test_title_terms_count_more_than_description_terms() -> None:
    counts = posting_term_counts("ML Engineer", "Engineer who ships ML models; engineer.")
    assert counts == Counter({"engineer": 2 + TITLE_WEIGHT, "ml": 1 + TITLE_WEIGHT, "ship": 1, "model": 1})


def test_batch_rows_give_new_terms_fresh_ids_and_leave_the_vocabulary_alone() -> None:
    vocabulary = {"python": 0, "rag": 7}
    counts = [Counter({"rag": 2, "python": 1, "langchain": 3}), Counter({"spark": 1, "langchain": 1})]
    rows, new_terms = index_rows(["a", "b"], counts, vocabulary)
    assert new_terms == {"langchain": 8, "spark": 9}
    assert vocabulary == {"python": 0, "rag": 7}
    assert rows["posting_id"] == ["a", "b"]
    assert rows["term_ids"] == [[0, 7, 8], [8, 9]]
    assert rows["term_counts"] == [[1, 2, 3], [1, 1]]
    assert rows["term_total"] == [6, 2]
    assert rows["step_version"] == ["search.terms.v1"] * 2


# --- the in-memory index built from store-shaped tables --------------------------------------------

VOCAB = {"llm": 0, "rag": 1, "spark": 2, "etl": 3, "python": 4}
DOCS = {  # posting -> term counts
    "p-llm": {"llm": 3, "rag": 2, "python": 1},
    "p-etl": {"spark": 2, "etl": 2, "python": 1},
    "p-mix": {"llm": 1, "spark": 1, "python": 4},
}


def _postings() -> pa.Table:
    ids = list(DOCS)
    term_ids = [sorted(VOCAB[t] for t in DOCS[p]) for p in ids]
    by_id = {v: k for k, v in VOCAB.items()}
    none = pa.array([None] * len(ids), pa.string())
    return pa.table(
        {
            "posting_id": ids,
            "title": ["LLM", "ETL", "Mix"],
            "company": none,
            "url": none,
            "location_text": none,
            "country_code": none,
            "country_codes": pa.array([None] * len(ids), pa.list_(pa.string())),
            "region": none,
            "city": none,
            "location_scope": none,
            "work_arrangement": none,
            "salary_usd_annual_min": pa.array([None] * len(ids), pa.float64()),
            "salary_usd_annual_max": pa.array([None] * len(ids), pa.float64()),
            "role": none,
            "title_role": none,
            "term_ids": pa.array(term_ids, pa.list_(pa.int32())),
            "term_counts": pa.array(
                [[DOCS[p][by_id[t]] for t in tids] for p, tids in zip(ids, term_ids, strict=True)],
                pa.list_(pa.int32()),
            ),
            "term_total": pa.array([sum(DOCS[p].values()) for p in ids], pa.int32()),
        }
    )


def _skills(rows: list[tuple[str, str, str | None]]) -> pa.Table:
    names = ["posting_id", "skill_id", "requirement"]
    return pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})


def _reference_bm25(query: list[str]) -> list[float]:
    """BM25 written out the textbook way, to check the vectorised one against."""
    n = len(DOCS)
    avgdl = sum(sum(c.values()) for c in DOCS.values()) / n
    out = []
    for counts in DOCS.values():
        dl, total = sum(counts.values()), 0.0
        for term in query:
            df = sum(term in c for c in DOCS.values())
            tf = counts.get(term, 0)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * dl / avgdl))
        out.append(total)
    return out


@pytest.mark.parametrize("query", [["llm", "rag"], ["spark", "etl", "python"], ["python"], ["rag"]])
def test_bm25_matches_the_textbook_formula(query: list[str]) -> None:
    index = build_match_index(_postings(), _skills([]), VOCAB)
    terms = index.query_terms(" ".join(query))
    assert sorted(terms) == sorted(VOCAB[t] for t in query)
    assert index.bm25(terms).tolist() == pytest.approx(_reference_bm25(query), rel=1e-5)


def test_rare_terms_outweigh_common_ones() -> None:
    index = build_match_index(_postings(), _skills([]), VOCAB)
    scores = index.bm25(index.query_terms("rag python"))
    # p-mix says python four times, p-llm says rag (in one posting only) twice.
    assert scores.argmax() == 0


def test_skill_overlap_weights_required_over_preferred_and_skips_soft_skills() -> None:
    skills = _skills(
        [
            ("p-llm", "python", "required"),
            ("p-llm", "rag", "required"),
            ("p-llm", "kubernetes", "preferred"),
            ("p-llm", "communication", "required"),  # a soft skill: left out
            ("p-etl", "python", "preferred"),
            ("p-etl", "apache_spark", "required"),
            ("p-etl", "etl", None),
        ]
    )
    index = build_match_index(_postings(), skills, VOCAB)
    overlap = index.skill_overlap({"python", "kubernetes"})
    # p-llm: python (2) + kubernetes (1) of python, rag, kubernetes (2 + 2 + 1), plus the prior of 2.
    assert overlap[0] == pytest.approx(3 / 7)
    # p-etl: python (preferred, 1) of 1 + 2 + 1.5, plus 2.
    assert overlap[1] == pytest.approx(1 / 6.5)
    assert overlap[2] == 0.0
