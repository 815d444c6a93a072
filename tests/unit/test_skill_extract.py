"""The dictionary skill extractor on the hard cases: ambiguous words, symbols, variants, negation."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pytest

from rolescope.enrich.skills import EXTRACTOR_NAME, MENTION_COLUMNS, SkillExtractor, SkillMention
from rolescope.errors import InvalidInput
from rolescope.knowledge.skills import load_taxonomy, parse_taxonomy

# A small taxonomy holding every hard case; the shipped one grows while this file stays put.
TAXONOMY_YAML = """\
version: "0.0.1"
updated: "2026-11-22"
skills:
  - {id: python, name: Python, aliases: [python3], category: programming_language, kind: tool, effort: {weeks: 8, rationale: "A general-purpose language learnt in weeks."}}
  - {id: r, name: R language, aliases: [r programming], case_sensitive: [R], category: programming_language, kind: tool, effort: {weeks: 6, rationale: "A statistics language learnt in weeks."}}
  - {id: go, name: Golang, case_sensitive: [Go], category: programming_language, kind: tool, effort: {weeks: 6, rationale: "A small language learnt in weeks."}}
  - {id: java, name: Java, category: programming_language, kind: tool, effort: {weeks: 8, rationale: "A large language learnt in weeks."}}
  - {id: javascript, name: JavaScript, aliases: [ECMAScript], case_sensitive: [JS], category: programming_language, kind: tool, effort: {weeks: 8, rationale: "The web language learnt in weeks."}}
  - {id: c, name: C language, case_sensitive: [C], category: programming_language, kind: tool, effort: {weeks: 10, rationale: "A systems language learnt in weeks."}}
  - {id: cpp, name: C++, aliases: [cplusplus], category: programming_language, kind: tool, effort: {weeks: 16, rationale: "A large systems language learnt in months."}}
  - {id: csharp, name: C#, aliases: [csharp], category: programming_language, kind: tool, effort: {weeks: 8, rationale: "A managed language learnt in weeks."}}
  - {id: dotnet, name: .NET, category: software_engineering, kind: tool, effort: {weeks: 8, rationale: "A managed platform learnt in weeks."}}
  - {id: nodejs, name: Node.js, category: software_engineering, kind: tool, effort: {weeks: 4, rationale: "A JavaScript runtime learnt in weeks."}}
  - {id: ci_cd, name: CI/CD, aliases: [continuous integration], category: devops, kind: knowledge, effort: {weeks: 3, rationale: "Pipelines and practice learnt in weeks."}}
  - {id: scikit_learn, name: scikit-learn, aliases: [sklearn], category: ml_framework, kind: tool, effort: {weeks: 4, rationale: "A classic ML library learnt in weeks."}}
  - {id: ab_testing, name: A/B testing, category: analytics, kind: skill, effort: {weeks: 3, rationale: "Experiment design learnt in weeks."}}
  - {id: pytorch, name: PyTorch, category: ml_framework, kind: tool, effort: {weeks: 6, rationale: "A deep learning library learnt in weeks."}}
  - {id: tensorflow, name: TensorFlow, category: ml_framework, kind: tool, effort: {weeks: 6, rationale: "A deep learning library learnt in weeks."}}
  - {id: aws, name: Amazon Web Services, case_sensitive: [AWS], category: cloud, kind: tool, effort: {weeks: 6, rationale: "A large cloud learnt in weeks."}}
  - {id: gcp, name: Google Cloud Platform, case_sensitive: [GCP], category: cloud, kind: tool, effort: {weeks: 6, rationale: "A large cloud learnt in weeks."}}
  - {id: azure, name: Microsoft Azure, case_sensitive: [Azure], category: cloud, kind: tool, effort: {weeks: 6, rationale: "A large cloud learnt in weeks."}}
  - {id: azure_ml, name: Azure Machine Learning, aliases: [Azure ML], category: cloud, kind: tool, effort: {weeks: 4, rationale: "A managed ML service learnt in weeks."}}
  - {id: machine_learning, name: machine learning, case_sensitive: [ML], category: ml_technique, effort: {weeks: 20, rationale: "A broad field learnt over months."}}
  - {id: llm, name: large language models, aliases: [large language model], case_sensitive: [LLM, LLMs], category: genai, effort: {weeks: 6, rationale: "Using and adapting LLMs is learnt in weeks."}}
  - {id: vector_database, name: vector database, category: vector_database, effort: {weeks: 2, rationale: "Embedding search concepts learnt in weeks."}}
  - {id: fine_tuning, name: fine-tuning, category: genai, kind: skill, effort: {weeks: 4, rationale: "Adapting models to data learnt in weeks."}}
  - {id: apache_spark, name: Apache Spark, aliases: [pyspark], case_sensitive: [Spark], category: data_engineering, kind: tool, effort: {weeks: 6, rationale: "Distributed data processing learnt in weeks."}}
  - {id: rust, name: Rust language, aliases: [rustlang], case_sensitive: [Rust], category: programming_language, kind: tool, effort: {weeks: 12, rationale: "A demanding systems language learnt in months."}}
  - {id: ray, name: Ray framework, aliases: [anyscale ray], case_sensitive: [Ray], category: mlops, kind: tool, effort: {weeks: 4, rationale: "A distributed compute framework learnt in weeks."}}
  - {id: sql, name: SQL, category: database, kind: tool, effort: {weeks: 4, rationale: "The query language learnt in weeks."}}
  - {id: kubernetes, name: Kubernetes, aliases: [k8s], category: devops, kind: tool, effort: {weeks: 8, rationale: "Container orchestration learnt in weeks."}}
  - {id: docker, name: Docker, category: devops, kind: tool, effort: {weeks: 2, rationale: "Containers are learnt in a few weeks."}}
  - {id: statistics, name: statistics, category: math_statistics, effort: {weeks: 20, rationale: "A broad field learnt over months."}}
  - {id: communication, name: communication, aliases: [communication skills], category: soft_skill, kind: skill, effort: {weeks: 10, rationale: "A soft skill practised over months."}}
"""


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor(parse_taxonomy(TAXONOMY_YAML, file="test_taxonomy.yaml"))


def _found(extractor: SkillExtractor, text: str) -> list[tuple[str, str]]:
    mentions = extractor.extract(text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    return [(m.skill_id, m.surface) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # R: a standalone capital letter in a programming context only
        ("Experience with R and Python", [("r", "R"), ("python", "Python")]),
        ("Statistics in R", [("statistics", "Statistics"), ("r", "R")]),
        ("Our R&D team ships every week", []),
        ("Engineering R &D and R & D", []),
        ("Zone C: USD 200,000 for Python engineers", [("python", "Python")]),
        ("Strong Q&A and R&D culture, Python shop", [("python", "Python")]),
        ("(R) marks a required field; we write Python", [("python", "Python")]),
        ("R programming", [("r", "R programming")]),
        ("r and python", [("python", "python")]),
        # Go: capitalised, never the English verb, needs context or Golang
        ("Go to our careers page", []),
        ("Go to our careers page to see Python roles", [("python", "Python")]),
        ("Golang or Go services", [("go", "Golang"), ("go", "Go")]),
        ("We build Go microservices", [("go", "Go")]),
        ("Let's go further together", []),
        ("We go the extra mile", []),
        # Spark / Rust / Ray: capitalised and in context
        ("Spark and Python pipelines", [("apache_spark", "Spark"), ("python", "Python")]),
        ("Spark your curiosity", []),
        ("Apache Spark", [("apache_spark", "Apache Spark")]),
        ("Rust and Go for systems programming", [("rust", "Rust"), ("go", "Go")]),
        ("Rust never sleeps", []),
        ("Ray Smith, our recruiter, will call you", []),
        ("Distributed training with Ray and PyTorch", [("ray", "Ray"), ("pytorch", "PyTorch")]),
        # C: single letter, never a label
        ("Series C startup hiring Python engineers", [("python", "Python")]),
        ("C-level stakeholders and Python", [("python", "Python")]),
        ("Embedded C and Python", [("c", "C"), ("python", "Python")]),
        # Java vs JavaScript, word boundaries
        ("JavaScript", [("javascript", "JavaScript")]),
        ("JavaScript and Java", [("javascript", "JavaScript"), ("java", "Java")]),
        ("Pythonic code", []),
        ("JS and Python", [("javascript", "JS"), ("python", "Python")]),
        # slashes and lists
        ("PyTorch/TensorFlow", [("pytorch", "PyTorch"), ("tensorflow", "TensorFlow")]),
        ("AWS/GCP/Azure", [("aws", "AWS"), ("gcp", "GCP"), ("azure", "Azure")]),
        ("C/C++ on embedded targets", [("c", "C"), ("cpp", "C++")]),
        ("We use CI/CD daily", [("ci_cd", "CI/CD")]),
        ("CICD", [("ci_cd", "CICD")]),
        # symbols inside names
        (
            "C#, .NET, Node.js, scikit-learn and A/B testing",
            [
                ("csharp", "C#"),
                ("dotnet", ".NET"),
                ("nodejs", "Node.js"),
                ("scikit_learn", "scikit-learn"),
                ("ab_testing", "A/B testing"),
            ],
        ),
        ("NodeJS and sklearn", [("nodejs", "NodeJS"), ("scikit_learn", "sklearn")]),
        ("Visit example.net today", []),
        # plurals, hyphens, acronyms
        ("vector databases", [("vector_database", "vector databases")]),
        ("a vector database", [("vector_database", "vector database")]),
        ("fine tuning", [("fine_tuning", "fine tuning")]),
        ("finetuning", [("fine_tuning", "finetuning")]),
        ("Fine-Tuning", [("fine_tuning", "Fine-Tuning")]),
        ("large language models (LLMs)", [("llm", "large language models"), ("llm", "LLMs")]),
        ("a large language model", [("llm", "large language model")]),
        ("ML and machine learning", [("machine_learning", "ML"), ("machine_learning", "machine learning")]),
        ("Machine-Learning", [("machine_learning", "Machine-Learning")]),
        ("ml", []),
        # the longest surface form wins
        ("Azure Machine Learning", [("azure_ml", "Azure Machine Learning")]),
        ("Azure ML and Azure", [("azure_ml", "Azure ML"), ("azure", "Azure")]),
        # URLs and e-mail addresses are not mentions
        ("Apply at https://jobs.example.com/python-docker", []),
        ("Mail python@example.com", []),
        # non-ASCII letters are part of words
        ("Rüstung and Python", [("python", "Python")]),
        (
            "Docker, Kubernetes und Python für Entwickler",
            [("docker", "Docker"), ("kubernetes", "Kubernetes"), ("python", "Python")],
        ),
        ("SQLé", []),
        # nothing to find
        ("", []),
        ("   ", []),
    ],
)
def test_extract_hard_cases(extractor: SkillExtractor, text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(extractor, text) == expected


def test_java_not_javascript_offsets_and_negation(extractor: SkillExtractor) -> None:
    mentions = extractor.extract("Java, not JavaScript")
    assert [(m.skill_id, m.start, m.end, m.negated) for m in mentions] == [
        ("java", 0, 4, False),
        ("javascript", 10, 20, True),
    ]


def test_none_text_has_no_mentions(extractor: SkillExtractor) -> None:
    assert extractor.extract(None) == []


def test_unicode_that_grows_when_lowercased_keeps_offsets(extractor: SkillExtractor) -> None:
    text = "İstanbul team: Python and Docker"
    assert [text[m.start : m.end] for m in extractor.extract(text)] == ["Python", "Docker"]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("No Python required", {"python": True}),
        ("Python is not required", {"python": True}),
        ("Experience without Docker", {"docker": True}),
        ("We do not use Java", {"java": True}),
        ("You don't need Kubernetes", {"kubernetes": True}),
        ("Python required, no Java", {"python": False, "java": True}),
        ("Not only Python but also SQL", {"python": False, "sql": False}),
        ("No-code tools and Python", {"python": False}),
        ("Python is required", {"python": False}),
        ("No visa sponsorship. Python and SQL daily", {"python": False, "sql": False}),
    ],
)
def test_negation(extractor: SkillExtractor, text: str, negated: dict[str, bool]) -> None:
    assert {m.skill_id: m.negated for m in extractor.extract(text)} == negated


def test_negated_mention_is_neither_required_nor_preferred(extractor: SkillExtractor) -> None:
    (mention,) = extractor.extract("Requirements:\n- No Docker required")
    assert (mention.negated, mention.requirement) == (True, None)


AD = """\
## About us
We build AI tools with Python.

## What you'll do
- Build services in Go and Python
- Deploy on Kubernetes

## Requirements
- 3+ years of Python
- Experience with SQL

## Nice to have
- Rust
- Familiarity with Ray
- Strong PyTorch experience

Benefits:
- Free Docker swag
"""


def test_sections_and_requirements_on_a_realistic_ad(extractor: SkillExtractor) -> None:
    rows = [(m.skill_id, m.section, m.requirement) for m in extractor.extract(AD)]
    assert rows == [
        ("python", "other", None),
        ("go", "responsibilities", None),
        ("python", "responsibilities", None),
        ("kubernetes", "responsibilities", None),
        ("python", "requirements", "required"),
        ("sql", "requirements", "required"),
        ("rust", "nice_to_have", "preferred"),
        ("ray", "nice_to_have", "preferred"),
        ("pytorch", "nice_to_have", "preferred"),
        ("docker", "other", None),
    ]


@pytest.mark.parametrize(
    ("text", "requirements"),
    [
        ("Python is required; Go is a plus", {"python": "required", "go": "preferred"}),
        ("Python required, Kubernetes preferred", {"python": "required", "kubernetes": "preferred"}),
        ("You must know SQL", {"sql": "required"}),
        ("Familiarity with Docker", {"docker": "preferred"}),
        ("Docker experience is a big plus", {"docker": "preferred"}),
        ("Ideally some PyTorch", {"pytorch": "preferred"}),
        ("Strong experience with Kubernetes", {"kubernetes": "required"}),
        ("We use Docker", {"docker": None}),
        ("Must have: Python\nNice to have: Docker", {"python": "required", "docker": "preferred"}),
        ("Requirements\n- Docker (preferred)", {"docker": "preferred"}),
    ],
)
def test_required_or_preferred_from_cues(
    extractor: SkillExtractor, text: str, requirements: dict[str, str | None]
) -> None:
    assert {m.skill_id: m.requirement for m in extractor.extract(text)} == requirements


def _batch_rows(result: dict[str, list]) -> list[tuple]:
    assert set(result) == set(MENTION_COLUMNS)
    assert len({len(column) for column in result.values()}) == 1
    return list(zip(*(result[c] for c in MENTION_COLUMNS), strict=True))


@pytest.mark.parametrize("as_arrow", [False, True])
def test_batch_call_returns_aligned_mention_columns(extractor: SkillExtractor, as_arrow: bool) -> None:
    batch = {
        "posting_id": ["a", "b", "c", "d"],
        "description": ["Python and SQL", None, "", "Requirements:\n- PyTorch, not TensorFlow"],
    }
    rows = _batch_rows(extractor(pa.table(batch) if as_arrow else batch))
    assert rows == [
        ("a", "python", 0, 6, "Python", "other", None, False),
        ("a", "sql", 11, 14, "SQL", "other", None, False),
        ("d", "pytorch", 16, 23, "PyTorch", "requirements", "required", False),
        ("d", "tensorflow", 29, 39, "TensorFlow", "requirements", None, True),
    ]


def test_batch_of_no_mentions_still_has_every_column(extractor: SkillExtractor) -> None:
    assert extractor({"posting_id": ["x"], "description": ["nothing here"]}) == {
        c: [] for c in MENTION_COLUMNS
    }


def test_batch_without_description_names_the_columns_it_has(extractor: SkillExtractor) -> None:
    with pytest.raises(InvalidInput, match=r"description.*it has: posting_id, text"):
        extractor({"posting_id": ["x"], "text": ["Python"]})


def test_name_carries_a_version(extractor: SkillExtractor) -> None:
    assert EXTRACTOR_NAME == "skills.extract.v1" == extractor.name
    assert extractor.taxonomy_version == "0.0.1"


def test_mention_is_frozen() -> None:
    mention = SkillMention("python", 0, 6, "Python")
    with pytest.raises(AttributeError):
        mention.start = 1  # type: ignore[misc]


def _real_descriptions(shared_data: Path, count: int) -> list[str]:
    texts: list[str] = []
    for path in sorted((shared_data / "postings").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for _, line in zip(range(count // 3 + 1), handle, strict=False):
                texts.append(json.loads(line).get("description") or "")
    return texts[:count]


def _assert_valid(text: str, mentions: list[SkillMention]) -> None:
    ends = -1
    for m in mentions:
        assert text[m.start : m.end] == m.surface and m.surface
        assert m.start >= ends, "mentions overlap or are out of order"
        assert m.section in ("responsibilities", "requirements", "nice_to_have", "other")
        assert m.requirement in ("required", "preferred", None)
        ends = m.end


def test_real_postings_with_the_test_taxonomy(extractor: SkillExtractor, shared_data: Path) -> None:
    texts = _real_descriptions(shared_data, 200)
    total = 0
    for text in texts:
        mentions = extractor.extract(text)
        _assert_valid(text, mentions)
        total += len(mentions)
    assert len(texts) == 200 and total > 200  # AI/ML ads mention Python, SQL, AWS ... often


def test_real_postings_with_the_shipped_taxonomy(shared_data: Path) -> None:
    shipped = SkillExtractor(load_taxonomy())
    texts = _real_descriptions(shared_data, 200)
    for text in texts:
        _assert_valid(text, shipped.extract(text))
    result = shipped(pa.table({"posting_id": [str(i) for i in range(len(texts))], "description": texts}))
    assert len(result["posting_id"]) == len(result["skill_id"]) == len(result["negated"])
