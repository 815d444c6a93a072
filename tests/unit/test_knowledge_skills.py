"""The shipped skill taxonomy: coverage, integrity, one-line errors for broken edits, crosswalk."""

from __future__ import annotations

import importlib.util
import json
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolescope.errors import DataError, NotFound
from rolescope.knowledge.skills import (
    CATEGORIES,
    COMMON_WORDS,
    Skill,
    Taxonomy,
    load_taxonomy,
    load_taxonomy_from,
    parse_taxonomy,
    surface_key,
)
from tests.conftest import REPO

KNOWLEDGE = REPO / "src" / "rolescope" / "knowledge"

# Every skill the product brief names; each must resolve by id or by a surface form.
REQUIRED = """
LLMs | RAG | vector databases | Pinecone | Weaviate | Chroma | Milvus | Qdrant | pgvector | FAISS
Elasticsearch vector search | OpenSearch vector search | LangChain | LangGraph | LlamaIndex | Hugging Face
Hugging Face Transformers | Hugging Face Datasets | Hugging Face Hub | fine-tuning | LoRA | QLoRA | PEFT
RLHF | DPO | prompt engineering | AI agents | agentic workflows | tool calling | function calling
Model Context Protocol | LLM evaluation | Ragas | DeepEval | LangSmith | Langfuse | promptfoo | guardrails
NeMo Guardrails | Guardrails AI | embeddings | semantic search | tokenization | transformer architecture
diffusion models | multimodal | OpenAI API | Anthropic API | Gemini | Llama | Mistral | vLLM | TGI | Ollama
llama.cpp | quantization | ONNX | ONNX Runtime | TensorRT | Triton Inference Server | PyTorch | TensorFlow
Keras | JAX | scikit-learn | sklearn | XGBoost | LightGBM | CatBoost | pandas | NumPy | SciPy | Polars | spaCy
NLTK | OpenCV | feature stores | Feast | Tecton | MLflow | Kubeflow | Ray | Airflow | Dagster | Prefect
Metaflow | Flyte | Weights & Biases | DVC | BentoML | Seldon | KServe | model monitoring | drift detection
experiment tracking | A/B testing | Spark | PySpark | Kafka | Flink | dbt | Databricks | Snowflake | BigQuery
Redshift | Delta Lake | Iceberg | ETL | ELT | SageMaker | Vertex AI | Azure ML | Bedrock | Azure OpenAI
AWS | GCP | Azure | S3 | AWS Lambda functions | AWS Lambda | EC2 | EKS | GKE | Cloud Run | Python | Java
JavaScript | TypeScript | Go | golang | Rust | C | C++ | C# | Scala | Kotlin | Swift | R | Julia | SQL | Bash
Docker | Kubernetes | k8s | Helm | Terraform | CI/CD | GitHub Actions | GitLab CI | Jenkins | Git | Linux
REST APIs | GraphQL | gRPC | FastAPI | Flask | Django | Node.js | React | microservices | system design
distributed systems | PostgreSQL | postgres | MySQL | MongoDB | Redis | Cassandra | DynamoDB | Elasticsearch
statistics | probability | linear algebra | calculus | optimization | Bayesian methods | causal inference
time-series forecasting | experimentation | NLP | natural language processing | computer vision
speech recognition | reinforcement learning | recommender systems | anomaly detection | fraud detection
robotics | IoT | data governance | AI ethics | bias and fairness | privacy | AI security | communication
cross-functional collaboration | stakeholder management | product thinking | emotional intelligence
mentoring | problem solving | gen ai | genai | generative AI | scikit learn | machine learning | ML
""".replace("\n", " | ")
REQUIRED_NAMES = [name.strip() for name in REQUIRED.split("|") if name.strip()]


def resolve(taxonomy: Taxonomy, term: str) -> Skill | None:
    """The skill a term names, by id or as the extractor would see it (exact case-sensitive forms
    first, then casefolded forms, then the singular of a plural)."""
    as_id = re.sub(r"[^a-z0-9]+", "_", term.casefold()).strip("_")
    for skill in taxonomy.skills:
        if term in skill.case_sensitive or as_id == skill.id:
            return skill
    keys = {surface_key(term), surface_key(term).removesuffix("s")}
    return next((s for s in taxonomy.skills if keys & {surface_key(f) for f in (s.name, *s.aliases)}), None)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def test_shipped_taxonomy_loads_with_a_semver_and_800_skills(taxonomy: Taxonomy) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", taxonomy.version)
    assert len(taxonomy.skills) >= 800


@pytest.mark.parametrize("term", REQUIRED_NAMES)
def test_every_named_skill_is_present(taxonomy: Taxonomy, term: str) -> None:
    assert resolve(taxonomy, term) is not None, f"no skill for {term!r}"


@pytest.mark.parametrize(
    ("term", "skill_id"),
    [
        ("sklearn", "scikit_learn"),
        ("k8s", "kubernetes"),
        ("postgres", "postgresql"),
        ("PySpark", "apache_spark"),
        ("Spark", "apache_spark"),
        ("function calling", "tool_calling"),
        ("agentic workflows", "ai_agents"),
        ("JavaScript", "javascript"),
        ("Java", "java"),
        ("machine learning", "machine_learning"),
        ("GenAI", "generative_ai"),
        ("OpenSearch vector search", "elasticsearch_vector_search"),
    ],
)
def test_surface_forms_resolve_to_the_right_skill(taxonomy: Taxonomy, term: str, skill_id: str) -> None:
    assert resolve(taxonomy, term).id == skill_id


@pytest.mark.parametrize("word", ["go", "spark", "rust", "swift", "julia", "ray", "flask", "r", "c", "react"])
def test_common_words_match_only_with_exact_casing(taxonomy: Taxonomy, word: str) -> None:
    folded = {surface_key(f) for s in taxonomy.skills for f in (s.name, *s.aliases)}
    exact = {f for s in taxonomy.skills for f in s.case_sensitive}
    assert word not in folded
    assert word.capitalize() in exact or word.upper() in exact


def test_every_category_is_used(taxonomy: Taxonomy) -> None:
    used = {skill.category for skill in taxonomy.skills}
    assert set(CATEGORIES) - used == set()


@pytest.mark.parametrize("field", ["prerequisites", "parents"])
def test_no_cycles(taxonomy: Taxonomy, field: str) -> None:
    graph = {skill.id: getattr(skill, field) for skill in taxonomy.skills}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"{field} cycle: {exc.args[1]}")
    assert len(order) == len(graph)


def test_hierarchy_reaches_from_qlora_up_to_llms(taxonomy: Taxonomy) -> None:
    chain, skill = [], taxonomy.get("qlora")
    while skill.parents:
        skill = taxonomy.get(skill.parents[0])
        chain.append(skill.id)
    assert chain[:4] == ["lora", "peft", "fine_tuning", "llms"]
    assert "vector_databases" in taxonomy.get("pgvector").parents


def test_every_skill_has_an_honest_effort_estimate(taxonomy: Taxonomy) -> None:
    for skill in taxonomy.skills:
        assert 0 < skill.effort.weeks <= 104
        assert len(skill.effort.rationale.split()) >= 4, skill.id


def test_unknown_skill_is_not_found_with_suggestions(taxonomy: Taxonomy) -> None:
    with pytest.raises(NotFound) as info:
        taxonomy.get("pytorc")
    assert "pytorch" in (info.value.hint or "")


# ---------------------------------------------------------------------------------------------
# Broken edits: each fails with one line naming the file, the skill and the field


def _skill(skill_id: str, **fields: Any) -> dict[str, Any]:
    base = {
        "id": skill_id,
        "name": skill_id.replace("_", " ").title(),
        "category": "ml_framework",
        "kind": "tool",
        "effort": {"weeks": 2, "rationale": "A focused library that is learnt in a couple of weeks."},
    }
    return {**base, **fields}


def _base() -> dict[str, Any]:
    return {
        "version": "1.0.0",
        "updated": "2026-11-22",
        "skills": [
            _skill("python_lang", name="Python", aliases=["python3"], category="programming_language"),
            _skill("numpy_lib", name="NumPy", prerequisites=["python_lang"]),
            _skill("pandas_lib", name="pandas", prerequisites=["numpy_lib"], parents=["numpy_lib"]),
            _skill("golang", name="Golang", case_sensitive=["Go"], category="programming_language"),
        ],
    }


def _set(index: int, **fields: Any):
    def edit(doc: dict[str, Any]) -> None:
        doc["skills"][index].update(fields)

    return edit


BROKEN = [
    (
        "duplicate id",
        lambda d: d["skills"].append(_skill("numpy_lib", name="Numerical")),
        "numpy_lib",
        "duplicate id",
    ),
    (
        "unknown parent",
        _set(1, parents=["scipy_lib"]),
        "numpy_lib",
        "parents names unknown skill 'scipy_lib'",
    ),
    ("unknown prerequisite", _set(1, prerequisites=["linear_algebra"]), "numpy_lib", "prerequisites"),
    ("self reference", _set(1, parents=["numpy_lib"]), "numpy_lib", "parents names the skill itself"),
    (
        "prerequisite cycle",
        _set(0, prerequisites=["pandas_lib"]),
        "python_lang",
        "prerequisites form a cycle: python_lang -> pandas_lib -> numpy_lib -> python_lang",
    ),
    ("parent cycle", _set(1, parents=["pandas_lib"]), "numpy_lib", "parents form a cycle"),
    (
        "alias claimed twice",
        _set(1, aliases=["Python3"]),
        "numpy_lib",
        "'Python3' is already a surface form of skill 'python_lang'",
    ),
    (
        "alias equals another name",
        _set(2, aliases=["NUMPY"]),
        "pandas_lib",
        "'NUMPY' is already a surface form of skill 'numpy_lib'",
    ),
    (
        "case-sensitive form claimed twice",
        _set(2, case_sensitive=["Go"]),
        "golang",  # the later row in the file is the one reported
        "'Go' is already a surface form of skill 'pandas_lib'",
    ),
    (
        "case-sensitive form is another alias",
        _set(2, case_sensitive=["PYTHON3"]),
        "pandas_lib",
        "case_sensitive: 'PYTHON3' is already a surface form of skill 'python_lang'",
    ),
    ("common word as alias", _set(3, aliases=["go"]), "golang", "'go' is a common word"),
    ("common word as name", _set(1, name="Spark"), "numpy_lib", "name: 'Spark' is a common word"),
    ("single letter alias", _set(3, aliases=["g"]), "golang", "too short"),
    ("short rationale", _set(1, effort={"weeks": 2, "rationale": "quick"}), "numpy_lib", "effort.rationale"),
    ("empty rationale", _set(1, effort={"weeks": 2, "rationale": ""}), "numpy_lib", "effort.rationale"),
    (
        "rationale of too few words",
        _set(1, effort={"weeks": 2, "rationale": "Extraordinarily-straightforward"}),
        "numpy_lib",
        "effort.rationale",
    ),
    (
        "weeks out of range",
        _set(1, effort={"weeks": 0, "rationale": "A focused library learnt in days."}),
        "numpy_lib",
        "effort.weeks",
    ),
    ("unknown category", _set(1, category="frameworks"), "numpy_lib", "category 'frameworks' is not allowed"),
    ("unknown field", _set(1, alias=["np"]), "numpy_lib", "unknown field 'alias'"),
    ("id not snake case", _set(1, id="NumPy-lib"), "NumPy-lib", "must be snake_case"),
]


@pytest.mark.parametrize(("case", "edit", "skill_id", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_taxonomy_fails_with_one_located_line(case: str, edit, skill_id: str, expected: str) -> None:
    doc = _base()
    parse_taxonomy(yaml.safe_dump(doc), file="edited.yaml")  # the base itself is valid
    edit(doc)
    with pytest.raises(DataError) as info:
        parse_taxonomy(yaml.safe_dump(doc), file="edited.yaml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"edited.yaml: skill '{skill_id}'"), message
    assert expected in message, message


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0.0", "01.0.0", ""])
def test_version_must_be_semver(version: str) -> None:
    doc = _base() | {"version": version}
    with pytest.raises(DataError, match=r"^edited\.yaml: top level: version .* semantic version"):
        parse_taxonomy(yaml.safe_dump(doc), file="edited.yaml")


def test_duplicate_yaml_key_names_file_and_line() -> None:
    text = "version: 1.0.0\nversion: 1.0.1\n" + yaml.safe_dump(_base()).replace("version: 1.0.0\n", "")
    with pytest.raises(DataError, match=r"^edited\.yaml: not valid YAML at line 2: duplicate key 'version'"):
        parse_taxonomy(text, file="edited.yaml")


def test_load_from_path_names_the_path(tmp_path: Path) -> None:
    doc = _base()
    doc["skills"][1]["parents"] = ["nope"]
    path = tmp_path / "skills.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(f"{path}: skill 'numpy_lib': parents")):
        load_taxonomy_from(path)


def test_common_word_list_is_lowercase() -> None:
    assert all(word == word.lower() for word in COMMON_WORDS)


# ---------------------------------------------------------------------------------------------
# Crosswalk


def test_crosswalk_is_merged_into_the_shipped_skills(taxonomy: Taxonomy) -> None:
    python = taxonomy.get("python")
    assert any(uri.startswith("http://data.europa.eu/esco/skill/") for uri in python.crosswalk.esco)
    assert "Python" in python.crosswalk.onet
    assert python.crosswalk.onet_commodity_codes["Python"] == ["43232405"]
    assert len(taxonomy.get("apache_spark").crosswalk.onet_commodity_codes["Apache Spark"]) == 2
    assert taxonomy.get("langgraph").crosswalk.esco == []


def test_derived_crosswalk_replaces_the_hand_written_one() -> None:
    doc = _base()
    doc["skills"][0]["crosswalk"] = {"onet": ["Python"]}
    derived = {
        "skills": {"numpy_lib": {"esco": [], "onet": [{"example": "NumPy", "commodity_code": "43232402"}]}}
    }
    taxonomy = parse_taxonomy(yaml.safe_dump(doc), crosswalk=derived)
    assert taxonomy.get("python_lang").crosswalk.onet == ["Python"]
    assert taxonomy.get("numpy_lib").crosswalk.onet == ["NumPy"]
    assert taxonomy.get("numpy_lib").crosswalk.onet_commodity_codes == {"NumPy": ["43232402"]}


def _crosswalk_script():
    spec = importlib.util.spec_from_file_location(
        "build_skill_crosswalk", REPO / "scripts" / "build_skill_crosswalk.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_crosswalk_matches_a_rebuild(shared_data: Path) -> None:
    script = _crosswalk_script()
    text = (KNOWLEDGE / "skills.yaml").read_text(encoding="utf-8")
    rebuilt = script.build_crosswalk(parse_taxonomy(text), shared_data)
    shipped = json.loads((KNOWLEDGE / "skills_crosswalk.json").read_text(encoding="utf-8"))
    assert shipped["skills"] == rebuilt["skills"], "run: python scripts/build_skill_crosswalk.py"
    assert shipped["provenance"]["sources"] == rebuilt["provenance"]["sources"]
    assert shipped["provenance"]["taxonomy_version"] == load_taxonomy().version


def test_crosswalk_refers_only_to_known_skills() -> None:
    shipped = json.loads((KNOWLEDGE / "skills_crosswalk.json").read_text(encoding="utf-8"))
    ids = {skill.id for skill in load_taxonomy().skills}
    assert set(shipped["skills"]) <= ids
